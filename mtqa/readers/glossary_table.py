"""Glossary tables: TSV (tab-separated) and CSV with the same header.

The contract (DESIGN.md): a header line, then one term a line, with the columns
``source`` (may be empty: a target-only rule), ``target`` (the required rendering;
``|`` separates accepted alternatives), ``forbidden`` (optional, ``|``-separated),
``note`` (optional) and ``case`` (optional: ``sensitive`` or ``insensitive``, default
insensitive). Blank lines and lines starting with ``#`` are skipped. Anything else that
does not fit is an ``InputError`` naming the file and line.
"""
from __future__ import annotations

import csv
import io

from mtqa.errors import InputError
from mtqa.model import CASE_VALUES, Term

COLUMNS = ("source", "target", "forbidden", "note", "case")
REQUIRED = ("source", "target")


def _split(cell: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in cell.split("|"):
        part = " ".join(part.split())
        if part and part not in out:
            out.append(part)
    return tuple(out)


def _rows(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank, non-comment line."""
    out = []
    if delimiter == ",":
        reader = csv.reader(io.StringIO(text), delimiter=",", strict=True)
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                    continue
                out.append((line, cells))
        except csv.Error as exc:
            raise InputError(name, f"bad CSV: {exc}", reader.line_num) from None
        return out
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        out.append((number, raw.split("\t")))
    return out


def parse_table(text: str, name: str, delimiter: str = "\t") -> list[Term]:
    """Parse a TSV (``delimiter="\\t"``) or CSV glossary into terms."""
    text = text.lstrip("\ufeff")
    rows = _rows(text, name, delimiter)
    if not rows:
        raise InputError(name, "glossary has no header line")
    header_line, header = rows[0]
    columns = [h.strip().lower() for h in header]
    kind = "tab" if delimiter == "\t" else "comma"
    for col in columns:
        if col not in COLUMNS:
            hint = (f" (is the file {'comma' if kind == 'tab' else 'tab'}-separated?)"
                    if len(columns) == 1 else "")
            raise InputError(name, f"unknown glossary column {col!r}; expected "
                                   f"{', '.join(COLUMNS)}{hint}", header_line)
    for col in REQUIRED:
        if col not in columns:
            raise InputError(name, f"glossary header lacks the {col!r} column", header_line)
    if len(set(columns)) != len(columns):
        raise InputError(name, "a glossary column is named twice", header_line)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        if len(cells) > len(columns):
            raise InputError(name, f"{len(cells)} {kind}-separated fields but the header "
                                   f"has {len(columns)}", line)
        row = dict(zip(columns, [c.strip() for c in cells]))
        source = " ".join(row.get("source", "").split())
        targets = _split(row.get("target", ""))
        forbidden = _split(row.get("forbidden", ""))
        case = row.get("case", "").lower() or "insensitive"
        if case not in CASE_VALUES:
            raise InputError(name, f"case must be 'sensitive' or 'insensitive', not "
                                   f"{row.get('case')!r}", line)
        if not targets and not forbidden:
            raise InputError(name, "a term needs a target or a forbidden rendering", line)
        if not source and not forbidden:
            raise InputError(name, "a target-only rule (empty source) needs a forbidden "
                                   "rendering", line)
        folded = {t.casefold() for t in targets} if case == "insensitive" else set(targets)
        clash = [f for f in forbidden
                 if (f.casefold() if case == "insensitive" else f) in folded]
        if clash:
            raise InputError(name, f"{clash[0]!r} is both accepted and forbidden", line)
        if source:
            if source in seen:
                raise InputError(name, f"source term {source!r} is defined twice "
                                       f"(first on line {seen[source]})", line)
            seen[source] = line
        terms.append(Term(source=source, targets=targets, forbidden=forbidden,
                          note=row.get("note", ""), case=case, origin=f"{name}:{line}"))
    return terms
