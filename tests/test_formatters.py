"""Formatter outputs against golden files (set MTQA_UPDATE_GOLDEN=1 to rewrite them
after an intended change, then review the diff)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from mtqa.alignment.aligner import LengthAligner
from mtqa.api import check_texts
from mtqa.config import Config
from mtqa.formatters import FORMATS, renderer
from mtqa.formatters.rich_format import render as render_rich
from mtqa.model import Report
from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((ROOT / "mtqa" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))

SOURCE = "会议于5月11日在北京召开。共有300多个支部参加。"
TARGET = "The meeting was held in Beijing on May 11. More than 30 branches took part in the the meeting."


def small_report() -> Report:
    # The length-based aligner: deterministic and model-free, so the golden files do not
    # move with the encoder's weights.
    config = Config(source_lang="zh", target_lang="en", select=("AC03", "FL01"))
    return check_texts(TARGET, source=SOURCE, config=config, aligner=LengthAligner())


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_golden_and_schema() -> None:
    text = renderer("json")(small_report())
    jsonschema.validate(json.loads(text), SCHEMA)
    assert_golden("small.json", text)


def test_rich_golden() -> None:
    assert_golden("small.rich.txt", render_rich(small_report(), show_segments=True, width=100))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_text(name: str) -> None:
    out = renderer(name)(small_report())
    assert isinstance(out, str) and out


def test_json_keeps_chinese_readable() -> None:
    text = renderer("json")(small_report())
    assert "会议" in text and "\\u4f1a" not in text
