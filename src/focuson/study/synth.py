"""Synthetic control: one treated area against a weighted average of untouched donor areas.

Abadie, Diamond & Hainmueller (2010, JASA), on pre-period outcomes only (evaluation.md 3.7):
donor weights w >= 0 with sum(w) = 1 minimising ||Y0_pre w - y1_pre||^2; the gap (treated minus
synthetic) after the start is the effect; inference is placebo-in-space, each donor refitted as
if it were treated, ranking the post/pre RMSPE ratios: p = rank / (J + 1).

The weights come from ``scipy.optimize.nnls`` (Lawson-Hanson active set) on the system augmented
with a heavily weighted row of ones, which turns sum(w) = 1 into a least-squares row. nnls rather
than SLSQP because an active-set method finishes at the exact optimum in finitely many steps, with
no starting point, step tolerance or feasibility slack to tune: SLSQP stops at ``ftol`` and can
leave weights slightly negative or off the simplex when there are many collinear donors.

>>> rng = np.random.default_rng(0)
>>> donors = rng.normal(50, 5, (30, 8)).cumsum(axis=0) / 10
>>> treated = donors[:, :2].mean(axis=1) + np.r_[np.zeros(24), np.full(6, 3.0)]
>>> sc = synthetic_control(np.column_stack([treated, donors]), treated=0, n_pre=24)
>>> round(float(sc.weights.sum()), 6), round(sc.effect, 2)
(1.0, 3.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import nnls

FloatArray = NDArray[np.float64]

# Weight of the sum-to-one row relative to the data's scale: large enough that sum(w) is 1 to
# about 1e-9, small enough to keep the augmented system well conditioned.
_SUM_WEIGHT = 1e4


@dataclass(frozen=True)
class SyntheticControl:
    """A synthetic-control fit and its placebo-in-space inference.

    ``weights`` has one entry per donor (column order of the donors, the treated column removed);
    ``gap`` is treated minus synthetic for every period; ``effect`` is the mean post-period gap;
    ``placebo_ratios`` holds each donor's post/pre RMSPE ratio when refitted as if treated.
    """

    weights: FloatArray
    donors: NDArray[np.intp]
    synthetic: FloatArray
    gap: FloatArray
    pre_rmspe: float
    post_rmspe: float
    ratio: float
    effect: float
    placebo_ratios: FloatArray
    p_value: float
    note: str


def simplex_weights(donors_pre: ArrayLike, treated_pre: ArrayLike) -> FloatArray:
    """Non-negative weights summing to one that best reproduce ``treated_pre`` from the donors.

    Parameters
    ----------
    donors_pre : (n_pre, J) donor outcomes in the pre-period.
    treated_pre : (n_pre,) the treated unit's pre-period outcomes.

    Examples
    --------
    >>> Y0 = np.array([[1.0, 3.0], [2.0, 6.0], [0.0, 2.0]])
    >>> simplex_weights(Y0, Y0 @ [0.25, 0.75]).round(6).tolist()
    [0.25, 0.75]
    """
    Y0, y1 = np.asarray(donors_pre, dtype=np.float64), np.asarray(treated_pre, dtype=np.float64)
    scale = _SUM_WEIGHT * max(1.0, float(np.abs(Y0).max()), float(np.abs(y1).max()))
    scale *= np.sqrt(Y0.shape[0])
    A = np.vstack([Y0, np.full((1, Y0.shape[1]), scale)])
    b = np.append(y1, scale)
    w, _ = nnls(A, b, maxiter=50 * A.shape[1])
    total = w.sum()
    if not abs(total - 1.0) < 1e-6:
        raise ArithmeticError(f"synthetic-control weights sum to {total:.8f}, not 1")
    return np.asarray(w / total, dtype=np.float64)


def _rmspe(gaps: FloatArray, n_pre: int) -> tuple[FloatArray, FloatArray]:
    """Pre and post root mean squared prediction errors, one per column of ``gaps``."""
    pre = np.sqrt(np.mean(gaps[:n_pre] ** 2, axis=0))
    post = np.sqrt(np.mean(gaps[n_pre:] ** 2, axis=0))
    return pre, post


def synthetic_control(
    outcomes: ArrayLike, *, treated: int, n_pre: int, placebo: bool = True
) -> SyntheticControl:
    """Fit the synthetic control for column ``treated`` of a periods x units outcome matrix.

    Parameters
    ----------
    outcomes : (T, units) balanced panel of rates or proportions, rows in time order.
    treated : column index of the treated unit; every other column is a donor.
    n_pre : number of pre-intervention periods (the first rows); leave a transition window out
        of ``outcomes`` before calling.
    placebo : refit each donor as if treated for the placebo-in-space p-value.

    Examples
    --------
    >>> Y = np.array([[1.0, 1, 2, 4], [2, 2, 3, 5], [3, 3, 5, 6], [9, 4, 6, 7]])
    >>> sc = synthetic_control(Y, treated=0, n_pre=3)
    >>> sc.weights.round(3).tolist(), round(float(sc.gap[-1]), 3)
    ([1.0, 0.0, 0.0], 5.0)
    """
    Y = np.asarray(outcomes, dtype=np.float64)
    n_periods, n_units = Y.shape
    if not 2 <= n_pre < n_periods:
        raise ValueError(f"n_pre = {n_pre}: need at least 2 pre and 1 post period of {n_periods}")
    donors = np.delete(np.arange(n_units), treated)
    Y0 = Y[:, donors]
    w = simplex_weights(Y0[:n_pre], Y[:n_pre, treated])
    synthetic = Y0 @ w
    gap = Y[:, treated] - synthetic
    pre, post = _rmspe(gap[:, None], n_pre)
    ratio = float(post[0] / pre[0]) if pre[0] > 0 else float("inf")
    if placebo and donors.size >= 2:
        # each placebo: donor j treated, the other donors (never the treated unit) as its pool
        J = donors.size
        W = np.zeros((J, J))
        for j in range(J):  # one small active-set solve per donor; the rest is matrix algebra
            others = np.delete(np.arange(J), j)
            W[others, j] = simplex_weights(Y0[:n_pre, others], Y0[:n_pre, j])
        gaps = Y0 - Y0 @ W
        p_pre, p_post = _rmspe(gaps, n_pre)
        with np.errstate(divide="ignore"):
            ratios = np.where(p_pre > 0, p_post / p_pre, np.inf)
        p_value = float((1 + np.sum(ratios >= ratio)) / (J + 1))
    else:
        ratios, p_value = np.array([], dtype=np.float64), float("nan")
    note = (
        f"synthetic control on {n_pre} pre-period outcomes, {donors.size} donors "
        f"({int(np.sum(w > 1e-8))} with weight), pre-RMSPE {pre[0]:.3g}; placebo-in-space p = "
        f"rank of the post/pre RMSPE ratio among {donors.size + 1} units"
    )
    return SyntheticControl(
        weights=w,
        donors=donors,
        synthetic=synthetic,
        gap=gap,
        pre_rmspe=float(pre[0]),
        post_rmspe=float(post[0]),
        ratio=ratio,
        effect=float(gap[n_pre:].mean()),
        placebo_ratios=ratios,
        p_value=p_value,
        note=note,
    )


__all__ = ["SyntheticControl", "simplex_weights", "synthetic_control"]
