"""Many interrupted time series at once: OLS segmented regression over a matrix of series.

Every series (indicator x area x group) shares one design (:mod:`focuson.study.segments`), so
one least-squares solve fits them all, and the Newey-West HAC covariance, the classical
covariance and the Ljung-Box test are computed with array operations: no Python loop over
series or rows (only over the L lags). Numbers equal a loop of statsmodels fits,
``sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})`` (Bartlett, no small-sample
correction, Wald z) and ``acorr_ljungbox`` (tests/unit/study/test_its_many.py).

``its_gap_many`` does the same for pairs of groups (most and least deprived): the stacked,
fully interacted model of :func:`focuson.study.its_gap.its_gap` with Driscoll-Kraay errors.

>>> import numpy as np
>>> t = np.arange(48)
>>> y = np.vstack([50 + 0.1 * t + d * (t >= 24) for d in (0.0, 2.0, 5.0)])
>>> np.round(its_many(y, n_pre=24, errors="model").level, 6).tolist()
[0.0, 2.0, 5.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2, norm
from scipy.stats import t as t_dist

from focuson.study.its_options import DesignOptions, Errors, ItsDesign, resolve
from focuson.study.segments import POST, TSINCE

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ManyFits:
    """One value per series: the level (and slope) change with SE and 95% interval.

    Under ``errors="hac"`` intervals are Wald z; under ``"model"`` t(n - k).
    """

    level: FloatArray
    level_se: FloatArray
    level_lower: FloatArray
    level_upper: FloatArray
    slope: FloatArray
    slope_se: FloatArray
    ljung_box_p: FloatArray
    ljung_box_lags: int
    hac_lags: int | None
    errors: str


def _newey_west(scores: FloatArray, lags: int) -> FloatArray:
    """Bartlett-kernel meat for each series: scores (series x periods x k) -> (series x k x k).

    Batched matrix products (BLAS), not ``einsum``: an unoptimised ``einsum`` loops in C
    without BLAS and was 6-10 times slower here (benchmarks/results/study.md).
    """
    st = scores.transpose(0, 2, 1)
    meat = st @ scores
    for lag in range(1, lags + 1):  # a loop over L lags, not over series
        g = st[:, :, lag:] @ scores[:, :-lag]
        meat += (1 - lag / (lags + 1)) * (g + g.transpose(0, 2, 1))
    return np.asarray(meat)


def _sandwich(bread: NDArray[np.floating], meat: FloatArray) -> FloatArray:
    """``bread @ meat[s] @ bread`` for every series s, as one batched product (the three-operand
    ``einsum`` it replaces contracted k^4 terms per series, 300 times slower at k = 12)."""
    return np.asarray(bread @ meat @ bread)


def _ljung_box(resid: FloatArray, lags: int) -> tuple[int, FloatArray]:
    """Ljung-Box p-values for each row (statsmodels' acorr_ljungbox: demeaned, no df adjust)."""
    n = resid.shape[1]
    lags = max(1, min(lags, n // 3))
    e = resid - resid.mean(axis=1, keepdims=True)
    denom = (e**2).sum(axis=1)
    k = np.arange(1, lags + 1)
    acf = np.stack([(e[:, j:] * e[:, :-j]).sum(axis=1) for j in k], axis=1) / denom[:, None]
    q = n * (n + 2) * (acf**2 / (n - k)).sum(axis=1)
    return lags, np.asarray(chi2.sf(q, lags))


def _fit(
    x: FloatArray, y: FloatArray, errors: Errors, lags: int, groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Coefficients, covariance diagonals and residuals of OLS fits sharing one design."""
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = y @ x @ xtx_inv  # (series x k); xtx_inv is symmetric
    resid = y - beta @ x.T
    n, k = x.shape
    if errors == "model":
        s2 = (resid**2).sum(axis=1) / (n - k)
        var = s2[:, None] * np.diag(xtx_inv)[None, :]
        return beta, var, resid
    scores = resid[:, :, None] * x[None, :, :]
    if groups > 1:  # Driscoll-Kraay: sum the groups' scores at each period
        scores = scores.reshape(len(y), groups, n // groups, k).sum(axis=1)
    cov = _sandwich(xtx_inv, _newey_west(scores, lags))
    return beta, np.diagonal(cov, axis1=1, axis2=2), resid


def _summarise(
    beta: FloatArray,
    var: FloatArray,
    resid: FloatArray,
    *,
    level_col: int,
    slope_col: int | None,
    errors: Errors,
    lags: int,
    df: int,
    lb_resid: FloatArray,
    lb_lags: int,
) -> ManyFits:
    q = float(norm.ppf(0.975)) if errors == "hac" else float(t_dist.ppf(0.975, df))
    level, level_se = beta[:, level_col], np.sqrt(var[:, level_col])
    nan = np.full(len(beta), np.nan)
    slope = beta[:, slope_col] if slope_col is not None else nan
    slope_se = np.sqrt(var[:, slope_col]) if slope_col is not None else nan
    used, p = _ljung_box(lb_resid, lb_lags)
    return ManyFits(
        level=level,
        level_se=level_se,
        level_lower=level - q * level_se,
        level_upper=level + q * level_se,
        slope=slope,
        slope_se=slope_se,
        ljung_box_p=p,
        ljung_box_lags=used,
        hac_lags=lags if errors == "hac" else None,
        errors=f"HAC (Bartlett, L = {lags}, z)" if errors == "hac" else "model (t)",
    )


def _matrix(name: str, values: ArrayLike) -> FloatArray:
    y = np.atleast_2d(np.asarray(values, dtype=float))
    if y.ndim != 2 or not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be a finite matrix, one row per series; fill gaps first.")
    return y


def its_many(
    values: ArrayLike,
    *,
    n_pre: int,
    design: ItsDesign | None = None,
    **options: Unpack[DesignOptions],
) -> ManyFits:
    """Fit the gaussian single-group ITS of :func:`focuson.study.its.its` to every row.

    Parameters
    ----------
    values : array_like
        Series x periods (transition periods removed); all rows share the windows.

    The other parameters are those of :func:`focuson.study.its.its` (``design`` and its
    fields by keyword; ``errors`` "hac" or "model").
    """
    d = resolve(design, options)
    errors, slope_change = d.stacked_errors("its_many()"), d.slope_change
    y = _matrix("values", values)
    x = d.matrix(n_pre, y.shape[1] - n_pre)
    lags = d.lags(len(x))
    beta, var, resid = _fit(x, y, errors, lags, 1)
    return _summarise(
        beta,
        var,
        resid,
        level_col=POST,
        slope_col=TSINCE if slope_change else None,
        errors=errors,
        lags=lags,
        df=x.shape[0] - x.shape[1],
        lb_resid=resid,
        lb_lags=d.ljung_box_lags,
    )


def its_gap_many(
    most: ArrayLike,
    least: ArrayLike,
    *,
    n_pre: int,
    better: str,
    design: ItsDesign | None = None,
    **options: Unpack[DesignOptions],
) -> ManyFits:
    """The gaussian gap model of :func:`focuson.study.its_gap.its_gap` for every pair of rows.

    ``level`` and ``slope`` are the gap's level and slope change, oriented so that positive =
    narrowed (``better`` is "higher" or "lower").
    """
    d = resolve(design, options)
    errors, slope_change = d.stacked_errors("its_gap_many()"), d.slope_change
    ym, yl = _matrix("most", most), _matrix("least", least)
    if ym.shape != yl.shape:
        raise ValueError("most and least must have the same shape (series x periods).")
    base = d.matrix(n_pre, ym.shape[1] - n_pre)
    n, k = base.shape
    n_group = 4 if slope_change else 3
    x = np.vstack([np.hstack([base, np.zeros((n, n_group))]), np.hstack([base, base[:, :n_group]])])
    lags = d.lags(n)
    beta, var, resid = _fit(x, np.hstack([yl, ym]), errors, lags, 2)
    sign = 1.0 if better == "higher" else -1.0
    fits = _summarise(
        sign * beta,
        var,
        resid,
        level_col=k + POST,
        slope_col=k + TSINCE if slope_change else None,
        errors=errors,
        lags=lags,
        df=x.shape[0] - x.shape[1],
        lb_resid=resid[:, n:] - resid[:, :n],
        lb_lags=d.ljung_box_lags,
    )
    return fits
