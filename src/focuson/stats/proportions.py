"""Proportions with Wilson score intervals (PHEindicatormethods ``phe_proportion``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from focuson.stats._checks import as_float, confidence_levels, non_negative, not_above, same_length
from focuson.stats.estimate import Estimate, Interval, Labels
from focuson.stats.intervals import wilson_limits


def proportion(
    x: ArrayLike,
    n: ArrayLike,
    *,
    confidence: float | Sequence[float] | None = 0.95,
    multiplier: float = 1,
) -> Estimate:
    """Proportion ``x / n`` per group with Wilson score confidence limits.

    Parameters
    ----------
    x
        Numerator (number of people with the outcome) per group.
    n
        Denominator per group; must not be below ``x``.
    confidence
        One or more confidence levels (0.95, or ``[0.95, 0.998]`` as Fingertips does); ``None``
        gives the value without intervals.
    multiplier
        1 for a proportion, 100 for a percentage, 1000 for per 1,000.

    Returns
    -------
    Estimate
        ``value = x / n * multiplier`` with Wilson limits times the multiplier. Groups with a
        zero denominator, or a missing ``x`` or ``n``, are NA with a reason.

    Raises
    ------
    ValueError
        Negative ``x`` or ``n``, ``x > n``, mismatched lengths or a confidence outside [0.9, 1].

    Notes
    -----
    Matches ``phe_proportion`` of PHEindicatormethods 2.1.0, except that a zero denominator gives
    NA with a reason where the package stops with an error. Limits are not clamped: with
    ``x == n`` the upper limit can exceed the multiplier by rounding error, as in the package.

    References
    ----------
    Wilson EB. JASA 1927;22:209-212. Newcombe RG, Altman DG. Proportions and their differences.
    In: Statistics with Confidence, 2nd edn. BMJ Books, 2000.

    Examples
    --------
    >>> est = proportion([65, 0], [100, 20], multiplier=100)
    >>> est.value.tolist()
    [65.0, 0.0]
    >>> np.round(est.lower, 4).tolist(), np.round(est.upper, 4).tolist()
    ([55.2544, 0.0], [73.6358, 16.1125])
    """
    xa, na = as_float("x", x), as_float("n", n)
    size = same_length(x=xa, n=na)
    non_negative("x", xa)
    non_negative("n", na)
    not_above("x", xa, "n", na)
    levels = () if confidence is None else confidence_levels(confidence)

    reason = Labels(size)
    reason.add(np.isnan(xa) | np.isnan(na), "numerator or denominator missing")
    reason.add(na == 0, "denominator is zero")
    ok = reason.ok
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, xa / na * multiplier, np.nan)
    intervals = {}
    for level in levels:
        lower, upper = wilson_limits(xa, na, level)
        intervals[level] = Interval(
            np.where(ok, lower * multiplier, np.nan), np.where(ok, upper * multiplier, np.nan)
        )
    return Estimate(
        value=value,
        intervals=intervals,
        statistic=_proportion_label(multiplier),
        method="Wilson",
        reason=reason,
    )


def _proportion_label(multiplier: float) -> str:
    if multiplier == 1:
        return "proportion"
    if multiplier == 100:
        return "percentage"
    return f"proportion of {multiplier:g}"
