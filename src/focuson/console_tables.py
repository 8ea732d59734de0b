"""Rich tables for the command line: plain English, NA shown with its reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from focuson.labels import dimension_label, group_label, reference_label

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def _ci(lower: float, upper: float) -> str:
    return f"{lower:.1f} to {upper:.1f}"


#: Columns of words, aligned left.
_LEFT = ("Borough", "Note", "Indicator", "Breakdown", "Group", "Since the first month")


def _table(title: str, caption: str, columns: list[str]) -> Table:
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for name in columns:
        left = name in _LEFT
        table.add_column(name, justify="left" if left else "right")
    return table


def waits_by_borough(summary: pd.DataFrame, *, scale: float) -> Table:
    """One row per borough: most vs least deprived quintile, and the SII."""
    table = _table(
        f"SYNTHETIC data (scale {scale:g}): RTT pathways treated within 18 weeks, by IMD 2019 "
        "quintile",
        "Percentages from counts after NHS disclosure control (1-7 suppressed, others rounded to "
        "5), with Wilson 95% intervals. SII: NHS England national-rank slope index of inequality "
        "in percentage points, 10,000 simulations; positive = the least deprived are treated "
        "within 18 weeks more often.",
        [
            "Borough",
            "Most deprived (Q1) %",
            "95% CI",
            "Least deprived (Q5) %",
            "95% CI",
            "SII",
            "95% CI",
            "Note",
        ],
    )
    for row in summary.to_dict("records"):
        cells = [str(row["borough"])]
        for q in ("q1", "q5"):
            if pd.isna(row[q]):
                cells += ["NA", "no LSOAs or too few pathways"]
            else:
                cells += [f"{row[q]:.1f}", _ci(row[f"{q}_lower"], row[f"{q}_upper"])]
        if row["note"]:
            cells += ["NA", ""]
        else:
            cells += [f"{row['sii']:.1f}", _ci(row["sii_lower"], row["sii_upper"])]
        cells.append(str(row["note"]))
        table.add_row(*cells)
    return table


def population_by_decile(by_decile: pd.DataFrame, *, synthetic: bool) -> Table:
    """Every borough x decile: population, aged 65+, % with its Wilson interval."""
    table = _table(
        "Residents aged 65+ by national IMD 2019 decile (1 = most deprived), mid-2020"
        + (" [SYNTHETIC]" if synthetic else ""),
        f"Wilson 95% intervals (PHEindicatormethods phe_proportion). {OGL}",
        [
            "Borough",
            "IMD decile",
            "LSOAs",
            "Population",
            "Aged 65+",
            "% aged 65+",
            "95% CI",
            "Note",
        ],
    )
    for row in by_decile.to_dict("records"):
        has_value = row["note"] == ""
        table.add_row(
            str(row["lad19nm"]),
            str(row["imd_decile"]),
            f"{row['lsoas']:,.0f}",
            f"{row['population']:,.0f}",
            f"{row['aged_65_plus']:,.0f}",
            f"{row['pct_65_plus']:.1f}" if has_value else "NA",
            _ci(row["lower95"], row["upper95"]) if has_value else "",
            str(row["note"]),
        )
    return table


def population_sii(by_borough: pd.DataFrame, *, synthetic: bool) -> Table:
    """The SII of % aged 65+ across deciles per borough, in two named flavours."""
    table = _table(
        "Slope index of inequality in % aged 65+ across IMD 2019 deciles (percentage points)"
        + (" [SYNTHETIC]" if synthetic else ""),
        "Positive: a higher share aged 65+ at the most deprived end. NHS England flavour: "
        "national ranks, 10,000 simulations. OHID flavour: local ranks (PHEindicatormethods "
        "phe_sii), 100,000 simulations; it needs every decile present in the borough. " + OGL,
        ["Borough", "SII, NHS England", "95% CI", "SII, OHID", "95% CI", "Note"],
    )
    for row in by_borough.to_dict("records"):
        cells = [str(row["lad19nm"])]
        for flavour in ("nhse", "ohid"):
            if row[f"sii_{flavour}_note"]:
                cells += ["NA", ""]
            else:
                cells += [
                    f"{row[f'sii_{flavour}']:.2f}",
                    f"{row[f'sii_{flavour}_lower']:.2f} to {row[f'sii_{flavour}_upper']:.2f}",
                ]
        notes = [row["sii_nhse_note"], row["sii_ohid_note"] and f"OHID: {row['sii_ohid_note']}"]
        cells.append("; ".join(n for n in notes if n))
        table.add_row(*cells)
    return table


#: The narrowest terminal the top-10 table is readable in; narrower ones get sentences.
TABLE_WIDTH = 150
_TOP_TITLE = "{heading}: significantly worse groups, ranked by people affected"


def _top_title(top: pd.DataFrame) -> str:
    from focuson.reports.find_report import top_heading

    return _TOP_TITLE.format(heading=top_heading(len(top), 10))


_TOP_NOTE = (
    "People affected: how many more people in the group missed the standard than would have "
    "at the reference group's rate (rounded to 5). Reference: the least deprived for IMD, "
    "everyone else for other breakdowns. Significant: Benjamini-Hochberg q < 0.05."
)


def top_findings(
    top: pd.DataFrame, indicators: pd.DataFrame, *, width: int | None = None
) -> RenderableType:
    """The ten biggest significant gaps, ranked by people affected.

    A table in a terminal at least :data:`TABLE_WIDTH` characters wide (or ``width`` None);
    in a narrower one, where the table's columns would wrap word by word, a numbered
    plain-English sentence per gap (the report's own sentences).
    """
    if width is not None and width < TABLE_WIDTH:
        return _top_sentences(top, indicators)
    return _top_table(top, indicators)


def _top_sentences(top: pd.DataFrame, indicators: pd.DataFrame) -> RenderableType:
    from focuson.reports import finding_sentence

    by_id = {str(r["id"]): r for r in indicators.to_dict("records")}
    lines: list[RenderableType] = [Text(_top_title(top), style="bold")]
    if top.empty:
        lines.append(Text("No group is significantly worse than its reference."))
    for row in top.to_dict("records"):
        indicator = by_id.get(str(row["indicator"]), {"title": row["indicator"]})
        sentence = finding_sentence({str(k): v for k, v in row.items()}, indicator)
        if row.get("change"):
            sentence += f" The gap is {row['change']}."
        lines.append(Text(f"{row.get('rank', '')}. {_month(str(row['period']))}: {sentence}"))
    lines.append(Text(_TOP_NOTE, style="dim"))
    return Group(*lines)


def _month(period: str) -> str:
    """``"2025-03"`` as ``"March 2025"``; anything else as it is.

    >>> _month("2025-03"), _month("2024/25")
    ('March 2025', '2024/25')
    """
    try:
        return dt.datetime.strptime(period, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return period


def _top_table(top: pd.DataFrame, indicators: pd.DataFrame) -> Table:
    titles = dict(zip(indicators["id"], indicators["title"], strict=True))
    units = dict(zip(indicators["id"], indicators["unit"], strict=True))
    table = _table(
        _top_title(top),
        _TOP_NOTE,
        [
            "#",
            "Indicator",
            "Period",
            "Breakdown",
            "Group",
            "Value",
            "95% CI",
            "Reference",
            "People affected",
            "Since the first month",
        ],
    )
    for row in top.to_dict("records"):
        unit = units.get(row["indicator"], "")
        table.add_row(
            str(row.get("rank", "")),
            titles.get(row["indicator"], row["indicator"]),
            str(row["period"]),
            dimension_label(row["dimension"]),
            group_label(row["dimension"], row["group"]),
            f"{row['value']:.1f}{unit}",
            _ci(row["lower"], row["upper"]),
            f"{row['reference_value']:.1f}{unit} "
            f"({reference_label(row['dimension'], row['reference_group'])})",
            f"{row['excess']:,.0f}",
            str(row.get("change") or ""),
        )
    if top.empty:
        table.add_row("", "No group is significantly worse than its reference.", *[""] * 8)
    return table
