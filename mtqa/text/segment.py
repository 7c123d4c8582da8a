"""Sentence splitting for Chinese, English and (gracefully) other languages.

``split(text, lang)`` returns ``(start, end)`` character spans into ``text``, so every
segment keeps its exact place in the file. The rules, measured on the WMT MQM data and
the example article (``benchmarks/segment_eval.py``):

* Chinese (and Japanese): a sentence ends at 。！？；… (or ASCII !?;) and keeps the
  closing quotes and brackets that follow it (``他说：“好。”`` is one sentence).
* Latin-script languages: a sentence ends at . ! ? (or a full-width 。！？ left in
  by MT) followed by optional closing quotes or brackets, whitespace, and something
  that can start a sentence (a capital, a digit, an opening quote). A period after a
  known abbreviation (Mr., Dr., e.g., Jan.), after a single capital initial (J. K.
  Rowling) or inside a number (3.5) is not an end.
* In plain text, a line break ends a sentence where the line is short or ends with
  punctuation, so headings, datelines and one-line paragraphs are their own segments,
  while hard-wrapped prose is joined. In Markdown a line break inside a paragraph is a
  space, as when it is rendered.
"""
from __future__ import annotations

import re

from mtqa.text import placeholders

CJK_LANGS = frozenset({"zh", "ja", "yue", "wuu"})
_CJK_CHAR = re.compile("[\u3400-\u9fff]")

_CJK_END = "。！？；…!?;．"
_CLOSERS = "”’」』）》】〕〉\"')]}"
_CJK_BOUNDARY = re.compile(
    rf"(?:[{re.escape(_CJK_END)}]+|……)[{re.escape(_CLOSERS)}]*"
)

# Abbreviations after which a period does not end a sentence (lower-cased, no dot).
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr adm rev hon gov sen rep pres
    messrs mmes mme mlle no nos fig figs vol vols p pp ch sec art para approx dept
    est inc ltd co corp bros jan feb mar apr jun jul aug sep sept oct nov dec mon tue
    tues wed thu thur thurs fri sat sun vs etc al e.g i.e cf viz a.m p.m u.s u.k u.n
    ph.d b.a m.a mt ft
    """.split()
)
# Titles that are always followed by a name, even before a capital letter.
_NEVER_FINAL = frozenset(
    "mr mrs ms dr prof st gen col lt sgt capt cmdr adm rev hon gov sen rep pres no nos fig vs".split()
)

# A full-width stop in Latin-script text (an MT that kept the source's 。) ends a
# sentence too: a reader sees one, and the checks should read it as the reader does.
_LATIN_END = re.compile(r"[.!?\u3002\uff01\uff1f]+[\"'”’)\]»]*")
_OPENERS_AND_UPPER = re.compile(r"[\"'“‘(\[«¿¡0-9]|[^\W\d_]")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_SPACES = re.compile(r"\s*")
_LINE_END_PUNCT = tuple(".!?:;。！？：；…\"”’)）」』》】")
# A line of plain text shorter than this is taken as a line of its own (a heading,
# a byline, a label), not as part of hard-wrapped prose.
SHORT_LINE = 50


def split(text: str, lang: str, soft_breaks: bool = False) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` spans with no outer spaces.

    With ``soft_breaks`` (Markdown), a single line break is a space, as when the text
    is rendered; only blank lines separate.
    """
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _line_groups(text, soft_breaks):
        piece = text[line_start:line_end]
        if lang in CJK_LANGS or _mostly_cjk(piece):
            inner = _split_cjk(piece)
        else:
            inner = _split_latin(piece)
        for s, e in inner:
            s, e = _trim(text, line_start + s, line_start + e)
            if e > s:
                spans.append((s, e))
    return _join_protected(text, spans)


def _join_protected(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge neighbouring sentences whose boundary falls inside an inline tag or a
    placeholder (``<img alt="A cat. The dog">``, ``{n, plural, one {# file. OK}}``, see
    ``mtqa.text.placeholders``): they are never split through."""
    if len(spans) < 2:
        return spans
    protected = placeholders.spans(text)
    if not protected:
        return spans
    out = [spans[0]]
    k = 0
    for s, e in spans[1:]:
        prev_end = out[-1][1]
        while k < len(protected) and protected[k][1] <= prev_end:
            k += 1
        # A protected span that starts before this sentence and ends after the previous
        # one straddles the cut between them.
        if k < len(protected) and protected[k][0] < s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _line_groups(text: str, soft_breaks: bool = False) -> list[tuple[int, int]]:
    """Group lines that belong to one run of prose; break after short or closed lines."""
    groups: list[tuple[int, int]] = []
    start = 0
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        end = pos + len(line)
        stripped = line.strip()
        last = i == len(lines) - 1
        if not stripped:
            if end > start and text[start:pos].strip():
                groups.append((start, pos))
            start = end + 1
        elif last or (not soft_breaks and (len(stripped) < SHORT_LINE
                                           or stripped.endswith(_LINE_END_PUNCT))):
            groups.append((start, end))
            start = end + 1
        pos = end + 1
    if start < len(text) and text[start:].strip():
        groups.append((start, len(text)))
    return groups


def _mostly_cjk(text: str) -> bool:
    cjk = len(_CJK_CHAR.findall(text))  # a regex, not a Python loop: 10 MB lines happen
    return cjk * 2 > len(text.strip())


def _split_cjk(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _CJK_BOUNDARY.finditer(text):
        end = m.end()
        # An ASCII '?' or ';' inside Latin text (a URL, code) is not a Chinese sentence end.
        if m.group()[0] in "!?;" and end < len(text) and text[end:end + 1].isascii() \
                and text[end:end + 1].strip():
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _split_latin(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _LATIN_END.finditer(text):
        end = m.end()
        spaces = _SPACES.match(text, end)  # \s* always matches
        gap = spaces.end() - end if spaces else 0
        if end < len(text) and gap == 0:
            continue  # "3.5", "e.g.x", "U.S.-made": no space, no boundary
        after = text[end + gap:end + gap + 1]
        if after and not _OPENERS_AND_UPPER.match(after):
            continue  # lower-case continuation: "etc. and", "approx. three"
        if m.group().startswith(".") and _is_abbreviation(text, m.start(), after):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _is_abbreviation(text: str, dot: int, after: str) -> bool:
    # A bounded look-back keeps splitting linear on very long lines.
    match = _WORD_BEFORE.search(text[max(0, dot - 40):dot])
    if not match:
        return False
    word = match.group(1)
    low = word.lower().strip(".")
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. K. Rowling"
    if low in _NEVER_FINAL:
        return True
    if low in _ABBREVIATIONS:
        # "etc." or "Inc." can end a sentence; assume they do before a capital.
        return not (after and after.isupper())
    # Dotted acronyms: "U.S.", "e.g."
    return "." in word and all(len(p) <= 2 for p in word.split(".") if p) and \
        not (after and after.isupper() and len(word) > 4)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
