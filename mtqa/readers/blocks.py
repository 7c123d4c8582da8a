"""Turning prose blocks of a decoded file into positioned segments."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from mtqa.model import Segment
from mtqa.text import segment as segmenter


@dataclass(frozen=True)
class Block:
    """A run of prose in the file: ``text[start:end]`` is a paragraph, heading, item..."""

    start: int
    end: int
    kind: str = "paragraph"


class LineIndex:
    """Maps 0-based character offsets of a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        at = text.find("\n")
        while at >= 0:  # str.find, not a Python loop per character: 10 MB files happen
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def segments_from_blocks(text: str, blocks: list[Block], lang: str,
                         soft_breaks: bool = False) -> tuple[Segment, ...]:
    """Split every block into sentences; headings and list items split like prose but
    never merge with their neighbours."""
    index = LineIndex(text)
    out: list[Segment] = []
    for number, block in enumerate(blocks):
        piece = text[block.start:block.end]
        for s, e in segmenter.split(piece, lang, soft_breaks):
            start = block.start + s
            line, column = index.position(start)
            out.append(Segment(
                text=text[start:block.start + e], line=line, column=column, offset=start,
                block=number, kind=block.kind,
            ))
    return tuple(out)
