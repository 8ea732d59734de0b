"""ANCOVA for units chosen because their baseline was bad: regression to the mean taken out.

evaluation.md section 3.6: when the treated units (practices, PCNs, areas) were picked for a poor
baseline, they would "improve" unaided as noise regresses to the mean, and a change-score
comparison (DiD of pre/post means) credits that to the programme. ANCOVA adjusts for the
baseline instead,

``y_post ~ 1 + y_pre + treated``,

so the treated units are compared with comparison units that had the same baseline (Vickers &
Altman 2001, BMJ 323:1123; Barnett, van der Pols & Dobson 2005, IJE 34:215). Each row is one
unit's (or unit x group cell's) pre- and post-period mean of an aggregated rate, never a patient
row. Errors are HC1 (statsmodels ``cov_type="HC1"``, Wald z) for one row per unit, CR1 by unit
(``cov_type="cluster"``, t with G - 1 df) when a unit has several rows.

The effect on the gap (section 3.8) is one term: with a row per unit and gap group,

``y_post ~ 1 + y_pre + most + treated + treated:most``,

``treated:most`` is how much more the programme moved the most deprived group than the least
deprived, oriented so that **positive = the gap narrowed** (direction +1 when higher is better).

>>> pre = np.array([40.0, 42, 50, 52, 44, 48])
>>> treated = np.array([1.0, 1, 0, 0, 1, 0])
>>> post = 10 + 0.8 * pre + 3 * treated
>>> round(ancova(post, pre, treated).effect.estimate, 6)
3.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray

from focuson.study.its import ItsEffect

FloatArray = NDArray[np.float64]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class AncovaFit:
    """The baseline-adjusted effect and, beside it, what a change score would have said.

    ``effect`` is absolute (outcome units, not oriented); ``relative`` is it over the treated
    units' adjusted counterfactual mean (the fitted post-period mean with ``treated`` = 0; the
    interval's ends divided by the same fitted number). ``change_score`` is the DiD of pre/post
    means, biased by regression to the mean when units were chosen on the baseline: shown so the
    card can say how much of the raw change was regression to the mean. ``baseline_slope`` is
    the coefficient on ``y_pre`` (1 would mean no regression to the mean).
    """

    effect: ItsEffect
    relative: ItsEffect
    change_score: float
    baseline_slope: float
    se_type: str
    n_units: int
    n_treated: int
    note: str
    result: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class AncovaGapFit:
    """The baseline-adjusted effect on the gap (positive = narrowed) and each group's effect."""

    gap: ItsEffect
    groups: dict[str, ItsEffect]
    se_type: str
    n_units: int
    n_treated: int
    note: str
    result: Any = field(repr=False, compare=False)


def _vector(name: str, x: ArrayLike, n: int | None = None) -> FloatArray:
    arr = np.asarray(x, dtype=np.float64).ravel()
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have one value per row ({n}); got {arr.size}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has missing values; drop those units or fill their periods.")
    return arr


def _fit(X: FloatArray, y: FloatArray, w: FloatArray, unit: ArrayLike | None) -> tuple[Any, str]:
    if unit is None:
        return sm.WLS(y, X, weights=w).fit(cov_type="HC1"), "HC1 (robust, z)"
    codes = np.unique(np.asarray(unit), return_inverse=True)[1].ravel()
    g = int(codes.max()) + 1
    res = sm.WLS(y, X, weights=w).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    return res, f"CR1 by unit ({g} clusters, t with {g - 1} df)"


def _effect(name: str, res: Any, vector: list[float]) -> ItsEffect:
    """A linear combination of the coefficients, with the fit's own z or t (G - 1 df)."""
    test = res.t_test(np.asarray(vector, dtype=np.float64)[None, :])
    lo, hi = np.asarray(test.conf_int()).ravel()
    return ItsEffect(
        name, float(np.squeeze(test.effect)), float(np.squeeze(test.sd)), float(lo), float(hi),
        float(np.squeeze(test.pvalue)), "absolute",
    )  # fmt: skip


def _few_treated(n_treated: int) -> str:
    if n_treated >= 5:
        return ""
    return (
        f"; only {n_treated} treated unit(s): robust and cluster errors are not reliable with so "
        "few (Conley & Taber 2011), so read the interval as descriptive"
    )


def ancova(
    post: ArrayLike,
    pre: ArrayLike,
    treated: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    unit: ArrayLike | None = None,
) -> AncovaFit:
    """Baseline-adjusted effect of being treated: ``y_post ~ 1 + y_pre + treated``.

    Parameters
    ----------
    post, pre : array_like
        Each unit's post- and pre-period mean of the outcome (a rate or percentage).
    treated : array_like
        1 for treated units, 0 for comparison units.
    weights : array_like, optional
        E.g. each unit's denominator, for WLS.
    unit : array_like, optional
        Cluster labels when a unit has several rows (CR1 by unit); default HC1.

    Returns
    -------
    AncovaFit
    """
    y = _vector("post", post)
    n = y.size
    x_pre, tr = _vector("pre", pre, n), _vector("treated", treated, n)
    w = np.ones(n) if weights is None else _vector("weights", weights, n)
    if not set(np.unique(tr)) <= {0.0, 1.0} or tr.min() == tr.max():
        raise ValueError("treated must be 0 or 1, with both treated and comparison units.")
    if n <= 4:
        raise ValueError(f"{n} units are too few for ANCOVA (intercept, baseline and effect).")
    X = np.column_stack([np.ones(n), x_pre, tr])
    res, se_type = _fit(X, y, w, unit)
    effect = _effect("baseline-adjusted effect (ANCOVA)", res, [0, 0, 1])
    is_t = tr == 1
    x0 = X[is_t].copy()
    x0[:, 2] = 0
    wt = w[is_t] / w[is_t].sum()
    base = float(wt @ (x0 @ np.asarray(res.params)))
    lo, hi = sorted((effect.lower / base, effect.upper / base)) if base else (math.nan, math.nan)
    rel = ItsEffect(
        "relative effect (of the adjusted counterfactual)",
        effect.estimate / base if base else math.nan,
        effect.se / abs(base) if base else math.nan,
        lo, hi, effect.p_value, "absolute",
    )  # fmt: skip

    def wmean(v: FloatArray, m: NDArray[np.bool_]) -> float:
        return float(np.average(v[m], weights=w[m]))

    change = (wmean(y, is_t) - wmean(x_pre, is_t)) - (wmean(y, ~is_t) - wmean(x_pre, ~is_t))
    n_treated = int(is_t.sum()) if unit is None else int(np.unique(np.asarray(unit)[is_t]).size)
    n_units = n if unit is None else int(np.unique(np.asarray(unit)).size)
    note = (
        f"ANCOVA y_post ~ y_pre + treated, {se_type}; baseline slope "
        f"{float(res.params[1]):.2f}; a change-score DiD would give {change:.3g}"
    ) + _few_treated(n_treated)
    return AncovaFit(
        effect, rel, change, float(res.params[1]), se_type, n_units, n_treated, note, res
    )


def ancova_gap(
    post: ArrayLike,
    pre: ArrayLike,
    treated: ArrayLike,
    most: ArrayLike,
    *,
    unit: ArrayLike,
    better: Better,
    weights: ArrayLike | None = None,
) -> AncovaGapFit:
    """The effect on the gap: ``y_post ~ 1 + y_pre + most + treated + treated:most``.

    Parameters
    ----------
    post, pre : array_like
        Each unit x group cell's post- and pre-period mean.
    treated : array_like
        1 for cells of treated units.
    most : array_like
        1 for the most deprived group's cell, 0 for the least deprived's.
    unit : array_like
        The unit of each cell: errors are CR1 by unit (its two cells share it).
    better : {"higher", "lower"}

    Examples
    --------
    >>> unit = np.repeat(np.arange(8), 2)
    >>> most, treated = np.tile([1.0, 0.0], 8), (unit < 4).astype(float)
    >>> pre = 60 - 10 * most + np.repeat([1.0, -1, 2, 0, -2, 1, 0, -1], 2)
    >>> post = 5 + 0.9 * pre + 2 * treated + 1.5 * treated * most
    >>> round(ancova_gap(post, pre, treated, most, unit=unit, better="higher").gap.estimate, 6)
    1.5
    """
    y = _vector("post", post)
    n = y.size
    x_pre, tr = _vector("pre", pre, n), _vector("treated", treated, n)
    m = _vector("most", most, n)
    w = np.ones(n) if weights is None else _vector("weights", weights, n)
    if tr.min() == tr.max() or m.min() == m.max():
        raise ValueError("Need treated and comparison units, each with both gap groups.")
    X = np.column_stack([np.ones(n), x_pre, m, tr, tr * m])
    if n <= X.shape[1] + 1:
        raise ValueError(f"{n} cells are too few for the gap model's {X.shape[1]} terms.")
    res, se_type = _fit(X, y, w, unit)
    sign = 1.0 if better == "higher" else -1.0
    g = _effect("g", res, [0, 0, 0, 0, 1])
    lo, hi = sorted((sign * g.lower, sign * g.upper))
    gap = ItsEffect(
        "change in the gap (positive = narrowed)", sign * g.estimate, g.se, lo, hi, g.p_value,
        "absolute",
    )  # fmt: skip
    least = _effect("least deprived", res, [0, 0, 0, 1, 0])
    most_e = _effect("most deprived", res, [0, 0, 0, 1, 1])
    units = np.asarray(unit)
    n_treated = int(np.unique(units[tr == 1]).size)
    note = f"ANCOVA y_post ~ y_pre + most + treated + treated:most, {se_type}" + _few_treated(
        n_treated
    )
    return AncovaGapFit(
        gap, {"most deprived": most_e, "least deprived": least}, se_type,
        int(np.unique(units).size), n_treated, note, res,
    )  # fmt: skip


__all__ = ["AncovaFit", "AncovaGapFit", "ancova", "ancova_gap"]
