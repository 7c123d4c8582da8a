"""Reference-based metrics with sacrebleu, with their signatures.

The tokenizer follows the target language: ``zh`` for Chinese, ``ja-mecab`` is not
assumed installed so Japanese uses ``char``, ``13a`` otherwise. Chinese is never scored
with 13a, which would treat a whole sentence as one token.
"""
from __future__ import annotations

from typing import Any, Sequence


def bleu_tokenizer(lang: str) -> str:
    if lang == "zh":
        return "zh"
    if lang in ("ja", "ko", "th"):
        return "char"
    return "13a"


def reference_metrics(hypotheses: Sequence[str], references: Sequence[str],
                      lang: str) -> dict[str, Any]:
    """Corpus BLEU, chrF++ and TER of aligned hypothesis/reference texts."""
    from sacrebleu.metrics import BLEU, CHRF, TER  # imported only when a reference exists

    if not hypotheses or not any(r.strip() for r in references):
        return {}
    bleu = BLEU(tokenize=bleu_tokenizer(lang))
    chrf = CHRF(word_order=2)
    ter = TER(asian_support=lang in ("zh", "ja", "ko"))
    refs = [list(references)]
    b = bleu.corpus_score(list(hypotheses), refs)
    c = chrf.corpus_score(list(hypotheses), refs)
    t = ter.corpus_score(list(hypotheses), refs)
    return {
        "bleu": round(b.score, 2),
        "chrf": round(c.score, 2),
        "ter": round(t.score, 2),
        "signatures": {
            "bleu": str(bleu.get_signature()),
            "chrf": str(chrf.get_signature()),
            "ter": str(ter.get_signature()),
        },
    }
