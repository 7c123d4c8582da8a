"""Target-only consistency checks (English): the variant forms a reader notices without
the source. One body under two names (CO04), one term in three capitalisations (CO05),
one name in two romanisations (CO06), one term sometimes in quotes (CO07). Grouping
and reporting are shared with ``consistency``.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from mtqa.checks.base import Check, Context
from mtqa.checks.consistency import forbidden_form, group_issue, loose_form
from mtqa.checks.registry import register
from mtqa.model import Document, Issue, Severity
from mtqa.text import variants as V
from mtqa.text.variants import Occurrence

_HYPHEN = re.compile(r"[-\u2010\u2011]")
_OF = re.compile(r"\s(?:of|for|on|in)\s")



@register
class EntityVariants(Check):
    """One body or entity written under variant names.

    Finds capitalised names of two or more words and groups those that are the same
    name in different words: synonyms that translate one Chinese head noun (Bureau /
    Administration / Agency for 局 and 署, Commission / Committee for 委员会,
    Security / Safety for 安全), derived forms (Ecology and Environment / Ecological
    Environment), spelling variants (Centre / Center, -isation / -ization) and typos
    (found with rapidfuzz). Differences of case, hyphens or spacing alone are left to
    CO05. Also a country written both in full and abbreviated (``the United States`` /
    ``U.S.`` / ``US``), which MQM raters mark as inconsistent. Works without a source;
    English translations.

    Fires:
        target: Staff of the Linchuan Environment Protection Bureau met.
        target: Lin Qiao of the Linchuan Environmental Protection Bureau spoke.
        target: The Linchuan Environmental Protection Bureau issues 300 permits a year.

    Passes (two different ministries):
        target: The Ministry of Education and the Ministry of Finance met.
        target: The Ministry of Finance spoke.

    Fix (unsafe): every variant written as the majority name (which may be the wrong
    one).
    """

    code = "CO04"
    name = "consistency.entity-variant"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    target_langs = frozenset({"en"})
    defaults = {"typo_similarity": 88}
    # The majority name may be the wrong one: ``mtqa fix`` aligns it only when asked.
    fix_safety = "unsafe"

    def run(self, ctx: Context) -> Iterator[Issue]:
        groups: dict[tuple[str, ...], list[V.Name]] = defaultdict(list)
        for name in V.names(ctx.target):
            key = V.name_key(name.words)
            if len(key) >= 2 and not V.person_key(name.words):
                groups[key].append(name)
        for found in _merge_typos(groups, float(self.opts["typo_similarity"])):
            if len(found) < 2:
                continue  # one name, written once
            by_spelling: dict[str, list[V.Name]] = defaultdict(list)
            for name in found:
                # "East Germany" / "East German": a country and its adjective, not two
                # names of one thing; a final -y is dropped before comparing.
                by_spelling[V.spelling([w.rstrip("yY") for w in name.words])].append(name)
            if len(by_spelling) < 2:
                continue
            forms: dict[str, list[Occurrence]] = {}
            for members in by_spelling.values():
                shown = Counter(n.occurrence.text for n in members).most_common(1)[0][0]
                forms[shown] = sorted((n.occurrence for n in members),
                                      key=lambda o: (o.segment, o.start))
            forms = {f: o for f, o in forms.items() if not forbidden_form(ctx, f)}
            if len(forms) < 2:
                continue  # the variant is a forbidden rendering: TE01 reports it
            if len({tuple(sorted(V.fold(f).split())) for f in forms}) == 1:
                continue  # "Hong Kong and Macau" / "Macau and Hong Kong": the same words
            yield group_issue(self, ctx, forms, "one name")
        yield from self._countries(ctx)

    def _countries(self, ctx: Context) -> Iterator[Issue]:
        for country, pattern in V.COUNTRY_FORMS.items():
            forms: dict[str, list[Occurrence]] = defaultdict(list)
            for index, seg in enumerate(ctx.target.segments):
                if "U" not in seg.text or seg.text.isupper():
                    continue  # every form has a capital U
                for m in pattern.finditer(seg.text):
                    forms[m.group()].append(Occurrence(index, m.start(), m.end(), m.group()))
            if len(forms) > 1:
                yield group_issue(self, ctx, dict(forms), f"one country ({country})")


def _merge_typos(groups: Mapping[tuple[str, ...], list[V.Name]],
                 threshold: float) -> list[list[V.Name]]:
    """Join groups whose keys differ in one word that is spelled almost the same."""
    keys = list(groups)
    parent = {k: k for k in keys}

    def root(k: tuple[str, ...]) -> tuple[str, ...]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    buckets: dict[tuple[int, tuple[str, ...]], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for key in keys:
        for i, word in enumerate(key):
            buckets[(i, key[:i] + key[i + 1:])].append((word, key))
    for members in buckets.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                (w1, k1), (w2, k2) = members[a], members[b]
                if (min(len(w1), len(w2)) >= 5 and not w1.startswith(w2)
                        and not w2.startswith(w1) and "@" not in w1 + w2
                        and fuzz.ratio(w1, w2) >= threshold):
                    parent[root(k1)] = root(k2)
    merged: dict[tuple[str, ...], list[V.Name]] = defaultdict(list)
    for key in keys:
        merged[root(key)].extend(groups[key])
    return list(merged.values())


@register
class TermForm(Check):
    """One multi-word term written in different capitalisations, hyphenations or
    spacings.

    Looks at every phrase of two or three words (and hyphenated or closed compounds)
    that occurs more than once (three times for a difference of case alone), and
    groups the occurrences that differ only in case, hyphens or spaces: ``party branch`` /
    ``Party branch`` / ``Party Branch``,
    ``grass-roots`` / ``grass roots`` / ``grassroots``. A capital at the start of a
    sentence or in a title-case heading tells nothing and is not counted, nor is a
    capitalised phrase that is only part of a longer name (``Water Resources`` in
    ``Yunxi Provincial Water Resources Administration``). When one word varies in many
    phrases, the phrase where it varies most is reported once. Works without a source;
    English translations.

    Fires:
        target: More than 200 river chiefs attended.
        target: The river chiefs at all levels must act.
        target: Li Xiumei, River Chief of Shimen County, said so.

    Passes (a capital at the start of a sentence tells nothing):
        target: The river chiefs met.
        target: River chiefs at all levels must act.

    Fix (unsafe): every variant written in the majority form, keeping a capital that
    starts a sentence; none when a variant differs in number.
    """

    code = "CO05"
    name = "consistency.term-form"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    target_langs = frozenset({"en"})
    fix_safety = "unsafe"

    def run(self, ctx: Context) -> Iterator[Issue]:
        found = self._phrases(ctx.target)
        candidates = []
        for key, occs in found.items():
            forms = _forms(occs)
            if len(forms) > 1:
                candidates.append((len(occs), key, forms))
        # The phrase where a word varies most explains that word's variation elsewhere.
        candidates.sort(key=lambda c: (-c[0], len(c[1])))
        explained: set[tuple[int, int]] = set()
        for _, _key, forms in candidates:
            majority = max(forms, key=lambda f: len(forms[f]))
            ref = forms[majority][0].words
            varying: set[tuple[int, int]] = set()
            for form, occs in forms.items():
                if form == majority:
                    continue
                for p in occs:
                    if len(p.words) != len(ref):
                        varying.update((p.occ.segment, s) for s in p.starts)
                    else:
                        varying.update((p.occ.segment, s) for w, r, s
                                       in zip(p.words, ref, p.starts) if w != r)
            if varying <= explained:
                continue
            explained.update((p.occ.segment, s) for occs in forms.values()
                             for p in occs for s in p.starts)
            shown = {_shown(occs): [p.occ for p in occs] for occs in forms.values()}
            sensitive = ({loose_form(x) for x in ctx.glossary.sensitive_forms}
                         if ctx.glossary is not None else set())
            if any(forbidden_form(ctx, f) or loose_form(f) in sensitive for f in shown):
                continue  # TE01 / TE03 report these against the glossary
            issue = group_issue(self, ctx, shown, "one term")
            if issue.suggestion is not None and issue.target is not None:
                issue = dataclasses.replace(issue, suggestion=fit_form(
                    issue.suggestion, issue.target.text, ctx))
            yield issue

    def _phrases(self, doc: Document) -> dict[str, list[_Phrase]]:
        # The phrases of each text are found once (``_phrase_places``); here, the keys
        # (letters, case-folded, last word singular) written in more than one form in
        # this document, and occurrences for those keys alone. A key written in one
        # form only (perhaps singular and plural) cannot give two forms.
        per_segment = [_phrase_places(seg.text) for seg in doc.segments]
        forms = frozenset().union(*(p.forms for p in per_segment))
        keys = frozenset().union(*(p.keys for p in per_segment))
        if len(forms) == len(keys):
            return {}  # every key in one form
        # Forms whose capitals tell nothing (a sentence start, a heading) join a form
        # that differs from them in case only: a key needs two forms that differ in
        # more than case and one form whose capitals count, or two such forms.
        counts = Counter(map(itemgetter(0), forms))
        shapes = Counter(map(itemgetter(0), frozenset().union(*(p.shapes for p in per_segment))))
        known = Counter(map(itemgetter(0), frozenset().union(
            *(p.known for p, seg in zip(per_segment, doc.segments) if seg.kind != "heading"))))
        varies = sorted(k for k, n in counts.items()
                        if n > 1 and (known[k] > 1 or (known[k] and shapes[k] > 1)))
        if not varies:
            return {}
        name_spans = _name_spans(doc)
        found: dict[str, list[_Phrase]] = {key: [] for key in varies}
        for index, places in enumerate(per_segment):
            if places.keys.isdisjoint(found):
                continue
            text = doc.segments[index].text
            seg_runs = V.runs(text)
            heading = doc.segments[index].kind == "heading"
            for key, _, r, i, j, capitals_count in places.places:
                out = found.get(key)
                if out is None:
                    continue
                toks = seg_runs[r][i:j + 1]
                raw_last = V.strip_possessive(toks[-1].text)
                start, end = toks[0].start, toks[-1].start + len(raw_last)
                words = tuple(t.text for t in toks[:-1]) + (V.singular(raw_last),)
                if (any(w[:1].isupper() for w in words)
                        and _inside_name(name_spans.get(index, ()), start, end)):
                    continue
                capitals_tell = capitals_count and not heading
                out.append(_Phrase(Occurrence(index, start, end, text[start:end]), words,
                                   capitals_tell,
                                   tuple(t.start for t in toks), V.singular(raw_last) != raw_last))
        return {key: occs for key, occs in found.items() if occs}


def fit_form(suggestion: str, flagged: str, ctx: Context) -> str:
    """The majority form ``suggestion`` made to replace ``flagged`` where it stands: in
    the flagged text's number (``river chief`` for a flagged singular, not the plural
    the majority was written in) and, where the glossary writes the term, in the
    glossary's capitals (``Party building``, not the majority's ``party building``)."""
    words, flagged_words = suggestion.split(" "), flagged.split(" ")
    if words and flagged_words:
        last, flagged_last = words[-1], flagged_words[-1]
        plural_suffix = flagged_last[len(V.singular(flagged_last)):]
        if V.singular(last) != last and not plural_suffix:
            words[-1] = V.singular(last)
        elif V.singular(last) == last and plural_suffix:
            words[-1] = last + plural_suffix
    fitted = " ".join(words)
    if ctx.glossary is not None:
        key = fitted.casefold()
        for term in ctx.glossary.terms:
            for target in term.targets:
                if target.casefold() == key:
                    return target
    return fitted


class _Places(NamedTuple):
    # (key, form, run, first word, last word, whether its capitals count)
    places: tuple[tuple[str, str, int, int, int, bool], ...]
    forms: frozenset[tuple[str, str]]  # (key, form)
    keys: frozenset[str]
    shapes: frozenset[tuple[str, str]]  # (key, form case-folded)
    known: frozenset[tuple[str, str]]  # (key, form) where its capitals count


@lru_cache(maxsize=32768)
def _phrase_places(text: str) -> _Places:
    """(key, form, run, first word, last word, whether its capitals count) of every phrase of one to three words
    that may be a term: it starts and ends with a content word; one word only when it
    is a closed or hyphenated compound. The form is the words as written, joined by
    one space, last word singular (remembered per text, as ``V.tokens``)."""
    out = []
    known = set()
    heading = V.title_case(text)
    for r, run in enumerate(V.runs(text)):
        info = [_word_info(t.text) for t in run]
        for i in range(len(run)):
            if not info[i].edge:
                continue
            # Whether a capital here tells something (as ``V.sentence_initial``: inside a
            # run, words are apart by white space only, and a line break ending it starts
            # a sentence).
            counts = not heading and not (
                V.sentence_initial(text, run[0].start) if i == 0
                else text[run[i - 1].end:run[i].start].rstrip(" \t").endswith("\n"))
            middle = ""
            for n in (1, 2, 3):
                j = i + n - 1
                if j >= len(run) or not info[j].alpha:
                    break
                if n > 1:
                    middle += info[j - 1].plain
                if not info[j].edge or (n == 1 and not info[i].compound):
                    continue
                key = middle + info[j].last
                if len(key) < 6:
                    continue
                form = " ".join([t.text for t in run[i:j]] + [info[j].form])
                out.append((key, form, r, i, j, counts))
                if counts:
                    known.add((key, form))
    return _Places(tuple(out), frozenset(p[:2] for p in out), frozenset(p[0] for p in out),
                   frozenset((p[0], p[1].casefold()) for p in out), frozenset(known))


@dataclass(frozen=True)
class _WordInfo:
    plain: str  # letters, case-folded, possessive kept (as a non-final word)
    last: str  # letters, case-folded, singular, no possessive (as the final word)
    stripped: int  # length without a possessive
    alpha: bool  # starts with a letter
    edge: bool  # may start or end a phrase (a letter word, not a stopword)
    compound: bool  # may stand alone as the closed or hyphenated form of a phrase
    form: str  # as the final word of a phrase's form: singular, no possessive


@lru_cache(maxsize=65536)
def _word_info(word: str) -> _WordInfo:
    bare = V.strip_possessive(word)
    alpha = word[:1].isalpha()
    return _WordInfo(plain=_letters(word, keep_possessive=True), last=_letters(V.singular(bare)),
                     stripped=len(bare), alpha=alpha,
                     edge=alpha and word.lower() not in V.STOPWORDS,
                     compound="-" in word or len(word) >= 8,
                     form=V.singular(bare))


_NON_LETTER = re.compile(r"[\W_]+")


def _letters(word: str, keep_possessive: bool = False) -> str:
    folded = _NON_LETTER.sub("", word if keep_possessive else V.strip_possessive(word)).casefold()
    return folded if folded.isascii() else V.fold(folded)


@dataclass(frozen=True)
class _Phrase:
    occ: Occurrence
    words: tuple[str, ...]  # last word singular, no possessive
    known: bool  # whether its capitals mean something (not sentence-initial, no heading)
    starts: tuple[int, ...]  # offsets of its words
    plural: bool = False  # the last word as written is a plural


def _name_spans(doc: Document) -> dict[int, list[tuple[int, int, int]]]:
    """Per segment: (start, head end, end) of each capitalised name; the head is the
    part before "of"/"for" (``River Chief`` in ``River Chief of Shimen County``)."""
    out: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for name in V.names(doc):
        occ = name.occurrence
        head = occ.end
        m = _OF.search(occ.text)
        if m:
            head = occ.start + m.start()
        out[occ.segment].append((occ.start, head, occ.end))
    return out


def _inside_name(spans: Iterable[tuple[int, int, int]], start: int, end: int) -> bool:
    """Whether a capitalised phrase is only a part of a longer name."""
    return any(a <= start and end <= b and (start, end) not in ((a, b), (a, head))
               for a, head, b in spans)


def _forms(occs: list[_Phrase]) -> dict[str, list[_Phrase]]:
    """Occurrences by form; an occurrence whose capitals tell nothing joins the known
    form it matches apart from case. Case-only differences count for phrases of two or
    more words; hyphen and spacing differences count for all."""
    known: dict[str, list[_Phrase]] = defaultdict(list)
    unknown: list[_Phrase] = []
    for p in occs:
        (known[" ".join(p.words)] if p.known else unknown).append(p)
    if not known:
        return {}
    for p in unknown:
        form = " ".join(p.words)
        same = [f for f in known if f.casefold() == form.casefold()]
        if same:
            known[max(same, key=lambda f: len(known[f]))].append(p)
        else:
            known[form].append(p)
    if len(known) < 2:
        return {}
    shapes = {f.casefold() for f in known}
    if len({p.plural for p in occs}) > 1 and len(shapes) > 1:
        return {}  # "two days" / "two-day": grammar, not two spellings of one term
    if len(shapes) > 1 and len({_HYPHEN.sub(" ", f) for f in shapes}) == 1:
        return {}  # "long-term plan" / "in the long term": a compound modifier is grammar
    if len({f.casefold() for f in known}) == 1:
        if " " not in next(iter(known)):
            return {}  # one word in two cases: a sentence or a name, not a term
        if len(occs) < 3:
            return {}  # twice, in two cases: too little to tell a term from chance
    return {f: sorted(v, key=lambda p: (p.occ.segment, p.occ.start)) for f, v in known.items()}


def _shown(occs: Sequence[_Phrase]) -> str:
    """A form as written most often."""
    return Counter(p.occ.text for p in occs).most_common(1)[0][0]


@register
class NameRomanisation(Check):
    """One Chinese name romanised in different ways.

    Person names (a common Chinese surname and a given name) that are the same name
    apart from spacing, hyphens, apostrophes, accents, capitals or word order (``Zhou
    Liqun`` / ``Zhou Li-qun`` / ``ZHOU Liqun`` / ``Liqun Zhou``), or whose given names
    differ by one letter (a likely misspelling, found with rapidfuzz), and places with
    two romanisations in use (``Macao`` / ``Macau``, ``Beijing`` / ``Peking``). Works
    without a source.

    Fires:
        target: Zhou Liqun chaired the meeting.
        target: Zhou Li-qun said so.

    Passes (two people):
        target: Chen Jianhua and Chen Jianguo spoke.
    """

    code = "CO06"
    name = "consistency.romanisation"
    category = "terminology/inconsistent"
    severity = Severity.MINOR

    def run(self, ctx: Context) -> Iterator[Issue]:
        people: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        segments = ctx.target.segments
        # Only a segment with a word that reads as a surname can name a person.
        for name in V.names(ctx.target, min_words=1, segments=(
                i for i, seg in enumerate(segments) if V.may_name_person(seg.text))):
            words = name.words
            found = None
            # A title before a name ("Director Zhou Liqun") is not part of the name.
            for k in range(len(words) - 1):
                for n in (3, 2):
                    span = words[k:k + n]
                    if len(span) == n and V.fold(span[0]) in V.SURNAMES:
                        key = V.person_key(span)
                        if key is not None:
                            found = (key, k, n)
                            break
                if found:
                    break
            if found is None and len(words) == 2:
                key = V.person_key(words)  # "Liqun Zhou": given name first
                if key is not None:
                    found = (key, 0, 2)
            if found is not None:
                key, k, n = found
                people[key].append(_sub_occurrence(name, k, n))
        yield from self._people(ctx, people)
        yield from self._places(ctx)

    def _people(self, ctx: Context, people: Mapping[tuple[str, str], list[Occurrence]]) -> Iterator[Issue]:
        keys = list(people)
        joined: dict[tuple[str, str], tuple[str, str]] = {k: k for k in keys}
        by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for k in keys:
            by_surname[k[0]].append(k)
        for same in by_surname.values():
            for i, a in enumerate(same):
                for b in same[i + 1:]:
                    if (min(len(a[1]), len(b[1])) >= 5
                            and Levenshtein.distance(a[1], b[1]) == 1
                            and a[1][:2] == b[1][:2]):
                        joined[b] = joined[a]
        groups: dict[tuple[str, str], dict[str, list[Occurrence]]] = defaultdict(lambda: defaultdict(list))
        for k, occs in people.items():
            for occ in occs:
                groups[joined[k]][occ.text].append(occ)
        for forms in groups.values():
            if len(forms) > 1:
                yield group_issue(self, ctx, forms, "one name")

    def _places(self, ctx: Context) -> Iterator[Issue]:
        groups: dict[str, dict[str, list[Occurrence]]] = defaultdict(lambda: defaultdict(list))
        for index, seg in enumerate(ctx.target.segments):
            if not _may_name_place(seg.text):
                continue
            for start, word, target in _place_words(seg.text):
                groups[target][word].append(Occurrence(index, start, start + len(word), word))
        for forms in groups.values():
            if len(forms) > 1:
                yield group_issue(self, ctx, forms, "one place name")


_CANONICAL_PLACES = frozenset(V.PLACE_VARIANTS.values())


@lru_cache(maxsize=32768)
def _may_name_place(text: str) -> bool:
    """Whether a text has a capitalised word that may be a place name with two
    romanisations (a cheap test before ``_place_words``)."""
    return any(map(_place_like, V.capital_words(text)))


@lru_cache(maxsize=65536)
def _place_like(word: str) -> bool:
    low = V.fold(V.strip_possessive(word))
    return low in V.PLACE_VARIANTS or low in _CANONICAL_PLACES


@lru_cache(maxsize=32768)
def _place_words(text: str) -> tuple[tuple[int, str, str], ...]:
    """(start, word, canonical form) of each place name with two romanisations in use."""
    out = []
    for tok in V.tokens(text):
        if not tok.text[0].isupper():
            continue
        word = V.strip_possessive(tok.text)
        if word.isupper():
            continue  # a dateline or headline in capitals: "BEIJING, May 11"
        low = V.fold(word)
        target = V.PLACE_VARIANTS.get(low, low if low in _CANONICAL_PLACES else None)
        if target is not None and " " not in target:
            out.append((tok.start, word, target))
    return tuple(out)


def _sub_occurrence(name: V.Name, k: int, n: int) -> Occurrence:
    """The occurrence of words ``k..k+n`` of a name."""
    occ = name.occurrence
    text = occ.text
    pos = 0
    for _ in range(k):
        pos = text.index(name.words[_], pos) + len(name.words[_])
    start = text.index(name.words[k], pos)
    end = start
    for j in range(k, k + n):
        end = text.index(name.words[j], end) + len(name.words[j])
    return Occurrence(occ.segment, occ.start + start, occ.start + end, text[start:end])


@lru_cache(maxsize=32768)
def _word_forms(text: str) -> frozenset[str]:
    """The words of a text and the parts of its hyphenated words, singular and
    case-folded (remembered per text, as ``V.tokens``)."""
    return frozenset(V.singular(part).casefold() for tok in V.tokens(text)
                     for part in _HYPHEN.split(tok.text))


_QUOTE_PAIRS = (("\u201c", "\u201d"), ("\u2018", "\u2019"), ('"', '"'), ("'", "'"))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation in a segment."""
    spans = []
    for open_q, close_q in _QUOTE_PAIRS:
        pos = 0
        while True:
            a = text.find(open_q, pos)
            if a < 0:
                break
            if open_q == "'" and (a > 0 and text[a - 1].isalnum()):
                pos = a + 1
                continue  # an apostrophe, not a quote
            b = text.find(close_q, a + 1)
            while open_q == "'" and b >= 0 and b + 1 < len(text) and text[b + 1].isalnum():
                b = text.find(close_q, b + 1)
            if b < 0:
                break
            spans.append((a + 1, b))
            pos = b + 1
    return spans


@register
class QuotingConsistency(Check):
    """A term sometimes in quotation marks and sometimes not.

    A quoted phrase of two to six words (not a quoted sentence) that also occurs
    without quotes elsewhere in the document, or the other way round. A term quoted
    once, where it is first mentioned, and bare after is house style in news writing,
    not an inconsistency, and passes. Works without a source.

    Fires (quoted after it was written without quotes):
        target: Under the river chief system, rivers improved.
        target: The "river chief system" was introduced.

    Passes (quoted at its first mention only):
        target: The "river chief system" was introduced.
        target: Under the river chief system, rivers improved.
    """

    code = "CO07"
    name = "consistency.quoting"
    category = "fluency/inconsistency"
    severity = Severity.MINOR
    target_langs = frozenset({"en"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        doc = ctx.target
        quoted: dict[str, list[Occurrence]] = defaultdict(list)
        inside: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for index, seg in enumerate(doc.segments):
            for a, b in quoted_spans(seg.text):
                inner = seg.text[a:b]
                stripped = inner.strip()
                if not stripped:
                    continue
                a2 = a + inner.index(stripped)
                inside[index].append((a - 1, b + 1))
                words = V.tokens(stripped)
                if not 2 <= len(words) <= 6 or stripped[-1] in ".?!,;:" or len(stripped) > 60:
                    continue
                if stripped[0].isupper() and len(words) > 4:
                    continue  # a quoted sentence or title
                key = V.spelling([w.text for w in words])
                quoted[key].append(Occurrence(index, a2, a2 + len(stripped), stripped))
        if not quoted:
            return
        # Which segments have each word of a quoted phrase (words per text are
        # remembered; only the quoted phrases' words are indexed).
        wanted = frozenset(V.singular(w.text).casefold()
                           for occs in quoted.values() for w in V.tokens(occs[0].text))
        word_segments: dict[str, set[int]] = defaultdict(set)
        for index, seg in enumerate(doc.segments):
            for word in wanted.intersection(_word_forms(seg.text)):
                word_segments[word].add(index)
        for occs in quoted.values():
            phrase = occs[0].text
            if forbidden_form(ctx, phrase):
                continue
            pattern = re.compile(r"(?<!\w)" + r"[\s\-]+".join(
                re.escape(w.text) for w in V.tokens(phrase)) + r"(?:s|es)?(?!\w)", re.I)
            bare = []
            # Only segments that have every word of the phrase can have it.
            sets = [word_segments.get(V.singular(w.text).casefold(), set())
                    for w in V.tokens(phrase)]
            where = sorted(set.intersection(*sets)) if sets else ()
            for index in where:
                for m in pattern.finditer(doc.segments[index].text):
                    if any(x <= m.start() and m.end() <= y for x, y in inside.get(index, ())):
                        continue
                    bare.append(Occurrence(index, m.start(), m.end(), m.group()))
            first = min(occs, key=lambda o: (o.segment, o.start))
            if (bare and len(occs) == 1
                    and all((first.segment, first.start) < (o.segment, o.start) for o in bare)):
                # Quoted where it is introduced, bare after: house style in news
                # writing (and in human references), not an inconsistency.
                continue
            if bare:
                quoted_label, bare_label = f"{phrase} (in quotes)", f"{phrase} (no quotes)"
                issue = group_issue(self, ctx, {quoted_label: occs, bare_label: bare},
                                    "one term")
                majority_quoted = len(occs) >= len(bare)
                yield dataclasses.replace(
                    issue, suggestion=f"\u201c{phrase}\u201d" if majority_quoted else phrase)
