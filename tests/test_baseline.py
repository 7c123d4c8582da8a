"""Baseline fingerprints: content-based, so they survive edits elsewhere in the file."""
from __future__ import annotations

import pytest

from mtqa.api import check_texts
from mtqa.ci.baseline import Matcher, entries, fingerprint
from mtqa.config import Config

CONFIG = Config().merged({"target_lang": "en", "select": ["FL01"]})
BASE = "# Notes\n\nRead the the report.\n\nFix the problems.\n"


def prints(text: str) -> list[str]:
    doc = check_texts(text, config=CONFIG, fmt="markdown").documents[0]
    return [fingerprint(i, doc) for i in doc.issues]


@pytest.mark.parametrize("edited, same", [
    ("# Notes\n\nA new first paragraph.\n\nRead the the report.\n\nFix the problems.\n", True),
    ("# Notes\n\nRead the the report.\n\nFix the problems now.\n", True),   # another sentence
    ("# Notes\n\n  Read  the   the report.\n\nFix the problems.\n", True),  # white space
    ("# Notes\n\nREAD THE THE REPORT.\n\nFix the problems.\n", True),       # case
    ("# Notes\n\nRead the the full report.\n\nFix the problems.\n", False),  # its sentence
    ("# Notes\n\nRead the the report. Fix the problems.\n", True),          # joined paragraph
])
def test_fingerprint_follows_the_sentence_not_the_line(edited: str, same: bool) -> None:
    (before,) = prints(BASE)
    (after,) = prints(edited)
    assert (before == after) is same


def test_matcher_counts_duplicates_and_reports_stale() -> None:
    doc = check_texts("Read the the report. Read the the report.", config=CONFIG).documents[0]
    assert len(doc.issues) == 2
    recorded = entries([("a.md", doc)])
    assert recorded[0].fingerprint == recorded[1].fingerprint
    matcher = Matcher(recorded[:1])  # one recorded, two found: the second is new
    assert [matcher.known("a.md", i, doc) for i in doc.issues] == [True, False]
    assert matcher.stale() == []
    other = Matcher(recorded)
    assert other.known("b.md", doc.issues[0], doc) is False  # per file
    assert len(other.stale()) == 2 and other.stale({"b.md"}) == []
