"""Loading terminology glossaries: reading one file by format, merging several.

The model (``Term``, ``Glossary``) lives in ``mtqa.model``, so that readers and checks
need not import this module. A glossary says how source terms must be rendered:
``targets`` are the accepted renderings (the first is the required, preferred one),
``forbidden`` the renderings that must never appear (known calques and retired names). A
term with no ``source`` is a target-only rule: its forbidden renderings are checked even
without a source document.

Files are read by format (``mtqa.readers.glossary_table`` for TSV/CSV,
``mtqa.readers.tbx`` for TBX). When several glossaries are given, a later file's entry for
the same source term replaces an earlier one, so a project glossary can override a
general one.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from mtqa.errors import InputError

# Re-exported: code written before the model moved imports them from here.
from mtqa.model import CASE_VALUES, Glossary, Term

__all__ = ["CASE_VALUES", "Glossary", "Term", "load_glossaries", "merge", "read_glossary"]


def merge(glossaries: Iterable[Sequence[Term]]) -> tuple[Term, ...]:
    """Terms of several files in order; a later entry for a source term replaces an
    earlier one (target-only rules are all kept)."""
    by_source: dict[str, int] = {}
    out: list[Term | None] = []
    for terms in glossaries:
        for term in terms:
            if term.source:
                if term.source in by_source:
                    out[by_source[term.source]] = None
                by_source[term.source] = len(out)
            out.append(term)
    return tuple(t for t in out if t is not None)


def read_glossary(path: str | os.PathLike[str], source_lang: str | None = None,
                  target_lang: str | None = None) -> list[Term]:
    """Read one glossary file (TSV, CSV or TBX by extension); ``InputError`` on bad input."""
    from mtqa.readers.encoding import read_text, require_regular_file

    name = str(path)
    suffix = Path(name).suffix.lower()
    require_regular_file(path, "glossary")
    text = read_text(path)
    if suffix in (".tbx", ".xml"):
        from mtqa.readers.tbx import parse_tbx

        return parse_tbx(text, name, source_lang, target_lang)
    from mtqa.readers.glossary_table import parse_table

    if suffix == ".csv":
        return parse_table(text, name, ",")
    if suffix in (".tsv", ".tab", ".txt"):
        return parse_table(text, name, "\t")
    raise InputError(name, f"unknown glossary format {suffix or '(no extension)'!r} "
                           "(expected .tsv, .csv or .tbx)")


def load_glossaries(paths: Sequence[str | os.PathLike[str]], source_lang: str | None = None,
                    target_lang: str | None = None) -> Glossary | None:
    """Read and merge glossary files; ``None`` when no path is given."""
    if not paths:
        return None
    from mtqa.shipped import resolve_glossary  # `--glossary cpc-terms`: a shipped one

    paths = [resolve_glossary(str(p)) for p in paths]
    terms = merge(read_glossary(p, source_lang, target_lang) for p in paths)
    return Glossary(terms=terms, paths=tuple(str(p) for p in paths))
