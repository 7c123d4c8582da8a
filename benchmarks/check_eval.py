"""Per-check precision and recall against human MQM annotations.

Each (system, document) of the WMT MQM data becomes one bilingual document (one
segment per record, 1-1 beads), every registered check runs on it (default-off checks
too), and each issue is matched against the rater-marked errors of its segment in the
MQM categories the check claims (below). A flag matches when it overlaps a marked
target span (or, for errors marked on the source such as omissions, lies in the same
segment). Precision = matched flags / flags; recall = marked errors (of the claimed
categories) that some flag matches / all such errors.

    python benchmarks/check_eval.py [--data DIR] [--limit N] [--show CODE] [--calibrate]

``--show CODE`` prints a sample of that check's unmatched flags, to read before calling
them false (raters miss things).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.checks.base import Context  # noqa: E402
from mtqa.checks.registry import all_checks  # noqa: E402
from mtqa.model import Bead, Document, Segment  # noqa: E402
from mtqa.pipeline import run_checks  # noqa: E402

DATA = next((p / "shared" / "data" / "mqm" for p in ROOT.parents
             if (p / "shared" / "data" / "mqm").is_dir()), ROOT.parent / "shared" / "data" / "mqm")
FILES = {"wmt23_zhen_dev.jsonl": ("zh", "en"), "wmt21ted_ende.jsonl": ("en", "de")}

_UNTRANSLATED = {"Non-translation", "Accuracy/Source language fragment",
                 "Accuracy/Untranslated text"}
_ACCURACY = {"Accuracy/Mistranslation", "Accuracy/Omission", "Accuracy/Addition"}
_PUNCT = {"Fluency/Punctuation"}
_DEBRIS = {"Other", "Fluency/Text-Breaking", "Fluency/Character encoding",
           "Fluency/Display", "Accuracy/Addition"}
# The MQM categories (as the data spells them) each check claims to find.
CLAIMS: dict[str, set[str]] = {
    "AC01": _UNTRANSLATED, "AC02": _UNTRANSLATED, "AC03": _ACCURACY,
    "AC04": {"Accuracy/Omission", "Accuracy/Mistranslation"} | _UNTRANSLATED,
    "AC05": _ACCURACY, "AC06": {"Accuracy/Omission", "Accuracy/Addition"},
    "FL01": {"Fluency/Grammar", "Style/Awkward", "Accuracy/Addition"},
    "FL02": {"Fluency/Grammar", "Style/Awkward", "Accuracy/Addition"},
    "FL03": _PUNCT, "FL04": _PUNCT,
    "FL05": _PUNCT | {"Fluency/Grammar", "Style/Bad sentence structure",
                      "Fluency/Text-Breaking"},
    "FL06": _PUNCT, "FL07": _PUNCT,
    "FL08": {"Fluency/Spelling", "Fluency/Punctuation", "Fluency/Grammar"},
    "LO01": _PUNCT | {"LOCALE"}, "LO02": _PUNCT | {"LOCALE"}, "LO03": {"LOCALE"},
    "LO04": _PUNCT | {"LOCALE"}, "LO05": _PUNCT | {"LOCALE"}, "LO06": _PUNCT,
    "EX01": _DEBRIS, "EX02": _DEBRIS, "EX03": _DEBRIS, "EX04": _DEBRIS, "EX05": _DEBRIS,
    "EX06": _DEBRIS,
    # MQM has no category for page-title debris; raters mark the site name as whatever
    # they see (mistranslation, punctuation, spelling), so any marked error counts.
    "EX07": {"ANY"},
}


def _claims(code: str, category: str) -> bool:
    claimed = CLAIMS.get(code, set())
    return ("ANY" in claimed or category in claimed
            or ("LOCALE" in claimed and category.startswith("Locale")))


def load(data: Path, limit: int | None) -> list[tuple[str, str, list[dict]]]:
    """(source lang, target lang, records of one system's document in order)."""
    docs: list[tuple[str, str, list[dict]]] = []
    for name, (sl, tl) in FILES.items():
        path = data / name
        if not path.exists():
            continue
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                groups[(r["system"], r["doc"])].append(r)
        for records in groups.values():
            records.sort(key=lambda r: r["doc_seg_index"])
            docs.append((sl, tl, records))
    random.Random(0).shuffle(docs)
    return docs[:limit] if limit else docs


def document(records: list[dict], side: str, lang: str) -> Document:
    segs = tuple(Segment(r[side], i + 1, 1, -1, i, "unit") for i, r in enumerate(records))
    return Document(None, lang, segs, "jsonl")


def evaluate(docs: list[tuple[str, str, list[dict]]], show: str | None) -> None:
    checks = [cls() for cls in all_checks()]
    flags: dict[str, int] = defaultdict(int)
    matched: dict[str, int] = defaultdict(int)
    found_errors: dict[str, int] = defaultdict(int)
    total_errors: dict[str, int] = defaultdict(int)
    unmatched: dict[str, list[str]] = defaultdict(list)
    for sl, tl, records in docs:
        src, tgt = document(records, "source", sl), document(records, "target", tl)
        beads = tuple(Bead((i,), (i,)) for i in range(len(records)))
        ctx = Context(target=tgt, source=src, alignment=beads)
        issues = run_checks(ctx, checks)
        by_code: dict[str, list] = defaultdict(list)
        for issue in issues:
            by_code[issue.code].append(issue)
        for check in checks:
            code = check.code
            hit_errors: set[tuple[int, int]] = set()
            for issue in by_code.get(code, []):
                seg = issue.target.segment if issue.target else issue.source.segment
                errors = records[seg]["errors"]
                hit = False
                for k, e in enumerate(errors):
                    if not _claims(code, e["category"]):
                        continue
                    if e["span_side"] == "source" or issue.target is None:
                        ok = True
                    else:
                        ok = (e["span_start"] <= issue.target.end
                              and issue.target.start <= e["span_end"])
                    if ok:
                        hit = True
                        hit_errors.add((seg, k))
                flags[code] += 1
                matched[code] += hit
                if not hit:
                    t = records[seg]["target"]
                    loc = issue.target
                    unmatched[code].append(
                        f"{t[max(0, loc.start - 40):loc.start]}[[{loc.text}]]"
                        f"{t[loc.end:loc.end + 40]}  -- {issue.message}" if loc else issue.message)
            for i, r in enumerate(records):
                for k, e in enumerate(r["errors"]):
                    if _claims(code, e["category"]):
                        total_errors[code] += 1
                        found_errors[code] += (i, k) in hit_errors
    print(f"{len(docs)} documents, {sum(len(d[2]) for d in docs)} segments\n")
    print("| check | default | flags | matched | precision | claimed errors | recall |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for check in checks:
        c = check.code
        p = f"{matched[c] / flags[c]:.2f}" if flags[c] else "-"
        r = f"{found_errors[c] / total_errors[c]:.3f}" if total_errors[c] else "-"
        on = "on" if type(check).default_enabled else "off"
        print(f"| {c} {check.name} | {on} | {flags[c]} | {matched[c]} | {p} | "
              f"{total_errors[c]} | {r} |")
    if show:
        sample = unmatched.get(show.upper(), [])
        random.Random(1).shuffle(sample)
        print(f"\nunmatched {show.upper()} flags ({len(sample)}), a sample:")
        for line in sample[:40]:
            print(" -", line.replace("\n", " "))


def calibrate(docs: list[tuple[str, str, list[dict]]]) -> None:
    """Mean and sd of log(target/source characters), for AC06's LENGTH_RATIOS."""
    import re

    ratios: dict[str, list[float]] = defaultdict(list)
    for sl, tl, records in docs:
        for r in records:
            s = len(r["source"]) - r["source"].count(" ")
            t = len(r["target"]) - r["target"].count(" ")
            if sl == "zh":  # as AC06 counts: Han characters; Latin carries over
                s = len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", r["source"]))
                t -= len(re.findall(r"[A-Za-z0-9]", r["source"]))
            if s >= 5 and t > 0:
                ratios[f"{sl}-{tl}"].append(math.log(t / s))
    for pair, values in ratios.items():
        print(f"{pair}: mean {statistics.mean(values):.3f} sd {statistics.pstdev(values):.3f}"
              f" (n={len(values)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=None, help="documents to sample")
    ap.add_argument("--show", default=None, help="print unmatched flags of this check")
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args()
    docs = load(args.data, args.limit)
    if not docs:
        sys.exit(f"no MQM data under {args.data}")
    t0 = time.perf_counter()
    if args.calibrate:
        calibrate(docs)
    else:
        evaluate(docs, args.show)
    print(f"\n({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
