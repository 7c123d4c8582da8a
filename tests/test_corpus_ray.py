"""``mtqa corpus --engine ray`` on a local Ray with 2 CPUs, started and stopped here:
the same rows, summary and kept files as the local engine."""
from __future__ import annotations

import filecmp
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from corpushelp import write_parquet, write_tmx, write_tsv

from mtqa.config import Config
from mtqa.corpus.command import CorpusOptions, run_corpus

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'mtqa[ray]')")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             logging_level="ERROR")
    try:
        yield
    finally:
        ray.shutdown()


def _sorted_rows(out: Path) -> list[dict]:  # type: ignore[type-arg]
    table = pq.read_table(out / "rows")
    return table.sort_by([("input", "ascending"), ("index", "ascending")]).to_pylist()  # type: ignore[no-any-return]


def test_ray_and_local_engines_give_identical_rows(tmp_path: Path, local_ray: None) -> None:
    inputs = [tmp_path / "a.tsv", tmp_path / "b.tmx", tmp_path / "c.parquet"]
    lines = write_tsv(inputs[0], 40)
    write_tmx(inputs[1], 30)
    write_parquet(inputs[2], 25, nulls=2)
    keep = "quality >= 90 and not critical and lang_ok and not duplicate"
    results = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        results[engine] = run_corpus([str(p) for p in inputs], out, Config(), "fake", 16,
                                     CorpusOptions(engine, 2, None, keep))
    local, via_ray = _sorted_rows(tmp_path / "local"), _sorted_rows(tmp_path / "ray")
    assert local == via_ray
    # Nothing lost: every line, unit and row read is a pair or an error row.
    _, summary = results["ray"]
    assert summary.read == len(via_ray) == lines + 30 + 25
    assert summary.errors == 3 + 2
    assert all(r["cosine"] is not None for r in via_ray if r["error"] is None)
    local_summary = json.loads((tmp_path / "local" / "summary.json").read_text())
    ray_summary = json.loads((tmp_path / "ray" / "summary.json").read_text())
    assert local_summary == ray_summary
    for name in ("a.tsv", "b.tmx"):
        assert filecmp.cmp(tmp_path / "local" / "kept" / name, tmp_path / "ray" / "kept" / name,
                           shallow=False)
    kept_local = pq.read_table(tmp_path / "local" / "kept" / "c.parquet")
    kept_ray = pq.read_table(tmp_path / "ray" / "kept" / "c.parquet")
    assert kept_local.equals(kept_ray)
    # a.tsv: 40 pairs less 5 untranslated (critical), 5 with a wrong number (quality
    # under 90) and 5 repeats of its first pair. Duplicates are judged across inputs:
    # b.tmx and c.parquet repeat the pairs of a.tsv.
    assert [i["kept"] for i in ray_summary["inputs"]] == [25, 0, 0]
