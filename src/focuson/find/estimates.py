"""Values and confidence intervals for every row of an AGGREGATES frame.

The engine hands over counts (the AGGREGATES frame of ``find_common.md``: one row per indicator x
period x dimension x group, and x ESP 2013 band for directly standardised indicators). This module
turns them into estimates with one call of the statistics core per statistic, whatever the number
of rows:

=============  ==============================================================================
statistic      estimate
=============  ==============================================================================
proportion     :func:`focuson.stats.proportion` (Wilson score limits)
rate           :func:`focuson.stats.rate` (exact Poisson below 10 events, Byars from 10)
dsr            :func:`focuson.stats.dsr` over the band rows with ESP 2013 weights (Dobson)
mean           :func:`focuson.stats.mean` with the sample SD from the sum of squares (t limits)
=============  ==============================================================================

Each estimate also carries a standard error on the value's scale (``se``), used by the
comparisons and the summary measures: ``sqrt(p(1 - p)/n)`` for proportions, ``sqrt(x)/n`` for
rates, the Dobson variance ``sum(x w^2 / n^2) / (sum w)^2`` for DSRs and ``sd/sqrt(n)`` for means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from focuson.stats import ESP2013, dsr, mean, proportion, rate

#: The columns that identify one row of the findings.
KEYS: list[str] = ["indicator", "period", "dimension", "group"]
#: Columns every AGGREGATES frame must have (``sum_sq`` only for means).
AGGREGATE_COLUMNS: list[str] = [*KEYS, "band", "numerator", "denominator"]
STATISTICS: tuple[str, ...] = ("proportion", "rate", "dsr", "mean")

_OUT = [
    *KEYS,
    "statistic",
    "multiplier",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "se",
    "sd",
    "method",
    "reason",
]


def check_aggregates(aggregates: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Refuse an AGGREGATES frame that lacks a column or names an unknown indicator.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame.
    indicators
        The INDICATORS frame.

    Raises
    ------
    ValueError
        A missing column, an indicator not in ``indicators``, an unknown statistic, or band rows
        outside 0..18 for a directly standardised indicator.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["x"], "statistic": ["proportion"], "multiplier": [100.0]})
    >>> check_aggregates(pd.DataFrame({"indicator": ["x"]}), ind)
    Traceback (most recent call last):
    ...
    ValueError: aggregates: missing columns period, dimension, group, band, numerator, denominator
    """
    missing = [c for c in AGGREGATE_COLUMNS if c not in aggregates.columns]
    if missing:
        raise ValueError(f"aggregates: missing columns {', '.join(missing)}")
    for column in ("id", "statistic", "multiplier"):
        if column not in indicators.columns:
            raise ValueError(f"indicators: missing column {column}")
    unknown = sorted(set(aggregates["indicator"].unique()) - set(indicators["id"]))
    if unknown:
        raise ValueError(f"aggregates: indicators not in the catalogue: {', '.join(unknown)}")
    bad_stat = sorted(set(indicators["statistic"]) - set(STATISTICS))
    if bad_stat:
        raise ValueError(
            f"indicators: unknown statistic {', '.join(bad_stat)}; expected one of "
            f"{', '.join(STATISTICS)}"
        )


def _indicator_column(
    aggregates: pd.DataFrame, indicators: pd.DataFrame, column: str
) -> np.ndarray:
    lookup = indicators.set_index("id")[column]
    return np.asarray(aggregates["indicator"].map(lookup))


def estimate(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Value, confidence limits and standard error for each indicator x period x dimension x group.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame. Rows of a directly standardised indicator are one per ESP 2013 band
        (``band`` 0..18, 0 = ages 0-4) and are summed into one estimate per group; other rows have
        ``band = -1``. Means need a ``sum_sq`` column.
    indicators
        The INDICATORS frame (``id``, ``statistic``, ``multiplier``).
    confidence
        Confidence level of ``lower`` and ``upper``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator x period x dimension x group (in order of first appearance) with
        ``statistic``, ``multiplier``, ``numerator`` and ``denominator`` (summed over bands),
        ``value``, ``lower``, ``upper`` (on the indicator's scale: x multiplier for proportions,
        rates and DSRs; means as they are), ``se`` (standard error on that scale), ``sd`` (the
        sample SD, means only), ``method`` and ``reason`` (why a value is NA).

    Raises
    ------
    ValueError
        As :func:`check_aggregates`, or from the statistics core (e.g. a numerator above its
        denominator for a proportion).

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["rtt"], "statistic": ["proportion"], "multiplier": [100.0]})
    >>> agg = pd.DataFrame({"indicator": "rtt", "period": "2024-03", "dimension": "sex",
    ...     "group": ["F", "M"], "band": -1, "numerator": [50.0, 30.0],
    ...     "denominator": [100.0, 60.0]})
    >>> out = estimate(agg, ind)
    >>> out["value"].tolist(), out["se"].round(3).tolist()
    ([50.0, 50.0], [5.0, 6.455])
    """
    check_aggregates(aggregates, indicators)
    stat = _indicator_column(aggregates, indicators, "statistic")
    mult = _indicator_column(aggregates, indicators, "multiplier").astype(np.float64)
    is_dsr = stat == "dsr"
    parts: list[pd.DataFrame] = []
    if (~is_dsr).any():
        parts.append(_simple(aggregates.loc[~is_dsr], stat[~is_dsr], mult[~is_dsr], confidence))
    if is_dsr.any():
        parts.append(_standardised(aggregates.loc[is_dsr], mult[is_dsr], confidence))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _OUT})
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return out[_OUT]


def _simple(
    rows: pd.DataFrame, stat: np.ndarray, mult: np.ndarray, confidence: float
) -> pd.DataFrame:
    """Proportions, rates and means: one row per group already (band -1)."""
    if (rows["band"].to_numpy() != -1).any():
        names = sorted(rows.loc[rows["band"] != -1, "indicator"].unique())
        raise ValueError(
            f"aggregates: band rows (band >= 0) are only for directly standardised indicators; "
            f"found for {', '.join(names)}"
        )
    x = rows["numerator"].to_numpy(np.float64)
    n = rows["denominator"].to_numpy(np.float64)
    size = x.size
    value = np.full(size, np.nan)
    lower = np.full(size, np.nan)
    upper = np.full(size, np.nan)
    se = np.full(size, np.nan)
    sd = np.full(size, np.nan)
    method = np.full(size, "", dtype=object)
    reason = np.full(size, "", dtype=object)
    for name in ("proportion", "rate", "mean"):
        m = stat == name
        if not m.any():
            continue
        if name == "mean":
            if "sum_sq" not in rows:
                raise ValueError("aggregates: means need a sum_sq column (sum of squared values)")
            ss = rows["sum_sq"].to_numpy(np.float64)[m]
            with np.errstate(divide="ignore", invalid="ignore"):
                var = (ss - x[m] ** 2 / n[m]) / (n[m] - 1)
            s = np.where(n[m] > 1, np.sqrt(np.clip(var, 0.0, None)), np.nan)
            est = mean(x[m], n[m], s, confidence=confidence)
            scale = np.ones(int(m.sum()))
            with np.errstate(divide="ignore", invalid="ignore"):
                se[m] = s / np.sqrt(n[m])
            sd[m] = s
        elif name == "proportion":
            est = proportion(x[m], n[m], confidence=confidence)
            scale = mult[m]
            with np.errstate(divide="ignore", invalid="ignore"):
                p = x[m] / n[m]
                se[m] = np.sqrt(p * (1 - p) / n[m]) * scale
        else:
            est = rate(x[m], n[m], confidence=confidence, multiplier=1)
            scale = mult[m]
            with np.errstate(divide="ignore", invalid="ignore"):
                se[m] = np.sqrt(x[m]) / n[m] * scale
        value[m] = est.value * scale
        lower[m] = est.lower * scale
        upper[m] = est.upper * scale
        method[m] = est.method
        reason[m] = est.reason
    se[np.isnan(value)] = np.nan
    out = rows[KEYS].reset_index(drop=True)
    return out.assign(
        statistic=stat,
        multiplier=mult,
        numerator=x,
        denominator=n,
        value=value,
        lower=lower,
        upper=upper,
        se=se,
        sd=sd,
        method=method,
        reason=reason,
    )


def _standardised(rows: pd.DataFrame, mult: np.ndarray, confidence: float) -> pd.DataFrame:
    """Directly standardised rates: band rows summed per group with ESP 2013 weights."""
    band = rows["band"].to_numpy()
    weights = np.asarray(ESP2013.weights, dtype=np.float64)
    bad = (band < 0) | (band >= weights.size)
    if bad.any():
        names = sorted(rows.loc[bad, "indicator"].unique())
        raise ValueError(
            f"aggregates: directly standardised rows need band 0..{weights.size - 1} (ESP 2013); "
            f"not so for {', '.join(names)}"
        )
    codes = rows.groupby(KEYS, sort=False).ngroup().to_numpy()
    n_groups = int(codes.max()) + 1
    x = rows["numerator"].to_numpy(np.float64)
    n = rows["denominator"].to_numpy(np.float64)
    w = weights[band]
    est = dsr(x, n, w, codes, confidence=confidence, multiplier=1, n_groups=n_groups)
    # Dobson variance of the DSR (per 1), for the comparisons: sum(x w^2 / n^2) / (sum w)^2.
    safe_n = np.where(n > 0, n, 1.0)
    x0 = np.nan_to_num(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (
            np.bincount(codes, x0 * (w / safe_n) ** 2, n_groups)
            / np.bincount(codes, w, n_groups) ** 2
        )
    _, first = np.unique(codes, return_index=True)
    scale = mult[first]
    out = rows.iloc[first][KEYS].reset_index(drop=True)
    value = est.value * scale
    return out.assign(
        statistic="dsr",
        multiplier=scale,
        numerator=np.bincount(codes, x0, n_groups),
        denominator=np.bincount(codes, n, n_groups),
        value=value,
        lower=est.lower * scale,
        upper=est.upper * scale,
        se=np.where(np.isnan(value), np.nan, np.sqrt(var) * scale),
        sd=np.nan,
        method=est.method,
        reason=est.reason,
    )
