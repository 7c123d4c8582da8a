"""read -> segment -> align -> check -> score -> report.

``check_files`` and ``check_documents`` are the whole of mtqa as a library: they return
a ``Report`` and never print or exit.
"""
from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from typing import Sequence

from mtqa import __version__
from mtqa.align import Aligner, default_aligner
from mtqa.checks.base import Check, Context, Joined
from mtqa.checks.limits import SegmentTooLong
from mtqa.checks.registry import enabled_checks, unknown_selectors
from mtqa.config import Config, ConfigError
from mtqa.embed import Encoder
from mtqa.errors import InputError
from mtqa.estimate import estimate_segments
from mtqa.glossary import Glossary, load_glossaries
from mtqa.language_sanity import language_warnings
from mtqa.metrics import reference_metrics
from mtqa.model import Bead, Document, DocumentReport, Issue, Report
from mtqa.readers import BILINGUAL, is_bilingual, read_bilingual, read_document
from mtqa.scoring import gate, score, with_estimate
from mtqa.segment_limit import blank_long, unblanked
from mtqa.shipped import resolve_glossary


@dataclass(frozen=True)
class Inputs:
    """One document to check: a translation with its optional source and reference."""

    target: Document
    source: Document | None = None
    reference: Document | None = None
    alignment: tuple[Bead, ...] | None = None  # given for bilingual files


def load_inputs(targets: Sequence[str], source: str | None = None,
                reference: str | None = None, config: Config | None = None) -> list[Inputs]:
    """Read the files of a ``mtqa check`` run; raises ``InputError`` on bad input."""
    config = config or Config()
    if not targets:
        raise InputError(None, "no translation file given")
    bilingual = [is_bilingual(t) for t in targets]
    if any(bilingual):
        if not all(bilingual):
            raise InputError(targets[bilingual.index(False)],
                             "mixing bilingual and monolingual translation files")
        if source or reference:
            raise InputError(source or reference,
                             "--source/--reference are for monolingual translations; "
                             "a bilingual file carries its own")
        out = []
        for path in targets:
            src, tgt, ref = read_bilingual(path, config.source_lang, config.target_lang)
            beads = tuple(Bead((i,), (i,), (i,) if ref else ()) for i in range(len(tgt.segments)))
            out.append(Inputs(tgt, src, ref, beads))
        return out
    if len(targets) > 1:
        if source or reference:
            raise InputError(targets[1], "--source/--reference go with one monolingual "
                                         "translation (several are checked target-only)")
        # Several translations without sources (a folder of them): each on its own.
        return [Inputs(read_document(t, config.target_lang)) for t in targets]
    tgt = read_document(targets[0], config.target_lang)
    src = read_document(source, config.source_lang) if source else None
    ref = read_document(reference, tgt.lang) if reference else None
    return [Inputs(tgt, src, ref)]


def check_files(targets: Sequence[str], source: str | None = None,
                reference: str | None = None, config: Config | None = None,
                aligner: Aligner | None = None, encoder: Encoder | None = None) -> Report:
    """Check translation file(s) and return the report. Languages that look wrong (an
    en->en pair, swapped files) are a ``RuntimeWarning`` (the CLI prints it)."""
    config = config or Config()
    inputs = load_inputs(targets, source, reference, config)
    for item in inputs:
        for message in language_warnings(item.target, item.source, config.source_lang,
                                         config.target_lang):
            warnings.warn(message, RuntimeWarning, stacklevel=2)
    return check_documents(inputs, config, aligner, encoder)


def check_documents(inputs: Sequence[Inputs], config: Config | None = None,
                    aligner: Aligner | None = None, encoder: Encoder | None = None) -> Report:
    """Check documents; with an ``encoder`` the bead scores are the MQM estimate."""
    config = config or Config()
    unknown = unknown_selectors(config)
    if unknown:
        raise ConfigError(f"no check matches {', '.join(repr(u) for u in unknown)} "
                          "(see `mtqa rules`)")
    checks = enabled_checks(config)
    aligner = aligner or default_aligner(config)
    # Read once for all documents of the run; bad glossaries are input errors (exit 2).
    glossary = load_glossaries(config.glossaries, config.source_lang, config.target_lang)
    documents = tuple(_check_one(item, checks, config, aligner, glossary, encoder)
                      for item in inputs)
    return Report(documents=documents, signature=signature(checks, config, aligner, documents),
                  passed=all(d.passed for d in documents),
                  settings={"fail_on": config.fail_on.value, "fail_under": config.fail_under,
                            "checks": [c.code for c in checks]})


def _check_one(item: Inputs, checks: list[Check], config: Config,
               aligner: Aligner, glossary: Glossary | None = None,
               encoder: Encoder | None = None) -> DocumentReport:
    # Over-long segments are blanked for the aligner and the checks (bounded work per
    # segment); the report keeps the originals and EX08 says which were not checked.
    limit = config.max_segment_chars
    target = blank_long(item.target, limit)
    assert target is not None
    limited = Inputs(target, blank_long(item.source, limit), blank_long(item.reference, limit),
                     item.alignment)
    alignment = item.alignment or _align(limited, aligner)
    # Unless one is given, the encoder is the one the aligner loaded (checks and the
    # estimate must cope with None: bilingual files are aligned without one).
    encoder = encoder or getattr(aligner, "encoder", None)
    ctx = Context(target=limited.target, source=limited.source, reference=limited.reference,
                  alignment=alignment, glossary=glossary, encoder=encoder, config=config)
    issues = run_checks(ctx, checks)
    if limited != item:
        full = Context(target=item.target, source=item.source, reference=item.reference,
                       alignment=alignment, config=config)
        issues = sorted(unblanked(issues, full, alignment)
                        + run_checks(full, [c for c in checks if isinstance(c, SegmentTooLong)]),
                        key=_order)
    scores = score(item.target, alignment, issues, config.weights)
    # With an encoder and a source, bead scores become the learned MQM estimate
    # (mtqa/estimate.py); without, they stay the issue penalties (scoring.with_estimate).
    scores = with_estimate(scores, estimate_segments(ctx, scores.segments, encoder), config)
    metrics = _metrics(limited, alignment, encoder)
    passed, reasons = gate(scores, issues, config)
    return DocumentReport(target=item.target, source=item.source, reference=item.reference,
                          alignment=alignment, issues=tuple(issues), metrics=metrics,
                          scores=scores, passed=passed, reasons=reasons,
                          skipped=tuple(c.code for c in checks if not c.applies(ctx)))


def run_checks(ctx: Context, checks: Sequence[Check]) -> list[Issue]:
    """Run the checks that apply; drop noise on segments where a precondition fired."""
    found: list[tuple[Check, Issue]] = []
    for check in checks:
        if check.applies(ctx):
            found.extend((check, issue) for issue in check.run(ctx))
    blocked = {i.target.segment for c, i in found if i.target and c.blocks(i)}
    kept = [i for c, i in found
            if not (c.noise and i.target is not None and i.target.segment in blocked)]
    kept.sort(key=_order)
    return kept


def _order(issue: Issue) -> tuple[int, int, str]:
    """Issues in target order; those without a target place first."""
    return (issue.target.segment if issue.target else -1,
            issue.target.start if issue.target else 0, issue.code)


def _align(item: Inputs, aligner: Aligner) -> tuple[Bead, ...]:
    tgt = item.target
    if item.source is None:
        beads = [Bead((), (j,)) for j in range(len(tgt.segments))]
    else:
        beads = aligner.align(item.source.texts, tgt.texts, item.source.lang, tgt.lang)
    if item.reference is None:
        return tuple(beads)
    # Reference segments attach to the bead of the target segments they align with.
    ref_beads = aligner.align(tgt.texts, item.reference.texts, tgt.lang, item.reference.lang)
    ref_of_target: dict[int, list[int]] = {}
    for rb in ref_beads:
        if rb.source:
            ref_of_target.setdefault(rb.source[0], []).extend(rb.target)
    out = []
    for bead in beads:
        refs = tuple(r for t in bead.target for r in ref_of_target.get(t, []))
        out.append(Bead(bead.source, bead.target, refs, bead.similarity))
    return tuple(out)


def _metrics(item: Inputs, alignment: Sequence[Bead],
             encoder: Encoder | None = None) -> dict[str, object]:
    if item.reference is None:
        return {}
    pairs = [(Joined.of(item.target, b.target).text, Joined.of(item.reference, b.reference).text)
             for b in alignment if b.target and b.reference]
    if not pairs:
        return {}
    return reference_metrics([h for h, _ in pairs], [r for _, r in pairs], item.target.lang,
                             encoder)


def signature(checks: Sequence[Check], config: Config, aligner: Aligner,
              documents: Sequence[DocumentReport]) -> str:
    """A sacrebleu-style signature of everything that changes the result."""
    check_set = ",".join(f"{c.code}:{c.level.value}" for c in checks)
    digest = hashlib.sha256(check_set.encode()).hexdigest()[:10]
    w = config.weights
    parts = [
        f"mtqa:{__version__}",
        f"align:{_alignment_name(aligner, documents)}",
        f"enc:{getattr(aligner, 'encoder_id', None) or 'none'}",
        f"quality:{config.quality_basis}",
        f"checks:{len(checks)}-{digest}",
        f"gloss:{_glossary_hash(config)}",
        f"mqm:{w['minor']:g}/{w['major']:g}/{w['critical']:g}/{w['minor-punctuation']:g}",
    ]
    sig = next((d.metrics.get("signatures") for d in documents if d.metrics.get("signatures")), None)
    if isinstance(sig, dict) and "bleu" in sig:
        parts.append(f"bleu:{sig['bleu']}")
    return "|".join(parts)


def _alignment_name(aligner: Aligner, documents: Sequence[DocumentReport]) -> str:
    """The aligner's name when it aligned something; ``units`` when every document was
    a bilingual file (aligned by construction); ``none`` for target-only runs."""
    if any(d.target.format not in BILINGUAL
           and (d.source is not None or d.reference is not None) for d in documents):
        return str(getattr(aligner, "name", type(aligner).__name__))
    return "units" if any(d.source is not None for d in documents) else "none"


def _glossary_hash(config: Config) -> str:
    if not config.glossaries:
        return "none"
    h = hashlib.sha256()
    for path in config.glossaries:
        try:
            with open(resolve_glossary(path), "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(path.encode())
    return h.hexdigest()[:10]
