"""The HTML report: one self-contained page for reviewing a translation side by side.

The page has a header per document (verdict and why, MQM penalty, quality, metrics), a
chart of the issues by category and severity, a strip of the penalty per bead along the
document (a click jumps to the bead), and the side-by-side view: one row per aligned bead
(source | translation | reference) with the flagged spans highlighted, filters, a search
and keyboard navigation from issue to issue.

How it is built, and why:
- Jinja2 (imported only here, and only when an HTML report is asked for) renders the
  page with autoescaping on, so every path, message and language code is escaped.
- The document text does not go into HTML markup: each document's segments, beads and
  issues are embedded as JSON in a ``<script type="application/json">`` element, and the
  page's script builds the rows of the current page with ``textContent`` (never
  ``innerHTML``). That keeps a 10,000-bead report small and quick to filter. In the JSON,
  ``<``, ``>``, ``&`` and U+2028/U+2029 are written as ``\\uXXXX`` escapes, so a segment
  containing ``</script>`` cannot end the element early.
- Above ``COMPRESS_OVER`` bytes of JSON a document's data is stored gzip-compressed and
  base64-encoded (decompressed by the browser's ``DecompressionStream``), which keeps a
  10,000-bead report with source and reference under 5 MB.
- A Content-Security-Policy meta tag allows no network access at all and only the one
  inline script whose hash it names: a page that escaped something wrongly still could
  not run it. ``base-uri 'none'`` stops an injected ``<base>`` from redirecting relative
  links, ``form-action 'none'`` stops an injected form from posting anywhere, and Trusted
  Types (in browsers that have them) turn any string-to-HTML sink into an error: the
  script builds its DOM with ``textContent`` and never needs one.
"""
from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Any

from mtqa.formatters.issues_common import issue_unit
from mtqa.model import Bead, Document, DocumentReport, Issue, Report, Severity
from mtqa.version import __version__

# Bytes of JSON data per document above which it is stored gzip+base64 (about 1,500
# beads of news text with source and reference); smaller reports stay plain text.
COMPRESS_OVER = 1_000_000
GZIP_LEVEL = 6
# The penalty strip draws at most this many cells; longer documents are binned, each cell
# showing the worst bead in it.
STRIP_CELLS = 600
# Display order, worst first; the JSON data encodes severities by rank - 1.
SEVERITIES = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
_SEV_CODE = {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRITICAL: 2}
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def render(report: Report, *, generated: datetime | None = None,
           compress_over: int = COMPRESS_OVER) -> str:
    """The report as one self-contained HTML page.

    ``generated`` is the time shown in the header (default: ``SOURCE_DATE_EPOCH`` when
    set, for reproducible builds, else now). Document data over ``compress_over`` bytes
    of JSON is embedded gzip-compressed.
    """
    env = _environment()
    script = env.loader.get_source(env, "report.js")[0]
    style = env.loader.get_source(env, "report.css")[0]
    # Our own assets must not be able to close their element either.
    assert "</script" not in script.lower() and "</style" not in style.lower()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    from markupsafe import Markup

    docs = [_document_view(d, n + 1, compress_over) for n, d in enumerate(report.documents)]
    when = generated or _now()
    title = ("mtqa report: " + docs[0]["name"]) if len(docs) == 1 else \
        f"mtqa report: {len(docs)} documents"
    return env.get_template("report.html.j2").render(
        title=title,
        docs=docs,
        report=report,
        version=__version__,
        generated=when.astimezone(timezone.utc),
        gate=_gate_text(report.settings),
        failed=sum(1 for d in report.documents if not d.passed),
        style=Markup(style),
        script=Markup(script),
        script_hash=digest,
        metric_signatures=next((sorted(d.metrics["signatures"].items())
                                for d in report.documents if d.metrics.get("signatures")), []),
    )


def json_for_script(value: Any) -> str:
    """``value`` as JSON that is safe inside an HTML ``<script>`` element."""
    return _escape_json(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _escape_json(text: str) -> str:
    # Inside a JSON string these characters can always be \u escapes, and outside strings
    # JSON has none of them; str.replace is many times faster than str.translate here.
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text


def default_path(report: Report, folder: str = "reports") -> PurePath:
    """Where ``mtqa check --format html`` writes when no ``--output`` is given:
    ``reports/<document-name>.html`` (``+N`` more documents added to the name)."""
    first = report.documents[0].target.path if report.documents else None
    stem = PurePath(first).stem if first and first != "-" else "report"  # "-": stdin
    more = len(report.documents) - 1
    return PurePath(folder) / (f"{stem}+{more}.html" if more > 0 else f"{stem}.html")


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2  # lazy: only HTML reports need it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mtqa.formatters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["n"] = lambda value: f"{value:,}"  # 10,000 beads, not 10000
    return env


def _now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def _gate_text(settings: dict[str, Any]) -> str:
    fail_on, fail_under = settings.get("fail_on"), settings.get("fail_under")
    parts = []
    if fail_on:
        parts.append(f"an issue of severity {fail_on} or worse")
    if fail_under is not None:
        parts.append(f"quality under {fail_under:g}")
    return "A document fails on " + " or ".join(parts) + "." if parts else ""


def _name(doc: Document | None) -> str:
    return (doc.path or "(text)") if doc is not None else ""


def _bead_maps(alignment: Sequence[Bead]) -> tuple[dict[int, int], dict[int, int]]:
    of_target = {t: b for b, bead in enumerate(alignment) for t in bead.target}
    of_source = {s: b for b, bead in enumerate(alignment) for s in bead.source}
    return of_target, of_source


def bead_of(issue: Issue, of_target: dict[int, int], of_source: dict[int, int]) -> int | None:
    """The bead an issue is shown in: that of its target segment, else of its source."""
    if issue.target is not None and issue.target.segment in of_target:
        return of_target[issue.target.segment]
    if issue.source is not None and issue.source.segment in of_source:
        return of_source[issue.source.segment]
    return None


def _level(penalty: float) -> str:
    """The severity a penalty amounts to, for colouring (minor < 5 <= major < 25)."""
    if penalty <= 0:
        return "none"
    return "minor" if penalty < 5 else "major" if penalty < 25 else "critical"


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value != int(value) else f"{int(value)}"


def _document_view(d: DocumentReport, number: int, compress_over: int) -> dict[str, Any]:
    did = f"d{number}"
    of_target, of_source = _bead_maps(d.alignment)
    beads = [bead_of(i, of_target, of_source) for i in d.issues]
    by_sev = Counter(i.severity for i in d.issues)
    raw = json.dumps(_data(d, did, beads), ensure_ascii=False, separators=(",", ":"))
    encoded = raw.encode("utf-8")
    if len(encoded) > compress_over:
        payload = base64.b64encode(gzip.compress(encoded, compresslevel=GZIP_LEVEL,
                                                 mtime=0)).decode("ascii")
        encoding = "gzip+base64"
    else:
        payload, encoding = _escape_json(raw), "json"
    penalties = list(d.scores.segments) + [0.0] * (len(d.alignment) - len(d.scores.segments))
    bilingual_file = d.source is not None and d.source.path == d.target.path
    return {
        "id": did,
        "name": _name(d.target),
        "source": None if d.source is None else
        ("(in the same file)" if bilingual_file else _name(d.source)),
        "reference": None if d.reference is None else
        ("(in the same file)" if d.reference.path == d.target.path else _name(d.reference)),
        "langs": {"source": d.source.lang if d.source else None, "target": d.target.lang,
                  "reference": d.reference.lang if d.reference else None},
        "passed": d.passed,
        "reasons": list(d.reasons),
        "beads": len(d.alignment),
        "segments": len(d.target.segments),
        "words": d.scores.words,
        "penalty": f"{d.scores.penalty:,.1f}",
        "quality": f"{d.scores.quality:.1f}",
        "issues": len(d.issues),
        "by_severity": [(s.value, by_sev[s], _SEV_CODE[s]) for s in SEVERITIES],
        "metrics": _metrics(d.metrics),
        "categories": _category_rows(d.issues),
        "codes": _code_rows(d.issues),
        "strip": _strip(penalties),
        # Beads with an issue, not with an estimated penalty: with an encoder every bead
        # gets an estimate above 0.
        "flagged_beads": len({b for b in beads if b is not None}),
        "loose": [_loose(i, did, n + 1, issue_unit(i, d))
                  for n, (i, b) in enumerate(zip(d.issues, beads)) if b is None],
        "omissions": sum(1 for b in d.alignment if not b.target),
        "additions": sum(1 for b in d.alignment if not b.source) if d.source else 0,
        "data": payload,
        "encoding": encoding,
    }


def _metrics(metrics: dict[str, Any]) -> list[dict[str, str]]:
    labels = (("bleu", "BLEU", "higher is better"), ("chrf", "chrF++", "higher is better"),
              ("ter", "TER", "lower is better"))
    return [{"key": k, "label": label, "value": f"{float(metrics[k]):.1f}", "hint": hint}
            for k, label, hint in labels if isinstance(metrics.get(k), (int, float))]


def _category_rows(issues: Sequence[Issue]) -> list[dict[str, Any]]:
    counts: dict[str, Counter[Severity]] = {}
    for issue in issues:
        counts.setdefault(issue.category, Counter())[issue.severity] += 1
    top = max((sum(c.values()) for c in counts.values()), default=0)
    rows = []
    for category, c in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        total = sum(c.values())
        rows.append({
            "category": category,
            "total": total,
            "counts": [(s.value, c[s]) for s in SEVERITIES],
            # widths in % of the widest bar, per severity, for the stacked bar
            "bars": [(s.value, round(100 * c[s] / top, 2)) for s in SEVERITIES if c[s]],
        })
    return rows


def _code_rows(issues: Sequence[Issue]) -> list[dict[str, Any]]:
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for issue in issues:
        names.setdefault(issue.code, issue.name)
        counts[issue.code] += 1
    return [{"code": c, "name": names[c], "count": counts[c]} for c in sorted(counts)]


def _strip(penalties: Sequence[float]) -> dict[str, Any]:
    """Cells of the penalty strip: one per bead, or per bin of beads when there are more
    than ``STRIP_CELLS``; a cell shows the worst bead in it."""
    n = len(penalties)
    cells = min(n, STRIP_CELLS)
    out = []
    for k in range(cells):
        lo, hi = k * n // cells, (k + 1) * n // cells
        worst = max(range(lo, hi), key=lambda b: (penalties[b], -b))
        if penalties[worst] > 0:
            label = (f"Bead {worst + 1:,}: penalty {_fmt(penalties[worst])}" if hi - lo == 1 else
                     f"Beads {lo + 1:,}–{hi:,}: worst is bead {worst + 1:,}, "
                     f"penalty {_fmt(penalties[worst])}")
            out.append({"x": k, "bead": worst + 1, "level": _level(penalties[worst]),
                        "label": label})
    return {"cells": cells, "flagged": out, "beads": n}


def _loose(issue: Issue, did: str, number: int, unit: str | None = None) -> dict[str, Any]:
    return {"id": f"{did}-i{number}", "code": issue.code, "name": issue.name,
            "category": issue.category, "severity": issue.severity.value,
            "message": issue.message, "suggestion": issue.suggestion, "unit": unit}


def _proposed(issue: Issue, doc: Document) -> list[Any] | None:
    """``[text, safe]``: the target segment as ``mtqa fix`` would write it (an empty text
    for a line it removes), and whether the fix is applied without ``--unsafe-fixes``."""
    if issue.fix is None or issue.target is None or not issue.fix.edits:
        return None
    text = issue.fix.apply(doc.segments[issue.target.segment].text, issue.target.segment)
    return [text, issue.fix.safe]


def _side(doc: Document | None) -> tuple[list[str] | None, list[int] | None]:
    if doc is None:
        return None, None
    return [s.text for s in doc.segments], [s.line for s in doc.segments]


def _location(loc: Any) -> list[int] | None:
    return None if loc is None else [loc.segment, loc.start, loc.end]


def _data(d: DocumentReport, did: str, beads: Sequence[int | None]) -> dict[str, Any]:
    """The JSON the page's script reads. Compact on purpose (it is most of the file):
    beads are ``[source indices, target indices, reference indices, penalty]``; issues
    have short keys: c code, s severity (0 minor, 1 major, 2 critical), k category index,
    m message, g suggestion, x ``[proposed segment text, safe]`` of a fix, u unit id
    (localisation files), b bead, t/o target/source ``[segment, start, end]`` (offsets
    in code points), l ``[line, column]``."""
    src, src_lines = _side(d.source)
    tgt, tgt_lines = _side(d.target)
    ref, ref_lines = _side(d.reference)
    categories = sorted({i.category for i in d.issues})
    cat_index = {c: n for n, c in enumerate(categories)}
    names = {i.code: i.name for i in d.issues}
    penalties = d.scores.segments
    issues = []
    for issue, bead in zip(d.issues, beads):
        where = issue.target or issue.source
        item: dict[str, Any] = {"c": issue.code, "s": _SEV_CODE[issue.severity],
                                "k": cat_index[issue.category], "m": issue.message}
        if issue.suggestion:
            item["g"] = issue.suggestion
        proposed = _proposed(issue, d.target)
        if proposed is not None:
            item["x"] = proposed
        unit = issue_unit(issue, d)
        if unit is not None:
            item["u"] = unit
        if bead is not None:
            item["b"] = bead
        if issue.target is not None:
            item["t"] = _location(issue.target)
        if issue.source is not None:
            item["o"] = _location(issue.source)
        if where is not None:
            item["l"] = [where.line, where.column]
        issues.append(item)
    return {
        "id": did,
        "lang": {"src": d.source.lang if d.source else None, "tgt": d.target.lang,
                 "ref": d.reference.lang if d.reference else None},
        # how the segments of one bead are joined on screen, as the checks join them
        "sep": {side: doc.joiner
                for side, doc in (("src", d.source), ("tgt", d.target), ("ref", d.reference))
                if doc is not None},
        "src": src, "srcLines": src_lines,
        "tgt": tgt, "tgtLines": tgt_lines,
        # columns of the target segments: several sentences share a line of a paragraph
        "tgtCols": [seg.column for seg in d.target.segments],
        "ref": ref, "refLines": ref_lines,
        "beads": [[list(b.source), list(b.target), list(b.reference),
                   round(penalties[n], 2) if n < len(penalties) else 0]
                  for n, b in enumerate(d.alignment)],
        "cats": categories,
        "names": dict(sorted(names.items())),
        "issues": issues,
    }
