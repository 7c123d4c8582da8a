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

from collections.abc import Iterable, Iterator

from mtqa.errors import InputError
from mtqa.model import Segment, UnitInfo
from mtqa.readers.bilingual import Units
from mtqa.readers.inline import Content
from mtqa.readers.safexml import Handler, local, stream, stream_pieces
from mtqa.text.langtags import LanguageTagError, base_language

_CORE = "urn:oasis:names:tc:xliff:document:"
# Subtrees that hold text which is not the unit's translation.
_SKIP_1 = frozenset({"alt-trans", "seg-source", "header", "bin-unit", "context-group",
                     "count-group", "prop-group"})
_SKIP_2 = frozenset({"ignorable", "originalData"})
MAX_NOTE = 2000
_FEED = 1 << 16


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


class _FileReader(_Reader):
    """``_Reader`` that closes a part at each ``</file>``: ``mtqa check`` takes every
    ``<file>`` of an XLIFF document as a document of its own, so that memory holds one
    ``<file>``'s units at a time, never the whole XLIFF."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.files = 0  # <file> elements opened so far
        self.label = ""
        self.langs: tuple[str | None, str | None] = (None, None)
        self.parts: list[tuple[str, Units]] = []  # closed parts the caller has not taken

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        if self.depth == 2 and not self.skip_at and local(tag)[1] == "file":
            self.files += 1
            self.label = attrs.get("original") or attrs.get("id") or f"file-{self.files}"
            # 1.2 declares languages per <file>; 2.x on the root (the fallback).
            self.langs = (attrs.get("source-language"), attrs.get("target-language"))

    def end(self, tag: str) -> None:
        closes_file = self.depth == 2 and not self.skip_at and local(tag)[1] == "file"
        super().end(tag)
        if closes_file:
            self.close_part(self.label)

    def close_part(self, label: str) -> None:
        """Move the units read so far into ``parts`` (a ``<file>`` without translatable
        units makes no part)."""
        source, target, info = list(self.out[0]), list(self.out[1]), list(self.out[2])
        for side in self.out:
            side.clear()
        if target:
            self.parts.append((label, Units(
                source, target, None, info=info,
                source_lang=primary_lang(self.langs[0] or self.src_lang, self.name),
                target_lang=primary_lang(self.langs[1] or self.tgt_lang, self.name))))


def iter_xliff_files(pieces: Iterable[str], name: str) -> Iterator[tuple[str, Units]]:
    """Each ``<file>`` of an XLIFF document (given as decoded ``pieces``) as ``(document
    name, units)``, as soon as the parse has read it. The name is ``name#original``
    (``original``, else the ``id``, else ``file-N``, N counting ``<file>``s from 1), or
    plain ``name`` when the document has a single ``<file>``: a one-file XLIFF reads as
    it always did. The first part waits until a second ``<file>`` shows which it is."""
    reader = _FileReader(name)
    pending: list[tuple[str, Units]] = []  # the first part, while it may be the only one
    named = False  # more than one part: each is named by its label
    count = 0
    # The parser gets 64 KiB at a time: the parts closed in one feed wait together, and
    # a 1 MiB piece of small <file>s would be thousands of units at once.
    feeds = (piece[at:at + _FEED] for piece in pieces for at in range(0, len(piece), _FEED))
    for _ in stream_pieces(feeds, name, reader):
        pending.extend(reader.parts)
        reader.parts.clear()
        named = named or reader.files > 1 or len(pending) > 1
        if named:
            count += len(pending)
            yield from ((f"{name}#{label}", units) for label, units in pending)
            pending.clear()
    reader.close_part(f"file-{reader.files + 1}")  # units outside any <file> (invalid)
    pending.extend(reader.parts)
    if not named and len(pending) == 1:
        yield name, pending[0][1]
        return
    yield from ((f"{name}#{label}", units) for label, units in pending)
    if count + len(pending) == 0:
        raise InputError(name, "no translation units found")
