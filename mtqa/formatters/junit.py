"""JUnit XML for CI test reports (GitLab, Jenkins, Azure): a test suite per document,
a test case per check that ran on it, and one ``gate`` case with the document's verdict.

A check's case fails when it found an issue at or above the gate's ``fail_on``
severity; lesser issues are listed in its ``system-out``. The ``gate`` case fails when
the document fails the gate (for its score or per-category limits too).

Every text from the checked files goes through ``escape.xml_text``: a control character
in a file name or a segment would otherwise make the XML ill-formed, and CI would drop
the whole report (ElementTree escapes ``<`` and ``&`` but writes controls as they are).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from mtqa.formatters.escape import xml_text
from mtqa.formatters.issues_common import (
    checks_run,
    fail_on,
    issue_unit,
    path_of,
    where,
)
from mtqa.model import DocumentReport, Issue, Report


def _line(issue: Issue, doc: DocumentReport) -> str:
    side, loc = where(issue, doc)
    pos = f":{loc.line}:{loc.column}" if loc else ""
    unit = issue_unit(issue, doc)
    in_unit = f" (unit {unit})" if unit is not None else ""
    return xml_text(f"{path_of(side, doc)}{pos}{in_unit}: {issue.code} "
                    f"[{issue.severity.value}] {issue.message}")


def render(report: Report) -> str:
    threshold = fail_on(report)
    codes = checks_run(report)
    suites = ET.Element("testsuites", name="mtqa")
    total_tests = total_failures = total_skipped = 0
    for doc in report.documents:
        name = xml_text(doc.target.path or "<text>")
        suite = ET.SubElement(suites, "testsuite", name=name)
        by_code: dict[str, list[Issue]] = {}
        for issue in doc.issues:
            by_code.setdefault(issue.code, []).append(issue)
        failures = skipped = 0
        cases = [c for c in codes] + [c for c in by_code if c not in codes]
        for code in cases:
            case = ET.SubElement(suite, "testcase", name=code, classname=name)
            if code in doc.skipped:
                # It never ran (no source, say): "passed" would claim it checked something.
                ET.SubElement(case, "skipped", message=f"{code} did not run on this "
                              "document (it needs a source, reference or glossary, or "
                              "another target language)")
                skipped += 1
                continue
            found = by_code.get(code, [])
            blocking = [i for i in found if i.severity >= threshold]
            if blocking:
                failures += 1
                failure = ET.SubElement(case, "failure", type=code,
                                        message=f"{len(blocking)} issue(s) at or above "
                                                f"{threshold.value}")
                failure.text = "\n".join(_line(i, doc) for i in blocking)
            rest = [i for i in found if i.severity < threshold]
            if rest:
                ET.SubElement(case, "system-out").text = "\n".join(_line(i, doc) for i in rest)
        case = ET.SubElement(suite, "testcase", name="gate", classname=name)
        if not doc.passed:
            failures += 1
            ET.SubElement(case, "failure", type="gate",
                          message=xml_text("; ".join(doc.reasons)) or "failed").text = \
                f"quality {doc.scores.quality:.1f}, penalty {doc.scores.penalty:.1f}"
        tests = len(cases) + 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_skipped += skipped
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("skipped", str(total_skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
