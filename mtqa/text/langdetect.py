"""Language identification: script first, then a statistical model for Latin script.

Han without kana is Chinese, kana is Japanese, Hangul is Korean; Cyrillic, Greek,
Arabic, Hebrew, Thai and Devanagari text is identified among its script's languages by
py3langid (a maintained, bundled model: no download), loaded only when needed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# What py3langid may answer; a closed list avoids exotic guesses on short texts.
_CANDIDATES = [
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk",
    "sl", "hr", "hu", "ro", "tr", "id", "ms", "vi", "ru", "uk", "bg", "el", "ar", "he",
    "fa", "hi", "th", "et", "lv", "lt", "ca",
]


def script_counts(text: str) -> dict[str, int]:
    """Count letters per script: han, kana, hangul, latin, other."""
    counts = {"han": 0, "kana": 0, "hangul": 0, "latin": 0, "other": 0}
    for ch in text:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF:
            counts["han"] += 1
        elif 0x3040 <= o <= 0x30FF:
            counts["kana"] += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            counts["hangul"] += 1
        elif ch.isalpha():
            if o < 0x250 or unicodedata.name(ch, "").startswith("LATIN"):
                counts["latin"] += 1
            else:
                counts["other"] += 1
    return counts


def detect(text: str) -> str:
    """ISO 639-1 code of the main language of ``text`` (``en`` when unsure)."""
    sample = text[:20000]
    c = script_counts(sample)
    letters = sum(c.values())
    if letters == 0:
        return "en"
    if c["kana"] > 0.05 * letters:
        return "ja"
    if c["hangul"] > 0.3 * letters:
        return "ko"
    # A Chinese character stands for a word; Latin letters for a fraction of one.
    if c["han"] * 3 > c["latin"] + c["other"]:
        return "zh"
    if c["latin"] + c["other"] < 12:
        return "en"  # too little text to tell; English is the common target
    if _looks_english(sample):
        return "en"  # the common case, without loading the model (~1 s)
    lang, _score = _model().classify(sample[:4000])
    return str(lang)


_EN_FUNCTION_WORDS = frozenset(
    "the of and to in is that for it was on with as by at from this be are have has "
    "an which not but or were their its will been".split()
)


def _looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text[:4000].lower())
    if len(words) < 8:
        return False
    hits = sum(1 for w in words if w in _EN_FUNCTION_WORDS)
    # English prose runs at 25-40 % function words; German/French/Spanish below 5 %
    # of these particular ones.
    return hits / len(words) > 0.15


@lru_cache(maxsize=1)
def _model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(_CANDIDATES)
    return identifier
