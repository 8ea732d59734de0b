"""NHS England North East and Yorkshire "new" slope index of inequality (national ranks).

NE&Y's ``Quintiles_new_Sii`` differs from OHID's ``phe_sii`` in one respect that matters: the
quantiles are national IMD quintiles or deciles and are placed on the x axis by the midpoints of
the *national* (England) cumulative population shares, while the regression weights are the local
shares. Because the x positions are the same for every area, the SII can be compared between
areas (ICBs, places), which the locally ranked SII cannot. It is the NHS regional standard.

Inputs are settings x quantiles matrices (column 0 = quantile 1 = most deprived).

References
----------
NHS England North East and Yorkshire Analytics. Inequalities Methodologies Document v1 and
``Functions.R`` (``Quintiles_new_Sii``), nhsengland/NEY-Inequalities-Methodologies, 2024.
Low A, Low A. Measuring the gap: quantifying and comparing local health inequalities. J Public
Health 2004;26:388-395.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike

from focuson.stats._checks import confidence_levels
from focuson.stats.estimate import Estimate, Interval, add_reason, filled, reasons
from focuson.stats.inequality._subgroups import as_matrix, describe_settings, same_shape
from focuson.stats.inequality.sii_ohid import (
    DEFAULT_SEED,
    FloatArray,
    any_rows,
    midpoint_ranks,
    order_statistics,
    reps_label,
    simulate_fits,
    wls_weights,
)

#: NE&Y turn a 95% confidence interval into a standard error with 1.96, not qnorm(0.975).
NEY_Z = 1.96

_FLAVOUR = "NHS England NE&Y new SII, national ranks"


def ney_positions(repetitions: int, level: float) -> tuple[int, int]:
    """1-based order statistics NE&Y read: ``as.integer(reps*(1-conf)/2)`` and ``(1+conf)/2``.

    ``as.integer`` truncates towards zero.

    >>> ney_positions(10_000, 0.95), ney_positions(1000, 0.95)
    ((250, 9750), (25, 975))
    """
    return int(repetitions * (1 - level) / 2), int(repetitions * (1 + level) / 2)


def _optional(name: str, values: ArrayLike | None) -> FloatArray | None:
    return None if values is None else as_matrix(name, values)


def _validate(
    y: FloatArray,
    local: FloatArray,
    national: FloatArray,
    lower: FloatArray | None,
    upper: FloatArray | None,
) -> None:
    named = {
        "local_value": y,
        "local_pop": local,
        "national_pop": national,
        "lower": lower,
        "upper": upper,
    }
    for name, arr in named.items():
        if arr is not None and np.isinf(arr).any():
            bad = any_rows(np.isinf(arr))
            raise ValueError(f"{name}: must be finite; infinite in {describe_settings(bad)}")
    if (local < 0).any():
        bad = any_rows(local < 0)
        raise ValueError(f"local_pop: must not be negative; negative in {describe_settings(bad)}")
    bad = np.isnan(national) | (national < 0)
    if bad.any():
        raise ValueError(
            "national_pop: must be given and not negative for every quantile; "
            f"missing or negative in {describe_settings(any_rows(bad))}"
        )
    empty = national.sum(axis=1) == 0
    if empty.any():
        raise ValueError(f"national_pop: every quantile is zero in {describe_settings(empty)}")
    if lower is not None and upper is not None and (upper < lower).any():
        bad = any_rows(upper < lower)
        raise ValueError(
            f"upper: must not be below lower; upper < lower in {describe_settings(bad)}"
        )


@overload
def sii_nhse(
    local_value: ArrayLike,
    local_pop: ArrayLike,
    national_pop: ArrayLike,
    *,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    flip: bool = ...,
    rii: Literal[False] = ...,
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
) -> Estimate: ...


@overload
def sii_nhse(
    local_value: ArrayLike,
    local_pop: ArrayLike,
    national_pop: ArrayLike,
    *,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    flip: bool = ...,
    rii: Literal[True],
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
) -> tuple[Estimate, Estimate]: ...


@overload
def sii_nhse(
    local_value: ArrayLike,
    local_pop: ArrayLike,
    national_pop: ArrayLike,
    *,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    flip: bool = ...,
    rii: bool = ...,
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
) -> Estimate | tuple[Estimate, Estimate]: ...


def sii_nhse(
    local_value: ArrayLike,
    local_pop: ArrayLike,
    national_pop: ArrayLike,
    *,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    flip: bool = True,
    rii: bool = False,
    repetitions: int = 10_000,
    confidence: float | Sequence[float] = 0.95,
    seed: int = DEFAULT_SEED,
) -> Estimate | tuple[Estimate, Estimate]:
    """NHS England NE&Y "new" SII: national-rank slope index of inequality, with simulated CI.

    The x position of each national quantile is the midpoint of its band of the national
    cumulative population share; the local values are fitted by weighted least squares on those
    positions with the local population shares as weights. SII is the slope, RII the fitted value
    at x = 1 over the value at x = 0.

    Parameters
    ----------
    local_value
        The area's indicator value by national quantile, settings x quantiles (column 0 = most
        deprived). A 1-d input is one setting.
    local_pop
        The area's population (denominator) in each national quantile. A quantile with zero local
        population has no weight.
    national_pop
        England's population in each quantile: one row for all settings, or one row per setting.
    lower, upper
        95% confidence limits of the local values, giving ``se = (upper - lower) / 1.96 / 2``.
        Pass ``None`` for both to get the SII without limits (NE&Y then report 0; focuson NaN).
    flip
        ``True`` (NE&Y's choice for adverse indicators or no clear polarity) sets ``x = 1 - x``, so
        that SII = most deprived minus least deprived: positive means higher among the most
        deprived. ``False`` gives least minus most deprived.
    rii
        Also return the RII, ``(c0 + c1) / c0``. NE&Y give no interval for it: its ``intervals``
        mapping is empty.
    repetitions
        Simulated data sets per setting (NE&Y use 10,000).
    confidence
        One or more levels in [0.9, 1] or [90, 100] (NE&Y: 0.95).
    seed
        Seed for :func:`numpy.random.default_rng`; the method label records it.

    Returns
    -------
    Estimate or (Estimate, Estimate)
        SII (and RII) per setting. ``extras["intercept"]`` is ``c0``, the fitted value at x = 0. A
        setting with a missing local value or population, or fewer than two quantiles with local
        population, is NA with a reason. Limits are NaN (and the method says why) when confidence
        limits are not supplied or are missing for a populated quantile.

    Raises
    ------
    ValueError
        Negative or infinite populations, a missing or negative national population, all national
        populations zero, ``upper < lower``, mismatched shapes, a confidence level outside
        [0.9, 1], or too few repetitions for the confidence level (NE&Y need at least 40 at 95%).

    Notes
    -----
    Matches ``Quintiles_new_Sii`` in NE&Y's ``Functions.R`` (nhsengland/NEY-Inequalities-
    Methodologies, commit 2cbc2c2): ranks ``b_1 = e_1/2``, ``b_j = b_{j-1} + e_{j-1}/2 + e_j/2``
    from the England shares ``e``, ``b = 1 - b`` when flipped, no-intercept least squares of
    ``y sqrt(a)`` on ``[sqrt(a), b sqrt(a)]`` with local shares ``a``; ``SII = c1``,
    ``RII = (c0 + c1)/c0``. Each replicate draws every quantile from ``Normal(y, se)`` (NE&Y use
    ``qnorm(runif(1), y, se)``, the same distribution) and refits the slope; the limits are the
    sorted slopes at 1-based positions ``as.integer(reps*(1-conf)/2)`` and
    ``as.integer(reps*(1+conf)/2)``. Point estimates agree with the R code to rounding error;
    limits only within Monte Carlo error (numpy cannot reproduce R's random numbers).

    Deliberate deviations (the port notes of the focuson method notes): NE&Y pair local and
    England rows by position without sorting and filter totals with a recycled ``!=``; here the
    quantiles are the matrix columns, so local and national must have the same columns in the same
    order. Without confidence limits NE&Y return 0 for both bounds; focuson returns NaN. NE&Y fix
    the level at 95%; here it is an option. When the local area is England itself, the new SII
    equals the locally ranked SII of :func:`~focuson.stats.inequality.sii_ohid.sii_ohid` (and
    healthequal's linear SII).

    References
    ----------
    NHS England North East and Yorkshire Analytics. Inequalities Methodologies Document v1, 2024
    (section 2c, 'New' Slope Index of Inequality). Low A, Low A. J Public Health 2004;26:388-395.

    Examples
    --------
    >>> england = [11_000_000, 11_200_000, 11_300_000, 11_400_000, 11_500_000]
    >>> icb = [250_000, 200_000, 180_000, 160_000, 150_000]
    >>> value = [12.0, 11.0, 10.5, 9.8, 9.0]
    >>> est = sii_nhse(value, icb, england, lower=[11.6, 10.6, 10.1, 9.4, 8.6],
    ...                upper=[12.4, 11.4, 10.9, 10.2, 9.4], repetitions=1000)
    >>> round(float(est.value[0]), 4)
    3.6246
    >>> bool(est.lower[0] < est.value[0] < est.upper[0])
    True
    """
    y = as_matrix("local_value", local_value)
    local = as_matrix("local_pop", local_pop)
    national = as_matrix("national_pop", national_pop)
    if national.shape[0] == 1 and y.shape[0] > 1:
        national = np.broadcast_to(national, (y.shape[0], national.shape[1]))
    lower_m = _optional("lower", lower)
    upper_m = _optional("upper", upper)
    same_shape(local_value=y, local_pop=local, national_pop=national, lower=lower_m, upper=upper_m)
    if (lower_m is None) != (upper_m is None):
        raise ValueError("lower, upper: give both confidence limits, or neither")
    levels = confidence_levels(confidence)
    if isinstance(repetitions, bool) or int(repetitions) != repetitions or repetitions < 1:
        raise ValueError(f"repetitions: must be a positive whole number, got {repetitions!r}")
    repetitions = int(repetitions)
    positions = {level: ney_positions(repetitions, level) for level in levels}
    for level, (low, high) in positions.items():
        if low < 1 or high > repetitions:
            raise ValueError(
                f"repetitions: {repetitions} are too few for a {level:g} confidence interval "
                "(NE&Y need at least 40 at 95%)"
            )
    _validate(y, local, national, lower_m, upper_m)
    settings = y.shape[0]

    reason = reasons(settings)
    weighted = local > 0
    add_reason(reason, any_rows(np.isnan(local)), "local population missing for a quantile")
    add_reason(
        reason,
        any_rows(weighted & np.isnan(y)),
        "local value missing for a quantile with local population",
    )
    add_reason(
        reason,
        (weighted & (national > 0)).sum(axis=1) < 2,
        "fewer than two quantiles with local and national population",
    )
    ok = reason == ""

    e = national / national.sum(axis=1, keepdims=True)
    rank = midpoint_ranks(e)
    if flip:
        rank = 1 - rank
    local0 = np.where(ok[:, np.newaxis] & weighted, local, 0.0)
    local0[~ok, 0] = 1.0  # keep NA settings finite; their results are masked below
    share = local0 / local0.sum(axis=1, keepdims=True)
    w0, w1 = wls_weights(share, rank)
    fit_y = np.where(share > 0, y, 0.0)
    c0 = (w0 * fit_y).sum(axis=1)
    c1 = (w1 * fit_y).sum(axis=1)

    # Simulation, for settings whose populated quantiles all have confidence limits.
    method_text = (
        f"NHS England NE&Y new SII, national ranks{', flipped' if flip else ''}, simulation "
        f"{reps_label(repetitions)} reps, seed {seed}"
    )
    method = filled(settings, method_text)
    kth = sorted({p for pair in positions.values() for p in pair})
    limits = np.full((settings, len(kth)), np.nan)
    if lower_m is None or upper_m is None:
        method[:] = f"{_FLAVOUR}{', flipped' if flip else ''}, no CI: confidence limits not given"
    else:
        with np.errstate(invalid="ignore"):
            se = (upper_m - lower_m) / NEY_Z / 2
        has_ci = ok & ~any_rows((share > 0) & ~np.isfinite(se))
        method[ok & ~has_ci] = (
            f"{_FLAVOUR}{', flipped' if flip else ''}, no CI: confidence limits missing for a "
            "populated quantile"
        )
        idx = np.flatnonzero(has_ci)
        used = share[idx] > 0
        simulated = simulate_fits(
            np.where(used, fit_y[idx], 0.0),
            np.where(used, se[idx], 0.0),
            w0[idx],
            w1[idx],
            draws=repetitions,
            rng=np.random.default_rng(seed),
            back=None,
            need_intercept=False,
        )
        for rows, slope, _ in simulated:
            limits[idx[rows]] = order_statistics(slope, kth)
            del slope

    where = {p: i for i, p in enumerate(kth)}
    intervals = {
        level: Interval(
            np.where(ok, limits[:, where[low]], np.nan),
            np.where(ok, limits[:, where[high]], np.nan),
        )
        for level, (low, high) in positions.items()
    }
    sii_est = Estimate(
        value=np.where(ok, c1, np.nan),
        intervals=intervals,
        statistic=f"slope index of inequality ({_FLAVOUR})",
        method=method,
        reason=reason,
        extras={"intercept": np.where(ok, c0, np.nan)},
    )
    if not rii:
        return sii_est
    rii_reason = reason.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (c0 + c1) / c0
    add_reason(rii_reason, ok & ~np.isfinite(ratio), "fitted value at x = 0 is zero")
    rii_est = Estimate(
        value=np.where(rii_reason == "", ratio, np.nan),
        intervals={},
        statistic=f"relative index of inequality ({_FLAVOUR})",
        method=f"{_FLAVOUR}{', flipped' if flip else ''}, no CI",
        reason=rii_reason,
    )
    return sii_est, rii_est
