"""Power first: the minimum detectable effect (MDE) of a Study, before the test starts.

MDE at 80% power, two-sided alpha 0.05, is (z_0.975 + z_0.80) x SE = 2.80 x SE (evaluation.md
section 7; Bloom 1995, Evaluation Review 19:547), with the SE from pre-period data:

- proportions in independent cells: SE = sqrt(cells x p(1 - p) / n), with 2 cells for a
  difference, 4 for a difference-in-differences or a gap change within one area, and 8 for a gap
  change with a comparison area (each extra difference doubles the variance);
- an interrupted time series level change (segmented regression, Wagner et al. 2002): the OLS
  standard error of the level term, sigma x sqrt([(X'X)^-1 X' R X (X'X)^-1]_jj), where R is the
  AR(1) correlation matrix of the residuals (R = I when they are independent);
- units in clusters: multiply the variance by the design effect 1 + (m - 1) ICC.

>>> round(100 * float(mde_proportion(0.6, 1000)), 1)
6.1
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

from focuson.study.segments import Coding, its_design

FloatArray = NDArray[np.float64]

#: Independent cells whose variances add up in each comparison (section 7).
CELLS: dict[str, int] = {"difference": 2, "did": 4, "gap": 4, "gap_with_comparison": 8}

Comparison = Literal["difference", "did", "gap", "gap_with_comparison"]


def mde_multiplier(alpha: float = 0.05, power: float = 0.8) -> float:
    """z_(1 - alpha/2) + z_power: 2.8016 for alpha 0.05 and 80% power.

    >>> round(mde_multiplier(), 4)
    2.8016
    """
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must lie strictly between 0 and 1, e.g. 0.05 and 0.8.")
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def mde_proportion(
    p: ArrayLike,
    n: ArrayLike,
    *,
    comparison: Comparison = "difference",
    design_effect: ArrayLike = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
) -> FloatArray:
    """MDE of a comparison of proportions in cells of ``n`` people each (same units as ``p``).

    Parameters
    ----------
    p : array_like
        Expected proportion, between 0 and 1 (the pre-period value).
    n : array_like
        People per cell per period (for a quintile gap, the people in one quintile).
    comparison : {"difference", "did", "gap", "gap_with_comparison"}
        2, 4, 4 or 8 independent cells (:data:`CELLS`).
    design_effect : array_like
        Variance inflation for clustering, e.g. from :func:`design_effect`.

    Examples
    --------
    >>> np.round(100 * mde_proportion(0.6, [1000, 5000], comparison="gap"), 1).tolist()
    [8.7, 3.9]
    """
    pa = np.asarray(p, dtype=float)
    na = np.asarray(n, dtype=float)
    if np.any((pa <= 0) | (pa >= 1)) or np.any(na <= 0):
        raise ValueError("p must lie strictly between 0 and 1 and n must be positive.")
    cells = CELLS[comparison]
    se = np.sqrt(cells * pa * (1 - pa) / na * np.asarray(design_effect, dtype=float))
    return np.asarray(mde_multiplier(alpha, power) * se, dtype=float)


def design_effect(m: ArrayLike, icc: ArrayLike) -> FloatArray:
    """Kish's design effect 1 + (m - 1) ICC for clusters of ``m`` people.

    >>> float(design_effect(101, 0.01))
    2.0
    """
    return np.asarray(1 + (np.asarray(m, dtype=float) - 1) * np.asarray(icc, dtype=float))


def _level_variance_polynomial(x: FloatArray, j: int) -> FloatArray:
    """Coefficients a_k with Var(beta_j) / sigma^2 = sum_k rho^k a_k under AR(1) residuals.

    X'RX = sum_k rho^k (sum_i x_i x_(i+k)' + its transpose, once for k = 0); only the j-th
    diagonal element of the sandwich is needed, so a_k = c' (lag-k cross products) c with
    c = (X'X)^-1 e_j, i.e. a_k = 2 sum_i u_i u_(i+k) (a_0 = sum u_i^2) with u = X c.
    """
    c = np.linalg.solve(x.T @ x, np.eye(x.shape[1])[:, j])
    u = x @ c
    n = len(u)
    full = np.correlate(u, u, mode="full")[n - 1 :]  # sum_i u_i u_(i+k), k = 0..n-1
    full[1:] *= 2
    return np.asarray(full)


def its_level_se(
    n_pre: int,
    n_post: int,
    *,
    sigma: ArrayLike = 1.0,
    rho: ArrayLike = 0.0,
    fourier_pairs: int = 0,
    first_month: int = 1,
    coding: Coding = "t-t0",
) -> FloatArray:
    """Standard error of the ITS level change for residual SD ``sigma`` and AR(1) ``rho``.

    The variance of the OLS estimate under AR(1) residuals (not the naive iid one), for any
    number of series at once (``sigma`` and ``rho`` broadcast).

    Examples
    --------
    >>> round(float(its_level_se(24, 24)), 2), round(float(its_level_se(12, 12)), 2)
    (0.58, 0.82)
    >>> round(float(its_level_se(24, 24, rho=0.5) ** 2 / its_level_se(24, 24) ** 2), 1)
    2.3
    """
    x = its_design(
        n_pre, n_post, fourier_pairs=fourier_pairs, first_month=first_month, coding=coding
    )
    a = _level_variance_polynomial(x, 2)
    r = np.asarray(rho, dtype=float)
    if np.any(np.abs(r) >= 1):
        raise ValueError("The autocorrelation rho must lie strictly between -1 and 1.")
    powers = r[..., None] ** np.arange(len(a))
    return np.asarray(np.asarray(sigma, dtype=float) * np.sqrt(powers @ a), dtype=float)


def its_mde(
    pre: ArrayLike,
    n_post: int,
    *,
    fourier_pairs: int = 0,
    first_month: int = 1,
    coding: Coding = "t-t0",
    alpha: float = 0.05,
    power: float = 0.8,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """MDE of an ITS level change from pre-period series (one row per series).

    Fits trend (+ Fourier terms) to each row's pre-period by least squares in one call, takes
    the residual SD (divisor n - k) and the lag-1 autocorrelation of the residuals (clipped to
    +/- 0.95; it is biased towards zero in short series, so the MDE is, if anything, optimistic),
    and returns ``(mde, sigma, rho)``, each with one value per series.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> mde, sigma, rho = its_mde(50 + rng.normal(0, 2, (3, 24)), 24)
    >>> mde.shape
    (3,)
    """
    y = np.atleast_2d(np.asarray(pre, dtype=float))
    n_pre = y.shape[1]
    x_all = its_design(
        n_pre, n_post, fourier_pairs=fourier_pairs, first_month=first_month, coding=coding
    )
    x_pre = x_all[:n_pre][:, [0, 1, *range(4, x_all.shape[1])]]
    k = x_pre.shape[1]
    if n_pre <= k + 2:
        raise ValueError(
            f"{n_pre} pre-period points are too few to estimate the noise with {k} terms; "
            "use a longer pre-period (12 or more, 24 with seasonality)."
        )
    if not np.all(np.isfinite(y)):
        raise ValueError("The pre-period series has missing values; fill or shorten it first.")
    beta, *_ = np.linalg.lstsq(x_pre, y.T, rcond=None)
    resid = y - (x_pre @ beta).T
    sigma = np.sqrt((resid**2).sum(axis=1) / (n_pre - k))
    denom = (resid**2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(denom > 0, (resid[:, 1:] * resid[:, :-1]).sum(axis=1) / denom, 0.0)
    rho = np.clip(rho, -0.95, 0.95)
    se = its_level_se(
        n_pre,
        n_post,
        sigma=sigma,
        rho=rho,
        fourier_pairs=fourier_pairs,
        first_month=first_month,
        coding=coding,
    )
    return mde_multiplier(alpha, power) * se, sigma, rho


def power_statement(
    mde_overall: float,
    mde_gap: float,
    smallest_worthwhile_change: float,
    *,
    overall_change: float | None = None,
    unit: str = " pp",
) -> str:
    """The MDE in words, with a suggestion when a change sought is below what is detectable.

    Parameters
    ----------
    mde_overall, mde_gap : float
        MDEs of the overall effect and of the gap, in display units (pp, not fractions); NaN
        for the gap when it cannot be worked out (its groups' counts are suppressed).
    smallest_worthwhile_change : float
        The plan's smallest worthwhile change in the gap, same units.
    overall_change : float, optional
        The plan's smallest worthwhile change overall; when given, it is checked against the
        overall MDE too.
    unit : str
        Appended to every number.

    Examples
    --------
    >>> power_statement(3.2, 7.9, 5)  # doctest: +NORMALIZE_WHITESPACE
    'This test can detect 3.2 pp overall and 7.9 pp in the gap; your smallest worthwhile change
    is 5.0 pp. That is smaller than the test can detect in the gap: consider a longer test, more
    units, or a process- and insight-led study.'
    >>> power_statement(14.7, float("nan"), 2, overall_change=3)  # doctest: +NORMALIZE_WHITESPACE
    'This test can detect 14.7 pp overall; what it can detect in the gap could not be worked out.
    Your smallest worthwhile change is 3.0 pp overall and 2.0 pp in the gap. The overall change
    sought is smaller than the test can detect: consider a longer test, more units, or a
    process- and insight-led study.'
    """
    advice = "consider a longer test, more units, or a process- and insight-led study."
    if overall_change is None:
        text = (
            f"This test can detect {mde_overall:.1f}{unit} overall and {mde_gap:.1f}{unit} in "
            f"the gap; your smallest worthwhile change is {smallest_worthwhile_change:.1f}{unit}."
        )
        if smallest_worthwhile_change < mde_gap:
            text += f" That is smaller than the test can detect in the gap: {advice}"
        return text
    gap_known = bool(np.isfinite(mde_gap))
    text = f"This test can detect {mde_overall:.1f}{unit} overall"
    text += (
        f" and {mde_gap:.1f}{unit} in the gap."
        if gap_known
        else "; what it can detect in the gap could not be worked out."
    )
    text += (
        f" Your smallest worthwhile change is {overall_change:.1f}{unit} overall and "
        f"{smallest_worthwhile_change:.1f}{unit} in the gap."
    )
    short = []
    if overall_change < mde_overall:
        short.append("overall change")
    if gap_known and smallest_worthwhile_change < mde_gap:
        short.append("change in the gap")
    if short:
        what = " and the ".join(short)
        verb = "are" if len(short) > 1 else "is"
        text += f" The {what} sought {verb} smaller than the test can detect: {advice}"
    return text
