"""Throughput and memory of ``mtqa corpus``: both engines, rules only and with the encoder.

Builds a JSONL corpus of pairs from the WMT MQM data (``/work/shared/data/mqm``: every
(source, translation) of every system, repeated and shuffled with a fixed seed) and runs
each configuration in a fresh process, which reports its wall time and peak RSS (its
own and its worker processes'; Ray's workers are not counted). Beside them, the
baseline: a bare batched encode of the same texts with the same encoder (what the
encoder alone costs; no checks, no I/O).

    python benchmarks/corpus_speed.py                       # the README's runs
    python benchmarks/corpus_speed.py --pairs 1000000       # the full-size run
    python benchmarks/corpus_speed.py --pairs 5000 --encoder-pairs 500 --no-ray

``--pairs`` is the largest rules-only size; the memory check also runs a quarter of it,
so peak memory can be compared as the input grows. Runs with the encoder use
``--encoder-pairs`` (encoding dominates there). Timings on a shared machine are noisy:
the script prints the load average beside every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MTQA_MQM_DATA", ROOT.parent / "shared" / "data" / "mqm"))
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm")

# The child: one corpus run, timed, with peak RSS of itself and its children.
_RUN = r"""
import json, resource, sys, time
from mtqa.config import Config
from mtqa.corpus.command import CorpusOptions, run_corpus
from mtqa.checks.registry import all_checks
corpus, out, engine, workers, encoder, checks = sys.argv[1:7]
# "none": every check off, the floor of reading, detecting, hashing and writing.
config = Config(ignore=tuple(sorted({c.code[:2] for c in all_checks()}))) \
    if checks == "none" else Config()
t0 = time.perf_counter()
job, summary = run_corpus([corpus], out, config, None if encoder == "none" else encoder,
                          1000, CorpusOptions(engine, int(workers)))
seconds = time.perf_counter() - t0
own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "rows": summary.read,
                  "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
                  "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# The baseline: encode the texts of the corpus in batches, nothing else.
_ENCODE = r"""
import json, sys, time
from mtqa.alignment.embed import load_encoder
texts = []
for line in open(sys.argv[1], encoding="utf-8"):
    obj = json.loads(line)
    texts += [obj["source"], obj["target"]]
encoder = load_encoder(sys.argv[2], cache=False)
encoder.encode(texts[:8])  # load the model outside the timing
t0 = time.perf_counter()
for at in range(0, len(texts), 2000):  # batches as a corpus batch of 1000 pairs has
    encoder.encode(texts[at:at + 2000])
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": len(texts) // 2}))
"""


def mqm_pairs() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                if obj.get("source") and obj.get("target"):
                    pairs.append((obj["source"], obj["target"]))
    return pairs


def write_corpus(path: Path, count: int, seed: int = 18) -> None:
    """``count`` pairs: the MQM pairs repeated as often as needed, shuffled."""
    base = mqm_pairs()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < count:
            chunk = base[:]
            rng.shuffle(chunk)
            for source, target in chunk[:count - written]:
                fh.write(json.dumps({"source": source, "target": target},
                                    ensure_ascii=False) + "\n")
            written += min(len(chunk), count - written)


def child(script: str, *args: str) -> dict[str, float]:
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["rows_per_s"] = result["rows"] / result["seconds"]
    result["load"] = load
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=20_000, help="largest rules-only size")
    parser.add_argument("--encoder-pairs", type=int, default=1_000)
    parser.add_argument("--encoder", default="default")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="no encoder runs")
    parser.add_argument("--baseline-only", action="store_true",
                        help="only the no-checks floor (at --pairs) and the bare encode")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    try:
        import ray  # noqa: F401
        engines = ["local"] if args.no_ray else ["local", "ray"]
    except ImportError:
        engines = ["local"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def measure(kind: str, pairs: int, engine: str, n: int, encoder: str,
                    checks: str = "all") -> None:
            corpus = folder / f"c{pairs}.jsonl"
            if not corpus.exists():
                write_corpus(corpus, pairs)
            out = folder / f"out-{kind}-{pairs}-{engine}-{n}-{encoder}-{checks}"
            if kind == "encode":
                r = child(_ENCODE, str(corpus), encoder)
            else:
                r = child(_RUN, str(corpus), str(out), engine, str(n), encoder, checks)
            r.update(kind=kind, pairs=pairs, engine=engine, workers=n, encoder=encoder,
                     checks=checks)
            results.append(r)
            mem = (f"  CPU {r['cpu_s']:.1f} s, peak RSS main {r['rss_main_mb']:.0f} MB, "
                   f"workers {r['rss_worker_mb']:.0f} MB" if "rss_main_mb" in r else "")
            print(f"{kind:7} {engine:5} workers={n} encoder={encoder:8} checks={checks:4} "
                  f"pairs={pairs:>9,}  "
                  f"{r['rows_per_s']:8.1f} pairs/s  ({r['seconds']:.1f} s, load {r['load']:.1f})"
                  f"{mem}", flush=True)

        if args.baseline_only:
            measure("corpus", args.pairs, "local", 1, "none", "none")
        else:
            for size in sorted({max(1, args.pairs // 4), args.pairs}):
                for n in workers:
                    measure("corpus", size, "local", n, "none")
            # The floor under the rules-only figures: the same run with every check off.
            measure("corpus", args.pairs, "local", 1, "none", "none")
            if "ray" in engines:
                for n in workers:
                    measure("corpus", args.pairs // 4, "ray", n, "none")
        if not args.rules_only:
            measure("encode", args.encoder_pairs, "-", 1, args.encoder)
        if not args.baseline_only and not args.rules_only:
            for engine in engines:
                for n in workers:
                    measure("corpus", args.encoder_pairs, engine, n, args.encoder)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
