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


def test_dash_V_prints_the_version() -> None:
    from mtqa import __version__

    code, out, _ = _run("-V")
    assert code == 0
    assert out == f"mtqa {__version__}\n"


def test_help_shows_no_python_types() -> None:
    for command in ("check", "gate", "align", "rules", "compare"):
        _, out, _ = _run(command, "--help")
        assert "<bool>" not in out and "list[" not in out and "<str>" not in out, command
    _, out, _ = _run("check", "--help")
    assert "FILE" in out and "--quiet" in out and "--no-color" in out


def test_standard_input_is_dash() -> None:
    result = CliRunner().invoke(app, ["check", "-", "--encoder", "fake", "--format", "json",
                                      "--target-lang", "en"],
                                input="The river is long. The the bank is wide.\n")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["target"]["path"] == "-"
    assert [i["code"] for i in doc["issues"]] == ["FL01"]


def test_exit_zero_reports_but_passes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The river is long. The the bank is wide.\n", encoding="utf-8")
    code, out, _ = _run("check", str(path), "--encoder", "fake", "--format", "json",
                        "--target-lang", "en")
    assert code == 1 and json.loads(out)["passed"] is False
    code, out, _ = _run("check", str(path), "--encoder", "fake", "--format", "json",
                        "--target-lang", "en", "--exit-zero")
    assert code == 0 and json.loads(out)["passed"] is False
    code, _, err = _run("check", str(tmp_path / "missing.txt"), "--exit-zero")
    assert code == 2 and err.startswith("mtqa: error: ")


def test_min_severity_hides_lesser_issues_but_keeps_the_score(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("The report lists 300 members.\tThe the report lists 30 members.\n",
                    encoding="utf-8")
    _, out, _ = _run("check", str(path), "--encoder", "fake", "--format", "json")
    every = json.loads(out)["documents"][0]
    assert sorted(i["code"] for i in every["issues"]) == ["AC03", "FL01"]
    _, out, _ = _run("check", str(path), "--encoder", "fake", "--format", "json",
                     "--min-severity", "Major")
    shown = json.loads(out)["documents"][0]
    assert [i["code"] for i in shown["issues"]] == ["AC03"]
    assert shown["scores"] == every["scores"]
    code, _, err = _run("check", str(path), "--min-severity", "worst")
    assert code == 2 and "'min-severity': unknown severity 'worst'" in err


def test_statistics_count_issues_per_check_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The the river. The the bank. A a boat.\n", encoding="utf-8")
    code, out, err = _run("check", str(path), "--encoder", "fake", "--format", "json",
                          "--target-lang", "en", "--statistics", "--select", "FL01")
    assert code == 1
    assert json.loads(out)["documents"][0]["issues"]  # stdout stays the report
    assert err == "3  FL01  fluency.repeated-word\n"


def test_quiet_drops_warnings_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("The river was cleaned by the committee this year.\tThe river was "
                    "cleaned this year by the committee.\nMore than three hundred river "
                    "chiefs were appointed.\tOver three hundred river chiefs were named.\n",
                    encoding="utf-8")
    _, _, err = _run("check", str(path), "--encoder", "fake", "--format", "json",
                     "-o", str(tmp_path / "r.json"))
    assert "mtqa: warning: " in err and "mtqa: wrote " in err
    _, _, err = _run("check", str(path), "--encoder", "fake", "--format", "json",
                     "-o", str(tmp_path / "r.json"), "--quiet")
    assert err == ""


def test_a_folder_and_a_glob_are_inputs(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.tsv").write_text(PAIR, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "b.tsv").write_text(PAIR, encoding="utf-8")
    (tmp_path / "docs" / "notes.bin").write_bytes(b"\x00\x01")
    code, out, err = _run("check", str(tmp_path / "docs"), "--encoder", "fake",
                          "--format", "json")
    assert code == 0, err
    paths = [d["target"]["path"] for d in json.loads(out)["documents"]]
    assert paths == [str(tmp_path / "docs" / "a.tsv"), str(tmp_path / "docs" / "sub" / "b.tsv")]
    code, out, _ = _run("check", str(tmp_path / "docs" / "**" / "*.tsv"), "--encoder", "fake",
                        "--format", "json")
    assert code == 0 and len(json.loads(out)["documents"]) == 2
    code, out, err = _run("check", str(tmp_path / "nothing" / "*.tsv"))
    assert code == 2 and out == ""
    assert err == f"mtqa: error: {tmp_path / 'nothing' / '*.tsv'}: no file matches this pattern\n"


def test_several_monolingual_translations_are_checked_target_only(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text("The river is long and the bank is wide.\n",
                                     encoding="utf-8")
    code, out, err = _run("check", str(tmp_path), "--encoder", "fake", "--format", "json",
                          "--target-lang", "en")
    assert code == 0, err
    docs = json.loads(out)["documents"]
    assert [d["source"] for d in docs] == [None, None]
    code, _, err = _run("check", str(tmp_path / "a.txt"), str(tmp_path / "b.md"),
                        "--source", str(tmp_path / "a.txt"))
    assert code == 2 and "--source/--reference go with one monolingual translation" in err


def test_config_prints_each_setting_and_its_origin(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mtqa.toml"
    config.write_text('fail-under = 90\nselect = ["FL", "AC03"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run("config")
    assert code == 0, err
    rows = {line.split("=")[0].strip(): line for line in out.splitlines()[1:]}
    assert rows["fail-under"].endswith(f"= 90.0  # {config}")
    assert rows["select"].endswith(f'= ["FL", "AC03"]  # {config}')
    assert rows["fail-on"].endswith('= "critical"  # default')
    assert rows["max-segment-chars"].endswith("= 10000  # default")
    config.write_text("fail-under = nan\n", encoding="utf-8")
    code, out, err = _run("config")
    assert code == 2 and out == ""
    assert err == f"mtqa: error: {config}: 'fail-under': expected a finite number, got nan\n"


def test_standard_input_to_html_gets_a_plain_name(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "-", "--encoder", "fake", "--format", "html",
                                      "--target-lang", "en"],
                                input="The river is long and the bank is wide.\n")
    assert result.exit_code == 0
    assert result.stdout == str(Path("reports") / "report.html") + "\n"
    assert (tmp_path / "reports" / "report.html").is_file()


def test_empty_standard_input_is_an_input_error() -> None:
    result = CliRunner().invoke(app, ["check", "-"], input="")
    assert result.exit_code == 2
    assert result.stderr == "mtqa: error: -: file is empty\n"
