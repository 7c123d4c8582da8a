"""Bilingual files that are aligned already: one unit (source, target, reference) a line.

TSV: ``source<TAB>target[<TAB>reference]``; an optional header line naming the columns
(``source``, ``target``, ``reference``) is recognised and skipped. JSONL: one object a
line with ``source`` and ``target`` (and optionally ``reference`` and ``id``). Empty lines
are skipped. A unit is never re-segmented: bead *i* is unit *i*.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from mtqa.errors import InputError
from mtqa.model import Segment, UnitInfo

# json.loads joins a valid pair of \u escapes into one character, so any surrogate
# code point left in a decoded string is a lone one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_HEADER_NAMES = {"source", "target", "reference", "src", "tgt", "ref", "mt"}


@dataclass(frozen=True)
class Units:
    """The three parallel columns of a bilingual file (reference may be empty).

    Localisation formats also give ``info`` (one ``UnitInfo`` per unit: id, state,
    notes) and the languages the file declares, which win over detection.
    """

    source: list[Segment]
    target: list[Segment]
    reference: list[Segment] | None
    info: list[UnitInfo] | None = None
    source_lang: str | None = None
    target_lang: str | None = None


def parse_tsv(text: str, name: str) -> Units:
    src: list[Segment] = []
    tgt: list[Segment] = []
    ref: list[Segment] = []
    width = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if width is None and {c.strip().lower() for c in cells} <= _HEADER_NAMES:
            width = len(cells)
            continue
        if len(cells) not in (2, 3):
            raise InputError(name, f"expected 2 or 3 tab-separated columns "
                                   f"(source, target[, reference]), found {len(cells)}", number)
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            raise InputError(name, f"ragged TSV: {len(cells)} columns here, {width} before", number)
        unit = str(number)
        column = 1
        for cell, out in zip(cells, (src, tgt, ref)):
            out.append(_cell(cell, number, column, len(src), unit))
            column += len(cell) + 1
    if not tgt:
        raise InputError(name, "no translation units found")
    return Units(src, tgt, ref if width == 3 else None)


def _cell(cell: str, line: int, column: int, block: int, unit: str) -> Segment:
    body = cell.strip()
    lead = len(cell) - len(cell.lstrip())
    return Segment(text=body, line=line, column=column + lead, block=block, kind="unit",
                   unit_id=unit)


def parse_jsonl(text: str, name: str) -> Units:
    src: list[Segment] = []
    tgt: list[Segment] = []
    ref: list[Segment] = []
    has_ref = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(name, f"invalid JSON: {exc.msg} (column {exc.colno})", number) from None
        except RecursionError:
            raise InputError(name, "JSON nested too deeply", number) from None
        if not isinstance(obj, dict):
            raise InputError(name, "each line must be a JSON object", number)
        for key in ("source", "target"):
            if not isinstance(obj.get(key), str):
                raise InputError(name, f"missing or non-string {key!r}", number)
        reference = obj.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise InputError(name, "'reference' must be a string", number)
        if has_ref is None:
            has_ref = reference is not None
        elif has_ref != (reference is not None):
            raise InputError(name, "'reference' must be on every line or on none", number)
        unit = str(obj.get("id", number))
        block = len(tgt)
        for key, out in (("source", src), ("target", tgt), ("reference", ref)):
            value = obj.get(key)
            if value is None:
                continue
            # Where the JSON string starts on the line; offsets inside it are exact
            # unless the string has escapes.
            column = _value_column(line, key)
            surrogate = _LONE_SURROGATE.search(value)
            if surrogate:
                # "\ud800" is valid JSON but not Unicode text: it cannot be written out.
                raise InputError(name, f"{key!r} has a lone surrogate "
                                       f"\\u{ord(surrogate.group()):04x} (not valid Unicode)",
                                 number)
            out.append(Segment(text=value.strip(), line=number, column=column, block=block,
                               kind="unit", unit_id=unit))
    if not tgt:
        raise InputError(name, "no translation units found")
    return Units(src, tgt, ref if has_ref else None)


def _value_column(line: str, key: str) -> int:
    marker = f'"{key}"'
    at = line.find(marker)
    if at < 0:
        return 1
    quote = line.find('"', line.find(":", at + len(marker)) + 1)
    return quote + 2 if quote >= 0 else 1
