"""mtqa on the example article (``shared/seed/four-strong.mt.en.txt``), target only.

A reviewer reading the article without its Chinese original marks these problems, and
mtqa must find each of them at its line and column. EXPECTED names each by the check that
finds it and a short substring of the file (the article's text stays in the shared
folder, not here):

- web-page debris: label-only lines at the top, a breadcrumb, a byline that names two
  people for one role (EX01, EX03, EX04);
- a typewriter double hyphen used as a dash in the title (LO05);
- run-on sentences: a closing quote followed by "The", a capitalised word after a comma
  or semicolon, "We" in the middle of a sentence (FL05);
- phrases said twice, "X and X" (FL02);
- quote marks on the wrong side, double and single (FL03);
- a plus sign glued between two words (FL06);
- six-digit numbers without a thousands separator (LO02);
- full-width Chinese dashes ending three subheadings (LO01);
- compounds written as two words (FL08).

Visible without the source but not asserted here:

- names of one body rendered two ways (two spellings of a bureau and of an
  administration) and "Party"/"party" written both ways: the consistency checks find
  those, asserted by the last test below;
- calques and mistranslations (a solar term read as a person, "dry goods", "head
  sheep", a past event told in the future tense): they need the source or a glossary;
- a label line at the top, three run-on sentences after a comma, and one of the two
  bodies with two names: the words that found them (a label word, three verbs, a
  synonym) were motivated by this article alone and were dropped, which left the
  precision of every check on the MQM data unchanged (benchmarks/check_eval.py);
- a sentence boundary lost before a capitalised adjective ("statements Bilateral"):
  telling it from a name needs a dictionary;
- the spaced hyphen used as a dash in three subheadings: LO05 finds it with the option
  ``spaced_hyphen = true``; it is off by default because reviewers rarely mark it (see
  README, Checks).

Accepted false alarms: none at present (``ACCEPTED`` below; the test fails when a new
one appears, so that it is either fixed or listed here).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from mtqa.config import Config
from mtqa.model import Issue, Report, Severity
from mtqa.pipeline import check_files

# (check, a short substring of the file that the issue must cover, which occurrence)
EXPECTED: list[tuple[str, str, int]] = [
    ("EX01", "Submission email", 0),
    ("EX01", "On site search:", 0),
    ("EX03", "Banner net >>", 0),
    ("LO05", " -- ", 0),
    ("FL05", '" The Party', 0),
    ("FL02", "instructions and", 0),
    ("FL02", "instructs and", 0),
    ("FL05", ", The party", 0),
    ("FL08", "cross provincial", 0),
    ("FL08", "cross regional", 0),
    ("FL08", "cross regional", 1),
    ("LO02", "111000", 0),
    ("FL03", 'the" Belt', 0),
    ("FL03", ' "like', 0),
    ("FL03", 'a" dandelion', 0),
    ("FL03", ' "to travel', 0),
    ("FL05", "; Take the lead", 0),
    ("FL06", "+foreign", 0),
    ("LO02", "110000", 0),
    ("FL08", "Problem oriented", 0),
    ("LO01", "\u2014\u2014", 0),
    ("FL08", "cross provincial", 1),
    ("LO02", "100000", 0),
    ("LO01", "\u2014\u2014", 1),
    ("LO01", "\u2014\u2014", 2),
    ("FL08", "cloud based", 0),
    ("FL02", "grasp and grasp", 0),
    ("FL03", 'the" big', 0),
    ("FL03", ' "."', 0),
    ("FL08", "self strong", 0),
    ("FL03", "promote' strong", 0),
    ("FL05", " We will work", 0),
    ("FL02", "other and learn", 0),
    ("FL08", "co construction", 0),
    ("EX04", "Signed by: Zhong", 0),
]
# (check, line) of issues that are not in EXPECTED but are accepted: see the docstring.
ACCEPTED: set[tuple[str, int]] = set()


def _position(text: str, needle: str, nth: int) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _covers(issue: Issue, line: int, column: int) -> bool:
    loc = issue.target
    return (loc is not None and loc.line == line
            and loc.column <= column < loc.column + max(1, len(loc.text)))


@lru_cache(maxsize=1)
def _report(path: str) -> Report:
    report = check_files([path], config=Config())
    assert report.documents[0].target.lang == "en"
    return report


def _check(path: str) -> tuple[str, list[Issue]]:
    report = _report(path)
    return Path(path).read_text(encoding="utf-8"), list(report.documents[0].issues)


@pytest.fixture
def found(seed_path: Path) -> tuple[str, list[Issue]]:
    return _check(str(seed_path))


@pytest.mark.parametrize("code, needle, nth", EXPECTED,
                         ids=[f"{c}-{n.strip()[:20]}-{k}" for c, n, k in EXPECTED])
def test_problem_is_found_at_its_line_and_column(found: tuple[str, list[Issue]], code: str,
                                                 needle: str, nth: int) -> None:
    text, issues = found
    line, column = _position(text, needle, nth)
    hits = [i for i in issues if i.code == code and _covers(i, line, column)]
    assert hits, f"{code} not reported at {line}:{column} ({needle!r})"


def test_false_alarms_stay_under_one_in_five(found: tuple[str, list[Issue]]) -> None:
    text, issues = found
    expected_at = [(code, *_position(text, needle, nth)) for code, needle, nth in EXPECTED]
    # The consistency checks (CO) are asserted, with all their locations, by the
    # last test of this file.
    unexpected = [i for i in issues
                  if not i.code.startswith("CO")
                  and not any(i.code == code and _covers(i, line, col)
                              for code, line, col in expected_at)]
    assert {(i.code, i.target.line if i.target else 0) for i in unexpected} == ACCEPTED
    assert len(unexpected) < len(issues) / 5


def test_what_a_reader_notices_in_the_article_is_minor_or_major(seed_path: Path) -> None:
    # Extraction debris, wrong-side quotes, run-ons: major at most, none critical (the
    # article fails on its quality instead, see the last test).
    report = _report(str(seed_path))
    doc = report.documents[0]
    assert max(i.severity for i in doc.issues) == Severity.MAJOR
    codes = {i.code for i in doc.issues}
    assert {"EX01", "EX03", "EX04", "FL02", "FL03", "FL05", "LO01", "LO02"} <= codes


def test_consistency_checks_find_the_variant_names_target_only(seed_path: Path) -> None:
    """The variant names and capitalisations a reader of the seed article sees, found
    without a source or glossary, with every location."""
    report = check_files([str(seed_path)], config=Config(select=("CO",)))
    issues = report.documents[0].issues
    text = seed_path.read_text(encoding="utf-8")

    def places(phrase: str) -> set[str]:
        out = set()
        for n, line in enumerate(text.split("\n"), start=1):
            for m in re.finditer(re.escape(phrase), line):
                out.add(f"{n}:{m.start() + 1}")
        return out

    def group(*forms: str):
        hits = [i for i in issues if all(f'"{f}"' in i.message for f in forms)]
        assert len(hits) == 1, [i.message for i in issues]
        return hits[0]

    # one body, two names: every occurrence is listed
    for a, b in (("National Medical Security Administration", "National Medical Security Bureau"),):
        issue = group(a, b)
        assert issue.code == "CO04"
        for place in places(a) | places(b):
            assert place in issue.message
    # party branch / Party branch / Party Branch, with the Party Branch places
    issue = group("Party branch", "Party Branch")
    assert issue.code == "CO05"
    for place in places("Party Branch"):
        assert place in issue.message
    assert group("party members", "Party members").code == "CO05"
    assert group("working committee", "Working Committee").code == "CO05"
    assert len(issues) <= 10  # a reader's list, not noise


def _five_word_runs(text: str) -> set[str]:
    """Runs of five words, counted twice over: words with numbers ("the 14th plan"), and
    letters alone, so that a phrase with other numbers or hyphens still counts."""
    runs = set()
    for pattern in (r"[A-Za-z][A-Za-z'-]*|\d+", r"[A-Za-z]+"):
        words = [w.lower() for w in re.findall(pattern, text)]
        runs |= {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}
    return runs


def test_no_code_docstring_or_test_quotes_the_article(seed_path: Path) -> None:
    """The article is for measuring: its sentences and names stay out of the code, the
    docstrings, the word lists and the other tests (any run of five words counts)."""
    article = _five_word_runs(seed_path.read_text(encoding="utf-8"))
    root = Path(__file__).resolve().parent.parent
    mine = {"test_seed_article.py", "test_seed_integration.py"}
    quoted = {}
    for path in [*root.glob("mtqa/**/*.py"), *root.glob("tests/**/*.py"),
                 *root.glob("benchmarks/**/*.py"), root / "README.md"]:
        if path.name in mine:
            continue
        found = _five_word_runs(path.read_text(encoding="utf-8")) & article
        if found:
            quoted[str(path.relative_to(root))] = sorted(found)
    assert quoted == {}


def test_the_article_fails_the_default_gate_and_says_why(seed_path: Path) -> None:
    # The gate's limits were calibrated on the WMT MQM data, never on this article
    # (README "Scores and the gate"); this checks the outcome afterwards.
    report = check_files([str(seed_path)], config=Config())
    doc = report.documents[0]
    assert not report.passed and not doc.passed
    assert len(doc.reasons) == 1
    reason = doc.reasons[0]
    assert reason.startswith("quality ") and "is under 99.5 without a source: " in reason
    assert "EX01" in reason  # the web-page debris costs the most
