"""The monitoring report: one self-contained, accessible HTML page from a results folder's history.

:func:`render_monitor_report` reads ``RESULTS/monitor/`` (written by
:func:`focuson.runs.monitor.run_monitor`) and writes ``RESULTS/monitor/monitor.html``, with the
look of the Find report (:mod:`focuson.reports._html`): CSS inline, every chart an inline
``<svg>`` rendered offline, nothing loaded from anywhere.

Layout: a title; **Alerts** of the latest month, ordered by people affected, each with its plain
sentence and a link to its chart; then per indicator the SPC chart of the overall level (with the
target line), of the deprivation gap (the SII and the most minus least deprived fifth), small
multiples of each ethnic group's difference from everyone else, and the chart of every other
series an alert is about; earlier alerts; what the run was (the manifest).

Each chart is a ``<figure>`` whose ``id`` is :func:`focuson.monitor.alerts.chart_anchor`, with a
text alternative naming the latest point, the variation and the assurance in words, the Making
Data Count icons as labelled badges, a caption, and its numbers in a table (behind a
``<details>``). Every number comes from the stored, disclosure-controlled history: a suppressed
month is a gap in the line and reads "suppressed" in the table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.charts.spc import (
    assurance_badge,
    small_multiples_description,
    spc_chart,
    spc_description,
    spc_small_multiples,
    variation_badge,
    variation_words,
)
from focuson.labels import group_label, in_sentence
from focuson.monitor import history
from focuson.monitor.alerts import KINDS, REPORT_FILE, chart_anchor
from focuson.reports._html import (
    Page,
    e,
    head,
    records,
    render_manifest,
    slug,
    synthetic_banner,
    table,
)
from focuson.reports._words import difference_unit, dimension_name, finite_or_none

#: Words for each gap measure (headings and chart titles).
MEASURE_TITLES: dict[str, str] = {
    "sii": "Slope index of inequality (SII) across deprivation deciles",
    "rii": "Relative index of inequality (RII) across deprivation deciles",
    "q1_q5_difference": "Most minus least deprived fifth",
    "q1_q5_ratio": "Most over least deprived fifth (ratio)",
    "ethnicity_difference": "Difference from everyone else",
}
#: The gap series drawn for every indicator under "Deprivation gap".
DEPRIVATION_MEASURES: tuple[str, ...] = ("sii", "q1_q5_difference")
KIND_WORDS: dict[str, str] = {
    "widens": "Gap widening",
    "hidden_by_average": "Hidden by the average",
    "new_inequality": "New inequality",
    "closes": "Gap closing",
    "reverses": "Gap reversed",
}
POINT_TYPE_WORDS: dict[str, str] = {
    "common_cause": "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neither (high)",
    "special_cause_neutral_low": "neither (low)",
}
_NEUTRAL: dict[str, float] = {"rii": 1.0, "q1_q5_ratio": 1.0}
_DEFAULTS: dict[str, Any] = {"title": "", "unit": "", "target": np.nan, "polarity": ""}


def _gap_unit(measure: str, unit: str) -> str:
    return "" if measure in _NEUTRAL else difference_unit(unit)


def _read(out_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    frame = history.read(out_dir, name)
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return frame


def _info(indicators: pd.DataFrame, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in records(indicators):
        out[str(r["id"])] = {**_DEFAULTS, **r, "title": r.get("title") or r["id"]}
    for i in ids:
        out.setdefault(i, {**_DEFAULTS, "id": i, "title": i})
    return out


def latest_alerts(alerts: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """The alerts of each indicator's latest month, ordered by people affected.

    Parameters
    ----------
    alerts
        Stored alerts (every run's).
    series
        Per-series SPC summary (``indicator``, ``latest_period``).

    Returns
    -------
    pandas.DataFrame
        Largest ``people`` first (blank last), then by kind, indicator, about, group.

    Examples
    --------
    >>> a = pd.DataFrame({"kind": ["widens", "closes", "widens"], "indicator": "x",
    ...     "about": "sii", "group": "All", "period": ["2024-01", "2024-02", "2024-02"],
    ...     "people": [900.0, 10.0, 50.0]})
    >>> s = pd.DataFrame({"indicator": ["x"], "latest_period": ["2024-02"]})
    >>> latest_alerts(a, s)["people"].tolist()
    [50.0, 10.0]
    """
    if alerts.empty or series.empty:
        return alerts.iloc[:0]
    latest = series.groupby("indicator")["latest_period"].max()
    now = alerts.loc[alerts["period"] == alerts["indicator"].map(latest)]
    order = now.assign(_kind=now["kind"].map({k: i for i, k in enumerate(KINDS)}))
    order = order.sort_values(
        ["people", "_kind", "indicator", "about", "group"],
        ascending=[False, True, True, True, True],
        na_position="last",
        kind="mergesort",
    )
    return order.drop(columns="_kind").reset_index(drop=True)


def _anchor_of(link: object) -> str:
    text = str(link)
    return text.split("#", 1)[1] if "#" in text else text


def _positions(frame: pd.DataFrame, about: str) -> Mapping[Any, Any]:
    """Row positions of each series, keyed by (indicator, dimension or measure, group)."""
    if frame.empty:
        return {}
    return frame.groupby(["indicator", about, "group"], sort=False).indices


class _Report:
    """Builds the page from the stored tables."""

    def __init__(self, page: Page, tables: Mapping[str, pd.DataFrame]) -> None:
        self.page = page
        self.levels = tables["spc_levels"]
        self.gaps = tables["spc_gaps"]
        s = tables["series"]
        about = s["dimension"].where(s["kind"] == "level", s["measure"]).astype(str)
        assurance = s["assurance_icon"].fillna("").astype(str)
        keys = zip(s["indicator"], s["kind"], about, s["group"], strict=True)
        values = zip(s["variation_icon"].astype(str), assurance, strict=True)
        self.icon_of: dict[tuple[str, str, str, str], tuple[str, str]] = dict(
            zip(keys, values, strict=True)
        )
        self.drawn: set[str] = set()
        # row positions of each series, found once (not one scan of the points per chart)
        self.rows = {
            "level": _positions(self.levels, "dimension"),
            "gap": _positions(self.gaps, "measure"),
        }

    def icons(self, indicator: str, kind: str, about: str, group: str) -> tuple[str, str]:
        """The variation and assurance icons of a series (common cause, none if unknown)."""
        return self.icon_of.get((indicator, kind, about, group), ("common_cause", ""))

    def points(self, indicator: str, kind: str, about: str, group: str) -> pd.DataFrame:
        frame = self.levels if kind == "level" else self.gaps
        rows = self.rows[kind].get((indicator, about, group))
        if rows is None:
            return frame.iloc[:0]
        return frame.iloc[rows].sort_values("period")

    def chart(
        self,
        ind: Mapping[str, Any],
        kind: str,
        about: str,
        group: str,
        *,
        name: str,
        unit: str,
        heading: str | None = None,
    ) -> None:
        """One series' SPC chart, its badges, caption and numbers; a note when it has none."""
        indicator = str(ind["id"])
        anchor = chart_anchor(indicator, about, group)
        if anchor in self.drawn:
            return
        if heading:
            self.page.add(f"<h3>{e(heading)}</h3>")
        pts = self.points(indicator, kind, about, group)
        if pts.empty:
            self.page.add(f'<p class="note" id="{e(anchor)}">No {e(in_sentence(name))} series in '
                          "these results.</p>")  # fmt: skip
            self.drawn.add(anchor)
            return
        if not np.isfinite(pd.to_numeric(pts["value"], errors="coerce").to_numpy(float)).any():
            # Every month withheld (too few people): a sentence, not an empty chart.
            self.page.add(f'<p class="note" id="{e(anchor)}">Every month of the '
                          f"{e(in_sentence(name))} series is withheld to protect privacy (too "
                          "few people), so there is nothing to draw.</p>")  # fmt: skip
            self.drawn.add(anchor)
            return
        variation, assurance = self.icons(indicator, kind, about, group)
        target = finite_or_none(ind.get("target")) if kind == "level" else None
        reference = _NEUTRAL.get(about, 0.0) if kind == "gap" else None
        title = f"{ind['title']}: {name}"
        label = spc_description(
            pts,
            title=title,
            unit=unit,
            variation_icon=variation,
            assurance_icon=assurance,
            target=target,
        )
        badges = variation_badge(variation)
        if kind == "level" or assurance:
            badges += assurance_badge(assurance)
        self.page.figure(
            spc_chart(
                pts,
                title=title,
                value_label="Gap" if kind == "gap" else "Value",
                unit=unit,
                target=target,
                reference=reference,
                reference_label="No gap",
            ),
            label=label,
            caption=(
                f"{title}, by month. Solid line: mean; dashed lines: process limits; "
                "coloured points: special cause variation."
                + (" Red dashed line: target." if target is not None else "")
                + (" Dotted line: no gap." if reference is not None else "")
            ),
            figure_id=anchor,
            extra=f'<div class="badges">{badges}</div>',
        )
        self.page.add(_points_table(pts, title, unit))
        self.drawn.add(anchor)

    def ethnicity(self, ind: Mapping[str, Any], unit: str) -> None:
        indicator = str(ind["id"])
        self.page.add("<h3>By ethnic group</h3>")
        g = self.gaps
        mine = (g["indicator"] == indicator) & (g["measure"] == "ethnicity_difference")
        pts = g.loc[mine] if not g.empty else g
        if pts.empty:
            self.page.add('<p class="note">No ethnic group gap series in these results.</p>')
            return
        groups = sorted(pts["group"].astype(str).unique())
        icons = {
            grp: self.icons(indicator, "gap", "ethnicity_difference", grp)[0] for grp in groups
        }
        title = f"{ind['title']}: each ethnic group's difference from everyone else"
        anchor = f"monitor-{slug(indicator)}-ethnicity-small-multiples"
        self.page.figure(
            spc_small_multiples(
                pts, title=title, value_label="Gap", unit=unit, reference=0.0, order=groups
            ),
            label=small_multiples_description(pts, title=title, unit=unit, icons=icons),
            caption=(
                f"{title}, by month, one SPC chart per group on a shared scale. Dotted line: "
                "no gap; coloured points: special cause variation."
            ),
            figure_id=anchor,
        )
        wide = pts.pivot_table(index="period", columns="group", values="value", aggfunc="first")
        wide = wide.reindex(columns=groups)
        rows = [
            [e(period), *(_num(v, 2) for v in values)]
            for period, values in zip(wide.index, wide.to_numpy(), strict=True)
        ]
        icon_rows = [[e(grp), e(variation_words(icons[grp]))] for grp in groups]
        self.page.add(
            "<details><summary>The numbers</summary>",
            table(title, ("Month", *groups), rows),
            table(
                f"{title}: variation in the latest month",
                ("Group", "Variation"),
                icon_rows,
                text_columns=2,
            ),
            "</details>",
        )


def _num(value: object, digits: int = 2) -> str:
    v = finite_or_none(value)
    return '<span class="suppressed">suppressed</span>' if v is None else e(f"{v:,.{digits}f}")


def _points_table(points: pd.DataFrame, title: str, unit: str) -> str:
    rows = [
        [
            e(r["period"]),
            _num(r["value"]),
            _num(r["mean"]),
            _num(r["lower"]),
            _num(r["upper"]),
            e(POINT_TYPE_WORDS.get(str(r["point_type"]), str(r["point_type"]))),
        ]
        for r in records(points)
    ]
    unit_text = f" ({unit})" if unit else ""
    return (
        "<details><summary>The numbers</summary>"
        + table(
            f"{title}{unit_text}",
            ("Month", "Value", "Mean", "Lower limit", "Upper limit", "Point"),
            rows,
        )
        + "</details>"
    )


def _alerts_section(page: Page, now: pd.DataFrame, info: Mapping[str, Mapping[str, Any]]) -> None:
    page.add('<section aria-labelledby="alerts"><h2 id="alerts">Alerts</h2>')
    page.add(
        '<p class="lede">What changed in the latest month, ordered by the number of people '
        "affected: new inequalities, gaps that widen or close (special cause variation in a gap "
        "series) and improving averages that hide a widening gap.</p>"
    )
    if now.empty:
        page.add("<p>No alerts for the latest month.</p></section>")
        return
    page.add('<ol class="findings">')
    for r in records(now):
        anchor = _anchor_of(r["chart"])
        kind = KIND_WORDS.get(str(r["kind"]), str(r["kind"]))
        where = f"{info[str(r['indicator'])]['title']}, {_about_words(r)}"
        page.add(
            f"<li><strong>{e(kind)}.</strong> {e(r['sentence'])} "
            f'<a href="#{e(anchor)}">Chart: {e(where)}</a></li>'
        )
    page.add("</ol></section>")


def _about_words(r: Mapping[str, Any]) -> str:
    about, group = str(r["about"]), str(r["group"])
    if about in MEASURE_TITLES:
        name = in_sentence(MEASURE_TITLES[about])
        return f"{group}: {name}" if about == "ethnicity_difference" else name
    return f"{in_sentence(dimension_name(about))}: {group_label(about, group)}"


def _earlier_section(page: Page, earlier: pd.DataFrame) -> None:
    if earlier.empty:
        return
    page.add('<section aria-labelledby="earlier"><h2 id="earlier">Earlier alerts</h2>')
    ordered = earlier.sort_values(["period", "people"], ascending=[False, False], kind="mergesort")
    rows = [
        [e(r["period"]), e(KIND_WORDS.get(str(r["kind"]), r["kind"])), e(r["sentence"])]
        for r in records(ordered)
    ]
    page.add(table("Alerts of earlier months", ("Month", "Kind", "Alert"), rows, text_columns=3))
    page.add("</section>")


def _indicator_section(
    report: _Report, ind: Mapping[str, Any], now: pd.DataFrame, months: list[str]
) -> None:
    page = report.page
    indicator, title = str(ind["id"]), str(ind["title"])
    unit = str(ind.get("unit") or "")
    anchor = f"indicator-{slug(indicator)}"
    page.add(f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{e(title)}</h2>')
    meta = []
    if months:
        meta.append(f"Months: {months[0]} to {months[-1]}")
    if ind.get("polarity") in ("higher_is_better", "lower_is_better"):
        meta.append(str(ind["polarity"]).replace("_", " ").capitalize())
    target = finite_or_none(ind.get("target"))
    if target is not None:
        meta.append(f"Target: {target:g}{unit if unit == '%' else ' ' + unit}")
    if meta:
        page.add(f'<p class="meta">{e(". ".join(meta))}.</p>')
    # The charts are one click away (works without JavaScript; a link to a chart opens it).
    page.add(
        '<details class="detail"><summary>SPC charts and tables: overall level, deprivation '
        f"and ethnic group gaps ({e(title)})</summary>"
    )
    report.chart(ind, "level", "overall", "All", name="overall level", unit=unit,
                 heading="Overall level")  # fmt: skip
    page.add("<h3>Deprivation gap</h3>")
    gap_unit = difference_unit(unit)
    for measure in DEPRIVATION_MEASURES:
        report.chart(ind, "gap", measure, "All", name=in_sentence(MEASURE_TITLES[measure]),
                     unit=gap_unit)  # fmt: skip
    report.ethnicity(ind, gap_unit)
    extra = now.loc[now["indicator"] == indicator]
    wanted = [
        r
        for r in records(extra)
        if _anchor_of(r["chart"]) not in report.drawn
        and _anchor_of(r["chart"]) == chart_anchor(indicator, r["about"], r["group"])
    ]
    if wanted:
        page.add("<h3>Series with alerts</h3>")
    for r in wanted:
        about, group = str(r["about"]), str(r["group"])
        kind = "level" if r["kind"] == "new_inequality" else "gap"
        words = _about_words(r)
        report.chart(ind, kind, about, group, name=words,
                     unit=unit if kind == "level" else _gap_unit(about, unit))  # fmt: skip
    page.add("</details>", "</section>")


def monitor_page(
    tables: Mapping[str, pd.DataFrame],
    *,
    title: str = "Monitor: inequalities over time",
    manifest: Mapping[str, Any] | None = None,
    find_link: str | None = None,
) -> str:
    """The monitoring report as one self-contained HTML page.

    Parameters
    ----------
    tables
        The stored history: ``spc_levels``, ``spc_gaps`` (per point), ``series`` (per series),
        ``alerts`` and ``indicators`` (the INDICATORS frame; may be empty).
    title
        The page's title and only ``<h1>``.
    manifest
        The run's manifest, listed at the end.
    find_link
        Relative address of the Find report, linked under the title when given.

    Returns
    -------
    str
        The HTML document; it loads nothing.
    """
    series, alerts = tables["series"], tables["alerts"]
    indicators = tables["indicators"]
    ids = [str(i) for i in indicators["id"]] if "id" in indicators else []
    present = sorted(series["indicator"].astype(str).unique()) if not series.empty else []
    ids = [i for i in ids if i in present] + [i for i in present if i not in ids]
    info = _info(indicators, ids)
    now = latest_alerts(alerts, series)
    earlier = alerts
    if not alerts.empty and not now.empty:
        keys = ["kind", "indicator", "about", "group", "period"]
        flag = alerts[keys].merge(now[keys].assign(_now=True), on=keys, how="left")["_now"]
        earlier = alerts.loc[flag.isna().to_numpy()]
    months_of: dict[str, list[str]] = {}
    if not tables["spc_levels"].empty:
        span = tables["spc_levels"].groupby("indicator")["period"].agg(["min", "max"])
        months_of = {
            str(k): [str(lo), str(hi)]
            for k, lo, hi in zip(span.index, span["min"], span["max"], strict=True)
        }
    lede = (
        "Each indicator month by month: the level and the gaps between groups, on statistical "
        "process control (SPC) charts in the NHS Making Data Count style, and alerts when an "
        "inequality appears, widens or closes."
    )
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        page = Page(pool)
        page.add(*head(title, lede, banner=synthetic_banner(manifest)))
        if find_link:
            page.add(f'<p><a href="{e(find_link)}">The Find report</a>: where groups do worse '
                     "in the latest period, by every breakdown.</p>")  # fmt: skip
        items = ['<li><a href="#alerts">Alerts</a></li>']
        items += [f'<li><a href="#indicator-{slug(i)}">{e(info[i]["title"])}</a></li>' for i in ids]
        if not earlier.empty:
            items.append('<li><a href="#earlier">Earlier alerts</a></li>')
        items.append('<li><a href="#about-run">About this run</a></li>')
        _alerts_section(page, now, info)
        page.add('<nav aria-label="Contents"><ul>', *items, "</ul></nav>")
        report = _Report(page, tables)
        for i in ids:
            _indicator_section(report, info[i], now, months_of.get(i, []))
        _earlier_section(page, earlier)
        render_manifest(page, manifest)
        page.add("</main>", "</body>", "</html>")
        return page.html()


def render_monitor_report(
    results_dir: Path | str, *, title: str = "Monitor: inequalities over time"
) -> Path:
    """Write the monitoring report of a results folder to ``RESULTS/monitor/monitor.html``.

    Parameters
    ----------
    results_dir
        A results folder holding the monitoring history (``monitor/``).
    title
        The page's title.

    Returns
    -------
    pathlib.Path
        The report written.

    Raises
    ------
    FileNotFoundError
        The folder holds no monitoring history.
    """
    out_dir = Path(results_dir)
    where = history.folder(out_dir)
    if not (where / "series.parquet").is_file():
        raise FileNotFoundError(f"{where}: no monitoring history (run focuson monitor first)")
    tables = {
        "spc_levels": _read(out_dir, "spc_levels", ["indicator", "dimension", "group", "period"]),
        "spc_gaps": _read(out_dir, "spc_gaps", ["indicator", "measure", "group", "period"]),
        "series": _read(out_dir, "series", ["indicator", "kind", "dimension", "measure", "group"]),
        "alerts": _read(out_dir, "alerts", ["kind", "indicator", "about", "group", "period",
                                            "people", "sentence", "chart"]),
        "indicators": _read(out_dir, "indicators", ["id", "title", "unit", "target"]),
    }  # fmt: skip
    manifest_file = where / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.is_file() else None
    find_link = "../report.html" if (out_dir / "report.html").is_file() else None
    text = monitor_page(tables, title=title, manifest=manifest, find_link=find_link)
    path = where / REPORT_FILE
    path.write_text(text, encoding="utf-8")
    return path
