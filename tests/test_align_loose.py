"""Loose translations: a document whose paired sentences are only loosely alike is a
human translation, and is aligned with the free weights even when its sentence counts
match (``EmbeddingAligner._loose_translation``)."""
from __future__ import annotations

import numpy as np
import pytest

from mtqa.alignment.aligner import EmbeddingAligner
from mtqa.alignment.embed import CachedEncoder, USEEncoder
from mtqa.model import Bead
from mtqa.testing import FakeEncoder

Gold = list[tuple[tuple[int, ...], tuple[int, ...]]]


class LooseScaleEncoder(FakeEncoder):
    """A fake encoder that, like the default one, says where loose translations begin."""

    loose_similarity = 0.6


def _translation(seed: int, likeness: float, pairs: int = 60
                 ) -> tuple[np.ndarray, np.ndarray, list[int], list[int], Gold]:
    """Source embeddings and a translation of them, with the same number of sentences
    give or take two: about one sentence in eight split in two (a short and a longer
    half), as many pairs joined into one. ``likeness`` sets how alike a sentence and its
    translation are (cosine about 0.5 at 0.55, 0.8 at 1.5)."""
    rng = np.random.default_rng(seed)
    es = rng.normal(size=(pairs, 64))
    es /= np.linalg.norm(es, axis=1, keepdims=True)

    def render(v: np.ndarray) -> np.ndarray:
        x = likeness * v / np.linalg.norm(v) + rng.normal(size=64) / 8
        return np.asarray(x / np.linalg.norm(x))

    tgt: list[np.ndarray] = []
    len_t: list[int] = []
    gold: Gold = []
    i = 0
    while i < pairs:
        r = rng.random()
        if r < 0.12 and i + 1 < pairs:
            gold.append(((i, i + 1), (len(tgt),)))
            tgt.append(render(es[i] + es[i + 1]))
            len_t.append(200)
            i += 2
        elif r < 0.24:
            gold.append(((i,), (len(tgt), len(tgt) + 1)))
            tgt += [render(es[i]), render(es[i])]
            len_t += [40, 60]
            i += 1
        else:
            gold.append(((i,), (len(tgt),)))
            tgt.append(render(es[i]))
            len_t.append(100)
            i += 1
    return es.astype(np.float32), np.array(tgt, dtype=np.float32), [100] * pairs, len_t, gold


def _right(beads: list[Bead], gold: Gold) -> float:
    return len({(b.source, b.target) for b in beads} & set(gold)) / len(gold)


def _align(aligner: EmbeddingAligner, doc: tuple[np.ndarray, np.ndarray, list[int],
                                                 list[int], Gold]) -> list[Bead]:
    es, et, len_s, len_t, _ = doc
    return aligner.align_embeddings(es, et, len_s, len_t, "en", "en")


@pytest.mark.parametrize("seed", [1, 3])
def test_loose_translation_with_matching_counts_gets_the_free_weights(seed: int) -> None:
    """Same sentence counts, so the count rule stays quiet; the low similarity takes the
    document for a human translation, and the free weights keep its splits and joins
    whole where the sentence objective cuts some of them."""
    doc = _translation(seed, likeness=0.55)
    es, et, len_s, len_t, gold = doc
    auto = EmbeddingAligner(LooseScaleEncoder())
    assert not auto._free_translation(len(es), len(et), sum(len_s), sum(len_t), "en", "en")
    beads = _align(auto, doc)
    assert beads == _align(EmbeddingAligner(LooseScaleEncoder(), mode="free"), doc)
    close = _align(EmbeddingAligner(LooseScaleEncoder(), mode="close"), doc)
    assert _right(beads, gold) == 1.0
    assert _right(close, gold) <= 0.9


def test_literal_translation_keeps_the_sentence_objective() -> None:
    """Machine translation is literal: its pairs are well above the encoder's value, so
    the document keeps the sentence objective (which finds omissions better)."""
    doc = _translation(3, likeness=1.5)
    beads = _align(EmbeddingAligner(LooseScaleEncoder()), doc)
    assert beads == _align(EmbeddingAligner(LooseScaleEncoder(), mode="close"), doc)
    assert beads != _align(EmbeddingAligner(LooseScaleEncoder(), mode="free"), doc)


def test_loose_rule_needs_a_value_enough_pairs_and_auto_mode() -> None:
    es, et, _, _, gold = _translation(3, likeness=0.55)
    pairs = [(s[0], t[0]) for s, t in gold if len(s) == len(t) == 1]
    assert len(pairs) >= 30
    assert EmbeddingAligner(LooseScaleEncoder())._loose_translation(es, et, pairs)
    # An encoder without a value of its own (any other model's cosines have another
    # scale), unless one is given; 0 turns the rule off.
    assert not EmbeddingAligner(FakeEncoder())._loose_translation(es, et, pairs)
    assert EmbeddingAligner(FakeEncoder(), loose_similarity=0.6)._loose_translation(
        es, et, pairs)
    assert not EmbeddingAligner(LooseScaleEncoder(), loose_similarity=0)._loose_translation(
        es, et, pairs)
    # A median of a few pairs is chance; the user's mode overrides the guess.
    assert not EmbeddingAligner(LooseScaleEncoder())._loose_translation(es, et, pairs[:29])
    assert not EmbeddingAligner(LooseScaleEncoder(), mode="close")._loose_translation(
        es, et, pairs)
    # The switch off (free_ratio 0) turns off both rules.
    assert not EmbeddingAligner(LooseScaleEncoder(), free_ratio=0)._loose_translation(
        es, et, pairs)


def test_default_encoder_value_reaches_the_aligner_through_the_cache() -> None:
    assert USEEncoder.loose_similarity == pytest.approx(0.6)
    assert CachedEncoder(LooseScaleEncoder()).loose_similarity == pytest.approx(0.6)
    assert CachedEncoder(FakeEncoder()).loose_similarity is None
