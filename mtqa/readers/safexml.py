"""Reading XML that someone else wrote, safely and in a stream.

Every XML reader of mtqa (XLIFF, TMX) parses through ``stream``, which drives the
standard library's expat parser with the guards that defusedxml applies, set up here
directly so that we keep expat's line numbers and its streaming:

* an entity declaration of any kind (``<!ENTITY ...>``, internal or external, general
  or parameter) is refused: it is how billion-laughs bombs and XXE file reads start, and
  no XLIFF/TMX/PO tool writes one. A bomb is refused at its first declaration, before
  any expansion;
* external DTDs and parameter entities are never loaded (``XML_PARAM_ENTITY_PARSING_NEVER``,
  no external-entity handler), so nothing is read from disk or the network;
* a reference to an entity that is not one of XML's five is an error, never skipped;
* an attribute default in the internal DTD (``<!ATTLIST trans-unit translate CDATA
  "no">``) is refused: one such line would silently set an attribute on every element
  (say, mark every unit as not to translate, so that none is checked). Callbacks only
  ever see the attributes written on the element itself;
* expat 2.4+ also bounds entity amplification itself (a second line of defence).

``decode_xml`` honours the byte-order mark and the encoding in the XML declaration, so a
Latin-1 TMX reads as Latin-1 and a file that lies about its encoding is an
``InputError`` with the line of the first bad byte.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from mtqa.errors import InputError
from mtqa.readers.encoding import (
    CONTROL_SAMPLE,
    CONTROLS,
    MAX_BYTES,
    MAX_CONTROL_SHARE,
    decode,
    read_bytes,
    utf8,
)

_DECLARED = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
         codecs.BOM_UTF32_BE)
# Feed expat in pieces so that a large file is parsed as it is walked, not all at once.
CHUNK = 1 << 20
# Encodings ``xml_pieces`` decodes a piece at a time: their strict decoders refuse every
# bad byte and never produce a lone surrogate, so a clean first pass proves the file
# decodes as ``decode_xml`` would decode it. Any other goes through ``decode_xml``.
_STREAMED = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                       "utf-32-le", "utf-32-be", "ascii", "iso8859-1", "iso8859-15", "cp1252"})

class _Refused(Exception):
    """Raised from inside expat's callbacks to stop the parse at a forbidden construct."""


def decode_xml(data: bytes, name: str) -> str:
    """Decode an XML file: BOM first, then the declared encoding, then detection."""
    if not data:
        raise InputError(name, "file is empty")
    if data.startswith(_BOMS):
        return decode(data, name)
    declared = _DECLARED.match(data.lstrip()[:300])
    if declared is None:
        return decode(data, name)
    label = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise InputError(name, f"the XML declaration names an unknown encoding {label!r}",
                         1) from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(name, f"not valid {label} as its XML declaration says "
                               f"(byte {exc.start})", line) from None
    except LookupError:  # base64, rot13, zlib...: codecs, but not text encodings
        raise InputError(name, f"the XML declaration names {label!r}, which is not a "
                               "text encoding", 1) from None
    # Back through the common path as UTF-8: line ends, binary and empty-file checks.
    return decode(utf8(text, name), name)


def xml_pieces(path: str) -> Iterator[str]:
    """The decoded text of XML file ``path`` in pieces of about ``CHUNK`` characters,
    read from disk a piece at a time, so that a large file is never held whole.

    The text is what ``decode_xml`` makes of the file, line ends normalised. A file up
    to ``CHUNK`` bytes, one that is not a regular file, or one whose encoding is not
    known from its BOM or declaration (or is undeclared, read as UTF-8) goes whole
    through ``decode_xml``; so does one that a first streamed pass finds anything wrong
    with (a bad byte, NUL, control characters, nothing but whitespace): its error
    message, or the detected legacy encoding, is then exactly ``decode_xml``'s.
    """
    # Not a generator: a decoding error is raised here, before the parse, so that it
    # reads as decode_xml's (the parse would add the line it had reached).
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_size <= CHUNK:
        return _sliced(decode_xml(read_bytes(path), path))
    if info.st_size > MAX_BYTES:
        raise InputError(path, f"file too large ({info.st_size} bytes; limit {MAX_BYTES})")
    try:
        with open(path, "rb") as fh:
            codec = _stream_codec(fh.read(CHUNK))
        if codec is not None and _decodes_cleanly(path, codec):
            return _decoded(path, codec)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    return _sliced(decode_xml(read_bytes(path), path))


def _sliced(text: str) -> Iterator[str]:
    for at in range(0, len(text), CHUNK):
        yield text[at:at + CHUNK]


def _stream_codec(head: bytes) -> str | None:
    """The codec a file starting with ``head`` decodes with (BOM, else declaration,
    else UTF-8), when it is one of ``_STREAMED``; else None."""
    # UTF-32-LE's BOM starts with UTF-16-LE's: test the longer ones first.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return codec
    if b"\x00" in head[:4096]:
        return None  # UTF-16 without a BOM, or binary: decode_xml tells which
    declared = _DECLARED.match(head.lstrip()[:300])
    if declared is None:
        return "utf-8"
    try:
        name = codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        return None
    return name if name in _STREAMED else None


def _decoded(path: str, codec: str) -> Iterator[str]:
    """The pieces of ``path`` decoded with ``codec``, line ends normalised to ``\\n``
    (a ``\\r`` that ends a piece waits for the next: it may start a ``\\r\\n``)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    carry = ""
    with open(path, "rb") as fh:
        while True:
            data = fh.read(CHUNK)
            text = carry + decoder.decode(data, final=not data)
            carry = text[-1:] if text.endswith("\r") and data else ""
            if carry:
                text = text[:-1]
            yield text.replace("\r\n", "\n").replace("\r", "\n")
            if not data:
                return


def _decodes_cleanly(path: str, codec: str) -> bool:
    """Whether ``path`` decodes with ``codec`` and passes ``decode``'s checks for a
    text file: no NUL, few control characters, something besides whitespace."""
    seen = 0
    controls = 0
    text_found = False
    try:
        for piece in _decoded(path, codec):
            if "\x00" in piece:
                return False
            if seen < CONTROL_SAMPLE:  # decode() judges control characters on this much
                sample = piece[:CONTROL_SAMPLE - seen]
                controls += sum(1 for ch in sample if ch in CONTROLS)
                seen += len(sample)
            text_found = text_found or bool(piece.strip())
    except UnicodeDecodeError:
        return False
    return text_found and controls <= MAX_CONTROL_SHARE * max(1, seen)


class Position:
    """Where the parser is: read ``line``/``column`` (1-based) inside a callback."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self._parser = parser

    @property
    def line(self) -> int:
        return int(self._parser.CurrentLineNumber)

    @property
    def column(self) -> int:
        return int(self._parser.CurrentColumnNumber) + 1


class Handler:
    """What ``stream`` calls back; ``pos`` tells where the parser is."""

    pos: Position

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element opens. ``tag`` is ``"namespace local"`` or ``"local"``."""

    def end(self, tag: str) -> None:
        """An element closes."""

    def chars(self, data: str) -> None:
        """Character data (entities already replaced), possibly in several pieces."""


def local(tag: str) -> tuple[str, str]:
    """``(namespace, local name)`` of an expat tag name."""
    ns, _, name = tag.rpartition(" ")
    return ns, name


def stream(text: str, name: str, handler: Handler) -> None:
    """Parse ``text`` (the decoded content of file ``name``) into ``handler``'s callbacks.

    An ``InputError`` raised by a callback gets the current line; a malformed or hostile
    document is an ``InputError`` naming the line and column.
    """
    for _ in stream_pieces((text[at:at + CHUNK] for at in range(0, len(text), CHUNK)), name,
                           handler):
        pass


def stream_pieces(pieces: Iterable[str], name: str, handler: Handler) -> Iterator[None]:
    """``stream`` for a document given in pieces (decoded text), pausing after each one
    so that the caller can take what ``handler`` collected: a file of any size is read
    in memory bounded by its largest unit (``mtqa corpus``)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    pos = Position(parser)
    handler.pos = pos

    def refuse_entity(entity: str, *_: object) -> None:
        raise _Refused(f"entity declarations are not allowed (<!ENTITY {entity} ...>: "
                       "refused as a possible XML bomb or external-entity read)")

    def refuse_unparsed(entity: str, *_: object) -> None:
        raise _Refused(f"unparsed entity {entity!r} is not allowed")

    def refuse_external(*_: object) -> int:
        raise _Refused("external entities are not allowed")

    def refuse_skipped(entity: str, is_parameter: bool) -> None:
        raise _Refused(f"undefined entity &{entity}; (external DTDs are not loaded)")

    def refuse_attlist(element: str, attribute: str, kind: str, default: str | None,
                       required: bool) -> None:
        if default is not None:
            raise _Refused(f"attribute defaults are not allowed (<!ATTLIST {element} "
                           f"{attribute} ... {default!r}> would set {attribute!r} on every "
                           f"<{element}> unseen)")

    # Second line of defence: report only attributes written on the element.
    parser.specified_attributes = True
    parser.AttlistDeclHandler = refuse_attlist
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_unparsed
    parser.ExternalEntityRefHandler = refuse_external
    parser.SkippedEntityHandler = refuse_skipped
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.chars
    try:
        for piece in pieces:
            parser.Parse(piece, False)
            yield
        parser.Parse("", True)
        yield
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise InputError(name, f"not well-formed XML: {message} (column {exc.offset + 1})",
                         exc.lineno) from None
    except _Refused as exc:
        raise InputError(name, str(exc), pos.line) from None
    except InputError as exc:
        if exc.line is None:
            raise InputError(exc.path, exc.message, pos.line) from None
        raise
    except RecursionError:
        raise InputError(name, "XML nested too deeply", pos.line) from None
