"""The team's example article (references/examples): every error planted in the
machine translation is found at its place, by the check meant for it, and the numbers
that are right are not flagged.

The planted errors are read from the table in references/examples/README.md, so the
test and the listing cannot drift apart; PLANTED says which check finds each row.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest
from conftest import EXAMPLES, ROOT

from mtqa.config import Config
from mtqa.model import DocumentReport, Issue
from mtqa.pipeline import check_files

GLOSSARY = ROOT / "references" / "glossaries" / "river-cleanup.zh-en.tsv"
_ROW = re.compile(r"^\| (\d+) \| (\d+|—) \| (.+?) \| (.+?) \|$")

# (line, column) of each row of the README table -> the check that must find it.
PLANTED = {
    (1, 1): "EX01", (2, 1): "EX02", (3, 1): "EX02",
    (9, 383): "TE01",
    (11, 59): "TE01", (11, 206): "FL03", (11, 402): "AC03",
    (13, 88): "TE01", (13, 378): "LO01",
    (15, None): "AL01", (15, 289): "FL02",
    (17, 97): "CO05", (17, 392): "LO02",
    (19, 22): "FL01", (19, 67): "TE01", (19, 167): "AC01", (19, 178): "FL07",
    (21, 107): "FL06", (21, 269): "LO06", (21, 332): "LO06",
}


def _rows() -> list[tuple[int, int | None, str]]:
    """(line, column, text) of each planted error in the README's table."""
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    out = []
    for line in readme.splitlines():
        m = _ROW.match(line)
        if m:
            column = None if m[2] == "—" else int(m[2])
            text = m[3]
            quoted = re.fullmatch(r"`(.*)`", text)
            out.append((int(m[1]), column, quoted[1] if quoted else text))
    return out


@lru_cache(maxsize=1)
def _report() -> DocumentReport:
    report = check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                         source=str(EXAMPLES / "river-cleanup.zh.md"),
                         config=Config(glossaries=(str(GLOSSARY),)))
    return report.documents[0]


def _overlaps(issue: Issue, line: int, column: int, length: int) -> bool:
    t = issue.target
    if t is None or t.line != line:
        return False
    return t.column < column + length and column < t.column + max(1, len(t.text))


def test_the_readme_lists_twenty_planted_errors_and_each_has_a_check() -> None:
    assert {(line, column) for line, column, _ in _rows()} == set(PLANTED)
    assert len(_rows()) == 20


@pytest.mark.parametrize("line, column, text", _rows(),
                         ids=lambda v: str(v) if isinstance(v, int) else None)
def test_planted_error_is_found_at_its_place(line: int, column: int | None,
                                             text: str) -> None:
    code = PLANTED[(line, column)]
    issues = [i for i in _report().issues if i.code == code]
    if column is None:
        # The omitted sentence: a source sentence with no translation, placed at the
        # line of the paragraph where it is missing.
        missing = re.search(r"`(.+?)`", text)
        assert missing is not None
        assert any(i.target is not None and i.target.line == line and i.source is not None
                   and i.source.text == missing[1] for i in issues), issues
        return
    lines = (EXAMPLES / "river-cleanup.mt.en.md").read_text(encoding="utf-8").split("\n")
    assert lines[line - 1][column - 1:column - 1 + len(text)] == text  # the README is right
    assert any(_overlaps(i, line, column, len(text)) for i in issues), \
        f"{code} not reported at {line}:{column} ({text!r})"


def test_numbers_rendered_correctly_are_not_flagged() -> None:
    numbers = [(i.target.line, i.target.column) for i in _report().issues
               if i.code in ("AC03", "LO02") and i.target is not None]
    assert sorted(numbers) == [(11, 402), (17, 392)]
