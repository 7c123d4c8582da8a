"""Reading a corpus as a stream of pairs, in batches, in memory bounded by the batch.

Formats (by extension, as ``mtqa check`` knows them): TSV (``source<TAB>target
[<TAB>reference]``, optional header), JSONL (``source``, ``target``, optional
``reference`` and ``id``), Parquet (columns ``source``, ``target``, optional
``reference`` and ``id``), TMX and XLIFF (parsed as a stream with mtqa's guarded expat
set-up, a piece of the file at a time).

A pair that cannot be read becomes an *error pair* (``error`` set, texts empty) rather
than stopping the run, so nothing is lost silently: a line with the wrong number of
columns, a line that is not UTF-8 or not a JSON object, a side longer than
``MAX_CHARS``. A malformed XML file ends in one error pair that says where it broke
(what follows cannot be read). Errors about a whole file (missing, a Parquet file
without a ``source`` column) are ``InputError``\\ s before anything runs.
"""
from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mtqa.errors import InputError
from mtqa.readers import EXTENSIONS
from mtqa.readers.safexml import Handler, stream_pieces
from mtqa.readers.tmx import (
    _Reader as TmxReader,  # the handlers of mtqa check's readers
)
from mtqa.readers.xliff import _Reader as XliffReader
from mtqa.readers.xliff import primary_lang
from mtqa.text.langdetect import detect

# A side longer than this is an error pair: real translation units are far shorter,
# and a runaway "sentence" (a whole file on one line) would blow up the checks' cost.
MAX_CHARS = 20_000
# A line is read at most this far; the rest of a longer line is skipped, unread.
MAX_LINE_BYTES = 4 * MAX_CHARS * 4
FORMATS = ("tsv", "jsonl", "parquet", "tmx", "xliff")
_EXTRA = {".parquet": "parquet", ".pq": "parquet"}
_HEADER_NAMES = {"source", "target", "reference", "src", "tgt", "ref", "mt"}
_XML_PIECE = 1 << 16
_DECLARED = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
# How many pairs the language probe reads from the start of an input.
PROBE_PAIRS = 500


@dataclass(frozen=True)
class Pair:
    """One unit of a corpus: ``index`` counts every pair of its input from 0, error
    pairs included; ``id`` is the unit's id in the file (line number for TSV/JSONL
    without ids, row number for Parquet)."""

    index: int
    id: str
    source: str = ""
    target: str = ""
    reference: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Batch:
    """``pairs`` of input number ``input``, the ``number``-th batch of that input;
    ``done_bytes`` is how far into the file the reader is after it (for progress)."""

    input: int
    number: int
    pairs: list[Pair]
    done_bytes: int = 0


def format_of(path: str) -> str:
    """The corpus format of ``path`` from its extension (an ``InputError`` if none)."""
    suffix = Path(path).suffix.lower()
    fmt = _EXTRA.get(suffix) or EXTENSIONS.get(suffix)
    if fmt not in FORMATS:
        raise InputError(path, f"not a corpus format (expected {', '.join(FORMATS)} by "
                               "its extension)")
    return fmt


def check_readable(path: str) -> None:
    """Fail early, before any work, on a file that cannot be read at all."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a directory, not a file")
    if not os.access(p, os.R_OK):
        raise InputError(path, "permission denied")
    if format_of(path) == "parquet":
        _parquet_columns(path)


def read_pairs(path: str, source_lang: str | None = None,
               target_lang: str | None = None) -> Iterator[tuple[Pair, int]]:
    """Every pair of ``path`` in file order, each with the bytes read so far."""
    fmt = format_of(path)
    if fmt in ("tsv", "jsonl"):
        yield from _lines(path, fmt)
    elif fmt == "parquet":
        yield from _parquet(path)
    else:
        yield from _xml(path, fmt, source_lang, target_lang)


def batches(number: int, path: str, size: int, source_lang: str | None = None,
            target_lang: str | None = None) -> Iterator[Batch]:
    """The pairs of input ``number`` in batches of ``size`` (the last may be short).
    Batch boundaries depend only on the input and ``size``, so every engine and every
    resumed run sees the same batches."""
    pending: list[Pair] = []
    count = 0
    done = 0
    for pair, done in read_pairs(path, source_lang, target_lang):
        pending.append(pair)
        if len(pending) == size:
            yield Batch(number, count, pending, done)
            count += 1
            pending = []
    if pending:
        yield Batch(number, count, pending, done)


def probe_langs(path: str, source_lang: str | None = None,
                target_lang: str | None = None) -> tuple[str, str]:
    """The language pair of an input: the flags, else what the file declares (TMX,
    XLIFF), else the languages detected on its first ``PROBE_PAIRS`` pairs."""
    if source_lang and target_lang:
        return source_lang, target_lang
    sources: list[str] = []
    targets: list[str] = []
    declared: tuple[str | None, str | None] = (None, None)
    fmt = format_of(path)
    if fmt in ("tmx", "xliff"):
        declared = _declared_langs(path, source_lang, target_lang)
    for pair, _ in read_pairs(path, source_lang, target_lang):
        if pair.error is None:
            sources.append(pair.source)
            targets.append(pair.target)
        if len(sources) >= PROBE_PAIRS:
            break
    src = source_lang or declared[0] or detect("\n".join(sources))
    tgt = target_lang or declared[1] or detect("\n".join(targets))
    return src, tgt


# ------------------------------------------------------------------ TSV and JSONL

def _lines(path: str, fmt: str) -> Iterator[tuple[Pair, int]]:
    index = 0
    width: int | None = None
    with open(path, "rb") as fh:
        for number, (raw, too_long) in enumerate(_bounded_lines(fh), start=1):
            done = fh.tell()
            if too_long:
                yield Pair(index, str(number), error=f"line {number}: longer than "
                                                     f"{MAX_LINE_BYTES} bytes"), done
                index += 1
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Pair(index, str(number), error=f"line {number}: not UTF-8 "
                                                     f"(byte {exc.start + 1})"), done
                index += 1
                continue
            if number == 1:
                line = line.lstrip("\ufeff")
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if fmt == "tsv":
                cells = line.split("\t")
                if width is None and {c.strip().lower() for c in cells} <= _HEADER_NAMES:
                    width = len(cells)
                    continue
                pair = _tsv_pair(cells, width, index, number)
                if width is None and pair.error is None:
                    width = len(cells)
            else:
                pair = _jsonl_pair(line, index, number)
            yield _bounded(pair), done
            index += 1


def _bounded_lines(fh: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Lines of at most ``MAX_LINE_BYTES``; a longer line is skipped in pieces (never
    held whole) and reported as ``(b"", True)``."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield b"", True
        else:
            yield line, False


def _tsv_pair(cells: list[str], width: int | None, index: int, number: int) -> Pair:
    if len(cells) not in (2, 3):
        return Pair(index, str(number), error=f"line {number}: expected 2 or 3 tab-separated "
                                              f"columns, found {len(cells)}")
    if width is not None and len(cells) != width:
        return Pair(index, str(number), error=f"line {number}: {len(cells)} columns here, "
                                              f"{width} before")
    return Pair(index, str(number), cells[0].strip(), cells[1].strip(),
                cells[2].strip() if len(cells) == 3 else None)


def _jsonl_pair(line: str, index: int, number: int) -> Pair:
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return Pair(index, str(number), error=f"line {number}: invalid JSON ({reason})")
    if not isinstance(obj, dict):
        return Pair(index, str(number), error=f"line {number}: not a JSON object")
    for key in ("source", "target"):
        if not isinstance(obj.get(key), str):
            return Pair(index, str(number), error=f"line {number}: missing or non-string "
                                                  f"{key!r}")
    reference = obj.get("reference")
    if reference is not None and not isinstance(reference, str):
        return Pair(index, str(number), error=f"line {number}: 'reference' is not a string")
    unit = obj.get("id")
    unit_id = str(unit) if isinstance(unit, (str, int)) and not isinstance(unit, bool) \
        else str(number)
    return Pair(index, unit_id[:200], obj["source"].strip(), obj["target"].strip(),
                reference.strip() if reference is not None else None)


def _bounded(pair: Pair) -> Pair:
    """The pair, or an error pair when one of its sides is over ``MAX_CHARS``."""
    if pair.error is None and max(len(pair.source), len(pair.target),
                                  len(pair.reference or "")) > MAX_CHARS:
        return Pair(pair.index, pair.id, error=f"unit {pair.id}: a side is longer than "
                                               f"{MAX_CHARS} characters")
    return pair


# ------------------------------------------------------------------ Parquet

def _parquet_columns(path: str) -> tuple[str, str, str | None, str | None]:
    """The names of the (source, target, reference, id) columns of a Parquet file."""
    import pyarrow.parquet as pq

    try:
        names = pq.ParquetFile(path).schema_arrow.names
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
        raise InputError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
    lower = {n.lower(): n for n in names}

    def pick(*options: str) -> str | None:
        return next((lower[o] for o in options if o in lower), None)

    src, tgt = pick("source", "src"), pick("target", "tgt", "mt")
    if src is None or tgt is None:
        raise InputError(path, f"a Parquet corpus needs 'source' and 'target' columns "
                               f"(it has: {', '.join(names) or 'none'})")
    return src, tgt, pick("reference", "ref"), pick("id")


def _parquet(path: str) -> Iterator[tuple[Pair, int]]:
    import pyarrow.parquet as pq

    src, tgt, ref, key = _parquet_columns(path)
    columns = [c for c in (src, tgt, ref, key) if c is not None]
    file = pq.ParquetFile(path)
    total = max(1, file.metadata.num_rows)
    size = os.path.getsize(path)
    index = 0
    for record in file.iter_batches(batch_size=4096, columns=columns):
        data = record.to_pydict()
        for row in range(record.num_rows):
            values = {c: data[c][row] for c in columns}
            unit_id = values[key] if key is not None else None
            number = str(unit_id) if unit_id is not None else str(index + 1)
            pair = _parquet_pair(values, src, tgt, ref, index, number[:200])
            index += 1
            yield _bounded(pair), size * index // total


def _parquet_pair(values: dict[str, Any], src: str, tgt: str, ref: str | None, index: int,
                  unit_id: str) -> Pair:
    for column in (src, tgt):
        if not isinstance(values[column], str):
            return Pair(index, unit_id, error=f"row {index + 1}: {column!r} is "
                                              f"{'null' if values[column] is None else 'not a string'}")
    reference = values[ref] if ref is not None else None
    if reference is not None and not isinstance(reference, str):
        return Pair(index, unit_id, error=f"row {index + 1}: {ref!r} is not a string")
    return Pair(index, unit_id, values[src].strip(), values[tgt].strip(),
                reference.strip() if reference is not None else None)


# ------------------------------------------------------------------ TMX and XLIFF

def _xml_codec(head: bytes) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return codec
    declared = _DECLARED.match(head.lstrip()[:300])
    if declared is None:
        return "utf-8"
    try:
        return codecs.lookup(declared.group(1).decode("ascii")).name
    except LookupError:
        return "utf-8"


def _xml_handler(path: str, fmt: str, source_lang: str | None,
                 target_lang: str | None) -> Handler:
    if fmt == "tmx":
        return TmxReader(path, source_lang, target_lang)
    return XliffReader(path)


def _declared_langs(path: str, source_lang: str | None,
                    target_lang: str | None) -> tuple[str | None, str | None]:
    """The languages a TMX or XLIFF file declares, read from its first units."""
    handler = _xml_handler(path, format_of(path), source_lang, target_lang)
    try:
        for _ in _parse(path, handler):
            if handler.out[1]:  # type: ignore[attr-defined]
                break
    except (InputError, UnicodeDecodeError):
        pass
    if isinstance(handler, TmxReader):
        return (primary_lang(handler.src_key or handler.source_lang),
                primary_lang(handler.tgt_key or handler.target_lang))
    assert isinstance(handler, XliffReader)
    return primary_lang(handler.src_lang), primary_lang(handler.tgt_lang)


def _parse(path: str, handler: Handler) -> Iterator[int]:
    """Parse ``path`` into ``handler`` a piece at a time; yields the bytes read so far."""
    read = 0

    def pieces(fh: IO[bytes]) -> Iterator[str]:
        nonlocal read
        head = fh.read(_XML_PIECE)
        decoder = codecs.getincrementaldecoder(_xml_codec(head))("strict")
        chunk = head
        while chunk:
            read += len(chunk)
            yield decoder.decode(chunk)
            chunk = fh.read(_XML_PIECE)
        yield decoder.decode(b"", final=True)

    with open(path, "rb") as fh:
        for _ in stream_pieces(pieces(fh), path, handler):
            yield read


def _xml(path: str, fmt: str, source_lang: str | None,
         target_lang: str | None) -> Iterator[tuple[Pair, int]]:
    handler = _xml_handler(path, fmt, source_lang, target_lang)
    out = handler.out  # type: ignore[attr-defined]  # (sources, targets, infos) so far
    index = 0
    done = 0
    try:
        for done in _parse(path, handler):
            for source, target, info in zip(out[0], out[1], out[2]):
                yield _bounded(Pair(index, info.id, source.text, target.text)), done
                index += 1
            for side in out:
                side.clear()
    except InputError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        yield Pair(index, "", error=f"{where}{exc.message}; the rest of the file is not read"), \
            os.path.getsize(path)
    except UnicodeDecodeError as exc:
        yield Pair(index, "", error=f"not valid {exc.encoding}; the rest of the file is not "
                                    "read"), os.path.getsize(path)
