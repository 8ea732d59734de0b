"""Statistical process control on every level series and every gap series, one call each.

Each series becomes one row of a matrix (columns = every month of its indicator's history, NaN
where a month is missing or its value blanked by disclosure control) and
:func:`focuson.spc.xmr.xmr` charts them all at once with the Making Data Count rules. Indicators
whose histories cover different months (events up to the last complete follow-up, waiting-list
censuses to the last month) are charted in one call per distinct span of months, so that each
series' latest point is its indicator's latest month.

Improvement direction
    Levels: ``increase`` for a ``higher_is_better`` indicator, ``decrease`` for
    ``lower_is_better``. Gaps: toward no inequality. The rule used: a gap series whose mean over
    the history lies above its neutral value (0 for differences and the SII, 1 for ratios and
    the RII) improves when it ``decrease``\\ s, one below it when it ``increase``\\ s, and one
    exactly at its neutral value (or with no values) is ``neutral``. So a gap that is usually
    "worse for the deprived" improves by moving toward zero, whatever the sign convention of the
    measure, and a gap that crosses zero is judged by the side it usually lies on.

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


def gap_improvement(values: np.ndarray, neutral: np.ndarray) -> np.ndarray:
    """Toward no inequality: ``decrease`` above the neutral value, ``increase`` below.

    >>> gap_improvement(np.array([[3.0, 2.0], [-1.0, np.nan], [0.0, 0.0]]), np.zeros(3)).tolist()
    ['decrease', 'increase', 'neutral']
    """
    present = ~np.isnan(values)
    count = present.sum(axis=1)
    total = np.where(present, values, 0.0).sum(axis=1)
    mean = np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)
    return np.select([mean > neutral, mean < neutral], ["decrease", "increase"], "neutral").astype(
        object
    )


def spc_gaps(gaps: pd.DataFrame, **options: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """XmR charts of every gap series (indicator x measure x group) in one call.

    Parameters
    ----------
    gaps
        Gap series (``indicator``, ``period``, ``measure``, ``group``, ``value``, ``neutral``).
    **options
        Passed to :func:`focuson.spc.xmr.xmr`.

    Returns
    -------
    points, series
        Per point and per series results; the improvement direction is toward ``neutral``.

    Examples
    --------
    >>> g = pd.DataFrame({"indicator": "a", "measure": "sii", "group": "All", "neutral": 0.0,
    ...     "period": [f"2024-{m:02d}" for m in range(1, 13)],
    ...     "value": [5.0, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 20]})
    >>> points, series = spc_gaps(g)
    >>> series[["improvement", "variation_icon"]].values.tolist()
    [['decrease', 'concern_high']]
    """
    neutral_of = gaps[[*GAP_KEYS, "neutral"]].drop_duplicates(GAP_KEYS)

    def directions(keys: pd.DataFrame, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        neutral = keys.merge(neutral_of, on=GAP_KEYS, how="left")["neutral"]
        improvement = gap_improvement(values, neutral.to_numpy(np.float64))
        return improvement, np.full(len(keys), np.nan)

    return _run(gaps, GAP_KEYS, directions, options)
