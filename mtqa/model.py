"""The values that flow through mtqa: segments, documents, beads, issues, reports.

Everything here is a frozen value. Readers build ``Document``s, the aligner builds
``Bead``s, checks yield ``Issue``s, the pipeline assembles a ``Report``; formatters only
read them. All but ``Glossary`` (which caches its matchers) have ``__slots__``: a run
holds a whole document's segments, units, beads and issues, and a slotted instance is
about half the size of one with a ``__dict__``.
"""
from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mtqa.text.termmatch import PhraseMatcher


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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
            # Not super(): a slots dataclass is a new class, which zero-argument
            # super() does not know.
            return Segment.position(self, start)
        offset, line, column = self.anchors[k]
        before = self.text[offset:start]
        newlines = before.count("\n")
        if newlines == 0:
            return line, column + start - offset
        return line + newlines, start - offset - before.rfind("\n")


@dataclass(frozen=True, slots=True)
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
    # The whitespace a reader trimmed off the unit's source and target text (leading,
    # trailing), where it is part of the string (PO): the string checks compare it.
    source_edges: tuple[str, str] = ("", "")
    target_edges: tuple[str, str] = ("", "")


# Languages written without spaces between sentences: their segments join with "".
CJK_JOIN_LANGS = frozenset({"zh", "ja", "ko"})


@dataclass(frozen=True, slots=True)
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

    @property
    def joiner(self) -> str:
        """What goes between two sentences of this document's language run together."""
        return "" if self.lang in CJK_JOIN_LANGS else " "


CASE_VALUES = ("sensitive", "insensitive")


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry.

    ``targets``: accepted renderings, the preferred one first; ``forbidden``: renderings
    that must not appear; ``case``: ``sensitive`` or ``insensitive`` (how target text is
    compared); ``origin``: ``file:line`` where it was defined, for messages.
    """

    source: str
    targets: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    case: str = "insensitive"
    origin: str = ""

    def __post_init__(self) -> None:
        if self.case not in CASE_VALUES:
            raise ValueError(f"case must be sensitive or insensitive, not {self.case!r}")

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"

    @property
    def preferred(self) -> str | None:
        """The required rendering (first of ``targets``), if any."""
        return self.targets[0] if self.targets else None

    def label(self) -> str:
        """How messages name the term: its source, or its preferred rendering."""
        return self.source or self.preferred or self.forbidden[0]


@dataclass(frozen=True)
class Glossary:
    """The terms of one or more glossary files, with matchers built once on first use."""

    terms: tuple[Term, ...]
    paths: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def with_source(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.source)

    def source_matcher(self) -> PhraseMatcher:
        """Finds source terms (leftmost-longest, no overlaps; Latin-script terms
        case-insensitively)."""
        cache = self._matchers
        key = ("source",)
        if key not in cache:
            from mtqa.text.termmatch import PhraseMatcher

            cache[key] = PhraseMatcher([(t.source, t, False) for t in self.with_source])
        return cache[key]

    def target_matcher(self, *, ignore_case: bool = False) -> PhraseMatcher:
        """Finds accepted renderings in the target (case per term unless ``ignore_case``)."""
        key = ("target", ignore_case)
        cache = self._matchers
        if key not in cache:
            from mtqa.text.termmatch import PhraseMatcher

            phrases = [(r, t, t.case_sensitive and not ignore_case)
                       for t in self.terms for r in t.targets]
            cache[key] = PhraseMatcher(phrases)
        return cache[key]

    def forbidden_matcher(self) -> PhraseMatcher:
        """Finds forbidden renderings in the target (case per term)."""
        key = ("forbidden",)
        cache = self._matchers
        if key not in cache:
            from mtqa.text.termmatch import PhraseMatcher

            phrases = [(f, t, t.case_sensitive) for t in self.terms for f in t.forbidden]
            cache[key] = PhraseMatcher(phrases)
        return cache[key]

    @cached_property
    def _matchers(self) -> dict[tuple[object, ...], PhraseMatcher]:
        return {}

    @cached_property
    def forbidden_forms(self) -> frozenset[str]:
        """Every forbidden rendering, case-folded, for checks that defer to TE01."""
        return frozenset(f.casefold() for t in self.terms for f in t.forbidden)

    @cached_property
    def sensitive_forms(self) -> frozenset[str]:
        """Case-folded renderings of case-sensitive terms (TE03 reports their case)."""
        return frozenset(r.casefold() for t in self.terms if t.case_sensitive
                         for r in t.targets)


@dataclass(frozen=True, slots=True)
class Bead:
    """One alignment link: source segments <-> target segments (<-> reference segments).

    Either side may be empty: ``source=()`` is an addition in the target, ``target=()``
    an omission of the source.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    reference: tuple[int, ...] = ()
    similarity: float | None = None
    # How sure the aligner is of this bead: its posterior probability (0..1) among all
    # alignments it considered; None where the aligner does not say (length, bilingual).
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` of the issue's target segment with ``replacement``
    (0-based character offsets into the segment text, like ``Location``). ``segment``
    names another target segment, for an issue about several places (a consistency
    issue aligns every variant to one form)."""

    start: int
    end: int
    replacement: str
    segment: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end,
                               "replacement": self.replacement}
        if self.segment is not None:
            out["segment"] = self.segment
        return out


@dataclass(frozen=True, slots=True)
class Fix:
    """How ``mtqa fix`` would repair an issue: edits on the issue's target segment.

    ``safe`` fixes are applied by default; the others only with ``--unsafe-fixes``
    (they may change the meaning, and a person should read them). ``whole_line``: the
    edit removes debris, and the file line it leaves blank is removed with it (only in
    text and Markdown files, and only when nothing else is left on that line).
    """

    edits: tuple[Edit, ...]
    safe: bool = True
    whole_line: bool = False

    def apply(self, text: str, segment: int | None = None) -> str:
        """``text`` (the issue's target segment, or target segment ``segment``) with
        its edits made: the proposed text."""
        out = []
        pos = 0
        mine = [e for e in self.edits if e.segment is None or e.segment == segment]
        for edit in sorted(mine, key=lambda e: (e.start, e.end)):
            out.append(text[pos:max(pos, edit.start)])
            out.append(edit.replacement)
            pos = max(pos, edit.end)
        out.append(text[pos:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"safe": self.safe, "whole_line": self.whole_line,
                "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem a check found. ``code`` is stable (``FL01``); ``category`` is an MQM path.
    ``fix``, when a check can repair the issue mechanically, is what ``mtqa fix`` does."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    target: Location | None = None
    source: Location | None = None
    suggestion: str | None = None
    fix: Fix | None = None

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
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True, slots=True)
class Scores:
    """MQM scores of one document: penalty points, words, quality, per-bead penalties."""

    penalty: float
    words: int
    quality: float
    segments: tuple[float, ...]
    # The encoder's estimate of the document's MQM points (sum over beads, see
    # mtqa/quality/estimate.py); None when no encoder ran or there is no source.
    estimate: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "penalty": round(self.penalty, 2),
            "words": self.words,
            "quality": round(self.quality, 2),
            "segments": [round(s, 2) for s in self.segments],
        }
        if self.estimate is not None:
            out["estimate"] = round(self.estimate, 2)
        return out


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Examined:
    """One document after read, align and check, before its issues are filtered and it
    is scored: what worker processes and the gate's cache hand back.

    ``estimate`` holds the encoder's estimated MQM points of each bead (None without
    an encoder or a source); it does not depend on the issues, so filtering issues
    never needs the encoder again.
    """

    target: Document
    source: Document | None
    reference: Document | None
    alignment: tuple[Bead, ...]
    issues: tuple[Issue, ...]
    metrics: dict[str, Any]
    estimate: tuple[float, ...] | None = None
    skipped: tuple[str, ...] = ()  # checks that did not apply (they need a source...)


@dataclass(frozen=True, slots=True)
class Rule:
    """What a report says about one check, so that formatters need not import the checks.

    ``documentation`` is the check's user documentation (its docstring, dedented);
    ``enabled`` whether it runs by default; ``module`` the module that defines it.
    """

    code: str
    name: str
    category: str
    severity: Severity
    enabled: bool
    documentation: str
    module: str = ""

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.documentation.split("\n", 1)[0]


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one ``mtqa check`` run over one or more documents.

    ``rules`` describes every registered check (run or not), for formats that list them.
    """

    documents: tuple[DocumentReport, ...]
    signature: str
    passed: bool
    settings: dict[str, Any] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
