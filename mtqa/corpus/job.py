"""What a ``mtqa corpus`` run is: its inputs, settings and output folder.

The output folder ``OUT`` holds:

- ``manifest.json``: the inputs (with their size and modification time) and every
  setting that changes a row; a run into an ``OUT`` whose manifest differs is refused,
  so a resumed run never mixes rows of two different runs;
- ``rows/``: the Parquet rows (``mtqa.corpus.rows``), one file per finished batch for
  the local engine (``part-IIII-BBBBBBB.parquet``: input, batch), written through a
  temporary file and a rename, so a file that exists is complete; Ray's own file names
  for ``--engine ray``;
- ``summary.json`` and ``summary.html``, and ``kept/`` with ``--keep``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mtqa import __version__
from mtqa.config import Config
from mtqa.corpus.pairs import check_readable, format_of, probe_langs
from mtqa.corpus.rows import SCHEMA_VERSION
from mtqa.errors import InputError

DEFAULT_BATCH = 1000


@dataclass(frozen=True)
class Source:
    """One input file and the language pair its pairs should be in."""

    path: str
    format: str
    source_lang: str
    target_lang: str


@dataclass(frozen=True)
class Job:
    """Everything the engines need: the same ``Job`` gives the same rows on any engine."""

    inputs: tuple[Source, ...]
    out: Path
    config: Config
    encoder: str | None = None
    batch_size: int = DEFAULT_BATCH

    @property
    def rows_dir(self) -> Path:
        return self.out / "rows"

    def part_path(self, source: int, batch: int) -> Path:
        return self.rows_dir / f"part-{source:04d}-{batch:07d}.parquet"

    def manifest(self) -> dict[str, Any]:
        """What identifies the run's rows (not how they are computed: the engine and the
        number of workers never change a row)."""
        inputs = []
        for s in self.inputs:
            stat = os.stat(s.path)
            inputs.append({**asdict(s), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns})
        c = self.config
        return {"schema": SCHEMA_VERSION, "mtqa": __version__, "inputs": inputs,
                "encoder": self.encoder, "batch_size": self.batch_size,
                "select": list(c.select), "ignore": list(c.ignore),
                "severity": dict(c.severity), "options": {k: dict(v) for k, v in c.options.items()},
                "weights": dict(c.weights), "quality_basis": c.quality_basis,
                "glossaries": list(c.glossaries)}


def plan(paths: Sequence[str], out: str | os.PathLike[str], config: Config,
         encoder: str | None = None, batch_size: int = DEFAULT_BATCH) -> Job:
    """Check the inputs and settle their languages; ``InputError`` before any work."""
    if not paths:
        raise InputError(None, "no input file given")
    if batch_size < 1:
        raise InputError(None, "--batch-size must be at least 1")
    if len(set(paths)) != len(paths):
        raise InputError(next(p for p in paths if list(paths).count(p) > 1),
                         "given twice")
    sources = []
    for path in paths:
        check_readable(path)
        src, tgt = probe_langs(path, config.source_lang, config.target_lang)
        sources.append(Source(path, format_of(path), src, tgt))
    return Job(tuple(sources), Path(out), config, encoder or None, batch_size)


def prepare_out(job: Job, resume: bool = True) -> set[Path]:
    """Create ``OUT`` (or check that it holds this same run); the finished parts."""
    out = job.out
    manifest = job.manifest()
    path = out / "manifest.json"
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "--out must be a folder")
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != manifest:
            raise InputError(str(out), "holds a run of other inputs or settings; choose "
                                       "another --out or remove it")
    elif out.exists() and any(out.iterdir()):
        raise InputError(str(out), "is not empty and not an mtqa corpus output folder")
    job.rows_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    for stale in job.rows_dir.glob(".*.tmp"):  # a write that was interrupted
        stale.unlink()
    if not resume:
        for part in job.rows_dir.glob("*.parquet"):
            part.unlink()
        return set()
    return set(job.rows_dir.glob("part-*.parquet"))
