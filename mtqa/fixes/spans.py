"""Where a fix edit goes in the file, format by format, and how it is written there.

An edit is on a segment's text; the file holds that text with the format's syntax
around it and, in places, inside it. ``issue_spans`` turns each edit of an issue into a
span of the file's (line-end normalised) text and the replacement as the format writes
it, or refuses the issue: when an edit touches a placeholder, an inline tag, Markdown
code or a link address, when the file does not hold the segment's text verbatim at that
place (an XML entity, a PO escape), when the file's encoding cannot write the
replacement, or when a debris line is not a whole line of a text or Markdown file.
"""
from __future__ import annotations

import bisect
import json
import re

from mtqa.fixes.textmap import TextMap
from mtqa.model import AnchoredSegment, Document, Issue, Segment
from mtqa.text import placeholders

# Markdown inline syntax that is not prose: code spans, autolinks and inline HTML,
# link destinations. URLs and e-mail addresses in any text format.
_MARKDOWN_CODE = re.compile(r"(`+)[^`].*?\1|<[^<>\n]+>|\]\([^)\n]*\)|\]\[[^\]\n]*\]", re.DOTALL)
_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def issue_spans(issue: Issue, doc: Document, textmap: TextMap, fmt: str,
                encoding: str) -> list[tuple[int, int, str]] | None:
    """``(start, end, replacement)`` in ``textmap.normal`` for every edit of the issue's
    fix (``doc`` is the target side of the file, ``fmt`` its format, ``encoding`` the
    file's), or None when one of them cannot be applied safely: then none is."""
    assert issue.fix is not None and issue.target is not None
    out = []
    for edit in issue.fix.edits:
        number = issue.target.segment if edit.segment is None else edit.segment
        if not 0 <= number < len(doc.segments):
            return None
        seg = doc.segments[number]
        protected = _protected(seg.text, fmt)
        if not 0 <= edit.start <= edit.end <= len(seg.text):
            return None
        if any(ps < edit.end and edit.start < pe or ps < edit.start < pe
               for ps, pe in protected):
            return None
        span = _file_span(seg, edit.start, edit.end, textmap, fmt)
        if span is None:
            return None
        start, end = span
        replacement = _escape(edit.replacement, fmt, textmap.normal, start)
        if replacement is None or not _encodable(replacement, encoding):
            return None
        if issue.fix.whole_line:
            if fmt not in ("text", "markdown"):
                return None  # a unit's whole target is never deleted
            line = textmap.whole_line(start, end)
            if line is None:
                return None
            start, end = line
        out.append((start, end, replacement))
    return out


def _protected(text: str, fmt: str) -> list[tuple[int, int]]:
    spans = placeholders.spans(text)
    if fmt == "markdown" and ("`" in text or "<" in text or "]" in text):
        spans += [m.span() for m in _MARKDOWN_CODE.finditer(text)]
    if "@" in text or "://" in text or "www." in text:  # the regex is slow on long text
        spans += [m.span() for m in _ADDRESS.finditer(text)]
    return spans


def _file_span(seg: Segment, start: int, end: int, textmap: TextMap,
               fmt: str) -> tuple[int, int] | None:
    """Where ``seg.text[start:end]`` is in the normalised file text, when the file has
    exactly that text there (verbatim: no escape, entity or inline code inside)."""
    if isinstance(seg, AnchoredSegment) and seg.anchors:
        # The span must lie in one run of verbatim text between two anchors.
        offsets = [a[0] for a in seg.anchors]
        k = bisect.bisect_right(offsets, start) - 1
        nxt = offsets[k + 1] if k + 1 < len(offsets) else len(seg.text)
        if k >= 0 and end > nxt:
            return None
    if fmt == "jsonl":
        return _jsonl_span(seg, start, end, textmap)
    if seg.offset >= 0 and not isinstance(seg, AnchoredSegment):
        at = seg.offset + start
    else:
        at = textmap.offset(*seg.position(start))
    stop = at + end - start
    if textmap.normal[at:stop] != seg.text[start:end]:
        return None
    if start == end and textmap.offset(*seg.position(start)) != at:
        return None
    return at, stop


def _jsonl_span(seg: Segment, start: int, end: int,
                textmap: TextMap) -> tuple[int, int] | None:
    """JSON strings escape quotes, backslashes and (often) every non-ASCII character:
    walk the string literal to find where each decoded character is written."""
    line_start = textmap.offset(seg.line, 1)
    literal = textmap.offset(seg.line, seg.column) - 1  # the opening quote
    if textmap.normal[literal:literal + 1] != '"':
        return None
    raw_end = textmap.normal.find("\n", line_start)
    line = textmap.normal[literal:raw_end if raw_end >= 0 else len(textmap.normal)]
    try:
        value, length = json.JSONDecoder().raw_decode(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, str) or value.strip() != seg.text:
        return None  # not the string the reader took the segment from
    lead = len(value) - len(value.lstrip())
    positions = _json_positions(line[1:length - 1])
    first, last = lead + start, lead + end
    if last > len(positions) - 1:
        return None
    # The written characters from the first of the span to the last, escapes and all:
    # the replacement is written escaped in their place.
    return literal + 1 + positions[first], literal + 1 + positions[last]


def _json_positions(body: str) -> list[int]:
    """For each decoded character of a JSON string body, where it starts in ``body``
    (plus one entry for the end)."""
    out: list[int] = []
    i = 0
    while i < len(body):
        out.append(i)
        if body[i] != "\\":
            i += 1
            continue
        if body[i + 1:i + 2] == "u":
            code = body[i + 2:i + 6]
            i += 6
            # A surrogate pair decodes to one character from two escapes.
            if 0xD800 <= int(code, 16) <= 0xDBFF and body[i:i + 2] == "\\u":
                i += 6
        else:
            i += 2
    out.append(i)
    return out


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PO_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _escape(text: str, fmt: str, normal: str, at: int) -> str | None:
    """The replacement as the format writes it at that place; None where it cannot."""
    if fmt in ("xliff", "tmx"):
        return "".join(_XML_ESCAPES.get(ch, ch) for ch in text)
    if fmt == "po":
        return "".join(_PO_ESCAPES.get(ch, ch) for ch in text)
    if fmt == "jsonl":
        escaped = json.dumps(text, ensure_ascii=_ascii_only_json(normal, at))[1:-1]
        return escaped
    if fmt == "tsv" and ("\t" in text or "\n" in text):
        return None
    return text


def _ascii_only_json(normal: str, at: int) -> bool:
    """Whether the JSON line at ``at`` was written with ``ensure_ascii`` (only ASCII)."""
    start = normal.rfind("\n", 0, at) + 1
    end = normal.find("\n", at)
    return normal[start:end if end >= 0 else len(normal)].isascii()


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
