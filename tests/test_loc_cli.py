"""``mtqa check file.xlf`` finds what the same content in TSV finds, plus the tag checks,
and points at the XLIFF's own lines."""
from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from mtqa.cli import app

LOC = Path(__file__).parent / "data" / "loc"


def _report(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json", *args])
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["passed"] else 1), result.stderr
    return data["documents"][0]


def _plain(text: str) -> str:
    """Segment text without inline-code tokens, blanks collapsed (as the TSV has it)."""
    return re.sub(r"\s+", " ", re.sub(r"⟨[^⟩]*⟩", "", text)).strip()


def _key(issue: dict) -> tuple[str, str, int, str]:
    return (issue["code"], issue["severity"], issue["target"]["segment"],
            _plain(issue["target"]["text"]))


def test_xliff_gives_the_tsv_issues_plus_the_tag_checks() -> None:
    xlf = _report(LOC / "app.de.xlf")
    tsv = _report(LOC / "app.de.tsv")
    assert len(xlf["alignment"]) == len(tsv["alignment"]) == 10
    # The software-string checks (SW) run on localisation files, not on TSV.
    not_tags = [_key(i) for i in xlf["issues"] if not i["code"].startswith(("TG", "SW"))]
    assert not_tags == [_key(i) for i in tsv["issues"] if not i["code"].startswith("TG")]
    assert [_key(i)[:3] for i in xlf["issues"] if i["code"].startswith("SW")] == [
        ("SW01", "minor", 4)]
    assert {k[0] for k in not_tags} == {"AC02", "AC03", "FL01"}
    xlf_tags = [_key(i) for i in xlf["issues"] if i["code"].startswith("TG")]
    tsv_tags = [_key(i) for i in tsv["issues"] if i["code"].startswith("TG")]
    # Placeholders written in the text are found in both; inline codes, states and
    # notes only exist in the XLIFF.
    assert all(k in xlf_tags for k in tsv_tags)
    extra = [k for k in xlf_tags if k not in tsv_tags]
    save = "Klicken Sie, um alle Änderungen zu speichern."
    assert extra == [("TG01", "major", 3, save)] * 3 + [
        ("TG06", "minor", 3, save), ("TG06", "minor", 8, "Terms and conditions apply.")]
    assert sorted(k[:3] for k in tsv_tags) == [("TG02", "critical", 4), ("TG03", "major", 5),
                                             ("TG05", "major", 9)]


def test_xliff_issues_point_at_the_xliff_lines() -> None:
    lines = (LOC / "app.de.xlf").read_text(encoding="utf-8").split("\n")
    report = _report(LOC / "app.de.xlf")
    for issue in report["issues"]:
        loc = issue["target"]
        if not loc["text"] or "⟨" in issue["target"]["text"][:1]:
            continue
        line = lines[loc["line"] - 1]
        # The flagged text starts where the location says (no entities on these lines).
        assert line[loc["column"] - 1:].startswith(loc["text"].split("\n")[0]), issue
    by_code = {(i["code"], i["target"]["line"]) for i in report["issues"]}
    assert ("AC03", 21) in by_code and ("FL01", 39) in by_code and ("TG05", 55) in by_code


def test_po_and_tmx_through_the_cli() -> None:
    po = _report(LOC / "shop.de.po")
    assert [(i["code"], i["target"]["line"]) for i in po["issues"]] == [
        ("TG01", 22), ("TG02", 22), ("TG05", 32), ("TG01", 39), ("TG06", 39), ("AC03", 46),
        ("FL01", 51)]
    tmx = _report(LOC / "memory.tmx", "--target-lang", "fr")
    assert tmx["target"]["lang"] == "fr"
    assert [(i["code"], i["target"]["line"]) for i in tmx["issues"]] == [("TG05", 18)]


def test_unknown_tmx_language_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["check", str(LOC / "memory.tmx"), "--target-lang", "ja"])
    assert result.exit_code == 2
    assert "no unit in language 'ja'" in result.stderr
