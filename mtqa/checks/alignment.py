"""Alignment checks: what the sentence alignment says about omissions, additions and
mistranslations.

They read the beads the aligner produced (``Context.alignment``) and, where the
embedding aligner ran, the encoder (``Context.encoder``) to weigh the evidence: a
source sentence left without a target whose content is clearly in the neighbouring
target sentence is a merge, not an omission. A merge or a split is never an error by
itself. Bilingual files (TSV, JSONL, ...) are aligned one unit to one unit, so only the
similarity check can fire there, and only when similarities were computed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from mtqa.checks.base import Check, Context
from mtqa.checks.registry import register
from mtqa.model import Bead, Document, Issue, Location, Severity, locate

_CONTENT = re.compile(r"[^\W\d_]", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Below this median similarity the two files are not a source and its translation at
# all (wrong file, wrong language): one critical issue, not hundreds.
_MISMATCH_MEDIAN = 0.3


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def content_size(text: str) -> int:
    """Words in ``text``, counting each CJK character as a word."""
    cjk = len(_CJK.findall(text))
    return cjk + len(_WORD.findall(_CJK.sub(" ", text)))


def median_similarity(ctx: Context) -> float | None:
    """Median over source sentences of the similarity of their bead (0 for a sentence
    left unaligned); None when there are no similarities to judge by (bilingual input,
    the length aligner) or fewer than three source sentences."""
    if ctx.source is None:
        return None
    per_sentence: list[float] = []
    for bead in ctx.alignment:
        if not bead.source:
            continue
        if bead.target and bead.similarity is None:
            return None
        per_sentence.extend([bead.similarity or 0.0] * len(bead.source))
    if len(per_sentence) < 3:
        return None
    return float(np.median(per_sentence))


def mismatched(ctx: Context) -> bool:
    """True when the alignment shows that target and source do not correspond: a
    median similarity under ``_MISMATCH_MEDIAN``. Real translations score a median of
    0.6 or more with the default encoder (their 1st percentile is 0.4); another article
    on the same kind of topic scores about 0.15."""
    median = median_similarity(ctx)
    return median is not None and median < _MISMATCH_MEDIAN


def _nearest(doc: Document, beads: Sequence[Bead], number: int, side: str) -> Location | None:
    """A zero-width location where the missing text would go on ``side``: the end of the
    last ``side`` segment before bead ``number``, else the start of the next one."""
    for bead in reversed(beads[:number]):
        idx = getattr(bead, side)
        if idx:
            seg = idx[-1]
            end = len(doc.segments[seg].text)
            return locate(doc, seg, end, end)
    for bead in beads[number + 1:]:
        idx = getattr(bead, side)
        if idx:
            return locate(doc, idx[0], 0, 0)
    return None


def _room(ctx: Context, beads: Sequence[Bead], number: int, length: int, side: str) -> bool:
    """Whether the bead before or after ``number`` is longer on the other side than its
    ``side`` explains, by at least 3/4 of ``length`` (the unaligned sentence on
    ``side``), judging by the document's overall length ratio."""
    assert ctx.source is not None
    src_len = sum(len(s.text) for s in ctx.source.segments) or 1
    tgt_len = sum(len(s.text) for s in ctx.target.segments) or 1
    # Characters of `side` per character of the other side.
    ratio = tgt_len / src_len if side == "target" else src_len / tgt_len
    mine_doc, other_doc = ((ctx.target, ctx.source) if side == "target"
                           else (ctx.source, ctx.target))
    other_side = "source" if side == "target" else "target"
    for near in (number - 1, number + 1):
        if not 0 <= near < len(beads):
            continue
        bead = beads[near]
        mine, other = getattr(bead, side), getattr(bead, other_side)
        if not (mine and other):
            continue
        expected = ratio * sum(len(other_doc.segments[i].text) for i in other)
        have = sum(len(mine_doc.segments[i].text) for i in mine)
        # Three quarters: sentence lengths vary, and a merge that hides a whole sentence
        # leaves most of its length unexplained.
        if expected - have >= 0.75 * length:
            return True
    return False


def _neighbour_indices(beads: Sequence[Bead], number: int, side: str,
                       reach: int = 2) -> list[int]:
    out: list[int] = []
    for bead in beads[max(0, number - reach):number + reach + 1]:
        out.extend(getattr(bead, side))
    return out


def _calibrate(cos: np.ndarray, rows: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Cosines rescaled so that 0 is what unrelated sentences score and 1 identity.

    "Unrelated" is the mean cosine of each row with the other side's sentences, leaving
    out the highest (the row's own translation may be among them): the same
    normalisation the aligner uses, so thresholds do not depend on the encoder.
    """
    sims = rows @ other.T
    if sims.shape[1] >= 3:
        mu = (sims.sum(axis=1) - sims.max(axis=1)) / (sims.shape[1] - 1)
    else:
        mu = np.zeros(len(rows))
    return np.clip((cos - mu) / np.maximum(1e-6, 1.0 - mu), -1.0, 1.0)


def _sample(doc: Document, limit: int = 48) -> list[str]:
    step = max(1, len(doc.segments) // limit)
    return [s.text for s in doc.segments[::step]][:limit]


def _best_support(ctx: Context, text: str, doc: Document, indices: Sequence[int]) -> float | None:
    """Highest calibrated similarity between ``text`` and the segments ``indices`` of
    ``doc`` (None without an encoder)."""
    if ctx.encoder is None or not indices:
        return None
    sample = _sample(doc)
    texts = [text] + [doc.segments[i].text for i in indices] + sample
    vectors = np.asarray(ctx.encoder.encode(texts))
    row = vectors[:1]
    cos = vectors[1:1 + len(indices)] @ row[0]
    return float(np.max(_calibrate(cos, row, vectors[1 + len(indices):])))


def _parts_support(ctx: Context, parts: Sequence[str], whole: Sequence[str],
                   whole_doc: Document) -> np.ndarray | None:
    """Calibrated similarity of each of ``parts`` with the (length-weighted) sum of
    ``whole``."""
    if ctx.encoder is None:
        return None
    sample = _sample(whole_doc)
    vectors = np.asarray(ctx.encoder.encode(list(parts) + list(whole) + sample))
    rows = vectors[:len(parts)]
    whole_vecs = vectors[len(parts):len(parts) + len(whole)]
    weights = np.sqrt([max(1, len(t)) for t in whole])[:, None]
    summed = (whole_vecs * weights).sum(axis=0)
    summed /= max(1e-12, float(np.linalg.norm(summed)))
    return _calibrate(rows @ summed, rows, vectors[len(parts) + len(whole):])


class _AlignmentCheck(Check):
    requires = frozenset({"source"})
    # Similarities are calibrated: 0 is what unrelated sentences score, 1 identity;
    # correct zh-en translations score 0.4 or more with the default encoder.
    defaults = {
        # Similarity with a neighbouring sentence above which the content is there.
        "covered": 0.45,
        # Similarity above which it may be there: the issue is minor.
        "maybe_covered": 0.25,
        # Sentences with fewer words (CJK characters count as words) are minor.
        "short": 4,
        # Inside a merged bead, a sentence whose similarity with the other side is under
        # "partial" while another sentence of the bead reaches "anchored" is left out.
        "partial": 0.1,
        "anchored": 0.35,
        # A sentence the aligner left unaligned is reported only when the aligner's
        # confidence in that one-sided bead (its posterior probability) is above this:
        # under 0.5, pairing the sentence with a neighbour (a merge) is more likely.
        "min_confidence": 0.5,
    }

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and bool(ctx.alignment) and not mismatched(ctx)

    def _severity(self, text: str, support: float | None,
                  room: bool = False) -> Severity | None:
        """None: not an issue (the content is in a neighbour); else the severity.

        ``room``: a neighbouring bead is long enough on the other side to hold this
        sentence too (a long sentence translated as several, say), so it may be a
        merge the aligner could not see.
        """
        if support is not None and support >= self.opts["covered"]:
            return None
        if content_size(text) < self.opts["short"] or room:
            return Severity.MINOR
        if support is not None and support >= self.opts["maybe_covered"]:
            return Severity.MINOR
        return self.level

    def _unsupported(self, ctx: Context, beads: Sequence[Bead], number: int,
                     side: str) -> Iterator[tuple[int, str, Severity]]:
        """Sentences on ``side`` ("source" or "target") of the one-sided bead ``number``
        whose content no neighbouring sentence of the other side holds, each with the
        severity it deserves (omissions and additions are mirror images)."""
        other_side = "target" if side == "source" else "source"
        doc, other = getattr(ctx, side), getattr(ctx, other_side)
        confidence = beads[number].confidence
        if confidence is not None and confidence <= self.opts["min_confidence"]:
            return
        for i in getattr(beads[number], side):
            text = doc.segments[i].text
            if not _CONTENT.search(text):
                continue
            support = _best_support(ctx, text, other,
                                    _neighbour_indices(beads, number, other_side))
            severity = self._severity(text, support,
                                      _room(ctx, beads, number, len(text), side))
            if severity is not None:
                yield i, text, severity

    def _partial_severity(self, text: str, similarity: float) -> Severity:
        """Inside a merged bead the evidence is weaker (one sentence against a longer
        text): major only for a long sentence that is clearly unrelated."""
        if content_size(text) >= 3 * self.opts["short"] and similarity < 0.0:
            return self.level
        return Severity.MINOR

    def _partial(self, ctx: Context, parts_doc: Document, parts: Sequence[int],
                 whole_doc: Document, whole: Sequence[int]) -> list[tuple[int, float]]:
        """Indices among ``parts`` that the ``whole`` side does not cover, with cosines.
        A very short sentence inside a merge ("她说。" -> ", she said"; "He nodded.") is
        never among them: too little content for its embedding to be judged against a
        longer text."""
        texts = [parts_doc.segments[i].text for i in parts]
        sims = _parts_support(ctx, texts, [whole_doc.segments[j].text for j in whole], whole_doc)
        if sims is None or float(sims.max()) < self.opts["anchored"]:
            return []
        return [(i, float(s)) for i, s, t in zip(parts, sims, texts)
                if s < self.opts["partial"] and _CONTENT.search(t)
                and content_size(t) >= self.opts["short"]]


@register
class Omission(_AlignmentCheck):
    """A source sentence that is missing from the translation.

    Fires when the alignment leaves a source sentence without any target sentence, or
    when several source sentences are aligned to a target that renders only some of
    them. A sentence left unaligned is reported only where the aligner finds the
    omission more likely than a merge with a neighbour (its confidence in the one-sided
    bead is over ``min_confidence``, 0.5). Before flagging, the sentence is also compared
    with the neighbouring target
    sentences: if its content is clearly there (a merge), nothing is reported; if it may
    be there, or the sentence is very short (a dateline, a credit), the issue is minor;
    otherwise major. The issue's source location is the omitted sentence; its target
    location is where the sentence would go (the end of the previous target sentence).

    Fires:
        source: 会议在临川召开。
        source: 国家发改委将把河湖治理项目纳入重点项目清单。
        source: 会议要求各地相互学习。
        target: The meeting was held in Linchuan.
        target: The meeting asked all localities to learn from one another.

    Passes:
        source: 会议在临川召开。
        source: 国家发改委将把河湖治理项目纳入重点项目清单。
        source: 会议要求各地相互学习。
        target: The meeting was held in Linchuan.
        target: The NDRC will put river and lake projects on its list of key projects.
        target: The meeting asked all localities to learn from one another.
    """

    code = "AL01"
    name = "alignment.omission"
    category = "accuracy/omission"
    severity = Severity.MAJOR

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        beads = ctx.alignment
        for number, bead in enumerate(beads):
            if bead.source and not bead.target:
                yield from self._unaligned(ctx, beads, number, bead)
            elif len(bead.source) > 1 and bead.target:
                for i, sim in self._partial(ctx, ctx.source, bead.source, ctx.target,
                                            bead.target):
                    severity = self._partial_severity(ctx.source.segments[i].text, sim)
                    yield self.issue(
                        f"source sentence {i + 1} is not rendered in the merged translation "
                        f"(similarity {sim:.2f}): {_quote(ctx.source.segments[i].text)}",
                        target=locate(ctx.target, bead.target[0]),
                        source=locate(ctx.source, i), severity=severity)

    def _unaligned(self, ctx: Context, beads: Sequence[Bead], number: int,
                   bead: Bead) -> Iterable[Issue]:
        assert ctx.source is not None
        where = _nearest(ctx.target, beads, number, "target")
        for i, text, severity in self._unsupported(ctx, beads, number, "source"):
            yield self.issue(f"source sentence {i + 1} has no translation: {_quote(text)}",
                             target=where, source=locate(ctx.source, i), severity=severity)


@register
class Addition(_AlignmentCheck):
    """A sentence in the translation that renders nothing in the source.

    Fires when the alignment leaves a target sentence without a source sentence, or
    when a target sentence inside a merged bead is less like its source than unrelated
    sentences are (calibrated similarity under ``partial``, 0.0). As for omissions, the
    aligner must find the addition more likely than a merge (confidence over
    ``min_confidence``), and content that is clearly in a neighbouring source sentence is not
    reported, and short or possibly-covered sentences are minor. Inside a merged bead a
    short sentence (under ``short`` words) is not judged at all: too little of it to
    compare with a longer text. Web-page debris that survived extraction ("Share to:")
    shows up here too.

    Why the merged-bead threshold is lower than the omission check's (0.1): a
    translator who joins sentences often adds a clause or a line of their own ("he
    said", a stage direction), and on human and machine translation alike such a
    sentence inside a merge (four words or more), with a similarity between 0 and 0.1,
    was an addition only 8 times in 72 (``benchmarks/align_eval.py --checks``); under 0
    it is one about half the time (11 in 24).

    Fires:
        source: 会议在临川召开。
        source: 志愿者清理了河岸。
        target: The meeting was held in Linchuan.
        target: Tickets for the concert are available online at half price.
        target: Volunteers cleaned the river banks.

    Passes:
        source: 会议在临川召开。
        source: 志愿者清理了河岸。
        target: The meeting was held in Linchuan.
        target: Volunteers cleaned the river banks.
    """

    code = "AL02"
    name = "alignment.addition"
    category = "accuracy/addition"
    severity = Severity.MAJOR
    defaults = {**_AlignmentCheck.defaults, "partial": 0.0}
    # Web-page debris (EX01-EX03) has no source either: reported once, as debris.
    noise = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        beads = ctx.alignment
        for number, bead in enumerate(beads):
            if bead.target and not bead.source:
                where = _nearest(ctx.source, beads, number, "source")
                for j, _text, severity in self._unsupported(ctx, beads, number, "target"):
                    yield self.issue(f"target sentence {j + 1} has no source",
                                     target=locate(ctx.target, j), source=where,
                                     severity=severity)
            elif len(bead.target) > 1 and bead.source:
                for j, sim in self._partial(ctx, ctx.target, bead.target, ctx.source,
                                            bead.source):
                    severity = self._partial_severity(ctx.target.segments[j].text, sim)
                    yield self.issue(f"target sentence {j + 1} matches nothing in its source "
                                     f"(similarity {sim:.2f})",
                                     target=locate(ctx.target, j),
                                     source=locate(ctx.source, bead.source[0]),
                                     severity=severity)


@register
class LowSimilarity(Check):
    """A translation whose meaning is far from its source (a possible mistranslation).

    Fires when the similarity of an aligned source and target (from the sentence
    encoder, normalised so that 0 is what unrelated sentences score and 1 a perfect
    match) is under ``minor_below`` (minor) or ``major_below`` (major). Correct
    translations score above 0.4 on the WMT zh-en data (1st percentile) with the default
    encoder; unrelated sentences score near 0. Segments shorter than ``min_chars``
    (names, numbers, headings) are not judged, and segments flagged as untranslated get
    no similarity issue. A target with nothing at all in common with its source is
    usually left unaligned instead (AL01 and AL02).

    Fires:
        source: 河水变清了，鱼虾回来了。
        target: The stock market fell sharply on Monday, and fish prices went back up.

    Passes:
        source: 河水变清了，鱼虾回来了。
        target: The river is clean again and the fish and shrimp have come back.
    """

    code = "AL03"
    name = "alignment.low-similarity"
    category = "accuracy/mistranslation"
    severity = Severity.MINOR
    requires = frozenset({"source"})
    noise = True
    defaults = {"minor_below": 0.3, "major_below": 0.12, "min_chars": 12}

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and not mismatched(ctx)

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        for bead in ctx.alignment:
            if not (bead.source and bead.target) or bead.similarity is None:
                continue
            src = "".join(ctx.source.segments[i].text for i in bead.source)
            tgt = "".join(ctx.target.segments[j].text for j in bead.target)
            if min(len(src.strip()), len(tgt.strip())) < self.opts["min_chars"]:
                continue
            if bead.similarity < self.opts["major_below"]:
                severity = Severity.MAJOR
            elif bead.similarity < self.opts["minor_below"]:
                severity = self.level
            else:
                continue
            yield self.issue(f"the translation is far from its source (similarity "
                             f"{bead.similarity:.2f}): possible mistranslation",
                             target=locate(ctx.target, bead.target[0]),
                             source=locate(ctx.source, bead.source[0]), severity=severity)


@register
class DocumentMismatch(Check):
    """A translation that does not correspond to its source at all.

    Fires once, as critical, when the median similarity of the source sentences to
    their aligned translation (0 for a sentence left unaligned) is under 0.3, where real
    translations score 0.6 or more: the wrong file was given, or the "translation" is in
    another language or about something else. The omission,
    addition and similarity checks stay silent then, instead of flagging every sentence.

    Fires (a Chinese article checked against the translation of another one):
        source: 会议在临川召开，各县河长参加了会议。
        source: 志愿者在周末清理了河岸上的垃圾。
        source: 今年全省的水质明显改善。
        source: 会议要求各地相互学习，共同推进河流治理。
        target: The football season starts next month with twenty teams.
        target: Ticket prices for the stadium have risen again this year.
        target: The coach said the players trained hard during the summer.
        target: Fans can watch every match on television.

    Passes (the article and its translation):
        source: 会议在临川召开，各县河长参加了会议。
        source: 志愿者在周末清理了河岸上的垃圾。
        source: 今年全省的水质明显改善。
        source: 会议要求各地相互学习，共同推进河流治理。
        target: The meeting was held in Linchuan, attended by the river chiefs of each county.
        target: Volunteers cleared rubbish from the river banks at the weekend.
        target: Water quality across the province improved markedly this year.
        target: The meeting asked all localities to learn from one another and advance river
            management together.
    """

    code = "AL04"
    name = "alignment.document-mismatch"
    category = "accuracy/mistranslation"
    severity = Severity.CRITICAL
    requires = frozenset({"source"})
    precondition = True

    def run(self, ctx: Context) -> Iterator[Issue]:
        assert ctx.source is not None
        if not ctx.target.segments or not ctx.source.segments or not mismatched(ctx):
            return
        detail = f"median similarity {median_similarity(ctx) or 0.0:.2f}"
        yield self.issue(f"the translation does not correspond to the source ({detail}); "
                         "wrong file or wrong language?",
                         target=locate(ctx.target, 0), source=locate(ctx.source, 0))
