"""Bar chart of the top findings, ranked by people affected."""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import RED, TEXT, WIDTH, inline_data

#: Line break inside a wrapped label (split by the axis' label expression).
_BREAK = "|"


def wrap_labels(labels: list[str], width: int = 40) -> list[str]:
    """Labels wrapped at ``width`` characters (lines joined by ``|``), each one different.

    A label met again gets its rank after it, so that two bars never share a label.

    >>> wrap_labels(["Incomplete RTT pathways waiting 18 weeks or less: IMD quintile 2", "A", "A"])
    ['Incomplete RTT pathways waiting 18 weeks|or less: IMD quintile 2', 'A', 'A (3)']
    """
    seen: set[str] = set()
    out = []
    for rank, label in enumerate(labels, start=1):
        text = label.replace(_BREAK, "/")
        if text in seen:
            text = f"{text} ({rank})"
        seen.add(text)
        out.append(_BREAK.join(textwrap.wrap(text, width)) or text)
    return out


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
    shown["label"] = wrap_labels(shown["label"].astype(str).tolist())
    order = shown["label"].tolist()
    # Each label on its own lines, whole: a long label wraps, it is never cut short.
    axis = alt.Axis(labelLimit=0, labelExpr=f"split(datum.label, '{_BREAK}')")
    y = alt.Y("label:N", title=None, sort=order, axis=axis)
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
    lines = sum(label.count(_BREAK) + 1 for label in order)
    height = max(row_height * max(len(order), 1), 14 * lines + 6 * len(order), 60)
    return alt.LayerChart(layer=[bars, labels], title=title, width=width, height=height)
