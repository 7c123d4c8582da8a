"""Facts about the code base itself: one version, and formatters that read the model only."""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import mtqa
from mtqa.version import __version__

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert mtqa.__version__ == __version__ == metadata.version("mtqa")
