"""Locale checks: the conventions of the target language (punctuation, numbers, dates,
units), read from the translation alone."""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from mtqa.checks._text import has_digit
from mtqa.checks.base import Context, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Edit, Fix, Issue, Severity
from mtqa.text.joined import CJK_JOIN_LANGS
from mtqa.text.placeholders import mask

# Full-width and CJK punctuation, with what a Latin-script text uses instead.
_CJK_PUNCT = {
    "\uff0c": ",", "\u3002": ".", "\uff1a": ":", "\uff1b": ";", "\uff01": "!", "\uff1f": "?",
    "\u3001": ",", "\uff08": "(", "\uff09": ")", "\u300a": '"', "\u300b": '"',
    "\u3008": '"', "\u3009": '"', "\u300c": '"', "\u300d": '"', "\u300e": '"', "\u300f": '"',
    "\u3010": "[", "\u3011": "]", "\uff5e": "~", "\u2014\u2014": "\u2014",
    "\u2026\u2026": "\u2026", "\u3000": " ", "\uff02": '"', "\uff07": "'", "\uff0e": ".",
    "\uff3b": "[", "\uff3d": "]", "\uff05": "%", "\uff06": "&", "\uff0f": "/",
}
_CJK_PUNCT_RE = re.compile("|".join(re.escape(k) for k in
                                    sorted(_CJK_PUNCT, key=len, reverse=True)))
_CJK_CHARS = frozenset("".join(_CJK_PUNCT))
_NEEDS_SPACE_AFTER = frozenset(",.:;!?")


class _LatinTarget(TargetCheck):
    """Base of checks that apply to Latin-script (not Chinese/Japanese/Korean) targets."""

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and ctx.target.lang not in CJK_JOIN_LANGS


@register
class CjkPunctuation(_LatinTarget):
    """Full-width or Chinese punctuation in a Latin-script translation.

    Flags ``，`` ``。`` ``：`` ``；`` ``、`` ``（）`` ``《》`` ``【】`` ``——`` ``……``, the
    ideographic space and other full-width forms, and suggests the Latin mark.

    Fires: ``Key tasks for the coming year——``
    Passes: ``Key tasks for the coming year:``

    Fix (safe): ``the county，the city：`` -> ``the county, the city:``
    """

    code = "LO01"
    name = "locale.cjk-punctuation"
    category = "locale/punctuation"
    severity = Severity.MINOR
    noise = True
    fix_safety = "safe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if _CJK_CHARS.isdisjoint(text):
            return
        for m in _CJK_PUNCT_RE.finditer(text):
            latin = _CJK_PUNCT[m.group()]
            # Full-width marks carry their own spacing; the Latin ones need a space
            # before the next word (``tasks，The`` -> ``tasks, The``).
            replacement = latin
            if latin in _NEEDS_SPACE_AFTER and text[m.end():m.end() + 1].isalnum():
                replacement += " "
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"Chinese punctuation {m.group()!r} in a Latin-script text",
                            suggestion=latin,
                            fix=Fix((Edit(m.start(), m.end(), replacement),)))


# Separators of thousands by target language. A number with more digits than
# min_digits and no separator is flagged.
_SEPARATORS = {"en": ","}
_BARE_NUMBER = re.compile(r"\d{5,}")
_NOT_BEFORE = frozenset("_.,/#:+-")
# Where long digit strings are identifiers, not quantities.
_IDENTIFIER_BEFORE = re.compile(
    r"(?:no\.?|number|id|code|tel\.?|phone|fax|zip|postcode|isbn|issn|account|#|"
    r"room|patent|case|ticket|order|serial|version|v\.?)\s*$", re.IGNORECASE)


@register
class NumberFormat(_LatinTarget):
    """A large number written without thousands separators: ``111000`` in English.

    Flags a number of five or more digits (option ``min_digits``) with no separator, in
    English, and suggests ``111,000``. Years, codes, phone numbers, identifiers after
    ``No.``/``ID``/``#``, and numbers inside words or URLs pass.

    Fires: ``a reservoir that holds 245000 cubic metres``
    Passes: ``a reservoir that holds 245,000 cubic metres``

    Fix (safe): ``holds 245000 cubic metres`` -> ``holds 245,000 cubic metres``
    """

    code = "LO02"
    name = "locale.number-format"
    category = "locale/number-format"
    severity = Severity.MINOR
    noise = True
    target_langs = frozenset(_SEPARATORS)
    defaults = {"min_digits": 5}
    fix_safety = "safe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if not has_digit(text):
            return
        sep = _SEPARATORS.get(ctx.target.lang, ",")
        for m in _BARE_NUMBER.finditer(text):
            digits = m.group()
            if len(digits) < self.opts["min_digits"] or digits.startswith("0"):
                continue
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end():m.end() + 2]
            # Inside a word, URL, code, decimal or grouped number: not a bare quantity.
            if before in _NOT_BEFORE or before.isalnum() or (after[:1].isalnum()) or (
                    len(after) == 2 and after[0] in ".,/:-" and after[1].isdigit()):
                continue
            if _IDENTIFIER_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            grouped = f"{int(digits):,}".replace(",", sep)
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"{digits} has no thousands separators", suggestion=grouped)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DATE_PROBLEMS = re.compile(
    # 2024.5.11, 2024/5/11, 2024-5-11 (not zero-padded ISO): Chinese numeric order.
    r"(?P<numeric>(?<![\w.])(?:19|20)\d\d(?P<sep>[./-])(?:1[0-2]|0?[1-9])(?P=sep)"
    r"(?:[12]\d|3[01]|0?[1-9])(?![\w.]?\d))"
    # May 11th, 2024 / 11th May: an ordinal suffix in a written date.
    r"|(?P<ordinal>\b(?:" + _MONTHS + r")\.? \d{1,2}(?:st|nd|rd|th)\b)"
    # 5月, 11日, 2024年 written with Arabic digits: the date was not translated.
)
_ISO = re.compile(r"(?:19|20)\d\d-\d\d-\d\d$")
_DATE_GATE = re.compile(r"(?:19|20)\d\d[./-]\d|\d(?:st|nd|rd|th)\b")


@register
class DateFormat(_LatinTarget):
    """A date written the Chinese way (``2024.5.11``) or with an ordinal (``May 11th``).

    English news style writes ``May 11, 2024``. Zero-padded ISO dates (``2024-05-11``) pass.

    Fires: ``the meeting on 2024.5.11``, ``on May 11th``
    Passes: ``on May 11, 2024``, ``on 2024-05-11``
    """

    code = "LO03"
    name = "locale.date-format"
    category = "locale/date-format"
    severity = Severity.MINOR
    noise = True
    target_langs = frozenset({"en"})

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if not has_digit(text) or not _DATE_GATE.search(text):
            return
        for m in _DATE_PROBLEMS.finditer(text):
            if m.lastgroup == "numeric":
                if _ISO.match(m.group()):
                    continue
                yield self.flag(ctx, index, m.start(), m.end(),
                                f"{m.group()!r} is not an English date format "
                                "(write May 11, 2024 or 2024-05-11)")
            else:
                plain = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", m.group())
                yield self.flag(ctx, index, m.start(), m.end(),
                                f"ordinal suffix in the date {m.group()!r}", suggestion=plain)


_UNITS = ("km|kg|cm|mm|m2|km2|kw|kW|kWh|MW|GW|GWh|mph|Mbps|Gbps|MB|GB|TB|ml|mL|"
          "sq m|hectares?|tons?|tonnes?")
_UNIT_GATE = re.compile(r"\d(?:" + _UNITS.replace("|sq m|hectares?|tons?|tonnes?", "")
                        + r")\b|\d ?(?:RMB|CNY)\b")
_UNIT_PROBLEMS = re.compile(
    # 30km, 1000Mbps: SI style puts a space between number and unit.
    r"(?P<glued>\b\d+(?:\.\d+)?(?:" + _UNITS.replace("|sq m|hectares?|tons?|tonnes?", "")
    + r")\b)"
    # 4500 RMB / 4500 yuan is fine; "RMB" after the number is a Chinese-English habit.
    r"|(?P<currency>\b\d[\d,.]*\s?(?:RMB|CNY)\b)"
)


@register
class UnitFormat(_LatinTarget):
    """A unit glued to its number (``30km``) or a currency code after it (``4500 RMB``).

    English style puts a space between number and unit (``30 km``) and writes the
    currency before the amount (``RMB 4,500``) or as a word after it (``4,500 yuan``).

    Fires: ``a rate of 1000Mbps``, ``a subsidy of 4500 RMB``
    Passes: ``a rate of 1,000 Mbps``, ``a subsidy of 4,500 yuan``
    """

    code = "LO04"
    name = "locale.unit-format"
    category = "locale/measurement-format"
    severity = Severity.MINOR
    noise = True
    target_langs = frozenset({"en"})

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if not has_digit(text) or not _UNIT_GATE.search(text):
            return
        for m in _UNIT_PROBLEMS.finditer(text):
            if m.lastgroup == "glued":
                unit = re.search(r"[A-Za-z].*$", m.group())
                assert unit is not None
                fixed = m.group()[:unit.start()] + " " + unit.group()
                yield self.flag(ctx, index, m.start(), m.end(),
                                f"no space between number and unit in {m.group()!r}",
                                suggestion=fixed)
            else:
                amount = re.sub(r"\s?(?:RMB|CNY)$", "", m.group())
                issue = self.flag(ctx, index, m.start(), m.end(),
                                  f"currency code after the amount in {m.group()!r}",
                                  suggestion=f"RMB {amount}")
                yield dataclasses.replace(issue, category="locale/currency-format")


# "the forum -- highlights", "Title - Site": a hyphen standing in for a dash.
_FAKE_DASH = re.compile(r"(?<=[\w\"'\u201d)]) (?:--|-) (?=[\"'\u201c(]?\w)|(?<=\w)--(?=\w)")
_DOUBLE_HYPHEN = re.compile(r"(?<=[\w\"'\u201d)]) ?--(?!-) ?(?=[\"'\u201c(]?\w)")


@register
class DashStyle(_LatinTarget):
    """A hyphen or double hyphen standing in for a dash: ``the forum -- highlights``.

    English typography writes an em dash (``the forum—highlights``) or a spaced en dash
    (``the forum – highlights``). By default only the typewriter double hyphen fires; the
    spaced single hyphen, common in headlines (``Title - Site name``) and rarely marked
    by reviewers, fires with the option ``spaced_hyphen = true``. Hyphens inside words
    (``high-quality``) and number ranges (``3-5``) pass.

    Fires: ``River cleanup in Linchuan -- notes from the first meeting``
    Passes: ``River cleanup in Linchuan: notes from the first meeting``

    Fix (safe): ``in Linchuan -- notes`` -> ``in Linchuan – notes``
    """

    code = "LO05"
    name = "locale.dash"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True
    target_langs = frozenset({"en"})
    defaults = {"spaced_hyphen": False}
    fix_safety = "safe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if "-" not in text:
            return
        pattern = _FAKE_DASH if self.opts["spaced_hyphen"] else _DOUBLE_HYPHEN
        for m in pattern.finditer(text):
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"{m.group().strip()!r} used as a dash", suggestion=" \u2013 ")


@register
class QuoteStyle(_LatinTarget):
    """Straight and curly double quotes mixed in one document.

    The minority style is flagged at each use: a document that writes ``"three clean"``
    throughout and ``\u201cthree clean\u201d`` once gets one issue there.

    Fires:
        target: The "Belt and Road" forum opened.
        target: Its theme was "green growth".
        target: Volunteers planted \u201cdandelion\u201d seeds.

    Passes (only straight quotes; only curly ones pass too):
        target: The "Belt and Road" forum opened.
        target: Volunteers planted "dandelion" seeds.
    """

    code = "LO06"
    name = "locale.quote-style"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        counts: Counter[str] = Counter()
        # Quotes inside tags (<a href="...">) are markup syntax, not quotation marks.
        texts = [mask(seg.text) if "<" in seg.text else seg.text for seg in ctx.target.segments]
        for text in texts:
            counts['"'] += text.count('"')
            counts["\u201c"] += text.count("\u201c") + text.count("\u201d")
        if not counts['"'] or not counts["\u201c"]:
            return
        curly, straight = counts["\u201c"], counts['"']
        minority = ('"',) if straight < curly else ("\u201c", "\u201d")
        for index, text in enumerate(texts):
            for pos, ch in enumerate(text):
                if ch in minority:
                    yield self.flag(ctx, index, pos, pos + 1,
                                    "quote style differs from the rest of the document "
                                    f"({curly} curly, {straight} straight marks)")

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        return ()
