"""The charts of a finding's page, drawn by :mod:`focuson.charts` as SVG on the server.

Each chart comes with its numbers as a table and a text alternative: the gradient by
deprivation with its confidence intervals and SII line, the groups of the finding's breakdown,
the funnel of boroughs, and the SPC charts of the group's level and of the gap. Everything drawn
is an imported, disclosure-controlled aggregate. Runs never change once imported, so the
rendered charts are cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from focuson.charts import (
    deprivation_chart,
    funnel_chart,
    groups_chart,
    inline_svg,
    natural_order,
    to_svgs,
)
from focuson.charts.spc import spc_chart, spc_description
from focuson.web.evidence.models import Finding, Gradient, Series
from focuson.web.evidence.templatetags.evidence import amount, month, people

#: Breakdowns whose own chart is another one (deprivation, boroughs): their groups chart shows
#: ethnic groups instead.
_NOT_GROUPS = {"overall", "imd_decile", "imd_quintile", "borough"}
_FIELDS = ["group", "group_label", "value", "lower", "upper", "numerator", "denominator"]
_FIELDS += ["excess", "direction", "significant", "suppressed"]


@dataclass
class ChartBlock:
    """One chart of the page: heading, SVG (or why there is none), caption and its numbers."""

    key: str
    heading: str
    svg: str = ""
    caption: str = ""
    missing: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _frame(rows: Any) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows.values(*_FIELDS)), columns=_FIELDS)
    for name in ("value", "lower", "upper", "numerator", "denominator", "excess"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _table(frame: pd.DataFrame, unit: str) -> tuple[list[str], list[list[str]]]:
    headers = [
        _("Group"),
        _("Value"),
        _("95% confidence interval"),
        _("Numerator"),
        _("Denominator"),
        _("People affected"),
    ]
    rows = []
    for record in frame.to_dict("records"):
        if record["suppressed"]:
            rows.append([record["group_label"], _("Suppressed"), "", "", "", ""])
            continue
        interval = f"{amount(record['lower'], unit)} – {amount(record['upper'], unit)}"
        rows.append(
            [
                record["group_label"],
                amount(record["value"], unit),
                interval,
                people(record["numerator"]),
                people(record["denominator"]),
                people(record["excess"]),
            ]
        )
    return headers, rows


def _drawable(frame: pd.DataFrame) -> bool:
    return bool((~frame["suppressed"] & frame["value"].notna()).any())


class _Builder:
    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        info = finding.run.indicators.get(finding.indicator, {}) or {}
        self.info = info
        self.unit = finding.unit or str(info.get("unit") or "")
        self.title = finding.indicator_title
        self.same = Finding.objects.filter(
            run_id=finding.run_id, indicator=finding.indicator, period=finding.period
        )
        self.blocks: list[ChartBlock] = []
        self.charts: list[tuple[ChartBlock, Any, str]] = []

    def add(self, block: ChartBlock, chart: Any = None, label: str = "") -> None:
        self.blocks.append(block)
        if chart is not None:
            self.charts.append((block, chart, label))

    def deprivation(self) -> None:
        block = ChartBlock("deprivation", _("By deprivation"))
        n_groups, dimension = 10, "imd_decile"
        rows = _frame(self.same.filter(dimension=dimension))
        if rows.empty:
            n_groups, dimension = 5, "imd_quintile"
            rows = _frame(self.same.filter(dimension=dimension))
        if rows.empty or not _drawable(rows):
            block.missing = _("No published values by deprivation for this month.")
            return self.add(block)
        rows = rows.assign(_q=pd.to_numeric(rows["group"], errors="coerce")).sort_values("_q")
        sii = (
            Gradient.objects.filter(
                run_id=self.finding.run_id,
                indicator=self.finding.indicator,
                period=self.finding.period,
                dimension=dimension,
                measure="sii",
            )
            .values("value", "intercept")
            .first()
        ) or {}
        chart = deprivation_chart(
            rows,
            sii=sii.get("value"),
            intercept=sii.get("intercept"),
            title=f"{self.title} by IMD {'decile' if n_groups == 10 else 'quintile'}",
            unit=self.unit,
            n_groups=n_groups,
            width=380,
        )
        block.caption = _(
            "Value by deprivation (1 = most deprived) in %(month)s, with 95%% confidence "
            "intervals; the dashed line is the slope index of inequality (SII)."
        ) % {"month": month(self.finding.period)}
        if sii.get("value") is not None:
            block.caption += " " + _("SII: %(sii)s.") % {"sii": amount(sii["value"], self.unit)}
        block.headers, block.rows = _table(rows, self.unit)
        self.add(block, chart, block.caption)

    def groups(self) -> None:
        dimension = self.finding.dimension
        if dimension in _NOT_GROUPS:
            dimension = "ethnicity_6"
        rows = _frame(self.same.filter(dimension=dimension))
        label = self.finding.dimension_label if dimension == self.finding.dimension else ""
        block = ChartBlock(
            "groups", _("By group: %(breakdown)s") % {"breakdown": label or dimension}
        )
        if rows.empty or not _drawable(rows):
            block.heading = _("By group")
            block.missing = _("No published values for the groups of this breakdown this month.")
            return self.add(block)
        label = label or str(
            self.same.filter(dimension=dimension).values_list("dimension_label", flat=True).first()
            or dimension
        )
        block.heading = _("By group: %(breakdown)s") % {"breakdown": label}
        order = natural_order(rows["group_label"].astype(str).tolist())
        drawn = rows.assign(group=rows["group_label"].astype(str))
        overall = self.same.filter(dimension="overall").values_list("value", flat=True).first()
        chart = groups_chart(
            drawn,
            reference_value=overall,
            reference_label=_("Overall"),
            title=f"{self.title}: {label}",
            unit=self.unit,
            order=order,
            width=340,
        )
        block.caption = _(
            "Each group's value in %(month)s with its 95%% confidence interval; colour and shape "
            "say whether it is worse, similar or better than its comparison."
        ) % {"month": month(self.finding.period)}
        block.headers, block.rows = _table(
            drawn.set_index("group").loc[order].reset_index(), self.unit
        )
        self.add(block, chart, block.caption)

    def funnel(self) -> None:
        from focuson.find.funnel import funnel_data

        block = ChartBlock("funnel", _("Boroughs"))
        rows = _frame(self.same.filter(dimension="borough"))
        statistic = str(self.info.get("statistic") or self.finding.statistic or "")
        multiplier = float(self.info.get("multiplier") or (100 if self.unit == "%" else 1))
        if rows.empty:
            block.missing = _("No breakdown by borough in these results.")
            return self.add(block)
        try:
            data = funnel_data(
                rows.assign(group=rows["group_label"]), statistic=statistic, multiplier=multiplier
            )
        except ValueError:
            block.missing = _(
                "No funnel plot: fewer than two boroughs have published counts, or "
                "the indicator is a mean."
            )
            block.headers, block.rows = _table(rows, self.unit)
            return self.add(block)
        chart = funnel_chart(data, title=f"{self.title}: boroughs", unit=self.unit, width=360)
        block.caption = _(
            "Each borough's value against its size in %(month)s, with 95%% and 99.8%% control "
            "limits around the average: boroughs outside them differ by more than chance."
        ) % {"month": month(self.finding.period)}
        block.headers, block.rows = _table(rows, self.unit)
        self.add(block, chart, block.caption)

    def spc(self, kind: str) -> None:
        finding = self.finding
        if kind == "level":
            block = ChartBlock("spc-level", _("Month by month: this group"))
            series = Series.objects.filter(
                run_id=finding.run_id,
                kind="level",
                indicator=finding.indicator,
                dimension=finding.dimension,
                group=finding.group,
            ).first()
            unit, reference, target = self.unit, None, self.info.get("target")
        else:
            block = ChartBlock("spc-gap", _("Month by month: the gap"))
            measure, group = "sii", "All"
            if finding.dimension in ("ethnicity_6", "ethnicity_5"):
                measure, group = "ethnicity_difference", finding.group
            series = Series.objects.filter(
                run_id=finding.run_id,
                kind="gap",
                indicator=finding.indicator,
                measure=measure,
                group=group,
            ).first()
            unit, reference, target = ("" if measure == "rii" else self.unit), 0.0, None
        points = pd.DataFrame.from_records(series.points) if series is not None else pd.DataFrame()
        if series is None or points.empty or not points["value"].notna().any():
            block.missing = _(
                "No monitoring series for this in these results (run focuson "
                "monitor into the same folder to add one)."
            )
            return self.add(block)
        points = points.astype({name: float for name in ("value", "mean", "lower", "upper")})
        what = series.group_label if kind == "level" else series.measure_label
        chart = spc_chart(
            points,
            title=f"{series.indicator_title}: {what}",
            unit=unit,
            width=380,
            target=target,
            reference=reference,
        )
        label = spc_description(
            points,
            title=f"{series.indicator_title}, {what}",
            unit=unit,
            variation_icon=series.variation_icon or "common_cause",
            assurance_icon=series.assurance_icon,
            target=target,
        )
        block.caption = label
        block.headers = [_("Month"), _("Value"), _("Mean"), _("Process limits")]
        block.rows = [
            [
                month(p["period"]),
                amount(p["value"], unit),
                amount(p["mean"], unit),
                f"{amount(p['lower'], unit)} – {amount(p['upper'], unit)}",
            ]
            for p in points.to_dict("records")
        ]
        self.add(block, chart, label)


def finding_charts(finding: Finding) -> list[ChartBlock]:
    """The charts of ``finding``'s page, rendered (cached per finding and language)."""
    # The run's content hash makes the key unique even where a database reuses ids (a test
    # database rolled back); a run never changes once imported.
    key = f"evidence:charts:v1:{finding.run.content_hash}:{finding.pk}:{get_language()}"
    cached: list[ChartBlock] | None = cache.get(key)
    if cached is not None:
        return cached
    builder = _Builder(finding)
    builder.deprivation()
    builder.groups()
    builder.funnel()
    builder.spc("level")
    builder.spc("gap")
    svgs = to_svgs([chart for _block, chart, _label in builder.charts])
    for (block, _chart, label), svg in zip(builder.charts, svgs, strict=True):
        block.svg = inline_svg(svg, label=label, id_prefix=f"chart-{block.key}")
    cache.set(key, builder.blocks, 3600)
    return builder.blocks
