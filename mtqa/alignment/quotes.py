"""Where a quotation is still open between two sentences, for the aligner.

A sentence splitter cuts inside quotations: ``'Well? Had enough? Give in?'`` is three
sentences, and so is a long speech. A translator often cuts a source quotation
differently, closing it around a moved "he said" in the middle, so a bead may well end
inside a quotation of the source while the translation's is closed there. The other
way round is rare: a translation seldom leaves a quotation open where the source has
closed its own. The aligner therefore charges a bead that ends where the target is
inside a quotation and the source is not (``EmbeddingAligner.quote_weight``); it pulls
the last sentences of a quoted speech into the bead of the speech they belong to.

``open_after(sentences, lang)`` gives, per sentence, whether a quotation is open after
it, following the quote marks of the language:

* Chinese and Japanese: ``“”`` ``‘’`` ``「」`` ``『』``; the marks say which way they face.
* English (and the other languages that open high): ``“”`` and ``‘’``, where ``’``
  between letters is an apostrophe; straight ``"`` and ``'`` open after a space or at
  the start of a sentence and close elsewhere (``don't`` and ``the boys' room`` are
  apostrophes).
* German and the others that open low: ``„“`` ``‚‘`` ``»«``.

It returns ``None`` for other languages. Where the marks do not pair up (a quotation
opened again before it closed, or never closed), the sentences of that quotation count
as outside: a missing mark in MT output must not put the rest of a document "inside".
A closing mark with nothing open is passed over (in English and German a lone
closing single mark is mostly an apostrophe, as in ``goin'``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from mtqa.text.langtags import LOW_OPENING_QUOTES, LanguageTagError, base_language

_HIGH_OPENING = frozenset({"en", "nl", "it", "es", "pt"})
_CJK = frozenset({"zh", "ja"})

# Marks that face one way only, by style: mark -> (quote kind, opens). Two kinds
# (double and single) nest independently.
_CJK_MARKS = {"“": ("d", True), "”": ("d", False), "「": ("d", True), "」": ("d", False),
              "‘": ("s", True), "’": ("s", False), "『": ("s", True), "』": ("s", False)}
_HIGH_MARKS = {"“": ("d", True), "”": ("d", False)}
_LOW_MARKS = {"„": ("d", True), "“": ("d", False), "»": ("d", True), "«": ("d", False),
              "‚": ("s", True), "‘": ("s", False)}
_ANY_MARK = re.compile("[\"'‘’“”「」『』„‚»«]")
# After one of these, a straight quote (or a curly single one in English) opens.
_BEFORE_OPENING = frozenset(" \t([{—–-“‘\"'„‚«»")


def open_after(sentences: Sequence[str], lang: str) -> np.ndarray | None:
    """Per sentence, whether a quotation is open after it (see the module docs), or
    ``None`` where the language's quote marks are unknown (or the tag names no
    language: the aligner takes any tag)."""
    try:
        base = base_language(lang)
    except LanguageTagError:
        return None
    if base in _CJK:
        marks, spaced = _CJK_MARKS, False
    elif base in _HIGH_OPENING:
        marks, spaced = _HIGH_MARKS, True
    elif base in LOW_OPENING_QUOTES:
        marks, spaced = _LOW_MARKS, True
    else:
        return None
    # Per kind of quote, the sentence where the open quotation began, or -1.
    began = {"d": -1, "s": -1}
    out = np.zeros(len(sentences), dtype=bool)
    for n, sentence in enumerate(sentences):
        text = sentence.strip()
        for found_mark in _ANY_MARK.finditer(text):
            k, ch = found_mark.start(), found_mark.group()
            if ch in marks:
                kind, opens = marks[ch]
            elif ch in "\"'‘’" and spaced:
                found = _spaced_mark(text, k, ch, base in LOW_OPENING_QUOTES)
                if found is None:
                    continue
                kind, opens = found
            elif ch in "\"'" and not spaced:
                # Straight marks in CJK text (no spaces to read): they alternate.
                kind = "d" if ch == '"' else "s"
                opens = began[kind] < 0
            else:
                continue
            if opens:
                if began[kind] >= 0:
                    # Opened again before it closed: the earlier quotation lost its
                    # closing mark (or a speech goes on in a new paragraph), so where
                    # it ended is unknown. Those sentences claim nothing.
                    _unknown(out, began, kind, n)
                began[kind] = n
            else:
                # A closing mark with nothing open claims nothing either.
                began[kind] = -1
        out[n] = began["d"] >= 0 or began["s"] >= 0
    for kind in began:
        if began[kind] >= 0:  # never closed
            _unknown(out, began, kind, len(sentences))
    return out


def _unknown(out: np.ndarray, began: dict[str, int], kind: str, stop: int) -> None:
    """Sentences from where ``kind``'s quotation began up to ``stop`` no longer count
    as inside it (they stay inside a quotation of the other kind that is open)."""
    start = began[kind]
    other = began["s" if kind == "d" else "d"]
    if other < 0:
        out[start:stop] = False
    elif other > start:
        out[start:other] = False
    began[kind] = -1


def _spaced_mark(text: str, k: int, ch: str, low: bool) -> tuple[str, bool] | None:
    """A straight or curly-single mark in a spaced language, read from its neighbours:
    (kind, opens), or ``None`` for an apostrophe or a mark that cannot be read."""
    before = text[k - 1] if k > 0 else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    if ch in "'’" and before.isalnum() and after.isalnum():
        return None  # don't, l'eau, rock'n'roll
    if ch == "’" and low:
        return None  # an apostrophe in the low-opening languages (‚...‘ is in the marks)
    kind = "d" if ch == '"' else "s"
    if ch == "‘":
        return None if before.isalnum() else (kind, True)
    if before in _BEFORE_OPENING and not after.isspace():
        if ch == "’":
            return None  # a right mark after a space: an elided word ('tis, ’em)
        return (kind, True)
    if ch in "'’" and before in "sS" and after.isspace():
        return None  # the boys' room: a possessive, most likely
    if before.isspace():
        return None  # a mark between spaces faces neither way
    return (kind, False)
