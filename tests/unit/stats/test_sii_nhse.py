"""Behaviour, edge cases, errors and invariants of the NHS England NE&Y new SII (national ranks)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from focuson.stats.inequality.sii_nhse import ney_positions, sii_nhse
from focuson.stats.inequality.sii_ohid import sii_ohid

# England and two ICBs by national IMD quintile (1 = most deprived); illustrative figures.
ENGLAND = np.array([11.2e6, 11.3e6, 11.4e6, 11.3e6, 11.0e6])
ICB_POP = np.array(
    [[310_000, 240_000, 200_000, 170_000, 130_000], [90_000, 150_000, 210_000, 260_000, 300_000]]
)
VALUE = np.array([[64.0, 66.5, 69.0, 71.0, 74.0], [58.0, 61.0, 62.5, 65.0, 66.0]])
LOWER = VALUE - np.array([[0.8, 0.9, 1.0, 1.1, 1.3], [2.0, 1.5, 1.2, 1.0, 0.9]])
UPPER = VALUE + np.array([[0.8, 0.9, 1.0, 1.1, 1.3], [2.0, 1.5, 1.2, 1.0, 0.9]])
REPS = 2000


def lstsq_fit(value: np.ndarray, local: np.ndarray, national: np.ndarray, flip: bool) -> tuple:
    """Independent check of NE&Y's lm(Val_sqr_a_local ~ sqr_a_local + b_sqr_a_local - 1)."""
    a = local / local.sum()
    e = national / national.sum()
    b = np.empty_like(e)
    b[0] = e[0] / 2
    for i in range(1, len(e)):  # NE&Y's loop: b[i] = a_eng[i]/2 + a_eng[i-1]/2 + b[i-1]
        b[i] = e[i] / 2 + e[i - 1] / 2 + b[i - 1]
    if flip:
        b = 1 - b
    design = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    coef = np.linalg.lstsq(design, np.sqrt(a) * value, rcond=None)[0]
    return float(coef[0]), float(coef[1])


@pytest.mark.parametrize("flip", [True, False])
def test_point_estimates_match_ney_regression(flip: bool) -> None:
    sii, rii = sii_nhse(
        VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, flip=flip, rii=True, repetitions=REPS
    )
    for i in range(2):
        c0, c1 = lstsq_fit(VALUE[i], ICB_POP[i], ENGLAND, flip)
        assert_allclose(sii.value[i], c1, rtol=1e-12)
        assert_allclose(rii.value[i], (c0 + c1) / c0, rtol=1e-12)
        assert_allclose(sii.extras["intercept"][i], c0, rtol=1e-12)
    assert rii.intervals == {}


def test_flip_negates_sii_and_inverts_rii() -> None:
    kw = {"lower": LOWER, "upper": UPPER, "rii": True, "repetitions": REPS}
    up, up_rii = sii_nhse(VALUE, ICB_POP, ENGLAND, flip=True, **kw)
    down, down_rii = sii_nhse(VALUE, ICB_POP, ENGLAND, flip=False, **kw)
    assert_allclose(up.value, -down.value, rtol=1e-12)
    assert_allclose(up_rii.value, 1 / down_rii.value, rtol=1e-12)
    assert "flipped" in up.method[0] and "flipped" not in down.method[0]


def test_england_itself_equals_locally_ranked_sii() -> None:
    england_value = VALUE[0]
    new = sii_nhse(england_value, ENGLAND, ENGLAND, lower=None, upper=None, flip=False)
    old = sii_ohid(england_value, ENGLAND, se=np.ones(5), repetitions=1000)
    assert_allclose(new.value, old.value, rtol=1e-12)
    assert_allclose(new.extras["intercept"], old.extras["intercept"], rtol=1e-12)


def test_national_population_broadcasts() -> None:
    one = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, repetitions=REPS)
    rows = sii_nhse(
        VALUE, ICB_POP, np.tile(ENGLAND, (2, 1)), lower=LOWER, upper=UPPER, repetitions=REPS
    )
    assert_array_equal(one.value, rows.value)
    assert_array_equal(one.lower, rows.lower)


def test_without_confidence_limits_the_interval_is_nan() -> None:
    est = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=None, upper=None)
    assert np.isfinite(est.value).all()
    assert np.isnan(est.lower).all() and np.isnan(est.upper).all()
    assert "no CI: confidence limits not given" in est.method[0]


def test_missing_limit_for_populated_quantile_loses_only_that_interval() -> None:
    lower = LOWER.copy()
    lower[1, 2] = np.nan
    est = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=lower, upper=UPPER, repetitions=REPS)
    assert np.isfinite(est.value).all()
    assert np.isnan(est.lower[1]) and np.isfinite(est.lower[0])
    assert "missing for a populated quantile" in est.method[1]
    assert "simulation" in est.method[0]


def test_zero_local_population_quantile_has_no_weight() -> None:
    pop = ICB_POP[:1].astype(float).copy()
    pop[0, 4] = 0
    value = VALUE[:1].copy()
    a = sii_nhse(value, pop, ENGLAND, lower=LOWER[:1], upper=UPPER[:1], repetitions=REPS)
    value[0, 4] = np.nan
    lower, upper = LOWER[:1].copy(), UPPER[:1].copy()
    lower[0, 4] = upper[0, 4] = np.nan
    b = sii_nhse(value, pop, ENGLAND, lower=lower, upper=upper, repetitions=REPS)
    assert_array_equal(a.value, b.value)
    assert_array_equal(a.lower, b.lower)
    # ranks still come from all of England, weights only from the populated quantiles
    e = ENGLAND / ENGLAND.sum()
    b_all = 1 - (np.cumsum(e) - e / 2)
    a_loc = pop[0, :4] / pop[0, :4].sum()
    design = np.column_stack([np.sqrt(a_loc), b_all[:4] * np.sqrt(a_loc)])
    coef = np.linalg.lstsq(design, np.sqrt(a_loc) * VALUE[0, :4], rcond=None)[0]
    assert_allclose(a.value[0], coef[1], rtol=1e-12)


def test_missing_local_data_is_na_with_reason() -> None:
    value = VALUE.copy()
    value[0, 1] = np.nan
    est = sii_nhse(value, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, repetitions=REPS)
    assert np.isnan(est.value[0]) and np.isnan(est.lower[0]) and np.isfinite(est.value[1])
    assert "local value missing" in est.reason[0]
    pop = ICB_POP.astype(float).copy()
    pop[1, 0] = np.nan
    est = sii_nhse(VALUE, pop, ENGLAND, lower=LOWER, upper=UPPER, repetitions=REPS)
    assert "local population missing" in est.reason[1]
    pop = np.zeros((1, 5))
    pop[0, 2] = 1000
    est = sii_nhse(VALUE[:1], pop, ENGLAND, lower=LOWER[:1], upper=UPPER[:1], repetitions=REPS)
    assert "fewer than two quantiles" in est.reason[0]


def test_simulated_limits_match_normal_theory() -> None:
    """The slope is linear in normal draws: limits ~ c1 -/+ z * sd (Monte Carlo error ~1%)."""
    est = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, repetitions=20_000)
    se = (UPPER - LOWER) / 1.96 / 2
    for i in range(2):
        a = ICB_POP[i] / ICB_POP[i].sum()
        e = ENGLAND / ENGLAND.sum()
        b = 1 - (np.cumsum(e) - e / 2)
        bbar = (a * b).sum()
        w1 = a * (b - bbar) / (a * (b - bbar) ** 2).sum()
        sd = np.sqrt((w1**2 * se[i] ** 2).sum())
        half = 1.959964 * sd
        assert_allclose(est.lower[i], est.value[i] - half, atol=0.03 * 2 * half)
        assert_allclose(est.upper[i], est.value[i] + half, atol=0.03 * 2 * half)


def test_ney_positions() -> None:
    assert ney_positions(10_000, 0.95) == (250, 9750)
    assert ney_positions(40, 0.95) == (1, 39)
    assert ney_positions(39, 0.95) == (0, 38)


def test_same_seed_same_limits() -> None:
    a = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, repetitions=REPS, seed=5)
    b = sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, repetitions=REPS, seed=5)
    assert_array_equal(a.upper, b.upper)
    assert a.method[0].endswith("simulation 2000 reps, seed 5")
    assert "NE&Y" in a.statistic


# ----------------------------------------------------------------------------- errors


def test_negative_local_population_names_setting() -> None:
    pop = ICB_POP.astype(float).copy()
    pop[1, 3] = -1
    with pytest.raises(ValueError, match=r"local_pop: must not be negative.*setting 1"):
        sii_nhse(VALUE, pop, ENGLAND, lower=LOWER, upper=UPPER)


def test_national_population_errors() -> None:
    england = ENGLAND.copy()
    england[2] = np.nan
    with pytest.raises(ValueError, match=r"national_pop: must be given.*settings 0, 1"):
        sii_nhse(VALUE, ICB_POP, england, lower=LOWER, upper=UPPER)
    with pytest.raises(ValueError, match=r"national_pop: every quantile is zero.*settings 0, 1"):
        sii_nhse(VALUE, ICB_POP, np.zeros(5), lower=LOWER, upper=UPPER)


def test_limit_errors() -> None:
    with pytest.raises(ValueError, match=r"upper: must not be below lower.*settings 0, 1"):
        sii_nhse(VALUE, ICB_POP, ENGLAND, lower=UPPER, upper=LOWER)
    with pytest.raises(ValueError, match="lower, upper: give both"):
        sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=None)
    value = VALUE.copy()
    value[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"local_value: must be finite.*setting 0"):
        sii_nhse(value, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"repetitions": 39}, "repetitions: 39 are too few"),
        ({"repetitions": 100.5}, "repetitions: must be a positive whole number"),
        ({"repetitions": 0}, "repetitions: must be a positive whole number"),
        ({"confidence": 0.8}, "confidence"),
    ],
)
def test_option_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sii_nhse(VALUE, ICB_POP, ENGLAND, lower=LOWER, upper=UPPER, **kwargs)


def test_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="one shape"):
        sii_nhse(VALUE, ICB_POP, ENGLAND[:4], lower=LOWER, upper=UPPER)


# ----------------------------------------------------------------------------- properties


@st.composite
def ney_inputs(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    settings = draw(st.integers(1, 3))
    quantiles = draw(st.sampled_from([5, 10]))
    n = settings * quantiles

    def matrix(elements: st.SearchStrategy, size: int = n) -> np.ndarray:
        return np.array(draw(st.lists(elements, min_size=size, max_size=size)), dtype=float)

    value = matrix(st.floats(0, 100, allow_nan=False)).reshape(settings, quantiles)
    local = matrix(st.integers(1, 500_000)).reshape(settings, quantiles)
    national = matrix(st.integers(1, 12_000_000), quantiles)
    half = matrix(st.floats(0, 10, allow_nan=False)).reshape(settings, quantiles)
    return value, local, national, value - half, value + half


@given(ney_inputs(), st.booleans())
def test_property_limits_bracket_value_and_widen(data: tuple, flip: bool) -> None:
    value, local, national, lower, upper = data
    est = sii_nhse(
        value,
        local,
        national,
        lower=lower,
        upper=upper,
        flip=flip,
        repetitions=REPS,
        confidence=[0.9, 0.95, 0.99],
    )
    tol = 1e-9 * (1 + np.abs(est.value))
    for level in (0.9, 0.95, 0.99):
        assert (est.intervals[level].lower <= est.value + tol).all()
        assert (est.value <= est.intervals[level].upper + tol).all()
    assert (est.intervals[0.99].lower <= est.intervals[0.9].lower).all()
    assert (est.intervals[0.9].upper <= est.intervals[0.99].upper).all()


@given(ney_inputs())
def test_property_flip_antisymmetry_and_vectorised(data: tuple) -> None:
    value, local, national, _, _ = data
    up = sii_nhse(value, local, national, lower=None, upper=None, flip=True)
    down = sii_nhse(value, local, national, lower=None, upper=None, flip=False)
    scale = 1e-9 * (1 + np.abs(value).max())
    assert_allclose(up.value, -down.value, atol=scale)
    for i in range(value.shape[0]):
        one = sii_nhse(value[i], local[i], national, lower=None, upper=None)
        assert_allclose(up.value[i], one.value[0], rtol=1e-12, atol=scale)
