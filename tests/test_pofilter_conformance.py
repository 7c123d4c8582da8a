"""Conformance with translate-toolkit's pofilter on checks that have an mtqa counterpart.

``tests/data/conformance/pofilter_cases.jsonl`` holds mtqa's own cases, written from
the facts pofilter's tests establish (which strings each of its checks passes or fails).
Each line names the pofilter check, the mtqa check that corresponds, the target
language, options standing for pofilter's checker configuration (an accelerator
marker), the pair and pofilter's verdict. Where mtqa decides otherwise by design the
line says ``mtqa_verdict`` and ``why``; the README lists these differences.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests._checkutil import run_check

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "conformance" / "pofilter_cases.jsonl")
         .read_text(encoding="utf-8").splitlines() if line.strip()]


def _verdict(case: dict[str, Any]) -> str:
    issues = run_check(case["code"], case["target"], source=case["source"], source_lang="en",
                       lang=case["lang"], options=case.get("options"), fmt="po")
    return "fail" if issues else "pass"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['pofilter']}-{c['code']}")
def test_case(case: dict[str, Any]) -> None:
    expected = case.get("mtqa_verdict", case["pofilter_verdict"])
    assert _verdict(case) == expected, case


def test_agreement_with_pofilter_is_at_least_95_percent() -> None:
    agree = sum(1 for c in CASES if "mtqa_verdict" not in c)
    assert agree / len(CASES) >= 0.95
    assert all(c.get("why") for c in CASES if "mtqa_verdict" in c)
