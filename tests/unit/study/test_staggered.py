"""focuson.study.staggered: the imputation DiD against Gardner's two stages, pyfixest and TWFE."""

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

from focuson.study.staggered import _draws, _effects, _panel, staggered, staggered_gap
from focuson.study.verdict import study_verdict


def simulate(seed=0, n_units=60, n_periods=24, sd=1.0):
    """Staggered panel: cohorts start at 6, 10, 14 and a quarter never; effects differ by cohort
    (4, 2, 1) and grow by 0.3 a period since the start (heterogeneous and dynamic)."""
    rng = np.random.default_rng(seed)
    cohorts = np.array([6.0, 10.0, 14.0, np.inf])
    first_u = cohorts[np.arange(n_units) % 4]
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units).astype(float)
    first = first_u[unit]
    rel = period - first
    d = rel >= 0
    base = np.where(first == 6, 4.0, np.where(first == 10, 2.0, 1.0))
    tau = np.where(d, base + 0.3 * np.where(d, rel, 0), 0.0)
    alpha = rng.normal(0, 2, n_units)[unit]
    beta = 0.2 * period + rng.normal(0, 0.5, n_periods)[period.astype(int)]
    y = 50 + alpha + beta + tau + rng.normal(0, sd, unit.size)
    return y, unit, period, first, tau


# pyfixest 0.60.0 (scratch venv, not a project dependency), on simulate() with seed 0:
#   df = pd.DataFrame({"y": y, "unit": unit, "year": period, "treat": period >= first,
#                      "rel_year": np.where(np.isfinite(first), period - first, np.inf)})
#   pf.did2s(df, yname="y", first_stage="~ 0 | unit + year", second_stage="~ treat",
#            treatment="treat", cluster="unit")                         -> treat 4.604878891145768
#   pf.did2s(..., second_stage="~ i(rel_year, ref=-1.0)", ...)          -> rel_year::k below
PYFIXEST_ATT = 4.604878891145768
PYFIXEST_SE = 0.2720135491147735  # did2s's analytic GMM SE, compared loosely with the bootstrap
PYFIXEST_EVENT = {
    -14: 3.536124e-03, -9: -1.682161e-01, -5: 6.870015e-02, -2: -3.015995e-03,
    0: 2.408655e00, 1: 2.937706e00, 5: 4.072154e00, 10: 5.533496e00, 17: 9.107101e00,
}  # fmt: skip


def test_matches_pyfixest_did2s():
    y, unit, period, first, _ = simulate()
    fit = staggered(y, unit, period, first, leads=20, n_boot=100)
    assert fit.estimate == pytest.approx(PYFIXEST_ATT, abs=1e-6)
    times = fit.relative_time.tolist()
    for k, v in PYFIXEST_EVENT.items():
        # pyfixest prints 7 significant digits here
        assert fit.event_estimate[times.index(k)] == pytest.approx(v, abs=1e-6)
    assert fit.se == pytest.approx(PYFIXEST_SE, rel=0.25)


def gardner(y, unit, period, first, w=None, event=False):
    """Gardner (2022) two-stage DiD with statsmodels: stage 1 on untreated rows, stage 2 on all."""
    w = np.ones_like(y) if w is None else w
    d = period >= first
    units, periods = np.unique(unit), np.unique(period)
    X = np.column_stack([(unit[:, None] == units).astype(float),
                         (period[:, None] == periods[1:]).astype(float)])  # fmt: skip
    stage1 = sm.WLS(y[~d], X[~d], weights=w[~d]).fit()
    resid = y - X @ stage1.params
    if not event:
        return sm.WLS(resid, d.astype(float), weights=w).fit().params[0]
    rel = np.where(np.isfinite(first), period - first, np.inf)
    times = np.unique(rel[np.isfinite(rel)])
    R = (rel[:, None] == times).astype(float)
    return times, sm.WLS(resid, R, weights=w).fit().params


@pytest.mark.parametrize("weighted", [False, True])
def test_point_estimates_equal_gardner_two_stage_in_statsmodels(weighted):
    y, unit, period, first, _ = simulate(seed=3)
    w = np.random.default_rng(9).integers(50, 900, y.size).astype(float) if weighted else None
    fit = staggered(y, unit, period, first, weights=w, leads=30, n_boot=20)
    assert fit.estimate == pytest.approx(gardner(y, unit, period, first, w), abs=1e-8)
    times, coefs = gardner(y, unit, period, first, w, event=True)
    assert_allclose(fit.relative_time, times)
    assert_allclose(fit.event_estimate, coefs, atol=1e-8)


def test_twfe_is_biased_and_imputation_recovers_the_planted_effects():
    y, unit, period, first, tau = simulate(seed=1, n_units=200, sd=0.5)
    d = period >= first
    X = np.column_stack([(unit[:, None] == np.unique(unit)).astype(float),
                         (period[:, None] == np.unique(period)[1:]).astype(float), d])  # fmt: skip
    naive = np.linalg.lstsq(X, y, rcond=None)[0][-1]
    truth = tau[d].mean()
    fit = staggered(y, unit, period, first, leads=5, n_boot=100)
    assert abs(naive - truth) > 1.0  # naive TWFE misses by over a point
    assert fit.estimate == pytest.approx(truth, abs=0.1)
    assert fit.lower < truth < fit.upper
    rel = period - first
    for k in (0, 3, 9, 17):
        got = fit.event_estimate[fit.relative_time.tolist().index(k)]
        assert got == pytest.approx(tau[rel == k].mean(), abs=0.2)
    leads = fit.event_estimate[fit.relative_time < 0]
    assert np.all(np.abs(leads) < 0.2)
    assert fit.pretrend_p > 0.01


def test_a_pre_trend_is_caught_by_the_leads():
    y, unit, period, first, _ = simulate(seed=2, n_units=120, sd=0.5)
    rel = period - first
    y = y + np.where((rel < 0) & np.isfinite(first), 0.4 * rel, 0.0)  # treated units catching up
    fit = staggered(y, unit, period, first, leads=5, n_boot=200)
    assert fit.pretrend_p < 0.001


def test_each_bootstrap_replicate_equals_refitting_the_resampled_panel():
    y, unit, period, first, _ = simulate(seed=4, n_units=24, n_periods=18)
    p = _panel(y, unit, period, first, None)
    fit = staggered(y, unit, period, first, leads=3, n_boot=5)
    draws = _draws(24, 5, seed=0)
    from focuson.study.staggered import _aggregator

    boot = _effects(p, draws, _aggregator(p, fit.relative_time), 0.0)
    n_t, compared = 18, 0
    for b in range(5):  # the explicit resample: each drawn unit copied, relabelled
        picked = np.repeat(np.arange(24), draws[b].astype(int))
        rows = (picked[:, None] * n_t + np.arange(n_t)).ravel()
        new_unit = np.repeat(np.arange(picked.size), n_t)
        if np.isinf(first[rows]).any():  # a never-treated unit drawn: identified
            again = staggered(y[rows], new_unit, period[rows], first[rows], leads=3, n_boot=2)
            assert again.estimate == pytest.approx(boot[b, -1], abs=1e-8)
            assert_allclose(again.event_estimate, boot[b, :-1], atol=1e-8)
            compared += 1
    assert compared >= 3


def test_the_bootstrap_is_reproducible_with_its_seed():
    y, unit, period, first, _ = simulate(seed=5, n_units=32)
    a = staggered(y, unit, period, first, n_boot=60, seed=7)
    b = staggered(y, unit, period, first, n_boot=60, seed=7)
    c = staggered(y, unit, period, first, n_boot=60, seed=8)
    assert (a.lower, a.upper, a.se) == (b.lower, b.upper, b.se)
    assert a.se != c.se


def test_refuses_when_no_untreated_unit_is_left_in_a_period():
    y, unit, period, first, _ = simulate(n_units=40)
    keep = np.isfinite(first)  # no never-treated units: after period 14 everyone is treated
    with pytest.raises(ValueError, match=r"period\(s\) 14, 15.*never-treated comparison units"):
        staggered(y[keep], unit[keep], period[keep], first[keep])


def test_refuses_units_treated_in_every_period():
    y, unit, period, first, _ = simulate(n_units=40)
    first = np.where(unit == 0, -1.0, first)
    with pytest.raises(ValueError, match="1 unit\\(s\\) are treated in every period"):
        staggered(y, unit, period, first)


def test_refuses_inconsistent_first_treated():
    y, unit, period, first, _ = simulate(n_units=8)
    first = first.copy()
    first[3] = 2.0
    with pytest.raises(ValueError, match="same on every row"):
        staggered(y, unit, period, first)


def test_overall_better_but_gap_wider_raises_the_red_flag():
    rng = np.random.default_rng(6)
    _, unit, period, first, _ = simulate(n_units=80)
    d = (period >= first).astype(float)
    ufx = rng.normal(0, 1, 80)[unit]
    most = 55 + ufx + 0.1 * period + 1.0 * d + rng.normal(0, 0.5, unit.size)
    least = 70 + ufx + 0.1 * period + 5.0 * d + rng.normal(0, 0.5, unit.size)
    overall = staggered((most + least) / 2, unit, period, first, n_boot=200)
    gap = staggered_gap(most, least, unit, period, first, better="higher", n_boot=200)
    assert overall.estimate == pytest.approx(3.0, abs=0.2)
    assert gap.estimate == pytest.approx(-4.0, abs=0.2)  # the gap widened by 4
    v = study_verdict(
        (overall.estimate, overall.lower, overall.upper), (gap.estimate, gap.lower, gap.upper),
        delta_overall=1.0, delta_gap=1.0, treated_clusters=overall.n_treated_units, n_points=24,
    )  # fmt: skip
    assert v.overall is not None and v.overall.label == "Improved"
    assert v.gap is not None and v.gap.label == "Worsened"
    assert v.flag == "red"


def test_bjs_weights_reproduce_the_estimates_and_equal_the_dense_formula():
    from focuson.study._staggered_variance import bjs_se
    from focuson.study.staggered import _aggregator, _solve

    y, unit, period, first, _ = simulate(seed=8, n_units=20, n_periods=16)
    w = np.random.default_rng(2).integers(50, 500, y.size).astype(float)
    fit = staggered(y, unit, period, first, weights=w, leads=2, n_boot=10)
    p = _panel(y, unit, period, first, w)
    a, b = _solve(p, np.ones((1, 20)), 0.0)
    se, v = bjs_se(p, _aggregator(p, fit.relative_time), a[0], b[0])
    lags = fit.relative_time >= 0
    implied = np.einsum("utj,ut->j", v, p.Y)
    assert_allclose(implied[-1], fit.estimate, atol=1e-8)
    assert_allclose(implied[:-1][lags], fit.event_estimate[lags], atol=1e-8)
    # the ATT's weights from dense dummies: -W0 Z0 (Z0' W0 Z0)^+ Z1' w on untreated cells
    d = period >= first
    Z = np.column_stack([(unit[:, None] == np.arange(20)).astype(float),
                         (period[:, None] == np.arange(1, 16)).astype(float)])  # fmt: skip
    target = np.where(d, w, 0.0) / w[d].sum()
    v0 = (
        -(w[~d, None] * Z[~d])
        @ np.linalg.pinv(Z[~d].T @ (w[~d, None] * Z[~d]))
        @ (Z[d].T @ target[d])
    )
    assert_allclose(v[:, :, -1].ravel()[~d], v0, atol=1e-10)
    assert_allclose(v[:, :, -1].ravel()[d], target[d], atol=1e-12)
    assert fit.analytic_se == pytest.approx(se[-1])
    assert np.all(np.isnan(fit.event_analytic_se[~lags]))


def test_with_a_homogeneous_effect_the_analytic_se_agrees_with_the_bootstrap():
    y, unit, period, first, tau = simulate(seed=3, n_units=120)
    y = y - tau + 2.0 * (period >= first)
    fit = staggered(y, unit, period, first, leads=3, n_boot=400)
    assert fit.analytic_se == pytest.approx(fit.se, rel=0.2)
    lags = fit.relative_time >= 0
    assert_allclose(fit.event_analytic_se[lags], fit.event_se[lags], rtol=0.3)


def test_an_unbalanced_panel_equals_gardner_too():
    y, unit, period, first, _ = simulate(seed=12)
    keep = np.random.default_rng(3).random(y.size) > 0.15  # 15% of cells missing
    args = (y[keep], unit[keep], period[keep], first[keep])
    fit = staggered(*args, leads=30, n_boot=20)
    assert fit.estimate == pytest.approx(gardner(*args), abs=1e-8)
    times, coefs = gardner(*args, event=True)
    assert_allclose(fit.relative_time, times)
    assert_allclose(fit.event_estimate, coefs, atol=1e-8)
    assert fit.n_obs == int(keep.sum())
