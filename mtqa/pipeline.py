"""read+segment -> align -> check -> filter -> score -> verdict -> report.

Segmentation is part of reading: each reader splits prose into segments as it reads, so
that every segment keeps its place in the file.

``check_files`` and ``check_documents`` are the whole of mtqa as a library: they return
a ``Report`` and never print or exit. Other commands (``mtqa gate``, ``mtqa fix``,
``mtqa corpus``) use the same steps through ``Run``: ``Run.examine`` a document, filter
its issues, ``conclude`` it (score and verdict, computed once).
"""
from __future__ import annotations

import dataclasses
import hashlib
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from mtqa.alignment.aligner import Aligner, EmbeddingAligner, LengthAligner, default_aligner
from mtqa.alignment.embed import Encoder
from mtqa.checks.base import Check, Context
from mtqa.checks.limits import SegmentTooLong
from mtqa.checks.registry import enabled_checks, rules, unknown_selectors
from mtqa.ci.filters import without_inline_suppressed
from mtqa.config import Config, ConfigError
from mtqa.errors import InputError
from mtqa.glossary import load_glossaries
from mtqa.model import Bead, Document, DocumentReport, Examined, Issue, Report, Segment
from mtqa.quality.estimate import estimate_points, load_params, unit_rows
from mtqa.quality.metrics import reference_metrics
from mtqa.quality.scoring import score, verdict
from mtqa.readers import (
    BILINGUAL,
    is_bilingual,
    iter_bilingual,
    read_bilingual,
    read_document,
)
from mtqa.shipped import resolve_glossary
from mtqa.text.joined import Joined
from mtqa.text.language_sanity import language_warnings
from mtqa.text.segment_limit import blank_long, unblanked
from mtqa.version import __version__


@dataclass(frozen=True)
class Inputs:
    """One document to check: a translation with its optional source and reference."""

    target: Document
    source: Document | None = None
    reference: Document | None = None
    alignment: tuple[Bead, ...] | None = None  # given for bilingual files


def _is_bilingual_run(targets: Sequence[str], source: str | None,
                      reference: str | None) -> bool:
    """Whether ``targets`` are bilingual files; raises ``InputError`` on a combination
    of arguments that ``mtqa check`` does not take."""
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
        return True
    if len(targets) > 1 and (source or reference):
        raise InputError(targets[1], "--source/--reference go with one monolingual "
                                     "translation (several are checked target-only)")
    return False


def _unit_beads(target: Document, reference: Document | None) -> tuple[Bead, ...]:
    return tuple(Bead((i,), (i,), (i,) if reference else ()) for i in range(len(target.segments)))


def load_inputs(targets: Sequence[str], source: str | None = None,
                reference: str | None = None, config: Config | None = None) -> list[Inputs]:
    """Read the files of a run, each bilingual file as one document (``mtqa gate``
    reads them so); raises ``InputError`` on bad input."""
    config = config or Config()
    if _is_bilingual_run(targets, source, reference):
        out = []
        for path in targets:
            src, tgt, ref = read_bilingual(path, config.source_lang, config.target_lang)
            out.append(Inputs(tgt, src, ref, _unit_beads(tgt, ref)))
        return out
    return list(_monolingual(targets, source, reference, config))


def iter_inputs(targets: Sequence[str], source: str | None = None,
                reference: str | None = None, config: Config | None = None
                ) -> Iterator[Inputs]:
    """The documents of a ``mtqa check`` run, read one at a time as they are needed: an
    XLIFF file gives one document per ``<file>``. Bad arguments raise ``InputError``
    at once; a bad file raises it when its turn comes."""
    config = config or Config()
    if not _is_bilingual_run(targets, source, reference):
        return _monolingual(targets, source, reference, config)
    return (Inputs(tgt, src, ref, _unit_beads(tgt, ref))
            for path in targets
            for src, tgt, ref in iter_bilingual(path, config.source_lang, config.target_lang))


def _monolingual(targets: Sequence[str], source: str | None, reference: str | None,
                 config: Config) -> Iterator[Inputs]:
    if len(targets) > 1:
        # Several translations without sources (a folder of them): each on its own.
        for t in targets:
            yield Inputs(read_document(t, config.target_lang))
        return
    tgt = read_document(targets[0], config.target_lang)
    src = read_document(source, config.source_lang) if source else None
    ref = read_document(reference, tgt.lang) if reference else None
    yield Inputs(tgt, src, ref)


def check_files(targets: Sequence[str], source: str | None = None,
                reference: str | None = None, config: Config | None = None,
                aligner: Aligner | None = None, encoder: Encoder | None = None) -> Report:
    """Check translation file(s) and return the report. Languages that look wrong (an
    en->en pair, swapped files) are a ``RuntimeWarning`` (the CLI prints it)."""
    run, documents = stream_files(targets, source, reference, config, aligner, encoder)
    return run.report(list(documents))


def stream_files(targets: Sequence[str], source: str | None = None,
                 reference: str | None = None, config: Config | None = None,
                 aligner: Aligner | None = None, encoder: Encoder | None = None
                 ) -> tuple[Run, Iterator[DocumentReport]]:
    """``check_files`` a document at a time: the run, and its concluded documents in
    order, each read, checked and scored only when the iterator gets to it. Memory
    holds one document (and what the caller keeps of the others); ``run.report`` of
    what the caller kept makes the report."""
    config = config or Config()
    inputs = iter_inputs(targets, source, reference, config)
    run = Run(config, aligner, encoder)
    return run, _concluded(run, inputs, warn=True)


def check_documents(inputs: Iterable[Inputs], config: Config | None = None,
                    aligner: Aligner | None = None, encoder: Encoder | None = None) -> Report:
    """Check documents: the whole flow, with inline suppressions as the filter."""
    run = Run(config or Config(), aligner, encoder)
    return run.report(list(_concluded(run, inputs, warn=False)))


def _concluded(run: Run, inputs: Iterable[Inputs], warn: bool) -> Iterator[DocumentReport]:
    for item in inputs:
        if warn:
            for message in language_warnings(item.target, item.source, run.config.source_lang,
                                             run.config.target_lang):
                warnings.warn(message, RuntimeWarning, stacklevel=3)
        examined = run.examine(item)
        kept, _ = without_inline_suppressed(examined.issues, examined.target, examined.source)
        yield conclude(examined, kept, run.config)


class Run:
    """What one run owns: the config, the checks, the glossary, the aligner and the
    encoder (resolved once, the first time a document needs it, and handed explicitly
    to the aligner, the checks and the estimate).

    ``mtqa check``, ``mtqa gate`` and the API share it: ``examine`` a document (read,
    align, check: everything before the filter), filter its issues, ``conclude`` (score
    and verdict, once).
    """

    def __init__(self, config: Config, aligner: Aligner | None = None,
                 encoder: Encoder | None = None) -> None:
        unknown = unknown_selectors(config)
        if unknown:
            raise ConfigError(f"no check matches {', '.join(repr(u) for u in unknown)} "
                              "(see `mtqa rules`)")
        self.config = config
        self.checks = enabled_checks(config)
        self._encoder = encoder
        self._resolved = encoder is not None or config.encoder == "none"
        self.aligner = aligner or aligner_for(config, encoder)
        # Read once for all documents of the run; bad glossaries are input errors (exit 2).
        self.glossary = load_glossaries(config.glossaries, config.source_lang,
                                        config.target_lang)
        self.params = load_params(config.estimate)

    @property
    def encoder(self) -> Encoder | None:
        """The run's encoder, loaded on first use (None with ``encoder = "none"``, or
        when it cannot be loaded: the aligner has warned then)."""
        if not self._resolved:
            self._resolved = True
            load = getattr(self.aligner, "load", None)
            found = load() if callable(load) else getattr(self.aligner, "encoder", None)
            self._encoder = found if isinstance(found, Encoder) else None
        return self._encoder

    def examine(self, item: Inputs) -> Examined:
        """Align and check one document; estimate its beads' MQM points when it has a
        source and an encoder."""
        needs_encoder = item.source is not None or item.reference is not None
        encoder = self.encoder if needs_encoder else self._encoder
        # Over-long segments are blanked for the aligner, the checks and the estimate
        # (bounded work per segment); the report keeps the originals, and EX08 says
        # which were not checked.
        limit = self.config.max_segment_chars
        target = blank_long(item.target, limit)
        assert target is not None
        limited = Inputs(target, blank_long(item.source, limit),
                         blank_long(item.reference, limit), item.alignment)
        vectors = None
        if limited.alignment is not None:
            # A bilingual file is aligned by its units; the encoder still measures how
            # close each unit's sides are, for the similarity checks (AL03). Its units
            # are encoded once, for that and for the estimate.
            vectors = unit_vectors(limited, encoder)
            alignment = unit_similarities(limited, limited.alignment, encoder, vectors)
        else:
            alignment = _align(limited, self.aligner)
        ctx = Context(target=limited.target, source=limited.source,
                      reference=limited.reference, alignment=alignment,
                      glossary=self.glossary, encoder=encoder, config=self.config)
        issues = run_checks(ctx, self.checks)
        if limited != item:
            full = Context(target=item.target, source=item.source, reference=item.reference,
                           alignment=alignment, config=self.config)
            too_long = [c for c in self.checks if isinstance(c, SegmentTooLong)]
            issues = sorted(unblanked(issues, full, alignment) + run_checks(full, too_long),
                            key=_order)
        estimate = estimate_points(limited.target, limited.source, limited.reference,
                                   alignment, encoder, self.params, vectors)
        skipped = tuple(c.code for c in self.checks if not c.applies(ctx))
        return Examined(item.target, item.source, item.reference, alignment, tuple(issues),
                        _metrics(limited, alignment, encoder), estimate, skipped)

    def report(self, documents: Sequence[DocumentReport]) -> Report:
        """The report of the run's concluded documents."""
        return Report(documents=tuple(documents),
                      signature=signature(self.checks, self.config, self.aligner, documents),
                      passed=all(d.passed for d in documents),
                      settings=settings(self.config, self.checks), rules=rules())


def conclude(examined: Examined, issues: Sequence[Issue], config: Config) -> DocumentReport:
    """Score the issues left after the filter (with the estimate, when there is one)
    and decide the verdict: the only place either is computed."""
    scores = score(examined.target, examined.alignment, issues, config.weights,
                   examined.estimate, config.quality_basis)
    passed, reasons = verdict(scores, issues, config, examined.target, examined.alignment,
                              examined.source is not None)
    return DocumentReport(target=examined.target, source=examined.source,
                          reference=examined.reference, alignment=examined.alignment,
                          issues=tuple(issues), metrics=examined.metrics, scores=scores,
                          passed=passed, reasons=reasons, skipped=examined.skipped)


# What a slimmed document keeps in the place of each segment and bead it drops: one
# shared value, so that the place costs a pointer.
_DROPPED_SEGMENT = Segment(text="", line=0, column=0)
_DROPPED_BEAD = Bead((), ())


def slimmed(d: DocumentReport) -> DocumentReport:
    """``d`` as the formats that list issues need it (SARIF, JUnit, GitHub annotations,
    Markdown, the summary, Rich without ``--show-segments``): its issues, scores,
    metrics and verdict, and the segments an issue points at (for unit ids, end
    positions and fixes). Every other segment, every bead and the units' information
    are dropped, keeping only how many there were: a checked document then costs a
    few pointers per segment, so a run over many documents holds one document whole at
    a time, not all of them."""
    target_kept = {i.target.segment for i in d.issues if i.target is not None}
    target_kept |= {e.segment for i in d.issues if i.fix is not None for e in i.fix.edits
                    if e.segment is not None}
    source_kept = {i.source.segment for i in d.issues if i.source is not None}
    slim_target = _sparse(d.target, target_kept)
    assert slim_target is not None
    return dataclasses.replace(d, target=slim_target, source=_sparse(d.source, source_kept),
                               reference=_sparse(d.reference, set()),
                               alignment=(_DROPPED_BEAD,) * len(d.alignment))


def _sparse(doc: Document | None, kept: set[int]) -> Document | None:
    if doc is None:
        return None
    segments = tuple(s if i in kept else _DROPPED_SEGMENT for i, s in enumerate(doc.segments))
    return dataclasses.replace(doc, segments=segments, units=())


def settings(config: Config, checks: Sequence[Check]) -> dict[str, object]:
    """The gate settings a report carries."""
    return {"fail_on": config.fail_on.value, "fail_under": config.fail_under,
            "fail_under_target_only": config.fail_under_target_only,
            "fail_over_estimate": config.fail_over_estimate,
            "checks": [c.code for c in checks]}


def aligner_for(config: Config, encoder: Encoder | None = None) -> Aligner:
    """The aligner of a run: with ``encoder`` given, an embedding aligner on it; with
    ``encoder = "none"``, the length aligner; else the default (loads the configured
    encoder on first use)."""
    if encoder is not None:
        return EmbeddingAligner(encoder, mode=config.align_mode)
    if config.encoder == "none":
        return LengthAligner()
    return default_aligner(config)


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


def unit_vectors(item: Inputs, encoder: Encoder | None
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """The unit-length embeddings of ``item``'s source and target segments (None
    without an encoder or a source), as float32: they are held while the document is
    checked, and float64 would double what a large document costs (a million units
    of a 512-dimension encoder: 4 GB a side instead of 2)."""
    if encoder is None or item.source is None:
        return None
    return _encoded(item.source.texts, encoder), _encoded(item.target.texts, encoder)


def _encoded(texts: list[str], encoder: Encoder, batch: int = 4096) -> np.ndarray:
    """Unit rows of ``texts`` in float32, encoded a batch at a time into one array: what
    the encoder and the normalisation allocate on the way is bounded by the batch."""
    out = np.zeros((len(texts), 0), dtype=np.float32)
    for start in range(0, len(texts), batch):
        rows = unit_rows(encoder.encode(texts[start:start + batch])).astype(np.float32)
        if start == 0:
            out = np.empty((len(texts), rows.shape[1]), dtype=np.float32)
        out[start:start + len(rows)] = rows
    return out


def unit_similarities(item: Inputs, beads: Sequence[Bead], encoder: Encoder | None,
                      vectors: tuple[np.ndarray, np.ndarray] | None = None
                      ) -> tuple[Bead, ...]:
    """``beads`` with the similarity of their sides, normalised as the embedding aligner
    does (0: what unrelated sentences score, 1: a perfect match), so that the similarity
    checks mean the same on bilingual files; unchanged without an encoder or source.
    ``vectors``: ``unit_vectors(item, encoder)`` when the caller has them."""
    if encoder is None or item.source is None or not beads:
        return tuple(beads)
    from mtqa.alignment.aligner import _unrelated  # the aligner's own normalisation

    vectors = vectors or unit_vectors(item, encoder)
    assert vectors is not None  # there are an encoder and a source
    es, et = vectors
    mu_s = _unrelated(es, et, 48)
    mu_t = _unrelated(et, es, 48)
    out = []
    for bead in beads:
        if not (bead.source and bead.target):
            out.append(bead)
            continue
        s = unit_rows(es[list(bead.source)].sum(axis=0, keepdims=True))[0]
        t = unit_rows(et[list(bead.target)].sum(axis=0, keepdims=True))[0]
        mu = 0.5 * (float(np.mean(mu_s[list(bead.source)])) + float(np.mean(mu_t[list(bead.target)])))
        sim = min(1.0, max(0.0, (float(s @ t) - mu) / max(1e-6, 1.0 - mu)))
        out.append(dataclasses.replace(bead, similarity=round(sim, 4)))
    return tuple(out)
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
              documents: Sequence[DocumentReport | Examined]) -> str:
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
    if config.estimate not in ("", "default"):
        parts.append(f"est:{_file_digest(config.estimate)}")
    sig = next((d.metrics.get("signatures") for d in documents if d.metrics.get("signatures")), None)
    if isinstance(sig, dict) and "bleu" in sig:
        parts.append(f"bleu:{sig['bleu']}")
    return "|".join(parts)


def _alignment_name(aligner: Aligner, documents: Sequence[DocumentReport | Examined]) -> str:
    """The aligner's name when it aligned something; ``units`` when every document was
    a bilingual file (aligned by construction); ``none`` for target-only runs."""
    if any(d.target.format not in BILINGUAL
           and (d.source is not None or d.reference is not None) for d in documents):
        name = str(getattr(aligner, "name", type(aligner).__name__))
        mode = getattr(aligner, "mode", "auto")
        return name if mode == "auto" else f"{name}+{mode}"
    return "units" if any(d.source is not None for d in documents) else "none"


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:10]
    except OSError:
        return "unreadable"


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
