"""mtqa compare: paired bootstrap on small synthetic systems."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.compare import Units, compare, compare_files, paired_bootstrap
from mtqa.testing import FakeEncoder

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


def _units(a: list[str], b: list[str]) -> Units:
    return Units(a, b, REF, None, "en", None, "lines")


def test_the_better_system_wins_every_metric_significantly() -> None:
    result = compare(_units(SYS_A, SYS_B), samples=200, seed=1)
    names = [m.name for m in result.metrics]
    assert names[:3] == ["BLEU", "chrF2++", "TER"] and "mtqa" in names[3]
    for m in result.metrics:
        assert m.better == "a", m.name
        assert m.significant, m.name
    ter = result.metrics[2]
    assert not ter.higher_is_better and ter.delta > 0
    assert "bs:200" in result.metrics[0].signature and "seed:1" in result.metrics[0].signature


def test_bootstrap_is_deterministic_with_a_seed() -> None:
    one = compare(_units(SYS_A, SYS_B), samples=100, seed=3).to_dict()
    two = compare(_units(SYS_A, SYS_B), samples=100, seed=3).to_dict()
    other = compare(_units(SYS_A, SYS_B), samples=100, seed=4).to_dict()
    assert one == two
    assert [m["a"]["ci"] for m in one["metrics"]] != [m["a"]["ci"] for m in other["metrics"]]


def test_identical_systems_tie() -> None:
    result = compare(_units(SYS_A, list(SYS_A)), samples=100, seed=1)
    assert all(m.better == "tie" and not m.significant for m in result.metrics)


def test_paired_bootstrap_of_segment_scores() -> None:
    a = np.array([0.0, 1.0, 0.0, 5.0, 0.0, 1.0] * 5)
    a_side, b_side, p = paired_bootstrap(a, a + 2.0, 500, 9)
    assert b_side.score - a_side.score == pytest.approx(2.0)
    assert p < 0.01 and a_side.ci > 0
    _, _, p_same = paired_bootstrap(a, a.copy(), 500, 9)
    assert p_same == 1.0


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, lines in (("a", SYS_A), ("b", SYS_B), ("ref", REF)):
        out[name] = tmp_path / f"{name}.en.txt"
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_cli_json(files: dict[str, Path]) -> None:
    res = CliRunner().invoke(app, ["compare", str(files["a"]), str(files["b"]), "--reference",
                                   str(files["ref"]), "--format", "json", "--samples", "50",
                                   "--no-encoder"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema"] == "mtqa.compare/1" and data["segments"] == len(REF)
    assert data["mode"] == "lines" and data["bootstrap"] == {"samples": 50, "seed": 12345,
                                                             "alpha": 0.05}
    assert {m["better"] for m in data["metrics"]} == {"a"}


def test_cli_rich(files: dict[str, Path]) -> None:
    res = CliRunner().invoke(app, ["compare", str(files["a"]), str(files["b"]), "-r",
                                   str(files["ref"]), "--samples", "50", "--no-encoder"])
    assert res.exit_code == 0, res.output
    assert "BLEU" in res.stdout and "chrF2++" in res.stdout and "paired bootstrap" in res.stdout


@pytest.mark.parametrize("args", [
    ["missing.txt", "B", "-r", "REF"],
    ["A", "B", "-r", "REF", "--format", "xml"],
    ["A", "B", "-r", "bilingual.tsv"],
])
def test_cli_bad_input_exits_2(files: dict[str, Path], tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "bilingual.tsv").write_text("a\tb\n", encoding="utf-8")
    paths = {"A": str(files["a"]), "B": str(files["b"]), "REF": str(files["ref"]),
             "missing.txt": str(tmp_path / "missing.txt"),
             "bilingual.tsv": str(tmp_path / "bilingual.tsv")}
    res = CliRunner().invoke(app, ["compare"] + [paths.get(a, a) for a in args]
                             + ["--no-encoder"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output


def test_documents_with_different_segmentation_are_aligned(tmp_path: Path) -> None:
    ref = "The river was cleaned on Sunday. Volunteers collected waste.\n\nThe council thanked them."
    a = "The river was cleaned on Sunday.\nVolunteers collected waste.\n\nThe council thanked them."
    b = "A river. Some waste.\n\nThanks."
    paths = []
    for name, text in (("a", a), ("b", b), ("ref", ref)):
        p = tmp_path / f"{name}.md"
        p.write_text(text + "\n", encoding="utf-8")
        paths.append(str(p))
    result = compare_files(*paths, samples=50)
    assert result.mode == "documents" and result.segments >= 2
    assert result.metrics[0].better == "a"


def test_with_a_source_and_an_encoder_mtqa_scores_are_the_estimate() -> None:
    units = Units(SYS_A, SYS_B, REF, list(REF), "en", "en", "lines")
    encoder = FakeEncoder()
    result = compare(units, encoder=encoder, samples=100, seed=2)
    by_name = {m.name: m for m in result.metrics}
    assert "score:estimate" in by_name["mtqa MQM penalty/segment"].signature
    sim = by_name["embedding similarity"]
    assert sim.higher_is_better and sim.better == "a" and f"enc:{encoder.id}" in sim.signature
    without = compare(units, samples=100, seed=2)
    assert "embedding similarity" not in {m.name for m in without.metrics}
    assert "score:issues" in without.metrics[3].signature
