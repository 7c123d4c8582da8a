"""The JSON report: schema ``mtqa.report/1`` (see ``mtqa/schemas/report.schema.json``).

Fields added since the first release are optional additions to the same contract (an
issue's ``fix``, the edits ``mtqa fix`` would make, or null; ``unit`` ids; the
estimate): readers of ``mtqa.report/1`` keep working, nothing was removed or renamed."""
from __future__ import annotations

import json
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
