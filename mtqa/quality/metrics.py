"""Reference-based metrics with sacrebleu, with their signatures; embedding similarity.

The tokenizer follows the target language: ``zh`` for Chinese, ``ja-mecab`` is not
assumed installed so Japanese (and Korean, Thai) use ``char``, ``13a`` otherwise.
Chinese is never scored with 13a, which would treat a whole sentence as one token.
TER gets ``normalized`` + ``asian_support`` for Chinese, Japanese and Korean for the
same reason.

Corpus scores are what sacrebleu reports for a test set; sentence scores (BLEU with
``effective_order``, as sacrebleu recommends for single sentences) are for looking at
one segment, and feed the segment estimate when a reference exists.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from mtqa.alignment.embed import Encoder

CJK_LANGS = ("zh", "ja", "ko")


def bleu_tokenizer(lang: str) -> str:
    """The sacrebleu tokenizer for a target language."""
    if lang == "zh":
        return "zh"
    if lang in ("ja", "ko", "th"):
        return "char"
    return "13a"


def make_metrics(lang: str, sentence: bool = False) -> dict[str, Any]:
    """sacrebleu BLEU, chrF++ and TER objects configured for target language ``lang``."""
    from sacrebleu.metrics import BLEU, CHRF, TER  # imported only when a reference exists

    return {
        "bleu": BLEU(tokenize=bleu_tokenizer(lang), effective_order=sentence),
        "chrf": CHRF(word_order=2),
        # asian_support only takes effect with normalized=True (sacrebleu's tercom
        # normaliser splits CJK characters); without it a Chinese sentence is one token.
        "ter": TER(normalized=lang in CJK_LANGS, asian_support=lang in CJK_LANGS),
    }


def reference_metrics(hypotheses: Sequence[str], references: Sequence[str],
                      lang: str, encoder: Encoder | None = None) -> dict[str, Any]:
    """Corpus BLEU, chrF++ and TER of aligned hypothesis/reference texts, with their
    sacrebleu signatures; with an ``encoder``, also the mean embedding cosine between
    each hypothesis and its reference (``embedding_similarity``)."""
    if not hypotheses or not any(r.strip() for r in references):
        return {}
    metrics = make_metrics(lang)
    refs = [list(references)]
    out: dict[str, Any] = {}
    for key, metric in metrics.items():
        if key == "chrf":
            # chrF's corpus score is a function of the summed sentence statistics; these
            # are cached, so the segment estimate's sentence chrF is not paid twice.
            stats = np.sum([_chrf_stats(h, r) for h, r in zip(hypotheses, references)], axis=0)
            out[key] = round(metric._compute_score_from_stats(list(stats)).score, 2)
            metrics[key] = _chrf()  # the object that saw the references signs the score
            continue
        out[key] = round(metric.corpus_score(list(hypotheses), refs).score, 2)
    out["signatures"] = {key: str(metric.get_signature()) for key, metric in metrics.items()}
    if encoder is not None:
        sims = embedding_similarity(hypotheses, references, encoder)
        out["embedding_similarity"] = round(float(np.mean(sims)), 4)
        out["signatures"]["embedding_similarity"] = f"enc:{encoder.id}|mean-cosine"
    return out


def sentence_scores(hypotheses: Sequence[str], references: Sequence[str],
                    lang: str) -> dict[str, list[float]]:
    """Sentence BLEU, chrF++ and TER of each hypothesis against its reference."""
    metrics = make_metrics(lang, sentence=True)
    out: dict[str, list[float]] = {key: [] for key in metrics}
    for hyp, ref in zip(hypotheses, references):
        for key, metric in metrics.items():
            out[key].append(metric.sentence_score(hyp, [ref]).score)
    return out


def sentence_chrf(hypothesis: str, reference: str) -> float:
    """chrF++ of one sentence (0..100), as ``CHRF(word_order=2).sentence_score``."""
    return _chrf()._compute_score_from_stats(list(_chrf_stats(hypothesis, reference))).score


@lru_cache(maxsize=1)
def _chrf() -> Any:
    from sacrebleu.metrics import CHRF

    return CHRF(word_order=2)


@lru_cache(maxsize=8192)
def _chrf_stats(hypothesis: str, reference: str) -> tuple[int, ...]:
    # sacrebleu's sufficient statistics of one pair (the API its significance tests use).
    return tuple(_chrf()._extract_corpus_statistics([hypothesis], [[reference]])[0])


def embedding_similarity(hypotheses: Sequence[str], references: Sequence[str],
                         encoder: Encoder) -> list[float]:
    """Cosine between the embedding of each hypothesis and that of its reference."""
    if not hypotheses:
        return []
    a = _normalised(encoder.encode(list(hypotheses)))
    b = _normalised(encoder.encode(list(references)))
    return [float(x) for x in np.sum(a * b, axis=1)]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    # The protocol promises unit rows; normalising again costs little and guards
    # against an encoder that does not.
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1, norms)
