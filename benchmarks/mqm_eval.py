"""How well mtqa's segment estimate tracks professional MQM ratings, evaluated only on
what each fit never saw.

    python benchmarks/mqm_eval.py [--markdown] [--bootstrap N]

Data: the three WMT MQM sets of ``mqm_data.py`` (WMT23 zh-en news, WMT23 en-de news,
WMT21 TED en-de). Headline: the item-grouped Kendall tau (for each source segment,
tau-b between a score of its translations by the different systems and their MQM
points, averaged over segments; ``mtqa.quality.fit.grouped_tau``), with a 95% bootstrap
interval over segments. Scores are read as penalties (similarities are negated).

Tables:

1. in domain: 5-fold cross-validation with whole documents held out, within each set;
2. out of domain: leave one data set out (fit on the other two, score the third);
3. with a reference (the two en-de sets): single sentence metrics beside a fitted
   combination, in domain and across the two sets.

Every table has the baselines beside the candidates, scored the same way: the plain
source-target cosine, the target length (shorter is worse: the length-only baseline),
mtqa's issue penalties without an encoder, and with a reference sentence chrF++, BLEU,
TER and the reference cosine. The reference-free candidate with the best mean
out-of-domain tau is the one ``fit_estimate.py`` ships (ties go to the simpler one).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mqm_data  # noqa: E402
from mqm_data import Row  # noqa: E402

from mtqa.quality import fit

# Reference-free candidates, simplest first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "length": ("len_short", "len_long"),
    "cosine": ("cos",),
    "cosine + length": ("cos", "len_short", "len_long"),
    "length + defects": ("len_short", "len_long", "untranslated", "numbers", "entities",
                         "repetition", "punctuation"),
    "cosine + length + defects": ("cos", "len_short", "len_long", "untranslated", "numbers",
                                  "entities", "repetition", "punctuation"),
    "all features": ("cos", "margin", "len_short", "len_long", "untranslated", "overlap",
                     "numbers", "entities", "repetition", "punctuation", "hyphen_dashes"),
}
REFERENCE_COMBINED = ("ref_chrf", "ref_bleu", "ref_cos")
# What the benchmark selected (``main`` prints the selection it makes; fit_estimate.py
# and gate_calibration.py use this).
SELECTED = "length"
TER_CACHE = Path(os.environ.get("MTQA_TER_CACHE", "/tmp/mtqa-mqm-ter.json"))
# Within this much mean tau, the simpler candidate wins: the intervals are wider.
TIE = 0.005


def baselines(rows: list[Row]) -> dict[str, np.ndarray]:
    out = {
        "baseline: source-target cosine": -np.array([r.features["cos"] for r in rows]),
        "baseline: target length (shorter is worse)":
            -np.array([float(len(r.target)) for r in rows]),
        "baseline: mtqa issue penalties (no encoder)": np.array([r.penalty for r in rows]),
    }
    return out


def add_ter(rows: list[Row]) -> None:
    """Sentence TER / 100 of every row (capped at 2) as the feature ``ref_ter``: cached
    in ``TER_CACHE``, since sacrebleu's TER costs about 0.2 s per paragraph."""
    from mtqa.quality.metrics import make_metrics

    known: dict[str, float] = json.loads(TER_CACHE.read_text()) if TER_CACHE.exists() else {}
    ter = make_metrics("de", sentence=True)["ter"]
    missing = 0
    for r in rows:
        key = f"{r.target}\0{r.reference}"
        if key not in known:
            known[key] = ter.sentence_score(r.target, [r.reference or ""]).score
            missing += 1
        r.features["ref_ter"] = min(2.0, known[key] / 100.0)
    if missing:
        TER_CACHE.write_text(json.dumps(known))


def reference_baselines(rows: list[Row]) -> dict[str, np.ndarray]:
    return {
        "sentence chrF++": -np.array([r.features["ref_chrf"] for r in rows]),
        "sentence BLEU": -np.array([r.features["ref_bleu"] for r in rows]),
        "sentence TER": np.array([r.features["ref_ter"] for r in rows]),
        "reference cosine": -np.array([r.features["ref_cos"] for r in rows]),
    }


class Table:
    def __init__(self, markdown: bool, samples: int) -> None:
        self.markdown, self.samples = markdown, samples

    def emit(self, *lines: str) -> None:
        print("\n".join(lines), flush=True)

    def head(self, title: str, rows: list[Row]) -> None:
        n_items = len(fit.item_taus(rows, np.arange(len(rows), dtype=float)))
        text = f"{title} ({len(rows)} translations, {n_items} segments with differing MQM)"
        if self.markdown:
            self.emit(f"\n**{text}**\n", "| score | grouped tau | 95% CI |", "|---|---|---|")
        else:
            self.emit(f"\n{text}")

    def row(self, label: str, rows: list[Row], scores: np.ndarray) -> float:
        taus = fit.item_taus(rows, scores)
        tau = float(np.mean(taus))
        rng = np.random.default_rng(12345)
        means = [float(np.mean(rng.choice(taus, len(taus)))) for _ in range(self.samples)]
        lo, hi = np.percentile(means, [2.5, 97.5]) if means else (np.nan, np.nan)
        if self.markdown:
            self.emit(f"| {label} | {tau:+.3f} | [{lo:+.3f}, {hi:+.3f}] |")
        else:
            self.emit(f"  {label:48s} {tau:+.3f}  [{lo:+.3f}, {hi:+.3f}]")
        return tau


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    data = mqm_data.load_all()
    out = Table(args.markdown, args.bootstrap)
    names = list(data)

    out.emit("# 1. In domain: 5-fold CV, documents held out, within each data set")
    for name, rows in data.items():
        out.head(name, rows)
        for label, features in CANDIDATES.items():
            out.row(f"mtqa: {label}", rows, fit.cross_validated(rows, features))
        for label, scores in baselines(rows).items():
            out.row(label, rows, scores)

    out.emit("\n# 2. Out of domain: fit on the other two data sets")
    lodo: dict[str, list[float]] = {label: [] for label in CANDIDATES}
    for test in names:
        rows = data[test]
        train = [data[n] for n in names if n != test]
        out.head(f"{test} (fitted on {' + '.join(n for n in names if n != test)})", rows)
        for label, features in CANDIDATES.items():
            model = fit.fit_model(train, features)
            lodo[label].append(out.row(f"mtqa: {label}", rows, fit.predict(model, rows)))
        for label, scores in baselines(rows).items():
            out.row(label, rows, scores)
    means = {label: float(np.mean(t)) for label, t in lodo.items()}
    best = max(means.values())
    chosen = next(label for label in CANDIDATES if means[label] >= best - TIE)
    out.emit("\nMean out-of-domain grouped tau: " + ", ".join(
        f"{label} {m:+.3f}" for label, m in means.items()))
    out.emit(f"Selected (best mean out of domain, ties within {TIE} to the simpler): "
                     f"{chosen} = {CANDIDATES[chosen]}")

    with_ref = [n for n in names if fit.has_reference(data[n])]
    for name in with_ref:
        add_ter(data[name])
    out.emit("\n# 3. With a reference: single metrics and their fitted combination")
    for name in with_ref:
        rows = data[name]
        out.head(f"{name}, in domain (5-fold CV by document)", rows)
        out.row("mtqa: chrF++ + BLEU + ref. cosine", rows,
                fit.cross_validated(rows, REFERENCE_COMBINED))
        out.row(f"mtqa: that + {chosen}", rows,
                fit.cross_validated(rows, REFERENCE_COMBINED + CANDIDATES[chosen]))
        out.row("(not shipped) chrF++ + BLEU + TER + ref. cosine", rows,
                fit.cross_validated(rows, REFERENCE_COMBINED + ("ref_ter",)))
        for label, scores in reference_baselines(rows).items():
            out.row(label, rows, scores)
        others = [data[n] for n in with_ref if n != name]
        if others:
            out.head(f"{name}, fitted on {' + '.join(n for n in with_ref if n != name)}",
                     rows)
            model = fit.fit_model(others, REFERENCE_COMBINED)
            out.row("mtqa: chrF++ + BLEU + ref. cosine", rows, fit.predict(model, rows))
            model = fit.fit_model(others, REFERENCE_COMBINED + CANDIDATES[chosen])
            out.row(f"mtqa: that + {chosen}", rows, fit.predict(model, rows))
            model = fit.fit_model(others, REFERENCE_COMBINED + ("ref_ter",))
            out.row("(not shipped) chrF++ + BLEU + TER + ref. cosine", rows,
                    fit.predict(model, rows))
            for label, scores in reference_baselines(rows).items():
                out.row(label, rows, scores)


if __name__ == "__main__":
    main()
