"""XLIFF 1.2 and 2.x: one bead per translation unit (1.2) or per segment (2.x).

Read: ``<trans-unit>`` (1.2) with its ``<source>``, ``<target>`` and its ``state`` /
``approved``, and its ``<note>``s; ``<unit>``/``<segment>`` (2.x) with the segment
``state`` and the unit's ``<notes>``; the languages from ``source-language`` /
``target-language`` (1.2) or ``srcLang``/``trgLang`` (2.x). Units marked
``translate="no"`` are skipped. Alternatives (``<alt-trans>``, the 2.x matches module),
``<seg-source>`` and ``<ignorable>`` are not translations of the unit and are skipped.
Inline codes become tokens (see ``mtqa.readers.inline``). Each segment keeps the line
and column of its text in the file.
"""
from __future__ import annotations

from mtqa.errors import InputError
from mtqa.model import Segment, UnitInfo
from mtqa.readers.bilingual import Units
from mtqa.readers.inline import Content
from mtqa.readers.safexml import Handler, local, stream
from mtqa.text.langtags import LanguageTagError, base_language

_CORE = "urn:oasis:names:tc:xliff:document:"
# Subtrees that hold text which is not the unit's translation.
_SKIP_1 = frozenset({"alt-trans", "seg-source", "header", "bin-unit", "context-group",
                     "count-group", "prop-group"})
_SKIP_2 = frozenset({"ignorable", "originalData"})
MAX_NOTE = 2000


def primary_lang(code: str | None, name: str | None = None) -> str | None:
    """``"en"`` for ``"en-US"``, ``"zh"`` for ``"zh_Hans"``: checks know languages by
    their base code (see ``mtqa.text.langtags``). A tag that names no language is an input
    error of file ``name``."""
    if not code or not code.strip() or code == "*all*":
        return None
    try:
        return base_language(code)
    except LanguageTagError as exc:
        raise InputError(name, f"declared language: {exc}") from None


class _Reader(Handler):
    def __init__(self, name: str) -> None:
        self.name = name
        self.version = 0
        self.depth = 0
        self.skip_at = 0  # depth of a skipped subtree's root, 0 when not skipping
        self.src_lang: str | None = None
        self.tgt_lang: str | None = None
        self.unit: dict[str, str] | None = None
        self.unit_depth = 0
        self.notes: list[str] = []
        self.note: list[str] | None = None
        self.segment: dict[str, str] | None = None
        self.content: Content | None = None
        self.content_side = ""
        self.content_depth = 0
        self.sides: dict[str, Content] = {}
        self.out: tuple[list[Segment], list[Segment], list[UnitInfo]] = ([], [], [])

    # -- callbacks -------------------------------------------------------------------
    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.skip_at:
            return
        ns, name = local(tag)
        if self.content is not None:
            self.content.start(name, attrs, self.pos.line, self.pos.column)
            return
        if self.depth == 1:
            self._root(ns, name, attrs)
            return
        if ns and not ns.startswith(_CORE):
            self.skip_at = self.depth  # a module's data (matches, metadata...)
            return
        if name in (_SKIP_1 if self.version == 1 else _SKIP_2):
            self.skip_at = self.depth
        elif name == "file":
            self.src_lang = self.src_lang or attrs.get("source-language")
            self.tgt_lang = self.tgt_lang or attrs.get("target-language")
        elif name in ("trans-unit", "unit"):
            self.unit, self.unit_depth, self.notes = attrs, self.depth, []
            self.sides = {}
        elif name == "note" and self.unit is not None:
            self.note = []
        elif name == "segment" and self.unit is not None:
            self.segment, self.sides = attrs, {}
        elif name in ("source", "target") and self.unit is not None:
            self.content = Content("xliff1" if self.version == 1 else "xliff2",
                                   self.pos.line, self.pos.column)
            self.content_side, self.content_depth = name, self.depth
            if name == "target" and self.version == 1 and "state" in attrs:
                self.unit = {**self.unit, "state": attrs["state"]}

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.skip_at:
            if depth == self.skip_at:
                self.skip_at = 0
            return
        if self.content is not None:
            if depth == self.content_depth:
                self.sides.setdefault(self.content_side, self.content)
                self.content = None
            else:
                self.content.end(self.pos.line, self.pos.column)
            return
        _, name = local(tag)
        if name == "note" and self.note is not None:
            text = "".join(self.note).strip()
            if text:
                self.notes.append(text[:MAX_NOTE])
            self.note = None
        elif name == "segment" and self.segment is not None and self.unit is not None:
            self._emit(self.segment.get("id"), self.segment.get("state"))
            self.segment = None
        elif name in ("trans-unit", "unit") and depth == self.unit_depth:
            if self.version == 1:
                state = self.unit.get("state") if self.unit else None
                if state is None and self.unit and self.unit.get("approved") == "yes":
                    state = "approved"
                self._emit(None, state)
            self.unit = None

    def chars(self, data: str) -> None:
        if self.skip_at:
            return
        if self.content is not None:
            self.content.chars(data, self.pos.line, self.pos.column)
        elif self.note is not None and sum(map(len, self.note)) < MAX_NOTE:
            self.note.append(data)

    # -- helpers ---------------------------------------------------------------------
    def _root(self, ns: str, name: str, attrs: dict[str, str]) -> None:
        if name != "xliff":
            raise InputError(self.name, f"not an XLIFF file (the root element is <{name}>)")
        version = attrs.get("version", "")
        if version.startswith("2") or ns.endswith((":2.0", ":2.1", ":2.2")):
            self.version = 2
            self.src_lang, self.tgt_lang = attrs.get("srcLang"), attrs.get("trgLang")
        elif version.startswith("1") or not version:
            self.version = 1
        else:
            raise InputError(self.name, f"unsupported XLIFF version {version!r}")

    def _emit(self, segment_id: str | None, state: str | None) -> None:
        assert self.unit is not None
        if self.unit.get("translate") == "no":
            return
        unit_id = self.unit.get("id") or str(len(self.out[1]) + 1)
        if segment_id and self.version == 2:
            unit_id = f"{unit_id}/{segment_id}"
        block = len(self.out[1])
        src_content = self.sides.get("source")
        if src_content is None:
            raise InputError(self.name, f"unit {unit_id!r} has no <source>", self.pos.line)
        source = src_content.segment(block, unit_id)
        tgt_content = self.sides.get("target")
        if tgt_content is not None:
            target = tgt_content.segment(block, unit_id)
        else:
            target = Segment(text="", line=self.pos.line, column=self.pos.column, block=block,
                             kind="unit", unit_id=unit_id)
        self.out[0].append(source)
        self.out[1].append(target)
        self.out[2].append(UnitInfo(id=unit_id, line=target.line, state=state,
                                    notes=tuple(self.notes)))
        self.sides = {}


def parse_xliff(text: str, name: str) -> Units:
    """Parse an XLIFF 1.2 or 2.x document into parallel source and target units."""
    reader = _Reader(name)
    stream(text, name, reader)
    source, target, info = reader.out
    if not target:
        raise InputError(name, "no translation units found")
    return Units(source, target, None, info=info, source_lang=primary_lang(reader.src_lang, name),
                 target_lang=primary_lang(reader.tgt_lang, name))
