"""Baselines: today's issues recorded so that later runs report only new ones.

An issue's fingerprint hashes its check code, the flagged text and the text of the
segment it is in, all normalised (Unicode NFKC, case-folded, runs of white space made
one space). Line numbers are left out on purpose: an edit above an issue moves it
without changing its fingerprint, while an edit of the sentence itself makes it a new
issue. Matching counts fingerprints per file, so two identical issues in one file need
two baseline entries.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtqa.errors import InputError
from mtqa.model import DocumentReport, Examined, Issue, Location

SCHEMA = "mtqa.baseline/1"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fingerprint(issue: Issue, doc: DocumentReport | Examined) -> str:
    """The content-based fingerprint of ``issue`` in ``doc`` (16 hex digits)."""
    loc: Location | None = issue.target or issue.source
    side = doc.target if issue.target is not None else doc.source
    segment = ""
    if loc is not None and side is not None and 0 <= loc.segment < len(side.segments):
        segment = side.segments[loc.segment].text
    seg_hash = hashlib.sha256(normalise(segment).encode()).hexdigest()
    flagged = normalise(loc.text) if loc is not None else normalise(issue.message)
    key = "\0".join((issue.code, "target" if issue.target else "source", flagged, seg_hash))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """One recorded issue. ``line`` and ``text`` are for people reading the file."""

    path: str
    code: str
    fingerprint: str
    line: int | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "fingerprint": self.fingerprint,
                "line": self.line, "text": self.text}


def entries(documents: Iterable[tuple[str, DocumentReport]]) -> list[Entry]:
    """Baseline entries for ``(path relative to the project root, report)`` pairs."""
    out = []
    for path, doc in documents:
        for issue in doc.issues:
            loc = issue.target or issue.source
            out.append(Entry(path, issue.code, fingerprint(issue, doc),
                             loc.line if loc else None, loc.text[:80] if loc else ""))
    return out


def dumps(items: Sequence[Entry]) -> str:
    rows = sorted(items, key=lambda e: (e.path, e.line or 0, e.code, e.fingerprint))
    return json.dumps({"schema": SCHEMA, "issues": [e.to_dict() for e in rows]},
                      ensure_ascii=False, indent=2) + "\n"


def load(path: Path) -> list[Entry]:
    """Read a baseline file written by ``dumps``; a bad file is an ``InputError``."""
    from mtqa.readers.encoding import require_regular_file

    require_regular_file(path, "baseline")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "baseline file not found (write one with "
                                    "--write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"not a baseline file: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(str(path), f"not a baseline file (expected schema {SCHEMA!r})")
    out = []
    for n, row in enumerate(data.get("issues", [])):
        try:
            out.append(Entry(str(row["path"]), str(row["code"]), str(row["fingerprint"]),
                             row.get("line"), str(row.get("text", ""))))
        except (KeyError, TypeError):
            raise InputError(str(path), f"baseline issue {n} lacks path/code/fingerprint") from None
    return out


class Matcher:
    """Consumes baseline entries as issues are matched; what is left over is stale."""

    def __init__(self, items: Sequence[Entry]) -> None:
        self._left: Counter[tuple[str, str]] = Counter((e.path, e.fingerprint) for e in items)
        self._items = list(items)

    def known(self, path: str, issue: Issue, doc: DocumentReport | Examined) -> bool:
        key = (path, fingerprint(issue, doc))
        if self._left[key] > 0:
            self._left[key] -= 1
            return True
        return False

    def stale(self, checked: set[str] | None = None) -> list[Entry]:
        """Entries no issue matched, among files that were checked (all when None)."""
        left = Counter(self._left)
        out = []
        for e in self._items:
            key = (e.path, e.fingerprint)
            if left[key] > 0 and (checked is None or e.path in checked):
                left[key] -= 1
                out.append(e)
        return out
