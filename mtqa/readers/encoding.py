"""Reading a file's bytes and turning them into text.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are recognised directly; UTF-16
without a BOM is recognised from its zero bytes; GB18030/GBK and other legacy encodings
are detected with charset-normalizer. Anything else is an ``InputError``, never a
silently garbled document.

A file that is UTF-8 but for a few damaged bytes (``C3 28``: an ``é`` cut in half) is
not handed to the detector, which would read all of it as some legacy encoding and turn
every accented word into gibberish. It is refused, naming the line and column of the
first bad bytes: checking it as UTF-8 with the bytes replaced would check a text other
than the one that gets published.
"""
from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from mtqa.errors import InputError

# Bigger than any document a person reviews; a guard against reading a disk image.
MAX_BYTES = 200 * 1024 * 1024

# Legacy encodings we accept from the detector. Others (say, a cp1250 guess for random
# bytes) are more often wrong than right, so we refuse rather than produce mojibake.
_ACCEPTED_GUESSES = {
    "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "hz",
    "utf_16", "utf_16_le", "utf_16_be",
    "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
    "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``, or an ``InputError`` saying why they can't be read."""
    p = Path(path)
    name = str(path)
    if name == "-":  # standard input, as every Unix filter takes it
        return _read_bounded(sys.stdin.buffer, name)
    if not p.exists():
        raise InputError(name, "no such file")
    if p.is_dir():
        raise InputError(name, "is a directory, not a file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(name, f"file too large ({size} bytes; limit {MAX_BYTES})")
        with p.open("rb") as fh:
            return _read_bounded(fh, name)
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot read file ({exc.strerror or exc})") from None


def require_regular_file(path: str | os.PathLike[str], what: str) -> None:
    """Refuse a ``path`` that exists but is not a regular file (a FIFO would block the
    run forever waiting for a writer; a device could be read without end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the read that follows says so
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(str(path), f"{what} is not a regular file (a FIFO, device or "
                                    "socket); refused")
def _read_bounded(fh: BinaryIO, name: str) -> bytes:
    """All of ``fh`` up to ``MAX_BYTES``, in pieces: ``read(MAX_BYTES + 1)`` would
    allocate the whole limit (200 MB) up front for every file, however small, and a
    pipe or a /proc file has no size to check beforehand."""
    pieces: list[bytes] = []
    total = 0
    while True:
        piece = fh.read(1 << 20)
        if not piece:
            return b"".join(pieces)
        total += len(piece)
        if total > MAX_BYTES:
            raise InputError(name, f"file too large (over {MAX_BYTES} bytes)")
        pieces.append(piece)


def decode(data: bytes, name: str) -> str:
    """Decode ``data`` (the content of file ``name``) and normalise line ends to ``\\n``."""
    if not data:
        raise InputError(name, "file is empty")
    text = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(name, "looks like a binary file (contains NUL or control characters)")
    if not text.strip():
        raise InputError(name, "file has no text (only whitespace)")
    return text


# A text file has few control characters: over this share of the first CONTROL_SAMPLE
# characters, it is taken for a binary file.
CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\f\v")
CONTROL_SAMPLE = 100_000
MAX_CONTROL_SHARE = 0.01


def _control_share(text: str) -> float:
    sample = text[:CONTROL_SAMPLE]
    return sum(1 for ch in sample if ch in CONTROLS) / max(1, len(sample))


def utf8(text: str, name: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (which some codecs, such as
    ``unicode_escape``, let through) is an InputError, not a crash."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise InputError(name, f"lone surrogate \\u{ord(text[exc.start]):04x} "
                               "(not valid Unicode)", line) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode a text file."""
    return decode(read_bytes(path), str(path))


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"invalid {encoding} after its byte-order mark "
                                       f"(byte {exc.start + len(bom)})") from None
    bomless16 = _utf16_without_bom(data)
    if bomless16:
        try:
            return data.decode(bomless16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(name, "looks like a binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _mostly_utf8(data):
        raise _damaged_utf8(data, name, utf8_error)
    return _detect(data, name, utf8_error)


# A file is damaged UTF-8, not another encoding, when its valid multi-byte UTF-8
# characters outnumber its bad sequences this many times. Legacy 8-bit text (Latin-1,
# cp1252) has almost no valid multi-byte sequences, and double-byte text (GBK, Shift-JIS)
# forms one by chance far less often than it breaks the rules.
_UTF8_MAJORITY = 3


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))  # counted in C
    good = non_ascii - text.count("\ufffd")
    return bad > 0 and good >= _UTF8_MAJORITY * bad


def _damaged_utf8(data: bytes, name: str, error: UnicodeDecodeError) -> InputError:
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    column = len(data[line_start:error.start].decode("utf-8", errors="replace")) + 1
    bad_bytes = " ".join(f"{b:02X}" for b in data[error.start:error.end + 1][:4])
    count = data.decode("utf-8", errors="replace").count("\ufffd") \
        - data.count("\ufffd".encode())
    return InputError(name, f"invalid UTF-8 at column {column} (bytes {bad_bytes}; "
                            f"{count} bad sequence(s) in a file that is otherwise UTF-8): "
                            "repair those bytes", line)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a zero in every other byte for ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _detect(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> str:
    from charset_normalizer import from_bytes  # only for non-UTF-8 files

    best = from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else None
    if encoding in _ACCEPTED_GUESSES:
        # GB2312/GBK are subsets of GB18030: decode with the superset so that rarer
        # characters in an otherwise GBK file do not fail.
        if encoding in {"gb2312", "gbk"}:
            encoding = "gb18030"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    hint = f"; best guess {encoding} was not usable" if encoding else ""
    raise InputError(
        name,
        f"cannot decode: not valid UTF-8 (byte {utf8_error.start}) and no known "
        f"encoding detected{hint}; convert the file to UTF-8",
    )
