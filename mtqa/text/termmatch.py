"""Finding glossary phrases in text.

Two kinds of phrase, chosen by script:

* Chinese/Japanese/Korean phrases match exactly, through one trie-shaped regular
  expression, so a scan is a single pass and the longest term at a position wins.
* Latin-script phrases match tolerantly: case-insensitively (unless the term is case
  sensitive), with any run of spaces, a line break or a hyphen between words (or
  nothing: ``grass roots`` = ``grass-roots`` = ``grassroots``), a plural ending on the
  last word (``chief``/``chiefs``, ``ministry``/``ministries``, ``branch``/``branches``)
  and a possessive (``'s``), and curly or straight apostrophes. Candidates are found by
  the first three letters of a word, so the cost grows with the text, not with the
  glossary.

A ``Hit`` is the exact span of the text that matched. ``longest`` keeps leftmost-longest
hits without overlaps, so ``河长制办公室`` is one hit, not also ``河长制`` and ``河长``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORD = re.compile(r"\w+")
_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]+")
# What may stand between two words of a term: spaces/line breaks, a hyphen, or nothing.
_SEP = r"(?:\s*[-\u2010\u2011\u2012\u2013]\s*|\s+|)"
_APOSTROPHE = re.compile(r"['\u2019]")


@dataclass(frozen=True)
class Hit:
    """A phrase found in a text: ``text[start:end]`` matched ``phrase`` of ``payload``."""

    start: int
    end: int
    text: str
    phrase: str
    payload: Any


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _word_pattern(word: str, last: bool) -> str:
    body = _APOSTROPHE.sub("['\u2019]", re.escape(word))
    if not last or not word.isalpha():
        return body
    low = word.lower()
    if low.endswith("y") and len(word) > 2 and low[-2] not in "aeiou":
        stem = re.escape(word[:-1])
        body = f"{stem}(?:{word[-1]}|ies|IES)"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        body = f"{body}(?:es|ES)?"
    else:
        body = f"{body}(?:s|S)?"
    return body + "(?:['\u2019]s)?"


def latin_pattern(phrase: str) -> str:
    """The tolerant regular expression of a Latin-script phrase (see module docs)."""
    words = [w for w in _SPLIT.split(phrase.strip()) if w]
    parts = [_word_pattern(w, i == len(words) - 1) for i, w in enumerate(words)]
    return r"(?<!\w)" + _SEP.join(parts) + r"(?!\w)"


@cache
def compiled(phrase: str, case_sensitive: bool) -> re.Pattern[str]:
    """The tolerant pattern of a phrase, compiled when first needed (most glossary
    phrases never meet a candidate word in a given document)."""
    return re.compile(latin_pattern(phrase), 0 if case_sensitive else re.I)


def _trie_regex(words: Iterable[str]) -> str:
    """One regular expression for a set of literal strings, shaped like their trie, so
    that matching is one pass and the longest alternative at a position wins."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # The whole remainder is optional and greedy: longer first.
            return f"(?:{body})?"
        return body if len(branches) == 1 else body

    return build(trie)


class PhraseMatcher:
    """Finds many phrases in texts. ``phrases`` are (phrase, payload, case_sensitive)."""

    def __init__(self, phrases: Sequence[tuple[str, Any, bool]]) -> None:
        self._cjk: dict[str, list[Any]] = {}
        self._latin: dict[str, list[tuple[str, bool, Any, int]]] = {}
        for phrase, payload, sensitive in phrases:
            phrase = " ".join(phrase.split())
            if not phrase:
                continue
            if is_cjk(phrase):
                self._cjk.setdefault(phrase, []).append(payload)
                continue
            first = _WORD.search(phrase)
            if first is None:
                continue
            # Matching starts at a word: a phrase that opens with punctuation ("(CPC)")
            # starts that many characters earlier.
            self._latin.setdefault(first.group()[:3].casefold(), []).append(
                (phrase, sensitive, payload, first.start()))
        self._cjk_re = re.compile(_trie_regex(self._cjk)) if self._cjk else None
        self._memo: dict[str, list[Hit]] = {}

    def __bool__(self) -> bool:
        return bool(self._cjk or self._latin)

    def find(self, text: str) -> list[Hit]:
        """Every hit, overlapping ones included, in text order (remembered per text:
        several checks scan the same segments)."""
        cached = self._memo.get(text)
        if cached is None:
            if len(self._memo) >= 50_000:
                self._memo.clear()
            cached = self._memo[text] = self._find(text)
        return list(cached)

    def _find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        if self._cjk_re is not None and is_cjk(text):
            # Overlapping CJK hits: restart one character after each hit's start.
            pos = 0
            while True:
                m = self._cjk_re.search(text, pos)
                if m is None:
                    break
                if m.end() > m.start():
                    for payload in self._cjk[m.group()]:
                        hits.append(Hit(m.start(), m.end(), m.group(), m.group(), payload))
                    # Shorter terms that start here (河长 inside 河长制) are hits too.
                    for k in range(m.end() - 1, m.start(), -1):
                        piece = text[m.start():k]
                        for payload in self._cjk.get(piece, ()):
                            hits.append(Hit(m.start(), k, piece, piece, payload))
                pos = m.start() + 1
        if self._latin:
            for w in _WORD.finditer(text):
                candidates = self._latin.get(w.group()[:3].casefold())
                if not candidates:
                    continue
                for phrase, sensitive, payload, lead in candidates:
                    if lead > w.start():
                        continue
                    m = compiled(phrase, sensitive).match(text, w.start() - lead)
                    if m:
                        hits.append(Hit(m.start(), m.end(), m.group(), phrase, payload))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        return hits

    def longest(self, text: str) -> list[Hit]:
        """Leftmost-longest hits without overlaps (one per span; first payload wins)."""
        out: list[Hit] = []
        end = -1
        for hit in self.find(text):
            if hit.start >= end:
                out.append(hit)
                end = hit.end
        return out


def without_overlaps(hits: Sequence[Hit]) -> list[Hit]:
    """Leftmost-longest selection of already-found hits."""
    out: list[Hit] = []
    end = -1
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if hit.start >= end:
            out.append(hit)
            end = hit.end
    return out
