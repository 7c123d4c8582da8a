"""Readers: one module per format; each turns a file into ``Document``s.

Monolingual (the translation, or a source or reference file beside it): plain text and
Markdown. Bilingual, aligned by construction: TSV and JSONL, and the localisation
formats XLIFF 1.2/2.x, TMX 1.4 and PO (more in ``BILINGUAL``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from mtqa.errors import InputError
from mtqa.model import Document, Segment
from mtqa.readers import markdown, plaintext
from mtqa.readers.bilingual import Units, parse_jsonl, parse_tsv
from mtqa.readers.blocks import segments_from_blocks
from mtqa.readers.encoding import decode, read_bytes, read_text
from mtqa.readers.po import decode_po, parse_po
from mtqa.readers.safexml import decode_xml, xml_pieces
from mtqa.readers.tmx import parse_tmx
from mtqa.readers.xliff import iter_xliff_files, parse_xliff
from mtqa.text.langdetect import detect

# extension -> format name
EXTENSIONS: dict[str, str] = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".tsv": "tsv", ".tab": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xlf": "xliff", ".xliff": "xliff", ".xlf2": "xliff", ".sdlxliff": "xliff",
    ".tmx": "tmx",
    ".po": "po", ".pot": "po",
}
# format name -> parser(text, file name) -> Units
BILINGUAL: dict[str, Callable[[str, str], Units]] = {
    "tsv": parse_tsv, "jsonl": parse_jsonl, "xliff": parse_xliff, "tmx": parse_tmx,
    "po": parse_po,
}
# Formats whose parser also takes (source_lang, target_lang): a TMX holds many
# languages and the flags choose the pair.
CHOOSES_LANGS = frozenset({"tmx"})
# XML and PO say their encoding in the file; these decoders honour it.
DECODERS: dict[str, Callable[[bytes, str], str]] = {
    "xliff": decode_xml, "tmx": decode_xml, "po": decode_po,
}


def format_of(path: str | os.PathLike[str]) -> str:
    """The format of ``path`` from its extension; plain text when unknown."""
    return EXTENSIONS.get(Path(path).suffix.lower(), "text")


def is_bilingual(path: str | os.PathLike[str]) -> bool:
    return format_of(path) in BILINGUAL


def read_document(path: str | os.PathLike[str], lang: str | None = None) -> Document:
    """Read a monolingual file (plain text or Markdown) and split it into sentences."""
    name = str(path)
    fmt = format_of(path)
    if fmt in BILINGUAL:
        raise InputError(name, f"{fmt} is a bilingual format: give it as the translation, "
                               "not as --source or --reference")
    text = read_text(path)
    return parse_document(text, name, fmt, lang)


def parse_document(text: str, name: str | None, fmt: str = "text",
                   lang: str | None = None) -> Document:
    """Segment already-decoded ``text`` as a document of format ``fmt``."""
    found = (markdown if fmt == "markdown" else plaintext).blocks(text)
    if not found:
        raise InputError(name, "no prose found in the file")
    code = lang or detect(text)
    return Document(path=name, lang=code, segments=segments_from_blocks(text, found, code, fmt == "markdown"),
                    format=fmt)


def read_bilingual(path: str | os.PathLike[str], source_lang: str | None = None,
                   target_lang: str | None = None) -> tuple[Document, Document, Document | None]:
    """Read a bilingual file into (source, target, reference) with one segment per unit."""
    name = str(path)
    fmt = format_of(path)
    text = DECODERS.get(fmt, decode)(read_bytes(path), name)
    if fmt in CHOOSES_LANGS:
        units = BILINGUAL[fmt](text, name, source_lang, target_lang)  # type: ignore[call-arg]
    else:
        units = BILINGUAL[fmt](text, name)
    return documents_from_units(units, name, fmt, source_lang, target_lang)


def iter_bilingual(path: str | os.PathLike[str], source_lang: str | None = None,
                   target_lang: str | None = None
                   ) -> Iterator[tuple[Document, Document, Document | None]]:
    """``read_bilingual`` document by document: an XLIFF file gives one document per
    ``<file>`` (see ``iter_xliff_files`` for their names), each as soon as the parse
    has read it, from a file read a piece at a time; other formats give one."""
    name = str(path)
    if format_of(path) != "xliff":
        yield read_bilingual(path, source_lang, target_lang)
        return
    for part, units in iter_xliff_files(xml_pieces(name), name):
        yield documents_from_units(units, part, "xliff", source_lang, target_lang)


def documents_from_units(units: Units, name: str, fmt: str, source_lang: str | None,
                         target_lang: str | None) -> tuple[Document, Document, Document | None]:
    """Wrap parsed units as three parallel documents, detecting languages when unknown."""
    src_lang = source_lang or units.source_lang or _detect_segments(units.source)
    tgt_lang = target_lang or units.target_lang or _detect_segments(units.target)
    info = tuple(units.info or ())
    source = Document(name, src_lang, tuple(units.source), fmt, info)
    target = Document(name, tgt_lang, tuple(units.target), fmt, info)
    reference = (Document(name, tgt_lang, tuple(units.reference), fmt)
                 if units.reference is not None else None)
    return source, target, reference


def _detect_segments(segments: list[Segment]) -> str:
    return detect("\n".join(s.text for s in segments[:500]))
