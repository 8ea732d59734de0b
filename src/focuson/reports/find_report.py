"""The Find report: one self-contained, accessible HTML page from a Find run's results.

The page holds everything inline: CSS in a ``<style>`` element and every chart as an inline
``<svg>`` rendered offline by :func:`focuson.charts.to_svg`. It loads nothing (no CDN, fonts,
images or scripts), so it can be e-mailed, archived, or opened on a machine with no network.

Layout: a title, and a banner when the data are synthetic; "The 10 biggest gaps" (significant
findings where a group does worse than its reference, ranked by people affected), one line each so
that all ten fit a laptop's first screen, then each in a plain-English sentence; then per
indicator its period and overall value, and, collapsed below (``<details>``, no script needed),
the value by IMD decile with its confidence intervals and the SII line, by ethnicity, age and sex,
a funnel plot of boroughs (outliers named), the summary measures of inequality and the indicator's
ranked findings; a breakdown whose every cell is suppressed is said in a sentence instead. Last,
"About this run" in words, with the raw manifest one click away. Printed, the page is a short
summary: the banner, the ten gaps and "About this run" (the print stylesheet drops the rest).

Accessibility (WCAG 2.2 AA): ``lang="en"``, one ``<h1>`` and headings in order, each chart a
``<figure>`` with a ``<figcaption>`` and a text alternative (``role="img"``, ``aria-label`` and
``<title>``), the numbers of every chart in a table below it, colours with enough contrast and
never the only cue. Suppressed cells never show numbers: they read "suppressed".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.charts import (
    deprivation_chart,
    funnel_chart,
    groups_chart,
    natural_order,
    ranking_chart,
)
from focuson.find.findings import top_findings
from focuson.find.funnel import funnel_data
from focuson.labels import measure_label
from focuson.reports._html import SUPPRESSED as _SUPPRESSED
from focuson.reports._html import Page as _Page
from focuson.reports._html import e as _e
from focuson.reports._html import head, render_manifest, synthetic_banner
from focuson.reports._html import records as _records
from focuson.reports._html import slug as _slug
from focuson.reports._html import table as _table
from focuson.reports._words import (
    dimension_name,
    finding_sentence,
    finite_or_none,
    fmt_count,
    fmt_number,
    fmt_p,
    fmt_value,
    is_suppressed,
    short_label,
)

#: Per indicator, the breakdowns drawn as dot charts: (heading, dimensions in order of preference).
GROUP_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("By ethnicity", ("ethnicity_6", "ethnicity_5")),
    ("By age", ("age_band_broad", "age_band_5y")),
    ("By sex", ("sex",)),
)

_INDICATOR_DEFAULTS: dict[str, object] = {
    "statistic": "proportion",
    "multiplier": 100.0,
    "polarity": "higher_is_better",
    "standard": np.nan,
    "target": np.nan,
    "unit": "",
}


# ------------------------------------------------------------------------------------------------
# Selecting rows
# ------------------------------------------------------------------------------------------------


def _suppressed(frame: pd.DataFrame) -> pd.Series:
    if "suppressed" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["suppressed"].ne(False)  # a missing flag counts as suppressed


def report_periods(findings: pd.DataFrame, period: str | None = None) -> dict[str, str]:
    """The period shown for each indicator: ``period`` if given, else the indicator's latest.

    Periods are ISO-like strings (``"2024-03"``), so the latest is the largest.

    >>> f = pd.DataFrame({"indicator": ["a", "a", "b"], "period": ["2024-01", "2024-03", "2024"]})
    >>> report_periods(f)
    {'a': '2024-03', 'b': '2024'}
    """
    if findings.empty:
        return {}
    if period is not None:
        return {str(i): str(period) for i in findings["indicator"].unique()}
    latest = findings.groupby("indicator", sort=False)["period"].max()
    return {str(k): str(v) for k, v in latest.items()}


def _in_periods(frame: pd.DataFrame, periods: Mapping[str, str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    wanted = frame["indicator"].astype(str).map(periods)
    return frame.loc[frame["period"].astype(str) == wanted]


def top_gaps(findings: pd.DataFrame, n: int = 10, *, period: str | None = "latest") -> pd.DataFrame:
    """The ``n`` biggest gaps: :func:`focuson.find.findings.top_findings`, as the terminal shows.

    Parameters
    ----------
    findings
        The findings frame (every period: each gap is compared with its earliest month).
    n
        How many to keep.
    period
        As :func:`~focuson.find.findings.top_findings`.

    Returns
    -------
    pandas.DataFrame
        Rows with ``significant`` true, ``direction == "worse"``, not suppressed and a finite
        ``excess``, each indicator x breakdown x group once, sorted by ``excess`` (largest
        first), a group two breakdowns share listed once, at most ``n``, with ``change``.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["a"] * 3, "period": ["p"] * 3,
    ...                   "dimension": ["sex"] * 3, "group": ["F", "M", "U"],
    ...                   "significant": [True, True, False], "direction": ["worse"] * 3,
    ...                   "excess": [10.0, 30.0, 99.0], "suppressed": [False] * 3})
    >>> top_gaps(f)["group"].tolist()
    ['M', 'F']
    """
    if findings.empty:
        return findings.copy()
    # One ranking for the terminal and the report: each gap once, with how it moved.
    return top_findings(findings, n, period=period)


def _indicator_table(indicators: pd.DataFrame, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each indicator's row as a dict (defaults filled in), in the catalogue's order."""
    known: dict[str, dict[str, Any]] = {}
    for record in _records(indicators):
        known[str(record["id"])] = {**_INDICATOR_DEFAULTS, "title": record["id"], **record}
    for i in ids:
        known.setdefault(i, {**_INDICATOR_DEFAULTS, "id": i, "title": i})
    return known


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------


def _direction_cell(direction: object) -> str:
    d = str(direction) if isinstance(direction, str) else ""
    if d in ("worse", "better"):
        return f'<span class="{d}">{_e(d)}</span>'
    return _e(d) if d else "–"


def _group_rows(rows: pd.DataFrame, unit: str, *, label: str = "group") -> list[list[str]]:
    """Table rows for a breakdown; suppressed rows show no numbers."""
    out = []
    for r in _records(rows):
        name = _e(r[label])
        if is_suppressed(r.get("suppressed", False)):
            out.append([name, _SUPPRESSED, "–", _SUPPRESSED, _SUPPRESSED, "–", "–", "–", "–"])
            continue
        ci = f"{fmt_number(r.get('lower'))} to {fmt_number(r.get('upper'))}"
        if finite_or_none(r.get("lower")) is None or finite_or_none(r.get("upper")) is None:
            ci = "–"
        out.append(
            [
                name,
                _e(fmt_value(r.get("value"), unit)),
                _e(ci),
                _e(fmt_count(r.get("numerator"))),
                _e(fmt_count(r.get("denominator"))),
                _e(fmt_number(r.get("difference"))),
                _e(fmt_p(r.get("q_value"))),
                _direction_cell(r.get("direction")),
                _e(fmt_count(r.get("excess"))),
            ]
        )
    return out


_GROUP_HEADER = (
    "Group",
    "Value",
    "95% CI",
    "Numerator",
    "Denominator",
    "Difference from reference",
    "q-value",
    "Compared with reference",
    "People affected",
)


# ------------------------------------------------------------------------------------------------
# Sections
# ------------------------------------------------------------------------------------------------


def _all_suppressed(page: _Page, rows: pd.DataFrame, what: str) -> bool:
    """Say so in a sentence, and return ``True``, when no row of ``rows`` can be drawn (every
    cell suppressed, or no value): an empty chart and a table of "suppressed" tell nothing."""
    drawable = ~_suppressed(rows) & np.isfinite(
        pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)
    )
    if bool(drawable.any()):
        return False
    page.add(
        f'<p class="note">Every {_e(what)} cell of this breakdown is suppressed to protect '
        "privacy (too few people), so there is nothing to draw.</p>"
    )
    return True


def _describe_range(rows: pd.DataFrame, unit: str, label: str) -> str:
    """``"from 45.0% (Not stated) to 60.0% (White)"`` over the drawn rows."""
    shown = rows.loc[~_suppressed(rows) & np.isfinite(rows["value"].to_numpy(dtype=float))]
    if shown.empty:
        return "No values can be shown."
    lo = shown.loc[shown["value"].idxmin()]
    hi = shown.loc[shown["value"].idxmax()]
    return (
        f"Values range from {fmt_value(lo['value'], unit)} ({label} {lo['group']}) "
        f"to {fmt_value(hi['value'], unit)} ({label} {hi['group']})."
    )


def _render_top(
    page: _Page,
    top: pd.DataFrame,
    info: Mapping[str, Mapping[str, Any]],
    n: int,
    *,
    with_period: bool,
) -> None:
    heading = top_heading(len(top), n)
    page.add(f'<section aria-labelledby="top-gaps"><h2 id="top-gaps">{heading}</h2>')
    # One line per gap first, so that all ten fit a laptop's first screen; how they were
    # chosen, the same gaps in words, the chart and the table follow.
    if top.empty:
        page.add("<p>No group did significantly worse than its reference.</p></section>")
        return
    page.add('<ol class="headlines">')
    page.add(*(f"<li>{_e(_headline(r, info, with_period))}</li>" for r in _records(top)))
    page.add("</ol>")
    page.add(
        '<p class="note">Groups that do significantly worse than their reference group '
        "(q-value below the run's threshold after the Benjamini-Hochberg correction), ranked "
        "by people affected: how many more people missed the measure than would have at the "
        "reference group's rate."
        + (" Ranked over every period in the results." if with_period else "")
        + (f" Only {len(top)} such gaps were found." if len(top) < n else "")
        + "</p>"
    )
    page.add("<h3>The same gaps in words</h3>", '<ol class="findings">')
    for r in _records(top):
        sentence = finding_sentence(r, info[str(r["indicator"])])
        if with_period:
            sentence = f"{r['period']}: {sentence}"
        if r.get("change"):
            sentence += f" The gap is {r['change']}."
        page.add(f"<li>{_e(sentence)}</li>")
    page.add("</ol>")
    labels = [
        f"{info[str(r['indicator'])]['title']}: {short_label(r['dimension'], r['group'])}"
        + (f" ({r['period']})" if with_period else "")
        for r in _records(top)
    ]
    bars = pd.DataFrame({"label": labels, "excess": top["excess"].to_numpy(dtype=float)})
    first, last = bars.iloc[0], bars.iloc[-1]
    page.figure(
        ranking_chart(bars, title=f"{heading}, by people affected"),
        label=(
            f"Bar chart of the {len(bars)} gaps by people affected, from "
            f"{fmt_count(first['excess'])} ({first['label']}) to {fmt_count(last['excess'])} "
            f"({last['label']}). The same numbers are in the table below."
        ),
        caption="People affected: the excess number who missed the measure in each group.",
    )
    page.add(_ranked_table(top, info, caption=f"{heading} in numbers"))
    page.add("</section>")


def top_heading(found: int, n: int) -> str:
    """The heading of the ranked gaps: "The 10 biggest gaps" only when there are ten.

    Examples
    --------
    >>> top_heading(12, 10), top_heading(3, 10), top_heading(1, 10), top_heading(0, 10)
    ('The 10 biggest gaps', 'The 3 gaps found', 'The one gap found', 'No significant gaps')
    """
    if found >= n:
        return f"The {n} biggest gaps"
    if found == 0:
        return "No significant gaps"
    return "The one gap found" if found == 1 else f"The {found} gaps found"


def _headline(
    r: Mapping[str, Any], info: Mapping[str, Mapping[str, Any]], with_period: bool
) -> str:
    """One line per gap, short enough that ten fit a laptop's first screen.

    >>> row = {"indicator": "rtt", "dimension": "sex", "group": "M", "period": "2025-03",
    ...        "value": 50.21, "reference_value": 60.0, "excess": 1240.0}
    >>> _headline(row, {"rtt": {"title": "RTT within 18 weeks", "unit": "%"}}, True)
    'RTT within 18 weeks, Male (2025-03): 50.2% against 60.0%; about 1,240 more people'
    """
    ind = info[str(r["indicator"])]
    unit = str(ind.get("unit") or "")
    when = f" ({r['period']})" if with_period else ""
    line = (
        f"{ind['title']}, {short_label(str(r['dimension']), str(r['group']))}{when}: "
        f"{fmt_value(r.get('value'), unit)} against {fmt_value(r.get('reference_value'), unit)}; "
        f"about {fmt_count(r.get('excess'))} more people"
    )
    return line + (f"; the gap is {r['change']}" if r.get("change") else "")


def _ranked_table(
    ranked: pd.DataFrame, info: Mapping[str, Mapping[str, Any]], *, caption: str
) -> str:
    rows = []
    for rank, r in enumerate(_records(ranked), start=1):
        ind = info[str(r["indicator"])]
        unit = str(ind.get("unit") or "")
        rows.append(
            [
                str(rank),
                _e(ind["title"]),
                _e(r["period"]),
                _e(dimension_name(r["dimension"])),
                _e(short_label(r["dimension"], r["group"])),
                _e(fmt_value(r.get("value"), unit)),
                _e(fmt_value(r.get("reference_value"), unit)),
                _e(fmt_number(r.get("difference"))),
                _e(fmt_p(r.get("q_value"))),
                _e(fmt_count(r.get("excess"))),
            ]
        )
    header = (
        "Rank",
        "Indicator",
        "Period",
        "Breakdown",
        "Group",
        "Value",
        "Reference value",
        "Difference",
        "q-value",
        "People affected",
    )
    return _table(caption, header, rows, text_columns=5)


def _render_deprivation(
    page: _Page,
    rows: pd.DataFrame,
    gradients: pd.DataFrame,
    ind: Mapping[str, Any],
    period: str,
) -> None:
    page.add("<h3>By deprivation</h3>")
    title, unit = str(ind["title"]), str(ind.get("unit") or "")
    deciles = rows.loc[rows["dimension"] == "imd_decile"]
    n_groups, label = 10, "decile"
    if deciles.empty:
        deciles = rows.loc[rows["dimension"] == "imd_quintile"]
        n_groups, label = 5, "quintile"
    if deciles.empty:
        page.add('<p class="note">No breakdown by deprivation in these results.</p>')
        return
    if _all_suppressed(page, deciles, f"IMD {label}"):
        return
    deciles = deciles.assign(_q=pd.to_numeric(deciles["group"], errors="coerce")).sort_values("_q")
    sii_rows = gradients.loc[gradients["measure"].astype(str).str.lower() == "sii"]
    sii_dim = sii_rows.loc[sii_rows["dimension"] == f"imd_{label}"]
    sii_row = _records((sii_dim if not sii_dim.empty else sii_rows).head(1))
    sii = finite_or_none(sii_row[0].get("value")) if sii_row else None
    intercept = finite_or_none(sii_row[0].get("intercept")) if sii_row else None
    drawn_line = sii is not None and intercept is not None
    alt_text = (
        f"Dot chart of {title} by IMD {label} (1 = most deprived), {period}, with 95% "
        f"confidence intervals. {_describe_range(deciles, unit, label)}"
    )
    if drawn_line:
        alt_text += f" A dashed line shows the slope index of inequality ({fmt_number(sii)})."
    alt_text += " The values are in the table below."
    page.figure(
        deprivation_chart(
            deciles,
            sii=sii,
            intercept=intercept,
            title=f"{title} by IMD {label}",
            value_label="Value",
            unit=unit,
            n_groups=n_groups,
        ),
        label=alt_text,
        caption=(
            f"{title} by IMD {label}, {period}. Bars are 95% confidence intervals"
            + ("; the dashed line is the slope index of inequality." if drawn_line else ".")
        ),
    )
    page.add(
        _table(
            f"{title} by IMD {label}, {period}",
            (f"IMD {label}", *_GROUP_HEADER[1:]),
            _group_rows(deciles, unit),
        )
    )


def _render_groups(
    page: _Page, rows: pd.DataFrame, ind: Mapping[str, Any], period: str, overall: float | None
) -> None:
    title, unit = str(ind["title"]), str(ind.get("unit") or "")
    for heading, dimensions in GROUP_SECTIONS:
        page.add(f"<h3>{_e(heading)}</h3>")
        chosen = next((d for d in dimensions if (rows["dimension"] == d).any()), None)
        if chosen is None:
            page.add(f'<p class="note">No breakdown {_e(heading.lower())} in these results.</p>')
            continue
        part = rows.loc[rows["dimension"] == chosen]
        if _all_suppressed(page, part, dimension_name(chosen).lower()):
            continue
        order = natural_order(part["group"].astype(str).tolist())
        part = part.set_index(part["group"].astype(str)).loc[order].reset_index(drop=True)
        labels = [short_label(chosen, g) if chosen == "sex" else g for g in order]
        part = part.assign(group=labels)
        order = labels
        name = dimension_name(chosen).lower()
        text = (
            f"Dot chart of {title} by {name}, {period}, with 95% confidence intervals; colour "
            f"and shape show whether each group is worse, similar or better than its reference. "
            f"{_describe_range(part, unit, 'group')}"
        )
        if overall is not None:
            text += f" A dashed line marks the overall value, {fmt_value(overall, unit)}."
        page.figure(
            groups_chart(
                part,
                reference_value=overall,
                reference_label="Overall",
                title=f"{title} by {name}",
                value_label="Value",
                unit=unit,
                order=order,
            ),
            label=text + " The values are in the table below.",
            caption=f"{title} by {name}, {period}. Lines are 95% confidence intervals.",
        )
        page.add(_table(f"{title} by {name}, {period}", _GROUP_HEADER, _group_rows(part, unit)))


def _render_funnel(page: _Page, rows: pd.DataFrame, ind: Mapping[str, Any], period: str) -> None:
    page.add("<h3>Boroughs</h3>")
    title, unit = str(ind["title"]), str(ind.get("unit") or "")
    boroughs = rows.loc[rows["dimension"] == "borough"]
    if boroughs.empty:
        page.add('<p class="note">No breakdown by borough in these results.</p>')
        return
    if _all_suppressed(page, boroughs, "borough"):
        return
    boroughs = boroughs.sort_values("group", kind="mergesort")
    statistic, multiplier = str(ind["statistic"]), float(ind["multiplier"])
    try:
        data = funnel_data(boroughs, statistic=statistic, multiplier=multiplier)
    except ValueError:
        why = (
            "funnel plots are drawn for proportions and rates, not for means"
            if statistic == "mean"
            else "fewer than two boroughs have published counts"
        )
        page.add(f'<p class="note">No funnel plot: {why}.</p>')
    else:
        chart = funnel_chart(
            data,
            title=f"{title}: boroughs",
            value_label="Value",
            unit=unit,
        )
        position = data.points["position"]
        outside = position.str.contains("limit") & ~position.str.startswith("Within")
        page.figure(
            chart,
            label=(
                f"Funnel plot of {title} for {len(data.points)} boroughs, {period}: each "
                f"borough's value against its size, with 95% and 99.8% control limits around "
                f"the average of {fmt_value(data.baseline, unit)}. {int(outside.sum())} "
                "boroughs lie outside the 95% limits. The values are in the table below."
            ),
            caption=(
                f"{title} by borough, {period}. Points outside the funnel differ from the "
                "average by more than chance alone would explain."
            ),
            point_names=[
                f"{r['group']}: {fmt_value(r['value'], unit)}, {r['position'].lower()}"
                for r in _records(data.points)
            ],
        )
    page.add(
        _table(
            f"{title} by borough, {period}",
            ("Borough", *_GROUP_HEADER[1:]),
            _group_rows(boroughs, unit),
        )
    )


def _render_gradients(page: _Page, gradients: pd.DataFrame, ind: Mapping[str, Any]) -> None:
    page.add("<h3>Summary measures of inequality</h3>")
    if gradients.empty:
        page.add('<p class="note">No summary measures in these results.</p>')
        return
    rows = []
    for r in _records(gradients):
        measure = str(r["measure"])
        ci = f"{fmt_number(r.get('lower'), digits=2)} to {fmt_number(r.get('upper'), digits=2)}"
        if finite_or_none(r.get("lower")) is None or finite_or_none(r.get("upper")) is None:
            ci = "–"
        rows.append(
            [
                _e(measure_label(measure)),
                _e(dimension_name(str(r["dimension"]))),
                _e(fmt_number(r.get("value"), digits=2)),
                _e(ci),
                _e(r.get("method", "") if isinstance(r.get("method"), str) else ""),
            ]
        )
    page.add(
        _table(
            f"Summary measures of inequality: {ind['title']}",
            ("Measure", "Breakdown", "Value", "95% CI", "Method"),
            rows,
            text_columns=2,
        )
    )
    page.add(
        '<p class="note">The SII is the modelled difference in value between the most and the '
        "least deprived ends of the population (rank 0 = most deprived), in the indicator's "
        "units; the RII is the matching ratio.</p>"
    )


def _render_indicator(
    page: _Page,
    ind: Mapping[str, Any],
    rows: pd.DataFrame,
    gradients: pd.DataFrame,
    period: str,
    n: int,
    info: Mapping[str, Mapping[str, Any]],
) -> None:
    title, unit = str(ind["title"]), str(ind.get("unit") or "")
    anchor = f"indicator-{_slug(str(ind['id']))}"
    page.add(f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{_e(title)}</h2>')
    polarity = (
        "Lower is better" if str(ind.get("polarity")) == "lower_is_better" else "Higher is better"
    )
    meta = [f"Period: {period}", f"Statistic: {ind.get('statistic')}", polarity]
    for key, name in (("standard", "Constitutional standard"), ("target", "Operational target")):
        level = finite_or_none(ind.get(key))
        if level is not None:
            meta.append(f"{name}: {fmt_value(level, unit, digits=0 if level.is_integer() else 1)}")
    page.add(f'<p class="meta">{_e(". ".join(meta))}.</p>')
    overall_rows = _records(rows.loc[rows["dimension"] == "overall"].head(1))
    overall = None
    if overall_rows:
        o = overall_rows[0]
        if is_suppressed(o.get("suppressed", False)):
            page.add("<p>Overall: suppressed to protect privacy.</p>")
        else:
            overall = finite_or_none(o.get("value"))
            text = f"Overall: {fmt_value(overall, unit)}"
            if finite_or_none(o.get("lower")) is not None:
                text += f" (95% CI {fmt_number(o.get('lower'))} to {fmt_number(o.get('upper'))})"
            if finite_or_none(o.get("denominator")) is not None:
                text += f", from {fmt_count(o.get('denominator'))} people"
            page.add(f"<p>{_e(text)}.</p>")
    # The detail is one click away (works without JavaScript); the top of the page stays short.
    page.add(
        '<details class="detail"><summary>Charts and tables: by deprivation, ethnicity, age, '
        f"sex and borough, summary measures and ranked findings ({_e(title)})</summary>"
    )
    _render_deprivation(page, rows, gradients, ind, period)
    _render_groups(page, rows, ind, period, overall)
    _render_funnel(page, rows, ind, period)
    _render_gradients(page, gradients, ind)
    page.add("<h3>Ranked findings</h3>")
    ranked = top_gaps(rows, n)
    if ranked.empty:
        page.add("<p>No group did significantly worse than its reference.</p>")
    else:
        page.add(_ranked_table(ranked, info, caption=f"Biggest gaps: {title}, {period}"))
    page.add("</details>", "</section>")


# ------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------


def render_find_report(
    findings: pd.DataFrame,
    gradients: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    title: str = "Find: inequalities in the data",
    manifest: Mapping[str, Any] | None = None,
    period: str | None = None,
    top_n: int = 10,
    rank_all_periods: bool = False,
    monitor_link: str | None = None,
) -> str:
    """The Find report as one self-contained HTML page.

    Parameters
    ----------
    findings
        One row per indicator x period x dimension x group (the findings frame: ``indicator``,
        ``period``, ``dimension``, ``group``, ``reference_group``, ``numerator``,
        ``denominator``, ``value``, ``lower``, ``upper``, ``reference_value``, ``difference``,
        ``q_value``, ``significant``, ``direction``, ``excess``, ``suppressed`` ...).
    gradients
        Summary measures: ``indicator``, ``period``, ``dimension``, ``measure`` (``"sii"``,
        ``"rii"``, ``"bgv"``, ``"idisw"``), ``value``, ``lower``, ``upper``, ``method``,
        ``intercept`` (for the SII, the fitted value at rank 0, the most deprived end).
    indicators
        The INDICATORS frame (``id``, ``title``, ``statistic``, ``multiplier``, ``polarity``,
        ``standard``, ``target``, ``unit``); sections follow its order.
    title
        The page's title and only ``<h1>``.
    manifest
        The run's manifest (inputs, versions, parameters), listed at the end.
    period
        The period to report; by default each indicator's latest.
    top_n
        How many gaps to rank at the top of the page and per indicator.
    rank_all_periods
        Rank "the biggest gaps" over every period in ``findings`` (each labelled with its
        period) rather than the reported period only. Useful on small populations where a
        single month is rarely significant; the same gap may then appear for several months.
    monitor_link
        Relative address of the monitoring report, linked under the title when given.

    Returns
    -------
    str
        The HTML document. It loads nothing: no scripts, no external CSS, fonts or images.

    Notes
    -----
    By default the ranking uses the reported period only (the same gap in each month would
    otherwise fill the list). Suppressed rows are never ranked and never show numbers.

    Examples
    --------
    >>> empty = pd.DataFrame(columns=["indicator", "period", "dimension", "group", "value"])
    >>> page = render_find_report(empty, pd.DataFrame(columns=["indicator", "measure"]),
    ...                           pd.DataFrame(columns=["id", "title"]), title="Demo")
    >>> page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    True
    """
    periods = report_periods(findings, period)
    shown = _in_periods(findings, periods)
    grads = _in_periods(gradients, periods) if "period" in gradients else gradients
    ids = [str(i) for i in indicators["id"]] if "id" in indicators else []
    ids += [i for i in periods if i not in ids]
    info = _indicator_table(indicators, ids)
    ids = [i for i in ids if i in periods]
    top = top_gaps(findings, top_n, period=None if rank_all_periods else (period or "latest"))

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        page = _Page(pool)
        page.add(*_head(title, synthetic_banner(manifest)))
        _render_top(page, top, info, top_n, with_period=rank_all_periods)
        if monitor_link:
            page.add(
                f'<p><a href="{_e(monitor_link)}">The monitoring report</a>: SPC charts of '
                "every level and gap over time, and alerts for new or widening inequalities.</p>"
            )
        if ids:
            page.add(*_contents(ids, info, top_heading(len(top), top_n)))
        for i in ids:
            rows = shown.loc[shown["indicator"].astype(str) == i]
            g = grads.loc[grads["indicator"].astype(str) == i] if not grads.empty else grads
            _render_indicator(page, info[i], rows, g, periods[i], top_n, info)
        months = sorted({str(p) for p in findings["period"]}) if "period" in findings else []
        render_manifest(page, manifest, months=months)
        page.add("</main>", "</body>", "</html>")
        return page.html()


def _head(title: str, banner: str) -> list[str]:
    return head(
        title,
        "Where groups of people do worse, by deprivation, ethnicity, age, sex and borough. "
        "Each indicator's detail is further down.",
        banner=banner,
    )


def _contents(ids: Sequence[str], info: Mapping[str, Mapping[str, Any]], heading: str) -> list[str]:
    items = [f'<li><a href="#top-gaps">{heading}</a></li>']
    items += [f'<li><a href="#indicator-{_slug(i)}">{_e(info[i]["title"])}</a></li>' for i in ids]
    items.append('<li><a href="#about-run">About this run</a></li>')
    return ['<nav aria-label="Contents"><ul>', *items, "</ul></nav>"]


def write_find_report(
    findings: pd.DataFrame,
    gradients: pd.DataFrame,
    indicators: pd.DataFrame,
    path: str | Path,
    *,
    title: str = "Find: inequalities in the data",
    manifest: Mapping[str, Any] | None = None,
    period: str | None = None,
    top_n: int = 10,
    rank_all_periods: bool = False,
) -> Path:
    """Write :func:`render_find_report` to ``path`` (UTF-8) and return the path.

    When a monitoring report sits beside it (``monitor/monitor.html``), the page links to it.

    Parameters
    ----------
    findings, gradients, indicators, title, manifest, period, top_n, rank_all_periods
        As :func:`render_find_report`.
    path
        The HTML file to write; its folder is created if needed.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> empty = pd.DataFrame(columns=["indicator", "period", "dimension", "group", "value"])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = write_find_report(empty, pd.DataFrame(columns=["indicator", "measure"]),
    ...                             pd.DataFrame(columns=["id"]), Path(folder) / "find.html")
    ...     out.read_text(encoding="utf-8").count("<h1>")
    1
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    monitor = out.parent / "monitor" / "monitor.html"
    text = render_find_report(
        findings,
        gradients,
        indicators,
        title=title,
        manifest=manifest,
        period=period,
        top_n=top_n,
        rank_all_periods=rank_all_periods,
        monitor_link="monitor/monitor.html" if monitor.is_file() else None,
    )
    out.write_text(text, encoding="utf-8")
    return out
