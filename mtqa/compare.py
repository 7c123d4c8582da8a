"""``mtqa compare``: which of two translations of the same text is better, per metric,
with paired bootstrap resampling.

Inputs are two system outputs, a reference and optionally the source. When every file
has the same number of lines, line i of each is segment i (one sentence per line, the
convention of sacrebleu and WMT test sets). Otherwise each file is read as a document,
split into sentences, and the systems (and source) are aligned to the reference; the
units compared are the smallest groups of reference sentences that no alignment splits.

Metrics: BLEU, chrF++ and TER, compared with sacrebleu's paired bootstrap test
(``sacrebleu.significance.PairedTest``, Koehn 2004, 1000 resamples, seed 12345 by
default); and mtqa's own score, the mean MQM penalty per segment (the estimate when an
encoder is given, else the issue penalties of the checks), plus the embedding similarity
to the reference when an encoder is given, compared with the same paired bootstrap on
the same resampled segments. For each metric: both scores, the bootstrap mean and 95%
confidence half-width of each, the difference, which system is better, and the p-value
of the difference (significant under 0.05).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mtqa.align import Aligner, default_aligner
from mtqa.config import Config
from mtqa.embed import Encoder
from mtqa.errors import InputError
from mtqa.metrics import embedding_similarity, make_metrics
from mtqa.model import Bead, Document, Segment
from mtqa.version import __version__

if TYPE_CHECKING:
    from sacrebleu.significance import Result

SCHEMA = "mtqa.compare/1"
ALPHA = 0.05


@dataclass(frozen=True)
class Side:
    """Score of one system under one metric: the score on all segments, and the mean and
    95% confidence half-width over the bootstrap resamples."""

    score: float
    mean: float
    ci: float

    def to_dict(self) -> dict[str, float]:
        return {"score": round(self.score, 4), "mean": round(self.mean, 4),
                "ci": round(self.ci, 4)}


@dataclass(frozen=True)
class MetricComparison:
    name: str
    higher_is_better: bool
    a: Side
    b: Side
    p_value: float
    signature: str

    @property
    def delta(self) -> float:
        """B minus A."""
        return self.b.score - self.a.score

    @property
    def better(self) -> str:
        """``a``, ``b`` or ``tie`` (equal scores)."""
        if self.delta == 0:
            return "tie"
        return "b" if (self.delta > 0) == self.higher_is_better else "a"

    @property
    def significant(self) -> bool:
        return self.better != "tie" and self.p_value < ALPHA

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "higher_is_better": self.higher_is_better,
                "a": self.a.to_dict(), "b": self.b.to_dict(), "delta": round(self.delta, 4),
                "better": self.better, "p_value": round(self.p_value, 4),
                "significant": self.significant, "signature": self.signature}


@dataclass(frozen=True)
class Comparison:
    system_a: str
    system_b: str
    reference: str
    source: str | None
    lang: str
    segments: int
    mode: str  # "lines" or "documents"
    samples: int
    seed: int
    metrics: tuple[MetricComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "mtqa": __version__,
                "systems": {"a": self.system_a, "b": self.system_b},
                "reference": self.reference, "source": self.source, "lang": self.lang,
                "segments": self.segments, "mode": self.mode,
                "bootstrap": {"samples": self.samples, "seed": self.seed, "alpha": ALPHA},
                "metrics": [m.to_dict() for m in self.metrics]}


@dataclass(frozen=True)
class Units:
    """Aligned texts: one entry per compared unit, for each system and the reference."""

    a: list[str]
    b: list[str]
    reference: list[str]
    source: list[str] | None
    lang: str
    source_lang: str | None
    mode: str


# ---------------------------------------------------------------- reading

def load_units(system_a: str, system_b: str, reference: str, source: str | None = None,
               config: Config | None = None, aligner: Aligner | None = None) -> Units:
    """Read and align the files of a comparison; raises ``InputError`` on bad input."""
    from mtqa.langdetect import detect
    from mtqa.readers import is_bilingual, read_document
    from mtqa.readers.encoding import read_text

    config = config or Config()
    paths = [system_a, system_b, reference] + ([source] if source else [])
    for p in paths:
        if is_bilingual(p):
            raise InputError(p, "mtqa compare reads monolingual files (one per system)")
    texts = [read_text(p) for p in paths]
    lines = [t.splitlines() for t in texts]
    if all(len(x) == len(lines[0]) for x in lines):
        if not any(line.strip() for line in lines[2]):
            raise InputError(reference, "the reference is empty")
        lang = config.target_lang or detect(texts[2])
        src_lang = (config.source_lang or detect(texts[3])) if source else None
        return Units(lines[0], lines[1], lines[2], lines[3] if source else None, lang,
                     src_lang, "lines")
    ref = read_document(reference, config.target_lang)
    docs = [read_document(system_a, ref.lang), read_document(system_b, ref.lang)]
    if source:
        docs.append(read_document(source, config.source_lang))
    aligner = aligner or default_aligner()
    alignments = [aligner.align(ref.texts, d.texts, ref.lang, d.lang) for d in docs]
    groups = _unit_groups(len(ref.segments), alignments)
    joined = [_join_units(d, groups, al) for d, al in zip(docs, alignments)]
    ref_units = [_join(ref, list(g)) for g in groups]
    return Units(joined[0], joined[1], ref_units, joined[2] if source else None, ref.lang,
                 docs[2].lang if source else None, "documents")


def _unit_groups(n_ref: int, alignments: Sequence[Sequence[Bead]]) -> list[range]:
    """Consecutive ranges of reference segments that no alignment splits."""
    cut = [True] * (n_ref + 1)  # cut[i]: a unit may start at reference segment i
    for beads in alignments:
        for bead in beads:
            for r in bead.source[1:]:
                cut[r] = False
    starts = [i for i in range(n_ref) if cut[i]] + [n_ref]
    return [range(s, e) for s, e in zip(starts, starts[1:])]


def _join_units(doc: Document, groups: list[range], beads: Sequence[Bead]) -> list[str]:
    unit_of = {r: u for u, g in enumerate(groups) for r in g}
    parts: list[list[int]] = [[] for _ in groups]
    last = 0
    for bead in beads:
        # A segment with no reference partner joins the unit before it.
        unit = unit_of[bead.source[0]] if bead.source else last
        parts[unit].extend(bead.target)
        last = unit
    return [_join(doc, idx) for idx in parts]


def _join(doc: Document, indices: list[int]) -> str:
    from mtqa.joined import Joined

    return Joined.of(doc, indices).text


# ---------------------------------------------------------------- the comparison

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


def sacrebleu_comparisons(a: list[str], b: list[str], reference: list[str], lang: str,
                          samples: int, seed: int) -> list[MetricComparison]:
    """BLEU, chrF++ and TER of A and B with sacrebleu's paired bootstrap test."""
    from sacrebleu.significance import PairedTest

    metrics = make_metrics(lang)
    with _sacrebleu_seed(seed):
        test = PairedTest([("a", a), ("b", b)], metrics, [reference], test_type="bs",
                          n_samples=samples)
        signatures, results = test()
    out = []
    for key, name in zip(metrics, [k for k in results if k != "System"]):
        ra, rb = (_result(r) for r in results[name])
        out.append(MetricComparison(
            name, key != "ter",
            Side(ra.score, _number(ra.mean), _number(ra.ci)),
            Side(rb.score, _number(rb.mean), _number(rb.ci)),
            _number(rb.p_value), str(signatures[name])))
    return out


def _result(value: object) -> Result:
    """One system's result in sacrebleu's table (whose type also admits its name)."""
    from sacrebleu.significance import Result

    if not isinstance(value, Result):
        raise TypeError(f"sacrebleu returned {value!r} where a result was expected")
    return value


def _number(value: float | None) -> float:
    """A bootstrap figure, which sacrebleu fills in for every system of a paired test."""
    if value is None:
        raise ValueError("sacrebleu returned no bootstrap estimate")
    return float(value)


def paired_bootstrap(a: np.ndarray, b: np.ndarray, samples: int, seed: int
                     ) -> tuple[Side, Side, float]:
    """Paired bootstrap of the mean of per-segment scores, as sacrebleu does it for its
    metrics: the same resampled segments for both systems, a 95% interval from the
    2.5th and 97.5th percentiles, and the p-value of the absolute difference against its
    bootstrap distribution shifted to zero mean."""
    n = len(a)
    rng = np.random.default_rng(seed)
    idx = rng.choice(n, size=(samples, n), replace=True)
    sa, sb = a[idx].mean(axis=1), b[idx].mean(axis=1)

    def side(values: np.ndarray, scores: np.ndarray) -> Side:
        s = np.sort(scores)
        lo = len(s) // 40
        return Side(float(values.mean()), float(s.mean()), float(0.5 * (s[-lo - 1] - s[lo])))

    diffs = np.abs(sb - sa)
    stats = diffs - diffs.mean()
    real = abs(float(b.mean() - a.mean()))
    # >= (sacrebleu uses >): identical systems then get p = 1, not 1 / (samples + 1).
    p = min(1.0, (int(np.sum(stats >= real)) + 1) / (samples + 1))
    return side(a, sa), side(b, sb), p


def mtqa_segment_penalties(texts: list[str], units: Units, config: Config,
                           encoder: Encoder | None) -> np.ndarray:
    """mtqa's MQM penalty of each unit of one system (estimate with an encoder)."""
    from mtqa.pipeline import Inputs, check_documents

    def doc(values: list[str], lang: str) -> Document:
        return Document(None, lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(values)))

    target = doc(texts, units.lang)
    source = doc(units.source, units.source_lang or "") if units.source is not None else None
    reference = doc(units.reference, units.lang)
    beads = tuple(Bead((i,) if source else (), (i,), (i,)) for i in range(len(texts)))
    if encoder is None:  # rules only: the run must not load the configured encoder
        config = dataclasses.replace(config, encoder="none")
    report = check_documents([Inputs(target, source, reference, beads)], config,
                             encoder=encoder)
    return np.array(report.documents[0].scores.segments, dtype=float)


def compare(units: Units, config: Config | None = None, encoder: Encoder | None = None,
            samples: int = 1000, seed: int = 12345, paths: Sequence[str] = ("a", "b", "ref"),
            source_path: str | None = None) -> Comparison:
    """Compare systems A and B on aligned ``units``."""
    config = config or Config()
    if not units.a:
        raise InputError(paths[0], "nothing to compare: no segments")
    found = sacrebleu_comparisons(units.a, units.b, units.reference, units.lang, samples, seed)
    pa = mtqa_segment_penalties(units.a, units, config, encoder)
    pb = mtqa_segment_penalties(units.b, units, config, encoder)
    side_a, side_b, p = paired_bootstrap(pa, pb, samples, seed)
    kind = "estimate" if encoder is not None and units.source is not None else "issues"
    found.append(MetricComparison("mtqa MQM penalty/segment", False, side_a, side_b, p,
                                  f"mtqa:{__version__}|score:{kind}|bs:{samples}|seed:{seed}"))
    if encoder is not None:
        ea = np.array(embedding_similarity(units.a, units.reference, encoder))
        eb = np.array(embedding_similarity(units.b, units.reference, encoder))
        side_a, side_b, p = paired_bootstrap(ea, eb, samples, seed)
        found.append(MetricComparison("embedding similarity", True, side_a, side_b, p,
                                      f"enc:{encoder.id}|bs:{samples}|seed:{seed}"))
    return Comparison(paths[0], paths[1], paths[2], source_path, units.lang, len(units.a),
                      units.mode, samples, seed, tuple(found))


def compare_files(system_a: str, system_b: str, reference: str, source: str | None = None,
                  config: Config | None = None, encoder: Encoder | None = None,
                  samples: int = 1000, seed: int = 12345) -> Comparison:
    """Read, align and compare two system outputs (``mtqa compare``)."""
    units = load_units(system_a, system_b, reference, source, config)
    return compare(units, config, encoder, samples, seed, (system_a, system_b, reference), source)


# ---------------------------------------------------------------- rendering

def render_json(result: Comparison) -> str:
    import json

    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def renderables(result: Comparison) -> list[Any]:
    """Rich renderables: a table with one row per metric."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"A: {result.system_a}   B: {result.system_b}   "
                             f"({result.segments} segments, {result.mode})"))
    for col in ("Metric", "A ± 95% CI", "B ± 95% CI", "B − A", "p", "Better"):
        table.add_column(col, no_wrap=True)
    for m in result.metrics:
        arrow = "↑" if m.higher_is_better else "↓"
        verdict = {"a": "A", "b": "B", "tie": "tie"}[m.better]
        style = "bold green" if m.significant else "dim"
        if m.better != "tie" and not m.significant:
            verdict += " (n.s.)"
        table.add_row(f"{m.name} {arrow}",
                      f"{m.a.score:.2f} ± {m.a.ci:.2f}", f"{m.b.score:.2f} ± {m.b.ci:.2f}",
                      f"{m.delta:+.2f}", f"{m.p_value:.4f}", Text(verdict, style=style))
    notes = Text(f"paired bootstrap: {result.samples} resamples, seed {result.seed}; "
                 f"significant when p < {ALPHA}", style="dim")
    sigs = Text("\n".join(f"{m.name}: {m.signature}" for m in result.metrics), style="dim")
    return [table, notes, sigs]
