"""The text of an XLIFF/TMX ``<source>``, ``<target>`` or ``<seg>``, with inline codes.

Inline elements become the visible tokens of ``mtqa.text.placeholders`` (``⟨1⟩bold⟨/1⟩``,
``⟨2/⟩``), so that checks see where a code sits without its native markup, and the tag
checks can compare them between source and target. The native code inside ``<bpt>``,
``<ept>``, ``<ph>``, ``<it>`` and ``<ut>`` is not translatable text and is dropped;
``<mrk>`` (an annotation, not formatting) keeps its text and gets no token.
"""
from __future__ import annotations

from mtqa.model import AnchoredSegment, Segment
from mtqa.text.placeholders import token

# local name -> (role of its token, whether its content is text, id attributes in order)
# role None: transparent (annotation markers, whose text is kept).
_Codes = dict[str, tuple[str | None, bool, tuple[str, ...]]]
_XLIFF1: _Codes = {
    "g": ("paired", True, ("id",)),
    "x": ("standalone", False, ("id",)),
    "bx": ("open", False, ("rid", "id")),
    "ex": ("close", False, ("rid", "id")),
    "bpt": ("open", False, ("rid", "id")),
    "ept": ("close", False, ("rid", "id")),
    "ph": ("standalone", False, ("id",)),
    "it": ("standalone", False, ("id",)),
    "mrk": (None, True, ()),
}
_XLIFF2: _Codes = {
    "pc": ("paired", True, ("id",)),
    "ph": ("standalone", False, ("id",)),
    "sc": ("open", False, ("id",)),
    "ec": ("close", False, ("startRef", "id")),
    "mrk": (None, True, ()),
    "sm": (None, False, ()),
    "em": (None, False, ()),
}
_TMX: _Codes = {
    "bpt": ("open", False, ("i", "x")),
    "ept": ("close", False, ("i",)),
    "it": ("standalone", False, ("x",)),
    "ph": ("standalone", False, ("x",)),
    "ut": ("standalone", False, ("x",)),
    "hi": ("paired", True, ("x",)),
}
TABLES: dict[str, _Codes] = {"xliff1": _XLIFF1, "xliff2": _XLIFF2, "tmx": _TMX}


class Content:
    """Collects the pieces of one content element as the parser walks it."""

    def __init__(self, table: str, line: int, column: int) -> None:
        self.table = TABLES[table]
        self.line, self.column = line, column  # of the start tag: used when empty
        self.parts: list[tuple[str, int, int]] = []  # (text, line, column)
        self.stack: list[str] = []  # close tokens of open paired elements
        self.skip = 0  # depth inside native code that is not text
        self.seen: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str], line: int, column: int) -> None:
        if self.skip:
            self.skip += 1
            return
        role, text_inside, ids = self.table.get(name, (None, True, ()))
        if name == "cp" and "hex" in attrs:  # XLIFF 2 code point outside XML's range
            self.parts.append((_code_point(attrs["hex"]), line, column))
            self.stack.append("")
            self.skip = 1
            return
        if role is not None and attrs.get("isolated") == "yes":
            role = "standalone"
        code = next((attrs[a] for a in ids if attrs.get(a)), None)
        if code is None:
            self.seen[name] = self.seen.get(name, 0) + 1
            code = f"{name}{self.seen[name]}"
        if role == "paired":
            self.parts.append((token(code, "open"), line, column))
            self.stack.append(token(code, "close"))
        elif role is not None:
            self.parts.append((token(code, role), line, column))
            self.stack.append("")
        else:
            self.stack.append("")
        if not text_inside:
            self.skip = 1

    def end(self, line: int, column: int) -> None:
        if self.skip > 1:
            self.skip -= 1
            return
        self.skip = 0
        if self.stack:
            closing = self.stack.pop()
            if closing:
                self.parts.append((closing, line, column))

    def chars(self, data: str, line: int, column: int) -> None:
        if not self.skip:
            self.parts.append((data, line, column))

    def segment(self, block: int, unit_id: str) -> Segment:
        """The collected text, outer spaces trimmed, with every piece's file position."""
        return anchored(self.parts, block, unit_id, self.line, self.column)


def anchored(parts: list[tuple[str, int, int]], block: int, unit_id: str, line: int,
             column: int) -> Segment:
    """A unit's segment from pieces of text that each start at a known ``(line,
    column)`` of the file; outer spaces trimmed. ``line``/``column`` place an empty one."""
    text = "".join(p for p, _, _ in parts)
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    anchors: list[tuple[int, int, int]] = []
    seen = 0
    for piece, pline, pcol in parts:
        end = seen + len(piece)
        if end > lead and seen - lead < len(body):
            inside = max(0, lead - seen)  # only the first piece starts inside
            before = piece[:inside]
            newlines = before.count("\n")
            if newlines:
                at = (pline + newlines, inside - before.rfind("\n"))
            else:
                at = (pline, pcol + inside)
            offset = seen + inside - lead
            # Keep an anchor only where the text stops running on verbatim (expat also
            # splits plain text into pieces): memory stays small for large files.
            if not anchors or _runs_on(body, anchors[-1], offset) != at:
                anchors.append((offset, *at))
        seen = end
    if not anchors:
        return Segment(text=body, line=line, column=column, block=block, kind="unit",
                       unit_id=unit_id)
    line, column = anchors[0][1], anchors[0][2]
    if len(anchors) == 1:  # verbatim text: the plain segment's arithmetic is exact
        return Segment(text=body, line=line, column=column, block=block, kind="unit",
                       unit_id=unit_id)
    return AnchoredSegment(text=body, line=line, column=column, block=block, kind="unit",
                           unit_id=unit_id, anchors=tuple(anchors))


def _runs_on(text: str, anchor: tuple[int, int, int], offset: int) -> tuple[int, int]:
    """Where ``text[offset]`` would be if the text ran on verbatim from ``anchor``."""
    start, line, column = anchor
    before = text[start:offset]
    newlines = before.count("\n")
    if newlines == 0:
        return line, column + offset - start
    return line + newlines, offset - start - before.rfind("\n")


def _code_point(hexa: str) -> str:
    try:
        value = int(hexa, 16)
        return chr(value) if value and not 0xD800 <= value <= 0xDFFF else "\ufffd"
    except (ValueError, OverflowError):
        return "\ufffd"
