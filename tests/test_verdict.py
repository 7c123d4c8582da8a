"""One scoring path: bilingual files get the encoder, `check` and `gate` agree, the filter
stage changes the score exactly as the formula says, and the verdict says why."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.config import Config
from mtqa.model import Severity
from mtqa.pipeline import check_files
from mtqa.quality.scoring import issue_penalty, quality_of

SOURCE_MD = "# 使用\n\n阅读报告。修正问题。\n\n运行检查工具。\n"
TARGET_MD = ("# Usage\n\nRead the the report. Fix the problems.\n\n"
             "Run the the checking tool.\n")
FAKE = ["--encoder", "fake"]


def _json(args: list[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _pair(tmp_path: Path, target: str = TARGET_MD) -> tuple[Path, Path]:
    src, tgt = tmp_path / "usage.zh.md", tmp_path / "usage.en.md"
    src.write_text(SOURCE_MD, encoding="utf-8")
    tgt.write_text(target, encoding="utf-8")
    return src, tgt


def test_bilingual_file_gets_similarity_checks_and_the_estimate(tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    # The fake encoder compares character n-grams: a copy with one word changed is
    # close, an unrelated sentence is far (AL03 flags it).
    tsv.write_text("source\ttarget\n"
                   "The volunteers cleaned the river bank on Sunday.\t"
                   "The volunteers cleaned the river bank on Monday.\n"
                   "The council thanked every resident for the help.\t"
                   "Purple elephants dance quietly beside a frozen lake.\n"
                   "Children planted forty trees in the park.\t"
                   "Children planted forty trees in the park!\n",
                   encoding="utf-8")
    _, data = _json(["check", str(tsv), "--source-lang", "en", "--target-lang", "de", *FAKE])
    doc = data["documents"][0]
    assert [i["target"]["segment"] for i in doc["issues"] if i["code"] == "AL03"] == [1]
    assert all(b["similarity"] is not None for b in doc["alignment"])
    assert doc["scores"]["estimate"] == pytest.approx(sum(doc["scores"]["segments"]), abs=0.02)
    assert doc["scores"]["segments"][1] == max(doc["scores"]["segments"])
    assert "enc:fake" in data["signature"]
    # Rules only: no encoder, no similarity, no estimate.
    _, plain = _json(["check", str(tsv), "--source-lang", "en", "--target-lang", "de",
                      "--no-encoder"])
    assert "estimate" not in plain["documents"][0]["scores"]
    assert not [i for i in plain["documents"][0]["issues"] if i["code"] == "AL03"]


def test_check_and_gate_give_identical_scores(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt = _pair(tmp_path)
    (tmp_path / "mtqa.toml").write_text('encoder = "fake"\nsource-lang = "zh"\n'
                                        'target-lang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, checked = _json(["check", tgt.name, "--source", src.name])
    result = CliRunner().invoke(app, ["gate", tgt.name, "--format", "json"])
    gated = json.loads(result.stdout)
    # Without pairs configured the gate checks the translation alone: compare with that.
    _, alone = _json(["check", tgt.name])
    assert gated["documents"][0]["scores"] == alone["documents"][0]["scores"]
    assert gated["documents"][0]["reasons"] == alone["documents"][0]["reasons"]
    assert checked["documents"][0]["scores"]["estimate"] is not None


def test_check_and_gate_agree_on_a_configured_pair(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "zh" / "usage.md").write_text(SOURCE_MD, encoding="utf-8")
    (tmp_path / "en" / "usage.md").write_text(TARGET_MD, encoding="utf-8")
    (tmp_path / "mtqa.toml").write_text(
        'encoder = "fake"\nsource-lang = "zh"\ntarget-lang = "en"\n\n'
        '[[pairs]]\nsource = "zh/*.md"\ntarget = "en/{relpath}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, checked = _json(["check", "en/usage.md", "--source", "zh/usage.md"])
    gated = json.loads(CliRunner().invoke(app, ["gate", "--format", "json"]).stdout)
    assert gated["documents"][0]["scores"] == checked["documents"][0]["scores"]
    assert gated["documents"][0]["passed"] == checked["documents"][0]["passed"]
    assert gated["documents"][0]["scores"]["estimate"] is not None
    rules_only = json.loads(CliRunner().invoke(app, ["gate", "--no-encoder", "--format",
                                                     "json"]).stdout)
    assert "estimate" not in rules_only["documents"][0]["scores"]
    assert "enc:none" in rules_only["signature"]


def test_inline_suppression_changes_the_score_exactly_by_the_issue_weight(
        tmp_path: Path) -> None:
    config = Config(encoder="none", select=("FL01",), fail_under=0.0)
    _, tgt = _pair(tmp_path)
    before = check_files([str(tgt)], config=config).documents[0]
    assert [i.code for i in before.issues] == ["FL01", "FL01"]
    suppressed = TARGET_MD.replace("Run the the", "<!-- mtqa-disable-next-line FL01 -->\n"
                                                  "Run the the")
    tgt.write_text(suppressed, encoding="utf-8")
    after = check_files([str(tgt)], config=config).documents[0]
    assert len(after.issues) == 1
    weight = issue_penalty(before.issues[1], config.weights)
    assert weight == config.weights[Severity.MINOR.value]
    assert after.scores.penalty == pytest.approx(before.scores.penalty - weight)
    assert after.scores.words == before.scores.words
    assert after.scores.quality == pytest.approx(quality_of(after.scores.penalty,
                                                            after.scores.words))


def test_a_failed_document_says_why(tmp_path: Path) -> None:
    _, tgt = _pair(tmp_path)
    code, data = _json(["check", str(tgt), "--fail-on", "minor", "--no-encoder"])
    reasons = data["documents"][0]["reasons"]
    assert code == 1
    assert reasons[0] == "2 issue(s) at or above minor: FL01 x2"


def test_the_estimate_limit_is_a_reason_of_its_own() -> None:
    from mtqa.model import Scores
    from mtqa.quality.scoring import verdict

    scores = Scores(penalty=0.0, words=400, quality=100.0, segments=(20.0, 40.0),
                    estimate=60.0)
    assert verdict(scores, [], Config(fail_over_estimate=20.0)) == (True, ())
    passed, reasons = verdict(scores, [], Config(fail_over_estimate=10.0))
    assert not passed
    assert reasons == (("the encoder estimates 15.0 MQM points per 100 words, more than "
                        "the 10 allowed"),)
    # Too short a document: the estimate abstains (see scoring.MIN_ESTIMATE_WORDS).
    short = Scores(penalty=0.0, words=20, quality=100.0, segments=(20.0,), estimate=20.0)
    assert verdict(short, [], Config(fail_over_estimate=10.0)) == (True, ())


def test_target_only_documents_have_their_own_quality_limit(tmp_path: Path) -> None:
    from mtqa.quality.scoring import quality_limit

    assert quality_limit(Config(), with_source=True) == 95.0
    assert quality_limit(Config(), with_source=False) == 99.5
    assert quality_limit(Config(fail_under_target_only=None), with_source=False) == 95.0
    # One minor issue in about 100 words: passes with a source, fails without one.
    src, tgt = _pair(tmp_path, "# Usage\n\n" + "Read the report and fix it. " * 20
                     + "Run the the tool.\n")
    alone = check_files([str(tgt)], config=Config(select=("FL01",))).documents[0]
    assert not alone.passed
    assert "without a source: " in alone.reasons[0]
    paired = check_files([str(tgt)], str(src), config=Config(select=("FL01",),
                                                             encoder="none")).documents[0]
    assert paired.passed and paired.scores.quality == alone.scores.quality
    # --fail-under sets both limits.
    result = CliRunner().invoke(app, ["check", str(tgt), "--select", "FL01",
                                      "--fail-under", "90"])
    assert result.exit_code == 0, result.output


def test_the_human_reference_example_passes_the_default_gate() -> None:
    from tests.conftest import EXAMPLES

    result = CliRunner().invoke(app, ["check", str(EXAMPLES / "river-cleanup.ref.en.md")])
    assert result.exit_code == 0, result.output


def test_fail_over_estimate_is_validated() -> None:
    from mtqa.config import ConfigError

    assert Config.from_mapping({"fail-over-estimate": 7}).fail_over_estimate == 7.0
    assert Config.from_mapping({"fail-over-estimate": "none"}).fail_over_estimate is None
    with pytest.raises(ConfigError):
        Config.from_mapping({"fail-over-estimate": -1})
    with pytest.raises(ConfigError):
        Config.from_mapping({"fail-over-estimate": True})
