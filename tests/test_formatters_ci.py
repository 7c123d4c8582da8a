"""The machine formats for CI: SARIF (against the official schema), JUnit, GitHub
workflow commands, the Markdown summary."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from gitrepo import run, write

from mtqa.config import Config
from mtqa.formatters import FORMATS, renderer
from mtqa.formatters.github import escape_data, escape_property
from mtqa.model import Report
from mtqa.pipeline import check_files

SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"
TEXT = ("# Report\n\nThe the committee met on Monday.\n\n"
        "Members studied 学习 materials.\n\nNotes | and and more.\n\nAll is well here.\n")


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs" / "a,b:c.md", TEXT)
    write(tmp_path / "docs" / "clean.md", "# Fine\n\nNothing is wrong with this page.\n")
    config = Config().merged({"target_lang": "en", "select": ["FL01", "AC01"],
                              "fail_on": "major"})
    one = check_files(["docs/a,b:c.md"], config=config)
    two = check_files(["docs/clean.md"], config=config)
    return Report(one.documents + two.documents, one.signature, False, one.settings, one.rules)


def test_every_format_is_registered() -> None:
    assert {"sarif", "junit", "github", "markdown", "json", "rich", "summary"} <= set(FORMATS)


def test_sarif_is_valid_against_the_official_schema(report: Report) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(renderer("sarif")(report))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    run_ = data["runs"][0]
    results = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"])
               for r in run_["results"]]
    assert [(code, level) for code, level, _ in results] == [
        ("FL01", "note"), ("AC01", "warning"), ("FL01", "note")]
    # Columns count code points: 学习 starts at column 17 and ends before column 19.
    assert {k: results[1][2][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} \
        == {"startLine": 5, "startColumn": 17, "endLine": 5, "endColumn": 19}
    assert results[0][2]["snippet"] == {"text": "The the"}
    uri = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "docs/a%2Cb%3Ac.md", "uriBaseId": "%SRCROOT%"}
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert "The same word twice in a row." in rules["FL01"]["help"]["text"]
    assert rules[run_["results"][0]["ruleId"]] is run_["tool"]["driver"]["rules"][
        run_["results"][0]["ruleIndex"]]
    prints = [r["partialFingerprints"]["mtqaIssue/v1"] for r in run_["results"]]
    assert len(set(prints)) == 3 and all(len(p) == 16 for p in prints)


def test_sarif_of_an_empty_run_is_valid() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(renderer("sarif")(Report((), "sig", True)))
    jsonschema.Draft4Validator(schema).validate(data)
    assert data["runs"][0]["results"] == []


def test_a_broken_sarif_fails_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(renderer("sarif")(Report((), "sig", True)))
    data["runs"][0]["results"] = [{"ruleId": "FL01", "level": "fatal", "message": {}}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(data)


@pytest.mark.parametrize("text, data, prop", [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
    ("docs/a,b:c.md", "docs/a,b:c.md", "docs/a%2Cb%3Ac.md"),
    ("%0A", "%250A", "%250A"),
])
def test_github_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_github_annotations(report: Report) -> None:
    lines = renderer("github")(report).splitlines()
    assert lines == [
        "::warning file=docs/a%2Cb%3Ac.md,line=3,col=1,endLine=3,endColumn=8,"
        "title=FL01 fluency.repeated-word (minor)::repeated word 'The' (suggestion: The)",
        "::error file=docs/a%2Cb%3Ac.md,line=5,col=17,endLine=5,endColumn=19,"
        "title=AC01 accuracy.untranslated-text (major)::untranslated text "
        "(en translation contains '学习')",
        "::warning file=docs/a%2Cb%3Ac.md,line=7,col=9,endLine=7,endColumn=16,"
        "title=FL01 fluency.repeated-word (minor)::repeated word 'and' (suggestion: and)",
        "::error file=docs/a%2Cb%3Ac.md,title=mtqa gate::mtqa gate failed: "
        "1 issue(s) at or above major: AC01; quality 65.0 is under 99.5 without a source: "
        "7 points in 20 words (AC01 5, FL01 2)",
    ]


def test_junit_has_a_case_per_file_and_check(report: Report) -> None:
    root = ET.fromstring(renderer("junit")(report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["docs/a,b:c.md", "docs/clean.md"]
    cases = [(c.get("name"), c.find("failure") is not None, c.find("system-out") is not None)
             for c in suites[0].findall("testcase")]
    assert cases == [("AC01", True, False), ("FL01", False, True), ("gate", True, False)]
    assert [c.get("name") for c in suites[1].findall("testcase")] == ["AC01", "FL01", "gate"]
    assert all(c.find("failure") is None for c in suites[1].findall("testcase"))
    assert (root.get("tests"), root.get("failures")) == ("6", "2")
    assert "5:17: AC01 [major]" in suites[0].find("testcase[@name='AC01']/failure").text


def test_markdown_summary(report: Report) -> None:
    text = renderer("markdown")(report)
    assert text.startswith("## mtqa: ❌ failed (1 of 2 documents)")
    assert ("| `docs/a,b:c.md` | 0 | 1 | 2 | 65.0 | **fail**: `1 issue(s) at or above major: "
            "AC01; quality 65.0 is under 99.5 without a source: 7 points in 20 words "
            "(AC01 5, FL01 2)` |") in text
    assert "| 5 | AC01 | major | `学习` |" in text
    assert "materials \\| and" not in text  # only the flagged text goes in a cell
    assert "| `docs/clean.md` | 0 | 0 | 0 | 100.0 | pass |" in text


def test_check_writes_every_format(tmp_path: Path) -> None:
    write(tmp_path / "a.md", TEXT)
    for fmt in ("sarif", "junit", "github", "markdown", "summary"):
        code, out, err = run(tmp_path, "check", "a.md", "--target-lang", "en",
                             "--format", fmt)
        # Each format names the major issue that failed the run (学习 left in Chinese).
        assert code == 1 and "AC01" in out, (fmt, err)
