"""The embedding aligner with the deterministic fake encoder: beads of every shape and
bad input (empty side, a side ten times longer, unrelated text, an enormous line)."""
from __future__ import annotations

import random

import numpy as np
import pytest

from mtqa.alignment.aligner import (
    MAX_BEAD,
    AutoAligner,
    EmbeddingAligner,
    LengthAligner,
    default_aligner,
)
from mtqa.config import Config, ConfigError
from mtqa.model import Bead
from mtqa.testing import FakeEncoder

_WORDS = ("river water clean city volunteer plastic bottle summer morning park bridge "
          "council report fish bird tree school child weekend boat market station "
          "garden museum train harbour village mountain festival library").split()


def sentences(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
            for _ in range(count)]


def shapes(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.source, b.target) for b in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence of both sides appears exactly once, in order."""
    src = [i for b in beads for i in b.source]
    tgt = [j for b in beads for j in b.target]
    assert src == list(range(n))
    assert tgt == list(range(m))


@pytest.fixture(scope="module")
def aligner() -> EmbeddingAligner:
    return EmbeddingAligner(FakeEncoder())


S = sentences(12)


def _edit(kind: str) -> tuple[list[str], list[str], tuple[tuple[int, ...], tuple[int, ...]]]:
    """(source, target, the bead the edit must produce)."""
    src, tgt = list(S), list(S)
    if kind == "identity":
        return src, tgt, ((4,), (4,))
    if kind == "merge-2-1":
        tgt[4:6] = [tgt[4] + " " + tgt[5]]
        return src, tgt, ((4, 5), (4,))
    if kind == "split-1-2":
        words = src[4].split()
        tgt[4:5] = [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
        return src, tgt, ((4,), (4, 5))
    if kind == "merge-3-1":
        tgt[3:6] = [" ".join(tgt[3:6])]
        return src, tgt, ((3, 4, 5), (3,))
    if kind == "split-1-3":
        src[3:6] = [" ".join(src[3:6])]
        return src, tgt, ((3,), (3, 4, 5))
    if kind == "merge-4-1":
        tgt[2:6] = [" ".join(tgt[2:6])]
        return src, tgt, ((2, 3, 4, 5), (2,))
    if kind == "omission":
        del tgt[6]
        return src, tgt, ((6,), ())
    if kind == "insertion":
        tgt.insert(6, "Quantum zebra xylophone jackets vex wizards nightly.")
        return src, tgt, ((), (6,))
    if kind == "2-2":
        joined = tgt[4] + " " + tgt[5]
        cut = len(tgt[4]) // 2
        tgt[4:6] = [joined[:cut], joined[cut:]]
        return src, tgt, ((4, 5), (4, 5))
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["identity", "merge-2-1", "split-1-2", "merge-3-1",
                                  "split-1-3", "merge-4-1", "omission", "insertion", "2-2"])
def test_bead_shapes(aligner: EmbeddingAligner, kind: str) -> None:
    src, tgt, expected = _edit(kind)
    beads = aligner.align(src, tgt, "en", "en")
    assert_covers(beads, len(src), len(tgt))
    assert expected in shapes(beads)
    # Everything else stays 1-1.
    others = [b for b in shapes(beads) if b != expected]
    assert all(len(s) == 1 and len(t) == 1 for s, t in others), shapes(beads)


def test_similarity_filled_for_pairs_and_none_for_gaps(aligner: EmbeddingAligner) -> None:
    src, tgt, _ = _edit("omission")
    beads = aligner.align(src, tgt, "en", "en")
    for b in beads:
        if b.source and b.target:
            assert b.similarity is not None and 0.9 <= b.similarity <= 1.0
        else:
            assert b.similarity is None


@pytest.mark.parametrize("n,m", [(0, 5), (5, 0), (0, 0)])
def test_empty_side(aligner: EmbeddingAligner, n: int, m: int) -> None:
    beads = aligner.align(S[:n], S[:m], "en", "en")
    assert_covers(beads, n, m)
    assert all(not (b.source and b.target) for b in beads)


def test_side_ten_times_longer(aligner: EmbeddingAligner) -> None:
    long = sentences(100, seed=3)
    src = long[40:50]
    beads = aligner.align(src, long, "en", "en")
    assert_covers(beads, 10, 100)
    # The ten sentences are found inside the long side, the rest are additions.
    assert [(b.source, b.target) for b in beads if b.source] == [
        ((i,), (40 + i,)) for i in range(10)]


def test_unrelated_text_aligns_little(aligner: EmbeddingAligner) -> None:
    src = sentences(20, seed=1)
    tgt = ["这是一段完全无关的中文文本，讲的是别的事情。"] * 20
    beads = aligner.align(src, tgt, "en", "zh")
    assert_covers(beads, 20, 20)
    paired = [b for b in beads if b.source and b.target]
    assert all(b.similarity is not None and b.similarity < 0.2 for b in paired)


def test_one_enormous_line(aligner: EmbeddingAligner) -> None:
    huge = " ".join(sentences(5000, seed=5))  # ~400,000 characters, no line break
    src = [huge]
    tgt = S[:3]
    beads = aligner.align(src, tgt, "en", "en")
    assert_covers(beads, 1, 3)


def test_long_noisy_document_matches_gold() -> None:
    """3,000 sentences with random merges, omissions and insertions (synthetic
    embeddings: noisy copies of the source vectors)."""
    rng = np.random.default_rng(0)
    n, dim = 3000, 64
    es = rng.normal(size=(n, dim)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    tgt_vecs, gold, i = [], [], 0
    while i < n:
        roll = rng.random()
        if roll < 0.03:
            gold.append(((i,), ()))
            i += 1
            continue
        if roll < 0.06:
            tgt_vecs.append(rng.normal(size=dim))
            gold.append(((), (len(tgt_vecs) - 1,)))
            continue
        if roll < 0.12 and i + 1 < n:
            tgt_vecs.append(es[i] + es[i + 1] + rng.normal(scale=0.1, size=dim))
            gold.append(((i, i + 1), (len(tgt_vecs) - 1,)))
            i += 2
            continue
        tgt_vecs.append(es[i] + rng.normal(scale=0.1, size=dim))
        gold.append(((i,), (len(tgt_vecs) - 1,)))
        i += 1
    et = np.array(tgt_vecs, dtype=np.float32)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    aligner = EmbeddingAligner(FakeEncoder())
    beads = aligner.align_embeddings(es, et, [50] * n, [50] * len(et))
    assert_covers(beads, n, len(et))
    correct = len(set(shapes(beads)) & set(gold))
    assert correct / len(gold) > 0.95


def test_length_aligner_is_kept() -> None:
    beads = LengthAligner().align(S[:4], S[:4], "en", "en")
    assert shapes(beads) == [((i,), (i,)) for i in range(4)]


def test_default_aligner_uses_config_encoder() -> None:
    aligner = default_aligner(Config(encoder="fake", embedding_cache=False))
    beads = aligner.align(S[:3], S[:3], "en", "en")
    assert aligner.name == "embedding"
    assert aligner.encoder_id == FakeEncoder().id  # type: ignore[attr-defined]
    assert all(b.similarity is not None for b in beads)


def test_unavailable_encoder_falls_back_with_a_warning() -> None:
    aligner = AutoAligner("st:/nonexistent/model-dir", cache=False)
    with pytest.warns(RuntimeWarning, match="aligning by sentence length"):
        beads = aligner.align(S[:3], S[:3], "en", "en")
    assert aligner.name == "gale-church"
    assert shapes(beads) == [((i,), (i,)) for i in range(3)]


def test_unknown_encoder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown encoder"):
        AutoAligner("no-such-encoder").align(S[:2], S[:2], "en", "en")


@pytest.mark.parametrize("seed", range(12))
def test_random_shapes_always_cover_both_sides(aligner: EmbeddingAligner, seed: int) -> None:
    rng = random.Random(seed)
    pool = sentences(60, seed=seed)
    n, m = rng.choice([1, 2, 3, 7, 25]), rng.choice([1, 2, 4, 9, 40])
    src = rng.sample(pool, n)
    tgt = rng.sample(pool, m)
    beads = aligner.align(src, tgt, "en", "en")
    assert_covers(beads, n, m)
    assert all(len(b.source) + len(b.target) <= MAX_BEAD for b in beads)


Gold = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _split_translation(seed: int, n: int = 40
                       ) -> tuple[np.ndarray, np.ndarray, list[int], list[int], Gold]:
    """Synthetic free translation: two of three source sentences are translated as two
    target sentences, the first close to the source, the second only loosely (it holds
    the rest of the meaning in other words), as literary translators do."""
    rng = np.random.default_rng(seed)
    dim = 64
    es = rng.normal(size=(n, dim)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    tgt: list[np.ndarray] = []
    len_t: list[int] = []
    gold: Gold = []
    for i in range(n):
        if i % 3 == 0:
            tgt.append(es[i] + rng.normal(scale=0.1, size=dim))
            len_t.append(100)
            gold.append(((i,), (len(tgt) - 1,)))
            continue
        tgt.append(es[i] + rng.normal(scale=0.15, size=dim))
        tgt.append(0.6 * es[i] + rng.normal(scale=0.15, size=dim))
        len_t += [50, 50]
        gold.append(((i,), (len(tgt) - 2, len(tgt) - 1)))
    et = np.array(tgt, dtype=np.float32)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    return es, et, [100] * n, len_t, gold


def test_free_translation_keeps_split_sentences_together() -> None:
    es, et, len_s, len_t, gold = _split_translation(seed=1)
    aligner = EmbeddingAligner(FakeEncoder())
    # 40 source and 67 target sentences holding the same amount of text: a free translation.
    assert aligner._free_translation(len(es), len(et), sum(len_s), sum(len_t), "en", "en")
    beads = aligner.align_embeddings(es, et, len_s, len_t, "en", "en")
    assert_covers(beads, len(es), len(et))
    right = len(set(shapes(beads)) & set(gold))
    assert right / len(gold) >= 0.9
    assert len([b for b in beads if not b.source]) <= 2  # split halves stay with their partner


def test_extra_text_is_not_taken_for_free_translation() -> None:
    aligner = EmbeddingAligner(FakeEncoder())
    # Three times the sentences and three times the text: added material, not splits.
    assert not aligner._free_translation(30, 90, 3000, 9000, "en", "en")
    # A short document's chance difference, and a pair without a known length ratio.
    assert not aligner._free_translation(10, 19, 1000, 1000, "en", "en")
    assert not aligner._free_translation(30, 90, 3000, 3000, "fi", "et")
    assert aligner._free_translation(30, 90, 3000, 3000 * 3.1, "zh", "en")


@pytest.mark.parametrize("seed", range(4))
def test_free_translation_is_decoded_by_posterior(seed: int) -> None:
    """A free translation takes the alignment whose beads are likeliest to be right (the
    highest sum of bead posteriors), not the single best-scoring one: the best-scoring
    path leaves a split half alone here and there, where most of the probability says
    it belongs with its partner."""
    es, et, len_s, len_t, gold = _split_translation(seed)
    beads = EmbeddingAligner(FakeEncoder()).align_embeddings(es, et, len_s, len_t, "en", "en")
    assert shapes(beads) == gold


def test_align_mode_free_and_close_override_the_guess() -> None:
    es, et, len_s, len_t, gold = _split_translation(seed=1)
    # Told "close", the free translation keeps the sentence objective: split halves are
    # then left alone here and there, as the guess would not have done.
    close = EmbeddingAligner(FakeEncoder(), mode="close")
    assert not close._free_translation(len(es), len(et), sum(len_s), sum(len_t), "en", "en")
    auto = EmbeddingAligner(FakeEncoder()).align_embeddings(es, et, len_s, len_t, "en", "en")
    assert close.align_embeddings(es, et, len_s, len_t, "en", "en") != auto
    # Told "free", a document whose counts do not look free gets the free weights.
    free = EmbeddingAligner(FakeEncoder(), mode="free")
    assert free._free_translation(10, 10, 1000, 1000, "fi", "et")
    assert free.align_embeddings(es, et, len_s, len_t, "en", "en") == auto


def test_align_mode_is_checked() -> None:
    with pytest.raises(ValueError, match="align mode"):
        EmbeddingAligner(FakeEncoder(), mode="literary")
