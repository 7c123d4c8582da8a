"""A summary table: one row per document with its issue counts, quality and verdict.

``mtqa gate`` prints it after checking a repository (only the documents with issues in
CI, where logs should stay short).

Everything taken from the checked files (paths, messages, reasons) goes through
``escape.plain``/``escape.log_line``: this output is a CI log, and a newline in a file
name or a glossary note must not start a workflow command there."""
from __future__ import annotations

import io
from collections import Counter

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtqa.formatters.escape import log_line
from mtqa.formatters.escape import plain as one_line
from mtqa.model import Report, Severity


def table(report: Report, only_with_issues: bool = False, plain: bool = False) -> Table:
    """The Rich table; ``plain`` draws it in ASCII without colours, for logs."""
    out = Table(box=box.ASCII if plain else box.SIMPLE_HEAD, show_footer=False,
                title=None if plain else "mtqa gate")
    width = max((len(d.target.path or "") for d in report.documents), default=12)
    out.add_column("File", overflow="fold", min_width=min(width, 60))
    for col in ("Critical", "Major", "Minor", "Quality"):
        out.add_column(col, justify="right", no_wrap=True, min_width=len(col))
    out.add_column("Verdict", overflow="fold", ratio=1)
    shown = 0
    for doc in report.documents:
        if only_with_issues and not doc.issues and doc.passed:
            continue
        shown += 1
        by = Counter(i.severity for i in doc.issues)
        verdict = Text("pass", style="green") if doc.passed else Text("FAIL", style="bold red")
        if doc.reasons:
            verdict.append(": " + one_line("; ".join(doc.reasons)), style="red")
        out.add_row(Text(one_line(doc.target.path or "<text>")),
                    *(str(by[s]) if by[s] else "-" for s in
                      (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)),
                    f"{doc.scores.quality:.1f}", verdict)
    return out if shown else Table(box=None, show_header=False)


def issue_lines(report: Report, limit: int = 200) -> list[str]:
    """``path:line:col: CODE [severity] message``, as compilers write, for logs and
    editors; at most ``limit`` lines."""
    out = []
    for doc in report.documents:
        for issue in doc.issues:
            loc = issue.target or issue.source
            side = doc.target if issue.target is not None else doc.source
            path = (side.path if side is not None else None) or doc.target.path or "<text>"
            pos = f":{loc.line}:{loc.column}" if loc else ""
            out.append(log_line(f"{path}{pos}: {issue.code} [{issue.severity.value}] "
                                f"{issue.message}"))
    if len(out) > limit:
        out = out[:limit] + [f"... and {len(out) - limit} more issue(s)"]
    return out


def totals(report: Report, command: str = "mtqa gate") -> str:
    """One line: documents, issues, failures, introduced by ``command``."""
    docs = report.documents
    failed = sum(1 for d in docs if not d.passed)
    issues = sum(len(d.issues) for d in docs)
    verdict = "passed" if report.passed else f"FAILED ({failed} of {len(docs)} document(s))"
    return f"{command}: {len(docs)} document(s), {issues} issue(s): {verdict}"


def render(report: Report) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=120, no_color=True, highlight=False, emoji=False)
    for line in issue_lines(report):
        console.print(line, markup=False, soft_wrap=True)
    console.print(table(report, plain=True))
    # A report of its own (`mtqa check --format summary`, `gate -o summary=...`): it
    # speaks for the run, not for `mtqa gate`.
    console.print(totals(report, "mtqa"))
    return buf.getvalue()
