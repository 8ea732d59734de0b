"""life_expectancy: the phe_life_expectancy rules, edge cases, errors and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from focuson.stats.life_expectancy import STANDARD_AGE_BANDS, life_expectancy

POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416,
        46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]  # fmt: skip
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936,
          1937]  # fmt: skip
BANDS = list(STANDARD_AGE_BANDS)
Z95 = stats.norm.ppf(0.975)


def reference_table(deaths, pops, starts):
    """One group, Chiang II + Silcocks in plain Python, written from the method notes (§7)."""
    B = len(starts)
    M = [d / p for d, p in zip(deaths, pops, strict=True)]
    n = [starts[i + 1] - starts[i] for i in range(B - 1)]
    a = [0.1 if starts[i] == 0 else 0.5 for i in range(B - 1)]
    q = []
    for i in range(B - 1):
        if deaths[i] <= pops[i] / n[i] / a[i]:
            q.append(M[i] * n[i] / (1 + M[i] * n[i] * (1 - a[i])))
        else:
            q.append(1.0)
    q.append(1.0)
    lx = [1e5]
    for i in range(1, B):
        lx.append(lx[-1] * (1 - q[i - 1]))
    d = [lx[i] - (lx[i + 1] if i + 1 < B else 0.0) for i in range(B)]
    L = [n[i] * (lx[i + 1] + a[i] * d[i]) for i in range(B - 1)] + [lx[-1] / M[-1]]
    T = [sum(L[i:]) for i in range(B)]
    e = [0.0 if lx[i] == 0 else T[i] / lx[i] for i in range(B)]
    sp = [0.0 if d[i] == 0 else q[i] ** 2 * (1 - q[i]) / deaths[i] for i in range(B - 1)]
    sp.append(4 / (deaths[-1] * M[-1] ** 2))
    W = [sp[i] * lx[i] ** 2 * ((1 - a[i]) * n[i] + e[i + 1]) ** 2 for i in range(B - 1)]
    W.append((lx[-1] / 2) ** 2 * sp[-1])
    se = [math.sqrt(sum(W[i:]) / lx[i] ** 2) if lx[i] > 0 else math.nan for i in range(B)]
    return e, se


# ---------------------------------------------------------------------------------------------
# Behaviour


def test_output_layout_and_extras():
    est = life_expectancy(DEATHS * 2, POPS * 2, BANDS * 2, [0] * 20 + [1] * 20)
    assert len(est) == 40
    assert_array_equal(est.extras["group"], np.repeat([0.0, 1.0], 20))
    assert_array_equal(est.extras["startage"], np.tile(BANDS, 2))
    assert_allclose(est.value[:20], est.value[20:], rtol=0)
    assert est.statistic == "life expectancy"
    assert set(est.method) == {"Chiang, using Silcocks et al for confidence limits"}
    assert {"lowercl", "uppercl", "pops_used", "dths_used"} <= set(est.columns())


def test_matches_plain_python_life_table():
    est = life_expectancy(DEATHS, POPS, BANDS)
    e, se = reference_table(DEATHS, POPS, BANDS)
    assert_allclose(est.value, e, rtol=1e-12)
    assert_allclose(est.upper - est.value, Z95 * np.array(se), rtol=1e-10)


def test_le_age_selects_and_sorts_ages():
    est = life_expectancy(DEATHS, POPS, BANDS, le_age=[25, 5, 25])
    assert_array_equal(est.extras["startage"], [5, 25])
    full = life_expectancy(DEATHS, POPS, BANDS)
    assert_allclose(est.value, full.value[[2, 6]], rtol=0)


def test_several_confidence_levels_equal_single_calls():
    # The package's test7 / test8: 99.8% alone equals 99.8% next to 95%.
    both = life_expectancy(DEATHS, POPS, BANDS, confidence=[95, 99.8])
    alone = life_expectancy(DEATHS, POPS, BANDS, confidence=99.8)
    assert both.confidence == (0.95, 0.998)
    assert_allclose(both.intervals[0.998].lower, alone.lower, rtol=0)
    assert_allclose(both.intervals[0.998].upper, alone.upper, rtol=0)
    assert "lower99_8cl" in both.columns()


def test_85_plus_bands_work_and_match_the_plain_table():
    # PHEindicatormethods #96 / #68: data whose last band is 85+ (19 bands).
    bands = BANDS[:-1]
    deaths = [*DEATHS[:18], DEATHS[18] + DEATHS[19]]
    pops = [*POPS[:18], POPS[18] + POPS[19]]
    est = life_expectancy(deaths, pops, bands, age_contents=bands)
    e, se = reference_table(deaths, pops, bands)
    assert len(est) == 19 and (est.reason == "").all()
    assert_allclose(est.value, e, rtol=1e-12)
    assert_allclose(est.upper - est.value, Z95 * np.array(se), rtol=1e-10)
    # Merging the oldest bands changes LE at birth by a hundredth of a year or less here.
    assert abs(est.value[0] - life_expectancy(DEATHS, POPS, BANDS).value[0]) < 0.01


def test_text_age_labels():
    labels = ["0", "1-4", "5-9"] + [f"{a}-{a + 4}" for a in range(10, 90, 5)] + ["90+"]
    est = life_expectancy(DEATHS, POPS, labels, age_contents=labels, le_age="65-69")
    assert_allclose(est.value, life_expectancy(DEATHS, POPS, BANDS, le_age=65).value, rtol=0)
    assert_array_equal(est.extras["startage"], [65])


# ---------------------------------------------------------------------------------------------
# Groups made NA with a reason, never sinking the rest of the batch


def _with_bad_group(deaths_bad, pops_bad, bands_bad=None):
    bands_bad = BANDS if bands_bad is None else bands_bad
    nb = len(bands_bad)
    est = life_expectancy(
        DEATHS + deaths_bad + DEATHS,
        POPS + pops_bad + POPS,
        BANDS + bands_bad + BANDS,
        [0] * 20 + [1] * nb + [2] * 20,
    )
    good = life_expectancy(DEATHS, POPS, BANDS)
    assert_allclose(est.value[:20], good.value, rtol=0)
    assert_allclose(est.value[40:], good.value, rtol=0)
    bad = slice(20, 40)
    assert np.isnan(est.value[bad]).all()
    assert np.isnan(est.lower[bad]).all() and np.isnan(est.upper[bad]).all()
    assert len(set(est.reason[bad])) == 1
    return est.reason[20], est


def _replace(values, i, new):
    out = list(values)
    out[i] = new
    return out


def test_negative_deaths():
    reason, _ = _with_bad_group(_replace(DEATHS, 3, -5), POPS)
    assert reason == "negative deaths in an age band"


@pytest.mark.parametrize("pop", [0, -10])
def test_zero_or_negative_population(pop):
    reason, _ = _with_bad_group(DEATHS, _replace(POPS, 5, pop))
    assert reason == "population zero or negative in an age band"


def test_deaths_above_population():
    reason, _ = _with_bad_group(DEATHS, _replace(POPS, 18, 119))
    assert reason == "more deaths than population in an age band"


def test_missing_band():
    reason, est = _with_bad_group(DEATHS[:19], POPS[:19], BANDS[:19])
    assert reason == "age bands incomplete: each of the 20 bands must appear once"
    # The totals used are still given: those of the 19 bands present, from each age upward.
    up = np.cumsum(np.array([*POPS[:19], 0.0])[::-1])[::-1]
    assert_allclose(est.extras["pops_used"][20:40], up)
    assert_allclose(est.extras["dths_used"][20], sum(DEATHS[:19]))


def test_missing_count_makes_totals_na_from_its_band_downward():
    _, est = _with_bad_group(_replace(DEATHS, 7, np.nan), POPS)
    dths = est.extras["dths_used"][20:40]
    assert np.isnan(dths[:8]).all()
    assert_allclose(dths[8:], np.cumsum(DEATHS[8:][::-1])[::-1])
    assert_allclose(est.extras["pops_used"][20], sum(POPS))


def test_repeated_band():
    reason, _ = _with_bad_group([*DEATHS, 1], [*POPS, 100], [*BANDS, 45])
    assert reason.startswith("age bands incomplete")


@pytest.mark.parametrize("total", [5000, 2900])
def test_total_population_5000_or_less(total):
    pops = [total // 20] * 20
    pops[0] += total - sum(pops)
    reason, est = _with_bad_group([1] * 20, pops)
    assert reason == "total population 5,000 or less"
    assert est.extras["pops_used"][20] == total  # still reported for complete groups


def test_missing_deaths():
    reason, _ = _with_bad_group(_replace(DEATHS, 7, np.nan), POPS)
    assert reason == "deaths or population missing"


def test_first_reason_in_the_packages_order():
    reason, _ = _with_bad_group(_replace(DEATHS, 3, -5), _replace(POPS, 5, 0))
    assert reason == "negative deaths in an age band"


def test_group_code_without_rows_is_na():
    est = life_expectancy(DEATHS, POPS, BANDS, [1] * 20)
    assert np.isnan(est.value[:20]).all()
    assert est.reason[0].startswith("age bands incomplete")
    assert np.isfinite(est.value[20:]).all()


def test_empty_input():
    est = life_expectancy([], [], [], [])
    assert len(est) == 0


# ---------------------------------------------------------------------------------------------
# Suppression and edge cases (method notes §7)


def test_no_deaths_in_last_band_gives_na_value_and_infinite_upper_limit():
    est = life_expectancy(_replace(DEATHS, 19, 0), POPS, BANDS)
    assert np.isnan(est.value).all()
    assert set(est.reason) == {"no deaths in the last age band, so life expectancy is infinite"}
    assert np.isnan(est.lower).all() and np.isposinf(est.upper).all()


def test_one_death_in_last_band_suppresses_the_oldest_value():
    est = life_expectancy(_replace(DEATHS, 19, 1), POPS, BANDS)
    assert np.isnan(est.value[19])
    assert est.reason[19] == "95% confidence interval wider than 20 years"
    assert est.upper[19] - est.lower[19] > 20


def test_wide_interval_rule_uses_95_percent_whatever_the_confidence():
    deaths = [d // 40 + 1 for d in DEATHS]
    pops = [p // 40 + 1 for p in POPS]
    for conf in (0.9, 0.998):
        est = life_expectancy(deaths, pops, BANDS, confidence=conf)
        half95 = Z95 * (est.upper - est.lower) / (2 * stats.norm.ppf(conf + (1 - conf) / 2))
        with np.errstate(invalid="ignore"):
            assert_array_equal(np.isnan(est.value), half95 > 10)


def test_q_cap_gives_zero_at_later_ages_and_nan_limits():
    # 30,000 deaths among 46,009 at 25-29 is above 40% of a five-year band: q = 1 (issue #47).
    deaths = _replace(DEATHS, 6, 30_000)
    est = life_expectancy(deaths, POPS, BANDS)
    assert np.isfinite(est.value[:7]).all()
    assert_array_equal(est.value[7:], 0.0)
    assert np.isnan(est.lower[7:]).all() and np.isnan(est.upper[7:]).all()
    e, _ = reference_table(deaths, POPS, BANDS)
    assert_allclose(est.value[:7], e[:7], rtol=1e-12)
    assert (est.reason[7:] == "").all()


def test_cap_threshold_for_1_to_4_is_half_the_population():
    # D <= P / n / a keeps the formula: for 1-4 (n = 4, a = 0.5) that is D <= P / 2.
    at = life_expectancy(_replace(DEATHS, 1, 17_529), POPS, BANDS)  # 35,059 / 2 = 17,529.5
    over = life_expectancy(_replace(DEATHS, 1, 17_530), POPS, BANDS)
    assert at.value[2] > 0 and over.value[2] == 0


# ---------------------------------------------------------------------------------------------
# Errors


def test_age_contents_must_start_at_zero():
    with pytest.raises(ValueError, match="age_contents: first age band must start at 0"):
        life_expectancy(DEATHS, POPS, BANDS, age_contents=[1, 0, *range(5, 95, 5)])


def test_age_contents_out_of_order_lists_bands():
    bad = ["0", "1 4", "5 9", "20 24", "25 29", "10 14", "15 19"]
    with pytest.raises(ValueError, match="out of position: 20 24, 25 29, 10 14, 15 19"):
        life_expectancy([1] * 7, [1000] * 7, bad, age_contents=bad)


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ([0], "at least two age bands"),
        ([0, 5, 5, 10], "two bands start at the same age"),
        ([0, "5-9"], "all bands as numbers or all as text"),
        (["0", "five"], "cannot read a start age"),
        ([0, -5], "finite and not negative"),
    ],
)
def test_age_contents_other_errors(contents, message):
    with pytest.raises(ValueError, match=message):
        life_expectancy([1], [1000], [0], age_contents=contents)


def test_startage_not_in_age_contents_names_the_row():
    with pytest.raises(ValueError, match=r"startage: 3 not in age_contents \(row 2\)"):
        life_expectancy([1, 1, 1], [10, 10, 10], [0, 1, 3])
    with pytest.raises(ValueError, match="startage: '10 – 14' not in age_contents"):
        life_expectancy([1, 1], [10, 10], ["0", "10 – 14"], age_contents=["0", "10-14"])


def test_le_age_not_in_age_contents():
    with pytest.raises(ValueError, match="le_age: 4 not in age_contents"):
        life_expectancy(DEATHS, POPS, BANDS, le_age=4)
    with pytest.raises(ValueError, match="le_age: give"):
        life_expectancy(DEATHS, POPS, BANDS, le_age=[])


def test_confidence_out_of_range():
    with pytest.raises(ValueError, match="confidence"):
        life_expectancy(DEATHS, POPS, BANDS, confidence=0.8)


def test_length_mismatch():
    with pytest.raises(ValueError, match="one value per row"):
        life_expectancy(DEATHS, POPS[:19], BANDS)


def test_bad_group_codes_name_the_row():
    with pytest.raises(ValueError, match=r"group: codes must be whole numbers.*row 3"):
        life_expectancy(DEATHS, POPS, BANDS, [0, 0, 0, -1] + [0] * 16)


# ---------------------------------------------------------------------------------------------
# Properties

band_sets = st.sampled_from([BANDS, BANDS[:-1], BANDS[:-2], [0, 1, 5, 15, 45, 65, 75, 85]])


@st.composite
def tables(draw):
    bands = draw(band_sets)
    B = len(bands)
    pops = draw(st.lists(st.integers(300, 60_000), min_size=B, max_size=B))
    rates = draw(st.lists(st.floats(0.0, 0.3), min_size=B, max_size=B))
    deaths = [min(p, round(p * r)) for p, r in zip(pops, rates, strict=True)]
    deaths[-1] = max(deaths[-1], draw(st.integers(1, 50)))
    deaths[-1] = min(deaths[-1], pops[-1])
    return bands, deaths, pops


@given(table=tables())
def test_matches_plain_table_and_limits_bracket_value(table):
    bands, deaths, pops = table
    est = life_expectancy(deaths, pops, bands, age_contents=bands, confidence=[0.95, 0.998])
    if sum(pops) <= 5000:
        assert np.isnan(est.value).all()
        return
    e, se = reference_table(deaths, pops, bands)
    ci95, ci998 = est.intervals[0.95], est.intervals[0.998]
    shown = ~np.isnan(est.value)
    assert_allclose(est.value[shown], np.array(e)[shown], rtol=1e-9)
    finite = np.isfinite(ci95.lower)
    assert_allclose((ci95.upper - ci95.lower)[finite] / 2, (Z95 * np.array(se))[finite], rtol=1e-9)
    # Limits are NaN only at ages after a q = 1 cap (value 0), as in the package.
    assert (est.value[shown & ~finite] == 0).all()
    assert (ci95.lower[shown & finite] <= est.value[shown & finite]).all()
    assert (est.value[shown & finite] <= ci95.upper[shown & finite]).all()
    assert (ci998.lower[finite] <= ci95.lower[finite]).all()
    assert (ci998.upper[finite] >= ci95.upper[finite]).all()


@given(tabs=st.lists(tables().filter(lambda t: t[0] == BANDS), min_size=1, max_size=4),
       seed=st.integers(0, 2**32 - 1))  # fmt: skip
def test_vectorised_equals_group_by_group_in_any_row_order(tabs, seed):
    deaths = np.concatenate([t[1] for t in tabs]).astype(float)
    pops = np.concatenate([t[2] for t in tabs]).astype(float)
    bands = np.tile(BANDS, len(tabs))
    groups = np.repeat(np.arange(len(tabs)), 20)
    perm = np.random.default_rng(seed).permutation(deaths.size)
    est = life_expectancy(deaths[perm], pops[perm], bands[perm], groups[perm])
    for g, (_, d, p) in enumerate(tabs):
        alone = life_expectancy(d, p, BANDS)
        rows = slice(20 * g, 20 * (g + 1))
        assert_array_equal(est.value[rows], alone.value)
        assert_array_equal(est.lower[rows], alone.lower)
        assert_array_equal(est.reason[rows], alone.reason)
