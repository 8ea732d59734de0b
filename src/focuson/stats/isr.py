"""Indirectly standardised ratios and rates (PHEindicatormethods ``calculate_ISRatio``/``ISRate``).

Input is long, as for :func:`focuson.stats.dsr.dsr`: one element per (group, age band) row, with
``group`` holding each row's group code (0 .. G-1), and the reference counts and populations
repeated on every group's rows (the package's ``refpoptype = "field"``). Per-group sums are
``np.bincount`` over the codes: no Python loop over groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import (
    as_float,
    confidence_levels,
    describe_groups,
    number_label,
    positive_number,
    same_length,
)
from focuson.stats._groups import check_rows, group_codes, group_sum
from focuson.stats.estimate import Estimate, Interval, Labels
from focuson.stats.intervals import poisson_limits, poisson_method

FloatArray = NDArray[np.float64]


def isr_ratio(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    group: ArrayLike,
    *,
    observed: ArrayLike | None = None,
    refvalue: float = 1,
    confidence: float | Sequence[float] = 0.95,
    n_groups: int | None = None,
) -> Estimate:
    """Indirectly standardised ratio O/E per group, exact limits below 10 events, Byars from 10.

    Parameters
    ----------
    x
        Observed events in each row (one row per group and age band); missing counts are 0.
        ``None`` when the observed totals are given per group in ``observed``.
    n
        Population of each row; missing populations are taken as 0.
    x_ref, n_ref
        Reference events and population of each row's age band (the same for every group).
    group
        Group code of each row: whole numbers 0 .. G-1. Output element ``g`` is code ``g``.
    observed
        Observed total per group (length G), when events have no age breakdown (2.0.1, issue
        #55); a missing total gives NA. Give either ``x`` or ``observed``.
    refvalue
        The ratio of the reference population: 1 (default) or 100 for an SMR x 100.
    confidence
        One or more confidence levels, e.g. ``0.95`` or ``[0.95, 0.998]``.
    n_groups
        Number of groups G; default ``max(group) + 1`` (or the length of ``observed``).

    Returns
    -------
    Estimate
        ``value = O / E * refvalue``; ``method`` is ``"Exact"`` below 10 observed events, else
        ``"Byars"``; ``extras`` holds ``observed`` and ``expected``. A group is NA with a
        plain-English ``reason`` if it lacks an age band (it has fewer rows than the fullest
        group), its expected count is zero, its observed total is missing, or a reference
        population it needs is zero or missing.

    Raises
    ------
    ValueError
        Negative or infinite counts or populations, bad group codes, mismatched lengths, both or
        neither of ``x`` and ``observed``, a confidence level outside [0.9, 1], or a ``refvalue``
        that is not positive; each message names the argument and the offending groups.

    Notes
    -----
    Matches ``calculate_ISRatio`` of PHEindicatormethods 2.1.0 (``type = "full"``,
    ``refpoptype = "field"``, and ``observed_totals`` for ``observed``):
    :math:`E = \\sum_i x_{ref,i} / n_{ref,i} \\times n_i` with missing reference counts and
    populations taken as 0, :math:`O = \\sum_i x_i`; the limits are the exact (chi-squared)
    Poisson limits of *O* below 10 events and Byars' from 10, divided by *E*, times ``refvalue``.

    A group that lacks one of its age bands is never given a number: its expected count would
    miss that band and its ratio would be wrong. The package refuses the whole call when groups
    have different numbers of rows (``"data must contain the same number of rows for each
    group"``); here, as for every statistic in :mod:`focuson.stats`, only the short group is NA,
    with the reason ``"age bands incomplete: ..."``, and the other groups are computed. The check
    compares groups with each other, as the package's does, so a call with one group cannot
    tell that a band is missing.

    Deliberate deviations: the package returns Inf or NaN (with no explanation) when *E* is 0 or
    a reference population is 0 or missing; here those groups are NA with a reason, and the other
    groups are computed. Negative reference counts or populations are refused (the package does
    not check them). Any number of confidence levels may be given.

    References
    ----------
    Breslow NE, Day NE. Statistical Methods in Cancer Research, Volume II. IARC, 1987 (Byars).
    Armitage P, Berry G, Matthews JNS. Statistical Methods in Medical Research, 4th edn, 2002.
    OHID. Fingertips Public Health Technical Guidance: indirectly standardised ratios.

    Examples
    --------
    Two areas, three age bands, the same reference rates:

    >>> est = isr_ratio(
    ...     [8, 14, 52, 1, 1, 2],
    ...     [1000, 800, 400, 900, 600, 100],
    ...     [100, 200, 900] * 2,
    ...     [20000, 16000, 9000] * 2,
    ...     [0, 0, 0, 1, 1, 1],
    ... )
    >>> est.extras["expected"].tolist(), est.method.tolist()
    ([55.0, 22.0], ['Byars', 'Exact'])
    >>> np.round(est.value, 4).tolist(), np.round(est.lower, 4).tolist()
    ([1.3455, 0.1818], [1.0564, 0.0495])
    """
    parts = _isr_parts(x, n, x_ref, n_ref, group, observed, n_groups)
    positive_number("refvalue", refvalue)
    est = _finish(parts, confidence, refvalue)
    return Estimate(
        value=est.value,
        intervals=est.intervals,
        statistic=f"indirectly standardised ratio x {number_label(refvalue)}",
        method=est.method,
        reason=parts.reason,
        extras={"observed": parts.observed, "expected": parts.expected},
    )


def isr_rate(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    group: ArrayLike,
    *,
    observed: ArrayLike | None = None,
    multiplier: float = 100_000,
    confidence: float | Sequence[float] = 0.95,
    n_groups: int | None = None,
) -> Estimate:
    """Indirectly standardised rate per group: O/E times the crude reference rate.

    Parameters
    ----------
    x, n, x_ref, n_ref, group, observed, confidence, n_groups
        As for :func:`isr_ratio`.
    multiplier
        Rate per how many people, 100,000 by default.

    Returns
    -------
    Estimate
        ``value = O / E * ref_rate`` with ``ref_rate = sum(x_ref) / sum(n_ref) * multiplier``
        over the group's rows; limits as for :func:`isr_ratio`, times ``ref_rate``; ``extras``
        holds ``observed``, ``expected`` and ``ref_rate``. NA rules as for :func:`isr_ratio`.

    Raises
    ------
    ValueError
        As for :func:`isr_ratio`, and a ``multiplier`` that is not positive.

    Notes
    -----
    Matches ``calculate_ISRate`` of PHEindicatormethods 2.1.0 (``type = "full"``, ``refpoptype =
    "field"``, ``observed_totals`` for ``observed``). ``ref_rate`` skips missing reference counts
    (the package's ``na.rm``) but not missing reference populations, which make the group NA.
    Deviations as for :func:`isr_ratio`.

    References
    ----------
    Breslow NE, Day NE. Statistical Methods in Cancer Research, Volume II. IARC, 1987 (Byars).
    Armitage P, Berry G, Matthews JNS. Statistical Methods in Medical Research, 4th edn, 2002.

    Examples
    --------
    >>> est = isr_rate([8, 14, 52], [1000, 800, 400], [100, 200, 900], [20000, 16000, 9000],
    ...                [0, 0, 0])
    >>> round(float(est.extras["ref_rate"][0]), 4), round(float(est.value[0]), 4)
    (2666.6667, 3587.8788)
    """
    parts = _isr_parts(x, n, x_ref, n_ref, group, observed, n_groups)
    positive_number("multiplier", multiplier)
    codes, size_g = parts.codes, len(parts.reason)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref_rate = (
            group_sum(codes, np.where(np.isnan(parts.x_ref), 0.0, parts.x_ref), size_g)
            / group_sum(codes, parts.n_ref, size_g)
            * multiplier
        )
    ref_rate = np.where(parts.ref_bad, np.nan, ref_rate)
    est = _finish(parts, confidence, ref_rate)
    return Estimate(
        value=est.value,
        intervals=est.intervals,
        statistic=f"indirectly standardised rate per {number_label(multiplier)}",
        method=est.method,
        reason=parts.reason,
        extras={"observed": parts.observed, "expected": parts.expected, "ref_rate": ref_rate},
    )


@dataclass(frozen=True)
class _Parts:
    codes: NDArray[np.intp]
    x_ref: FloatArray
    n_ref: FloatArray
    observed: FloatArray
    expected: FloatArray
    reason: Labels
    ref_bad: NDArray[np.bool_]


@dataclass(frozen=True)
class _Finished:
    value: FloatArray
    intervals: dict[float, Interval]
    method: Labels


def _isr_parts(
    x: ArrayLike | None,
    n: ArrayLike,
    x_ref: ArrayLike,
    n_ref: ArrayLike,
    group: ArrayLike,
    observed: ArrayLike | None,
    n_groups: int | None,
) -> _Parts:
    """Validate the input; observed and expected counts per group, and why a group is NA."""
    if (x is None) == (observed is None):
        raise ValueError(
            "x, observed: give the observed events either per row (x) or per group (observed), "
            "not both or neither"
        )
    na, xr, nr = as_float("n", n), as_float("x_ref", x_ref), as_float("n_ref", n_ref)
    size = same_length(n=na, x_ref=xr, n_ref=nr)
    obs_arr = None if observed is None else as_float("observed", observed)
    codes, size_g = group_codes("group", group, size, n_groups)
    if obs_arr is not None and n_groups is None:
        size_g = max(size_g, obs_arr.shape[0])  # trailing groups may have totals but no rows
    for name, arr in (("n", na), ("x_ref", xr), ("n_ref", nr)):
        check_rows(name, arr, codes, size_g, missing_ok=True)

    reason = Labels(size_g)
    obs: FloatArray
    if obs_arr is None:
        xa = as_float("x", x if x is not None else [])
        same_length(x=xa, n=na)
        check_rows("x", xa, codes, size_g, missing_ok=True)
        obs = group_sum(codes, np.where(np.isnan(xa), 0.0, xa), size_g)
    else:
        if obs_arr.shape[0] != size_g:
            raise ValueError(
                f"observed: expected one total per group ({size_g} groups), got {obs_arr.shape[0]}"
            )
        for bad, what in ((obs_arr < 0, "negative"), (np.isinf(obs_arr), "infinite")):
            if bad.any():
                raise ValueError(f"observed: must not be {what}; {what} in {describe_groups(bad)}")
        obs = obs_arr
        reason.add(np.isnan(obs), "observed count missing")

    # E = sum(na0(x_ref) / n_ref * na0(n)); a zero or missing n_ref makes E unusable.
    ref_missing = group_sum(codes, np.isnan(nr), size_g) > 0
    ref_zero = group_sum(codes, nr == 0, size_g) > 0
    bad_ref = np.isnan(nr) | (nr == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(np.isnan(xr), 0.0, xr) / np.where(bad_ref, 1.0, nr)
    expected: FloatArray = group_sum(codes, rate * np.where(np.isnan(na), 0.0, na), size_g)
    expected = np.where(ref_missing | ref_zero, np.nan, expected)
    rows = np.bincount(codes, minlength=size_g)
    reason.add(rows == 0, "no rows for this group")
    # The package stops when groups differ in their number of rows: a group without one of its
    # age bands would otherwise get an expected count short of that band, and a wrong ratio.
    bands = int(rows.max(initial=0))
    reason.add(
        rows < bands,
        f"age bands incomplete: fewer rows than the {bands} (age bands) of the fullest group",
    )
    reason.add(ref_missing, "reference population missing")
    reason.add(ref_zero, "reference population is zero in an age band")
    reason.add(expected == 0, "expected count is zero")
    return _Parts(codes, xr, nr, obs, expected, reason, ref_missing | ref_zero)


def _finish(
    parts: _Parts, confidence: float | Sequence[float], scale: float | FloatArray
) -> _Finished:
    """Value and limits ``{O, limits of O} / E * scale`` for the groups without a reason."""
    levels = confidence_levels(confidence)
    ok = parts.reason.ok
    count = np.where(ok, parts.observed, 0.0)
    factor = np.where(ok, scale / np.where(ok, parts.expected, 1.0), np.nan)
    intervals = {}
    for level in levels:
        lower, upper = poisson_limits(count, level)
        intervals[level] = Interval(lower * factor, upper * factor)
    method = poisson_method(np.where(np.isnan(parts.observed), 0.0, parts.observed))
    return _Finished(count * factor, intervals, method)
