"""Directly standardised rates (Dobson), non-independent events, and the standard populations."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from focuson.stats.dsr import DOBSON, DOBSON_NON_INDEPENDENT, dsr
from focuson.stats.intervals import byars_lower, byars_upper
from focuson.stats.standard_populations import ESP2013, ESP2013_LIFE_TABLE, StandardPopulation

# --- standard populations -----------------------------------------------------------------------


def test_esp2013_has_19_bands_totalling_100000():
    assert len(ESP2013.weights) == len(ESP2013.age_start) == 19
    assert ESP2013.total == 100_000
    assert ESP2013.labels[0] == "0-4" and ESP2013.labels[-1] == "90+"


def test_life_table_esp2013_splits_the_first_band_into_0_and_1_to_4():
    assert len(ESP2013_LIFE_TABLE.weights) == 20
    assert ESP2013_LIFE_TABLE.total == 100_000
    assert ESP2013_LIFE_TABLE.weights[:2] == (1000.0, 4000.0)
    assert ESP2013_LIFE_TABLE.weights[2:] == ESP2013.weights[1:]
    assert ESP2013_LIFE_TABLE.labels[:3] == ("0", "1-4", "5-9")


def test_weights_for_looks_up_every_row_and_names_bad_rows():
    assert ESP2013.weights_for([90, 0, 45]).tolist() == [1000.0, 5000.0, 7000.0]
    with pytest.raises(
        ValueError, match=r"age_start: not the start of a band of ESP2013 in rows 1, 2"
    ):
        ESP2013.weights_for([0, 3, 95])


def test_standard_population_refuses_inconsistent_definitions():
    with pytest.raises(ValueError, match="one value per band"):
        StandardPopulation("bad", (0, 5), (1.0,), "test")
    with pytest.raises(ValueError, match="strictly increasing"):
        StandardPopulation("bad", (5, 0), (1.0, 1.0), "test")


# --- dsr: values ----------------------------------------------------------------------------------


def test_dsr_matches_the_formula_for_one_group():
    x = np.array([10.0, 20.0, 30.0])
    n = np.array([1000.0, 2000.0, 1500.0])
    w = np.array([5000.0, 3000.0, 2000.0])
    est = dsr(x, n, w, [0, 0, 0], multiplier=1000)
    value = (x * w / n).sum() / w.sum() * 1000
    var = (x * w**2 / n**2).sum() / w.sum() ** 2
    o = x.sum()
    assert_allclose(est.value, [value], rtol=1e-14)
    assert_allclose(est.lower, [value + np.sqrt(var / o) * (byars_lower(o, 0.95) - o) * 1000])
    assert_allclose(est.upper, [value + np.sqrt(var / o) * (byars_upper(o, 0.95) - o) * 1000])
    assert est.extras["total_count"].tolist() == [60.0]
    assert est.extras["total_pop"].tolist() == [4500.0]
    assert est.method.tolist() == [DOBSON]
    assert est.statistic == "dsr per 1000"


def test_dsr_missing_counts_count_as_zero():
    a = dsr([np.nan, 12, 3], [100, 200, 300], [1, 2, 3], [0, 0, 0])
    b = dsr([0, 12, 3], [100, 200, 300], [1, 2, 3], [0, 0, 0])
    assert_allclose(a.value, b.value)
    assert_allclose(a.lower, b.lower)


def test_dsr_fewer_than_10_events_is_na_but_keeps_totals():
    est = dsr([4, 5, 6, 6], [100, 100, 100, 100], [1, 1, 1, 1], [0, 0, 1, 1])
    assert np.isnan(est.value[0]) and np.isnan(est.lower[0]) and np.isnan(est.upper[0])
    assert est.reason.tolist() == ["fewer than 10 events", ""]
    assert est.extras["total_count"].tolist() == [9.0, 12.0]
    assert est.extras["total_pop"].tolist() == [200.0, 200.0]


def test_dsr_zero_population_group_is_na_and_spares_the_others():
    # Issue #32: a borough x decile with no population; the package stops with an error.
    est = dsr(
        [5, 5, 50, 50, 0, 7, 20, 20],
        [0, 0, 100, 100, 0, 100, 100, 100],
        [1, 1] * 4,
        [0, 0, 1, 1, 2, 2, 3, 3],
    )
    assert est.reason.tolist() == [
        "population is zero",
        "",
        "population is zero in an age band",
        "",
    ]
    assert np.isnan(est.value[[0, 2]]).all()
    assert_allclose(est.value[[1, 3]], [50_000.0, 20_000.0])


def test_dsr_zero_standard_population_and_empty_groups_are_na():
    est = dsr([20, 20], [100, 100], [0, 0], [0, 2], n_groups=4)
    assert est.reason.tolist() == [
        "standard population is zero",
        "no rows for this group",
        "standard population is zero",
        "no rows for this group",
    ]
    assert np.isnan(est.value).all()


def test_dsr_groups_may_have_different_band_sets():
    # An under-75 DSR alongside an all-age one: the standard population travels with each row.
    w = ESP2013.weights_for([0, 5, 90, 0, 5])
    est = dsr([10, 10, 10, 10, 10], [1000] * 5, w, [0, 0, 0, 1, 1])
    assert_allclose(est.value, [10 / 1000 * 1e5, 10 / 1000 * 1e5])


def test_dsr_keeps_negative_lower_limits_as_the_package_does():
    # One band with a population of 1 dominates the variance (indicator-methods.md section 5).
    est = dsr([1, 9], [1, 100_000], [5000, 5000], [0, 0])
    assert est.lower[0] < 0 < est.value[0] < est.upper[0]


def test_dsr_two_levels_and_any_number_of_levels():
    est = dsr([30, 40], [1000, 2000], [1, 1], [0, 0], confidence=[0.95, 0.998, 0.9])
    assert est.confidence == (0.95, 0.998, 0.9)
    assert est.intervals[0.998].lower[0] < est.intervals[0.95].lower[0]
    assert est.intervals[0.9].lower[0] > est.intervals[0.95].lower[0]
    assert "lower99_8cl" in est.columns()


def test_dsr_statistic_prints_large_multipliers_without_exponent():
    assert dsr([20], [100], [1], [0], multiplier=1_000_000).statistic == "dsr per 1000000"


# --- dsr: non-independent events --------------------------------------------------------------


def test_non_independent_with_single_events_equals_independent():
    x, n, w = [12, 30, 7], [1000, 1500, 700], [3, 2, 1]
    ind = dsr(x, n, w, [0, 0, 0])
    non = dsr(x, n, w, [0, 0, 0], eventfreq=[1, 1, 1], ageband=["a", "b", "c"])
    assert_allclose(non.value, ind.value, rtol=1e-14)
    assert_allclose(non.lower, ind.lower, rtol=1e-14)
    assert_allclose(non.upper, ind.upper, rtol=1e-14)
    assert non.method.tolist() == [DOBSON_NON_INDEPENDENT]


def test_non_independent_keeps_the_dsr_and_widens_the_interval():
    # Band a: 10 people with 1 event and 5 with 2; band b: 20 with 1 event and 2 with 3.
    x = np.array([10.0, 5, 20, 2])
    f = np.array([1.0, 2, 1, 3])
    band = np.array(["a", "a", "b", "b"])
    n = np.array([1000.0, 1000, 2000, 2000])
    w = np.array([4.0, 4, 6, 6])
    non = dsr(x, n, w, [0, 0, 0, 0], eventfreq=f, ageband=band)
    # The same events as independent counts per band.
    ind = dsr([20, 26], [1000, 2000], [4, 6], [0, 0])
    assert_allclose(non.value, ind.value, rtol=1e-14)
    assert non.extras["total_count"].tolist() == [46.0]
    assert non.extras["total_pop"].tolist() == [3000.0]
    assert non.lower[0] < ind.lower[0] and non.upper[0] > ind.upper[0]
    # var = sum_f f^2 var_f, var_f the Dobson variance of frequency f's rows (persons).
    var1 = (10 * (4 / 1000) ** 2 + 20 * (6 / 2000) ** 2) / (4 + 6) ** 2
    var2 = 5 * (4 / 1000) ** 2 / 4**2
    var3 = 2 * (6 / 2000) ** 2 / 6**2
    var = var1 + 4 * var2 + 9 * var3
    o = 46.0
    assert_allclose(
        non.upper, ind.value + np.sqrt(var / o) * (byars_upper(o, 0.95) - o) * 1e5, rtol=1e-12
    )


def test_non_independent_ignores_row_order():
    x = np.array([10.0, 5, 20, 2, 13, 4])
    f = np.array([1.0, 2, 1, 3, 1, 2])
    band = np.array([0, 0, 1, 1, 0, 0])
    n = np.array([1000.0, 1000, 2000, 2000, 900, 900])
    w = np.array([4.0, 4, 6, 6, 4, 4])
    g = np.array([0, 0, 0, 0, 1, 1])
    order = np.array([5, 2, 0, 4, 1, 3])
    a = dsr(x, n, w, g, eventfreq=f, ageband=band)
    b = dsr(x[order], n[order], w[order], g[order], eventfreq=f[order], ageband=band[order])
    assert_allclose(a.value, b.value, rtol=1e-14)
    assert_allclose(a.lower, b.lower, rtol=1e-14)


# --- dsr: errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [1, -1]}, r"x: must not be negative; negative in group 1 \(row 1\)"),
        ({"x": [1, np.inf]}, r"x: must be finite; infinite in group 1"),
        ({"n": [10, np.nan]}, r"n: must not be missing; missing in group 1 \(row 1\)"),
        ({"n": [-10, 10]}, r"n: must not be negative; negative in group 0 \(row 0\)"),
        ({"stdpop": [np.nan, 1]}, r"stdpop: must not be missing; missing in group 0"),
        ({"stdpop": [1, -1]}, r"stdpop: must not be negative; negative in group 1"),
        ({"group": [0, -1]}, r"group: codes must be whole numbers 0, 1, 2, ...; bad in row 1"),
        ({"group": [0, 0.5]}, r"group: codes must be whole numbers"),
        ({"group": [0, np.nan]}, r"group: codes must be whole numbers"),
        ({"group": [0]}, r"group: expected one code per row \(2 rows\), got 1"),
        ({"n": [1, 2, 3]}, r"arguments must have one value per group"),
        ({"confidence": 0.5}, r"confidence: 0.5 is outside the allowed range"),
        ({"multiplier": 0}, r"multiplier: must be a positive number"),
        ({"multiplier": "lots"}, r"multiplier: expected a number"),
        ({"n_groups": 1}, r"n_groups: 1 is too few for group codes up to 1"),
        ({"ageband": [0, 1]}, r"ageband: only used with eventfreq"),
        ({"eventfreq": [1, 1]}, r"ageband: required with eventfreq"),
        ({"eventfreq": [1, np.nan], "ageband": [0, 0]}, r"eventfreq: must not be missing"),
        ({"eventfreq": [1, -2], "ageband": [0, 0]}, r"eventfreq: must not be negative"),
        ({"eventfreq": [1, 2, 3], "ageband": [0, 0]}, r"arguments must have one value per group"),
        ({"eventfreq": [1, 2], "ageband": [0]}, r"ageband: expected one label per row"),
        ({"eventfreq": [1, 2], "ageband": [0, np.nan]}, r"ageband: must not be missing"),
        ({"eventfreq": [1, 2], "ageband": ["a", None]}, r"ageband: must not be missing"),
    ],
)
def test_dsr_refuses_bad_input_naming_argument_and_group(kwargs, message):
    args = {"x": [10, 10], "n": [100, 100], "stdpop": [1, 1], "group": [0, 1]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        dsr(args.pop("x"), args.pop("n"), args.pop("stdpop"), args.pop("group"), **args)


@pytest.mark.parametrize("name", ["n", "stdpop"])
def test_non_independent_rows_of_a_band_must_agree_on_population(name):
    args = {"n": [100.0, 100, 50, 50], "stdpop": [1.0, 1, 2, 2]}
    args[name] = [*args[name][:3], 99.0]
    with pytest.raises(ValueError, match=rf"{name}: rows with the same group and ageband have"):
        dsr([1, 1, 1, 1], args["n"], args["stdpop"], [0, 0, 1, 1],
            eventfreq=[1, 2, 1, 2], ageband=[0, 0, 0, 0])  # fmt: skip


# --- dsr: properties -----------------------------------------------------------------------------


@st.composite
def dsr_batches(draw):
    """A batch of groups, each with 1-6 bands of counts, populations and standard populations."""
    groups = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for g in range(groups):
        for _ in range(draw(st.integers(min_value=1, max_value=6))):
            rows.append(
                (
                    g,
                    draw(st.integers(min_value=0, max_value=500)),
                    draw(st.integers(min_value=1, max_value=10**6)),
                    draw(st.integers(min_value=0, max_value=10**4)),
                )
            )
    g, x, n, w = (np.array(col, dtype=float) for col in zip(*rows, strict=True))
    return g.astype(int), x, n, w


@given(dsr_batches())
def test_dsr_limits_bracket_the_value_and_widen_with_confidence(batch):
    g, x, n, w = batch
    est = dsr(x, n, w, g, confidence=[0.95, 0.998])
    ok = est.reason == ""
    lo95, hi95 = est.intervals[0.95].lower[ok], est.intervals[0.95].upper[ok]
    lo998, hi998 = est.intervals[0.998].lower[ok], est.intervals[0.998].upper[ok]
    assert (lo998 <= lo95).all() and (lo95 <= est.value[ok]).all()
    assert (est.value[ok] <= hi95).all() and (hi95 <= hi998).all()
    assert np.isnan(est.value[~ok]).all()


@given(dsr_batches())
def test_dsr_batch_equals_group_by_group(batch):
    g, x, n, w = batch
    est = dsr(x, n, w, g)
    for code in range(g.max() + 1):
        rows = g == code
        one = dsr(x[rows], n[rows], w[rows], np.zeros(rows.sum(), dtype=int))
        assert one.reason[0] == est.reason[code]
        assert_allclose(one.value, est.value[[code]], rtol=1e-12)
        assert_allclose(one.lower, est.lower[[code]], rtol=1e-12)


@given(dsr_batches(), st.floats(min_value=0.01, max_value=100))
def test_dsr_does_not_depend_on_the_scale_of_the_standard_population(batch, factor):
    g, x, n, w = batch
    a, b = dsr(x, n, w, g), dsr(x, n, w * factor, g)
    assert_allclose(a.value, b.value, rtol=1e-9)
    assert_allclose(a.upper, b.upper, rtol=1e-9)


@given(dsr_batches())
def test_non_independent_single_events_equal_independent_for_any_batch(batch):
    g, x, n, w = batch
    bands = np.arange(g.size)  # every row its own band
    a = dsr(x, n, w, g)
    b = dsr(x, n, w, g, eventfreq=np.ones(g.size), ageband=bands)
    assert (a.reason == b.reason).all()
    assert_allclose(a.value, b.value, rtol=1e-12)
    assert_allclose(a.lower, b.lower, rtol=1e-12)
