"""Sentence splitting for Chinese and English, with exact offsets."""
from __future__ import annotations

import pytest

from mtqa.text.segment import split


def sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split(text, lang)]


@pytest.mark.parametrize("text, expected", [
    ("会议在北京举行。共有三百人参加！", ["会议在北京举行。", "共有三百人参加！"]),
    ("他说：“我们要继续努力。”大家鼓掌。", ["他说：“我们要继续努力。”", "大家鼓掌。"]),
    ("一是加强学习；二是狠抓落实。", ["一是加强学习；", "二是狠抓落实。"]),
    ("真的吗？当然……我们走吧。", ["真的吗？", "当然……", "我们走吧。"]),
    ("（完）新华社记者报道。", ["（完）新华社记者报道。"]),
    ("访问 https://example.com/a?b=1 查看。", ["访问 https://example.com/a?b=1 查看。"]),
])
def test_chinese(text: str, expected: list[str]) -> None:
    assert sentences(text, "zh") == expected


@pytest.mark.parametrize("text, expected", [
    ("Mr. Li arrived at 9 a.m. on Monday. He left.", ["Mr. Li arrived at 9 a.m. on Monday.", "He left."]),
    ("J. K. Rowling wrote it. It sold well.", ["J. K. Rowling wrote it.", "It sold well."]),
    ("Growth was 3.5 percent. Prices rose.", ["Growth was 3.5 percent.", "Prices rose."]),
    ('"We will work hard." Chen said.', ['"We will work hard."', "Chen said."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("They met e.g. on Monday. Then left.", ["They met e.g. on Monday.", "Then left."]),
    ("The U.S. economy grew. Exports rose.", ["The U.S. economy grew.", "Exports rose."]),
    ("See Fig. 3 for details.", ["See Fig. 3 for details."]),
    ("It cost $1.2 billion. No. 5 won.", ["It cost $1.2 billion.", "No. 5 won."]),
    ("Apples, pears, etc. are sold. Buy them.", ["Apples, pears, etc. are sold.", "Buy them."]),
    # A full-width stop the MT kept is a sentence end to a reader too.
    ("The office met \u3002 Volunteers spoke\uff01 Then left.",
     ["The office met \u3002", "Volunteers spoke\uff01", "Then left."]),
])
def test_english(text: str, expected: list[str]) -> None:
    assert sentences(text, "en") == expected


def test_short_lines_are_their_own_segments() -> None:
    text = "Source: Linchuan Daily 09:30, June 3, 2025\nFont size:\n\nBody text here."
    assert sentences(text, "en") == ["Source: Linchuan Daily 09:30, June 3, 2025", "Font size:",
                                     "Body text here."]


def test_spans_are_trimmed_and_inside() -> None:
    text = "  First one.   Second one.  \n\n  三。 "
    for s, e in split(text, "en"):
        assert text[s:e] == text[s:e].strip() and text[s:e]


def test_empty() -> None:
    assert split("", "en") == [] and split("   \n ", "zh") == []
