"""mtqa: a quality checker and CI gate for machine-translated documents.

    >>> from mtqa import check_files
    >>> report = check_files(["article.en.md"], source="article.zh.md")
    >>> report.passed, report.documents[0].scores.quality
"""
from __future__ import annotations

from mtqa.version import __version__

__all__ = ["__version__", "check_files", "check_texts"]


def __getattr__(name: str) -> object:
    # Lazy: `import mtqa` (and so `mtqa --help`) stays cheap.
    if name == "check_files":
        from mtqa.pipeline import check_files
        return check_files
    if name == "check_texts":
        from mtqa.api import check_texts
        return check_texts
    raise AttributeError(name)
