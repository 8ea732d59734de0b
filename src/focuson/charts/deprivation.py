"""Value by IMD decile (or quintile) with confidence intervals and the SII line."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import (
    BLUE,
    GREY,
    WIDTH,
    axis_title,
    finite_or_none,
    inline_data,
    visible,
)


def sii_line(intercept: float, sii: float, n_groups: int = 10) -> pd.DataFrame:
    """End points of the SII line on the decile axis.

    The slope index of inequality is the slope of a line fitted against relative rank, 0 at the
    most deprived end of the population and 1 at the least deprived. Quantile ``q`` (1 = most
    deprived) of ``n_groups`` equal shares has its midpoint at rank ``(q - 0.5) / n_groups``, so on
    an axis that places quantile ``q`` at ``x = q`` rank ``r`` lies at ``x = 0.5 + r n_groups``.

    Parameters
    ----------
    intercept
        The fitted value at rank 0 (the most deprived end).
    sii
        The slope index of inequality: fitted value at rank 1 minus that at rank 0.
    n_groups
        10 for deciles, 5 for quintiles.

    Returns
    -------
    pandas.DataFrame
        Two rows with columns ``rank``, ``x`` (position on the quantile axis) and ``value``.

    Examples
    --------
    >>> sii_line(50.0, 20.0).to_dict("list")
    {'rank': [0.0, 1.0], 'x': [0.5, 10.5], 'value': [50.0, 70.0]}
    """
    rank = np.array([0.0, 1.0])
    return pd.DataFrame({"rank": rank, "x": 0.5 + rank * n_groups, "value": intercept + sii * rank})


def deprivation_chart(
    rows: pd.DataFrame,
    *,
    sii: float | None = None,
    intercept: float | None = None,
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    n_groups: int = 10,
    width: float = WIDTH,
    height: float = 240,
) -> alt.LayerChart:
    """Value by IMD decile with 95% confidence intervals and the slope index of inequality line.

    Parameters
    ----------
    rows
        One row per decile with columns ``group`` (``"1"`` = most deprived ... ``"10"``),
        ``value``, ``lower``, ``upper`` and optionally ``suppressed``. Suppressed rows and rows
        without a value are not drawn (the report's table says why).
    sii, intercept
        The SII and its fitted value at rank 0 (most deprived). The line is drawn from
        (rank 0, intercept) to (rank 1, intercept + SII) when both are finite.
    title, value_label, unit
        Chart title, y-axis label and its unit (e.g. ``"%"``).
    n_groups
        Number of quantiles on the axis: 10 (deciles) or 5 (quintiles).
    width, height
        Plot size in pixels.

    Returns
    -------
    altair.LayerChart
        Error bars, points and (if given) the SII line.

    Examples
    --------
    >>> rows = pd.DataFrame({"group": ["1", "10"], "value": [50.0, 70.0],
    ...                      "lower": [48.0, 68.0], "upper": [52.0, 72.0]})
    >>> chart = deprivation_chart(rows, sii=22.0, intercept=49.0, unit="%")
    >>> len(chart.layer)
    3
    """
    shown = rows.loc[visible(rows), ["group", "value", "lower", "upper"]].copy()
    shown["quantile"] = pd.to_numeric(shown["group"], errors="coerce")
    shown = shown.dropna(subset=["quantile"]).sort_values("quantile")
    name = "decile" if n_groups == 10 else "quintile" if n_groups == 5 else "quantile"
    x = alt.X(
        "quantile:Q",
        title=f"IMD {name} (1 = most deprived)",
        scale=alt.Scale(domain=[0.5, n_groups + 0.5], nice=False, zero=False),
        axis=alt.Axis(values=list(range(1, n_groups + 1)), format="d", grid=False),
    )
    y_title = axis_title(value_label, unit)
    tooltip = [
        alt.Tooltip("group:N", title=f"IMD {name}"),
        alt.Tooltip("value:Q", title=y_title, format=".1f"),
        alt.Tooltip("lower:Q", title="95% CI lower", format=".1f"),
        alt.Tooltip("upper:Q", title="95% CI upper", format=".1f"),
    ]
    base = alt.Chart(inline_data(shown))
    bars = base.mark_rule(color=GREY, strokeWidth=1.5).encode(
        x=x,
        y=alt.Y("lower:Q", title=y_title, scale=alt.Scale(zero=False)),
        y2=alt.Y2(field="upper"),
    )
    points = base.mark_point(filled=True, size=60, color=BLUE, opacity=1).encode(
        x=x, y=alt.Y("value:Q", title=y_title), tooltip=tooltip
    )
    layers: list[alt.Chart] = [bars, points]
    slope, start = finite_or_none(sii), finite_or_none(intercept)
    if slope is not None and start is not None:
        line = sii_line(start, slope, n_groups)
        layers.append(
            alt.Chart(inline_data(line))
            .mark_line(color=BLUE, strokeDash=[6, 4], strokeWidth=1.5)
            .encode(x=alt.X("x:Q"), y=alt.Y("value:Q"))
        )
    return alt.LayerChart(layer=layers, title=title, width=width, height=height)
