"""Tags and placeholders, and the state of localisation units.

The tag checks compare the protected spans of ``mtqa.text.placeholders`` (inline codes of
XLIFF/TMX shown as ``⟨1⟩…⟨/1⟩``, HTML tags, printf ``%s``/``%1$d``, Python/ICU
``{name}``) between the source and the translation of each bead. A placeholder is the
same when its key is: ``<a href="x">`` matches ``<a href="y">`` here (PF09 compares
attributes), and ``%1$s`` matches the first ``%s`` when only one side numbers them.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from mtqa.checks.base import Context, PairCheck, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity, locate
from mtqa.text.joined import Joined
from mtqa.text.placeholders import Placeholder, find

# Format placeholders fill in values at run time: one the code does not pass breaks the
# program (printf reads a missing argument, str.format raises KeyError).
_FORMAT_KINDS = frozenset({"printf", "brace", "dollar"})
# HTML elements whose end tag may be left out.
_OPTIONAL_END = frozenset("p li dt dd tr td th option thead tbody tfoot colgroup "
                          "rt rp optgroup caption html head body".split())
# Paired HTML elements that TG04 follows: real element names only, so that prose such as
# "if a<b and c>d" is not taken for an unclosed <b ...> tag.
_PAIRED_HTML = frozenset("""a abbr article aside b bdi bdo big blockquote button caption cite
    code del details dfn div em figcaption figure font footer h1 h2 h3 h4 h5 h6 header i
    ins kbd label legend main mark nav ol pre q s samp section small span strike strong
    sub summary sup table time u ul var""".split()) | _OPTIONAL_END
MARKUP = "design/markup"


def _describe(p: Placeholder) -> str:
    return {"code": "inline code", "html": "tag", "printf": "placeholder",
            "brace": "placeholder", "dollar": "placeholder"}[p.kind]


def compared(source: str, target: str) -> tuple[list[Placeholder], list[Placeholder]]:
    """The placeholders of both sides, keyed so that equal keys mean the same argument.

    When one side numbers its printf conversions (``%1$s``) and the other does not
    (``%s``), the unnumbered ones are numbered by their order: numbering is how a
    translation reorders arguments, so ``%s ... %d`` -> ``%2$d ... %1$s`` loses nothing.
    In a strftime date format (``%a %b %e %H:%M``) the conversions are not compared.
    """
    src, tgt = list(find(source)), list(find(target))
    if _strftime(source) or _strftime(target):
        # A date format (%a %b %e %H:%M): a translation picks its own fields and order.
        src = [p for p in src if p.kind != "printf"]
        tgt = [p for p in tgt if p.kind != "printf"]
    if _numbered(src) != _numbered(tgt):
        src, tgt = _numbering(src), _numbering(tgt)
    return src, tgt


_STRFTIME = re.compile(r"%[-_0^#]?[HMSYyBbmjpIZAaej]")


def _strftime(text: str) -> bool:
    """True for a strftime date format: conversions printf does not have (``%H``,
    ``%Y``, ``%b``, ``%-m``) two or more times."""
    return "%" in text and len([m for m in _STRFTIME.finditer(text)
                                if m.group()[-1] in "HMSYyBbmjpIZ" or m.group()[1] in "-_^#"]) >= 2


def _numbered(found: Sequence[Placeholder]) -> bool:
    return any(p.kind == "printf" and "$" in p.key for p in found)


def _numbering(found: list[Placeholder]) -> list[Placeholder]:
    out, position = [], 0
    for p in found:
        if p.kind == "printf" and p.ordered:
            position += 1
            p = p._replace(key=f"%{position}${p.key[-1]}", ordered=False)
        out.append(p)
    return out


def _surplus(mine: Sequence[Placeholder], other: Sequence[Placeholder]) -> list[Placeholder]:
    """The placeholders of ``mine`` that ``other`` has fewer of (the last ones of a key)."""
    left = Counter(p.key for p in other)
    out = []
    for p in mine:
        if left[p.key]:
            left[p.key] -= 1
        else:
            out.append(p)
    return out


@register
class MissingTag(PairCheck):
    """An inline tag or placeholder of the source missing from the translation.

    Compares inline codes (XLIFF/TMX), HTML tags, printf placeholders (``%s``,
    ``%1$d``, ``%(name)s``) and Python/ICU placeholders (``{0}``, ``{name}``) by kind
    and name, counting repeats. Losing a tag loses formatting or a link; losing a
    placeholder loses the value it shows. A named placeholder that the source repeats
    and the translation uses once still shows its value, and passes.

    Fires: source ``Delete %s files?`` / target ``Dateien löschen?``
    Passes: source ``Delete %s files?`` / target ``%s Dateien löschen?``
    """

    code = "TG01"
    name = "tags.missing"
    category = MARKUP
    severity = Severity.MAJOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src, tgt = compared(source.text, target.text)
        kept = {p.key for p in tgt if p.kind in _FORMAT_KINDS and not p.ordered}
        for p in _surplus(src, tgt):
            if p.key in kept:
                continue  # a named argument the translation uses once, not twice
            yield self.issue(f"{_describe(p)} {source.text[p.start:p.end]!r} of the source "
                             "is missing from the translation",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(p.start, p.end),
                             suggestion=source.text[p.start:p.end])


@register
class AddedTag(PairCheck):
    """An inline tag or placeholder in the translation that the source does not have.

    A placeholder the program does not fill (``%d``, ``{name}``) is critical: it breaks
    the string at run time. An added tag or inline code is major.

    Fires: source ``Saved.`` / target ``%s gespeichert.``
    Passes: source ``Saved %s.`` / target ``%s gespeichert.``

    A named placeholder of the source used twice (``%(name)s ... %(name)s``) is not
    added: the program fills both.
    """

    code = "TG02"
    name = "tags.added"
    category = MARKUP
    severity = Severity.MAJOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src, tgt = compared(source.text, target.text)
        named = {p.key for p in src if p.kind in _FORMAT_KINDS and not p.ordered}
        for p in _surplus(tgt, src):
            if p.key in named:
                continue  # a named argument used twice: the program fills both
            severity = Severity.CRITICAL if p.kind in _FORMAT_KINDS else None
            yield self.issue(f"{_describe(p)} {target.text[p.start:p.end]!r} is not in "
                             "the source", target=target.locate(p.start, p.end),
                             severity=severity)


@register
class ReorderedTags(PairCheck):
    """Tags or placeholders of the source in a different order in the translation.

    Placeholders that take their value by position (``%s``, ``%d``, ``{}``) in a new
    order swap the values they show: major (number them, ``%1$s``, to reorder). Tags
    and inline codes in a new order are minor: word order can call for it, but a
    reviewer should look. Numbered and named placeholders may move freely.

    Fires: source ``%s of %d`` / target ``%d von %s``
    Passes: source ``%1$s of %2$d`` / target ``%2$d von %1$s``
    """

    code = "TG03"
    name = "tags.reordered"
    category = MARKUP
    severity = Severity.MINOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src, tgt = compared(source.text, target.text)
        if len(src) < 2 or len(tgt) < 2:
            return
        missing, added = set(_surplus(src, tgt)), set(_surplus(tgt, src))
        src = [p for p in src if p not in missing]
        tgt = [p for p in tgt if p not in added]
        # Crossed or unclosed tags are TG04's; their order says nothing more.
        groups = [(True, Severity.MAJOR)] + ([] if _unbalanced(target.text) else [(False, None)])
        for ordered, severity in groups:
            s = [p for p in src if p.ordered == ordered and (ordered or p.kind in ("code", "html"))]
            t = [p for p in tgt if p.ordered == ordered and (ordered or p.kind in ("code", "html"))]
            if [p.key for p in s] == [p.key for p in t]:
                continue
            at = next(i for i, (a, b) in enumerate(zip(s, t)) if a.key != b.key)
            what = "positional placeholders" if ordered else "tags"
            yield self.issue(f"{what} in a different order than in the source: "
                             f"{' '.join(source.text[p.start:p.end] for p in s)} -> "
                             f"{' '.join(target.text[p.start:p.end] for p in t)}",
                             target=target.locate(t[at].start, t[-1].end),
                             source=source.locate(s[at].start, s[-1].end), severity=severity)


def _unbalanced(text: str) -> list[tuple[Placeholder, str]]:
    """Paired tags that do not nest: (tag, why) for every one out of place."""
    stack: list[Placeholder] = []
    bad: list[tuple[Placeholder, str]] = []
    crossed: Counter[str] = Counter()  # inner tags already reported; their close is not
    for p in find(text):
        if p.kind not in ("code", "html") or p.role == "standalone" or \
                p.kind == "html" and p.pair not in _PAIRED_HTML:
            continue
        if p.role == "open":
            stack.append(p)
        elif stack and stack[-1].pair == p.pair:
            stack.pop()
        elif any(o.pair == p.pair for o in stack):
            while stack and stack[-1].pair != p.pair:
                inner = stack.pop()
                if not (inner.kind == "html" and inner.pair in _OPTIONAL_END):
                    bad.append((inner, "is closed after an outer tag (tags cross)"))
                    crossed[inner.pair] += 1
            stack.pop()
        elif crossed[p.pair]:
            crossed[p.pair] -= 1
        else:
            bad.append((p, "closes a tag that is not open"))
    for p in stack:
        if not (p.kind == "html" and p.pair in _OPTIONAL_END):
            bad.append((p, "is never closed"))
    return sorted(bad, key=lambda b: b[0].start)


@register
class MalformedTags(TargetCheck):
    """Paired tags in the translation that are not closed, closed twice, or crossed.

    Works without a source (HTML in a plain or Markdown translation); with one, a
    structure the source has too (a unit that opens a tag the next one closes) passes.
    HTML elements whose end tag is optional (``<p>``, ``<li>``) may stay open.

    Fires: ``<b>Save <i>all</b> files</i>``
    Passes: ``<b>Save <i>all</i> files</b>``
    """

    code = "TG04"
    name = "tags.malformed"
    category = MARKUP
    severity = Severity.MAJOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        bad = _unbalanced(text)
        if not bad:
            return
        same_in_source = set()
        bead = ctx.bead_of_target.get(index)
        if ctx.source is not None and bead is not None:
            src = Joined.of(ctx.source, ctx.alignment[bead].source).text
            same_in_source = {(p.key, why) for p, why in _unbalanced(src)}
        for p, why in bad:
            if (p.key, why) not in same_in_source:
                yield self.flag(ctx, index, p.start, p.end, f"{text[p.start:p.end]!r} {why}")


@register
class UntranslatedUnit(PairCheck):
    """A unit of a bilingual file with a source but an empty translation.

    An XLIFF ``<trans-unit>`` without ``<target>``, a PO entry with an empty ``msgstr``,
    a TMX unit without the target language, a TSV line with an empty target column.

    Fires:
        po: msgid "Save"
        po: msgstr ""

    Passes:
        po: msgid "Save"
        po: msgstr "Speichern"
    """

    code = "TG05"
    name = "tags.empty-unit"
    category = "accuracy/untranslated"
    severity = Severity.MAJOR

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        for bead in ctx.alignment:
            if len(bead.source) != 1 or len(bead.target) != 1:
                continue
            src, tgt = bead.source[0], bead.target[0]
            if ctx.source.segments[src].text.strip() and not ctx.target.segments[tgt].text:
                yield self.issue("the unit has no translation",
                                 target=locate(ctx.target, tgt), source=locate(ctx.source, src))


# Workflow states that say a person has not accepted the translation yet: XLIFF 1.2
# ``state`` values, XLIFF 2 ``initial``, and gettext's ``fuzzy`` flag.
UNREVIEWED = frozenset({"new", "needs-translation", "needs-adaptation", "needs-l10n",
                        "needs-review-translation", "needs-review-adaptation",
                        "needs-review-l10n", "initial", "fuzzy"})


@register
class UnreviewedUnit(TargetCheck):
    """A translated unit that its file marks as not final: a fuzzy PO entry, or an XLIFF
    state such as ``needs-review-translation`` (1.2) or ``initial`` (2.x).

    gettext does not use fuzzy translations at all, so they are reported apart from the
    rest: the other checks still run on them.

    Fires:
        po: #, fuzzy
        po: msgid "Save"
        po: msgstr "Speichern"

    Passes:
        po: msgid "Save"
        po: msgstr "Speichern"
    """

    code = "TG06"
    name = "tags.unreviewed-unit"
    category = "other/unreviewed"
    severity = Severity.MINOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        units = ctx.target.units
        if index >= len(units):
            return
        state = units[index].state
        if units[index].fuzzy or (state and state.lower() in UNREVIEWED):
            label = "fuzzy" if units[index].fuzzy else f"state {state!r}"
            yield self.flag(ctx, index, 0, len(text),
                            f"unit {units[index].id!r} is marked {label}: not reviewed")
