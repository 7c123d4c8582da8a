"""``mtqa gate`` checks, filters and concludes a document at a time, and keeps of each
what the formats it writes need: slimmed documents for the formats that list issues,
whole ones for JSON and HTML. These tests hold it to the results of checking every
document first and concluding them all at the end (the gate before this change), and
its memory to growing with the largest document, not with all of them."""
from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import pytest
from gitrepo import run
from xliff_units import UNITS, file_element, xliff

from mtqa.checks.registry import enabled_checks, rules
from mtqa.ci import baseline as baselines
from mtqa.ci.batch import Task, aligner, run_tasks
from mtqa.ci.cache import Cache, binding, digest_of
from mtqa.ci.gate import GateOptions, _filter, run_gate
from mtqa.ci.project import Project, expand, load_project
from mtqa.formatters import SLIM_FORMATS, renderer
from mtqa.model import Report
from mtqa.pipeline import conclude, settings

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

CONFIG = ('encoder = "none"\ncache = ""\n[[pairs]]\nbilingual = "xliff/*.xlf"\n'
          '[[pairs]]\nbilingual = "tsv/*.tsv"\n')


def _xliff(units: int, start: int = 0, kinds: int = len(UNITS)) -> str:
    return xliff([file_element('original="x"', units, start, kinds)])


def _project(root: Path, files: int = 7, units: int = 12, kinds: int = len(UNITS),
             config: str = CONFIG, distinct: bool = True) -> Path:
    """XLIFF files with issues, and a TSV file, in a project of two bilingual pairs;
    with ``distinct`` False every file has the same units."""
    (root / "xliff").mkdir(parents=True)
    (root / "tsv").mkdir()
    (root / "mtqa.toml").write_text(config, encoding="utf-8")
    for f in range(files):
        (root / "xliff" / f"f{f}.xlf").write_text(_xliff(units, f * units if distinct else 0, kinds), "utf-8")
    (root / "tsv" / "t.tsv").write_text("source\ttarget\nSave your work.\tSave your work.\n"
                                        "Open day 3.\tÖffnen Tag 4.\n", "utf-8")
    return root


def _all_at_once(project: Project) -> Report:
    """The gate as it was: every document checked first, then filtered and concluded."""
    jobs = expand(project)
    outcomes = run_tasks([Task(str(j.target.relative_to(Path.cwd()))) for j in jobs],
                         project.config)
    counts = {"suppressed": 0, "unchanged": 0, "baselined": 0}
    documents = []
    for job, outcome in zip(jobs, outcomes):
        assert outcome.document is not None
        kept = _filter(outcome.document, job, project.relpath(job.target), project, None,
                       None, counts)
        documents.append(conclude(outcome.document, kept, project.config))
    return Report(documents=tuple(documents), signature=outcomes[0].signature,
                  passed=all(d.passed for d in documents),
                  settings=settings(project.config, enabled_checks(project.config)),
                  rules=rules())


def test_the_same_report_as_checking_everything_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path / "p"))
    project = load_project()
    expected = _all_at_once(project)
    assert not expected.passed and sum(len(d.issues) for d in expected.documents) > 20
    whole = run_gate(project, GateOptions(jobs=1))
    assert whole.report == expected
    assert renderer("json")(whole.report) == renderer("json")(expected)
    # Slimmed: the same verdicts, issues, scores and signature, and every format that
    # lists issues renders byte for byte what it renders of whole documents.
    slim = run_gate(project, GateOptions(jobs=1, slim=True))
    assert slim.report.passed == expected.passed and slim.report.signature == expected.signature
    for got, want in zip(slim.report.documents, expected.documents, strict=True):
        assert (got.issues, got.scores, got.passed, got.reasons, got.metrics) == \
            (want.issues, want.scores, want.passed, want.reasons, want.metrics)
        assert got.target.path == want.target.path
        assert len(got.target.segments) == len(want.target.segments)
    for name in sorted(SLIM_FORMATS):
        assert renderer(name)(slim.report) == renderer(name)(expected), name
    assert slim.paths == whole.paths


def test_a_pool_running_ahead_keeps_the_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers, a few tasks ahead each: more tasks than the window."""
    monkeypatch.chdir(_project(tmp_path / "p", files=9))
    project = load_project()
    one = run_gate(project, GateOptions(jobs=1, slim=True))
    two = run_gate(project, GateOptions(jobs=2, slim=True))
    assert two.workers == 2
    assert two.report == one.report and two.paths == one.paths
    assert len(one.paths) == 10


def test_the_cache_holds_whole_documents_and_serves_the_same_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path / "p"))
    monkeypatch.setenv("MTQA_CACHE_KEY", "test")
    project = load_project()
    cache = str(tmp_path / "cache")
    fresh = run_gate(project, GateOptions(jobs=1))
    first = run_gate(project, GateOptions(jobs=1, slim=True, cache=cache))
    assert first.cached == 0
    # What a slimmed run stored is each document whole, before the filter.
    store = Cache(Path(cache))
    task = first.paths[0]
    bound = binding((task, None, None), project.config,
                    getattr(aligner(project.config), "name", "aligner"))
    hit = store.get(digest_of(bound), bound)
    assert hit is not None
    examined = hit[0]
    assert examined.alignment and all(b.target for b in examined.alignment)
    assert all(s.line > 0 for s in examined.target.segments)
    assert examined.target.units and len(examined.target.units) == len(examined.target.segments)
    # A whole run served from those entries is the run that checked everything.
    again = run_gate(project, GateOptions(jobs=1, cache=cache))
    assert again.cached == len(fresh.paths) and store.rejected == 0
    assert renderer("json")(again.report) == renderer("json")(fresh.report)
    # An entry that fails verification at its turn is checked again, in order.
    entry = Path(cache) / digest_of(bound)[:2] / f"{digest_of(bound)[2:]}.json"
    entry.write_bytes(b"0" * 64 + b"\n{}")
    with pytest.warns(RuntimeWarning, match="1 result cache entry failed verification"):
        third = run_gate(project, GateOptions(jobs=1, slim=True, cache=cache))
    assert third.cached == len(fresh.paths) - 1
    assert [d.issues for d in third.report.documents] == \
        [d.issues for d in fresh.report.documents]


def test_a_baseline_from_slimmed_documents_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path / "p"))
    project = load_project()
    whole = run_gate(project, GateOptions(jobs=1, write_baseline="b.json"))
    slim = run_gate(project, GateOptions(jobs=1, slim=True, write_baseline="b.json"))
    assert whole.baseline_text and slim.baseline_text == whole.baseline_text
    (tmp_path / "p" / "b.json").write_text(whole.baseline_text, "utf-8")
    known = run_gate(project, GateOptions(jobs=1, slim=True, baseline="b.json"))
    assert known.report.passed and not known.stale
    assert known.baselined == len(baselines.load(Path("b.json")))


def test_the_cli_slims_only_for_formats_that_list_issues(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p")
    seen: list[bool] = []
    import mtqa.ci.gate as gate

    real = gate.run_gate

    def spy(project: Project, options: GateOptions, *args: object, **kwargs: object) -> object:
        seen.append(options.slim)
        return real(project, options, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gate, "run_gate", spy)
    code, sarif, _ = run(root, "gate", "-q", "--format", "sarif", "-o", "junit=r.xml")
    assert code == 1 and json.loads(sarif)["runs"][0]["results"]
    code, out, _ = run(root, "gate", "-q", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert all(s["text"] or s["line"] for d in report["documents"]
               for s in d["segments"]["target"])
    assert all(d["alignment"][0]["target"] == [0] for d in report["documents"])
    run(root, "gate", "-q", "--format", "summary", "-o", "html=r.html")
    assert seen == [True, False, False]


def _peak(project: Project, slim: bool) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = run_gate(project, GateOptions(jobs=1, slim=slim))
        assert result.report.documents
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_with_the_largest_document_not_all_of_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """40 and 80 files of 100 units: twice the files cost a few pointers a unit more
    (what the report keeps of a concluded document), not twice the memory; holding
    every document whole (JSON, HTML) costs far more. Every file has the same units:
    the checks remember what they computed per text in bounded caches (up to 32,768
    texts each), whose growth is not what this measures."""
    good = 'encoder = "none"\ncache = ""\n[[pairs]]\nbilingual = "xliff/*.xlf"\n'
    projects = {}
    for files in (2, 40, 80):
        monkeypatch.chdir(_project(tmp_path / str(files), files=files, units=100, kinds=1,
                                   config=good, distinct=False))
        projects[files] = load_project()
    # A first run of each loads what every run loads once, and makes Python intern the
    # names of the files (a resize of its table of interned strings is a megabyte).
    for files, project in projects.items():
        monkeypatch.chdir(tmp_path / str(files))
        _peak(project, True)
    monkeypatch.chdir(tmp_path / "40")
    forty = _peak(projects[40], True)
    monkeypatch.chdir(tmp_path / "80")
    eighty = _peak(projects[80], True)
    eighty_whole = _peak(projects[80], False)
    kept_per_unit = (eighty - forty) / (40 * 100)
    assert kept_per_unit < 200, (forty, eighty)  # bytes (measured: 40): not segments
    assert eighty < eighty_whole / 3, (eighty, eighty_whole)  # measured: a fifth
