"""Slope and relative index of inequality, OHID flavour (PHEindicatormethods ``phe_sii``).

The SII of Low & Low (2004) as OHID publishes it in Fingertips: quantiles (IMD deciles or
quintiles) are ranked by the midpoints of their *local* cumulative population shares, the indicator
is regressed on that rank by weighted least squares (weights = population shares), and the SII is
the slope: the modelled gap between the least deprived end (rank 1) and the most deprived end
(rank 0). Confidence limits come from a Monte Carlo simulation of the quantile values.

Inputs are settings x quantiles matrices (column 0 = quantile 1 = most deprived), as everywhere in
:mod:`focuson.stats.inequality`. Every setting is computed at once: the point estimates in closed
form, and the simulation as one fixed linear combination of the drawn values per setting, applied
to blocks of settings so that memory stays bounded.

The simulation helpers here are shared with :mod:`focuson.stats.inequality.sii_nhse`.

References
----------
Low A, Low A. Measuring the gap: quantifying and comparing local health inequalities. J Public
Health 2004;26:388-395.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from focuson.stats._checks import confidence_levels
from focuson.stats.estimate import Estimate, Interval, add_reason, filled, level_label, reasons
from focuson.stats.inequality._subgroups import as_matrix, describe_settings, same_shape

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Transform = Callable[[FloatArray], FloatArray]

#: Seed used when none is given, so that results are reproducible by default.
DEFAULT_SEED = 1
#: PHEindicatormethods refuses fewer repetitions than this.
MIN_REPETITIONS = 1000
#: Number of float64 values in one working array of draws (64 MB); blocks of settings are sized
#: so that the simulation never holds more than a few such arrays at once.
DRAW_BUDGET = 8_000_000

_FLAVOUR = "OHID phe_sii, local ranks"


def any_rows(mask: BoolArray) -> BoolArray:
    """Settings (rows) where any quantile is flagged."""
    return np.asarray(mask.any(axis=1), dtype=np.bool_)


def all_rows(mask: BoolArray) -> BoolArray:
    """Settings (rows) where every quantile is flagged."""
    return np.asarray(mask.all(axis=1), dtype=np.bool_)


def reps_label(repetitions: int) -> str:
    """Print a repetition count as R's ``paste0`` does: ``1e+05``, ``10000``, ``2e+05``.

    >>> [reps_label(n) for n in (1000, 10_000, 100_000, 150_000, 1_000_000)]
    ['1000', '10000', '1e+05', '150000', '1e+06']
    """
    fixed = str(repetitions)
    mantissa, exponent = f"{repetitions:.15e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    sci = f"{mantissa}e{exponent[0]}{int(exponent[1:]):02d}"
    return sci if len(sci) < len(fixed) else fixed


def midpoint_ranks(share: FloatArray) -> FloatArray:
    """Relative rank of each quantile: the midpoint of its band of the cumulative share.

    ``b_j = a_j / 2 + (a_1 + ... + a_{j-1})``, computed in the same order as
    ``FindXValues`` in PHEindicatormethods. ``share`` is settings x quantiles.

    >>> midpoint_ranks(np.array([[0.12, 0.10, 0.78]])).round(2).tolist()
    [[0.06, 0.17, 0.61]]
    """
    cumulative = np.cumsum(share, axis=1)
    previous = np.zeros_like(share)
    previous[:, 1:] = cumulative[:, :-1]
    return share / 2 + previous


def wls_weights(share: FloatArray, rank: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weights ``w0``, ``w1`` with intercept ``= sum(w0 * y)`` and slope ``= sum(w1 * y)``.

    They solve the weighted least squares fit of ``y`` on ``rank`` with weights ``share`` (the
    no-intercept regression of ``sqrt(a) y`` on ``[sqrt(a), b sqrt(a)]`` of Low & Low), written
    in centred form. A setting whose populated ranks do not vary gets NaN weights.
    """
    total = share.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_rank = (share * rank).sum(axis=1, keepdims=True) / total
        centred = rank - mean_rank
        spread = (share * centred**2).sum(axis=1, keepdims=True)
        w1 = share * centred / spread
        w0 = share / total - mean_rank * w1
    return np.asarray(w0), np.asarray(w1)


def simulate_fits(
    mean: FloatArray,
    sd: FloatArray,
    w0: FloatArray,
    w1: FloatArray,
    *,
    draws: int,
    rng: np.random.Generator,
    back: Transform | None,
    need_intercept: bool,
) -> Iterator[tuple[slice, FloatArray, FloatArray | None]]:
    """Refit the regression to ``draws`` simulated data sets per setting, a block at a time.

    Each quantile value is drawn from ``Normal(mean, sd)`` (back-transformed by ``back`` if given)
    (``back`` works in place) and, because every replicate of a setting shares the same design,
    each refit is the fixed
    linear combination ``sum(w1 * y*)`` (slope) and ``sum(w0 * y*)`` (intercept). Yields
    ``(rows, slope_draws, intercept_draws)`` for consecutive blocks of settings; the block size
    depends only on ``draws`` so that the assignment of random numbers is reproducible.
    """
    settings, quantiles = mean.shape
    block = max(1, DRAW_BUDGET // draws)
    if back is None:
        # On the untransformed scale each refit is a linear combination of independent normals,
        # so (slope, intercept) draws are exactly bivariate normal: draw those two directly
        # instead of one value per quantile (the same distribution, 5-10x fewer random numbers).
        yield from _simulate_linear_fits(mean, sd, w0, w1, draws, rng, block, need_intercept)
        return
    for start in range(0, settings, block):
        rows = slice(start, min(settings, start + block))
        size = rows.stop - rows.start
        slope = np.zeros((size, draws))
        intercept = np.zeros((size, draws)) if need_intercept else None
        y = np.empty((size, draws))
        term = np.empty((size, draws))
        for j in range(quantiles):
            rng.standard_normal(out=y)
            y *= sd[rows, j, np.newaxis]
            y += mean[rows, j, np.newaxis]
            if back is not None:
                back(y)
            np.multiply(y, w1[rows, j, np.newaxis], out=term)
            slope += term
            if intercept is not None:
                np.multiply(y, w0[rows, j, np.newaxis], out=term)
                intercept += term
        del y, term
        yield rows, slope, intercept


def _simulate_linear_fits(
    mean: FloatArray,
    sd: FloatArray,
    w0: FloatArray,
    w1: FloatArray,
    draws: int,
    rng: np.random.Generator,
    block: int,
    need_intercept: bool,
) -> Iterator[tuple[slice, FloatArray, FloatArray | None]]:
    """:func:`simulate_fits` without a back-transform: draw (slope, intercept) directly.

    ``slope* = sum(w1 y*)`` and ``intercept* = sum(w0 y*)`` with ``y*_j ~ Normal(mean_j, sd_j)``
    independent, so they are bivariate normal with means ``sum(w mean)``, variances
    ``sum(w^2 sd^2)`` and covariance ``sum(w0 w1 sd^2)``; drawn by their Cholesky factor.
    """
    var = sd**2
    slope_mean = (w1 * mean).sum(axis=1)
    slope_sd = np.sqrt((w1**2 * var).sum(axis=1))
    icpt_mean = (w0 * mean).sum(axis=1)
    cov = (w0 * w1 * var).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Intercept = icpt_mean + a * z1 + b * z2, with z1 the slope's own standard normal.
        a = np.where(slope_sd > 0, cov / slope_sd, 0.0)
        b = np.sqrt(np.maximum((w0**2 * var).sum(axis=1) - a**2, 0.0))
    settings = mean.shape[0]
    for start in range(0, settings, block):
        rows = slice(start, min(settings, start + block))
        size = rows.stop - rows.start
        z1 = rng.standard_normal((size, draws))
        intercept = None
        if need_intercept:
            intercept = rng.standard_normal((size, draws))
            intercept *= b[rows, np.newaxis]
            intercept += icpt_mean[rows, np.newaxis] + a[rows, np.newaxis] * z1
        z1 *= slope_sd[rows, np.newaxis]
        z1 += slope_mean[rows, np.newaxis]
        yield rows, z1, intercept


def order_statistics(draws: FloatArray, positions: Sequence[int]) -> FloatArray:
    """Values at 1-based sorted ``positions`` along the last axis (``np.partition``, in place)."""
    kth = sorted({p - 1 for p in positions})
    draws.partition(kth, axis=-1)
    return np.asarray(draws[..., [p - 1 for p in positions]])


def ohid_positions(repetitions: int, level: float) -> tuple[int, int]:
    """1-based order statistics ``phe_sii`` reads: ``round(reps*(1-cv))``, ``round(reps*cv)``.

    ``cv = level + (1 - level) / 2``; rounding is half to even, as R's ``round``.

    >>> ohid_positions(100_000, 0.95), ohid_positions(10_000, 0.998)
    ((2500, 97500), (10, 9990))
    """
    critical = level + (1 - level) / 2
    return round(repetitions * (1 - critical)), round(repetitions * critical)


def _logit(p: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.log(p / (1 - p)))


def _forward(value_type: int) -> Transform | None:
    if value_type == 1:
        return _log
    if value_type == 2:
        return _logit
    return None


def _log(x: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.log(x))


def _backward(value_type: int) -> Transform | None:
    if value_type == 1:
        return _exp
    if value_type == 2:
        return _expit
    return None


def _exp(x: FloatArray) -> FloatArray:
    with np.errstate(over="ignore"):
        return np.asarray(np.exp(x))


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(special.expit(x))


def exp_in_place(x: FloatArray) -> FloatArray:
    """``exp`` written into ``x`` (used on blocks of draws)."""
    with np.errstate(over="ignore"):
        np.exp(x, out=x)
    return x


def expit_in_place(x: FloatArray) -> FloatArray:
    """Inverse logit written into ``x`` (used on blocks of draws)."""
    special.expit(x, out=x)
    return x


def _matrix_or_none(name: str, values: ArrayLike | None) -> FloatArray | None:
    return None if values is None else as_matrix(name, values)


def _check_options(
    value_type: int,
    transform: bool,
    se: FloatArray | None,
    lower: FloatArray | None,
    upper: FloatArray | None,
    multiplier: float,
    repetitions: int,
) -> None:
    if isinstance(value_type, bool) or value_type not in (0, 1, 2):
        raise ValueError(
            f"value_type: should be 0 (other), 1 (rate) or 2 (proportion); got {value_type!r}"
        )
    if (lower is None) != (upper is None):
        raise ValueError("lower, upper: give both confidence limits, or se instead")
    if se is None and lower is None:
        raise ValueError("se: give the standard errors, or lower and upper 95% confidence limits")
    if transform and value_type == 0:
        raise ValueError("transform: value_type should be 1 or 2 when transform is True")
    if transform and se is not None:
        raise ValueError(
            "se: must not be given when transform is True; give lower and upper 95% limits"
        )
    if not np.isfinite(multiplier):
        raise ValueError(f"multiplier: must be a finite number, got {multiplier!r}")
    if isinstance(repetitions, bool) or int(repetitions) != repetitions:
        raise ValueError(f"repetitions: must be a whole number, got {repetitions!r}")
    if repetitions < MIN_REPETITIONS:
        raise ValueError(
            f"repetitions: must be {MIN_REPETITIONS} or more (default 100,000), got {repetitions}"
        )


def _check_values(
    value: FloatArray,
    population: FloatArray,
    se: FloatArray | None,
    lower: FloatArray | None,
    upper: FloatArray | None,
    value_type: int,
) -> None:
    named = {"value": value, "population": population, "se": se, "lower": lower, "upper": upper}
    for name, arr in named.items():
        if arr is not None and np.isinf(arr).any():
            bad = any_rows(np.isinf(arr))
            raise ValueError(f"{name}: must be finite; infinite in {describe_settings(bad)}")
    if (population < 0).any():
        bad = any_rows(population < 0)
        raise ValueError(f"population: must not be negative; negative in {describe_settings(bad)}")
    if se is not None and (se < 0).any():
        bad = any_rows(se < 0)
        raise ValueError(f"se: must not be negative; negative in {describe_settings(bad)}")
    if lower is not None and upper is not None and (upper < lower).any():
        bad = any_rows(upper < lower)
        raise ValueError(
            f"upper: must not be below lower; upper < lower in {describe_settings(bad)}"
        )
    if value_type == 2:
        # As the package: the limits are checked whenever given, even if se is used instead.
        for name, arr in (("value", value), ("lower", lower), ("upper", upper)):
            if arr is None:
                continue
            outside = (arr < 0) | (arr > 1)
            if outside.any():
                raise ValueError(
                    f"{name}: proportions must be between 0 and 1 when value_type is 2; "
                    f"outside in {describe_settings(any_rows(outside))}"
                )


@overload
def sii_ohid(
    value: ArrayLike,
    population: ArrayLike,
    *,
    se: ArrayLike | None = ...,
    lower: ArrayLike | None = ...,
    upper: ArrayLike | None = ...,
    value_type: int = ...,
    transform: bool = ...,
    multiplier: float = ...,
    rii: Literal[False] = ...,
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
    reliability_stat: bool = ...,
) -> Estimate: ...


@overload
def sii_ohid(
    value: ArrayLike,
    population: ArrayLike,
    *,
    se: ArrayLike | None = ...,
    lower: ArrayLike | None = ...,
    upper: ArrayLike | None = ...,
    value_type: int = ...,
    transform: bool = ...,
    multiplier: float = ...,
    rii: Literal[True],
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
    reliability_stat: bool = ...,
) -> tuple[Estimate, Estimate]: ...


@overload
def sii_ohid(
    value: ArrayLike,
    population: ArrayLike,
    *,
    se: ArrayLike | None = ...,
    lower: ArrayLike | None = ...,
    upper: ArrayLike | None = ...,
    value_type: int = ...,
    transform: bool = ...,
    multiplier: float = ...,
    rii: bool = ...,
    repetitions: int = ...,
    confidence: float | Sequence[float] = ...,
    seed: int = ...,
    reliability_stat: bool = ...,
) -> Estimate | tuple[Estimate, Estimate]: ...


def sii_ohid(
    value: ArrayLike,
    population: ArrayLike,
    *,
    se: ArrayLike | None = None,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    value_type: int = 0,
    transform: bool = False,
    multiplier: float = 1,
    rii: bool = False,
    repetitions: int = 100_000,
    confidence: float | Sequence[float] = 0.95,
    seed: int = DEFAULT_SEED,
    reliability_stat: bool = False,
) -> Estimate | tuple[Estimate, Estimate]:
    """Slope index of inequality (and RII) by Low & Low, as OHID's ``phe_sii`` computes it.

    Quantiles are ranked by the midpoints of their local cumulative population shares; the
    indicator is fitted by weighted least squares on that rank; SII is the fitted slope (rank 1,
    least deprived, minus rank 0, most deprived) times ``multiplier``. Confidence limits are order
    statistics of ``repetitions`` simulated slopes.

    Parameters
    ----------
    value
        Indicator value, settings x quantiles (column 0 = quantile 1 = most deprived; a 1-d input
        is one setting). Proportions (``value_type=2``) as fractions between 0 and 1. NaN marks an
        absent quantile.
    population
        Population (denominator) of each quantile; zero or NaN marks an absent quantile.
    se
        Standard error of each value. For ``value_type`` 1 or 2 it is taken to be on the log or
        logit scale, as the package does. Takes precedence over ``lower``/``upper``.
    lower, upper
        95% confidence limits of each value (always assumed 95%), from which
        ``se = (upper - lower) / qnorm(0.975) / 2`` on the log/logit scale for value_type 1/2.
    value_type
        0 other (normal), 1 rate (log scale), 2 proportion (logit scale).
    transform
        Fit on the log/logit scale (value_type 1 or 2; needs ``lower`` and ``upper``, not ``se``)
        and back-transform the fitted end points.
    multiplier
        Scales the SII and its limits (100 for percentages). A negative multiplier also inverts the
        RII, as the package does, so that both point the same way.
    rii
        Also return the relative index of inequality: fitted value at rank 1 over rank 0.
    repetitions
        Simulated data sets per setting, at least 1,000 (package default 100,000).
    confidence
        One or more levels in [0.9, 1] (or [90, 100]).
    seed
        Seed for :func:`numpy.random.default_rng`; the method label records it.
    reliability_stat
        Draw 10 x ``repetitions``: set 1 gives the limits, and ``extras["sii_mad95_0"]`` (and
        ``rii_mad...``) hold the mean absolute difference of the other 9 sets' limits from set 1's.

    Returns
    -------
    Estimate or (Estimate, Estimate)
        The SII (and the RII when ``rii=True``), one element per setting. ``extras["intercept"]``
        is the fitted value at rank 0 as the package reports it (see Notes). A setting missing any
        quantile that other settings have is NA with a reason; so is one whose values cannot be
        log/logit-transformed (a rate of 0, a proportion or limit of 0 or 1).

    Raises
    ------
    ValueError
        As ``phe_sii``: value_type not 0/1/2; no se and no limits; transform with value_type 0 or
        with se; fewer than 1,000 repetitions; confidence outside [0.9, 1]; negative population or
        se; proportions outside [0, 1]; fewer than 5 or more than 100 quantiles with data. Also
        ``upper < lower``, infinite inputs, and too few repetitions for the confidence level.

    Notes
    -----
    Matches ``phe_sii`` of PHEindicatormethods 2.1.0 (Low & Low 2004). Point estimates (SII, RII,
    intercept) agree with the package to rounding error; they are computed in closed form for all
    settings at once rather than by ``lm``. Confidence limits are Monte Carlo: draws are
    ``Normal(value, se)`` on the log/logit scale for rates/proportions, back-transformed before the
    fit unless ``transform``; the limits are the order statistics at 1-based positions
    ``round(reps*(1-cv))`` and ``round(reps*cv)``, ``cv = level + (1-level)/2``, without
    interpolation. RII draws are ``(slope + intercept) / intercept``. When nothing is
    back-transformed before the fit, each refit is linear in the normal draws, so the (slope,
    intercept) pairs are drawn directly from their exact bivariate normal distribution (the
    package's distribution, with 5-10x fewer random numbers). With ``transform``, the
    limits are mapped back around the fitted midpoint: ``f(mid + s/2) - f(mid - s/2)`` for a slope
    limit ``s``. numpy's generator cannot reproduce R's random numbers, so limits agree with the
    package's only within Monte Carlo error (at 1e5 reps about 1% of the interval width); draws
    are made in blocks of settings, so a setting's limits depend on its position in the batch.

    Deliberate deviations: a setting lacking a quantile, or with a zero population, is NA with a
    reason (the package drops it with a warning, or stops); the package's swap of the limits for
    rates with ``transform`` and ``0 < multiplier < 1`` (which gives lower > upper) is not
    reproduced: limits are swapped, and RII limits inverted, only for a negative multiplier, for
    rates and proportions alike. The package's warning for more than 10 quantiles is not raised.
    The ``intercept`` is the raw fitted value at rank 0 without ``transform`` (not scaled by the
    multiplier), and ``f(intercept) * |multiplier|`` with it, as in the package. Proportions given
    as counts (the package's ``x``) should be passed as ``value = x / population``.

    References
    ----------
    Low A, Low A. Measuring the gap: quantifying and comparing local health inequalities. J Public
    Health 2004;26:388-395. OHID Fingertips Public Health Technical Guidance: Slope index of
    inequality (SII) and relative index of inequality (RII).

    Examples
    --------
    >>> pop = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
    >>> le = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
    >>> se = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57]
    >>> sii, rii = sii_ohid(le, pop, se=se, rii=True, repetitions=1000)
    >>> round(float(sii.value[0]), 4), round(float(rii.value[0]), 4)
    (7.0002, 1.0897)
    >>> bool(sii.lower[0] < sii.value[0] < sii.upper[0])
    True
    >>> sii.method[0]
    'OHID SII (Low & Low 2004), local ranks, simulation 1000 reps, seed 1'
    """
    y = as_matrix("value", value)
    pop = as_matrix("population", population)
    se_m = _matrix_or_none("se", se)
    lower_m = _matrix_or_none("lower", lower)
    upper_m = _matrix_or_none("upper", upper)
    same_shape(value=y, population=pop, se=se_m, lower=lower_m, upper=upper_m)
    _check_options(value_type, transform, se_m, lower_m, upper_m, multiplier, repetitions)
    levels = confidence_levels(confidence)
    repetitions = int(repetitions)
    positions = {level: ohid_positions(repetitions, level) for level in levels}
    for level, (low, high) in positions.items():
        if low < 1 or high > repetitions:
            raise ValueError(
                f"repetitions: {repetitions} are too few for a {level:g} confidence interval; "
                "use more repetitions or a lower confidence level"
            )
    _check_values(y, pop, se_m, lower_m, upper_m, value_type)
    settings = y.shape[0]

    # Which quantiles are present: a value, a positive population and an se (or both limits).
    present = np.isfinite(y) & np.isfinite(pop) & (pop > 0)
    if se_m is not None:
        present &= np.isfinite(se_m)
    else:
        assert lower_m is not None and upper_m is not None
        present &= np.isfinite(lower_m) & np.isfinite(upper_m)
    columns = present.any(axis=0)
    n_quantiles = int(columns.sum())
    if not 5 <= n_quantiles <= 100:
        raise ValueError(
            "value: phe_sii needs between 5 and 100 quantiles with data; "
            f"{n_quantiles} columns have data"
        )
    reason = reasons(settings)
    add_reason(
        reason,
        ~all_rows(present[:, columns]),
        "a quantile is missing or has zero population (phe_sii drops such areas)",
    )

    # Transformed values and standard errors on the simulation scale.
    y = y[:, columns]
    pop = pop[:, columns]
    forward = _forward(value_type)
    t_value = y if forward is None else forward(y)
    if se_m is not None:
        t_se = se_m[:, columns]
    else:
        assert lower_m is not None and upper_m is not None
        t_low, t_high = lower_m[:, columns], upper_m[:, columns]
        if forward is not None:
            t_low, t_high = forward(t_low), forward(t_high)
        with np.errstate(invalid="ignore"):
            t_se = (t_high - t_low) / float(stats.norm.ppf(0.975)) / 2
    ok_cells = ~present[:, columns] | (np.isfinite(t_value) & np.isfinite(t_se))
    scale = {1: "log", 2: "logit"}.get(value_type, "")
    add_reason(
        reason,
        ~all_rows(ok_cells),
        f"a value or confidence limit cannot be {scale}-transformed (a rate of 0, or a "
        "proportion of 0 or 1)",
    )
    ok = reason == ""

    # Ranks, regression weights and point estimates, for every setting at once.
    pop0 = np.where(ok[:, np.newaxis], pop, 1.0)
    share = pop0 / pop0.sum(axis=1, keepdims=True)
    w0, w1 = wls_weights(share, midpoint_ranks(share))
    t_value = np.where(ok[:, np.newaxis], t_value, 0.0)
    t_se = np.where(ok[:, np.newaxis], t_se, 0.0)
    fit_y = t_value if transform else np.where(ok[:, np.newaxis], y, 0.0)
    c0 = (w0 * fit_y).sum(axis=1)
    c1 = (w1 * fit_y).sum(axis=1)
    back = _backward(value_type)
    invert = multiplier < 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if transform:
            assert back is not None
            end0, end1 = back(c0), back(c0 + c1)
            sii_value = (end1 - end0) * multiplier
            rii_value = end1 / end0
            intercept = end0 * abs(multiplier)
        else:
            sii_value = c1 * multiplier
            rii_value = (c0 + c1) / c0
            intercept = c0
        if invert:
            rii_value = 1 / rii_value

    # Simulation.
    sets = 10 if reliability_stat else 1
    kth = sorted({p for pair in positions.values() for p in pair})
    sii_lim = np.full((settings, sets, len(kth)), np.nan)
    rii_lim = np.full((settings, sets, len(kth)), np.nan)
    idx = np.flatnonzero(ok)
    rng = np.random.default_rng(seed)
    simulated = simulate_fits(
        t_value[idx],
        t_se[idx],
        w0[idx],
        w1[idx],
        draws=repetitions * sets,
        rng=rng,
        back=None if transform else {1: exp_in_place, 2: expit_in_place}.get(value_type),
        need_intercept=rii and not transform,
    )
    for rows, slope, icpt in simulated:
        target = idx[rows]
        if transform:
            assert back is not None
            slope_q = order_statistics(slope.reshape(-1, sets, repetitions), kth)
            mid = (c0[target] + (c0[target] + c1[target])) / 2
            mid = mid[:, np.newaxis, np.newaxis]
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                top, bottom = back(mid + slope_q / 2), back(mid - slope_q / 2)
                sii_lim[target] = (top - bottom) * multiplier
                rii_lim[target] = top / bottom
        else:
            if rii:
                assert icpt is not None
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = (slope + icpt) / icpt
                del icpt
                if invert:
                    with np.errstate(divide="ignore"):
                        ratio = 1 / ratio
                rii_lim[target] = order_statistics(ratio.reshape(-1, sets, repetitions), kth)
                del ratio
            slope *= multiplier
            sii_lim[target] = order_statistics(slope.reshape(-1, sets, repetitions), kth)
        del slope

    # With transform the mapped limits keep the order of the slope limits, so a negative
    # multiplier swaps lower and upper and inverts the RII (without transform, multiplying and
    # inverting the draws before taking order statistics does the same).
    swap = transform and invert
    if swap:
        with np.errstate(divide="ignore"):
            rii_lim = 1 / rii_lim
    kth_index = {p: i for i, p in enumerate(kth)}

    method_text = (
        f"OHID SII (Low & Low 2004), local ranks, simulation {reps_label(repetitions)} reps, "
        f"seed {seed}"
    )
    if transform:
        method_text += f", fitted on the {scale} scale"
    if reliability_stat:
        method_text += ", reliability: 10 sample sets"
    method = filled(settings, method_text)

    sii_out, rii_out, sii_extras, rii_extras = _collect(
        positions, kth_index, sii_lim, rii_lim, ok, sets, swap=swap
    )
    sii_extras = {"intercept": np.where(ok, intercept, np.nan), **sii_extras}
    sii_est = Estimate(
        value=np.where(ok, sii_value, np.nan),
        intervals=sii_out,
        statistic=f"slope index of inequality ({_FLAVOUR})",
        method=method,
        reason=reason,
        extras=sii_extras,
    )
    if not rii:
        return sii_est
    rii_reason = reason.copy()
    add_reason(rii_reason, ok & ~np.isfinite(rii_value), "fitted value at rank 0 is zero")
    rii_ok = rii_reason == ""
    rii_est = Estimate(
        value=np.where(rii_ok, rii_value, np.nan),
        intervals={
            level: Interval(np.where(rii_ok, iv.lower, np.nan), np.where(rii_ok, iv.upper, np.nan))
            for level, iv in rii_out.items()
        },
        statistic=f"relative index of inequality ({_FLAVOUR})",
        method=method.copy(),
        reason=rii_reason,
        extras=rii_extras,
    )
    return sii_est, rii_est


def _collect(
    positions: dict[float, tuple[int, int]],
    kth_index: dict[int, int],
    sii_lim: FloatArray,
    rii_lim: FloatArray,
    ok: BoolArray,
    sets: int,
    *,
    swap: bool = False,
) -> tuple[
    dict[float, Interval], dict[float, Interval], dict[str, FloatArray], dict[str, FloatArray]
]:
    """Limits of sample set 1 per level, and the mean absolute differences of sets 2-10."""
    sii_out: dict[float, Interval] = {}
    rii_out: dict[float, Interval] = {}
    sii_extras: dict[str, FloatArray] = {}
    rii_extras: dict[str, FloatArray] = {}
    for level, (low, high) in positions.items():
        cols = [kth_index[high], kth_index[low]] if swap else [kth_index[low], kth_index[high]]
        sii_pair, rii_pair = sii_lim[:, :, cols], rii_lim[:, :, cols]
        sii_out[level] = Interval(
            np.where(ok, sii_pair[:, 0, 0], np.nan), np.where(ok, sii_pair[:, 0, 1], np.nan)
        )
        rii_out[level] = Interval(rii_pair[:, 0, 0].copy(), rii_pair[:, 0, 1].copy())
        if sets > 1:
            label = level_label(level)
            with np.errstate(invalid="ignore"):
                sii_mad = np.abs(sii_pair[:, 1:, :] - sii_pair[:, :1, :]).mean(axis=(1, 2))
                rii_mad = np.abs(rii_pair[:, 1:, :] - rii_pair[:, :1, :]).mean(axis=(1, 2))
            sii_extras[f"sii_mad{label}"] = np.where(ok, sii_mad, np.nan)
            rii_extras[f"rii_mad{label}"] = np.where(ok, rii_mad, np.nan)
    return sii_out, rii_out, sii_extras, rii_extras
