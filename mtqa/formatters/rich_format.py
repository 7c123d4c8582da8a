"""The terminal report: a summary panel, an issues table, and (``--show-segments``) the
document segment by segment with the flagged spans highlighted.

Text from the checked files goes through ``escape.terminal``: an escape sequence in a
segment or a file name is shown, never sent to the terminal."""
from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mtqa.formatters.escape import terminal
from mtqa.formatters.issues_common import issue_unit, unit_id
from mtqa.model import DocumentReport, Issue, Report, Severity

SEVERITY_STYLE = {Severity.MINOR: "yellow", Severity.MAJOR: "red", Severity.CRITICAL: "bold white on red"}


def renderables(report: Report, show_segments: bool = False) -> list[Any]:
    """The Rich renderables of a report, in order."""
    out: list[Any] = []
    for doc in report.documents:
        out.append(_summary(doc))
        if doc.issues:
            out.append(_IssuesTable(doc))
        if show_segments:
            out.append(_segments(doc))
    out.append(Text(report.signature, style="dim"))
    # The verdict again, last: the panel at the top has scrolled away after a long
    # issue table or --show-segments.
    out.append(_final_verdict(report))
    return out


def _final_verdict(report: Report) -> Text:
    docs = report.documents
    issues = sum(len(d.issues) for d in docs)
    out = Text("Verdict: ", style="bold")
    out.append("PASSED" if report.passed else "FAILED",
               style="bold green" if report.passed else "bold red")
    if len(docs) == 1:
        out.append(f" (quality {docs[0].scores.quality:.1f}, {issues} issue(s))")
        if docs[0].reasons:
            out.append(": " + "; ".join(docs[0].reasons), style="red")
    else:
        failed = sum(1 for d in docs if not d.passed)
        out.append(f" ({len(docs)} documents, {failed} failed, {issues} issue(s))")
    return out


def render(report: Report, show_segments: bool = False, width: int = 120,
           color: bool = False) -> str:
    """The report as text (ANSI colours only when ``color``)."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      highlight=False, emoji=False)
    for item in renderables(report, show_segments):
        console.print(item)
    return buf.getvalue()


def _name(doc: DocumentReport) -> str:
    return terminal(doc.target.path or "<text>")


def _summary(doc: DocumentReport) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    langs = f"{doc.source.lang} → {doc.target.lang}" if doc.source else f"{doc.target.lang} (target only)"
    grid.add_row("Document", Text(_name(doc)))
    if doc.source is not None and doc.source.path != doc.target.path:
        grid.add_row("Source", Text(terminal(doc.source.path or "<text>")))
    if doc.reference is not None and doc.reference.path != doc.target.path:
        grid.add_row("Reference", Text(terminal(doc.reference.path or "<text>")))
    grid.add_row("Languages", langs)
    grid.add_row("Segments", f"{len(doc.target.segments)} target"
                 + (f", {len(doc.source.segments)} source" if doc.source else "")
                 + f"; {len(doc.alignment)} beads")
    grid.add_row("Words", str(doc.scores.words))
    by_sev = Counter(i.severity for i in doc.issues)
    sev = ", ".join(f"[{SEVERITY_STYLE[s]}]{by_sev[s]} {s.value}[/]" for s in
                    (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR) if by_sev[s]) or "none"
    grid.add_row("Issues", Text.from_markup(f"{len(doc.issues)} ({sev})"))
    by_cat = Counter(i.category for i in doc.issues)
    if by_cat:
        grid.add_row("By category", Text(terminal(", ".join(f"{c} {n}" for c, n in
                                                            by_cat.most_common()))))
    grid.add_row("MQM penalty", f"{doc.scores.penalty:.1f}")
    grid.add_row("Quality", f"{doc.scores.quality:.1f} / 100")
    for key in ("bleu", "chrf", "ter"):
        if key in doc.metrics:
            grid.add_row(key.upper() if key != "chrf" else "chrF++", f"{doc.metrics[key]:.1f}")
    verdict = Text("PASSED", style="bold green") if doc.passed else Text("FAILED", style="bold red")
    if doc.reasons:
        verdict.append(" (" + terminal("; ".join(doc.reasons)) + ")", style="red")
    grid.add_row("Verdict", verdict)
    return Panel(grid, title="mtqa", border_style="green" if doc.passed else "red", expand=False)


class _IssuesTable:
    """The issues of a document, laid out for the width it is printed at: one column per
    field on a wide terminal; at under ``NARROW`` columns, three columns with the text,
    message and fix stacked in the last, so that no column shrinks to a character."""

    NARROW = 100

    def __init__(self, doc: DocumentReport) -> None:
        self.doc = doc

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < self.NARROW:
            yield _narrow_table(self.doc)
        else:
            yield _wide_table(self.doc)


def _where(issue: Issue, doc: DocumentReport) -> Text:
    """``line:col``, and the unit id of a localisation file under it."""
    where = issue.target or issue.source
    out = Text(f"{where.line}:{where.column}" if where else "-")
    unit = issue_unit(issue, doc)
    if unit is not None:
        out.append(f"\n{unit}", style="cyan")
    return out


def _wide_table(doc: DocumentReport) -> Table:
    # A Text title: a file name such as "notes[red].md" is not Rich markup.
    table = Table(title=Text(f"Issues in {_name(doc)}", style="bold"), show_lines=False,
                  expand=True)
    table.add_column("Code", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Category", max_width=24, overflow="fold")
    table.add_column("Line:Col", overflow="fold", justify="right", min_width=8)
    table.add_column("Text", overflow="fold", ratio=2, min_width=12)
    table.add_column("Message", overflow="fold", ratio=3, min_width=16)
    table.add_column("Fix", overflow="fold", ratio=1, min_width=10)
    for issue in doc.issues:
        where = issue.target or issue.source
        text = _clip(where.text if where else "", 60)
        table.add_row(issue.code, Text(issue.severity.value, style=SEVERITY_STYLE[issue.severity]),
                      terminal(issue.category), _where(issue, doc), Text(terminal(text)),
                      Text(terminal(issue.message)), Text(terminal(issue.suggestion or "")))
    return table


def _narrow_table(doc: DocumentReport) -> Table:
    table = Table(title=Text(f"Issues in {_name(doc)}", style="bold"), show_lines=True,
                  expand=True)
    table.add_column("Code", no_wrap=True)
    table.add_column("Where", overflow="fold", max_width=16)
    table.add_column("Issue", overflow="fold", ratio=1)
    for issue in doc.issues:
        where = issue.target or issue.source
        code = Text(issue.code + "\n")
        code.append(issue.severity.value, style=SEVERITY_STYLE[issue.severity])
        body = Text(issue.message)
        if where is not None and where.text:
            body.append("\n" + _clip(where.text, 60), style="dim")
        if issue.suggestion:
            body.append("\nfix: ", style="bold")
            body.append(issue.suggestion)
        body.append(f"\n{issue.category}", style="dim")
        table.add_row(code, _where(issue, doc), body)
    return table


def rounded_to_sum(values: Sequence[float], digits: int = 1) -> list[float]:
    """``values`` rounded to ``digits`` decimals so that they add up to their sum rounded
    the same way (largest remainders get the spare units), as the report shows both."""
    if not values:
        return []
    scale = 10 ** digits
    exact = [v * scale for v in values]
    floors = [math.floor(x) for x in exact]
    spare = round(sum(exact)) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:max(0, spare)]:
        floors[i] += 1
    return [f / scale for f in floors]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _segments(doc: DocumentReport) -> Group:
    spans: dict[int, list[Issue]] = {}
    for issue in doc.issues:
        if issue.target is not None:
            spans.setdefault(issue.target.segment, []).append(issue)
    rows = []
    shown = rounded_to_sum(doc.scores.segments)
    for b, bead in enumerate(doc.alignment):
        header = Text(f"#{b + 1}", style="bold cyan")
        unit = unit_id(doc.target, bead.target[0]) if bead.target else None
        if unit is not None:
            header.append(f"  {unit}", style="cyan")
        if b < len(shown) and shown[b]:
            header.append(f"  penalty {shown[b]:.1f}", style="red")
        if not bead.target:
            header.append("  omitted in the translation", style="bold red")
        if not bead.source and doc.source is not None:
            header.append("  no source", style="magenta")
        rows.append(header)
        if doc.source is not None:
            for s in bead.source:
                rows.append(Text("  src  ", style="dim") + Text(terminal(doc.source.segments[s].text),
                                                              style="dim"))
        for t in bead.target:
            line = Text(terminal(doc.target.segments[t].text))
            for issue in spans.get(t, []):
                loc = issue.target
                assert loc is not None
                if loc.end > loc.start:
                    line.stylize(f"underline {SEVERITY_STYLE[issue.severity]}", loc.start, loc.end)
            rows.append(Text("  tgt  ", style="bold") + line)
            for issue in spans.get(t, []):
                rows.append(Text(f"         {issue.code} {terminal(issue.message)}",
                                 style=SEVERITY_STYLE[issue.severity]))
    return Group(*rows)
