"""Plain text: paragraphs are separated by blank lines; every line break inside a
paragraph is a segment break when the line is short or ends with punctuation (see
``mtqa.text.segment``)."""
from __future__ import annotations

import re

from mtqa.readers.blocks import Block

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*")


def blocks(text: str) -> list[Block]:
    """Paragraph blocks of a plain-text file."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            out.append(Block(m.start(), m.end()))
    return out
