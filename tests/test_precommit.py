"""The pre-commit hook: the real pre-commit framework runs mtqa on a repository, offline
(a `repo: local` hook built from this project's .pre-commit-hooks.yaml)."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from gitrepo import commit, make_repo, write

pre_commit = pytest.importorskip("pre_commit")
from pre_commit.clientlib import load_manifest  # noqa: E402


def _hook_config() -> str:
    """A local hook with the manifest's entry, files and settings, run with this Python
    (the published hook installs mtqa in its own environment, which needs a network)."""
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    entry = hook["entry"].replace("mtqa", f"{shlex.quote(sys.executable)} -m mtqa", 1)
    return (
        "repos:\n- repo: local\n  hooks:\n"
        f"  - id: {hook['id']}\n    name: {hook['name']}\n    entry: {entry}\n"
        f"    language: system\n    files: '{hook['files']}'\n"
        f"    require_serial: {str(hook['require_serial']).lower()}\n"
        f"    pass_filenames: {str(hook['pass_filenames']).lower()}\n"
    )


def _pre_commit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"),
           "PYTHONPATH": str(ROOT), "CI": "true"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=root,
                          capture_output=True, text=True, env=env, timeout=120)


def test_pre_commit_runs_the_gate(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write(root / ".pre-commit-config.yaml", _hook_config())
    commit(root, "add pre-commit")
    done = _pre_commit(root, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "docs/en/guide/usage.md" in done.stdout
    assert "FAIL" in done.stdout

    # Only the staged files are passed: a clean change passes.
    write(root / "docs/en/intro.md", "# Introduction\n\nVolunteers cleaned the bank.\n")
    subprocess.run(["git", "add", "docs/en/intro.md"], cwd=root, check=True)
    done = _pre_commit(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    # Fixing the old problem makes the whole repository pass.
    write(root / "docs/en/guide/usage.md", "# Usage\n\nRead the report. Fix the problems.\n")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    assert _pre_commit(root, "--all-files").returncode == 0
