"""The first checks, the registry, preconditions, and selection."""
from __future__ import annotations

import pytest

from mtqa.api import check_texts
from mtqa.checks.base import TargetCheck
from mtqa.checks.registry import all_checks, documentation, enabled_checks, find, register
from mtqa.config import Config
from mtqa.model import Severity


def codes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.code for i in report.documents[0].issues]


ZH_EN = Config(source_lang="zh", target_lang="en")


@pytest.mark.parametrize("source, target, fires", [
    ("会议覆盖近11万人。", "The meeting covered nearly 1,100 people.", True),
    ("会议覆盖近11万人。", "The meeting covered nearly 110,000 people.", False),
    ("会议覆盖近11万人。", "The meeting covered nearly 110000 people.", False),
    ("投资3亿元。", "An investment of 300 million yuan.", False),
    ("投资3亿元。", "An investment of 30 million yuan.", True),
    ("5月11日上午召开。", "It was held on the morning of May 11.", False),
    ("5月11日上午召开。", "It was held on the morning of May 12.", True),
    ("三千名党员参加。", "3,000 Party members took part.", False),
    ("两百多个支部参加。", "More than 200 branches took part.", False),
    ("占比15.6%。", "It accounts for 15.6%.", False),
    ("占比15.6%。", "It accounts for 16.5%.", True),
    ("第十四个五年规划。", "The 14th five-year development plan.", False),
    ("他们开会了。", "They met in 2024.", True),
])
def test_number_mismatch(source: str, target: str, fires: bool) -> None:
    report = check_texts(target, source=source, config=ZH_EN.merged({"select": ["AC03"]}))
    assert ("AC03" in codes(report)) is fires


def test_number_mismatch_points_at_both_sides() -> None:
    report = check_texts("It covered 11,100 tons.", source="覆盖11.1万吨。",
                         config=ZH_EN.merged({"select": ["AC03"]}))
    issue = report.documents[0].issues[0]
    assert issue.target is not None and issue.target.text == "11,100"
    assert issue.source is not None and issue.source.text == "11.1万"
    assert issue.suggestion == "111,000"


@pytest.mark.parametrize("target, fires, severity", [
    ("The branch organised 学习 sessions for members.", True, Severity.MAJOR),
    ("中央和国家机关召开交流会", True, Severity.CRITICAL),
    ("The branch organised study sessions.", False, None),
    ("Prices rose 5％ in May.", False, None),  # full-width sign: a locale issue, not AC01
])
def test_untranslated_script(target: str, fires: bool, severity: Severity | None) -> None:
    report = check_texts(target, config=Config(target_lang="en", select=("AC01",)))
    issues = report.documents[0].issues
    assert bool(issues) is fires
    if fires:
        assert issues[0].severity is severity


@pytest.mark.parametrize("source, target, fires", [
    ("中央和国家机关", "中央和国家机关", True),
    ("CPU 使用率", "CPU 使用率", True),
    ("CPU", "CPU", False),
    ("中央和国家机关", "Central and state organs", False),
])
def test_identical_to_source(source: str, target: str, fires: bool) -> None:
    config = Config(source_lang="zh", target_lang="en", select=("AC02",))
    report = check_texts(target, source=source, config=config)
    assert ("AC02" in codes(report)) is fires


@pytest.mark.parametrize("target, fires", [
    ("We held the the meeting.", True),
    ("The the members met.", True),
    ("READ THE THE REPORT.", True),
    ("Fang Fang spoke first.", False),
    ("What he had had was enough.", False),
    ("He said that that was fine.", False),
    ("The theme of the meeting.", False),
    ("他们常常看看书。", False),
])
def test_repeated_word(target: str, fires: bool) -> None:
    report = check_texts(target, config=Config(select=("FL01",)))
    assert ("FL01" in codes(report)) is fires


def test_untranslated_segment_suppresses_noise() -> None:
    # An untranslated sentence with a repeated word gets AC01 only.
    report = check_texts("The the 中央 中央和国家机关召开了会议", config=Config(target_lang="en"))
    assert codes(report) == ["AC01"]
    report = check_texts("The the meeting.", config=Config(target_lang="en"))
    assert codes(report) == ["FL01"]


def test_registry_is_documented_and_unique() -> None:
    checks = all_checks()
    assert len({c.code for c in checks}) == len(checks)
    assert len({c.name for c in checks}) == len(checks)
    for cls in checks:
        doc = documentation(cls)
        assert "Fires" in doc and "Passes" in doc, cls.code
        assert cls.category.split("/")[0] in {
            "accuracy", "fluency", "terminology", "style", "locale", "design", "other"}


def test_register_rejects_bad_checks() -> None:
    class NoDoc(TargetCheck):
        code = "ZZ99"
        name = "test.no-doc"
        category = "other"

    with pytest.raises(ValueError, match="docstring"):
        register(NoDoc)

    class BadCode(TargetCheck):
        """Doc."""

        code = "Z1"
        name = "test.bad-code"
        category = "other"

    with pytest.raises(ValueError, match="AB12"):
        register(BadCode)


def test_select_ignore_and_severity_override() -> None:
    config = Config(select=("AC", "FL01"), ignore=("AC02",), severity={"FL01": "major"})
    checks = {c.code: c for c in enabled_checks(config)}
    assert "AC02" not in checks and "AC01" in checks and "FL01" in checks
    assert checks["FL01"].level is Severity.MAJOR
    assert find("fl01") is find("fluency.repeated-word")
