"""The filter stage: issues that leave before scoring.

Between check and score (see DESIGN.md "The flow") issues can be dropped by inline
``mtqa-disable`` comments in the translation or source file (``mtqa check`` and
``mtqa gate``), and, in ``mtqa gate``, by the config's suppressions, the baseline and
the changed-lines filter. A dropped issue costs nothing in the score and does not
count in the verdict.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mtqa.ci.suppress import Directives, is_suppressed, parse_directives
from mtqa.model import Document, Issue

# Inline directives are HTML comments: only formats that keep them in the raw file.
_DIRECTIVE_FORMATS = ("markdown", "text")


def file_directives(path: str | Path | None, fmt: str | None = None) -> Directives | None:
    """The inline suppression directives of a Markdown or plain-text file (None when
    it has none or is of another format)."""
    if path is None:
        return None
    if fmt is None:
        from mtqa.readers import format_of

        fmt = format_of(Path(path))
    if fmt not in _DIRECTIVE_FORMATS:
        return None
    from mtqa.readers.encoding import read_text

    text = read_text(Path(path))
    if "mtqa-disable" not in text:
        return None
    return parse_directives(text, str(path))


def document_directives(doc: Document | None) -> Directives | None:
    """The directives of the file ``doc`` was read from (None for text in memory, whose
    path names no file)."""
    if doc is None or doc.path is None or not Path(doc.path).is_file():
        return None
    return file_directives(doc.path, doc.format)


def without_inline_suppressed(issues: Sequence[Issue], target: Document,
                              source: Document | None) -> tuple[list[Issue], int]:
    """``issues`` less those an inline directive turns off, and how many it turned off."""
    target_directives = document_directives(target)
    source_directives = document_directives(source)
    if target_directives is None and source_directives is None:
        return list(issues), 0
    kept = [i for i in issues if not is_suppressed(i, target_directives, source_directives)]
    return kept, len(issues) - len(kept)
