"""Lexical anchors for the aligner: names and numbers that a sentence and its
translation share.

Sentence embeddings blur proper names and numbers, which are exactly what tells two
similar sentences apart in a free translation. Two kinds of anchor are cheap and
reliable across languages:

* Numbers, by value (``mtqa.text.numbers``): 1990 = 一九九〇, 3.5万 = 35,000. Values from 0
  to 10 are left out: "one of", 一个 are everywhere.
* Names written in pinyin on the Latin side: a run of capitalised words (``Xu
  Sanguan``) matches the same syllables read from the Chinese characters (许三观).
  Keys of fewer than five letters are left out (``Li``, ``Wang``: too many
  sentences share them).

``anchor_pairs`` returns the (source sentence, target sentence, weight) triples the
aligner adds to a bead that holds both sentences. A key shared by many sentences
nearby says little, so each key's weight is divided among its candidate pairs.
pypinyin's character table is loaded on first use (a fraction of a second).
"""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from mtqa.text.numbers import find_numbers

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")
_MIN_NAME = 5
_LATIN_LANGS = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    """pypinyin's table of single characters (code point -> readings).

    The table module is loaded on its own: importing the package loads its phrase
    dictionaries too (1-3 s here, against 0.2 s), and a name is read character by
    character anyway.
    """
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        raise ImportError("the aligner's name anchors need the package pypinyin")
    table = Path(spec.origin).with_name("pinyin_dict.py")
    loader = importlib.util.spec_from_file_location("_mtqa_pinyin_table", table)
    if not table.exists() or loader is None or loader.loader is None:
        # A packaging of pypinyin without the file: the ordinary (slower) import.
        from pypinyin.pinyin_dict import pinyin_dict

        return dict(pinyin_dict)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return dict(module.pinyin_dict)


@lru_cache(maxsize=65536)
def _syllable(char: str) -> str:
    """The most common reading of a character, without tone marks (许 -> xu)."""
    reading = _readings().get(ord(char), "").split(",")[0]
    return "".join(c for c in unicodedata.normalize("NFD", reading)
                   if not unicodedata.combining(c))


def _number_keys(text: str, lang: str) -> set[str]:
    keys = set()
    for number in find_numbers(text, lang):
        for value in (number.value, *number.alts):
            if value > 10 or value != int(value):
                keys.add(f"#{value:g}")
    return keys


def _pinyin_keys(text: str) -> set[str]:
    """Every run of two or three neighbouring Chinese characters, read as pinyin."""
    keys = set()
    for run in _HAN.findall(text):
        syllables = [_syllable(c) for c in run]
        for size in (2, 3):
            for i in range(len(syllables) - size + 1):
                key = "".join(syllables[i:i + size])
                if len(key) >= _MIN_NAME:
                    keys.add(key)
    return keys


def _name_keys(text: str) -> set[str]:
    """Capitalised words and runs of them, lower-cased, spaces and hyphens removed."""
    keys = set()
    for m in _CAPITALISED.finditer(text):
        words = re.split(r"[ -]", m.group())
        for whole in (words, words[-1:], words[:1]):
            key = "".join(whole).lower()
            if len(key) >= _MIN_NAME:
                keys.add(key)
    return keys


def sentence_keys(text: str, lang: str, other_lang: str) -> set[str]:
    """The anchor keys of one sentence; names only between Chinese and a Latin-script
    language (pinyin on one side, capitalised words on the other)."""
    keys = _number_keys(text, lang)
    if lang == "zh" and other_lang in _LATIN_LANGS:
        keys |= _pinyin_keys(text)
    elif lang in _LATIN_LANGS and other_lang == "zh":
        keys |= _name_keys(text)
    return keys


def anchor_pairs(source: Sequence[str], target: Sequence[str], source_lang: str,
                 target_lang: str, reach: int) -> list[tuple[int, int, float]]:
    """(source index, target index, weight) of sentences that share a key, at most
    ``reach`` sentences from the diagonal (scaled to the two lengths). A key's weight
    of 1 is shared among the target sentences it reaches, so a name on every line
    counts for little; a pair weighs what its most distinctive key gives it."""
    if not source or not target:
        return []
    where: dict[str, list[int]] = defaultdict(list)
    for j, text in enumerate(target):
        for key in sentence_keys(text, target_lang, source_lang):
            where[key].append(j)
    scale = len(target) / len(source)
    pairs: dict[tuple[int, int], float] = defaultdict(float)
    for i, text in enumerate(source):
        centre = i * scale
        for key in sentence_keys(text, source_lang, target_lang):
            near = [j for j in where.get(key, ()) if abs(j - centre) <= reach]
            for j in near:
                # One name yields several keys (xusanguan, sanguan): a pair counts once,
                # with the weight of its most distinctive key.
                pairs[(i, j)] = max(pairs[(i, j)], 1.0 / len(near))
    return [(i, j, w) for (i, j), w in sorted(pairs.items())]
