"""The expected narrowing of a gap, with its assumptions in words."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.ideas.gap import expected_gap_narrowing


def test_expected_narrowing_by_hand_for_two_ideas():
    # 120 people affected in a group of 2,000 (gap 6%). Idea 1 reaches half the group and closes
    # a fifth of the gap among those reached: 120 * 0.5 * 0.2 = 12 fewer, 10% of the gap, gap
    # 108 / 2000 = 5.4%. Idea 2 reaches everyone, closes 5%: 6 fewer, gap 5.7%.
    out = expected_gap_narrowing(120, [0.2, 0.05], reach=[0.5, 1.0], group_size=2000)
    assert_allclose(out.people_fewer, [12, 6])
    assert_allclose(out.people_affected_after, [108, 114])
    assert_allclose(out.share_closed, [0.1, 0.05])
    assert_allclose(out.gap_before, [0.06, 0.06])
    assert_allclose(out.gap_after, [0.054, 0.057])


def test_the_assumptions_are_given_in_words():
    out = expected_gap_narrowing(
        120, 0.2, reach=0.5, group="Bangladeshi women aged 50-70", reference="everyone else",
        effect_source="a published trial",
    )  # fmt: skip
    words = " ".join(out.assumptions[0])
    assert "120 more people in Bangladeshi women aged 50-70 missed the standard" in words
    assert "reaches 50% of Bangladeshi women aged 50-70 (assumed)" in words
    assert "closes 20% of their gap (assumed, from a published trial)" in words
    assert "Everyone else's rate" in words
    assert "not added together" in words


def test_without_a_group_size_the_gap_as_a_share_is_blank():
    out = expected_gap_narrowing(40, 0.5)
    assert_allclose(out.people_fewer, [20])
    assert np.isnan(out.gap_before).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"people_affected": -1, "effect": 0.1}, "people_affected: must be 0 or more"),
        ({"people_affected": 10, "effect": 1.5}, "effect: must be between 0 and 1"),
        ({"people_affected": 10, "effect": 0.1, "reach": -0.1}, "reach: must be between 0 and 1"),
        ({"people_affected": 10, "effect": 0.1, "group_size": 5}, "group_size: must be positive"),
        ({"people_affected": [1, 2], "effect": [0.1, 0.2, 0.3]}, "one value each per idea"),
    ],
)
def test_bad_assumptions_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        expected_gap_narrowing(**kwargs)
