"""Statistical process control on every level series and every gap series, one call each.

Each series becomes one row of a matrix (columns = every month of its indicator's history, NaN
where a month is missing or its value blanked by disclosure control) and
:func:`focuson.spc.xmr.xmr` charts them all at once with the Making Data Count rules. Indicators
whose histories cover different months (events up to the last complete follow-up, waiting-list
censuses to the last month) are charted in one call per distinct span of months, so that each
series' latest point is its indicator's latest month.

Improvement direction
    Levels: ``increase`` for a ``higher_is_better`` indicator, ``decrease`` for
    ``lower_is_better``. Gaps, one rule for every series (:func:`gap_improvement`): a gap is about
    a group at risk (the ethnic group against everyone else, the most deprived fifth against the
    least, the most deprived end of the SII and RII) and it improves when that group moves toward
    (and past) its reference, as its own level series would say. So the direction follows from the
    indicator's polarity and the order of the groups in the measure, never from the data:

    ==========================  ===================  ==================  ====================
    measure                     group at risk        higher_is_better    lower_is_better
    ==========================  ===================  ==================  ====================
    ``ethnicity_difference``    the group (first)    ``increase``        ``decrease``
    ``q1_q5_difference/ratio``  quintile 1 (first)   ``increase``        ``decrease``
    ``sii``, ``rii``            decile 1 (second)    ``decrease``        ``increase``
    ==========================  ===================  ==================  ====================

    A gap that crosses no inequality and keeps going is still moving in the group's favour (the
    alert then says the gap has reversed: the reference group is now behind).

Besides the per-point results (:data:`POINT_COLUMNS`; ``segment`` is the rebase group of a
point, 0 without rebasing, so that a chart draws each group's own limits), each series gets a
summary (:data:`SERIES_COLUMNS`): the variation and assurance icons, the latest point's type and
rule, and ``since``: the first month of the unbroken run of that point type ending at the latest
month (the month a change began, as far as the chart can tell).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from focuson.spc.xmr import XmrResult, xmr

#: Per-point columns (after the series keys).
POINT_COLUMNS: list[str] = [
    "period",
    "value",
    "mean",
    "lower",
    "upper",
    "point_type",
    "rule",
    "special_cause_type",
    "segment",
]
#: Per-series columns (after the series keys).
SERIES_COLUMNS: list[str] = [
    "improvement",
    "variation_icon",
    "assurance_icon",
    "latest_period",
    "latest_value",
    "latest_point_type",
    "latest_rule",
    "since",
    "mean",
]
#: Keys of a level series and of a gap series.
LEVEL_KEYS: list[str] = ["indicator", "dimension", "group"]
GAP_KEYS: list[str] = ["indicator", "measure", "group"]


def _matrix(rows: pd.DataFrame, keys: Sequence[str]) -> tuple[pd.DataFrame, pd.Index, np.ndarray]:
    """Series keys (one row per series), the months, and the (series x months) value matrix."""
    wide = rows.pivot_table(
        index=list(keys), columns="period", values="value", aggfunc="first", dropna=False
    )
    periods = pd.Index(sorted(rows["period"].unique()))
    wide = wide.reindex(columns=periods)
    # pivot_table drops series whose every value is NaN: put them back, all missing.
    every = rows[list(keys)].drop_duplicates().set_index(list(keys)).index
    wide = wide.reindex(every.sort_values())
    return wide.index.to_frame(index=False), periods, wide.to_numpy(np.float64)


def _since(codes: np.ndarray, periods: pd.Index) -> np.ndarray:
    """First period of the unbroken run of equal codes that ends at the last column."""
    n = codes.shape[1]
    same = codes == codes[:, -1:]
    # last column where the code differs from the latest; the run starts one after it
    differs = np.where(~same, np.arange(n), -1).max(axis=1)
    return np.asarray(periods)[differs + 1]


def _frames(
    res: XmrResult, keys: pd.DataFrame, periods: pd.Index, improvement: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_series, n_points = res.values.shape
    idx = np.repeat(np.arange(n_series), n_points)
    points = keys.iloc[idx].reset_index(drop=True)
    rule = res.rule_name.ravel()
    point_type = res.point_type.ravel()
    points = points.assign(
        period=np.tile(np.asarray(periods), n_series),
        value=res.values.ravel(),
        mean=res.mean.ravel(),
        lower=res.lower.ravel(),
        upper=res.upper.ravel(),
        point_type=point_type,
        rule=rule,
        special_cause_type=res.special_cause_type.ravel(),
        segment=res.group.ravel(),
    )
    points = points.loc[~np.isnan(points["value"].to_numpy())].reset_index(drop=True)
    # point types as codes so that missing months break runs
    codes = pd.factorize(res.point_type.ravel())[0].reshape(n_series, n_points)
    codes = np.where(np.isnan(res.values), -1, codes)
    series = keys.assign(
        improvement=improvement,
        variation_icon=res.variation_icon,
        assurance_icon=res.assurance_icon,
        latest_period=str(periods[-1]),
        latest_value=res.values[:, -1],
        latest_point_type=res.point_type[:, -1],
        latest_rule=res.rule_name[:, -1],
        since=_since(codes, periods),
        mean=res.mean[:, -1],
    )
    return points, series


def _empty(keys: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    points = pd.DataFrame({c: pd.Series(dtype=object) for c in [*keys, *POINT_COLUMNS]})
    series = pd.DataFrame({c: pd.Series(dtype=object) for c in [*keys, *SERIES_COLUMNS]})
    return points, series


Directions = Callable[[pd.DataFrame, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _run(
    rows: pd.DataFrame, keys: list[str], directions: Directions, options: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One xmr call per distinct span of months (first, last) of the indicators."""
    if rows.empty:
        return _empty(keys)
    span = rows.groupby("indicator")["period"].agg(["min", "max"])
    span_of = rows["indicator"].map(span["min"] + "/" + span["max"])
    points: list[pd.DataFrame] = []
    series: list[pd.DataFrame] = []
    for label in sorted(span_of.unique()):
        part = rows.loc[(span_of == label).to_numpy()]
        k, periods, values = _matrix(part, keys)
        improvement, target = directions(k, values)
        res = xmr(values, improvement=list(improvement), target=target, **options)
        p, s = _frames(res, k, periods, improvement)
        points.append(p)
        series.append(s)
    return (
        pd.concat(points, ignore_index=True).sort_values([*keys, "period"]).reset_index(drop=True),
        pd.concat(series, ignore_index=True).sort_values(keys).reset_index(drop=True),
    )


def spc_levels(
    levels: pd.DataFrame, indicators: pd.DataFrame, **options: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """XmR charts of every level series (indicator x dimension x group) in one call.

    Parameters
    ----------
    levels
        Level series (``indicator``, ``period``, ``dimension``, ``group``, ``value``).
    indicators
        The INDICATORS frame (``id``, ``polarity``, ``target``).
    **options
        Passed to :func:`focuson.spc.xmr.xmr` (e.g. ``run_length=6``).

    Returns
    -------
    points, series
        Per point and per series results (see the module notes).

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "polarity": ["higher_is_better"], "target": [np.nan]})
    >>> lv = pd.DataFrame({"indicator": "a", "dimension": "overall", "group": "All",
    ...     "period": [f"2024-{m:02d}" for m in range(1, 13)],
    ...     "value": [5.0, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 20]})
    >>> points, series = spc_levels(lv, ind)
    >>> series[["variation_icon", "since"]].values.tolist()
    [['improvement_high', '2024-12']]
    """
    ind = indicators.set_index("id")

    def directions(keys: pd.DataFrame, _values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hib = keys["indicator"].map(ind["polarity"]).to_numpy() == "higher_is_better"
        target = keys["indicator"].map(ind["target"]).to_numpy(np.float64)
        return np.where(hib, "increase", "decrease").astype(object), target

    return _run(levels, LEVEL_KEYS, directions, options)


#: Measures whose group at risk is the second term (least minus most deprived, SII and RII with
#: ``flip=False``): they improve the other way round.
AT_RISK_SECOND: frozenset[str] = frozenset({"sii", "rii"})


def gap_improvement(measure: ArrayLike, polarity: ArrayLike) -> np.ndarray:
    """Improvement direction of gap series: the group at risk moving toward its reference.

    Parameters
    ----------
    measure
        The gap measure of each series (``sii``, ``q1_q5_difference``, ...).
    polarity
        Its indicator's polarity (``higher_is_better`` or ``lower_is_better``); anything else
        (unknown indicator) gives ``neutral``.

    Returns
    -------
    numpy.ndarray
        ``increase``, ``decrease`` or ``neutral`` per series (object dtype).

    Examples
    --------
    >>> gap_improvement(["ethnicity_difference", "sii", "q1_q5_ratio", "rii"],
    ...                 ["higher_is_better", "higher_is_better", "lower_is_better", None]).tolist()
    ['increase', 'decrease', 'decrease', 'neutral']
    """
    pol = pd.Series(np.asarray(polarity, dtype=object)).to_numpy()
    higher = pol == "higher_is_better"
    known = higher | (pol == "lower_is_better")
    second = np.isin(np.asarray(measure, dtype=object), list(AT_RISK_SECOND))
    up = higher != second  # the group at risk's value rises relative to its reference
    return np.where(known, np.where(up, "increase", "decrease"), "neutral").astype(object)


def spc_gaps(
    gaps: pd.DataFrame, indicators: pd.DataFrame, **options: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """XmR charts of every gap series (indicator x measure x group) in one call.

    Parameters
    ----------
    gaps
        Gap series (``indicator``, ``period``, ``measure``, ``group``, ``value``, ``neutral``).
    indicators
        The INDICATORS frame (``id``, ``polarity``): the improvement direction of each gap
        (:func:`gap_improvement`).
    **options
        Passed to :func:`focuson.spc.xmr.xmr`.

    Returns
    -------
    points, series
        Per point and per series results; the improvement direction is the group at risk
        catching up with its reference (see the module notes).

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "polarity": ["higher_is_better"]})
    >>> g = pd.DataFrame({"indicator": "a", "measure": "sii", "group": "All", "neutral": 0.0,
    ...     "period": [f"2024-{m:02d}" for m in range(1, 13)],
    ...     "value": [5.0, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 20]})
    >>> points, series = spc_gaps(g, ind)
    >>> series[["improvement", "variation_icon"]].values.tolist()
    [['decrease', 'concern_high']]
    """
    polarity = indicators.drop_duplicates("id").set_index("id")["polarity"]

    def directions(keys: pd.DataFrame, _values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pol = keys["indicator"].map(polarity).to_numpy(dtype=object)
        improvement = gap_improvement(keys["measure"].to_numpy(dtype=object), pol)
        return improvement, np.full(len(keys), np.nan)

    return _run(gaps, GAP_KEYS, directions, options)
