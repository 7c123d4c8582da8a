"""Consistency checks: one thing, one rendering, across the whole document.

This module has the checks that read the source (CO01-CO03) and what all consistency
checks share; ``consistency_target`` has the target-only ones (CO04-CO07). With a
source, mtqa learns renderings from the alignment (and the glossary when there is one).
Each inconsistency is one issue, placed at the first occurrence that departs from the
majority form, with every location listed in the message and the majority form as the
suggestion.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from mtqa.checks.base import Check, Context
from mtqa.checks.registry import register
from mtqa.model import Document, Edit, Fix, Issue, Severity, Term, locate
from mtqa.text import variants as V
from mtqa.text.joined import Joined
from mtqa.text.termmatch import is_cjk, without_overlaps
from mtqa.text.variants import Occurrence

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
    suggestion = preferred or majority
    target = locate(doc, deviant.segment, deviant.start, deviant.end)
    issue = check.issue(message, target=target, source=src, suggestion=suggestion)
    # Not the suggestion as is: every variant is rewritten from its own form.
    fix = None
    if check.fix_safety is not None:
        fix = _align_forms(doc, [o for f in order if f != suggestion for o in forms[f]],
                           suggestion, deviant.segment, check.fix_safety == "safe")
    return dataclasses.replace(issue, fix=fix)


def _align_forms(doc: Document, variants: Sequence[Occurrence], form: str, home: int,
                 safe: bool) -> Fix | None:
    """Edits that write every variant in ``form``; ``home`` is the issue's segment.
    A variant keeps a capital that starts its sentence; when one differs in number
    (``River Chiefs`` against ``river chief``) no edit is offered at all, since a
    group half aligned is still inconsistent."""
    edits = []
    for occ in variants:
        if occ.text.lower().endswith("s") != form.lower().endswith("s"):
            return None
        text = doc.segments[occ.segment].text
        written = form
        if occ.text[:1].isupper() and _SENTENCE_START.search(text[:occ.start]):
            written = form[:1].upper() + form[1:]
        if written != occ.text:
            edits.append(Edit(occ.start, occ.end, written,
                              None if occ.segment == home else occ.segment))
    return Fix(tuple(edits), safe=safe) if edits else None


_SENTENCE_START = re.compile(r"(?:^|[.!?:]['\"\u201d\u2019)]*\s+)['\"\u201c\u2018(]*$")


def _by_form(occurrences: Iterable[tuple[str, Occurrence]]) -> dict[str, list[Occurrence]]:
    forms: dict[str, list[Occurrence]] = defaultdict(list)
    for form, occ in occurrences:
        forms[form].append(occ)
    return dict(forms)


def forbidden_form(ctx: Context, form: str) -> bool:
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
    (``Yunxi Provincial Water Resources Administration`` / ``Yunxi Provincial Water
    Management Administration`` for ``云溪省水资源管理局``): the same head noun, and a rapidfuzz
    token-set similarity of at least ``similarity`` (75) between the two names. A
    short form beside the full name (``Xinhua`` / ``Xinhua News Agency``) passes, and
    variant names that CO04 already finds from the target alone are left to it. Needs
    a source.

    Fires:
        source: 云溪省水资源管理局发布通知。
        source: 云溪省水资源管理局表示将加快进度。
        target: The Yunxi Provincial Water Resources Administration issued a notice.
        target: The Yunxi Provincial Water Management Administration said it would speed up.

    Passes:
        source: 云溪省水资源管理局发布通知。
        source: 云溪省水资源管理局表示将加快进度。
        target: The Yunxi Provincial Water Resources Administration issued a notice.
        target: The Yunxi Provincial Water Resources Administration said it would speed up.
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
        for number, sides in enumerate(ctx.bead_sides):
            if sides is not None:
                yield number, sides[0], sides[1]

    def _glossary(self, ctx: Context) -> Iterator[Issue]:
        glossary = ctx.terms
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
                loose.setdefault(loose_form(phrase), phrase)
            forms = _by_form((loose[loose_form(p)], occ) for p, occ, _ in found_uses)
            words = [set(loose_form(f).split()) for f in forms]
            if len(forms) == 2 and (words[0] <= words[1] or words[1] <= words[0]):
                continue  # "Xinhua News Agency", then "Xinhua": a short form, not another
            if len(forms) > 1:
                term = terms[key]
                counts = Counter(loose[loose_form(p)] for p, _, _ in found_uses)
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


def loose_form(phrase: str) -> str:
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
    if not text.isascii():  # composed and decomposed accents are the same text
        text = unicodedata.normalize("NFC", text)
    return " ".join(_PUNCT_SPACE.sub(" ", text.casefold()).split())


_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[,.](?=\d)")
_WORD_RUN = re.compile(r"[^\W_]+")
_PUNCT_SPACE = re.compile(r"[\s\"'“”‘’.,;:!?。，；：！？、]+")


@register
class SourceSegmentRenderings(Check):
    """The same source sentence translated differently in different places.

    Repeated sentences (ignoring case, spaces and punctuation; at least two words or
    four Chinese characters) should have the same translation. Needs a source.

    Fires:
        source: 会议要求各地抓好落实。
        source: 志愿者清理了河岸。
        source: 会议要求各地抓好落实。
        target: The meeting required all localities to implement it.
        target: Volunteers cleaned the river banks.
        target: The meeting asked all regions to carry it out.

    Passes:
        source: 会议要求各地抓好落实。
        source: 志愿者清理了河岸。
        source: 会议要求各地抓好落实。
        target: The meeting required all localities to implement it.
        target: Volunteers cleaned the river banks.
        target: The meeting required all localities to implement it.
    """

    code = "CO02"
    name = "consistency.source-segment"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"source"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        groups: dict[str, list[tuple[Joined, Joined]]] = defaultdict(list)
        for src, tgt in _aligned_pairs(ctx):
            key = _norm_segment(src.text)
            if len(key.split()) >= 2 or sum(map(is_cjk, key)) >= 4:
                groups[_unit_variant(src) + key].append((src, tgt))
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

    Fires:
        source: 会议在北京召开。
        source: 会议在上海召开。
        target: The meeting was held in Beijing.
        target: The meeting was held in Beijing.

    Passes:
        source: 会议在北京召开。
        source: 会议在上海召开。
        target: The meeting was held in Beijing.
        target: The meeting was held in Shanghai.
    """

    code = "CO03"
    name = "consistency.target-segment"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"source"})

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        groups: dict[str, list[tuple[Joined, Joined]]] = defaultdict(list)
        for src, tgt in _aligned_pairs(ctx):
            key = _norm_segment(tgt.text)
            # Words are runs of letters and digits: a number with separators ("245,000")
            # is one, and a symbol standing alone ("cleanup + forest") is none.
            if len(_WORD_RUN.findall(_DIGIT_SEPARATOR.sub("", tgt.text))) >= 3:
                groups[key].append((src, tgt))
        for pairs in groups.values():
            sources = {_source_key(s) for s, _ in pairs}
            if len(sources) < 2:
                continue
            first_src, first_tgt = pairs[0]
            other = next(s for s, _ in pairs if _source_key(s) != _source_key(first_src))
            places = ", ".join(_where(ctx.target, _occ(t)) for _, t in pairs)
            dup = next(t for s, t in pairs if s is other)
            yield self.issue(
                f"the same translation stands for {len(sources)} different source "
                f"sentences (at {places})",
                target=dup.locate(0, len(dup.text)),
                source=other.locate(0, len(other.text)))


def _source_key(src: Joined) -> str:
    """What makes two sources the same: their text, or for the plural forms of one PO
    entry (``msgid`` and ``msgid_plural``) the entry, whose forms may read alike."""
    units = src.doc.units
    if len(src.indices) == 1 and src.indices[0] < len(units):
        unit = units[src.indices[0]]
        if unit.plural is not None:
            return "\0entry:" + unit.id.rsplit("[", 1)[0]
    return _norm_segment(src.text)


def _unit_variant(src: Joined) -> str:
    """What tells apart units of a localisation file with the same source text: the
    PO context (``msgctxt``: the program asks for different strings) and the plural
    form (``Tag``/``Tage`` for ``%(num)d day``)."""
    units = src.doc.units
    if len(src.indices) != 1 or src.indices[0] >= len(units):
        return ""
    unit = units[src.indices[0]]
    context = unit.id.split("::", 1)[0] if "::" in unit.id else ""
    plural = "" if unit.plural is None else str(unit.plural)
    return f"{context}\0{plural}\0" if context or plural else ""


def _aligned_pairs(ctx: Context) -> Iterator[tuple[Joined, Joined]]:
    """(source, target) of every bead that has both sides."""
    for sides in ctx.bead_sides:
        if sides is not None:
            yield sides


def _occ(j: Joined) -> Occurrence:
    loc = j.locate(0, len(j.text))
    return Occurrence(loc.segment, loc.start, loc.end, loc.text)
