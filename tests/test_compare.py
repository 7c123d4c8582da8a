"""mtqa compare: many systems, significance as sacrebleu computes it, consensus, and the
segments where systems disagree."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.quality.compare import Systems, compare, compare_files, load_systems
from mtqa.quality.significance import paired_bootstrap, paired_randomisation
from mtqa.testing import FakeEncoder

SAMPLE = Path(__file__).parent / "data" / "compare" / "wmt23_ende_sample.jsonl"
WORDS = ("river volunteers cleaned collected waste plastic bottles bank city council "
         "morning residents joined children teachers bags tons water fish park").split()


def _corpus(n: int = 40, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=8)).capitalize() + "." for _ in range(n)]


REF = _corpus()
# A: a faithful system that drops one word in every fifth sentence.
SYS_A = [" ".join(s.split()[1:]) if i % 5 == 0 else s for i, s in enumerate(REF)]
# B: keeps half of each sentence and repeats a word ("the the" style errors).
SYS_B = [" ".join(s.split()[:4] + [s.split()[3]]) + "." for s in REF]
# C: like A but drops the last word of every third sentence.
SYS_C = [" ".join(s.split()[:-1]) + "." if i % 3 == 0 else s for i, s in enumerate(SYS_A)]


def _systems(outputs: dict[str, list[str]], reference: list[str] | None = REF) -> Systems:
    return Systems(tuple(outputs), tuple(tuple(v) for v in outputs.values()),
                   tuple(reference) if reference is not None else None, None, "en", None,
                   "lines")


def _write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _cli(args: list[str]) -> Any:
    return CliRunner().invoke(app, ["compare", *args])


# ---------------------------------------------------------------- significance

class _MeanMetric:
    """A sacrebleu metric whose score is the mean of per-segment numbers (the
    hypotheses are the numbers as text), to run sacrebleu's own tests on them."""

    def __new__(cls) -> Any:
        from sacrebleu.metrics.base import Metric, Score, Signature

        class MeanScore(Score):  # type: ignore[misc]
            def __init__(self, score: float) -> None:
                super().__init__("MEAN", score)

        class MeanMetric(Metric):  # type: ignore[misc]
            _SIGNATURE_TYPE = Signature

            def __init__(self) -> None:
                super().__init__()

            def _extract_corpus_statistics(self, hypotheses: Any, references: Any) -> Any:
                return [[float(h), 1.0] for h in hypotheses]

            def _aggregate_and_compute(self, stats: Any) -> Any:
                return self._compute_score_from_stats(np.sum(np.asarray(stats), axis=0))

            def _compute_score_from_stats(self, stats: Any) -> Any:
                return MeanScore(float(stats[0]) / float(stats[1]))

            def _compute_f_score(self, *args: Any) -> None:  # pragma: no cover
                raise NotImplementedError

            def _preprocess_segment(self, sent: str) -> str:
                return sent

            def _extract_reference_info(self, refs: Any) -> Any:
                return {}

            def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: Any) -> Any:
                return [float(hypothesis), 1.0]

            def _check_sentence_score_args(self, *args: Any) -> None:
                pass

        return MeanMetric()


def _sacrebleu_p(baseline: np.ndarray, system: np.ndarray, kind: str, n: int,
                 seed: int) -> float:
    from sacrebleu.significance import _paired_ar_test, _paired_bs_test

    metric = _MeanMetric()
    bl_stats = metric._extract_corpus_statistics([repr(float(x)) for x in baseline], None)
    from sacrebleu.significance import Result

    bl = Result(metric._aggregate_and_compute(bl_stats).score)
    fn = _paired_bs_test if kind == "bs" else _paired_ar_test
    _, res = fn({"MEAN": (bl_stats, bl)}, "sys", [repr(float(x)) for x in system], None,
                {"MEAN": metric}, n_samples=n, seed=seed)
    return float(res["MEAN"].p_value)


@pytest.mark.parametrize("shift", [0.0, 0.05, 0.2, 1.0])
def test_bootstrap_and_randomisation_p_values_equal_sacrebleus(shift: float) -> None:
    rng = np.random.default_rng(5)
    base = rng.gamma(1.0, 1.0, size=60)
    system = base + shift + rng.normal(0, 0.5, size=60)
    _, _, p_bs = paired_bootstrap(base, system, 1000, 77)
    p_ar = paired_randomisation(base, system, 2000, 77)
    # Same draws, same counting: equal but for float rounding at exact ties.
    assert p_bs == pytest.approx(_sacrebleu_p(base, system, "bs", 1000, 77), abs=0.003)
    assert p_ar == pytest.approx(_sacrebleu_p(base, system, "ar", 2000, 77), abs=0.003)


def test_a_clear_difference_is_significant_and_noise_is_not() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(0, 1, 80)
    _, _, p = paired_bootstrap(base, base + 1.0, 500, 3)
    assert p < 0.01 and paired_randomisation(base, base + 1.0, 1000, 3) < 0.01
    noise = base + rng.normal(0, 0.01, 80)
    assert paired_randomisation(base, noise, 1000, 3) > 0.05


def test_reference_metric_p_values_are_sacrebleus_on_the_same_data_and_seed() -> None:
    from sacrebleu.significance import PairedTest

    from mtqa.quality.compare import _sacrebleu_seed
    from mtqa.quality.metrics import make_metrics

    result = compare(_systems({"a": SYS_A, "b": SYS_B, "c": SYS_C}), tests=("bs", "ar"),
                     samples=200, trials=300, seed=11)
    for kind, n in (("bs", 200), ("ar", 300)):
        with _sacrebleu_seed(11):
            _, res = PairedTest([("a", SYS_A), ("b", SYS_B), ("c", SYS_C)],
                                   make_metrics("en"), [REF], test_type=kind, n_samples=n)()
        for key, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
            metric = result.metric(key)
            assert metric is not None
            for pos in (1, 2):
                mine = next(t.p_value for t in metric.scores[pos].tests if t.kind == kind)
                assert mine == pytest.approx(float(res[name][pos].p_value)), (kind, key)
                assert metric.scores[pos].value == pytest.approx(res[name][pos].score)
            assert "seed:11" in metric.signature


# ---------------------------------------------------------------- many systems

def test_the_better_system_wins_every_metric_significantly() -> None:
    result = compare(_systems({"b": SYS_B, "a": SYS_A}), samples=200, seed=1)
    assert [m.key for m in result.metrics] == ["bleu", "chrf", "ter", "mtqa"]
    for m in result.metrics:
        assert m.better_than_baseline(1, 0) == "better", m.key
        assert all(t.significant for t in m.scores[1].tests), m.key
    assert result.ranking() == [1, 0]


def test_identical_systems_tie() -> None:
    result = compare(_systems({"a": SYS_A, "a2": list(SYS_A)}), samples=100, seed=1)
    assert all(m.better_than_baseline(1, 0) == "tie" for m in result.metrics)


def test_bootstrap_is_deterministic_with_a_seed() -> None:
    one = compare(_systems({"a": SYS_A, "b": SYS_B}), samples=100, seed=3).to_dict()
    two = compare(_systems({"a": SYS_A, "b": SYS_B}), samples=100, seed=3).to_dict()
    other = compare(_systems({"a": SYS_A, "b": SYS_B}), samples=100, seed=4).to_dict()
    assert one == two
    assert one["metrics"][0]["systems"]["b"]["ci"] != other["metrics"][0]["systems"]["b"]["ci"]


@pytest.mark.parametrize("n", [2, 3, 10])
def test_two_three_and_ten_systems(tmp_path: Path, n: int) -> None:
    rng = np.random.default_rng(n)
    paths = []
    for k in range(n):
        # System k drops a random word from k of every 10 sentences: quality falls with k.
        out = [" ".join(np.delete(np.array(s.split()), rng.integers(8)))
               if (i % 10) < k else s for i, s in enumerate(REF)]
        paths.append(_write(tmp_path, f"sys{k}.en.txt", out))
    ref = _write(tmp_path, "ref.en.txt", REF)
    res = _cli([*paths, "-r", ref, "--format", "json", "--samples", "100", "--no-encoder"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema"] == "mtqa.compare/2" and data["units"] == len(REF)
    assert data["systems"] == [f"sys{k}" for k in range(n)] and data["baseline"] == "sys0"
    assert len(data["ranking"]) == n and data["ranking"][0] == "sys0"
    keys = [m["key"] for m in data["metrics"]]
    assert ("consensus" in keys) == (n >= 3)
    chrf = next(m for m in data["metrics"] if m["key"] == "chrf")
    assert set(chrf["systems"]) == set(data["systems"])
    assert "p_bs" not in chrf["systems"]["sys0"] and "p_bs" in chrf["systems"]["sys1"]


def test_consensus_singles_out_the_system_that_disagrees() -> None:
    odd = ["Completely unrelated words about something else entirely." for _ in REF]
    result = compare(_systems({"a": SYS_A, "c": SYS_C, "odd": odd, "a2": list(SYS_A)},
                              reference=None), samples=100, encoder=FakeEncoder())
    consensus = result.metric("consensus")
    assert consensus is not None
    values = [s.value for s in consensus.scores]
    assert int(np.argmin(values)) == 2
    assert result.ranking()[-1] == 2
    assert all(v.worst == 2 for v in result.segments)


def test_segments_of_most_disagreement_come_first() -> None:
    b = list(SYS_A)
    b[7] = "Something else."
    c = list(SYS_A)
    c[7] = "Another thing altogether, different."
    result = compare(_systems({"a": SYS_A, "b": b, "c": c}), samples=50, top=3)
    assert result.segments[0].unit == 7
    assert result.segments[0].disagreement > result.segments[1].disagreement


def test_baseline_option_chooses_the_system_tested_against(tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"{n}.txt", v) for n, v in (("a", SYS_A), ("b", SYS_B))]
    res = _cli([*paths, "-r", _write(tmp_path, "ref.txt", REF), "--baseline", "b",
                "--format", "json", "--samples", "50", "--no-encoder"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["baseline"] == "b"
    assert "p_bs" in data["metrics"][0]["systems"]["a"]


def test_rich_output_names_tests_seed_and_signatures(tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"{n}.txt", v) for n, v in (("a", SYS_A), ("b", SYS_B),
                                                           ("c", SYS_C))]
    res = _cli([*paths, "-r", _write(tmp_path, "ref.txt", REF), "--test", "both",
                "--samples", "50", "--trials", "100", "--no-encoder"])
    assert res.exit_code == 0, res.output
    for text in ("BLEU", "chrF2++", "consensus", "paired bootstrap (50 resamples)",
                 "approximate randomisation (100 trials)", "seed 12345", "nrefs:1",
                 "Where the systems disagree most"):
        assert text in res.stdout, text


# ---------------------------------------------------------------- inputs

def test_a_system_table_with_a_reference_system(tmp_path: Path) -> None:
    systems = load_systems([str(SAMPLE)])
    assert systems.mode == "table" and systems.units == 10 and len(systems.names) == 9
    assert "refA" not in systems.names and systems.reference is not None
    assert systems.source is not None and systems.labels[0].endswith(":1")
    result = compare(systems, samples=100, top=2)
    assert [m.key for m in result.metrics][:3] == ["bleu", "chrf", "ter"]
    assert len(result.segments) == 2


def test_the_shipped_sample_ranks_systems_like_the_raters_at_the_top_and_bottom() -> None:
    rows = [json.loads(line) for line in SAMPLE.open(encoding="utf-8")]
    mqm: dict[str, list[float]] = {}
    for r in rows:
        if not r["is_human_reference"]:
            mqm.setdefault(r["system"], []).append(r["mqm"])
    human = sorted(mqm, key=lambda s: np.mean(mqm[s]))
    result = compare(load_systems([str(SAMPLE)]), samples=100)
    ranked = [result.systems[s] for s in result.ranking()]
    # chrF++ against the reference puts the raters' worst system in the bottom half.
    assert ranked.index(human[-1]) >= len(ranked) // 2


@pytest.mark.parametrize("table,message", [
    ("system\ttarget\na\tHello.\nb\tHallo.\na\tBye.\n", "lacks segment 2"),
    ("system\ttarget\na\tHello.\n", "two or more needed"),
    ("target\nHello.\n", "no 'system' column"),
    ("system\ttarget\textra\na\tHello.\n", "columns"),
])
def test_bad_system_tables_exit_2(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "systems.tsv"
    path.write_text(table, encoding="utf-8")
    res = _cli([str(path), "--no-encoder"])
    assert res.exit_code == 2
    assert message in res.stderr and str(path) in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_a_system_file_with_the_wrong_number_of_segments_exits_2(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", SYS_A)
    short = _write(tmp_path, "short.txt", SYS_B[:-3])
    ref = _write(tmp_path, "ref.txt", REF)
    res = _cli([a, short, "-r", ref, "--no-encoder"])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"mtqa: error: {short}: 37 lines where the other files have 40")
    assert "Traceback" not in res.output


@pytest.mark.parametrize("args,message", [
    (["--format", "xml"], "unknown format"),
    (["--test", "t"], "unknown test"),
    (["--baseline", "nobody"], "no system named 'nobody'"),
])
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    paths = [_write(tmp_path, f"{n}.txt", v) for n, v in (("a", SYS_A), ("b", SYS_B))]
    res = _cli([*paths, *args, "--no-encoder"])
    assert res.exit_code == 2 and message in res.stderr


def test_one_system_file_is_an_input_error(tmp_path: Path) -> None:
    res = _cli([_write(tmp_path, "a.txt", SYS_A), "--no-encoder"])
    assert res.exit_code == 2 and "two systems or more" in res.stderr


def test_documents_with_different_segmentation_are_aligned(tmp_path: Path) -> None:
    ref = "The river was cleaned on Sunday. Volunteers collected waste.\n\nThe council thanked them."
    a = "The river was cleaned on Sunday.\nVolunteers collected waste.\n\nThe council thanked them."
    b = "A river. Some waste.\n\nThanks."
    paths = []
    for name, text in (("a", a), ("b", b), ("ref", ref)):
        p = tmp_path / f"{name}.md"
        p.write_text(text + "\n", encoding="utf-8")
        paths.append(str(p))
    from mtqa.alignment.aligner import EmbeddingAligner

    systems = load_systems(paths[:2], paths[2], aligner=EmbeddingAligner(FakeEncoder()))
    assert systems.mode == "documents" and systems.units >= 2
    result = compare(systems, samples=50)
    chrf = result.metric("chrf")
    assert chrf is not None and chrf.better_than_baseline(1, 0) == "worse"


def test_with_a_source_and_an_encoder_mtqa_scores_are_the_estimate() -> None:
    systems = Systems(("a", "b"), (tuple(SYS_A), tuple(SYS_B)), tuple(REF), tuple(REF), "en",
                      "en", "lines")
    result = compare(systems, encoder=FakeEncoder(), samples=100, seed=2)
    mtqa_metric, sim = result.metric("mtqa"), result.metric("refcos")
    assert mtqa_metric is not None and "score:estimate" in mtqa_metric.signature
    assert sim is not None and sim.better_than_baseline(1, 0) == "worse"
    without = compare(systems, samples=100, seed=2)
    assert without.metric("refcos") is None
    assert "score:issues" in (without.metric("mtqa") or mtqa_metric).signature


def test_compare_files_reads_a_table() -> None:
    result = compare_files([str(SAMPLE)], samples=50, top=1)
    assert result.mode == "table" and result.reference is None and result.units == 10


def test_html_page_shows_the_disputed_segments_side_by_side_escaped(tmp_path: Path) -> None:
    hostile = list(SYS_C)
    hostile[4] = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    paths = [_write(tmp_path, f"{n}.txt", v) for n, v in (("a", SYS_A), ("b", SYS_B),
                                                           ("c", hostile))]
    out = tmp_path / "page.html"
    res = _cli([*paths, "-r", _write(tmp_path, "ref.txt", REF), "--format", "html", "-o",
                str(out), "--samples", "50", "--top", "3", "--no-encoder"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in page
    assert "script-src" not in page and "default-src 'none'" in page
    # The most disputed segment is the hostile one; each system's output is on the page.
    first = page.index("<section class='seg'>")
    assert page.index("Segment 5", first) == page.index("<h3>", first) + len("<h3>")
    assert page.count("<section class='seg'>") == 3
    assert page.count("class='badge best'") == 3 and page.count("class='badge worst'") == 3
