"""Paired significance tests for scores that are a mean over segments.

sacrebleu tests BLEU, chrF++ and TER against a baseline system with paired bootstrap
resampling (Koehn 2004) and paired approximate randomisation (Riezler & Maxwell 2005).
mtqa's own system scores (the MQM estimate, the consensus, the cosine to a reference)
are means of per-segment values, so the same two tests are implemented here for such
means, drawing the same random numbers as sacrebleu 2.x does for the same seed and
number of samples, and counting the same way (``stats > observed``, plus one in
numerator and denominator). ``tests/test_significance.py`` checks that the p-values
equal sacrebleu's own on a metric that is a mean of segment values.

- Bootstrap: resample the segments with replacement ``samples`` times, the same
  resample for both systems; the p-value compares the observed absolute difference of
  the means with the resampled absolute differences shifted to zero mean. The 95%
  interval of a system's mean is the 2.5th-97.5th percentile of its resampled means
  (reported as the mean and the half-width, as sacrebleu does).
- Approximate randomisation: in each trial, swap the two systems' values of each
  segment with probability 1/2; the p-value is the share of trials whose absolute
  difference of the means exceeds the observed one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SAMPLES = 1000
AR_TRIALS = 10000


@dataclass(frozen=True)
class Interval:
    """A system's score with its bootstrap mean and 95% confidence half-width."""

    score: float
    mean: float
    ci: float


def confidence(resampled: np.ndarray) -> tuple[float, float]:
    """Mean and 95% half-width of resampled scores (sacrebleu's ``estimate_ci``)."""
    mean = float(np.mean(resampled))
    lo, hi = np.percentile(resampled, [2.5, 97.5])
    return mean, float((hi - lo) / 2)


def _p_value(stats: np.ndarray, observed: float) -> float:
    return (int(np.sum(stats > observed)) + 1) / (len(stats) + 1)


def bootstrap_indices(n: int, samples: int, seed: int) -> np.ndarray:
    """The resampled segment indices, ``samples`` rows of ``n``: the same draws as
    sacrebleu's paired bootstrap for this seed."""
    return np.random.default_rng(seed).choice(n, size=(samples, n), replace=True)


def paired_bootstrap(baseline: np.ndarray, system: np.ndarray, samples: int = BOOTSTRAP_SAMPLES,
                     seed: int = 12345) -> tuple[Interval, Interval, float]:
    """Paired bootstrap test of the mean of ``system`` against that of ``baseline``.

    Returns the baseline's and the system's intervals and the p-value of the difference.
    """
    base, sys_ = np.asarray(baseline, float), np.asarray(system, float)
    idx = bootstrap_indices(len(base), samples, seed)
    rb, rs = base[idx].mean(axis=1), sys_[idx].mean(axis=1)
    diffs = np.abs(rs - rb)
    p = _p_value(diffs - diffs.mean(), abs(float(sys_.mean() - base.mean())))
    return (Interval(float(base.mean()), *confidence(rb)),
            Interval(float(sys_.mean()), *confidence(rs)), p)


def paired_randomisation(baseline: np.ndarray, system: np.ndarray, trials: int = AR_TRIALS,
                         seed: int = 12345) -> float:
    """p-value of the paired approximate randomisation test of the two means."""
    base, sys_ = np.asarray(baseline, float), np.asarray(system, float)
    n = len(base)
    swap = np.random.default_rng(seed).integers(2, size=(trials, n), dtype=bool)
    keep = ~swap
    # The two shuffled pseudo-systems of each trial, as sums (means differ by 1/n only).
    a = swap @ base + keep @ sys_
    b = keep @ base + swap @ sys_
    return _p_value(np.abs(a - b) / n, abs(float(sys_.mean() - base.mean())))
