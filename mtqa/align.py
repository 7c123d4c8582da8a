"""Sentence alignment.

``Aligner`` is the interface the pipeline uses. ``EmbeddingAligner`` aligns with
sentence embeddings (the default; the algorithm is described below);
``LengthAligner`` is a Gale-Church style aligner on character lengths: a baseline that
needs no model, used when no encoder can be loaded. Both run in a band, so their cost
grows linearly with the document, not quadratically.

The embedding aligner follows the design of Vecalign (Thompson & Koehn 2019) and
Bertalign (Liu & Zhu 2022), written for mtqa:

1. Each sentence is encoded once. The embedding of a run of up to four neighbouring
   sentences (an "overlap") is the normalised sum of their embeddings, weighted by the
   square root of their length: the default encoder sums token features and divides by
   the square root of the token count, so this is close to encoding the concatenation
   (cosine 0.92 on the WMT zh-en data) at no encoding cost.
2. Similarities are normalised against unrelated sentences (a margin): from the cosine
   of two overlaps we subtract the mean cosine of each with a fixed sample of sentences
   from the other side, so a generic sentence that is close to everything scores low.
3. First pass: a 1-1 dynamic programme with skips inside a window around the diagonal
   finds anchors (the sentence pairs that clearly belong together).
4. Second pass: a dynamic programme over the beads 0-1, 1-0, 1-1, 1-2, 2-1, 1-3, 3-1,
   2-2, 1-4 and 4-1 in a narrow band around the first-pass path. A bead scores its
   margin times the number of sentences it covers, less a penalty per merged sentence,
   plus a Gaussian length model whose ratio and variance are fitted on the anchors of
   the document (with the language pair's ratio as the prior).

Both passes are banded (the first pass's window is capped), so time and memory grow
linearly with the length of the document.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from mtqa.model import Bead

if TYPE_CHECKING:
    from mtqa.config import Config
    from mtqa.embed import Encoder

# Expected target characters per source character, by language pair; measured on the
# WMT MQM data (zh->en 3.1, en->de 1.2). Unknown pairs use the character-count ratio
# of the documents themselves.
LENGTH_RATIO = {("zh", "en"): 3.1, ("en", "zh"): 1 / 3.1, ("en", "de"): 1.2,
                ("de", "en"): 1 / 1.2}

# Bead priors of Gale & Church (1993).
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
           (1, 2): 0.089 / 2, (2, 2): 0.011}
_VARIANCE = 6.8


class Aligner(Protocol):
    """Aligns two lists of sentences into beads, in order."""

    @property
    def name(self) -> str:
        """What the signature calls this aligner."""
        ...

    def align(self, source: Sequence[str], target: Sequence[str], source_lang: str,
              target_lang: str) -> list[Bead]: ...


class LengthAligner:
    """Gale-Church alignment on character lengths, banded around the diagonal."""

    name = "gale-church"

    def __init__(self, band: int = 30) -> None:
        self.band = band

    def align(self, source: Sequence[str], target: Sequence[str], source_lang: str,
              target_lang: str) -> list[Bead]:
        n, m = len(source), len(target)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        ls = [max(1, len(s)) for s in source]
        lt = [max(1, len(t)) for t in target]
        ratio = LENGTH_RATIO.get((source_lang, target_lang)) or (sum(lt) / sum(ls))
        band = self.band + abs(n - m)
        inf = math.inf
        cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
        back: dict[tuple[int, int], tuple[int, int]] = {}
        for i in range(n + 1):
            centre = i * m / n
            lo = max(0, int(centre) - band)
            hi = min(m, int(centre) + band)
            for j in range(lo, hi + 1):
                if i == 0 and j == 0:
                    continue
                best, arg = inf, None
                for (di, dj), prior in _PRIORS.items():
                    pi, pj = i - di, j - dj
                    if pi < 0 or pj < 0:
                        continue
                    prev = cost.get((pi, pj))
                    if prev is None:
                        continue
                    c = prev + _bead_cost(sum(ls[pi:i]), sum(lt[pj:j]), ratio, prior)
                    if c < best:
                        best, arg = c, (di, dj)
                if arg is not None:
                    cost[(i, j)] = best
                    back[(i, j)] = arg
        if (n, m) not in back:
            return [Bead((i,), (i,)) for i in range(min(n, m))]
        beads = []
        i, j = n, m
        while i > 0 or j > 0:
            di, dj = back[(i, j)]
            beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
            i, j = i - di, j - dj
        beads.reverse()
        return beads


def _bead_cost(len_s: int, len_t: int, ratio: float, prior: float) -> float:
    if len_s == 0 or len_t == 0:
        # An insertion or deletion: cost grows with the length left unmatched.
        return -math.log(prior) + 0.02 * (len_s * ratio + len_t)
    mean = (len_s * ratio + len_t) / 2
    delta = (len_t - len_s * ratio) / math.sqrt(_VARIANCE * mean)
    p = 2 * (1 - _normal_cdf(abs(delta)))
    return -math.log(prior) - math.log(max(p, 1e-12))


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))




# Bead shapes of the second pass: (source sentences, target sentences). (0, 1) is the
# insertion of a target sentence, handled inside a row; the rest read earlier rows.
BEADS: tuple[tuple[int, int], ...] = ((1, 0), (1, 1), (1, 2), (2, 1), (1, 3), (3, 1),
                                      (2, 2), (1, 4), (4, 1))
MAX_MERGE = 4
_NEG = -1e18


class EmbeddingAligner:
    """Embedding-based alignment (Vecalign/Bertalign style): see the module docs.

    ``threshold`` is the margin below which two sentences are better left unaligned
    than paired; ``merge_penalty`` is what each sentence beyond the first on either
    side of a bead costs, so merges must earn their place; ``length_weight`` scales the
    log-probability of the length model.
    """

    name = "embedding"

    def __init__(self, encoder: Encoder, *, threshold: float = 0.06,
                 merge_penalty: float = 0.1, length_weight: float = 0.02,
                 band: int = 8, window: int = 48, max_window: int = 400,
                 samples: int = 48, exact_overlaps: bool = False) -> None:
        self.encoder = encoder
        # Encode each run of 2-4 neighbours as its own text instead of summing the
        # sentence embeddings: for comparison (about 4x the encoding cost).
        self.exact_overlaps = exact_overlaps
        self.threshold = threshold
        self.merge_penalty = merge_penalty
        self.length_weight = length_weight
        self.band = band
        self.window = window
        self.max_window = max_window
        self.samples = samples

    @property
    def encoder_id(self) -> str:
        return str(self.encoder.id)

    def align(self, source: Sequence[str], target: Sequence[str], source_lang: str,
              target_lang: str) -> list[Bead]:
        n, m = len(source), len(target)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        es = np.asarray(self.encoder.encode(list(source)), dtype=np.float32)
        et = np.asarray(self.encoder.encode(list(target)), dtype=np.float32)
        exact = None
        if self.exact_overlaps:
            exact = (self._encode_overlaps(source, source_lang),
                     self._encode_overlaps(target, target_lang))
        return self.align_embeddings(es, et, [len(s) for s in source],
                                     [len(t) for t in target], source_lang, target_lang,
                                     exact)

    def _encode_overlaps(self, sents: Sequence[str], lang: str) -> list[np.ndarray]:
        sep = "" if lang in ("zh", "ja", "ko") else " "
        out = [np.asarray(self.encoder.encode(list(sents)), dtype=np.float32)]
        for k in range(2, MAX_MERGE + 1):
            texts = [sep.join(sents[i:i + k]) for i in range(len(sents) - k + 1)]
            out.append(np.asarray(self.encoder.encode(texts), dtype=np.float32)
                       if texts else np.zeros((0, out[0].shape[1]), dtype=np.float32))
        return out

    def align_embeddings(self, es: np.ndarray, et: np.ndarray, len_s: Sequence[int],
                         len_t: Sequence[int], source_lang: str = "",
                         target_lang: str = "",
                         overlaps: tuple[list[np.ndarray], list[np.ndarray]] | None = None
                         ) -> list[Bead]:
        """Align from precomputed sentence embeddings and character lengths (and,
        optionally, precomputed overlap embeddings for both sides)."""
        n, m = len(es), len(et)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        ls = np.maximum(1.0, np.asarray(len_s, dtype=np.float64))
        lt = np.maximum(1.0, np.asarray(len_t, dtype=np.float64))
        os_, ot = overlaps if overlaps is not None else (_overlaps(es, ls), _overlaps(et, lt))
        mu_s = [_unrelated(o, et, self.samples) for o in os_]
        mu_t = [_unrelated(o, es, self.samples) for o in ot]
        path, anchors = self._first_pass(os_[0], ot[0], mu_s[0], mu_t[0])
        model = _LengthModel.fit(ls, lt, anchors, source_lang, target_lang)
        lo, hi = _band_from_path(path, n, m, self.band)
        beads = self._second_pass(os_, ot, mu_s, mu_t, ls, lt, model, lo, hi)
        return beads

    # ------------------------------------------------------------------ first pass

    def _first_pass(self, es: np.ndarray, et: np.ndarray, mu_s: np.ndarray,
                    mu_t: np.ndarray) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """1-1 alignment with free skips in a window around the diagonal.

        Returns the path (grid points from (0, 0) to (n, m)) and the matched pairs.
        """
        n, m = len(es), len(et)
        half = int(min(self.max_window, max(self.window, 0.15 * max(n, m))))
        centre = [round(i * m / n) for i in range(n + 1)]
        lo = [max(0, c - half) for c in centre]
        hi = [min(m, c + half) for c in centre]
        rows: list[np.ndarray] = []
        moves: list[np.ndarray] = []  # 0 diagonal, 1 skip source, 2 skip target
        for i in range(n + 1):
            width = hi[i] - lo[i] + 1
            base = np.full(width, _NEG)
            move = np.zeros(width, dtype=np.int8)
            if i == 0:
                base[0] = 0.0  # lo[0] == 0
            else:
                prev, plo, phi = rows[-1], lo[i - 1], hi[i - 1]
                # Skip source sentence i-1: from (i-1, j).
                a, b = max(lo[i], plo), min(hi[i], phi)
                if a <= b:
                    base[a - lo[i]:b - lo[i] + 1] = prev[a - plo:b - plo + 1]
                    move[a - lo[i]:b - lo[i] + 1] = 1
                # Pair source i-1 with target j-1: from (i-1, j-1).
                a, b = max(lo[i], plo + 1, 1), min(hi[i], phi + 1)
                if a <= b:
                    sims = et[a - 1:b] @ es[i - 1] - 0.5 * (mu_t[a - 1:b] + mu_s[i - 1])
                    cand = prev[a - 1 - plo:b - plo] + (sims - self.threshold)
                    sl = slice(a - lo[i], b - lo[i] + 1)
                    better = cand > base[sl]
                    base[sl] = np.where(better, cand, base[sl])
                    move[sl] = np.where(better, 0, move[sl])
            # Skip target sentences within the row: a running maximum.
            run = np.maximum.accumulate(base)
            from_left = run > base
            move[from_left] = 2
            rows.append(run)
            moves.append(move)
        path: list[tuple[int, int]] = [(n, m)]
        anchors: list[tuple[int, int]] = []
        i, j = n, m
        while i > 0 or j > 0:
            mv = moves[i][j - lo[i]]
            if mv == 0:
                anchors.append((i - 1, j - 1))
                i, j = i - 1, j - 1
            elif mv == 1:
                i -= 1
            else:
                j -= 1
            path.append((i, j))
        path.reverse()
        anchors.reverse()
        return path, anchors

    # ----------------------------------------------------------------- second pass

    def _second_pass(self, os_: list[np.ndarray], ot: list[np.ndarray],
                     mu_s: list[np.ndarray], mu_t: list[np.ndarray], ls: np.ndarray,
                     lt: np.ndarray, model: _LengthModel, lo: np.ndarray,
                     hi: np.ndarray) -> list[Bead]:
        """The bead DP over the band. The cells of the band are stored flat (row by
        row), the score of every bead ending in every cell is computed first with
        array operations, and the DP then takes a handful of array operations a row."""
        n, m = len(ls), len(lt)
        widths = (hi - lo + 1).astype(np.int64)
        off = np.concatenate([[0], np.cumsum(widths)])
        total = int(off[-1])
        rows_of = np.repeat(np.arange(n + 1), widths)
        cols = lo[rows_of] + (np.arange(total) - off[rows_of])
        cs = np.concatenate([[0.0], np.cumsum(ls)])
        ct = np.concatenate([[0.0], np.cumsum(lt)])
        k_count = len(BEADS)
        score = np.full((k_count, total), _NEG)
        pred = np.zeros((k_count, total), dtype=np.int64)
        cal = np.zeros((k_count, total), dtype=np.float32)
        for k, (a, b) in enumerate(BEADS):
            if a > n or b > m:
                continue  # the score stays -inf: this bead cannot occur
            prow = np.maximum(rows_of - a, 0)
            pcol = cols - b
            valid = (rows_of >= a) & (pcol >= lo[prow]) & (pcol <= hi[prow])
            pred[k] = np.where(valid, off[prow] + pcol - lo[prow], 0)
            if b == 0:
                score[k][valid] = 0.0
                continue
            cos = np.zeros(total, dtype=np.float32)
            src, tgt = os_[a - 1], ot[b - 1]
            # The valid cells of row i are the targets j with lo[i-a]+b <= j <= hi[i-a]+b.
            first = np.maximum(lo[a:], lo[:n + 1 - a] + b)
            last = np.minimum(hi[a:], hi[:n + 1 - a] + b)
            for i, j0, j1 in zip(range(a, n + 1), first.tolist(), last.tolist()):
                if j0 <= j1:
                    c0 = int(off[i]) + j0 - int(lo[i])
                    cos[c0:c0 + j1 - j0 + 1] = tgt[j0 - b:j1 - b + 1] @ src[i - a]
            idx = np.flatnonzero(valid)
            si, tj = rows_of[idx] - a, cols[idx] - b
            mu = 0.5 * (mu_s[a - 1][si] + mu_t[b - 1][tj])
            margin = cos[idx] - mu
            score[k, idx] = (0.5 * (a + b) * (margin - self.threshold)
                             - self.merge_penalty * (a + b - 2)
                             + self.length_weight * model.logp(cs[rows_of[idx]] - cs[si],
                                                               ct[cols[idx]] - ct[tj]))
            cal[k, idx] = np.clip(margin / np.maximum(1e-6, 1.0 - mu), 0.0, 1.0)
        value = np.full(total, _NEG)
        move = np.full(total, -1, dtype=np.int8)  # index into BEADS, or -1: insertion
        # Row 0 holds only insertions: every cell is reached from the origin at no cost.
        value[:int(off[1])] = 0.0
        for i in range(1, n + 1):
            s0, s1 = int(off[i]), int(off[i + 1])
            cand = value[pred[:, s0:s1]] + score[:, s0:s1]
            best = np.argmax(cand, axis=0)
            top = cand[best, np.arange(s1 - s0)]
            run = np.maximum.accumulate(top)
            value[s0:s1] = run
            move[s0:s1] = np.where(run > top, -1, best)
        beads: list[Bead] = []
        i, j = n, m
        while i > 0 or j > 0:
            cell = int(off[i]) + j - int(lo[i])
            k = int(move[cell]) if i > 0 else -1
            if k < 0:
                beads.append(Bead((), (j - 1,)))
                j -= 1
                continue
            a, b = BEADS[k]
            similarity = None if b == 0 else round(float(cal[k, cell]), 4)
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)),
                              similarity=similarity))
            i, j = i - a, j - b
        beads.reverse()
        return beads


def _overlaps(emb: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    """Embeddings of runs of 1..MAX_MERGE sentences: row i of item k-1 covers i..i+k-1."""
    weights = np.sqrt(lengths)[:, None].astype(np.float32)
    cum = np.concatenate([np.zeros((1, emb.shape[1]), dtype=np.float32),
                          np.cumsum(emb * weights, axis=0, dtype=np.float32)])
    out = []
    for k in range(1, MAX_MERGE + 1):
        if k == 1:
            out.append(emb.astype(np.float32, copy=False))
            continue
        if len(emb) < k:
            out.append(np.zeros((0, emb.shape[1]), dtype=np.float32))
            continue
        summed = cum[k:] - cum[:-k]
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        out.append(summed / np.maximum(norms, 1e-12))
    return out


def _unrelated(rows: np.ndarray, other: np.ndarray, samples: int) -> np.ndarray:
    """Mean cosine of each row with a fixed sample of the other side's sentences.

    The highest of the sampled cosines is left out, since in a short document the
    sample holds the row's own translation.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    rng = np.random.default_rng(len(other) * 7919 + len(rows))
    pick = rng.choice(len(other), size=min(samples, len(other)), replace=False)
    cos = rows @ other[pick].T
    if cos.shape[1] >= 3:
        return ((cos.sum(axis=1) - cos.max(axis=1)) / (cos.shape[1] - 1)).astype(np.float32)
    return np.zeros(len(rows), dtype=np.float32)


def _band_from_path(path: Sequence[tuple[int, int]], n: int, m: int,
                    width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per grid row i, the target range [lo, hi] within ``width`` of the first-pass path."""
    jmin = np.full(n + 1, m, dtype=np.int64)
    jmax = np.zeros(n + 1, dtype=np.int64)
    for i, j in path:
        jmin[i] = min(jmin[i], j)
        jmax[i] = max(jmax[i], j)
    # Widen across neighbouring rows too, so that a merge of up to MAX_MERGE source
    # sentences can reach back over the path's steps.
    lo = np.maximum(0, _sliding(jmin, width, np.minimum) - width)
    hi = np.minimum(m, _sliding(jmax, width, np.maximum) + width)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def _sliding(values: np.ndarray, radius: int, op: Any) -> np.ndarray:
    out = values.copy()
    for shift in range(1, radius + 1):
        out[shift:] = op(out[shift:], values[:-shift])
        out[:-shift] = op(out[:-shift], values[shift:])
    return out


class _LengthModel:
    """Target length ~ Normal(ratio * source length, variance * source length)."""

    def __init__(self, ratio: float, variance: float) -> None:
        self.ratio = ratio
        self.variance = variance

    @classmethod
    def fit(cls, ls: np.ndarray, lt: np.ndarray, anchors: Sequence[tuple[int, int]],
            source_lang: str, target_lang: str) -> _LengthModel:
        prior = LENGTH_RATIO.get((source_lang, target_lang))
        if source_lang and source_lang == target_lang:
            prior = 1.0
        if len(anchors) >= 5:
            a = np.array([ls[i] for i, _ in anchors])
            b = np.array([lt[j] for _, j in anchors])
            ratio = float(b.sum() / a.sum())
            if prior is not None and len(anchors) < 20:
                ratio = (ratio * len(anchors) + prior * (20 - len(anchors))) / 20
            resid = (b - ratio * a) ** 2 / a
            variance = float(np.clip(np.median(resid) * 2.2, 1.0, 60.0))
        else:
            ratio = prior if prior is not None else float(lt.sum() / ls.sum())
            variance = _VARIANCE * max(1.0, ratio)
        return cls(ratio, variance)

    def logp(self, len_s: np.ndarray, len_t: np.ndarray) -> np.ndarray:
        """Log-density (up to a constant), floored so one odd pair cannot dominate."""
        delta = (len_t - self.ratio * len_s) / np.sqrt(self.variance * np.maximum(1.0, len_s))
        return np.maximum(-0.5 * delta * delta, -12.0)


class AutoAligner:
    """The aligner ``mtqa check`` uses: embeddings, loaded on first use.

    When the encoder cannot be loaded (a missing package, a model that is not available
    offline), it warns once and falls back to ``LengthAligner``.
    """

    def __init__(self, encoder: str = "default", cache: bool = True) -> None:
        self.spec = encoder
        self.cache = cache
        self._inner: Aligner | None = None
        self.encoder: Encoder | None = None

    def _resolve(self) -> Aligner:
        if self._inner is None:
            from mtqa.config import ConfigError
            from mtqa.embed import EncoderError, UnknownEncoderError, load_encoder

            try:
                self.encoder = load_encoder(self.spec, cache=self.cache)
                self._inner = EmbeddingAligner(self.encoder)
            except UnknownEncoderError as exc:
                raise ConfigError(str(exc)) from None
            except EncoderError as exc:
                warnings.warn(f"{exc}; aligning by sentence length instead", RuntimeWarning,
                              stacklevel=2)
                self._inner = LengthAligner()
        return self._inner

    @property
    def name(self) -> str:
        return self._inner.name if self._inner is not None else "embedding"

    @property
    def encoder_id(self) -> str | None:
        return self.encoder.id if self.encoder is not None else None

    def load(self) -> Encoder | None:
        """Load the encoder now; ``None`` when it is not available."""
        self._resolve()
        return self.encoder

    def align(self, source: Sequence[str], target: Sequence[str], source_lang: str,
              target_lang: str) -> list[Bead]:
        return self._resolve().align(source, target, source_lang, target_lang)


def default_aligner(config: Config | None = None) -> Aligner:
    """The aligner ``mtqa check`` and ``mtqa align`` use when none is given."""
    if config is None:
        return AutoAligner()
    return AutoAligner(config.encoder, cache=config.embedding_cache)
