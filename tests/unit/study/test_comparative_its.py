"""focuson.study.comparative_its against statsmodels formula fits written here, hand-worked
noiseless series, and the gap's triple difference against two separate comparative fits."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from focuson.study.comparative_its import comparative_its, comparative_its_gap

N_PRE, N = 24, 40


def frame(series: dict[str, np.ndarray], n_pre: int = N_PRE) -> pd.DataFrame:
    """Long data for the formula interface: one row per series and month."""
    t = np.arange(1, len(next(iter(series.values()))) + 1)
    post = (t > n_pre).astype(float)
    parts = []
    for name, y in series.items():
        parts.append(
            pd.DataFrame(
                {"y": y, "t": t, "post": post, "tsince": (t - n_pre - 1) * post, "time": t - 1,
                 "treated": float(name.startswith("t")), "most": float(name.endswith("m"))}
            )
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def test_noiseless_series_give_the_difference_of_their_steps_and_slopes():
    t = np.arange(N)
    treated = 60 + 0.1 * t + (5.0 + 0.2 * (t - N_PRE)) * (t >= N_PRE)
    comparison = 50 + 0.3 * t + (2.0 + 0.05 * (t - N_PRE)) * (t >= N_PRE)
    fit = comparative_its(treated, comparison, n_pre=N_PRE, errors="model")
    assert fit.level.estimate == pytest.approx(3.0, abs=1e-9)
    assert fit.slope is not None and fit.slope.estimate == pytest.approx(0.15, abs=1e-9)
    # mean over post months 0..15 of 3 + 0.15 k
    assert fit.effect.estimate == pytest.approx(3 + 0.15 * 7.5, abs=1e-9)


def test_gaussian_fit_and_driscoll_kraay_errors_equal_a_formula_fit():
    rng = np.random.default_rng(1)
    t = np.arange(N)
    shock = rng.normal(0, 1, N)  # shared by both series: removed by the comparison
    tr = 60 + 0.1 * t + 4.0 * (t >= N_PRE) + shock + rng.normal(0, 0.5, N)
    co = 50 + 0.1 * t + shock + rng.normal(0, 0.5, N)
    fit = comparative_its(tr, co, n_pre=N_PRE, hac_lags=3)
    data = frame({"c": co, "t": tr})
    ref = smf.ols("y ~ (t + post + tsince) * treated", data).fit(
        cov_type="hac-groupsum",
        cov_kwds={"time": data["time"].to_numpy(), "maxlags": 3, "use_correction": False},
    )
    assert fit.level.estimate == pytest.approx(ref.params["post:treated"], rel=1e-9)
    assert fit.level.se == pytest.approx(ref.bse["post:treated"], rel=1e-9)
    assert fit.slope.se == pytest.approx(ref.bse["tsince:treated"], rel=1e-9)
    # gaussian: the mean effect is level + mean(tsince) x slope, its variance a'Va
    a = np.zeros(len(ref.params))
    names = list(ref.params.index)
    a[names.index("post:treated")] = 1
    a[names.index("tsince:treated")] = np.arange(N - N_PRE).mean()
    assert fit.effect.estimate == pytest.approx(a @ ref.params.to_numpy(), rel=1e-9)
    assert fit.effect.se == pytest.approx(np.sqrt(a @ ref.cov_params().to_numpy() @ a), rel=1e-9)
    assert fit.errors == "HAC (Driscoll-Kraay, Bartlett, L = 3, z)"
    assert fit.effect.lower < 4.0 < fit.effect.upper  # the planted step


def test_poisson_level_ratio_equals_a_formula_glm_with_offset():
    rng = np.random.default_rng(2)
    t = np.arange(N)
    pop = np.full(N, 20_000.0)
    tr = rng.poisson(pop * 0.01 * np.exp(0.004 * t + 0.15 * (t >= N_PRE)))
    co = rng.poisson(pop * 0.012 * np.exp(0.004 * t))
    fit = comparative_its(
        tr, co, n_pre=N_PRE, family="poisson", treated_denominator=pop,
        comparison_denominator=pop, slope_change=False, errors="model",
    )  # fmt: skip
    data = frame({"c": co.astype(float), "t": tr.astype(float)})
    ref = smf.glm(
        "y ~ (t + post) * treated", data, family=sm.families.Poisson(),
        offset=np.log(np.tile(pop, 2)),
    ).fit(scale="X2")  # fmt: skip
    assert fit.level.estimate == pytest.approx(np.exp(ref.params["post:treated"]), rel=1e-8)
    assert fit.level.se == pytest.approx(ref.bse["post:treated"], rel=1e-8)
    assert fit.level.scale == "ratio"
    # the rate ratio holds near the planted exp(0.15); the absolute effect is per person
    assert fit.level.lower < np.exp(0.15) < fit.level.upper
    assert 0 < fit.effect.estimate < 0.01
    assert fit.relative.estimate == pytest.approx(
        fit.effect.estimate / (fit.effect.estimate / (fit.level.estimate - 1)), rel=1e-6
    )


def test_gaussian_gap_is_the_difference_of_two_comparative_fits():
    rng = np.random.default_rng(3)
    t = np.arange(N)
    step = (t >= N_PRE).astype(float)
    tm = 50 + 0.1 * t + 1.0 * step + rng.normal(0, 0.5, N)
    tl = 70 + 0.1 * t + 4.0 * step + rng.normal(0, 0.5, N)
    cm = 48 + 0.1 * t + rng.normal(0, 0.5, N)
    cl = 69 + 0.1 * t + 1.0 * step + rng.normal(0, 0.5, N)
    fit = comparative_its_gap(tm, tl, cm, cl, n_pre=N_PRE, better="higher", errors="model")
    most = comparative_its(tm, cm, n_pre=N_PRE, errors="model").effect.estimate
    least = comparative_its(tl, cl, n_pre=N_PRE, errors="model").effect.estimate
    # positive = narrowed: the most deprived gained (most - least) more than the least deprived
    assert fit.gap.estimate == pytest.approx(most - least, abs=1e-9)
    assert fit.groups["most deprived"].estimate == pytest.approx(most, abs=1e-9)
    # the three-way term of a formula fit, and its model-based SE
    data = frame({"cl": cl, "cm": cm, "tl": tl, "tm": tm})
    ref = smf.ols("y ~ (t + post + tsince) * treated * most", data).fit()
    assert fit.gap_level.estimate == pytest.approx(ref.params["post:treated:most"], rel=1e-9)
    assert fit.gap_level.se == pytest.approx(ref.bse["post:treated:most"], rel=1e-9)
    assert fit.gap.upper < 0  # the treated area's gap widened by about 2 points more
    assert fit.baseline_gap.estimate == pytest.approx(np.mean(tl[:N_PRE] - tm[:N_PRE]), abs=0.5)


def test_lower_is_better_flips_the_gap_and_binomial_counts_fit():
    t = np.arange(36)
    step = (t >= 18).astype(float)
    den = np.full(36, 200_000.0)
    rng = np.random.default_rng(4)
    # emergency admissions (lower is better): most deprived fall by 3 points more than least
    rates = [0.20 - 0.03 * step, 0.10 + 0 * step, 0.21 + 0 * step, 0.11 + 0 * step]
    counts = [rng.binomial(200_000, r).astype(float) for r in rates]
    fit = comparative_its_gap(
        *counts, n_pre=18, better="lower", denominators=(den, den, den, den),
        family="binomial", errors="model",
    )  # fmt: skip
    assert fit.gap.estimate == pytest.approx(0.03, abs=2e-3)
    assert fit.gap.lower > 0  # narrowed, and the interval is sure of it
    assert fit.baseline_gap.estimate == pytest.approx(0.10, abs=2e-3)
    assert fit.relative.estimate == pytest.approx(0.3, abs=0.03)


def test_bad_input_is_refused_with_what_to_do():
    y = np.arange(20.0)
    with pytest.raises(ValueError, match="denominators for every series or for none"):
        comparative_its(y, y, n_pre=10, treated_denominator=np.ones(20))
    with pytest.raises(ValueError, match="too few"):
        comparative_its(y[:5], y[:5], n_pre=3)
    with pytest.raises(ValueError, match="missing values"):
        comparative_its(np.r_[y[:-1], np.nan], y, n_pre=10)
