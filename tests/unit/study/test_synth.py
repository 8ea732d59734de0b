"""focuson.study.synth: simplex weights (optimality), known effects and placebo-in-space."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize

from focuson.study.synth import simplex_weights, synthetic_control


def factor_panel(rng, n_periods=36, n_donors=19, sd=0.3):
    """Monthly rates from two common factors with unit loadings, plus noise (units exchangeable)."""
    t = np.arange(n_periods)
    factors = np.column_stack([np.sin(2 * np.pi * t / 12), 0.05 * t + rng.normal(0, 0.2, t.size)])
    loadings = rng.uniform(0.5, 1.5, (2, n_donors + 1))
    level = rng.uniform(55, 65, n_donors + 1)
    return level + factors @ loadings + rng.normal(0, sd, (n_periods, n_donors + 1))


def test_weights_are_on_the_simplex_and_satisfy_the_kkt_conditions():
    rng = np.random.default_rng(1)
    Y0, y1 = rng.normal(size=(24, 15)), rng.normal(size=24)
    w = simplex_weights(Y0, y1)
    assert np.all(w >= 0) and abs(w.sum() - 1) < 1e-12
    # KKT for min ||Y0 w - y1||^2 on the simplex: gradient equal (= -mu) on the support and
    # no smaller off it
    grad = Y0.T @ (Y0 @ w - y1)
    support = w > 1e-9
    mu = grad[support].mean()
    assert_allclose(grad[support], mu, atol=1e-6)
    assert np.all(grad[~support] >= mu - 1e-6)


def test_weights_match_an_slsqp_solution_of_the_same_problem():
    rng = np.random.default_rng(2)
    Y0 = rng.normal(60, 3, (30, 10))
    y1 = Y0[:, :3] @ [0.2, 0.3, 0.5] + rng.normal(0, 0.5, 30)
    w = simplex_weights(Y0, y1)
    slsqp = minimize(
        lambda v: np.sum((Y0 @ v - y1) ** 2),
        np.full(10, 0.1),
        method="SLSQP",
        bounds=[(0, 1)] * 10,
        constraints={"type": "eq", "fun": lambda v: v.sum() - 1},
        options={"ftol": 1e-14, "maxiter": 500},
    )
    assert np.sum((Y0 @ w - y1) ** 2) <= slsqp.fun + 1e-8
    assert_allclose(w, slsqp.x, atol=1e-4)


def test_recovers_the_true_weights_and_a_known_effect():
    rng = np.random.default_rng(3)
    Y = factor_panel(rng)  # donor noise makes the donors linearly independent: unique weights
    true_w = np.zeros(19)
    true_w[[2, 5, 11]] = [0.5, 0.3, 0.2]
    Y[:, 0] = Y[:, 1:] @ true_w
    Y[24:, 0] += 4.0
    sc = synthetic_control(Y, treated=0, n_pre=24)
    assert_allclose(sc.weights, true_w, atol=1e-6)
    assert sc.pre_rmspe < 1e-6
    assert_allclose(sc.gap[24:], 4.0, atol=1e-5)
    assert sc.effect == pytest.approx(4.0, abs=1e-5)
    assert sc.p_value == pytest.approx(1 / 20)  # the treated unit's ratio ranks first


def test_noisy_effect_is_found_and_ranks_first():
    rng = np.random.default_rng(4)
    Y = factor_panel(rng)
    Y[:, 0] = Y[:, 1:4].mean(axis=1) + rng.normal(0, 0.3, 36)
    Y[24:, 0] += 3.0
    sc = synthetic_control(Y, treated=0, n_pre=24)
    assert abs(sc.effect - 3.0) < 0.5
    assert sc.p_value == pytest.approx(1 / 20)
    assert sc.placebo_ratios.shape == (19,) and "pre-RMSPE" in sc.note


def test_placebo_p_value_has_the_right_false_positive_rate_under_no_effect():
    rng = np.random.default_rng(5)
    draws, hits = 200, 0
    for _ in range(draws):
        sc = synthetic_control(factor_panel(rng, n_periods=30, n_donors=19), treated=0, n_pre=24)
        hits += sc.p_value <= 0.05
    # Units are exchangeable, but the treated unit's pool has one donor more than each placebo's,
    # so the test is slightly liberal: 6.3% at 5% over 1,000 draws (seed 50). 200 draws here:
    # SD about 1.6 points.
    assert 0.01 <= hits / draws <= 0.10


def test_bad_inputs_are_refused_in_plain_words():
    with pytest.raises(ValueError, match="pre and 1 post"):
        synthetic_control(np.ones((5, 4)), treated=0, n_pre=5)
