"""``mtqa corpus``: plan, score with an engine, then summarise (and keep) in one pass."""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from mtqa.config import Config
from mtqa.corpus.job import DEFAULT_BATCH, Job, plan, prepare_out
from mtqa.corpus.keep import Keep, KeepError
from mtqa.corpus.local import Progress, run_local
from mtqa.corpus.summary import Summary, summarise, write_summary
from mtqa.errors import InputError

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class CorpusOptions:
    """How to run: none of these changes a row."""

    engine: str = "local"
    workers: int = 0  # 0: one per core (local) or per CPU of the cluster (ray)
    ray_address: str | None = None
    keep: str | None = None


def parse_keep(text: str | None) -> Keep | None:
    if text is None:
        return None
    try:
        return Keep(text)
    except KeepError as exc:
        raise InputError(None, str(exc)) from None


def run_corpus(paths: Sequence[str], out: str | os.PathLike[str], config: Config,
               encoder: str | None = None, batch_size: int = DEFAULT_BATCH,
               options: CorpusOptions | None = None,
               progress: Progress | None = None) -> tuple[Job, Summary]:
    """Check every pair of ``paths`` into ``out``; returns the job and its summary."""
    options = options or CorpusOptions()
    if options.engine not in ENGINES:
        raise InputError(None, f"unknown engine {options.engine!r} (local or ray)")
    keep = parse_keep(options.keep)  # a bad expression fails before any work
    if options.engine == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise InputError(None, "--engine ray needs Ray: pip install 'mtqa[ray]'") from None
    job = plan(paths, out, config, encoder, batch_size)
    finished = prepare_out(job, resume=options.engine == "local")
    if options.engine == "local":
        run_local(job, finished, options.workers, progress)
    else:
        from mtqa.corpus.ray_engine import run_ray

        run_ray(job, options.workers, options.ray_address)
    summary = summarise(job, keep)
    write_summary(summary, job)
    return job, summary
