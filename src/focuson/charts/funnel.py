"""Funnel plot of areas (boroughs) against their size, with 95% and 99.8% control limits."""

from __future__ import annotations

from typing import Protocol

import altair as alt
import pandas as pd

from focuson.charts._common import BLUE, GREY, PURPLE, TEXT, WIDTH, axis_title, inline_data

#: The plain-English places against the limits, in legend order (see focuson.find.funnel).
POSITION_ORDER: tuple[str, ...] = (
    "Below the 99.8% limit",
    "Below the 95% limit",
    "Within the 95% limits",
    "Above the 95% limit",
    "Above the 99.8% limit",
    "Not assessed",
)
_COLOURS = (PURPLE, BLUE, GREY, BLUE, PURPLE, GREY)
_SHAPES = ("triangle-down", "triangle-down", "circle", "triangle-up", "triangle-up", "square")


class FunnelLines(Protocol):
    """What the chart draws (``focuson.find.funnel.FunnelData`` provides it)."""

    @property
    def points(self) -> pd.DataFrame: ...
    @property
    def limits(self) -> pd.DataFrame: ...
    @property
    def baseline(self) -> float: ...
    @property
    def x_title(self) -> str: ...


def funnel_chart(
    data: FunnelLines,
    *,
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    width: float = WIDTH,
    height: float = 260,
) -> alt.LayerChart:
    """Funnel plot: each area's value against its size, with the 95% and 99.8% control limits.

    The limits are computed in :func:`focuson.find.funnel.funnel_data` (charts only draw).

    Parameters
    ----------
    data
        Points, limit lines, centre line and x-axis title (a ``FunnelData``).
    title, value_label, unit
        Chart title, y-axis label and its unit.
    width, height
        Plot size in pixels.

    Returns
    -------
    altair.LayerChart
        Limit lines (95% dashed, 99.8% solid), the centre line and the areas as points.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> points = pd.DataFrame({"group": ["A"], "x": [1000.0], "value": [30.0],
    ...                        "position": ["Within the 95% limits"]})
    >>> limits = pd.DataFrame({"x": [500.0, 2000.0], "value": [25.0, 28.0],
    ...                        "limit": ["95% limits"] * 2, "line": ["lower_2s"] * 2})
    >>> data = SimpleNamespace(points=points, limits=limits, baseline=30.0, x_title="Pathways")
    >>> len(funnel_chart(data, unit="%").layer)
    3
    """
    y_title = axis_title(value_label, unit)
    x = alt.X("x:Q", title=data.x_title, scale=alt.Scale(zero=False))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    lines = (
        alt.Chart(inline_data(data.limits))
        .mark_line(strokeWidth=1.2)
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("line:N"),
            color=alt.Color(
                "limit:N",
                title="Control limits",
                scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[BLUE, PURPLE]),
            ),
            strokeDash=alt.StrokeDash(
                "limit:N",
                title="Control limits",
                scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[6, 4], [1, 0]]),
            ),
        )
    )
    centre = (
        alt.Chart(inline_data(pd.DataFrame({"value": [data.baseline], "label": ["Average"]})))
        .mark_rule(color=TEXT, strokeWidth=1)
        .encode(y=alt.Y("value:Q"), tooltip=[alt.Tooltip("value:Q", title="Average", format=".1f")])
    )
    present = set(data.points["position"])
    shown = [(p, c, s) for p, c, s in zip(POSITION_ORDER, _COLOURS, _SHAPES, strict=True)]
    shown = [item for item in shown if item[0] in present] or shown
    domain = [p for p, _, _ in shown]
    points = (
        alt.Chart(inline_data(data.points))
        .mark_point(filled=True, size=70, opacity=1)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "position:N",
                title="Area",
                scale=alt.Scale(domain=domain, range=[s for _, _, s in shown]),
            ),
            fill=alt.Fill(
                "position:N",
                title="Area",
                scale=alt.Scale(domain=domain, range=[c for _, c, _ in shown]),
            ),
            stroke=alt.StrokeValue(TEXT),
            tooltip=[
                alt.Tooltip("group:N", title="Area"),
                alt.Tooltip("value:Q", title=y_title, format=".1f"),
                alt.Tooltip("x:Q", title=data.x_title, format=",.0f"),
                alt.Tooltip("position:N", title="Against the limits"),
            ],
        )
    )
    layers = [lines, centre, points]
    # Areas outside the 95% limits are named on the chart (the table below names every area).
    position = data.points["position"].astype(str)
    outside = data.points.loc[position.str.contains("limit") & ~position.str.startswith("Within")]
    if not outside.empty:
        names = (
            alt.Chart(inline_data(outside[["group", "x", "value"]]))
            .mark_text(align="left", dx=7, dy=-7, color=TEXT, fontSize=12)
            .encode(x=x, y=y, text=alt.Text("group:N"))
        )
        layers.append(names)
    return alt.LayerChart(layer=layers, title=title, width=width, height=height)
