"""Proportions, crude rates, means and the interval primitives they share."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from focuson.stats import mean, proportion, rate
from focuson.stats._checks import confidence_levels
from focuson.stats.intervals import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    poisson_limits,
    wilson_limits,
)

counts = st.integers(min_value=0, max_value=10**7)


@st.composite
def x_and_n(draw):
    n = draw(st.integers(min_value=1, max_value=10**7))
    x = draw(st.integers(min_value=0, max_value=n))
    return x, n


# --- proportion ---------------------------------------------------------------------------------


def test_proportion_value_and_multiplier():
    est = proportion([1, 3], [4, 4], multiplier=100)
    assert est.value.tolist() == [25.0, 75.0]
    assert est.statistic == "percentage"
    assert est.method.tolist() == ["Wilson", "Wilson"]


def test_proportion_zero_denominator_is_na_with_reason_and_spares_other_groups():
    est = proportion([1, 0, 3], [4, 0, 4])
    assert np.isnan(est.value[1]) and np.isnan(est.lower[1]) and np.isnan(est.upper[1])
    assert est.reason.tolist() == ["", "denominator is zero", ""]
    assert est.value[[0, 2]].tolist() == [0.25, 0.75]


def test_proportion_missing_numerator_is_na():
    est = proportion([np.nan, 2], [10, 10])
    assert np.isnan(est.value[0]) and est.reason[0] == "numerator or denominator missing"


def test_proportion_without_confidence_has_no_intervals():
    est = proportion([1], [2], confidence=None)
    assert est.intervals == {}
    with pytest.raises(ValueError, match="no confidence intervals"):
        _ = est.lower


def test_proportion_two_levels_give_fingertips_column_names():
    cols = proportion([5], [10], confidence=[0.95, 0.998]).columns()
    assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(cols)


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([-1, 2], [5, 5], r"x: must not be negative; negative in group 0"),
        ([1, 2], [5, -5], r"n: must not be negative; negative in group 1"),
        ([1, 6, 7], [5, 5, 5], r"x: must not be above n; x > n in groups 1, 2"),
        ([1, 2], [5, 5, 5], r"one value per group, but x has 2, n has 3"),
    ],
)
def test_proportion_rejects_bad_input_naming_argument_and_group(x, n, message):
    with pytest.raises(ValueError, match=message):
        proportion(x, n)


@pytest.mark.parametrize("level", [0.5, 0.89, 5, 89.9, 101, float("nan")])
def test_confidence_outside_range_is_rejected(level):
    with pytest.raises(ValueError, match="confidence"):
        proportion([1], [2], confidence=level)


def test_confidence_percentages_are_divided_by_100():
    assert confidence_levels([95, 0.998, 0.95]) == (0.95, 0.998)


@given(x_and_n())
def test_wilson_interval_contains_estimate(pair):
    x, n = pair
    est = proportion([x], [n], confidence=[0.95, 0.998])
    for interval in est.intervals.values():
        assert interval.lower[0] <= est.value[0] + 1e-12
        assert est.value[0] <= interval.upper[0] + 1e-12
    # Wider at 99.8% than at 95%.
    assert est.intervals[0.998].lower[0] <= est.intervals[0.95].lower[0] + 1e-12
    assert est.intervals[0.998].upper[0] >= est.intervals[0.95].upper[0] - 1e-12


@given(x_and_n())
def test_wilson_is_symmetric_under_swapping_success_and_failure(pair):
    x, n = pair
    lo, hi = wilson_limits(np.array([x], float), np.array([n], float), 0.95)
    lo2, hi2 = wilson_limits(np.array([n - x], float), np.array([n], float), 0.95)
    assert_allclose(lo, 1 - hi2, atol=1e-12)
    assert_allclose(hi, 1 - lo2, atol=1e-12)


def test_batch_equals_one_group_at_a_time():
    rng = np.random.default_rng(1)
    n = rng.integers(1, 10_000, 500)
    x = rng.integers(0, n + 1)
    batch = proportion(x, n)
    single = [proportion([xi], [ni]) for xi, ni in zip(x[:20], n[:20], strict=True)]
    assert_allclose(batch.lower[:20], [s.lower[0] for s in single])
    assert_allclose(batch.upper[:20], [s.upper[0] for s in single])


# --- rate ---------------------------------------------------------------------------------------


def test_rate_switches_from_exact_to_byars_at_ten_events():
    est = rate([9, 10], [1000, 1000])
    assert est.method.tolist() == ["Exact", "Byars"]
    lo, hi = poisson_limits(np.array([9.0, 10.0]), 0.95)
    assert_allclose(
        lo, [exact_lower(np.array([9.0]), 0.95)[0], byars_lower(np.array([10.0]), 0.95)[0]]
    )
    assert_allclose(
        hi, [exact_upper(np.array([9.0]), 0.95)[0], byars_upper(np.array([10.0]), 0.95)[0]]
    )


def test_rate_zero_events_has_zero_lower_limit():
    est = rate([0], [1000])
    assert est.lower[0] == 0.0 and est.upper[0] > 0


def test_rate_zero_population_is_na_with_reason():
    est = rate([5, 5], [0, 100])
    assert np.isnan(est.value[0]) and est.reason[0] == "population is zero"
    assert est.value[1] == 5000.0


def test_rate_may_have_more_events_than_population():
    assert rate([20], [10], multiplier=1).value[0] == 2.0


@given(st.integers(min_value=10, max_value=10**6))
def test_byars_approximates_exact_limits_from_ten_events(x):
    xs = np.array([float(x)])
    assert_allclose(byars_upper(xs, 0.95), exact_upper(xs, 0.95), rtol=0.01)
    assert_allclose(byars_lower(xs, 0.95), exact_lower(xs, 0.95), rtol=0.02)


@given(counts, st.integers(min_value=1, max_value=10**7))
def test_rate_interval_contains_estimate(x, n):
    est = rate([x], [n], confidence=[0.95, 0.998])
    for interval in est.intervals.values():
        assert interval.lower[0] <= est.value[0] * (1 + 1e-12)
        assert est.value[0] <= interval.upper[0]


def test_byars_lower_is_na_when_negative():
    # The package sets negative Byars lower limits to NA (indicator-methods.md section 3).
    assert np.isnan(byars_lower(np.array([0.0]), 0.95)[0])


# --- mean ---------------------------------------------------------------------------------------


def test_mean_from_sufficient_statistics_matches_values():
    values = np.array([2.0, 4.0, 9.0, 5.0])
    est = mean([values.sum()], [values.size], [values.std(ddof=1)])
    assert est.value[0] == values.mean()
    assert est.extras["value_count"][0] == 4


def test_mean_of_one_value_has_na_limits_and_empty_group_has_reason():
    est = mean([3.0, 0.0], [1, 0], [0.0, 0.0])
    assert est.value[0] == 3.0 and np.isnan(est.lower[0])
    assert np.isnan(est.value[1]) and est.reason[1] == "no values in the group"


def test_mean_rejects_negative_count():
    with pytest.raises(ValueError, match="value_count: must not be negative; negative in group 1"):
        mean([1.0, 2.0], [1, -2], [0.1, 0.1])


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=50),
)
def test_mean_interval_is_symmetric_and_contains_mean(values):
    arr = np.array(values)
    est = mean([arr.sum()], [arr.size], [arr.std(ddof=1)])
    assert_allclose(est.value - est.lower, est.upper - est.value, rtol=1e-9, atol=1e-6)
    assert est.lower[0] <= est.value[0] + 1e-6 <= est.upper[0] + 2e-6
