"""Sentence splitting, measured: mtqa.text.segment against pysbd and sentencex.

Gold: the WMT MQM data in ../shared/data/mqm. For each document we join its segments
(Chinese without a separator, others with a space), split the joined text, and compare
the predicted boundaries with the known segment boundaries. A WMT "segment" is
sometimes two sentences, so a split inside one counts against precision although it
may be right: compare the systems with each other, not with 1.0. Where WMT puts a
closing quote at the start of the next segment, the gold boundary is moved after it
(mtqa keeps a closing quote with its sentence, by design). mtqa also ends a Chinese
sentence at ；, which WMT does not: that costs it some precision here, by design.

    python benchmarks/segment_eval.py [--limit-docs N]
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from mtqa.text.segment import split

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mqm"


def documents(path: Path, side: str, system: str | None) -> list[list[str]]:
    docs: dict[str, dict[int, str]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if side == "target" and r["system"] != system:
                continue
            docs[r["doc"]][r["doc_seg_index"]] = r[side].strip()
    return [[segs[i] for i in sorted(segs)] for segs in docs.values()]


def boundaries(segments: list[str], sep: str) -> tuple[str, set[int]]:
    text, cuts, pos = "", set(), 0
    for i, s in enumerate(segments):
        if i:
            text += sep
            pos += len(sep)
            cuts.add(pos)
        text += s
        pos += len(s)
    return text, cuts


_CLOSERS = "”’」』）》】\"')"


def keep_closers_with_sentence(text: str, gold: set[int]) -> set[int]:
    """WMT puts a closing quote that follows 。 at the start of the next segment; mtqa
    (like a typesetter) keeps it with its sentence. Move such gold boundaries past it."""
    out = set()
    for g in gold:
        while g < len(text) and text[g] in _CLOSERS and g > 0 and text[g - 1] in "。！？.!?":
            g += 1
        out.add(g)
    return out


def predicted(text: str, splitter: Callable[[str], list[tuple[int, int]]]) -> set[int]:
    return {s for s, _ in splitter(text)} - {0}


def evaluate(name: str, docs: list[list[str]], sep: str,
             splitter: Callable[[str], list[tuple[int, int]]]) -> dict[str, float]:
    tp = fp = fn = 0
    t0 = time.perf_counter()
    for segs in docs:
        text, gold = boundaries(segs, sep)
        gold = keep_closers_with_sentence(text, gold)
        pred = predicted(text, splitter)
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(1e-9, p + r),
            "seconds": time.perf_counter() - t0}


def spans_from_sentences(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        at = text.find(s, pos)
        if at < 0:
            continue
        out.append((at, at + len(s)))
        pos = at + len(s)
    return out


def splitters(lang: str) -> dict[str, Callable[[str], list[tuple[int, int]]]]:
    found: dict[str, Callable[[str], list[tuple[int, int]]]] = {
        "mtqa": lambda t: split(t, lang)}
    try:
        import pysbd

        seg = pysbd.Segmenter(language=lang, clean=False)
        found["pysbd"] = lambda t: spans_from_sentences(t, seg.segment(t))
    except ImportError:
        pass
    try:
        from sentencex import segment

        found["sentencex"] = lambda t: spans_from_sentences(t, list(segment(lang, t)))
    except ImportError:
        pass
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-docs", type=int, default=0)
    args = ap.parse_args()
    sets = [
        ("wmt23 zh source", DATA / "wmt23_zhen_dev.jsonl", "source", None, "zh", ""),
        ("wmt23 en MT (GPT4-5shot)", DATA / "wmt23_zhen_dev.jsonl", "target", "GPT4-5shot", "en", " "),
        ("wmt21 en source (TED)", DATA / "wmt21ted_ende.jsonl", "source", None, "en", " "),
        ("wmt21 de ref (TED)", DATA / "wmt21ted_ende.jsonl", "target", "ref", "de", " "),
    ]
    print(f"{'data':28} {'splitter':10} {'P':>6} {'R':>6} {'F1':>6} {'sec':>6}")
    for label, path, side, system, lang, sep in sets:
        docs = documents(path, side, system)
        if args.limit_docs:
            docs = docs[: args.limit_docs]
        for name, fn in splitters(lang).items():
            m = evaluate(name, docs, sep, fn)
            print(f"{label:28} {name:10} {m['precision']:6.3f} {m['recall']:6.3f} "
                  f"{m['f1']:6.3f} {m['seconds']:6.2f}")


if __name__ == "__main__":
    main()
