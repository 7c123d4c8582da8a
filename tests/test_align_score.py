"""The strict/lax alignment scorer on small hand-made cases."""
from __future__ import annotations

import pytest

from mtqa.alignment.score import Counts, bead_counts, score_alignments

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 3)), ((4,), ())]


def test_identical_alignment_scores_one() -> None:
    s = score_alignments([(GOLD, GOLD)])
    assert (s.strict_p, s.strict_r, s.strict_f1) == (1.0, 1.0, 1.0)
    assert (s.lax_p, s.lax_r, s.lax_f1) == (1.0, 1.0, 1.0)


def test_split_merge_is_strictly_wrong_but_laxly_right() -> None:
    # The 2-1 bead predicted as 1-1 + 1-0: the 1-1 overlaps gold on both sides.
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2, 3)), ((4,), ())]
    assert bead_counts(GOLD, test) == Counts(strict_right=3, strict_wrong=2, lax_right=4,
                                             lax_wrong=1)


def test_one_sided_bead_is_never_laxly_right() -> None:
    assert bead_counts([((0,), (0,))], [((0,), ())]) == Counts(0, 1, 0, 1)
    assert bead_counts([((0,), (0,))], [((), (0,))]) == Counts(0, 1, 0, 1)


def test_recall_ignores_omissions_and_additions() -> None:
    # Gold has 3 two-sided beads and one omission; the test misses the omission (it
    # links sentence 4 nowhere at all) but gets every two-sided bead.
    test = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 3))]
    s = score_alignments([(GOLD, test)])
    assert s.strict_p == 1.0
    assert s.strict_r == 1.0


def test_precision_and_recall_differ_on_a_merge() -> None:
    gold = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    test = [((0,), (0,)), ((1, 2), (1, 2))]
    s = score_alignments([(gold, test)])
    assert s.strict_p == pytest.approx(1 / 2)
    assert s.strict_r == pytest.approx(1 / 3)
    assert s.strict_f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert (s.lax_p, s.lax_r) == (1.0, 1.0)


def test_lax_needs_an_overlap_with_the_same_gold_bead_on_both_sides() -> None:
    # Source 0 belongs with target 0 in gold; pairing it with target 1 shares nothing.
    gold = [((0,), (0,)), ((1,), (1,))]
    test = [((0,), (1,)), ((1,), (0,))]
    assert bead_counts(gold, test) == Counts(0, 2, 0, 2)


def test_counts_are_summed_over_documents_before_dividing() -> None:
    doc_a = ([((0,), (0,))], [((0,), (0,))])  # 1 of 1 right
    doc_b = ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))],
             [((0,), (1,)), ((1,), (0,)), ((2,), (2,))])  # 1 of 3 right
    s = score_alignments([doc_a, doc_b])
    assert s.strict_p == pytest.approx(2 / 4)  # not the mean of 1 and 1/3


def test_empty_and_repeated_beads_are_ignored() -> None:
    assert bead_counts([((0,), (0,))], [((), ()), ((0,), (0,)), ((0,), (0,))]) == \
        Counts(1, 0, 1, 0)


def test_nothing_predicted_scores_zero() -> None:
    s = score_alignments([(GOLD, [])])
    assert (s.strict_p, s.strict_r, s.strict_f1) == (0.0, 0.0, 0.0)

