"""Finding the forms one thing takes across an English text: names of bodies, multi-word
terms, person and place names, quoted terms. The consistency checks group them.

Everything here works on the target alone, with rules for English; a form is always
an exact span of a segment (``Occurrence``), so a report can point at every place.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

from mtqa.model import Document

# A word: letters/digits with inner apostrophes and hyphens ("People's", "grass-roots").
WORD = re.compile(r"[^\W_](?:[\w'\u2019\-\u2010\u2011]*[^\W_])?")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_HYPHENS = re.compile(r"[\-\u2010\u2011]")
_NON_WORD = re.compile(r"[\W_]")
_PINYIN_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)?")
_NOT_AZ = re.compile(r"[^a-z]")

# Words that join the parts of a name ("Ministry of Housing and Urban-Rural
# Development"); "of the" ends a name ("the press office of the Ministry").
CONNECTORS = frozenset({"of", "and", "for", "on", "in", "&"})
STOPWORDS = frozenset("""
a an the of and or to in on at for with by from as is are was were be been being that
this these those it its their our his her we they he she you i which who whom whose
not but also all each every such more most than so into through about has have had
will would should can could may might must very only both any some other there here
what when where how why if then thus while after before over under between among up
out one no nor per via vs
""".split())

# Words that name the same kind of body in different translations of one Chinese
# head noun: 局/署/总局 (Bureau, Administration, Agency), 委员会 (Commission,
# Committee), and 安全 (security, safety).
SYNONYMS = {
    "administration": "@agency", "bureau": "@agency", "agency": "@agency",
    "commission": "@committee", "committee": "@committee",
    "chinese": "china", "centre": "center",
}
# Titles of people: a name headed by one is a post ("Minister of Economy"), never a
# variant of a body's name ("Ministry of Economy").
TITLES = frozenset("""minister secretary director chairman chairwoman chair president
governor mayor premier ambassador commissioner spokesman spokeswoman spokesperson deputy
head chief""".split())
_SUFFIXES = ("ational", "ation", "ical", "ment", "ness", "ing", "ity", "ic", "al", "y", "e")


@dataclass(frozen=True)
class Occurrence:
    """One place where a form appears: ``segment`` and offsets into its text."""

    segment: int
    start: int
    end: int
    text: str


class Token(NamedTuple):
    start: int
    end: int
    text: str


_new_token = partial(tuple.__new__, Token)
_START, _END, _GROUP = re.Match.start, re.Match.end, re.Match.group


@lru_cache(maxsize=32768)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of a text (remembered: several checks read the same segments)."""
    # Built with C-level calls only: a Python loop per word costs more than the scan.
    found = list(WORD.finditer(text))
    return tuple(map(_new_token, zip(map(_START, found), map(_END, found), map(_GROUP, found))))


@lru_cache(maxsize=32768)
def runs(text: str) -> tuple[tuple[Token, ...], ...]:
    """Runs of words separated only by spaces (no punctuation between them)."""
    out: list[tuple[Token, ...]] = []
    run: list[Token] = []
    for tok in tokens(text):
        if run and text[run[-1].end:tok.start].strip():
            out.append(tuple(run))
            run = []
        run.append(tok)
    if run:
        out.append(tuple(run))
    return tuple(out)


@lru_cache(maxsize=65536)
def strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word) if len(word) > 2 else word


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A crude English singular, applied the same way on both sides of a comparison."""
    w = strip_possessive(word)
    low = w.lower()
    if len(w) > 4 and low.endswith("ies"):
        return w[:-3] + ("y" if w[-1].islower() else "Y")
    if len(w) > 4 and low.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-folded, accents removed (Zhōu = Zhou)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A content word reduced to what variant names share (ecology/ecological,
    organization/organisation, administration/bureau)."""
    w = fold(singular(word)).replace("iz", "is")
    if w in TITLES:
        return "@" + w
    w = SYNONYMS.get(w, w)
    if w.startswith("@"):
        return w
    for _ in range(2):
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[:-len(suffix)]
                break
        else:
            break
    return SYNONYMS.get(w, w)


def sentence_initial(text: str, start: int) -> bool:
    """Whether ``text[start]`` starts a sentence (its capital tells nothing)."""
    before = text[:start].rstrip(" \t\"'“‘(《[")
    if before.endswith(("-", "—", "–")):
        return True  # after a dash: "Beijing (Xinhua) -- Promoting ..."
    return not before or before[-1] in ".!?:;。！？：；\n"


def title_case(text: str) -> bool:
    """A heading or headline in title case: its capitals tell nothing. (A sentence
    full of names ends with a period; a headline does not.)"""
    if text.rstrip(" \"'”’)").endswith((".", "。")):
        return False
    words = [t.text for t in tokens(text) if len(t.text) >= 4 and t.text.isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


@dataclass(frozen=True)
class Name:
    """A capitalised multi-word name (``Ministry of Ecology and Environment``)."""

    occurrence: Occurrence
    words: tuple[str, ...]

    @property
    def content(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w.lower() not in CONNECTORS)


_NAMES_CACHE: dict[int, tuple[Document, dict[int, list[Name]]]] = {}


def names(doc: Document, min_words: int = 2, segments: Iterable[int] | None = None) -> list[Name]:
    """Capitalised names of ``min_words`` or more words in every segment (computed
    once per document: several checks read them). With ``segments``, a caller that
    needs the names of only those segments may get just those (or all, when the
    document's names are already known)."""
    min_words = max(1, min_words)
    cached = _NAMES_CACHE.get(id(doc))
    if cached is None or cached[0] is not doc:
        if segments is not None:
            found = _find_names(doc, segments)
            return found if min_words == 1 else [n for n in found if len(n.content) >= min_words]
        if len(_NAMES_CACHE) > 8:
            _NAMES_CACHE.clear()
        cached = _NAMES_CACHE[id(doc)] = (doc, {1: _find_names(doc, range(len(doc.segments)))})
    by_size = cached[1]
    if min_words not in by_size:
        by_size[min_words] = [n for n in by_size[1] if len(n.content) >= min_words]
    return by_size[min_words]


def _find_names(doc: Document, segments: Iterable[int]) -> list[Name]:
    """Capitalised names in the given segments.

    A name is a run of capitalised words, joined by connectors (of, and, for, on, in,
    &); "of the" ends it; a leading sentence-initial function word ("The", "At") is
    not part of it; a possessive is left outside the span.
    """
    vocabulary: frozenset[str] | None = None
    out: list[Name] = []
    texts = doc.segments
    for index in segments:
        for group in _groups(texts[index].text):
            # Leading words that may be dropped: a stopword always, a sentence opener
            # when the word is written in lower case elsewhere in the document.
            k = 0
            for low in group.openers:
                if low is not None:
                    if vocabulary is None:
                        vocabulary = _lowercase_vocabulary(doc)
                    if low not in vocabulary:
                        break
                k += 1
            found = group.name(k)
            if found is not None:
                start, end, text, words = found
                out.append(Name(Occurrence(index, start, end, text), words))
    return out


class _Group:
    """A run of capitalised words in one text, before the document decides which
    sentence openers belong to it. ``openers``: for each leading word that may be
    dropped, None (a stopword: always dropped) or its lower case (dropped when the
    document uses it in lower case); the first word that may not be dropped ends it."""

    __slots__ = ("text", "toks", "openers", "_names")

    def __init__(self, text: str, toks: Sequence[Token]) -> None:
        self.text = text
        self.toks = tuple(toks)
        openers: list[str | None] = []
        for tok in self.toks:
            low = tok.text.lower()
            if low in STOPWORDS:
                openers.append(None)
            elif sentence_initial(text, tok.start):
                openers.append(low)
            else:
                break
        self.openers = tuple(openers)
        self._names: dict[int, tuple[int, int, str, tuple[str, ...]] | None] = {}

    def name(self, k: int) -> tuple[int, int, str, tuple[str, ...]] | None:
        """(start, end, text, words) of the name without its first
        ``k`` words, or None when nothing is left."""
        if k in self._names:
            return self._names[k]
        toks = list(self.toks[k:])
        while toks and toks[-1].text.lower() in CONNECTORS:
            toks.pop()
        found = None
        if any(t.text.lower() not in CONNECTORS for t in toks):
            start, end = toks[0].start, toks[-1].end
            last = toks[-1].text
            trimmed = strip_possessive(last)
            end -= len(last) - len(trimmed)
            words = tuple(t.text for t in toks[:-1]) + (trimmed,)
            found = (start, end, self.text[start:end], words)
        self._names[k] = found
        return found


@lru_cache(maxsize=32768)
def _groups(text: str) -> tuple[_Group, ...]:
    """The runs of capitalised words of a text (remembered, as ``tokens``)."""
    out: list[_Group] = []
    for run in runs(text):
        current: list[Token] = []
        for pos, tok in enumerate(run):
            word = tok.text
            first = word[0]
            if not current and not first.isupper():
                continue  # the common case: an ordinary lower-case word
            capital = first.isupper() or first.isdigit()
            if capital and word.lower() != "the":
                current.append(tok)
                continue
            nxt = run[pos + 1] if pos + 1 < len(run) else None
            if (current and word.lower() in CONNECTORS and nxt is not None
                    and nxt.text[0].isupper() and nxt.text.lower() != "the"):
                current.append(tok)
                continue
            if current:
                out.append(_Group(text, current))
                current = []
        if current:
            out.append(_Group(text, current))
    return tuple(out)


def _lowercase_vocabulary(doc: Document) -> frozenset[str]:
    return frozenset().union(*(_lowercase_words(seg.text) for seg in doc.segments))


@lru_cache(maxsize=32768)
def _lowercase_words(text: str) -> frozenset[str]:
    return frozenset(t.text for t in tokens(text) if t.text[0].islower())


def name_key(words: Sequence[str]) -> tuple[str, ...]:
    """What variant names of one body share: the stems of their content words (with
    synonyms merged), in any order."""
    return _name_key(tuple(words))


@lru_cache(maxsize=32768)
def _name_key(words: tuple[str, ...]) -> tuple[str, ...]:
    parts: list[str] = []
    for w in words:
        if w.lower() in CONNECTORS:
            continue
        parts.extend(stem(p) for p in _HYPHENS.split(w) if p)
    return tuple(sorted(parts))


def spelling(words: Sequence[str]) -> str:
    """A form's letters only, case-folded, singular: forms that differ only in case,
    hyphens or spacing have the same spelling."""
    if not words:
        return ""
    return _NON_WORD.sub("", fold(" ".join(singular(w) for w in words)))


# Common Chinese surnames in pinyin (and the Wade-Giles forms seen in Taiwan and Hong
# Kong names), used to recognise person names.
SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo
zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang
yu du ye cheng wei su lu ding ren shen yao jin fu zhong cui tan qiu qin kong xue lei
bai long duan hao shao shi mao wan gu lai kang hou meng qian yin yi chang niu fang
jia xiang zou xiong qi wen ni fan mo ou zhan bao hong chai chu geng hua ji jing kou
lan lian liao lou miao mu nie pang pei qiao rao rong sha shang tao tong xia xin yan
ying zhuo chan cheung chow chu kwok lam lau lee leung ng tse tsang wong yeung
""".split())

# Places with two romanisations in use; both spellings in one text is inconsistent.
PLACE_VARIANTS = {
    "macau": "macao", "peking": "beijing", "tientsin": "tianjin", "nanking": "nanjing",
    "chungking": "chongqing", "sinkiang": "xinjiang", "amoy": "xiamen",
    "tsingtao": "qingdao", "kwangtung": "guangdong", "hongkong": "hong kong",
    "szechuan": "sichuan", "szechwan": "sichuan", "hangchow": "hangzhou",
    "soochow": "suzhou", "fukien": "fujian", "kiangsu": "jiangsu", "shensi": "shaanxi",
    "kweichow": "guizhou", "yunnanfu": "kunming",
}


# Countries written in full and abbreviated: mixing the forms reads as inconsistent
# (WMT MQM raters mark "U.S." beside "the United States").
COUNTRY_FORMS = {
    "United States": re.compile(r"(?<![\w.])(?:United States(?: of America)?|U\.S\.(?:A\.)?|USA|US)"
                                r"(?![\w])"),
    "United Kingdom": re.compile(r"(?<![\w.])(?:United Kingdom|U\.K\.|UK)(?![\w])"),
}


@lru_cache(maxsize=32768)
def may_name_person(text: str) -> bool:
    """Whether a text has a capitalised word that reads as a Chinese surname (a cheap
    test before looking for person names in it)."""
    return any(map(_surname_like, capital_words(text)))


@lru_cache(maxsize=32768)
def capital_words(text: str) -> frozenset[str]:
    """The words of a text that start with a capital letter (remembered per text)."""
    return frozenset(word for word in WORD.findall(text) if word[0].isupper())


@lru_cache(maxsize=65536)
def _surname_like(word: str) -> bool:
    return (_NOT_AZ.sub("", fold(word)) in SURNAMES
            or _NOT_AZ.sub("", fold(strip_possessive(word))) in SURNAMES)


def person_key(words: Sequence[str]) -> tuple[str, str] | None:
    """(surname, given name) of a Chinese name in either order, letters only, or None."""
    return _person_key(tuple(words))


@lru_cache(maxsize=32768)
def _person_key(words: tuple[str, ...]) -> tuple[str, str] | None:
    if not 2 <= len(words) <= 3 or any(not _PINYIN_WORD.fullmatch(w)
                                       for w in words):
        return None
    folded = [_NOT_AZ.sub("", fold(w)) for w in words]
    if folded[0] in SURNAMES:
        return folded[0], "".join(folded[1:])
    if folded[-1] in SURNAMES and len(words) == 2:
        return folded[-1], folded[0]
    return None
