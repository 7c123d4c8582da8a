"""Per-bead confidence: the posterior probability of each bead over all alignments."""
from __future__ import annotations

import math

import numpy as np
import pytest

from mtqa.alignment.aligner import EmbeddingAligner, _Band, _Posterior, bead_shapes
from mtqa.testing import FakeEncoder

SHAPES = bead_shapes(4)


def _brute_force(n: int, m: int, logw: np.ndarray, band: _Band,
                 skip: float = 0.0) -> dict[tuple[int, int, int], float]:
    """Marginal of every (shape, end cell) by enumerating every path from (0,0) to (n,m);
    shape -1 is a 0-1 insertion (log-weight -skip)."""
    paths: list[tuple[float, list[tuple[int, int, int]]]] = []

    def walk(i: int, j: int, weight: float, steps: list[tuple[int, int, int]]) -> None:
        if (i, j) == (n, m):
            paths.append((weight, list(steps)))
            return
        if j + 1 <= m:
            walk(i, j + 1, weight - skip, steps + [(-1, i, j + 1)])
        for k, (a, b) in enumerate(SHAPES):
            if i + a <= n and j + b <= m:
                cell = band.cell(i + a, j + b)
                walk(i + a, j + b, weight + float(logw[k, cell]), steps + [(k, i + a, j + b)])

    walk(0, 0, 0.0, [])
    z = math.log(sum(math.exp(w) for w, _ in paths))
    marg: dict[tuple[int, int, int], float] = {}
    for w, steps in paths:
        for step in steps:
            marg[step] = marg.get(step, 0.0) + math.exp(w - z)
    return marg


@pytest.mark.parametrize("skip", [0.0, 0.7])
@pytest.mark.parametrize("n,m", [(1, 1), (2, 3), (3, 3), (4, 2)])
def test_posterior_matches_enumeration(n: int, m: int, skip: float) -> None:
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    band = _Band(lo, hi)
    pred, valid = band.predecessors(SHAPES)
    rng = np.random.default_rng(n * 10 + m)
    logw = np.where(valid, rng.normal(size=valid.shape), -1e18)
    post = _Posterior(band, logw, pred, [a for a, _ in SHAPES], skip)
    expected = _brute_force(n, m, logw, band, skip)
    for (k, i, j), p in expected.items():
        cell = band.cell(i, j)
        got = post.insertion(cell) if k < 0 else post.bead(k, cell)
        assert got == pytest.approx(p, abs=1e-4)


def test_clear_one_to_one_beads_are_confident() -> None:
    src = [f"sentence {k} about topic {k}" for k in range(12)]
    beads = EmbeddingAligner(FakeEncoder()).align(src, list(src), "en", "en")
    assert [(b.source, b.target) for b in beads] == [((k,), (k,)) for k in range(12)]
    assert all(b.confidence is not None and b.confidence > 0.9 for b in beads)


def test_confidence_is_a_probability() -> None:
    rng = np.random.default_rng(3)
    es = rng.normal(size=(30, 16)).astype(np.float32)
    et = rng.normal(size=(25, 16)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    beads = EmbeddingAligner(FakeEncoder()).align_embeddings(es, et, [40] * 30, [40] * 25)
    assert all(b.confidence is not None and 0.0 <= b.confidence <= 1.0 for b in beads)
    # Unrelated random vectors: nothing is sure.
    assert min(b.confidence for b in beads if b.confidence is not None) < 0.9


def test_block_sums_count_pairs_inside_each_bead() -> None:
    band = _Band(np.zeros(4, dtype=np.int64), np.full(4, 3, dtype=np.int64))
    shapes = ((1, 1), (2, 1), (1, 0))
    sums = band.block_sums(shapes, [(0, 0, 1.0), (1, 0, 0.5)])
    # 1-1 ending at (1, 1) holds source 0 / target 0; 2-1 ending at (2, 1) holds both.
    assert sums[0, band.cell(1, 1)] == 1.0
    assert sums[0, band.cell(2, 1)] == 0.5
    assert sums[1, band.cell(2, 1)] == 1.5
    assert sums[1, band.cell(3, 1)] == 0.5
    assert sums[2].sum() == 0.0  # a 1-0 bead holds no target sentence
    assert sums[0, band.cell(1, 2)] == 0.0


@pytest.mark.parametrize("cost", [0.0, 0.3, 0.6])
@pytest.mark.parametrize("skip", [0.0, 0.7])
@pytest.mark.parametrize("n,m", [(2, 3), (3, 3), (4, 2)])
def test_posterior_decoding_finds_the_best_path(n: int, m: int, skip: float,
                                                cost: float) -> None:
    """``_Posterior.best`` returns the alignment with the highest sum of bead posteriors
    less ``cost`` per bead, as found by enumerating every alignment."""
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    band = _Band(lo, hi)
    pred, valid = band.predecessors(SHAPES)
    rng = np.random.default_rng(n * 10 + m + int(10 * skip))
    logw = np.where(valid, rng.normal(size=valid.shape), -1e18)
    post = _Posterior(band, logw, pred, [a for a, _ in SHAPES], skip)
    marg = _brute_force(n, m, logw, band, skip)
    paths: list[list[tuple[int, int, int]]] = []

    def walk(i: int, j: int, steps: list[tuple[int, int, int]]) -> None:
        if (i, j) == (n, m):
            paths.append(steps)
            return
        if j + 1 <= m:
            walk(i, j + 1, steps + [(-1, i, j + 1)])
        for k, (a, b) in enumerate(SHAPES):
            if i + a <= n and j + b <= m:
                walk(i + a, j + b, steps + [(k, i + a, j + b)])

    walk(0, 0, [])

    def gain(path: list[tuple[int, int, int]]) -> float:
        return sum(marg.get(step, 0.0) - cost for step in path)

    move = post.best(valid, cost)
    found: list[tuple[int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(move[band.cell(i, j)]) if i > 0 else -1
        found.append((k, i, j))
        if k < 0:
            j -= 1
        else:
            i, j = i - SHAPES[k][0], j - SHAPES[k][1]
    found.reverse()
    assert gain(found) == pytest.approx(max(gain(p) for p in paths), abs=1e-9)
