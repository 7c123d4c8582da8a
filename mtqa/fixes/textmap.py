"""Positions for ``mtqa fix``: the file's bytes as text, and offsets between the text the
readers see (line ends made ``\\n``) and the text as written (CRLF kept)."""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass

from mtqa.errors import InputError

# The byte-order marks the readers recognise, in the order they test them.
from mtqa.readers.encoding import _BOMS, _utf16_without_bom

_XML_DECLARED = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_PO_CHARSET = re.compile(rb"charset=([A-Za-z0-9._-]{1,40})")


@dataclass(frozen=True)
class FileMap:
    """A file's byte-order mark, its encoding and its text as written."""

    bom: bytes
    encoding: str
    text: str

    @staticmethod
    def strip_bom(data: bytes) -> bytes:
        for bom, _ in _BOMS:
            if data.startswith(bom):
                return data[len(bom):]
        return data

    @classmethod
    def sniff(cls, data: bytes, name: str) -> FileMap:
        """The encoding the readers decoded ``data`` with, found the same way: the BOM,
        the encoding the file declares, UTF-16 without a BOM, UTF-8, then detection."""
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                return cls(bom, encoding, data[len(bom):].decode(encoding))
        candidates = []
        declared = _XML_DECLARED.match(data.lstrip()[:300]) or _PO_CHARSET.search(data[:4096])
        if declared is not None:
            try:
                candidates.append(codecs.lookup(declared.group(1).decode("ascii")).name)
            except LookupError:
                pass
        bomless = _utf16_without_bom(data)
        if bomless:
            candidates.append(bomless)
        candidates.append("utf-8")
        for encoding in candidates:
            try:
                return cls(b"", encoding, data.decode(encoding))
            except UnicodeDecodeError:
                continue
        from charset_normalizer import from_bytes  # only for legacy encodings

        best = from_bytes(data[:1_000_000]).best()
        guess = best.encoding if best is not None else None
        if guess in {"gb2312", "gbk"}:
            guess = "gb18030"
        if guess:
            try:
                return cls(b"", guess, data.decode(guess))
            except (UnicodeDecodeError, LookupError):
                pass
        raise InputError(name, "cannot fix: the encoding of the file is not known")

    def normal(self) -> str:
        """The text as the readers see it: every line end a ``\\n``."""
        return self.text.replace("\r\n", "\n").replace("\r", "\n")


class TextMap:
    """The text as written (``raw``) and as read (``normal``), with offsets between them:
    ``\\r\\n`` is one character when read and two as written."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.normal = raw.replace("\r\n", "\n").replace("\r", "\n")
        # Normalised offsets of the "\n" that stand for a "\r\n".
        self.crlf: list[int] = []
        at = raw.find("\r\n")
        while at >= 0:
            self.crlf.append(at - len(self.crlf))
            at = raw.find("\r\n", at + 2)
        self.lines = [0]
        at = self.normal.find("\n")
        while at >= 0:
            self.lines.append(at + 1)
            at = self.normal.find("\n", at + 1)

    def offset(self, line: int, column: int) -> int:
        """The normalised offset of 1-based ``line``/``column``."""
        if not 1 <= line <= len(self.lines):
            return -1
        return self.lines[line - 1] + column - 1

    def to_raw(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.crlf, offset)

    def whole_line(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the line(s) holding ``normal[start:end]`` with their line end,
        when nothing but blanks is on them outside the span; else None."""
        first = self.normal.rfind("\n", 0, start) + 1
        last = self.normal.find("\n", end)
        stop = len(self.normal) if last < 0 else last
        if self.normal[first:start].strip() or self.normal[end:stop].strip():
            return None
        if last >= 0:
            return first, last + 1
        # The last line, without a newline after it: take the line ends (and empty
        # lines) before it, so that the file still ends without one.
        start = max(0, first - 1)
        while start > 0 and self.normal[start - 1] == "\n":
            start -= 1
        return start, stop

    def apply(self, edits: list[tuple[int, int, str]]) -> str:
        """The raw text with non-overlapping ``(start, end, replacement)`` edits, given in
        normalised offsets, applied."""
        parts = []
        pos = 0
        for start, end, text in sorted(edits):
            s, e = self.to_raw(start), self.to_raw(end)
            parts.append(self.raw[pos:s])
            parts.append(text)
            pos = e
        parts.append(self.raw[pos:])
        return "".join(parts)
