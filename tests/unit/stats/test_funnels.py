"""Unit tests for funnel plot limits, significance and points (focuson.stats.funnels)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from focuson.stats.funnels import (
    SIGNIFICANCE_LEVELS,
    FunnelLimits,
    _axis_points,
    _earliest_stop,
    _format_multiplier,
    _poisson_cis,
    _poisson_funnel,
    _r_nchar,
    _signif_ceiling,
    _signif_floor,
    funnel_limits,
    funnel_points,
    funnel_significance,
)
from focuson.stats.intervals import wilson_limits

LIMIT_NAMES = ("lower_2s", "upper_2s", "lower_3s", "upper_3s")


# --- Scalar reference ports: the package's loops, one element at a time -----------------------


def scalar_poisson_cis(z: float, a: float, b: float) -> float:
    q, tot, s, k = 1.0, 0.0, 0.0, 0.0
    while k <= z or q > tot * 1e-10:
        tot = tot + q
        if a <= k <= b:
            s = s + q
        if tot > 1e30:
            s = s / 1e30
            tot = tot / 1e30
            q = q / 1e30
        k = k + 1
        q = q * z / k
    return s / tot


def scalar_poisson_funnel(obs: float, p: float, side: str) -> float:
    v, dv = 0.5, 0.5
    while dv > 1e-7:
        dv = dv / 2
        z = (1 + obs) * v / (1 - v)
        if side == "low":
            down = scalar_poisson_cis(z, obs, 1e10) > p
        else:
            down = scalar_poisson_cis(z, 0, obs) < p
        v = v - dv if down else v + dv
    return (1 + obs) * v / (1 - v)


# --- The x axis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, 1),
        (7.0, 1),
        (1000.0, 4),
        (10000.0, 5),  # "10000" and "1e+04" are equally wide: R prints fixed
        (100000.0, 5),  # "1e+05"
        (120000.0, 6),  # "120000" is narrower than "1.2e+05"
        (123456.0, 6),
        (25_000_000.0, 7),  # "2.5e+07"
        (1e15, 5),
    ],
)
def test_r_nchar_follows_r_printing(value: float, expected: int) -> None:
    assert _r_nchar(value) == expected


def test_signif_floor_and_ceiling() -> None:
    assert _signif_floor(16386) == 10000  # 0.95 * 16386 = 15566.7 -> 10000
    assert _signif_floor(0) == 0
    assert _signif_floor(0.5) == 0
    assert _signif_ceiling(102950) == 110000  # 1.05 * 102950 = 108097.5 -> 110000
    assert _signif_ceiling(30929) == 33000
    assert _signif_ceiling(706.7669173) == 750
    assert _signif_ceiling(0) == 0
    assert _signif_ceiling(0.5) == pytest.approx(0.6)


def test_signif_floor_uses_r_scientific_nchar() -> None:
    # floor(0.95 x) = 25,000,000 prints as "2.5e+07" (7 characters) in R, so R keeps two digits;
    # counting the 8 digits would give 20,000,000.
    assert _signif_floor(26_315_790.0) == 25_000_000


def test_axis_points_proportion_reach_the_maximum() -> None:
    pts = _axis_points(16386.0, 102950.0, 0.8, "proportion", 1.0)
    assert pts.shape == (100,)
    assert pts[0] == 1
    assert pts[-1] == 110000
    assert np.all(np.diff(pts) >= 1)
    assert np.all(pts == np.round(pts))


def test_axis_points_ratio_stop_short_of_the_maximum() -> None:
    # The package uses j - 1 in the exponent for ratios, so the last point is below the maximum.
    pts = _axis_points(4.29, 706.77, math.nan, "ratio", 1.0)
    assert pts[-1] == 716
    assert _signif_ceiling(706.77) == 750


def test_axis_points_start_above_zero_when_range_is_narrow() -> None:
    pts = _axis_points(10527.0, 20000.0, 0.5, "proportion", 1.0)
    assert pts[0] == 10000  # max <= 2 min: axis starts at the rounded-down minimum
    pts_wide = _axis_points(9000.0, 20000.0, 0.5, "proportion", 1.0)
    assert pts_wide[0] == 1


def test_axis_points_rate_work_on_annual_scale_then_events() -> None:
    # min 30000, max 45000 over 3 years: 10000..15000 a year; av 0.01 events per person.
    pts = _axis_points(30000.0, 45000.0, 0.01, "rate", 3.0)
    assert pts[0] == math.floor(_signif_floor(10000.0) * 3 * 0.01)
    assert pts[-1] == math.ceil(_signif_ceiling(15000.0) * 3 * 0.01)


def test_axis_points_small_range_step_by_one() -> None:
    pts = _axis_points(50.0, 100.0, 0.7, "proportion", 1.0)
    assert_array_equal(pts, np.arange(40.0, 140.0))


# --- Proportion limits --------------------------------------------------------------------------


def test_proportion_limits_invert_wilson() -> None:
    # On each limit, the Wilson interval of the limit at that population ends at the average.
    lim = funnel_limits([300, 4000], [1000, 9000], statistic="proportion", multiplier=1)
    av = 4300 / 10000
    n = lim.points
    for name, level in zip(LIMIT_NAMES, (0.95, 0.95, 0.998, 0.998), strict=True):
        limit = getattr(lim, name)
        lower, upper = wilson_limits(n * limit, n, level)
        other_end = upper if name.startswith("lower") else lower
        inside = (limit > 0) & (limit < 1)
        assert_allclose(other_end[inside], av, rtol=1e-12)


def test_proportion_limits_clamped_at_100_whatever_the_multiplier() -> None:
    x, n = [500, 600], [1000, 1000]
    per_1000 = funnel_limits(x, n, statistic="proportion", multiplier=1000)
    assert per_1000.baseline == pytest.approx(550)
    # The package's clamp cuts every upper limit per 1,000 at 100, below the baseline.
    assert np.all(per_1000.upper_2s <= 100)
    assert per_1000.upper_2s[-1] == 100
    fixed = funnel_limits(x, n, statistic="proportion", multiplier=1000, clamp_to_multiplier=True)
    assert np.all(fixed.upper_3s <= 1000)
    assert fixed.lower_2s[-1] < 550 < fixed.upper_2s[-1]
    percent = funnel_limits(x, n, statistic="proportion", multiplier=100)
    assert_allclose(fixed.upper_2s[-1], 10 * percent.upper_2s[-1])
    assert_allclose(fixed.lower_2s, np.maximum(0, 10 * percent.lower_2s), rtol=1e-14)


def test_proportion_limits_columns_and_labels() -> None:
    lim = funnel_limits([30, 45], [100, 120], statistic="proportion", multiplier=100)
    assert isinstance(lim, FunnelLimits)
    assert len(lim) == 100
    cols = lim.columns()
    assert list(cols) == [
        "Population",
        "lower_2s_limit",
        "upper_2s_limit",
        "lower_3s_limit",
        "upper_3s_limit",
        "baseline",
        "statistic",
        "method",
    ]
    assert set(cols["statistic"]) == {"proportion"}
    assert set(cols["method"]) == {"Wilson"}


def test_proportion_limits_zero_average_and_zero_denominator() -> None:
    lim = funnel_limits([0, 0], [0, 50], statistic="proportion", multiplier=100)
    assert lim.baseline == 0
    assert_array_equal(lim.lower_2s, 0)
    assert_allclose(lim.upper_2s, 0, atol=1e-12)


proportion_data = st.lists(
    st.tuples(st.integers(1, 50_000), st.floats(0.0, 1.0)), min_size=1, max_size=30
).map(lambda rows: ([round(n * f) for n, f in rows], [n for n, _ in rows]))


@given(proportion_data)
def test_proportion_limits_are_ordered_around_the_baseline(data: tuple[list, list]) -> None:
    x, n = data
    lim = funnel_limits(x, n, statistic="proportion", multiplier=100)
    assert lim.baseline is not None
    tol = 1e-9
    assert np.all(lim.lower_3s <= lim.lower_2s + tol)
    assert np.all(lim.lower_2s <= lim.baseline + tol)
    assert np.all(lim.baseline <= lim.upper_2s + tol)
    assert np.all(lim.upper_2s <= lim.upper_3s + tol)
    assert np.all((lim.lower_3s >= 0) & (lim.upper_3s <= 100))
    assert np.all(np.diff(lim.points) >= 1)


@given(proportion_data)
def test_proportion_significance_agrees_with_the_limits(data: tuple[list, list]) -> None:
    x, n = data
    sig = funnel_significance(x, n, statistic="proportion")
    assert set(sig.label.tolist()) <= set(SIGNIFICANCE_LEVELS[:5])
    assert sig.average == pytest.approx(sum(x) / sum(n))
    # An area at exactly the average is never significant.
    at_average = funnel_significance([*x, sig.average * 1000], [*n, 1000], statistic="proportion")
    assert at_average.label[-1] == "Not significant"


def test_proportion_significance_labels_each_side() -> None:
    x = [500, 10, 990, 480, 545]
    n = [1000, 1000, 1000, 1000, 1000]
    sig = funnel_significance(x, n, statistic="proportion")
    # average 0.505; the 95% and 99.8% Wilson bands at n = 1000 are about +-0.031 and +-0.049.
    assert sig.label.tolist() == [
        "Not significant",
        "Low (0.001)",
        "High (0.001)",
        "Not significant",
        "High (0.025)",
    ]
    assert sig.reason.tolist() == [""] * 5


# --- Poisson series and bisection ---------------------------------------------------------------


def test_poisson_cis_is_bit_identical_to_the_scalar_loop() -> None:
    rng = np.random.default_rng(20240607)
    z = np.concatenate(
        [
            rng.uniform(0, 5, 100),
            10 ** rng.uniform(-4, 3.5, 150),
            [1e-8, 0.5, 1.0, 2.0, 68.9, 69.1, 700.0, 2500.0],
        ]
    )
    obs = np.floor(z * rng.uniform(0.3, 1.7, z.size))
    low = rng.random(z.size) < 0.5
    a = np.where(low, obs, 0.0)
    b = np.where(low, 1e10, obs)
    got = _poisson_cis(z, a, b)
    expected = [
        scalar_poisson_cis(*t) for t in zip(z.tolist(), a.tolist(), b.tolist(), strict=True)
    ]
    assert_array_equal(got, expected)


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.floats(1e-6, 400.0), st.integers(0, 500), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_poisson_cis_vectorised_equals_element_by_element(rows: list) -> None:
    z = np.array([r[0] for r in rows])
    obs = np.array([float(r[1]) for r in rows])
    low = np.array([r[2] for r in rows])
    a = np.where(low, obs, 0.0)
    b = np.where(low, 1e10, obs)
    expected = [
        scalar_poisson_cis(*t) for t in zip(z.tolist(), a.tolist(), b.tolist(), strict=True)
    ]
    assert_array_equal(_poisson_cis(z, a, b), expected)
    # ... and one element at a time gives the same.
    singles = [_poisson_cis(z[i : i + 1], a[i : i + 1], b[i : i + 1])[0] for i in range(len(rows))]
    assert_array_equal(singles, expected)


def test_poisson_cis_empty_input() -> None:
    assert _poisson_cis(np.array([]), np.array([]), np.array([])).shape == (0,)


def test_earliest_stop_is_a_lower_bound() -> None:
    for z in [1e-6, 0.3, 4.0, 70.0, 1000.0, 5000.0]:
        # Count the steps of the package's loop.
        q, tot, k = 1.0, 0.0, 0.0
        while k <= z or q > tot * 1e-10:
            tot = tot + q
            if tot > 1e30:
                tot, q = tot / 1e30, q / 1e30
            k = k + 1
            q = q * z / k
        bound = _earliest_stop(np.array([z]))[0]
        assert bound <= k
        assert bound > z
        assert k - bound <= 5  # and a tight one


def test_poisson_funnel_is_bit_identical_to_the_scalar_loop() -> None:
    obs = np.array([1.0, 2.0, 7.0, 10.0, 33.0, 150.0])
    for p, side in [(0.025, "high"), (0.025, "low"), (0.001, "high"), (0.001, "low")]:
        got = _poisson_funnel(obs, np.full(obs.size, p), np.full(obs.size, side == "low"))
        expected = [scalar_poisson_funnel(o, p, side) for o in obs.tolist()]
        assert_array_equal(got, expected)


def test_poisson_funnel_is_within_one_bisection_step_of_the_exact_root() -> None:
    obs = np.array([1.0, 2.0, 5.0, 10.0, 50.0, 300.0, 2000.0])
    final_step = 0.5 / 2**23
    for p in (0.025, 0.001):
        for low in (True, False):
            mu = _poisson_funnel(obs, np.full(obs.size, p), np.full(obs.size, low))
            exact = (
                stats.chi2.ppf(p, 2 * obs) / 2 if low else stats.chi2.ppf(1 - p, 2 * obs + 2) / 2
            )
            v, v_exact = mu / (1 + obs + mu), exact / (1 + obs + exact)
            assert np.all(np.abs(v - v_exact) <= final_step)


# --- Ratio limits ---------------------------------------------------------------------------------


def test_ratio_limits_count_and_isr_agree() -> None:
    o, e = [8, 120, 300], [10.0, 110.0, 250.0]
    count = funnel_limits(o, e, statistic="ratio", ratio_type="count")
    isr = funnel_limits(o, e, statistic="ratio", ratio_type="isr", multiplier=1e5)
    assert count.baseline is None and isr.baseline is None
    for name in LIMIT_NAMES:
        assert_allclose(getattr(isr, name), 100 * (getattr(count, name) + 1), rtol=1e-12)
        ratio = count.points / count.extras[f"{name}_exp_events"]
        assert_allclose(getattr(count, name), ratio - 1, rtol=1e-12)
    assert count.statistic == "ratio (count)" and isr.statistic == "ratio (isr)"
    assert list(count.columns())[:3] == ["Observed_events", "lower_2s_exp_events", "lower_2s_limit"]
    assert "baseline" not in count.columns()


def test_ratio_limits_ignore_numerators_and_missing_expected() -> None:
    a = funnel_limits([8, 120, 300], [10.0, 110.0, 250.0], statistic="ratio", ratio_type="count")
    b = funnel_limits(
        [np.nan, 1, 2, 3], [10.0, 250.0, np.nan, 60.0], statistic="ratio", ratio_type="count"
    )
    assert_array_equal(a.points, b.points)
    assert_array_equal(a.upper_3s, b.upper_3s)


@settings(max_examples=8)
@given(st.lists(st.floats(0.5, 300.0), min_size=1, max_size=6))
def test_ratio_limits_are_ordered(expected: list[float]) -> None:
    lim = funnel_limits([1] * len(expected), expected, statistic="ratio", ratio_type="isr")
    assert np.all(lim.lower_3s < lim.lower_2s)
    assert np.all(lim.lower_2s < 100)
    assert np.all(lim.upper_2s > 100)
    assert np.all(lim.upper_2s < lim.upper_3s)


# --- Rate limits ----------------------------------------------------------------------------------


def test_rate_limits_relations() -> None:
    ev = [414, 462, 178, 13, 90]
    rate = [184.0, 102.0, 83.0, 70.0, 55.0]
    lim = funnel_limits(
        ev, rate=rate, statistic="rate", rate_type="crude", years_of_data=2, multiplier=1000
    )
    assert lim.statistic == "rate (crude per 1,000)"
    assert lim.method == "Poisson"
    pop = 1000 * np.array(ev) / np.array(rate)
    av = sum(ev) / pop.sum()
    assert lim.baseline == pytest.approx(av * 1000)
    for name in LIMIT_NAMES:
        per_year = lim.extras[f"{name}_population_1_year"]
        # limit = events / (population over all years) * multiplier
        assert_allclose(getattr(lim, name), lim.points / (per_year * 2) * 1000, rtol=1e-12)
    assert np.all(lim.lower_3s < lim.lower_2s)
    assert np.all(lim.lower_2s < lim.baseline)
    assert np.all(lim.baseline < lim.upper_2s)
    assert np.all(lim.upper_2s < lim.upper_3s)
    assert list(lim.columns())[:3] == ["Events", "lower_2s_population_1_year", "lower_2s_limit"]


def test_dsr_limits_ignore_areas_without_events_in_the_denominator() -> None:
    common = {"statistic": "rate", "rate_type": "dsr", "years_of_data": 1, "multiplier": 1e5}
    a = funnel_limits([400, 90], rate=[150.0, 80.0], **common)
    b = funnel_limits([400, 90, 0], [1.0, 1.0, 5000.0], rate=[150.0, 80.0, 0.0], **common)
    assert_array_equal(a.points, b.points)
    assert a.baseline == b.baseline


def test_crude_limits_use_the_denominator_for_areas_without_events() -> None:
    common = {"statistic": "rate", "rate_type": "crude", "years_of_data": 1, "multiplier": 1e5}
    lim = funnel_limits([400, 0], [200_000.0, 100_000.0], rate=[200.0, 0.0], **common)
    assert lim.baseline == pytest.approx(400 / 300_000 * 1e5)


# --- Ratio and rate significance ----------------------------------------------------------------


def test_ratio_significance_labels() -> None:
    o = [10, 0, 40, 20, 3]
    e = [10.0, 5.0, 20.0, 33.0, 0.5]
    sig = funnel_significance(o, e, statistic="ratio")
    assert sig.label.tolist() == [
        "Not significant",
        "Low (0.025)",
        "High (0.001)",
        "Low (0.025)",
        "High (0.025)",
    ]
    assert sig.average == 1.0


def test_ratio_significance_zero_observed_is_never_high() -> None:
    sig = funnel_significance([0, 0], [0.01, 1000.0], statistic="ratio")
    assert sig.label.tolist() == ["Not significant", "Low (0.001)"]


@given(st.lists(st.tuples(st.integers(0, 2000), st.floats(0.1, 2000.0)), min_size=1, max_size=20))
def test_ratio_significance_vectorised_equals_one_by_one(rows: list) -> None:
    o = [r[0] for r in rows]
    e = [r[1] for r in rows]
    together = funnel_significance(o, e, statistic="ratio").label.tolist()
    alone = [funnel_significance([a], [b], statistic="ratio").label[0] for a, b in rows]
    assert together == alone


def test_ratio_significance_missing_values_get_reasons() -> None:
    sig = funnel_significance([10, np.nan, 40], [10.0, 5.0, np.nan], statistic="ratio")
    assert sig.label.tolist() == ["Not significant", None, None]
    assert sig.reason.tolist() == ["", "observed count missing", "expected count missing"]


def test_rate_significance_dsr_small_counts_not_applicable() -> None:
    sig = funnel_significance(
        [2000, 9, 0, 1500],
        [250_000, 1000, 3000, 250_000],
        statistic="rate",
        rate=[800.0, 900.0, np.nan, 600.0],
        rate_type="dsr",
        multiplier=1e5,
    )
    assert sig.label[1] == sig.label[2] == "Not applicable for events less than 10 for dsrs"
    assert sig.label[0] == "High (0.001)" and sig.label[3] == "Low (0.001)"
    assert sig.statistic == "rate (dsr per 100,000)"
    # weighted average: events over derived populations (events / rate * multiplier)
    derived = np.array([2000 / 800, 9 / 900, 1500 / 600]) * 1e5
    assert sig.average == pytest.approx(3509 / derived.sum())


def test_rate_significance_missing_rate_with_denominator_gets_a_reason() -> None:
    sig = funnel_significance(
        [2000, 1900, 1500],
        [250_000, 250_000, 250_000],
        statistic="rate",
        rate=[800.0, np.nan, 600.0],
        rate_type="crude",
        multiplier=1e5,
    )
    assert sig.label[1] is None
    assert sig.reason[1] == "rate missing"
    assert sig.label[0] is not None


def test_rate_significance_crude_zero_uses_the_denominator() -> None:
    sig = funnel_significance(
        [0, 500, 520],
        [100_000, 100_000, 100_000],
        statistic="rate",
        rate=[0.0, 500.0, 520.0],
        rate_type="crude",
        multiplier=1e5,
    )
    assert sig.label[0] == "Low (0.001)"
    assert sig.average == pytest.approx(1020 / 300_000)


# --- Funnel points --------------------------------------------------------------------------------


def test_funnel_points_dsr_and_crude() -> None:
    dsr = funnel_points(
        [414, 5, np.nan],
        rate=[184.0, 167.0, 90.0],
        rate_type="dsr",
        years_of_data=3,
        multiplier=1e5,
    )
    assert_allclose(dsr.denominator, [75000.0, np.nan, np.nan])
    assert_allclose(dsr.rate, [184.0, np.nan, np.nan])
    assert dsr.reason.tolist() == [
        "",
        "dsr not assessed for fewer than 10 events",
        "events missing",
    ]
    crude = funnel_points(
        [414, 0, 7],
        [1.0, 6883.0, 1.0],
        rate=[184.0, 0.0, np.nan],
        rate_type="crude",
        years_of_data=5,
        multiplier=1e5,
    )
    assert_allclose(crude.denominator, [45000.0, 1376.6, np.nan])
    assert_allclose(crude.rate, [184.0, 0.0, np.nan])
    assert crude.reason.tolist() == ["", "", "rate missing"]
    assert list(crude.columns("rate_crude")) == [
        "rate_crude_chart",
        "denominator_derived",
        "reason",
    ]
    assert len(crude) == 3


# --- Labels -------------------------------------------------------------------------------------


def test_format_multiplier_like_r() -> None:
    assert _format_multiplier(100_000) == "100,000"
    assert _format_multiplier(100.0) == "100"
    assert _format_multiplier(1000) == "1,000"
    assert _format_multiplier(2.5) == "2.5"


def test_significance_levels_are_ordered_low_to_high() -> None:
    assert SIGNIFICANCE_LEVELS == (
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
        "High (0.025)",
        "High (0.001)",
        "Not applicable for events less than 10 for dsrs",
    )


# --- Errors ---------------------------------------------------------------------------------------


RATE = {"statistic": "rate", "rate_type": "crude", "years_of_data": 1, "multiplier": 1e5}


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: funnel_limits([1], [2], statistic="pop"), ["statistic", "proportion"]),
        (lambda: funnel_limits([1], [2], statistic="ratio"), ["ratio_type", "required"]),
        (
            lambda: funnel_limits([1], [2], statistic="ratio", ratio_type="smr"),
            ["ratio_type", "count"],
        ),
        (lambda: funnel_limits([1], statistic="ratio", ratio_type="count"), ["denominator"]),
        (lambda: funnel_limits([1], [2], statistic="proportion"), ["multiplier", "required"]),
        (lambda: funnel_limits([1], statistic="proportion", multiplier=100), ["denominator"]),
        (
            lambda: funnel_limits([1, np.nan], [2, 3], statistic="proportion", multiplier=100),
            ["numerator", "denominator", "group 1"],
        ),
        (
            lambda: funnel_limits([1, 2], [2, np.nan], statistic="proportion", multiplier=100),
            ["for proportions", "group 1"],
        ),
        (
            lambda: funnel_limits([1, -1], [2, 3], statistic="proportion", multiplier=100),
            ["numerator", "negative", "group 1"],
        ),
        (
            lambda: funnel_limits([1], [np.nan], statistic="ratio", ratio_type="count"),
            ["denominator", "missing"],
        ),
        (
            lambda: funnel_limits([1, 2], [np.inf, 3], statistic="ratio", ratio_type="count"),
            ["denominator", "finite", "group 0"],
        ),
        (lambda: funnel_limits([1], statistic="rate", rate=[2.0]), ["rate_type", "required"]),
        (
            lambda: funnel_limits(
                [1], rate=[2.0], statistic="rate", rate_type="dsr", multiplier=1e5
            ),
            ["years_of_data"],
        ),
        (
            lambda: funnel_limits(
                [1], rate=[2.0], statistic="rate", rate_type="std", years_of_data=1, multiplier=1e5
            ),
            ["rate_type", "dsr"],
        ),
        (
            lambda: funnel_limits([1], rate=[2.0], **{**RATE, "multiplier": 0}),
            ["multiplier", "greater than zero"],
        ),
        (
            lambda: funnel_limits([1], rate=[2.0], **{**RATE, "years_of_data": -1}),
            ["years_of_data", "greater than zero"],
        ),
        (
            lambda: funnel_limits([5, np.nan], rate=[2.0, 3.0], **RATE),
            ["numerator", "numerators must be provided", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 6], rate=[2.0, np.nan], **RATE),
            ["rate", "rates must be provided", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 6], [10.0, np.nan], rate=[2.0, np.nan], **RATE),
            ["rate", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 0], rate=[2.0, 0.0], **RATE),
            ["denominator", "0 events", "needs to be provided", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 0], [10.0, 0.0], rate=[2.0, 0.0], **RATE),
            ["denominator", "not above zero", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 3], rate=[2.0, 0.0], **RATE),
            ["rate", "greater than zero where there are events", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 3], rate=[2.0, -1.0], **RATE),
            ["rate", "negative", "group 1"],
        ),
        (
            lambda: funnel_limits([5, 3], [1.0, 2.0, 3.0], rate=[2.0, 1.0], **RATE),
            ["denominator", "one per group"],
        ),
        (lambda: funnel_significance([1], [2], statistic=None), ["statistic"]),  # type: ignore[arg-type]
        (lambda: funnel_significance([1], statistic="ratio"), ["denominator", "required"]),
        (
            lambda: funnel_significance([65, 80, 30], [100, 100, 0], statistic="proportion"),
            ["denominator", "greater than zero", "group 2"],
        ),
        (
            lambda: funnel_significance([65, -80, 30], [100, 100, 200], statistic="proportion"),
            ["numerator", "greater than or equal to zero", "group 1"],
        ),
        (
            lambda: funnel_significance([65, 80, 30], [100, 100, 20], statistic="proportion"),
            ["numerator", "less than or equal to denominator", "group 2"],
        ),
        (
            lambda: funnel_significance([65, np.nan], [100, 100], statistic="proportion"),
            ["for proportions", "group 1"],
        ),
        (
            lambda: funnel_significance([6, 8], [0.0, 3.0], statistic="ratio"),
            ["denominator", "greater than zero", "group 0"],
        ),
        (
            lambda: funnel_significance([5], statistic="rate", rate=[2.0], rate_type="dsr"),
            ["multiplier", "required"],
        ),
        (
            lambda: funnel_significance(
                [0, 5], statistic="rate", rate=[0.0, 2.0], rate_type="crude", multiplier=100
            ),
            ["denominator", "0 events", "group 0"],
        ),
        (
            lambda: funnel_significance(
                [np.nan, 5],
                [1, 1],
                statistic="rate",
                rate=[1.0, 2.0],
                rate_type="crude",
                multiplier=100,
            ),
            ["numerator", "group 0"],
        ),
        (
            lambda: funnel_significance(
                [3, 5],
                [1, -1],
                statistic="rate",
                rate=[1.0, 2.0],
                rate_type="crude",
                multiplier=100,
            ),
            ["denominator", "greater than zero", "group 1"],
        ),
        (
            lambda: funnel_points(
                [0, 5], rate=[0.0, 1.0], rate_type="dsr", years_of_data=1, multiplier=1e5
            ),
            ["denominator", "0 events", "group 0"],
        ),
        (
            lambda: funnel_points(
                [0, 5],
                [np.nan, 1],
                rate=[0.0, 1.0],
                rate_type="crude",
                years_of_data=1,
                multiplier=1e5,
            ),
            ["denominator", "must be provided", "group 0"],
        ),
        (
            lambda: funnel_points([1], rate=[1.0], rate_type="x", years_of_data=1, multiplier=1),
            ["rate_type"],
        ),
        (
            lambda: funnel_points([1], rate=[1.0], rate_type="dsr", years_of_data=0, multiplier=1),
            ["years_of_data"],
        ),
    ],
)
def test_errors_name_the_argument_and_group(call: object, words: list[str]) -> None:
    with pytest.raises(ValueError, match=re.escape(words[0])) as info:
        call()  # type: ignore[operator]
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)
