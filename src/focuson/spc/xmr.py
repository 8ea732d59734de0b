"""Making Data Count XmR charts for many series at once (NHSRplotthedots 0.2.2 ``ptd_spc``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.spc import rules
from focuson.spc.icons import (
    ASSURANCE_ICONS,
    DIRECTIONS,
    POINT_TYPES,
    VARIATION_ICONS,
    assurance_codes,
    point_type_codes,
    variation_codes,
)
from focuson.spc.limits import LIMIT, LIMIT_CLOSE, segments, xmr_limits
from focuson.stats._checks import describe_groups

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
Int8Array = NDArray[np.int8]
StrArray = NDArray[np.str_]

#: Rule codes in :attr:`XmrResult.rule`, in their order of precedence after ``none``.
RULES = ("none", "outside_limits", "trend", "two_in_three", "shift")

TwoInThree = Literal["plotthedots", "beyond_2_sigma"]
ZeroVariation = Literal["undefined", "plotthedots"]

NO_LIMITS = "no variation in the baseline: limits undefined"
TOO_FEW = "fewer than two consecutive baseline values: limits undefined"
MISSING = "value missing"


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart per series: limits and point types per point, icons per series.

    Per-point arrays have shape ``(n_series, n_points)``; per-series arrays ``(n_series,)``.

    Attributes
    ----------
    values
        The values charted (NaN = missing).
    mean, lower, upper
        Centre line and lower and upper process limits (mean -/+ 2.66 x average moving range)
        of the rebase group each point is in. NaN where the limits are undefined.
    lower_2sigma, upper_2sigma
        The two-sigma lines, mean -/+ (2/3) x 2.66 x average moving range.
    moving_range
        \\|y_i - y_(i-1)\\| on baseline points of one rebase group; NaN elsewhere.
    screened
        True where a moving range was left out of the average by screening.
    baseline
        True for points that set the limits (the first ``fix_after_n_points`` of each group).
    group
        Rebase group of each point (0 before the first rebase).
    short_group
        True for points of a rebase group with fewer than ``short_group_threshold`` points:
        their limits are trial limits.
    rule
        Code of the special-cause rule that labels each point (index into :data:`RULES`).
    side
        +1 if the special cause is high (above, increasing), -1 if low, 0 for common cause.
    point_type
        ``common_cause``, ``special_cause_improvement``, ``special_cause_concern``,
        ``special_cause_neutral_high`` or ``special_cause_neutral_low``.
    reason
        Empty, or why a point cannot be judged (``value missing``, limits undefined).
    variation_icon
        Per series, from its latest point: ``common_cause``, ``improvement_high``,
        ``improvement_low``, ``concern_high``, ``concern_low``, ``neutral_high``,
        ``neutral_low``.
    assurance_icon
        Per series: ``consistent_pass``, ``consistent_fail``, ``inconsistent``, or ``""`` with
        no target, a neutral direction or undefined latest limits.
    improvement, target
        The per-series options used.
    run_length, two_in_three, screen_outliers, zero_variation
        The rule options used.
    """

    values: FloatArray
    mean: FloatArray
    lower: FloatArray
    upper: FloatArray
    lower_2sigma: FloatArray
    upper_2sigma: FloatArray
    moving_range: FloatArray
    screened: BoolArray
    baseline: BoolArray
    group: IntArray
    short_group: BoolArray
    rule: Int8Array
    side: Int8Array
    point_type: StrArray
    reason: StrArray
    variation_icon: StrArray
    assurance_icon: StrArray
    improvement: StrArray
    target: FloatArray
    run_length: int
    two_in_three: str
    screen_outliers: bool
    zero_variation: str

    @property
    def special_cause(self) -> BoolArray:
        """True for points flagged by any rule."""
        return self.rule > 0

    @property
    def rule_name(self) -> StrArray:
        """The rule of each point by name (``none``, ``outside_limits``, ``trend``, ...)."""
        return np.asarray(RULES)[self.rule]

    @property
    def special_cause_type(self) -> StrArray:
        """The label NHSRplotthedots gives each point, e.g. ``"7 Point Trend (Increasing)"``."""
        n = self.run_length
        high = np.asarray(
            [
                "Common Cause",
                "Above UCL",
                f"{n} Point Trend (Increasing)",
                "2 in 3 Above CL",
                f"{n} Points Above CL",
            ]
        )
        low = np.asarray(
            [
                "Common Cause",
                "Below LCL",
                f"{n} Point Trend (Decreasing)",
                "2 in 3 Below CL",
                f"{n} Points Below CL",
            ]
        )
        return np.where(self.side > 0, high[self.rule], low[self.rule])

    def __len__(self) -> int:
        return int(self.values.shape[0])


def xmr(
    values: ArrayLike,
    *,
    improvement: str | Sequence[str] = "increase",
    target: float | ArrayLike | None = None,
    rebase: ArrayLike | None = None,
    fix_after_n_points: int | ArrayLike | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    two_in_three: TwoInThree = "plotthedots",
    zero_variation: ZeroVariation = "undefined",
    short_group_threshold: int = 13,
) -> XmrResult:
    """XmR (individuals) charts with the Making Data Count rules, for many series at once.

    Parameters
    ----------
    values
        ``(n_series, n_points)`` matrix, one series per row in time order, NaN for a missing
        period (a 1-d array is one series). Every column is a period that exists, so the last
        column is each series' latest point even where its value is missing.
    improvement
        ``"increase"``, ``"decrease"`` or ``"neutral"``, for all series or one per series.
    target
        Target for the assurance icon, for all series or one per series (NaN = none).
    rebase
        Where the limits are recalculated: a boolean matrix like ``values`` (or one row for all
        series) that is True at the first point of each new group, or a list of column
        positions used for every series.
    fix_after_n_points
        Compute the limits of each rebase group from its first N points only (N >= 12), for all
        series or one per series (NaN = all points); the rules still apply to every point.
    screen_outliers
        Leave moving ranges at or above 3.267 x their average out of the average moving range
        (NHSRplotthedots' default). ``False`` reproduces the Making Data Count Excel tools.
    run_length
        Points in a shift or a trend: 7 (NHSRplotthedots 0.2.2) or 6.
    two_in_three
        ``"plotthedots"``: two of three points strictly between the two-sigma line and the
        limit (0.2.2). ``"beyond_2_sigma"``: two of three points beyond two sigma, including
        beyond the limit (Making Data Count since November 2023). All three on one side.
    zero_variation
        A rebase group whose average moving range is zero or undefined (constant baseline):
        ``"undefined"`` gives NaN limits, no special cause and a reason; ``"plotthedots"``
        keeps 0.2.2's zero-width limits (every point off the mean is "outside").
    short_group_threshold
        Groups with fewer points than this are marked ``short_group`` (trial limits).

    Returns
    -------
    XmrResult
        Limits and point types per point, variation and assurance icons per series.

    Raises
    ------
    ValueError
        ``values`` not numeric or infinite, an unknown ``improvement``, ``fix_after_n_points``
        below 12, an infinite ``target``, a ``rebase`` of the wrong shape or position, or
        option values outside those listed; messages name the argument and series.

    Notes
    -----
    Matches ``ptd_spc`` of NHSRplotthedots 0.2.2 (NHS-R community), point for point: mean and
    limits from the baseline of each rebase group, moving-range screening, the rules in their
    order of precedence (outside the limits > trend > two in three > shift), the colour of
    trend points by their slope, point types, the variation icon from the latest point (even a
    missing one) and the assurance icon against the latest group's limits (strict
    inequalities). Deliberate deviations, each the recommended product choice:

    1. A series without a target (NaN) gets no assurance icon; 0.2.2 says "inconsistent".
    2. A missing value inside a trend window breaks the trend; 0.2.2 stops with an error.
    3. A rebase group with no variation in its baseline gets undefined limits and no special
       cause (``zero_variation="plotthedots"`` restores 0.2.2's zero-width limits); no
       assurance icon is given from undefined limits.
    4. One short-group threshold (fewer than 13 points) for the flag and its message.
    5. Options beyond 0.2.2: ``run_length=6`` and ``two_in_three="beyond_2_sigma"``.

    Dates are replaced by column order: gaps between periods are not detected (as in 0.2.2),
    and a rebase is a column position rather than a date.

    References
    ----------
    NHS England. Making Data Count: strengthening your decisions. 2019 (revised 2021).
    Wheeler DJ. Understanding Variation: the Key to Managing Chaos. SPC Press, 2000.
    Nelson LS. Control charts for individual measurements. J Qual Technol 1982;14:172-3.

    Examples
    --------
    >>> y = [1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9]
    >>> r = xmr(y)
    >>> round(float(r.mean[0, 0]), 4), round(float(r.upper[0, 0]), 4)
    (2.0769, 4.7369)
    >>> str(r.point_type[0, -1]), str(r.variation_icon[0])
    ('special_cause_improvement', 'improvement_high')
    >>> xmr(y, improvement="decrease", target=5).assurance_icon.tolist()
    ['consistent_pass']
    """
    y = _matrix(values)
    n_series, n_points = y.shape
    direction = _improvement(improvement, n_series)
    targets = _per_series("target", target, n_series)
    if np.isinf(targets).any():
        where = describe_groups(np.isinf(targets))
        raise ValueError(f"target: must be finite; infinite in {where}")
    fix_after = _fix_after(fix_after_n_points, n_series)
    starts = _rebase(rebase, n_series, n_points)
    if run_length not in (6, 7):
        raise ValueError(f"run_length: must be 6 or 7, got {run_length!r}")
    if two_in_three not in ("plotthedots", "beyond_2_sigma"):
        raise ValueError(
            f"two_in_three: must be 'plotthedots' or 'beyond_2_sigma', got {two_in_three!r}"
        )
    if zero_variation not in ("undefined", "plotthedots"):
        raise ValueError(
            f"zero_variation: must be 'undefined' or 'plotthedots', got {zero_variation!r}"
        )

    s = segments(starts)
    flat = y.ravel()
    series_of = np.repeat(np.arange(n_series), n_points)
    lim = xmr_limits(flat, s, fix_after[series_of], screen_outliers=screen_outliers)
    n_mr = np.bincount(s.seg, weights=~np.isnan(lim.moving_range), minlength=s.count)
    undefined = np.isnan(lim.mr_bar)
    if zero_variation == "undefined":
        undefined |= lim.mr_bar == 0
    mr_bar = np.where(undefined, np.nan, lim.mr_bar)[s.seg]
    mean = lim.mean[s.seg]
    lower, upper = mean - LIMIT * mr_bar, mean + LIMIT * mr_bar
    lower2, upper2 = mean - LIMIT_CLOSE * mr_bar, mean + LIMIT_CLOSE * mr_bar

    with np.errstate(invalid="ignore"):
        outside = (flat > upper) | (flat < lower)
        relative = np.sign(flat - mean)
        beyond2 = (flat < lower2) | (flat > upper2)
    beyond = beyond2 if two_in_three == "beyond_2_sigma" else beyond2 & ~outside
    in_trend, slope = rules.trend(flat, s, run_length)
    in_two = rules.two_in_three(beyond, relative, s)
    in_shift = rules.shift(relative, s, run_length)

    rule = np.select([outside, in_trend, in_two, in_shift], [1, 2, 3, 4], 0).astype(np.int8)
    if zero_variation == "undefined":
        rule[undefined[s.seg]] = 0
    by_side = np.where(relative == 1, 1, -1)
    side = np.select([rule == 0, rule == 2], [0, np.where(slope == 1, 1, -1)], by_side)
    side = side.astype(np.int8)
    point_codes = point_type_codes(side, direction[series_of])

    reason = np.full(flat.shape, "", dtype=object)
    seg_undefined, seg_has_mr = undefined[s.seg], n_mr[s.seg] > 0
    reason[seg_undefined & ~seg_has_mr] = TOO_FEW
    reason[seg_undefined & seg_has_mr] = NO_LIMITS
    reason[np.isnan(flat)] = MISSING

    shape = (n_series, n_points)
    latest = point_codes.reshape(shape)[:, -1]
    variation = variation_codes(latest, direction)
    assurance = assurance_codes(
        targets, lower.reshape(shape)[:, -1], upper.reshape(shape)[:, -1], direction
    )
    if zero_variation == "undefined":
        assurance = np.where(np.isnan(upper.reshape(shape)[:, -1]), 0, assurance)

    return XmrResult(
        values=y,
        mean=mean.reshape(shape),
        lower=lower.reshape(shape),
        upper=upper.reshape(shape),
        lower_2sigma=lower2.reshape(shape),
        upper_2sigma=upper2.reshape(shape),
        moving_range=lim.moving_range.reshape(shape),
        screened=lim.screened.reshape(shape),
        baseline=lim.baseline.reshape(shape),
        group=(np.cumsum(starts, axis=1) - starts[:, :1]).astype(np.intp),
        short_group=(s.size[s.seg] < short_group_threshold).reshape(shape),
        rule=rule.reshape(shape),
        side=side.reshape(shape),
        point_type=np.asarray(POINT_TYPES)[point_codes].reshape(shape),
        reason=reason.astype(str).reshape(shape),
        variation_icon=np.asarray(VARIATION_ICONS)[variation],
        assurance_icon=np.asarray(ASSURANCE_ICONS)[assurance],
        improvement=np.asarray(list(DIRECTIONS))[np.where(direction > 0, 0, 2 - (direction < 0))],
        target=targets,
        run_length=run_length,
        two_in_three=two_in_three,
        screen_outliers=screen_outliers,
        zero_variation=zero_variation,
    )


def _matrix(values: ArrayLike) -> FloatArray:
    try:
        y = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values: expected numbers, got {values!r:.80}") from exc
    if y.ndim == 1:
        y = y.reshape(1, -1)
    if y.ndim != 2 or y.shape[1] == 0:
        raise ValueError(
            f"values: expected a (series x points) matrix with at least one point, got shape "
            f"{y.shape}"
        )
    bad: BoolArray = np.asarray(np.isinf(y).any(axis=1))
    if bad.any():
        where = describe_groups(bad)
        raise ValueError(f"values: must be finite (NaN = missing); infinite in {where}")
    return y


def _improvement(improvement: str | Sequence[str], n: int) -> Int8Array:
    given = np.asarray(
        [improvement] if isinstance(improvement, str) else list(improvement), dtype=object
    )
    if given.shape[0] not in (1, n):
        raise ValueError(
            f"improvement: expected one direction or one per series ({n}), got {given.shape[0]}"
        )
    bad = ~np.isin(given, list(DIRECTIONS))
    if bad.any():
        raise ValueError(
            "improvement: must be 'increase', 'decrease' or 'neutral'; "
            f"got {given[bad][0]!r} in {describe_groups(bad)}"
        )
    codes = np.select([given == "increase", given == "decrease"], [1, -1], 0).astype(np.int8)
    return np.broadcast_to(codes, (n,)).copy()


def _per_series(name: str, value: float | ArrayLike | None, n: int) -> FloatArray:
    if value is None:
        return np.full(n, np.nan)
    try:
        arr = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {value!r:.80}") from exc
    if arr.shape[0] not in (1, n):
        raise ValueError(f"{name}: expected one value or one per series ({n}), got {arr.shape[0]}")
    return np.broadcast_to(arr, (n,)).copy()


def _fix_after(value: int | ArrayLike | None, n: int) -> FloatArray:
    arr = _per_series("fix_after_n_points", value, n)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(arr) & ((arr < 12) | (arr != np.floor(arr)))
    if bad.any():
        raise ValueError(
            "fix_after_n_points: must be a whole number of at least 12; "
            f"got {arr[bad][0]!r} in {describe_groups(bad)}"
        )
    return np.where(np.isnan(arr), np.inf, arr)


def _rebase(rebase: ArrayLike | None, n_series: int, n_points: int) -> BoolArray:
    if rebase is None:
        return np.zeros((n_series, n_points), dtype=bool)
    arr = np.asarray(rebase)
    if arr.dtype == bool:
        if arr.shape == (n_points,):
            arr = np.broadcast_to(arr, (n_series, n_points))
        if arr.shape != (n_series, n_points):
            raise ValueError(
                f"rebase: expected a boolean mask of shape {(n_series, n_points)} or "
                f"({n_points},), got {arr.shape}"
            )
        return arr.copy()
    positions = arr.reshape(-1)
    if positions.size and (
        not np.issubdtype(positions.dtype, np.integer)
        or positions.min() < 0
        or positions.max() >= n_points
    ):
        raise ValueError(
            f"rebase: positions must be whole numbers from 0 to {n_points - 1}, got {rebase!r:.80}"
        )
    mask = np.zeros((n_series, n_points), dtype=bool)
    mask[:, positions] = True
    return mask
