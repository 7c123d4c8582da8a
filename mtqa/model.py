"""The values that flow through mtqa: segments, documents, beads, issues, reports.

Everything here is a frozen value. Readers build ``Document``s, the aligner builds
``Bead``s, checks yield ``Issue``s, the pipeline assembles a ``Report``; formatters only
read them.
"""
from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    """MQM severity of an issue, ordered: minor < major < critical."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r} (expected minor, major or critical)"
            ) from None


_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading, list item, table cell) of a document.

    ``text`` is the exact text as it appears in the file after decoding, starting at
    1-based ``line``/``column``. ``offset`` is its 0-based character offset in the decoded
    file (-1 when the text had to be unescaped, as in JSONL). ``block`` numbers the
    paragraph or unit it came from, so segments of one paragraph share a block.
    """

    text: str
    line: int
    column: int
    offset: int = -1
    block: int = 0
    kind: str = "sentence"
    unit_id: str | None = None

    def position(self, start: int) -> tuple[int, int]:
        """The 1-based (line, column) in the file of character ``start`` of the text."""
        start = max(0, min(start, len(self.text)))
        before = self.text[:start]
        newlines = before.count("\n")
        if newlines == 0:
            return self.line, self.column + start
        return self.line + newlines, start - before.rfind("\n")


@dataclass(frozen=True)
class AnchoredSegment(Segment):
    """A segment whose text is not a verbatim slice of the file: entities and escapes
    decoded, inline codes shown as tokens (XLIFF, TMX, PO). ``anchors`` are ``(offset,
    line, column)``: character ``offset`` of the text is at that place in the file, and
    the text runs on verbatim from there until the next anchor, so every character keeps
    its exact position."""

    anchors: tuple[tuple[int, int, int], ...] = ()

    def position(self, start: int) -> tuple[int, int]:
        start = max(0, min(start, len(self.text)))
        k = bisect.bisect_right(self.anchors, start, key=lambda a: a[0]) - 1
        if k < 0:
            return super().position(start)
        offset, line, column = self.anchors[k]
        before = self.text[offset:start]
        newlines = before.count("\n")
        if newlines == 0:
            return line, column + start - offset
        return line + newlines, start - offset - before.rfind("\n")


@dataclass(frozen=True)
class UnitInfo:
    """What a localisation file says about one unit besides its text.

    ``id`` is the unit's id in the file (XLIFF ``id``, TMX ``tuid``, PO ``msgctxt`` and
    ``msgid``), ``line`` the line of its target, ``state`` the workflow state the file
    records (XLIFF ``state``, ``"fuzzy"`` for a fuzzy PO entry), ``notes`` the notes and
    comments for translators, ``plural`` the plural form index for PO plurals.
    """

    id: str
    line: int
    state: str | None = None
    notes: tuple[str, ...] = ()
    fuzzy: bool = False
    plural: int | None = None


@dataclass(frozen=True)
class Document:
    """A file (or one side of a bilingual file) split into segments.

    ``units`` is empty for plain files; for localisation files (XLIFF, TMX, PO) it holds
    one ``UnitInfo`` per segment, in the same order.
    """

    path: str | None
    lang: str
    segments: tuple[Segment, ...]
    format: str = "text"
    units: tuple[UnitInfo, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.segments]


@dataclass(frozen=True)
class Bead:
    """One alignment link: source segments <-> target segments (<-> reference segments).

    Either side may be empty: ``source=()`` is an addition in the target, ``target=()``
    an omission of the source.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    reference: tuple[int, ...] = ()
    similarity: float | None = None


@dataclass(frozen=True)
class Location:
    """Where an issue is: a character span in one segment, with its file position."""

    segment: int
    start: int
    end: int
    line: int
    column: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
        }


def locate(doc: Document, segment: int, start: int = 0, end: int | None = None) -> Location:
    """A ``Location`` for ``segment[start:end]`` of ``doc`` (whole segment by default)."""
    seg = doc.segments[segment]
    if end is None:
        end = len(seg.text)
    start = max(0, min(start, len(seg.text)))
    end = max(start, min(end, len(seg.text)))
    line, column = seg.position(start)
    return Location(segment, start, end, line, column, seg.text[start:end])


@dataclass(frozen=True)
class Issue:
    """A problem a check found. ``code`` is stable (``FL01``); ``category`` is an MQM path."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    target: Location | None = None
    source: Location | None = None
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "target": self.target.to_dict() if self.target else None,
            "source": self.source.to_dict() if self.source else None,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Scores:
    """MQM scores of one document: penalty points, words, quality, per-bead penalties."""

    penalty: float
    words: int
    quality: float
    segments: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "penalty": round(self.penalty, 2),
            "words": self.words,
            "quality": round(self.quality, 2),
            "segments": [round(s, 2) for s in self.segments],
        }


@dataclass(frozen=True)
class DocumentReport:
    """Everything mtqa found about one translated document."""

    target: Document
    source: Document | None
    reference: Document | None
    alignment: tuple[Bead, ...]
    issues: tuple[Issue, ...]
    metrics: dict[str, Any]
    scores: Scores
    passed: bool
    reasons: tuple[str, ...] = ()
    # Codes of the enabled checks that did not run on this document (they need a
    # source, a reference, a glossary or another target language).
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """The result of one ``mtqa check`` run over one or more documents."""

    documents: tuple[DocumentReport, ...]
    signature: str
    passed: bool
    settings: dict[str, Any] = field(default_factory=dict)
