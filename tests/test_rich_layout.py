"""The terminal report at 80 columns (a golden file), unit ids in every output, the
verdict repeated last, bead penalties that add up."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mtqa.config import Config
from mtqa.formatters import renderer
from mtqa.formatters.rich_format import render, rounded_to_sum
from mtqa.model import Report
from mtqa.pipeline import check_files

GOLDEN = Path(__file__).parent / "golden"
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2"><file source-language="en" target-language="de" original="app"><body>
<trans-unit id="welcome.title"><source>Welcome to the river project.</source>
<target>Willkommen beim Flussprojekt.</target></trans-unit>
<trans-unit id="files.deleted"><source>You deleted %s files.</source>
<target>Sie haben Dateien gelöscht.</target></trans-unit>
<trans-unit id="report.count"><source>The report lists 300 members.</source>
<target>Der Bericht nennt 30 Mitglieder und und mehr.</target></trans-unit>
</body></file></xliff>
"""


@pytest.fixture()
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(tmp_path)
    Path("units.xlf").write_text(XLIFF, encoding="utf-8")
    # A fixed check set: the golden file must not change when a check is added.
    return check_files(["units.xlf"], config=Config(encoder="fake", embedding_cache=False,
                                                    select=("TG01", "AC03", "FL01")))


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_rich_at_80_columns_golden(report: Report) -> None:
    text = render(report, show_segments=True, width=80)
    _golden("units.rich80.txt", text)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_no_column_is_squeezed_to_a_character_at_80(report: Report) -> None:
    text = render(report, width=80)
    # The stacked layout keeps the fix whole on its own line.
    assert "fix: " in text
    assert "files.deleted" in text and "report.count" in text


def test_the_verdict_is_the_last_line(report: Report) -> None:
    lines = render(report, show_segments=True, width=120).rstrip().splitlines()
    assert lines[-1].startswith("Verdict: FAILED (quality ")
    assert "issue(s))" in lines[-1]


def test_unit_ids_in_json_sarif_and_junit(report: Report) -> None:
    doc = json.loads(renderer("json")(report))["documents"][0]
    assert [s["unit"] for s in doc["segments"]["target"]] == ["welcome.title",
                                                             "files.deleted", "report.count"]
    units = {i["code"]: i["unit"] for i in doc["issues"]}
    assert units["TG01"] == "files.deleted"
    assert units["AC03"] == "report.count"
    sarif = json.loads(renderer("sarif")(report))
    logical = {r["ruleId"]: r["locations"][0]["logicalLocations"]
               for r in sarif["runs"][0]["results"]}
    assert logical["AC03"] == [{"name": "report.count", "kind": "translationUnit"}]
    junit = renderer("junit")(report)
    assert "units.xlf:8:27 (unit report.count): AC03 [major]" in junit


def test_plain_files_have_no_unit_key(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The the river is long.\n", encoding="utf-8")
    doc = json.loads(renderer("json")(check_files([str(path)], config=Config(
        encoder="fake", target_lang="en"))))["documents"][0]
    assert doc["issues"] and all("unit" not in i for i in doc["issues"])
    assert all("unit" not in s for s in doc["segments"]["target"])


@pytest.mark.parametrize("values, shown", [
    ([0.33, 0.33, 0.34], [0.3, 0.3, 0.4]),
    ([1.25, 1.25, 2.5], [1.3, 1.2, 2.5]),
    ([5.0, 0.0, 0.1], [5.0, 0.0, 0.1]),
    ([], []),
])
def test_rounded_penalties_add_up(values: list[float], shown: list[float]) -> None:
    assert rounded_to_sum(values) == shown
    assert round(sum(shown), 1) == round(sum(values), 1)
