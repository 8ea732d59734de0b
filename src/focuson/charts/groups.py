"""Value by group (ethnicity, age, sex...): a horizontal dot and 95% CI per group."""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt
import pandas as pd

from focuson.charts._common import (
    DIRECTION_COLOURS,
    DIRECTION_SHAPES,
    DIRECTIONS,
    GREY,
    TEXT,
    WIDTH,
    axis_title,
    finite_or_none,
    inline_data,
    visible,
)

_UNKNOWN = re.compile(r"not (stated|known)|unknown|^u$|^z$|^99$", re.IGNORECASE)


def natural_order(groups: Sequence[str]) -> list[str]:
    """Groups in reading order: numbers by value (age bands), "not stated/known" last.

    Parameters
    ----------
    groups
        Group labels, e.g. ``["10-14", "5-9", "Not stated", "0-4"]``.

    Returns
    -------
    list of str
        The distinct labels, sorted.

    Examples
    --------
    >>> natural_order(["10-14", "Not stated", "5-9", "0-4", "90+"])
    ['0-4', '5-9', '10-14', '90+', 'Not stated']
    >>> natural_order(["White", "Asian", "Black"])
    ['Asian', 'Black', 'White']
    """

    def key(label: str) -> tuple[int, list[tuple[int, object]]]:
        parts = re.split(r"(\d+)", label.lower())
        tokens: list[tuple[int, object]] = [
            (0, int(part)) if part.isdigit() else (1, part) for part in parts if part
        ]
        return (1 if _UNKNOWN.search(label) else 0, tokens)

    return sorted(dict.fromkeys(str(g) for g in groups), key=key)


def groups_chart(
    rows: pd.DataFrame,
    *,
    reference_value: float | None = None,
    reference_label: str = "Overall",
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    order: Sequence[str] | None = None,
    width: float = WIDTH,
    row_height: float = 22,
) -> alt.LayerChart:
    """Horizontal dot and 95% confidence interval per group, with the reference as a rule.

    Parameters
    ----------
    rows
        One row per group with columns ``group``, ``value``, ``lower``, ``upper`` and
        optionally ``direction`` (``"worse"``, ``"similar"``, ``"better"``; shown by colour and
        shape) and ``suppressed``. Suppressed rows and rows without a value are not drawn.
    reference_value
        Where to draw the vertical reference rule (e.g. the overall value); none if missing.
    reference_label
        What the rule is, for its tooltip and label.
    title, value_label, unit
        Chart title, x-axis label and its unit.
    order
        Groups from top to bottom; by default :func:`natural_order`.
    width, row_height
        Plot width and the height given to each group, in pixels.

    Returns
    -------
    altair.LayerChart
        Interval rules, points and the reference rule.

    Examples
    --------
    >>> rows = pd.DataFrame({"group": ["F", "M"], "value": [60.0, 55.0], "lower": [58.0, 53.0],
    ...                      "upper": [62.0, 57.0], "direction": ["better", "worse"]})
    >>> chart = groups_chart(rows, reference_value=57.5, unit="%")
    >>> len(chart.layer)
    4
    """
    shown = rows.loc[visible(rows)].copy()
    shown["group"] = shown["group"].astype(str)
    if "direction" not in shown:
        shown["direction"] = "similar"
    shown["direction"] = shown["direction"].fillna("similar").astype(str)
    shown = shown[["group", "value", "lower", "upper", "direction"]]
    sort = list(order) if order is not None else natural_order(shown["group"].tolist())
    x_title = axis_title(value_label, unit)
    y = alt.Y("group:N", title=None, sort=sort, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(inline_data(shown))
    intervals = base.mark_rule(color=GREY, strokeWidth=1.5).encode(
        y=y,
        x=alt.X("lower:Q", title=x_title, scale=alt.Scale(zero=False)),
        x2=alt.X2(field="upper"),
    )
    points = base.mark_point(filled=True, size=70, opacity=1).encode(
        y=y,
        x=alt.X("value:Q", title=x_title),
        color=alt.Color(
            "direction:N",
            title="Compared with reference",
            scale=alt.Scale(domain=list(DIRECTIONS), range=list(DIRECTION_COLOURS)),
        ),
        shape=alt.Shape(
            "direction:N",
            title="Compared with reference",
            scale=alt.Scale(domain=list(DIRECTIONS), range=list(DIRECTION_SHAPES)),
        ),
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("value:Q", title=x_title, format=".1f"),
            alt.Tooltip("lower:Q", title="95% CI lower", format=".1f"),
            alt.Tooltip("upper:Q", title="95% CI upper", format=".1f"),
            alt.Tooltip("direction:N", title="Compared with reference"),
        ],
    )
    layers: list[alt.Chart] = [intervals, points]
    reference = finite_or_none(reference_value)
    if reference is not None:
        rule_base = alt.Chart(
            inline_data(pd.DataFrame({"value": [reference], "label": [reference_label]}))
        )
        layers.append(
            rule_base.mark_rule(color=TEXT, strokeDash=[4, 3]).encode(
                x=alt.X("value:Q"), tooltip=[alt.Tooltip("label:N", title="Reference")]
            )
        )
        layers.append(
            rule_base.mark_text(align="left", dx=4, dy=-4, baseline="bottom", color=TEXT).encode(
                x=alt.X("value:Q"), y=alt.YValue(0), text=alt.Text("label:N")
            )
        )
    height = max(row_height * max(len(sort), 1), 60)
    return alt.LayerChart(layer=layers, title=title, width=width, height=height)
