"""Check selection and severity overrides from the command line, the registry's
metadata for every check, and the precondition that silences noise."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _checkutil import run_document
from typer.testing import CliRunner

from mtqa.checks.registry import all_checks, documentation, enabled_checks
from mtqa.cli import app
from mtqa.config import Config
from mtqa.model import Severity

TEXT = ("The campaign reached 245000 people along the river this year. Villages can study "
        "together and study together, and the county office will publish what they "
        "learn.\n\nThe co management of the river by the two towns continues next year.\n")
FAMILIES = {"AC": "accuracy", "FL": "fluency", "LO": "locale", "EX": "extraction",
            "CO": "consistency", "TE": "terminology", "TG": "tags", "AL": "alignment",
            "QE": "estimate", "SW": "strings"}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.en.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(app, ["check", *args, "--format", "json"])
    try:
        return result.exit_code, json.loads(result.stdout), result.output
    except (json.JSONDecodeError, ValueError):
        return result.exit_code, None, result.output


def _codes(report: dict | None) -> list[str]:
    assert report is not None
    return sorted({i["code"] for d in report["documents"] for i in d["issues"]})


def test_default_run_reports_each_family(article: Path) -> None:
    _, report, _ = _run(str(article))
    assert {"FL02", "FL08", "LO02"} <= set(_codes(report))


@pytest.mark.parametrize("args, codes", [
    (["--select", "FL02"], ["FL02"]),
    (["--select", "fluency.repeated-phrase"], ["FL02"]),
    (["--select", "FL"], ["FL02", "FL08"]),
    (["--select", "FL", "--ignore", "FL02"], ["FL08"]),
    (["--ignore", "LO", "--ignore", "FL08"], ["FL02"]),
    (["--select", "LO02", "--select", "FL08"], ["FL08", "LO02"]),
    (["--select", "EX"], []),
])
def test_select_and_ignore(article: Path, args: list[str], codes: list[str]) -> None:
    code, report, output = _run(str(article), *args)
    assert report is not None, output
    assert code == (0 if report["passed"] else 1), output
    assert _codes(report) == codes


def test_severity_override_changes_the_issue_and_the_gate(article: Path) -> None:
    # --fail-under 0: only the severity gate speaks (the article is checked target-only).
    code, report, _ = _run(str(article), "--select", "FL02", "--fail-under", "0")
    assert code == 0
    assert {i["severity"] for i in report["documents"][0]["issues"]} == {"minor"}
    code, report, _ = _run(str(article), "--select", "FL02", "--severity", "FL02=critical",
                           "--fail-under", "0")
    assert code == 1  # the default gate fails on a critical issue
    assert {i["severity"] for i in report["documents"][0]["issues"]} == {"critical"}
    code, report, _ = _run(str(article), "--severity", "fluency=major", "--select", "FL")
    assert {i["severity"] for i in report["documents"][0]["issues"]} == {"major"}


@pytest.mark.parametrize("args", [
    ["--select", "ZZ99"],
    ["--ignore", "nonsense"],
    ["--severity", "FL02"],
    ["--severity", "FL02=huge"],
    ["--severity", "ZZ01=major"],
])
def test_bad_selection_is_a_usage_error(article: Path, args: list[str]) -> None:
    code, _, output = _run(str(article), *args)
    assert code == 2
    assert "Traceback" not in output and "error" in output


def test_config_severity_and_options_reach_the_checks() -> None:
    config = Config.from_mapping({"select": ["LO02", "FL06"], "severity": {"LO02": "major"},
                                  "options": {"LO02": {"min_digits": 6}}})
    checks = {c.code: c for c in enabled_checks(config)}
    assert set(checks) == {"LO02", "FL06"}
    assert checks["LO02"].level is Severity.MAJOR and checks["LO02"].opts["min_digits"] == 6
    with pytest.raises(ValueError):
        enabled_checks(Config.from_mapping({"options": {"LO02": {"digits": 6}}}))


def test_rules_and_explain_list_the_new_checks() -> None:
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0
    for code in ("AC04", "AC05", "AC06", "FL02", "FL08", "LO01", "LO06", "EX01", "EX06"):
        assert code in result.output
    result = CliRunner().invoke(app, ["explain", "LO02"])
    assert result.exit_code == 0
    assert "min_digits=5" in result.output and "Fires:" in result.output


@pytest.mark.parametrize("cls", all_checks(), ids=lambda c: c.code)
def test_every_check_is_documented_and_declared(cls: type) -> None:
    doc = documentation(cls)
    assert "Fires" in doc and "Passes" in doc, f"{cls.code} needs examples both ways"
    assert re.fullmatch(r"[a-z]+(?:/[a-z-]+)+", cls.category), cls.category
    assert cls.name.split(".")[0] == FAMILIES[cls.code[:2]]
    assert isinstance(cls.severity, Severity)
    assert cls.requires <= {"source", "reference", "glossary"}
    assert not (cls.precondition and cls.noise)
    cls(options=dict(cls.defaults))  # the documented defaults are accepted


def test_untranslated_segment_gets_no_punctuation_noise() -> None:
    text = "这是没有翻译的句子，成员们发言。\n\nThe meeting was held\uff0cand members spoke.\n"
    config_codes = ("AC01", "LO01")
    from mtqa.api import check_texts

    report = check_texts(text, config=Config(select=config_codes, target_lang="en"))
    found = [(i.code, i.target.line) for i in report.documents[0].issues]
    assert ("AC01", 1) in found
    assert ("LO01", 1) not in found  # silenced: the segment is untranslated
    assert ("LO01", 3) in found


def test_document_helper_reads_plain_text() -> None:
    assert [i.target.line for i in run_document("LO02", "Line one.\n\nIt cost 250000 yuan.\n")] \
        == [3]


def test_debris_line_gets_no_number_or_length_issues() -> None:
    from mtqa.model import Bead, Document, Segment
    from mtqa.pipeline import Inputs, check_documents

    tgt = Document(None, "en", (Segment("Search this site:", 1, 1, 0, 0),
                                Segment("The meeting was held on May 13.", 3, 1, 12, 1)))
    src = Document(None, "zh", (Segment("2024年5月13日 10:42", 1, 1, 0, 0),
                                Segment("会议于5月13日举行。", 2, 1, 18, 1)))
    beads = (Bead((0,), (0,)), Bead((1,), (1,)))
    config = Config(select=("EX01", "AC03", "AC06"))
    report = check_documents([Inputs(tgt, src, None, beads)], config)
    assert [(i.code, i.target.segment) for i in report.documents[0].issues] == [("EX01", 0)]
