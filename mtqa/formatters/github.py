"""GitHub Actions workflow commands: one annotation per issue on the pull request.

``::error file=docs/en/a.md,line=3,col=5,endLine=3,endColumn=12,title=FL01 ...::message``.
Issues at or above the gate's ``fail_on`` severity are errors, the others warnings; a
document that fails the gate gets one error of its own with the reasons. Data is escaped as
the runner expects (``%``, CR, LF), and property values also escape ``:`` and ``,``.
"""
from __future__ import annotations

from mtqa.formatters.issues_common import all_issues, end_position, fail_on, path_of, where
from mtqa.model import Report


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: object) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items()
                      if v is not None)
    return f"::{kind} {fields}::{escape_data(message)}" if fields else \
        f"::{kind}::{escape_data(message)}"


def render(report: Report) -> str:
    threshold = fail_on(report)
    lines = []
    for doc, issue in all_issues(report):
        side, loc = where(issue, doc)
        props: dict[str, object] = {"file": path_of(side, doc)}
        if loc is not None and side is not None:
            end_line, end_col = end_position(side, loc)
            props.update(line=loc.line, col=loc.column, endLine=end_line, endColumn=end_col)
        props["title"] = f"{issue.code} {issue.name} ({issue.severity.value})"
        message = issue.message + (f" (suggestion: {issue.suggestion})" if issue.suggestion
                                   else "")
        lines.append(_command("error" if issue.severity >= threshold else "warning",
                              message, **props))
    for doc in report.documents:
        if not doc.passed:  # the verdict, with every reason (score, limits, severities)
            lines.append(_command("error", "mtqa gate failed: " + "; ".join(doc.reasons),
                                  file=doc.target.path or "<text>", title="mtqa gate"))
    return "".join(line + "\n" for line in lines)
