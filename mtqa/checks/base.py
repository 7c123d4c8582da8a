"""What a check is: a small class with a code, a name, an MQM category, a default
severity, what it requires, and a docstring that is its user documentation."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from mtqa.config import Config
from mtqa.model import Bead, Document, Edit, Fix, Glossary, Issue, Location, Severity, locate
from mtqa.text.joined import CJK_JOIN_LANGS, Joined

if TYPE_CHECKING:
    from mtqa.alignment.embed import Encoder

# Joined and CJK_JOIN_LANGS live in mtqa.text.joined; importing them from here still works.
__all__ = ["CJK_JOIN_LANGS", "Check", "Context", "Joined", "PairCheck", "TargetCheck"]

@dataclass(frozen=True)
class Context:
    """What a check may read about one document (pair)."""

    target: Document
    source: Document | None = None
    reference: Document | None = None
    alignment: tuple[Bead, ...] = ()
    glossary: Glossary | None = None
    encoder: Encoder | None = None
    config: Config = field(default_factory=Config)

    def has(self, requirement: str) -> bool:
        return getattr(self, requirement, None) is not None

    @property
    def terms(self) -> Glossary:
        """The glossary, for a check that requires one (``applies`` saw that it is there)."""
        if self.glossary is None:
            raise ValueError("a check that requires a glossary ran without one")
        return self.glossary

    @cached_property
    def bead_sides(self) -> tuple[tuple[Joined, Joined] | None, ...]:
        """Per bead, its joined (source, target) when it has both sides; else None.

        Built once per document: every pair check and the consistency checks read them.
        """
        if self.source is None:
            return tuple(None for _ in self.alignment)
        return tuple((Joined.of(self.source, b.source), Joined.of(self.target, b.target))
                     if b.source and b.target else None for b in self.alignment)

    @cached_property
    def bead_of_target(self) -> dict[int, int]:
        """Target segment index -> index of the bead that holds it."""
        return {t: b for b, bead in enumerate(self.alignment) for t in bead.target}

    def source_of(self, target_index: int) -> str:
        """The source text aligned with target segment ``target_index`` ("" without
        one). Target checks use it to pass what a localisation unit's source has too."""
        bead = self.bead_of_target.get(target_index)
        if self.source is None or bead is None or not self.alignment[bead].source:
            return ""
        return Joined.of(self.source, self.alignment[bead].source).text

    @cached_property
    def bead_of_source(self) -> dict[int, int]:
        return {s: b for b, bead in enumerate(self.alignment) for s in bead.source}


class Check:
    """Base class of all checks. Subclasses set the class attributes and ``run``."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity] = Severity.MINOR
    requires: ClassVar[frozenset[str]] = frozenset()
    # Checks that are noisy on real text are registered but off unless selected.
    default_enabled: ClassVar[bool] = True
    # When this check fires on a target segment, "noise" checks are dropped there:
    # an untranslated sentence should not also collect punctuation and number issues.
    precondition: ClassVar[bool] = False
    noise: ClassVar[bool] = False
    # Target languages the check applies to (None: all).
    target_langs: ClassVar[frozenset[str] | None] = None
    defaults: ClassVar[Mapping[str, Any]] = {}
    # Whether the suggestion, put in place of the flagged target text, repairs the
    # issue: "safe" (``mtqa fix`` applies it), "unsafe" (only with ``--unsafe-fixes``:
    # it may change the meaning), or None (a person has to decide).
    fix_safety: ClassVar[str | None] = None
    # Whether the check attaches safe fixes of its own making (not the suggestion).
    makes_fixes: ClassVar[bool] = False

    def __init__(self, severity: Severity | None = None,
                 options: Mapping[str, Any] | None = None) -> None:
        self.level = severity or self.severity
        unknown = set(options or {}) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.code}: unknown option(s) {', '.join(sorted(unknown))}")
        self.opts = {**self.defaults, **(options or {})}

    def applies(self, ctx: Context) -> bool:
        if any(not ctx.has(r) for r in self.requires):
            return False
        return self.target_langs is None or ctx.target.lang in self.target_langs

    def run(self, ctx: Context) -> Iterator[Issue]:
        raise NotImplementedError

    def blocks(self, issue: Issue) -> bool:
        """Whether ``issue`` (one of this check's) silences the noise checks on its
        target segment. A precondition check may narrow it (a few words left
        untranslated do not make the rest of the sentence unworthy of checking)."""
        return self.precondition

    def issue(self, message: str, target: Location | None = None,
              source: Location | None = None, suggestion: str | None = None,
              severity: Severity | None = None, fix: Fix | None = None) -> Issue:
        if fix is None and self.fix_safety and suggestion is not None and target is not None:
            fix = Fix((Edit(target.start, target.end, suggestion),),
                      safe=self.fix_safety == "safe")
        return Issue(code=self.code, name=self.name, category=self.category,
                     severity=severity or self.level, message=message, target=target,
                     source=source, suggestion=suggestion, fix=fix)


class TargetCheck(Check):
    """A check that reads one target segment at a time (works without a source)."""

    def run(self, ctx: Context) -> Iterator[Issue]:
        for index, seg in enumerate(ctx.target.segments):
            if seg.text:
                yield from self.check_segment(ctx, index, seg.text)

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        raise NotImplementedError

    def flag(self, ctx: Context, index: int, start: int, end: int, message: str,
             suggestion: str | None = None, severity: Severity | None = None,
             fix: Fix | None = None) -> Issue:
        return self.issue(message, target=locate(ctx.target, index, start, end),
                          suggestion=suggestion, severity=severity, fix=fix)


class PairCheck(Check):
    """A check that compares the source and target sides of each bead."""

    requires = frozenset({"source"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        for number, sides in enumerate(ctx.bead_sides):
            if sides is not None:
                src, tgt = sides
                if src.text.strip() and tgt.text.strip():
                    yield from self.check_pair(ctx, number, src, tgt)

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        raise NotImplementedError
