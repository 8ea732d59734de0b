"""Statistical process control charts in the NHS "Making Data Count" style.

:func:`spc_chart` draws one series: the values joined by a line, the mean (solid), the process
limits (dashed), a target line when there is one, and every point coloured by its type
(improvement blue, concern orange, common cause grey, neither purple), each type also with its own
shape so that colour is never the only cue. Each rebase group (``segment``) has its own mean and
limits, drawn as separate line segments. :func:`spc_small_multiples` draws one gap series per
group on a shared scale. :func:`variation_badge` and :func:`assurance_badge` give the Making Data
Count icons as small labelled SVG badges (drawn shapes and text, no images), and
:func:`spc_description` and :func:`small_multiples_description` the text alternatives.

The charts draw what :func:`focuson.monitor.spc.spc_levels` and
:func:`~focuson.monitor.spc.spc_gaps` computed (published, disclosure-controlled values); they
compute nothing.

The Making Data Count colours (#00b0f0, #e46c0a, #a6a6a6) have a contrast below 3:1 on white;
the same hues are used in shades that reach it: improvement NHS bright blue #0072CE (4.9:1),
concern #C35A00 (4.4:1), common cause NHS mid grey #768692 (3.8:1), neither #490092 (12.4:1).

References
----------
NHS England. Making Data Count: strengthening your decisions. 2019 (revised 2021).
NHS-R community. NHSRplotthedots 0.2.2: ``ptd_create_ggplot`` and the icon set.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts._common import FONT, GREY, RED, TEXT, WIDTH, axis_title, inline_data

#: Point types in legend order (as :mod:`focuson.spc` names them).
POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
#: Legend words of each point type.
POINT_WORDS: dict[str, str] = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral_high": "Neither (high)",
    "special_cause_neutral_low": "Neither (low)",
}
IMPROVEMENT = "#0072CE"
CONCERN = "#C35A00"
COMMON = "#768692"
NEITHER = "#490092"
#: Colour and shape of each point type.
POINT_COLOURS: dict[str, str] = {
    "common_cause": COMMON,
    "special_cause_improvement": IMPROVEMENT,
    "special_cause_concern": CONCERN,
    "special_cause_neutral_high": NEITHER,
    "special_cause_neutral_low": NEITHER,
}
POINT_SHAPES: dict[str, str] = {
    "common_cause": "circle",
    "special_cause_improvement": "square",
    "special_cause_concern": "diamond",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}
#: Variation icons: letter, colour and words.
VARIATION_BADGES: dict[str, tuple[str, str, str]] = {
    "common_cause": ("~", COMMON, "Common cause variation: no significant change"),
    "improvement_high": ("H", IMPROVEMENT, "Special cause improving variation, higher values"),
    "improvement_low": ("L", IMPROVEMENT, "Special cause improving variation, lower values"),
    "concern_high": ("H", CONCERN, "Special cause concerning variation, higher values"),
    "concern_low": ("L", CONCERN, "Special cause concerning variation, lower values"),
    "neutral_high": ("H", NEITHER, "Special cause variation, higher values, neither better "
                     "nor worse"),
    "neutral_low": ("L", NEITHER, "Special cause variation, lower values, neither better "
                    "nor worse"),
}  # fmt: skip
#: Assurance icons: letter, colour and words (``""``: no target to assure against).
ASSURANCE_BADGES: dict[str, tuple[str, str, str]] = {
    "consistent_pass": ("P", IMPROVEMENT, "Assurance: the target is consistently met"),
    "consistent_fail": ("F", CONCERN, "Assurance: the target is consistently missed"),
    "inconsistent": ("?", COMMON, "Assurance: the target will be met and missed at random"),
    "": ("–", COMMON, "No assurance: no target for this series"),
}
_POINT_SENTENCE: dict[str, str] = {
    "common_cause": "common cause variation",
    "special_cause_improvement": "special cause improving variation",
    "special_cause_concern": "special cause concerning variation",
    "special_cause_neutral_high": "special cause variation (high), neither better nor worse",
    "special_cause_neutral_low": "special cause variation (low), neither better nor worse",
}


def _fmt(value: object, unit: str = "", digits: int = 1) -> str:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "not available"
    if not np.isfinite(v):
        return "not available"
    suffix = unit if unit in ("%", "") else f" {unit}"
    return f"{v:,.{digits}f}{suffix}"


def _month_label(period: str) -> str:
    stamp = pd.to_datetime(period, format="%Y-%m", errors="coerce")
    return period if pd.isna(stamp) else stamp.strftime("%b %Y")


def _frame(points: pd.DataFrame, extra: Sequence[str] = ()) -> tuple[pd.DataFrame, bool]:
    """The columns drawn, with ``date`` for months (else an ordinal axis on ``period``)."""
    cols = ["period", "value", "mean", "lower", "upper", "point_type", *extra]
    frame = points.reindex(columns=cols).copy()
    frame["period"] = frame["period"].astype(str)
    frame["segment"] = (
        points["segment"].to_numpy() if "segment" in points else np.zeros(len(points), int)
    )
    frame["point_type"] = frame["point_type"].fillna("common_cause").astype(str)
    frame["type_label"] = frame["point_type"].map(POINT_WORDS).fillna("Common cause")
    dates = pd.to_datetime(frame["period"], format="%Y-%m", errors="coerce")
    monthly = bool(len(frame)) and not dates.isna().any()
    if monthly:
        frame["date"] = dates.dt.strftime("%Y-%m-01")
    for c in ("value", "mean", "lower", "upper"):
        frame[c] = frame[c].astype(np.float64)
    return frame, monthly


def _x(monthly: bool, title: str | None = None) -> alt.X:
    if monthly:
        return alt.X(
            "date:T", title=title, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6)
        )
    return alt.X("period:O", title=title, axis=alt.Axis(labelAngle=-45))


def _layers(monthly: bool, y_title: str, *, legend: bool, size: float) -> list[alt.Chart]:
    """Data-less layers (limits, mean, line, points) sharing one data source."""
    x = _x(monthly)
    y_scale = alt.Scale(zero=False)
    detail = alt.Detail("segment:N")
    lines = [
        alt.Chart()
        .mark_line(color=GREY, strokeDash=[5, 4], strokeWidth=1.2)
        .encode(x=x, y=alt.Y(f"{bound}:Q", title=y_title, scale=y_scale), detail=detail)
        for bound in ("lower", "upper")
    ]
    mean = (
        alt.Chart()
        .mark_line(color=TEXT, strokeWidth=1.2)
        .encode(x=x, y=alt.Y("mean:Q", title=y_title, scale=y_scale), detail=detail)
    )
    path = (
        alt.Chart()
        .mark_line(color=COMMON, strokeWidth=1.5)
        .encode(x=x, y=alt.Y("value:Q", title=y_title, scale=y_scale))
    )
    domain = [POINT_WORDS[t] for t in POINT_TYPES]
    colour = alt.Color(
        "type_label:N",
        title="Point",
        scale=alt.Scale(domain=domain, range=[POINT_COLOURS[t] for t in POINT_TYPES]),
        legend=alt.Legend(orient="bottom") if legend else None,
    )
    shape = alt.Shape(
        "type_label:N",
        title="Point",
        scale=alt.Scale(domain=domain, range=[POINT_SHAPES[t] for t in POINT_TYPES]),
        legend=alt.Legend(orient="bottom") if legend else None,
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=size, opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=y_scale),
            color=colour,
            shape=shape,
            tooltip=[
                alt.Tooltip("period:N", title="Month"),
                alt.Tooltip("value:Q", title=y_title, format=",.2f"),
                alt.Tooltip("mean:Q", title="Mean", format=",.2f"),
                alt.Tooltip("type_label:N", title="Point"),
            ],
        )
    )
    return [*lines, mean, path, dots]


def _level_rule(value: float, label: str, colour: str, dash: list[int]) -> list[alt.Chart]:
    data = inline_data(pd.DataFrame({"y": [value], "label": [label]}))
    rule = alt.Chart(data).mark_rule(color=colour, strokeDash=dash, strokeWidth=1.5)
    text = alt.Chart(data).mark_text(
        align="right", baseline="bottom", dy=-2, color=colour, fontSize=12
    )
    return [
        rule.encode(y=alt.Y("y:Q"), tooltip=[alt.Tooltip("label:N", title="Line")]),
        text.encode(y=alt.Y("y:Q"), x=alt.XValue("width"), text=alt.Text("label:N")),
    ]


def spc_chart(
    points: pd.DataFrame,
    *,
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    target: float | None = None,
    target_label: str = "Target",
    reference: float | None = None,
    reference_label: str = "No gap",
    width: float = WIDTH,
    height: float = 220,
) -> alt.LayerChart:
    """A Making Data Count XmR chart of one series.

    Parameters
    ----------
    points
        One row per month of one series, as :func:`focuson.monitor.spc.spc_levels` gives them:
        ``period`` (``"2024-03"``), ``value``, ``mean``, ``lower``, ``upper``, ``point_type``
        and optionally ``segment`` (the rebase group; each has its own mean and limits).
    title, value_label, unit
        Chart title, y-axis label and its unit.
    target
        Draw a dashed red target line at this value (none when ``None`` or NaN).
    target_label
        Label of the target line.
    reference
        Draw a dotted line at this value, e.g. 0 for a gap (no inequality).
    reference_label
        Label of the reference line.
    width, height
        Plot size in pixels.

    Returns
    -------
    altair.LayerChart
        Limits, mean, the joined values, the typed points and the optional lines.

    Examples
    --------
    >>> pts = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-03"],
    ...     "value": [5.0, 6.0, 9.0], "mean": 6.0, "lower": 3.0, "upper": 8.0,
    ...     "point_type": ["common_cause", "common_cause", "special_cause_improvement"]})
    >>> chart = spc_chart(pts, title="Uptake", unit="%", target=7.0)
    >>> len(chart.layer)
    7
    """
    frame, monthly = _frame(points)
    y_title = axis_title(value_label, unit)
    layers = _layers(monthly, y_title, legend=True, size=45)
    data = inline_data(frame)
    extra: list[alt.Chart] = []
    if reference is not None and np.isfinite(reference):
        extra += _level_rule(float(reference), reference_label, TEXT, [1, 3])
    if target is not None and np.isfinite(target):
        extra += _level_rule(float(target), target_label, RED, [8, 4])
    return alt.LayerChart(
        layer=[*layers, *extra], data=data, title=alt.Title(title), width=width, height=height
    )


def spc_small_multiples(
    points: pd.DataFrame,
    *,
    title: str = "",
    value_label: str = "Value",
    unit: str = "",
    reference: float | None = None,
    order: Sequence[str] | None = None,
    columns: int = 3,
    width: float = 170,
    height: float = 110,
) -> alt.FacetChart:
    """One XmR chart per group, sharing one scale, e.g. each ethnic group's gap over time.

    Parameters
    ----------
    points
        Rows of :func:`spc_chart` for several series, with a ``group`` column.
    title, value_label, unit
        Title of the whole figure, y-axis label and its unit.
    reference
        A dotted line at this value in every panel (e.g. 0: no gap).
    order
        Panels in this order (default: as the groups first appear).
    columns
        Panels per row.
    width, height
        Size of each panel in pixels.

    Returns
    -------
    altair.FacetChart

    Examples
    --------
    >>> pts = pd.DataFrame({"group": ["A", "A", "B", "B"],
    ...     "period": ["2024-01", "2024-02"] * 2, "value": [1.0, 2.0, -1.0, -2.0],
    ...     "mean": [1.5, 1.5, -1.5, -1.5], "lower": 0.0, "upper": 3.0,
    ...     "point_type": "common_cause"})
    >>> spc_small_multiples(pts, reference=0.0).to_dict()["facet"]["field"]
    'group'
    """
    frame, monthly = _frame(points, extra=("group",))
    frame["group"] = frame["group"].astype(str)
    y_title = axis_title(value_label, unit)
    layers = _layers(monthly, y_title, legend=True, size=22)
    if reference is not None and np.isfinite(reference):
        frame["_reference"] = float(reference)
        layers.insert(
            0,
            alt.Chart()
            .mark_rule(color=TEXT, strokeDash=[1, 3])
            .encode(y=alt.Y("min(_reference):Q", title=y_title)),
        )
    sort = list(order) if order is not None else list(dict.fromkeys(frame["group"]))
    return alt.LayerChart(layer=layers, data=inline_data(frame), width=width, height=height).facet(
        facet=alt.Facet("group:N", sort=sort, title=None, header=alt.Header(labelFontSize=12)),
        columns=columns,
        title=alt.Title(title),
    )


def _badge(letter: str, colour: str, words: str, label: str) -> str:
    text = html.escape(words, quote=True)
    full = html.escape(f"{label}: {words}" if label else words, quote=True)
    width = 40 + int(6.6 * len(words))
    return (
        f'<svg class="spc-badge" width="{width}" height="32" viewBox="0 0 {width} 32" '
        f'role="img" aria-label="{full}"><title>{full}</title>'
        f'<circle cx="16" cy="16" r="13" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'
        f'<text x="16" y="21" text-anchor="middle" font-family="{FONT}" font-size="15" '
        f'font-weight="bold" fill="{colour}">{html.escape(letter)}</text>'
        f'<text x="36" y="21" font-family="{FONT}" font-size="12" fill="{TEXT}">{text}</text>'
        "</svg>"
    )


def variation_badge(icon: str) -> str:
    """The Making Data Count variation icon as a small inline SVG badge with its words.

    Parameters
    ----------
    icon
        A variation icon of :mod:`focuson.spc` (``"common_cause"``, ``"improvement_high"``,
        ``"concern_low"`` ...).

    Returns
    -------
    str
        An ``<svg>`` element (no ``xmlns``: it is meant to sit inside an HTML page).

    Examples
    --------
    >>> variation_badge("concern_high")[:40]
    '<svg class="spc-badge" width="363" heigh'
    >>> "Special cause concerning variation" in variation_badge("concern_high")
    True
    """
    letter, colour, words = VARIATION_BADGES.get(
        str(icon), ("?", COMMON, f"Variation not judged ({icon})")
    )
    return _badge(letter, colour, words, "Variation")


def assurance_badge(icon: str) -> str:
    """The Making Data Count assurance icon as a small inline SVG badge with its words.

    Parameters
    ----------
    icon
        ``"consistent_pass"``, ``"consistent_fail"``, ``"inconsistent"`` or ``""`` (no target).

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> "consistently met" in assurance_badge("consistent_pass")
    True
    """
    icon = "" if not isinstance(icon, str) else icon
    letter, colour, words = ASSURANCE_BADGES.get(icon, ASSURANCE_BADGES[""])
    return _badge(letter, colour, words, "")


def variation_words(icon: str) -> str:
    """The variation icon in words.

    >>> variation_words("improvement_low")
    'Special cause improving variation, lower values'
    """
    return VARIATION_BADGES.get(str(icon), ("", "", f"not judged ({icon})"))[2]


def assurance_words(icon: object) -> str:
    """The assurance icon in words.

    >>> assurance_words("")
    'No assurance: no target for this series'
    """
    key = icon if isinstance(icon, str) else ""
    return ASSURANCE_BADGES.get(key, ASSURANCE_BADGES[""])[2]


def spc_description(
    points: pd.DataFrame,
    *,
    title: str,
    unit: str = "",
    variation_icon: str = "common_cause",
    assurance_icon: str = "",
    target: float | None = None,
) -> str:
    """A text alternative for :func:`spc_chart`: the span, the latest point, variation, assurance.

    Parameters
    ----------
    points
        The rows drawn (as :func:`spc_chart`).
    title
        What the series is.
    unit
        Unit of the values.
    variation_icon, assurance_icon
        The series' icons.
    target
        The target line, if any.

    Returns
    -------
    str

    Examples
    --------
    >>> pts = pd.DataFrame({"period": ["2024-01", "2024-02"], "value": [5.0, 9.0],
    ...     "mean": 6.0, "lower": 3.0, "upper": 8.0,
    ...     "point_type": ["common_cause", "special_cause_improvement"]})
    >>> spc_description(pts, title="Uptake", unit="%", variation_icon="improvement_high")[:80]
    'SPC chart of Uptake over 2 months, Jan 2024 to Feb 2024. The latest point, Feb 2'
    """
    shown = points.loc[np.isfinite(points["value"].to_numpy(np.float64))]
    if shown.empty:
        return f"SPC chart of {title}: no published values to show."
    ordered = shown.sort_values("period")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    special = int((ordered["point_type"].astype(str) != "common_cause").sum())
    kind = _POINT_SENTENCE.get(str(last["point_type"]), str(last["point_type"]))
    text = (
        f"SPC chart of {title} over {len(ordered)} months, {_month_label(str(first['period']))} "
        f"to {_month_label(str(last['period']))}. The latest point, "
        f"{_month_label(str(last['period']))}, is {_fmt(last['value'], unit, 2)} against a mean "
        f"of {_fmt(last['mean'], unit, 2)}"
    )
    if np.isfinite(float(last["lower"])) and np.isfinite(float(last["upper"])):
        text += (
            f" (process limits {_fmt(last['lower'], unit, 2)} to {_fmt(last['upper'], unit, 2)})"
        )
    text += f"; it shows {kind}. {special} of {len(ordered)} points show special cause variation."
    if target is not None and np.isfinite(target):
        text += f" The target is {_fmt(target, unit, 1)}."
    text += f" Variation: {variation_words(variation_icon)}. {assurance_words(assurance_icon)}."
    return text


def small_multiples_description(
    points: pd.DataFrame,
    *,
    title: str,
    unit: str = "",
    icons: Mapping[str, str] | None = None,
) -> str:
    """A text alternative for :func:`spc_small_multiples`: each group's latest value and icon.

    Examples
    --------
    >>> pts = pd.DataFrame({"group": ["A", "B"], "period": "2024-02", "value": [1.0, -2.0]})
    >>> small_multiples_description(pts, title="Gap", icons={"B": "concern_low"})
    'Small multiples of Gap, one SPC chart per group on a shared scale. Latest month, Feb 2024: \
A 1.00 (common cause variation: no significant change); B -2.00 (special cause concerning \
variation, lower values).'
    """
    shown = points.loc[np.isfinite(points["value"].to_numpy(np.float64))]
    if shown.empty:
        return f"Small multiples of {title}: no published values to show."
    latest = shown.sort_values("period").drop_duplicates("group", keep="last")
    icons = icons or {}
    parts: list[str] = []
    for r in latest.to_dict("records"):
        icon = icons.get(str(r["group"]), "common_cause")
        parts.append(f"{r['group']} {_fmt(r['value'], unit, 2)} ({variation_words(icon).lower()})")
    month = _month_label(str(latest["period"].max()))
    return (
        f"Small multiples of {title}, one SPC chart per group on a shared scale. "
        f"Latest month, {month}: " + "; ".join(parts) + "."
    )
