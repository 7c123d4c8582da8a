"""Tables of real cases for the locale checks, firing and passing."""
from __future__ import annotations

import pytest
from _checkutil import run_check, run_document, spans


@pytest.mark.parametrize("text, flagged", [
    ("Key tasks for the coming year\u2014\u2014", ["\u2014\u2014"]),
    ("the meeting was held\uff0cand members spoke\u3002", ["\uff0c", "\u3002"]),
    ("the book \u300aThe Governance of China\u300b was read", ["\u300a", "\u300b"]),
    ("Note\uff1athe time changed", ["\uff1a"]),
    ("Shandong\u3001Hubei and Beijing", ["\u3001"]),
    ("the plan\uff08draft\uff09", ["\uff08", "\uff09"]),
    ("a full\u3000width space", ["\u3000"]),
    ("the meeting was held, and members spoke.", []),
    ("an em dash\u2014in English\u2014is fine", []),
    ("\u201ccurly quotes\u201d are English too", []),
])
def test_cjk_punctuation(text: str, flagged: list[str]) -> None:
    assert spans("LO01", text) == flagged


def test_cjk_punctuation_suggests_the_latin_mark_and_skips_chinese_targets() -> None:
    assert [i.suggestion for i in run_check("LO01", "held\uff0cand")] == [","]
    assert spans("LO01", "会议在北京举行\uff0c成员发言\u3002", lang="zh") == []


@pytest.mark.parametrize("text, flagged", [
    ("a reservoir that holds 245000 cubic metres", ["245000"]),
    ("serving almost 130000 residents", ["130000"]),
    ("some 100000 saplings were planted", ["100000"]),
    ("a budget of 25000 yuan", ["25000"]),
    ("a reservoir that holds 245,000 cubic metres", []),
    ("in 2024 and 1990", []),
    ("call 010-65880000 or fax 65881234", []),
    ("ticket No. 123456 and ID 987654", []),
    ("order #123456", []),
    ("see https://example.org/item/123456", []),
    ("the code A123456 and 12345B", []),
    ("0.123456 and 3.141592", []),
    ("postcode 01234", []),
])
def test_number_format(text: str, flagged: list[str]) -> None:
    assert spans("LO02", text) == flagged


def test_number_format_suggestion_options_and_language() -> None:
    assert [i.suggestion for i in run_check("LO02", "for 111000 people")] == ["111,000"]
    assert spans("LO02", "for 12000 people", options={"min_digits": 6}) == []
    assert spans("LO02", "für 111000 Menschen", lang="de") == []


@pytest.mark.parametrize("text, flagged", [
    ("the meeting on 2024.5.11", ["2024.5.11"]),
    ("published 2024/5/21 at noon", ["2024/5/21"]),
    ("from 2023-2-1 to 2023-2-28", ["2023-2-1", "2023-2-28"]),
    ("China News Network, February 11th, headline", ["February 11th"]),
    ("between February 1st and February 28th", ["February 1st", "February 28th"]),
    ("on May 11, 2024", []),
    ("on 2024-05-11", []),
    ("an office on the 11th floor", []),
    ("version 1.2.3 and 10.5.1", []),
    ("May 11", []),
])
def test_date_format(text: str, flagged: list[str]) -> None:
    assert spans("LO03", text) == flagged


def test_date_format_suggestion() -> None:
    assert [i.suggestion for i in run_check("LO03", "on February 11th")] == ["February 11"]


@pytest.mark.parametrize("text, flagged", [
    ("the downlink rate reaches 1000Mbps", ["1000Mbps"]),
    ("a 30km road", ["30km"]),
    ("weighing 5.5kg", ["5.5kg"]),
    ("a subsidy of 4500 RMB", ["4500 RMB"]),
    ("a rate of 1,000 Mbps", []),
    ("a 30 km road", []),
    ("a subsidy of RMB 4,500", []),
    ("a subsidy of 4,500 yuan", []),
    ("the A380 and the 5G network", []),
])
def test_unit_format(text: str, flagged: list[str]) -> None:
    assert spans("LO04", text) == flagged


def test_unit_format_currency_category_and_suggestions() -> None:
    issue = run_check("LO04", "a subsidy of 4500 RMB")[0]
    assert issue.category == "locale/currency-format"
    assert issue.suggestion == "RMB 4500"
    assert run_check("LO04", "a 30km road")[0].suggestion == "30 km"


@pytest.mark.parametrize("text, flagged", [
    ("River cleanup in Linchuan -- notes from the first meeting", [" -- "]),
    ("Beijing, Feb. 11 (Xinhua) -- The forum opened", [" -- "]),
    ("the forum--highlights", ["--"]),
    ("River cleanup - Yunxi Daily", []),  # off unless spaced_hyphen
    ("high-quality development", []),
    ("pages 3-5", []),
    ("an em dash \u2014 is right", []),
])
def test_dash(text: str, flagged: list[str]) -> None:
    assert spans("LO05", text) == flagged


def test_dash_spaced_hyphen_option() -> None:
    assert spans("LO05", "River cleanup - Yunxi Daily", options={"spaced_hyphen": True}) \
        == [" - "]
    assert spans("LO05", "high-quality - 3-5", options={"spaced_hyphen": True}) == [" - "]


def test_quote_style_flags_the_minority() -> None:
    text = ('The "river chief" system.\n\nThe "clean water" and the "green bank" campaigns.\n\n'
            "The \u201cgreen wave\u201d spreads.\n")
    found = run_document("LO06", text)
    assert [i.target.text for i in found] == ["\u201c", "\u201d"]
    assert found[0].target.line == 5


def test_quote_style_passes_one_style() -> None:
    assert run_document("LO06", 'The "river chief".\n\nThe "green bank".\n') == []
    assert run_document("LO06", "The \u201criver chief\u201d.\n") == []
