"""Extraction debris: web-page chrome, markup and broken characters that came along
when the text was scraped, and that a reader should never see in a translation."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mtqa.checks.base import Context, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Edit, Fix, Issue, Severity

# A short line that is only a label: "Search this site:", "Related links:".
_LABEL_LINE = re.compile(r"^\s*[A-Z][\w'/&-]*(?: [\w'/&-]+){0,3}\s*[:\uff1a]\s*$")
# Words of web-page chrome; a label line with one of them is debris on its own.
_CHROME = re.compile(
    r"\b(?:search|e-?mail|print|share|font|size|comments?|log ?in|login|sign ?in|"
    r"register|subscribe|submit|contribute|tags?|keywords?|related|navigation|"
    r"menu|home|copyright|qr|scan|wechat|weibo|editor|source|author|reporter|"
    r"responsible|column|channel|website|site|url|link|views?|clicks?|hits?|"
    r"date|time|release|published)\b", re.IGNORECASE)


def _source_of(ctx: Context, index: int) -> str:
    """The source text aligned with target segment ``index`` ("" without a source).

    Debris that the source has too is the content of a localisation unit (a label
    string, ``<h1>`` in a template), not something a scraper left behind.
    """
    return ctx.source_of(index)


def _lines(ctx: Context) -> list[tuple[int, int, str]]:
    """(segment index, start, text) of every line of every target segment.

    Debris is line-based, but Markdown joins a run of label lines ("Font size:" /
    "Share to:" / "Print") into one paragraph, so one segment may hold several.
    """
    out = []
    for index, seg in enumerate(ctx.target.segments):
        start = 0
        for line in seg.text.split("\n"):
            if line.strip():
                out.append((index, start, line))
            start += len(line) + 1
    return out


def _remove_line(start: int, end: int) -> Fix:
    """Delete a debris line; ``mtqa fix`` applies it only where the file line holds
    nothing else (``whole_line``), so prose on the same line is never touched."""
    return Fix((Edit(start, end, ""),), whole_line=True)


@register
class LabelLine(TargetCheck):
    """A line that is only a web-page label, such as ``Search this site:``.

    ``Text size:`` and ``Contributor e-mail:`` are others. Flags a line of at most
    four words ending in a colon with nothing after it, when it names page chrome
    (search, e-mail, print, share, font size, editor, source...) or stands next to
    other page chrome: another such label line, a line of buttons or a breadcrumb. A
    label with its value (``Source: Xinhua``) and a colon that introduces the next
    paragraph of prose (``Steps:``) pass.

    Fires: ``Search this site:``
    Passes: ``Source: Yunxi Daily 10:42, May 13, 2024``

    Fix (safe): the line is removed, where nothing else is on it.
    """

    code = "EX01"
    name = "extraction.label-line"
    category = "other/extraction-debris"
    severity = Severity.MAJOR
    # A debris line is not a sentence: no number, length or punctuation issues there.
    precondition = True
    makes_fixes = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        lines = _lines(ctx)
        labels = [line.rstrip().endswith((":", "\uff1a")) and bool(_LABEL_LINE.match(line))
                  for _, _, line in lines]

        def chrome(k: int) -> bool:
            """Whether line ``k`` is page chrome: a label, buttons or a breadcrumb."""
            index, _, line = lines[k]
            return labels[k] or _is_buttons(line) or _is_breadcrumb(ctx, index, line)

        for k, (index, offset, line) in enumerate(lines):
            if not labels[k]:
                continue
            near = (k > 0 and chrome(k - 1)) or (k + 1 < len(lines) and chrome(k + 1))
            if _BUTTONS_LINE.match(line):
                continue  # "Share to:" is a button: EX02 reports it
            source = _source_of(ctx, index)
            if (near or _CHROME.search(line)) and not _LABEL_LINE.match(source[:1].upper() + source[1:]):
                text = line.strip()
                start = offset + line.index(text)
                yield self.flag(ctx, index, start, start + len(text),
                                f"web-page label {text!r} left in the text",
                                suggestion="", fix=_remove_line(start, start + len(text)))

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        return ()


# Buttons and links of a page: "Share", "[Print]", "Close window", "Back to top".
_BUTTON = (r"share(?: to| this(?: page| article)?)?|print(?: this page)?|close(?: window)?|"
           r"e-?mail(?: this)?|favou?rites?|bookmark|back to top|return to top|top|"
           r"forward|collect|like|tweet|facebook|twitter|wechat|weibo|qq|qzone|"
           r"large|medium|small|font size|read more|more|next|previous|prev|"
           r"return(?: to homepage)?|homepage|home|comment|reply|login|log in|"
           r"scan the qr code|scan to share|copy link|[\u5927\u4e2d\u5c0f]")
_BUTTONS_LINE = re.compile(
    r"^\s*(?:[\[\u3010(]?\s*(?:" + _BUTTON + r")\s*[\]\u3011)]?\s*[:|/>\u00bb,]*\s*)+$",
    re.IGNORECASE)


def _is_buttons(line: str) -> bool:
    """A line of nothing but button words (EX02)."""
    return len(line) <= 80 and bool(_BUTTONS_LINE.match(line))


@register
class PageButtons(TargetCheck):
    """Share, print and navigation buttons left in the text.

    ``Share``, ``[Print] [Close]``, ``Back to top``, ``Font size: large medium small``.
    Only a line made of nothing but button words fires; prose that uses the words
    (``Share your photos of the river with us.``) passes.

    Fires: ``[Print] [Close window]``
    Passes: ``Members share their experience.``

    Fix (safe): the line is removed, where nothing else is on it.
    """

    code = "EX02"
    name = "extraction.page-buttons"
    category = "other/extraction-debris"
    severity = Severity.MAJOR
    # A debris line is not a sentence: no number, length or punctuation issues there.
    precondition = True
    makes_fixes = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        for index, offset, line in _lines(ctx):
            if _is_buttons(line):
                body = line.strip()
                start = offset + line.index(body)
                yield self.flag(ctx, index, start, start + len(body),
                                f"page button(s) {body!r} left in the text", suggestion="",
                                fix=_remove_line(start, start + len(body)))

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        return ()


# "Yunxi Daily >> Local news", "Home > News > China".
_BREADCRUMB = re.compile(r"^\s*[^.!?<>\n]{1,60}?(?:\s*(?:>>|>|\u00bb|\u203a|/)\s*"
                         r"[^.!?<>/\n]{1,80}?){1,6}\s*$")
_CRUMB_SEP = re.compile(r"\s*(?:>>|\u00bb|\u203a)\s*|\s+>\s+|\s+/\s+")


def _is_breadcrumb(ctx: Context, index: int, line: str) -> bool:
    """A line of segment ``index`` that is a breadcrumb trail (EX03)."""
    # « » are French, Persian or Russian quotes; a trail the source has is content. The
    # source is read last: most lines have no separator at all.
    return ((">" in line or "\u00bb" in line or "\u203a" in line or " / " in line)
            and len(line.split()) <= 12 and bool(_CRUMB_SEP.search(line))
            and bool(_BREADCRUMB.match(line)) and not re.search(r"\d\s*>|>\s*\d", line)
            and "\u00ab" not in line
            and not _CRUMB_SEP.search(_source_of(ctx, index)))


@register
class Breadcrumb(TargetCheck):
    """A breadcrumb trail from the page's navigation: ``Home > News > China``.

    A short line (at most 12 words) of parts joined by ``>>``, ``>``, ``»`` or spaced
    ``/``, with no sentence punctuation.

    Not when the text opens a quote with ``«`` (then ``»`` closes it), nor when the
    aligned source has the same separators (a menu path in a localisation unit).

    Fires: ``Home >> News >> Party building``
    Passes: ``Growth was > 5% in May.``, ``Cliquez sur « Fichier »``

    Fix (safe): the line is removed, where nothing else is on it.
    """

    code = "EX03"
    name = "extraction.breadcrumb"
    category = "other/extraction-debris"
    severity = Severity.MAJOR
    # A debris line is not a sentence: no number, length or punctuation issues there.
    precondition = True
    makes_fixes = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        # Line by line, as EX01 and EX02: Markdown joins a breadcrumb and the label
        # line above it into one paragraph.
        for index, offset, line in _lines(ctx):
            if _is_breadcrumb(ctx, index, line):
                body = line.strip()
                start = offset + line.index(body)
                yield self.flag(ctx, index, start, start + len(body),
                                "navigation breadcrumb left in the text", suggestion="",
                                fix=_remove_line(start, start + len(body)))

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        return ()


# "Edited by: Lin Xiaowen", "Editor: Li", "Source: Xinhua": a byline label and its value.
_BYLINE = re.compile(
    r"(?P<label>\b(?:[A-Z][a-z]+ by|Responsible editor|Editor|Editors|Author|Source|"
    r"Reporter|Photographer|Photo|Translator|Proofreader|Reviewer)\s*[:\uff1a])"
    r"\s*(?P<value>[^:()\uff1a\n]*?)(?=\s*(?:\b[A-Z][a-z]+ by\b|\b(?:Responsible editor|"
    r"Editor|Author|Source|Reporter|Photographer|Photo|Translator|Proofreader|Reviewer)"
    r"\s*[:\uff1a]|[)\n]|$))")


@register
class RepeatedByline(TargetCheck):
    """A byline label repeated with different values: ``Signed by: A Signed by: B``.

    Page templates put several editor fields in one line; extraction joins them and the
    translation then names two people for one role. The second label is flagged.

    Fires: ``Signed by: Lin Xiaowen Signed by: Zhao Qiang``
    Passes: ``Edited by: Lin Xiaowen Signed by: Zhao Qiang``
    """

    code = "EX04"
    name = "extraction.repeated-byline"
    category = "other/extraction-debris"
    severity = Severity.MINOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if ":" not in text and "\uff1a" not in text:
            return
        seen: dict[str, str] = {}
        for m in _BYLINE.finditer(text):
            label = re.sub(r"\s*[:\uff1a]$", "", m.group("label")).lower()
            value = m.group("value").strip()
            if label in seen and seen[label] != value:
                yield self.flag(ctx, index, m.start(), m.end(),
                                f"{m.group('label')!r} appears again with another value "
                                f"({seen[label]!r}, then {value!r})")
            seen.setdefault(label, value)


# Tags, entities and BBCode; in Markdown, inline HTML is legitimate and not flagged.
# HTML elements by name: <year> or <name of author> in a template is not markup.
_TAGS = ("a|abbr|b|big|blockquote|body|br|button|center|code|div|em|font|footer|form|h[1-6]|"
         "head|header|hr|html|i|iframe|img|input|label|li|link|meta|nav|ol|p|pre|script|"
         "section|small|span|strong|style|sub|sup|table|tbody|td|th|thead|tr|u|ul|article")
_MARKUP = re.compile(
    r"(?P<tag></?(?:" + _TAGS + r")(?:\s[^<>]{0,200})?\s*/?>)"
    r"|(?P<entity>&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,6});)"
    r"|(?P<bbcode>\[/?(?:b|i|u|url|img|quote|color|size)(?:=[^\]]{0,40})?\])")


@register
class StrayMarkup(TargetCheck):
    """HTML tags, character entities or BBCode in the text: ``<br>``, ``&nbsp;``.

    Entities such as ``&#8220;`` count too. In a Markdown document inline HTML tags are
    allowed; entities are still flagged. Markup that the aligned source has too (the
    same element or entity in a PO or XLIFF unit) is the content of the string, not
    debris: the tag checks (TG01-TG04) compare it.

    Fires: ``the meeting&nbsp;was held``
    Passes: ``R&D spending``
    """

    code = "EX05"
    name = "extraction.stray-markup"
    category = "other/extraction-debris"
    severity = Severity.MAJOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if "<" not in text and "&" not in text and "[" not in text:
            return
        source = None
        for m in _MARKUP.finditer(text):
            if m.lastgroup == "tag" and ctx.target.format == "markdown":
                continue
            if source is None:
                source = _source_of(ctx, index)
            if _same_markup_in(source, m):
                continue
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"markup {m.group()!r} left in the text")


def _same_markup_in(source: str, m: re.Match[str]) -> bool:
    """True when the source has the markup of ``m`` too: the same entity, or a tag of
    the same element (its attributes may be localised)."""
    if not source:
        return False
    if m.lastgroup != "tag":
        return m.group() in source
    name = re.match(r"</?([A-Za-z0-9]+)", m.group())
    return name is not None and re.search(rf"</?{name.group(1)}\b", source) is not None


# UTF-8 read as Latin-1/Windows-1252 (Ã©, â€™), GBK garbage (锟斤拷), replacement
# characters, C0/C1 controls (tab and newline excepted) and invisible format characters.
_BROKEN = re.compile(
    r"(?P<mojibake>[\u00c2\u00c3][\u0080-\u00bf]"
    r"|\u00e2\u20ac[\u0080-\u00bf\u2018-\u203a\u0153\u02dc\u2122]"
    r"|\u00ef\u00bb\u00bf|\u951f\u65a4\u62f7|\u70eb\u70eb\u70eb|\u5c6f\u5c6f\u5c6f)"
    r"|(?P<replacement>\ufffd+)"
    r"|(?P<control>[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f])"
    r"|(?P<invisible>[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff])")
_ALL_SUSPECT = frozenset("\u00c2\u00c3\u00e2\u00ef\u951f\u70eb\u5c6f\ufffd\ufeff") | frozenset(
    chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(0x7f, 0xa0),
                     *range(0x200b, 0x2010), *range(0x2028, 0x202f), *range(0x2060, 0x2065)])


_ZWSP_SCRIPTS = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]")
# Scripts whose letters join or shape: Arabic, Hebrew, Syriac, Thaana, N'Ko, the Indic
# scripts (Devanagari to Malayalam, Sinhala).
_JOINING = re.compile("[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _needed(text: str, at: int) -> bool:
    """True when the invisible character at ``at`` is one the text's script uses."""
    ch = text[at]
    near = text[max(0, at - 2):at + 3]
    if ch == "\u200b":
        return bool(_ZWSP_SCRIPTS.search(near))
    if ch in "\u200c\u200d":
        emoji = ch == "\u200d" and any(ord(c) > 0x1F000 or 0x2600 <= ord(c) < 0x2800 for c in near)
        return emoji or bool(_JOINING.search(near))
    if ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return bool(_RTL.search(text))
    return False


@register
class BrokenCharacters(TargetCheck):
    """Mojibake, replacement characters, control characters and invisible characters.

    Flags UTF-8 decoded as Latin-1 or Windows-1252 (``Ã©``, ``â€™``), the GBK garbage
    ``锟斤拷``/``烫烫烫``, ``\ufffd``, C0/C1 control characters (not tab or newline), and
    zero-width or direction-control characters inside the text.

    Characters a writing system needs are not flagged: the zero-width space that
    separates words in Khmer, Thai, Lao, Burmese and Tibetan text; the joiners
    (ZWNJ/ZWJ) between letters of Arabic, Persian, Hebrew or Indic scripts (and ZWJ in
    emoji sequences); the direction marks and isolates in text with a right-to-left
    script. An invisible character the aligned source has too is carried over.

    Fires: ``the Partyâ€™s branch``
    Passes: ``the Party's branch``, ``café``, Persian ``می‌خواهم``
    """

    code = "EX06"
    name = "extraction.broken-characters"
    category = "fluency/character-encoding"
    severity = Severity.MAJOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if _ALL_SUSPECT.isdisjoint(text):
            return
        for m in _BROKEN.finditer(text):
            kind = m.lastgroup
            if kind == "invisible" and (_needed(text, m.start()) or
                                        m.group() in _source_of(ctx, index)):
                continue
            if kind == "mojibake":
                what = f"mojibake {m.group()!r} (text decoded with the wrong encoding)"
            elif kind == "replacement":
                what = "replacement character \ufffd: a character was lost"
            else:
                what = f"{kind} character U+{ord(m.group()):04X}"
            yield self.flag(ctx, index, m.start(), m.end(), what,
                            suggestion="" if kind in ("control", "invisible") else None)


# "... trust crisis - China News Network", "...-Chinanews.com", "..._新华网": the page
# title's site name after a separator at the end of a headline.
_SITE_SUFFIX = re.compile(
    r"(?:\s[-\u2013\u2014_|]{1,2}\s?|[-_|](?=[A-Z\u4e00-\u9fff]))"
    r"(?P<site>(?:[A-Z][\w'.&]*\s){0,4}(?:[A-Z][\w'.&]*)?"
    r"(?:News(?:\s(?:Network|Agency|Service|Online))?|Network|Net|Daily|Online|Times|Post|"
    r"Xinhua|Web|Website|\.com|\.cn|\.net|\.org)(?:\.com|\.cn)?"
    r"|[\u4e00-\u9fff]{1,6}\u7f51)\.?\s*$")


@register
class SiteNameSuffix(TargetCheck):
    """The site name of the page title left after a headline: ``... - China News Network``.

    A segment that ends with a separator (``-``, ``--``, ``_``, ``|``) and a site name
    (words ending in News, Network, Net, Daily, Online, Times, Post, Agency, Xinhua, a
    domain such as ``Chinanews.com``, or a Chinese name ending in 网) carries the browser
    title's suffix; the headline should stop before it.

    Fires: ``The fitness industry should overcome its crisis of trust - China News Network``
    Passes: ``The network - and the news - matter to everyone.``
    """

    code = "EX07"
    name = "extraction.site-name-suffix"
    category = "other/extraction-debris"
    severity = Severity.MINOR

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        if len(text) > 300:
            return
        tail = max(0, len(text) - 70)  # the suffix is at the end: scan only there
        m = _SITE_SUFFIX.search(text, tail)
        if m and m.start() > 10:
            yield self.flag(ctx, index, m.start(), len(text.rstrip()),
                            f"site name {m.group('site')!r} of the page title left after "
                            "the headline", suggestion="")
