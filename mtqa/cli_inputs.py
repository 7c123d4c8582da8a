"""What ``mtqa check`` does with its arguments before and after the run: folders and
globs expanded to files, the issues shown filtered by severity, counts per check.

Folders and globs follow the conventions of linters (ruff, Vale): a folder means the
files in it, recursively, whose format mtqa reads (bilingual formats and plain text or
Markdown), in path order; a glob that matches nothing is an error, as a missing file is.
"""
from __future__ import annotations

import dataclasses
import glob
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from mtqa.config import ConfigError
from mtqa.errors import InputError
from mtqa.model import DocumentReport, Report, Severity
from mtqa.readers import EXTENSIONS

# What a folder contributes: the formats mtqa reads, plain text included.
_READ = frozenset(EXTENSIONS) | {".txt"}
_GLOB_CHARS = frozenset("*?[")


def expand_inputs(args: Sequence[str]) -> list[str]:
    """``args`` with each folder replaced by the files mtqa reads in it and each glob by
    its matches; ``-`` (standard input) and plain files stay as they are."""
    out: list[str] = []
    for arg in args:
        path = Path(arg)
        if arg == "-" or path.is_file():
            out.append(arg)
        elif path.is_dir():
            found = sorted(str(p) for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in _READ
                           and not any(part.startswith(".") for part in p.parts))
            if not found:
                raise InputError(arg, "a directory with no file mtqa reads "
                                      f"({', '.join(sorted(_READ))})")
            out.extend(found)
        elif _GLOB_CHARS & set(arg):
            matches = sorted(m for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if not matches:
                raise InputError(arg, "no file matches this pattern")
            out.extend(matches)
        else:
            out.append(arg)  # the reader says what is wrong with it
    return out


def min_severity_level(level: str) -> Severity:
    """The ``--min-severity`` level; a bad one is a ``ConfigError`` (exit 2), raised
    before the run starts rather than after every document was checked."""
    try:
        return Severity.parse(level)
    except ValueError as exc:
        raise ConfigError(f"command line: 'min-severity': {exc}") from None


def shown_document(d: DocumentReport, least: Severity) -> DocumentReport:
    """``d`` with only the issues at ``least`` or worse (its score and verdict are kept:
    they were decided on every issue)."""
    return dataclasses.replace(d, issues=tuple(i for i in d.issues if i.severity >= least))


def shown_from(report: Report, level: str | Severity) -> Report:
    """``report`` with only the issues at ``level`` or worse (scores and verdicts are
    kept: they were decided on every issue)."""
    least = level if isinstance(level, Severity) else min_severity_level(level)
    documents = tuple(shown_document(d, least) for d in report.documents)
    return dataclasses.replace(report, documents=documents)


def statistics_lines(report: Report) -> list[str]:
    """One line per check that found something, most frequent first:
    ``count  code  name`` (as ``ruff --statistics``)."""
    counts: Counter[tuple[str, str]] = Counter((i.code, i.name) for d in report.documents
                                               for i in d.issues)
    width = len(str(max(counts.values(), default=0)))
    return [f"{count:>{width}}  {code}  {name}"
            for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
