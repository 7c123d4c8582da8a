"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps).

Every registered check is a rule with its documentation as help text; every issue is a
result with a region (columns count Unicode code points) and a content-based partial
fingerprint (the baseline's), so that scanners follow an issue across edits above it.
"""
from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from mtqa.ci.baseline import fingerprint
from mtqa.formatters.issues_common import end_position, issue_unit, path_of, where
from mtqa.model import DocumentReport, Issue, Report, Severity
from mtqa.version import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.MINOR: "note", Severity.MAJOR: "warning", Severity.CRITICAL: "error"}


def _uri(path: str) -> dict[str, Any]:
    if os.path.isabs(path):
        return {"uri": "file://" + quote(path.replace(os.sep, "/"))}
    return {"uri": quote(path.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rules, index = [], {}
    for n, rule in enumerate(report.rules):
        doc = rule.documentation
        index[rule.code] = n
        rules.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": doc},
            "help": {"text": doc, "markdown": doc},
            "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.enabled},
            "properties": {"category": rule.category, "tags": [rule.category.split("/")[0]],
                           "severity": rule.severity.value},
        })
    return rules, index


def _result(doc: DocumentReport, issue: Issue, index: dict[str, int]) -> dict[str, Any]:
    side, loc = where(issue, doc)
    physical: dict[str, Any] = {"artifactLocation": _uri(path_of(side, doc))}
    if loc is not None and side is not None:
        end_line, end_col = end_position(side, loc)
        region: dict[str, Any] = {"startLine": loc.line, "startColumn": loc.column,
                                  "endLine": end_line, "endColumn": max(end_col, loc.column)}
        if loc.text:
            region["snippet"] = {"text": loc.text}
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    unit = issue_unit(issue, doc)
    if unit is not None:
        # The unit's id in the localisation file: where a translator finds it in a CAT tool.
        location["logicalLocations"] = [{"name": unit, "kind": "translationUnit"}]
    result: dict[str, Any] = {
        "ruleId": issue.code,
        "level": LEVEL[issue.severity],
        "message": {"text": issue.message + (f" (suggestion: {issue.suggestion})"
                                             if issue.suggestion else "")},
        "locations": [location],
        "partialFingerprints": {"mtqaIssue/v1": fingerprint(issue, doc)},
        "properties": {"severity": issue.severity.value, "category": issue.category,
                       "name": issue.name},
    }
    if issue.code in index:
        result["ruleIndex"] = index[issue.code]
    fixes = _fixes(doc, issue)
    if fixes:
        result["fixes"] = fixes
    return result


def _fixes(doc: DocumentReport, issue: Issue) -> list[dict[str, Any]]:
    """SARIF ``fixes``: the edits of ``mtqa fix`` as replacements of regions of the
    target file (a removed debris line is shown as its text removed)."""
    if issue.fix is None or issue.target is None or not issue.fix.edits:
        return []
    home = issue.target.segment
    seg = doc.target.segments[home]
    replacements = []
    for edit in issue.fix.edits:
        where = doc.target.segments[home if edit.segment is None else edit.segment]
        start_line, start_col = where.position(edit.start)
        end_line, end_col = where.position(edit.end)
        replacements.append({
            "deletedRegion": {"startLine": start_line, "startColumn": start_col,
                              "endLine": end_line, "endColumn": end_col},
            "insertedContent": {"text": edit.replacement},
        })
    how = "mtqa fix" if issue.fix.safe else "mtqa fix --unsafe-fixes"
    return [{"description": {"text": f"{how}: {issue.fix.apply(seg.text, home)!r}"},
             "artifactChanges": [{"artifactLocation": _uri(path_of(doc.target, doc)),
                                  "replacements": replacements}]}]


def to_dict(report: Report) -> dict[str, Any]:
    rules, index = _rules(report)
    results = [_result(doc, issue, index) for doc in report.documents for issue in doc.issues]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mtqa", "version": __version__,
                                "semanticVersion": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{"executionSuccessful": True,
                             "properties": {"passed": report.passed}}],
            "properties": {"signature": report.signature,
                           "documents": [{"path": d.target.path, "passed": d.passed,
                                          "quality": round(d.scores.quality, 2),
                                          "reasons": list(d.reasons)}
                                         for d in report.documents]},
        }],
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
