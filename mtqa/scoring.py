"""MQM scoring and the quality gate.

Penalty of an issue: its severity weight (minor 1, major 5, critical 25; a minor
``fluency/punctuation`` issue 0.1), as in the WMT MQM studies (Freitag et al. 2021).
Penalty of a bead: the sum over the issues in its target (or, for omissions, its
source) segments. Document penalty: the sum over all issues.

Quality score: ``100 * (1 - penalty / words)``, clamped to 0..100, where ``words`` is
the number of words of the translation (a Chinese or Japanese character counts as one
word). A document with one major error per 100 words scores 95.

With an encoder and a source, the penalty of each bead (``Scores.segments``) is instead
the learned estimate of its MQM points (``mtqa/estimate.py``), never below the penalty
of its issues. The document penalty and quality still count the issues unless the
config sets ``quality_basis = "estimate"``: then ``penalty`` is the sum of the bead
estimates and quality = ``100 * (1 - penalty / words)`` of that. (The estimate expects
some points on every sentence, as human MQM does: typical MT scores 80-95 that way.)

Gate: a document fails when it has an issue at or above ``fail_on`` (default: critical)
or its quality is under ``fail_under`` (default 95), or it has more issues of an MQM
category (or category prefix such as ``accuracy``) than ``max_issues`` allows.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from mtqa.config import Config
from mtqa.model import Bead, Document, Issue, Scores, Severity

_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’-][^\W_]+)*")


def count_words(doc: Document) -> int:
    """Words of a document: Latin-script words plus one per CJK character."""
    return sum(len(_WORD.findall(s.text)) for s in doc.segments)


def issue_penalty(issue: Issue, weights: Mapping[str, float]) -> float:
    if issue.severity is Severity.MINOR and issue.category == "fluency/punctuation":
        return weights["minor-punctuation"]
    return weights[issue.severity.value]


def score(target: Document, alignment: Sequence[Bead], issues: Sequence[Issue],
          weights: Mapping[str, float]) -> Scores:
    """Per-bead and document MQM penalties and the quality score."""
    bead_of_target = {t: b for b, bead in enumerate(alignment) for t in bead.target}
    bead_of_source = {s: b for b, bead in enumerate(alignment) for s in bead.source}
    per_bead = [0.0] * len(alignment)
    total = 0.0
    for issue in issues:
        p = issue_penalty(issue, weights)
        total += p
        bead = None
        if issue.source is not None and issue.category == "accuracy/omission":
            bead = bead_of_source.get(issue.source.segment)
        if bead is None and issue.target is not None:
            bead = bead_of_target.get(issue.target.segment)
        if bead is None and issue.source is not None:
            bead = bead_of_source.get(issue.source.segment)
        if bead is not None:
            per_bead[bead] += p
    words = count_words(target)
    quality = 100.0 * (1 - total / words) if words else (100.0 if total == 0 else 0.0)
    return Scores(penalty=total, words=words, quality=max(0.0, min(100.0, quality)),
                  segments=tuple(per_bead))


def with_estimate(scores: Scores, estimate: Sequence[float] | None, config: Config) -> Scores:
    """``scores`` with the bead penalties replaced by ``estimate`` (unchanged when None),
    and the document penalty and quality from the estimate when ``quality_basis`` says so."""
    if estimate is None:
        return scores
    segments = tuple(float(e) for e in estimate)
    if config.quality_basis != "estimate":
        return dataclasses.replace(scores, segments=segments)
    total = sum(segments)
    words = scores.words
    quality = 100.0 * (1 - total / words) if words else (100.0 if total == 0 else 0.0)
    return dataclasses.replace(scores, penalty=total, segments=segments,
                               quality=max(0.0, min(100.0, quality)))


def gate(scores: Scores, issues: Sequence[Issue], config: Config) -> tuple[bool, tuple[str, ...]]:
    """Pass or fail, and why it failed (empty when it passed)."""
    reasons = []
    blocking = [i for i in issues if i.severity >= config.fail_on]
    if blocking:
        reasons.append(f"{len(blocking)} issue(s) at or above {config.fail_on.value}")
    for category, limit in config.max_issues.items():
        count = sum(1 for i in issues
                    if i.category == category or i.category.startswith(category + "/"))
        if count > limit:
            reasons.append(f"{count} {category} issue(s), more than the {limit} allowed")
    if scores.quality < config.fail_under:
        reasons.append(f"quality {scores.quality:.1f} is under {config.fail_under:g}")
    return not reasons, tuple(reasons)
