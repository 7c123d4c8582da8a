"""Consistency checks: one thing, one rendering, across the whole document.

With a source, mtqa learns renderings from the alignment (and the glossary when there
is one); without a source, it finds the variant forms a reader notices: one body under
two names, one term in three capitalisations, one name in two romanisations, one term
sometimes in quotes. Each inconsistency is one issue, placed at the first occurrence
that departs from the majority form, with every location listed in the message and
the majority form as the suggestion.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from mtqa.checks.base import Check, Context, Joined
from mtqa.checks.registry import register
from mtqa.glossary import Term
from mtqa.model import Document, Issue, Severity, locate
from mtqa.termmatch import is_cjk, without_overlaps
from mtqa import variants as V
from mtqa.variants import Occurrence

_HYPHEN = re.compile(r"[-\u2010\u2011]")
_OF = re.compile(r"\s(?:of|for|on|in)\s")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Chinese head characters of names of bodies (部 ministry, 局 bureau, 委 commission...):
# the source terms whose renderings CO01 learns from the alignment.
_BODY_SUFFIX = ("部", "局", "委", "署", "司", "厅", "院", "会", "社", "中心", "办公室", "日报",
                "小组", "集团")


def _where(doc: Document, occ: Occurrence) -> str:
    line, col = doc.segments[occ.segment].position(occ.start)
    return f"{line}:{col}"


def group_issue(check: Check, ctx: Context, forms: Mapping[str, Sequence[Occurrence]],
                what: str, preferred: str | None = None,
                source: Occurrence | None = None) -> Issue:
    """One issue for a group of variant forms: at the first occurrence of a form other
    than the majority one, listing every location; suggestion = the majority form."""
    order = sorted(forms, key=lambda f: (forms[f][0].segment, forms[f][0].start))
    if preferred is None or preferred not in forms:
        counts = {f: len(forms[f]) for f in order}
        best = max(counts.values())
        majority = next(f for f in order if counts[f] == best)
    else:
        majority = preferred
    deviant = min((o for f in order if f != majority for o in forms[f]),
                  key=lambda o: (o.segment, o.start))
    doc = ctx.target
    listing = "; ".join(
        f"\"{f}\" ×{len(forms[f])} at {', '.join(_where(doc, o) for o in forms[f])}"
        for f in order)
    message = f"{what} written {len(order)} ways: {listing}"
    src = None
    if source is not None and ctx.source is not None:
        src = locate(ctx.source, source.segment, source.start, source.end)
    return check.issue(message, target=locate(doc, deviant.segment, deviant.start, deviant.end),
                       source=src, suggestion=preferred or majority)


def _by_form(occurrences: Iterable[tuple[str, Occurrence]]) -> dict[str, list[Occurrence]]:
    forms: dict[str, list[Occurrence]] = defaultdict(list)
    for form, occ in occurrences:
        forms[form].append(occ)
    return dict(forms)


def _forbidden(ctx: Context, form: str) -> bool:
    return ctx.glossary is not None and form.casefold() in ctx.glossary.forbidden_forms


# --------------------------------------------------------------------------------------
# With a source


@register
class SourceTermRenderings(Check):
    """One source term translated in different ways across the document.

    With a glossary: a term with several accepted renderings should use the same one
    everywhere (``river chief system`` in one paragraph, ``river chief mechanism`` in
    the next is inconsistent even though both are accepted). Without one, renderings
    are learned from the alignment: a Chinese name of a body (ending in 部, 局, 委员会,
    办公室...) that occurs in several sentences, rendered in their aligned translations
    by names that never occur elsewhere and look alike but are different words
    (``National Healthcare Security Administration`` / ``National Medical Security
    Administration`` for ``国家医疗保障局``): the same head noun, and a rapidfuzz
    token-set similarity of at least ``similarity`` (75) between the two names. A
    short form beside the full name (``Xinhua`` / ``Xinhua News Agency``) passes, and
    variant names that CO04 already finds from the target alone are left to it. Needs
    a source.

    Fires: ``国家医疗保障局发布通知。`` / ``The National Healthcare Security
    Administration issued a notice.`` and later ``国家医疗保障局表示…`` / ``The National
    Medical Security Administration said...``
    Passes: the same name in both sentences.
    """

    code = "CO01"
    name = "consistency.source-term"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"source"})
    defaults = {"similarity": 75}

    def run(self, ctx: Context) -> Iterator[Issue]:
        if ctx.glossary is not None:
            yield from self._glossary(ctx)
        if ctx.source is not None and ctx.source.lang in ("zh", "ja") and ctx.target.lang == "en":
            yield from self._learned(ctx)

    def _beads(self, ctx: Context) -> Iterator[tuple[int, Joined, Joined]]:
        assert ctx.source is not None
        for number, bead in enumerate(ctx.alignment):
            if bead.source and bead.target:
                yield number, Joined.of(ctx.source, bead.source), Joined.of(ctx.target, bead.target)

    def _glossary(self, ctx: Context) -> Iterator[Issue]:
        glossary = ctx.glossary
        uses: dict[int, list[tuple[str, Occurrence, Occurrence]]] = defaultdict(list)
        terms: dict[int, Term] = {}
        for _, src, tgt in self._beads(ctx):
            found = {id(h.payload): h for h in glossary.source_matcher().longest(src.text)
                     if len(h.payload.targets) > 1}
            if not found:
                continue
            # Renderings of these terms only (two terms may share a rendering).
            hits = without_overlaps([h for h in glossary.target_matcher(ignore_case=True)
                                     .find(tgt.text) if id(h.payload) in found])
            for hit in hits:
                source_hit = found[id(hit.payload)]
                term: Term = hit.payload
                terms[id(term)] = term
                t = tgt.locate(hit.start, hit.end)
                s = src.locate(source_hit.start, source_hit.end)
                uses[id(term)].append((hit.phrase, Occurrence(t.segment, t.start, t.end, t.text),
                                       Occurrence(s.segment, s.start, s.end, s.text)))
        for key, found_uses in uses.items():
            # Alternatives that differ only in number ("river and lake" before a noun,
            # "rivers and lakes" alone) are one rendering.
            loose: dict[str, str] = {}
            for phrase, _, _ in found_uses:
                loose.setdefault(_loose(phrase), phrase)
            forms = _by_form((loose[_loose(p)], occ) for p, occ, _ in found_uses)
            words = [set(_loose(f).split()) for f in forms]
            if len(forms) == 2 and (words[0] <= words[1] or words[1] <= words[0]):
                continue  # "Xinhua News Agency", then "Xinhua": a short form, not another
            if len(forms) > 1:
                term = terms[key]
                counts = Counter(loose[_loose(p)] for p, _, _ in found_uses)
                top = max(counts.values())
                preferred = next((t for t in term.targets if counts.get(t) == top), None)
                yield group_issue(self, ctx, forms, f"source term {term.source}",
                                  preferred=preferred, source=found_uses[0][2])

    def _learned(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        beads = list(self._beads(ctx))
        names_in: dict[int, list[V.Name]] = defaultdict(list)
        bead_of = ctx.bead_of_target
        for name in V.names(ctx.target):
            b = bead_of.get(name.occurrence.segment)
            if b is not None:
                names_in[b].append(name)
        beads_of_name: dict[str, set[int]] = defaultdict(set)
        for b, found in names_in.items():
            for name in found:
                beads_of_name[V.fold(name.occurrence.text)].add(b)
        # Source names of bodies and the beads they occur in.
        where: dict[str, list[tuple[int, Joined, int]]] = defaultdict(list)
        for number, src, _ in beads:
            seen = set()
            for run in _CJK_RUN.finditer(src.text):
                for term in _body_terms(run.group()):
                    if term not in seen:
                        seen.add(term)
                        where[term].append((number, src, run.start() + run.group().index(term)))
        done: set[frozenset[str]] = set()
        seen_beads: set[frozenset[int]] = set()
        for term in sorted(where, key=len, reverse=True):
            places = where[term]
            if len(places) < 2:
                continue
            term_beads = frozenset(b for b, _, _ in places)
            # A shorter piece of a longer term (保障局 of 医疗保障局) in the same
            # sentences adds nothing.
            if term_beads in seen_beads:
                continue
            seen_beads.add(term_beads)
            candidates: dict[int, list[V.Name]] = {}
            for b in term_beads:
                candidates[b] = [n for n in names_in.get(b, [])
                                 if beads_of_name[V.fold(n.occurrence.text)] <= term_beads]
            forms = self._renderings(candidates)
            if len(forms) < 2:
                continue
            key = frozenset(forms)
            if key in done:
                continue
            done.add(key)
            keys = [set(V.name_key([t.text for t in V.tokens(f)])) for f in forms]
            if len({frozenset(k) for k in keys}) == 1:
                continue  # one entity, variant wording: CO04 reports it
            if any(a <= b or b <= a for i, a in enumerate(keys) for b in keys[i + 1:]):
                continue  # "Xinhua" / "Xinhua News Agency": a short form, not another name
            b0, src0, start0 = places[0]
            loc = src0.locate(start0, start0 + len(term))
            yield group_issue(self, ctx, forms, f"source term {term}",
                              source=Occurrence(loc.segment, loc.start, loc.end, loc.text))

    def _renderings(self, candidates: Mapping[int, list[V.Name]]) -> dict[str, list[Occurrence]]:
        """The best-matching pair of look-alike names from different beads, and every
        occurrence of each."""
        threshold = float(self.opts["similarity"])
        flat = [(b, n) for b, found in candidates.items() for n in found]
        # Compare distinct names once each, not every pair of occurrences.
        distinct: dict[str, tuple[set[int], V.Name]] = {}
        for b, n in flat:
            entry = distinct.setdefault(V.fold(n.occurrence.text), (set(), n))
            entry[0].add(b)
        items = list(distinct.items())[:200]
        best: tuple[float, str, str] | None = None
        for i, (f1, (beads1, n1)) in enumerate(items):
            for f2, (beads2, n2) in items[i + 1:]:
                if beads1 & beads2 or _head(n1) != _head(n2):
                    continue
                score = fuzz.token_set_ratio(" ".join(V.name_key(n1.words)),
                                             " ".join(V.name_key(n2.words)))
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, f1, f2)
        if best is None:
            return {}
        forms: dict[str, list[Occurrence]] = {}
        for _, n in flat:
            folded = V.fold(n.occurrence.text)
            if folded in best[1:]:
                forms.setdefault(folded, []).append(n.occurrence)
        # Show forms as written (first occurrence), not case-folded.
        return {occs[0].text: sorted(occs, key=lambda o: (o.segment, o.start))
                for occs in forms.values()}


def _loose(phrase: str) -> str:
    return " ".join(V.singular(t.text) for t in V.tokens(phrase)).casefold()


def _head(name: V.Name) -> str:
    """The stem of what a name names: ``Ministry`` of ``Ministry of Commerce``,
    ``Administration`` (= Bureau) of ``National Healthcare Security Administration``."""
    words = list(name.words)
    for i, w in enumerate(words):
        if i and w.lower() in ("of", "for", "on", "in"):
            words = words[:i]
            break
    return V.stem(words[-1])


def _body_terms(run: str) -> list[str]:
    """Substrings of a Chinese run that look like names of bodies (3-12 characters
    ending in a head character such as 部 or 局), longest first."""
    out = []
    for end in range(len(run), 2, -1):
        piece = run[:end]
        if not piece.endswith(_BODY_SUFFIX):
            continue
        for start in range(0, end - 2):
            if end - start <= 12:
                out.append(piece[start:end])
    return out


@lru_cache(maxsize=32768)
def _norm_segment(text: str) -> str:
    return " ".join(_PUNCT_SPACE.sub(" ", text.casefold()).split())


_PUNCT_SPACE = re.compile(r"[\s\"'“”‘’.,;:!?。，；：！？、]+")


@register
class SourceSegmentRenderings(Check):
    """The same source sentence translated differently in different places.

    Repeated sentences (ignoring case, spaces and punctuation; at least two words or
    four Chinese characters) should have the same translation. Needs a source.

    Fires: ``会议要求各地抓好落实。`` translated once as ``The meeting required all
    localities to implement it.`` and later as ``The meeting asked all regions to carry
    it out.``
    Passes: the same translation both times.
    """

    code = "CO02"
    name = "consistency.source-segment"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"source"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        groups: dict[str, list[tuple[Joined, Joined]]] = defaultdict(list)
        for bead in ctx.alignment:
            if bead.source and bead.target:
                src = Joined.of(ctx.source, bead.source)
                key = _norm_segment(src.text)
                if len(key.split()) >= 2 or sum(map(is_cjk, key)) >= 4:
                    groups[key].append((src, Joined.of(ctx.target, bead.target)))
        for pairs in groups.values():
            if len(pairs) < 2:
                continue
            forms: dict[str, list[Occurrence]] = defaultdict(list)
            shown: dict[str, str] = {}
            for _, tgt in pairs:
                norm = _norm_segment(tgt.text)
                loc = tgt.locate(0, len(tgt.text))
                shown.setdefault(norm, tgt.text)
                forms[shown[norm]].append(Occurrence(loc.segment, loc.start, loc.end, loc.text))
            if len(forms) > 1:
                src = pairs[0][0]
                s = src.locate(0, len(src.text))
                yield group_issue(self, ctx, forms, "one source sentence",
                                  source=Occurrence(s.segment, s.start, s.end, s.text))


@register
class TargetSegmentSources(Check):
    """The same translation standing for different source sentences.

    A translated sentence (at least three words) repeated where the source sentences
    differ usually means one of them was translated from the wrong sentence or copied.
    Needs a source.

    Fires: ``The meeting was held in Beijing.`` for both ``会议在北京召开。`` and
    ``会议在上海召开。``
    Passes: different translations for different sources.
    """

    code = "CO03"
    name = "consistency.target-segment"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"source"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        groups: dict[str, list[tuple[Joined, Joined]]] = defaultdict(list)
        for bead in ctx.alignment:
            if bead.source and bead.target:
                tgt = Joined.of(ctx.target, bead.target)
                key = _norm_segment(tgt.text)
                if len(key.split()) >= 3:
                    groups[key].append((Joined.of(ctx.source, bead.source), tgt))
        for pairs in groups.values():
            sources = {_norm_segment(s.text) for s, _ in pairs}
            if len(sources) < 2:
                continue
            first_src, first_tgt = pairs[0]
            other = next(s for s, _ in pairs if _norm_segment(s.text) != _norm_segment(first_src.text))
            places = ", ".join(_where(ctx.target, _occ(t)) for _, t in pairs)
            dup = next(t for s, t in pairs if s is other)
            yield self.issue(
                f"the same translation stands for {len(sources)} different source "
                f"sentences (at {places})",
                target=dup.locate(0, len(dup.text)),
                source=other.locate(0, len(other.text)))


def _occ(j: Joined) -> Occurrence:
    loc = j.locate(0, len(j.text))
    return Occurrence(loc.segment, loc.start, loc.end, loc.text)


# --------------------------------------------------------------------------------------
# Target only (English)


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

    Fires: ``the Security and Control Bureau of the Ministry of Commerce`` and later
    ``the Safety and Control Bureau of the Ministry of Commerce``
    Passes: ``the Ministry of Natural Resources`` and ``the Ministry of Water Resources``
    (two different ministries)
    """

    code = "CO04"
    name = "consistency.entity-variant"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    target_langs = frozenset({"en"})
    defaults = {"typo_similarity": 88}

    def run(self, ctx: Context) -> Iterator[Issue]:
        groups: dict[tuple[str, ...], list[V.Name]] = defaultdict(list)
        for name in V.names(ctx.target):
            key = V.name_key(name.words)
            if len(key) >= 2 and not V.person_key(name.words):
                groups[key].append(name)
        for found in _merge_typos(groups, float(self.opts["typo_similarity"])):
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
            forms = {f: o for f, o in forms.items() if not _forbidden(ctx, f)}
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
                if seg.text.isupper():
                    continue
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
    groups the occurrences that differ only in case, hyphens or spaces: ``party branch`` / ``Party branch`` / ``Party Branch``,
    ``grass-roots`` / ``grass roots`` / ``grassroots``. A capital at the start of a
    sentence or in a title-case heading tells nothing and is not counted, nor is a
    capitalised phrase that is only part of a longer name (``Medical Security`` in
    ``National Medical Security Administration``). When one word varies in many
    phrases, the phrase where it varies most is reported once. Works without a source;
    English translations.

    Fires: ``200 river chiefs attended``, ``river chiefs at all levels`` and later
    ``Li Xiumei, River Chief of Shimen County``
    Passes: ``river chiefs`` everywhere, and ``River chiefs attended.`` at the start of
    a sentence.
    """

    code = "CO05"
    name = "consistency.term-form"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    target_langs = frozenset({"en"})

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
        for _, key, forms in candidates:
            majority = max(forms, key=lambda f: len(forms[f]))
            ref = forms[majority][0].words
            varying = set()
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
            sensitive = ({_loose(x) for x in ctx.glossary.sensitive_forms}
                         if ctx.glossary is not None else set())
            if any(_forbidden(ctx, f) or _loose(f) in sensitive for f in shown):
                continue  # TE01 / TE03 report these against the glossary
            yield group_issue(self, ctx, shown, "one term")

    def _phrases(self, doc: Document) -> dict[str, list[_Phrase]]:
        # One pass over the words notes every phrase by key (letters, case-folded, last
        # word singular) and which keys are written in more than one way; occurrences
        # are built for those keys alone.
        places: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
        first: dict[str, str] = {}
        varies: set[str] = set()
        all_runs: list[tuple[tuple[V.Token, ...], ...]] = []
        for index, seg in enumerate(doc.segments):
            text = seg.text
            seg_runs = V.runs(text)
            all_runs.append(seg_runs)
            for r, run in enumerate(seg_runs):
                info = [_word_info(t.text) for t in run]
                for i in range(len(run)):
                    if not info[i].edge:
                        continue
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
                        end = run[j].start + info[j].stripped
                        surface = text[run[i].start:end]
                        seen = first.setdefault(key, surface)
                        if seen != surface:
                            varies.add(key)
                        places[key].append((index, r, i, j))
        if not varies:
            return {}
        name_spans = _name_spans(doc)
        headings: dict[int, bool] = {}
        found: dict[str, list[_Phrase]] = {}
        for key in varies:
            out = found[key] = []
            for index, r, i, j in places[key]:
                text = doc.segments[index].text
                toks = all_runs[index][r][i:j + 1]
                raw_last = V.strip_possessive(toks[-1].text)
                start, end = toks[0].start, toks[-1].start + len(raw_last)
                words = tuple(t.text for t in toks[:-1]) + (V.singular(raw_last),)
                if any(w[:1].isupper() for w in words):
                    if _inside_name(name_spans.get(index, ()), start, end):
                        continue
                if index not in headings:
                    seg = doc.segments[index]
                    headings[index] = seg.kind == "heading" or V.title_case(seg.text)
                known = not headings[index] and not V.sentence_initial(text, start)
                out.append(_Phrase(Occurrence(index, start, end, text[start:end]), words, known,
                                   tuple(t.start for t in toks), V.singular(raw_last) != raw_last))
        return found


@dataclass(frozen=True)
class _WordInfo:
    plain: str  # letters, case-folded, possessive kept (as a non-final word)
    last: str  # letters, case-folded, singular, no possessive (as the final word)
    stripped: int  # length without a possessive
    alpha: bool  # starts with a letter
    edge: bool  # may start or end a phrase (a letter word, not a stopword)
    compound: bool  # may stand alone as the closed or hyphenated form of a phrase


@lru_cache(maxsize=65536)
def _word_info(word: str) -> _WordInfo:
    bare = V.strip_possessive(word)
    alpha = word[:1].isalpha()
    return _WordInfo(plain=_letters(word, keep_possessive=True), last=_letters(V.singular(bare)),
                     stripped=len(bare), alpha=alpha,
                     edge=alpha and word.lower() not in V.STOPWORDS,
                     compound="-" in word or len(word) >= 8)


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
    for a, head, b in spans:
        if a <= start and end <= b and (start, end) not in ((a, b), (a, head)):
            return True
    return False


def _forms(occs: list[_Phrase]) -> dict[str, list[_Phrase]]:
    """Occurrences by form; an occurrence whose capitals tell nothing joins the known
    form it matches apart from case. Case-only differences count for phrases of two or
    more words; hyphen and spacing differences count for all."""
    known: dict[str, list[_Phrase]] = defaultdict(list)
    unknown = []
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

    Fires: ``Zhou Liqun chaired the meeting.`` and later ``Zhou Li-qun said``
    Passes: ``Zhou Liqun`` both times; ``Chen Jianhua`` and ``Chen Jianguo`` (two
    people).
    """

    code = "CO06"
    name = "consistency.romanisation"
    category = "terminology/inconsistent"
    severity = Severity.MINOR

    def run(self, ctx: Context) -> Iterator[Issue]:
        people: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        for name in V.names(ctx.target, min_words=1):
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
        canonical = set(V.PLACE_VARIANTS.values())
        for index, seg in enumerate(ctx.target.segments):
            for tok in V.tokens(seg.text):
                if not tok.text[0].isupper():
                    continue
                word = V.strip_possessive(tok.text)
                if word.isupper():
                    continue  # a dateline or headline in capitals: "BEIJING, May 11"
                low = V.fold(word)
                target = V.PLACE_VARIANTS.get(low, low if low in canonical else None)
                if target is not None and " " not in target:
                    groups[target][word].append(
                        Occurrence(index, tok.start, tok.start + len(word), word))
        for forms in groups.values():
            if len(forms) > 1:
                yield group_issue(self, ctx, forms, "one place name")


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
    without quotes elsewhere in the document, or the other way round. Works without a
    source.

    Fires: ``the "river chief system" was introduced`` and later ``under the river
    chief system``
    Passes: ``"river chief system"`` in quotes both times, or in neither.
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
        word_segments: dict[str, set[int]] = defaultdict(set)
        for index, seg in enumerate(doc.segments):
            for tok in V.tokens(seg.text):
                for part in _HYPHEN.split(tok.text):
                    word_segments[V.singular(part).casefold()].add(index)
        for key, occs in quoted.items():
            phrase = occs[0].text
            if _forbidden(ctx, phrase):
                continue
            pattern = re.compile(r"(?<!\w)" + r"[\s\-]+".join(
                re.escape(w.text) for w in V.tokens(phrase)) + r"(?:s|es)?(?!\w)", re.I)
            bare = []
            # Only segments that have every word of the phrase can have it.
            sets = [word_segments.get(V.singular(w.text).casefold(), set())
                    for w in V.tokens(phrase)]
            for index in sorted(set.intersection(*sets)) if sets else ():
                for m in pattern.finditer(doc.segments[index].text):
                    if any(x <= m.start() and m.end() <= y for x, y in inside.get(index, ())):
                        continue
                    bare.append(Occurrence(index, m.start(), m.end(), m.group()))
            if bare:
                quoted_label, bare_label = f"{phrase} (in quotes)", f"{phrase} (no quotes)"
                issue = group_issue(self, ctx, {quoted_label: occs, bare_label: bare},
                                    "one term")
                majority_quoted = len(occs) >= len(bare)
                yield dataclasses.replace(
                    issue, suggestion=f"\u201c{phrase}\u201d" if majority_quoted else phrase)
