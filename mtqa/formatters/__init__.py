"""Formatters render a ``Report``; they never decide anything. ``FORMATS`` maps a
``--format`` name to the module path of its ``render(report) -> str`` function."""
from __future__ import annotations

import importlib
from collections.abc import Callable

from mtqa.model import Report

FORMATS: dict[str, str] = {
    "rich": "mtqa.formatters.rich_format",
    "json": "mtqa.formatters.json_format",
    "html": "mtqa.formatters.html_format",
    "sarif": "mtqa.formatters.sarif",
    "junit": "mtqa.formatters.junit",
    "github": "mtqa.formatters.github",
    "markdown": "mtqa.formatters.markdown_format",
    "summary": "mtqa.formatters.summary",
}


# Formats that render only the issues, scores and verdicts of a report (and the segments
# an issue points at): ``mtqa check`` and ``mtqa gate`` keep slimmed documents
# (``pipeline.slimmed``) for them; the others need every document whole.
SLIM_FORMATS = frozenset({"rich", "sarif", "junit", "github", "markdown", "summary"})


def renderer(name: str) -> Callable[[Report], str]:
    """The ``render`` function of format ``name`` (imported on demand)."""
    return importlib.import_module(FORMATS[name]).render
