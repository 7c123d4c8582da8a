"""What ``mtqa corpus`` shows in the terminal: a progress bar on stderr while it runs,
the summary on stdout when it is done."""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

from mtqa.corpus.job import Job
from mtqa.corpus.local import Progress
from mtqa.corpus.summary import Summary, renderables


@contextlib.contextmanager
def progress_bar(paths: Sequence[str], quiet: bool) -> Iterator[Progress | None]:
    """A bar over the bytes of the inputs (they are streamed, so their pair count is
    not known in advance), with the pairs done so far."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    reached = [0] * len(paths)
    pairs = [0]
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.fields[pairs]:,} pairs"), TimeRemainingColumn(),
                  transient=True, console=Console(file=sys.stderr)) as bar:
        task = bar.add_task("checking", total=max(1, sum(sizes)), pairs=0)

        def advance(source: int, count: int, done_bytes: int) -> None:
            reached[source] = max(reached[source], done_bytes)
            pairs[0] += count
            bar.update(task, completed=sum(reached), pairs=pairs[0])

        yield advance


def show_summary(job: Job, summary: Summary) -> None:
    from rich.console import Console

    console = Console()
    for item in renderables(summary):
        console.print(item)
    console.print(f"Rows: {job.rows_dir}  Summary: {job.out / 'summary.html'}"
                  + (f"  Kept: {job.out / 'kept'}" if summary.kept is not None else ""),
                  highlight=False, soft_wrap=True)
