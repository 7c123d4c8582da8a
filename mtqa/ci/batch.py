"""Checking many documents in one process, or in a pool of worker processes.

Each worker builds the checks and the aligner (and so loads any model) once and reuses
them for every document it gets. Where ``fork`` is safe the workers start as copies of
this process, so what it had already imported costs nothing. Small batches run in
process: starting workers costs more than it saves (see README "CI gate").
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.model import Examined

# Below this many bytes of input a batch runs in one process. benchmarks/gate_speed.py
# measures starting two forked workers at 17-130 ms and checking at 2-12 ms per KB of
# source and translation (depending on the load), so a pool breaks even at 15-35 KB;
# near the break-even there is nothing to gain, so the threshold is about twice that
# (five 50-sentence articles).
MIN_PARALLEL_BYTES = 64_000


@dataclass(frozen=True)
class Task:
    """File names (as they will appear in reports) of one document to check."""

    target: str
    source: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One task read, aligned and checked (not yet filtered or scored), or the input
    error that stopped it."""

    document: Examined | None
    signature: str = ""
    error: str | None = None


_STATE: dict[str, Any] = {}


def _setup(config: Config) -> None:
    from mtqa.checks.registry import all_checks
    from mtqa.pipeline import Run

    all_checks()  # import every check module once
    if _STATE.get("config") != config or "run" not in _STATE:
        _STATE["config"] = config
        _STATE["run"] = Run(config)


def aligner(config: Config) -> Any:
    """The aligner this process uses for ``config`` (built once)."""
    _setup(config)
    return _STATE["run"].aligner


def _run(task: Task) -> Outcome:
    """Read, align and check one task: the steps before the filter (the caller
    filters, scores and decides)."""
    from mtqa.pipeline import Run, load_inputs, signature

    run: Run = _STATE["run"]
    try:
        inputs = load_inputs([task.target], task.source, task.reference, run.config)
        examined = run.examine(inputs[0])
    except InputError as exc:  # carried as text: it does not pickle
        return Outcome(None, error=str(exc))
    return Outcome(examined, signature(run.checks, run.config, run.aligner, [examined]))


def workers_for(count: int, jobs: int = 0, size: int = 0) -> int:
    """Processes to use for ``count`` documents of ``size`` bytes in all: ``jobs`` when
    set, else one per core once the batch is large enough to pay for starting them."""
    if jobs > 0:
        return max(1, min(jobs, count))
    if count < 2 or size < MIN_PARALLEL_BYTES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, count))


def start_method() -> str:
    """``fork`` where it exists and is safe: workers start as copies of this process, with
    its imports. Once torch is loaded its thread pools make fork unsafe (a forked
    child can hang in them), so workers then start fresh and load the model once each."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and "torch" not in sys.modules:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def run_tasks(tasks: Sequence[Task], config: Config, workers: int = 1,
              advance: Callable[[Task], None] | None = None) -> list[Outcome]:
    """Check every task; outcomes come back in the order of ``tasks``."""
    return list(iter_tasks(tasks, config, workers, advance))


# How many tasks a pool may have submitted per worker beyond the one the caller waits
# for: enough to keep every worker busy, few enough that the checked documents waiting
# for their turn (whole, before the filter) stay a handful.
AHEAD_PER_WORKER = 2


def iter_tasks(tasks: Sequence[Task], config: Config, workers: int = 1,
               advance: Callable[[Task], None] | None = None) -> Iterator[Outcome]:
    """``run_tasks`` an outcome at a time, in the order of ``tasks``: in process, each
    task is checked when the caller asks for it; in a pool, at most a few tasks a worker
    are checked ahead of the caller, so that memory holds a few documents, not all."""
    _setup(config)
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            outcome = _run(task)
            if advance:
                advance(task)
            yield outcome
        return
    context = multiprocessing.get_context(start_method())
    window = max(1, workers * AHEAD_PER_WORKER)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_setup, initargs=(config,)) as pool:
        pending: deque[Future[Outcome]] = deque()
        submitted = 0
        for n in range(len(tasks)):
            while submitted < len(tasks) and submitted <= n + window:
                pending.append(pool.submit(_run, tasks[submitted]))
                submitted += 1
            outcome = pending.popleft().result()
            if advance:
                advance(tasks[n])
            yield outcome
