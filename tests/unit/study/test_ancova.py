"""focuson.study.ancova against statsmodels formula fits written here, a hand-worked example,
and a simulation of units chosen for a bad baseline (regression to the mean)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from focuson.study.ancova import ancova, ancova_gap


def test_hand_worked_example():
    # post = 10 + 0.5 pre + 4 treated exactly: the fit returns the numbers it was built from
    pre = np.array([30.0, 40, 50, 60, 35, 45, 55, 65])
    treated = np.array([1.0, 1, 1, 1, 0, 0, 0, 0])
    post = 10 + 0.5 * pre + 4 * treated
    fit = ancova(post, pre, treated)
    assert fit.effect.estimate == pytest.approx(4.0, abs=1e-10)
    assert fit.baseline_slope == pytest.approx(0.5, abs=1e-10)
    # change score: treated (37 + 4 + ... ) by hand: mean pre 45 vs 50, post 36.5 vs 35
    assert fit.change_score == pytest.approx((36.5 - 45) - (35 - 50), abs=1e-10)
    # relative: 4 over the treated units' adjusted counterfactual, 10 + 0.5 x 45 = 32.5
    assert fit.relative.estimate == pytest.approx(4 / 32.5, abs=1e-10)


def test_equals_a_formula_fit_with_hc1_and_with_cr1_by_unit():
    rng = np.random.default_rng(1)
    n = 60
    data = pd.DataFrame({"pre": rng.normal(50, 5, n), "treated": (np.arange(n) < 20) * 1.0})
    data["post"] = 8 + 0.85 * data["pre"] + 2 * data["treated"] + rng.normal(0, 2, n)
    data["w"] = rng.integers(200, 2000, n).astype(float)
    fit = ancova(data["post"], data["pre"], data["treated"], weights=data["w"])
    ref = smf.wls("post ~ pre + treated", data, weights=data["w"]).fit(cov_type="HC1")
    assert fit.effect.estimate == pytest.approx(ref.params["treated"], rel=1e-10)
    assert fit.effect.se == pytest.approx(ref.bse["treated"], rel=1e-10)
    lo, hi = ref.conf_int().loc["treated"]
    assert (fit.effect.lower, fit.effect.upper) == pytest.approx((lo, hi), rel=1e-10)
    assert fit.se_type == "HC1 (robust, z)" and fit.n_treated == 20
    # two rows per unit: CR1 by unit, t with G - 1 df, as the formula fit clustered
    unit = np.arange(n) // 2
    fit = ancova(data["post"], data["pre"], data["treated"], unit=unit)
    ref = smf.ols("post ~ pre + treated", data).fit(
        cov_type="cluster", cov_kwds={"groups": unit}, use_t=True
    )
    lo, hi = ref.conf_int().loc["treated"]
    assert (fit.effect.lower, fit.effect.upper) == pytest.approx((lo, hi), rel=1e-10)
    assert fit.n_units == 30 and "29 df" in fit.se_type


def test_units_chosen_for_a_bad_baseline_regress_to_the_mean_and_ancova_sees_no_effect():
    # 400 practices, true uptake 60 +- 4, measured with noise of SD 4 in each period; the 40
    # worst at baseline are "treated" by a programme that does nothing.
    rng = np.random.default_rng(2)
    true = rng.normal(60, 4, 400)
    pre, post = true + rng.normal(0, 4, 400), true + rng.normal(0, 4, 400)
    treated = (pre <= np.sort(pre)[39]).astype(float)
    fit = ancova(post, pre, treated)
    # the change score credits the programme with the regression to the mean (about +5 points)
    assert fit.change_score > 3
    assert fit.effect.lower < 0 < fit.effect.upper
    assert fit.baseline_slope == pytest.approx(0.5, abs=0.15)  # reliability 16 / (16 + 16)
    assert "change-score DiD would give" in fit.note


def test_gap_term_equals_the_formula_fits_interaction_oriented():
    rng = np.random.default_rng(3)
    n_units = 40
    unit = np.repeat(np.arange(n_units), 2)
    most = np.tile([1.0, 0.0], n_units)
    treated = (unit < 15).astype(float)
    pre = 65 - 12 * most + np.repeat(rng.normal(0, 3, n_units), 2) + rng.normal(0, 2, 80)
    post = 6 + 0.9 * pre + 2 * treated + 1.5 * treated * most + rng.normal(0, 1.5, 80)
    data = pd.DataFrame({"post": post, "pre": pre, "most": most, "treated": treated})
    ref = smf.ols("post ~ pre + most + treated + treated:most", data).fit(
        cov_type="cluster", cov_kwds={"groups": unit}, use_t=True
    )
    up = ancova_gap(post, pre, treated, most, unit=unit, better="higher")
    assert up.gap.estimate == pytest.approx(ref.params["treated:most"], rel=1e-10)
    assert up.gap.se == pytest.approx(ref.bse["treated:most"], rel=1e-10)
    assert up.groups["most deprived"].estimate == pytest.approx(
        ref.params["treated"] + ref.params["treated:most"], rel=1e-10
    )
    down = ancova_gap(post, pre, treated, most, unit=unit, better="lower")
    assert down.gap.estimate == pytest.approx(-up.gap.estimate, rel=1e-12)
    assert (down.gap.lower, down.gap.upper) == pytest.approx((-up.gap.upper, -up.gap.lower))
    assert up.n_treated == 15 and "few" not in up.note


def test_few_treated_units_are_named_and_bad_input_refused():
    pre = np.array([40.0, 42, 50, 52, 44, 48, 51])
    treated = np.array([1.0, 0, 0, 0, 0, 0, 0])
    post = pre + np.array([3.0, 0.2, -0.1, 0.3, 0.0, -0.2, 0.1])
    assert "only 1 treated unit(s)" in ancova(post, pre, treated).note
    with pytest.raises(ValueError, match="both treated and comparison units"):
        ancova(post, pre, np.zeros(7))
    with pytest.raises(ValueError, match="pre has missing values"):
        ancova(post, np.r_[pre[:-1], np.nan], treated)
    with pytest.raises(ValueError, match="one value per row"):
        ancova(post, pre[:-1], treated)
