"""Crude rates with exact Poisson or Byars intervals (PHEindicatormethods ``phe_rate``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from focuson.stats._checks import as_float, confidence_levels, non_negative, same_length
from focuson.stats.estimate import Estimate, Interval, Labels
from focuson.stats.intervals import poisson_limits, poisson_method


def rate(
    x: ArrayLike,
    n: ArrayLike,
    *,
    confidence: float | Sequence[float] | None = 0.95,
    multiplier: float = 100_000,
) -> Estimate:
    """Crude rate ``x / n`` per group: exact Poisson limits below 10 events, Byars from 10.

    Parameters
    ----------
    x
        Number of events per group.
    n
        Population (or person-time) per group.
    confidence
        One or more confidence levels; ``None`` gives the value without intervals.
    multiplier
        Rate per how many, 100,000 by default.

    Returns
    -------
    Estimate
        ``value = x / n * multiplier``; ``method`` is ``"Exact"`` or ``"Byars"`` per group. Groups
        with zero or missing population are NA with a reason.

    Notes
    -----
    Matches ``phe_rate`` of PHEindicatormethods 2.1.0 (events may exceed the population), except
    that a zero population gives NA with a reason where the package stops with an error.

    References
    ----------
    Breslow NE, Day NE. Statistical Methods in Cancer Research Vol II. IARC, 1987.
    Armitage P, Berry G, Matthews JNS. Statistical Methods in Medical Research, 4th edn, 2002.

    Examples
    --------
    >>> est = rate([3, 50], [10_000, 10_000])
    >>> est.value.tolist(), est.method.tolist()
    ([30.0, 500.0], ['Exact', 'Byars'])
    >>> np.round(est.lower, 3).tolist()
    [6.187, 371.081]
    """
    xa, na = as_float("x", x), as_float("n", n)
    size = same_length(x=xa, n=na)
    non_negative("x", xa)
    non_negative("n", na)
    levels = () if confidence is None else confidence_levels(confidence)

    reason = Labels(size)
    reason.add(np.isnan(xa) | np.isnan(na), "count or population missing")
    reason.add(na == 0, "population is zero")
    ok = reason.ok
    scale = np.where(ok, multiplier / np.where(ok, na, 1.0), np.nan)
    intervals = {}
    for level in levels:
        lower, upper = poisson_limits(xa, level)
        intervals[level] = Interval(lower * scale, upper * scale)
    return Estimate(
        value=xa * scale,
        intervals=intervals,
        statistic=f"rate per {multiplier:g}",
        method=poisson_method(xa),
        reason=reason,
    )
