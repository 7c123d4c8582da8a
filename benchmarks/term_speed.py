"""Speed of the terminology and consistency checks: a 300-term glossary over a
5,000-segment bilingual document, on one core.

The document is built from the WMT23 zh-en MQM segments (real Chinese sources and
English machine translations), repeated to 5,000 segments; the glossary is the shipped
cpc-terms glossary plus generated entries up to 300 terms (real Chinese bigrams from
the data as sources, so the source matcher has real work to do).

    python benchmarks/term_speed.py [--segments 5000] [--terms 300]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("MTQA_MQM", ROOT.parent / "shared" / "data" / "mqm"))
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm")

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import enabled_checks  # noqa: E402
from mtqa.config import Config  # noqa: E402
from mtqa.glossary import read_glossary  # noqa: E402
from mtqa.model import Bead, Document, Glossary, Segment, Term  # noqa: E402  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402


def build(segments: int, terms: int) -> tuple[Context, Glossary]:
    with open(DATA / "wmt23_zhen_dev.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    pairs = [(r["source"], r["target"]) for r in rows if r["source"] and r["target"]]
    src, tgt = [], []
    for i in range(segments):
        s, t = pairs[i % len(pairs)]
        src.append(Segment(s, i + 1, 1, -1, i))
        tgt.append(Segment(t, i + 1, 1, -1, i))
    base = read_glossary(ROOT / "references" / "glossaries" / "cpc-terms.zh-en.tsv")
    extra: list[Term] = []
    seen = {t.source for t in base}
    for s, t in pairs:
        # Renderings are content words of the translation, as glossary entries are.
        words = [w.strip(".,;:\"'()") for w in t.split() if len(w.strip(".,;:\"'()")) >= 5]
        for k in range(0, len(s) - 3, 7):
            piece = s[k:k + 3]
            if piece not in seen and all("\u4e00" <= c <= "\u9fff" for c in piece):
                seen.add(piece)
                rendering = " ".join(words[k % max(1, len(words) - 1):][:2]) or "term"
                extra.append(Term(piece, (rendering,), (rendering + " wrong",)))
            if len(base) + len(extra) >= terms:
                break
        if len(base) + len(extra) >= terms:
            break
    glossary = Glossary(tuple(base) + tuple(extra))
    source = Document("bench.zh", "zh", tuple(src))
    target = Document("bench.en", "en", tuple(tgt))
    beads = tuple(Bead((i,), (i,)) for i in range(segments))
    return Context(target=target, source=source, alignment=beads, glossary=glossary), glossary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=5000)
    parser.add_argument("--terms", type=int, default=300)
    parser.add_argument("--select", default="TE,CO", help="checks to time (codes/prefixes)")
    args = parser.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    ctx, glossary = build(args.segments, args.terms)
    checks = enabled_checks(Config(select=tuple(args.select.split(","))))
    words = sum(len(s.text.split()) for s in ctx.target.segments)
    print(f"{len(glossary)} glossary terms, {len(ctx.target.segments)} segments, {words} words")
    # This machine may be shared: report CPU time (what one core spends) beside wall
    # time, and a calibration loop to compare machines.
    c0, w0 = time.process_time(), time.perf_counter()
    x = 0
    for i in range(5_000_000):
        x += i
    print(f"calibration: 5M-step Python loop {time.process_time() - c0:.2f} s CPU, "
          f"{time.perf_counter() - w0:.2f} s wall")
    c0, w0 = time.process_time(), time.perf_counter()
    issues = run_checks(ctx, checks)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    for check in checks:  # again, one by one (warm caches: shared matches, names)
        t0 = time.process_time()
        n = len(list(check.run(ctx))) if check.applies(ctx) else 0
        print(f"  {check.code} {check.name:32s} {time.process_time() - t0:6.2f} s CPU  "
              f"{n} issues")
    print(f"checks {args.select}, cold: {cpu:.2f} s CPU, {wall:.2f} s wall "
          f"({len(issues)} issues)")


if __name__ == "__main__":
    main()
