"""Small groups merged, or left out when even merged they are too small (NHS rule: 1-7)."""

from __future__ import annotations

from numpy.testing import assert_array_equal

from focuson.ideas.small_groups import MERGED, disclose_groups
from focuson.stats import DisclosureRule


def test_groups_at_the_threshold_are_kept_and_sizes_published_rounded():
    out = disclose_groups([0] * 8 + [1] * 12, ["a", "b"])
    assert out.names == ("a", "b")
    assert out.sizes.tolist() == [8, 12]
    assert out.published_sizes.tolist() == [10.0, 10.0]  # rounded to 5 (12 -> 10)
    assert out.merged == () and out.left_out == ()


def test_small_groups_merge_and_members_move_with_them():
    codes = [0] * 10 + [1] * 5 + [2] * 4 + [-1] * 2
    out = disclose_groups(codes, ["a", "b", "c"])
    assert out.names == ("a", MERGED)
    assert out.merged == ("b", "c")
    assert_array_equal(out.codes, [0] * 10 + [1] * 9 + [-1] * 2)


def test_a_merged_group_still_small_is_left_out():
    out = disclose_groups([0] * 10 + [1] * 3 + [2] * 4, ["a", "b", "c"])
    assert out.names == ("a",)
    assert out.left_out == ("b", "c")
    assert (out.codes[10:] == -1).all()


def test_without_merging_small_groups_are_left_out():
    # Residents and professionals must not be merged together.
    out = disclose_groups([0] * 10 + [1] * 5 + [2] * 4, ["a", "b", "c"], merge=False)
    assert out.names == ("a",)
    assert out.left_out == ("b", "c")


def test_empty_groups_vanish_and_a_rule_without_suppression_keeps_everything():
    rule = DisclosureRule(suppress_to=0, round_to=1)
    out = disclose_groups([0, 0, 2], ["a", "b", "c"], rule=rule)
    assert out.names == ("a", "c")
    assert_array_equal(out.codes, [0, 0, 1])
    assert out.published_sizes.tolist() == [2.0, 1.0]
