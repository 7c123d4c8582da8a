"""The example article the project started from: the JSON contract holds on it and
every issue's line/column points at its text in the file."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from mtqa.cli import app
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "mtqa" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


def check_positions(data: dict, path: Path) -> int:  # type: ignore[type-arg]
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    checked = 0
    for doc in data["documents"]:
        for issue in doc["issues"]:
            t = issue["target"]
            assert t is not None, issue
            seg = doc["segments"]["target"][t["segment"]]["text"]
            assert seg[t["start"]:t["end"]] == t["text"]
            first = t["text"].split("\n")[0]
            line = lines[t["line"] - 1]
            assert line[t["column"] - 1:t["column"] - 1 + len(first)] == first, issue
            checked += 1
    return checked


def test_seed_article_json_contract(seed_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(seed_path), "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["passed"] else 1), result.output
    jsonschema.validate(data, SCHEMA)
    doc = data["documents"][0]
    assert doc["target"]["lang"] == "en" and doc["source"] is None
    assert len(doc["scores"]["segments"]) == len(doc["alignment"])
    assert doc["scores"]["words"] > 2000
    check_positions(data, seed_path)


def test_example_pair_json_contract() -> None:
    ex = ROOT / "references" / "examples"
    mt = ex / "river-cleanup.mt.en.md"
    result = CliRunner().invoke(app, ["check", str(mt), "--source", str(ex / "river-cleanup.zh.md"),
                                      "--reference", str(ex / "river-cleanup.ref.en.md"),
                                      "--format", "json"])
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    doc = data["documents"][0]
    assert doc["source"]["lang"] == "zh" and doc["reference"]["lang"] == "en"
    assert {"bleu", "chrf", "ter"} <= set(doc["metrics"])
    assert check_positions(data, mt) >= 2
    # Every bead index is valid and every target segment is in exactly one bead.
    targets = sorted(t for b in doc["alignment"] for t in b["target"])
    assert targets == list(range(len(doc["segments"]["target"])))
