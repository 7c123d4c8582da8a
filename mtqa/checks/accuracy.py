"""Accuracy checks: is everything in the source carried into the target, and nothing else?"""
from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from mtqa.checks.base import Context, PairCheck, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity
from mtqa.text.joined import CJK_JOIN_LANGS, Joined
from mtqa.text.numbers import find_numbers
from mtqa.text.placeholders import mask

_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,6});")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af"
# A run of CJK text, with CJK punctuation and single spaces inside it.
_HAN_RUN = re.compile(rf"[{_CJK}](?:[{_CJK}\u3000-\u303f\uff01-\uff5e]| (?=[{_CJK}]))*")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*){5,}")


@register
class UntranslatedScript(TargetCheck):
    """Text in the source's script left in the translation.

    Flags every run of Chinese, Japanese or Korean characters in a translation into a
    Latin-script language, and runs of six or more Latin words in a translation into
    Chinese or Japanese. A segment that is mostly untranslated is critical; a few
    characters left behind are major. Works without a source.

    Fires: ``The county organised 巡河 patrols along the river.``
    Passes: ``The county organised river patrols along the river.``

    Segments that are mostly untranslated (critical) get no punctuation, spacing or
    number issues: fix the translation first.
    """

    code = "AC01"
    name = "accuracy.untranslated-text"
    category = "accuracy/untranslated"
    severity = Severity.MAJOR
    precondition = True

    def blocks(self, issue: Issue) -> bool:
        # Only a mostly untranslated segment (critical) silences the noise checks.
        return issue.severity is Severity.CRITICAL

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


# Strings of a program that translators keep as they are: a usage synopsis with options
# ("git version [--build-options]", "dirs [-clpv]") and internal messages that start with
# a function name ("start_pipeline: pgrp pipe").
_PROGRAM_TEXT = re.compile(r"\[-{1,2}[\w-]|\s--?[a-z][\w-]*(?:[=\s\]|]|$)|^\w+_\w+:")


@register
class IdenticalToSource(PairCheck):
    """A translation that is a copy of its source.

    Fires when the target of a bead is, ignoring spaces (and after Unicode NFC
    normalisation), the same text as its source while the languages differ, and the
    text has at least two words (or two Chinese characters) besides placeholders,
    markup, single letters and words in capitals: a name, a number, a unit (``%s MB``),
    a code or a command line (``{0} [OPTIONS] <COMMAND>``) may legitimately stay the
    same, and so may a name in Title Case of two to four words (``Flat Pages``). In PO,
    XLIFF and TMX strings a usage synopsis (``git version [--build-options]``) and an
    internal message that starts with a function name (``start_job: pipe``) may stay
    too. Case counts: German ``Minute`` for ``minute`` is a translation.

    Fires: source ``中央和国家机关`` / target ``中央和国家机关``
    Passes: source ``CPU`` / target ``CPU``; source ``%s KB`` / target ``%s KB``
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
        s = unicodedata.normalize("NFC", re.sub(r"\s+", "", source.text))
        t = unicodedata.normalize("NFC", re.sub(r"\s+", "", target.text))
        if s != t:
            return
        if ctx.target.format in _LOCALISATION_FORMATS and _PROGRAM_TEXT.search(target.text):
            return  # a usage synopsis or an internal "function_name: ..." message
        prose = _ENTITY.sub(" ", mask(target.text))
        found = [w for w in re.findall(r"[^\W\d_]+", prose) if len(w) > 1 and not w.isupper()]
        if 2 <= len(found) <= 4 and all(w[0].isupper() for w in found) and \
                ctx.source.lang not in CJK_JOIN_LANGS:
            return  # "Flat Pages", "Python Enhancement Proposals": a name kept as it is
        words = len(found)
        han = len(re.findall(r"[\u4e00-\u9fff]", prose))
        if words >= 2 or han >= 2:
            yield self.issue("the translation is identical to the source",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)))


# In a program's strings, FILE1, ARG2, string1 are a usage's metavariables, which
# translations translate (文件1, DATEI2); a code such as A320 or COVID-19 still carries.
_METAVARIABLE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{3,}[12](?![A-Za-z0-9])")
_LOCALISATION_FORMATS = frozenset({"po", "xliff", "tmx"})

_MAGNITUDE = re.compile(r"\b(?:hundred|thousand|(?:m|b|tr|quadr|quint|sext|sept|oct|non|dec)illion|"
                        r"googol)s?\b", re.IGNORECASE)


@register
class NumberMismatch(PairCheck):
    """A number of the source missing or different in the translation, or one added.

    Numbers are compared by value, so ``11.1万`` matches ``111,000`` and ``111000``,
    ``三千`` matches ``3,000``, ``3亿`` matches ``300 million``, ``百分之三十`` matches
    ``30%``, ``5月11日`` matches ``May 11``, ``下午3点`` matches ``3 p.m.`` and ``15:00``,
    ``1.6-1.7万`` and ``一万六七千`` match ``16,000 to 17,000``, and German ``2,5
    Millionen`` matches ``2.5 million``. Number words (``two``, ``first``) count as
    matches but are never flagged themselves; weekdays (``周六``) and idioms
    (``千千万万``, ``十分``) are not numbers. A missing number and an added one in the
    same sentence are reported once, as a wrong number. A source whose only number is a
    magnitude word (``%(value)s trillion``, ``googol``) may be written with digits.

    Fires: source ``清理垃圾11.1万吨`` / target ``removed 11,100 tons of waste``
    Passes: source ``清理垃圾11.1万吨`` / target ``removed 111,000 tons of waste``
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
        if ctx.target.format in _LOCALISATION_FORMATS and _METAVARIABLE.search(source.text):
            # FILE1 -> 文件1, DATEI2: the digit of a translated metavariable.
            tgt = [t for t in tgt if not (t.start > 0 and target.text[t.start - 1].isalpha()
                                          and t.text in ("1", "2"))]
        unmatched_tgt = list(tgt)
        missing = []
        for n in src:
            match = next((t for t in unmatched_tgt if n.matches(t)), None)
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
        # "%(value)s trillion" -> "%(value)s 万亿", "googol" -> "10的100次方": a magnitude
        # word of the source, written with digits in the translation (software catalogues).
        if extra and not src and _MAGNITUDE.search(source.text):
            return
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


# Tokens that travel unchanged between languages.
_URL = (r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef<>\"]+"
        r"[^\s\u3000-\u303f\uff00-\uffef<>\".,;:!?)]")
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A code starts with letters and has a digit: A320, COVID-19, H7N9, G20 (not 15-foot, 3D).
_CODE = r"(?<![A-Za-z0-9-])[A-Za-z]+-?\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9-])"
_HANDLE = r"(?<!\w)[@#][A-Za-z_]\w{2,}"
_ACRONYM = r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9&]{1,9}(?![A-Za-z0-9-])"
_LATIN_NAME = r"(?<![A-Za-z])[A-Za-z][A-Za-z'.]*(?:[ -][A-Z][A-Za-z'.]*)*"
_CARRY_ALWAYS = re.compile(f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<handle>{_HANDLE})"
                           f"|(?P<code>{_CODE})")
_CARRY_FROM_CJK = re.compile(f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<handle>{_HANDLE})"
                             f"|(?P<code>{_CODE})|(?P<acronym>{_ACRONYM})|(?P<name>{_LATIN_NAME})")
# Latin text in a Chinese source that a translation may rightly spell out or drop.
_UNIT_WORDS = frozenset({"km", "kg", "cm", "mm", "m", "g", "t", "l", "ml", "kw", "kwh", "mw",
                         "gw", "mb", "gb", "tb", "mbps", "gbps", "h", "s", "min", "pm", "am",
                         "a", "b", "c", "x", "vs", "ok", "no", "vs."})




@register
class LatinTokens(PairCheck):
    """A URL, e-mail, code or Latin-script name of the source that the translation drops.

    Such tokens (``https://example.org``, ``info@example.org``, ``A320``, ``COVID-19``,
    ``@user``; from a Chinese source also ``CPU``, ``GDP`` and names such as ``iPhone``)
    must carry over unchanged. Matching ignores case; units (``km``, ``kg``) and single
    letters pass, and so do a program's numbered metavariables (``FILE1``, ``ARG2``) in
    PO, XLIFF and TMX strings, which translators translate.

    Fires: source ``访问 www.gov.cn 了解详情`` / target ``Visit the website for details.``
    Passes: source ``访问 www.gov.cn 了解详情`` / target ``Visit www.gov.cn for details.``
    """

    code = "AC04"
    name = "accuracy.latin-token"
    category = "accuracy/omission"
    severity = Severity.MAJOR
    noise = True

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        assert ctx.source is not None
        pattern = _CARRY_FROM_CJK if ctx.source.lang in CJK_JOIN_LANGS else _CARRY_ALWAYS
        loc_strings = ctx.target.format in _LOCALISATION_FORMATS
        haystack = target.text.casefold()
        compact = re.sub(r"[\s-]+", "", haystack)
        for m in pattern.finditer(source.text):
            token = m.group().strip(" .-'")
            key = token.casefold()
            if len(key) < 2 or key in _UNIT_WORDS or key.isdigit():
                continue
            if key in haystack or re.sub(r"[\s-]+", "", key) in compact:
                continue
            if loc_strings and m.lastgroup == "code" and _METAVARIABLE.fullmatch(token):
                continue
            yield self.issue(f"{m.lastgroup} {token!r} of the source is not in the translation",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(m.start(), m.start() + len(m.group())),
                             suggestion=token)


# Negation. Chinese: the characters 不 没 未 无 非 别 莫 勿 毋, minus the words in which
# they do not negate the clause (不断 "continuously", 未来 "future", 无论 "no matter").
# 莫 and 勿 are left out: they spell foreign names (莫德罗 Modrow) far more often.
# 别 negates only as an imperative at the start of a clause (别再显示 "don't show again");
# inside words it does not (别名 alias, 乌兹别克 Uzbek).
_ZH_NEGATION = re.compile(r"[不没沒未无無非毋否]|(?:^|(?<=[，。！？；：,.!?;:\s]))别")
_ZH_NOT_NEGATION = re.compile(
    r"不断|不仅|不但|不少|不久|不过|不论|不管|不同|不已|不错|不禁|不妨|不乏|不料|不如|不止|"
    r"不到|不下|不足|不亚于|毫不|无论|无数|无限|无缝|无线|无人机|无偿|无障碍|无比|无疑|"
    r"非常|并非|除非|非洲|非法|非遗|非凡|未来|别人|别的|特别|分别|区别|类别|级别|性别|个别|"
    r"告别|识别|差别|别墅|莫斯科|是否|能否|可否|否则|否认|南非|非洲")
# Chinese renders English negatives by words without a negating character: 缺少 "doesn't
# have", 为空 "no results", 之外 "not inside", 仅 "only"; they count as loose negation.
_ZH_LOOSE_NEGATION = re.compile(r"[不没沒未无無非别毋否缺空外除仅只禁拒免]|失败|错误|以上|多于|少于")
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|nobody|nowhere|neither|nor|without|cannot|unable|"
    r"lack|lacks|lacking|lacked|fail|fails|failed|refuse|refused|refuses|absence|absent|"
    r"free|less|rather than|instead|hardly|barely|against|avoid|avoided|prevent|"
    r"prevented|ban|banned|prohibit|prohibited|forbid|forbidden|deny|denied|"
    r"illegal|unlike|no one|missing|mismatch\w*|exclud\w*|violat\w*|other than|at most|"
    r"empty|only|outside|except|unset|dropped|out of|suppress\w*|broken)\b|n[\'\u2019]t\b|"
    r"\b(?:un|in|im|il|ir|dis|non)-?[a-z]{4,}"
    r"|[a-z]{3,}less\b", re.IGNORECASE)
# "No. 1" is a number sign, not a negation.
# "not only" and "nicht nur" add, they do not negate.
# "no more than 5" is a bound ("at most"), "no-referrer" a keyword, "None" (capitalised,
# beside True/False) a value.
_EN_STRICT_NEGATION = re.compile(r"\b(?:not(?! only)|never|no(?!\.\s?\d|-|\s+(?:more|less|longer|"
                                 r"fewer)\s+than)|(?-i:none|NONE)|nothing|nobody|"
                                 r"neither|nor|cannot)\b|n[\'\u2019]t\b", re.IGNORECASE)
_DE_NEGATION = re.compile(r"\b(?:nicht(?! nur)|nie|niemals|kein|keine|keinen|keinem|keiner|keines|"
                          r"nichts|niemand|niemandem|niemanden|weder|ohne)\b", re.IGNORECASE)
_DE_LOOSE_NEGATION = re.compile(
    r"\b(?:nicht|nie|niemals|kein\w*|nichts|niemand\w*|weder|ohne|weniger|statt|anstatt|nein|"
    r"höchstens|maximal|nur|gescheitert|fehlgeschlagen|"
    r"kaum|verhinder\w*|fehl\w*|verbot\w*|un[a-zäöüß]{4,}|[a-zäöüß]{3,}los)\b",
    re.IGNORECASE)


_QUOTED = re.compile(r"\"[^\"\n]{1,40}\"|(?<!\w)[`'\u2018][^'`\u2019\n]{1,40}['`\u2019](?!\w)|"
                     r"\u201c[^\u201d\n]{1,40}\u201d|\u201e[^\u201c\n]{1,40}\u201c|"
                     r"\u00bb[^\u00ab\n]{1,40}\u00ab|\u00ab[^\u00bb\n]{1,40}\u00bb")


def _unquoted(text: str) -> str:
    """``text`` with its short quotations blanked (same length)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text) if _QUOTE_MARKS.search(text) else text


_QUOTE_MARKS = re.compile("[\"'`\u2018\u201c\u201e\u00ab\u00bb]")


@register
class NegationMismatch(PairCheck):
    """A negation present on one side only.

    Fires when the Chinese source negates (不, 没有, 未, 无法...; words such as 不断 and
    未来 are not negations) and the English translation has no negating word at all (not,
    no, never, without, un-/in-/non- words, -less words, fail, lack...), or when the
    translation says not/never/no while the source has no negating character. Also for
    English to German (nicht, kein, nie, ohne). A quoted word is a value, not a negation
    (``"never"``, ``'none'``). Into Chinese, and in the strings of PO/XLIFF/TMX files,
    only a negation the translation loses is reported: translations negate to render
    words such as "missing" or "unavailable".

    Fires: source ``会议没有举行`` / target ``The meeting was held.``
    Passes: source ``会议没有举行`` / target ``The meeting was not held.``
    """

    code = "AC05"
    name = "accuracy.negation-mismatch"
    category = "accuracy/mistranslation"
    severity = Severity.MAJOR
    noise = True

    def applies(self, ctx: Context) -> bool:
        if not super().applies(ctx) or ctx.source is None:
            return False
        pair = (ctx.source.lang, ctx.target.lang)
        return pair in (("zh", "en"), ("en", "de"), ("en", "zh"))

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        assert ctx.source is not None
        src_negated, src_loose = self._negated(source.text, ctx.source.lang)
        tgt_negated, tgt_loose = self._negated(target.text, ctx.target.lang)
        if src_negated and not tgt_loose:
            m = self._first(source.text, ctx.source.lang)
            yield self.issue("the source negates, the translation does not",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(m[0], m[1]) if m else None)
        elif tgt_negated and not src_loose and ctx.target.lang not in CJK_JOIN_LANGS \
                and ctx.target.format not in _LOCALISATION_FORMATS:
            # Not into Chinese, nor in software strings: a translation negates to render
            # English words that do not (missing 不存在, at most 不超过, invalid 无效,
            # unavailable "nicht verfügbar", too large "nicht ausreichend"); on the
            # Django, Sphinx and GNU catalogues nearly every such flag was a false alarm.
            m = self._first(target.text, ctx.target.lang)
            loc = target.locate(m[0], m[1]) if m else target.locate(0, len(target.text))
            yield self.issue(f"{loc.text!r}: the translation negates, the source does not",
                             target=loc, source=source.locate(0, len(source.text)))

    @staticmethod
    def _negated(text: str, lang: str) -> tuple[bool, bool]:
        """(clearly negated, negated in any loose sense). A quoted word is a value
        (``"never"``, ``'none'``), not a negation."""
        text = _unquoted(text)
        if lang in CJK_JOIN_LANGS:
            loose = bool(_ZH_LOOSE_NEGATION.search(text))
            strict = bool(_ZH_NEGATION.search(_ZH_NOT_NEGATION.sub("", text)))
            return strict, loose
        if lang == "de":
            return bool(_DE_NEGATION.search(text)), bool(_DE_LOOSE_NEGATION.search(text))
        return bool(_EN_STRICT_NEGATION.search(text)), bool(_EN_NEGATION.search(text))

    @staticmethod
    def _first(text: str, lang: str) -> tuple[int, int] | None:
        text = _unquoted(text)
        if lang in CJK_JOIN_LANGS:
            cleaned = _ZH_NOT_NEGATION.sub(lambda m: "\0" * len(m.group()), text)
            m = _ZH_NEGATION.search(cleaned)
        elif lang == "de":
            m = _DE_NEGATION.search(text)
        else:
            m = _EN_STRICT_NEGATION.search(text)
        return (m.start(), m.end()) if m else None


# Mean and standard deviation of log(target chars / source chars), spaces not counted,
# measured on the WMT MQM data (benchmarks/check_eval.py --calibrate prints them). For
# a Chinese source only its Han characters count, and its Latin letters and digits are
# taken off the target: they carry over one for one.
# en-de (TED talks) measures 0.149 +- 0.146 but length predicted no marked omission
# there (0 of 92 flags), so it is not on by default; add it with the ratios option.
LENGTH_RATIOS: dict[str, tuple[float, float]] = {
    "zh-en": (1.366, 0.206),
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


@register
class LengthRatio(PairCheck):
    """A translation much shorter or longer than its source for the language pair.

    The log ratio of target to source characters (spaces not counted) is compared with
    its mean for the pair, measured on the WMT MQM data (zh-en: the English text has
    about 3.9 letters per Chinese character; Latin letters and digits in the source
    count one for one). Beyond ``z`` standard deviations (option, default 3) a short
    translation is a likely omission, a long one a likely addition. Sources under
    ``min_chars`` characters (default 10) pass, and so do language pairs with no
    calibration: only zh-en ships one (option ``ratios`` adds others as
    ``{"en-de": [0.149, 0.146]}``).

    Fires: source ``临川市今年共清理河道垃圾十一万吨，并在全市设立了三百多名河长。`` /
    target ``The city cleaned its rivers.``
    Passes: source ``临川市今年共清理河道垃圾十一万吨，并在全市设立了三百多名河长。`` /
    target ``This year Linchuan removed 110,000 tonnes of waste from its rivers and
    appointed more than 300 river chiefs across the city.``
    """

    code = "AC06"
    name = "accuracy.length-ratio"
    category = "accuracy/omission"
    severity = Severity.MAJOR
    noise = True
    defaults = {"z": 3.0, "min_chars": 10, "ratios": {}}

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        assert ctx.source is not None
        pair = f"{ctx.source.lang}-{ctx.target.lang}"
        calibration = {**LENGTH_RATIOS, **dict(self.opts["ratios"])}.get(pair)
        if calibration is None:
            return
        mean, sd = calibration
        s = len(source.text) - source.text.count(" ")
        t = len(target.text) - target.text.count(" ")
        if ctx.source.lang in CJK_JOIN_LANGS:
            s = len(_HAN.findall(source.text))
            t -= len(_LATIN_OR_DIGIT.findall(source.text))
        if s < self.opts["min_chars"] or t <= 0:
            return
        z = (math.log(t / s) - mean) / sd
        if abs(z) <= self.opts["z"]:
            return
        expected = s * math.exp(mean)
        if z < 0:
            yield self.issue(f"the translation is short for its source ({t} characters "
                             f"where about {expected:.0f} are usual): something may be "
                             "missing", target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)))
        else:
            issue = self.issue(f"the translation is long for its source ({t} characters "
                               f"where about {expected:.0f} are usual): something may "
                               "have been added", target=target.locate(0, len(target.text)),
                               source=source.locate(0, len(source.text)))
            yield dataclasses.replace(issue, category="accuracy/addition")
