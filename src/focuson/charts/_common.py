"""Shared look of every focuson chart: colours with enough contrast, sizes, small helpers.

Colours are from the NHS identity palette and each has a contrast ratio of at least 4.5:1 against
the white background (WCAG 2.2 AA for text, more than the 3:1 needed for graphics). Colour is
never the only cue: directions also differ in shape and are named in the legend.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

#: Text and axes (NHS black, 15.6:1 on white).
TEXT = "#212B32"
#: Neutral marks and the "similar" direction (NHS dark grey, 7.6:1).
GREY = "#425563"
#: Main series (NHS blue, 5.9:1).
BLUE = "#005EB8"
#: Worse than the reference (NHS red, 5.0:1).
RED = "#D5281B"
#: Better than the reference (NHS green, 5.2:1).
GREEN = "#007F3B"
#: Secondary lines such as the 99.8% funnel limits (NHS purple, 8.9:1).
PURPLE = "#330072"

#: Directions in legend order, with their colour and point shape.
DIRECTIONS: tuple[str, ...] = ("worse", "similar", "better")
DIRECTION_COLOURS: tuple[str, ...] = (RED, GREY, GREEN)
DIRECTION_SHAPES: tuple[str, ...] = ("triangle-down", "circle", "triangle-up")

WIDTH = 440
FONT = "Arial, Helvetica, sans-serif"


def axis_title(label: str, unit: str) -> str:
    """An axis title with its unit, e.g. ``"Within 18 weeks (%)"``.

    >>> axis_title("Within 18 weeks", "%"), axis_title("Value", "")
    ('Within 18 weeks (%)', 'Value')
    """
    return f"{label} ({unit})" if unit else label


def visible(rows: pd.DataFrame) -> pd.Series:
    """Rows that may be drawn: not suppressed and with a finite value.

    >>> frame = pd.DataFrame({"value": [1.0, np.nan, 3.0], "suppressed": [False, False, True]})
    >>> visible(frame).tolist()
    [True, False, False]
    """
    keep = pd.Series(np.isfinite(rows["value"].to_numpy(dtype=float)), index=rows.index)
    if "suppressed" in rows:
        keep &= rows["suppressed"].eq(False)  # a missing flag counts as suppressed
    return keep


def config_chart(width: float = WIDTH) -> dict[str, Any]:
    """Vega-Lite ``config`` shared by the charts: fonts, text colour, no chart border."""
    return {
        # The page gives each chart one text alternative and a data table; per-mark ARIA labels
        # would repeat every value at full precision, so they are switched off.
        "aria": False,
        "mark": {"aria": False},
        "font": FONT,
        "view": {"stroke": None, "continuousWidth": width},
        "axis": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "domainColor": GREY,
            "tickColor": GREY,
            "gridColor": "#D8DDE0",
            "labelFontSize": 12,
            "titleFontSize": 12,
            "aria": False,
        },
        # No text under 12 px: the page shrinks a chart at most to 11/12 of its width on a
        # phone (focuson.reports._html.readable_chart), so every text stays 11 px or more.
        "legend": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "aria": False,
        },
        "text": {"fontSize": 12},
        "title": {"color": TEXT, "fontSize": 14, "anchor": "start"},
    }


def finite_or_none(value: object) -> float | None:
    """``float(value)`` if it is a finite number, else ``None``.

    >>> finite_or_none(2), finite_or_none(float("nan")), finite_or_none(None)
    (2.0, None, None)
    """
    if value is None:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def inline_data(frame: pd.DataFrame) -> dict[str, Any]:
    """The frame as inline Vega-Lite data values (missing values as null).

    Much faster than handing Altair the frame (which it sanitises for every layer) or an
    ``alt.Data`` (which it validates on construction); Altair still gathers identical values
    into one named dataset.

    >>> inline_data(pd.DataFrame({"x": [1.5, np.nan], "g": ["a", "b"]}))
    {'values': [{'x': 1.5, 'g': 'a'}, {'x': None, 'g': 'b'}]}
    """
    values: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", double_precision=15))
    return {"values": values}


def merge_config(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge two Vega-Lite configs; ``override`` wins key by key.

    >>> merge_config({"view": {"stroke": None, "a": 1}}, {"view": {"a": 2}, "b": 3})
    {'view': {'stroke': None, 'a': 2}, 'b': 3}
    """
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_config(out[key], value)
        else:
            out[key] = value
    return out
