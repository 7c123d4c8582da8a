"""Quotations: where a quotation is open between sentences (``mtqa.alignment.quotes``),
and a bead seldom ends inside a quotation of the translation where the source's is
closed (``EmbeddingAligner.quote_weight``)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.alignment.aligner import EmbeddingAligner
from mtqa.alignment.quotes import open_after
from mtqa.testing import FakeEncoder

Gold = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _open(sentences: list[str], lang: str) -> list[bool]:
    found = open_after(sentences, lang)
    assert found is not None
    return found.tolist()


def test_chinese_quotation_over_two_sentences() -> None:
    text = ["他笑道：“今天不下雨了。", "咱们出去走走吧。”", "她没有回答。"]
    assert _open(text, "zh") == [True, False, False]


def test_chinese_inner_quote_does_not_close_the_outer_one() -> None:
    text = ["老人说：“俗话说：‘早起的鸟儿有虫吃。’", "你们明天早点来。”"]
    assert _open(text, "zh-CN") == [True, False]


def test_english_speech_cut_into_sentences_with_apostrophes() -> None:
    text = ["The man laughed.", "'Well?", "Don't you know the rules?", "Give in?'",
            "He didn't answer."]
    assert _open(text, "en") == [False, True, True, False, False]


def test_english_curly_and_double_quotes() -> None:
    text = ["“It’s late,” she said.", "“Come in.", "The door’s open.”", 'He said "no".']
    assert _open(text, "en-GB") == [False, True, False, False]


def test_english_possessive_and_dropped_letter_are_not_quotes() -> None:
    text = ["The boys' room was empty.", "We were goin' home."]
    assert _open(text, "en") == [False, False]


def test_german_opens_low_and_closes_high() -> None:
    text = ["Er sagte: „Es regnet.", "Wir bleiben hier.“", "Dann ging er."]
    assert _open(text, "de") == [True, False, False]


def test_unknown_language_gives_nothing() -> None:
    assert open_after(["«Bonjour.»"], "fr") is None


def test_tag_that_names_no_language_gives_nothing_and_still_aligns() -> None:
    """The aligner takes any tag (the Python API, a test's ""): no quotation reading,
    no error."""
    assert open_after(["'Hi.'"], "") is None
    assert open_after(["'Hi.'"], "und") is None
    beads = EmbeddingAligner(FakeEncoder()).align(["'Hi there.'"], ["'Hi there.'"], "", "")
    assert [(b.source, b.target) for b in beads] == [((0,), (0,))]


def test_quotation_never_closed_claims_nothing() -> None:
    """An MT that drops a closing mark must not put the rest of the document inside."""
    text = ['"A well-known expert said in an interview.', "Growth will go on.",
            "The report ends here."]
    assert _open(text, "en") == [False, False, False]


def test_quotation_opened_again_before_closing_clears_the_first() -> None:
    text = ['"First claim.', "More of it.", '"Second claim.', 'Still quoted."', "After."]
    assert _open(text, "en") == [False, False, True, False, False]


def _speeches(seed: int, pairs: int = 40
              ) -> tuple[np.ndarray, np.ndarray, list[int], list[int], Gold,
                         tuple[np.ndarray, np.ndarray]]:
    """Every fourth source sentence is a speech that the translation cuts in two: a
    long part that opens the quotation and a short one that closes it, about as like
    the next source sentence as its own, and short enough that the lengths would rather
    give it to the next bead."""
    rng = np.random.default_rng(seed)

    def unit(x: np.ndarray) -> np.ndarray:
        return np.asarray(x / np.linalg.norm(x, axis=-1, keepdims=True), dtype=np.float32)

    es = unit(rng.normal(size=(pairs, 64)))
    tgt: list[np.ndarray] = []
    len_s: list[int] = []
    len_t: list[int] = []
    gold: Gold = []
    inside: list[bool] = []
    for i in range(pairs):
        if i % 4 == 1:
            gold.append(((i,), (len(tgt), len(tgt) + 1)))
            tgt += [unit(es[i] + rng.normal(size=64) / 8),
                    unit(0.25 * (es[i] + es[i + 1]) + rng.normal(size=64) / 8)]
            len_s.append(30)
            len_t += [95, 35]
            inside += [True, False]
        else:
            gold.append(((i,), (len(tgt),)))
            tgt.append(unit(es[i] + rng.normal(size=64) / 8))
            len_s.append(60)
            len_t.append(150)
            inside.append(False)
    quotes = (np.zeros(pairs, dtype=bool), np.array(inside))
    return es, np.array(tgt), len_s, len_t, gold, quotes


def _ends_inside(mode: str, weight: float) -> list[int]:
    """Per document: beads that end inside the translation's quotation."""
    out = []
    for seed in range(6):
        es, et, len_s, len_t, _, quotes = _speeches(seed)
        aligner = EmbeddingAligner(FakeEncoder(), mode=mode, quote_weight=weight)
        beads = aligner.align_embeddings(es, et, len_s, len_t, "zh", "en", quotes=quotes)
        out.append(sum(1 for b in beads if b.source and b.target
                       and quotes[1][b.target[-1]] and not quotes[0][b.source[-1]]))
    return out


@pytest.mark.parametrize("mode", ["free", "close"])
def test_closing_line_of_a_speech_stays_with_it(mode: str) -> None:
    """Without the term, most speeches lose their closing line to the next bead; with
    the default weight almost none do, and the beads are the gold ones."""
    assert EmbeddingAligner(FakeEncoder()).quote_weight == 0.2
    assert sum(_ends_inside(mode, 0.0)) >= 30
    assert sum(_ends_inside(mode, 0.2)) <= 4
    es, et, len_s, len_t, gold, quotes = _speeches(0)
    beads = EmbeddingAligner(FakeEncoder(), mode=mode).align_embeddings(
        es, et, len_s, len_t, "zh", "en", quotes=quotes)
    assert len({(b.source, b.target) for b in beads} & set(gold)) >= 0.95 * len(gold)


def test_align_reads_the_quote_marks_of_the_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """``align`` hands the aligner where each side's quotations are open, read from the
    texts; with the term off, or a language whose marks are unknown, it hands nothing."""
    seen: list[object] = []

    def spy(self: EmbeddingAligner, *args: object, **kwargs: object) -> list[object]:
        seen.append(args[-1])
        return []

    monkeypatch.setattr(EmbeddingAligner, "align_embeddings", spy)
    source = ["他说：“走吧。", "天黑了。”", "她点点头。"]
    target = ["'Let's go.", "It's dark.'", "She nodded."]
    EmbeddingAligner(FakeEncoder()).align(source, target, "zh", "en")
    EmbeddingAligner(FakeEncoder(), quote_weight=0).align(source, target, "zh", "en")
    EmbeddingAligner(FakeEncoder()).align(source, target, "zh", "fr")
    first = seen[0]
    assert isinstance(first, tuple)
    assert [a.tolist() for a in first] == [[True, False, False], [True, False, False]]
    assert seen[1:] == [None, None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab '\"‘’“”「」『』„‚»«.!?", max_size=30), max_size=12),
       st.sampled_from(["zh", "en", "de", "ja"]))
def test_any_text_gives_one_flag_a_sentence_and_ends_outside(sentences: list[str],
                                                             lang: str) -> None:
    """Whatever the marks: one flag per sentence, and nothing is left open at the end
    (a quotation that never closes claims nothing)."""
    found = open_after(sentences, lang)
    assert found is not None
    assert found.shape == (len(sentences),)
    assert not sentences or not found[-1]
