"""People affected: the excess over the reference rate, and the gaps to standard and target.

"How many more people in the group missed the standard than would have at the reference rate"
is what a programme lead ranks by. For a group with ``denominator`` people (or person-years)
and value ``y`` against a reference value ``y_ref`` (both per ``multiplier``):

* higher is better (e.g. % seen within 18 weeks): ``excess = (y_ref - y) / multiplier x
  denominator``, the people who would have been seen in time at the reference rate but were not;
* lower is better (e.g. % waiting over 52 weeks, admissions per 100,000): ``excess = (y - y_ref) /
  multiplier x denominator``.

The excess is clipped at 0 when the group does better than its reference. For directly
standardised rates the difference of the DSRs is applied to the group's crude population, an
age-adjusted count of excess events (an approximation: the exact count would standardise
indirectly). Means have no excess in people (NaN).

The gap to the constitutional standard and to the operational target is on the value's scale,
positive where the group falls short (below a higher-is-better standard, above a lower-is-better
one) and negative where it meets it with room to spare. ``people_to_standard`` turns a shortfall
into people: how many more would have to meet the standard for the group to reach it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def excess(
    value: ArrayLike,
    reference_value: ArrayLike,
    denominator: ArrayLike,
    multiplier: ArrayLike,
    higher_is_better: ArrayLike,
    statistic: ArrayLike,
) -> FloatArray:
    """People affected: how many more missed out than would have at the reference rate.

    Parameters
    ----------
    value, reference_value
        The group's value and its reference's, on the indicator's scale.
    denominator
        The group's denominator (people, or the population for rates).
    multiplier
        The indicator's multiplier (100 for %, 100000 per 100,000).
    higher_is_better
        Polarity per row.
    statistic
        ``"proportion"``, ``"rate"``, ``"dsr"`` or ``"mean"`` (means give NaN).

    Returns
    -------
    numpy.ndarray
        Excess people (not rounded), 0 where the group does at least as well as its reference,
        NaN where either value is missing.

    Examples
    --------
    50% seen in time of 1,000 against 65% in the reference: 150 more people waited too long.

    >>> excess([50.0, 70.0, 12.0], [65.0, 65.0, 10.0], [1000, 1000, 50_000],
    ...        [100, 100, 100_000], [True, True, False], ["proportion"] * 2 + ["rate"]).tolist()
    [150.0, 0.0, 1.0]
    """
    v, r, n, m = (
        np.asarray(a, dtype=np.float64) for a in (value, reference_value, denominator, multiplier)
    )
    hib = np.asarray(higher_is_better, dtype=bool)
    stat = np.asarray(statistic, dtype=object)
    shortfall = np.where(hib, r - v, v - r)
    with np.errstate(invalid="ignore"):
        people = np.clip(shortfall, 0.0, None) / m * n
    people = np.where(stat == "mean", np.nan, people)
    return np.asarray(people, dtype=np.float64)


def gap(value: ArrayLike, level: ArrayLike, higher_is_better: ArrayLike) -> FloatArray:
    """Gap to a standard or target, positive where the group falls short of it.

    >>> gap([88.0, 95.0, 3.0], [92.0, 92.0, 1.0], [True, True, False]).tolist()
    [4.0, -3.0, 2.0]
    """
    v = np.asarray(value, dtype=np.float64)
    lv = np.asarray(level, dtype=np.float64)
    hib = np.asarray(higher_is_better, dtype=bool)
    return np.asarray(np.where(hib, lv - v, v - lv), dtype=np.float64)


def people_to_level(
    value: ArrayLike,
    level: ArrayLike,
    denominator: ArrayLike,
    multiplier: ArrayLike,
    higher_is_better: ArrayLike,
) -> FloatArray:
    """People who would have to move for the group to reach a standard (0 if it already does).

    >>> people_to_level([88.0, 95.0], [92.0, 92.0], [1000, 1000], [100, 100], [True, True]).tolist()
    [40.0, 0.0]
    """
    short = gap(value, level, higher_is_better)
    n = np.asarray(denominator, dtype=np.float64)
    m = np.asarray(multiplier, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.clip(short, 0.0, None) / m * n, dtype=np.float64)
