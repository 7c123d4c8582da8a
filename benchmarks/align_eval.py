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
* ``mqm-*-heavy``: a free-translation flavour: 40% of the time a run of 2-4 segments is
  one bead, cut into sentences at segment boundaries on one side and at commas on the
  other (so no finer alignment is right): 2-3, 3-2, 3-3, 1-3 ... beads.
* ``mqm-*-omit15``, ``mqm-*-omit25``: every document of a system joined into one, with
  15% or 25% of its target segments deleted and nothing inserted: an MT that drops
  sentences, whose sentence counts can look like a free translation's.
* ``hand-zhen``: a hand-aligned zh-en article in ``benchmarks/data`` with merges,
  splits, an omission and an addition.
* ``bible-a``, ``bible-b``: Bertalign's Bible zh-en set (verse-level gold; sentence
  beads inside one verse are joined before scoring, as Bertalign's evaluation does),
  read from a git mirror of bfsujason/bertalign (``MTQA_BERTALIGN_REPO``); two disjoint
  samples, the second held out from every choice. Skipped when the mirror is absent.

Scores: strict and lax precision, recall and F1 of Sennrich & Volk (2010), as Vecalign's
scorer computes them (``mtqa.alignment.score``): strict counts a predicted bead as right
only when it is exactly a gold bead; lax when it shares a source and a target sentence
with one gold bead (a 1-0/0-1 bead must match exactly). Recall swaps the roles, over the
beads with two sides.

``--aligners`` takes comma-separated specs (``make_aligner``): ``gale-church``,
``embedding`` (the default), ``today`` (the aligner before issue #14), each optionally
with ``:`` and ``/``-separated changes, e.g. ``today:beads=7/anchor=0.1``. ``--checks``
also scores AL01/AL02 with the last aligner, with and without the confidence gate.

Run: ``python benchmarks/align_eval.py [--systems 2] [--aligners gale-church,embedding]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.alignment.aligner import EmbeddingAligner, LengthAligner  # noqa: E402
from mtqa.alignment.score import score_alignments  # noqa: E402
from mtqa.text.segment import split  # noqa: E402

# The shared data sits next to the checkout (../shared), or one level up from a worktree.
MQM = next((p / "shared" / "data" / "mqm" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "data" / "mqm").exists()), ROOT.parent / "shared" / "data" / "mqm")
HAND = ROOT / "benchmarks" / "data" / "hand-aligned.zh-en.tsv"

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


class GoldDoc:
    def __init__(self, name: str, src: list[str], tgt: list[str], gold: Beads,
                 src_lang: str, tgt_lang: str,
                 units: tuple[list[str], list[str]] | None = None) -> None:
        self.name, self.src, self.tgt, self.gold = name, src, tgt, gold
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        # The unit (verse) of each sentence, where the gold is coarser than sentences.
        self.units = units
        # For real MT with nothing planted: the source ("AL01") and target ("AL02")
        # sentences of segments that annotators marked with an omission or addition.
        self.marked: dict[str, set[int]] | None = None


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


def _mqm_marks(file: str) -> dict[tuple[str, str], list[set[str]]]:
    """(system, doc) -> per segment in order, the error categories annotators marked."""
    out: dict[tuple[str, str], list[tuple[int, set[str]]]] = defaultdict(list)
    for line in (MQM / file).open(encoding="utf-8"):
        r = json.loads(line)
        if not r.get("is_human_reference"):
            cats = {e.get("category", "") for e in r.get("errors") or []}
            out[(r["system"], r["doc"])].append((r["doc_seg_index"], cats))
    return {k: [c for _, c in sorted(v, key=lambda x: x[0])] for k, v in out.items()}


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


_COMMA = re.compile(r"[,，;；:：、]\s*")


def _cut_at_commas(text: str, pieces: int, rng: random.Random) -> list[str]:
    """``text`` in up to ``pieces`` parts, cut after commas (never elsewhere)."""
    spots = [m.end() for m in _COMMA.finditer(text) if 0 < m.end() < len(text) - 1]
    cuts = sorted(rng.sample(spots, k=min(pieces - 1, len(spots))))
    parts = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    return [x.strip() for x in parts if x.strip()]


def heavy_doc(name: str, pairs: list[tuple[str, str]], pool: list[str], rng: random.Random,
              src_lang: str, tgt_lang: str, merge: float = 0.4,
              noise: float = 0.05) -> GoldDoc:
    """A free-translation flavour: runs of 2-4 segments become one bead, cut into
    sentences differently on the two sides (one side at segment boundaries, the other
    at commas inside the segments, so that no finer alignment is right): 1-3, 2-3, 3-1,
    4-2 and other large beads; deletions and insertions as in ``merged_doc``."""
    seps = ("" if src_lang in ("zh", "ja") else " ", "" if tgt_lang in ("zh", "ja") else " ")
    sides: tuple[list[str], list[str]] = ([], [])
    gold: Beads = []
    k = 0
    while k < len(pairs):
        if rng.random() < noise:
            sides[1].append(rng.choice(pool))
            gold.append(((), (len(sides[1]) - 1,)))
        if rng.random() < noise:
            sides[0].append(pairs[k][0])
            gold.append(((len(sides[0]) - 1,), ()))
            k += 1
            continue
        size = rng.choice((2, 3, 4)) if rng.random() < merge else 1
        group = pairs[k:k + size]
        k += len(group)
        ids: list[tuple[int, ...]] = []
        by_boundary = rng.randrange(2)  # the side cut at segment boundaries
        for side in (0, 1):
            texts = [g[side] for g in group]
            if side == by_boundary or len(group) == 1:
                # Keep every boundary, or join neighbours at random.
                parts: list[str] = []
                for t in texts:
                    if parts and rng.random() < 0.3:
                        parts[-1] = parts[-1] + seps[side] + t
                    else:
                        parts.append(t)
            else:
                whole = seps[side].join(texts)
                parts = _cut_at_commas(whole, rng.choice((1, 2, 3)), rng)
            start = len(sides[side])
            sides[side].extend(parts)
            ids.append(tuple(range(start, len(sides[side]))))
        gold.append((ids[0], ids[1]))
    return GoldDoc(name, sides[0], sides[1], gold, src_lang, tgt_lang)


def _marked(pairs: list[tuple[str, str]], cats: list[set[str]], src_lang: str,
            tgt_lang: str) -> dict[str, set[int]]:
    """The re-split sentences of the segments with marked omissions / additions."""
    _, src_of = _split_units([p[0] for p in pairs], src_lang)
    _, tgt_of = _split_units([p[1] for p in pairs], tgt_lang)
    out: dict[str, set[int]] = {"AL01": set(), "AL02": set()}
    for k, c in enumerate(cats):
        if "Accuracy/Omission" in c:
            out["AL01"].update(src_of[k])
        if "Accuracy/Addition" in c:
            out["AL02"].update(tgt_of[k])
    return out


# Shares of target segments deleted from whole systems' output (``mqm-*-omitN``).
OMIT_RATES = (0.15, 0.25)


def mqm_sets(systems: int, seed: int = 13) -> dict[str, list[GoldDoc]]:
    sets: dict[str, list[GoldDoc]] = {}
    rng = random.Random(seed)
    for file, key, sl, tl in (("wmt23_zhen_dev.jsonl", "zhen", "zh", "en"),
                              ("wmt21ted_ende.jsonl", "ende", "en", "de")):
        if not (MQM / file).exists():
            continue
        data = _load_mqm(file)
        marks = _mqm_marks(file)
        chosen = sorted(data)[:systems]
        plain, noisy, long, merged, heavy = [], [], [], [], []
        omit: dict[float, list[GoldDoc]] = {}
        for system in chosen:
            docs = data[system]
            pool = [t for other in data.values() for d, ps in other.items() for _, t in ps]
            for doc, pairs in sorted(docs.items()):
                plain.append(gold_from_units(f"{system}/{doc}", [s for s, _ in pairs],
                                             [t for _, t in pairs], sl, tl))
                plain[-1].marked = _marked(pairs, marks[(system, doc)], sl, tl)
                others = [t for d, ps in docs.items() if d != doc for _, t in ps]
                src, tgt = _noisy(pairs, others or pool, rng)
                noisy.append(gold_from_units(f"{system}/{doc}+noise", src, tgt, sl, tl))
                merged.append(merged_doc(f"{system}/{doc}+merged", pairs, others or pool, rng,
                                         sl, tl))
                heavy.append(heavy_doc(f"{system}/{doc}+heavy", pairs, others or pool, rng,
                                       sl, tl))
            allpairs = [p for _, ps in sorted(docs.items()) for p in ps]
            if key == "zhen":
                long.append(gold_from_units(f"{system}/all", [s for s, _ in allpairs],
                                            [t for _, t in allpairs], sl, tl))
            for rate in OMIT_RATES:
                cut = random.Random(f"{system}/{rate}")
                omit.setdefault(rate, []).append(gold_from_units(
                    f"{system}/all-omit{rate:.0%}", [s for s, _ in allpairs],
                    [None if cut.random() < rate else t for _, t in allpairs], sl, tl))
        sets[f"mqm-{key}"] = plain
        sets[f"mqm-{key}+noise"] = noisy
        sets[f"mqm-{key}-merged"] = merged
        sets[f"mqm-{key}-heavy"] = heavy
        if long:
            sets[f"mqm-{key}-long"] = long
        for rate, docs_omit in omit.items():
            sets[f"mqm-{key}-omit{round(rate * 100)}"] = docs_omit
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


# Bertalign's Bible zh-en set: the Chinese Union Version and the King James Version,
# split into sentences, with verse-level gold. Read from a git mirror of
# bfsujason/bertalign (``fetch github:bfsujason/bertalign``); skipped when absent.
BERTALIGN = Path(os.environ.get("MTQA_BERTALIGN_REPO", "/work/.mirror/bfsujason+bertalign/repo"))
BERTALIGN_COMMIT = "e9c1428ccdaf409fc9c8af12626db4a12df5c084"


# MAC-Dev: Bertalign's development set of literary zh-en (6 novel chapters, sentence-level
# gold). Its test set (``corpus/mac/test``) is the held-out set of issue #14: never read.
MAC_DEV_COMMIT = "60e6475035781c3b76dc2078cc93807c3b25f89f"


def _git_show(path: str, commit: str = BERTALIGN_COMMIT) -> str | None:
    if not BERTALIGN.exists():
        return None
    done = subprocess.run(["git", "-C", str(BERTALIGN), "show", f"{commit}:{path}"],
                          capture_output=True, check=False)
    return done.stdout.decode("utf-8") if done.returncode == 0 else None


EXAMPLE = ROOT / "references" / "examples"


def _paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def example_set() -> list[GoldDoc]:
    """The team's example article (``references/examples``), paragraph-level gold as
    its README gives it: the source against the human reference, and against the flawed
    MT (three lines of web-page debris on top: additions; one omitted sentence inside a
    paragraph, which paragraph-level gold cannot show). Sentences come from mtqa's
    splitter; beads inside one paragraph are joined before scoring, as for the Bible."""
    zh = _paragraphs(EXAMPLE / "river-cleanup.zh.md")
    out = []
    for name, file, debris in (("example-ref", "river-cleanup.ref.en.md", 0),
                               ("example-mt", "river-cleanup.mt.en.md", 3)):
        en = _paragraphs(EXAMPLE / file)
        if len(en) - debris != len(zh):
            continue
        src: list[str] = []
        tgt: list[str] = []
        units: tuple[list[str], list[str]] = ([], [])
        gold: Beads = []
        for k in range(debris):
            tgt.append(en[k])
            units[1].append(f"debris{k}")
            gold.append(((), (len(tgt) - 1,)))
        for k, (zp, ep) in enumerate(zip(zh, en[debris:])):
            s0, t0 = len(src), len(tgt)
            src.extend(zp[a:b] for a, b in split(zp, "zh"))
            tgt.extend(ep[a:b] for a, b in split(ep, "en"))
            units[0].extend([f"p{k}"] * (len(src) - s0))
            units[1].extend([f"p{k}"] * (len(tgt) - t0))
            gold.append((tuple(range(s0, len(src))), tuple(range(t0, len(tgt)))))
        out.append(GoldDoc(name, src, tgt, gold, "zh", "en", units))
    return out


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.strip().strip("[]").split(",") if x.strip())


def bible_set(docs: int = 6, verses: int = 150, skip: int = 0) -> list[GoldDoc]:
    """``docs`` stretches of ``verses`` gold beads each, spread evenly over the first
    text of the set (Genesis to Numbers), Chinese as the source. ``skip`` shifts every
    stretch by that many beads (a second, disjoint sample)."""
    files = [_git_show(f"corpus/bible/split/001.{side}") for side in ("zh", "en")]
    gold_text = _git_show("eval/bible/gold/001.align")
    verse_files = [_git_show(f"corpus/bible/{side}.verse") for side in ("zh", "en")]
    if None in files or gold_text is None or None in verse_files:
        print(f"bible: no mirror of bfsujason/bertalign at {BERTALIGN}; skipped",
              file=sys.stderr)
        return []
    zh, en = (f.rstrip("\n").split("\n") for f in files)  # type: ignore[union-attr]
    zh_verse, en_verse = (v.split("\n") for v in verse_files)  # type: ignore[union-attr]
    beads: Beads = []
    for line in gold_text.splitlines():
        en_ids, zh_ids = line.split("]:[")  # the gold lists English first
        beads.append((_ids(zh_ids), _ids(en_ids)))
    out = []
    step = max(verses, (len(beads) - verses) // max(1, docs - 1))
    for k in range(docs):
        start = k * step + skip
        chunk = beads[start:start + verses]
        if len(chunk) < verses:
            break
        s0 = min(i for s, _ in chunk for i in s)
        t0 = min(j for _, t in chunk for j in t)
        s1 = max(i for s, _ in chunk for i in s) + 1
        t1 = max(j for _, t in chunk for j in t) + 1
        gold = [(tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in chunk]
        out.append(GoldDoc(f"bible/{start}", zh[s0:s1], en[t0:t1], gold, "zh", "en",
                           (zh_verse[s0:s1], en_verse[t0:t1])))
    return out


def mac_dev_set() -> list[GoldDoc]:
    """Bertalign's MAC-Dev: six chapters of Chinese novels and their published English
    translations, split into sentences, with hand-made sentence-level gold beads."""
    out = []
    for n in range(1, 7):
        zh = _git_show(f"data/mac/dev/zh/{n:03d}", MAC_DEV_COMMIT)
        en = _git_show(f"data/mac/dev/en/{n:03d}", MAC_DEV_COMMIT)
        gold_text = _git_show(f"data/mac/dev/gold/{n:03d}.align", MAC_DEV_COMMIT)
        if zh is None or en is None or gold_text is None:
            print(f"mac-dev: no mirror of bfsujason/bertalign at {BERTALIGN}; skipped",
                  file=sys.stderr)
            return []
        gold = [(_ids(a), _ids(b)) for a, _, b in
                (line.partition(":") for line in gold_text.splitlines() if line.strip())]
        out.append(GoldDoc(f"mac-dev/{n:03d}", zh.splitlines(), en.splitlines(), gold,
                           "zh", "en"))
    return out


def merge_units(beads: Beads, units: tuple[list[str], list[str]]) -> Beads:
    """Join neighbouring predicted beads that lie in one gold unit (a verse), as
    Bertalign's Bible evaluation does, so that sentence beads can match verse beads."""

    def unit(bead: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
        s = {units[0][i] for i in bead[0]}
        t = {units[1][j] for j in bead[1]}
        if len(s) > 1 or len(t) > 1 or (s and t and s != t):
            return ""
        return (s or t).pop()

    out: Beads = []
    last = ""
    for bead in beads:
        key = unit(bead)
        if key and key == last:
            out[-1] = (out[-1][0] + bead[0], out[-1][1] + bead[1])
        else:
            out.append(bead)
        last = key
    return out


def score(pairs: Iterable[tuple[Beads, Beads]]) -> dict[str, float]:
    """Micro-averaged strict and lax precision, recall and F1 (``mtqa.alignment.score``)."""
    return asdict(score_alignments(list(pairs)))


# Confidence bins for --calibration: [low, high).
_BINS = ((0.0, 0.5), (0.5, 0.9), (0.9, 0.99), (0.99, 1.01))


def run_aligner(aligner: object, docs: Sequence[GoldDoc],
                calibration: list[list[int]] | None = None
                ) -> tuple[dict[str, float], float]:
    """Scores and seconds; with ``calibration`` (per bin: beads, strictly right ones),
    also how often a bead of each confidence is exactly a gold bead (sets whose gold is
    at sentence level only)."""
    start = time.perf_counter()
    pairs = []
    for d in docs:
        beads = aligner.align(d.src, d.tgt, d.src_lang, d.tgt_lang)  # type: ignore[attr-defined]
        test = [(b.source, b.target) for b in beads]
        pairs.append((d.gold, merge_units(test, d.units) if d.units else test))
        if calibration is not None and not d.units:
            gold = set(d.gold)
            for b in beads:
                if b.confidence is None:
                    continue
                k = next(n for n, (lo, hi) in enumerate(_BINS) if lo <= b.confidence < hi)
                calibration[k][0] += 1
                calibration[k][1] += (b.source, b.target) in gold
    return score(pairs), time.perf_counter() - start


def detection(name: str, docs: Sequence[GoldDoc], aligner: object) -> None:
    """AL01/AL02 against the truth of a gold set, with and without the aligner's
    confidence gate (``min_confidence``): on the sets with planted deletions and
    insertions, the truth is the gold 1-0 and 0-1 beads; on the plain MQM sets (real MT,
    nothing planted), it is the sentences of segments where a professional annotator
    marked an Accuracy/Omission or Accuracy/Addition error."""
    from mtqa.config import Config
    from mtqa.model import Document, Segment
    from mtqa.pipeline import Inputs, check_documents

    encoder = getattr(aligner, "encoder", None)
    configs = {"gate": Config(select=("AL01", "AL02")),
               "no gate": Config(select=("AL01", "AL02"),
                                 options={"AL01": {"min_confidence": -1.0},
                                          "AL02": {"min_confidence": -1.0}})}
    # Per configuration and code: right, false, missed, right and major.
    found = {c: {"AL01": [0, 0, 0, 0], "AL02": [0, 0, 0, 0]} for c in configs}
    for d in docs:
        src = Document(None, d.src_lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(d.src)))
        tgt = Document(None, d.tgt_lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(d.tgt)))
        beads = tuple(aligner.align(d.src, d.tgt, d.src_lang, d.tgt_lang))  # type: ignore[attr-defined]
        if d.marked is not None:
            truth = d.marked
        else:
            truth = {"AL01": {b[0][0] for b in d.gold if not b[1]},
                     "AL02": {b[1][0] for b in d.gold if not b[0]}}
        for cname, config in configs.items():
            report = check_documents([Inputs(tgt, src, alignment=beads)], config,
                                     encoder=encoder).documents[0]
            for code, side in (("AL01", "source"), ("AL02", "target")):
                mine = [i for i in report.issues if i.code == code and getattr(i, side)]
                flagged = {getattr(i, side).segment for i in mine}
                major = {getattr(i, side).segment for i in mine if i.severity.value == "major"}
                row = found[cname][code]
                row[0] += len(flagged & truth[code])
                row[1] += len(flagged - truth[code])
                row[2] += len(truth[code] - flagged)
                row[3] += len(major & truth[code])
    for cname in configs:
        parts = []
        for code, (right, false, missed, in_major) in found[cname].items():
            p = right / max(1, right + false)
            r = right / max(1, right + missed)
            parts.append(f"{code} P {p:.3f} R {r:.3f} ({right} of {right + missed}, "
                         f"{in_major} as major; {false} false)")
        print(f"{name:22} {cname:8} " + "; ".join(parts), flush=True)


# Names of the weights in an aligner spec (``embedding:beads=5,margin=0.5``).
_WEIGHTS = {"threshold": "threshold", "merge": "merge_penalty", "length": "length_weight",
            "margin": "margin_weight", "exact": "exact_overlaps", "band": "band",
            "temperature": "temperature", "anchor": "anchor_weight",
            "many": "many_penalty", "skip": "skip_penalty", "power": "length_power",
            "free": "free_ratio", "freemin": "free_min", "decode": "decode",
            "lex": "lexical_weight", "loose": "loose_similarity", "loosemin": "loose_min",
            "quote": "quote_weight"}


def make_aligner(spec: str, encoder: str = "default") -> object:
    """``gale-church``; ``embedding`` (mtqa's default); ``today`` (the aligner before
    issue #14: beads up to 1-4/4-1, no anchors, no many-to-many penalty); ``sentences``
    (the free-translation switch off); ``beads`` (the free-translation weights on every
    document: ``mtqa align --mode free``); ``viterbi`` (free translations decoded by
    the best-scoring path, as before posterior decoding); or any of them followed by
    ``:`` and ``/``-separated changes:
    ``beads=N`` (beads of up to N sentences on both sides together, or ``beads=small``),
    ``threshold=``, ``merge=``, ``length=``, ``margin=``, ``exact=K`` (runs of up to K
    sentences encoded as text), ``band=``, ``anchor=`` (weight of a shared name or
    number), ``decode=`` (posterior decoding, the cost of a bead; 0 is the best-scoring
    path), ``lex=`` (the dictionary's share of a margin, zh-en; 0 turns it off),
    ``member=`` (in free translations, what a bead pays for a merged sentence that is
    less like the other side than unrelated sentences are; 0 turns it off), ``rival=``
    (in free translations, what a bead pays where its first or last merged sentence is
    more like the sentence just outside the bead; 0 turns it off),
    ``loose=`` (below this median cosine of the first pass's pairs a document is aligned
    as a free translation; 0 turns it off, the default is the encoder's),
    ``loosemin=`` (the fewest pairs that median needs), ``quote=`` (what a bead pays for
    ending inside a quotation of the target where the source's is closed; 0 turns it
    off)."""
    if spec == "gale-church":
        return LengthAligner()
    from mtqa.alignment.aligner import SMALL_BEADS, bead_shapes
    from mtqa.alignment.embed import load_encoder

    kwargs: dict[str, object] = {}
    name, _, changes = spec.partition(":")
    if name == "today":
        kwargs.update(beads=SMALL_BEADS, anchor_weight=0.0, many_penalty=0.0, free_ratio=0.0)
    elif name == "sentences":
        kwargs.update(free_ratio=0.0)
    elif name == "viterbi":
        from mtqa.alignment.aligner import FREE_WEIGHTS

        kwargs.update(free_weights={**FREE_WEIGHTS, "decode": 0.0})
    elif name == "beads":
        kwargs.update(mode="free")
    elif name != "embedding":
        raise SystemExit(f"unknown aligner {spec!r}")
    for change in filter(None, changes.split("/")):
        key, _, value = change.partition("=")
        if key == "beads":
            kwargs["beads"] = SMALL_BEADS if value == "small" else bead_shapes(int(value))
        elif key in ("member", "rival"):
            # A weight of the free-translation objective, not of the aligner itself.
            from mtqa.alignment.aligner import FREE_WEIGHTS

            free = dict(kwargs.get("free_weights") or FREE_WEIGHTS)  # type: ignore[call-overload]
            free[f"{key}_weight"] = float(value)
            kwargs["free_weights"] = free
        elif key in _WEIGHTS:
            kwargs[_WEIGHTS[key]] = (int(value) if key in ("exact", "band", "freemin", "loosemin")
                                    else float(value))
        else:
            raise SystemExit(f"unknown weight {key!r} in {spec!r}")
    return EmbeddingAligner(load_encoder(encoder), **kwargs)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", type=int, default=3, help="MT systems per data set")
    ap.add_argument("--aligners", default="gale-church,embedding",
                    help="comma-separated; see make_aligner (e.g. today, "
                         "today:margin=0.5/length=0.01)")
    ap.add_argument("--encoder", default="default")
    ap.add_argument("--sets", default="", help="comma-separated subset of the gold sets")
    ap.add_argument("--bible-docs", type=int, default=6, help="stretches of the Bible")
    ap.add_argument("--bible-verses", type=int, default=150, help="verses per stretch")
    ap.add_argument("--calibration", action="store_true",
                    help="how often beads of each confidence are right (last aligner)")
    ap.add_argument("--checks", action="store_true",
                    help="also score AL01/AL02 on the deletions/insertions of the sets")
    args = ap.parse_args(argv)
    sets = mqm_sets(args.systems)
    hand = hand_set()
    if hand:
        sets["hand-zhen"] = hand
    for doc in example_set():
        sets[doc.name] = [doc]
    # Two disjoint samples of the Bible: the second is never used for choosing weights.
    for name, skip in (("bible-a", 0), ("bible-b", args.bible_verses)):
        bible = bible_set(args.bible_docs, args.bible_verses, skip)
        if bible:
            sets[name] = bible
    mac = mac_dev_set()
    if mac:
        sets["mac-dev"] = mac
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets.split(",")}
    aligners = {name: make_aligner(name, args.encoder) for name in args.aligners.split(",")}
    last_name = list(aligners)[-1]
    print(f"{'set':22} {'docs':>4} {'beads':>6} {'aligner':34} "
          f"{'strict P':>8} {'R':>6} {'F1':>6} {'lax P':>6} {'R':>6} {'F1':>6} {'sec':>6}")
    calibration = [[0, 0] for _ in _BINS] if args.calibration else None
    for set_name, docs in sets.items():
        beads = sum(len(d.gold) for d in docs)
        for name, aligner in aligners.items():
            s, secs = run_aligner(aligner, docs, calibration if name == last_name else None)
            print(f"{set_name:22} {len(docs):4d} {beads:6d} {name:34} "
                  f"{s['strict_p']:8.3f} {s['strict_r']:6.3f} {s['strict_f1']:6.3f} "
                  f"{s['lax_p']:6.3f} {s['lax_r']:6.3f} {s['lax_f1']:6.3f} {secs:6.1f}",
                  flush=True)
    if calibration is not None:
        print(f"\nConfidence of {last_name}'s beads against the gold (all sets at sentence "
              "level): beads, share exactly right")
        for (lo, hi), (count, right) in zip(_BINS, calibration):
            print(f"  {lo:.2f}-{min(hi, 1.0):.2f}: {count:6d} beads, "
                  f"{right / max(1, count):.3f} right")
    if args.checks:
        print("\nOmission (AL01) and addition (AL02) detection, with the last aligner:")
        last = list(aligners.values())[-1]
        for set_name, docs in sets.items():
            if not set_name.startswith("bible") and not set_name.endswith("-long"):
                detection(set_name, docs, last)


if __name__ == "__main__":
    main()
