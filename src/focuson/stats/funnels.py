"""Funnel plots: control limits, significance of each point, and rate points to plot.

A port of ``R/Funnels.R`` (and the funnel helpers in ``R/utils.R``) of PHEindicatormethods 2.1.0,
which itself ports the PHE/OHID funnel plot Excel tools:

- :func:`funnel_limits` (``calculate_funnel_limits``): the 100 points of the x axis and the 95%
  (2 sigma) and 99.8% (3 sigma) control limits around the pooled average;
- :func:`funnel_significance` (``assign_funnel_significance``): where each area falls;
- :func:`funnel_points` (``calculate_funnel_points``): the rate and annual denominator at which
  each area is drawn on a rate funnel.

Proportion limits are closed form. Ratio and rate limits come from a bisection on the Poisson
distribution whose probabilities are summed term by term; both are reproduced step for step, and
vectorised: the bisection runs for all 100 points and 4 limits at once, and the Poisson series is
summed for all of them together, each element stopping exactly where the package's series stops.

References
----------
Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
2005;24:1185-1202.
OHID. Fingertips Public Health Technical Guidance: funnel plots and the PHE funnel plot tools.
Wilson EB. JASA 1927;22:209-212. Breslow NE, Day NE. Statistical Methods in Cancer Research Vol II.
IARC, 1987 (Byars' approximation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from focuson.stats._checks import (
    as_float,
    broadcast,
    describe_groups,
    finite_where_present,
    non_negative,
)
from focuson.stats.estimate import add_reason, filled, reasons
from focuson.stats.intervals import poisson_limits

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
ObjectArray = NDArray[np.object_]

#: Number of points on the x axis of every funnel, as in the package and the Excel tools.
N_POINTS = 100

LOW_001 = "Low (0.001)"
LOW_025 = "Low (0.025)"
NOT_SIGNIFICANT = "Not significant"
HIGH_025 = "High (0.025)"
HIGH_001 = "High (0.001)"
NOT_APPLICABLE_DSR = "Not applicable for events less than 10 for dsrs"

#: Significance labels from lowest to highest, then the DSR small-number label. (The package's
#: factor levels are in a different, alphabetical order: High, High, Low, Low, Not significant.)
SIGNIFICANCE_LEVELS: tuple[str, ...] = (
    LOW_001,
    LOW_025,
    NOT_SIGNIFICANT,
    HIGH_025,
    HIGH_001,
    NOT_APPLICABLE_DSR,
)

_STATISTICS = ("proportion", "ratio", "rate")
_RATIO_TYPES = ("count", "isr")
_RATE_TYPES = ("dsr", "crude")

#: The four limits: (name, tail probability for the Poisson bisection, bisection side, Wilson p).
#: Lower limits solve the "high" side, upper limits the "low" side, as in the package.
_LIMITS = (
    ("lower_2s", 0.025, "high", 0.975),
    ("upper_2s", 0.025, "low", 0.975),
    ("lower_3s", 0.001, "high", 0.999),
    ("upper_3s", 0.001, "low", 0.999),
)

#: DSRs are not assessed or plotted below 10 events (the package's rule).
DSR_MIN_EVENTS = 10


@dataclass(frozen=True)
class FunnelLimits:
    """The 100 x-axis points of a funnel plot and the control limits at each.

    Attributes
    ----------
    statistic
        As the package labels it: ``"proportion"``, ``"ratio (count)"``, ``"ratio (isr)"``,
        ``"rate (dsr per 100,000)"``, ``"rate (crude per 1,000)"`` ...
    method
        ``"Wilson"`` for proportions, ``"Poisson"`` for ratios and rates.
    axis
        Name of the x-axis column in the package: ``"Population"``, ``"Observed_events"`` or
        ``"Events"``.
    points
        The 100 x-axis values: populations (proportions), observed events (ratios, rates).
    lower_2s, upper_2s
        The 95% control limits (2 sigma; 0.025 in each tail).
    lower_3s, upper_3s
        The 99.8% control limits (3 sigma; 0.001 in each tail).
    baseline
        The pooled average times the multiplier (proportions and rates); ``None`` for ratios,
        where the package gives none (the centre line is 0 for counts, 100 for ISRs).
    extras
        Per-point intermediate columns named as in the package: ``*_exp_events`` (expected events
        at which a ratio lies on the limit) or ``*_population_1_year`` (annual population at which
        a rate lies on the limit).
    """

    statistic: str
    method: str
    axis: str
    points: FloatArray
    lower_2s: FloatArray
    upper_2s: FloatArray
    lower_3s: FloatArray
    upper_3s: FloatArray
    baseline: float | None
    extras: Mapping[str, FloatArray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.points.shape[0])

    def columns(self) -> dict[str, np.ndarray]:
        """Columns named and ordered as ``calculate_funnel_limits(type = "full")`` returns them.

        >>> lim = funnel_limits([30, 45], [100, 120], statistic="proportion", multiplier=100)
        >>> list(lim.columns())
        ['Population', 'lower_2s_limit', 'upper_2s_limit', 'lower_3s_limit', 'upper_3s_limit', \
'baseline', 'statistic', 'method']
        """
        cols: dict[str, np.ndarray] = {self.axis: self.points}
        extra_suffix = "exp_events" if self.axis == "Observed_events" else "population_1_year"
        for name, *_ in _LIMITS:
            extra = self.extras.get(f"{name}_{extra_suffix}")
            if extra is not None:
                cols[f"{name}_{extra_suffix}"] = extra
            cols[f"{name}_limit"] = getattr(self, name)
        if self.baseline is not None:
            cols["baseline"] = np.full(len(self), self.baseline)
        cols["statistic"] = filled(len(self), self.statistic)
        cols["method"] = filled(len(self), self.method)
        return cols


@dataclass(frozen=True)
class FunnelSignificance:
    """Where each area lies relative to the funnel's control limits.

    Attributes
    ----------
    label
        One of :data:`SIGNIFICANCE_LEVELS` per area; ``None`` where it cannot be assigned.
    reason
        Empty where a label is given; otherwise why not, e.g. ``"rate missing"``.
    statistic
        ``"proportion"``, ``"ratio"`` or ``"rate (dsr per 100,000)"`` etc.
    average
        The comparator: the pooled proportion (sum of numerators over sum of denominators), 1 for
        ratios, or the weighted average rate per 1 (not multiplied) for rates.
    """

    label: ObjectArray
    reason: ObjectArray
    statistic: str
    average: float

    def __len__(self) -> int:
        return int(self.label.shape[0])


@dataclass(frozen=True)
class FunnelPoints:
    """Rate and annual denominator at which each area is drawn on a rate funnel.

    Attributes
    ----------
    rate
        The rate to plot (``<rate>_chart`` in the package); NaN for DSRs of fewer than 10 events.
    denominator
        The annual denominator to plot against (``denominator_derived``): the population implied
        by the rate, ``multiplier * events / rate``, divided by ``years_of_data``; the given
        denominator for areas with no events (crude rates only).
    reason
        Empty where both are given; otherwise why they are NaN.
    """

    rate: FloatArray
    denominator: FloatArray
    reason: ObjectArray

    def __len__(self) -> int:
        return int(self.rate.shape[0])

    def columns(self, rate_name: str = "rate") -> dict[str, np.ndarray]:
        """Columns named as ``calculate_funnel_points`` names them for a rate column ``rate_name``.

        >>> pts = funnel_points([12], rate=[80.0], rate_type="dsr", years_of_data=1,
        ...                     multiplier=100_000)
        >>> list(pts.columns("rate_dsr"))
        ['rate_dsr_chart', 'denominator_derived', 'reason']
        """
        return {
            f"{rate_name}_chart": self.rate,
            "denominator_derived": self.denominator,
            "reason": self.reason,
        }


# ------------------------------------------------------------------------------------------------
# Public functions
# ------------------------------------------------------------------------------------------------


def funnel_limits(
    numerator: ArrayLike,
    denominator: ArrayLike | None = None,
    *,
    statistic: str,
    multiplier: float | None = None,
    ratio_type: str | None = None,
    rate: ArrayLike | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
    clamp_to_multiplier: bool = False,
) -> FunnelLimits:
    """Control limits of a funnel plot at 100 points spanning the data.

    Parameters
    ----------
    numerator
        Per area: people with the outcome (proportions), observed events (ratios), events (rates).
    denominator
        Per area: population (proportions), expected events (ratios). For rates, the population,
        needed only where an area has no events (crude rates); may be omitted otherwise.
    statistic
        ``"proportion"``, ``"ratio"`` or ``"rate"``.
    multiplier
        Scale of the statistic: 100 for a percentage, 100,000 for a rate per 100,000. Required
        for proportions and rates; not used for ratios.
    ratio_type
        For ratios: ``"count"`` (limits of O/E - 1) or ``"isr"`` (O/E x 100).
    rate
        For rates: the rate of each area, per ``multiplier``.
    rate_type
        For rates: ``"dsr"`` (directly standardised) or ``"crude"``.
    years_of_data
        For rates: the number of years the data cover (the axis is scaled to one year).
    clamp_to_multiplier
        Proportions only. The package clamps the limits to [0, 100] whatever the multiplier, which
        is right for percentages only (``False``, the default, reproduces it). ``True`` clamps to
        [0, multiplier] instead.

    Returns
    -------
    FunnelLimits
        The 100 axis points, the 2 sigma (95%) and 3 sigma (99.8%) limits, the baseline and the
        package's intermediate columns (:meth:`FunnelLimits.columns`).

    Raises
    ------
    ValueError
        Missing required arguments for the statistic, an unknown ``statistic``, ``ratio_type`` or
        ``rate_type``, missing numerators or denominators for proportions, missing numerators or
        rates for rates, areas with no events but no positive denominator (rates), negative
        values, or no usable denominator at all.

    Notes
    -----
    Matches ``calculate_funnel_limits`` of PHEindicatormethods 2.1.0 (``R/Funnels.R``).

    *Axis.* The denominators (proportions, ratios) or the derived denominators of rates
    (``multiplier * events / rate``; the given denominator for crude areas with no events, none
    for DSR areas with no events) give ``av = sum(numerator) / sum(denominator)``. The axis runs
    from 0 (if the largest denominator is more than twice the smallest) or the smallest rounded
    down to a neat number, to the largest rounded up (the package's ``signif.floor`` and
    ``signif.ceiling``, including R's ``nchar`` of numbers it prints in scientific notation); for
    rates on the annual scale, then turned into events by ``floor(min * av)``,
    ``ceiling(max * av)``. The 100 points grow geometrically: ``p[j] = max(round((max / p[j-1])
    ^ (1 / (101 - j')) * p[j-1]), p[j-1] + 1)`` with ``j' = j`` for proportions and rates but
    ``j - 1`` for ratios, so a ratio axis stops short of its maximum (reproduced). Rounding is
    half to even, as R's ``round``.

    *Proportions.* The Wilson score limits around ``av`` solved for the population at each point
    (the package's ``sigma_adjustment``, with z for 0.975 and 0.999), clamped to [0, 100]. The
    clamp at 100 is wrong for any multiplier other than 100 (per 1,000 limits are cut at 100);
    it is reproduced by default, see ``clamp_to_multiplier``.

    *Ratios and rates.* For each point O and tail probability p (0.025, 0.001) the package
    bisects on v in (0, 1), with mean ``mu = (1 + O) v / (1 - v)``, halving dv from 0.5 while it
    exceeds 1e-7 (23 steps), comparing P(X >= O | mu) (upper limits) or P(X <= O | mu) (lower
    limits) with p. The probabilities are summed term by term (``poisson_cis``: terms
    ``q_k = q_{k-1} mu / k``, rescaled by 1e30 when the total exceeds 1e30, summed while
    ``k <= mu`` or ``q > total * 1e-10``). Both are reproduced operation by operation (the
    vectorised code is bit-identical to a scalar port of the package's loops, and matches its
    test outputs to every printed digit); exact chi-squared quantiles would differ by up to
    ~5e-5 relative at small counts, because the bisection stops at a step of 6e-8 in v. Ratio
    limits are ``O / mu`` minus 1 (``"count"``) or times 100 (``"isr"``). Rate limits are
    ``O / (mu / av) * multiplier``; the annual population on each limit is
    ``mu / av / years_of_data``.

    The series runs about ``mu`` terms, so the time grows with the largest count on the axis:
    on one core about 0.4 s with 1,000 events at the top of the axis, 3 s with 20,000.

    Deliberate deviations: ``multiplier`` is not required for ratios (the package requires it but
    does not use it); negative numerators, denominators or rates, and a zero rate with events,
    are rejected (the package has no such check and returns meaningless limits).

    References
    ----------
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-1202. Wilson EB. JASA 1927;22:209-212. OHID Fingertips Public Health Technical
    Guidance (funnel plots).

    Examples
    --------
    >>> lim = funnel_limits([65, 80, 30], [100, 120, 40], statistic="proportion",
    ...                     multiplier=100)
    >>> lim.points[:4].tolist(), lim.points[-1].item(), round(lim.baseline, 4)
    ([1.0, 2.0, 3.0, 4.0], 130.0, 67.3077)
    >>> np.round([lim.lower_2s[-1], lim.upper_2s[-1]], 4).tolist()
    [59.244, 75.3713]

    Ratios of observed to expected events (``"isr"``: x 100); the axis stops short of its
    maximum (270) as in the package:

    >>> lim = funnel_limits([8, 120, 300], [10.0, 110.0, 250.0], statistic="ratio",
    ...                     ratio_type="isr")
    >>> lim.points[:3].tolist(), lim.points[-3:].tolist()
    ([1.0, 2.0, 3.0], [246.0, 254.0, 262.0])
    >>> np.round([lim.lower_2s[-1], lim.upper_2s[-1]], 3).tolist()
    [88.597, 113.306]

    Directly standardised rates per 100,000 over 3 years:

    >>> lim = funnel_limits([414, 462, 13], rate=[184.0, 102.0, 70.0], statistic="rate",
    ...                     rate_type="dsr", years_of_data=3, multiplier=100_000)
    >>> lim.statistic, lim.points[[0, -1]].tolist(), round(lim.baseline, 4)
    ('rate (dsr per 100,000)', [1.0, 613.0], 127.6359)
    >>> np.round([lim.lower_2s[-1], lim.upper_2s[-1]], 3).tolist()
    [117.92, 138.375]
    """
    kind = _choice("statistic", statistic, _STATISTICS)
    if kind == "proportion":
        return _proportion_limits(numerator, denominator, multiplier, clamp_to_multiplier)
    if kind == "ratio":
        return _ratio_limits(numerator, denominator, ratio_type)
    return _rate_limits(numerator, denominator, rate, rate_type, years_of_data, multiplier)


def funnel_significance(
    numerator: ArrayLike,
    denominator: ArrayLike | None = None,
    *,
    statistic: str,
    rate: ArrayLike | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
) -> FunnelSignificance:
    """Whether each area lies outside the funnel's 95% or 99.8% control limits, and on which side.

    Parameters
    ----------
    numerator
        Per area: people with the outcome (proportions), observed events (ratios), events (rates).
    denominator
        Per area: population (proportions), expected events (ratios). For rates, the population,
        needed only where an area has no events.
    statistic
        ``"proportion"``, ``"ratio"`` or ``"rate"``.
    rate
        For rates: the rate of each area, per ``multiplier``.
    rate_type
        For rates: ``"dsr"`` or ``"crude"``.
    multiplier
        For rates: what the rates are per (e.g. 100,000). Not used for proportions and ratios.

    Returns
    -------
    FunnelSignificance
        ``label`` per area, one of ``"Low (0.001)"``, ``"Low (0.025)"``, ``"Not significant"``,
        ``"High (0.025)"``, ``"High (0.001)"`` or, for DSRs of fewer than 10 events, ``"Not
        applicable for events less than 10 for dsrs"`` (:data:`SIGNIFICANCE_LEVELS`).

    Raises
    ------
    ValueError
        The package's checks: missing required arguments; negative numerators; denominators not
        above zero; numerators above denominators (proportions); missing numerators or
        denominators (proportions); missing numerators, missing rates without a denominator, or
        areas with no events but no positive denominator (rates).

    Notes
    -----
    Matches ``assign_funnel_significance`` of PHEindicatormethods 2.1.0. The tests, in this
    order (the first that holds wins):

    - Proportions: ``x / n`` below the Wilson limit around ``av = sum(x) / sum(n)`` at 0.999 gives
      "Low (0.001)", below it at 0.975 "Low (0.025)", above at 0.999 "High (0.001)", above at
      0.975 "High (0.025)"; otherwise "Not significant". The limits are not clamped here.
    - Ratios: 1 against the interval of ``O / E``: ``1 <`` the 99.8% lower limit gives
      "High (0.001)", then the 95% lower limit "High (0.025)", ``1 >`` the 99.8% upper limit
      "Low (0.001)", then the 95% upper "Low (0.025)". Limits are exact Poisson below 10
      observed events, Byars from 10.
    - Rates: the same with the weighted average ``sum(events) / sum(derived denominator)`` in
      place of 1 and the derived denominator (``events / rate * multiplier``; the given
      denominator for crude areas with no events) in place of E. DSR areas with fewer than 10
      events are "Not applicable for events less than 10 for dsrs".

    Deliberate deviations: an area whose label cannot be computed (missing observed or expected
    count for a ratio; missing rate for a rate with events) has ``label`` ``None`` and a
    ``reason``, where the package errors (missing count) or calls it "Not significant" (missing
    expected count or rate). Negative rates, and a zero rate with events, are rejected.

    References
    ----------
    Spiegelhalter DJ. Stat Med 2005;24:1185-1202. OHID Fingertips Public Health Technical
    Guidance (funnel plots). Breslow NE, Day NE. Statistical Methods in Cancer Research Vol II.
    IARC, 1987.

    Examples
    --------
    >>> sig = funnel_significance([10232, 12321, 15123, 13213], [15232, 16123, 17932, 18475],
    ...                           statistic="proportion")
    >>> sig.label.tolist()
    ['Low (0.001)', 'High (0.001)', 'High (0.001)', 'Low (0.001)']

    >>> sig = funnel_significance([8, 0, 151, 191], [6.24, 240.6, 106.4, 184.1],
    ...                           statistic="ratio")
    >>> sig.label.tolist()
    ['Not significant', 'Low (0.001)', 'High (0.001)', 'Not significant']
    """
    kind = _choice("statistic", statistic, _STATISTICS)
    if kind == "proportion":
        return _proportion_significance(numerator, denominator)
    if kind == "ratio":
        return _ratio_significance(numerator, denominator)
    return _rate_significance(numerator, denominator, rate, rate_type, multiplier)


def funnel_points(
    numerator: ArrayLike,
    denominator: ArrayLike | None = None,
    *,
    rate: ArrayLike,
    rate_type: str,
    years_of_data: float,
    multiplier: float,
) -> FunnelPoints:
    """Where each area is drawn on a rate funnel: its rate and its annual derived denominator.

    Parameters
    ----------
    numerator
        Events per area.
    denominator
        Population per area; needed only for areas with no events (crude rates).
    rate
        The rate of each area, per ``multiplier``.
    rate_type
        ``"dsr"`` or ``"crude"``.
    years_of_data
        Number of years the data cover.
    multiplier
        What the rates are per, e.g. 100,000.

    Returns
    -------
    FunnelPoints
        ``rate`` (the package's ``<rate>_chart``) and ``denominator`` (``denominator_derived``
        = ``multiplier * events / rate / years_of_data``, or ``denominator / years_of_data`` for
        crude areas with no events). DSR areas with fewer than 10 events are NaN with a reason.

    Raises
    ------
    ValueError
        Areas with no events and no denominator, or a denominator that is missing or not above
        zero for them; an unknown ``rate_type``; negative events or rates; a zero rate with events.

    Notes
    -----
    Matches ``calculate_funnel_points`` of PHEindicatormethods 2.1.0. Deliberate deviations: an
    area with missing events or a missing rate gives NaN with a reason (the package errors or
    gives NA silently); the package only rejects a zero denominator for areas with no events,
    focuson also rejects a negative one.

    References
    ----------
    OHID Fingertips Public Health Technical Guidance (funnel plots).

    Examples
    --------
    >>> pts = funnel_points([414, 5], rate=[184.0, 167.0], rate_type="dsr", years_of_data=3,
    ...                     multiplier=100_000)
    >>> pts.rate.tolist(), pts.denominator.tolist()
    ([184.0, nan], [75000.0, nan])
    >>> pts.reason.tolist()
    ['', 'dsr not assessed for fewer than 10 events']
    """
    kind = _choice("rate_type", rate_type, _RATE_TYPES)
    years = _positive("years_of_data", years_of_data)
    mult = _positive("multiplier", multiplier)
    o, d, r = _rate_arrays(numerator, denominator, rate)
    _check_zero_event_denominators(o, d)
    _check_rates(o, r)

    reason = reasons(o.shape[0])
    add_reason(reason, np.isnan(o), "events missing")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = (mult * o / r) / years
        if kind == "dsr":
            add_reason(reason, o < DSR_MIN_EVENTS, "dsr not assessed for fewer than 10 events")
            add_reason(reason, np.isnan(r), "rate missing")
            ok = reason == ""
            chart = np.where(ok, r, np.nan)
            derived = np.where(ok, implied, np.nan)
        else:
            zero = o == 0
            dd = d if d is not None else np.full(o.shape[0], np.nan)
            add_reason(reason, ~zero & np.isnan(r), "rate missing")
            ok = reason == ""
            chart = np.where(ok, r, np.nan)
            derived = np.where(ok, np.where(zero, dd / years, implied), np.nan)
    return FunnelPoints(rate=chart, denominator=derived, reason=reason)


# ------------------------------------------------------------------------------------------------
# Proportions
# ------------------------------------------------------------------------------------------------


def _wilson_funnel(
    p: float, population: FloatArray, average: float, side: str, multiplier: float
) -> FloatArray:
    """The package's ``sigma_adjustment``: the Wilson limit around ``average`` for ``population``.

    The expression is evaluated in the package's order of operations.
    """
    z = float(stats.norm.ppf(p))
    z2 = z * z
    n = population
    with np.errstate(divide="ignore", invalid="ignore"):
        first = average * (n / z2 + 1)
        adj = np.sqrt(
            (-8 * average * (n / z2 + 1)) ** 2
            - 64
            * (1 / z2 + 1 / n)
            * average
            * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1))
        )
        last = 1 / z2 + 1 / n
        value = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
        return np.asarray(value / n * multiplier, dtype=np.float64)


def _proportion_limits(
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    multiplier: float | None,
    clamp_to_multiplier: bool,
) -> FunnelLimits:
    _require("proportions", denominator=denominator, multiplier=multiplier)
    mult = _finite("multiplier", multiplier)
    x, n = _pair("numerator", numerator, "denominator", denominator)
    _no_missing_proportions(x, n)
    non_negative("numerator", x)
    non_negative("denominator", n)

    with np.errstate(divide="ignore", invalid="ignore"):
        av = float(np.sum(x) / np.sum(n))
    points = _axis_points(float(np.min(n)), float(np.max(n)), av, "proportion", 1.0)
    top = mult if clamp_to_multiplier else 100.0
    limits = {}
    for name, _, _, p in _LIMITS:
        side = "low" if name.startswith("lower") else "high"
        value = _wilson_funnel(p, points, av, side, mult)
        limits[name] = np.maximum(0.0, value) if side == "low" else np.minimum(top, value)
    return _build("proportion", "Wilson", "Population", points, limits, av * mult)


def _build(
    statistic: str,
    method: str,
    axis: str,
    points: FloatArray,
    limits: Mapping[str, FloatArray],
    baseline: float | None,
    extras: Mapping[str, FloatArray] | None = None,
) -> FunnelLimits:
    return FunnelLimits(
        statistic=statistic,
        method=method,
        axis=axis,
        points=points,
        lower_2s=limits["lower_2s"],
        upper_2s=limits["upper_2s"],
        lower_3s=limits["lower_3s"],
        upper_3s=limits["upper_3s"],
        baseline=baseline,
        extras=dict(extras or {}),
    )


def _proportion_significance(
    numerator: ArrayLike, denominator: ArrayLike | None
) -> FunnelSignificance:
    _require("ratios and proportions", denominator=denominator)
    x, n = _pair("numerator", numerator, "denominator", denominator)
    _no_missing_proportions(x, n)
    _significance_value_checks(x, n)
    bad = x > n
    if bad.any():
        raise ValueError(
            "numerator: numerators must be less than or equal to denominator for a proportion "
            f"statistic; numerator > denominator in {describe_groups(bad)}"
        )

    av = float(np.sum(x) / np.sum(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = x / n
    low3 = _wilson_funnel(0.999, n, av, "low", 1.0)
    low2 = _wilson_funnel(0.975, n, av, "low", 1.0)
    high3 = _wilson_funnel(0.999, n, av, "high", 1.0)
    high2 = _wilson_funnel(0.975, n, av, "high", 1.0)
    label = np.select(
        [value < low3, value < low2, value > high3, value > high2],
        [LOW_001, LOW_025, HIGH_001, HIGH_025],
        default=NOT_SIGNIFICANT,
    ).astype(object)
    return FunnelSignificance(
        label=label, reason=reasons(x.shape[0]), statistic="proportion", average=av
    )


# ------------------------------------------------------------------------------------------------
# Ratios
# ------------------------------------------------------------------------------------------------


def _ratio_limits(
    numerator: ArrayLike, denominator: ArrayLike | None, ratio_type: str | None
) -> FunnelLimits:
    _require("ratios", denominator=denominator, ratio_type=ratio_type)
    kind = _choice("ratio_type", ratio_type, _RATIO_TYPES)
    o, e = _pair("numerator", numerator, "denominator", denominator)
    non_negative("numerator", o)
    non_negative("denominator", e)
    present = e[~np.isnan(e)]
    if present.size == 0:
        raise ValueError("denominator: no expected counts given (all are missing)")

    # The numerators do not enter ratio limits: the axis comes from the expected counts alone.
    points = _axis_points(float(present.min()), float(present.max()), math.nan, "ratio", 1.0)
    expected = _poisson_funnel_limits(points)
    limits = {}
    extras = {}
    for name, *_ in _LIMITS:
        ratio = points / expected[name]
        limits[name] = ratio - 1 if kind == "count" else ratio * 100
        extras[f"{name}_exp_events"] = expected[name]
    return _build(f"ratio ({kind})", "Poisson", "Observed_events", points, limits, None, extras)


def _ratio_significance(numerator: ArrayLike, denominator: ArrayLike | None) -> FunnelSignificance:
    _require("ratios and proportions", denominator=denominator)
    o, e = _pair("numerator", numerator, "denominator", denominator)
    _significance_value_checks(o, e)
    reason = reasons(o.shape[0])
    add_reason(reason, np.isnan(o), "observed count missing")
    add_reason(reason, np.isnan(e), "expected count missing")
    label = _poisson_significance(o, e, 1.0)
    label[reason != ""] = None
    return FunnelSignificance(label=label, reason=reason, statistic="ratio", average=1.0)


def _poisson_significance(o: FloatArray, expected: FloatArray, average: float) -> ObjectArray:
    """Compare ``average`` with the interval of ``o / expected`` at 99.8% and 95% (the package's
    ``funnel_ratio_significance``: exact below 10 events, Byars from 10, lower limit 0 at o = 0).
    """
    bounds = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for level in (0.998, 0.95):
            lower, upper = poisson_limits(o, level)
            bounds[level] = (lower / expected, upper / expected)
    return np.select(
        [
            average < bounds[0.998][0],
            average < bounds[0.95][0],
            average > bounds[0.998][1],
            average > bounds[0.95][1],
        ],
        [HIGH_001, HIGH_025, LOW_001, LOW_025],
        default=NOT_SIGNIFICANT,
    ).astype(object)


# ------------------------------------------------------------------------------------------------
# Rates
# ------------------------------------------------------------------------------------------------


def _rate_limits(
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    rate: ArrayLike | None,
    rate_type: str | None,
    years_of_data: float | None,
    multiplier: float | None,
) -> FunnelLimits:
    _require(
        "rates",
        rate=rate,
        rate_type=rate_type,
        multiplier=multiplier,
        years_of_data=years_of_data,
    )
    kind = _choice("rate_type", rate_type, _RATE_TYPES)
    mult = _positive("multiplier", multiplier)
    years = _positive("years_of_data", years_of_data)
    o, d, r = _rate_arrays(numerator, denominator, rate)
    _rate_input_checks(o, d, r)

    with np.errstate(divide="ignore", invalid="ignore"):
        implied = mult * o / r
        if kind == "dsr":
            derived = np.where(o == 0, np.nan, implied)
        elif d is None:
            derived = implied
        else:
            derived = np.where(o == 0, d, implied)
        present = derived[~np.isnan(derived)]
        if present.size == 0:
            raise ValueError("rate: no area has a usable rate or denominator")
        av = float(np.sum(o) / np.sum(present))
        points = _axis_points(float(present.min()), float(present.max()), av, "rate", years)
        expected = _poisson_funnel_limits(points)
        limits = {}
        extras = {}
        for name, *_ in _LIMITS:
            population = expected[name] / av
            limits[name] = points / population * mult
            extras[f"{name}_population_1_year"] = population / years
    label = f"rate ({kind} per {_format_multiplier(mult)})"
    return _build(label, "Poisson", "Events", points, limits, av * mult, extras)


def _rate_significance(
    numerator: ArrayLike,
    denominator: ArrayLike | None,
    rate: ArrayLike | None,
    rate_type: str | None,
    multiplier: float | None,
) -> FunnelSignificance:
    _require("rates", rate=rate, rate_type=rate_type, multiplier=multiplier)
    kind = _choice("rate_type", rate_type, _RATE_TYPES)
    mult = _positive("multiplier", multiplier)
    o, d, r = _rate_arrays(numerator, denominator, rate)
    _rate_input_checks(o, d, r)
    if d is not None:
        _significance_value_checks(o, d)

    reason = reasons(o.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "dsr":
            derived = np.where(o == 0, np.nan, o / r * mult)
        else:
            implied = mult * o / r
            derived = implied if d is None else np.where(o == 0, d, implied)
        add_reason(reason, (o > 0) & np.isnan(r), "rate missing")
        # As the package: all events count towards the average, missing denominators do not.
        average = float(np.sum(o) / np.nansum(derived))
        label = _poisson_significance(o, derived, average)
    label[reason != ""] = None
    if kind == "dsr":
        small = o < DSR_MIN_EVENTS
        label[small] = NOT_APPLICABLE_DSR
        reason[small] = ""
    return FunnelSignificance(
        label=label,
        reason=reason,
        statistic=f"rate ({kind} per {_format_multiplier(mult)})",
        average=average,
    )


def _rate_arrays(
    numerator: ArrayLike, denominator: ArrayLike | None, rate: ArrayLike | None
) -> tuple[FloatArray, FloatArray | None, FloatArray]:
    if rate is None:
        raise ValueError("rate: required for rates")
    o = as_float("numerator", numerator)
    r = as_float("rate", rate)
    if denominator is None:
        o, r = broadcast(numerator=o, rate=r)
        d = None
    else:
        o, r, d = broadcast(numerator=o, rate=r, denominator=as_float("denominator", denominator))
        finite_where_present("denominator", d)
    finite_where_present("numerator", o)
    finite_where_present("rate", r)
    non_negative("numerator", o)
    return np.asarray(o), None if d is None else np.asarray(d), np.asarray(r)


def _rate_input_checks(o: FloatArray, d: FloatArray | None, r: FloatArray) -> None:
    """The package's checks for rate funnels (limits and significance), in its order."""
    missing = np.isnan(o)
    if missing.any():
        raise ValueError(
            "numerator: for rates, numerators must be provided for all records, even when their "
            f"values are zero; missing in {describe_groups(missing)}"
        )
    missing_rate = np.isnan(r) if d is None else np.isnan(r) & np.isnan(d)
    if missing_rate.any():
        raise ValueError(
            "rate: for rates, rates must be provided for all records, or a denominator must be "
            f"provided if the rate is zero; missing in {describe_groups(missing_rate)}"
        )
    _check_zero_event_denominators(o, d)
    _check_rates(o, r)


def _check_zero_event_denominators(o: FloatArray, d: FloatArray | None) -> None:
    zero = o == 0
    if not zero.any():
        return
    if d is None:
        raise ValueError(
            "denominator: for rates, where there are 0 events for a record, the denominator field "
            f"needs to be provided using the denominator argument; 0 events in "
            f"{describe_groups(zero)}"
        )
    bad = zero & ~(d > 0)
    if bad.any():
        raise ValueError(
            "denominator: for rates, where there are 0 events for a record, the denominator must "
            f"be provided (and above zero); missing or not above zero in {describe_groups(bad)}"
        )


def _check_rates(o: FloatArray, r: FloatArray) -> None:
    """Extra to the package: a negative rate, or a zero rate with events, has no meaning."""
    non_negative("rate", r)
    bad = (r == 0) & (o > 0)
    if bad.any():
        raise ValueError(
            "rate: must be greater than zero where there are events; zero with events in "
            f"{describe_groups(bad)}"
        )


# ------------------------------------------------------------------------------------------------
# The x axis
# ------------------------------------------------------------------------------------------------


def _r_nchar(value: float) -> int:
    """``nchar(value)`` for a whole number >= 0, as R prints it (``as.character``).

    R writes a double with up to 15 significant digits and chooses scientific notation when it is
    strictly narrower than fixed notation: 100000 is ``"1e+05"`` (5 characters), 123456 is
    ``"123456"``.
    """
    if value == 0:
        return 1
    mantissa, exponent = f"{value:.14e}".split("e")
    significant = len(mantissa.replace(".", "").rstrip("0"))
    exp = int(exponent)
    fixed = len(f"{value:.0f}") if exp < 15 else exp + 1
    scientific = (significant + 1 if significant > 1 else 1) + (4 if abs(exp) < 100 else 5)
    return fixed if fixed <= scientific else scientific


def _signif_floor(x: float) -> float:
    """The package's ``signif.floor``: ``x * 0.95`` rounded down to its leading digit."""
    if x == 0:
        return 0.0
    n = _r_nchar(math.floor(x * 0.95)) - 1
    return math.floor(x * 0.95 / 10.0**n) * 10.0**n


def _signif_ceiling(x: float) -> float:
    """The package's ``signif.ceiling``: ``x * 1.05`` rounded up to its two leading digits."""
    if x == 0:
        return 0.0
    n = _r_nchar(math.ceil(x * 1.05)) - 2
    return math.ceil(x * 1.05 / 10.0**n) * 10.0**n


def _axis_points(
    min_denominator: float, max_denominator: float, av: float, kind: str, years: float
) -> FloatArray:
    """The 100 x-axis values of the package's funnel table (see :func:`funnel_limits`)."""
    if not (math.isfinite(min_denominator) and math.isfinite(max_denominator)):
        raise ValueError("denominator: the smallest and largest denominators must be finite")
    if max_denominator > 2 * min_denominator:
        axis_min = 0.0
    elif kind == "rate":
        axis_min = _signif_floor(min_denominator / years) * years
    else:
        axis_min = _signif_floor(min_denominator)
    if kind == "rate":
        axis_max = _signif_ceiling(max_denominator / years) * years
        with np.errstate(invalid="ignore", over="ignore"):
            axis_min = float(np.floor(axis_min * av))
            axis_max = float(np.ceil(axis_max * av))
    else:
        axis_max = _signif_ceiling(max_denominator)
    if not (math.isfinite(axis_min) and math.isfinite(axis_max)):
        raise ValueError("numerator: the pooled average is not finite, so there is no funnel axis")

    # A sequential recurrence over a fixed 100 points (not over groups).
    points = np.empty(N_POINTS)
    points[0] = max(1.0, axis_min)
    for j in range(2, N_POINTS + 1):
        offset = j - 1 if kind == "ratio" else j
        previous = float(points[j - 2])
        grown = float(np.rint((axis_max / previous) ** (1 / (101 - offset)) * previous))
        points[j - 1] = max(grown, previous + 1)
    return points


# ------------------------------------------------------------------------------------------------
# The Poisson bisection (``poisson_funnel``) and series (``poisson_cis``)
# ------------------------------------------------------------------------------------------------


def _poisson_funnel_limits(points: FloatArray) -> dict[str, FloatArray]:
    """Expected events on each of the four limits at each point, in one vectorised bisection."""
    n = points.shape[0]
    obs = np.tile(points, len(_LIMITS))
    p = np.repeat([tail for _, tail, _, _ in _LIMITS], n)
    low_side = np.repeat([side == "low" for _, _, side, _ in _LIMITS], n)
    mu = _poisson_funnel(obs, p, low_side)
    return {name: mu[i * n : (i + 1) * n] for i, (name, *_) in enumerate(_LIMITS)}


def _poisson_funnel(obs: FloatArray, p: FloatArray, low_side: BoolArray) -> FloatArray:
    """The package's ``poisson_funnel`` for every element at once.

    ``low_side``: find mu with P(X >= obs | mu) = p (an upper limit); otherwise P(X <= obs | mu)
    = p (a lower limit). Every element takes the same 23 halvings of ``dv``.
    """
    v = np.full(obs.shape[0], 0.5)
    dv = 0.5
    start = np.where(low_side, obs, 0.0)
    stop = np.where(low_side, 1e10, obs)
    while dv > 1e-7:
        dv = dv / 2
        prob = _poisson_cis((1 + obs) * v / (1 - v), start, stop)
        down = np.where(low_side, prob > p, prob < p)
        v = np.where(down, v - dv, v + dv)
    return np.asarray((1 + obs) * v / (1 - v), dtype=np.float64)


def _poisson_cis(z: FloatArray, start: FloatArray, stop: FloatArray) -> FloatArray:
    """The package's ``poisson_cis``: P(start <= X <= stop) for X ~ Poisson(z), summed term by term.

    For each element, exactly as the package: ``q = 1, tot = s = k = 0``; while ``k <= z`` or
    ``q > tot * 1e-10``: ``tot += q``; ``s += q`` if ``start <= k <= stop``; if ``tot > 1e30``
    divide ``s``, ``tot`` and ``q`` by 1e30; ``k += 1``; ``q = q * z / k``. Returns ``s / tot``.

    The elements run in lockstep over ``k`` (every element is at the same ``k``), each stopping at
    the step where its own condition fails; finished elements are dropped from the working arrays.
    Every floating-point operation on an element is the package's, in the package's order, so the
    result is bit for bit the package's. Three shortcuts only skip work that cannot change it:

    - the stopping condition is evaluated only from the earliest step at which some element can
      stop (:func:`_earliest_stop`);
    - the window ``start <= k <= stop`` is re-evaluated only at the integer ``k`` where it changes;
    - the test ``tot > 1e30`` is evaluated only when a running upper bound on ``max(tot)`` (grown
      by an upper bound on ``max(q)``, with a margin for rounding) reaches 1e30.
    """
    n = z.shape[0]
    result = np.empty(n)
    if n == 0:
        return result
    idx = np.arange(n)
    zz = np.asarray(z, dtype=np.float64).copy()
    lo = np.asarray(start, dtype=np.float64).copy()
    hi = np.asarray(stop, dtype=np.float64).copy()
    q = np.ones(n)
    acc = np.zeros((2, n))  # row 0: tot; row 1: s
    mask = np.ones((2, n), dtype=bool)  # row 0: always add to tot; row 1: k in the window
    mask[1] = (lo <= 0.0) & (hi >= 0.0)
    changes = set(np.ceil(lo).tolist()) | set((np.floor(hi) + 1).tolist())
    earliest = _earliest_stop(zz)
    check_from = float(earliest.min())
    z_max = float(zz.max())
    margin = 1 + 1e-9
    tot_bound = 0.0
    q_bound = 1.0
    k = 0.0
    while True:
        if k >= check_from:
            going = (k <= zz) | (q > acc[0] * 1e-10)
            if not going.all():
                done = ~going
                result[idx[done]] = acc[1, done] / acc[0, done]
                idx, zz, lo, hi = idx[going], zz[going], lo[going], hi[going]
                q, acc, mask, earliest = q[going], acc[:, going], mask[:, going], earliest[going]
                if not idx.size:
                    return result
                check_from = float(earliest.min())
                z_max = float(zz.max())
        if k in changes:
            mask[1] = (lo <= k) & (k <= hi)
        np.add(acc, q, out=acc, where=mask)
        tot_bound = (tot_bound + q_bound) * margin
        if tot_bound > 1e30:
            big = acc[0] > 1e30
            if big.any():
                acc[:, big] = acc[:, big] / 1e30
                q[big] = q[big] / 1e30
            tot_bound = float(acc[0].max()) * margin
            q_bound = float(q.max()) * margin
        k += 1
        q *= zz
        q /= k
        q_bound = q_bound * z_max / k * margin


def _earliest_stop(z: FloatArray) -> FloatArray:
    """A lower bound on the step ``k`` at which ``poisson_cis`` stops for each ``z``.

    The loop runs while ``k <= z`` or ``q > tot * 1e-10``, where ``q / tot`` is (up to rounding)
    ``pmf(k) / cdf(k - 1)`` of Poisson(z) and so at least ``pmf(k)``. It cannot stop while
    ``k <= z`` or while ``pmf(k) > 1e-10 (1 + 1e-6)``; past ``z`` the pmf decreases, so the first
    ``k`` above both is a lower bound. The root is found by bisection on a continuous ``k``
    (log pmf via ``gammaln``), then lowered by two steps for safety.
    """
    log_threshold = math.log(1e-10 * (1 + 1e-6))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_z = np.log(z)
        lower = np.floor(z) + 1.0
        upper = lower + 60.0 * np.sqrt(z) + 100.0

        def above(k: FloatArray) -> BoolArray:
            return np.asarray(k * log_z - z - special.gammaln(k + 1) > log_threshold)

        # Past the mode the log pmf falls; find where it crosses the threshold.
        for _ in range(60):
            middle = (lower + upper) / 2
            go_up = above(middle)
            lower = np.where(go_up, middle, lower)
            upper = np.where(go_up, upper, middle)
    return np.maximum(np.floor(z) + 1.0, np.floor(lower) - 2.0)


# ------------------------------------------------------------------------------------------------
# Argument checks
# ------------------------------------------------------------------------------------------------


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        listed = ", ".join(f'"{a}"' for a in allowed)
        raise ValueError(f"{name}: should be one of {listed}, got {value!r}")
    return str(value)


def _require(what: str, **arguments: object) -> None:
    missing = [name for name, value in arguments.items() if value is None]
    if missing:
        raise ValueError(
            f"{', '.join(missing)}: required for {what} (the following arguments are required "
            f"for {what}: {', '.join(arguments)})"
        )


def _finite(name: str, value: float | None) -> float:
    out = float(value)  # type: ignore[arg-type]
    if not math.isfinite(out):
        raise ValueError(f"{name}: must be a finite number, got {value!r}")
    return out


def _positive(name: str, value: float | None) -> float:
    if value is None:
        raise ValueError(f"{name}: required for rates")
    out = _finite(name, value)
    if out <= 0:
        raise ValueError(f"{name}: must be greater than zero, got {value!r}")
    return out


def _pair(
    name_a: str, a: ArrayLike, name_b: str, b: ArrayLike | None
) -> tuple[FloatArray, FloatArray]:
    if b is None:
        raise ValueError(f"{name_b}: required")
    xa = as_float(name_a, a)
    xb = as_float(name_b, b)
    xa, xb = broadcast(**{name_a: xa, name_b: xb})
    finite_where_present(name_a, xa)
    finite_where_present(name_b, xb)
    return np.asarray(xa), np.asarray(xb)


def _no_missing_proportions(x: FloatArray, n: FloatArray) -> None:
    missing = np.isnan(x) | np.isnan(n)
    if missing.any():
        raise ValueError(
            "numerator, denominator: for proportions, numerators and denominators must be "
            "provided for all records, even when their values are zero; missing in "
            f"{describe_groups(missing)}"
        )


def _significance_value_checks(numerator: FloatArray, denominator: FloatArray) -> None:
    """``assign_funnel_significance``'s checks on values (missing values are skipped)."""
    negative = numerator < 0
    if negative.any():
        raise ValueError(
            "numerator: numerators must be greater than or equal to zero; negative in "
            f"{describe_groups(negative)}"
        )
    not_positive = denominator <= 0
    if not_positive.any():
        raise ValueError(
            "denominator: denominators must be greater than zero; zero or negative in "
            f"{describe_groups(not_positive)}"
        )


def _format_multiplier(multiplier: float) -> str:
    """R's ``format(multiplier, big.mark = ",", scientific = FALSE)`` for the statistic label."""
    if float(multiplier).is_integer():
        return f"{int(multiplier):,}"
    return f"{multiplier:,}"
