"""Would Hunspell (Debian ``hunspell`` + ``hunspell-en-us``) be precise enough for mtqa?

Sends the English targets of the WMT23 zh-en MQM data through ``hunspell -a`` (one
process, pipe mode) and counts, for the flagged words, how many overlap a rater-marked
Fluency, Style or Locale error; also for words that are not capitalised (names are the
obvious false alarms).

    python benchmarks/spelling_eval.py [--limit N]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = next((p / "shared" / "data" / "mqm" for p in ROOT.parents
             if (p / "shared" / "data" / "mqm").is_dir()), ROOT.parent / "shared" / "data" / "mqm")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    if not shutil.which("hunspell"):
        sys.exit("hunspell is not installed (apt-get install hunspell hunspell-en-us)")
    rows = [json.loads(line) for line in (DATA / "wmt23_zhen_dev.jsonl").open(encoding="utf-8")]
    rows = rows[:args.limit] if args.limit else rows
    t0 = time.perf_counter()
    # One word per line: "^" keeps hunspell from reading a line as a command.
    words = [(i, m) for i, r in enumerate(rows) for m in _WORD.finditer(r["target"])]
    feed = "".join(f"^{m.group()}\n" for _, m in words)
    out = subprocess.run(["hunspell", "-a", "-d", "en_US"], input=feed, capture_output=True,
                         text=True, check=True).stdout.split("\n")
    answers = [line for line in out[1:] if line]  # first line is the banner
    elapsed = time.perf_counter() - t0
    stats = {"all": [0, 0], "lowercase": [0, 0]}
    examples: list[str] = []
    for (i, m), answer in zip(words, answers):
        if answer[0] not in "&#":
            continue
        errors = [e for e in rows[i]["errors"] if e["span_side"] == "target"
                  and e["category"].split("/")[0] in ("Fluency", "Style", "Locale convention")]
        hit = any(e["span_start"] < m.end() and m.start() < e["span_end"] for e in errors)
        for key in ("all", "lowercase") if m.group()[0].islower() else ("all",):
            stats[key][0] += 1
            stats[key][1] += hit
        if m.group()[0].islower() and len(examples) < 15:
            examples.append(f"{m.group()}{' (marked)' if hit else ''}")
    print(f"{len(rows)} segments, {len(words)} words in {elapsed:.1f} s")
    for key, (n, hit) in stats.items():
        print(f"{key} flagged words: {n}, overlapping a marked error: {hit} "
              f"({hit / max(n, 1):.2f})")
    print("lowercase flagged, a sample:", ", ".join(examples))


if __name__ == "__main__":
    main()
