"""Bounded work per segment: a segment over ``max-segment-chars`` gets one EX08 issue
and no check runs on it; hostile sizes finish in seconds."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.config import Config
from mtqa.pipeline import check_files

WORDS = "river cleanup committee approved new rules for the project and "


def _line(chars: int) -> str:
    return (WORDS * (chars // len(WORDS) + 1))[:chars]


def _json_check(path: Path, *args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(app, ["check", str(path), "--encoder", "fake", "--format",
                                      "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}, result.stderr


def test_a_long_segment_is_one_issue_and_not_checked(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    long = _line(12_000) + " teh teh"  # a typo and a repeated word no check may see
    path.write_text(json.dumps({"source": "你好世界。", "target": long}) + "\n"
                    + json.dumps({"source": "这是测试。", "target": "This is a test."}) + "\n",
                    encoding="utf-8")
    code, report, err = _json_check(path)
    assert code == 0, err
    issues = report["documents"][0]["issues"]
    assert [(i["code"], i["target"]["segment"]) for i in issues] == [("EX08", 0)]
    assert issues[0]["message"] == ("target segment of 12,008 characters, over the limit "
                                    "of 10,000: not checked (max-segment-chars)")
    assert issues[0]["target"]["text"] == long[:60]
    # The report keeps the whole text.
    assert report["documents"][0]["segments"]["target"][0]["text"] == long


def test_a_long_source_segment_is_reported_on_the_source(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(f"{'长' * 10_001}\tShort.\n", encoding="utf-8")
    report = check_files([str(path)], config=Config(encoder="fake", target_lang="en"))
    issues = report.documents[0].issues
    assert [(i.code, i.target, i.source.segment if i.source else None) for i in issues] == \
        [("EX08", None, 0)]


def test_the_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text(_line(12_000) + ".\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, report, _ = _json_check(path)
    assert [i["code"] for i in report["documents"][0]["issues"]] == ["EX08"]
    (tmp_path / "mtqa.toml").write_text("max-segment-chars = 20000\n", encoding="utf-8")
    _, report, _ = _json_check(path)
    assert "EX08" not in [i["code"] for i in report["documents"][0]["issues"]]
    (tmp_path / "mtqa.toml").write_text("max-segment-chars = 0\n", encoding="utf-8")
    _, report, _ = _json_check(path)
    assert "EX08" not in [i["code"] for i in report["documents"][0]["issues"]]


@pytest.mark.parametrize("value, message", [
    ("-1", "'max-segment-chars': must be 0 (no limit) or more, got -1"),
    ("1.5", "'max-segment-chars': expected a whole number, got 1.5 (float)"),
    ('"big"', "'max-segment-chars': expected a whole number, got 'big' (str)"),
])
def test_a_bad_limit_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       value: str, message: str) -> None:
    (tmp_path / "mtqa.toml").write_text(f"max-segment-chars = {value}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Hello world.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = _json_check(tmp_path / "a.txt")
    assert code == 2
    assert err == f"mtqa: error: {tmp_path / 'mtqa.toml'}: {message}\n"


@pytest.mark.parametrize("kind", ["text", "jsonl"])
def test_twenty_megabytes_in_one_segment_finish_in_seconds(tmp_path: Path, kind: str) -> None:
    big = _line(20_000_000)
    if kind == "text":
        path = tmp_path / "one-line.txt"
        path.write_text(big, encoding="utf-8")
    else:
        path = tmp_path / "one-string.jsonl"
        path.write_text(json.dumps({"source": "源" * 100, "target": big}) + "\n",
                        encoding="utf-8")
    start = time.process_time()
    code, report, err = _json_check(path)
    # CPU seconds of this process (not wall time, which a loaded CI machine stretches);
    # before the limit this took minutes.
    assert time.process_time() - start < 30
    assert code == 0, err
    assert [i["code"] for i in report["documents"][0]["issues"]] == ["EX08"]
