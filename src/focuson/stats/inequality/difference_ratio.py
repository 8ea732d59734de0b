"""Difference (D) and ratio (R) between two subgroups, as healthequal 1.0.1 ``d`` and ``r``.

The module also holds the input handling shared by focuson's closed-form healthequal measures
(:mod:`.attributable`, :mod:`.concentration`, :mod:`.dispersion_analytic`): which subgroups exist,
which estimates are missing, the healthequal missing-data rules and the normal intervals.

Subgroups without an estimate
-----------------------------
Inputs are settings x subgroups matrices; a NaN estimate means the subgroup has no estimate.
For ordered dimensions, and for PAF and PAR whatever the dimension, every NaN estimate is
missing, as in healthequal, population or not: an ordered measure refuses it unless
``force=True`` (which drops it), and PAF/PAR apply healthequal's rule for their dimension. Those
are the measures whose reference or end subgroups would otherwise move without a word.
For the other non-ordered measures a subgroup is *absent* from a setting (a ragged matrix:
settings with different numbers of subgroups) when its estimate is NaN **and** its population is
0, as a subgroup with no people has no row in healthequal's long input; it does not count
towards the 15% of missing estimates. Without ``pop`` every NaN estimate counts as missing.
Every measure says which subgroups it left out in ``Estimate.dropped`` (settings x subgroups).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import confidence_levels
from focuson.stats.estimate import Estimate, Interval, add_reason, reasons
from focuson.stats.inequality._subgroups import (
    Compat,
    as_matrix,
    check_population,
    compat_mode,
    describe_cells,
    describe_settings,
    flags,
    per_setting,
    same_shape,
)
from focuson.stats.intervals import z_value

Matrix = NDArray[np.float64]
BoolMatrix = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
ObjectArray = NDArray[np.object_]

#: The only compatibility mode: reproduce healthequal 1.0.1 where focuson fixes its defects.

#: healthequal drops missing estimates of non-ordered measures silently up to this share of rows.
MISSING_SHARE = 0.15


# --------------------------------------------------------------------------------------------
# Shared input handling (used by the other closed-form healthequal modules)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """Checked settings x subgroups inputs and the masks every measure needs."""

    y: Matrix
    se: Matrix | None
    pop: Matrix | None
    rows: BoolMatrix  # the subgroup exists in the setting (not absent)
    missing: BoolMatrix  # the subgroup exists but its estimate is NaN
    absent: BoolMatrix  # NaN estimate and population 0 (a ragged setting)

    @property
    def dropped(self) -> BoolMatrix:
        """The subgroups a measure leaves out: every one without an estimate."""
        return np.asarray(np.isnan(self.y))

    @property
    def settings(self) -> int:
        return int(self.y.shape[0])


def _inputs(y: ArrayLike, se: ArrayLike | None = None, pop: ArrayLike | None = None) -> _Inputs:
    """Read and check estimates, standard errors and populations (settings x subgroups)."""
    ym = as_matrix("y", y)
    sem = None if se is None else as_matrix("se", se)
    popm = None if pop is None else as_matrix("pop", pop)
    same_shape(y=ym, se=sem, pop=popm)
    if ym.shape[1] == 0:
        raise ValueError("y: expected at least one subgroup column, got none")
    bad = np.isinf(ym).any(axis=1)
    if bad.any():
        raise ValueError(f"y: estimates must be finite; infinite in {describe_settings(bad)}")
    if sem is not None:
        bad = (np.isinf(sem) | (sem < 0)).any(axis=1)
        if bad.any():
            raise ValueError(
                f"se: standard errors must be finite and not negative; not so in "
                f"{describe_settings(bad)}"
            )
    if popm is not None:
        check_population(popm)
        absent = np.isnan(ym) & (popm == 0)
    else:
        absent = np.zeros(ym.shape, dtype=bool)
    rows = ~absent
    return _Inputs(ym, sem, popm, rows, np.isnan(ym) & rows, absent)


def _ordered_flag(ordered: object) -> bool:
    """``ordered`` is one flag for the whole call (one dimension)."""
    if isinstance(ordered, bool | int | np.bool_ | np.integer) and ordered in (0, 1):
        return bool(ordered)
    raise ValueError(f"ordered: expected True or False (one flag per call), got {ordered!r:.60}")


def _positive(name: str, values: ArrayLike, settings: int) -> FloatArray:
    """A finite, positive number per setting (e.g. the indicator scale)."""
    arr = per_setting(name, values, settings)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        raise ValueError(
            f"{name}: must be a finite number above 0; not so in {describe_settings(bad)}"
        )
    return arr


def _included(
    inp: _Inputs, *, ordered: bool, force: bool, measure: str, absent_missing: bool = False
) -> BoolMatrix:
    """Apply healthequal's missing-estimate rules; return the subgroups that enter the measure.

    Ordered measures: any NaN estimate (population or not) is an error unless ``force``, which
    drops it. Non-ordered measures: missing estimates are dropped up to 15% of the subgroups
    (reported in ``Estimate.dropped``); above that it is an error unless ``force``. Absent
    subgroups (NaN estimate, population 0) count as missing for ordered measures and when
    ``absent_missing`` (PAF/PAR, whose reference subgroup they could move).
    """
    counts_absent = ordered or absent_missing
    missing = (inp.missing | inp.absent) if counts_absent else inp.missing
    missing_count = missing.sum(axis=1)
    if ordered:
        bad = (missing_count > 0) & (not force)
        if np.any(bad):
            raise ValueError(
                f"y: {measure} needs an estimate for every subgroup of an ordered dimension; "
                f"missing in {describe_cells(missing & bad[:, np.newaxis])} "
                "(pass force=True to drop them)"
            )
    else:
        subgroups = (inp.rows | inp.absent) if counts_absent else inp.rows
        with np.errstate(invalid="ignore", divide="ignore"):
            share = missing_count / subgroups.sum(axis=1)
        bad = (share > MISSING_SHARE) & (not force)
        if np.any(bad):
            hint = " (pass force=True to drop them)" if measure != "bgv" else ""
            raise ValueError(
                f"y: estimates are missing for more than 15% of subgroups in "
                f"{describe_settings(bad)}{hint}"
            )
    return ~inp.dropped


def _check_consecutive(name: str, included: BoolMatrix) -> None:
    """Ordered dimensions: the subgroups used must have consecutive orders (no gaps)."""
    count = included.sum(axis=1)
    first = np.argmax(included, axis=1)
    last = included.shape[1] - 1 - np.argmax(included[:, ::-1], axis=1)
    bad = (count > 0) & (last - first + 1 != count)
    if bad.any():
        raise ValueError(
            f"{name}: subgroup orders must be consecutive, but a subgroup between two others is "
            f"absent or dropped in {describe_settings(bad)}"
        )


def _require(included: BoolMatrix, minimum: int, measure: str) -> None:
    """Reject settings with fewer than ``minimum`` usable subgroups."""
    bad = included.sum(axis=1) < minimum
    if bad.any():
        raise ValueError(
            f"y: {measure} needs estimates for at least {minimum} subgroups; fewer in "
            f"{describe_settings(bad)}"
        )


def _levels(confidence: float | Sequence[float] | None) -> tuple[float, ...]:
    return () if confidence is None else confidence_levels(confidence)


def _normal_intervals(
    value: FloatArray, se: FloatArray, levels: tuple[float, ...]
) -> dict[float, Interval]:
    """``value ± z * se`` at each level (NaN where either is NaN)."""
    out = {}
    for level in levels:
        half = z_value(level) * se
        out[level] = Interval(value - half, value + half)
    return out


def _first_tie_warning(tied: NDArray[np.bool_], measure: str, what: str) -> None:
    if tied.any():
        warnings.warn(
            f"{measure}: several subgroups tie for {what} in "
            f"{describe_settings(tied)}; the first tied "
            "subgroup (lowest column) was used",
            UserWarning,
            stacklevel=3,
        )


def _take(matrix: Matrix, index: IntArray) -> FloatArray:
    """``matrix[s, index[s]]`` for every setting s."""
    return np.take_along_axis(matrix, index[:, np.newaxis], axis=1)[:, 0]


def _label(prefix: str, parts: ObjectArray, compat: bool) -> ObjectArray:
    suffix = " [compat healthequal-1.0.1]" if compat else ""
    return np.asarray(prefix + parts + suffix, dtype=object)


# --------------------------------------------------------------------------------------------
# D and R
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    i1: IntArray
    i2: IntArray
    tied: NDArray[np.bool_]
    variant: ObjectArray
    reason: ObjectArray


def _pair(
    inp: _Inputs,
    favourable: ArrayLike,
    ordered: object,
    reference: ArrayLike,
    compat: bool,
    measure: str,
) -> _Pair:
    """Choose y1 and y2 per setting, following healthequal 1.0.1 ``d``/``r``."""
    n_set, n_sub = inp.y.shape
    fav = flags("favourable", favourable, n_set)
    is_ordered = _ordered_flag(ordered)
    y = inp.y
    has_y = ~np.isnan(y)
    bad = ~has_y.any(axis=1)
    if bad.any():
        raise ValueError(f"y: estimates are missing for all subgroups in {describe_settings(bad)}")
    _require(inp.rows, 2, measure)
    reason = reasons(n_set)
    tied = np.zeros(n_set, dtype=bool)

    if is_ordered:
        # The ends of an ordered dimension are its first and last columns: a subgroup there
        # without an estimate makes D/R NA (healthequal), never a comparison one step inward.
        first = np.zeros(n_set, dtype=np.intp)
        last = np.full(n_set, n_sub - 1, dtype=np.intp)
        i1 = np.where(fav, last, first)
        i2 = np.where(fav, first, last)
        variant = np.where(
            fav,
            "ordered, favourable: most advantaged vs most disadvantaged",
            "ordered, adverse: most disadvantaged vs most advantaged",
        ).astype(object)
    else:
        ref = per_setting("reference", reference, n_set)
        bad = ~np.isfinite(ref) | (ref != np.round(ref)) | (ref < -1) | (ref >= n_sub)
        if bad.any():
            raise ValueError(
                f"reference: expected a subgroup column (0 to {n_sub - 1}) or -1 for none; "
                f"not so in {describe_settings(bad)}"
            )
        ref_i = ref.astype(np.intp)
        has_ref = ref_i >= 0
        safe_ref = np.where(has_ref, ref_i, 0)
        bad = has_ref & ~_take(inp.rows.astype(np.float64), safe_ref).astype(bool)
        if bad.any():
            raise ValueError(f"reference: points at an absent subgroup in {describe_settings(bad)}")
        _require(has_y, 2, measure)

        hi_all = np.argmax(np.where(has_y, y, -np.inf), axis=1)
        lo_all = np.argmin(np.where(has_y, y, np.inf), axis=1)
        others = has_y & (np.arange(n_sub) != safe_ref[:, np.newaxis])
        hi_oth = np.argmax(np.where(others, y, -np.inf), axis=1)
        lo_oth = np.argmin(np.where(others, y, np.inf), axis=1)
        i1 = np.where(has_ref, np.where(fav, safe_ref, hi_oth), hi_all)
        i2 = np.where(has_ref, np.where(fav, lo_oth, safe_ref), lo_all)

        def ties(candidates: BoolMatrix, index: IntArray) -> NDArray[np.bool_]:
            chosen = _take(y, index)[:, np.newaxis]
            return np.asarray((candidates & (y == chosen)).sum(axis=1) > 1)

        tied_ref = np.where(fav, ties(others, lo_oth), ties(others, hi_oth))
        tied_none = ties(has_y, hi_all) | ties(has_y, lo_all)
        tied = np.where(has_ref, tied_ref, tied_none)
        variant = np.where(
            has_ref,
            np.where(
                fav,
                "non-ordered, favourable: reference vs lowest other subgroup",
                "non-ordered, adverse: highest other subgroup vs reference",
            ),
            "non-ordered, no reference: highest vs lowest",
        ).astype(object)

    add_reason(
        reason,
        np.isnan(_take(y, i1)) | np.isnan(_take(y, i2)),
        "estimate missing for a compared subgroup",
    )
    if not compat:
        _first_tie_warning(tied & (reason == ""), measure, "the highest or lowest estimate")
    return _Pair(i1, i2, tied, variant, reason)


def _pair_se(inp: _Inputs, pair: _Pair) -> tuple[FloatArray, FloatArray]:
    if inp.se is None:
        nan = np.full(inp.settings, np.nan)
        return nan, nan
    return _take(inp.se, pair.i1), _take(inp.se, pair.i2)


def _pair_extras(
    pair: _Pair, se: FloatArray, y1: FloatArray, y2: FloatArray
) -> dict[str, FloatArray]:
    return {
        "se": se,
        "y1": y1,
        "y2": y2,
        "subgroup1": pair.i1.astype(np.float64),
        "subgroup2": pair.i2.astype(np.float64),
        "tied": pair.tied.astype(np.float64),
    }


def difference(
    y: ArrayLike,
    se: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    ordered: bool,
    reference: int | ArrayLike = -1,
    pop: ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    compat: Compat = None,
) -> Estimate:
    """Difference D = y1 - y2 between two subgroups of each setting.

    Parameters
    ----------
    y
        Subgroup estimates, settings x subgroups (a 1-d array is one setting). For an ordered
        dimension the columns run from the most disadvantaged (column 0) to the most advantaged.
    se
        Standard errors of the estimates, same shape; ``None`` gives no intervals.
    favourable
        1/True if higher is better (per setting or one value).
    ordered
        True for an ordered dimension (IMD quintiles), False otherwise.
    reference
        Column of the reference subgroup per setting (or one value); -1 for none. Ignored for
        ordered dimensions, as in healthequal.
    pop
        Optional populations, only used for non-ordered dimensions to tell absent subgroups
        (NaN estimate and zero population) from missing estimates. For an ordered dimension
        the compared subgroups are the first and last columns whatever their population.
    confidence
        One or more confidence levels.
    compat
        ``"healthequal-1.0.1"`` reproduces the package: no warning on ties.

    Returns
    -------
    Estimate
        ``statistic="difference"``; ``extras`` holds ``se`` (sqrt(s1^2 + s2^2)), ``y1``, ``y2``,
        the compared columns ``subgroup1``/``subgroup2`` and ``tied``. D is NA with a reason when
        a compared estimate is missing; the intervals are NA when a compared se is missing.
        ``dropped`` marks the subgroups without an estimate (never compared).

    Raises
    ------
    ValueError
        All estimates missing, fewer than two subgroups, flags not 0/1, a reference column out of
        range or pointing at an absent subgroup.

    Notes
    -----
    Matches ``d`` of healthequal 1.0.1 (WHOequity/healthequal). y1 and y2 are:

    - ordered: favourable, most advantaged - most disadvantaged; adverse, the reverse;
    - non-ordered without reference: highest - lowest estimate, whatever the polarity;
    - non-ordered with reference: favourable, reference - lowest other subgroup; adverse,
      highest other subgroup - reference.

    Ties take the first (lowest-column) subgroup; by default focuson warns, because the se
    depends on which tied subgroup is used (healthequal returns several rows). A positive D for
    an ordered dimension means the most disadvantaged are worse off.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of existing
    measures and their application. IJERPH 2022;19(6):3697.
    Ahn J et al. Variance estimation and confidence intervals for 11 commonly used health
    disparity measures. JCO Clin Cancer Inform 2018;2:1-19.

    Examples
    --------
    >>> est = difference([60.0, 70.0, 80.0], [2.0, 2.0, 1.0], favourable=True, ordered=True)
    >>> est.value.tolist(), np.round(est.extras["se"], 4).tolist()
    ([20.0], [2.2361])
    >>> np.round(est.lower, 4).tolist(), np.round(est.upper, 4).tolist()
    ([15.6174], [24.3826])
    """
    is_compat = compat_mode(compat)
    inp = _inputs(y, se, pop)
    levels = _levels(confidence)
    pair = _pair(inp, favourable, ordered, reference, is_compat, "difference")
    ok = pair.reason == ""
    y1, y2 = _take(inp.y, pair.i1), _take(inp.y, pair.i2)
    s1, s2 = _pair_se(inp, pair)
    value = np.where(ok, y1 - y2, np.nan)
    d_se = np.where(ok, np.sqrt(s1**2 + s2**2), np.nan)
    return Estimate(
        value=value,
        intervals=_normal_intervals(value, d_se, levels),
        statistic="difference",
        method=_label("healthequal 1.0.1 d, ", pair.variant, is_compat),
        reason=pair.reason,
        extras=_pair_extras(pair, d_se, y1, y2),
        dropped=inp.dropped,
    )


def ratio(
    y: ArrayLike,
    se: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    ordered: bool,
    reference: int | ArrayLike = -1,
    pop: ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    compat: Compat = None,
) -> Estimate:
    """Ratio R = y1 / y2 between two subgroups of each setting, with a log-scale interval.

    Parameters
    ----------
    y, se, favourable, ordered, reference, pop, confidence, compat
        As for :func:`difference`.

    Returns
    -------
    Estimate
        ``statistic="ratio"``; limits ``exp(ln R ± z * se)``; ``extras["se"]`` is the se of
        ln R, ``sqrt((s1^2 + R^2 s2^2) / y2^2) / R``, plus ``y1``, ``y2``, ``subgroup1``,
        ``subgroup2`` and ``tied``. R is NA with a reason when a compared estimate is missing or
        y2 is zero; the limits are NA when a compared se is missing or R <= 0.

    Raises
    ------
    ValueError
        As :func:`difference`.

    Notes
    -----
    Matches ``r`` of healthequal 1.0.1, with y1 and y2 chosen as in :func:`difference`.
    healthequal checks only y1's se before computing the interval (defect 10 in focuson's
    method notes); focuson checks both, which gives the same numbers (NA propagates).
    healthequal returns Inf for y2 = 0; focuson returns NA with a reason.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.
    Ahn J et al. JCO Clin Cancer Inform 2018;2:1-19.

    Examples
    --------
    >>> est = ratio([40.0, 50.0, 80.0], [2.0, 2.0, 4.0], favourable=True, ordered=True)
    >>> est.value.tolist(), np.round(est.extras["se"], 4).tolist()
    ([2.0], [0.0707])
    >>> np.round(est.lower, 4).tolist(), np.round(est.upper, 4).tolist()
    ([1.7412], [2.2973])
    """
    is_compat = compat_mode(compat)
    inp = _inputs(y, se, pop)
    levels = _levels(confidence)
    pair = _pair(inp, favourable, ordered, reference, is_compat, "ratio")
    reason = pair.reason
    y1, y2 = _take(inp.y, pair.i1), _take(inp.y, pair.i2)
    add_reason(reason, y2 == 0, "the estimate of the second subgroup (y2) is zero")
    ok = reason == ""
    s1, s2 = _pair_se(inp, pair)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, y1 / y2, np.nan)
        log_se = np.sqrt((s1**2 + value**2 * s2**2) / y2**2) / value
        log_se = np.where(ok & (value > 0), log_se, np.nan)
        log_value = np.log(np.where(value > 0, value, np.nan))
    intervals = {
        level: Interval(np.exp(iv.lower), np.exp(iv.upper))
        for level, iv in _normal_intervals(log_value, log_se, levels).items()
    }
    return Estimate(
        value=value,
        intervals=intervals,
        statistic="ratio",
        method=_label("healthequal 1.0.1 r, ", pair.variant, is_compat),
        reason=reason,
        extras=_pair_extras(pair, log_se, y1, y2),
        dropped=inp.dropped,
    )
