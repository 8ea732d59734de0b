"""The Study card's event-time chart: effects by months since each unit's start, leads included.

For a staggered roll-out (:mod:`focuson.study.staggered`) the effect is traced month by month
from each treated unit's own start: leads (before the start, which should sit on zero when the
trends were parallel) in grey, lags (the effect as it built up) in blue, each with its 95%
interval. Rendered offline like every focuson chart (:func:`focuson.charts.to_svg`).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import BLUE, GREY, TEXT, axis_title, inline_data

#: Plot width that keeps the chart, with its axis labels, inside a 390 px phone screen.
WIDTH = 290


def event_time_chart(
    rows: pd.DataFrame, *, unit: str = "", width: float = WIDTH, height: float = 170
) -> alt.LayerChart:
    """Point-and-interval chart of event-time effects.

    Parameters
    ----------
    rows
        One row per relative month: ``relative`` (int, months since the start; < 0 leads),
        ``estimate``, ``lower``, ``upper`` (oriented: positive = better).
    unit
        The effects' unit (e.g. ``"pp"``).
    width, height
        Plot size in pixels.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> rows = pd.DataFrame({"relative": [-2, -1, 0, 1], "estimate": [0.1, -0.2, 3.0, 4.0],
    ...                      "lower": [-1.0, -1.1, 2.0, 3.0], "upper": [1.2, 0.7, 4.0, 5.0]})
    >>> len(event_time_chart(rows, unit="pp").layer)
    4
    """
    data = rows.loc[np.isfinite(rows["estimate"].to_numpy(float))].copy()
    data["when"] = np.where(data["relative"] < 0, "Before the start", "After the start")
    colour = alt.Color(
        "when:N", title=None, scale=alt.Scale(
            domain=["Before the start", "After the start"], range=[GREY, BLUE]
        ), legend=alt.Legend(orient="bottom"),
    )  # fmt: skip
    x = alt.X("relative:Q", title="Months since the start", axis=alt.Axis(tickMinStep=1))
    y_title = axis_title("Effect", unit)
    base = alt.Chart(inline_data(data[["relative", "estimate", "lower", "upper", "when"]]))
    zero = (
        alt.Chart(inline_data(pd.DataFrame({"y": [0.0]})))
        .mark_rule(color=TEXT, strokeWidth=1)
        .encode(y=alt.Y("y:Q"))
    )
    start = (
        alt.Chart(inline_data(pd.DataFrame({"x": [-0.5]})))
        .mark_rule(color=TEXT, strokeDash=[4, 3])
        .encode(x=alt.X("x:Q"))
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        x=x, y=alt.Y("lower:Q", title=y_title), y2=alt.Y2(field="upper"), color=colour
    )
    dots = base.mark_point(filled=True, size=40, opacity=1).encode(
        x=x, y=alt.Y("estimate:Q", title=y_title), color=colour
    )
    return alt.LayerChart(layer=[zero, start, bars, dots], width=width, height=height)


__all__ = ["event_time_chart"]
