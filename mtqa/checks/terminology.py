"""Terminology checks: the glossary's required, accepted and forbidden renderings."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mtqa.checks.base import Context, PairCheck, TargetCheck
from mtqa.checks.inflect import like
from mtqa.checks.registry import register
from mtqa.model import Edit, Fix, Issue, Severity, Term
from mtqa.text.joined import Joined
from mtqa.text.termmatch import Hit, compiled, without_overlaps

_SENTENCE_START = re.compile(r"(?:^|[.!?:;]['\"”’)\]]*\s+)['\"“‘(\[]*$")


def _note(term: Term) -> str:
    return f" ({term.note})" if term.note else ""


def _quote_list(items: Iterable[str]) -> str:
    return ", ".join(f'"{i}"' for i in items)


@register
class ForbiddenTerm(TargetCheck):
    """A rendering the glossary forbids: a literal calque, a wrong or retired name.

    Every ``forbidden`` rendering of every glossary term is looked for in the
    translation, tolerant of case (unless the term is case sensitive), plurals,
    possessives, hyphens and line breaks. Works without a source: the glossary alone
    says the rendering is wrong. The suggestion is the term's required rendering.

    Glossary line: ``河长制<TAB>river chief system<TAB>river long system``

    Fires:
        glossary: 河长制 -> river chief system (not: river long system)
        target: The county completed the full implementation of the "river long system".

    Passes:
        glossary: 河长制 -> river chief system (not: river long system)
        target: The county completed the full implementation of the river chief system.

    Fix (safe): the preferred rendering, in the case, number and possessive of
    the text it replaces: ``the River Long Systems' offices`` -> ``the River Chief
    Systems' offices``. A hit with a hyphen or a line break inside is left to a person.
    """

    code = "TE01"
    name = "terminology.forbidden-term"
    category = "terminology/wrong-term"
    severity = Severity.MAJOR
    requires = frozenset({"glossary"})
    makes_fixes = True

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        hits = ctx.terms.forbidden_matcher().longest(text)
        if not hits:
            return
        # A forbidden phrase inside an accepted rendering ("Audit Office" inside
        # "National Audit Office") is not a forbidden rendering.
        accepted = [(h.start, h.end) for h in
                    ctx.terms.target_matcher(ignore_case=True).find(text)]
        for hit in hits:
            if any(a <= hit.start and hit.end <= b and (a, b) != (hit.start, hit.end)
                   for a, b in accepted):
                continue
            term: Term = hit.payload
            if term.preferred:
                what = f"use \"{term.preferred}\""
                if term.source:
                    what += f" for {term.source}"
            else:
                what = "the glossary forbids it"
            yield self.flag(ctx, index, hit.start, hit.end,
                            f"\"{hit.text}\" is a forbidden rendering: {what}{_note(term)}",
                            suggestion=term.preferred, fix=_fix(hit, term))


def _fix(hit: Hit, term: Term) -> Fix | None:
    """The preferred rendering in the case, number and possessive of the hit; safe,
    since the glossary says which words are wrong and which are right."""
    if term.preferred is None:
        return None
    if term.case_sensitive and hit.text != hit.phrase:
        return None  # a case-sensitive term found with an ending: a person decides
    text = term.preferred if term.case_sensitive else like(hit.text, hit.phrase, term.preferred)
    if text is None or text == hit.text:
        return None
    return Fix((Edit(hit.start, hit.end, text),))


@register
class MissingTerm(PairCheck):
    """A glossary term in the source with none of its accepted renderings in the
    aligned translation.

    Source terms are found by longest match without double counting (``河长制办公室``
    is one term, not also ``河长制``); the aligned target passes when any accepted
    rendering is there in any case, plural or hyphenation. When the target has one of
    the term's forbidden renderings instead, TE01 reports it and this check stays
    quiet. The rendering may be in a neighbouring bead (``window``, default 1), so a
    sentence alignment that is one sentence off does not raise false alarms. Needs a
    source and a glossary.

    Glossary line: ``生态环境部<TAB>Ministry of Ecology and Environment``

    Fires:
        glossary: 生态环境部 -> Ministry of Ecology and Environment
        source: 生态环境部有关负责同志出席会议。
        target: Officials of the Ministry of Ecological Environment attended.

    Passes:
        glossary: 生态环境部 -> Ministry of Ecology and Environment
        source: 生态环境部有关负责同志出席会议。
        target: Officials of the Ministry of Ecology and Environment attended.
    """

    code = "TE02"
    name = "terminology.missing-term"
    category = "terminology/wrong-term"
    severity = Severity.MAJOR
    requires = frozenset({"source", "glossary"})
    defaults = {"window": 1}

    def run(self, ctx: Context) -> Iterator[Issue]:
        # Which terms' renderings (and forbidden renderings) each target segment has,
        # found once per segment, not once per bead and neighbour.
        glossary = ctx.terms
        accepted = glossary.target_matcher(ignore_case=True)
        forbidden = glossary.forbidden_matcher()
        self._present = [{id(h.payload) for h in accepted.find(s.text)}
                         for s in ctx.target.segments]
        self._forbidden = [{id(h.payload) for h in forbidden.find(s.text)}
                           for s in ctx.target.segments]
        yield from super().run(ctx)

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        glossary = ctx.terms
        found = glossary.source_matcher().longest(source.text)
        if not found:
            return
        # The renderings may sit one bead off when the alignment is off by one sentence
        # (debris lines, a split sentence): look at the neighbouring beads too.
        window = int(self.opts["window"])
        segments = set(target.indices)
        for other in range(max(0, bead - window), min(len(ctx.alignment), bead + window + 1)):
            segments.update(ctx.alignment[other].target)
        present: set[int] = set()
        forbidden: set[int] = set()
        for index in segments:
            present |= self._present[index]
            forbidden |= self._forbidden[index]
        reported: set[int] = set()
        for hit in found:
            term: Term = hit.payload
            key = id(term)
            if not term.targets or key in present or key in forbidden or key in reported:
                continue
            reported.add(key)
            others = term.targets[1:]
            also = f" (or {_quote_list(others)})" if others else ""
            yield self.issue(
                f"source term {hit.text} is not rendered as \"{term.preferred}\"{also}"
                f"{_note(term)}",
                target=target.locate(0, len(target.text)),
                source=source.locate(hit.start, hit.end), suggestion=term.preferred)


@register
class TermCase(TargetCheck):
    """A case-sensitive glossary term written with the wrong capitalisation.

    Only terms marked ``case: sensitive`` are checked. A capital first letter at the
    start of a sentence, and all-capital headlines, pass.

    Glossary line: ``党支部<TAB>Party branch<TAB><TAB>Xinhua style<TAB>sensitive``

    Fires:
        glossary: 党支部 -> Party branch (case-sensitive)
        target: The county's party branch met on Monday.

    Passes:
        glossary: 党支部 -> Party branch (case-sensitive)
        target: The county's Party branch met on Monday.
    """

    code = "TE03"
    name = "terminology.wrong-case"
    category = "terminology/inconsistent"
    severity = Severity.MINOR
    requires = frozenset({"glossary"})

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and any(t.case_sensitive for t in ctx.terms.terms)

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterator[Issue]:
        glossary = ctx.terms
        loose = [h for h in glossary.target_matcher(ignore_case=True).find(text)
                 if h.payload.case_sensitive]
        if not loose:
            return
        exact = {(h.start, h.end) for h in glossary.target_matcher().find(text)
                 if h.payload.case_sensitive}
        for hit in without_overlaps(loose):
            if (hit.start, hit.end) in exact or hit.text.isupper():
                continue
            if _only_initial_differs(hit, text):
                continue
            yield self.flag(ctx, index, hit.start, hit.end,
                            f"\"{hit.text}\" should be written \"{hit.phrase}\""
                            f"{_note(hit.payload)}", suggestion=hit.phrase)


def _only_initial_differs(hit: Hit, text: str) -> bool:
    """A sentence-initial capital is grammar, not a wrong case."""
    if not hit.text[:1].isupper() or not _SENTENCE_START.search(text[:hit.start]):
        return False
    return compiled(hit.phrase, True).fullmatch(hit.phrase[:1] + hit.text[1:]) is not None
