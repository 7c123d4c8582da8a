"""The glossaries that ship with mtqa: package data identical to references/glossaries,
named by their short name on the command line and in the config."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.shipped import resolve_glossary, shipped_glossaries

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "references" / "glossaries"


def test_the_shipped_copies_are_the_references() -> None:
    shipped = shipped_glossaries()
    assert sorted(p.name for p in shipped.values()) == sorted(
        p.name for p in REFERENCES.glob("*.tsv"))
    for path in shipped.values():
        assert path.read_bytes() == (REFERENCES / path.name).read_bytes(), (
            f"copy references/glossaries/{path.name} to mtqa/data/glossaries/")


def test_short_names_resolve_and_files_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_glossary("cpc-terms").endswith("cpc-terms.zh-en.tsv")
    assert resolve_glossary("no-such-glossary") == "no-such-glossary"
    assert resolve_glossary("dir/cpc-terms") == "dir/cpc-terms"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cpc-terms").write_text("source\ttarget\n", encoding="utf-8")
    assert resolve_glossary("cpc-terms") == "cpc-terms"


def _terms_checked(tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, [signature, issue codes...], stderr of a terminology check."""
    src = tmp_path / "a.zh.txt"
    tgt = tmp_path / "a.en.txt"
    src.write_text("他强调要坚持两个维护。\n", encoding="utf-8")
    tgt.write_text("He stressed the two maintenances again and again.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tgt), "--source", str(src), "--encoder",
                                      "fake", "--format", "json", "--select", "TE", *args])
    if not result.stdout:
        return result.exit_code, [], result.stderr
    report = json.loads(result.stdout)
    codes = [i["code"] for d in report["documents"] for i in d["issues"]]
    return result.exit_code, [report["signature"], *codes], result.stderr


def test_glossary_by_short_name_on_the_command_line(tmp_path: Path) -> None:
    code, found, err = _terms_checked(tmp_path, "--glossary", "cpc-terms")
    assert err == ""
    assert found[1:] == ["TE01"]  # the calque "two maintenances" for 两个维护
    assert code == 1
    by_path = _terms_checked(tmp_path, "--glossary",
                             str(REFERENCES / "cpc-terms.zh-en.tsv"))[1]
    assert found == by_path  # the same glossary hash: the same file was read
    assert "gloss:none" not in found[0]


def test_an_unknown_short_name_is_a_missing_file(tmp_path: Path) -> None:
    code, _, err = _terms_checked(tmp_path, "--glossary", "cpc-termz")
    assert code == 2
    assert err == "mtqa: error: cpc-termz: no such file\n"
