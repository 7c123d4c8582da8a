"""The CI examples in docs/ci run as written: their `mtqa gate` commands are taken from
the YAML, given the variables CI would set, and run on a clone of a test repository
with a pull-request branch."""
from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from conftest import ROOT
from gitrepo import commit, git, make_repo, run, write

yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit (test extra)


def _command(example: str) -> str:
    data = yaml.safe_load((ROOT / "docs" / "ci" / example).read_text(encoding="utf-8"))
    if "jobs" in data:
        steps = data["jobs"]["mtqa"]["steps"]
        lines = [s["run"] for s in steps if "mtqa gate" in s.get("run", "")]
    else:
        lines = [line for line in data["mtqa"]["script"] if line.startswith("mtqa gate")]
    (line,) = lines
    return " ".join(line.split())


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone (so origin/main exists) on a branch that adds a problem to one page."""
    upstream = make_repo(tmp_path / "upstream")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    write(clone / "docs/en/intro.md", "# Introduction\n\nVolunteers cleaned the river bank. "
                                      "They collected collected rubbish.\n")
    commit(clone, "edit intro")
    return clone


def test_github_actions_example(pull_request: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    line = _command("github-actions.yml").replace("${{ github.base_ref }}", "main")
    line = line.replace("$GITHUB_STEP_SUMMARY", str(summary))
    args = shlex.split(line)
    assert args[:2] == ["mtqa", "gate"]
    code, out, err = run(pull_request, *args[1:])
    assert code == 1, err
    # Only the changed page is annotated, not the old problem in usage.md.
    assert out.startswith("::error file=docs/en/intro.md,line=3,col=")
    assert "usage.md" not in out
    assert (pull_request / "reports" / "mtqa.sarif").is_file()
    assert summary.read_text(encoding="utf-8").startswith("## mtqa: ❌ failed")


def test_gitlab_ci_example(pull_request: Path) -> None:
    line = _command("gitlab-ci.yml").replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
    args = shlex.split(line)
    code, out, err = run(pull_request, *args[1:])
    assert code == 1, err
    junit = (pull_request / "reports" / "mtqa.xml").read_text(encoding="utf-8")
    assert 'testsuite name="docs/en/intro.md"' in junit and "usage.md" not in junit
    assert "intro.md:3:" in out
