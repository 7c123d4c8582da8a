"""``mtqa fix`` on real machine translation: do its fixes land on errors that
professional raters marked, and does fixing ever add an issue?

Each (system, document) of the WMT MQM data becomes one JSONL file (source, target),
and ``mtqa fix`` runs on it as on a user's file (with and without ``--unsafe-fixes``).
For every fix of the first pass:

* matched: its span overlaps a target span that a rater marked with an MQM category
  the check claims (the claims of ``benchmarks/check_eval.py``; the consistency checks
  claim none, since raters mark one segment at a time, and show "-");
* baseline: the same for a span of the same length at a random place of the same
  segment -- how often a fix would "match" by chance, since raters mark a lot.

Then the fixed file is checked again, and every issue code that has more issues than
the first check found minus the fixes made is counted as a regression (the property
``tests/test_fix_properties.py`` asserts on generated text, here on real MT).

zh-en (news, English targets) is the domain mtqa was built on; en-de (TED talks,
German targets) is out of domain, and most fixing checks are English-only. Rates come
with a 95% bootstrap interval over documents (documents, not fixes, are resampled).

    python benchmarks/fix_eval.py [--data DIR] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from check_eval import CLAIMS, DATA, FILES, _claims

from mtqa.checks.base import Context
from mtqa.checks.registry import enabled_checks
from mtqa.config import Config
from mtqa.fixes.apply import FileFix, Options, fix_bytes
from mtqa.model import Bead
from mtqa.pipeline import run_checks
from mtqa.readers import documents_from_units
from mtqa.readers.bilingual import parse_jsonl


def load(data: Path, limit: int | None) -> dict[str, list[list[dict]]]:
    """Language pair -> documents (one system's records of one document, in order)."""
    out: dict[str, list[list[dict]]] = {}
    for name, (sl, tl) in FILES.items():
        path = data / name
        if not path.exists():
            continue
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["target"].strip() and r["source"].strip():
                    groups[(r["system"], r["doc"])].append(r)
        docs = [sorted(g, key=lambda r: r["doc_seg_index"]) for g in groups.values()]
        random.Random(0).shuffle(docs)
        out[f"{sl}-{tl}"] = docs[:limit] if limit else docs
    return out


def _file(records: list[dict]) -> bytes:
    return "".join(json.dumps({"source": r["source"], "target": r["target"]},
                              ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _codes(data: bytes, config: Config) -> Counter[str]:
    """Issue codes a check finds in the JSONL content ``data``."""
    src, tgt, _ = documents_from_units(parse_jsonl(data.decode("utf-8"), "doc.jsonl"),
                                       "doc.jsonl", "jsonl", config.source_lang,
                                       config.target_lang)
    beads = tuple(Bead((i,), (i,)) for i in range(len(tgt.segments)))
    ctx = Context(target=tgt, source=src, alignment=beads, config=config)
    return Counter(i.code for i in run_checks(ctx, enabled_checks(config)))


def _interval(per_doc: list[tuple[int, int]], samples: int = 1000) -> tuple[float, float]:
    """95% bootstrap interval of sum(hits)/sum(n) over documents."""
    rng = random.Random(1)
    rates = []
    for _ in range(samples):
        pick = [per_doc[rng.randrange(len(per_doc))] for _ in per_doc]
        n = sum(p[1] for p in pick)
        rates.append(sum(p[0] for p in pick) / n if n else 0.0)
    rates.sort()
    return rates[int(0.025 * samples)], rates[int(0.975 * samples)]


def evaluate(pair: str, docs: list[list[dict]], unsafe: bool) -> None:
    sl, tl = pair.split("-")
    config = Config(source_lang=sl, target_lang=tl)
    checks = enabled_checks(config)
    rng = random.Random(2)
    per_code: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # fixes, matched, base
    per_doc: list[tuple[int, int]] = []
    per_doc_base: list[tuple[int, int]] = []
    regressions: Counter[str] = Counter()
    documents_regressed = changed = skipped = 0
    for records in docs:
        data = _file(records)
        result: FileFix = fix_bytes(data, "doc.jsonl", config, checks, None,
                                    Options(unsafe=unsafe))
        skipped += result.skipped
        hits = base_hits = n = 0
        for applied in result.applied:
            loc = applied.issue.target
            if applied.pass_number != 1 or loc is None:
                continue
            errors = [e for e in records[loc.segment]["errors"]
                      if e["span_side"] == "target" and _claims(applied.issue.code, e["category"])]
            text = records[loc.segment]["target"]
            # The segment text is the stripped target; raters' offsets are into the
            # target as given: shift by the leading blanks.
            lead = len(text) - len(text.lstrip())
            start, end = loc.start + lead, loc.end + lead
            width = max(1, end - start)
            r0 = rng.randrange(0, max(1, len(text) - width + 1))
            hit = any(e["span_start"] < max(end, start + 1) and start < e["span_end"]
                      for e in errors)
            base = any(e["span_start"] < r0 + width and r0 < e["span_end"] for e in errors)
            counts = per_code[applied.issue.code]
            counts[0] += 1
            counts[1] += hit
            counts[2] += base
            hits, base_hits, n = hits + hit, base_hits + base, n + 1
        if n:
            per_doc.append((hits, n))
            per_doc_base.append((base_hits, n))
        if result.changed:
            changed += 1
            before, after = _codes(data, config), _codes(result.after, config)
            fixed = Counter(a.issue.code for a in result.applied if a.pass_number == 1)
            worse = {c: k - max(0, before[c] - fixed[c]) for c, k in after.items()
                     if k > max(0, before[c] - fixed[c])}
            regressions.update(worse)
            documents_regressed += bool(worse)
    label = "fix --unsafe-fixes" if unsafe else "fix"
    total = sum(c[0] for c in per_code.values())
    print(f"\n{pair}, {label}: {len(docs)} documents, {changed} changed, "
          f"{total} fixes on the first pass, {skipped} fixable issues left alone")
    if total:
        matched = sum(c[1] for c in per_code.values())
        base = sum(c[2] for c in per_code.values())
        # (The rates count every fix; a check without an MQM category never matches.)
        lo, hi = _interval(per_doc)
        blo, bhi = _interval(per_doc_base)
        print(f"  on a rater-marked error: {matched / total:.2f} [{lo:.2f}, {hi:.2f}]; "
              f"random span of the same length: {base / total:.2f} [{blo:.2f}, {bhi:.2f}]")
        print("  | check | fixes | on a marked error | random span |")
        print("  |---|---:|---:|---:|")
        for code in sorted(per_code):
            f, m, b = per_code[code]
            if code in CLAIMS:
                print(f"  | {code} | {f} | {m / f:.2f} | {b / f:.2f} |")
            else:  # MQM has no category for it (raters mark one segment at a time)
                print(f"  | {code} | {f} | - | - |")
    print(f"  documents where a re-check found more of some issue than before: "
          f"{documents_regressed} of {changed} changed"
          + (f" ({dict(regressions)})" if regressions else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=None, help="documents per language pair")
    args = ap.parse_args()
    pairs = load(args.data, args.limit)
    if not pairs:
        sys.exit(f"no MQM data under {args.data}")
    t0 = time.perf_counter()
    for pair, docs in pairs.items():
        for unsafe in (False, True):
            evaluate(pair, docs, unsafe)
    print(f"\n({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
