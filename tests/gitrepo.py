"""A small git repository of zh/en Markdown pairs for the CI-gate tests.

Translations are written so that only target-only checks fire (FL01 repeated word,
AC01 untranslated text): the tests do not depend on which aligner runs.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from mtqa.cli import app

CONFIG = """\
[tool.mtqa]
source-lang = "zh"
target-lang = "en"
select = ["FL01", "AC01"]
fail-on = "minor"

[[tool.mtqa.pairs]]
source = "docs/zh/**/*.md"
target = "docs/en/{relpath}"
"""

SOURCES = {
    "intro.md": "# 介绍\n\n志愿者清理了河岸。他们收集了垃圾。\n",
    "guide/setup.md": "# 安装\n\n先安装工具。然后运行检查。\n",
    "guide/usage.md": "# 使用\n\n阅读报告。修正问题。\n",
}
TARGETS = {
    "intro.md": "# Introduction\n\nVolunteers cleaned the river bank. They collected rubbish.\n",
    "guide/setup.md": "# Setup\n\nFirst install the tool. Then run the checks.\n",
    # One old problem: a repeated word.
    "guide/usage.md": "# Usage\n\nRead the the report. Fix the problems.\n",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True, env=env).stdout


def make_repo(root: Path, config: str = CONFIG) -> Path:
    """Write the pairs and the config, and commit them."""
    for rel, text in SOURCES.items():
        write(root / "docs" / "zh" / rel, text)
    for rel, text in TARGETS.items():
        write(root / "docs" / "en" / rel, text)
    write(root / "pyproject.toml", config)
    git(root, "init", "-q", "-b", "main")
    commit(root, "initial translations")
    return root


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI in ``root``: (exit code, stdout, stderr)."""
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def gate_json(root: Path, *args: str) -> tuple[int, dict, str]:
    code, out, err = run(root, "gate", "--format", "json", "--quiet", *args)
    return code, (json.loads(out) if out.strip() else {}), err


def issues_of(report: dict) -> list[tuple[str, str, int, str]]:
    """(file, code, line, flagged text) of every issue in a JSON report."""
    return [(d["target"]["path"], i["code"], i["target"]["line"], i["target"]["text"])
            for d in report["documents"] for i in d["issues"]]
