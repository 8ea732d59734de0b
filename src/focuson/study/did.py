"""Difference-in-differences on an aggregated panel (unit x period x group cells).

Designs of evaluation.md section 3.5 and 3.8: the 2x2 DiD, two-way fixed effects (TWFE, unit and
period dummies) and the triple difference whose single three-way term is the effect on the gap.
Each row is one cell (a rate or proportion, optionally weighted by its denominator): never a
patient row. The design matrices are built here with numpy and fitted with statsmodels WLS.

Inference (evaluation.md section 4), chosen by ``inference="auto"``:

* 1-2 treated units: cluster SEs are invalid however many controls there are (Conley & Taber
  2011), so a permutation test over which units were treated; with fewer than 20 possible
  assignments a p-value of 0.05 is unreachable and the result is "descriptive".
* under 30 clusters: wild cluster bootstrap (Cameron, Gelbach & Miller 2008; MacKinnon, Nielsen &
  Webb 2023), studentised with CR1;
* otherwise CR1, statsmodels' ``cov_type="cluster"``: G/(G-1) (N-1)/(N-K) with K counting every
  dummy, t with G-1 degrees of freedom. ``"CRV3"`` (``cov_type="cluster-crv3"``) on request.

>>> y = np.array([10.0, 12.0, 11.0, 16.0])
>>> round(did_2x2(y, treated=[0, 0, 1, 1], post=[0, 1, 0, 1]).estimate, 10)
3.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray

from focuson.study._cluster import (
    indicators,
    permutation_estimates,
    treated_sets,
    wild_cluster_bootstrap,
)

FloatArray = NDArray[np.float64]
Inference = Literal["auto", "HC1", "CR1", "CRV3", "wild", "permutation"]
# fixed design, the varying regressors as if each unit alone were treated, the coefficient wanted
Permute = tuple[FloatArray, Callable[[FloatArray], list[FloatArray]], int]

MIN_PERMUTATIONS = 20
FEW_CLUSTERS = 30


@dataclass(frozen=True)
class DidEffect:
    """One effect with its interval and how it was inferred.

    ``lower``/``upper`` are NaN when the inference is "descriptive" or "permutation" (a p-value
    only). ``k`` is the number of columns counted in the CR1 correction (every dummy).
    """

    estimate: float
    se: float
    lower: float
    upper: float
    p_value: float
    inference: str
    n_obs: int
    n_clusters: int
    n_treated_clusters: int
    k: int
    note: str


def _arr(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def _codes(x: ArrayLike) -> NDArray[np.intp]:
    return np.asarray(np.unique(np.asarray(x), return_inverse=True)[1], dtype=np.intp).ravel()


def _cr_fit(X: FloatArray, y: FloatArray, w: FloatArray, groups: NDArray[np.intp], kind: str):  # type: ignore[no-untyped-def]
    cov = {"CR1": "cluster", "CRV3": "cluster-crv3"}[kind]
    return sm.WLS(y, X, weights=w).fit(cov_type=cov, cov_kwds={"groups": groups}, use_t=True)


def _crv3_fit(X: FloatArray, y: FloatArray, w: FloatArray, groups: NDArray[np.intp], nested: int):  # type: ignore[no-untyped-def]
    """CRV3 with the first ``nested`` columns (dummies constant within a unit) partialled out.

    statsmodels refuses CRV3 when dropping a cluster leaves its own dummy unidentified; dropping
    a unit's rows and its dummies together is the same as dropping its rows after partialling the
    unit-nested dummies out (Frisch-Waugh-Lovell within clusters), so the jackknife is exact.
    """
    sw = np.sqrt(w)
    Xs, ys = X * sw[:, None], y * sw
    rest = np.column_stack([ys, Xs[:, nested:]])
    if nested:
        fe = Xs[:, :nested]
        rest = rest - fe @ np.linalg.lstsq(fe, rest, rcond=None)[0]
    return sm.OLS(rest[:, 0], rest[:, 1:]).fit(
        cov_type="cluster-crv3", cov_kwds={"groups": groups}, use_t=True
    )


def _infer(
    X: FloatArray,
    y: FloatArray,
    w: FloatArray,
    col: int,
    units: NDArray[np.intp] | None,
    treated_units: NDArray[np.intp],
    inference: Inference,
    level: float,
    n_boot: int,
    seed: int,
    permute: Permute | None,
    nested: int = 0,
) -> DidEffect:
    n, k = X.shape
    alpha = 1 - level
    if n <= k:
        est = float(np.linalg.lstsq(X * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0][col])
        nan = float("nan")
        note = "as many cells as parameters: no residual variation, descriptive only"
        return DidEffect(est, nan, nan, nan, nan, "descriptive", n, 0, 0, k, note)
    if units is None:
        res = sm.WLS(y, X, weights=w).fit(cov_type="HC1")
        lo, hi = res.conf_int(alpha)[col]
        return DidEffect(
            float(res.params[col]), float(res.bse[col]), float(lo), float(hi),
            float(res.pvalues[col]), "HC1", n, 0, 0, k, "HC1 robust SE, no clustering (z)",
        )  # fmt: skip
    n_groups = int(units.max()) + 1
    n_treated = int(treated_units.size)
    if inference == "auto":
        if n_treated <= 2:
            inference = "permutation"
        else:
            inference = "wild" if n_groups < FEW_CLUSTERS else "CR1"
    if inference in ("CR1", "CRV3", "wild") and n_treated <= 2:
        raise ValueError(
            f"Only {n_treated} treated unit(s): cluster-robust standard errors are not valid "
            "however many comparison units there are (Conley & Taber 2011). Use "
            'inference="permutation" (or "auto"), or report the result as descriptive.'
        )
    if inference == "permutation":
        if permute is None:
            raise ValueError("Permutation inference needs the treated units and periods.")
        return _permutation(X, y, w, col, units, treated_units, permute, seed)
    if inference == "CRV3":
        res, col_fit = _crv3_fit(X, y, w, units, nested), col - nested
    else:
        res, col_fit = _cr_fit(X, y, w, units, "CR1"), col
    est, se = float(res.params[col_fit]), float(res.bse[col_fit])
    conv = f"K = {k} counts every dummy; t with {n_groups - 1} df"
    if inference == "wild":
        sw = np.sqrt(w)
        p, lo, hi = wild_cluster_bootstrap(
            X * sw[:, None], y * sw, units, column=col, n_boot=n_boot, seed=seed, level=level
        )
        note = f"wild cluster bootstrap ({n_boot} draws, seed {seed}), studentised by CR1 ({conv})"
        return DidEffect(est, se, lo, hi, p, "wild", n, n_groups, n_treated, k, note)
    lo, hi = res.conf_int(alpha)[col_fit]
    note = f"{inference} by unit ({conv})"
    return DidEffect(
        est, se, float(lo), float(hi), float(res.pvalues[col_fit]), inference,
        n, n_groups, n_treated, k, note,
    )  # fmt: skip


def _permutation(
    X: FloatArray,
    y: FloatArray,
    w: FloatArray,
    col: int,
    units: NDArray[np.intp],
    treated_units: NDArray[np.intp],
    permute: Permute,
    seed: int,
    max_sets: int = 4999,
) -> DidEffect:
    Z, unit_columns, which = permute
    n_groups = int(units.max()) + 1
    sets, obs = treated_sets(n_groups, treated_units, max_sets, seed)
    sw = np.sqrt(w)
    est = permutation_estimates(
        Z * sw[:, None],
        y * sw,
        unit_columns,
        units,
        sets,
        which,
        sw,
    )
    p = float(np.mean(np.abs(est) >= abs(est[obs]) - 1e-12))
    kind = "permutation" if sets.shape[0] >= MIN_PERMUTATIONS else "descriptive"
    note = (
        f"permutation test over {sets.shape[0]} assignments of {treated_units.size} treated "
        f"unit(s) among {n_groups}; no cluster SE (Conley & Taber 2011)"
    )
    if kind == "descriptive":
        note += f"; fewer than {MIN_PERMUTATIONS} assignments, so descriptive only"
    nan = float("nan")
    k = X.shape[1]
    return DidEffect(
        float(est[obs]), nan, nan, nan, p, kind, X.shape[0], n_groups, treated_units.size, k, note
    )


def _weights(weights: ArrayLike | None, n: int) -> FloatArray:
    return np.ones(n) if weights is None else _arr(weights)


def did_2x2(
    y: ArrayLike,
    treated: ArrayLike,
    post: ArrayLike,
    *,
    unit: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    inference: Inference = "auto",
    level: float = 0.95,
    n_boot: int = 9999,
    seed: int = 0,
) -> DidEffect:
    """2x2 DiD ``y ~ treated * post``: the (weighted) difference of the four cell means.

    Parameters
    ----------
    y : outcome per cell (a rate or proportion).
    treated, post : 0/1 per cell.
    unit : cluster label per cell; without it the SE is HC1 (cells independent).
    weights : e.g. denominators, for WLS (weighted means).

    Examples
    --------
    >>> e = did_2x2([1.0, 2, 3, 5], treated=[0, 0, 1, 1], post=[0, 1, 0, 1])
    >>> round(e.estimate, 10), e.inference
    (1.0, 'descriptive')
    """
    yv, tr, po = _arr(y), _arr(treated), _arr(post)
    w = _weights(weights, yv.size)
    X = np.column_stack([np.ones_like(yv), tr, po, tr * po])
    units = None if unit is None else _codes(unit)
    treated_units = np.unique(units[tr == 1]) if units is not None else np.array([], np.intp)
    Z = np.column_stack([np.ones_like(yv), po])

    def columns(member: FloatArray) -> list[FloatArray]:
        return [member, member * po[:, None]]

    return _infer(
        X, yv, w, 3, units, treated_units, inference, level, n_boot, seed, (Z, columns, 1)
    )


def _post_pattern(
    d: FloatArray, units: NDArray[np.intp], periods: NDArray[np.intp]
) -> tuple[NDArray[np.intp], FloatArray]:
    """Treated units and the post indicator; checks treatment starts together (no staggering)."""
    treated_units = np.unique(units[d == 1])
    post_periods = np.unique(periods[d == 1])
    post = np.isin(periods, post_periods).astype(np.float64)
    if not np.array_equal(d == 1, np.isin(units, treated_units) & (post == 1)):
        raise ValueError(
            "Treatment does not start in the same period for every treated unit (or stops): "
            "plain two-way fixed effects is biased under staggered adoption (evaluation.md 3.5)."
            " Use the staggered design: focuson.study.staggered (the imputation estimator of "
            "Borusyak, Jaravel & Spiess), design: staggered with a rollout in a Study plan."
        )
    return treated_units, post


def twfe(
    y: ArrayLike,
    unit: ArrayLike,
    period: ArrayLike,
    treated_now: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    inference: Inference = "auto",
    level: float = 0.95,
    n_boot: int = 9999,
    seed: int = 0,
) -> DidEffect:
    """Two-way fixed effects DiD: ``y ~ unit dummies + period dummies + D``, D = treated x post.

    Examples
    --------
    >>> unit, period = np.repeat(np.arange(4), 2), np.tile([0, 1], 4)
    >>> d = (unit >= 2) & (period == 1)
    >>> y = 1.0 * unit + 2.0 * period + 3.0 * d
    >>> round(twfe(y, unit, period, d, inference="permutation").estimate, 10)
    3.0
    """
    yv, d = _arr(y), _arr(treated_now)
    units, periods = _codes(unit), _codes(period)
    w = _weights(weights, yv.size)
    treated_units, post = _post_pattern(d, units, periods)
    fe_u = indicators(units)
    Z = np.column_stack([fe_u, indicators(periods)[:, 1:]])
    X = np.column_stack([Z, d])

    def columns(member: FloatArray) -> list[FloatArray]:
        return [member * post[:, None]]

    col = X.shape[1] - 1
    return _infer(
        X,
        yv,
        w,
        col,
        units,
        treated_units,
        inference,
        level,
        n_boot,
        seed,
        (Z, columns, 0),
        nested=fe_u.shape[1],
    )


def gap_did(
    y: ArrayLike,
    unit: ArrayLike,
    period: ArrayLike,
    treated_now: ArrayLike,
    at_risk: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    inference: Inference = "auto",
    level: float = 0.95,
    n_boot: int = 9999,
    seed: int = 0,
) -> DidEffect:
    """The effect on the gap as one term: the triple difference treated x post x at-risk group.

    Rows are unit x period x group cells, ``at_risk`` 1 for the group at risk (e.g. most
    deprived), 0 for the reference group. Every fixed effect is interacted with the group (unit,
    unit x at-risk, period, period x at-risk dummies), plus D and D x at-risk; the coefficient on
    D x at-risk is the change in the at-risk minus reference gap (evaluation.md 3.8). Orient it
    (positive = narrowed) before the verdict. Clustered by unit.

    Examples
    --------
    >>> unit = np.repeat(np.arange(4), 4)
    >>> period, g = np.tile([0, 0, 1, 1], 4), np.tile([0, 1], 8)
    >>> d = (unit >= 2) & (period == 1)
    >>> y = 50 - 5.0 * g + 3.0 * d - 2.0 * d * g
    >>> round(gap_did(y, unit, period, d, g, inference="permutation").estimate, 10)
    -2.0
    """
    yv, d, a = _arr(y), _arr(treated_now), _arr(at_risk)
    units, periods = _codes(unit), _codes(period)
    w = _weights(weights, yv.size)
    treated_units, post = _post_pattern(d, units, periods)
    fe_u, fe_t = indicators(units), indicators(periods)[:, 1:]
    Z = np.column_stack([fe_u, fe_u * a[:, None], fe_t, fe_t * a[:, None]])
    X = np.column_stack([Z, d, d * a])

    def columns(member: FloatArray) -> list[FloatArray]:
        dm = member * post[:, None]
        return [dm, dm * a[:, None]]

    col = X.shape[1] - 1
    # the unit and unit x at-risk dummies come first: they are nested in units (for CRV3)
    return _infer(
        X,
        yv,
        w,
        col,
        units,
        treated_units,
        inference,
        level,
        n_boot,
        seed,
        (Z, columns, 1),
        nested=2 * fe_u.shape[1],
    )


__all__ = ["DidEffect", "did_2x2", "gap_did", "twfe"]
