"""Glossaries that ship with mtqa (package data, so a wheel has them too), named on the
command line by their short name: ``--glossary cpc-terms`` is
``mtqa/data/glossaries/cpc-terms.zh-en.tsv``.

The files are copies of ``references/glossaries/``; tests/test_shipped_glossaries.py
keeps the two identical.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_glossaries() -> dict[str, Path]:
    """Short name (the file name up to its first dot) -> path of each shipped glossary."""
    folder = resources.files("mtqa").joinpath("data").joinpath("glossaries")
    out = {}
    for item in folder.iterdir():
        if item.name.endswith((".tsv", ".csv", ".tbx")):
            out[item.name.split(".", 1)[0]] = Path(str(item))
    return dict(sorted(out.items()))


def resolve_glossary(path: str) -> str:
    """``path`` itself when it names a file (or anything with a folder or an extension);
    else the shipped glossary of that short name, if there is one."""
    candidate = Path(path)
    if candidate.exists() or len(candidate.parts) > 1 or candidate.suffix:
        return path
    found = shipped_glossaries().get(path)
    return str(found) if found is not None else path
