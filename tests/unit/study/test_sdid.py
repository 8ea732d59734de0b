"""focuson.study.sdid: the DiD special case by hand, known effects, batch = one at a time,
the jackknife against a loop of leave-one-out fits, and clear errors."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.study.did import did_2x2
from focuson.study.sdid import _fit, _Options, gap_series, sdid


def factor_panel(rng, n_units=30, n_periods=30, sd=0.3):
    """Units x periods from a unit level, two common factors with unit loadings, and noise.

    The last unit's loadings are the others' mean, so comparison units can reproduce it (a
    treated unit outside their hull would leave SDID a bias its placebo SE cannot show).
    """
    t = np.arange(n_periods)
    factors = np.vstack([np.sin(2 * np.pi * t / 12), 0.05 * t])
    loadings = rng.uniform(0.5, 1.5, (n_units, 2))
    loadings[-1] = loadings[:-1].mean(axis=0)
    level = rng.uniform(55, 65, (n_units, 1))
    return level + loadings @ factors + rng.normal(0, sd, (n_units, n_periods))


def test_did_estimator_is_the_2x2_difference_of_means():
    Y = np.array([[1.0, 2, 3, 4], [2, 3, 5, 7], [3, 4, 5, 12]])
    fit = sdid(Y, n_control=2, n_pre=2, estimator="did", variance="none")
    # treated: post mean 8.5 - pre mean 3.5 = 5; controls: (3.5 + 6) / 2 - (1.5 + 2.5) / 2 = 2.75
    assert fit.estimate == pytest.approx(5 - 2.75, abs=1e-12)
    cells = did_2x2(
        Y.ravel(), treated=np.repeat([0, 0, 1], 4), post=np.tile([0, 0, 1, 1], 3)
    ).estimate
    assert fit.estimate == pytest.approx(cells, abs=1e-12)


def test_recovers_a_planted_effect_with_an_interval_covering_it():
    rng = np.random.default_rng(4)
    Y = factor_panel(rng)
    Y[-1, 24:] += 3.0
    fit = sdid(Y, n_control=29, n_pre=24, replications=100)
    assert abs(fit.estimate - 3.0) < 3 * fit.se
    assert fit.lower < 3.0 < fit.upper
    assert np.all(fit.omega >= 0) and fit.omega.sum() == pytest.approx(1, abs=1e-12)
    # relative to the counterfactual: observed post mean minus the effect
    cf = Y[-1, 24:].mean() - fit.estimate
    assert fit.relative == pytest.approx(fit.estimate / cf)


def test_no_effect_gives_an_interval_through_zero_and_seeded_placebos_repeat():
    # One panel; over 40 such panels (seeds 0-39) 35 intervals held zero (88%): placebo SEs
    # with 11 comparison units are a little optimistic.
    Y = factor_panel(np.random.default_rng(0), n_units=12, n_periods=18)
    a = sdid(Y, n_control=11, n_pre=14, replications=40, seed=3)
    b = sdid(Y, n_control=11, n_pre=14, replications=40, seed=3)
    assert a.lower < 0 < a.upper
    assert a.se == b.se and a.replications == 40


def test_placebo_batch_equals_fitting_each_placebo_alone():
    Y = factor_panel(np.random.default_rng(6), n_units=12, n_periods=16)
    fit = sdid(Y, n_control=11, n_pre=12, variance="none")
    n = fit.noise_level
    opts = _Options(4**0.25 * n, 1e-6 * n, 1e-5 * n, True, True, True)
    order = np.argsort(np.random.default_rng(0).random((4, 11)), axis=1)
    start = fit.omega[order[:, :10]]
    start /= start.sum(axis=1, keepdims=True)
    lam = np.tile(fit.lam, (4, 1))
    batch = _fit(Y[:11][order], 10, 12, start, lam, opts)[0]
    alone = [_fit(Y[:11][order[i]][None], 10, 12, start[i : i + 1], lam[:1], opts)[0][0]
             for i in range(4)]  # fmt: skip
    assert_allclose(batch, alone, rtol=1e-12)


def test_jackknife_equals_a_loop_of_leave_one_out_estimates_with_fixed_weights():
    rng = np.random.default_rng(7)
    Y = factor_panel(rng, n_units=14, n_periods=20)
    Y[-3:, 15:] += 1.0
    fit = sdid(Y, n_control=11, n_pre=15, variance="jackknife")
    time_w = np.r_[-fit.lam, np.full(5, 1 / 5)]
    u = []
    for j in range(14):
        keep = np.delete(np.arange(14), j)
        ctrl = keep[keep < 11]
        w = fit.omega[ctrl] / fit.omega[ctrl].sum()
        treated = keep[keep >= 11]
        u.append(Y[treated].mean(axis=0) @ time_w - w @ Y[ctrl] @ time_w)
    u = np.array(u)
    expected = np.sqrt(13 / 14 * np.sum((u - u.mean()) ** 2))
    assert fit.se == pytest.approx(expected, rel=1e-12)
    assert fit.variance == "jackknife" and fit.n_treated == 3


def test_one_treated_unit_has_no_jackknife_and_bad_panels_are_refused():
    Y = factor_panel(np.random.default_rng(8), n_units=6, n_periods=10)
    with pytest.raises(ValueError, match="not defined with one treated unit; use placebo"):
        sdid(Y, n_control=5, n_pre=6, variance="jackknife")
    Y[2, 3] = np.nan
    with pytest.raises(ValueError, match="complete units x periods table"):
        sdid(Y, n_control=5, n_pre=6)
    with pytest.raises(ValueError, match="at least 2 comparison units"):
        sdid(np.ones((2, 5)), n_control=1, n_pre=3)
    with pytest.raises(ValueError, match="more comparison than treated units"):
        sdid(np.random.default_rng(0).normal(size=(4, 6)), n_control=2, n_pre=4)


def test_gap_series_is_oriented_so_catching_up_is_positive():
    assert gap_series([50.0, 55.0], [60.0, 61.0], better="higher").tolist() == [-10.0, -6.0]
    assert gap_series([12.0], [8.0], better="lower").tolist() == [-4.0]
