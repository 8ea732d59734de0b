"""Indirectly standardised ratios and rates."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from focuson.stats.intervals import byars_lower, byars_upper, exact_lower, exact_upper
from focuson.stats.isr import isr_rate, isr_ratio

# Two groups, three age bands; reference rates 0.005, 0.0125 and 0.1 per person.
X = [8, 14, 52, 1, 1, 2]
N = [1000, 800, 400, 900, 600, 100]
X_REF = [100, 200, 900] * 2
N_REF = [20000, 16000, 9000] * 2
G = [0, 0, 0, 1, 1, 1]


def test_ratio_is_observed_over_expected_with_byars_or_exact_limits():
    est = isr_ratio(X, N, X_REF, N_REF, G)
    e0 = 1000 * 100 / 20000 + 800 * 200 / 16000 + 400 * 900 / 9000
    e1 = 900 * 100 / 20000 + 600 * 200 / 16000 + 100 * 900 / 9000
    assert_allclose(est.extras["expected"], [e0, e1], rtol=1e-14)
    assert est.extras["observed"].tolist() == [74.0, 4.0]
    assert_allclose(est.value, [74 / e0, 4 / e1], rtol=1e-14)
    assert_allclose(est.lower, [byars_lower(74.0, 0.95) / e0, exact_lower(4.0, 0.95) / e1])
    assert_allclose(est.upper, [byars_upper(74.0, 0.95) / e0, exact_upper(4.0, 0.95) / e1])
    assert est.method.tolist() == ["Byars", "Exact"]
    assert est.statistic == "indirectly standardised ratio x 1"
    assert est.reason.tolist() == ["", ""]


def test_refvalue_100_scales_value_and_limits():
    one, hundred = isr_ratio(X, N, X_REF, N_REF, G), isr_ratio(X, N, X_REF, N_REF, G, refvalue=100)
    assert_allclose(hundred.value, one.value * 100, rtol=1e-14)
    assert_allclose(hundred.upper, one.upper * 100, rtol=1e-14)
    assert hundred.statistic == "indirectly standardised ratio x 100"


def test_rate_is_ratio_times_crude_reference_rate():
    ratio, rate = isr_ratio(X, N, X_REF, N_REF, G), isr_rate(X, N, X_REF, N_REF, G)
    ref_rate = 1200 / 45000 * 100_000
    assert_allclose(rate.extras["ref_rate"], [ref_rate, ref_rate], rtol=1e-14)
    assert_allclose(rate.value, ratio.value * ref_rate, rtol=1e-14)
    assert_allclose(rate.lower, ratio.lower * ref_rate, rtol=1e-14)
    assert rate.statistic == "indirectly standardised rate per 100000"
    assert isr_rate(X, N, X_REF, N_REF, G, multiplier=1000).statistic.endswith("per 1000")


def test_observed_totals_give_the_same_result_as_row_counts():
    # 2.0.1, issue #55: events without an age breakdown.
    by_row = isr_ratio(X, N, X_REF, N_REF, G)
    by_total = isr_ratio(None, N, X_REF, N_REF, G, observed=[74, 4])
    assert_allclose(by_total.value, by_row.value, rtol=1e-14)
    assert_allclose(by_total.lower, by_row.lower, rtol=1e-14)


def test_missing_observed_total_is_na_for_that_group_only():
    est = isr_ratio(None, N, X_REF, N_REF, G, observed=[np.nan, 4])
    assert est.reason.tolist() == ["observed count missing", ""]
    assert np.isnan(est.value[0]) and np.isnan(est.lower[0])
    assert est.extras["expected"][0] == 55.0  # still known
    assert np.isfinite(est.value[1])


def test_missing_counts_and_populations_count_as_zero():
    a = isr_ratio([8, np.nan, 52], [1000, 800, np.nan], [100, np.nan, 900], N_REF[:3], [0, 0, 0])
    b = isr_ratio([8, 0, 52], [1000, 800, 0], [100, 0, 900], N_REF[:3], [0, 0, 0])
    assert_allclose(a.value, b.value)
    assert_allclose(a.extras["expected"], [5.0])


def test_rate_reference_rate_skips_missing_reference_counts():
    est = isr_rate([8, 14], [1000, 800], [100, np.nan], [20000, 16000], [0, 0])
    assert_allclose(est.extras["ref_rate"], [100 / 36000 * 100_000])


def test_zero_observed_gives_zero_value_and_exact_limits():
    est = isr_ratio([0, 0], [100, 100], [1, 1], [100, 100], [0, 0])
    assert est.value.tolist() == [0.0]
    assert est.lower.tolist() == [0.0]
    assert_allclose(est.upper, exact_upper(0.0, 0.95) / 2.0)


def test_unusable_expected_counts_are_na_with_reasons_and_spare_others():
    est = isr_ratio(
        [5] * 8,
        [0, 0, 100, 100, 100, 100, 100, 100],
        [1] * 8,
        [100, 100, np.nan, 100, 0, 100, 100, 100],
        [0, 0, 1, 1, 2, 2, 3, 3],
        n_groups=5,
    )
    assert est.reason.tolist() == [
        "expected count is zero",
        "reference population missing",
        "reference population is zero in an age band",
        "",
        "no rows for this group",
    ]
    assert np.isnan(est.value[[0, 1, 2, 4]]).all()
    assert_allclose(est.value[3], 10 / 2)
    rate = isr_rate([5, 5], [100, 100], [1, 1], [np.nan, 100], [0, 1])
    assert np.isnan(rate.extras["ref_rate"][0]) and np.isnan(rate.value[0])


@pytest.mark.parametrize("isr", [isr_ratio, isr_rate])
def test_a_group_missing_an_age_band_is_na_with_a_reason_never_a_number(isr):
    # Group 1 lacks its middle band: its expected count would miss that band (the reference
    # package refuses groups with different numbers of rows); group 0 is still computed.
    rows = [0, 1, 2, 3, 5]
    est = isr(
        np.array(X)[rows], np.array(N)[rows], np.array(X_REF)[rows], np.array(N_REF)[rows],
        np.array(G)[rows],
    )  # fmt: skip
    full = isr(X, N, X_REF, N_REF, G)
    assert np.isnan(est.value[1]) and np.isnan(est.lower[1]) and np.isnan(est.upper[1])
    assert est.reason[1].startswith("age bands incomplete")
    assert est.reason[0] == ""
    assert_allclose(est.value[0], full.value[0], rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [1, -1]}, r"x: must not be negative; negative in group 1 \(row 1\)"),
        ({"n": [-1, 1]}, r"n: must not be negative; negative in group 0"),
        ({"n": [1, np.inf]}, r"n: must be finite; infinite in group 1"),
        ({"x_ref": [1, -1]}, r"x_ref: must not be negative; negative in group 1"),
        ({"n_ref": [-5, 1]}, r"n_ref: must not be negative; negative in group 0"),
        ({"group": [0, 1.5]}, r"group: codes must be whole numbers"),
        ({"x": [1, 2, 3]}, r"arguments must have one value per group"),
        ({"n_ref": [1, 2, 3]}, r"arguments must have one value per group"),
        ({"observed": [3, 4]}, r"x, observed: give the observed events either per row"),
        ({"x": None}, r"x, observed: give the observed events either per row"),
        ({"x": None, "observed": [3]}, r"observed: expected one total per group \(2 groups\)"),
        ({"x": None, "observed": [3, -1]}, r"observed: must not be negative; negative in group 1"),
        (
            {"x": None, "observed": [np.inf, 1]},
            r"observed: must not be infinite; infinite in group 0",
        ),
        ({"confidence": 1.5}, r"confidence: 1.5 is outside the allowed range"),
        ({"refvalue": -1}, r"refvalue: must be a positive number"),
        ({"n_groups": 1}, r"n_groups: 1 is too few"),
    ],
)
def test_ratio_refuses_bad_input_naming_argument_and_group(kwargs, message):
    args = {"x": [5, 5], "n": [100, 100], "x_ref": [1, 1], "n_ref": [100, 100], "group": [0, 1]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        isr_ratio(
            args.pop("x"), args.pop("n"), args.pop("x_ref"), args.pop("n_ref"), args.pop("group"),
            **args,
        )  # fmt: skip


def test_rate_refuses_a_bad_multiplier():
    with pytest.raises(ValueError, match="multiplier: must be a positive number"):
        isr_rate([1], [1], [1], [1], [0], multiplier=0)


# --- properties ---------------------------------------------------------------------------------


@st.composite
def isr_batches(draw):
    groups = draw(st.integers(min_value=1, max_value=6))
    bands = draw(st.integers(min_value=1, max_value=5))
    x_ref = np.array([draw(st.integers(0, 10**4)) for _ in range(bands)], dtype=float)
    n_ref = np.array([draw(st.integers(1, 10**6)) for _ in range(bands)], dtype=float)
    x = np.array([draw(st.integers(0, 300)) for _ in range(groups * bands)], dtype=float)
    n = np.array([draw(st.integers(0, 10**5)) for _ in range(groups * bands)], dtype=float)
    g = np.repeat(np.arange(groups), bands)
    return x, n, np.tile(x_ref, groups), np.tile(n_ref, groups), g


@given(isr_batches())
def test_limits_bracket_the_value_and_widen_with_confidence(batch):
    x, n, x_ref, n_ref, g = batch
    est = isr_ratio(x, n, x_ref, n_ref, g, confidence=[0.95, 0.998])
    ok = est.reason == ""
    lo95, hi95 = est.intervals[0.95].lower[ok], est.intervals[0.95].upper[ok]
    lo998, hi998 = est.intervals[0.998].lower[ok], est.intervals[0.998].upper[ok]
    assert (lo998 <= lo95).all() and (lo95 <= est.value[ok]).all()
    assert (est.value[ok] <= hi95).all() and (hi95 <= hi998).all()


@given(isr_batches())
def test_batch_equals_group_by_group(batch):
    x, n, x_ref, n_ref, g = batch
    est = isr_rate(x, n, x_ref, n_ref, g)
    for code in range(g.max() + 1):
        rows = g == code
        one = isr_rate(x[rows], n[rows], x_ref[rows], n_ref[rows], np.zeros(rows.sum(), int))
        assert one.reason[0] == est.reason[code]
        assert_allclose(one.value, est.value[[code]], rtol=1e-12)
        assert_allclose(one.upper, est.upper[[code]], rtol=1e-12)


@given(isr_batches(), st.integers(min_value=2, max_value=50))
def test_ratio_does_not_depend_on_the_scale_of_the_reference_population(batch, factor):
    # The reference rates x_ref / n_ref are what matters, not the size of the reference.
    x, n, x_ref, n_ref, g = batch
    a = isr_ratio(x, n, x_ref, n_ref, g)
    b = isr_ratio(x, n, x_ref * factor, n_ref * factor, g)
    assert_allclose(a.value, b.value, rtol=1e-9)
    assert_allclose(a.lower, b.lower, rtol=1e-9)
