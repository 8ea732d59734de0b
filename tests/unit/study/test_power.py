"""Minimum detectable effects: evaluation.md section 7's numbers, and recovery from data."""

import numpy as np
import pytest

from focuson.study.power import (
    design_effect,
    its_level_se,
    its_mde,
    mde_multiplier,
    mde_proportion,
    power_statement,
)
from focuson.study.segments import its_design


@pytest.mark.parametrize(
    ("comparison", "at_1000", "at_5000"),
    [
        ("difference", 6.1, 2.7),
        ("did", 8.7, 3.9),
        ("gap", 8.7, 3.9),
        ("gap_with_comparison", 12.3, 5.5),
    ],
)
def test_proportion_mdes_of_section_7(comparison: str, at_1000: float, at_5000: float) -> None:
    got = 100 * mde_proportion(0.6, [1000, 5000], comparison=comparison)  # type: ignore[arg-type]
    # Printed to 0.1 pp: within half a unit of the last place.
    np.testing.assert_allclose(got, [at_1000, at_5000], atol=0.05)


def test_multiplier_is_2_80() -> None:
    assert mde_multiplier() == pytest.approx(2.80, abs=0.005)
    assert mde_multiplier(0.05, 0.9) == pytest.approx(1.959964 + 1.281552, abs=1e-5)


def test_quintile_gap_is_about_root_10_times_overall() -> None:
    overall = mde_proportion(0.6, 5000)
    gap = mde_proportion(0.6, 5000 / 5, comparison="gap")
    assert float(gap / overall) == pytest.approx(np.sqrt(10))


def test_design_effect_inflates_variance() -> None:
    plain = mde_proportion(0.6, 1000)
    clustered = mde_proportion(0.6, 1000, design_effect=design_effect(51, 0.02))
    assert float(clustered / plain) == pytest.approx(np.sqrt(2.0))


@pytest.mark.parametrize(
    ("n_pre", "n_post", "kwargs", "printed"),
    [
        (12, 12, {}, 0.82),
        (24, 24, {}, 0.58),
        # 0.53 is printed for the coding t - t0 + 1; with t - t0 (the default) it is 0.52.
        (36, 24, {"coding": "t-t0+1"}, 0.53),
        (36, 24, {}, 0.52),
        (12, 12, {"fourier_pairs": 2}, 1.6),
        (24, 24, {"fourier_pairs": 2}, 0.63),
    ],
)
def test_its_se_over_sigma_of_section_7(
    n_pre: int, n_post: int, kwargs: dict, printed: float
) -> None:
    got = float(its_level_se(n_pre, n_post, **kwargs))
    half_unit = 0.05 if printed == 1.6 else 0.005
    assert abs(got - printed) <= half_unit


@pytest.mark.parametrize(("rho", "printed"), [(0.3, 1.6), (0.5, 2.3)])
def test_ar1_inflation_of_section_7(rho: float, printed: float) -> None:
    ratio = float(its_level_se(24, 24, rho=rho) ** 2 / its_level_se(24, 24) ** 2)
    assert abs(ratio - printed) <= 0.05


def test_its_se_matches_the_full_sandwich() -> None:
    x = its_design(30, 18, fourier_pairs=1, first_month=4)
    n = len(x)
    xtxi = np.linalg.inv(x.T @ x)
    rhos = np.array([-0.4, 0.0, 0.2, 0.7])
    expected = []
    for rho in rhos:  # a direct computation, one dense AR(1) matrix per rho
        r = rho ** np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
        expected.append(np.sqrt((xtxi @ x.T @ r @ x @ xtxi)[2, 2]))
    got = its_level_se(30, 18, sigma=2.0, rho=rhos, fourier_pairs=1, first_month=4)
    np.testing.assert_allclose(got, 2.0 * np.array(expected), rtol=1e-12)


def test_its_mde_recovers_noise_and_autocorrelation() -> None:
    rng = np.random.default_rng(20261207)
    n_series, n_pre, rho, sigma = 400, 240, 0.4, 2.0
    e = np.zeros((n_series, n_pre))
    e[:, 0] = rng.normal(0, sigma, n_series)
    innov = rng.normal(0, sigma * np.sqrt(1 - rho**2), (n_series, n_pre))
    for t in range(1, n_pre):  # a loop over time to simulate AR(1), not over series
        e[:, t] = rho * e[:, t - 1] + innov[:, t]
    y = 50 + 0.1 * np.arange(n_pre) + e
    mde, s_hat, r_hat = its_mde(y, 24)
    assert np.median(s_hat) == pytest.approx(sigma, rel=0.03)
    assert np.median(r_hat) == pytest.approx(rho, abs=0.03)
    # One series at a time gives the same answer as the vectorised call.
    one, *_ = its_mde(y[7], 24)
    assert float(one[0]) == pytest.approx(float(mde[7]), rel=1e-12)


def test_its_mde_refuses_too_few_points() -> None:
    with pytest.raises(ValueError, match="too few"):
        its_mde(np.arange(5.0), 12, fourier_pairs=1)
    with pytest.raises(ValueError, match="missing"):
        its_mde([1.0, 2, np.nan, 4, 5, 6, 7, 8], 4)


def test_power_statement_wording() -> None:
    low = power_statement(3.2, 7.9, 5)
    assert low.startswith(
        "This test can detect 3.2 pp overall and 7.9 pp in the gap; "
        "your smallest worthwhile change is 5.0 pp."
    )
    assert "longer test, more units, or a process- and insight-led study" in low
    ok = power_statement(3.2, 4.0, 5)
    assert "smaller than" not in ok


def test_power_statement_warns_when_the_overall_change_sought_is_not_detectable() -> None:
    # Seen on the demo's Brent study: MDE 14.7 pp overall against a smallest worthwhile change
    # of 3 pp, and no warning (only the gap was checked).
    both = power_statement(14.7, 9.0, 2, overall_change=3)
    assert "overall change and the change in the gap sought are smaller" in both
    overall_only = power_statement(14.7, float("nan"), 2, overall_change=3)
    assert "could not be worked out" in overall_only
    assert "overall change sought is smaller than the test can detect" in overall_only
    fine = power_statement(2.0, 1.5, 2, overall_change=3)
    assert "smaller than" not in fine
