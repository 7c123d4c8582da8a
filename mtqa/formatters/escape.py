"""Escaping text that comes from the checked files before it reaches a log, a terminal,
a pull-request comment or an XML report.

File names, flagged text, glossary notes and messages are written by whoever wrote the
pull request. Unescaped they could:

* start a new log line that CI runs as a command: GitHub's ``::error ...::``,
  ``::add-mask::``, ``::stop-commands::`` (at the start of a line) and Azure's
  ``##vso[...]`` (anywhere in a line);
* move the cursor, rewrite the screen or set the window title in a terminal (ESC and
  other control characters);
* make JUnit XML ill-formed (XML 1.0 allows no control character but tab, LF and CR);
* post links, images or @mentions in a Markdown comment (see ``markdown_format``).

Control characters are shown, not dropped: ``\\n``, ``\\x1b``, ``\\u2028``.
"""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators (some log
# viewers and terminals break lines at them too).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Azure Pipelines' logging commands and GitHub's old "##[error]" form.
_HASH_COMMAND = re.compile(r"##(?=\[|vso\[)", re.IGNORECASE)
# Not allowed anywhere in an XML 1.0 document.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _show(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def plain(text: str) -> str:
    """``text`` on one line with every control character shown as an escape, and no
    CI log command in it: safe for a log line or a terminal."""
    return _HASH_COMMAND.sub("#\\\\#", _CONTROL.sub(_show, text))


def log_line(line: str) -> str:
    """A whole line for a CI log: ``plain``, and never starting with ``::`` (a GitHub
    workflow command) even after leading blanks, which the runner skips."""
    line = plain(line)
    return "./" + line if line.lstrip().startswith("::") else line


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: "␛" for ESC
    return "\u2421" if code == 0x7f else "\ufffd"


def terminal(text: str) -> str:
    """``text`` for a terminal: each control character (ESC included, so no escape
    sequence reaches the terminal) becomes one visible symbol, so that offsets into the
    text still hold."""
    return _CONTROL.sub(_picture, text)


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold shown as escapes (tab, LF and
    CR are kept: they are allowed)."""
    return _NOT_XML.sub(_show, text)
