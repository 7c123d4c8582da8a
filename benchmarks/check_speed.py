"""Throughput of all target-only checks together, on one core.

Runs every default-on check that needs nothing but the translation over real English
and German machine-translation segments (the targets of the WMT MQM data, cycled to
``--segments``), grouped in documents of 10 segments as in the data, and prints
segments per second. Target: 20,000 segments/s or more.

    python benchmarks/check_speed.py [--segments N] [--repeat R]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import all_checks  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402

DATA = next((p / "shared" / "data" / "mqm" for p in ROOT.parents
             if (p / "shared" / "data" / "mqm").is_dir()), ROOT.parent / "shared" / "data" / "mqm")
FILES = {"wmt23_zhen_dev.jsonl": "en", "wmt21ted_ende.jsonl": "de"}


def documents(n: int, data: Path = DATA) -> list[Document]:
    texts: list[tuple[str, str]] = []
    for name, lang in FILES.items():
        with (data / name).open(encoding="utf-8") as fh:
            texts.extend((json.loads(line)["target"], lang) for line in fh)
    docs, i = [], 0
    while i < n:
        chunk = [texts[(i + k) % len(texts)] for k in range(min(10, n - i))]
        lang = chunk[0][1]
        segs = tuple(Segment(t, k + 1, 1, -1, k, "unit") for k, (t, _) in enumerate(chunk))
        docs.append(Document(None, lang, segs, "jsonl"))
        i += len(chunk)
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segments", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=5, help="slowest checks to list")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--only", nargs="*", default=[],
                    help="code prefixes to time (e.g. AC EX FL LO TG: the issue-4 suite)")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no MQM data under {args.data}")
    checks = [cls() for cls in all_checks() if cls.default_enabled and not cls.requires
              and (not args.only or cls.code.startswith(tuple(args.only)))]
    docs = documents(args.segments, args.data)
    contexts = [Context(target=d, alignment=tuple(Bead((), (j,)) for j in range(len(d.segments))))
                for d in docs]
    # A calibration loop, to compare machines (this one may be shared).
    c0 = time.process_time()
    x = 0
    for i in range(5_000_000):
        x += i
    calibration = time.process_time() - c0
    best, first, issues = float("inf"), 0.0, 0
    for _ in range(args.repeat):
        t0 = time.process_time()
        issues = sum(len(run_checks(ctx, checks)) for ctx in contexts)
        spent = time.process_time() - t0
        first = first or spent
        best = min(best, spent)
    print(f"{len(checks)} target-only checks: {', '.join(c.code for c in checks)}")
    print(f"{args.segments} segments, {issues} issues, best of {args.repeat}: {best:.3f} s CPU "
          f"= {args.segments / best:,.0f} segments/s")
    # The first pass sees every text for the first time (the data has 9,186 distinct
    # segments, cycled): what a document of new text costs.
    print(f"first pass: {first:.3f} s CPU = {args.segments / first:,.0f} segments/s; "
          f"calibration (5M-step Python loop): {calibration:.2f} s CPU")
    per_check = []
    for check in checks:
        t0 = time.process_time()
        for ctx in contexts:
            if check.applies(ctx):  # as run_checks: CO04, CO05, CO07 are for English only
                list(check.run(ctx))
        per_check.append((time.process_time() - t0, check.code))
    print("slowest:", ", ".join(f"{c} {t * 1e6 / args.segments:.1f} us/seg"
                                for t, c in sorted(per_check, reverse=True)[:args.top]))


if __name__ == "__main__":
    main()
