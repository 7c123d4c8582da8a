"""Helpers that the machine formats (SARIF, JUnit, GitHub, Markdown) share."""
from __future__ import annotations

from collections.abc import Iterator

from mtqa.model import Document, DocumentReport, Issue, Location, Report, Severity


def fail_on(report: Report) -> Severity:
    """The severity at which the run's gate fails (critical when not recorded)."""
    return Severity.parse(report.settings.get("fail_on", "critical"))


def where(issue: Issue, doc: DocumentReport) -> tuple[Document | None, Location | None]:
    """The document and location to point at: the target, else the source side."""
    if issue.target is not None:
        return doc.target, issue.target
    if issue.source is not None:
        return doc.source, issue.source
    return doc.target, None


def unit_id(side: Document | None, segment: int) -> str | None:
    """The id of the unit segment ``segment`` of ``side`` comes from (XLIFF ``id``, TMX
    ``tuid``, PO ``msgctxt``/``msgid``, JSONL ``id``); None for plain files and TSV,
    whose "id" is only the line number every output shows already."""
    if side is None or side.format in ("text", "markdown", "tsv"):
        return None
    if not 0 <= segment < len(side.segments):
        return None
    return side.segments[segment].unit_id


def issue_unit(issue: Issue, doc: DocumentReport) -> str | None:
    """The unit id of the place an issue points at, if it is in a unit."""
    side, loc = where(issue, doc)
    return unit_id(side, loc.segment) if loc is not None else None


def end_position(side: Document, loc: Location) -> tuple[int, int]:
    """1-based (line, column) just after the flagged text."""
    return side.segments[loc.segment].position(loc.end)


def path_of(side: Document | None, doc: DocumentReport) -> str:
    return (side.path if side is not None and side.path else doc.target.path) or "<text>"


def checks_run(report: Report) -> list[str]:
    """Codes of the checks the run enabled (from the settings, else the default rules)."""
    codes = report.settings.get("checks")
    if codes:
        return list(codes)
    return [r.code for r in report.rules if r.enabled]


def all_issues(report: Report) -> Iterator[tuple[DocumentReport, Issue]]:
    for doc in report.documents:
        for issue in doc.issues:
            yield doc, issue
