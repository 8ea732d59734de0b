"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021, AER).

SDID reweights the comparison units (unit weights omega, as a synthetic control but with an
intercept and a ridge penalty) and the pre-period (time weights lambda, so the weighted
pre-period resembles the post-period), then takes the weighted double difference

    tau = d_treated - sum_i omega_i d_i,  d_i = mean_post Y_i - sum_t lambda_t Y_i,t

(d_treated: the same for the treated units' mean).

This is a port of the R package ``synthdid`` (``synthdid_estimate``, ``sc.weight.fw``,
``fw.step``, ``sparsify_function``, ``collapsed.form`` in R/synthdid.R and R/solver.R), so the
numbers agree with it: the weights are found by the same Frank-Wolfe iterations (100, then
weights at or below a quarter of the largest set to zero, then Frank-Wolfe again until an
iteration gains less than (1e-5 x noise level)^2 or 10,000 iterations), with the paper's
regularisation: noise level = SD of the controls' first differences in the pre-period,
zeta_omega = (N1 T1)^(1/4) x noise level, zeta_lambda = 1e-6 x noise level. On California's
Proposition 99 it gives -15.60383 packs, as ``synthdid`` does (tests/oracle/test_study_sdid.py).

The same module gives the paper's synthetic control (``estimator="sc"``: no intercept, no time
weights, zeta_omega = 1e-6 x noise level) and DiD (``"did"``: uniform weights), so all three
share one variance:

* ``variance="placebo"`` (the paper's Algorithm 4, for few treated units; the only one valid
  with one treated unit): the controls are shuffled, the last N1 of them play the treated, the
  estimator is refitted with its weights re-estimated, starting (as ``synthdid:::placebo_se``
  in R/vcov.R does) from the fitted omega of the kept units, renormalised, and the fitted
  lambda, and SE = sqrt((r - 1) / r) x SD of the r placebo estimates. The time-weight problem
  has almost no ridge (1e-6 x noise), so Frank-Wolfe stops where its start leads it: with few
  comparison units and pre-periods the placebo estimates then barely vary and the SE is far
  too small (docs/study.md), which is why ``focuson study`` asks for 10 units and 24 months.
  The replications run as one batch of Frank-Wolfe iterations (array operations), not a
  Python loop over replications.
* ``variance="jackknife"`` (Algorithm 3, two or more treated units): each unit left out in turn
  with the weights held fixed, as ``synthdid::vcov(method="jackknife")``.

Intervals are estimate +- z x SE (normal), as in the paper. Placebo SEs are random: they depend on
the seed and the number of replications.

>>> rng = np.random.default_rng(0)
>>> Y = rng.normal(0, 0.1, (12, 10)) + np.linspace(0, 1, 10) + np.arange(12)[:, None] / 4
>>> Y[-1, 7:] += 2.0
>>> round(sdid(Y, n_control=11, n_pre=7, replications=50).estimate, 1)
2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

FloatArray = NDArray[np.float64]
Estimator = Literal["sdid", "sc", "did"]
Variance = Literal["placebo", "jackknife", "none"]

NAMES = {"sdid": "synthetic DiD", "sc": "synthetic control", "did": "DiD"}
#: synthdid's iteration limits: before sparsifying, and in all.
PRE_SPARSIFY_ITERATIONS, MAX_ITERATIONS = 100, 10_000


@dataclass(frozen=True)
class SdidFit:
    """An SDID (or SC, DiD) estimate, its weights and its variance.

    ``omega`` holds one weight per control unit, ``lam`` one per pre-period (zeros for SC);
    ``relative`` is the estimate over the treated units' counterfactual post-period mean (the
    observed mean minus the estimate), with the interval's ends divided by the same number.
    """

    estimate: float
    se: float
    lower: float
    upper: float
    relative: float
    relative_lower: float
    relative_upper: float
    omega: FloatArray
    lam: FloatArray
    estimator: Estimator
    variance: Variance
    replications: int
    noise_level: float
    n_control: int
    n_treated: int
    n_pre: int
    n_post: int
    note: str


@dataclass(frozen=True)
class _Options:
    zeta_omega: float
    zeta_lambda: float
    min_decrease: float
    omega_intercept: bool
    update_omega: bool
    update_lambda: bool


def _frank_wolfe(
    A: FloatArray, b: FloatArray, x: FloatArray, zeta: float, min_decrease: float, max_iter: int
) -> FloatArray:
    """``sc.weight.fw`` for a batch: A (B, N, T), b (B, N), starting weights x (B, T).

    Minimises zeta^2 |x|^2 + |A x - b|^2 / N over the simplex by Frank-Wolfe with exact line
    search (``fw.step``), each problem stopping by synthdid's own rule (after at least two
    iterations, when the objective falls by no more than ``min_decrease``^2).
    """
    n = A.shape[1]
    eta = n * zeta**2
    x = x.copy()
    prev = np.full(x.shape[0], np.inf)
    before = np.full(x.shape[0], np.inf)
    active = np.ones(x.shape[0], dtype=bool)
    rows = np.arange(x.shape[0])
    for it in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        Ai, bi, xi = A[idx], b[idx], x[idx]
        Ax = np.einsum("bnt,bt->bn", Ai, xi)
        half_grad = np.einsum("bn,bnt->bt", Ax - bi, Ai) + eta * xi
        i = np.argmin(half_grad, axis=1)
        dx = -xi
        dx[rows[: idx.size], i] += 1.0
        d_err = Ai[rows[: idx.size], :, i] - Ax
        denom = np.einsum("bn,bn->b", d_err, d_err) + eta * np.einsum("bt,bt->b", dx, dx)
        with np.errstate(invalid="ignore", divide="ignore"):
            step = -np.einsum("bt,bt->b", half_grad, dx) / denom
        # fw.step returns x unchanged when the vertex is x itself (dx all zero); a flat
        # direction (denominator 0: no ridge, no change in fit) is not taken either
        still = np.all(dx == 0, axis=1) | ~(denom > 0)
        step = np.where(still, 0.0, np.clip(step, 0.0, 1.0))
        xi = xi + step[:, None] * dx
        x[idx] = xi
        err = np.einsum("bnt,bt->bn", Ai, xi) - bi
        val = zeta**2 * np.einsum("bt,bt->b", xi, xi) + np.einsum("bn,bn->b", err, err) / n
        before[idx], prev[idx] = prev[idx], val
        if it >= 1:  # synthdid: t < 2 || vals[t - 1] - vals[t] > min.decrease^2
            active[idx] = before[idx] - val > min_decrease**2
    return x


def _sparsify(v: FloatArray) -> FloatArray:
    """synthdid's ``sparsify_function``: weights <= max / 4 to zero, then sum to one."""
    v = np.where(v <= v.max(axis=1, keepdims=True) / 4, 0.0, v)
    return v / v.sum(axis=1, keepdims=True)


def _solve(
    A: FloatArray, b: FloatArray, start: FloatArray, zeta: float, intercept: bool, opts: _Options
) -> FloatArray:
    if intercept:  # centre each column over the rows of the problem
        A = A - A.mean(axis=1, keepdims=True)
        b = b - b.mean(axis=1, keepdims=True)
    x = _frank_wolfe(A, b, start, zeta, opts.min_decrease, PRE_SPARSIFY_ITERATIONS)
    return _frank_wolfe(A, b, _sparsify(x), zeta, opts.min_decrease, MAX_ITERATIONS)


def _fit(
    Y: FloatArray, n_control: int, n_pre: int, omega: FloatArray, lam: FloatArray, opts: _Options
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weights and estimates for a batch of panels Y (B, N, T) sharing N0 and T0."""
    n0, t0 = n_control, n_pre
    ctrl_pre = Y[:, :n0, :t0]
    ctrl_post = Y[:, :n0, t0:].mean(axis=2)
    treat_pre = Y[:, n0:, :t0].mean(axis=1)
    if opts.update_lambda:  # rows: control units; columns: pre-periods, target: post mean
        lam = _solve(ctrl_pre, ctrl_post, lam, opts.zeta_lambda, True, opts)
    if opts.update_omega:  # rows: pre-periods; columns: control units, target: treated mean
        A = np.transpose(ctrl_pre, (0, 2, 1))
        omega = _solve(A, treat_pre, omega, opts.zeta_omega, opts.omega_intercept, opts)
    # tau = (-omega, 1/N1) Y (-lambda, 1/T1)
    unit_w = np.concatenate(
        [-omega, np.full((Y.shape[0], Y.shape[1] - n0), 1 / (Y.shape[1] - n0))], 1
    )
    time_w = np.concatenate(
        [-lam, np.full((Y.shape[0], Y.shape[2] - t0), 1 / (Y.shape[2] - t0))], 1
    )
    est = np.einsum("bn,bnt,bt->b", unit_w, Y, time_w)
    return est, omega, lam


def _sum_normalize(v: FloatArray) -> FloatArray:
    total = v.sum(axis=-1, keepdims=True)
    uniform = np.full_like(v, 1 / v.shape[-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total != 0, v / np.where(total != 0, total, 1), uniform)


def sdid(
    outcomes: ArrayLike,
    *,
    n_control: int,
    n_pre: int,
    estimator: Estimator = "sdid",
    variance: Variance = "placebo",
    replications: int = 200,
    seed: int = 0,
    level: float = 0.95,
) -> SdidFit:
    """Estimate the effect on the treated units by SDID, SC or DiD, with its standard error.

    Parameters
    ----------
    outcomes : (units, periods) balanced panel, rows the ``n_control`` comparison units first,
        then the treated units; columns in time order, the first ``n_pre`` before the start
        (leave a transition window out before calling).
    estimator : {"sdid", "sc", "did"}
        ``synthdid_estimate``, ``sc_estimate`` or ``did_estimate``.
    variance : {"placebo", "jackknife", "none"}
        Algorithm 4 (placebo; needs more controls than treated units) or 3 (jackknife; needs two
        or more treated units).
    replications, seed : int
        Placebo replications and the seed of their random draws.

    Returns
    -------
    SdidFit

    Examples
    --------
    >>> Y = np.array([[1.0, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 9]])
    >>> round(sdid(Y, n_control=2, n_pre=3, estimator="did", variance="none").estimate, 10)
    3.0
    """
    Y = np.asarray(outcomes, dtype=np.float64)
    if Y.ndim != 2 or not np.all(np.isfinite(Y)):
        raise ValueError("outcomes must be a complete units x periods table (no missing cells).")
    n_units, n_periods = Y.shape
    n0, t0 = n_control, n_pre
    n1, t1 = n_units - n0, n_periods - t0
    if n0 < 2 or n1 < 1 or t0 < 2 or t1 < 1:
        raise ValueError(
            f"SDID needs at least 2 comparison units, 1 treated unit, 2 pre-periods and 1 "
            f"post-period; got {n0}, {n1}, {t0} and {t1}."
        )
    noise = float(np.std(np.diff(Y[:n0, :t0], axis=1), ddof=1))
    if estimator == "sdid":
        opts = _Options((n1 * t1) ** 0.25 * noise, 1e-6 * noise, 1e-5 * noise, True, True, True)
        omega0, lam0 = np.full(n0, 1 / n0), np.full(t0, 1 / t0)
    elif estimator == "sc":
        opts = _Options(1e-6 * noise, 1e-6 * noise, 1e-5 * noise, False, True, False)
        omega0, lam0 = np.full(n0, 1 / n0), np.zeros(t0)
    else:
        opts = _Options(0.0, 0.0, 0.0, True, False, False)
        omega0, lam0 = np.full(n0, 1 / n0), np.full(t0, 1 / t0)
    est_b, omega_b, lam_b = _fit(Y[None], n0, t0, omega0[None], lam0[None], opts)
    est, omega, lam = float(est_b[0]), omega_b[0], lam_b[0]

    if variance == "placebo":
        if n0 <= n1:
            raise ValueError("Placebo variance needs more comparison than treated units.")
        rng = np.random.default_rng(seed)
        order = np.argsort(rng.random((replications, n0)), axis=1)  # one shuffle per row
        Yp = Y[:n0][order]
        n0p = n0 - n1
        start = _sum_normalize(omega[order[:, :n0p]])
        placebo, _, _ = _fit(Yp, n0p, t0, start, np.tile(lam, (replications, 1)), opts)
        se = float(np.std(placebo, ddof=0))  # sqrt((r - 1) / r) x sd
        how = f"placebo SE ({replications} replications, seed {seed}; Arkhangelsky et al. Alg. 4)"
    elif variance == "jackknife":
        if n1 < 2:
            raise ValueError(
                "The jackknife variance is not defined with one treated unit; use placebo."
            )
        se = _jackknife(Y, n0, t0, omega, lam)
        how = "jackknife SE, weights fixed (Arkhangelsky et al. Alg. 3)"
    else:
        se, how = float("nan"), "no variance"
    z = float(norm.ppf(0.5 + level / 2))
    lo, hi = est - z * se, est + z * se
    counterfactual = float(Y[n0:, t0:].mean()) - est
    r_est, r_lo, r_hi = (v / counterfactual if counterfactual else math.nan for v in (est, lo, hi))
    note = (
        f"{NAMES[estimator]} "
        f"(Arkhangelsky et al. 2021; synthdid's Frank-Wolfe weights), {n0} comparison and {n1} "
        f"treated unit(s), {t0} pre- and {t1} post-periods; {how}; normal interval"
    )
    return SdidFit(
        est, se, lo, hi, r_est, r_lo, r_hi, omega, lam, estimator, variance,
        replications if variance == "placebo" else 0, noise, n0, n1, t0, t1, note,
    )  # fmt: skip


def _jackknife(Y: FloatArray, n0: int, t0: int, omega: FloatArray, lam: FloatArray) -> float:
    """Leave-one-unit-out estimates with fixed weights, all at once (synthdid ``jackknife_se``)."""
    n = Y.shape[0]
    time_w = np.concatenate([-lam, np.full(Y.shape[1] - t0, 1 / (Y.shape[1] - t0))])
    d = Y @ time_w  # each unit's weighted post - pre difference
    keep = ~np.eye(n, dtype=bool)  # row j: every unit but j
    w_ctrl = np.where(keep[:, :n0], omega[None, :], 0.0)
    w_ctrl = _sum_normalize(w_ctrl)
    treated_kept = keep[:, n0:].astype(float)
    n_treated_kept = treated_kept.sum(axis=1)
    u = treated_kept @ d[n0:] / n_treated_kept - w_ctrl @ d[:n0]
    return float(np.sqrt((n - 1) / n * np.sum((u - u.mean()) ** 2)))


def gap_series(
    most: ArrayLike, least: ArrayLike, *, better: Literal["higher", "lower"]
) -> FloatArray:
    """The gap oriented so that a positive SDID effect on it means the gap narrowed.

    (most - least) x direction, +1 when higher is better: the most deprived group's shortfall,
    negated, so catching up raises it (evaluation.md 3.8).

    >>> gap_series([50.0], [60.0], better="higher").tolist()
    [-10.0]
    """
    sign = 1.0 if better == "higher" else -1.0
    return sign * (np.asarray(most, dtype=np.float64) - np.asarray(least, dtype=np.float64))


__all__ = ["SdidFit", "gap_series", "sdid"]
