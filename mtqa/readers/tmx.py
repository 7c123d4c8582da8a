"""TMX 1.4 translation memories: one bead per ``<tu>``, for one language pair.

A TMX holds any number of languages. The source language is ``--source-lang`` or the
header's ``srclang``; the target is ``--target-lang`` or the first other language of the
first unit. Languages match on their primary subtag too, so ``--target-lang de`` picks
``de-DE``. A unit without the target variant is an empty target (an untranslated unit),
one without the source is skipped. The file is parsed as a stream (no tree), so a
translation memory of hundreds of thousands of units reads in memory proportional to its
text (``benchmarks/tmx_large.py``).
"""
from __future__ import annotations

from mtqa.errors import InputError
from mtqa.model import Segment, UnitInfo
from mtqa.readers.bilingual import Units
from mtqa.readers.inline import Content
from mtqa.readers.safexml import Handler, local, stream
from mtqa.readers.xliff import MAX_NOTE, primary_lang

_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"


def _matches(lang: str, wanted: str) -> bool:
    lang, wanted = lang.lower().replace("_", "-"), wanted.lower().replace("_", "-")
    return lang == wanted or lang.split("-")[0] == wanted or wanted.split("-")[0] == lang


class _Reader(Handler):
    def __init__(self, name: str, source_lang: str | None, target_lang: str | None) -> None:
        self.name = name
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.src_key: str | None = None  # the file's spelling of the chosen languages
        self.tgt_key: str | None = None
        self.depth = 0
        self.tu: dict[str, str] | None = None
        self.tu_line = 0
        self.tuv_lang: str | None = None
        self.variants: dict[str, Content] = {}
        self.content: Content | None = None
        self.content_depth = 0
        self.notes: list[str] = []
        self.note: list[str] | None = None
        self.langs: dict[str, None] = {}  # every language seen, in order
        self.out: tuple[list[Segment], list[Segment], list[UnitInfo]] = ([], [], [])

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        _, name = local(tag)
        if self.content is not None:
            self.content.start(name, attrs, self.pos.line, self.pos.column)
            return
        if self.depth == 1:
            if name != "tmx":
                raise InputError(self.name, f"not a TMX file (the root element is <{name}>)")
        elif name == "header":
            srclang = attrs.get("srclang")
            if self.source_lang is None and srclang and srclang != "*all*":
                self.source_lang = srclang
        elif name == "tu":
            self.tu, self.tu_line, self.variants, self.notes = attrs, self.pos.line, {}, []
        elif name == "tuv" and self.tu is not None:
            self.tuv_lang = attrs.get(_XML_LANG) or attrs.get("lang")
            if not self.tuv_lang:
                raise InputError(self.name, "<tuv> without xml:lang")
        elif name == "seg" and self.tuv_lang is not None:
            self.content = Content("tmx", self.pos.line, self.pos.column)
            self.content_depth = self.depth
        elif name == "note" and self.tu is not None:
            self.note = []

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.content is not None:
            if depth == self.content_depth:
                assert self.tuv_lang is not None
                self.variants.setdefault(self.tuv_lang, self.content)
                self.content = None
            else:
                self.content.end(self.pos.line, self.pos.column)
            return
        _, name = local(tag)
        if name == "tuv":
            self.tuv_lang = None
        elif name == "note" and self.note is not None:
            text = "".join(self.note).strip()
            if text:
                self.notes.append(text[:MAX_NOTE])
            self.note = None
        elif name == "tu" and self.tu is not None:
            self._emit()
            self.tu = None

    def chars(self, data: str) -> None:
        if self.content is not None:
            self.content.chars(data, self.pos.line, self.pos.column)
        elif self.note is not None and sum(map(len, self.note)) < MAX_NOTE:
            self.note.append(data)

    def _choose(self) -> None:
        langs = list(self.variants)
        if self.src_key is None:
            if self.source_lang:
                self.src_key = next((k for k in langs if _matches(k, self.source_lang)), None)
            else:
                self.src_key = langs[0] if langs else None
                self.source_lang = self.src_key
        if self.tgt_key is None and self.src_key is not None:
            if self.target_lang:
                self.tgt_key = next((k for k in langs if _matches(k, self.target_lang)), None)
            else:
                self.tgt_key = next((k for k in langs if k != self.src_key), None)

    def _emit(self) -> None:
        assert self.tu is not None
        self.langs.update(dict.fromkeys(self.variants))
        self._choose()
        src = self._variant(self.src_key, self.source_lang)
        if src is None:
            return
        tgt = self._variant(self.tgt_key, self.target_lang)
        unit_id = self.tu.get("tuid") or str(self.tu_line)
        block = len(self.out[1])
        source = src.segment(block, unit_id)
        if tgt is not None:
            target = tgt.segment(block, unit_id)
        else:
            target = Segment(text="", line=self.tu_line, column=1, block=block, kind="unit",
                             unit_id=unit_id)
        self.out[0].append(source)
        self.out[1].append(target)
        self.out[2].append(UnitInfo(id=unit_id, line=target.line, notes=tuple(self.notes)))

    def _variant(self, key: str | None, wanted: str | None) -> Content | None:
        if key is not None and key in self.variants:
            return self.variants[key]
        wanted = wanted or key
        if wanted:  # the same language spelled differently in this unit (en-us, en_US)
            return next((c for k, c in self.variants.items() if _matches(k, wanted)), None)
        return None


def parse_tmx(text: str, name: str, source_lang: str | None = None,
              target_lang: str | None = None) -> Units:
    """Parse a TMX document into one language pair of parallel units."""
    reader = _Reader(name, source_lang, target_lang)
    stream(text, name, reader)
    source, target, info = reader.out
    has = ", ".join(reader.langs) or "none"
    for wanted, key in ((reader.source_lang, reader.src_key), (reader.target_lang, reader.tgt_key)):
        if wanted and key is None:
            raise InputError(name, f"no unit in language {wanted!r} (the file has: {has})")
    if not target:
        raise InputError(name, "no translation units found")
    if reader.tgt_key is None:
        raise InputError(name, f"only one language in the file ({has}): nothing to check")
    return Units(source, target, None, info=info,
                 source_lang=primary_lang(reader.src_key or reader.source_lang, name),
                 target_lang=primary_lang(reader.tgt_key or reader.target_lang, name))
