"""Bar chart of the top findings, ranked by people affected."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import RED, TEXT, WIDTH, inline_data


def ranking_chart(
    top: pd.DataFrame,
    *,
    title: str = "",
    x_label: str = "People affected (excess)",
    width: float = WIDTH,
    row_height: float = 26,
) -> alt.LayerChart:
    """Horizontal bars of people affected, biggest first, each labelled with its number.

    Parameters
    ----------
    top
        One row per finding, already ranked, with columns ``label`` (what the finding is, e.g.
        ``"RTT within 18 weeks: IMD quintile 1"``) and ``excess`` (people affected). Rows
        without a finite excess are not drawn.
    title, x_label
        Chart title and x-axis label.
    width, row_height
        Plot width and the height given to each bar, in pixels.

    Returns
    -------
    altair.LayerChart
        Bars and their value labels.

    Examples
    --------
    >>> top = pd.DataFrame({"label": ["A: 1", "B: 2"], "excess": [1240.0, 310.0]})
    >>> len(ranking_chart(top).layer)
    2
    """
    shown = top.loc[np.isfinite(top["excess"].to_numpy(dtype=float)), ["label", "excess"]].copy()
    shown["label"] = shown["label"].astype(str)
    shown = shown.drop_duplicates("label")
    order = shown["label"].tolist()
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    x = alt.X("excess:Q", title=x_label, axis=alt.Axis(format=",.0f"))
    base = alt.Chart(inline_data(shown))
    bars = base.mark_bar(color=RED).encode(
        y=y,
        x=x,
        tooltip=[
            alt.Tooltip("label:N", title="Finding"),
            alt.Tooltip("excess:Q", title=x_label, format=",.0f"),
        ],
    )
    labels = base.mark_text(align="left", dx=3, color=TEXT).encode(
        y=y, x=x, text=alt.Text("excess:Q", format=",.0f")
    )
    height = max(row_height * max(len(order), 1), 60)
    return alt.LayerChart(layer=[bars, labels], title=title, width=width, height=height)
