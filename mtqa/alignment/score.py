"""Scoring a sentence alignment against a gold alignment.

The measure is the one of Sennrich & Volk (2010), as Vecalign's scorer computes it:

* A bead is a pair (source sentence ids, target sentence ids); beads empty on both sides
  are ignored, and so are repeated beads.
* Strict: a predicted bead is right only when it is exactly a gold bead.
* Lax: a predicted bead is also right when it shares a source sentence and a target
  sentence with one gold bead (it overlaps a right answer on both sides). A one-sided
  bead (1-0 or 0-1) can only be right by being exactly a gold bead.
* Precision is measured over the predicted beads. Recall is the same count with the
  roles swapped, over the beads that pair something on both sides only: finding an
  omission or an addition counts towards precision, not recall.
* Counts are summed over documents before the ratios are taken (micro average).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    """Right and wrong beads under the strict and the lax measure."""

    strict_right: int = 0
    strict_wrong: int = 0
    lax_right: int = 0
    lax_wrong: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.strict_right + other.strict_right,
                      self.strict_wrong + other.strict_wrong,
                      self.lax_right + other.lax_right, self.lax_wrong + other.lax_wrong)


@dataclass(frozen=True)
class AlignmentScore:
    """Precision, recall and F1, strict and lax."""

    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float


def _clean(beads: Iterable[Sequence[Sequence[int]]]) -> set[BeadIds]:
    out = set()
    for src, tgt in beads:
        if src or tgt:
            out.add((tuple(src), tuple(tgt)))
    return out


def bead_counts(gold: Iterable[Sequence[Sequence[int]]],
                test: Iterable[Sequence[Sequence[int]]]) -> Counts:
    """How many beads of ``test`` are right, strictly and laxly, against ``gold``."""
    gold_set = _clean(gold)
    linked: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            linked[i].update(tgt)
    sr = sw = lr = lw = 0
    for bead in _clean(test):
        if bead in gold_set:
            sr += 1
            lr += 1
            continue
        sw += 1
        src, tgt = bead
        reachable = set().union(*(linked[i] for i in src)) if src else set()
        if reachable & set(tgt):
            lr += 1
        else:
            lw += 1
    return Counts(sr, sw, lr, lw)


def _two_sided(beads: Iterable[Sequence[Sequence[int]]]) -> list[BeadIds]:
    return [(tuple(s), tuple(t)) for s, t in beads if s and t]


def score_alignments(pairs: Iterable[tuple[Sequence[Sequence[Sequence[int]]],
                                           Sequence[Sequence[Sequence[int]]]]]
                     ) -> AlignmentScore:
    """Micro-averaged scores over documents, from (gold beads, predicted beads) pairs."""
    prec = Counts()
    rec = Counts()
    for gold, test in pairs:
        prec = prec + bead_counts(gold, test)
        rec = rec + bead_counts(_two_sided(test), _two_sided(gold))
    sp = _ratio(prec.strict_right, prec.strict_right + prec.strict_wrong)
    sr = _ratio(rec.strict_right, rec.strict_right + rec.strict_wrong)
    lp = _ratio(prec.lax_right, prec.lax_right + prec.lax_wrong)
    lr = _ratio(rec.lax_right, rec.lax_right + rec.lax_wrong)
    return AlignmentScore(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def _ratio(right: int, total: int) -> float:
    # Nothing predicted (or nothing to find) is neither right nor wrong: 0, as Vecalign.
    return right / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
