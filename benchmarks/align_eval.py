"""Alignment quality: strict and lax precision, recall and F1 against gold alignments.

Gold sets:

* ``mqm-zhen``: the WMT23 zh-en MQM documents (``../shared/data/mqm``). Per system, each
  document's segments are joined into one paragraph per side and re-split with mtqa's
  sentence splitter; a sentence belongs to the segment it came from, so the gold beads
  are the segments (1-1, or 1-2 and 2-1 where the splitter or the MT split a segment).
  ``mqm-zhen-long`` concatenates all documents of a system into one long document.
* ``mqm-ende``: the same on the WMT21 TED en-de documents (31 to 159 segments each).
* ``*+noise``: the same documents with about 10% of the target segments deleted (their
  source sentences become 1-0 beads) and as many unrelated target sentences from other
  documents inserted (0-1 beads).
* ``mqm-*-merged``: each segment taken as one sentence (no re-splitting, so the gold is
  exact and minimal), with about 15% of neighbouring segments merged into one sentence
  on the source side and 15% on the target side (2-1, 1-2, 2-2 beads), 5% of target
  segments deleted and 5% unrelated target sentences inserted.
  The re-split sets above have segment-level gold: where a segment holds two sentences
  on both sides, a finer correct 1-1 + 1-1 counts as wrong under the strict measure.
* ``hand-zhen``: a hand-aligned zh-en article in ``benchmarks/data`` with merges,
  splits, an omission and an addition.

Scores follow the usual definition for sentence alignment (as in Vecalign's scorer):
strict counts a predicted bead as correct only when it is exactly a gold bead; lax
counts it as correct when it shares a source and a target sentence with a gold bead (a
1-0/0-1 bead must match exactly). Recall swaps the roles.

Run: ``python benchmarks/align_eval.py [--systems 3] [--aligners gale-church,embedding]``
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.align import EmbeddingAligner, LengthAligner  # noqa: E402
from mtqa.segment import split  # noqa: E402

# The shared data sits next to the checkout (../shared), or one level up from a worktree.
MQM = next((p / "shared" / "data" / "mqm" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "data" / "mqm").exists()), ROOT.parent / "shared" / "data" / "mqm")
HAND = ROOT / "benchmarks" / "data" / "hand-aligned.zh-en.tsv"

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


class GoldDoc:
    def __init__(self, name: str, src: list[str], tgt: list[str], gold: Beads,
                 src_lang: str, tgt_lang: str) -> None:
        self.name, self.src, self.tgt, self.gold = name, src, tgt, gold
        self.src_lang, self.tgt_lang = src_lang, tgt_lang


def _split_units(units: Sequence[str], lang: str) -> tuple[list[str], list[list[int]]]:
    """Join units into one paragraph, re-split; sentence ids of each unit (merged where a
    sentence spans two units)."""
    sep = "" if lang in ("zh", "ja") else " "
    text, bounds, pos = "", [], 0
    for u in units:
        u = u.strip()
        bounds.append((pos, pos + len(u)))
        text += u + sep
        pos += len(u) + len(sep)
    sents, owner = [], []
    for start, end in split(text, lang):
        sents.append(text[start:end])
        owner.append([k for k, (a, b) in enumerate(bounds) if a < end and start < b])
    per_unit: list[list[int]] = [[] for _ in units]
    for sid, units_of in enumerate(owner):
        for k in units_of:
            per_unit[k].append(sid)
    return sents, per_unit


def gold_from_units(name: str, src_units: Sequence[str], tgt_units: Sequence[str | None],
                    src_lang: str, tgt_lang: str) -> GoldDoc:
    """A gold document from parallel units; a ``None`` target unit is an omission and a
    unit with an empty source (``""``) is an addition."""
    src_sents, src_of = _split_units([s or "" for s in src_units], src_lang)
    tgt_sents, tgt_of = _split_units([t or "" for t in tgt_units], tgt_lang)
    # Units that share a sentence (a segment without final punctuation) are one bead.
    parent = list(range(len(src_units)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for table in (src_of, tgt_of):
        first_unit: dict[int, int] = {}
        for k, ids in enumerate(table):
            for sid in ids:
                if sid in first_unit:
                    parent[find(k)] = find(first_unit[sid])
                else:
                    first_unit[sid] = k
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(src_units)):
        groups[find(k)].append(k)
    gold: Beads = []
    for root in sorted(groups, key=lambda r: min(groups[r])):
        ks = groups[root]
        s = tuple(sorted({i for k in ks for i in src_of[k]}))
        t = tuple(sorted({j for k in ks for j in tgt_of[k]}))
        if s and t:
            gold.append((s, t))
        else:  # omissions and additions are one bead per sentence
            gold.extend(((i,), ()) for i in s)
            gold.extend(((), (j,)) for j in t)
    return GoldDoc(name, src_sents, tgt_sents, gold, src_lang, tgt_lang)


def _load_mqm(file: str) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """system -> doc -> [(source, target)] in segment order."""
    rows = [json.loads(line) for line in (MQM / file).open(encoding="utf-8")]
    out: dict[str, dict[str, list[tuple[int, str, str]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.get("is_human_reference"):
            continue
        out[r["system"]][r["doc"]].append((r["doc_seg_index"], r["source"], r["target"]))
    return {s: {d: [(a, b) for _, a, b in sorted(v)] for d, v in docs.items()}
            for s, docs in out.items()}


def _noisy(pairs: list[tuple[str, str]], pool: list[str], rng: random.Random,
           rate: float = 0.1) -> tuple[list[str], list[str | None]]:
    src: list[str] = []
    tgt: list[str | None] = []
    for s, t in pairs:
        if rng.random() < rate / 2 and pool:
            src.append("")
            tgt.append(rng.choice(pool))
        src.append(s)
        tgt.append(None if rng.random() < rate / 2 else t)
    return src, tgt


def merged_doc(name: str, pairs: list[tuple[str, str]], pool: list[str], rng: random.Random,
               src_lang: str, tgt_lang: str, merge: float = 0.15,
               noise: float = 0.05) -> GoldDoc:
    """Segments as sentences; neighbours merged on either side; deletions, insertions."""
    ssep = "" if src_lang in ("zh", "ja") else " "
    tsep = "" if tgt_lang in ("zh", "ja") else " "
    src: list[str] = []
    tgt: list[str] = []
    gold: Beads = []
    k = 0
    while k < len(pairs):
        roll = rng.random()
        if roll < noise:  # an unrelated target sentence
            tgt.append(rng.choice(pool))
            gold.append(((), (len(tgt) - 1,)))
        roll = rng.random()
        if roll < noise:  # the target of this segment is missing
            src.append(pairs[k][0])
            gold.append(((len(src) - 1,), ()))
            k += 1
            continue
        take = 2 if k + 1 < len(pairs) and rng.random() < 2 * merge else 1
        group = pairs[k:k + take]
        k += take
        if take == 1:
            src.append(group[0][0])
            tgt.append(group[0][1])
            gold.append(((len(src) - 1,), (len(tgt) - 1,)))
            continue
        side = rng.random()
        s_ids = [len(src)]
        t_ids = [len(tgt)]
        if side < 0.45:  # merged source sentence -> 1-2
            src.append(ssep.join(s for s, _ in group))
            tgt.extend(t for _, t in group)
            t_ids = [len(tgt) - 2, len(tgt) - 1]
        elif side < 0.9:  # merged target sentence -> 2-1
            src.extend(s for s, _ in group)
            tgt.append(tsep.join(t for _, t in group))
            s_ids = [len(src) - 2, len(src) - 1]
        else:  # two sentences cut differently on the two sides -> 2-2
            (s1, t1), (s2, t2) = group
            cut_s, cut_t = len(s1) + len(s2) // 2, len(t1) // 2
            whole_s, whole_t = s1 + ssep + s2, t1 + tsep + t2
            src.extend([whole_s[:cut_s], whole_s[cut_s:]])
            tgt.extend([whole_t[:cut_t], whole_t[cut_t:]])
            s_ids = [len(src) - 2, len(src) - 1]
            t_ids = [len(tgt) - 2, len(tgt) - 1]
        gold.append((tuple(s_ids), tuple(t_ids)))
    return GoldDoc(name, src, tgt, gold, src_lang, tgt_lang)


def mqm_sets(systems: int, seed: int = 13) -> dict[str, list[GoldDoc]]:
    sets: dict[str, list[GoldDoc]] = {}
    rng = random.Random(seed)
    for file, key, sl, tl in (("wmt23_zhen_dev.jsonl", "zhen", "zh", "en"),
                              ("wmt21ted_ende.jsonl", "ende", "en", "de")):
        if not (MQM / file).exists():
            continue
        data = _load_mqm(file)
        chosen = sorted(data)[:systems]
        plain, noisy, long, merged = [], [], [], []
        for system in chosen:
            docs = data[system]
            pool = [t for other in data.values() for d, ps in other.items() for _, t in ps]
            for doc, pairs in sorted(docs.items()):
                plain.append(gold_from_units(f"{system}/{doc}", [s for s, _ in pairs],
                                             [t for _, t in pairs], sl, tl))
                others = [t for d, ps in docs.items() if d != doc for _, t in ps]
                src, tgt = _noisy(pairs, others or pool, rng)
                noisy.append(gold_from_units(f"{system}/{doc}+noise", src, tgt, sl, tl))
                merged.append(merged_doc(f"{system}/{doc}+merged", pairs, others or pool, rng,
                                         sl, tl))
            if key == "zhen":
                allpairs = [p for _, ps in sorted(docs.items()) for p in ps]
                long.append(gold_from_units(f"{system}/all", [s for s, _ in allpairs],
                                            [t for _, t in allpairs], sl, tl))
        sets[f"mqm-{key}"] = plain
        sets[f"mqm-{key}+noise"] = noisy
        sets[f"mqm-{key}-merged"] = merged
        if long:
            sets[f"mqm-{key}-long"] = long
    return sets


def hand_set() -> list[GoldDoc]:
    """Each line of the TSV is a gold bead: source sentences and target sentences, the
    sentences of one side separated by `` || ``; an empty side is an omission/addition."""
    if not HAND.exists():
        return []
    src: list[str] = []
    tgt: list[str] = []
    gold: Beads = []
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        s_side, t_side = line.split("\t")
        s_sents = [x.strip() for x in s_side.split("||") if x.strip()]
        t_sents = [x.strip() for x in t_side.split("||") if x.strip()]
        s_ids = tuple(range(len(src), len(src) + len(s_sents)))
        t_ids = tuple(range(len(tgt), len(tgt) + len(t_sents)))
        src.extend(s_sents)
        tgt.extend(t_sents)
        if s_ids and t_ids:
            gold.append((s_ids, t_ids))
        else:
            gold.extend(((i,), ()) for i in s_ids)
            gold.extend(((), (j,)) for j in t_ids)
    return [GoldDoc("hand", src, tgt, gold, "zh", "en")]


def counts(gold: Beads, test: Beads) -> tuple[int, int, int, int]:
    """(strict correct, strict wrong, lax correct, lax wrong) of the beads of ``test``."""
    gold_set = {b for b in gold if b[0] or b[1]}
    links: dict[int, set[int]] = defaultdict(set)
    for s, t in gold_set:
        for i in s:
            links[i].update(t)
    sc = sw = lc = lw = 0
    for bead in test:
        s, t = bead
        if not s and not t:
            continue
        if bead in gold_set:
            sc += 1
            lc += 1
            continue
        sw += 1
        if s and t and set(t) & {j for i in s for j in links[i]}:
            lc += 1
        else:
            lw += 1
    return sc, sw, lc, lw


def _f(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(pairs: Iterable[tuple[Beads, Beads]]) -> dict[str, float]:
    """Micro-averaged strict and lax precision, recall and F1 over documents."""
    prec = [0, 0, 0, 0]
    rec = [0, 0, 0, 0]
    for gold, test in pairs:
        prec = [a + b for a, b in zip(prec, counts(gold, test))]
        rec = [a + b for a, b in zip(rec, counts(test, gold))]
    out = {}
    for name, (c, w) in (("strict", (0, 1)), ("lax", (2, 3))):
        p = prec[c] / max(1, prec[c] + prec[w])
        r = rec[c] / max(1, rec[c] + rec[w])
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = p, r, _f(p, r)
    return out


def run_aligner(aligner: object, docs: Sequence[GoldDoc]) -> tuple[dict[str, float], float]:
    start = time.perf_counter()
    pairs = []
    for d in docs:
        beads = aligner.align(d.src, d.tgt, d.src_lang, d.tgt_lang)  # type: ignore[attr-defined]
        pairs.append((d.gold, [(b.source, b.target) for b in beads]))
    return score(pairs), time.perf_counter() - start


def detection(name: str, docs: Sequence[GoldDoc]) -> None:
    """How well AL01/AL02 find the deleted and inserted sentences of a gold set."""
    from mtqa.config import Config
    from mtqa.model import Document, Segment
    from mtqa.pipeline import Inputs, check_documents

    config = Config(select=("AL01", "AL02"))
    found = {"AL01": [0, 0, 0, 0], "AL02": [0, 0, 0, 0]}  # right, false, missed, major
    for d in docs:
        src = Document(None, d.src_lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(d.src)))
        tgt = Document(None, d.tgt_lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(d.tgt)))
        report = check_documents([Inputs(tgt, src)], config).documents[0]
        flagged = {"AL01": {i.source.segment for i in report.issues
                            if i.code == "AL01" and i.source},
                   "AL02": {i.target.segment for i in report.issues
                            if i.code == "AL02" and i.target}}
        gold = {"AL01": {b[0][0] for b in d.gold if not b[1]},
                "AL02": {b[1][0] for b in d.gold if not b[0]}}
        majors = {"AL01": {i.source.segment for i in report.issues if i.code == "AL01"
                           and i.source and i.severity.value == "major"},
                  "AL02": {i.target.segment for i in report.issues if i.code == "AL02"
                           and i.target and i.severity.value == "major"}}
        for code in found:
            found[code][3] += len(majors[code] & gold[code])
            found[code][0] += len(flagged[code] & gold[code])
            found[code][1] += len(flagged[code] - gold[code])
            found[code][2] += len(gold[code] - flagged[code])
    parts = []
    for code, (right, false, missed, major) in found.items():
        p = right / max(1, right + false)
        r = right / max(1, right + missed)
        parts.append(f"{code} P {p:.3f} R {r:.3f} ({right} of {right + missed}, {major} as "
                     f"major; {false} false)")
    print(f"{name:22} " + "; ".join(parts), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", type=int, default=3, help="MT systems per data set")
    ap.add_argument("--aligners", default="gale-church,embedding",
                    help="gale-church, embedding, embedding-exact (overlaps encoded as "
                         "text, ~4x the encoding)")
    ap.add_argument("--encoder", default="default")
    ap.add_argument("--sets", default="", help="comma-separated subset of the gold sets")
    ap.add_argument("--checks", action="store_true",
                    help="also score AL01/AL02 on the deletions/insertions of the sets")
    args = ap.parse_args(argv)
    sets = mqm_sets(args.systems)
    hand = hand_set()
    if hand:
        sets["hand-zhen"] = hand
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets.split(",")}
    aligners: dict[str, object] = {}
    for name in args.aligners.split(","):
        if name == "gale-church":
            aligners[name] = LengthAligner()
        elif name == "embedding":
            from mtqa.embed import load_encoder

            aligners[name] = EmbeddingAligner(load_encoder(args.encoder))
        elif name == "embedding-exact":
            from mtqa.embed import load_encoder

            aligners[name] = EmbeddingAligner(load_encoder(args.encoder), exact_overlaps=True)
    print(f"{'set':22} {'docs':>4} {'beads':>6} {'aligner':15} "
          f"{'strict P':>8} {'R':>6} {'F1':>6} {'lax P':>6} {'R':>6} {'F1':>6} {'sec':>6}")
    for set_name, docs in sets.items():
        beads = sum(len(d.gold) for d in docs)
        for name, aligner in aligners.items():
            s, secs = run_aligner(aligner, docs)
            print(f"{set_name:22} {len(docs):4d} {beads:6d} {name:15} "
                  f"{s['strict_p']:8.3f} {s['strict_r']:6.3f} {s['strict_f1']:6.3f} "
                  f"{s['lax_p']:6.3f} {s['lax_r']:6.3f} {s['lax_f1']:6.3f} {secs:6.1f}",
                  flush=True)
    if args.checks:
        print("\nOmission (AL01) and addition (AL02) detection, default encoder:")
        for set_name, docs in sets.items():
            if "merged" in set_name or "noise" in set_name or set_name == "hand-zhen":
                detection(set_name, docs)


if __name__ == "__main__":
    main()
