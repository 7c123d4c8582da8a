"""The gold sets of benchmarks/align_eval.py are what they claim (no data needed)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import align_eval  # noqa: E402 - benchmarks/ is put on the path above


def test_beads_inside_one_verse_are_joined_before_scoring() -> None:
    units = (["v1", "v1", "v2"], ["v1", "v2", "v2"])
    beads = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))]
    assert align_eval.merge_units(beads, units) == [((0, 1), (0,)), ((2,), (1, 2))]
    # A bead that spans two verses is never joined with anything.
    assert align_eval.merge_units([((0, 2), (0, 1)), ((1,), ())], units) == [
        ((0, 2), (0, 1)), ((1,), ())]


def test_free_translation_gold_covers_every_sentence_once() -> None:

    pairs = [(f"源句{k}，第一部分，第二部分。", f"Source {k}, part one, part two.")
             for k in range(40)]
    pool = ["An unrelated sentence."]
    doc = align_eval.heavy_doc("t", pairs, pool, random.Random(3), "zh", "en")
    src = sorted(i for s, _ in doc.gold for i in s)
    tgt = sorted(j for _, t in doc.gold for j in t)
    assert src == list(range(len(doc.src)))
    assert tgt == list(range(len(doc.tgt)))
    assert any(len(s) > 1 and len(t) > 1 for s, t in doc.gold)  # many-to-many beads
