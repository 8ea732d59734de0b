"""Means with Student's t intervals (PHEindicatormethods ``phe_mean``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from focuson.stats._checks import as_float, confidence_levels, non_negative, same_length
from focuson.stats.estimate import Estimate, Interval, Labels


def mean(
    value_sum: ArrayLike,
    value_count: ArrayLike,
    stdev: ArrayLike,
    *,
    confidence: float | Sequence[float] = 0.95,
) -> Estimate:
    """Mean per group from its sum, count and sample standard deviation, with t intervals.

    Taking sufficient statistics rather than individual values lets the engine aggregate where the
    data sit (``sum``, ``count`` and ``stddev_samp`` in SQL); only aggregates reach this function.

    Parameters
    ----------
    value_sum
        Sum of the individual values per group.
    value_count
        Number of individual values per group.
    stdev
        Sample standard deviation (denominator ``n - 1``) per group.
    confidence
        One or more confidence levels.

    Returns
    -------
    Estimate
        ``value = value_sum / value_count``, limits ``value ± t(df = n - 1) * stdev / sqrt(n)``;
        ``extras`` holds ``value_sum``, ``value_count`` and ``stdev``. Groups of fewer than two
        values have NA limits (the package gives NaN); empty groups are NA with a reason.

    Notes
    -----
    Matches ``phe_mean`` of PHEindicatormethods 2.1.0.

    References
    ----------
    Armitage P, Berry G, Matthews JNS. Statistical Methods in Medical Research, 4th edn, 2002.

    Examples
    --------
    >>> est = mean([60.0], [4], [1.825742])
    >>> est.value.tolist()
    [15.0]
    >>> np.round(est.lower, 4).tolist(), np.round(est.upper, 4).tolist()
    ([12.0948], [17.9052])
    """
    s, n, sd = (
        as_float("value_sum", value_sum),
        as_float("value_count", value_count),
        as_float("stdev", stdev),
    )
    size = same_length(value_sum=s, value_count=n, stdev=sd)
    non_negative("value_count", n)
    non_negative("stdev", sd)
    levels = confidence_levels(confidence)

    reason = Labels(size)
    reason.add(np.isnan(s) | np.isnan(n), "sum or count missing")
    reason.add(n == 0, "no values in the group")
    ok = reason.ok
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, s / n, np.nan)
        se = sd / np.sqrt(n)
        df = np.where(n > 1, n - 1, np.nan)
    intervals = {}
    for level in levels:
        with np.errstate(invalid="ignore"):
            half = np.abs(stats.t.ppf((1 - level) / 2, df)) * se
        intervals[level] = Interval(value - half, value + half)
    return Estimate(
        value=value,
        intervals=intervals,
        statistic="mean",
        method="Student's t-distribution",
        reason=reason,
        extras={"value_sum": s, "value_count": n, "stdev": sd},
    )
