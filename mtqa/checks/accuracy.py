"""Accuracy checks: is everything in the source carried into the target, and nothing else?"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from mtqa.checks.base import CJK_JOIN_LANGS, Context, Joined, PairCheck, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity
from mtqa.numbers import find_numbers
from mtqa.placeholders import mask

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]"
                      r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af\u3000-\u303f\uff01-\uff5e]*")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*){5,}")


@register
class UntranslatedScript(TargetCheck):
    """Text in the source's script left in the translation.

    Flags every run of Chinese, Japanese or Korean characters in a translation into a
    Latin-script language, and runs of six or more Latin words in a translation into
    Chinese or Japanese. A segment that is mostly untranslated is critical; a few
    characters left behind are major. Works without a source.

    Fires: ``The branch organised 学习 sessions for members.``
    Passes: ``The branch organised study sessions for members.``

    Segments flagged here get no punctuation, spacing or number issues: fix the
    translation first.
    """

    code = "AC01"
    name = "accuracy.untranslated-text"
    category = "accuracy/untranslated"
    severity = Severity.MAJOR
    precondition = True

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        pattern = _LATIN_WORDS if ctx.target.lang in CJK_JOIN_LANGS else _HAN_RUN
        letters = 0  # counted on the first match only: most segments have none
        for m in pattern.finditer(text):
            if pattern is _LATIN_WORDS and ("://" in m.group() or "@" in m.group()):
                continue
            letters = letters or sum(1 for ch in text if ch.isalpha()) or 1
            share = sum(1 for ch in m.group() if ch.isalpha()) / letters
            severity = Severity.CRITICAL if share > 0.5 else None
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"untranslated text ({ctx.target.lang} translation contains "
                            f"{m.group()!r})", severity=severity)


@register
class IdenticalToSource(PairCheck):
    """A translation that is a copy of its source.

    Fires when the target of a bead is, ignoring spaces and case, the same text as its
    source while the languages differ, and the text has at least two words (or two
    Chinese characters): a name, a number or a code may legitimately stay the same.

    Fires: source ``中央和国家机关`` / target ``中央和国家机关``
    Passes: source ``CPU`` / target ``CPU``
    """

    code = "AC02"
    name = "accuracy.same-as-source"
    category = "accuracy/untranslated"
    severity = Severity.CRITICAL
    precondition = True

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        assert ctx.source is not None
        if ctx.source.lang == ctx.target.lang:
            return
        s = re.sub(r"\s+", "", source.text).casefold()
        t = re.sub(r"\s+", "", target.text).casefold()
        words = len(re.findall(r"[^\W\d_]+", target.text))
        han = len(re.findall(r"[\u4e00-\u9fff]", target.text))
        if s == t and (words >= 2 or han >= 2):
            yield self.issue("the translation is identical to the source",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)))


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@register
class NumberMismatch(PairCheck):
    """A number in the source that is missing or different in the translation, or a
    number in the translation that is not in the source.

    Numbers are compared by value, so ``11.1万`` matches ``111,000`` and ``111000``,
    ``三千`` matches ``3,000``, ``3亿`` matches ``300 million``, ``5月11日`` matches
    ``May 11``, and number words (``two``, ``first``) count as matches but are never
    flagged themselves.

    Fires: source ``覆盖近11万人`` / target ``covering nearly 1,100 people``
    Passes: source ``覆盖近11万人`` / target ``covering nearly 110,000 people``
    """

    code = "AC03"
    name = "accuracy.number-mismatch"
    category = "accuracy/mistranslation"
    severity = Severity.MAJOR
    noise = True

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        assert ctx.source is not None
        # Tag ids and placeholders (``⟨2/⟩``, ``%1$s``) are not numbers of the text; masking
        # keeps offsets.
        src = find_numbers(mask(source.text), ctx.source.lang)
        tgt = find_numbers(mask(target.text), ctx.target.lang)
        unmatched_tgt = list(tgt)
        missing = []
        for n in src:
            match = next((t for t in unmatched_tgt if _same(t.value, n.value)), None)
            if match is None:
                # "第一" -> "first", "一带一路" -> words: soft evidence is enough.
                if not n.hard:
                    continue
                missing.append(n)
            else:
                unmatched_tgt.remove(match)
        extra = [t for t in unmatched_tgt if t.hard]
        # Pair a missing source number with an extra target number when there is exactly
        # one of each: it is one wrong number, not two problems.
        if len(missing) == 1 and len(extra) == 1:
            m, e = missing[0], extra[0]
            yield self.issue(f"number {e.text!r} does not match {m.text!r} in the source",
                             target=target.locate(e.start, e.end),
                             source=source.locate(m.start, m.end),
                             suggestion=_format(m.value))
            return
        for m in missing:
            yield self.issue(f"number {m.text!r} in the source is missing from the translation",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(m.start, m.end),
                             suggestion=_format(m.value))
        counts = Counter(n.value for n in src)
        for e in extra:
            if counts.get(e.value):
                continue
            yield self.issue(f"number {e.text!r} is not in the source",
                             target=target.locate(e.start, e.end))


def _format(value: float) -> str:
    if value == int(value):
        # Years and small numbers are written without a separator.
        return f"{int(value):,}" if value >= 10_000 else str(int(value))
    return f"{value:,.6g}"
