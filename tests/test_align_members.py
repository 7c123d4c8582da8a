"""Free translations: each sentence on the merged side of a bead must be like the other
side on its own, and the first and last ones no less than like the sentence just outside
the bead (``_Members``), so a short sentence joins the bead it translates."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from mtqa.alignment.aligner import (
    FREE_WEIGHTS,
    EmbeddingAligner,
    _Band,
    _band_from_path,
    _Channel,
    _Members,
    _overlaps,
    _unrelated,
    bead_shapes,
)
from mtqa.testing import FakeEncoder

Gold = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


Margin = Callable[[int, int, int, int], float]
Cell = tuple[int, int, np.ndarray, np.ndarray]


def _random_case(n: int, m: int, lexical: bool, seed: int
                 ) -> tuple[_Members, list[Cell], Margin]:
    """Random runs in a narrow band along the diagonal (so that members and their rivals
    reach past its edges): the lookups, every merged bead shape's valid cells (a, b,
    first source, first target) and the margin of a source run against a target run
    (a, start, b, start) computed directly, the dictionary blended in as the aligner
    does."""
    rng = np.random.default_rng(seed)
    es, et = _unit(rng.normal(size=(n, 16))), _unit(rng.normal(size=(m, 16)))
    ls, lt = rng.integers(10, 90, size=n).astype(float), rng.integers(10, 90, size=m).astype(float)
    shapes = bead_shapes(5)
    top = max(max(a, b) for a, b in shapes)
    os_, ot = _overlaps(es, ls, top), _overlaps(et, lt, top)
    mu_s = [_unrelated(o, et, 8) for o in os_]
    mu_t = [_unrelated(o, es, 8) for o in ot]
    words = None
    if lexical:
        xs, xt = _unit(rng.normal(size=(n, 8))), _unit(rng.normal(size=(m, 8)))
        xs[2] = 0.0  # a sentence without a dictionary word keeps the encoder's margin
        xt[3] = 0.0
        words = _Channel(xs, xt, ls, lt, top, 8, 0.3)
    path = [(i, round(i * m / n)) for i in range(n + 1)]
    band = _Band(*_band_from_path(path, n, m, 2))
    weight = 0.5
    members = _Members(band, shapes, os_, ot, mu_s, mu_t, weight, words)
    _, valid = band.predecessors(shapes)

    def margin(a: int, s: int, b: int, t: int) -> float:
        value = float(ot[b - 1][t] @ os_[a - 1][s]
                      - weight * 0.5 * (mu_s[a - 1][s] + mu_t[b - 1][t]))
        if words is not None and words.has_s[a - 1][s] and words.has_t[b - 1][t]:
            own = float(words.tgt[b - 1][t] @ words.src[a - 1][s]
                        - weight * 0.5 * (words.mu_s[a - 1][s] + words.mu_t[b - 1][t]))
            value = (1 - words.weight) * value + words.weight * own
        return value

    cells: list[Cell] = []
    for k, (a, b) in enumerate(shapes):
        if b == 0 or (a == 1 and b == 1):
            continue
        idx = np.flatnonzero(valid[k])
        cells.append((a, b, band.rows_of[idx] - a, band.cols[idx] - b))
    return members, cells, margin


@pytest.mark.parametrize("lexical", [False, True])
@pytest.mark.parametrize("n,m", [(9, 14), (14, 9), (12, 12)])
def test_shortfall_matches_direct_margins(n: int, m: int, lexical: bool) -> None:
    """The band lookups give, for every bead shape and cell, the sum of the members'
    margins below zero computed directly from the run embeddings, band edges included."""
    members, cells, margin = _random_case(n, m, lexical, seed=n * 100 + m)
    checked = 0
    for a, b, si, tj in cells:
        got = members.shortfall(a, b, si, tj)
        for value, s, t in zip(got, si.tolist(), tj.tolist()):
            want = 0.0
            if b > 1:
                want += sum(min(0.0, margin(a, s, 1, t + q)) for q in range(b))
            if a > 1:
                want += sum(min(0.0, margin(1, s + p, b, t)) for p in range(a))
            assert value == pytest.approx(want, abs=1e-5)
            checked += 1
    assert checked > 100


def _short_lines(seed: int, n: int = 40, back: float = -0.15, own: float = 0.5
                 ) -> tuple[np.ndarray, np.ndarray, list[int], list[int], Gold]:
    """A free translation where every other source sentence is rendered as a short line
    that carries part of it ("He froze.") and then the rest. The short line is ``own``
    like its sentence and ``back`` like the sentence before, which the lengths pull it
    towards: the sentence before is rendered a little short, so adding the line evens it
    out. At ``back`` -0.15 the line is less like the sentence before than unrelated
    sentences are; at 0.2 it is like both, but more like its own."""
    rng = np.random.default_rng(seed)
    dim = 64
    es = _unit(rng.normal(size=(n, dim)))
    tgt: list[np.ndarray] = []
    len_t: list[int] = []
    gold: Gold = []
    for i in range(n):
        if i % 2 == 0:
            tgt.append(es[i] + rng.normal(scale=0.1, size=dim))
            len_t.append(85)
            gold.append(((i,), (len(tgt) - 1,)))
            continue
        tgt.append(own * es[i] + back * es[i - 1] + rng.normal(scale=0.1, size=dim))
        tgt.append(es[i] + rng.normal(scale=0.1, size=dim))
        len_t += [15, 100]
        gold.append(((i,), (len(tgt) - 2, len(tgt) - 1)))
    return es, _unit(np.array(tgt)), [100] * n, len_t, gold


def _right(member_weight: float, rival_weight: float = 0.0, back: float = -0.15,
           own: float = 0.5) -> float:
    """Share of the gold beads found over three documents, in free mode."""
    right = total = 0
    for seed in range(3):
        es, et, len_s, len_t, gold = _short_lines(seed, back=back, own=own)
        weights = {**FREE_WEIGHTS, "member_weight": member_weight,
                   "rival_weight": rival_weight}
        aligner = EmbeddingAligner(FakeEncoder(), mode="free", free_weights=weights)
        beads = aligner.align_embeddings(es, et, len_s, len_t, "en", "en")
        right += len({(b.source, b.target) for b in beads} & set(gold))
        total += len(gold)
    return right / total


def test_short_line_joins_the_bead_it_translates() -> None:
    assert FREE_WEIGHTS["member_weight"] == 1.0
    assert _right(1.0) >= 0.94


def test_without_the_member_term_short_lines_go_astray() -> None:
    """The same texts without the term (and without the rival term, which would also
    catch these lines): the lengths pull more short lines into the bead before them
    (what the term is for)."""
    assert _right(0.0) <= 0.88


def test_line_like_both_neighbours_joins_the_one_it_is_more_like() -> None:
    """A short line somewhat like the sentence before too: its margin there is positive,
    so the member term lets the lengths decide, and they pull it the wrong way. The
    rival term (the line is more like the sentence just outside that bead) sends it to
    its own sentence."""
    assert FREE_WEIGHTS["rival_weight"] == 0.25
    assert _right(1.0, 0.25, back=0.2, own=0.6) >= 0.9
    assert _right(1.0, 0.0, back=0.2, own=0.6) <= 0.4


@pytest.mark.parametrize("lexical", [False, True])
@pytest.mark.parametrize("n,m", [(9, 14), (14, 9), (12, 12)])
def test_rivalry_matches_direct_margins(n: int, m: int, lexical: bool) -> None:
    """For every bead shape and cell: the first and last sentence of each merged side,
    its margin with the other side less its margin with the sentence just outside the
    bead on the other side, below zero, summed; computed directly from the run
    embeddings, document edges (no sentence outside) included."""
    members, cells, margin = _random_case(n, m, lexical, seed=n * 10 + m + 7)
    checked = 0
    for a, b, si, tj in cells:
        got = members.rivalry(a, b, si, tj)
        for value, s, t in zip(got, si.tolist(), tj.tolist()):
            want = 0.0
            if b > 1:
                for col, rival in ((t, s - 1), (t + b - 1, s + a)):
                    if 0 <= rival < n:
                        want += min(0.0, margin(a, s, 1, col) - margin(1, rival, 1, col))
            if a > 1:
                for row, rival in ((s, t - 1), (s + a - 1, t + b)):
                    if 0 <= rival < m:
                        want += min(0.0, margin(1, row, b, t) - margin(1, row, 1, rival))
            assert value == pytest.approx(want, abs=1e-5)
            checked += 1
    assert checked > 100
