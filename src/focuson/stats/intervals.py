"""Confidence-interval primitives: Wilson, Byars and exact Poisson limits.

These are the building blocks of PHEindicatormethods 2.1.0 (``R/utils.R``): ``wilson_lower``,
``wilson_upper``, ``byars_lower``, ``byars_upper`` and the exact (chi-squared) Poisson limits its
rate and ISR functions use below 10 events. Each takes and returns arrays, one element per group.
(The funnel plots' own Poisson search, ``poisson_cis``, lives in :mod:`focuson.stats.funnels`.)

References
----------
Wilson EB. Probable inference, the law of succession, and statistical inference. JASA
1927;22:209-212.
Breslow NE, Day NE. Statistical Methods in Cancer Research, Volume II. IARC, 1987 (Byars'
approximation, p. 69).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from focuson.stats.estimate import Labels

FloatArray = NDArray[np.float64]

#: PHEindicatormethods switches from exact Poisson limits to Byars at 10 events (strictly < 10).
EXACT_BELOW = 10


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence``: 1.959964 at 0.95, 3.090232 at 0.998.

    >>> round(z_value(0.95), 6)
    1.959964
    """
    return float(stats.norm.ppf(confidence + (1 - confidence) / 2))


def wilson_limits(x: FloatArray, n: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for ``x`` successes out of ``n`` (as proportions, not clamped).

    >>> lo, hi = wilson_limits(np.array([65.0]), np.array([100.0]), 0.95)
    >>> round(float(lo[0]), 6), round(float(hi[0]), 6)
    (0.552544, 0.736358)
    """
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = 2 * x + z**2
        spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        denom = 2 * (n + z**2)
        return (centre - spread) / denom, (centre + spread) / denom


def byars_lower(x: FloatArray, confidence: float) -> FloatArray:
    """Byars' lower limit for a Poisson count; NaN where it would be negative (as the package)."""
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(lower < 0, np.nan, lower)


def byars_upper(x: FloatArray, confidence: float) -> FloatArray:
    """Byars' upper limit for a Poisson count."""
    z = z_value(confidence)
    x1 = x + 1
    return np.asarray(x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3, dtype=np.float64)


def exact_lower(x: FloatArray, confidence: float) -> FloatArray:
    """Exact (chi-squared) lower limit for a Poisson count; 0 at x = 0, as R's ``qchisq(q, 0)``."""
    with np.errstate(invalid="ignore"):
        lower = stats.chi2.ppf((1 - confidence) / 2, 2 * x) / 2
    return np.where(x == 0, 0.0, lower)


def exact_upper(x: FloatArray, confidence: float) -> FloatArray:
    """Exact (chi-squared) upper limit for a Poisson count."""
    return np.asarray(stats.chi2.ppf(confidence + (1 - confidence) / 2, 2 * x + 2) / 2)


def poisson_limits(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Limits for a Poisson count: exact below 10 events, Byars from 10 (PHEindicatormethods rule).

    >>> lo, hi = poisson_limits(np.array([3.0, 50.0]), 0.95)
    >>> np.round(lo, 4).tolist(), np.round(hi, 4).tolist()
    ([0.6187, 37.1081], [8.7673, 65.9202])
    """
    lower = byars_lower(x, confidence)
    upper = byars_upper(x, confidence)
    exact = x < EXACT_BELOW
    if exact.any():
        # Chi-squared quantiles are the costly part, and counts below 10 take few distinct
        # values: evaluate them once per distinct count, then scatter back.
        distinct, position = np.unique(x[exact], return_inverse=True)
        lower[exact] = exact_lower(distinct, confidence)[position]
        upper[exact] = exact_upper(distinct, confidence)[position]
    return lower, upper


def poisson_method(x: FloatArray) -> Labels:
    """The method label per group: ``"Exact"`` below 10 events, else ``"Byars"``.

    >>> poisson_method(np.array([3.0, 50.0])).array().tolist()
    ['Exact', 'Byars']
    """
    return Labels.choose(x < EXACT_BELOW, "Exact", "Byars")
