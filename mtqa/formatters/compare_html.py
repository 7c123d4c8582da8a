"""``mtqa compare --format html``: one self-contained page with the systems ranked and,
side by side, every system's output on the segments where they disagree most.

No script runs on the page (its content-security policy forbids scripts, and every text
is HTML-escaped), so it can be attached to a review or opened from an artefact store.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # formatters depend on the values they render, not on the code
    from mtqa.quality.compare import Comparison

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
       "form-action 'none'")

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem;
color:#1d232a;background:#fff}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #d9dee3;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.better{color:#0a6b2f;font-weight:600}.worse{color:#a4161a;font-weight:600}.ns{color:#687076}
.note{color:#687076;font-size:.9rem}
.seg{border:1px solid #d9dee3;border-radius:6px;padding:.5rem .8rem;margin:1rem 0}
.out{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.2rem .8rem}
.badge{font-size:.75rem;border-radius:3px;padding:0 .3rem;margin-left:.3rem}
.best{background:#d3f0dc}.worst{background:#f8d7d8}
@media (max-width:600px){.out{grid-template-columns:1fr}table{font-size:.85rem}}
@media (prefers-color-scheme:dark){body{background:#15191d;color:#e6e9ec}
th,td,.seg{border-color:#39424b}.best{background:#1f4d2e}.worst{background:#5c2326}}
"""


def render(result: Comparison) -> str:
    """The page for ``result``."""
    names = result.systems
    source, reference = result.source_texts, result.reference_texts
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>mtqa compare: {len(names)} systems</title><style>{STYLE}</style></head><body>",
        f"<h1>mtqa compare: {len(names)} systems, {result.units} segments</h1>",
        (f"<p class='note'>Baseline {escape(names[result.baseline])}; p-values against it by "
        f"{escape(_tests(result))}, seed {result.seed}; significant when p &lt; {result.alpha}. "
        "Consensus needs three systems or more.</p>"),
        _systems_table(result),
    ]
    if result.segments:
        parts.append("<h2>Where the systems disagree most</h2>")
        for view in result.segments:
            parts.append(f"<section class='seg'><h3>Segment {escape(view.label)} "
                         f"<span class='note'>disagreement {view.disagreement:.2f}</span></h3>"
                         "<div class='out'>")
            if source is not None:
                parts.append(f"<b>source</b><div>{escape(source[view.unit])}</div>")
            if reference is not None:
                parts.append(f"<b>reference</b><div>{escape(reference[view.unit])}</div>")
            for s, name in enumerate(names):
                badge = ("<span class='badge best'>best</span>" if s == view.best else
                         "<span class='badge worst'>worst</span>" if s == view.worst else "")
                text = result.outputs[s][view.unit] if result.outputs else ""
                parts.append(f"<b>{escape(name)}{badge}</b><div>{escape(text)}</div>")
            parts.append("</div></section>")
    sigs = "".join(f"<li>{escape(m.name)}: <code>{escape(m.signature)}</code></li>"
                   for m in result.metrics)
    parts.append(f"<h2>Signatures</h2><ul class='note'>{sigs}</ul></body></html>\n")
    return "".join(parts)


def _tests(result: Comparison) -> str:
    names = {"bs": f"paired bootstrap ({result.samples} resamples)",
             "ar": f"paired approximate randomisation ({result.trials} trials)"}
    return " and ".join(names[k] for k in result.tests)


def _systems_table(result: Comparison) -> str:
    names = result.systems
    categories = sorted({c for found in result.issues for c in found})
    head = "".join(f"<th>{escape(m.name)} {'↑' if m.higher_is_better else '↓'}</th>"
                   for m in result.metrics)
    head += "".join(f"<th>{escape(c)} issues</th>" for c in categories)
    rows = []
    for rank, s in enumerate(result.ranking(), 1):
        cells = [f"<td class='num'>{rank}</td>",
                 f"<td>{escape(names[s])}{' (baseline)' if s == result.baseline else ''}</td>"]
        for m in result.metrics:
            cells.append(_cell(m, s, result.baseline))
        cells.extend(f"<td class='num'>{result.issues[s].get(c, 0)}</td>" for c in categories)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><thead><tr><th>#</th><th>System</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _cell(metric: Any, system: int, baseline: int) -> str:
    score = metric.scores[system]
    text = f"{score.value:.3f}" if abs(score.value) < 1 else f"{score.value:.2f}"
    if score.ci is not None:
        text += f" ± {score.ci:.2f}"
    if system == baseline or not score.tests:
        return f"<td class='num'>{text}</td>"
    verdict = metric.better_than_baseline(system, baseline)
    significant = verdict != "tie" and all(t.significant for t in score.tests)
    cls = verdict if significant else "ns"
    p = ", ".join(f"p={t.p_value:.3f}" if t.p_value >= 0.001 else "p<0.001"
                  for t in score.tests)
    return f"<td class='num {cls}'>{text}<br><small>{p}</small></td>"
