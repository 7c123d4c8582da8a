"""Would an offline grammar and spelling checker be precise enough for mtqa?

Runs Harper (``pip install harper-py``; not a dependency of mtqa) over the English
targets of the WMT23 zh-en MQM data and reports, per kind of lint, how many lints there
are and how many overlap a rater-marked Fluency, Style or Locale error, plus the speed.

    python benchmarks/grammar_eval.py [--limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = next((p / "shared" / "data" / "mqm" for p in ROOT.parents
             if (p / "shared" / "data" / "mqm").is_dir()), ROOT.parent / "shared" / "data" / "mqm")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    try:
        import harper
    except ImportError:
        sys.exit("harper-py is not installed (pip install harper-py)")
    rows = [json.loads(line) for line in (DATA / "wmt23_zhen_dev.jsonl").open(encoding="utf-8")]
    rows = rows[:args.limit] if args.limit else rows
    linter = harper.Linter()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    t0 = time.perf_counter()
    for r in rows:
        errors = [e for e in r["errors"] if e["span_side"] == "target"
                  and e["category"].split("/")[0] in ("Fluency", "Style", "Locale convention")]
        for lint in linter.lint(r["target"], language="plaintext"):
            s, e = lint.span.start, max(lint.span.end, lint.span.start + 1)
            hit = any(er["span_start"] < e and s < er["span_end"] for er in errors)
            stats[lint.lint_kind][0] += 1
            stats[lint.lint_kind][1] += hit
    elapsed = time.perf_counter() - t0
    print(f"{len(rows)} segments in {elapsed:.1f} s ({len(rows) / elapsed:.0f} segments/s)")
    print("| lint kind | lints | overlap a marked error | precision |")
    print("|---|---:|---:|---:|")
    for kind, (n, hit) in sorted(stats.items(), key=lambda kv: -kv[1][0]):
        print(f"| {kind} | {n} | {hit} | {hit / n:.2f} |")


if __name__ == "__main__":
    main()
