"""CLI conventions users expect from linters: case-insensitive option values, a summary
that speaks for the command that printed it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app

PAIR = "source\ttarget\n你好世界。\tHello world.\n这是一个测试。\tThis is a test.\n"


@pytest.fixture()
def pair(tmp_path: Path) -> Path:
    path = tmp_path / "a.tsv"
    path.write_text(PAIR, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("value", ["JSON", "Json", "json"])
def test_format_names_are_case_insensitive(pair: Path, value: str) -> None:
    code, out, err = _run("check", str(pair), "--encoder", "fake", "--format", value)
    assert code == 0, err
    assert json.loads(out)["schema"] == "mtqa.report/1"


def test_severity_names_are_case_insensitive(pair: Path) -> None:
    code, out, _ = _run("check", str(pair), "--encoder", "fake", "--format", "json",
                        "--fail-on", "MINOR", "--severity", "FL=Major")
    assert code == 0
    assert json.loads(out)["passed"] is True


def test_align_format_is_case_insensitive(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    tgt = tmp_path / "t.txt"
    src.write_text("你好世界。这是一个测试。\n", encoding="utf-8")
    tgt.write_text("Hello world. This is a test.\n", encoding="utf-8")
    code, out, _ = _run("align", str(src), str(tgt), "--encoder", "fake", "--format", "JSON")
    assert code == 0
    beads = json.loads(out)
    assert [b["target_text"] for b in beads if b["target"]] == ["Hello world.",
                                                                "This is a test."]


def test_an_unknown_format_keeps_its_spelling_in_the_error(pair: Path) -> None:
    code, out, err = _run("check", str(pair), "--format", "XML")
    assert code == 2
    assert out == ""
    assert err.startswith("mtqa: error: unknown format 'XML' (available: ")


def test_check_summary_does_not_speak_for_gate(pair: Path) -> None:
    code, out, _ = _run("check", str(pair), "--encoder", "fake", "--format", "summary")
    assert code == 0
    assert "mtqa gate" not in out
    assert out.rstrip().endswith("mtqa: 1 document(s), 0 issue(s): passed")


def test_junit_marks_checks_that_never_ran_as_skipped(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    path = tmp_path / "a.txt"
    path.write_text("The river is long. The the bank is wide.\n", encoding="utf-8")
    code, out, _ = _run("check", str(path), "--encoder", "fake", "--format", "junit",
                        "--select", "AC03,FL01", "--target-lang", "en", "--fail-under", "0")
    assert code == 0
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["AC03"].find("skipped") is not None  # needs a source: never ran
    assert cases["FL01"].find("skipped") is None
    assert suite.get("skipped") == "1"
