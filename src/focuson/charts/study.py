"""The Study card's charts: the counterfactual chart and the forest plot of effects by group.

Both take small frames of published aggregates and fitted lines (``STUDY/series.parquet``,
``STUDY/effects.parquet``) and return Altair charts, rendered offline like every focuson chart
(:func:`focuson.charts.to_svg`).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import BLUE, GREY, PURPLE, TEXT, axis_title, inline_data

#: The lines of the counterfactual chart, in legend order, with their colour and dash.
LINES: tuple[str, ...] = (
    "Observed (published)",
    "Fitted by the model",
    "Expected without the change",
)
LINE_COLOURS: tuple[str, ...] = (TEXT, BLUE, PURPLE)
#: Plot widths that keep each chart, with its axis labels, inside a 390 px phone screen.
CARD_WIDTH = 290
#: The smallest worthwhile change on the forest plot (NHS dark pink, 9.5:1 on white).
SWC_COLOUR = "#7C2855"
FOREST_WIDTH = 190


def _date(months: pd.Series) -> pd.Series:
    return months.astype(str) + "-01"


def counterfactual_chart(
    series: pd.DataFrame,
    *,
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    width: float = CARD_WIDTH,
    height: float = 200,
) -> alt.LayerChart:
    """Observed series, fitted line, and the expected line (counterfactual) with its band.

    Parameters
    ----------
    series
        One series, one row per month, with columns ``month`` (``YYYY-MM``), ``phase``
        (``pre``, ``transition``, ``post``), ``observed`` (missing when suppressed),
        ``fitted``, ``expected``, ``expected_lower`` and ``expected_upper`` (missing when the
        series was not fitted).
    title, value_label, unit
        Chart title, y-axis label and its unit.
    width, height
        Plot size in pixels.

    Returns
    -------
    altair.LayerChart
        The transition shaded, the band, the lines, the observed points and a rule where the
        change starts.

    Examples
    --------
    >>> rows = pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03"],
    ...     "phase": ["pre", "transition", "post"], "observed": [50.0, 51.0, 56.0],
    ...     "fitted": [50.0, 50.5, 55.5], "expected": [50.0, 50.5, 51.0],
    ...     "expected_lower": [49.0, 49.0, 49.0], "expected_upper": [51.0, 52.0, 53.0]})
    >>> len(counterfactual_chart(rows).layer)
    7
    """
    s = series.sort_values("month").reset_index(drop=True)
    s = s.assign(date=_date(s["month"]))
    phase = s["phase"].astype(str)
    y_title = axis_title(value_label, unit)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=6))
    scale = alt.Scale(domain=list(LINES), range=list(LINE_COLOURS))
    colour = alt.Color(
        "what:N", title=None, scale=scale, legend=alt.Legend(orient="bottom", columns=2)
    )
    values = s[["observed", "fitted", "expected_lower", "expected_upper"]].to_numpy(float)
    finite = values[np.isfinite(values)]
    domain = [float(finite.min()), float(finite.max())] if finite.size else [0.0, 1.0]
    pad = max((domain[1] - domain[0]) * 0.08, 0.5)
    y_scale = alt.Scale(domain=[domain[0] - pad, domain[1] + pad], nice=True, zero=False)
    layers: list[alt.Chart] = []

    transition = s.loc[phase == "transition"]
    if not transition.empty:
        end = pd.Period(str(transition["month"].iloc[-1]), freq="M") + 1
        span = pd.DataFrame(
            {"start": [_date(transition["month"]).iloc[0]], "end": [f"{end}-01"],
             "label": ["Transition (left out)"]}
        )  # fmt: skip
        layers.append(
            alt.Chart(inline_data(span))
            .mark_rect(color="#D8DDE0", opacity=0.6)
            .encode(x=alt.X("start:T"), x2=alt.X2("end:T"))
        )
    # The expected line and its band start at the last pre-period month, so they join the
    # fitted line where the change begins.
    pre = s.index[phase == "pre"]
    after = s.loc[(s.index >= (pre.max() if len(pre) else 0)) & s["expected"].notna()]
    band = after[["date", "expected_lower", "expected_upper"]]
    layers.append(
        alt.Chart(inline_data(band))
        .mark_area(color=PURPLE, opacity=0.15)
        .encode(
            x=x,
            y=alt.Y("expected_lower:Q", title=y_title, scale=y_scale),
            y2=alt.Y2(field="expected_upper"),
        )
    )
    expected = after[["date", "expected"]].rename(columns={"expected": "value"})
    layers.append(
        alt.Chart(inline_data(expected.assign(what=LINES[2])))
        .mark_line(strokeDash=[6, 4], strokeWidth=2)
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=y_scale), color=colour)
    )
    fitted = s.loc[s["fitted"].notna() & (phase != "transition"), ["date", "fitted", "phase"]]
    layers.append(
        alt.Chart(inline_data(fitted.rename(columns={"fitted": "value"}).assign(what=LINES[1])))
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=y_scale),
            color=colour,
            detail="phase:N",  # no line drawn across the interruption
        )
    )
    seen = s.loc[s["observed"].notna(), ["date", "observed", "phase"]]
    seen = seen.assign(
        what=LINES[0], used=np.where(seen["phase"] == "transition", "Left out", "Used")
    ).rename(columns={"observed": "value"})
    layers.append(
        alt.Chart(inline_data(seen))
        .mark_point(size=36, strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=y_scale),
            color=colour,
            fill=alt.Fill(
                "used:N", scale=alt.Scale(domain=["Used", "Left out"], range=[TEXT, "#FFFFFF"]),
                legend=None,
            ),
        )
    )  # fmt: skip
    first_post = s.loc[phase == "post", "date"]
    if not first_post.empty:
        start = pd.DataFrame({"date": [first_post.iloc[0]], "label": ["Change starts"]})
        rule = alt.Chart(inline_data(start))
        layers.append(rule.mark_rule(color=TEXT, strokeDash=[2, 2]).encode(x=alt.X("date:T")))
        layers.append(
            rule.mark_text(align="left", dx=3, dy=2, baseline="top", color=TEXT).encode(
                x=alt.X("date:T"), y=alt.YValue(0), text="label:N"
            )
        )
    return alt.LayerChart(layer=layers, title=title, width=width, height=height)


def forest_chart(
    rows: pd.DataFrame,
    *,
    unit: str = "",
    order: Sequence[str] | None = None,
    width: float = FOREST_WIDTH,
    row_height: float = 26,
) -> alt.VConcatChart:
    """Forest plot of effects by group: absolute above, relative below, the smallest worthwhile
    change marked on each absolute row.

    Parameters
    ----------
    rows
        One row per effect and panel, with columns ``label`` (the row's name), ``panel``
        (``"absolute"`` or ``"relative"``), ``estimate``, ``lower``, ``upper`` and ``swc`` (the
        smallest worthwhile change on the row's scale, missing where none applies). Rows
        without an estimate are not drawn.
    unit
        The absolute panel's unit (e.g. ``"pp"``); the relative panel is in %.
    order
        Labels from top to bottom; by default, first appearance.
    width, row_height
        Plot width and the height given to each row, in pixels.

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> rows = pd.DataFrame({"label": ["Everyone", "Everyone"],
    ...     "panel": ["absolute", "relative"], "estimate": [3.0, 6.0], "lower": [1.0, 2.0],
    ...     "upper": [5.0, 10.0], "swc": [2.0, np.nan]})
    >>> len(forest_chart(rows, unit="pp").vconcat)
    2
    """
    shown = rows.loc[np.isfinite(rows["estimate"].to_numpy(float))].copy()
    labels = list(order) if order is not None else list(dict.fromkeys(rows["label"]))
    panels = []
    for panel, x_title in (
        ("absolute", axis_title("Change", unit)),
        ("relative", "Change relative to what was expected (%)"),
    ):
        part = shown.loc[shown["panel"] == panel, ["label", "estimate", "lower", "upper", "swc"]]
        if part.empty:
            continue
        y = alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=170))
        ends = part[["lower", "upper", "swc"]].to_numpy(float)
        ends = np.append(ends[np.isfinite(ends)], 0.0)
        pad = max((ends.max() - ends.min()) * 0.05, 0.1)
        xs = alt.Scale(domain=[float(ends.min() - pad), float(ends.max() + pad)], nice=True)
        base = alt.Chart(inline_data(part))
        layers = [
            alt.Chart(inline_data(pd.DataFrame({"x": [0.0]})))
            .mark_rule(color=TEXT, strokeWidth=1)
            .encode(x=alt.X("x:Q", scale=xs)),
            base.mark_rule(color=GREY, strokeWidth=2).encode(
                y=y, x=alt.X("lower:Q", title=x_title, scale=xs), x2=alt.X2(field="upper")
            ),
            base.mark_point(filled=True, size=70, color=BLUE, opacity=1).encode(
                y=y, x=alt.X("estimate:Q", title=x_title, scale=xs)
            ),
        ]
        swc = part.loc[np.isfinite(part["swc"].to_numpy(float))]
        if not swc.empty:
            layers.append(
                alt.Chart(inline_data(swc[["label", "swc"]]))
                .mark_tick(color=SWC_COLOUR, thickness=3, size=row_height * 0.8)
                .encode(y=y, x=alt.X("swc:Q", scale=xs))
            )
        height = max(row_height * part["label"].nunique(), 40)
        panels.append(alt.LayerChart(layer=layers, width=width, height=height))
    return alt.VConcatChart(vconcat=panels, spacing=12)
