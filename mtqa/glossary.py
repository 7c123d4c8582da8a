"""Terminology glossaries: the model (``Term``, ``Glossary``) and loading several files.

A glossary says how source terms must be rendered: ``targets`` are the accepted
renderings (the first is the required, preferred one), ``forbidden`` the renderings that
must never appear (known calques and retired names). A term with no ``source`` is a
target-only rule: its forbidden renderings are checked even without a source document.

Files are read by format (``mtqa.readers.glossary_table`` for TSV/CSV,
``mtqa.readers.tbx`` for TBX). When several glossaries are given, a later file's entry for
the same source term replaces an earlier one, so a project glossary can override a
general one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from mtqa.errors import InputError

if TYPE_CHECKING:
    from mtqa.termmatch import PhraseMatcher

CASE_VALUES = ("sensitive", "insensitive")


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    ``targets``: accepted renderings, the preferred one first; ``forbidden``: renderings
    that must not appear; ``case``: ``sensitive`` or ``insensitive`` (how target text is
    compared); ``origin``: ``file:line`` where it was defined, for messages.
    """

    source: str
    targets: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    case: str = "insensitive"
    origin: str = ""

    def __post_init__(self) -> None:
        if self.case not in CASE_VALUES:
            raise ValueError(f"case must be sensitive or insensitive, not {self.case!r}")

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"

    @property
    def preferred(self) -> str | None:
        """The required rendering (first of ``targets``), if any."""
        return self.targets[0] if self.targets else None

    def label(self) -> str:
        """How messages name the term: its source, or its preferred rendering."""
        return self.source or self.preferred or self.forbidden[0]


@dataclass(frozen=True)
class Glossary:
    """The terms of one or more glossary files, with matchers built once on first use."""

    terms: tuple[Term, ...]
    paths: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def with_source(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.source)

    def source_matcher(self) -> PhraseMatcher:
        """Finds source terms (leftmost-longest, no overlaps; Latin-script terms
        case-insensitively)."""
        cache = self._matchers
        key = ("source",)
        if key not in cache:
            from mtqa.termmatch import PhraseMatcher

            cache[key] = PhraseMatcher([(t.source, t, False) for t in self.with_source])
        return cache[key]

    def target_matcher(self, *, ignore_case: bool = False) -> PhraseMatcher:
        """Finds accepted renderings in the target (case per term unless ``ignore_case``)."""
        key = ("target", ignore_case)
        cache = self._matchers
        if key not in cache:
            from mtqa.termmatch import PhraseMatcher

            phrases = [(r, t, t.case_sensitive and not ignore_case)
                       for t in self.terms for r in t.targets]
            cache[key] = PhraseMatcher(phrases)
        return cache[key]

    def forbidden_matcher(self) -> PhraseMatcher:
        """Finds forbidden renderings in the target (case per term)."""
        key = ("forbidden",)
        cache = self._matchers
        if key not in cache:
            from mtqa.termmatch import PhraseMatcher

            phrases = [(f, t, t.case_sensitive) for t in self.terms for f in t.forbidden]
            cache[key] = PhraseMatcher(phrases)
        return cache[key]

    @cached_property
    def _matchers(self) -> dict[tuple[object, ...], PhraseMatcher]:
        return {}

    @cached_property
    def forbidden_forms(self) -> frozenset[str]:
        """Every forbidden rendering, case-folded, for checks that defer to TE01."""
        return frozenset(f.casefold() for t in self.terms for f in t.forbidden)

    @cached_property
    def sensitive_forms(self) -> frozenset[str]:
        """Case-folded renderings of case-sensitive terms (TE03 reports their case)."""
        return frozenset(r.casefold() for t in self.terms if t.case_sensitive
                         for r in t.targets)


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
    from mtqa.readers.encoding import read_text

    name = str(path)
    suffix = Path(name).suffix.lower()
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
