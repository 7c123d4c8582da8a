"""A Markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: the
verdict, a table of documents, and the issues of each document in a collapsed list.

The comment is posted under the bot's name, so nothing from the checked files may turn
into Markdown: every path, flagged text, message and reason is a code span, where
GitHub renders no link, image, HTML or @mention (a mention would notify that user, an
image would load from a server the pull request's author chose)."""
from __future__ import annotations

import html
from collections import Counter

from mtqa.formatters.escape import plain
from mtqa.formatters.issues_common import where
from mtqa.model import Report, Severity

MAX_ISSUES_SHOWN = 50  # per document: a comment has a size limit (65536 on GitHub)


def _code(text: str) -> str:
    """``text`` as a code span that fits in a table cell: on one line, no backtick to
    close it early, ``|`` escaped for the table (GitHub unescapes it inside the span)."""
    text = " ".join(plain(text).split()).replace("`", "'").replace("|", "\\|")
    return f"`{text}`" if text else ""


def _html_code(text: str) -> str:
    """``text`` inside the ``<summary>`` HTML block, where Markdown is not parsed."""
    return f"<code>{html.escape(' '.join(plain(text).split()))}</code>"


def render(report: Report) -> str:
    docs = report.documents
    failed = [d for d in docs if not d.passed]
    issues = sum(len(d.issues) for d in docs)
    verdict = "✅ passed" if report.passed else f"❌ failed ({len(failed)} of {len(docs)} documents)"
    out = [f"## mtqa: {verdict}", "",
           f"{len(docs)} document(s) checked, {issues} issue(s).", ""]
    if docs:
        out += ["| File | Critical | Major | Minor | Quality | Verdict |",
                "|---|---:|---:|---:|---:|---|"]
        for d in docs:
            by = Counter(i.severity for i in d.issues)
            v = "pass" if d.passed else "**fail**: " + _code("; ".join(d.reasons))
            out.append(f"| {_code(d.target.path or '<text>')} | "
                       + " | ".join(str(by[s]) for s in (Severity.CRITICAL, Severity.MAJOR,
                                                         Severity.MINOR))
                       + f" | {d.scores.quality:.1f} | {v} |")
        out.append("")
    for d in docs:
        if not d.issues:
            continue
        out += [f"<details><summary>{_html_code(d.target.path or '<text>')}: "
                f"{len(d.issues)} issue(s)</summary>", "",
                "| Line | Code | Severity | Text | Message |", "|---:|---|---|---|---|"]
        for issue in d.issues[:MAX_ISSUES_SHOWN]:
            _, loc = where(issue, d)
            out.append(f"| {loc.line if loc else '-'} | {issue.code} | {issue.severity.value} "
                       f"| {_code(loc.text[:80]) if loc else ''} | {_code(issue.message)} |")
        if len(d.issues) > MAX_ISSUES_SHOWN:
            out.append(f"\n… and {len(d.issues) - MAX_ISSUES_SHOWN} more.")
        out += ["", "</details>", ""]
    out.append(f"<sub>{_html_code(report.signature)}</sub>")
    return "\n".join(out) + "\n"
