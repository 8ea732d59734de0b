"""Directly standardised rates with Dobson limits (PHEindicatormethods ``calculate_dsr``).

Input is long: one element per (group, age band) row, with ``group`` holding the group code of
each row (0 .. G-1, as the engine's dense codes). Every per-group sum is one ``np.bincount`` over
those codes, so one call computes any number of groups without a Python loop over them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import (
    as_float,
    confidence_levels,
    number_label,
    positive_number,
    same_length,
)
from focuson.stats._groups import check_rows, group_codes, group_sum, where_rows
from focuson.stats.estimate import Estimate, Interval, Labels
from focuson.stats.intervals import EXACT_BELOW, byars_lower, byars_upper

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

DOBSON = "Dobson"
DOBSON_NON_INDEPENDENT = "Dobson, with confidence adjusted for non-independent events"


def dsr(
    x: ArrayLike,
    n: ArrayLike,
    stdpop: ArrayLike,
    group: ArrayLike,
    *,
    confidence: float | Sequence[float] = 0.95,
    multiplier: float = 100_000,
    eventfreq: ArrayLike | None = None,
    ageband: ArrayLike | None = None,
    n_groups: int | None = None,
) -> Estimate:
    """Directly standardised rate per group, with Dobson confidence limits built on Byars.

    Parameters
    ----------
    x
        Events in each row (one row per group and age band); missing counts are taken as 0.
        With ``eventfreq``, the number of *people* in the row who had ``eventfreq`` events.
    n
        Population of each row's group and band. Must not be missing or negative.
    stdpop
        Standard population of each row's band (e.g. from
        :meth:`~focuson.stats.standard_populations.StandardPopulation.weights_for`). Per row, so
        groups may have different band sets (e.g. under-75 rates). Must not be missing or negative.
    group
        Group code of each row: whole numbers 0 .. G-1. Output element ``g`` is code ``g``.
    confidence
        One or more confidence levels, e.g. ``0.95`` or ``[0.95, 0.998]``.
    multiplier
        Rate per how many people, 100,000 by default.
    eventfreq
        Non-independent events (2.1.0): the number of events each person in the row had. Rows of a
        band are then split by frequency, and ``x`` counts people, not events.
    ageband
        Required with ``eventfreq``: the band of each row (any labels), to find the rows of a band.
    n_groups
        Number of groups G; default ``max(group) + 1``. Codes without rows give NA.

    Returns
    -------
    Estimate
        ``value`` is the DSR per ``multiplier``; ``method`` is ``"Dobson"`` (or ``"Dobson, with
        confidence adjusted for non-independent events"``); ``extras`` holds ``total_count``
        (events) and ``total_pop``. A group is NA with a plain-English ``reason`` if it has fewer
        than 10 events, a zero population (in total or in a band), a zero standard population, or
        no rows.

    Raises
    ------
    ValueError
        Negative or infinite counts, populations or standard populations; missing populations or
        standard populations; bad group codes; mismatched lengths; a confidence level outside
        [0.9, 1]; a multiplier that is not positive. With ``eventfreq``: a missing, negative or
        infinite frequency, no ``ageband``, or rows of one band with different ``n`` or ``stdpop``.
        Each message names the argument and the offending groups (and first row).

    Notes
    -----
    Matches ``calculate_dsr`` of PHEindicatormethods 2.1.0 (``type = "full"``; ``independent_events
    = FALSE`` with ``eventfreq``). For bands *i* of a group, with counts :math:`x_i`, populations
    :math:`n_i` and standard populations :math:`w_i`:

    .. math::

        DSR = \\frac{\\sum_i x_i w_i / n_i}{\\sum_i w_i}, \\quad
        var = \\frac{\\sum_i x_i w_i^2 / n_i^2}{(\\sum_i w_i)^2}, \\quad
        O = \\sum_i x_i

    and the limits are ``DSR + sqrt(var / O) * (B(O) - O)``, with ``B`` Byars' lower or upper limit
    for a Poisson count (Dobson et al. 1991), always Byars, never exact. The package's rules are
    kept: with fewer than 10 events the value and limits are NA (the package's statistic ``"dsr NA
    for total count < 10"``); and the lower limit is **not** truncated at 0, so a tiny band
    population can make it negative, as in the package.

    With ``eventfreq`` (non-independent events), for each frequency *f* the variance
    :math:`var_f` is computed as above from that frequency's rows (persons), and
    :math:`var = \\sum_f f^2 var_f`; the DSR and *O* use events per band, :math:`\\sum_f f x`.
    As in the package, rows of one band must agree on ``n`` and ``stdpop``, and a frequency
    without a row for some band simply has a smaller :math:`\\sum w` in its variance.

    Deliberate deviations: where the package stops with an error for the whole call, a group with
    zero population (in total or in any band; issue #32) is NA with a reason, and the other
    groups are computed; a frequency whose rows all have zero standard population adds 0 to the
    variance (the package gives NaN limits); negative frequencies are refused. Any number of
    confidence levels may be given (the package allows one, or 0.95 with 0.998).

    References
    ----------
    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums of Poisson
    parameters. Stat Med 1991;10:457-462.
    Breslow NE, Day NE. Statistical Methods in Cancer Research, Volume II. IARC, 1987 (Byars).
    OHID. Fingertips Public Health Technical Guidance: directly standardised rates.

    Examples
    --------
    The worked example of the package's DSR vignette: 19 bands, no deaths at ages 10-24.

    >>> from focuson.stats.standard_populations import ESP2013
    >>> pop = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
    >>> deaths = [1, 1, None, None, None, 1, 1, 3, 3, 3, 3, 10, 10, 10, 10, 8, 8, 8, 8]
    >>> est = dsr(deaths, pop, ESP2013.weights, [0] * 19)
    >>> round(float(est.value[0]), 3), round(float(est.lower[0]), 3), round(float(est.upper[0]), 2)
    (8283.016, 6570.819, 10289.65)
    >>> est.extras["total_count"].tolist(), est.statistic
    ([88.0], 'dsr per 100000')

    A group with fewer than 10 events, or a zero population, is NA with a reason:

    >>> est = dsr([3, 2, 50, 40, 5, 5], [100, 100, 100, 100, 0, 0], [1, 1] * 3, [0, 0, 1, 1, 2, 2])
    >>> est.reason.tolist()
    ['fewer than 10 events', '', 'population is zero']
    """
    xa, na, wa = as_float("x", x), as_float("n", n), as_float("stdpop", stdpop)
    size = same_length(x=xa, n=na, stdpop=wa)
    codes, size_g = group_codes("group", group, size, n_groups)
    levels = confidence_levels(confidence)
    positive_number("multiplier", multiplier)

    check_rows("x", xa, codes, size_g, missing_ok=True)
    check_rows("n", na, codes, size_g, missing_ok=False)
    check_rows("stdpop", wa, codes, size_g, missing_ok=False)
    x0 = np.where(np.isnan(xa), 0.0, xa)
    zero_row = na == 0
    safe_n = np.where(zero_row, 1.0, na)  # rows of zero population make their group NA below

    if eventfreq is None:
        if ageband is not None:
            raise ValueError("ageband: only used with eventfreq (non-independent events)")
        band_x, band_n, band_w, band_group, band_zero = x0, na, wa, codes, zero_row
        var = group_sum(codes, x0 * (wa / safe_n) ** 2, size_g)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = var / group_sum(codes, wa, size_g) ** 2
        method = DOBSON
    else:
        freq = as_float("eventfreq", eventfreq)
        same_length(x=xa, eventfreq=freq)
        check_rows("eventfreq", freq, codes, size_g, missing_ok=False)
        if ageband is None:
            raise ValueError("ageband: required with eventfreq, to find the rows of each age band")
        bands = band_codes(ageband, size, codes, size_g)
        # One key per (group, band); its first row carries the band's n and stdpop.
        key = codes.astype(np.int64) * (int(bands.max(initial=0)) + 1) + bands
        _, first, band_of_row = np.unique(key, return_index=True, return_inverse=True)
        band_of_row = band_of_row.reshape(-1)
        for name, arr in (("n", na), ("stdpop", wa)):
            differs = arr != arr[first][band_of_row]
            if differs.any():
                raise ValueError(
                    f"{name}: rows with the same group and ageband have different {name} values "
                    f"in {where_rows(differs, codes, size_g)}"
                )
        band_x = group_sum(band_of_row, freq * x0, first.size)
        band_n, band_w, band_group = na[first], wa[first], codes[first]
        band_zero = band_n == 0
        var = _non_independent_variance(x0, safe_n, wa, freq, codes, size_g)
        method = DOBSON_NON_INDEPENDENT

    has_rows = np.bincount(band_group, minlength=size_g) > 0
    total_count = group_sum(band_group, band_x, size_g)
    total_pop = group_sum(band_group, band_n, size_g)
    total_std = group_sum(band_group, band_w, size_g)
    weighted = group_sum(band_group, band_x * band_w / np.where(band_zero, 1.0, band_n), size_g)

    reason = Labels(size_g)
    reason.add(~has_rows, "no rows for this group")
    reason.add(total_pop == 0, "population is zero")
    zero_band = group_sum(band_group, band_zero, size_g) > 0
    reason.add(zero_band, "population is zero in an age band")
    reason.add(total_std == 0, "standard population is zero")
    reason.add(total_count < EXACT_BELOW, "fewer than 10 events")
    ok = reason.ok

    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, weighted / total_std * multiplier, np.nan)
        spread = np.sqrt(var / total_count) * multiplier
    count = np.where(ok, total_count, EXACT_BELOW)  # keeps Byars away from 0 in NA groups
    intervals = {}
    for level in levels:
        lower = value + spread * (byars_lower(count, level) - count)
        upper = value + spread * (byars_upper(count, level) - count)
        intervals[level] = Interval(np.where(ok, lower, np.nan), np.where(ok, upper, np.nan))
    return Estimate(
        value=value,
        intervals=intervals,
        statistic=f"dsr per {number_label(multiplier)}",
        method=method,
        reason=reason,
        extras={"total_count": total_count, "total_pop": total_pop},
    )


def _non_independent_variance(
    x0: FloatArray,
    safe_n: FloatArray,
    w: FloatArray,
    freq: FloatArray,
    codes: IntArray,
    size_g: int,
) -> FloatArray:
    """``sum_f f^2 var_f`` per group, ``var_f`` the Dobson variance of frequency f's rows."""
    levels, fcode = np.unique(freq, return_inverse=True)
    pair = codes.astype(np.int64) * levels.size + fcode.reshape(-1)
    uniq, key = np.unique(pair, return_inverse=True)
    key = key.reshape(-1)
    squares = group_sum(key, x0 * (w / safe_n) ** 2, uniq.size)
    std = group_sum(key, w, uniq.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_f = np.where(std > 0, squares / std**2, 0.0)
    group_of, f = uniq // levels.size, levels[uniq % levels.size]
    return group_sum(group_of, f**2 * var_f, size_g)


def band_codes(ageband: ArrayLike, size: int, codes: IntArray, size_g: int) -> IntArray:
    """Dense codes for the age band labels of each row; missing labels are refused."""
    arr = np.asarray(ageband)
    if arr.ndim != 1 or arr.shape[0] != size:
        raise ValueError(f"ageband: expected one label per row ({size} rows), got {arr.shape}")
    if arr.dtype.kind in "fc":
        missing = np.isnan(arr)
    elif arr.dtype.kind == "O":
        missing = np.array([v is None or v != v for v in arr.tolist()], dtype=bool)
    else:
        missing = np.zeros(size, dtype=bool)
    if missing.any():
        raise ValueError(
            f"ageband: must not be missing; missing in {where_rows(missing, codes, size_g)}"
        )
    labels = arr.astype(str) if arr.dtype.kind == "O" else arr
    return np.unique(labels, return_inverse=True)[1].reshape(-1).astype(np.intp)
