"""Agreement among systems: how close one translation is to the other systems'
translations of the same source.

When several systems translate the same text, the errors of one system are seldom
shared by the others, so a translation that agrees with the rest is more often right.
On the WMT MQM data (``benchmarks/consensus_eval.py``) this ranks the translations of a
source segment closer to professional raters than any signal that looks at one
translation alone. It fails where most systems share an error, and it says nothing
about a single system, so ``mtqa compare`` reports it beside the per-translation
estimate, never instead of it.

All functions take the n outputs for ONE segment (one per system) and return one value
per system, higher meaning more agreement. With fewer than two outputs there is
nothing to agree with and every value is 0.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtqa.quality.metrics import sentence_chrf


def cosine_agreement(vectors: np.ndarray) -> np.ndarray:
    """Mean cosine of each row of ``vectors`` (unit rows, one per system) to the others."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n)
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v = v / np.where(norms == 0, 1, norms)
    sims = v @ v.T
    return (sims.sum(axis=1) - np.diag(sims)) / (n - 1)


def chrf_agreement(outputs: Sequence[str]) -> np.ndarray:
    """Mean sentence chrF++ (0..100) of each output scored against each other output."""
    n = len(outputs)
    if n < 2:
        return np.zeros(n)
    scores = np.zeros(n)
    for i, hyp in enumerate(outputs):
        scores[i] = sum(sentence_chrf(hyp, ref) for j, ref in enumerate(outputs) if j != i)
    return scores / (n - 1)


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks scaled to 0..1 (1 = highest); tied values share their mean rank."""
    n = len(values)
    if n < 2:
        return np.full(n, 0.5)
    order = np.argsort(values, kind="stable")
    r = np.empty(n)
    r[order] = np.arange(n, dtype=float)
    for v in np.unique(values):
        tied = values == v
        if tied.sum() > 1:
            r[tied] = r[tied].mean()
    return r / (n - 1)


def rank_mean(signals: Sequence[np.ndarray]) -> np.ndarray:
    """The mean of each signal's within-segment ranks (each signal: higher is better).

    Ranks need no fitting and no common scale, so the combination of a cosine (about
    0.3..1) and a chrF (0..100) cannot be dominated by either, and it carries over to
    data it was never tuned on.
    """
    return np.mean([ranks(np.asarray(s, dtype=float)) for s in signals], axis=0)


def consensus(outputs: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """The consensus score of each output (0..1, higher is more agreement): the mean rank
    of its chrF++ agreement and, when ``vectors`` are given, its cosine agreement."""
    signals = [chrf_agreement(outputs)]
    if vectors is not None:
        signals.append(cosine_agreement(vectors))
    return rank_mean(signals)
