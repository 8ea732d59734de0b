"""focuson.study.did: known effects on seeded panels, exact identities and the SE conventions."""

from itertools import combinations

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

from focuson.study import _cluster
from focuson.study.did import did_2x2, gap_did, twfe
from focuson.study.event_study import event_study
from focuson.study.verdict import study_verdict


def panel(rng, n_units=40, n_periods=8, n_treated=20, effect=0.0, start=4, sd=1.0, rho=0.0):
    """Unit x period panel with unit and period effects, parallel trends, a common start."""
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units)
    d = (unit < n_treated) & (period >= start)
    unit_fx = rng.normal(0, 2, n_units)[unit]
    period_fx = (0.3 * np.arange(n_periods) + rng.normal(0, 0.5, n_periods))[period]
    # a unit-level shock shared by all periods after the start makes clustering matter
    shock = rng.normal(0, rho, n_units)[unit] * (period >= start)
    y = 50 + unit_fx + period_fx + effect * d + shock + rng.normal(0, sd, unit.size)
    return y, unit, period, d


def test_2x2_is_the_difference_of_four_weighted_means_exactly():
    rng = np.random.default_rng(1)
    n = 200
    treated, post = rng.integers(0, 2, n), rng.integers(0, 2, n)
    y, w = rng.normal(60, 5, n), rng.integers(50, 500, n).astype(float)

    def m(t, p):
        s = (treated == t) & (post == p)
        return np.sum(w[s] * y[s]) / np.sum(w[s])

    expected = (m(1, 1) - m(1, 0)) - (m(0, 1) - m(0, 0))
    got = did_2x2(y, treated, post, weights=w)
    assert got.inference == "HC1"
    assert_allclose(got.estimate, expected, rtol=0, atol=1e-12)


def test_twfe_equals_2x2_on_a_balanced_two_period_panel():
    rng = np.random.default_rng(2)
    y, unit, period, d = panel(rng, n_units=30, n_periods=2, n_treated=12, effect=1.5, start=1)
    treated = (unit < 12).astype(int)
    a = twfe(y, unit, period, d, inference="CR1")
    b = did_2x2(y, treated, period, unit=unit, inference="CR1")
    assert_allclose(a.estimate, b.estimate, atol=1e-10)


def test_cr1_equals_a_hand_computed_sandwich_counting_every_dummy():
    rng = np.random.default_rng(3)
    y, unit, period, d = panel(rng, n_units=6, n_periods=3, n_treated=3, effect=1.0, start=2)
    w = rng.uniform(0.5, 2.0, y.size)
    got = twfe(y, unit, period, d, weights=w, inference="CR1")
    X = np.column_stack(
        [(unit[:, None] == np.arange(6)), (period[:, None] == np.arange(1, 3)), d]
    ).astype(float)
    n, k, g = X.shape[0], X.shape[1], 6
    bread = np.linalg.inv(X.T @ (w[:, None] * X))
    beta = bread @ X.T @ (w * y)
    e = y - X @ beta
    scores = np.array([(X[unit == c] * (w * e)[unit == c, None]).sum(axis=0) for c in range(g)])
    V = g / (g - 1) * (n - 1) / (n - k) * bread @ scores.T @ scores @ bread
    assert got.k == k == 9
    assert_allclose(got.estimate, beta[-1], atol=1e-10)
    assert_allclose(got.se, np.sqrt(V[-1, -1]), rtol=1e-10)
    assert "every dummy" in got.note


def test_crv3_is_the_leave_one_cluster_out_jackknife():
    rng = np.random.default_rng(4)
    y, unit, period, d = panel(rng, n_units=8, n_periods=4, n_treated=4, effect=1.0, start=2)
    got = twfe(y, unit, period, d, inference="CRV3")
    X = np.column_stack(
        [(unit[:, None] == np.arange(8)), (period[:, None] == np.arange(1, 4)), d]
    ).astype(float)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    loo = np.array([np.linalg.lstsq(X[unit != c], y[unit != c], rcond=None)[0] for c in range(8)])
    # unit c's own dummy is not identified without it, so compare the treatment coefficient only
    expected = np.sqrt(7 / 8 * np.sum((loo[:, -1] - beta[-1]) ** 2))
    assert got.inference == "CRV3"
    assert_allclose(got.se, expected, rtol=1e-8)


def test_recovers_a_known_effect_with_many_clusters():
    rng = np.random.default_rng(5)
    y, unit, period, d = panel(rng, n_units=60, n_treated=30, effect=2.0, rho=0.5)
    got = twfe(y, unit, period, d)
    assert got.inference == "CR1" and got.n_clusters == 60 and got.n_treated_clusters == 30
    assert got.lower < 2.0 < got.upper
    assert abs(got.estimate - 2.0) < 0.4


def test_wild_bootstrap_fast_form_matches_explicit_refits():
    rng = np.random.default_rng(6)
    y, unit, period, d = panel(rng, n_units=7, n_periods=4, n_treated=3, effect=0.5, start=2)
    X = np.column_stack(
        [(unit[:, None] == np.arange(7)), (period[:, None] == np.arange(1, 4)), d]
    ).astype(float)
    member = _cluster.indicators(unit)
    col, n, k = X.shape[1] - 1, X.shape[0], X.shape[1]
    c1 = 7 / 6 * (n - 1) / (n - k)
    X_r = np.delete(X, col, axis=1)
    fit_r = X_r @ np.linalg.lstsq(X_r, y, rcond=None)[0]
    u = y - fit_r
    v = rng.choice([-1.0, 1.0], size=(7, 5))
    a = np.linalg.pinv(X)[col]
    fast = _cluster._boot_t(X, a, u, member, v, c1)
    for b in range(5):
        y_star = fit_r + u * v[unit, b]
        res = sm.OLS(y_star, X).fit(cov_type="cluster", cov_kwds={"groups": unit})
        assert_allclose(fast[b], res.tvalues[col], rtol=1e-9)


def test_few_clusters_use_the_wild_bootstrap_with_the_right_false_positive_rate():
    rng = np.random.default_rng(7)
    draws = 300
    rejections = 0
    for _ in range(draws):
        y, unit, period, d = panel(rng, n_units=10, n_periods=4, n_treated=5, start=2, rho=0.7)
        got = twfe(y, unit, period, d, n_boot=399, seed=int(rng.integers(1 << 31)))
        rejections += got.p_value < 0.05
    assert got.inference == "wild" and "wild cluster bootstrap" in got.note
    # 300 draws: binomial SD of the rate is 1.26 points at 5%, so 2% to 9% is about +-3 SD
    assert 0.02 <= rejections / draws <= 0.09


def test_wild_bootstrap_ci_covers_the_truth_and_excludes_zero_for_a_big_effect():
    rng = np.random.default_rng(8)
    y, unit, period, d = panel(rng, n_units=12, n_treated=6, effect=3.0, rho=0.3)
    got = twfe(y, unit, period, d, n_boot=1999)
    assert got.inference == "wild"
    assert 0 < got.lower < 3.0 < got.upper
    assert got.p_value < 0.01


def test_one_or_two_treated_units_refuse_cluster_ses_and_permute():
    rng = np.random.default_rng(9)
    y, unit, period, d = panel(rng, n_units=25, n_treated=1, effect=6.0, sd=0.5)
    with pytest.raises(ValueError, match="Conley & Taber"):
        twfe(y, unit, period, d, inference="CR1")
    got = twfe(y, unit, period, d)
    assert got.inference == "permutation" and np.isnan(got.lower) and np.isnan(got.se)
    assert got.p_value == pytest.approx(1 / 25)  # the treated unit ranks first of 25
    few = twfe(*panel(rng, n_units=5, n_treated=1, effect=6.0)[:3], panel(rng, 5, 8, 1)[3])
    assert few.inference == "descriptive" and "descriptive only" in few.note


def test_permutation_estimates_equal_refits_for_every_assignment():
    rng = np.random.default_rng(10)
    y, unit, period, _ = panel(rng, n_units=6, n_periods=4, n_treated=2, effect=1.0, start=2)
    post = (period >= 2).astype(float)
    Z = np.column_stack(
        [(unit[:, None] == np.arange(6)), (period[:, None] == np.arange(1, 4))]
    ).astype(float)
    sets, obs = _cluster.treated_sets(6, np.array([0, 1]), 100, 0)
    assert obs == 0 and sets.shape[0] == 15
    fast = _cluster.permutation_estimates(Z, y, lambda m: [m * post[:, None]], unit, sets, which=0)
    for s, f in zip(sets, fast, strict=True):
        dp = np.isin(unit, s) * post
        assert_allclose(f, sm.OLS(y, np.column_stack([Z, dp])).fit().params[-1], atol=1e-10)
    assert sorted(map(tuple, sets.tolist())) == list(combinations(range(6), 2))


def test_staggered_adoption_is_refused():
    rng = np.random.default_rng(11)
    y, unit, period, d = panel(rng, n_units=10, n_treated=5)
    d = d | ((unit == 6) & (period >= 6))
    with pytest.raises(ValueError, match="staggered"):
        twfe(y, unit, period, d)


def gap_panel(rng, n_units=40, n_periods=6, n_treated=20, ref_effect=6.0, risk_effect=2.0):
    """Two groups per unit x period; the reference (least deprived) group gains most."""
    unit = np.repeat(np.arange(n_units), n_periods * 2)
    period = np.tile(np.repeat(np.arange(n_periods), 2), n_units)
    risk = np.tile([0, 1], n_units * n_periods)
    d = (unit < n_treated) & (period >= n_periods // 2)
    pop = rng.integers(500, 3000, unit.size).astype(float)
    y = (
        60
        - 8 * risk
        + rng.normal(0, 2, n_units)[unit]
        + 0.4 * period
        + np.where(risk == 1, risk_effect, ref_effect) * d
        + rng.normal(0, 1.0, unit.size)
    )
    return y, unit, period, d, risk, pop


def test_gap_widens_while_the_overall_improves_and_the_verdict_flags_it():
    rng = np.random.default_rng(12)
    y, unit, period, d, risk, pop = gap_panel(rng)
    gap = gap_did(y, unit, period, d, risk, weights=pop)
    assert gap.upper < 0 and gap.lower < -4.0 < gap.upper  # at-risk minus reference: -4
    # overall: the population-weighted mean of the two groups in each unit x period
    cell = unit * 100 + period
    inv = np.unique(cell, return_inverse=True)[1]
    tot = np.bincount(inv, pop)
    ybar = np.bincount(inv, pop * y) / tot
    first = np.unique(inv, return_index=True)[1]
    overall = twfe(ybar, unit[first], period[first], d[first], weights=tot)
    assert overall.lower > 0
    # higher is better, so the at-risk minus reference difference is already "positive = narrowed"
    v = study_verdict(
        (overall.estimate, overall.lower, overall.upper),
        (gap.estimate, gap.lower, gap.upper),
        delta_overall=1.0,
        delta_gap=1.0,
    )
    assert v.flag == "red"


def test_gap_did_equals_twfe_on_the_gap_series_when_unweighted():
    rng = np.random.default_rng(13)
    y, unit, period, d, risk, _ = gap_panel(rng, n_units=12, n_treated=6)
    ddd = gap_did(y, unit, period, d, risk, inference="CR1")
    gap_y = y[risk == 1] - y[risk == 0]
    ref = risk == 0
    assert_allclose(ddd.estimate, twfe(gap_y, unit[ref], period[ref], d[ref]).estimate, atol=1e-10)
    assert ddd.k == 2 * 12 + 2 * 6


def test_event_study_leads_catch_a_pre_trend_and_pass_parallel_trends():
    rng = np.random.default_rng(14)
    y, unit, period, d = panel(rng, n_units=40, n_treated=20, effect=2.0)
    ok = event_study(y, unit, period, d)
    assert ok.relative_time.tolist() == [-4, -3, -2, 0, 1, 2, 3]
    assert ok.pretrend_p > 0.01
    assert np.all(ok.lower[3:] < 2.0) and np.all(ok.upper[3:] > 2.0)
    diverging = y + 1.5 * (unit < 20) * period
    bad = event_study(diverging, unit, period, d)
    assert bad.pretrend_p < 1e-4


def test_gap_and_2x2_permutations_keep_the_regression_estimate_and_rank_a_big_effect_first():
    rng = np.random.default_rng(15)
    y, unit, period, d, risk, pop = gap_panel(rng, n_units=25, n_treated=1, risk_effect=-6.0)
    perm = gap_did(y, unit, period, d, risk, weights=pop)
    assert perm.inference == "permutation" and perm.n_treated_clusters == 1
    fe_u = (unit[:, None] == np.arange(25)).astype(float)
    fe_t = (period[:, None] == np.arange(1, 6)).astype(float)
    X = np.column_stack([fe_u, fe_u * risk[:, None], fe_t, fe_t * risk[:, None], d, d * risk])
    ref = sm.WLS(y, X, weights=pop).fit().params[-1]
    assert_allclose(perm.estimate, ref, atol=1e-9)
    assert perm.p_value == pytest.approx(1 / 25)
    ref0 = risk == 0
    treated = (unit < 1).astype(float)[ref0]
    post = (period >= 3).astype(float)[ref0]
    two = did_2x2(y[ref0], treated, post, unit=unit[ref0])
    hc1 = did_2x2(y[ref0], treated, post)
    assert two.inference == "permutation" and hc1.inference == "HC1"
    assert_allclose(two.estimate, hc1.estimate, atol=1e-9)


def test_gap_crv3_is_the_leave_one_cluster_out_jackknife():
    rng = np.random.default_rng(16)
    y, unit, period, d, risk, _ = gap_panel(rng, n_units=8, n_periods=4, n_treated=4)
    got = gap_did(y, unit, period, d, risk, inference="CRV3")
    fe_u = (unit[:, None] == np.arange(8)).astype(float)
    fe_t = (period[:, None] == np.arange(1, 4)).astype(float)
    a = risk[:, None]
    X = np.column_stack([fe_u, fe_u * a, fe_t, fe_t * a, d, d * risk])
    beta = np.linalg.lstsq(X, y, rcond=None)[0][-1]
    loo = [np.linalg.lstsq(X[unit != c], y[unit != c], rcond=None)[0][-1] for c in range(8)]
    assert_allclose(got.se, np.sqrt(7 / 8 * np.sum((np.array(loo) - beta) ** 2)), rtol=1e-8)


def test_wild_bootstrap_is_reproducible_from_its_seed():
    rng = np.random.default_rng(17)
    y, unit, period, d = panel(rng, n_units=12, n_treated=6, effect=0.5, rho=0.5)
    a = twfe(y, unit, period, d, n_boot=999, seed=3)
    b = twfe(y, unit, period, d, n_boot=999, seed=3)
    c = twfe(y, unit, period, d, n_boot=999, seed=4)
    assert (a.p_value, a.lower, a.upper) == (b.p_value, b.lower, b.upper)
    assert a.p_value != c.p_value or a.lower != c.lower
    assert "seed 3" in a.note
