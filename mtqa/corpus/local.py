"""``--engine local``: one machine, a pool of worker processes, resumable.

The main process reads the inputs as a stream and cuts them into batches; each worker
holds the checks and the encoder (loaded once) and turns a batch into one Parquet file
of rows, written through a temporary file and a rename. At most two batches per
worker are in flight, so memory stays bounded however large the input is. A batch
whose file exists is not redone: after an interruption (Ctrl-C, a killed job, a
reboot) the same command carries on where it stopped.
"""
from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from mtqa.config import Config
from mtqa.corpus.job import Job, Source
from mtqa.corpus.pairs import Batch, batches
from mtqa.corpus.rows import Scorer

# Batches in flight per worker: one being scored, one waiting, so no worker idles while
# the reader cuts the next one.
IN_FLIGHT = 2


@dataclass(frozen=True)
class Done:
    """What a finished batch reports back."""

    input: int
    pairs: int
    errors: int
    done_bytes: int


# (input number, pairs finished, how far into that input the reader was after them)
Progress = Callable[[int, int, int], None]

_SCORER: dict[str, Scorer] = {}


def _init(config: Config, encoder: str | None) -> None:
    _SCORER["scorer"] = Scorer(config, encoder)


def _score(source: Source, batch: Batch, path: Path) -> Done:
    import pyarrow.parquet as pq

    table = _SCORER["scorer"].table(batch.pairs, source.path, source.format,
                                    source.source_lang, source.target_lang)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    errors = sum(1 for p in batch.pairs if p.error is not None)
    return Done(batch.input, len(batch.pairs), errors, batch.done_bytes)


def workers_default() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def run_local(job: Job, finished: set[Path], workers: int = 0,
              progress: Progress | None = None) -> int:
    """Score every batch of ``job`` not in ``finished``; returns the batches scored."""
    from mtqa.ci.batch import start_method

    workers = workers or workers_default()
    report = progress or (lambda source, pairs, done: None)
    todo = ((n, source, batch) for n, source in enumerate(job.inputs)
            for batch in batches(n, source.path, job.batch_size, source.source_lang,
                                 source.target_lang))
    scored = 0
    if workers <= 1:
        _init(job.config, job.encoder)
        for n, source, batch in todo:
            path = job.part_path(n, batch.number)
            if path not in finished:
                _score(source, batch, path)
                scored += 1
            report(n, len(batch.pairs), batch.done_bytes)
        return scored
    context = multiprocessing.get_context(start_method())
    pending: set[Future[Done]] = set()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init,
                             initargs=(job.config, job.encoder)) as pool:
        try:
            for n, source, batch in todo:
                path = job.part_path(n, batch.number)
                if path in finished:
                    report(n, len(batch.pairs), batch.done_bytes)
                    continue
                while len(pending) >= IN_FLIGHT * workers:
                    ready, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in ready:
                        done = future.result()
                        report(done.input, done.pairs, done.done_bytes)
                pending.add(pool.submit(_score, source, batch, path))
                scored += 1
            for future in pending:
                done = future.result()
                report(done.input, done.pairs, done.done_bytes)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return scored
