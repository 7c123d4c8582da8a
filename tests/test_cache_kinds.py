"""The gate's result cache serves a report for every input kind: a monolingual pair and
each bilingual format (whose segments and units are their own value classes)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from mtqa.ci.cache import Cache, binding, digest_of
from mtqa.ci.gate import GateOptions, run_gate
from mtqa.ci.project import load_project
from mtqa.config import Config
from mtqa.model import AnchoredSegment, Examined, UnitInfo
from mtqa.pipeline import Run, check_files, load_inputs

LOC = Path(__file__).parent / "data" / "loc"
BILINGUAL = ["app.de.tsv", "app.de.xlf", "docs.fr.xlf", "memory.tmx", "shop.de.po"]


def _examined(target: str, source: str | None = None) -> Examined:
    """What the gate caches: a document read, aligned and checked, before filtering."""
    config = Config(encoder="none")
    return Run(config).examine(load_inputs([target], source, None, config)[0])


@pytest.mark.parametrize("name", BILINGUAL)
def test_cache_returns_the_report_it_stored_for(name: str, tmp_path: Path) -> None:
    doc = _examined(str(LOC / name))
    store = Cache(tmp_path / "cache")
    bound = binding((str(LOC / name), None, None), Config(encoder="none"), "gale-church")
    store.put(digest_of(bound), bound, doc, "sig")
    assert store.get(digest_of(bound), bound) == (doc, "sig")


def test_cache_returns_the_report_of_a_monolingual_pair(tmp_path: Path) -> None:
    doc = _examined(str(EXAMPLES / "river-cleanup.mt.en.md"),
                    str(EXAMPLES / "river-cleanup.zh.md"))
    store = Cache(tmp_path / "cache")
    bound = binding((str(EXAMPLES / "river-cleanup.mt.en.md"), None, None), Config(),
                    "embedding")
    store.put(digest_of(bound), bound, doc, "sig")
    assert store.get(digest_of(bound), bound) == (doc, "sig")


def test_localisation_reports_carry_the_classes_the_cache_once_missed() -> None:
    # The reason for the tests above: these value classes must survive the cache.
    docs = check_files([str(LOC / n) for n in BILINGUAL[1:]]).documents
    for doc in docs:
        assert doc.target.units and isinstance(doc.target.units[0], UnitInfo)
    assert any(isinstance(s, AnchoredSegment) for d in docs for s in d.target.segments)


def test_second_gate_run_serves_every_bilingual_file_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "i18n").mkdir()
    for name in BILINGUAL:
        shutil.copy(LOC / name, tmp_path / "i18n" / name)
    (tmp_path / "mtqa.toml").write_text('[[pairs]]\nbilingual = "i18n/*"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    project = load_project()
    options = GateOptions(cache=str(tmp_path / ".mtqa_cache"))
    first = run_gate(project, options)
    second = run_gate(project, options)
    assert (first.cached, second.cached) == (0, len(BILINGUAL))
    assert second.report == first.report
