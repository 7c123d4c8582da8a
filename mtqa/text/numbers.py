"""Finding numbers in Chinese and English text and reading their values.

Handles Arabic digits with thousands separators and decimals (``1,200.5``), full-width
digits, percentages (``30%``, ``百分之三十``, ``30 percent`` all read 30), ranges (``3-5``,
``三至五``: two numbers), ordinals (``第三``, ``3rd``), dates (``5月11日`` gives 5 and 11,
as ``May 11`` does), times (``下午3点`` and ``3 p.m.`` both also read 15), currency
(``$5 million``, ``500万元``), Chinese numerals (``三千``, ``两百``, ``一千二百零五``,
``三点五``), Chinese scale words after digits or numerals (``11.1万`` = 111,000, ``3亿`` =
300,000,000), English scale words (``1.2 million``, ``2 bn``), and English number words
and ordinals for matching.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

# Not inside a code or a name such as COVID-19, A320 or H7N9: no letter (or letter and
# hyphen) right before the digits.
ARABIC = re.compile(
    r"(?<![A-Za-z\d.,])(?<![A-Za-z]-)(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?:\s*(?P<zhscale>万亿|百万|千万|亿|万|千)"
    r"|\s*(?P<enscale>thousand|million|billion|trillion|bn)\b)?"
    r"(?P<ampm>\s*(?:[ap]\.m\.|[ap]m\b))?"
)
# Words with numeral characters that are not quantities: weekdays (周六 Saturday),
# idioms (千千万万 "countless", 五官 "facial features", 十分 "very", 万一 "in case"),
# number bases (二进制 "binary").
_NOT_NUMERALS = re.compile(
    r"(?:星期|周|礼拜)[一二三四五六日天]|千千万万|成千上万|万一|一一|十分|五官|千万(?=[不别要])|"
    r"万众|百姓|三三两两|四处|一些|一样|一直|一定|一起|一般|一切|一旦|一致|一带一路|统一|唯一|"
    r"第一时间|万物|千方百计|百花齐放|四面八方|七嘴八舌|乱七八糟|一流|百分百|"
    r"零部件|零组件|零件|零售|零食|零距离|零星|零散|零钱|[数几上成][十百千万亿]+|"
    # number bases: 二进制 binary, 八进制 octal, 十进制 decimal, 十六进制 hexadecimal
    r"(?:二|八|十|十六)进制")
# 六七千 "six or seven thousand": two neighbouring digits before a unit are a range.
_FIVE_YEAR = re.compile(r"十[一二三四五六七八九]五$")
_APPROX = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])(?=[十百千万亿]|$)")
# A lone 百, 千 or 万 before a measure word is a quantity: 百人 (100 people).
_LONE_QUANTITY = re.compile(r"[人名个家余多条项件位次年天元户所]")
# 1.6-1.7万: the scale word after a range applies to both ends.
_ZH_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*[-~\uff5e至到\u2014\u2013]\s*\d+(?:\.\d+)?\s*"
                       r"(万亿|百万|千万|亿|万|千)")
_ZH_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "万亿": 1e12}
# Languages that write 1.234,5: thousands with a dot, decimals with a comma.
COMMA_DECIMAL = frozenset({"de", "fr", "es", "it", "pt", "nl", "ru", "pl", "cs", "da", "sv",
                           "nb", "fi", "tr", "id", "ro", "hu"})
ARABIC_COMMA = re.compile(
    r"(?<![A-Za-z\d.,])(?<![A-Za-z]-)(?P<num>(?:\d{1,3}(?:[.\u202f\u00a0]\d{3})+|\d+)(?:,\d+)?)"
    r"(?:\s*(?P<zhscale>(?!))"
    r"|\s*(?P<enscale>Tausend|Millionen|Million|Mio\.|Milliarden|Milliarde|Mrd\.|"
    r"Billionen|Billion|millions?|milliards?|mille)(?!\w))?"
    r"(?P<ampm>(?!))?"
)
_LOCAL_SCALES = {"tausend": 1e3, "millionen": 1e6, "million": 1e6, "mio.": 1e6,
                 "milliarden": 1e9, "milliarde": 1e9, "mrd.": 1e9, "billionen": 1e12,
                 "billion": 1e12, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
                 "mille": 1e3}
_DE_WORDS = {"eins": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
             "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
             "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
             "hundert": 100, "tausend": 1000, "zweimal": 2, "dreimal": 3, "zehnmal": 10,
             "hälfte": 0.5, "halb": 0.5, "beide": 2, "beiden": 2, "erste": 1, "ersten": 1,
             "zweite": 2, "dritte": 3, "zehnfache": 10, "zehnfachen": 10, "doppelt": 2,
             "januar": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
             "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11,
             "dezember": 12, "paar": 2, "dutzend": 12, "zweieinhalb": 2.5,
             "eineinhalb": 1.5, "anderthalb": 1.5}
_DE_WORD_RE = re.compile(r"\b(" + "|".join(sorted(_DE_WORDS, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+[万亿]?)?")
# 下午3点, 晚上八时: an afternoon or evening hour is also the 24-hour clock hour.
_ZH_PM = re.compile(r"(?:下午|晚上|傍晚|晚)\s*$")
_ZH_HOUR = re.compile(r"\s*[点时]")

_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "twice": 2, "dozen": 12,
    "double": 2, "half": 0.5, "once": 1, "both": 2, "pair": 2,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_EN_WORD_RE = re.compile(r"\b(" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)


# "two million", "ten thousand": a word number with an English scale word.
_EN_WORD_SCALE = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred)\s+(thousand|million|billion|trillion)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """A number found in text: its value and where it is."""

    value: float
    start: int
    end: int
    text: str
    # False for soft evidence (number words, month names): used to match, never flagged.
    hard: bool = True
    # Other values the same text may stand for: 3 p.m. is also 15.
    alts: tuple[float, ...] = ()

    def matches(self, other: Number) -> bool:
        """Whether the two numbers can be the same quantity."""
        mine = (self.value, *self.alts)
        theirs = (other.value, *other.alts)
        return any(_close(a, b) for a in mine for b in theirs)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def chinese_numeral(text: str) -> float | None:
    """The value of a Chinese numeral such as 三千, 两百零五, 十二, 一万二千, 三点五; None if not one."""
    if "点" in text:
        whole, _, rest = text.partition("点")
        scale = 1.0
        if rest and rest[-1] in _BIG_UNITS:
            scale, rest = float(_BIG_UNITS[rest[-1]]), rest[:-1]
        value = chinese_numeral(whole)
        if value is None or not rest or any(ch not in _DIGITS for ch in rest):
            return None
        return (value + float("0." + "".join(str(_DIGITS[ch]) for ch in rest))) * scale
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS
                       for ch in text):
        return None
    total = 0.0
    section = 0.0  # below 万
    digit: float | None = None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                # A digit string such as 二〇二四 (a year read digit by digit).
                return _digit_string(text)
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (digit if digit else 1) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch] if ch == "亿" else total + section * _BIG_UNITS[ch]
            section = 0
            digit = None
    return total + section + (digit or 0)


def _digit_string(text: str) -> float | None:
    # Two digits side by side (三四个, "three or four") are a range, not 34.
    if len(text) >= 3 and all(ch in _DIGITS for ch in text):
        return float("".join(str(_DIGITS[ch]) for ch in text))
    return None


def _arabic_value(m: re.Match[str], comma_decimal: bool = False) -> float:
    if comma_decimal:
        raw = re.sub(r"[.\u202f\u00a0]", "", m.group("num")).replace(",", ".")
        number = float(raw)
        if m.group("enscale"):
            number *= _LOCAL_SCALES[m.group("enscale").lower()]
        return number
    number = float(m.group("num").replace(",", ""))
    if m.group("zhscale"):
            number *= _ZH_SCALE[m.group("zhscale")]
    if m.group("enscale"):
        number *= _EN_SCALES[m.group("enscale")]
    return number


def find_numbers(text: str, lang: str) -> list[Number]:
    """Every number in ``text``. Chinese numerals only for ``zh``; words only for Latin."""
    normal = text.translate(_FULLWIDTH)
    found: list[Number] = []
    comma = lang in COMMA_DECIMAL
    for m in (ARABIC_COMMA if comma else ARABIC).finditer(normal):
        value = _arabic_value(m, comma)
        alts: tuple[float, ...] = ()
        end = m.end("enscale") if m.group("enscale") else m.end("num")
        pm = bool(m.group("ampm")) and m.group("ampm").strip().startswith("p")
        zh_pm = (lang in ("zh", "ja") and _ZH_PM.search(normal, max(0, m.start() - 4), m.start())
                 and _ZH_HOUR.match(normal, m.end()))
        if value < 12 and (pm or zh_pm):
            alts = (value + 12,)
        if m.group("zhscale"):
            end = m.end("zhscale")
        # The minutes of 12:00 are not a quantity of their own.
        hard = not (value == 0 and m.start() > 0 and normal[m.start() - 1] == ":")
        found.append(Number(value, m.start(), end, text[m.start():end], hard=hard, alts=alts))
    if lang in ("zh", "ja"):
        taken = [(n.start, n.end) for n in found]
        taken += [(m.start(), m.end()) for m in _NOT_NUMERALS.finditer(normal)]
        for m in CHINESE.finditer(normal):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            numeral = chinese_numeral(m.group())
            approx = _APPROX.search(m.group()) if numeral is None else None
            if _FIVE_YEAR.match(m.group()):
                # 十四五 names the plan period numbered 14, not "fourteen or fifteen".
                found.append(Number(chinese_numeral(m.group()[:-1]) or 0, m.start(),
                                    m.end() - 1, m.group()[:-1]))
                continue
            if approx:
                for keep in (1, 2):
                    text_one = m.group()[:approx.start()] + approx.group(keep) + \
                        m.group()[approx.end():]
                    one_value = chinese_numeral(text_one)
                    if one_value is not None:
                        found.append(Number(one_value, m.start(), m.end(), m.group()))
                continue
            # A lone 一 or 十 is usually a word part (一起, 十分), not a quantity; 第一 is
            # an ordinal and 百人 a quantity.
            if numeral is None:
                continue
            value = numeral
            if len(m.group()) == 1 and m.group() in "一两十千百万亿":
                ordinal = m.start() > 0 and normal[m.start() - 1] == "第"
                counted = m.group() in "百千万" and _LONE_QUANTITY.match(normal, m.end())
                if not (ordinal or counted):
                    continue
            alts = ()
            if (value < 12 and _ZH_PM.search(normal, max(0, m.start() - 4), m.start())
                    and _ZH_HOUR.match(normal, m.end())):
                alts = (value + 12,)
            found.append(Number(value, m.start(), m.end(), m.group(), hard=True, alts=alts))
    else:
        if lang == "de":
            for m in _DE_WORD_RE.finditer(text):
                found.append(Number(float(_DE_WORDS[m.group(1).lower()]), m.start(), m.end(),
                                    m.group(), hard=False))
        for m in _EN_WORD_RE.finditer(text):
            found.append(Number(float(_EN_WORDS[m.group(1).lower()]), m.start(), m.end(),
                                m.group(), hard=False))
        for m in _EN_WORD_SCALE.finditer(text):
            value = _EN_WORDS[m.group(1).lower()] * _EN_SCALES[m.group(2).lower()]
            found.append(Number(float(value), m.start(), m.end(), m.group(), hard=False))
    if lang in ("zh", "ja") and any(ch in normal for ch in "-~\uff5e至到\u2014\u2013"):
        for m in _ZH_RANGE.finditer(normal):
            scale = _ZH_SCALE[m.group(2)]
            for k, n in enumerate(found):
                if n.start == m.start(1) and n.end == m.end(1):
                    found[k] = dataclasses.replace(n, value=n.value * scale)
    found.sort(key=lambda n: n.start)
    return found
