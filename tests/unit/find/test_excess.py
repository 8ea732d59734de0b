"""People affected, and the gaps to standard and target, with both polarities."""

import numpy as np
import pytest

from focuson.find import excess, find, gap, people_to_level


def test_excess_higher_is_better_counts_people_below_the_reference_rate():
    # 500 of 1,000 seen in time against 65% in the reference: 150 more waited too long.
    got = excess([50.0], [65.0], [1000], [100], [True], ["proportion"])
    assert got.tolist() == [150.0]


def test_excess_lower_is_better_counts_people_above_the_reference_rate():
    # 8% waiting over 52 weeks against 3%, of 2,000: 100 more.
    assert excess([8.0], [3.0], [2000], [100], [False], ["proportion"]).tolist() == [100.0]
    # 150 admissions per 100,000 against 100, in 40,000 people: 20 more admissions.
    assert excess([150.0], [100.0], [40_000], [100_000], [False], ["rate"]).tolist() == [20.0]


def test_excess_is_zero_when_better_and_nan_for_means_or_missing():
    got = excess(
        [70.0, 5.0, 10.0, np.nan],
        [65.0, 3.0, 12.0, 50.0],
        [1000, 1000, 10, 10],
        [100, 100, 1, 100],
        [True, False, False, True],
        ["proportion", "proportion", "mean", "proportion"],
    )
    assert got[0] == 0.0
    assert got[1] == pytest.approx(20.0)
    assert np.isnan(got[2]) and np.isnan(got[3])


def test_gap_is_positive_when_short_of_the_level_for_both_polarities():
    assert gap([88.0, 95.0], [92.0, 92.0], [True, True]).tolist() == [4.0, -3.0]
    assert gap([3.0, 0.5], [1.0, 1.0], [False, False]).tolist() == [2.0, -0.5]
    assert people_to_level([88.0], [92.0], [1000], [100], [True]).tolist() == [40.0]


def test_find_reports_gap_to_standard_and_target_kept_apart(frames):
    ind = frames.indicators(("ae", "proportion", 100.0, "higher_is_better", 95.0, 78.0))
    agg = frames.with_overall(
        frames.aggregates("ae", "p", "sex", ["F", "M"], [700, 800], [1000, 1000])
    )
    f = find(agg, ind).findings.set_index("group")
    assert f.loc["F", "gap_to_standard"] == pytest.approx(25.0)
    assert f.loc["F", "gap_to_target"] == pytest.approx(8.0)
    assert f.loc["M", "gap_to_target"] == pytest.approx(-2.0)
    assert f.loc["F", "excess"] == 100.0  # (80% - 70%) x 1,000 people
    assert f.loc["M", "excess"] == 0.0
