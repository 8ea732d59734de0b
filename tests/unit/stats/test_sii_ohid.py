"""Behaviour, edge cases, errors and invariants of the OHID (phe_sii) slope index of inequality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from focuson.stats.inequality import sii_ohid as module
from focuson.stats.inequality.sii_ohid import (
    midpoint_ranks,
    ohid_positions,
    reps_label,
    sii_ohid,
    wls_weights,
)

# Two areas x 10 deciles (the example data of phe_sii's help page, PHEindicatormethods 2.1.0).
POP = np.array(
    [
        [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
        [21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312],
    ],
    dtype=float,
)
VALUE = np.array(
    [
        [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3],
        [70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80.0],
    ]
)
LOWER = np.array(
    [
        [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2],
        [70.1, 71.1, 72, 73.1, 72.7, 75.7, 78.2, 80.1, 80.4, 79.5],
    ]
)
UPPER = np.array(
    [
        [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4],
        [71, 72.1, 73.2, 73.7, 75.8, 78.8, 79.8, 81.2, 81.3, 80.9],
    ]
)
SE = np.array(
    [
        [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57],
        [0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35],
    ]
)
REPS = 1000


def lstsq_fit(value: np.ndarray, pop: np.ndarray) -> tuple[float, float]:
    """Independent check: R's lm(sqrt(a) y ~ sqrt(a) + b sqrt(a) - 1) by numpy least squares."""
    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    design = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    coef = np.linalg.lstsq(design, np.sqrt(a) * value, rcond=None)[0]
    return float(coef[0]), float(coef[1])


# ----------------------------------------------------------------------------- point estimates


def test_point_estimates_match_weighted_regression() -> None:
    sii, rii = sii_ohid(VALUE, POP, se=SE, rii=True, repetitions=REPS)
    for i in range(2):
        c0, c1 = lstsq_fit(VALUE[i], POP[i])
        assert_allclose(sii.value[i], c1, rtol=1e-12)
        assert_allclose(rii.value[i], (c0 + c1) / c0, rtol=1e-12)
        assert_allclose(sii.extras["intercept"][i], c0, rtol=1e-12)


def test_one_setting_as_1d_input() -> None:
    est = sii_ohid(VALUE[0], POP[0], se=SE[0], repetitions=REPS)
    assert len(est) == 1
    assert_allclose(est.value[0], lstsq_fit(VALUE[0], POP[0])[1], rtol=1e-12)


def test_midpoint_ranks_and_weights() -> None:
    share = np.array([[0.2, 0.3, 0.5]])
    assert_allclose(midpoint_ranks(share), [[0.1, 0.35, 0.75]], rtol=1e-15)
    w0, w1 = wls_weights(share, midpoint_ranks(share))
    y = np.array([[1.0, 2.0, 4.0]])
    b = midpoint_ranks(share)[0]
    slope, intercept = np.polyfit(b, y[0], 1, w=np.sqrt(share[0]))
    assert_allclose((w1 * y).sum(), slope, rtol=1e-12)
    assert_allclose((w0 * y).sum(), intercept, rtol=1e-12)
    assert_allclose(w1.sum(), 0, atol=1e-12)


def test_multiplier_scales_sii_and_negative_inverts_rii() -> None:
    base, base_rii = sii_ohid(VALUE, POP, se=SE, rii=True, repetitions=REPS)
    pct, pct_rii = sii_ohid(VALUE, POP, se=SE, rii=True, repetitions=REPS, multiplier=100)
    neg, neg_rii = sii_ohid(VALUE, POP, se=SE, rii=True, repetitions=REPS, multiplier=-1)
    assert_allclose(pct.value, 100 * base.value, rtol=1e-12)
    assert_allclose(pct.lower, 100 * base.lower, rtol=1e-12)
    assert_allclose(pct_rii.value, base_rii.value, rtol=1e-12)
    assert_allclose(neg.value, -base.value, rtol=1e-12)
    assert_allclose(neg_rii.value, 1 / base_rii.value, rtol=1e-12)
    assert (neg.lower <= neg.value).all() and (neg.value <= neg.upper).all()
    assert (neg_rii.lower <= neg_rii.value).all() and (neg_rii.value <= neg_rii.upper).all()
    # Same draws, reversed: the limits mirror the positive ones to within one order statistic.
    width = base.upper - base.lower
    assert_allclose(neg.lower, -base.upper, atol=0.02 * width.max())
    assert_allclose(neg_rii.upper, 1 / base_rii.lower, rtol=0.01)


def test_rate_with_transform_back_transforms_end_points() -> None:
    rate = VALUE * 10  # rates per 1,000, say
    low, high = LOWER * 10, UPPER * 10
    sii, rii = sii_ohid(
        rate, POP, lower=low, upper=high, value_type=1, transform=True, rii=True, repetitions=REPS
    )
    for i in range(2):
        c0, c1 = lstsq_fit(np.log(rate[i]), POP[i])
        assert_allclose(sii.value[i], np.exp(c0 + c1) - np.exp(c0), rtol=1e-10)
        assert_allclose(rii.value[i], np.exp(c1), rtol=1e-10)
        assert_allclose(sii.extras["intercept"][i], np.exp(c0), rtol=1e-10)
    assert (sii.lower < sii.value).all() and (sii.value < sii.upper).all()
    assert (rii.lower < rii.value).all() and (rii.value < rii.upper).all()
    assert "fitted on the log scale" in sii.method[0]


def test_proportion_with_transform_and_negative_multiplier() -> None:
    prop, low, high = VALUE / 100, LOWER / 100, UPPER / 100
    sii, rii = sii_ohid(
        prop,
        POP,
        lower=low,
        upper=high,
        value_type=2,
        transform=True,
        multiplier=-100,
        rii=True,
        repetitions=REPS,
    )
    for i in range(2):
        c0, c1 = lstsq_fit(np.log(prop[i] / (1 - prop[i])), POP[i])
        expit = stats.logistic.cdf
        assert_allclose(sii.value[i], (expit(c0 + c1) - expit(c0)) * -100, rtol=1e-10)
        assert_allclose(rii.value[i], expit(c0) / expit(c0 + c1), rtol=1e-10)
        assert_allclose(sii.extras["intercept"][i], expit(c0) * 100, rtol=1e-10)
    assert (sii.lower < sii.value).all() and (sii.value < sii.upper).all()
    assert (rii.lower < rii.value).all() and (rii.value < rii.upper).all()


def test_small_positive_multiplier_keeps_limits_in_order_for_rates() -> None:
    """The package gives lower > upper for rates with transform and 0 < multiplier < 1."""
    sii = sii_ohid(
        VALUE,
        POP,
        lower=LOWER,
        upper=UPPER,
        value_type=1,
        transform=True,
        multiplier=0.5,
        repetitions=REPS,
    )
    assert (sii.lower < sii.upper).all()


def test_rate_without_transform_regresses_on_original_scale() -> None:
    sii = sii_ohid(VALUE, POP, lower=LOWER, upper=UPPER, value_type=1, repetitions=REPS)
    assert_allclose(sii.value, [lstsq_fit(VALUE[i], POP[i])[1] for i in range(2)], rtol=1e-12)


def test_limits_from_cls_equal_limits_from_the_same_se() -> None:
    z = stats.norm.ppf(0.975)
    for value_type, f in ((0, lambda x: x), (1, np.log), (2, lambda p: np.log(p / (1 - p)))):
        scale = 100 if value_type == 2 else 1
        v, lo, hi = VALUE / scale, LOWER / scale, UPPER / scale
        from_cls = sii_ohid(v, POP, lower=lo, upper=hi, value_type=value_type, repetitions=REPS)
        se = (f(hi) - f(lo)) / z / 2
        from_se = sii_ohid(v, POP, se=se, value_type=value_type, repetitions=REPS)
        assert_array_equal(from_cls.value, from_se.value)
        assert_array_equal(from_cls.lower, from_se.lower)
        assert_array_equal(from_cls.upper, from_se.upper)


def test_se_takes_precedence_over_limits() -> None:
    a = sii_ohid(VALUE, POP, se=SE, lower=LOWER, upper=UPPER, repetitions=REPS)
    b = sii_ohid(VALUE, POP, se=SE, repetitions=REPS)
    assert_array_equal(a.lower, b.lower)


# ----------------------------------------------------------------------------- missing data


def test_setting_missing_a_quantile_is_na_and_does_not_disturb_the_others() -> None:
    value = np.vstack([VALUE, VALUE[0]])
    pop, se = np.vstack([POP, POP[0]]), np.vstack([SE, SE[0]])
    value[1, 3] = np.nan
    est = sii_ohid(value, pop, se=se, repetitions=REPS)
    assert np.isnan(est.value[1]) and np.isnan(est.lower[1])
    assert "missing" in est.reason[1] and est.reason[0] == "" and est.reason[2] == ""
    alone = sii_ohid(value[[0, 2]], pop[[0, 2]], se=se[[0, 2]], repetitions=REPS)
    assert_array_equal(est.value[[0, 2]], alone.value)
    assert_array_equal(est.lower[[0, 2]], alone.lower)


def test_zero_population_quantile_is_na_with_reason() -> None:
    pop = POP.copy()
    pop[0, 0] = 0
    est = sii_ohid(VALUE, pop, se=SE, repetitions=REPS)
    assert np.isnan(est.value[0]) and np.isfinite(est.value[1])
    assert "zero population" in est.reason[0]


def test_quantile_absent_everywhere_is_dropped() -> None:
    value = VALUE.copy()
    value[:, 0] = np.nan
    est = sii_ohid(value, POP, se=SE, repetitions=REPS)
    dropped = sii_ohid(VALUE[:, 1:], POP[:, 1:], se=SE[:, 1:], repetitions=REPS)
    assert_array_equal(est.value, dropped.value)
    assert_array_equal(est.lower, dropped.lower)


def test_untransformable_values_are_na_with_reason() -> None:
    rate = VALUE.copy()
    rate[0, 2] = 0.0
    est = sii_ohid(rate, POP, se=SE / 80, value_type=1, repetitions=REPS)
    assert np.isnan(est.value[0]) and np.isfinite(est.value[1])
    assert "log-transformed" in est.reason[0]
    prop_low = LOWER / 100
    prop_low[1, 4] = 0.0
    est = sii_ohid(
        VALUE / 100, POP, lower=prop_low, upper=UPPER / 100, value_type=2, repetitions=REPS
    )
    assert np.isnan(est.value[1]) and "logit-transformed" in est.reason[1]


# ----------------------------------------------------------------------------- simulation


def test_same_seed_same_limits_and_label_records_draws() -> None:
    a = sii_ohid(VALUE, POP, se=SE, repetitions=REPS, seed=7)
    b = sii_ohid(VALUE, POP, se=SE, repetitions=REPS, seed=7)
    c = sii_ohid(VALUE, POP, se=SE, repetitions=REPS, seed=8)
    assert_array_equal(a.lower, b.lower)
    assert not np.array_equal(a.lower, c.lower)
    assert a.method[0] == "OHID SII (Low & Low 2004), local ranks, simulation 1000 reps, seed 7"
    assert "OHID phe_sii" in a.statistic


def test_limits_are_the_packages_order_statistics() -> None:
    """Untransformed slope draws are Normal(sum w1 y, sqrt(sum w1^2 se^2)), drawn from the
    seeded stream; the limits are the package's order statistics of exactly those draws."""
    rng = np.random.default_rng(3)
    se = np.linspace(0.5, 2.0, 10)
    est = sii_ohid(VALUE[0], POP[0], se=se, repetitions=REPS, seed=3)
    share = POP[:1] / POP[0].sum()
    _, w1 = wls_weights(share, midpoint_ranks(share))
    z = rng.standard_normal((1, REPS))[0]
    draws = (w1[0] * VALUE[0]).sum() + np.sqrt((w1[0] ** 2 * se**2).sum()) * z
    ordered = np.sort(draws)
    low, high = ohid_positions(REPS, 0.95)
    assert_allclose(est.lower[0], ordered[low - 1], rtol=1e-12)
    assert_allclose(est.upper[0], ordered[high - 1], rtol=1e-12)


def test_blocks_of_settings_bound_memory_and_keep_point_estimates(monkeypatch) -> None:
    many_value = np.tile(VALUE, (5, 1))
    many_pop, many_se = np.tile(POP, (5, 1)), np.tile(SE, (5, 1))
    whole = sii_ohid(many_value, many_pop, se=many_se, repetitions=REPS)
    monkeypatch.setattr(module, "DRAW_BUDGET", 3 * REPS)  # three settings per block
    blocked = sii_ohid(many_value, many_pop, se=many_se, repetitions=REPS)
    assert_array_equal(whole.value, blocked.value)
    width = whole.upper - whole.lower
    assert (np.abs(blocked.lower - whole.lower) < 0.15 * width).all()


def test_reliability_statistic() -> None:
    sii, rii = sii_ohid(
        VALUE,
        POP,
        se=SE,
        rii=True,
        repetitions=REPS,
        reliability_stat=True,
        confidence=[0.95, 0.998],
    )
    for key in ("sii_mad95_0", "sii_mad99_8"):
        assert (sii.extras[key] > 0).all() and (
            sii.extras[key] < 0.2 * (sii.upper - sii.lower)
        ).all()
    assert set(rii.extras) == {"rii_mad95_0", "rii_mad99_8"}
    assert "reliability" in sii.method[0]


def test_reliability_with_transform() -> None:
    sii = sii_ohid(
        VALUE,
        POP,
        lower=LOWER,
        upper=UPPER,
        value_type=1,
        transform=True,
        repetitions=REPS,
        reliability_stat=True,
    )
    assert (sii.extras["sii_mad95_0"] > 0).all()


def test_columns_named_as_package() -> None:
    sii = sii_ohid(VALUE, POP, se=SE, repetitions=REPS, confidence=[0.95, 0.998])
    cols = sii.columns()
    assert {"value", "lower95_0cl", "upper99_8cl", "intercept", "method", "reason"} <= set(cols)


def test_reps_label_prints_like_r() -> None:
    assert reps_label(100_000) == "1e+05"
    assert reps_label(10_000) == "10000"
    assert reps_label(200_000) == "2e+05"


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"se": SE, "value_type": 3}, "value_type"),
        ({"se": SE, "value_type": True}, "value_type"),
        ({}, "se: give the standard errors"),
        ({"lower": LOWER}, "lower, upper"),
        ({"lower": LOWER, "upper": UPPER, "transform": True}, "transform: value_type should be 1"),
        ({"se": SE, "value_type": 1, "transform": True}, "se: must not be given when transform"),
        ({"se": SE, "repetitions": 999}, "repetitions: must be 1000 or more"),
        ({"se": SE, "repetitions": 1000.5}, "repetitions: must be a whole number"),
        ({"se": SE, "confidence": 0.5}, "confidence"),
        ({"se": SE, "confidence": 0.9995}, "repetitions: 1000 are too few"),
        ({"se": SE, "multiplier": float("nan")}, "multiplier"),
    ],
)
def test_option_errors(kwargs: dict, match: str) -> None:
    kwargs.setdefault("repetitions", REPS)
    with pytest.raises(ValueError, match=match):
        sii_ohid(VALUE, POP, **kwargs)


def test_negative_population_names_argument_and_setting() -> None:
    pop = POP.copy()
    pop[1, 2] = -5
    with pytest.raises(ValueError, match=r"population: must not be negative.*setting 1"):
        sii_ohid(VALUE, pop, se=SE, repetitions=REPS)


def test_negative_se_names_setting() -> None:
    se = SE.copy()
    se[0, 0] = -1
    with pytest.raises(ValueError, match=r"se: must not be negative.*setting 0"):
        sii_ohid(VALUE, POP, se=se, repetitions=REPS)


def test_upper_below_lower_names_setting() -> None:
    with pytest.raises(ValueError, match=r"upper: must not be below lower.*settings 0, 1"):
        sii_ohid(VALUE, POP, lower=UPPER, upper=LOWER, repetitions=REPS)


def test_proportions_outside_unit_interval() -> None:
    with pytest.raises(
        ValueError, match=r"value: proportions must be between 0 and 1.*settings 0, 1"
    ):
        sii_ohid(VALUE, POP, se=SE, value_type=2, repetitions=REPS)
    low = LOWER / 100
    low[1, 1] = -0.1
    with pytest.raises(ValueError, match=r"lower: proportions.*setting 1"):
        sii_ohid(VALUE / 100, POP, lower=low, upper=UPPER / 100, value_type=2, repetitions=REPS)


def test_infinite_input() -> None:
    value = VALUE.copy()
    value[1, 1] = np.inf
    with pytest.raises(ValueError, match=r"value: must be finite.*setting 1"):
        sii_ohid(value, POP, se=SE, repetitions=REPS)


def test_number_of_quantiles() -> None:
    with pytest.raises(ValueError, match="between 5 and 100 quantiles with data; 4 columns"):
        sii_ohid(VALUE[:, :4], POP[:, :4], se=SE[:, :4], repetitions=REPS)
    wide = np.ones((1, 101))
    with pytest.raises(ValueError, match="101 columns"):
        sii_ohid(wide, wide, se=wide, repetitions=REPS)


def test_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="one shape"):
        sii_ohid(VALUE, POP[:, :9], se=SE, repetitions=REPS)


# ----------------------------------------------------------------------------- properties


@st.composite
def sii_inputs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    settings = draw(st.integers(1, 3))
    quantiles = draw(st.integers(5, 10))
    shape = (settings, quantiles)
    floats = st.floats(-50, 50, allow_nan=False)
    value = np.array(
        draw(st.lists(floats, min_size=settings * quantiles, max_size=settings * quantiles))
    ).reshape(shape)
    pops = st.integers(1, 100_000)
    pop = np.array(
        draw(st.lists(pops, min_size=settings * quantiles, max_size=settings * quantiles)),
        dtype=float,
    ).reshape(shape)
    ses = st.floats(0, 5, allow_nan=False)
    se = np.array(
        draw(st.lists(ses, min_size=settings * quantiles, max_size=settings * quantiles))
    ).reshape(shape)
    return value, pop, se


@given(sii_inputs())
def test_property_limits_bracket_value_and_widen(data: tuple) -> None:
    value, pop, se = data
    est = sii_ohid(value, pop, se=se, repetitions=REPS, confidence=[0.9, 0.95, 0.99])
    tol = 1e-9 * (1 + np.abs(est.value))
    for level in (0.9, 0.95, 0.99):
        assert (est.intervals[level].lower <= est.value + tol).all()
        assert (est.value <= est.intervals[level].upper + tol).all()
    assert (est.intervals[0.99].lower <= est.intervals[0.95].lower).all()
    assert (est.intervals[0.95].lower <= est.intervals[0.9].lower).all()
    assert (est.intervals[0.9].upper <= est.intervals[0.95].upper).all()
    assert (est.intervals[0.95].upper <= est.intervals[0.99].upper).all()


@given(sii_inputs(), st.floats(0.01, 100))
def test_property_scale_equivariance(data: tuple, k: float) -> None:
    value, pop, se = data
    base = sii_ohid(value, pop, se=se, repetitions=REPS)
    scaled = sii_ohid(value * k, pop, se=se * k, repetitions=REPS)
    atol = 1e-9 * (1 + np.abs(value).max() + se.max()) * k
    assert_allclose(scaled.value, k * base.value, rtol=1e-9, atol=atol)
    assert_allclose(scaled.lower, k * base.lower, rtol=1e-9, atol=atol)
    assert_allclose(scaled.upper, k * base.upper, rtol=1e-9, atol=atol)


@given(sii_inputs(), st.floats(-100, 100))
def test_property_shift_moves_intercept_only(data: tuple, shift: float) -> None:
    value, pop, se = data
    base = sii_ohid(value, pop, se=se, repetitions=REPS)
    moved = sii_ohid(value + shift, pop, se=se, repetitions=REPS)
    atol = 1e-8 * (1 + np.abs(value).max() + abs(shift))
    assert_allclose(moved.value, base.value, atol=atol)
    assert_allclose(moved.upper, base.upper, atol=atol)
    assert_allclose(moved.extras["intercept"], base.extras["intercept"] + shift, atol=atol)


@given(sii_inputs())
def test_property_vectorised_equals_one_by_one(data: tuple) -> None:
    value, pop, se = data
    sii, rii = sii_ohid(value, pop, se=se, rii=True, repetitions=REPS)
    for i in range(value.shape[0]):
        one, one_rii = sii_ohid(value[i], pop[i], se=se[i], rii=True, repetitions=REPS)
        assert_allclose(sii.value[i], one.value[0], rtol=1e-12, atol=1e-12)
        assert_allclose(rii.value[i], one_rii.value[0], rtol=1e-10, atol=1e-12)
