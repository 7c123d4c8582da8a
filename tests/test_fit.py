"""`mtqa fit`: reading MQM data, the grouped tau, and a round trip through the config."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.quality import fit
from mtqa.quality.estimate import Params, load_params

DATA = Path(__file__).resolve().parent / "data"
JSONL = DATA / "mqm_sample.jsonl"
TSV = DATA / "mqm_sample.tsv"
FIT_ARGS = ["--source-lang", "en", "--target-lang", "de", "--encoder", "fake"]


def test_jsonl_and_wmt_tsv_layouts_read_the_same_ratings() -> None:
    a = {(r.doc, r.index, r.system): r for r in fit.read_mqm(str(JSONL))}
    b = {(r.doc, r.index, r.system): r for r in fit.read_mqm(str(TSV))}
    assert set(a) == set(b) and len(a) == 312  # 3 talks x 8 segments x 13 systems
    assert all(a[k].mqm == pytest.approx(b[k].mqm, abs=1e-3) for k in a)
    assert all(a[k].target == b[k].target and "<v>" not in b[k].target for k in a)
    # The human reference is attached to every row of its segment, never a row itself.
    assert all(r.reference for r in a.values()) and "ref" not in {k[2] for k in a}


@pytest.mark.parametrize("category, severity, points", [
    ("Accuracy/Mistranslation", "Major", 5.0), ("Non-translation!", "Major", 25.0),
    ("Fluency/Punctuation", "Minor", 0.1), ("Style/Awkward", "Minor", 1.0),
    ("no-error", "no-error", 0.0), ("Other", "Neutral", 0.0),
])
def test_tsv_points(category: str, severity: str, points: float) -> None:
    assert fit.tsv_points(category, severity) == points


def test_kendall_tau_b_matches_the_definition() -> None:
    assert fit.kendall_tau_b(np.array([1.0, 2, 3]), np.array([1.0, 3, 2])) == pytest.approx(1 / 3)
    assert fit.kendall_tau_b(np.array([3.0, 2, 1]), np.array([1.0, 2, 3])) == pytest.approx(-1)
    # Ties in both: tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)) = 2 / sqrt(5 * 5).
    assert fit.kendall_tau_b(np.array([1.0, 1, 2, 3]),
                             np.array([1.0, 2, 2, 3])) == pytest.approx(4 / 5)
    assert np.isnan(fit.kendall_tau_b(np.array([1.0, 2]), np.array([0.0, 0])))
    assert fit.kendall_tau_b(np.array([1.0, 1]), np.array([0.0, 1])) == 0.0


def test_fit_round_trips_through_the_config(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "team-estimate.json"
    result = CliRunner().invoke(app, ["fit", str(JSONL), *FIT_ARGS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "mtqa estimate (fitted)" in result.stdout
    assert "source-target cosine" in result.stdout and "target length" in result.stdout
    assert "chrF++ to the reference" in result.stdout  # the sample has references
    params = load_params(str(out))
    assert params.encoder.startswith("fake") and "en-de" in params.pairs
    assert params.source.features == fit.DEFAULT_FEATURES == load_params().source.features
    assert params.reference is not None
    assert Params.from_dict(json.loads(out.read_text())).to_dict() == params.to_dict()
    # The same annotations in the WMT TSV layout fit the same parameters.
    out_tsv = tmp_path / "tsv.json"
    assert CliRunner().invoke(app, ["fit", str(TSV), *FIT_ARGS, "--out",
                                    str(out_tsv)]).exit_code == 0
    assert json.loads(out_tsv.read_text())["models"] == json.loads(out.read_text())["models"]
    # A check with `estimate = "PATH"` uses the team's parameters.
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("source\ttarget\nThe river is clean again.\tDer Fluss ist wieder sauber.\n"
                     "Fish have come back.\tFische sind zurueckgekehrt.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", str(pairs), "--source-lang", "en", "--target-lang", "de",
            "--encoder", "fake", "--format", "json", "--select", "FL01"]
    shipped = json.loads(CliRunner().invoke(app, args).stdout)
    (tmp_path / "mtqa.toml").write_text(f'estimate = "{out.name}"\n', encoding="utf-8")
    team = json.loads(CliRunner().invoke(app, args).stdout)
    assert "est:" in team["signature"] and "est:" not in shipped["signature"]
    # The path is relative to the config file, like every path in it.
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert json.loads(CliRunner().invoke(app, args).stdout)["signature"] == team["signature"]
    monkeypatch.chdir(tmp_path)
    assert team["documents"][0]["scores"]["segments"] != \
        shipped["documents"][0]["scores"]["segments"]


def test_bad_data_and_bad_parameters_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"system": "a"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["fit", str(bad), *FIT_ARGS])
    assert result.exit_code == 2
    assert "bad.jsonl:1: not an MQM row" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    params = tmp_path / "params.json"
    params.write_text("{}", encoding="utf-8")
    (tmp_path / "t.tsv").write_text("source\ttarget\nA b c.\tD e f.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "t.tsv"), "--encoder", "fake",
                                      "--source-lang", "en", "--target-lang", "de",
                                      "--config", str(_config(tmp_path, params))])
    assert result.exit_code == 2 and "params.json" in result.stderr


@pytest.mark.parametrize("text, message", [
    ("system\tdoc\n", "expected the WMT MQM columns"),
    ("\t".join(fit.TSV_COLUMNS) + "\nA\td\t1\tx\tr1\ts\tt\tno-error\tno-error\n",
     "seg_id 'x' is not a number"),
    ("\t".join(fit.TSV_COLUMNS) + "\nA\td\t1\n", "expected 9 columns"),
    ("", "expected the WMT MQM columns"),
])
def test_malformed_wmt_tsv_is_named_with_its_line(tmp_path: Path, text: str,
                                                   message: str) -> None:
    path = tmp_path / "mqm.tsv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["fit", str(path), *FIT_ARGS])
    assert result.exit_code == 2
    assert "mqm.tsv" in result.stderr and message in result.stderr


def test_data_without_differing_ratings_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "flat.jsonl"
    rows = [{"system": s, "doc": f"d{d}", "doc_seg_index": 1, "source": f"Source {d}.",
             "target": f"Ziel {d} {s}.", "mqm": 0.0} for s in "ab" for d in range(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["fit", str(path), *FIT_ARGS])
    assert result.exit_code == 2 and "nothing to learn" in result.stderr


def _config(tmp_path: Path, params: Path) -> Path:
    path = tmp_path / "mtqa.toml"
    path.write_text(f'estimate = "{params}"\n', encoding="utf-8")
    return path
