"""Reference metrics: the tokenizer follows the target language; sentence scores;
embedding similarity."""
from __future__ import annotations

import pytest

from mtqa.quality.metrics import (
    embedding_similarity,
    make_metrics,
    reference_metrics,
    sentence_chrf,
    sentence_scores,
)
from mtqa.testing import FakeEncoder


def test_chinese_bleu_counts_characters_not_whitespace_tokens() -> None:
    hypothesis, reference = "会议在上海举行了", "会议在北京举行了"
    chinese = make_metrics("zh", sentence=True)["bleu"]
    english = make_metrics("en", sentence=True)["bleu"]
    # Six of eight characters agree; split at spaces, each sentence is one token.
    assert chinese.sentence_score(hypothesis, [reference]).score > 30
    assert english.sentence_score(hypothesis, [reference]).score == 0


def test_chinese_targets_are_scored_with_the_zh_tokenizer() -> None:
    hyp, ref = ["今天天气很好。"], ["今天天气不错。"]
    zh = reference_metrics(hyp, ref, "zh")
    assert "tok:zh" in zh["signatures"]["bleu"]
    assert "asian:yes" in zh["signatures"]["ter"]
    # With 13a the sentence is one token: no match at all; zh tokenizes per character.
    as_13a = reference_metrics(hyp, ref, "en")
    assert as_13a["bleu"] == 0.0 and zh["bleu"] > 30
    assert zh["ter"] < 50 <= as_13a["ter"]


def test_corpus_scores_and_signatures() -> None:
    hyp = ["The river was cleaned by volunteers.", "They collected 300 kilograms of waste."]
    out = reference_metrics(hyp, hyp, "en")
    assert out["bleu"] == 100.0 and out["chrf"] == 100.0 and out["ter"] == 0.0
    assert set(out["signatures"]) == {"bleu", "chrf", "ter"}
    assert "nw:2" in out["signatures"]["chrf"]  # chrF++
    assert reference_metrics([], [], "en") == {}
    assert reference_metrics(["a"], [" "], "en") == {}


def test_sentence_scores_rank_a_better_hypothesis_higher() -> None:
    ref = "Volunteers cleaned the river on Sunday."
    good, bad = "Volunteers cleaned the river on Sunday.", "On Sunday, a river was seen."
    s = sentence_scores([good, bad], [ref, ref], "en")
    assert s["bleu"][0] == pytest.approx(100.0) and s["bleu"][0] > s["bleu"][1]
    assert s["chrf"][0] == pytest.approx(100.0) and s["chrf"][0] > s["chrf"][1]
    assert s["ter"][0] == 0.0 < s["ter"][1]
    assert sentence_chrf(good, ref) == pytest.approx(100.0)


def test_embedding_similarity_with_an_encoder() -> None:
    enc = FakeEncoder()
    sims = embedding_similarity(["abc", "xyz"], ["abc", "abc"], enc)
    assert sims[0] == pytest.approx(1.0) and sims[1] < 0.5
    out = reference_metrics(["abc"], ["abc"], "en", encoder=enc)
    assert out["embedding_similarity"] == pytest.approx(1.0)
    assert enc.id in out["signatures"]["embedding_similarity"]
    assert embedding_similarity([], [], enc) == []
