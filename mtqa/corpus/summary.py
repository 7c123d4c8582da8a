"""The corpus summary: counts, distributions and the worst pairs per check, computed in
one pass over the rows (memory: the duplicate keys seen, about 60 bytes a distinct pair
in a Python set of 64-bit integers, and a few rows per check), written as
``summary.json`` and a self-contained ``summary.html``, and shown in the terminal with
Rich.

The same pass writes the ``--keep`` subset, so ``duplicate`` (an earlier pair had the
same ``dup_key``) is decided in input order, whatever engine produced the rows.
"""
from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mtqa import __version__
from mtqa.corpus.job import Job
from mtqa.corpus.keep import Keep
from mtqa.corpus.output import KeptWriter, kept_paths, ordered_tables

WORST = 5  # pairs shown per check
QUALITY_BINS = (0, 50, 70, 80, 90, 95, 100)  # the last bin: exactly 100
COSINE_BINS = (-1.0, 0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
RATIO_BINS = (0.0, 0.25, 0.5, 0.8, 1.25, 2.0, 4.0)
ESTIMATE_BINS = (0.0, 1.0, 2.0, 5.0, 10.0, 25.0)
_SEVERITY_RANK = {"minor": 1, "major": 2, "critical": 3}


@dataclass
class Histogram:
    """Counts of a column's values in half-open bins ``[edges[i], edges[i+1])``; the
    last bin is open-ended. Nulls are counted apart."""

    edges: tuple[float, ...]
    last_label: str | None = None  # instead of "EDGE+" for the open-ended bin
    counts: list[int] = field(default_factory=list)
    nulls: int = 0
    total: float = 0.0
    n: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.edges)

    def add(self, value: float | None) -> None:
        if value is None or math.isnan(value):
            self.nulls += 1
            return
        self.n += 1
        self.total += value
        k = 0
        for i, edge in enumerate(self.edges):
            if value >= edge:
                k = i
        self.counts[k] += 1

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    def labels(self) -> list[str]:
        out = []
        for i, edge in enumerate(self.edges):
            top = self.edges[i + 1] if i + 1 < len(self.edges) else None
            if top is not None:
                out.append(f"{edge:g} to {top:g}")
            else:
                out.append(self.last_label or f"{edge:g}+")
        return out

    def to_dict(self) -> dict[str, Any]:
        mean = self.mean
        return {"bins": [{"label": label, "count": c}
                         for label, c in zip(self.labels(), self.counts)],
                "nulls": self.nulls, "mean": round(mean, 4) if mean is not None else None}


@dataclass
class Summary:
    """What the whole corpus looks like; ``to_dict`` is ``summary.json``."""

    inputs: list[dict[str, Any]]
    pairs: int = 0
    errors: int = 0
    kept: int | None = None
    keep: str | None = None
    duplicates: int = 0
    lang_mismatch: int = 0
    with_issues: int = 0
    severities: Counter[str] = field(default_factory=Counter)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    worst: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    error_examples: list[dict[str, Any]] = field(default_factory=list)
    quality: Histogram = field(default_factory=lambda: Histogram(QUALITY_BINS, "100"))
    cosine: Histogram = field(default_factory=lambda: Histogram(COSINE_BINS))
    length_ratio: Histogram = field(default_factory=lambda: Histogram(RATIO_BINS))
    estimate: Histogram = field(default_factory=lambda: Histogram(ESTIMATE_BINS))

    @property
    def read(self) -> int:
        """Everything read: pairs checked plus error rows."""
        return self.pairs + self.errors

    def worst_rows(self, code: str) -> list[dict[str, Any]]:
        """The worst pairs with an issue of check ``code``, worst first."""
        return [entry[-1] for entry in sorted(self.worst.get(code, []), reverse=True)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "mtqa.corpus-summary/1", "mtqa": __version__,
            "inputs": self.inputs, "read": self.read, "pairs": self.pairs,
            "errors": self.errors, "kept": self.kept, "keep": self.keep,
            "duplicates": self.duplicates, "lang_mismatch": self.lang_mismatch,
            "with_issues": self.with_issues, "severities": dict(self.severities),
            "checks": {code: {**info, "worst": self.worst_rows(code)}
                       for code, info in sorted(self.checks.items())},
            "error_examples": self.error_examples,
            "distributions": {"quality": self.quality.to_dict(), "cosine": self.cosine.to_dict(),
                              "length_ratio": self.length_ratio.to_dict(),
                              "estimate": self.estimate.to_dict()},
        }


def _clip(text: str | None, limit: int = 300) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit] + "…"


def summarise(job: Job, keep: Keep | None = None) -> Summary:
    """One pass over ``OUT/rows`` in input order: the summary, and the kept files."""
    inputs: list[dict[str, Any]] = [{"path": s.path, "format": s.format, "source_lang": s.source_lang,
               "target_lang": s.target_lang, "pairs": 0, "errors": 0,
               "kept": 0 if keep else None} for s in job.inputs]
    summary = Summary(inputs, keep=keep.text if keep else None, kept=0 if keep else None)
    writers: dict[int, KeptWriter] = {}
    paths = kept_paths(job)
    seen: set[int] = set()
    number_of = {s.path: n for n, s in enumerate(job.inputs)}
    order = 0  # ties in the worst lists go to the earlier pair
    try:
        for table in ordered_tables(job.rows_dir):
            for row in table.to_pylist():
                order += 1
                n = number_of[row["input"]]
                entry = inputs[n]
                if row["error"] is not None:
                    summary.errors += 1
                    entry["errors"] += 1
                    if len(summary.error_examples) < 20:
                        summary.error_examples.append(
                            {"input": job.inputs[n].path, "index": row["index"],
                             "id": row["id"], "error": row["error"]})
                    continue
                summary.pairs += 1
                entry["pairs"] += 1
                key = int(row["dup_key"], 16)
                row["duplicate"] = key in seen
                seen.add(key)
                _count(summary, row, order, job.inputs[n].path)
                if keep is not None and keep(row):
                    if n not in writers:
                        writers[n] = KeptWriter(job.inputs[n], paths[n])
                    writers[n].add(row)
                    entry["kept"] += 1
                    summary.kept = (summary.kept or 0) + 1
    finally:
        for writer in writers.values():
            writer.close()
    if keep is not None:  # an input with nothing kept still gets its (empty) file
        for n, source in enumerate(job.inputs):
            if n not in writers:
                KeptWriter(source, paths[n]).close()
    return summary


def _count(summary: Summary, row: dict[str, Any], order: int, path: str) -> None:
    if row["duplicate"]:
        summary.duplicates += 1
    if row["lang_ok"] is False:
        summary.lang_mismatch += 1
    summary.quality.add(row["quality"])
    summary.cosine.add(row["cosine"])
    summary.length_ratio.add(row["length_ratio"])
    summary.estimate.add(row["estimate"])
    issues = row["issues"] or []
    if issues:
        summary.with_issues += 1
    points = row["estimate"] if row["estimate"] is not None else row["penalty"]
    for code in dict.fromkeys(i["code"] for i in issues):
        mine = [i for i in issues if i["code"] == code]
        info = summary.checks.setdefault(code, {"pairs": 0, "issues": 0,
                                                "category": mine[0]["category"]})
        info["pairs"] += 1
        info["issues"] += len(mine)
        worst_sev = max(_SEVERITY_RANK.get(i["severity"], 0) for i in mine)
        shown = {"input": path, "index": row["index"], "id": row["id"],
                 "source": _clip(row["source"]), "target": _clip(row["target"]),
                 "message": _clip(mine[0]["message"]), "severity": mine[0]["severity"],
                 "points": points, "quality": row["quality"]}
        heap = summary.worst.setdefault(code, [])
        item = (worst_sev, points or 0.0, -order, shown)
        if len(heap) < WORST:
            heapq.heappush(heap, item)
        elif item[:3] > heap[0][:3]:
            heapq.heapreplace(heap, item)
    for issue in issues:
        summary.severities[issue["severity"]] += 1


def write_summary(summary: Summary, job: Job, generated: datetime | None = None) -> None:
    """``OUT/summary.json`` and ``OUT/summary.html``."""
    (job.out / "summary.json").write_text(
        json.dumps(summary.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    (job.out / "summary.html").write_text(render_html(summary, job, generated),
                                          encoding="utf-8")


def render_html(summary: Summary, job: Job, generated: datetime | None = None) -> str:
    """The summary as one self-contained page: no script, no network (a CSP says so),
    every value escaped by Jinja2's autoescaping."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from mtqa.checks.registry import find

    env = Environment(loader=PackageLoader("mtqa", "formatters/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    data = summary.to_dict()
    names = {}
    for code in summary.checks:
        cls = find(code)
        names[code] = cls.name if cls is not None else code
    generated = generated or datetime.now(timezone.utc)
    return env.get_template("corpus.html.j2").render(
        s=data, names=names, job=job, version=__version__,
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        distributions=[(title, data["distributions"][key], _bars(data["distributions"][key]))
                       for key, title in (("quality", "Quality"), ("estimate", "MQM estimate"),
                                          ("cosine", "Cosine similarity"),
                                          ("length_ratio", "Length ratio (target/source)"))])


def _bars(dist: dict[str, Any]) -> list[tuple[str, int, float]]:
    top = max([b["count"] for b in dist["bins"]] + [1])
    return [(b["label"], b["count"], round(100.0 * b["count"] / top, 1)) for b in dist["bins"]]


def renderables(summary: Summary) -> Sequence[Any]:
    """Rich renderables of the summary for the terminal."""
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    head = Text()
    head.append(f"{summary.read:,} read: {summary.pairs:,} pairs, ", style="bold")
    head.append(f"{summary.errors:,} error rows", style="red" if summary.errors else "")
    head.append(f"; {summary.with_issues:,} with issues, {summary.duplicates:,} duplicates, "
                f"{summary.lang_mismatch:,} in an unexpected language")
    if summary.kept is not None:
        head.append(f"; kept {summary.kept:,}", style="green")
    out.append(head)
    inputs = Table(title="Inputs", title_justify="left")
    for column in ("input", "format", "languages", "pairs", "errors", "kept"):
        inputs.add_column(column, justify="right" if column in ("pairs", "errors", "kept")
                          else "left")
    for entry in summary.inputs:
        inputs.add_row(entry["path"], entry["format"],
                       f"{entry['source_lang']}→{entry['target_lang']}", f"{entry['pairs']:,}",
                       f"{entry['errors']:,}",
                       "-" if entry["kept"] is None else f"{entry['kept']:,}")
    out.append(inputs)
    if summary.checks:
        checks = Table(title="Issues by check", title_justify="left")
        for column in ("code", "category", "pairs", "share", "worst example"):
            checks.add_column(column, justify="right" if column in ("pairs", "share") else "left",
                              overflow="fold")
        for code, info in sorted(summary.checks.items(), key=lambda kv: -kv[1]["pairs"]):
            worst = summary.worst_rows(code)
            example = _clip(worst[0]["target"], 80) if worst else ""
            checks.add_row(code, info["category"], f"{info['pairs']:,}",
                           f"{100.0 * info['pairs'] / max(1, summary.pairs):.1f}%",
                           Text(example))
        out.append(checks)
    means = []
    for title, hist in (("quality", summary.quality), ("estimate", summary.estimate),
                        ("cosine", summary.cosine), ("length ratio", summary.length_ratio)):
        if hist.mean is not None:
            means.append(f"mean {title} {hist.mean:.3g}")
    if means:
        out.append(Text("; ".join(means)))
    return out


def written(job: Job, keep: Keep | None) -> list[Path]:
    """The files a run leaves for its user."""
    out = [job.rows_dir, job.out / "summary.html", job.out / "summary.json"]
    if keep is not None:
        out.append(job.out / "kept")
    return out
