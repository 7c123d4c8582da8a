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
import re
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from mtqa.errors import InputError
from mtqa.readers.encoding import decode, utf8

_DECLARED = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
         codecs.BOM_UTF32_BE)
# Feed expat in pieces so that a large file is parsed as it is walked, not all at once.
CHUNK = 1 << 20

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
