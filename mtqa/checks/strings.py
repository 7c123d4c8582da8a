"""Checks of software strings, in the manner of translate-toolkit's pofilter.

A string of a program (a PO entry, an XLIFF or TMX unit) carries more than its words:
its final punctuation, its first letter's case, a keyboard accelerator (``&File``,
``_File``, ``~File``), its line breaks, tabs and escapes, its leading and trailing
spaces, its quotation marks and the attributes of its tags. These checks compare each
of them between source and translation, unit by unit. They run on localisation files
(PO, XLIFF, TMX), where one bead is one string; prose documents are left to the
fluency and locale checks.

Accelerators need to know the toolkit's marker: set a ``profile`` (gnome, kde,
mozilla, libreoffice...) in the config, or ``[tool.mtqa.options.SW03] markers = "&"``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from mtqa.checks.base import CJK_JOIN_LANGS, Context, Joined, PairCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity
from mtqa.text.placeholders import find, mask

LOCALISATION_FORMATS = frozenset({"po", "xliff", "tmx"})
PUNCTUATION = "fluency/punctuation"

# Final punctuation by meaning; a mark of another script counts as the same meaning:
# Chinese/Japanese full stop and full-width marks, Arabic question mark and comma,
# Devanagari danda, Khmer khan, Armenian full stop, Greek question mark (;).
_FINAL = {
    ".": ".", "\u3002": ".", "\uff0e": ".", "\u0964": ".", "\u17d4": ".", "\u0589": ".",
    "\u06d4": ".", "\u104b": ".",
    "?": "?", "\uff1f": "?", "\u061f": "?", "\u037e": "?", "\u055e": "?",
    "!": "!", "\uff01": "!", "\u055c": "!",
    ":": ":", "\uff1a": ":",
    ";": ";", "\uff1b": ";", "\u061b": ";",
    ",": ",", "\uff0c": ",", "\u060c": ",", "\u3001": ",",
    "\u2026": "\u2026",
}
# Languages whose sentences may end without a full stop where English has one.
_NO_FULL_STOP = frozenset({"th", "lo", "my", "km", "bo"})
_CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f)]}\u3011\uff09"
_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _applies(ctx: Context) -> bool:
    return ctx.target.format in LOCALISATION_FORMATS


class _StringCheck(PairCheck):
    """A pair check that runs on the units of localisation files only."""

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and _applies(ctx)


_QUOTED = "quoted"  # the string ends with a closing quote or bracket, or a repetition
# "..." after a usage's metavariable or a code-like token: "FILE...", "[OPTION]...",
# "param1,param2...", "文件..." (a translated metavariable), not an ellipsis.
_REPEATED = re.compile(r"(?:^|\s)(?:\S*[\[\]=,_/\d]\S*|[A-Z][A-Z_-]+|[\u3400-\u9fff]+)"
                       r"(?:\.\.\.|\u2026)$")


def _final_mark(text: str) -> tuple[str | None, int]:
    """The meaning of the final punctuation of ``text`` (``...`` is ``…``) and where it
    starts, past trailing spaces and newlines; none after a closing quote or bracket."""
    end = len(text.rstrip())
    if end and text[end - 1] in _CLOSERS:
        # A mark inside closing quotes or brackets ("called '.'", "(one of 'a', ...)")
        # belongs to the quotation, not to the sentence.
        return _QUOTED, end
    body = text[:end]
    if body.endswith(("...", "\u2026")):
        if _REPEATED.search(body):
            return _QUOTED, len(body)  # "[OPTION]...", "FILE...", "a,b...": a repetition
        return "\u2026", len(body) - (1 if body.endswith("\u2026") else 3)
    if body.endswith(".."):
        return None, len(body)  # a path such as ".."
    if body and body[-1] in _FINAL:
        return _FINAL[body[-1]], len(body) - 1
    return None, len(body)


_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,6});")


def _blanked(text: str) -> str:
    """``text`` with placeholders and entities as NUL characters (same length): the
    ``;`` of ``&#8212;`` and the ``:`` before a final ``%s`` end no sentence."""
    masked = mask(text, "\0")
    return _ENTITY.sub(lambda m: "\0" * len(m.group()), masked) if "&" in masked else masked


@register
class FinalPunctuation(_StringCheck):
    """The final punctuation of a string differs from the source's, script-aware.

    A full stop, question or exclamation mark, colon, semicolon, comma or ellipsis that
    ends the source should end the translation too, in the target's script: a
    Chinese or Japanese translation ends with ``。``, ``？``, ``：``; an ASCII ``.`` after
    Chinese text is flagged. Spaces and newlines at the end are skipped; a string that
    ends with a closing quote or bracket, a usage's ``FILE...`` or a path ``..`` is not
    compared; French may put a space before ``:`` ``?`` ``!`` ``;``; Thai, Lao,
    Burmese, Khmer and Tibetan may leave out the full stop. A full stop the source
    lacks may be added (a sentence in the target language's style), and abbreviations
    (``Dec.``, ``6 a.m.``) end no sentence.

    Fires: source ``Delete the file?`` / target ``Datei löschen``; source ``Saved.`` /
    target ``已保存.``
    Passes: source ``Saved.`` / target ``已保存。``
    """

    code = "SW01"
    name = "strings.final-punctuation"
    category = PUNCTUATION
    severity = Severity.MINOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src_mark, _ = _final_mark(_blanked(source.text))
        tgt_mark, at = _final_mark(_blanked(target.text))
        if _QUOTED in (src_mark, tgt_mark):
            return
        lang = ctx.target.lang
        if lang == "el" and tgt_mark == ";":
            tgt_mark = "?"  # the Greek question mark is written (and NFC-normalised) as ;
        # "Dec.", "a.m.", "Fig. %s": the full stop of an abbreviation ends no sentence;
        # "{}." is a German ordinal.
        if _abbreviation(source.text) or _abbreviation(target.text) and src_mark is None:
            return  # "Dec." -> "Dez.", "PM" -> "nachm.": abbreviations, not sentences
        if tgt_mark == "." and target.text[at] == "." and (
                _abbreviation(target.text) or src_mark is None and _ordinal(target.text, at)):
            tgt_mark = None
        if src_mark == tgt_mark:
            ascii_stop = (tgt_mark == "." and lang in ("zh", "ja") and
                          target.text[at] == "." and at > 0 and
                          bool(_HAN.match(target.text[at - 1])))
            if ascii_stop:
                yield self.issue("an ASCII full stop after Chinese or Japanese text: use 。",
                                 target=target.locate(at, at + 1), suggestion="\u3002")
            return
        if src_mark == "." and tgt_mark is None and lang in _NO_FULL_STOP:
            return
        if src_mark is None and tgt_mark == ".":
            return  # a full stop added to a sentence is the target language's style
        if src_mark in (":", ";") and tgt_mark is None and lang in CJK_JOIN_LANGS \
                and target.text.rstrip().endswith((" ", "\u3000")):
            return
        what = f"ends with {src_mark!r}" if src_mark else "has no final punctuation"
        got = f"{tgt_mark!r}" if tgt_mark else "none"
        end = len(target.text.rstrip())
        # The mark that differs, or the whole string when it has none.
        start = at if tgt_mark else 0
        yield self.issue(f"the source {what}, the translation {got}",
                         target=target.locate(start, max(end, start + 1)),
                         source=source.locate(0, len(source.text)))


# Abbreviations that end short UI strings ("Dec.", "6 a.m.", "Fig. %s", German "nachm.").
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|fig|tab|abb|no|nr|vol|"
    r"vs|etc|approx|ca|vorm|nachm|darst|bzw|usw|(?:[a-z]\.){1,3}[a-z])\.(?:\s+\S{1,12})?\s*$",
    re.IGNORECASE)


def _abbreviation(text: str) -> bool:
    """True for a short string that ends in an abbreviation (``Dec.``, ``6 a.m.``,
    ``Fig. %s``)."""
    return "." in text and len(text.split()) <= 3 and bool(_ABBREVIATION.search(mask(text)))


def _ordinal(text: str, at: int) -> bool:
    before = mask(text, "\0")[:at]
    return bool(before) and (before[-1].isdigit() or before[-1] == "\0")


# Languages that capitalise nouns, so a string that starts with one starts with a capital.
_CAPITALISED_NOUNS = frozenset({"de", "lb"})


def _first_letter(text: str) -> str | None:
    """The first letter of ``text`` past spaces and punctuation; None when a digit or a
    placeholder comes first (the word order may have moved it) or there is none."""
    for ch in mask(text, "\0"):
        if ch.isdigit() or ch == "\0":
            return None
        if ch.isalpha():
            return ch
    return None


@register
class StartCapital(_StringCheck):
    """The translation starts with a capital where the source starts lower case, or the
    other way round.

    The first letter past spaces, punctuation, placeholders and accelerators is
    compared. A string that starts with a number, a placeholder (word order may move
    it) or an acronym, and a target whose script has no case (Chinese, Arabic...) pass.
    Afrikaans ``'n`` is skipped; German and Luxembourgish may start a lower-case source
    with a capital (nouns are capitalised).

    Fires: source ``Find`` / target ``vind``
    Passes: source ``Find`` / target ``Vind``; source ``360 degrees`` / target ``Grade 360``
    """

    code = "SW02"
    name = "strings.start-capital"
    category = "fluency/spelling"
    severity = Severity.MINOR
    # Off unless selected: a team's style may differ from the source's on purpose (git's
    # German catalogue starts its command descriptions in lower case, 87 strings).
    default_enabled = False
    defaults: ClassVar[Mapping[str, Any]] = {"markers": ""}

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        if ctx.target.lang in CJK_JOIN_LANGS:
            return  # a caseless script; a Latin word inside it keeps its own case
        markers = str(self.opts["markers"])
        src_text, tgt_text = source.text, target.text
        for marker in markers:
            src_text, tgt_text = src_text.replace(marker, ""), tgt_text.replace(marker, "")
        if ctx.target.lang == "af":
            tgt_text = re.sub(r"^(\W*)'n\s+", r"\1", tgt_text)
        if re.match(r"\W*[A-Z]{2,}\b", src_text):
            return  # an acronym (AM, URL) says nothing about the sentence's case
        s, t = _first_letter(src_text), _first_letter(tgt_text)
        if s is None or t is None or s.upper() == s.lower() or t.upper() == t.lower():
            return
        if s.islower() and t.isupper() and ctx.target.lang in _CAPITALISED_NOUNS:
            return  # "user" -> "Benutzer": German capitalises every noun
        if s.isupper() != t.isupper():
            want = "a capital" if s.isupper() else "lower case"
            yield self.issue(f"the source starts with {want}, the translation does not",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)))


def _accelerators(text: str, marker: str) -> list[int]:
    """Offsets of accelerator markers: the marker before a letter or digit, not doubled
    (``&&`` is a literal ``&``) and not an entity (``&amp;``)."""
    out = []
    i = text.find(marker)
    while i >= 0:
        nxt = text[i + 1:i + 2]
        if nxt == marker:
            i = text.find(marker, i + 2)
            continue
        if marker == "&" and re.match(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,6});", text[i:]):
            i = text.find(marker, i + 1)
            continue
        if nxt and (nxt.isalnum() or nxt == "-"):
            out.append(i)
        i = text.find(marker, i + 1)
    return out


# Languages whose keyboards have their accented letters as keys (ä, ö, ü, ş, ı...).
_ACCENTED_KEYS = frozenset({"fi", "tr", "de", "sv", "et", "hu", "is", "da", "nb", "nn", "no"})


def _accented(ch: str) -> bool:
    return unicodedata.normalize("NFD", ch)[0] != ch


@register
class Accelerator(_StringCheck):
    """A keyboard accelerator of the source missing from the translation, added, or
    doubled.

    The marker depends on the toolkit (``&`` for Qt/KDE, Windows and Mozilla, ``_`` for
    GTK/GNOME, ``~`` for LibreOffice): set it with a ``profile`` or the ``markers``
    option. With no marker configured the check does nothing. ``&&`` is a literal
    ampersand; ``&amp;`` is an entity. An accelerator on an accented letter is flagged
    when the source's is not (many keyboards cannot type it directly).

    Fires: source ``&File`` / target ``Datei`` (with markers ``&``)
    Passes: source ``&File`` / target ``&Datei`` (with markers ``&``)
    """
    example_options: ClassVar[Mapping[str, Any]] = {"markers": "&"}

    code = "SW03"
    name = "strings.accelerator"
    category = "fluency/inconsistency"
    severity = Severity.MAJOR
    defaults: ClassVar[Mapping[str, Any]] = {"markers": ""}

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        for marker in str(self.opts["markers"]):
            src, tgt = _accelerators(source.text, marker), _accelerators(target.text, marker)
            if len(src) == len(tgt) == 1:
                ch = target.text[tgt[0] + 1]
                if _accented(ch) and not _accented(source.text[src[0] + 1]) and \
                        ctx.target.lang not in _ACCENTED_KEYS:
                    yield self.issue(f"accelerator on the accented letter {ch!r}",
                                     target=target.locate(tgt[0], tgt[0] + 2))
                continue
            if len(src) == len(tgt):
                continue
            if len(tgt) < len(src):
                message = f"the accelerator {marker!r} of the source is missing"
                loc = target.locate(0, len(target.text))
            else:
                message = f"{len(tgt)} accelerators {marker!r}, the source has {len(src)}"
                loc = target.locate(tgt[-1], tgt[-1] + 2)
            yield self.issue(message, target=loc, source=source.locate(0, len(source.text)))


def full_text(ctx: Context, side: Joined) -> str:
    """The unit's string with the outer whitespace the reader trimmed (PO keeps it in the
    unit's info), for the checks of line breaks and edge spaces."""
    units = side.doc.units
    if len(side.indices) != 1 or side.indices[0] >= len(units):
        return side.text
    info = units[side.indices[0]]
    lead, trail = info.source_edges if side.doc is ctx.source else info.target_edges
    return f"{lead}{side.text}{trail}"


_NO_BREAKS = frozenset("\r\n\t")


def _breaks(text: str) -> tuple[Counter[str], bool, bool]:
    """Line breaks by kind (CRLF, LF, CR), and whether the text starts/ends with one."""
    kinds = Counter(re.findall(r"\r\n|\n|\r", text))
    return kinds, text[:1] in ("\n", "\r"), text[-1:] in ("\n", "\r")


@register
class LineBreaks(_StringCheck):
    """Line breaks and tabs that differ from the source's.

    A leading or trailing line break (msgfmt rejects a catalogue where these differ) and
    a leading or trailing tab must match: programs parse and join them. Line breaks and
    tabs inside the text are compared only with the option ``inner = true`` (then a
    different number of breaks is minor): in the Django, Sphinx, bash and coreutils
    catalogues they were long help texts wrapped otherwise or columns aligned with
    spaces, layout rather than content.

    Fires (the source ends with a line break, the translation does not):
        po: msgid "A file\\n"
        po: msgstr "Eine Datei"

    Passes:
        po: msgid "A file\\n"
        po: msgstr "Eine Datei\\n"
    """

    code = "SW04"
    name = "strings.line-breaks"
    category = "design/whitespace"
    severity = Severity.MAJOR
    defaults: ClassVar[Mapping[str, Any]] = {"inner": False}

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src, tgt = full_text(ctx, source), full_text(ctx, target)
        if _NO_BREAKS.isdisjoint(src) and _NO_BREAKS.isdisjoint(tgt):
            return  # the common case, without the regular expressions
        s, t = _breaks(src), _breaks(tgt)
        problems = []
        if s[1] != t[1]:
            problems.append("a leading line break" + (" is missing" if s[1] else " is added"))
        if s[2] != t[2]:
            problems.append("a trailing line break" + (" is missing" if s[2] else " is added"))
        if s[0] != t[0] and not problems and self.opts["inner"]:
            problems.append(f"{sum(t[0].values())} line breaks, the source has {sum(s[0].values())}"
                            if sum(s[0].values()) != sum(t[0].values())
                            else "line breaks of another kind (\\r\\n, \\n, \\r) than the source's")
        tabs_s, tabs_t = src.count("\t"), tgt.count("\t")
        edge_tabs = (src[:1] == "\t", src[-1:] == "\t") != (tgt[:1] == "\t", tgt[-1:] == "\t")
        if tabs_s != tabs_t and (edge_tabs or self.opts["inner"]):
            problems.append(f"{tabs_t} tabs, the source has {tabs_s}")
        for problem in problems:
            # Leading and trailing breaks and tabs are read by the program; a line
            # wrapped differently inside a long text is a layout question.
            minor = problem.endswith(f"the source has {sum(s[0].values())}") and "tabs" not in problem
            yield self.issue(problem, target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)),
                             severity=Severity.MINOR if minor else None)


# A backslash escape left as text in a decoded string: \n, \t, \\, \", \' and \uXXXX.
_ESCAPE = re.compile(r"\\(?:[ntr\\\"']|u[0-9A-Fa-f]{4})")


@register
class Escapes(_StringCheck):
    """Backslash escapes written as text (``\\n``, ``\\t``, ``\\\\``, ``\\"``) that differ
    from the source's.

    In a PO file these are what remains after decoding: a literal backslash that the
    program's own string syntax will read (Java properties, JavaScript). Dropping one,
    or writing a real line break where the source has the two characters ``\\n``,
    changes what the program shows.

    Fires: source ``Tab\\\\t`` (backslash, t) / target ``Tab``
    Passes: source ``Tab\\\\t`` / target ``Tabulator\\\\t``
    """

    code = "SW05"
    name = "strings.escapes"
    category = "design/markup"
    severity = Severity.MAJOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        if "\\" not in source.text and "\\" not in target.text:
            return
        s = Counter(_ESCAPE.findall(source.text))
        t = Counter(_ESCAPE.findall(target.text))
        if s == t:
            return
        missing = sorted((s - t).elements())
        added = sorted((t - s).elements())
        parts = ([f"missing {' '.join(missing)}"] if missing else []) + \
                ([f"added {' '.join(added)}"] if added else [])
        yield self.issue(f"escapes differ from the source: {'; '.join(parts)}",
                         target=target.locate(0, len(target.text)),
                         source=source.locate(0, len(source.text)))


def _cjk_char(ch: str) -> bool:
    """A Chinese, Japanese or Korean character, full-width form or CJK punctuation
    (with ``…``): next to one, a CJK text needs no space."""
    return bool(ch) and (bool(_HAN.match(ch)) or ch == "\u2026" or 0xFF00 <= ord(ch) <= 0xFFEF
                         or 0x3000 <= ord(ch) <= 0x303F)


@register
class EdgeWhitespace(_StringCheck):
    """Spaces at the start or end of the string that the source does not have, or the
    other way round.

    Programs join strings: ``"Name: "`` + value needs its trailing space. Only spaces
    and tabs are compared here (line breaks are SW04's). A Chinese, Japanese or Korean
    translation may drop a space next to full-width punctuation, ``…`` or its own
    script (they need no space). The reader keeps a PO string's outer spaces for this
    check (the segment text is trimmed).

    Fires: source ``Name: `` / target ``Nom :``
    Passes: source ``Name: `` / target ``Nom : ``; into Chinese, ``名称：``
    """

    code = "SW06"
    name = "strings.edge-whitespace"
    category = "design/whitespace"
    severity = Severity.MINOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src, tgt = full_text(ctx, source).strip("\r\n"), full_text(ctx, target).strip("\r\n")
        lead_s, lead_t = src[:1] in (" ", "\t"), tgt[:1] in (" ", "\t")
        end_s, end_t = src[-1:] in (" ", "\t"), tgt[-1:] in (" ", "\t")
        cjk = ctx.target.lang in CJK_JOIN_LANGS
        if lead_s != lead_t and not (cjk and lead_s and _cjk_char(tgt.lstrip()[:1])):
            yield self.issue("leading space " + ("missing" if lead_s else "added"),
                             target=target.locate(0, min(1, len(target.text))),
                             source=source.locate(0, len(source.text)))
        if end_s != end_t:
            if end_s and not end_t and cjk and _cjk_char(tgt.rstrip(" \t")[-1:]):
                return
            end = len(target.text)
            yield self.issue("trailing space " + ("missing" if end_s else "added"),
                             target=target.locate(max(0, end - 1), end),
                             source=source.locate(0, len(source.text)))


_DOUBLE = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d\u300e\u300f]")
_SINGLE_PAIR = re.compile(r"(?<!\w)[`'\u2018]([^'`\u2019\n]{1,80}?)['`\u2019](?!\w)")
# Languages whose typography wants guillemets, not straight double quotes.
_GUILLEMET_LANGS = frozenset({"fr", "fa", "ru", "uk", "be", "hy", "ka"})


@register
class DoubleQuotes(_StringCheck):
    """Double quotation marks added in the translation, or straight ``"`` where the
    target language quotes with guillemets.

    Quote marks of any style are counted (``"``, ``“ ”``, ``„``, ``« »``, ``「 」``);
    quotes inside tags and placeholders and escaped ``\\"`` are markup, not quotation.
    A translation may render the source's single quotes (``'name'``) with its own
    double quotes. French, Persian and Russian quote with ``« »``.

    Fires: source ``Hot plate`` / target ``"Heiße" Platte``
    Passes: source ``"Hot" plate`` / target ``„Heiße“ Platte``
    """

    code = "SW07"
    name = "strings.double-quotes"
    category = PUNCTUATION
    severity = Severity.MINOR
    # Off unless selected: on the Django and Sphinx catalogues most added quotes marked
    # a UI term („Löschen“, “intersphinx_mapping”), a choice of style, not an error.
    default_enabled = False

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        src = mask(source.text).replace('\\"', "  ")
        tgt = mask(target.text).replace('\\"', "  ")
        s_double = len(_DOUBLE.findall(src))
        s_quotes = s_double + 2 * len(_SINGLE_PAIR.findall(src))
        t_marks = _DOUBLE.findall(tgt)
        if len(t_marks) > s_quotes:
            yield self.issue(f"{len(t_marks)} double quote marks, the source has {s_quotes}",
                             target=target.locate(0, len(target.text)),
                             source=source.locate(0, len(source.text)))
        elif s_double and ctx.target.lang in _GUILLEMET_LANGS and '"' in tgt:
            at = tgt.index('"')
            yield self.issue("straight quotes: this language quotes with « »",
                             target=target.locate(at, at + 1), suggestion="\u00ab")


@register
class LengthOutlier(_StringCheck):
    """A translation far shorter or longer than its source: a tenth of the length or
    less, ten times or more, one character for a longer source, or more than three
    for a one-character source.

    Counted in characters without surrounding spaces; a Chinese, Japanese or Korean
    character counts as two (they hold about two Latin letters' worth).

    Fires: source ``Close the window`` / target ``X``
    Passes: source ``Close the window`` / target ``Fenster schließen``
    """

    code = "SW08"
    name = "strings.length-outlier"
    category = "accuracy/omission"
    severity = Severity.MINOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        s, t = _width(source.text), _width(target.text)
        # A one-letter source may be a weekday or unit initial ("F" -> "Fr"): up to
        # three characters pass.
        if s and t and (t * 10 <= s or (t == 1 < s)):
            what = "much shorter"
        elif s and t and (s * 10 <= t or (s == 1 and t > 3)):
            what = "much longer"
        else:
            return
        yield self.issue(f"the translation is {what} than the source ({t} vs {s} characters)",
                         target=target.locate(0, len(target.text)),
                         source=source.locate(0, len(source.text)))


def _width(text: str) -> int:
    body = text.strip()
    return len(body) + len(_HAN.findall(body))


# Attributes a translation may change: human-readable text and language/direction.
_TRANSLATABLE_ATTRS = frozenset({"alt", "title", "lang", "xml:lang", "dir", "placeholder",
                                 "aria-label", "label", "summary", "abbr"})
_ATTR = re.compile(r"([A-Za-z_:][\w:.-]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")


def _tag_attrs(text: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    out = []
    for p in find(text):
        if p.kind != "html" or p.role == "close":
            continue
        body = text[p.start + 1 + len(p.pair):p.end - 1].rstrip("/ ")
        attrs = tuple(sorted((name.lower(), value.strip("\"'"))
                             for name, value in _ATTR.findall(body)
                             if name.lower() not in _TRANSLATABLE_ATTRS))
        out.append((p.pair, attrs))
    return out


@register
class TagAttributes(_StringCheck):
    """An attribute of a tag changed, dropped or added: ``src="a.png"`` ->
    ``src="b.png"``, a ``target`` dropped from a link.

    Tags are matched in order by element; human-readable attributes (``alt``,
    ``title``, ``placeholder``, ``aria-label``...) and ``lang``/``dir`` may change. A
    missing or added tag is TG01/TG02's.

    Fires: source ``<img src="a.png">`` / target ``<img src="b.png">``
    Passes: source ``<img src="a.png" alt="Logo">`` / target ``<img src="a.png" alt="Logo der Firma">``
    """

    code = "SW09"
    name = "strings.tag-attributes"
    category = "design/markup"
    severity = Severity.MAJOR

    def check_pair(self, ctx: Context, bead: int, source: Joined,
                   target: Joined) -> Iterable[Issue]:
        if "<" not in source.text or "<" not in target.text:
            return
        src, tgt = _tag_attrs(source.text), _tag_attrs(target.text)
        by_name: dict[str, list[tuple[tuple[str, str], ...]]] = {}
        for name, attrs in src:
            by_name.setdefault(name, []).append(attrs)
        for name, attrs in tgt:
            candidates = by_name.get(name)
            if not candidates:
                continue  # an added tag: TG02
            expected = candidates.pop(0)
            if attrs != expected:
                changed = sorted(set(attrs) ^ set(expected))
                names = sorted({k for k, _ in changed})
                yield self.issue(f"<{name}> attributes differ from the source: "
                                 f"{', '.join(names)}",
                                 target=target.locate(0, len(target.text)),
                                 source=source.locate(0, len(source.text)))
