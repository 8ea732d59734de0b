"""Single-group interrupted time series by segmented regression (Wagner et al. 2002).

``y ~ t + post + tsince (+ Fourier seasonality)`` (:mod:`focuson.study.segments`), fitted to an
aggregated series, never patient rows:

- ``family="gaussian"``: OLS on a rate or percentage;
- ``family="poisson"``: quasi-Poisson GLM for counts with a log offset of the denominator
  (dispersion Pearson X2 / df, as R ``quasipoisson``; Lopez Bernal, Cummins & Gasparrini 2017);
- ``family="binomial"``: quasi-binomial GLM of the proportion with ``var_weights`` = the
  denominator (the two-column form of statsmodels 0.15 gets the X2 scale wrong; evaluation.md
  section 3.1).

Errors (evaluation.md section 4): ``errors="hac"`` is Newey-West HAC (Bartlett kernel, stated
lag L, no small-sample correction, Wald z), as statsmodels ``cov_type="HAC"`` and R
``sandwich::NeweyWest(fit, lag=L, prewhite=FALSE, adjust=FALSE)``; ``errors="model"`` is the
model-based covariance (OLS: classical, t(n - k); GLMs: quasi-likelihood, Wald z);
``errors="ar1"`` (gaussian only) models AR(1) errors by feasible GLS, statsmodels
``GLSAR(y, X, rho=1).iterative_fit()`` (Cochrane-Orcutt: the first period is dropped from the
whitened fit; t intervals), whose intervals held their level better than HAC in short simulated
series (docs/study.md). The Ljung-Box test (``acorr_ljungbox``) on the Pearson (for ``ar1``, the
whitened) residuals is always reported.

Method note: a short, noisy pre-period. The counterfactual carries the pre-period trend
forward, and with 12 pre months of a few dozen people each that trend is mostly noise: the
demo's Brent series (scale 0.05: ~50 invitations a month, counts rounded to 5; 58% uptake,
+10 points planted from April 2024, no trend, no seasonality) gives 13.2 pp (4.7 to 21.8)
where the plain before/after difference is 9.2 pp, because its 12 pre months happen to slope
down by 0.45 pp a month and the expected line follows them. It is neither the planted
effect's definition (the probability of uptake within the follow-up, 58% to 68%, as the
indicator counts it) nor seasonality (none is planted; the plan fits no Fourier terms), nor a
bug: over simulated series of the same size the estimate averages 10.1 pp (SD 6.6 pp; about
a third of runs give 13 pp or more), and its error from the truth is the pre-trend's
(``tests/unit/study/test_its.py``). What such a short series costs shows in the interval and
the MDE (14.7 pp here), not in bias. In the same simulations the HAC interval (L = 2 on 18
points, no small-sample correction) covered the truth 79% of the time against 93% for the
model-based one: Newey-West is anti-conservative in series this short.

>>> import numpy as np
>>> y = 50 + 0.1 * np.arange(48) + 3.0 * (np.arange(48) >= 24)
>>> round(its(y, n_pre=24, errors="model").level.estimate, 6)
3.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Unpack

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm
from statsmodels.stats.diagnostic import acorr_ljungbox

# Errors, SeriesErrors and newey_west_lags are re-exported: they were defined here first.
from focuson.study.its_options import DesignOptions, Errors, ItsDesign, resolve
from focuson.study.its_options import SeriesErrors as SeriesErrors
from focuson.study.its_options import newey_west_lags as newey_west_lags
from focuson.study.segments import POST, TSINCE, Coding

FloatArray = NDArray[np.float64]
Family = Literal["gaussian", "binomial", "poisson"]
Scale = Literal["absolute", "ratio", "odds_ratio"]


@dataclass(frozen=True)
class ItsEffect:
    """One estimand with its 95% interval.

    ``scale`` is "absolute" (outcome units: the proportion, the rate per person of denominator,
    or the value) or "ratio"/"odds_ratio" (exponentiated; ``se`` is then on the log scale).
    """

    name: str
    estimate: float
    se: float
    lower: float
    upper: float
    p_value: float
    scale: Scale


@dataclass(frozen=True)
class ItsFit:
    """A fitted single-group ITS.

    ``level`` and ``slope`` are the model's terms (ratios for GLMs); ``average_effect`` is the
    mean over the post-period of fitted minus counterfactual (the same terms set to zero), in
    outcome units, with a delta-method interval: the number a verdict is read from.
    ``dispersion`` is the residual SD (gaussian) or Pearson X2 / df_resid (GLMs).
    """

    level: ItsEffect
    slope: ItsEffect | None
    average_effect: ItsEffect
    family: Family
    errors: str
    hac_lags: int | None
    dispersion: float
    ljung_box_lags: int
    ljung_box_p: float
    n_pre: int
    n_transition: int
    n_post: int
    coding: Coding
    fourier_pairs: int
    ar1_rho: float | None
    result: Any = field(repr=False, compare=False)


def response(
    values: FloatArray, denominator: FloatArray | None, family: Family, errors: Errors
) -> tuple[FloatArray, dict[str, Any]]:
    """The response and the GLM keyword arguments of a family.

    Binomial with HAC errors uses the (successes, failures) form: statsmodels 0.15 does not
    support robust covariances with ``var_weights``, and the sandwich needs no scale (checked
    against a hand-written Newey-West sandwich in the tests).
    """
    if family == "gaussian":
        return values, {}
    if denominator is None:
        if family == "binomial":
            raise ValueError("A binomial model needs the denominators (people eligible).")
        return values, {}
    if np.any(denominator <= 0):
        raise ValueError("Every denominator must be positive; drop or fix periods with none.")
    if family == "poisson":
        return values, {"offset": np.log(denominator)}
    if np.any(values > denominator):
        raise ValueError("A count is larger than its denominator; check the two columns.")
    if errors == "hac":
        return np.column_stack([values, denominator - values]), {}
    return values / denominator, {"var_weights": denominator}


def fit_model(
    y: FloatArray,
    x: FloatArray,
    *,
    family: Family,
    glm_kwargs: dict[str, Any],
    errors: Errors,
    hac_lags: int,
    cov_kwds: dict[str, Any] | None = None,
    cov_type: str = "HAC",
) -> Any:
    """Fit OLS or a quasi-likelihood GLM with the covariance named in the module docstring."""
    robust: dict[str, Any] = {}
    if errors == "hac":
        robust = {"cov_type": cov_type, "cov_kwds": cov_kwds or {"maxlags": hac_lags}}
    if family == "gaussian":
        return sm.OLS(y, x).fit(**robust)
    fam = sm.families.Poisson() if family == "poisson" else sm.families.Binomial()
    return sm.GLM(y, x, family=fam, **glm_kwargs).fit(scale="X2", **robust)


def _mean(family: Family, eta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Inverse link and its derivative (per person of denominator for Poisson)."""
    if family == "gaussian":
        return eta, np.ones_like(eta)
    if family == "poisson":
        mu = np.exp(eta)
        return mu, mu
    mu = 1 / (1 + np.exp(-eta))
    return mu, mu * (1 - mu)


def wald(name: str, est: float, se: float, scale: Scale, df: float | None = None) -> ItsEffect:
    """A Wald interval (z, or t with ``df``), exponentiated for ratio scales."""
    from scipy.stats import t as t_dist

    q = float(norm.ppf(0.975)) if df is None else float(t_dist.ppf(0.975, df))
    z = est / se if se > 0 else math.nan
    p = float(2 * (norm.sf(abs(z)) if df is None else t_dist.sf(abs(z), df)))
    lo, hi = est - q * se, est + q * se
    if scale != "absolute":
        est, lo, hi = math.exp(est), math.exp(lo), math.exp(hi)
    return ItsEffect(name, float(est), float(se), float(lo), float(hi), p, scale)


def contrast(
    name: str,
    res: Any,
    family: Family,
    x1: FloatArray,
    x0: FloatArray,
    weights: FloatArray,
) -> ItsEffect:
    """Sum over rows of weights x (mean at x1 - mean at x0), delta-method SE, Wald z."""
    beta = np.asarray(res.params)
    mu1, d1 = _mean(family, x1 @ beta)
    mu0, d0 = _mean(family, x0 @ beta)
    est = float(weights @ (mu1 - mu0))
    grad = weights @ (d1[:, None] * x1 - d0[:, None] * x0)
    # A perfect fit leaves a variance of zero that rounding can make slightly negative.
    se = float(np.sqrt(max(float(grad @ np.asarray(res.cov_params()) @ grad), 0.0)))
    return wald(name, est, se, "absolute")


def coefficient(name: str, res: Any, j: int, family: Family) -> ItsEffect:
    """Term j of a fit on its natural scale (ratio for Poisson, odds ratio for binomial)."""
    scales: dict[Family, Scale] = {
        "gaussian": "absolute",
        "poisson": "ratio",
        "binomial": "odds_ratio",
    }
    scale = scales[family]
    df = float(res.df_resid) if getattr(res, "use_t", False) else None
    # From the covariance, not res.bse, so a variance of zero rounded below it gives 0, not NaN.
    se = float(np.sqrt(max(float(np.asarray(res.cov_params())[j, j]), 0.0)))
    return wald(name, float(res.params[j]), se, scale, df)


def ljung_box(resid: FloatArray, lags: int) -> tuple[int, float]:
    """Ljung-Box p-value at ``lags`` (capped at a third of the series)."""
    lags = max(1, min(lags, len(resid) // 3))
    table = acorr_ljungbox(resid, lags=[lags])
    return lags, float(table["lb_pvalue"].iloc[0])


def as_series(name: str, values: ArrayLike | None, n: int) -> FloatArray | None:
    """A finite 1-D float series of length n (or None), with a message naming it."""
    if values is None:
        return None
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} must be one value per period kept ({n}); got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has missing values; fill or drop those periods first.")
    return arr


def its(
    values: ArrayLike,
    *,
    n_pre: int,
    denominator: ArrayLike | None = None,
    family: Family = "gaussian",
    design: ItsDesign | None = None,
    **options: Unpack[DesignOptions],
) -> ItsFit:
    """Fit a single-group interrupted time series.

    Parameters
    ----------
    values : array_like
        One value per period kept (transition periods already removed): counts for
        ``poisson``/``binomial``, the rate or percentage for ``gaussian``.
    n_pre : int
        Periods before the intervention (or before the transition window).
    denominator : array_like, optional
        People (or person-time) per period; required for ``binomial``.
    family : {"gaussian", "binomial", "poisson"}
    design : ItsDesign, optional
        Transition, seasonality, impact model, errors, time coding, Ljung-Box lags
        (:class:`focuson.study.its_options.ItsDesign`; default its defaults).
    **options
        Any field of :class:`~focuson.study.its_options.ItsDesign` by keyword
        (``n_transition``, ``fourier_pairs``, ``first_month``, ``slope_change``, ``errors``,
        ``hac_lags``, ``coding``, ``ljung_box_lags``), over ``design``'s.

    Returns
    -------
    ItsFit

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> den = np.full(48, 2000.0)
    >>> p = 0.5 + 0.002 * np.arange(48) + 0.05 * (np.arange(48) >= 24)
    >>> fit = its(rng.binomial(2000, p), n_pre=24, denominator=den, family="binomial")
    >>> 0.03 < fit.average_effect.estimate < 0.07, fit.level.scale
    (True, 'odds_ratio')
    """
    d = resolve(design, options)
    errors, slope_change = d.errors, d.slope_change
    n_post = len(np.asarray(values)) - n_pre
    x = d.matrix(n_pre, n_post)
    n = x.shape[0]
    y = as_series("values", values, n)
    den = as_series("denominator", denominator, n)
    assert y is not None
    if x.shape[0] <= x.shape[1] + 1:
        raise ValueError(f"{n} periods are too few for a model with {x.shape[1]} terms.")
    lags = d.lags(n)
    rho: float | None = None
    if errors == "ar1":
        if family != "gaussian":
            raise ValueError('errors="ar1" is for gaussian models; use "hac" for counts.')
        res = sm.GLSAR(y, x, rho=1).iterative_fit(maxiter=50)
        rho = float(res.model.rho[0])
    else:
        resp, kwargs = response(y, den, family, errors)
        res = fit_model(resp, x, family=family, glm_kwargs=kwargs, errors=errors, hac_lags=lags)
    level = coefficient("level change", res, POST, family)
    slope = coefficient("slope change", res, TSINCE, family) if slope_change else None
    x1 = x[x[:, POST] > 0]
    x0 = x1.copy()
    x0[:, POST] = 0
    if slope_change:
        x0[:, TSINCE] = 0
    w = np.full(len(x1), 1 / len(x1))
    average = contrast("average effect over the post-period", res, family, x1, x0, w)
    if errors == "ar1":
        resid = np.asarray(res.wresid, dtype=float)
    elif family == "gaussian":
        resid = np.asarray(res.resid, dtype=float)
    else:
        resid = np.asarray(res.resid_pearson, dtype=float)
    lb_lags, lb_p = ljung_box(resid, d.ljung_box_lags)
    described = {
        "hac": f"HAC (Newey-West, Bartlett, L = {lags}, z)",
        "model": "model",
        "ar1": f"AR(1) errors by feasible GLS (rho = {rho if rho is not None else 0:.2f}, t)",
    }
    dispersion = float(res.scale) if family != "gaussian" else float(np.sqrt(res.scale))
    return ItsFit(
        level=level,
        slope=slope,
        average_effect=average,
        family=family,
        errors=described[errors],
        hac_lags=lags if errors == "hac" else None,
        dispersion=dispersion,
        ljung_box_lags=lb_lags,
        ljung_box_p=lb_p,
        n_pre=n_pre,
        n_transition=d.n_transition,
        n_post=n_post,
        coding=d.coding,
        fourier_pairs=d.fourier_pairs,
        ar1_rho=rho,
        result=res,
    )
