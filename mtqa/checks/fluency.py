"""Fluency checks on words: repeated words and phrases, split compounds (punctuation
checks of the same family are in punctuation.py)."""
from __future__ import annotations

import operator
import re
from collections.abc import Iterable

from mtqa.checks._english import SENTENCE_STARTERS
from mtqa.checks._text import words
from mtqa.checks.base import Context, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity

_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)(\s+\1\b)+", re.IGNORECASE)
# Doubling that grammar allows: English, and German relative pronoun + article.
_ALLOWED_REPEATS = frozenset({"had", "that", "is", "do", "bye", "no", "very", "so",
                              "ha", "knock", "hush", "tut", "yada"})
_ALLOWED_BY_LANG = {"de": frozenset({"der", "die", "das", "den", "dem", "des", "sie"}),
                    "nl": frozenset({"die", "dat"})}


@register
class RepeatedWord(TargetCheck):
    """The same word twice in a row.

    Flags ``the the``, ``of of``, ``The the`` (case-insensitive), in Latin-script
    text. Doublings that grammar allows (``had had``, ``that that``; German ``die die``,
    ``das das``) and doubled capitalised words, which are names (``Fang Fang``), pass.

    Fires: ``the the branch``
    Passes: ``what he had had for lunch``

    Fix (unsafe): ``the the branch`` -> ``the branch``
    """

    code = "FL01"
    name = "fluency.repeated-word"
    category = "fluency/grammar"
    severity = Severity.MINOR
    noise = True
    # Some doublings are deliberate: ``mtqa fix`` removes them only when asked.
    fix_safety = "unsafe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        w = words(text)
        if not any(map(operator.eq, w, w[1:])):
            return
        for m in _REPEATED_WORD.finditer(text):
            word = m.group(1)
            if word.lower() in _ALLOWED_REPEATS or not word.isascii() and not word.isalpha():
                continue
            if word.lower() in _ALLOWED_BY_LANG.get(ctx.target.lang, ()):
                continue
            # German capitalises every noun, so only English reads "Xx Xx" as a name.
            if (ctx.target.lang == "en" and word.istitle() and m.group(2).lstrip().istitle()
                    and word.lower() not in SENTENCE_STARTERS):
                continue  # Fang Fang, Ylang Ylang, Bora Bora: names (but "The the", "THE THE")
            if any("\u4e00" <= ch <= "\u9fff" for ch in word):
                continue  # 看看, 常常: reduplication is Chinese grammar
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"repeated word {word!r}", suggestion=word)


# Phrases that English repeats on purpose: "again and again", "more and more".
_ALLOWED_AND_REPEATS = frozenset({
    "again", "more", "less", "over", "on", "round", "around", "through", "back", "out",
    "up", "down", "in", "off", "by", "year", "years", "day", "days", "hour", "hours",
    "week", "weeks", "time", "times", "mile", "miles", "step", "side", "bit", "little",
    "few", "many", "much", "far", "wide", "high", "low", "now", "then", "forth", "bigger",
    "better", "worse", "faster", "higher", "larger", "stronger", "longer", "closer",
    "deeper", "greater", "smaller", "wider", "lower", "further", "farther", "slower",
    "louder", "harder", "easier",
})
_AND_REPEAT = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+){0,5})\s+and\s+\1\b", re.IGNORECASE)
_ADJACENT_REPEAT = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+){1,5})\s+\1\b", re.IGNORECASE)


def _and_repeat(w: list[str]) -> bool:
    """Whether some ``X and X`` (X of one to six words) occurs in the word list."""
    j = -1
    while True:
        try:
            j = w.index("and", j + 1)
        except ValueError:
            return False
        for k in range(1, 7):
            if k > j or j + 1 + k > len(w):
                break
            if w[j - k:j] == w[j + 1:j + 1 + k]:
                return True


def _adjacent_repeat(w: list[str]) -> bool:
    """Whether a phrase of two to six words is followed right away by itself.

    A phrase that repeats starts with a word that recurs two to six words later; the
    last earlier place of each word is enough to find it (one pass, no regex).
    """
    n = len(w)
    last: dict[str, int] = {}
    for i, x in enumerate(w):
        j = last.get(x)
        if j is not None:
            k = i - j
            if 2 <= k <= 6 and i + k <= n and w[j:i] == w[i:i + k]:
                return True
        last[x] = i
    return False


@register
class RepeatedPhrase(TargetCheck):
    """A phrase said twice: ``X and X`` or a run of words repeated right after itself.

    Machine translation of Chinese parallel structures (互学互鉴, 指示批示) often gives
    ``study together and study together`` or ``reports and reports``. Intensifying
    repeats that English uses (``more and more``, ``again and again``, ``bigger and bigger``) pass.

    Fires: ``the villages should study together and study together``
    Fires: ``the plan for the plan for the year``
    Passes: ``more and more people``, ``step by step``

    Fix (unsafe): ``should study together and study together now`` -> ``should
    study together now``
    """

    code = "FL02"
    name = "fluency.repeated-phrase"
    category = "fluency/grammar"
    severity = Severity.MINOR
    noise = True
    fix_safety = "unsafe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        w = words(text)
        taken: list[tuple[int, int]] = []
        if " and " in text and _and_repeat(w):
            for m in _AND_REPEAT.finditer(text):
                phrase = m.group(1)
                parts = phrase.lower().split()
                if len(parts) == 1 and (parts[0] in _ALLOWED_AND_REPEATS
                                        or parts[0].endswith("er")):
                    continue
                taken.append((m.start(), m.end()))
                yield self.flag(ctx, index, m.start(), m.end(),
                                f"{phrase!r} is said twice", suggestion=phrase)
        if not _adjacent_repeat(w):
            return
        for m in _ADJACENT_REPEAT.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue  # "X and X and": one problem, already reported
            phrase = m.group(1)
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"phrase {phrase!r} repeated", suggestion=phrase)


# "cross border", "co management": a prefix that is not a word of its own.
_SPLIT_PREFIX = re.compile(
    r"\b(?P<prefix>[Cc]o|[Nn]on|[Mm]ulti|[Aa]nti|[Ss]emi|[Pp]re|[Ii]nter|[Ss]elf"
    r"|[Cc]ross(?= [a-z]+(?:al|ic|ial|ed)\b)) (?P<word>[a-z]{3,})\b")
_PREFIX_GATES = frozenset({"co", "non", "multi", "anti", "semi", "pre", "inter", "self",
                           "cross"})
# "data based decisions": a noun + participle used as an adjective.
_SPLIT_COMPOUND = re.compile(
    r"\b(?P<noun>[A-Za-z][a-z]{2,}) (?P<part>based|oriented|driven|centred|centered)"
    r"(?!\s+(?:on|upon|in|at|to|towards?|by|from|with|around|for|off|out|of)\b)")
_NOT_NOUNS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "not", "and", "or", "but", "the",
    "a", "an", "well", "mainly", "largely", "also", "both", "all", "who", "which", "that",
    "it", "they", "we", "he", "she", "has", "have", "had", "get", "gets", "got", "become",
    "becomes", "became", "remain", "remains", "remained", "seem", "seems", "very", "more",
    "most", "less", "much", "so", "too", "fully", "entirely",
})


@register
class MissingHyphen(TargetCheck):
    """A compound written as two words: ``co management``, ``data based``.

    Also ``cross border`` and ``Results oriented``. Flags a prefix that is not a
    word on its own (co, non, multi, anti, semi, pre, inter, self; cross before an
    adjective) followed by a space, and a noun followed by based/oriented/driven/centred
    used as an adjective (not followed by on, in, to...).

    Fires: ``the co management of the river``
    Passes: ``co-management``, ``a platform based on data``
    """

    code = "FL08"
    name = "fluency.missing-hyphen"
    category = "fluency/spelling"
    severity = Severity.MINOR
    noise = True

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if not _PREFIX_GATES.isdisjoint(words(text)):
            yield from self._prefixes(ctx, index, text)
        if "based" in text or "oriented" in text or "driven" in text or "cent" in text:
            yield from self._compounds(ctx, index, text)

    def _prefixes(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        for m in _SPLIT_PREFIX.finditer(text):
            fixed = f"{m.group('prefix')}-{m.group('word')}"
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"{m.group()!r} is one word: {fixed!r}", suggestion=fixed)

    def _compounds(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        for m in _SPLIT_COMPOUND.finditer(text):
            noun = m.group("noun")
            if noun.lower() in _NOT_NOUNS or noun.endswith("ly"):
                continue
            fixed = f"{noun}-{m.group('part')}"
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"{m.group()!r} used as an adjective is hyphenated: {fixed!r}",
                            suggestion=fixed)
