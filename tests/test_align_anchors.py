"""Lexical anchors: names through pinyin, numbers by value."""
from __future__ import annotations

from mtqa.alignment.anchors import anchor_pairs, sentence_keys


def test_pinyin_name_matches_capitalised_words() -> None:
    zh = sentence_keys("许三观走进了城里的医院。", "zh", "en")
    en = sentence_keys("Xu Sanguan walked into the hospital in town.", "en", "zh")
    assert "xusanguan" in zh & en
    assert "sanguan" in zh & en


def test_numbers_match_by_value_and_small_numbers_are_ignored() -> None:
    zh = sentence_keys("他在一九九〇年买了三头牛，花了3.5万元。", "zh", "en")
    en = sentence_keys("In 1990 he bought three cows for 35,000 yuan.", "en", "zh")
    assert {"#1990", "#35000"} <= zh & en
    assert "#3" not in zh | en


def test_no_names_between_two_latin_languages() -> None:
    assert sentence_keys("Anna Schmidt kam 2019 an.", "de", "en") == {"#2019"}


def test_short_names_are_not_keys() -> None:
    assert sentence_keys("Li said so.", "en", "zh") == set()


def test_pairs_share_a_key_near_the_diagonal_and_split_its_weight() -> None:
    source = ["许三观卖血。", "天气很好。", "许三观又去卖血。", "他们吃饭。"]
    target = ["Xu Sanguan sold blood.", "The weather was fine.",
              "Xu Sanguan went to sell blood again.", "They ate."]
    pairs = anchor_pairs(source, target, "zh", "en", reach=1)
    # Sentence 0 reaches targets 0 and 1 only; sentence 2 reaches 1..3 and finds 2.
    assert (0, 0, 1.0) in pairs
    assert (2, 2, 1.0) in pairs
    assert all(abs(i - j) <= 1 for i, j, _ in pairs)
    wide = anchor_pairs(source, target, "zh", "en", reach=4)
    assert sorted(w for i, j, w in wide if i == 0) == [0.5, 0.5]


def test_a_shared_number_pairs_sentences_the_embeddings_do_not() -> None:
    import numpy as np

    from mtqa.alignment.aligner import EmbeddingAligner
    from mtqa.testing import FakeEncoder

    # Sentence 1 and its translation have unrelated embeddings (a dateline, say): only
    # the number they share ties them.
    source = ["Alpha sentence.", "Figures for 1987.", "Omega sentence."]
    target = ["Alpha sentence.", "As of 1987:", "Omega sentence."]
    rng = np.random.default_rng(0)
    es = rng.normal(size=(3, 64)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    et = es.copy()
    other = rng.normal(size=64).astype(np.float32)
    other -= (other @ es[1]) * es[1]  # orthogonal: cosine 0
    et[1] = other / np.linalg.norm(other)

    def align(weight: float) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        # A high threshold: a cosine near 0 is clearly not a pair by itself.
        aligner = EmbeddingAligner(FakeEncoder(), anchor_weight=weight, threshold=0.3)
        pairs = anchor_pairs(source, target, "en", "en", reach=4)
        beads = aligner.align_embeddings(es, et, [len(s) for s in source],
                                         [len(t) for t in target], "en", "en",
                                         anchors=pairs)
        return [(b.source, b.target) for b in beads]

    assert ((1,), (1,)) not in align(0.0)
    assert align(1.0) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_anchor_weight_reaches_the_aligner_from_align() -> None:
    from mtqa.alignment.aligner import EmbeddingAligner
    from mtqa.testing import FakeEncoder

    source = ["The dam is 1987 metres long and cost 4500 million.", "Nothing else here."]
    target = ["The dam is 1987 metres long and cost 4500 million.", "Nothing else here."]
    beads = EmbeddingAligner(FakeEncoder(), anchor_weight=0.1).align(source, target,
                                                                      "en", "en")
    assert [(b.source, b.target) for b in beads] == [((0,), (0,)), ((1,), (1,))]
