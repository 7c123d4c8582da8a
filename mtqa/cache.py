"""A cache of document reports for ``mtqa gate``, so that a second run over a
repository checks only the documents whose files changed.

The key hashes everything the report depends on: the contents (and report names) of the
target, source and reference files, the settings, the glossaries, the aligner, and the
source code of mtqa itself, so that an edited check never serves an old result. Values
are JSON (not pickle: the cache folder lives in the repository, and loading a pickle
from a folder a pull request can write to would run its code). Issues are cached
before suppressions, the baseline and the changed-lines filter are applied.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtqa import __version__
from mtqa.config import Config
from mtqa.model import (Bead, Document, DocumentReport, Edit, Fix, Issue, Location, Scores,
                        Segment, Severity)

FORMAT = "mtqa.cache/2"
_TYPES: dict[str, type] = {c.__name__: c for c in (Segment, Document, Bead, Location, Issue,
                                                    Fix, Edit, Scores, DocumentReport)}


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of mtqa's own source files."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".tsv") and path.is_file():
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _file_hash(path: str | None) -> str:
    if path is None:
        return "-"
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "unreadable"  # the check itself reports the error; never cache it


def key(names: tuple[str | None, ...], config: Config, aligner: str) -> str:
    """The cache key of one document: its files as named in reports, plus the run."""
    h = hashlib.sha256(FORMAT.encode())
    h.update(code_hash().encode())
    h.update(repr(config).encode())
    h.update(aligner.encode())
    for glossary in config.glossaries:
        h.update(_file_hash(glossary).encode())
    for name in names:
        h.update(b"\0" + (name or "-").encode() + b"\0" + _file_hash(name).encode())
    return h.hexdigest()


_PLAIN = (str, int, float, bool, type(None))


def encode(value: Any) -> Any:
    """A JSON-able form of a report value that ``decode`` turns back into an equal one.
    Dataclasses are stored by position: compact, and quick to read back."""
    if isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__,
                "v": [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    if isinstance(value, Severity):
        return {"@": "Severity", "v": value.value}
    if isinstance(value, tuple):
        return {"@": "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"@": "dict", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [decode(v) for v in value]
    tag, items = value["@"], value["v"]
    if tag == "tuple":
        return tuple([decode(v) for v in items])
    if tag == "dict":
        return {decode(k): decode(v) for k, v in items}
    if tag == "Severity":
        return Severity(items)
    cls = _TYPES.get(tag)
    if cls is None:
        raise ValueError(f"unknown cached type {tag!r}")
    return cls(*[decode(v) for v in items])


class Cache:
    """Reports by key in ``folder`` (created with a .gitignore on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = self.misses = 0

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest[2:]}.json"

    def get(self, digest: str) -> tuple[DocumentReport, str] | None:
        try:
            data = json.loads(self._path(digest).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("old format")
            found = decode(data["document"]), str(data["signature"])
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # absent or unreadable: check again
        if not isinstance(found[0], DocumentReport):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, digest: str, document: DocumentReport, signature: str) -> None:
        path = self._path(digest)
        try:
            if not self.folder.exists():
                self.folder.mkdir(parents=True)
                (self.folder / ".gitignore").write_text("# written by mtqa\n*\n")
            path.parent.mkdir(exist_ok=True)
            text = json.dumps({"format": FORMAT, "signature": signature,
                               "document": encode(document)}, ensure_ascii=False)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only checkout still gets checked, just not cached
