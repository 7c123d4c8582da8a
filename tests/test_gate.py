"""`mtqa gate` on a real git repository: changed pairs, changed lines, baselines,
suppressions and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import commit, gate_json, git, issues_of, make_repo, run, write

from mtqa.ci.gate import GateOptions, run_gate
from mtqa.ci.project import load_project

USAGE = "docs/en/guide/usage.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def test_full_run_checks_every_pair_and_fails_on_the_old_issue(repo: Path) -> None:
    code, report, _ = gate_json(repo)
    assert code == 1
    assert [d["target"]["path"] for d in report["documents"]] == [
        "docs/en/guide/setup.md", USAGE, "docs/en/intro.md"]
    assert [d["source"]["path"] for d in report["documents"]][0] == "docs/zh/guide/setup.md"
    assert issues_of(report) == [(USAGE, "FL01", 3, "the the")]
    assert not report["passed"]


def test_changed_since_checks_only_the_changed_pair(repo: Path) -> None:
    write(repo / "docs/en/intro.md", "# Introduction\n\nVolunteers cleaned the river bank. "
                                     "They collected much rubbish.\n")
    commit(repo, "edit intro")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1")
    assert [d["target"]["path"] for d in report["documents"]] == ["docs/en/intro.md"]
    assert code == 0  # the old issue in usage.md is not in this change
    # A change to the source selects its pair too.
    write(repo / "docs/zh/guide/usage.md", "# 使用\n\n阅读报告。\n")
    commit(repo, "edit source")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1")
    assert [d["target"]["path"] for d in report["documents"]] == [USAGE]
    assert code == 1
    # Nothing changed: nothing checked, and that passes.
    code, report, err = run(repo, "gate", "--changed-since", "HEAD")
    assert code == 0 and "0 document(s)" in err + report and "3 unchanged" in err + report


def test_uncommitted_and_untracked_files_count_as_changed(repo: Path) -> None:
    write(repo / "docs/zh/new.md", "# 新\n\n新的页面。\n")
    write(repo / "docs/en/new.md", "# New\n\nA new new page.\n")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD", "--only-changed-lines")
    assert issues_of(report) == [("docs/en/new.md", "FL01", 3, "new new")]
    assert code == 1


def test_only_changed_lines_reports_issues_on_changed_lines_only(repo: Path) -> None:
    path = repo / USAGE
    path.write_text(path.read_text(encoding="utf-8") + "\nCheck of of the output.\n",
                    encoding="utf-8")
    commit(repo, "add a sentence")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1")
    assert [i[1:] for i in issues_of(report)] == [("FL01", 3, "the the"), ("FL01", 5, "of of")]
    code, out, _ = run(repo, "gate", "--changed-since", "HEAD~1", "--only-changed-lines")
    assert code == 1 and "1 issue(s) not on changed lines" in out
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert [i[1:] for i in issues_of(report)] == [("FL01", 5, "of of")]


def test_baseline_hides_old_issues_survives_edits_above_and_fails_on_new(repo: Path) -> None:
    code, _, err = run(repo, "gate", "--write-baseline", "mtqa-baseline.json")
    assert code == 0 and "recorded 1 issue(s)" in err
    recorded = json.loads((repo / "mtqa-baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["code"], e["line"]) for e in recorded["issues"]] == [(USAGE, "FL01", 3)]

    code, report, _ = gate_json(repo, "--baseline", "mtqa-baseline.json")
    assert code == 0 and issues_of(report) == []

    # An unrelated edit above the old issue moves it down two lines: still known.
    path = repo / USAGE
    text = path.read_text(encoding="utf-8").replace("# Usage\n", "# Usage\n\nAn intro line.\n")
    path.write_text(text, encoding="utf-8")
    code, report, _ = gate_json(repo, "--baseline", "mtqa-baseline.json")
    assert code == 0 and issues_of(report) == []

    # A new issue fails the gate, and only it is reported.
    path.write_text(text + "\nFix it it now.\n", encoding="utf-8")
    code, report, err = gate_json(repo, "--baseline", "mtqa-baseline.json")
    assert code == 1
    assert issues_of(report) == [(USAGE, "FL01", 7, "it it")]


def test_stale_baseline_entries_are_reported(repo: Path) -> None:
    run(repo, "gate", "--write-baseline", "base.json")
    path = repo / USAGE
    path.write_text(path.read_text(encoding="utf-8").replace("the the", "the"), encoding="utf-8")
    code, out, err = run(repo, "gate", "--baseline", "base.json")
    assert code == 0
    assert "1 baseline entry is stale" in err and "FL01" in err


def test_baseline_from_the_config_file(repo: Path) -> None:
    run(repo, "gate", "--write-baseline", "base.json")
    config = repo / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'fail-on = "minor"', 'fail-on = "minor"\nbaseline = "base.json"'), encoding="utf-8")
    assert run(repo, "gate")[0] == 0


@pytest.mark.parametrize("comment, left", [
    ("<!-- mtqa-disable-next-line FL01 -->\n", [("FL01", 6, "of of")]),
    ("<!-- mtqa-disable-next-line AC01, FL01 -->\n\n", [("FL01", 7, "of of")]),
    ("<!-- mtqa-disable-next-line AC01 -->\n", [("FL01", 4, "the the"), ("FL01", 6, "of of")]),
])
def test_inline_suppression_hides_exactly_one_issue(repo: Path, comment: str,
                                                     left: list[tuple[str, int, str]]) -> None:
    write(repo / USAGE, f"# Usage\n\n{comment}Read the the report.\n\nCheck of of it.\n")
    code, report, _ = gate_json(repo, USAGE)
    assert [i[1:] for i in issues_of(report)] == left
    assert code == 1


def test_disable_line_comment_at_the_end_of_a_line(repo: Path) -> None:
    write(repo / USAGE, "# Usage\n\nRead the the report. <!-- mtqa-disable-line FL01 -->\n")
    code, report, _ = gate_json(repo, USAGE)
    assert issues_of(report) == [] and code == 0


@pytest.mark.parametrize("comment, message", [
    ("<!-- mtqa-disable-next-line -->", "must name the check code"),
    ("<!-- mtqa-disable-next-line XX99 -->", "no known check 'XX99'"),
    ("<!-- mtqa-disable FL01 -->", "malformed suppression"),
])
def test_suppression_without_a_valid_code_is_an_input_error(repo: Path, comment: str,
                                                            message: str) -> None:
    write(repo / USAGE, f"# Usage\n\n{comment}\nRead the the report.\n")
    code, _, err = run(repo, "gate")
    assert code == 2
    assert message in err and f"{USAGE}:3" in err.replace("\\", "/")


def test_pair_suppression_in_config(repo: Path) -> None:
    config = repo / "pyproject.toml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + 'suppress = [{code = "FL01", text = "the the"}]\n', encoding="utf-8")
    code, report, _ = gate_json(repo)
    assert code == 0 and issues_of(report) == []
    config.write_text(base + 'suppress = [{code = "FL01", path = "docs/en/intro.md"}]\n',
                      encoding="utf-8")
    assert gate_json(repo)[0] == 1  # another file: still reported
    config.write_text(base + 'suppress = [{text = "the the"}]\n', encoding="utf-8")
    code, _, err = run(repo, "gate")
    assert code == 2 and "needs a check 'code'" in err


@pytest.mark.parametrize("args, message", [
    (["--only-changed-lines"], "needs --changed-since"),
    (["--changed-since", "no-such-ref"], "git"),
    (["--format", "nope"], "unknown output format 'nope'"),
    (["--output", "sarif"], "FORMAT=PATH"),
    (["--write-baseline", "b.json", "--changed-since", "HEAD"], "--write-baseline"),
    (["--baseline", "missing.json"], "baseline file not found"),
    (["docs/en/nope.md"], "no such file"),
])
def test_usage_errors_exit_2_with_one_line(repo: Path, args: list[str], message: str) -> None:
    code, out, err = run(repo, "gate", *args)
    assert code == 2, (out, err)
    assert message in err and err.count("\n") == 1


def test_unknown_config_key_is_named(repo: Path) -> None:
    config = repo / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("fail-on", "fail-onn"),
                      encoding="utf-8")
    code, _, err = run(repo, "gate")
    assert code == 2 and "'fail-onn'" in err


def test_max_issues_per_category_gates(repo: Path) -> None:
    config = repo / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'fail-on = "minor"', 'fail-on = "critical"'), encoding="utf-8")
    assert gate_json(repo, USAGE)[0] == 1  # one minor issue in 9 words: quality under 95
    config.write_text(config.read_text(encoding="utf-8").replace(
        'fail-on = "critical"', 'fail-on = "critical"\nfail-under = 0\n'
                                'max-issues = {"fluency/grammar" = 1}'), encoding="utf-8")
    assert gate_json(repo, USAGE)[0] == 0
    config.write_text(config.read_text(encoding="utf-8").replace('"fluency/grammar" = 1',
                                                                 'fluency = 0'), encoding="utf-8")
    code, report, _ = gate_json(repo, USAGE)
    assert code == 1
    assert report["documents"][0]["reasons"] == [
        "1 fluency issue(s), more than the 0 allowed: FL01"]


def test_outputs_from_config_and_flags(repo: Path) -> None:
    config = repo / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[[tool.mtqa.pairs]]", '[tool.mtqa.output]\nsarif = "reports/mtqa.sarif"\n\n'
                               "[[tool.mtqa.pairs]]"), encoding="utf-8")
    code, out, _ = run(repo, "gate", "--format", "github", "-o", "junit=out/junit.xml")
    assert code == 1
    assert out.startswith("::error file=docs/en/guide/usage.md,line=3,col=6,")
    sarif = json.loads((repo / "reports/mtqa.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "FL01"
    assert "<testsuites" in (repo / "out/junit.xml").read_text(encoding="utf-8")


def test_paths_select_pairs_and_files_without_pairs(repo: Path, tmp_path: Path) -> None:
    code, report, _ = gate_json(repo, "docs/zh/intro.md")
    assert [d["target"]["path"] for d in report["documents"]] == ["docs/en/intro.md"]
    code, report, _ = gate_json(repo, "docs/en/guide")
    assert len(report["documents"]) == 2
    # Without pairs in a config, the files given are checked as translations.
    loose = tmp_path / "loose"
    write(loose / "a.md", "# Title\n\nThis page page is short.\n")
    code, report, _ = gate_json(loose, "a.md")
    assert code == 1  # one minor issue in six words: quality 83 is under 95
    assert issues_of(report) == [("a.md", "FL01", 3, "page page")]
    assert run(loose, "gate")[0] == 2  # nothing configured and nothing given


def test_missing_translation_is_noted(repo: Path) -> None:
    write(repo / "docs/zh/later.md", "# 以后\n\n以后翻译。\n")
    code, _, err = run(repo, "gate")
    assert "docs/zh/later.md has no translation at docs/en/later.md" in err


def test_parallel_workers_give_the_same_report(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    project = load_project()
    one = run_gate(project, GateOptions(jobs=1))
    two = run_gate(project, GateOptions(jobs=2))
    assert two.workers == 2
    assert one.report.documents == two.report.documents
    assert one.paths == two.paths == ("docs/en/guide/setup.md", USAGE, "docs/en/intro.md")


def test_git_is_needed_for_changed_since(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    make_repo(root)
    git(root, "rev-parse", "HEAD")
    code, _, err = run(root, "gate", "--changed-since", "HEAD~5")
    assert code == 2 and "git" in err


def test_result_cache_serves_unchanged_documents(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    project = load_project()
    cache = str(repo / ".mtqa_cache")
    first = run_gate(project, GateOptions(cache=cache))
    second = run_gate(project, GateOptions(cache=cache))
    assert (first.cached, second.cached) == (0, 3)
    assert first.report == second.report
    write(repo / "docs/en/intro.md", "# Introduction\n\nVolunteers cleaned cleaned it.\n")
    third = run_gate(project, GateOptions(cache=cache))
    assert third.cached == 2
    assert ("docs/en/intro.md", "FL01", 3, "cleaned cleaned") in [
        (p, i.code, i.target.line, i.target.text) for p, d in zip(third.paths,
                                                                  third.report.documents)
        for i in d.issues]
    # The cache folder keeps itself out of git.
    assert "docs/en/intro.md" in git(repo, "status", "--porcelain")
    assert ".mtqa_cache" not in git(repo, "status", "--porcelain")
    code, out, _ = run(repo, "gate", "--no-cache")
    assert "from the cache" not in out
    code, out, _ = run(repo, "gate")
    assert "3 from the cache" in out


def test_cache_codec_round_trips_a_report_with_metrics() -> None:
    from conftest import EXAMPLES

    from mtqa.ci.cache import decode, encode
    from mtqa.pipeline import check_files

    report = check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                         str(EXAMPLES / "river-cleanup.zh.md"),
                         str(EXAMPLES / "river-cleanup.ref.en.md"))
    doc = report.documents[0]
    assert doc.metrics and doc.issues
    assert decode(json.loads(json.dumps(encode(doc)))) == doc


def test_changed_since_a_branch_compares_with_the_merge_base(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo / "docs/en/intro.md", "# Introduction\n\nVolunteers cleaned the bank.\n")
    commit(repo, "feature edit")
    git(repo, "checkout", "-q", "main")
    write(repo / "docs/en/guide/setup.md", "# Setup\n\nInstall the tool.\n")
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    # Only the feature's own change counts, not what main did since the branch point.
    code, report, _ = gate_json(repo, "--changed-since", "main")
    assert [d["target"]["path"] for d in report["documents"]] == ["docs/en/intro.md"]


def test_workers_fork_unless_torch_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys

    from mtqa.ci.batch import MIN_PARALLEL_BYTES, start_method, workers_for

    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert start_method() == "fork"
    monkeypatch.setitem(sys.modules, "torch", object())
    assert start_method() == "forkserver"
    assert workers_for(100, size=MIN_PARALLEL_BYTES - 1) == 1
    assert workers_for(1, size=10 * MIN_PARALLEL_BYTES) == 1
    assert workers_for(3, jobs=8) == 3
    cores = len(os.sched_getaffinity(0))
    assert workers_for(2, size=MIN_PARALLEL_BYTES) == min(2, cores)


def test_flags_override_the_config_file(repo: Path) -> None:
    assert gate_json(repo)[0] == 1  # fail-on = "minor" in the file
    assert gate_json(repo, "--fail-on", "critical", "--fail-under", "0")[0] == 0
    assert gate_json(repo, "--ignore", "FL01")[0] == 0


def test_bilingual_pairs(tmp_path: Path) -> None:
    root = tmp_path / "bi"
    write(root / "mtqa.toml", 'source-lang = "zh"\ntarget-lang = "en"\nfail-on = "minor"\n'
                              'select = ["FL01", "AC01"]\n\n[[pairs]]\nbilingual = "i18n/*.tsv"\n'
                              'suppress = [{code = "AC01", path = "i18n/menu.tsv"}]\n')
    write(root / "i18n" / "menu.tsv", "打开\tOpen\n保存\tSave the 文件\n")
    write(root / "i18n" / "help.tsv", "帮助\tHelp\n关于\tAbout about\n")
    code, report, _ = gate_json(root)
    assert issues_of(report) == [("i18n/help.tsv", "FL01", 2, "About about")]
    assert code == 1
