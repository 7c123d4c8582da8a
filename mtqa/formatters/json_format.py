"""The JSON report: schema ``mtqa.report/1`` (see ``mtqa/schemas/report.schema.json``).

Fields added since the first release are optional additions to the same contract (an
issue's ``fix``, the edits ``mtqa fix`` would make, or null; ``unit`` ids; the
estimate): readers of ``mtqa.report/1`` keep working, nothing was removed or renamed."""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from mtqa.formatters.issues_common import issue_unit, unit_id
from mtqa.model import Bead, Document, DocumentReport, Issue, Report

SCHEMA = "mtqa.report/1"


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "passed": report.passed,
        "signature": report.signature,
        "documents": [_document(d) for d in report.documents],
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_document(d: DocumentReport) -> str:
    """One entry of the report's ``documents`` list exactly as ``render`` writes it:
    indented for its depth (JSON escapes every newline inside a string, so each newline
    of the dump starts a line)."""
    return json.dumps(_document(d), ensure_ascii=False, indent=2).replace("\n", "\n    ")


class Spool:
    """The JSON report of a run that checks a document at a time: each document's JSON
    goes to an unnamed temporary file as soon as it is checked (``add``); ``chunks``
    then gives the report, byte for byte what ``render`` makes of the whole report, once
    the verdict and signature are known. Memory holds one document's JSON, never the
    report's."""

    PIECE = 1 << 20

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.count = 0

    def add(self, d: DocumentReport) -> None:
        if self.count:
            self._file.write(b",\n    ")
        self._file.write(render_document(d).encode("utf-8"))
        self.count += 1

    def chunks(self, report: Report) -> Iterator[bytes]:
        """The report's UTF-8 bytes with ``report``'s verdict and signature (its
        documents are the spooled ones); may be called again, it starts over."""
        head = json.dumps({"schema": SCHEMA, "passed": report.passed,
                           "signature": report.signature}, ensure_ascii=False, indent=2)
        # head ends with "\n}": the documents go before the closing brace.
        yield (head[:-2] + ',\n  "documents": [' + ("\n    " if self.count else "")).encode()
        self._file.seek(0)
        while piece := self._file.read(self.PIECE):
            yield piece
        yield ("\n  ]\n}\n" if self.count else "]\n}\n").encode()

    def close(self) -> None:
        self._file.close()


def _side(doc: Document | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {"path": doc.path, "lang": doc.lang, "format": doc.format}


def _segments(doc: Document | None) -> list[dict[str, Any]]:
    if doc is None:
        return []
    if unit_id(doc, 0) is None:
        return [{"text": s.text, "line": s.line, "column": s.column} for s in doc.segments]
    return [{"text": s.text, "line": s.line, "column": s.column, "unit": s.unit_id}
            for s in doc.segments]


def _issue(issue: Issue, d: DocumentReport) -> dict[str, Any]:
    out = issue.to_dict()
    unit = issue_unit(issue, d)
    if unit is not None:  # additive: plain files have no units
        out["unit"] = unit
    return out


def _bead(bead: Bead) -> dict[str, Any]:
    return {
        "source": list(bead.source),
        "target": list(bead.target),
        "reference": list(bead.reference),
        "similarity": None if bead.similarity is None else round(bead.similarity, 4),
        # Additive (#14): the aligner's posterior probability of this bead, or null.
        "confidence": None if bead.confidence is None else round(bead.confidence, 4),
    }


def _document(d: DocumentReport) -> dict[str, Any]:
    return {
        "source": _side(d.source),
        "target": _side(d.target),
        "reference": _side(d.reference),
        "segments": {
            "source": _segments(d.source),
            "target": _segments(d.target),
            "reference": _segments(d.reference),
        },
        "alignment": [_bead(b) for b in d.alignment],
        "issues": [_issue(i, d) for i in d.issues],
        "metrics": d.metrics,
        "scores": d.scores.to_dict(),
        "passed": d.passed,
        "reasons": list(d.reasons),
    }
