"""How many terminology and inconsistency errors marked by MQM raters the TE/CO checks
find, and how precise their flags are.

Data: ``/work/shared/data/mqm/wmt23_zhen_dev.jsonl`` (WMT23 zh-en, 10 systems x 18
news documents, MQM annotations by several raters). Each (system, document) is checked
as one bilingual document (segment i of the source aligned with segment i of the
translation), with the shipped cpc-terms glossary.

* recall: rater errors in ``Terminology/*`` or ``Fluency/Inconsistency`` whose target
  span overlaps a TE/CO issue in the same segment (an issue lists all locations of a
  variant group; each location counts);
* precision (automatic): TE/CO locations that overlap any rater error span in that
  segment. Raters miss things, so the script also prints a sample of flags to read.

    python benchmarks/term_eval.py [--sample 25] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "mqm"
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm")

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import enabled_checks  # noqa: E402
from mtqa.config import Config  # noqa: E402
from mtqa.glossary import load_glossaries  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402

_WHERE = re.compile(r"(\d+):(\d+)")


def is_target(category: str) -> bool:
    return category.startswith("Terminology/") or category == "Fluency/Inconsistency"


def locations(issue, doc: Document) -> list[tuple[int, int, int]]:
    """(segment, start, end) of every place an issue names: its target, and for group
    issues every line:col listed in the message (one segment per line here)."""
    out = [(issue.target.segment, issue.target.start, issue.target.end)]
    if issue.code.startswith("CO"):
        for m in _WHERE.finditer(issue.message):
            seg, col = int(m.group(1)) - 1, int(m.group(2)) - 1
            if 0 <= seg < len(doc.segments):
                out.append((seg, col, col + max(1, len(issue.target.text))))
    return list(dict.fromkeys(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", default="wmt23_zhen_dev.jsonl",
                        help="an MQM file in the data folder (wmt21ted_ende.jsonl: en-de, "
                             "where only the language-independent checks apply)")
    args = parser.parse_args()
    src_lang, tgt_lang = ("en", "de") if "ende" in args.file else ("zh", "en")
    with open(DATA / args.file, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    docs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        docs[(r["system"], r["doc"])].append(r)
    glossary = (load_glossaries([ROOT / "references" / "glossaries" / "cpc-terms.zh-en.tsv"])
                if src_lang == "zh" else None)
    checks = enabled_checks(Config(select=("TE", "CO")))
    wanted = found = flags = hits = n_issues = issue_hits = 0
    per_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sample = []
    for (system, name), segs in sorted(docs.items()):
        segs.sort(key=lambda r: r["doc_seg_index"])
        src = Document(name, src_lang, tuple(Segment(r["source"], i + 1, 1, -1, i)
                                         for i, r in enumerate(segs)))
        tgt = Document(name, tgt_lang, tuple(Segment(r["target"], i + 1, 1, -1, i)
                                         for i, r in enumerate(segs)))
        ctx = Context(target=tgt, source=src, glossary=glossary,
                      alignment=tuple(Bead((i,), (i,)) for i in range(len(segs))))
        issues = run_checks(ctx, checks)
        spans = [set() for _ in segs]
        for i, r in enumerate(segs):
            for e in r["errors"]:
                if e.get("span_side") == "target" and e.get("span_start") is not None:
                    spans[i].add((e["span_start"], e["span_end"], e["category"]))
        places = [(iss, loc) for iss in issues for loc in locations(iss, tgt)]
        for i in range(len(segs)):
            for a, b, cat in spans[i]:
                if not is_target(cat):
                    continue
                wanted += 1
                if any(s == i and a < e and st < b for _, (s, st, e) in places):
                    found += 1
        for iss, (s, st, e) in places:
            flags += 1
            ok = any(a < e and st < b for a, b, _ in spans[s])
            hits += ok
            per_code[iss.code][0] += 1
            per_code[iss.code][1] += ok
        for iss in issues:
            n_issues += 1
            t = iss.target
            issue_hits += any(a < t.end and t.start < b for a, b, _ in spans[t.segment])
        sample.extend((system, name, iss) for iss in issues)
    print(f"documents: {len(docs)}; rater Terminology/* + Fluency/Inconsistency target "
          f"spans: {wanted}")
    print(f"found by TE/CO: {found} ({100 * found / max(1, wanted):.1f}%)")
    print(f"TE/CO flagged locations: {flags}; overlapping a rater error of any category: "
          f"{hits} ({100 * hits / max(1, flags):.1f}%)")
    print(f"TE/CO issues: {n_issues}; whose flagged span overlaps a rater error: "
          f"{issue_hits} ({100 * issue_hits / max(1, n_issues):.1f}%)")
    for code in sorted(per_code):
        n, ok = per_code[code]
        print(f"  {code}: {n} locations, {ok} on a rater error ({100 * ok / max(1, n):.0f}%)")
    random.Random(args.seed).shuffle(sample)
    print(f"\nsample of {min(args.sample, len(sample))} issues to read:")
    for system, name, iss in sample[:args.sample]:
        print(f"- [{iss.code}] {system} {name} seg {iss.target.segment + 1}: "
              f"{iss.target.text!r}: {iss.message[:160]}")


if __name__ == "__main__":
    main()
