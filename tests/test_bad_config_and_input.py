"""Configuration and input mistakes through the CLI: each is one line on stderr naming
the file (and the key or line), exit code 2, never a traceback or exit 3."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app

PAIR = "source\ttarget\n你好世界。\tHello world.\n这是一个测试。\tThis is a test.\n"
XLIFF = ('<?xml version="1.0" encoding="{codec}"?><xliff version="1.2"><file '
         'source-language="en" target-language="de"><body><trans-unit id="1"><source>Hi '
         '{text}</source><target>Hallo</target></trans-unit></body></file></xliff>')


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("setting, message", [
    ("fail-on = 3", "'fail-on': expected minor, major or critical, got 3 (int)"),
    ("severity = {FL05 = 3}", "'severity': expected minor, major or critical, got 3"),
    ('options = {LO02 = {min_digits = "x"}}',
     "'options': LO02.min_digits: expected a whole number, got 'x'"),
    ("options = {LO02 = {nosuch = 1}}", "LO02.nosuch: LO02 has no option 'nosuch'"),
    ("options = {LO02 = 3}", "'options': LO02: expected a table of options"),
    ("options = {ZZ = {a = 1}}", "'options': no check matches 'ZZ'"),
    ('select = ["FL", "ZZ99"]', "'select': no check matches 'ZZ99' (see `mtqa rules`)"),
    ('ignore = ["fluency.no-such"]', "'ignore': no check matches 'fluency.no-such'"),
    ('severity = {ZZ99 = "major"}', "'severity': no check matches 'ZZ99'"),
    ("options = {AC06 = {z = nan}}", "AC06.z: expected a finite number, got nan"),
    ("options = {AC06 = {ratios = {en-de = [0.1, 0]}}}",
     "AC06.ratios: en-de: the standard deviation must be over 0"),
    ("options = {AL01 = {covered = -0.5}}", "AL01.covered: must be 0 or more"),
    ("fail-under = nan", "'fail-under': expected a finite number, got nan"),
    ("fail-under = inf", "'fail-under': expected a finite number, got inf"),
    ("fail-under = -1", "'fail-under': must be 0 or more"),
    ('fail-under = "90"', "'fail-under': expected a number, got '90' (str)"),
    ("weights = {minor = -1}", "'weights': minor: must be 0 or more, got -1"),
    ("weights = {major = inf}", "'weights': major: expected a finite number, got inf"),
    ("weights = {minor = nan}", "'weights': minor: expected a finite number, got nan"),
    ("weights = {minor = true}", "'weights': minor: expected a number, got True"),
    ("max-issues = {accuracy = 1.5}", "'max-issues': accuracy: expected a whole number"),
    ("max-issues = {accuracy = -1}", "'max-issues': accuracy: limits must be 0 or more"),
    ("select = 3", "'select': expected a list of strings, got 3 (int)"),
    ("ignore = [1, 2]", "'ignore': expected a list of strings"),
    ("encoder = 3", "'encoder': expected a string, got 3 (int)"),
    ("embedding-cache = 1", "'embedding-cache': must be true or false, got 1 (int)"),
    ("quality-basis = 2", "'quality-basis': expected a string"),
    ('align-mode = "literary"', "'align-mode': expected one of auto, close, free, got 'literary'"),
])
def test_a_bad_setting_is_one_line_naming_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        setting: str, message: str) -> None:
    (tmp_path / "mtqa.toml").write_text(setting + "\n", encoding="utf-8")
    (tmp_path / "a.tsv").write_text(PAIR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(tmp_path, "check", "a.tsv", "--encoder", "fake", "--format", "json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"mtqa: error: {tmp_path / 'mtqa.toml'}: "), err
    assert message in err


def test_a_valid_option_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mtqa.toml").write_text("options = {LO02 = {min_digits = 6}, "
                                        "AC06 = {z = 2.5}}\n", encoding="utf-8")
    (tmp_path / "a.tsv").write_text(PAIR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(tmp_path, "check", "a.tsv", "--encoder", "fake", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["passed"] is True


@pytest.mark.parametrize("flag, value, message", [
    ("--fail-under", "nan", "'fail-under': expected a finite number, got nan"),
    ("--fail-under", "-3", "'fail-under': must be 0 or more"),
    ("--fail-on", "huge", "unknown severity 'huge'"),
])
def test_a_bad_flag_value_is_a_usage_error(tmp_path: Path, flag: str, value: str,
                                           message: str) -> None:
    path = tmp_path / "a.tsv"
    path.write_text(PAIR, encoding="utf-8")
    code, _, err = _run(tmp_path, "check", str(path), "--encoder", "fake", flag, value)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("mtqa: error: command line: ")
    assert message in err


@pytest.mark.parametrize("name, content, message", [
    ("surrogate.jsonl", '{"source": "a", "target": "Hello \\ud800 world."}\n',
     ":1: 'target' has a lone surrogate \\ud800 (not valid Unicode)"),
    ("surrogate-source.jsonl", '{"source": "\\udfff", "target": "x"}\n',
     ":1: 'source' has a lone surrogate \\udfff (not valid Unicode)"),
    ("deep.jsonl", '{"source": "a", "target": "b", "x": ' + "[" * 100_000 + "]" * 100_000
     + "}\n", ":1: JSON nested too deeply"),
    ("base64.xlf", XLIFF.format(codec="base64", text=""),
     ":1: the XML declaration names 'base64', which is not a text encoding"),
    ("rot13.xlf", XLIFF.format(codec="rot13", text=""),
     ":1: the XML declaration names 'rot13', which is not a text encoding"),
    ("zlib.xlf", XLIFF.format(codec="zlib", text=""),
     ":1: the XML declaration names 'zlib', which is not a text encoding"),
    ("escape.xlf", XLIFF.format(codec="unicode_escape", text="\\ud800"),
     ":1: lone surrogate \\ud800 (not valid Unicode)"),
    ("zlib.po", ('msgid ""\nmsgstr "Content-Type: text/plain; charset=zlib\\n"\n\n'
                 'msgid "a"\nmsgstr "b"\n'),
     ": the header names charset 'zlib', which is not a text encoding"),
])
def test_hostile_encodings_are_input_errors(tmp_path: Path, name: str, content: str,
                                            message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(tmp_path, "check", str(path), "--encoder", "fake", "--format",
                          "json")
    assert code == 2
    assert out == ""
    assert err == f"mtqa: error: {path}{message}\n"
