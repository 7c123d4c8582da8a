"""Markdown: headings, list items, block quotes, table cells and paragraphs are prose;
YAML/TOML front matter, fenced and indented code, HTML comments and raw HTML blocks,
link reference definitions and thematic breaks are not.

Inline markup (``**bold**``, ``[text](url)``) stays in the segment text so that every
segment is an exact slice of the file and positions stay exact; checks that care about
it (stray markup) know Markdown syntax.
"""
from __future__ import annotations

import re

from mtqa.readers.blocks import Block

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LINKDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
# Every run of blanks has exactly one ``[ \t]*`` that can match it: two in a row made a
# long indented line quadratic.
_TABLE_SEP = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*"
                        r"(?:\|[ \t]*)?$")
_HTML_BLOCK = re.compile(r"^ {0,3}<(?:!--|/?[A-Za-z][\w-]*[\s/>]|/?[A-Za-z][\w-]*$)")


def blocks(text: str) -> list[Block]:
    """Prose blocks of a Markdown file, in order."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    out: list[Block] = []
    para: list[int] = []  # line numbers of the paragraph (or list item) being collected
    para_kind = "paragraph"
    para_start = 0  # where its text starts: after the indent or the list marker

    def flush() -> None:
        if para:
            last = para[-1]
            out.append(Block(para_start, starts[last] + len(lines[last].rstrip()), para_kind))
            para.clear()

    i = _skip_front_matter(lines)
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker[0] * len(marker)):
                i += 1
            i += 1
            continue
        if not stripped:
            flush()
            i += 1
            continue
        if stripped.startswith("<!--"):
            flush()
            while i < len(lines) and "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        if _HTML_BLOCK.match(line) and not para:
            while i < len(lines) and lines[i].strip():
                i += 1
            continue
        if line.startswith(("    ", "\t")) and not para:
            i += 1  # indented code block
            continue
        if para and para_kind == "paragraph" and _SETEXT.match(line):
            # The paragraph collected so far was a setext heading.
            para.clear()
            out.append(Block(para_start, starts[i - 1] + len(lines[i - 1].rstrip()), "heading"))
            i += 1
            continue
        if _BREAK.match(line) or _LINKDEF.match(line) or _TABLE_SEP.match(line):
            flush()
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            body_end = _heading_end(line)
            if body_end > heading.end():
                out.append(Block(starts[i] + heading.end(), starts[i] + body_end, "heading"))
            i += 1
            continue
        if "|" in stripped and stripped.startswith("|"):
            flush()
            out.extend(_table_cells(line, starts[i]))
            i += 1
            continue
        prefix = _QUOTE.match(line)
        item = _LIST.match(line[prefix.end():] if prefix else line)
        if item:
            flush()
            offset = (prefix.end() if prefix else 0) + item.end()
            if line[offset:].strip():
                # Lazy continuation lines that follow join the item.
                para.append(i)
                para_kind, para_start = "item", starts[i] + offset
            i += 1
            continue
        if prefix:
            flush()
            if line[prefix.end():].strip():
                out.append(Block(starts[i] + prefix.end(), starts[i] + len(line.rstrip()), "quote"))
            i += 1
            continue
        if not para:
            para_kind, para_start = "paragraph", starts[i] + _indent(line)
        para.append(i)
        i += 1
    flush()
    return [b for b in out if b.end > b.start]


def _heading_end(line: str) -> int:
    """End of an ATX heading's text: without trailing blanks and a closing ``#`` run
    (string methods, not a regex, so that a line of many blanks stays linear)."""
    body = line.rstrip(" \t")
    unhashed = body.rstrip("#")
    if unhashed != body and unhashed.endswith((" ", "\t")):
        body = unhashed.rstrip(" \t")
    return len(body)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _skip_front_matter(lines: list[str]) -> int:
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    marker = lines[0].strip()
    for j in range(1, len(lines)):
        if lines[j].strip() in (marker, "..."):
            return j + 1
    return 0  # no closing marker: it was a thematic break, not front matter


def _table_cells(line: str, start: int) -> list[Block]:
    cells = []
    pos = 0
    for part in line.split("|"):
        body = part.strip()
        if body:
            s = pos + part.index(body)
            cells.append(Block(start + s, start + s + len(body), "cell"))
        pos += len(part) + 1
    return cells
