"""The example article the project started from: the JSON contract holds on it,
every issue's line/column points at its text in the file, and ``mtqa fix`` on it is
idempotent, changes nothing outside its edits, and leaves none of the fixed issues and
no new one (its golden keeps positions and codes, never the article's text)."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.fixes.apply import FileFix
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


# -- mtqa fix on the article: its text stays out of the tests; positions and codes only --
FIX_GOLDEN = ROOT / "tests" / "golden" / "fix"


def _fix_seed(data: bytes, name: str, unsafe: bool) -> FileFix:
    return _fix_seed_passes(data, name, unsafe, 5)


def _fix_seed_passes(data: bytes, name: str, unsafe: bool, passes: int) -> FileFix:
    from mtqa.checks.registry import enabled_checks
    from mtqa.config import Config
    from mtqa.fixes.apply import Options, fix_bytes

    config = Config()
    return fix_bytes(data, name, config, enabled_checks(config), None,
                     Options(unsafe, max_passes=passes))


def _issue_codes(path: Path, unblocked: bool = False) -> Counter[str]:
    from mtqa.checks.base import Context
    from mtqa.checks.registry import enabled_checks
    from mtqa.config import Config
    from mtqa.model import Bead
    from mtqa.pipeline import check_files, load_inputs

    config = Config()
    if not unblocked:
        return Counter(i.code for i in check_files([str(path)], config=config).documents[0].issues)
    item = load_inputs([str(path)], config=config)[0]
    ctx = Context(target=item.target, alignment=tuple(
        Bead((), (j,)) for j in range(len(item.target.segments))), config=config)
    return Counter(i.code for c in enabled_checks(config) if c.applies(ctx) for i in c.run(ctx))


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_seed_fix_positions_match_the_golden(seed_path: Path, unsafe: bool) -> None:
    result = _fix_seed(seed_path.read_bytes(), seed_path.name, unsafe)
    found = "".join(f"pass {a.pass_number} {a.line}:{a.column} {a.issue.code}\n"
                    for a in result.applied)
    golden = FIX_GOLDEN / f"seed.{'unsafe' if unsafe else 'safe'}.positions"
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        golden.write_text(found, encoding="utf-8")
    assert found == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_seed_fix_is_idempotent_and_leaves_no_fixed_or_new_issue(seed_path: Path,
                                                                 tmp_path: Path,
                                                                 unsafe: bool) -> None:
    data = seed_path.read_bytes()
    once = _fix_seed(data, seed_path.name, unsafe)
    assert once.changed and once.applied
    twice = _fix_seed(once.after, seed_path.name, unsafe)
    assert twice.after == once.after and twice.applied == ()
    # Bytes outside the first pass's edits are the article's own.
    text = data.decode("utf-8")
    pieces, pos = [], 0
    for start, end, replacement in once.first_edits:
        pieces += [text[pos:start], replacement]
        pos = end
    one_pass = _fix_seed_passes(data, seed_path.name, unsafe, 1)
    assert "".join(pieces) + text[pos:] == one_pass.after.decode("utf-8")
    before = _issue_codes(seed_path, unblocked=True)
    fixed_path = tmp_path / seed_path.name
    fixed_path.write_bytes(once.after)
    after = _issue_codes(fixed_path)
    fixed = Counter(a.issue.code for a in once.applied if a.pass_number == 1)
    for code, count in after.items():
        assert count <= max(0, before[code] - fixed[code]), (code, before[code], fixed[code])
