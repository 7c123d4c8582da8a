"""``mtqa corpus`` with the local engine: reading, rows, --keep, resuming, the summary."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from conftest import ROOT
from corpushelp import (
    write_jsonl,
    write_parquet,
    write_tmx,
    write_tsv,
    write_xliff,
)
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.config import Config
from mtqa.corpus.command import CorpusOptions, run_corpus
from mtqa.corpus.keep import Keep, KeepError
from mtqa.corpus.pairs import MAX_CHARS, read_pairs
from mtqa.readers import read_bilingual


def rows_of(out: Path) -> list[dict]:  # type: ignore[type-arg]
    table = pq.read_table(out / "rows").sort_by([("input", "ascending"), ("index", "ascending")])
    return table.to_pylist()  # type: ignore[no-any-return]


def run(inputs: list[Path], out: Path, keep: str | None = None, workers: int = 1,
        encoder: str | None = None, batch_size: int = 10):  # type: ignore[no-untyped-def]
    return run_corpus([str(p) for p in inputs], out, Config(), encoder, batch_size,
                      CorpusOptions("local", workers, None, keep))


# ------------------------------------------------------------------ reading

def test_bad_tsv_rows_become_error_rows_and_none_is_lost(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    lines = write_tsv(corpus, 20)
    _, summary = run([corpus], tmp_path / "out")
    rows = rows_of(tmp_path / "out")
    errors = [r for r in rows if r["error"] is not None]
    assert len(rows) == lines == summary.pairs + summary.errors
    assert [r["error"].split(":", 1)[1].strip()[:20] for r in errors] == [
        "expected 2 or 3 tab-", "not UTF-8 (byte 3)", "longer than 320000 b"]
    assert [r["index"] for r in rows] == list(range(lines))


def test_a_side_over_the_limit_is_an_error_row(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"source": "a" * (MAX_CHARS + 1), "target": "b"}) + "\n"
                      + json.dumps({"source": "Guten Tag.", "target": "Good day."}) + "\n"
                      + "[1, 2]\n" + '{"source": "x"\n', encoding="utf-8")
    got = [(p.error or "")[:40] for p, _ in read_pairs(str(corpus))]
    assert got == ["unit 1: a side is longer than 20000 char", "",
                   "line 3: not a JSON object", "line 4: invalid JSON (Expecting ',' deli"]


def test_streamed_tmx_and_xliff_read_the_units_mtqa_check_reads(tmp_path: Path) -> None:
    for name, write in (("m.tmx", write_tmx), ("m.xlf", write_xliff)):
        path = tmp_path / name
        write(path, 40)
        source, target, _ = read_bilingual(path)
        streamed = [p for p, _ in read_pairs(str(path))]
        assert [(p.source, p.target) for p in streamed] == list(zip(source.texts, target.texts))
        assert [p.id for p in streamed] == [u.id for u in target.units]


def test_malformed_xml_ends_in_one_error_row_after_the_units_before_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    write_tmx(path, 12, broken=True)
    pairs = [p for p, _ in read_pairs(str(path))]
    assert [p.error is None for p in pairs] == [True] * 12 + [False]
    assert "the rest of the file is not read" in (pairs[-1].error or "")


def test_parquet_nulls_are_error_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    write_parquet(path, 30, nulls=3)
    pairs = [p for p, _ in read_pairs(str(path))]
    assert len(pairs) == 30
    assert [p.index for p in pairs if p.error] == [0, 2, 4]
    assert pairs[0].error == "row 1: 'target' is null"


# ------------------------------------------------------------------ rows and engines

def test_rows_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    write_tsv(corpus, 60)
    run([corpus], tmp_path / "one", workers=1, encoder="fake")
    run([corpus], tmp_path / "two", workers=2, encoder="fake")
    one, two = rows_of(tmp_path / "one"), rows_of(tmp_path / "two")
    assert one == two
    assert all(r["cosine"] is not None and r["estimate"] is not None
               for r in one if r["error"] is None)


def test_rows_carry_flags_languages_ratio_and_duplicate_keys(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    write_tsv(corpus, 14, bad=False)
    run([corpus], tmp_path / "out")
    rows = rows_of(tmp_path / "out")
    assert {r["source_lang"] for r in rows} == {"de"} and {r["target_lang"] for r in rows} == {"en"}
    codes = [sorted({i["code"] for i in r["issues"]}) for r in rows]
    assert "AC03" in codes[4] and "AC02" in codes[5]
    assert rows[5]["lang_ok"] is False and rows[5]["target_detected"] == "de"
    assert rows[0]["lang_ok"] is True and rows[0]["critical"] == 0
    assert rows[0]["length_ratio"] == round(len(rows[0]["target"]) / len(rows[0]["source"]), 4)
    # Pair 7 repeats pair 0 exactly; pair 1 differs.
    assert rows[7]["dup_key"] == rows[0]["dup_key"] != rows[1]["dup_key"]
    assert rows[0]["cosine"] is None and rows[0]["estimate"] is None  # rules only


# ------------------------------------------------------------------ --keep

@pytest.mark.parametrize("expr", [
    "__import__('os').system('true')", "quality.real > 1", "quality[0]", "(lambda: 1)()",
    "[x for x in source]", "quality if lang_ok else 0", "quality + 1 > 2", "os",
    "{'a': 1}", "quality is None", "f'{quality}' == '1'",
])
def test_keep_refuses_anything_but_comparisons_of_columns_and_literals(expr: str) -> None:
    with pytest.raises(KeepError):
        Keep(expr)


def test_keep_evaluates_the_documented_language() -> None:
    row = {"quality": 95.0, "critical": 0, "lang_ok": True, "cosine": None,
           "length_ratio": 1.2, "target_detected": "en", "duplicate": False,
           "issues": [{"code": "FL01"}]}
    assert Keep("quality >= 90 and not critical and lang_ok")(row)
    assert Keep("0.5 < length_ratio < 2 and target_detected in ('en', 'de')")(row)
    assert Keep("FL01 and not AC02 and not duplicate")(row)
    assert not Keep("cosine > 0.5")(row)  # null: an ordering comparison is false
    assert Keep("not (cosine < 0.5)")(row)  # ... so its negation is true
    assert Keep("cosine == None")(row)
    assert not Keep("quality > 'high'")(row)  # a number against a string: no match
    assert not Keep("quality < 90 or critical > 0")(row)


@pytest.mark.parametrize("name,write", [("c.tsv", write_tsv), ("c.jsonl", write_jsonl),
                                        ("c.tmx", write_tmx), ("c.xlf", write_xliff),
                                        ("c.parquet", write_parquet)])
def test_kept_pairs_are_written_in_the_input_format(tmp_path: Path, name: str, write) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / name
    write(corpus, 18)
    _, summary = run([corpus], tmp_path / "out", keep="not critical and not duplicate")
    seen_all: set[str] = set()
    firsts = []
    for r in rows_of(tmp_path / "out"):
        if r["error"] is None:
            if r["dup_key"] not in seen_all and not r["critical"]:
                firsts.append((r["source"], r["target"]))
            seen_all.add(r["dup_key"])
    written = tmp_path / "out" / "kept" / name
    back = [(p.source, p.target) for p, _ in read_pairs(str(written))]
    assert back == firsts
    assert summary.kept == len(firsts) < summary.pairs


# ------------------------------------------------------------------ resuming

def test_a_killed_run_resumes_without_redoing_finished_batches(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    write_tsv(corpus, 1200, bad=False)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "mtqa", "corpus", str(corpus), "--out", str(out),
               "--encoder", "none", "--workers", "1", "--batch-size", "20", "--quiet"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(list((out / "rows").glob("part-*.parquet"))) < 3:
            assert proc.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    before = {p: p.stat().st_mtime_ns for p in (out / "rows").glob("part-*.parquet")}
    assert 3 <= len(before) < 60 and not (out / "summary.json").exists()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    after = {p: p.stat().st_mtime_ns for p in (out / "rows").glob("part-*.parquet")}
    assert len(after) == 60
    assert all(after[p] == t for p, t in before.items())  # not redone
    resumed = rows_of(out)
    assert [r["index"] for r in resumed] == list(range(1200))
    assert json.loads((out / "summary.json").read_text())["pairs"] == 1200


def test_an_out_folder_of_another_run_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_tsv(a, 5, bad=False)
    write_tsv(b, 6, bad=False)
    runner = CliRunner()
    first = runner.invoke(app, ["corpus", str(a), "--out", str(tmp_path / "o"),
                                "--encoder", "none", "-q", "-j", "1"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["corpus", str(b), "--out", str(tmp_path / "o"),
                                 "--encoder", "none", "-q", "-j", "1"])
    assert second.exit_code == 2
    assert "holds a run of other inputs or settings" in second.output


# ------------------------------------------------------------------ the command line

@pytest.mark.parametrize("args,message", [
    (["missing.tsv"], "missing.tsv: no such file"),
    (["c.tsv", "--keep", "open('x')"], "--keep: Call is not allowed"),
    (["c.tsv", "--keep", "qualty > 1"], "--keep: unknown name 'qualty'"),
    (["c.tsv", "--engine", "spark"], "unknown engine 'spark'"),
    (["c.txt"], "c.txt: not a corpus format"),
])
def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    write_tsv(tmp_path / "c.tsv", 3, bad=False)
    (tmp_path / "c.txt").write_text("hello\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(app, ["corpus", *args, "--out", "o", "--encoder", "none"])
    finally:
        os.chdir(old)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_summary_page_escapes_the_text_and_runs_no_script(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    corpus.write_text("Die Zahl ist 5.\t<script>alert(1)</script> The number is 6.\n"
                      "Guten Morgen, liebe Freunde.\tGood morning, dear friends.\n",
                      encoding="utf-8")
    run([corpus], tmp_path / "out")
    page = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; The number is 6." in page
    assert "default-src 'none'" in page
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["checks"]["AC03"]["pairs"] == 1
    assert summary["read"] == 2


def test_help_and_check_import_neither_pyarrow_nor_ray(tmp_path: Path) -> None:
    script = ("import sys\nfrom typer.testing import CliRunner\nimport mtqa.cli\n"
              "CliRunner().invoke(mtqa.cli.app, ['--help'])\n"
              "CliRunner().invoke(mtqa.cli.app, ['corpus', '--help'])\n"
              "print(sorted(m for m in ('pyarrow', 'ray') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_histogram_bins_are_half_open_and_count_nulls_apart() -> None:
    from mtqa.corpus.summary import QUALITY_BINS, Histogram

    hist = Histogram(QUALITY_BINS, "100")
    for value in (100.0, 99.99, 95.0, 94.99, 0.0, None, None):
        hist.add(value)
    data = hist.to_dict()
    assert [(b["label"], b["count"]) for b in data["bins"] if b["count"]] == [
        ("0 to 50", 1), ("90 to 95", 1), ("95 to 100", 2), ("100", 1)]
    assert data["nulls"] == 2
    assert data["mean"] == round((100 + 99.99 + 95 + 94.99) / 5, 4)


@pytest.mark.parametrize("name", ["billion-laughs.xlf", "quadratic-blowup.tmx", "xxe-file.xlf"])
def test_hostile_xml_is_one_error_row_refused_at_the_declaration(name: str) -> None:
    pairs = [p for p, _ in read_pairs(str(ROOT / "tests" / "data" / "hostile" / name))]
    assert len(pairs) == 1
    assert "entity declarations are not allowed" in (pairs[0].error or "")
