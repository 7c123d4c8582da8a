"""Inline tags and placeholders: the parts of a text a translator must carry over as-is.

Five kinds are recognised in any segment text:

* ``code``: inline codes of localisation files. The XLIFF and TMX readers replace each
  inline element by a visible token: ``⟨1⟩`` opens paired code 1 (``<g id="1">``,
  ``<pc>``, ``<bpt>``, ``<bx/>``, ``<sc/>``), ``⟨/1⟩`` closes it (``</g>``, ``<ept>``,
  ``<ex/>``, ``<ec/>``) and ``⟨2/⟩`` stands alone (``<x/>``, ``<ph>``, ``<it>``). The
  brackets are U+27E8/U+27E9, which prose does not use, so a token never collides with
  the text and stays readable in a report, as CAT tools show numbered tags.
* ``html``: HTML/XML tags written in the text (``<b>``, ``</a>``, ``<br/>``). An
  element HTML does not have counts when it is closed in the text, self-closing or has
  attributes (``<guilabel>File</guilabel>``); ``<commit>`` alone or ``<Error>`` is a
  metavariable or pseudo-tag, not markup.
* ``printf``: C/Python/Objective-C conversions (``%s``, ``%1$d``, ``%(name)s``,
  ``%.2f``, ``%@``); ``%%`` is a literal percent sign.
* ``printf`` also covers Qt's ``%1``/``%L1`` (not after a digit: "50%1" is prose).
* ``dollar``: Mozilla's ``$file$`` variables.
* ``brace``: Python/ICU/.NET placeholders (``{}``, ``{0}``, ``{name}``,
  ``{n, plural, one {# file} other {# files}}``) and ``{{name}}`` templates.

Protected spans are not split by the sentence splitter and should be skipped by
spelling and punctuation checks (``mask``); ``mtqa.checks.tags`` compares them between
source and target.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Inline-code tokens written by the XML readers (see ``token``).
TOKEN_OPEN, TOKEN_CLOSE = "\u27e8", "\u27e9"
_CODE = re.compile(r"\u27e8(/?)([^\s\u27e8\u27e9/]{1,40})(/?)\u27e9")
_HTML = re.compile(r"(?<!<)<(/?)([A-Za-z][\w:.-]{0,30})((?:\s+[^<>\n]{0,500}?)?)\s*(/?)>")
# Element names of HTML (and common SVG/MathML-free markup), for telling a tag written in
# capitals (<B>, <BR>) from a pseudo-tag (<Error>, <COMMAND>).
HTML_ELEMENTS = frozenset((
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo",
    "big", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite",
    "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog",
    "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i",
    "iframe", "img", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "map",
    "mark", "menu", "meta", "meter", "nav", "noscript", "object", "ol", "optgroup",
    "option", "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt",
    "ruby", "s", "samp", "script", "section", "select", "small", "source", "span",
    "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt",
    "u", "ul", "var", "video", "wbr",
))
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# A conversion: optional position or mapping key, flags (no space flag: "50% off"
# is prose; ' groups thousands), width, precision, length modifier, conversion
# character. A unit may follow a numeric one (``%.3fs``, ``%dMB``), see _unit_after.
_PRINTF = re.compile(
    r"%(?:(\d{1,2})\$|\((\w{1,40})\))?[-+#0']{0,4}(?:\d{1,3}|\*)?(?:\.(?:\d{1,3}|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGaAcspn@])"
)
# Qt's numbered arguments (``%1``, ``%L2``) and Mozilla's named ones (``$file$``).
_QT = re.compile(r"%L?([1-9]\d?)(?![\d$])")
_DOLLAR = re.compile(r"\$([A-Za-z_][\w.]{0,40})\$")
_DOUBLE_BRACE = re.compile(r"\{\{\s*([A-Za-z_][\w.-]{0,40})\s*\}\}")
_BRACE_HEAD = re.compile(r"\{(\d{1,3}|[A-Za-z_][\w.]{0,40})?\s*([}!:,])")
# ICU messages nest; an argument longer than this is not a placeholder but a brace in
# prose, and the cap keeps a hostile "{a," repeated a million times linear.
_MAX_BRACE = 2000
_TRIGGERS = re.compile(r"[\u27e8<%{$]")


class Placeholder(NamedTuple):
    """One protected span ``text[start:end]``.

    ``key`` is what must be equal between source and target (``⟨/1⟩``, ``<b>``,
    ``%1$s``, ``{name}``); ``role`` is ``open``, ``close`` or ``standalone``; ``pair``
    links an opening tag with its closing tag; ``ordered`` is true for placeholders
    whose position selects their argument (``%s``, ``{}``), so moving them changes the
    meaning.
    """

    start: int
    end: int
    kind: str
    key: str
    role: str = "standalone"
    pair: str = ""
    ordered: bool = False


def token(code_id: str, role: str) -> str:
    """The visible token for an inline code: ``⟨id⟩``, ``⟨/id⟩`` or ``⟨id/⟩``."""
    clean = re.sub(r"[^\w.:-]", "_", code_id)[:40] or "_"
    if role == "open":
        return f"{TOKEN_OPEN}{clean}{TOKEN_CLOSE}"
    if role == "close":
        return f"{TOKEN_OPEN}/{clean}{TOKEN_CLOSE}"
    return f"{TOKEN_OPEN}{clean}/{TOKEN_CLOSE}"


@lru_cache(maxsize=1 << 16)
def find(text: str) -> tuple[Placeholder, ...]:
    """Every tag and placeholder in ``text``, in order, without overlaps.

    Cached: the segmenter, the number check and every tag check ask about the same
    segments, and each check walks the whole document before the next one starts, so
    the cache holds a large catalogue's strings (the keys are the segments' own
    strings; most values are the shared empty tuple).
    """
    if not _TRIGGERS.search(text):
        return ()
    found: list[Placeholder] = []
    for m in _CODE.finditer(text):
        role = "close" if m.group(1) else "standalone" if m.group(3) else "open"
        found.append(Placeholder(m.start(), m.end(), "code", m.group(), role, m.group(2)))
    for m in _HTML.finditer(text):
        name = m.group(2).lower()
        if (name not in HTML_ELEMENTS and m.group(2) != name) or _metavariable(text, m):
            continue  # <Error>, <COMMAND>, --debug=<octal>: a pseudo-tag or metavariable
        if m.group(1):
            role, key = "close", f"</{name}>"
        elif m.group(4) or name in _VOID:
            role, key = "standalone", f"<{name}/>"
        else:
            role, key = "open", f"<{name}>"
        found.append(Placeholder(m.start(), m.end(), "html", key, role, name))
    for m in _PRINTF.finditer(text):
        if _escaped_percent(text, m.start()) or m.end() < len(text) and \
                text[m.end()].isascii() and text[m.end()].isalpha() and not _unit_after(text, m):
            continue
        position, name, conv = m.groups()
        key = f"%{position}${conv}" if position else f"%({name}){conv}" if name else f"%{conv}"
        found.append(Placeholder(m.start(), m.end(), "printf", key,
                                 ordered=not (position or name)))
    for m in _QT.finditer(text):
        if not _escaped_percent(text, m.start()) and not _after_number(text, m.start()):
            found.append(Placeholder(m.start(), m.end(), "printf", f"%{m.group(1)}"))
    for m in _DOLLAR.finditer(text):
        found.append(Placeholder(m.start(), m.end(), "dollar", m.group()))
    found.extend(_braces(text))
    return _without_overlaps(found)


def spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``find(text)``."""
    return [(p.start, p.end) for p in find(text)]


def mask(text: str, fill: str = " ") -> str:
    """``text`` with every protected span replaced by ``fill`` characters of the same
    length, so that offsets into the result are offsets into ``text``."""
    out = text
    for p in reversed(find(text)):
        out = out[:p.start] + fill * (p.end - p.start) + out[p.end:]
    return out


# Elements that UI strings use as markup; other names, even HTML ones (<object>,
# <option>, <source>, <time>), are usually a usage string's values when left unclosed.
_INLINE_MARKUP = frozenset(("a", "abbr", "b", "big", "br", "cite", "code", "del", "div",
                            "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
                            "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
                            "small", "span", "strike", "strong", "sub", "sup", "table", "td",
                            "th", "tr", "tt", "u", "ul"))


def _metavariable(text: str, m: re.Match[str]) -> bool:
    """True for ``<commit>`` in ``git pick <commit>``: an opening tag of an element
    HTML does not have, without attributes and never closed in the text, names a value
    to type in (a translator may translate it, ``<提交>``). XML markup such as
    ``<guilabel>File</guilabel>`` closes its elements."""
    if m.group(1) or m.group(4) or "=" in m.group(3):
        return False
    name = m.group(2).lower()
    if name in _INLINE_MARKUP and not m.group(3).strip():
        return False  # an unclosed <b> is a broken tag (TG04), not a value
    return f"</{m.group(2)}" not in text


def _unit_after(text: str, m: re.Match[str]) -> bool:
    """True when the letter after a conversion is a unit (``%dMB``, ``%.3fs``): a
    numeric conversion, or one with a precision, not after a number ("100%done") and
    not a word ("%-encoding", "%each")."""
    if _after_number(text, m.start()):
        return False
    return m.group(3) in "dfiu" or "." in m.group()


def _after_number(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isdigit()


def _escaped_percent(text: str, at: int) -> bool:
    """True when the ``%`` at ``at`` is the second of ``%%`` (an odd run before it)."""
    run = 0
    while at - run - 1 >= 0 and text[at - run - 1] == "%":
        run += 1
    return run % 2 == 1


def _braces(text: str) -> list[Placeholder]:
    out: list[Placeholder] = []
    pos = text.find("{")
    while pos >= 0:
        nxt = pos + 1
        double = _DOUBLE_BRACE.match(text, pos)
        if double:
            name = double.group(1)
            out.append(Placeholder(pos, double.end(), "brace", f"{{{{{name}}}}}"))
            nxt = double.end()
        elif text.startswith("{{", pos):
            nxt = pos + 2  # Python's escaped literal brace
        else:
            head = _BRACE_HEAD.match(text, pos)
            if head:
                end = head.end() if head.group(2) == "}" else _closing_brace(text, pos)
                # An ICU argument never holds an inline code token ("{,⟨1⟩}" is a
                # brace, a tag and a brace): the token wins.
                if end is not None and "⟨" not in text[pos:end]:
                    name = head.group(1) or ""
                    out.append(Placeholder(pos, end, "brace", f"{{{name}}}",
                                           ordered=not name))
                    nxt = end
        pos = text.find("{", nxt)
    return out


def _closing_brace(text: str, start: int) -> int | None:
    depth = 0
    for i in range(start, min(len(text), start + _MAX_BRACE)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _without_overlaps(found: list[Placeholder]) -> tuple[Placeholder, ...]:
    # Earliest first; at the same start the longest wins (a code token before an HTML
    # tag that happens to sit inside it).
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Placeholder] = []
    end = -1
    for p in found:
        if p.start >= end:
            out.append(p)
            end = p.end
    return tuple(out)
