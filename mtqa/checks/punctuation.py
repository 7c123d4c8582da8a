"""Punctuation checks (fluency family): quote marks, brackets, sentence boundaries,
spacing and final punctuation, read from the translation alone."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mtqa.checks._english import CLAUSE_VERBS, PRONOUN_STARTERS, SENTENCE_STARTERS, TITLE_WORDS
from mtqa.checks.base import Context, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity
from mtqa.text.joined import CJK_JOIN_LANGS
from mtqa.text.langtags import LOW_OPENING_QUOTES
from mtqa.text.placeholders import mask

# A quote mark and what is right before and after it.
_CURLY_WRONG = re.compile(r"(?<=\w)\u201c(?=\s)|(?<=\s)\u201d(?=\w)")
# German quotes open low („) and close high (“).
_GERMAN_WRONG = re.compile(r"(?<=\w)\u201e(?=\s)|(?<=\s)\u201c(?=\w)")
_SINGLE_OPEN = re.compile(r"(?:^|[\s(\"\u201c])'(?=\w)")
_SINGLE = re.compile(r"(?<![A-Za-z])'|'(?![A-Za-z])")


def _quote_sides(text: str, positions: list[int]) -> Iterable[tuple[int, str]]:
    """Quote marks at ``positions`` (alternately opening and closing) that hug the wrong
    neighbour: an opening mark with a space after it and a word before it, or a closing
    mark with a space before it and a word or opening after it."""
    n = len(text)
    for k, pos in enumerate(positions):
        before = text[pos - 1] if pos > 0 else " "
        after = text[pos + 1] if pos + 1 < n else " "
        if k % 2 == 0:
            if after == " " and before.isalnum():
                yield pos, "opening"
        elif before == " " and (after.isalnum() or after in ".,;:!?"):
            yield pos, "closing"


# A quote never closes right after one of these: `the" clean water "campaign`.
_NO_CLOSE_AFTER = frozenset(
    "the a an of to and or in on at for with by from as is are was were into this that "
    "its their our his her my your".split())


def _closes_short_quote(text: str, start: int, flagged: set[int]) -> bool:
    """Whether an opening quote mark stands a few words before ``start``: then the quote
    closes a short quoted phrase that ends in a function word ("as is", "based on").
    A mark already flagged as misplaced opens nothing."""
    before = text.rfind('"', 0, start)
    if before < 0 or before in flagged or (before + 1 < len(text) and text[before + 1] == " "):
        return False
    return text.count(" ", before, start) <= 5


def _closing_after_function_word(text: str, flagged: set[int]) -> Iterator[int]:
    """Positions of straight quotes that close (word, quote, space) after a function word."""
    pos = text.find('" ')
    while pos > 0:
        start = pos
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if (pos - start <= 5 and text[start:pos].lower() in _NO_CLOSE_AFTER
                and (start == 0 or not text[start - 1].isalnum())
                and not _closes_short_quote(text, start, flagged)):
            yield pos
        pos = text.find('" ', pos + 1)


@register
class QuoteWrongSide(TargetCheck):
    """A quote mark attached to the wrong word: ``the" clean water "campaign``.

    A closing-shaped straight quote right after an article or preposition (``the"``) is
    an opening quote on the wrong side, and the next quote mark is its partner. A quote
    with a space before it and punctuation after it (`` ".``) closes on the wrong side.
    Curly quotes are checked by their shape; single quotes, where a sentence uses them as
    quote marks, by reading them as alternately opening and closing.

    Fires: ``villagers joined the" clean water "campaign this spring``
    Passes: ``villagers joined the "clean water" campaign this spring``

    Fix (safe): ``joined the" clean water "campaign`` -> ``joined the "clean water" campaign``
    """

    code = "FL03"
    name = "fluency.quote-wrong-side"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True
    fix_safety = "safe"

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if '"' in text:
            flagged: set[int] = set()
            for pos in _closing_after_function_word(text, flagged):
                flagged.add(pos)
                yield self._flag(ctx, index, text, pos, "opening")
                partner = text.find('"', pos + 1)
                if partner > 0 and text[partner - 1] == " " and partner not in flagged:
                    flagged.add(partner)
                    yield self._flag(ctx, index, text, partner, "closing")
            start = 0
            while True:
                pos = text.find(' "', start)
                if pos < 0:
                    break
                pos += 1
                start = pos
                after = text[pos + 1] if pos + 1 < len(text) else ""
                if pos not in flagged and after in ".,;:!?":
                    flagged.add(pos)
                    yield self._flag(ctx, index, text, pos, "closing")
        if "\u201c" in text or "\u201d" in text or "\u201e" in text:
            low = ctx.target.lang in LOW_OPENING_QUOTES
            for m in (_GERMAN_WRONG if low else _CURLY_WRONG).finditer(text):
                kind = "opening" if m.group() in "\u201e" or (
                    not low and m.group() == "\u201c") else "closing"
                yield self._flag(ctx, index, text, m.start(), kind)
        if "'" in text and _SINGLE_OPEN.search(text):
            positions = [m.start() for m in _SINGLE.finditer(text)
                         if not _is_apostrophe(text, m.start())]
            if len(positions) % 2 == 0:
                for pos, kind in _quote_sides(text, positions):
                    yield self._flag(ctx, index, text, pos, kind)

    def _flag(self, ctx: Context, index: int, text: str, pos: int, kind: str) -> Issue:
        if kind == "opening":
            start, end = _word_before(text, pos), pos + 2
            fixed = text[start:pos] + " " + text[pos]
        else:
            start, end = pos - 1, _word_after(text, pos + 1)
            # Before punctuation (``said ".``) the mark only moves left: no space after.
            space = " " if text[pos + 1:pos + 2].isalnum() else ""
            fixed = text[pos] + space + text[pos + 1:end]
        return self.flag(ctx, index, start, end,
                         f"{kind} quote mark {text[pos]} is attached to the wrong word",
                         suggestion=fixed)


def _is_apostrophe(text: str, pos: int) -> bool:
    # members' (plural possessive) and 's are apostrophes, not quote marks.
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return (before == "s" and after in " ,.;") and not _SINGLE_OPEN.search(text, 0, pos)


def _word_before(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return i


def _word_after(text: str, pos: int) -> int:
    i = pos
    while i < len(text) and text[i].isalnum():
        i += 1
    return max(i, pos + 1)


_PAIRS = {"(": ")", "[": "]", "{": "}", "\u201c": "\u201d", "\uff08": "\uff09",
          "\u300a": "\u300b"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_LOW_PAIRS = {"(": ")", "[": "]", "{": "}", "\u201e": "\u201c", "\u00bb": "\u00ab"}
_LOW_CLOSERS = {v: k for k, v in _LOW_PAIRS.items()}
_BRACKETS = re.compile(r'[()\[\]{}\u201c\u201d\u201e\uff08\uff09\u300a\u300b"]')
# "1)" and "a)" open list items in running text.
_LIST_ITEM = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-z])\)")


_ASCII_PAIRS = {"(": ")", "[": "]", "{": "}", "\uff08": "\uff09"}


def _source_unbalanced(ctx: Context, index: int, mark: str) -> bool:
    """True when the aligned source leaves the same kind of mark unbalanced: a string
    of a localisation file may be a fragment (``(in``) that the program completes."""
    source = ctx.source_of(index)
    if not source:
        return False
    if mark == '"':
        return source.count('"') % 2 == 1
    for opener, closer in _ASCII_PAIRS.items():
        if mark in (opener, closer):
            ascii_open, ascii_close = ("(", ")") if opener == "\uff08" else (opener, closer)
            return source.count(ascii_open) != source.count(ascii_close)
    return False


@register
class UnbalancedMarks(TargetCheck):
    """A quote mark or bracket without its partner in the same paragraph.

    Counts straight double quotes (an odd number is unbalanced), curly quotes, round,
    square and curly brackets, and 《》. Enumerations such as ``1)`` or ``a)`` pass, and
    so does a bracket the aligned source leaves open too (a string fragment such as
    ``(in`` in a localisation file).

    Fires: ``He called it "a new era.``
    Passes: ``He called it "a new era".``
    """

    code = "FL04"
    name = "fluency.unbalanced-marks"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        segments = ctx.target.segments
        i = 0
        while i < len(segments):
            j = i
            while j + 1 < len(segments) and segments[j + 1].block == segments[i].block:
                j += 1
            yield from self._check_block(ctx, list(range(i, j + 1)))
            i = j + 1

    def _check_block(self, ctx: Context, indices: list[int]) -> Iterable[Issue]:
        pairs, closers = _PAIRS, _CLOSERS
        if ctx.target.lang in LOW_OPENING_QUOTES:
            pairs, closers = _LOW_PAIRS, _LOW_CLOSERS
        stack: list[tuple[str, int, int]] = []
        straight: list[tuple[int, int]] = []
        for idx in indices:
            text = ctx.target.segments[idx].text
            if not _BRACKETS.search(text):
                continue
            listed = {m.end() - 1 for m in _LIST_ITEM.finditer(text)}
            for m in _BRACKETS.finditer(text):
                ch, pos = m.group(), m.start()
                if ch == '"':
                    straight.append((idx, pos))
                elif ch in pairs:
                    stack.append((ch, idx, pos))
                elif ch not in closers:
                    continue
                elif stack and stack[-1][0] == closers[ch]:
                    stack.pop()
                elif pos in listed:
                    continue  # "1)" opens a list item when no "(" is open
                elif not _source_unbalanced(ctx, idx, ch):
                    yield self.flag(ctx, idx, pos, pos + 1,
                                    f"closing {ch} without an opening {closers[ch]}")
        for ch, idx, pos in stack:
            if not _source_unbalanced(ctx, idx, ch):
                yield self.flag(ctx, idx, pos, pos + 1, f"{ch} is never closed with {pairs[ch]}")
        if len(straight) % 2:
            idx, pos = straight[-1]
            if not _source_unbalanced(ctx, idx, '"'):
                yield self.flag(ctx, idx, pos, pos + 1,
                                'an odd number of " marks in this paragraph: one is unmatched')


_WORD = re.compile(r"[A-Za-z][a-z]+")
# A capitalised word right after a comma or semicolon: ", Build the".
_AFTER_COMMA = re.compile(r"[,;]\s+([A-Z][a-z]+)(?=\s+([A-Za-z]+))")
# A closing quote with no final punctuation before it, then a capitalised word.
_STRAIGHT = re.compile('"')
_AFTER_QUOTE = re.compile(r"(?<=[A-Za-z])[\"\u201d]\s+([A-Z][a-z]*)\b")
# A lowercase word, then a sentence-opening pronoun or article, then a lowercase word.
_PRONOUN_MID = re.compile(" (" + "|".join(sorted(PRONOUN_STARTERS)) + ") (?=[a-z])")
_PRONOUN_GATE = re.compile(" (?:" + "|".join(sorted(PRONOUN_STARTERS)) + ") [a-z]")
_COMMA_GATE = re.compile(r"[,;] +[A-Z][a-z]")
_MID_CAPITAL = re.compile(r"(?<=[a-z,]) ([A-Z][a-z]+)\b")


@register
class MissingSentenceBoundary(TargetCheck):
    """Two sentences run together: the full stop between them is missing.

    Flags a capitalised sentence opener where no sentence can start: after a closing
    quote with no full stop before it (``... "river chief" The office ...``), after a comma
    or semicolon (``..., Build the new paths``; ``...; Take the lead``), or after a
    lowercase word (``... of the villages We will ...``). After a comma it fires for
    articles, pronouns and conjunctions, for verbs that open clauses, and for a word the
    same document writes in lowercase and never capitalises mid-sentence. Titles and names
    (``Li Ming, Director of the Water Bureau``) pass.

    Fires: ``villagers cleaned the banks together, Build the new paths with the county``
    Passes: ``Wang Fang, Secretary of the County Committee, attended``

    Fix (unsafe): ``the banks together, Support the work`` -> ``the banks together.
    Support the work`` (the word may belong in lowercase instead).
    """

    code = "FL05"
    name = "fluency.missing-sentence-boundary"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True
    # The word lists are English; German capitalises every noun.
    target_langs = frozenset({"en"})
    # A full stop may be wrong where the word should be lowercase: a person decides.
    fix_safety = "unsafe"

    def run(self, ctx: Context) -> Iterator[Issue]:
        vocabulary: list[tuple[set[str], set[str]]] = []
        for index, seg in enumerate(ctx.target.segments):
            if seg.text:
                yield from self._check(ctx, index, seg.text, vocabulary)

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        return self._check(ctx, index, text, [])

    @staticmethod
    def _vocabulary(ctx: Context, cache: list[tuple[set[str], set[str]]]
                    ) -> tuple[set[str], set[str]]:
        """Words the document writes in lowercase, and words it capitalises mid-sentence
        (built once per document, only when a comma case needs it)."""
        if not cache:
            lower: set[str] = set()
            mid_capital: set[str] = set()
            for seg in ctx.target.segments:
                lower.update(w for w in _WORD.findall(seg.text) if w[0].islower())
                mid_capital.update(_MID_CAPITAL.findall(seg.text))
            cache.append((lower, mid_capital))
        return cache[0]

    def _check(self, ctx: Context, index: int, text: str,
               vocabulary: list[tuple[set[str], set[str]]]) -> Iterable[Issue]:
        if ("," in text or ";" in text) and _COMMA_GATE.search(text):
            for m in _AFTER_COMMA.finditer(text):
                word, following = m.group(1), m.group(2)
                key = word.lower()
                if key in TITLE_WORDS or not following[0].islower() or following == "of":
                    continue
                if key in SENTENCE_STARTERS or key in CLAUSE_VERBS:
                    yield self._flag(ctx, index, m.start(), m.end(1), word, ". " + word)
                    continue
                lower, mid_capital = self._vocabulary(ctx, vocabulary)
                if key in lower and word not in mid_capital:
                    yield self._flag(ctx, index, m.start(), m.end(1), word, ". " + word)
        if '"' in text or "\u201d" in text:
            closing: set[int] | None = None
            for m in _AFTER_QUOTE.finditer(text):
                if text[m.start()] == '"':
                    if closing is None:
                        positions = [q.start() for q in _STRAIGHT.finditer(text)]
                        closing = set(positions[1::2]) if len(positions) % 2 == 0 else set()
                    if m.start() not in closing:
                        continue
                if m.group(1).lower() in SENTENCE_STARTERS:
                    yield self._flag(ctx, index, m.start(), m.end(1), m.group(1),
                                     f".{text[m.start()]} {m.group(1)}")
        if not _PRONOUN_GATE.search(text):
            return
        for m in _PRONOUN_MID.finditer(text):
            if m.start() and text[m.start() - 1].islower():
                yield self._flag(ctx, index, m.start(), m.end(1), m.group(1),
                                 f". {m.group(1)}")

    def _flag(self, ctx: Context, index: int, start: int, end: int, word: str,
              suggestion: str) -> Issue:
        return self.flag(ctx, index, start, end,
                         f"{word!r} starts a new sentence here: a full stop is missing "
                         "before it, or it should be lowercase", suggestion=suggestion)


# Spacing problems; each pattern starts with a literal so that the scan is quick.
# Exactly two spaces between words: longer runs, and spaces next to symbols (``*  6.``
# in a box drawn with asterisks), align text, they are not typos.
_DOUBLE_SPACE = re.compile(r"(?<=[^\W_]|[,;.!?:])  (?=[^\W_])")
_SPACE_BEFORE = re.compile(r"(?<=[A-Za-z0-9\"')]) +(?=[,;:](?:\s|$)|[.!?](?:\s|$)(?<!\.\.))")
_NO_SPACE_AFTER = re.compile(r"[,;.!?](?=[A-Za-z])")
_PLUS = re.compile(r"(?<=[a-z])\+(?=[a-z])")


@register
class Spacing(TargetCheck):
    """Spaces doubled, missing after punctuation, or put before it.

    Flags two or more spaces between words, a space before ``,`` ``;`` ``:`` ``.``,
    a comma, semicolon or full stop glued to the next word (``one,two``,
    ``ended.The``), and ``+`` glued between words (``river cleanup+forest care``).
    Decimal and thousands separators (``1,200.5``), abbreviations (``U.S.``), domain names
    (``example.com``) and line breaks pass. French targets are not checked (a space before
    ``;:!?`` is French style).

    Fires: ``the  river``, ``the river , and``, ``river cleanup+forest care``
    Passes: ``the river, and 1,200 volunteers``

    Fix (safe): ``the  river , and one,two`` -> ``the river, and one, two``
    """

    code = "FL06"
    name = "fluency.spacing"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True
    defaults = {"double_after_stop": False}
    fix_safety = "safe"

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and ctx.target.lang not in ("fr", *CJK_JOIN_LANGS)

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if "  " in text:
            for m in _DOUBLE_SPACE.finditer(text):
                if not self.opts["double_after_stop"] and text[m.start() - 1] in ".!?:":
                    continue
                yield self.flag(ctx, index, m.start(), m.end(), "more than one space",
                                suggestion=" ")
        if " ," in text or " ." in text or " ;" in text or " :" in text or " ?" in text \
                or " !" in text:
            for m in _SPACE_BEFORE.finditer(text):
                yield self.flag(ctx, index, m.start(), m.end() + 1,
                                f"space before {text[m.end()]!r}", suggestion=text[m.end()])
        glued_in_source = None
        for m in _NO_SPACE_AFTER.finditer(text):
            before = text[m.start() - 2:m.start()]
            # one,two and ended.The; not 1,200, e.g.,The, U.S.A. or example.com
            if len(before) < 2 or not before[1].islower():
                continue
            if m.group() in ".!?" and not (before[0].isalpha()
                                           and text[m.end():m.end() + 2].istitle()):
                continue
            if glued_in_source is None:
                source = ctx.source_of(index)
                glued_in_source = bool(source) and any(
                    s.start() >= 2 and source[s.start() - 1].islower()
                    for s in _NO_SPACE_AFTER.finditer(source))
            if glued_in_source:
                continue  # "yes,no,maybe": a format string written like its source
            yield self.flag(ctx, index, m.start(), m.end() + 1,
                            f"no space after {m.group()!r}",
                            suggestion=m.group() + " " + text[m.end()])
        if "+" in text:
            for m in _PLUS.finditer(text):
                yield self.flag(ctx, index, m.start(), m.end(),
                                "'+' between words: write 'and' or put spaces around it",
                                suggestion=" + ")


_FINAL = re.compile(r"[.!?\u2026:;\"'\u201d\u2019)\]\u3002\uff01\uff1f]\s*$")
_SOURCE_FINAL = re.compile(r"[.!?\u3002\uff01\uff1f\u2026][\"'\u201d\u2019)\]\s]*$")


@register
class MissingFinalPunctuation(TargetCheck):
    """A sentence that ends without a full stop, question mark or exclamation mark.

    Without a source: the last sentence of a paragraph of several sentences that ends in
    a letter or digit, after a sentence (with words) that ends with a full stop.
    Headings, list items, bylines, label lines and other one-line paragraphs pass. With
    a source: a target whose source ends with sentence-final punctuation (``。``, ``.``,
    ``?``) while the target does not.

    Fires: ``The office met twice. Volunteers spoke about their work``
    Passes: ``Cleaning up the Linchuan River`` (a heading)
    """

    code = "FL07"
    name = "fluency.missing-final-punctuation"
    category = "fluency/punctuation"
    severity = Severity.MINOR
    noise = True
    defaults = {"min_words": 4}

    def run(self, ctx: Context) -> Iterator[Issue]:
        segments = ctx.target.segments
        if ctx.source is not None and ctx.alignment:
            for bead in ctx.alignment:
                if not bead.source or not bead.target:
                    continue
                src = ctx.source.segments[bead.source[-1]].text
                last = bead.target[-1]
                # A byline or date line ("..., May 13, 2024") ends in a digit: only a
                # target that ends in a word is taken for an unfinished sentence.
                # A trailing placeholder (``%s``, ``{name}``, a tag) is not a word.
                text = mask(segments[last].text).rstrip()
                if _SOURCE_FINAL.search(src) and text[-1:].isalpha():
                    yield from self._check_end(ctx, last, text)
            return
        for index, seg in enumerate(segments):
            last_of_block = index + 1 == len(segments) or segments[index + 1].block != seg.block
            # The sentence before must have words: a stray mark (". Text ...", debris
            # of a web page or of a fixed full-width stop) is not a sentence that ended.
            prev = segments[index - 1] if index > 0 else None
            several = (prev is not None and prev.block == seg.block
                       and _SOURCE_FINAL.search(prev.text) is not None
                       and any(ch.isalnum() for ch in prev.text))
            if last_of_block and several:
                yield from self._check_end(ctx, index, mask(seg.text))

    def _check_end(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        stripped = text.rstrip()
        if not stripped or _FINAL.search(stripped):
            return
        if len(stripped.split()) < self.opts["min_words"] or not stripped[-1].isalnum():
            return
        start = max(0, len(stripped) - 1)
        while start > 0 and stripped[start - 1].isalnum():
            start -= 1
        yield self.flag(ctx, index, start, len(stripped),
                        "the sentence has no final punctuation",
                        suggestion=stripped[start:] + ".")
