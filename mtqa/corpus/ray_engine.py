"""``--engine ray``: the same batches and rows as Ray Data stages.

``read_datasource`` (one read task per input file, streaming it with mtqa's readers and
yielding one block per batch) -> ``map_batches`` (a pool of actors, each holding the
checks and the encoder, scoring whole blocks) -> ``write_parquet`` (into ``OUT/rows``).
Batches are cut exactly as the local engine cuts them and each is scored in one go, so
the rows are identical. It runs on a local Ray (started here with ``workers`` CPUs and
stopped at the end) or on an existing cluster (``--ray-address``, or a Ray already
initialised by the caller, which is left running). Every node needs mtqa (with
``mtqa[ray]``) installed and the inputs at the same path. Ray is imported only here.

Unlike the local engine it is not resumable: a failed run is rerun whole.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from mtqa.config import Config
from mtqa.corpus.job import Job, Source
from mtqa.corpus.pairs import batches

# Columns of the blocks between the read and the scoring.
_PAIR_COLUMNS = ("input", "batch", "index", "id", "source", "target", "reference", "error")


def _pair_blocks(number: int, source: Source, size: int) -> Iterator[Any]:
    import pyarrow as pa

    for batch in batches(number, source.path, size, source.source_lang, source.target_lang):
        yield pa.table({
            "input": [number] * len(batch.pairs), "batch": [batch.number] * len(batch.pairs),
            "index": [p.index for p in batch.pairs], "id": [p.id for p in batch.pairs],
            "source": [p.source for p in batch.pairs], "target": [p.target for p in batch.pairs],
            "reference": pa.array([p.reference for p in batch.pairs], pa.string()),
            "error": pa.array([p.error for p in batch.pairs], pa.string()),
        })


def _datasource(job: Job) -> Any:
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    class PairsDatasource(Datasource):
        """One read task per input file."""

        def estimate_inmemory_data_size(self) -> int | None:
            return sum(os.path.getsize(s.path) for s in job.inputs)

        def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                           data_context: Any = None) -> list[Any]:
            tasks = []
            for number, source in enumerate(job.inputs):
                meta = BlockMetadata(num_rows=None, size_bytes=os.path.getsize(source.path),
                                     input_files=(source.path,), exec_stats=None)

                def read(number: int = number, source: Source = source) -> Iterator[Any]:
                    return _pair_blocks(number, source, job.batch_size)

                tasks.append(ReadTask(read, meta))
            return tasks

    return PairsDatasource()


class _ScoreActor:
    """A Ray actor: loads the checks and the encoder once, then scores blocks."""

    def __init__(self, config: Config, encoder: str | None, inputs: tuple[Source, ...]) -> None:
        from mtqa.corpus.rows import Scorer

        self.scorer = Scorer(config, encoder)
        self.inputs = inputs

    def __call__(self, block: Any) -> Any:
        import pyarrow as pa

        from mtqa.corpus.pairs import Pair

        columns = block.to_pydict()
        tables = []
        # A block is normally one batch; group anyway so a merged block is scored per
        # batch, as the local engine does.
        start = 0
        count = block.num_rows
        while start < count:
            key = (columns["input"][start], columns["batch"][start])
            end = start
            while end < count and (columns["input"][end], columns["batch"][end]) == key:
                end += 1
            pairs = [Pair(columns["index"][i], columns["id"][i], columns["source"][i],
                          columns["target"][i], columns["reference"][i], columns["error"][i])
                     for i in range(start, end)]
            source = self.inputs[key[0]]
            tables.append(self.scorer.table(pairs, source.path, source.format,
                                            source.source_lang, source.target_lang))
            start = end
        from mtqa.corpus.rows import schema

        return pa.concat_tables(tables) if tables else schema().empty_table()


def run_ray(job: Job, workers: int = 0, address: str | None = None) -> None:
    """Score ``job`` with Ray Data into ``OUT/rows`` (replacing what is there)."""
    import ray
    import ray.data

    # Ray Data logs every execution plan at INFO; the summary says what matters.
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
        else:
            ray.init(num_cpus=workers or None, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR)
        started = True
    try:
        for old in job.rows_dir.glob("*.parquet"):
            old.unlink()
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        actors = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        # The actors take the CPUs; reading and writing ask for none, or with as many
        # actors as CPUs they would wait for ever. They are light (parsing and Parquet
        # I/O), and Ray Data's backpressure keeps them from running ahead.
        dataset = ray.data.read_datasource(_datasource(job), num_cpus=0)
        scored = dataset.map_batches(
            _ScoreActor, fn_constructor_kwargs={"config": job.config, "encoder": job.encoder,
                                                "inputs": job.inputs},
            batch_size=None, batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        scored.write_parquet(str(job.rows_dir.resolve()), ray_remote_args={"num_cpus": 0})
    finally:
        if started:
            ray.shutdown()
