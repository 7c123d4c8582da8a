"""`mtqa align`: TSV and JSON written bead by bead, with each bead's confidence, and
progress on a terminal only."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.alignment.files import terminal_progress, write_json, write_tsv
from mtqa.cli import app
from mtqa.model import Bead, Document, Segment

_PLACES = [("river", "station"), ("bridge", "village"), ("market", "school"),
           ("garden", "tower"), ("harbour", "church"), ("museum", "mill")]
SENTENCES = [f"Sentence number {k} talks about the {w} near the old {v}."
             for k, (w, v) in enumerate(_PLACES)]


def _doc(texts: list[str]) -> Document:
    return Document(None, "en", tuple(Segment(t, n + 1, 1) for n, t in enumerate(texts)))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    # The translation drops sentence 2.
    tgt.write_text("\n".join(SENTENCES[:2] + SENTENCES[3:]) + "\n", encoding="utf-8")
    return src, tgt


def _align(pair: tuple[Path, Path], fmt: str) -> str:
    result = CliRunner().invoke(app, ["align", str(pair[0]), str(pair[1]), "--presplit",
                                      "--encoder", "fake", "--no-cache", "--format", fmt,
                                      "--source-lang", "en", "--target-lang", "en"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_rows_carry_a_confidence(pair: tuple[Path, Path]) -> None:
    rows = json.loads(_align(pair, "json"))
    assert [(r["source"], r["target"]) for r in rows] == [
        ([0], [0]), ([1], [1]), ([2], []), ([3], [2]), ([4], [3]), ([5], [4])]
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
    assert rows[2]["similarity"] is None and rows[2]["target_text"] == ""


def test_tsv_has_five_columns_with_confidence_last(pair: tuple[Path, Path]) -> None:
    lines = _align(pair, "tsv").splitlines()
    assert len(lines) == 6
    cols = [line.split("\t") for line in lines]
    assert all(len(c) == 5 for c in cols)
    assert cols[2][0] == "2:" and cols[2][1] == "" and cols[2][3] == ""
    assert all(0.0 <= float(c[4]) <= 1.0 for c in cols)


def test_writers_keep_each_bead_on_one_line() -> None:
    src = _doc(["a\tb", "c\nd"])
    tgt = _doc(["x"])
    beads = [Bead((0, 1), (0,), similarity=0.5, confidence=0.75)]
    out = io.StringIO()
    write_tsv(out, src, tgt, beads)
    assert out.getvalue() == "0,1:0\t0.500\ta b c d\tx\t0.750\n"
    out = io.StringIO()
    write_json(out, src, tgt, beads)
    assert json.loads(out.getvalue()) == [{"source": [0, 1], "target": [0],
                                           "similarity": 0.5, "confidence": 0.75,
                                           "source_text": "a\tb c\nd", "target_text": "x"}]


def test_empty_alignment_is_valid_json() -> None:
    out = io.StringIO()
    write_json(out, _doc([]), _doc([]), [])
    assert json.loads(out.getvalue()) == []


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
    tty = _Tty()
    report = terminal_progress(tty)
    assert report is not None
    report(1024, 3000)
    report(3000, 3000)
    assert tty.getvalue() == "\rencoding sentences: 1024/3000\rencoding sentences: 3000/3000\n"


def test_language_tags_are_normalised_and_unknown_ones_refused(pair: tuple[Path, Path]) -> None:
    base = ["align", str(pair[0]), str(pair[1]), "--presplit", "--encoder", "fake", "--no-cache"]
    ok = CliRunner().invoke(app, base + ["--source-lang", "EN-gb", "--target-lang", "en-US"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == CliRunner().invoke(
        app, base + ["--source-lang", "en", "--target-lang", "en"]).stdout
    bad = CliRunner().invoke(app, base + ["--source-lang", "xx"])
    assert bad.exit_code == 2
    assert "'xx' is not a known language" in bad.output
    assert "Traceback" not in bad.output


def test_mode_takes_any_case_and_refuses_unknown_values(pair: tuple[Path, Path]) -> None:
    base = ["align", str(pair[0]), str(pair[1]), "--presplit", "--encoder", "fake",
            "--no-cache", "--source-lang", "en", "--target-lang", "en"]
    for mode in ("free", "FREE", "close", "auto"):
        ok = CliRunner().invoke(app, base + ["--mode", mode])
        assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(app, base + ["--mode", "literary"])
    assert bad.exit_code == 2
    assert "align-mode" in bad.output and "expected one of auto, close, free" in bad.output
    assert "Traceback" not in bad.output
