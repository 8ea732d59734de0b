"""focuson.spc.xmr: hand-built cases for every rule and icon, edge cases, errors, properties."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from focuson.spc import xmr

FLAT = [1.0, 2.0] * 6  # mean 1.5, every moving range 1: limits 1.5 -/+ 2.66, 2-sigma +/-1.7733


def point(r, i=-1):
    return str(r.point_type[0, i])


# --- hand-built cases: expected results worked out from the method (spc.md section 1) ---------


def test_h01_point_above_the_upper_limit_is_improvement_when_increase():
    r = xmr([*FLAT, 9.0])  # MR 7 >= 3.267 x 1.5: screened; MR-bar 1; mean 27/13; UPL 4.7369
    assert_allclose(r.upper[0, 0], 27 / 13 + 2.66)
    assert r.screened[0, -1] and r.rule_name[0, -1] == "outside_limits"
    assert point(r) == "special_cause_improvement"
    assert r.variation_icon.tolist() == ["improvement_high"]
    assert r.special_cause_type[0, -1] == "Above UCL"


def test_h02_point_below_the_lower_limit_is_improvement_when_decrease():
    r = xmr([*FLAT, -6.0], improvement="decrease")
    assert point(r) == "special_cause_improvement"
    assert r.variation_icon.tolist() == ["improvement_low"]
    assert r.special_cause_type[0, -1] == "Below LCL"


def test_h03_point_above_when_decrease_is_concern_high():
    r = xmr([*FLAT, 9.0], improvement="decrease")
    assert point(r) == "special_cause_concern"
    assert r.variation_icon.tolist() == ["concern_high"]


def test_h04_point_below_when_increase_is_concern_low():
    r = xmr([*FLAT, -6.0])
    assert point(r) == "special_cause_concern"
    assert r.variation_icon.tolist() == ["concern_low"]


def test_h05_neutral_direction_gives_purple_high_and_low():
    hi, lo = xmr([*FLAT, 9.0], improvement="neutral"), xmr([*FLAT, -6.0], improvement="neutral")
    assert point(hi) == "special_cause_neutral_high" and point(lo) == "special_cause_neutral_low"
    assert hi.variation_icon.tolist() == ["neutral_high"]
    assert lo.variation_icon.tolist() == ["neutral_low"]
    assert xmr([*FLAT, 9.0], improvement="neutral", target=0).assurance_icon.tolist() == [""]


def test_h06_seven_point_rising_trend_crossing_the_mean():
    y = [5.0, 4, 5, 4, 5, 4, 1, 2, 3, 4, 5, 6, 7, 4]
    r = xmr(y)
    assert r.rule_name[0, 6:13].tolist() == ["trend"] * 7
    assert r.rule_name[0, 13] != "trend"
    # coloured by slope, not by side of the mean (spc.md 1.4, #171)
    assert (r.point_type[0, 6:13] == "special_cause_improvement").all()
    assert r.special_cause_type[0, 6] == "7 Point Trend (Increasing)"


def test_h07_six_point_trend_only_with_run_length_6():
    y = [5.0, 4, 5, 4, 5, 4, 1, 2, 3, 4, 5, 6, 3, 4]
    assert not (xmr(y).rule_name == "trend").any()
    r6 = xmr(y, run_length=6)
    assert r6.rule_name[0, 6:12].tolist() == ["trend"] * 6
    assert r6.special_cause_type[0, 6] == "6 Point Trend (Increasing)"


def test_h08_a_tie_breaks_a_trend():
    y = [5.0, 4, 5, 4, 5, 1, 2, 3, 3, 4, 5, 6, 7, 4]
    assert not (xmr(y).rule_name == "trend").any()


def test_h09_shift_of_seven_above_the_mean():
    y = [*FLAT, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]  # mean 1.868: 2 and 2.5 both above it
    r = xmr(y)
    above = r.values[0] > r.mean[0]
    assert above[-8:].all()  # the last "2" of FLAT starts the run of 8
    assert (r.rule_name[0, -8:] == "shift").all()
    assert r.special_cause_type[0, -1] == "7 Points Above CL"


def test_h10_six_below_is_a_shift_only_with_run_length_6():
    y = [*FLAT[:-1], 1.2, 1.2, 1.2, 1.2, 1.2, 1.2]  # mean 23.2 / 17: the last 7 are below
    r7 = xmr(y)
    assert (r7.values[0, -7:] < r7.mean[0, -7:]).all()
    assert (r7.rule_name[0, -7:] == "shift").all()
    assert r7.special_cause_type[0, -1] == "7 Points Below CL"
    y2 = [*FLAT[:-1], 3.0, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2]  # the 3.0 above breaks the run at 6
    r7, r6 = xmr(y2), xmr(y2, run_length=6)
    assert not (r7.rule_name[0, -6:] == "shift").any()
    assert (r6.rule_name[0, -6:] == "shift").all()
    assert r6.point_type[0, -1] == "special_cause_concern"


def test_h11_two_of_three_between_two_sigma_and_the_limit():
    # mean 29.5 / 15 = 1.967, MR-bar 17.5 / 14 = 1.25: 2-sigma line 4.18, UPL 5.29
    y = [*FLAT, 4.5, 2.5, 4.5]
    r = xmr(y)
    assert (r.values[0, -3::2] > r.upper_2sigma[0, 0]).all()
    assert (r.values[0, -3::2] < r.upper[0, 0]).all()
    assert r.rule_name[0, -3:].tolist() == ["two_in_three", "none", "two_in_three"]
    assert r.special_cause_type[0, -1] == "2 in 3 Above CL"


def test_h12_two_of_three_with_one_beyond_the_limit_only_under_the_mdc_rule():
    # mean 32.5 / 15 = 2.167, MR-bar 21 / 14 = 1.5: 2-sigma line 4.83, UPL 6.16
    y = [*FLAT, 5.0, 2.5, 7.0]
    r = xmr(y)
    assert r.rule_name[0, -3:].tolist() == ["none", "none", "outside_limits"]  # #153
    mdc = xmr(y, two_in_three="beyond_2_sigma")
    assert mdc.rule_name[0, -3:].tolist() == ["two_in_three", "none", "outside_limits"]


def test_h13_precedence_outside_over_trend_over_shift():
    y = [2.0, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 30]
    r = xmr(y)
    assert r.rule_name[0, -1] == "outside_limits"
    assert (r.rule_name[0, -7:-1] == "trend").all()


def test_h14_assurance_icons_increase_and_decrease():
    y = [*FLAT, 1.5]
    assert xmr(y, target=10).assurance_icon.tolist() == ["consistent_fail"]
    assert xmr(y, target=-10).assurance_icon.tolist() == ["consistent_pass"]
    assert xmr(y, target=1.5).assurance_icon.tolist() == ["inconsistent"]
    assert xmr(y, target=10, improvement="decrease").assurance_icon.tolist() == ["consistent_pass"]
    assert xmr(y, target=-10, improvement="decrease").assurance_icon.tolist() == ["consistent_fail"]
    assert xmr(y).assurance_icon.tolist() == [""]


def test_h15_target_equal_to_a_limit_is_inconsistent():
    r = xmr(FLAT)
    upl = float(r.upper[0, 0])
    assert xmr(FLAT, target=upl).assurance_icon.tolist() == ["inconsistent"]


def test_h16_rebase_recomputes_limits_and_breaks_runs():
    y = np.r_[FLAT, np.array(FLAT) + 10]
    r = xmr(y, rebase=[12])
    assert_allclose(r.mean[0, :12], 1.5)
    assert_allclose(r.mean[0, 12:], 11.5)
    assert r.group[0].tolist() == [0] * 12 + [1] * 12
    assert (r.rule == 0).all()
    assert (xmr(y).rule > 0).any()  # without the rebase the step is special cause


def test_h17_fix_after_n_points_uses_the_baseline_only():
    y = np.r_[FLAT, [1.5] * 3, 5, 5, 5]
    r = xmr(y, fix_after_n_points=12)
    assert_allclose(r.mean[0], 1.5)
    assert_allclose(r.upper[0], 1.5 + 2.66)
    assert r.baseline[0].tolist() == [True] * 12 + [False] * 6
    assert np.isnan(r.moving_range[0, 12:]).all()
    assert r.rule_name[0, -1] == "outside_limits"


def test_h18_fix_after_applies_within_each_rebase_group():
    y = np.r_[FLAT, 100, FLAT, 100]
    r = xmr(y, rebase=[13], fix_after_n_points=12)
    assert r.baseline[0].tolist() == ([True] * 12 + [False]) * 2
    assert_allclose(r.mean[0], 1.5)


# --- edge cases -----------------------------------------------------------------------------


def test_constant_series_has_undefined_limits_and_no_flags():
    r = xmr(np.full((2, 20), 4.2), target=5)
    assert np.isnan(r.upper).all() and (r.rule == 0).all()
    assert_allclose(r.mean, 4.2, rtol=0, atol=0)
    assert (r.reason == "no variation in the baseline: limits undefined").all()
    assert r.assurance_icon.tolist() == ["", ""]
    assert r.variation_icon.tolist() == ["common_cause", "common_cause"]


def test_zero_moving_ranges_with_a_step_are_not_flagged_by_default():
    y = [1.0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
    assert (xmr(y).rule == 0).all()
    assert (xmr(y, zero_variation="plotthedots").rule > 0).any()


def test_fewer_than_13_points_are_trial_limits():
    assert xmr(np.arange(12.0) % 3).short_group.all()
    assert not xmr(np.arange(13.0) % 3).short_group.any()
    one = xmr([5.0])
    assert np.isnan(one.upper).all() and one.reason[0, 0].startswith("fewer than two")


def test_missing_values_drop_both_moving_ranges_and_are_common_cause():
    y = np.array([*FLAT, 1.0])
    y[5] = np.nan
    r = xmr(y)
    assert np.isnan(r.moving_range[0, [5, 6]]).all()
    assert r.point_type[0, 5] == "common_cause" and r.reason[0, 5] == "value missing"
    assert_allclose(r.mean[0, 0], np.nanmean(y))


def test_missing_value_breaks_a_trend():
    y = [5.0, 4, 5, 4, 5, 4, 1, 2, 3, np.nan, 5, 6, 7, 8, 4]
    assert not (xmr(y).rule_name == "trend").any()


def test_missing_latest_value_gives_common_cause_icon_and_latest_limits_for_assurance():
    y = [*FLAT, 9.0, np.nan]
    r = xmr(y, target=-10)
    assert r.variation_icon.tolist() == ["common_cause"]
    assert r.assurance_icon.tolist() == ["consistent_pass"]


def test_per_series_options():
    y = np.array([[*FLAT, 9.0]] * 3)
    r = xmr(y, improvement=["increase", "decrease", "neutral"], target=[10, np.nan, 0])
    assert r.variation_icon.tolist() == ["improvement_high", "concern_high", "neutral_high"]
    assert r.assurance_icon.tolist() == ["consistent_fail", "", ""]
    assert r.improvement.tolist() == ["increase", "decrease", "neutral"]


def test_rebase_mask_per_series():
    y = np.array([np.r_[FLAT, np.array(FLAT) + 10]] * 2)
    mask = np.zeros_like(y, dtype=bool)
    mask[1, 12] = True
    r = xmr(y, rebase=mask)
    assert r.group[0].max() == 0 and r.group[1].max() == 1


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"improvement": ["increase", "up"]}, r"improvement: .*'up' in group 1"),
        ({"improvement": ["increase"] * 3}, "improvement: expected one direction"),
        ({"fix_after_n_points": [12, 11]}, r"fix_after_n_points: .*in group 1"),
        ({"fix_after_n_points": 12.5}, "fix_after_n_points: must be a whole number"),
        ({"target": [0, np.inf]}, r"target: must be finite; infinite in group 1"),
        ({"target": [1, 2, 3]}, "target: expected one value or one per series"),
        ({"rebase": [20]}, "rebase: positions must be"),
        ({"rebase": np.zeros((3, 13), dtype=bool)}, "rebase: expected a boolean mask"),
        ({"run_length": 8}, "run_length: must be 6 or 7"),
        ({"two_in_three": "mdc"}, "two_in_three: must be"),
        ({"zero_variation": "zero"}, "zero_variation: must be"),
    ],
)
def test_bad_options_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(np.ones((2, 13)), **kwargs)


def test_bad_values():
    with pytest.raises(ValueError, match=r"values: must be finite .* group 1"):
        xmr([[1.0, 2.0], [1.0, np.inf]])
    with pytest.raises(ValueError, match="values: expected numbers"):
        xmr([["a", "b"]])
    with pytest.raises(ValueError, match="values: expected a"):
        xmr(np.ones((2, 2, 2)))


# --- a plain per-point reference, written from spc.md section 1, for the property tests -------


def reference(y: list[float], run: int = 7) -> tuple[list[float], list[float], list[str]]:
    """Mean, UPL and rule name per point for one series (no rebase, no baseline fix)."""
    n = len(y)
    vals = [v for v in y if not math.isnan(v)]
    mean = sum(vals) / len(vals) if vals else math.nan
    mrs = [abs(y[i] - y[i - 1]) for i in range(1, n)]
    mrs = [m for m in mrs if not math.isnan(m)]
    amr0 = sum(mrs) / len(mrs) if mrs else math.nan
    kept = [m for m in mrs if m < 3.267 * amr0]
    amr = sum(kept) / len(kept) if kept else math.nan
    if amr == 0:
        amr = math.nan
    upl, lpl = mean + 2.66 * amr, mean - 2.66 * amr
    close_hi, close_lo = mean + 2 * (2.66 / 3) * amr, mean - 2 * (2.66 / 3) * amr
    outside = [v > upl or v < lpl for v in y]
    rel = [0 if math.isnan(v) else (v > mean) - (v < mean) for v in y]
    close = [not o and (v > close_hi or v < close_lo) for v, o in zip(y, outside, strict=True)]
    in_trend, in_two, in_shift = [False] * n, [False] * n, [False] * n
    for end in range(n):
        w = range(end - run + 1, end + 1)
        if end >= run - 1:
            steps = [y[i] - y[i - 1] for i in list(w)[1:]]
            if all(s > 0 for s in steps) or all(s < 0 for s in steps):
                for i in w:
                    in_trend[i] = True
            sides = {rel[i] for i in w}
            if sides in ({1}, {-1}):
                for i in w:
                    in_shift[i] = True
        if end >= 2:
            w3 = range(end - 2, end + 1)
            if abs(sum(rel[i] for i in w3)) == 3 and sum(close[i] for i in w3) >= 2:
                for i in w3:
                    in_two[i] = in_two[i] or close[i]
    if math.isnan(amr):
        names = ["none"] * n
    else:
        names = [
            "outside_limits" if o else "trend" if t else "two_in_three" if c else
            "shift" if s else "none"
            for o, t, c, s in zip(outside, in_trend, in_two, in_shift, strict=True)
        ]  # fmt: skip
    return [mean] * n, [upl] * n, names


values = st.lists(
    st.one_of(st.integers(-5, 5).map(float), st.just(math.nan)), min_size=1, max_size=30
)


@given(st.lists(values, min_size=1, max_size=6), st.sampled_from([6, 7]))
def test_vectorised_equals_series_by_series_reference(series, run):
    width = max(len(s) for s in series)
    padded = [s + [0.0] * (width - len(s)) for s in series]
    r = xmr(np.array(padded), run_length=run)
    for i, s in enumerate(padded):
        mean, upl, names = reference(s, run)
        assert_allclose(r.mean[i], mean, rtol=1e-12, equal_nan=True)
        assert_allclose(r.upper[i], upl, rtol=1e-12, equal_nan=True)
        assert r.rule_name[i].tolist() == names
        one = xmr(np.array(s), run_length=run)
        assert_array_equal(one.point_type[0], r.point_type[i])


@given(values)
def test_limits_bracket_the_mean_and_flip_with_direction(y):
    up, down = xmr(y), xmr(y, improvement="decrease")
    ok = ~np.isnan(up.upper)
    assert (up.lower[ok] <= up.mean[ok]).all() and (up.mean[ok] <= up.upper[ok]).all()
    swap = {"special_cause_improvement": "special_cause_concern"}
    swap.update({v: k for k, v in swap.items()})
    flipped = [swap.get(p, p) for p in up.point_type[0].tolist()]
    assert flipped == down.point_type[0].tolist()


@given(values)
def test_mirroring_the_series_mirrors_the_point_types(y):
    a, b = xmr(y), xmr([-v for v in y], improvement="decrease")
    assert a.point_type.tolist() == b.point_type.tolist()
