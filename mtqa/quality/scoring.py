"""MQM scoring and the verdict.

Penalty of an issue: its severity weight (minor 1, major 5, critical 25; a minor
``fluency/punctuation`` issue 0.1), as in the WMT MQM studies (Freitag et al. 2021).
Penalty of a bead: the sum over the issues in its target (or, for omissions, its
source) segments. Document penalty: the sum over all issues.

Quality score: ``100 * (1 - penalty / words)``, clamped to 0..100, where ``words`` is
the number of words of the translation (a Chinese or Japanese character counts as one
word). A document with one major error per 100 words scores 95.

With an encoder and a source, each bead's score (``Scores.segments``) is the learned
estimate of its MQM points (``mtqa/quality/estimate.py``), never below the penalty of its
issues, and ``Scores.estimate`` their sum. The document penalty and quality still count
the issues unless the config sets ``quality_basis = "estimate"``.

Verdict (``verdict``, the one place that decides): a document fails when it has an
issue at or above ``fail_on`` (default: critical), more issues of an MQM category (or
prefix such as ``accuracy``) than ``max_issues`` allows, a quality under ``fail_under``
(default 95) or, checked without a source, under ``fail_under_target_only`` (default
99.5), or, when ``fail_over_estimate`` is set, more estimated MQM points per 100 words
than that. The limits were chosen on the WMT MQM data (README "Scores and the gate",
``benchmarks/gate_calibration.py``). The reasons name the checks that cost the most.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from mtqa.config import Config
from mtqa.model import Bead, Document, Issue, Scores, Severity

# The estimate's verdict abstains on shorter documents: it was calibrated on documents
# of 100 words and more, and on a few sentences its per-word rate is mostly the
# per-sentence base rate of the calibration, not evidence about this text.
MIN_ESTIMATE_WORDS = 100
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’-][^\W_]+)*")


def count_words(doc: Document) -> int:
    """Words of a document: Latin-script words plus one per CJK character."""
    return sum(len(_WORD.findall(s.text)) for s in doc.segments)


def issue_penalty(issue: Issue, weights: Mapping[str, float]) -> float:
    if issue.severity is Severity.MINOR and issue.category == "fluency/punctuation":
        return weights["minor-punctuation"]
    return weights[issue.severity.value]


def bead_penalties(alignment: Sequence[Bead], issues: Sequence[Issue],
                   weights: Mapping[str, float]) -> list[float]:
    """The MQM penalty of the issues of each bead (an omission counts in the bead of
    its source segment)."""
    bead_of_target = {t: b for b, bead in enumerate(alignment) for t in bead.target}
    bead_of_source = {s: b for b, bead in enumerate(alignment) for s in bead.source}
    per_bead = [0.0] * len(alignment)
    for issue in issues:
        bead = None
        if issue.source is not None and issue.category == "accuracy/omission":
            bead = bead_of_source.get(issue.source.segment)
        if bead is None and issue.target is not None:
            bead = bead_of_target.get(issue.target.segment)
        if bead is None and issue.source is not None:
            bead = bead_of_source.get(issue.source.segment)
        if bead is not None:
            per_bead[bead] += issue_penalty(issue, weights)
    return per_bead


def score(target: Document, alignment: Sequence[Bead], issues: Sequence[Issue],
          weights: Mapping[str, float], estimate: Sequence[float] | None = None,
          quality_basis: str = "issues") -> Scores:
    """Per-bead and document MQM penalties and the quality score (see the module docs).

    ``estimate`` is the encoder's estimated MQM points of each bead, or None."""
    per_bead = bead_penalties(alignment, issues, weights)
    total = sum(issue_penalty(i, weights) for i in issues)
    words = count_words(target)
    document_estimate = None
    if estimate is not None:
        # The issues found are evidence the estimate may have missed: a bead never
        # scores below the penalty of its own issues.
        per_bead = [max(float(e), p) for e, p in zip(estimate, per_bead)]
        document_estimate = sum(per_bead)
        if quality_basis == "estimate":
            total = document_estimate
    return Scores(penalty=total, words=words, quality=quality_of(total, words),
                  segments=tuple(per_bead), estimate=document_estimate)


def quality_of(penalty: float, words: int) -> float:
    """``100 * (1 - penalty / words)``, clamped to 0..100."""
    quality = 100.0 * (1 - penalty / words) if words else (100.0 if penalty == 0 else 0.0)
    return max(0.0, min(100.0, quality))


def quality_limit(config: Config, with_source: bool) -> float:
    """The ``fail_under`` that applies: target-only documents have their own."""
    if with_source or config.fail_under_target_only is None:
        return config.fail_under
    return config.fail_under_target_only


def verdict(scores: Scores, issues: Sequence[Issue], config: Config,
            target: Document | None = None, alignment: Sequence[Bead] = (),
            with_source: bool = True) -> tuple[bool, tuple[str, ...]]:
    """Pass or fail, and why it failed (empty when it passed): the one place that
    decides. ``with_source``: whether the document was checked against its source
    (else ``fail_under_target_only`` applies). ``target`` and ``alignment`` only make
    the reasons point at lines."""
    reasons = []
    blocking = [i for i in issues if i.severity >= config.fail_on]
    if blocking:
        reasons.append(f"{len(blocking)} issue(s) at or above {config.fail_on.value}: "
                       f"{_by_code(blocking)}")
    for category, most in config.max_issues.items():
        matching = [i for i in issues
                    if i.category == category or i.category.startswith(category + "/")]
        if len(matching) > most:
            reasons.append(f"{len(matching)} {category} issue(s), more than the {most} "
                           f"allowed: {_by_code(matching)}")
    limit = quality_limit(config, with_source)
    if scores.quality < limit:
        basis = "estimated points" if config.quality_basis == "estimate" else "points"
        worst = "" if config.quality_basis == "estimate" else \
            f" ({_by_penalty(issues, config.weights)})"
        mode = "" if with_source or limit == config.fail_under else " without a source"
        reasons.append(f"quality {scores.quality:.1f} is under {limit:g}{mode}: "
                       f"{scores.penalty:g} {basis} in {scores.words} words{worst}")
    if scores.estimate is not None and config.fail_over_estimate is not None and \
            scores.words >= MIN_ESTIMATE_WORDS:
        per_100 = 100.0 * scores.estimate / scores.words
        if per_100 > config.fail_over_estimate:
            reasons.append(f"the encoder estimates {per_100:.1f} MQM points per 100 words, "
                           f"more than the {config.fail_over_estimate:g} allowed"
                           f"{_worst_lines(scores, target, alignment)}")
    return not reasons, tuple(reasons)


def gate(scores: Scores, issues: Sequence[Issue], config: Config) -> tuple[bool, tuple[str, ...]]:
    """``verdict`` without line references (kept for callers of the old name)."""
    return verdict(scores, issues, config)


def _by_code(issues: Sequence[Issue], most: int = 4) -> str:
    counts = Counter(i.code for i in issues)
    parts = [code + (f" x{n}" if n > 1 else "") for code, n in counts.most_common(most)]
    more = len(counts) - most
    return ", ".join(parts) + (f" and {more} more check(s)" if more > 0 else "")


def _by_penalty(issues: Sequence[Issue], weights: Mapping[str, float], most: int = 3) -> str:
    points: dict[str, float] = {}
    for i in issues:
        points[i.code] = points.get(i.code, 0.0) + issue_penalty(i, weights)
    top = sorted(points.items(), key=lambda kv: -kv[1])[:most]
    return ", ".join(f"{code} {p:g}" for code, p in top) or "-"


def _worst_lines(scores: Scores, target: Document | None, alignment: Sequence[Bead],
                 most: int = 3) -> str:
    """``; worst at lines 4, 9, 12`` for the beads with the most estimated points."""
    if target is None or not alignment:
        return ""
    ranked = sorted(range(len(scores.segments)), key=lambda b: -scores.segments[b])[:most]
    lines = sorted({target.segments[alignment[b].target[0]].line for b in ranked
                    if alignment[b].target and scores.segments[b] > 0})
    return f"; worst at line(s) {', '.join(map(str, lines))}" if lines else ""
