"""Checking texts held in memory (no files)."""
from __future__ import annotations

from mtqa.alignment.aligner import Aligner
from mtqa.config import Config
from mtqa.model import Report
from mtqa.pipeline import Inputs, check_documents
from mtqa.readers import parse_document


def check_texts(target: str, source: str | None = None, reference: str | None = None,
                config: Config | None = None, fmt: str = "text",
                aligner: Aligner | None = None) -> Report:
    """Check a translation given as a string (plain text or, with fmt="markdown", Markdown)."""
    config = config or Config()
    tgt = parse_document(target, None, fmt, config.target_lang)
    src = parse_document(source, None, fmt, config.source_lang) if source else None
    ref = parse_document(reference, None, fmt, tgt.lang) if reference else None
    return check_documents([Inputs(tgt, src, ref)], config, aligner)
