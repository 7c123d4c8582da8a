"""Inline suppression comments in Markdown and plain-text translations.

``<!-- mtqa-disable-next-line FL01 -->`` on a line of its own drops issues of check FL01
on the next non-blank line; ``<!-- mtqa-disable-line FL01 -->`` at the end of a line
drops them on that line. Several codes may follow, separated by spaces or commas. A
directive must name at least one registered check: a bare "disable" would hide every
future problem on that line, so it is an input error, as is an unknown code.

The Markdown reader skips HTML comments as prose, so the directives are read here from
the raw file text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.errors import InputError
from mtqa.model import Issue, Location

_DIRECTIVE = re.compile(r"<!--\s*mtqa-disable(-next)?-line\b(.*?)-->")
_ANY = re.compile(r"mtqa-disable\S*")


@dataclass(frozen=True)
class Directives:
    """For each 1-based line, the check codes suppressed on it."""

    lines: dict[int, frozenset[str]]

    def suppresses(self, code: str, line: int, last_line: int | None = None) -> bool:
        """Whether ``code`` is off on any line from ``line`` to ``last_line``."""
        return any(code in self.lines.get(n, ())
                   for n in range(line, (last_line or line) + 1))


def parse_directives(text: str, path: str | None = None) -> Directives:
    """Read the suppression comments of a decoded file."""
    from mtqa.checks.registry import find

    raw_lines = text.split("\n")
    found: dict[int, set[str]] = {}
    for number, line in enumerate(raw_lines, start=1):
        if "mtqa-disable" not in line:
            continue
        matches = list(_DIRECTIVE.finditer(line))
        if not matches:
            word = _ANY.search(line)
            raise InputError(path, f"malformed suppression {word.group() if word else ''!r}: "
                                   "write <!-- mtqa-disable-next-line CODE --> or "
                                   "<!-- mtqa-disable-line CODE -->", number)
        for m in matches:
            codes = [c for c in re.split(r"[\s,]+", m.group(2).strip()) if c]
            if not codes:
                raise InputError(path, "a suppression comment must name the check code(s) "
                                       "it suppresses, e.g. <!-- mtqa-disable-next-line "
                                       "FL01 -->", number)
            resolved = set()
            for code in codes:
                cls = find(code)
                if cls is None:
                    raise InputError(path, f"suppression names no known check {code!r} "
                                           "(see `mtqa rules`)", number)
                resolved.add(cls.code)
            if m.group(1):  # next-line: the next line that is not blank
                target = number + 1
                while target <= len(raw_lines) and not raw_lines[target - 1].strip():
                    target += 1
            else:
                target = number
            found.setdefault(target, set()).update(resolved)
    return Directives({n: frozenset(c) for n, c in found.items()})


def is_suppressed(issue: Issue, target: Directives | None,
                  source: Directives | None = None) -> bool:
    """Whether an inline directive in the target (or, for an issue that has only a
    source location, in the source) turns this issue off."""
    loc: Location | None
    if issue.target is not None:
        loc, directives = issue.target, target
    else:
        loc, directives = issue.source, source
    if loc is None or directives is None:
        return False
    return directives.suppresses(issue.code, loc.line, loc.line + loc.text.count("\n"))
