"""What ``mtqa fix`` costs next to ``mtqa check`` on the same file, in one process.

For each document (the example article in ``../shared/seed/`` when it is there, and the
team's example in ``references/examples/``), times ``check_files`` (what ``mtqa check``
runs: read, check, score) and ``fix_files`` (read, check, apply the fixes, check the
changed text again until nothing changes), safe fixes only and with unsafe fixes, and
prints the best of ``--repeat`` runs in CPU time, the ratio to checking, the passes and
the fixes.
Target: a safe fix costs at most 1.2x a check.

    python benchmarks/fix_speed.py [--repeat N]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.config import Config
from mtqa.fixes.apply import Options, fix_files
from mtqa.pipeline import check_files

SEED = next((p / "shared" / "seed" / "four-strong.mt.en.txt" for p in ROOT.parents
             if (p / "shared" / "seed").is_dir()), None)
EXAMPLE = ROOT / "references" / "examples" / "river-cleanup.mt.en.md"
EXAMPLE_GLOSSARY = ROOT / "references" / "glossaries" / "river-cleanup.zh-en.tsv"


def best(runs: list[Callable[[], object]], repeat: int) -> list[float]:
    """The fastest of ``repeat`` runs of each, in CPU seconds of this process (on a
    shared machine, wall time mostly measures the neighbours). The runs take turns, so
    that a burst of load slows all of them, not one."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, out in zip(runs, times):
            start = time.process_time()
            run()
            out.append(time.process_time() - start)
    return [min(t) for t in times]


def measure(name: str, path: Path, config: Config, repeat: int) -> None:
    target = [str(path)]
    safe, unsafe = Options(unsafe=False), Options(unsafe=True)
    check_files(target, config=config)  # warm: imports, regex compilation
    check, fixed, fixed_unsafe = best([lambda: check_files(target, config=config),
                                       lambda: fix_files(target, config, safe),
                                       lambda: fix_files(target, config, unsafe)], repeat)
    print(f"{name}: check {check * 1000:.1f} ms")
    for label, options, took in (("fix", safe, fixed),
                                 ("fix --unsafe-fixes", unsafe, fixed_unsafe)):
        result = fix_files(target, config, options)[0]
        print(f"  {label}: {took * 1000:.1f} ms = {took / check:.2f}x check; "
              f"{len(result.applied)} fixes in {result.passes} passes, "
              f"{result.skipped} left alone")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    if SEED is not None and SEED.is_file():
        measure("seed article (target only)", SEED, Config(), args.repeat)
    else:
        print("seed article: not found (../shared/seed/), skipped")
    measure("team example (with its glossary)", EXAMPLE,
            Config(glossaries=(str(EXAMPLE_GLOSSARY),)), args.repeat)


if __name__ == "__main__":
    main()
