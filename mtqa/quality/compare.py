"""``mtqa compare``: rank any number of systems that translated the same text, with
significance tests against a baseline, as MT evaluators do.

Inputs, aligned by segment:

- one file per system. When every file (systems, reference, source) has the same number
  of lines, line i of each is segment i (the convention of sacrebleu and WMT test
  sets). Files of prose (paragraphs separated by blank lines) with different numbers of
  lines are read as documents, split into sentences and aligned to a pivot (the
  reference, else the source, else the baseline system); the units compared are the
  smallest groups of pivot sentences that no alignment splits. Line-per-segment files
  whose line counts differ are an input error naming the odd file.
- or one TSV/JSONL table with a ``system`` column and a ``target`` column, and
  optionally ``source``, ``reference``, ``doc`` and ``seg`` (also ``doc_seg_index``,
  ``seg_id`` or ``id``) columns. Rows with ``is_human_reference`` true (the layout of
  the WMT MQM releases) are the reference, not a system. Every system must translate
  the same segments.

Per system: BLEU, chrF++ and TER with their sacrebleu signatures (with a reference);
mtqa's MQM penalty per segment (the learned estimate with a source and an encoder, else
the penalties of the issues found); the consensus (agreement with the other systems'
outputs, three systems or more, ``mtqa.quality.consensus``); the issues found, by MQM category.

Significance against the baseline (the first system, or ``--baseline``): sacrebleu's
paired bootstrap resampling (1,000 resamples) and/or paired approximate randomisation
(10,000 trials) for BLEU, chrF++ and TER, and the same two tests, drawing the same
random numbers (``mtqa.quality.significance``), for mtqa's per-segment scores. The seed is
fixed (12345 unless given) and stated in every signature.

Per segment: which system is best and worst (by chrF++ against the reference, else by
the consensus of three systems or more, else by mtqa's penalty) and how much the
systems disagree (1 - their mean pairwise chrF++ / 100):
the segments where they disagree most are the ones a person should read first.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.alignment.aligner import Aligner
from mtqa.alignment.embed import Encoder
from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.model import Bead, Document, Segment
from mtqa.quality.consensus import chrf_agreement, cosine_agreement, rank_mean
from mtqa.quality.metrics import embedding_similarity, make_metrics, sentence_chrf
from mtqa.quality.significance import (
    AR_TRIALS,
    BOOTSTRAP_SAMPLES,
    Interval,
    paired_bootstrap,
    paired_randomisation,
)
from mtqa.version import __version__

SCHEMA = "mtqa.compare/2"
ALPHA = 0.05
TESTS = ("bs", "ar")
TABLE_FORMATS = {".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


# ---------------------------------------------------------------- values

@dataclass(frozen=True)
class Systems:
    """The systems' outputs aligned by unit: ``outputs[s][u]`` is system s on unit u."""

    names: tuple[str, ...]
    outputs: tuple[tuple[str, ...], ...]
    reference: tuple[str, ...] | None
    source: tuple[str, ...] | None
    lang: str
    source_lang: str | None
    mode: str  # "lines", "documents" or "table"
    labels: tuple[str, ...] = ()  # a name per unit (table mode: doc:seg)

    @property
    def units(self) -> int:
        return len(self.outputs[0]) if self.outputs else 0

    def label(self, unit: int) -> str:
        return self.labels[unit] if self.labels else str(unit + 1)


@dataclass(frozen=True)
class Test:
    """One significance test of one system against the baseline under one metric."""

    kind: str  # "bs" or "ar"
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


@dataclass(frozen=True)
class Score:
    """One system's score under one metric, with its tests against the baseline
    (none for the baseline itself)."""

    value: float
    mean: float | None = None
    ci: float | None = None
    tests: tuple[Test, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"score": round(self.value, 4)}
        if self.mean is not None and self.ci is not None:
            out["mean"] = round(self.mean, 4)
            out["ci"] = round(self.ci, 4)
        for t in self.tests:
            out[f"p_{t.kind}"] = round(t.p_value, 4)
        return out


@dataclass(frozen=True)
class Metric:
    name: str
    key: str
    higher_is_better: bool
    signature: str
    scores: tuple[Score, ...]  # one per system, in the order of ``Comparison.systems``

    def better_than_baseline(self, system: int, baseline: int) -> str:
        """``better``, ``worse`` or ``tie`` against the baseline (not tested)."""
        delta = self.scores[system].value - self.scores[baseline].value
        if delta == 0:
            return "tie"
        return "better" if (delta > 0) == self.higher_is_better else "worse"

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        return {"name": self.name, "key": self.key, "higher_is_better": self.higher_is_better,
                "signature": self.signature,
                "systems": {n: s.to_dict() for n, s in zip(names, self.scores)}}


@dataclass(frozen=True)
class SegmentView:
    """One unit: the best and worst system and how much the systems disagree."""

    unit: int
    label: str
    best: int
    worst: int
    disagreement: float


@dataclass(frozen=True)
class Comparison:
    systems: tuple[str, ...]
    baseline: int
    reference: str | None
    source: str | None
    lang: str
    units: int
    mode: str
    samples: int
    trials: int
    seed: int
    tests: tuple[str, ...]
    metrics: tuple[Metric, ...]
    issues: tuple[dict[str, int], ...]  # per system: MQM category -> count
    segments: tuple[SegmentView, ...]  # the units where systems disagree most
    outputs: tuple[tuple[str, ...], ...] = field(repr=False, default=())
    labels: tuple[str, ...] = ()
    source_texts: tuple[str, ...] | None = field(repr=False, default=None)
    reference_texts: tuple[str, ...] | None = field(repr=False, default=None)
    alpha: float = ALPHA  # significance level of the tests

    def metric(self, key: str) -> Metric | None:
        return next((m for m in self.metrics if m.key == key), None)

    def ranking(self) -> list[int]:
        """Systems in order, best first: by chrF++ with a reference, else by consensus
        with three systems or more, else by mtqa's penalty."""
        for key in ("chrf", "consensus", "mtqa"):
            m = self.metric(key)
            if m is not None:
                sign = -1 if m.higher_is_better else 1
                return sorted(range(len(self.systems)), key=lambda s: sign * m.scores[s].value)
        return list(range(len(self.systems)))

    def to_dict(self) -> dict[str, Any]:
        names = self.systems
        return {
            "schema": SCHEMA, "mtqa": __version__, "systems": list(names),
            "baseline": names[self.baseline], "reference": self.reference,
            "source": self.source, "lang": self.lang, "units": self.units, "mode": self.mode,
            "significance": {"tests": list(self.tests), "bootstrap_samples": self.samples,
                             "ar_trials": self.trials, "seed": self.seed, "alpha": ALPHA},
            "ranking": [names[s] for s in self.ranking()],
            "metrics": [m.to_dict(names) for m in self.metrics],
            "issues": {n: dict(sorted(c.items())) for n, c in zip(names, self.issues)},
            "segments": [{"unit": v.unit, "label": v.label, "best": names[v.best],
                          "worst": names[v.worst], "disagreement": round(v.disagreement, 4),
                          "outputs": {n: self.outputs[s][v.unit] for s, n in enumerate(names)}
                          if self.outputs else {}}
                         for v in self.segments],
        }


# ---------------------------------------------------------------- reading

def system_name(path: str, paths: Sequence[str]) -> str:
    """A system's name: its file name without extensions, or the path where two files
    would share a name."""
    stem = Path(path).name.split(".")[0] or Path(path).name
    others = [Path(p).name.split(".")[0] for p in paths]
    return stem if others.count(stem) == 1 else path


def load_systems(paths: Sequence[str], reference: str | None = None, source: str | None = None,
                 config: Config | None = None, aligner: Aligner | None = None,
                 segments: str = "auto") -> Systems:
    """Read the systems of a comparison; raises ``InputError`` on bad input."""
    config = config or Config()
    if len(paths) == 1 and Path(paths[0]).suffix.lower() in TABLE_FORMATS:
        if reference or source:
            raise InputError(reference or source, "a system table carries its own source "
                                                  "and reference columns")
        return load_table(paths[0], config)
    if len(paths) < 2:
        raise InputError(paths[0] if paths else None,
                         "give two systems or more (or one TSV/JSONL with a system column)")
    from mtqa.readers import is_bilingual
    from mtqa.readers.encoding import read_text

    extra = [p for p in (reference, source) if p]
    for p in list(paths) + extra:
        if is_bilingual(p):
            raise InputError(p, "mtqa compare reads one monolingual file per system "
                                "(or one TSV/JSONL with a system column)")
    texts = {p: read_text(p) for p in list(paths) + extra}
    lines = {p: t.splitlines() for p, t in texts.items()}
    counts = {p: len(v) for p, v in lines.items()}
    prose = any(not line.strip() for v in lines.values() for line in v)
    if segments == "lines" or (segments == "auto" and not prose):
        _same_line_counts(counts, reference or source)
        return _line_systems(paths, lines, reference, source, texts, config)
    if segments == "auto" and len(set(counts.values())) == 1:
        return _line_systems(paths, lines, reference, source, texts, config)
    return _document_systems(paths, reference, source, config, aligner)


def _same_line_counts(counts: dict[str, int], pivot: str | None) -> None:
    if len(set(counts.values())) == 1:
        return
    expected = counts[pivot] if pivot else Counter(counts.values()).most_common(1)[0][0]
    odd = next(p for p, n in counts.items() if n != expected)
    raise InputError(odd, f"{counts[odd]} lines where the other files have {expected}: "
                          "one segment per line is expected (files of prose paragraphs are "
                          "aligned as documents)")


def _line_systems(paths: Sequence[str], lines: dict[str, list[str]], reference: str | None,
                  source: str | None, texts: dict[str, str], config: Config) -> Systems:
    from mtqa.text.langdetect import detect

    if reference and not any(line.strip() for line in lines[reference]):
        raise InputError(reference, "the reference is empty")
    lang = config.target_lang or detect(texts[reference or paths[0]])
    src_lang = (config.source_lang or detect(texts[source])) if source else None
    return Systems(tuple(system_name(p, paths) for p in paths),
                   tuple(tuple(lines[p]) for p in paths),
                   tuple(lines[reference]) if reference else None,
                   tuple(lines[source]) if source else None, lang, src_lang, "lines")


def _document_systems(paths: Sequence[str], reference: str | None, source: str | None,
                      config: Config, aligner: Aligner | None) -> Systems:
    from mtqa.pipeline import aligner_for
    from mtqa.readers import read_document

    first = read_document(paths[0], config.target_lang)
    lang = first.lang
    docs = [first] + [read_document(p, lang) for p in paths[1:]]
    ref = read_document(reference, lang) if reference else None
    src = read_document(source, config.source_lang) if source else None
    pivot = ref or src or docs[0]
    others = docs + ([src] if src is not None and pivot is not src else [])
    aligner = aligner or aligner_for(config)
    alignments = [None if d is pivot else aligner.align(pivot.texts, d.texts, pivot.lang, d.lang)
                  for d in others]
    groups = _unit_groups(len(pivot.segments), [a for a in alignments if a is not None])
    joined = [[_join(d, list(g)) for g in groups] if al is None else _join_units(d, groups, al)
              for d, al in zip(others, alignments)]
    pivot_units = tuple(_join(pivot, list(g)) for g in groups)
    outputs = tuple(tuple(j) for j in joined[:len(docs)])
    source_units = (pivot_units if pivot is src else tuple(joined[-1])) if src else None
    return Systems(tuple(system_name(p, paths) for p in paths), outputs,
                   pivot_units if ref is not None else None, source_units, lang,
                   src.lang if src else None, "documents")


def _unit_groups(n_pivot: int, alignments: Sequence[Sequence[Bead]]) -> list[range]:
    """Consecutive ranges of pivot segments that no alignment splits."""
    cut = [True] * (n_pivot + 1)  # cut[i]: a unit may start at pivot segment i
    for beads in alignments:
        for bead in beads:
            for r in bead.source[1:]:
                cut[r] = False
    starts = [i for i in range(n_pivot) if cut[i]] + [n_pivot]
    return [range(s, e) for s, e in itertools.pairwise(starts)]


def _join_units(doc: Document, groups: list[range], beads: Sequence[Bead]) -> list[str]:
    unit_of = {r: u for u, g in enumerate(groups) for r in g}
    parts: list[list[int]] = [[] for _ in groups]
    last = 0
    for bead in beads:
        # A segment with no pivot partner joins the unit before it.
        unit = unit_of[bead.source[0]] if bead.source else last
        parts[unit].extend(bead.target)
        last = unit
    return [_join(doc, idx) for idx in parts]


def _join(doc: Document, indices: list[int]) -> str:
    from mtqa.text.joined import Joined

    return Joined.of(doc, indices).text


def load_table(path: str, config: Config) -> Systems:
    """Systems from one TSV/JSONL with a ``system`` column (see the module docstring)."""
    rows = _table_rows(path)
    key_cols = [c for c in ("seg", "doc_seg_index", "seg_id", "id") if c in rows[0][1]]
    by_system: dict[str, dict[tuple[str, str], str]] = {}
    refs: dict[tuple[str, str], str] = {}
    sources: dict[tuple[str, str], str] = {}
    counters: Counter[str] = Counter()
    for line, row in rows:
        system = str(row.get("system") or "").strip()
        if not system:
            raise InputError(path, "a row without a system name", line)
        if "target" not in row or not isinstance(row["target"], str):
            raise InputError(path, "a row without a target text", line)
        counters[system] += 1
        seg = str(row[key_cols[0]]) if key_cols else str(counters[system])
        key = (str(row.get("doc", "")), seg)
        if row.get("is_human_reference") in (True, "true", "True", "1"):
            refs.setdefault(key, row["target"])
            continue
        texts = by_system.setdefault(system, {})
        if key in texts:
            raise InputError(path, f"system {system!r} has segment {_label(key)} twice", line)
        texts[key] = row["target"]
        for col, store in (("source", sources), ("reference", refs)):
            value = row.get(col)
            if isinstance(value, str) and value.strip():
                store.setdefault(key, value)
    if len(by_system) < 2:
        raise InputError(path, f"{len(by_system)} system(s) in the table: two or more needed")
    names = list(by_system)
    keys = list(by_system[names[0]])
    for name in names[1:]:
        missing = [k for k in keys if k not in by_system[name]]
        extra = [k for k in by_system[name] if k not in by_system[names[0]]]
        if missing or extra:
            what = (f"lacks segment {_label(missing[0])}" if missing
                    else f"has segment {_label(extra[0])}")
            raise InputError(path, f"system {name!r} {what} that system {names[0]!r} "
                                   f"{'has' if missing else 'lacks'}: every system must "
                                   "translate the same segments")
    from mtqa.text.langdetect import detect

    outputs = tuple(tuple(by_system[n][k] for k in keys) for n in names)
    reference = tuple(refs.get(k, "") for k in keys) if refs else None
    source = tuple(sources.get(k, "") for k in keys) if sources else None
    sample = "\n".join(outputs[0][:50])
    lang = config.target_lang or detect(sample)
    src_lang = (config.source_lang or detect("\n".join(source[:50]))) if source else None
    return Systems(tuple(names), outputs, reference, source, lang, src_lang, "table",
                   tuple(_label(k) for k in keys))


def _label(key: tuple[str, str]) -> str:
    return f"{key[0]}:{key[1]}" if key[0] else key[1]


def _table_rows(path: str) -> list[tuple[int, dict[str, Any]]]:
    import csv
    import json

    from mtqa.readers.encoding import read_text

    text = read_text(path)
    rows: list[tuple[int, dict[str, Any]]] = []
    if TABLE_FORMATS[Path(path).suffix.lower()] == "jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:
                raise InputError(path, f"not a JSON object: {exc}", n) from None
            if not isinstance(obj, dict):
                raise InputError(path, "not a JSON object", n)
            rows.append((n, obj))
    else:
        lines = text.splitlines()
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [h.strip().lower() for h in next(reader, [])]
        for n, cells in enumerate(reader, 2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise InputError(path, f"{len(cells)} columns where the header has "
                                       f"{len(header)}", n)
            rows.append((n, dict(zip(header, cells))))
    if not rows:
        raise InputError(path, "no rows")
    if "system" not in rows[0][1]:
        raise InputError(path, "no 'system' column: a table of systems needs system and "
                               "target columns", rows[0][0])
    return rows


# ---------------------------------------------------------------- scoring

@contextlib.contextmanager
def _sacrebleu_seed(seed: int) -> Iterator[None]:
    # sacrebleu's PairedTest reads its seed from this variable only.
    old = os.environ.get("SACREBLEU_SEED")
    os.environ["SACREBLEU_SEED"] = str(seed)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SACREBLEU_SEED", None)
        else:
            os.environ["SACREBLEU_SEED"] = old


def reference_metrics(systems: Systems, order: list[int], tests: Sequence[str], samples: int,
                      trials: int, seed: int) -> list[Metric]:
    """BLEU, chrF++ and TER of every system with sacrebleu's paired tests against the
    baseline (``order[0]``)."""
    from sacrebleu.significance import PairedTest

    assert systems.reference is not None
    named: list[tuple[str, Sequence[str]]] = [(systems.names[s], list(systems.outputs[s]))
                                              for s in order]
    refs = [list(systems.reference)]
    found: dict[str, dict[str, Any]] = {}
    for kind in tests:
        metrics = make_metrics(systems.lang)
        with _sacrebleu_seed(seed):
            test = PairedTest(named, metrics, refs, test_type=kind,
                              n_samples=samples if kind == "bs" else trials,
                              n_ar_confidence=samples if kind == "ar" else -1)
            signatures, results = test()
        for key, name in zip(metrics, [k for k in results if k != "System"]):
            entry = found.setdefault(key, {"name": name, "results": {}, "sigs": []})
            entry["results"][kind] = results[name]
            entry["sigs"].append(str(signatures[name]))
    out = []
    for key, entry in found.items():
        scores: list[Score | None] = [None] * len(order)
        first = entry["results"][tests[0]]
        for pos, s in enumerate(order):
            r = first[pos]
            ptests = tuple(Test(kind, float(entry["results"][kind][pos].p_value))
                           for kind in tests) if pos else ()
            scores[s] = Score(float(r.score), _opt(r.mean), _opt(r.ci), ptests)
        out.append(Metric(entry["name"], key, key != "ter", " ; ".join(entry["sigs"]),
                          tuple(s for s in scores if s is not None)))
    return out


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def segment_metric(name: str, key: str, higher_is_better: bool, values: np.ndarray,
                   baseline: int, tests: Sequence[str], samples: int, trials: int, seed: int,
                   signature: str) -> Metric:
    """A metric that is the mean of per-segment ``values`` (systems x units), with the
    paired tests of ``mtqa.quality.significance`` against the baseline."""
    scores = []
    for s in range(len(values)):
        if s == baseline:
            base, _, _ = paired_bootstrap(values[baseline], values[baseline], samples, seed)
            scores.append(Score(base.score, base.mean, base.ci))
            continue
        ptests = []
        interval: Interval | None = None
        for kind in tests:
            if kind == "bs":
                _, interval, p = paired_bootstrap(values[baseline], values[s], samples, seed)
            else:
                p = paired_randomisation(values[baseline], values[s], trials, seed)
            ptests.append(Test(kind, p))
        if interval is None:
            _, interval, _ = paired_bootstrap(values[baseline], values[s], samples, seed)
        scores.append(Score(interval.score, interval.mean, interval.ci, tuple(ptests)))
    sig = f"{signature}|{'+'.join(tests)}|bs:{samples}|ar:{trials}|seed:{seed}"
    return Metric(name, key, higher_is_better, sig, tuple(scores))


def mtqa_scores(systems: Systems, system: int, config: Config,
                encoder: Encoder | None) -> tuple[np.ndarray, Counter[str]]:
    """mtqa's MQM penalty of each unit of one system, and its issues by MQM category."""
    from mtqa.pipeline import Inputs, check_documents

    def doc(values: Sequence[str], lang: str) -> Document:
        return Document(None, lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(values)))

    texts = systems.outputs[system]
    target = doc(texts, systems.lang)
    source = (doc(systems.source, systems.source_lang or "")
              if systems.source is not None else None)
    reference = doc(systems.reference, systems.lang) if systems.reference is not None else None
    beads = tuple(Bead((i,) if source else (), (i,), (i,) if reference else ())
                  for i in range(len(texts)))
    if encoder is None:  # rules only: the run must not load the configured encoder
        config = dataclasses.replace(config, encoder="none")
    report = check_documents([Inputs(target, source, reference, beads)], config,
                             encoder=encoder)
    document = report.documents[0]
    categories = Counter(i.category.split("/")[0] for i in document.issues)
    return np.array(document.scores.segments, dtype=float), categories


def compare(systems: Systems, config: Config | None = None, encoder: Encoder | None = None,
            baseline: str | None = None, tests: Sequence[str] = ("bs",),
            samples: int = BOOTSTRAP_SAMPLES, trials: int = AR_TRIALS, seed: int = 12345,
            top: int = 10, reference_path: str | None = None,
            source_path: str | None = None) -> Comparison:
    """Compare every system with the baseline on aligned ``systems``."""
    config = config or Config()
    n = len(systems.names)
    if n < 2:
        raise InputError(None, "give two systems or more")
    if systems.units == 0:
        raise InputError(None, "nothing to compare: no segments")
    for kind in tests:
        if kind not in TESTS:
            raise InputError(None, f"unknown test {kind!r} (bs or ar)")
    base = _baseline_index(systems, baseline)
    order = [base] + [s for s in range(n) if s != base]
    metrics: list[Metric] = []
    if systems.reference is not None:
        metrics.extend(reference_metrics(systems, order, tests, samples, trials, seed))
    penalties = np.zeros((n, systems.units))
    issues: list[dict[str, int]] = []
    for s in range(n):
        penalties[s], found = mtqa_scores(systems, s, config, encoder)
        issues.append(dict(found))
    kind = "estimate" if encoder is not None and systems.source is not None else "issues"
    metrics.append(segment_metric("mtqa MQM penalty/segment", "mtqa", False, penalties, base,
                                  tests, samples, trials, seed,
                                  f"mtqa:{__version__}|score:{kind}"))
    agreement = _agreement(systems, encoder)
    if encoder is not None and systems.reference is not None:
        cosines = np.array([embedding_similarity(out, systems.reference, encoder)
                            for out in systems.outputs])
        metrics.append(segment_metric("embedding similarity", "refcos", True, cosines, base,
                                      tests, samples, trials, seed,
                                      f"enc:{encoder.id}|mean-cosine"))
    if n >= 3:
        metrics.append(segment_metric(
            "consensus", "consensus", True, agreement.consensus, base, tests, samples,
            trials, seed, f"mtqa:{__version__}|consensus:{agreement.kind}"))
    views = _segment_views(systems, penalties, agreement, top)
    return Comparison(systems.names, base, reference_path, source_path, systems.lang,
                      systems.units, systems.mode, samples, trials, seed, tuple(tests),
                      tuple(metrics), tuple(issues), views, systems.outputs, systems.labels,
                      systems.source, systems.reference)


def _baseline_index(systems: Systems, baseline: str | None) -> int:
    if baseline is None:
        return 0
    if baseline in systems.names:
        return systems.names.index(baseline)
    raise InputError(None, f"no system named {baseline!r} (systems: "
                           f"{', '.join(systems.names)})")


@dataclass(frozen=True)
class Agreement:
    """Per unit, for every system: its consensus (0..1, within-unit rank of agreement)
    and how much all systems disagree on the unit."""

    kind: str
    consensus: np.ndarray  # systems x units
    disagreement: np.ndarray  # units
    sentence_chrf: np.ndarray | None  # systems x units, against the reference


def _agreement(systems: Systems, encoder: Encoder | None) -> Agreement:
    n, m = len(systems.names), systems.units
    vectors = None
    if encoder is not None:
        texts = sorted({t for out in systems.outputs for t in out})
        table = dict(zip(texts, encoder.encode(texts)))
        vectors = [np.stack([table[systems.outputs[s][u]] for s in range(n)])
                   for u in range(m)]
    cons = np.zeros((n, m))
    disagreement = np.zeros(m)
    for u in range(m):
        outs = [systems.outputs[s][u] for s in range(n)]
        chrf = chrf_agreement(outs)
        signals = [chrf] + ([cosine_agreement(vectors[u])] if vectors is not None else [])
        cons[:, u] = rank_mean(signals)
        disagreement[u] = 1.0 - float(chrf.mean()) / 100.0
    ref_chrf = None
    if systems.reference is not None:
        ref_chrf = np.array([[sentence_chrf(systems.outputs[s][u], systems.reference[u])
                              for u in range(m)] for s in range(n)])
    return Agreement("chrf+cosine" if vectors is not None else "chrf", cons, disagreement,
                     ref_chrf)


def _segment_views(systems: Systems, penalties: np.ndarray, agreement: Agreement,
                   top: int) -> tuple[SegmentView, ...]:
    # One signal decides best and worst, the strongest available on the WMT MQM data
    # (benchmarks/consensus_eval.py): chrF++ against a reference, else the consensus of
    # three systems or more, else mtqa's penalty. Mixing in weaker signals made the
    # within-segment ranking worse there.
    n = len(systems.names)
    if agreement.sentence_chrf is not None:
        merit = agreement.sentence_chrf
    elif n >= 3:
        merit = agreement.consensus
    else:
        merit = -penalties
    views = [SegmentView(u, systems.label(u), int(np.argmax(merit[:, u])),
                         int(np.argmin(merit[:, u])), float(agreement.disagreement[u]))
             for u in range(systems.units)]
    views.sort(key=lambda v: (-v.disagreement, v.unit))
    return tuple(views[:top])


def compare_files(paths: Sequence[str], reference: str | None = None,
                  source: str | None = None, config: Config | None = None,
                  encoder: Encoder | None = None, baseline: str | None = None,
                  tests: Sequence[str] = ("bs",), samples: int = BOOTSTRAP_SAMPLES,
                  trials: int = AR_TRIALS, seed: int = 12345, top: int = 10,
                  segments: str = "auto") -> Comparison:
    """Read, align and compare system outputs (``mtqa compare``); without an
    ``encoder``, rules only (documents are then aligned on length)."""
    config = config or Config()
    if encoder is None:
        config = dataclasses.replace(config, encoder="none")
    systems = load_systems(paths, reference, source, config, segments=segments)
    return compare(systems, config, encoder, baseline, tests, samples, trials, seed, top,
                   reference, source)


# ---------------------------------------------------------------- rendering

def render_json(result: Comparison) -> str:
    import json

    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def renderables(result: Comparison) -> list[Any]:
    """Rich renderables: the systems ranked with their scores and tests, the issues by
    category, and the segments where the systems disagree most."""
    from rich.table import Table
    from rich.text import Text

    names = result.systems
    base = result.baseline
    title = Text(f"{len(names)} systems, {result.units} segments ({result.mode}); "
                 f"baseline {names[base]}")
    table = Table(title=title)
    table.add_column("#", justify="right")
    table.add_column("System")
    for m in result.metrics:
        table.add_column(f"{m.name} {'↑' if m.higher_is_better else '↓'}", justify="right")
    categories = sorted({c for found in result.issues for c in found})
    table.add_column("Issues" + (f" ({', '.join(categories)})" if categories else ""),
                     justify="right")
    for rank, s in enumerate(result.ranking(), 1):
        cells: list[Any] = [str(rank), Text(names[s] + (" (baseline)" if s == base else ""))]
        for m in result.metrics:
            cells.append(_cell(m, s, base))
        counts = result.issues[s]
        cells.append(" / ".join(str(counts.get(c, 0)) for c in categories) or "0")
        table.add_row(*cells)
    tests = " and ".join({"bs": f"paired bootstrap ({result.samples} resamples)",
                          "ar": f"paired approximate randomisation ({result.trials} trials)"}[k]
                         for k in result.tests)
    notes = Text(f"± 95% CI; p against the baseline by {tests}, seed {result.seed}; "
                 f"* significant (p < {ALPHA}); consensus needs 3 systems or more.",
                 style="dim")
    out: list[Any] = [table, notes]
    if result.segments:
        seg = Table(title=Text("Where the systems disagree most (read these first)"))
        for col in ("Segment", "Disagreement", "Best", "Worst"):
            seg.add_column(col)
        for v in result.segments:
            best = f"{names[v.best]}: {result.outputs[v.best][v.unit]}" if result.outputs \
                else names[v.best]
            worst = f"{names[v.worst]}: {result.outputs[v.worst][v.unit]}" if result.outputs \
                else names[v.worst]
            seg.add_row(v.label, f"{v.disagreement:.2f}", Text(best), Text(worst))
        out.append(seg)
    out.append(Text("\n".join(f"{m.name}: {m.signature}" for m in result.metrics),
                    style="dim"))
    return out


def _cell(metric: Metric, system: int, baseline: int) -> Any:
    from rich.text import Text

    s = metric.scores[system]
    text = f"{s.value:.2f}" if abs(s.value) >= 1 or s.value == 0 else f"{s.value:.3f}"
    if s.ci is not None:
        text += f" ± {s.ci:.2f}"
    if system == baseline or not s.tests:
        return Text(text)
    significant = all(t.significant for t in s.tests)
    verdict = metric.better_than_baseline(system, baseline)
    p = " ".join(f"p={t.p_value:.3f}" if t.p_value >= 0.001 else "p<0.001" for t in s.tests)
    style = ("green" if verdict == "better" else "red") if significant else "dim"
    return Text(f"{text}{'*' if significant and verdict != 'tie' else ''} ({p})", style=style)
