"""Comparative interrupted time series: the treated area's series against an unaffected one.

evaluation.md section 3.4: the treated and comparison series are stacked and fitted together,

``y ~ (1 + t + post + tsince) * treated (+ shared Fourier seasonality)``,

so ``treated:post`` and ``treated:tsince`` are the level and slope changes relative to the
comparison series: whatever happened to both (a national campaign, a coding change, the season)
is taken out (Lopez Bernal, Cummins & Gasparrini 2018, "The use of controls in interrupted time
series studies of public health interventions", IJE 47:2082). The effect reported is the mean over
the post-period of the treated series' fitted values minus its counterfactual (its own pre-period
trend plus the change the comparison series saw), with a delta-method interval, absolute and
relative.

The effect on the gap (section 3.8) is one term: four series (treated most and least deprived,
comparison most and least deprived) in one model,

``y ~ (1 + t + post + tsince) * treated * most (+ seasonality)``,

whose three-way terms ``treated:most:post`` (and ``:tsince``) are the change in the gap in the
treated area beyond the change in the comparison area's gap: a triple difference in time-series
form. It is oriented so that **positive = the gap narrowed**, as in :mod:`focuson.study.its_gap`.

Families, the ``tsince`` coding and the errors are those of :func:`focuson.study.its.its`; with
several series, HAC is Driscoll-Kraay (scores summed over the series at each period, Bartlett
kernel, stated lag, no small-sample correction, Wald z), robust to shocks the series share.

>>> t = np.arange(36)
>>> treated = 60 + 0.1 * t + 5.0 * (t >= 18)
>>> comparison = 50 + 0.2 * t + 2.0 * (t >= 18)
>>> round(comparative_its(treated, comparison, n_pre=18, errors="model").effect.estimate, 6)
3.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Unpack

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.study.its import (
    Errors,
    Family,
    ItsEffect,
    _mean,
    as_series,
    coefficient,
    contrast,
    fit_model,
    ljung_box,
    response,
)
from focuson.study.its_gap import Better, _orient
from focuson.study.its_options import DesignOptions, ItsDesign, resolve
from focuson.study.segments import POST, TSINCE, Coding

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ComparativeFit:
    """The treated series' effect relative to the comparison series.

    ``effect`` is absolute (outcome units, post-period mean, not oriented: the change in the
    outcome); ``relative`` is ``effect`` over the counterfactual post-period mean (interval ends
    divided by the same fitted number); ``level`` and ``slope`` are the interaction terms
    (ratios for GLMs).
    """

    effect: ItsEffect
    relative: ItsEffect
    level: ItsEffect
    slope: ItsEffect | None
    family: Family
    errors: str
    hac_lags: int | None
    ljung_box_lags: int
    ljung_box_p: float
    n_pre: int
    n_transition: int
    n_post: int
    coding: Coding
    result: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class ComparativeGapFit:
    """The change in the treated area's gap beyond the comparison area's, positive = narrowed.

    ``gap`` is absolute (post-period mean), ``relative`` is it over the treated area's
    counterfactual gap, ``gap_level``/``gap_slope`` the three-way terms; ``baseline_gap`` is the
    treated area's pre-period gap (positive = most deprived behind); ``groups`` the treated
    area's most and least deprived effects relative to the comparison area (not oriented).
    """

    gap: ItsEffect
    relative: ItsEffect
    baseline_gap: ItsEffect
    gap_level: ItsEffect
    gap_slope: ItsEffect | None
    groups: dict[str, ItsEffect]
    family: Family
    errors: str
    hac_lags: int | None
    ljung_box_lags: int
    ljung_box_p: float
    n_pre: int
    n_transition: int
    n_post: int
    coding: Coding
    result: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class _Stacked:
    x: FloatArray
    res: Any
    n: int
    k: int
    n_group: int
    lags: int
    resid: FloatArray


def _stack(
    values: list[ArrayLike],
    denominators: list[ArrayLike | None],
    membership: FloatArray,
    *,
    n_pre: int,
    family: Family,
    design: ItsDesign,
    errors: Errors,
) -> _Stacked:
    """Fit the series stacked, each membership column interacting with the segment terms."""
    base = design.matrix(n_pre, len(np.asarray(values[0])) - n_pre)
    n, k = base.shape
    ys = [as_series(f"series {i + 1}", v, n) for i, v in enumerate(values)]
    ds = [as_series(f"denominator {i + 1}", d, n) for i, d in enumerate(denominators)]
    if len({d is None for d in ds}) > 1:
        raise ValueError("Give denominators for every series or for none.")
    n_group = 4 if design.slope_change else 3
    n_series, n_terms = len(values), k + membership.shape[1] * n_group
    if n_series * n <= n_terms + 2:
        raise ValueError(f"{n} periods are too few for {n_series} series with {n_terms} terms.")
    # The group terms repeat the intercept, trend and intervention columns, not the seasonal
    # ones: seasonality is shared by every series.
    x = np.vstack(
        [
            np.hstack([base, *(m * base[:, :n_group] for m in membership[s])])
            for s in range(n_series)
        ]
    )
    y = np.concatenate([v for v in ys if v is not None])
    den = None if ds[0] is None else np.concatenate([d for d in ds if d is not None])
    lags = design.lags(n)
    resp, kwargs = response(y, den, family, errors)
    res = fit_model(
        resp, x, family=family, glm_kwargs=kwargs, errors=errors, hac_lags=lags,
        cov_type="hac-groupsum",
        # no small-sample correction: one convention for every HAC interval (its_gap.py)
        cov_kwds={"time": np.tile(np.arange(n), n_series), "maxlags": lags,
                  "use_correction": False},
    )  # fmt: skip
    resid = np.asarray(res.resid if family == "gaussian" else res.resid_pearson, dtype=float)
    return _Stacked(x, res, n, k, n_group, lags, resid.reshape(n_series, n))


def _relative(name: str, e: ItsEffect, fit: _Stacked, family: Family, x0: FloatArray,
              w: FloatArray) -> ItsEffect:  # fmt: skip
    """``e`` over the weighted counterfactual mean at ``x0`` (a fitted number, held fixed)."""
    base = float(w @ _mean(family, x0 @ np.asarray(fit.res.params))[0])
    if base == 0:
        nan = float("nan")
        return ItsEffect(name, nan, nan, nan, nan, e.p_value, "absolute")
    lo, hi = sorted((e.lower / base, e.upper / base))
    return ItsEffect(name, e.estimate / base, e.se / abs(base), lo, hi, e.p_value, "absolute")


def _described(errors: Errors, lags: int) -> str:
    return f"HAC (Driscoll-Kraay, Bartlett, L = {lags}, z)" if errors == "hac" else "model"


def comparative_its(
    treated: ArrayLike,
    comparison: ArrayLike,
    *,
    n_pre: int,
    treated_denominator: ArrayLike | None = None,
    comparison_denominator: ArrayLike | None = None,
    family: Family = "gaussian",
    design: ItsDesign | None = None,
    **options: Unpack[DesignOptions],
) -> ComparativeFit:
    """Fit the treated and comparison series in one model; the effect is relative to comparison.

    Parameters
    ----------
    treated, comparison : array_like
        One value per period kept (as :func:`focuson.study.its.its`): counts for
        ``poisson``/``binomial``, the rate or percentage for ``gaussian``.
    treated_denominator, comparison_denominator : array_like, optional
        Denominators per period (required for binomial).

    The other parameters are those of :func:`focuson.study.its.its`.

    Returns
    -------
    ComparativeFit

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> t, den = np.arange(48), np.full(48, 4000.0)
    >>> tr = rng.binomial(4000, 0.5 + 0.05 * (t >= 24))
    >>> co = rng.binomial(4000, 0.45 + 0.02 * (t >= 24))
    >>> fit = comparative_its(tr, co, n_pre=24, family="binomial", treated_denominator=den,
    ...                       comparison_denominator=den)
    >>> fit.effect.lower < 0.03 < fit.effect.upper
    True
    """
    d = resolve(design, options)
    errors, slope_change = d.stacked_errors("comparative_its()"), d.slope_change
    fit = _stack(
        [comparison, treated], [comparison_denominator, treated_denominator],
        np.array([[0.0], [1.0]]), n_pre=n_pre, family=family, design=d, errors=errors,
    )  # fmt: skip
    g_post, g_tsince = fit.k + POST, fit.k + TSINCE
    rows = np.flatnonzero((fit.x[:, POST] > 0) & (np.arange(len(fit.x)) >= fit.n))
    x1 = fit.x[rows]
    x0 = x1.copy()
    x0[:, [g_post, g_tsince] if slope_change else [g_post]] = 0
    w = np.full(len(rows), 1 / len(rows))
    effect = contrast("effect relative to the comparison series", fit.res, family, x1, x0, w)
    rel = _relative("relative effect (of the counterfactual)", effect, fit, family, x0, w)
    level = coefficient("level change relative to comparison", fit.res, g_post, family)
    slope = None
    if slope_change:
        slope = coefficient("slope change relative to comparison", fit.res, g_tsince, family)
    lb_lags, lb_p = ljung_box(fit.resid[1] - fit.resid[0], d.ljung_box_lags)
    return ComparativeFit(
        effect, rel, level, slope, family, _described(errors, fit.lags),
        fit.lags if errors == "hac" else None, lb_lags, lb_p, n_pre, d.n_transition,
        fit.n - n_pre, d.coding, fit.res,
    )  # fmt: skip


def comparative_its_gap(
    treated_most: ArrayLike,
    treated_least: ArrayLike,
    comparison_most: ArrayLike,
    comparison_least: ArrayLike,
    *,
    n_pre: int,
    better: Better,
    denominators: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike] | None = None,
    family: Family = "gaussian",
    design: ItsDesign | None = None,
    **options: Unpack[DesignOptions],
) -> ComparativeGapFit:
    """The change in the treated area's gap beyond the comparison area's, as one estimand.

    Parameters
    ----------
    treated_most, treated_least, comparison_most, comparison_least : array_like
        The four groups' series (one value per period kept).
    better : {"higher", "lower"}
        Which direction of the outcome is better (orients the gap: positive = narrowed).
    denominators : tuple of four array_like, optional
        The four series' denominators, in the same order (required for binomial).

    The other parameters are those of :func:`focuson.study.its.its`.

    Examples
    --------
    >>> t = np.arange(36)
    >>> step = (t >= 18).astype(float)
    >>> fit = comparative_its_gap(55 + 1 * step, 70 + 4 * step, 50 + 0 * step, 65 + 1 * step,
    ...                           n_pre=18, better="higher", errors="model")
    >>> round(fit.gap.estimate, 6)  # treated gap widened by 3, comparison by 1: -2 narrowed
    -2.0
    """
    # rows: comparison least, comparison most, treated least, treated most;
    # membership columns: treated, most, treated x most
    d = resolve(design, options)
    errors, slope_change = d.stacked_errors("comparative_its_gap()"), d.slope_change
    membership = np.array([[0.0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]])
    dens: list[ArrayLike | None] = [None] * 4
    if denominators is not None:
        d_tm, d_tl, d_cm, d_cl = denominators
        dens = [d_cl, d_cm, d_tl, d_tm]
    fit = _stack(
        [comparison_least, comparison_most, treated_least, treated_most], dens, membership,
        n_pre=n_pre, family=family, design=d, errors=errors,
    )  # fmt: skip
    n, k, ng = fit.n, fit.k, fit.n_group
    tr_post, tm_post = k + POST, k + 2 * ng + POST  # treated:post, treated:most:post
    cols = [tr_post, tm_post] + ([tr_post + 1, tm_post + 1] if slope_change else [])
    series = np.arange(len(fit.x)) // n
    rows = np.flatnonzero((fit.x[:, POST] > 0) & (series >= 2))
    x1 = fit.x[rows]
    x0 = x1.copy()
    x0[:, cols] = 0
    is_most = series[rows] == 3
    n_post = int(is_most.sum())
    w_most, w_least = is_most / n_post, (~is_most) / n_post
    sign = 1 if better == "higher" else -1
    raw = contrast("gap", fit.res, family, x1, x0, w_most - w_least)
    gap = _orient(raw, sign, "change in the gap beyond the comparison area (positive = narrowed)")
    # the counterfactual gap, (least - most) x direction, so the ratio keeps the gap's sign
    rel = _relative("relative change in the gap", gap, fit, family, x0, sign * (w_least - w_most))
    level = _orient(coefficient("g", fit.res, tm_post, family), sign, "gap level change")
    slope = None
    if slope_change:
        slope = _orient(coefficient("g", fit.res, tm_post + 1, family), sign, "gap slope change")
    pre = np.flatnonzero(fit.x[:n, POST] == 0)
    baseline = contrast(
        "baseline gap", fit.res, family, fit.x[3 * n + pre], fit.x[2 * n + pre],
        np.full(len(pre), 1 / len(pre)),
    )  # fmt: skip
    baseline = _orient(baseline, -sign, "baseline gap (positive = most deprived behind)")
    groups = {
        "most deprived": contrast("most deprived", fit.res, family, x1, x0, w_most),
        "least deprived": contrast("least deprived", fit.res, family, x1, x0, w_least),
    }
    r = fit.resid
    lb_lags, lb_p = ljung_box((r[3] - r[2]) - (r[1] - r[0]), d.ljung_box_lags)
    return ComparativeGapFit(
        gap, rel, baseline, level, slope, groups, family, _described(errors, fit.lags),
        fit.lags if errors == "hac" else None, lb_lags, lb_p, n_pre, d.n_transition, n - n_pre,
        d.coding, fit.res,
    )  # fmt: skip


__all__ = ["ComparativeFit", "ComparativeGapFit", "comparative_its", "comparative_its_gap"]
