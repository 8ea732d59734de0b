"""SPC charts in the Making Data Count style: valid specs, offline SVG, text alternatives."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from focuson.charts import to_svg
from focuson.charts.spc import (
    ASSURANCE_BADGES,
    POINT_COLOURS,
    VARIATION_BADGES,
    assurance_badge,
    small_multiples_description,
    spc_chart,
    spc_description,
    spc_small_multiples,
    variation_badge,
)

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]


def _series(*, rebase: bool = False) -> pd.DataFrame:
    """24 months: common cause, then two improvement points and a concern point at the end."""
    value = np.r_[np.tile([50.0, 51.0, 49.0, 50.5], 5), [56.0, 57.0, 50.0, 43.0]]
    point_type = ["common_cause"] * 20 + [
        "special_cause_improvement",
        "special_cause_improvement",
        "common_cause",
        "special_cause_concern",
    ]
    segment = np.r_[np.zeros(12, int), np.ones(12, int)] if rebase else np.zeros(24, int)
    mean = np.where(segment == 0, 50.0, 51.0)
    return pd.DataFrame(
        {
            "period": MONTHS,
            "value": value,
            "mean": mean,
            "lower": mean - 4.0,
            "upper": mean + 4.0,
            "point_type": point_type,
            "segment": segment,
        }
    )


def _render(chart: object) -> ET.Element:
    chart.to_dict()  # type: ignore[attr-defined]  # validates against the Vega-Lite schema
    return ET.fromstring(to_svg(chart))  # type: ignore[arg-type]


def _groups(root: ET.Element, kind: str, layer: int) -> list[ET.Element]:
    pattern = re.compile(rf"^mark-{kind} role-mark layer_{layer}_marks$")
    return [g for g in root.iter(f"{SVG}g") if pattern.match(g.get("class", ""))]


def test_spc_chart_colours_points_by_type_with_mean_limits_and_target() -> None:
    root = _render(spc_chart(_series(), title="Uptake", unit="%", target=55.0))
    symbols = [p for g in _groups(root, "symbol", 4) for p in g]
    assert len(symbols) == 24
    fills = [p.get("fill", "").lower() for p in symbols]
    assert fills[:20] == [POINT_COLOURS["common_cause"].lower()] * 20
    assert fills[20] == POINT_COLOURS["special_cause_improvement"].lower()
    assert fills[23] == POINT_COLOURS["special_cause_concern"].lower()
    assert len(_groups(root, "line", 0)) == 1 and len(_groups(root, "line", 1)) == 1
    assert len(_groups(root, "line", 2)) == 1  # the mean
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Target" in texts and "Uptake" in texts and "Value (%)" in texts
    assert "Improvement" in texts and "Concern" in texts  # the legend names every type


def test_spc_chart_without_target_draws_no_target_line() -> None:
    chart = spc_chart(_series(), title="Uptake", target=float("nan"))
    assert len(chart.layer) == 5
    assert "Target" not in [t.text for t in _render(chart).iter(f"{SVG}text")]


def test_spc_chart_draws_each_rebase_segment_as_its_own_limits() -> None:
    root = _render(spc_chart(_series(rebase=True)))
    # one path per segment for the lower limit, the upper limit and the mean
    assert [len(_groups(root, "line", i)) for i in range(4)] == [2, 2, 2, 1]


def test_spc_chart_reference_line_for_gaps_and_missing_months_are_gaps() -> None:
    pts = _series()
    pts.loc[5, ["value"]] = np.nan
    chart = spc_chart(pts, reference=0.0, reference_label="No gap", value_label="Gap")
    root = _render(chart)
    assert len([p for g in _groups(root, "symbol", 4) for p in g]) == 23
    assert "No gap" in [t.text for t in root.iter(f"{SVG}text")]


def test_spc_chart_accepts_non_monthly_periods_on_an_ordinal_axis() -> None:
    pts = _series().assign(period=[f"Q{i}" for i in range(24)])
    spec = spc_chart(pts).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["type"] == "ordinal"


def test_small_multiples_one_panel_per_group_on_a_shared_scale() -> None:
    base = _series()
    pts = pd.concat(
        [base.assign(group=g, value=base["value"] - 50 + i) for i, g in enumerate("ABC")]
    )
    chart = spc_small_multiples(pts, title="Gap", reference=0.0, order=["C", "A", "B"])
    spec = chart.to_dict()
    assert spec["facet"]["field"] == "group" and spec["facet"]["sort"] == ["C", "A", "B"]
    assert "resolve" not in spec  # y scale shared across panels
    root = _render(chart)
    headers = [t.text for t in root.iter(f"{SVG}text")]
    assert {"A", "B", "C"} <= set(headers)


@pytest.mark.parametrize("icon", list(VARIATION_BADGES))
def test_variation_badges_are_labelled_svg_text(icon: str) -> None:
    badge = variation_badge(icon)
    assert "http" not in badge and "<image" not in badge
    root = ET.fromstring(badge)
    letter, _colour, words = VARIATION_BADGES[icon]
    assert root.get("role") == "img" and words in (root.get("aria-label") or "")
    assert root.find("title") is not None
    assert [t.text for t in root.iter("text")] == [letter, words]


@pytest.mark.parametrize("icon", list(ASSURANCE_BADGES))
def test_assurance_badges_are_labelled_svg_text(icon: str) -> None:
    root = ET.fromstring(assurance_badge(icon))
    assert ASSURANCE_BADGES[icon][2] in (root.get("aria-label") or "")


def test_unknown_icons_still_give_a_badge() -> None:
    assert "not judged" in variation_badge("mystery")
    assert "no target" in assurance_badge(None)  # type: ignore[arg-type]


def test_spc_description_names_latest_point_variation_and_assurance() -> None:
    text = spc_description(
        _series(),
        title="Uptake",
        unit="%",
        variation_icon="concern_low",
        assurance_icon="inconsistent",
        target=55.0,
    )
    assert "24 months, Jan 2023 to Dec 2024" in text
    assert "The latest point, Dec 2024, is 43.00% against a mean of 50.00%" in text
    assert "process limits 46.00% to 54.00%" in text
    assert "special cause concerning variation" in text
    assert "3 of 24 points" in text and "The target is 55.0%" in text
    assert "met and missed at random" in text


def test_spc_description_without_values() -> None:
    pts = _series().assign(value=np.nan)
    assert spc_description(pts, title="X") == "SPC chart of X: no published values to show."


def test_small_multiples_description_lists_each_groups_latest_value() -> None:
    base = _series()
    pts = pd.concat([base.assign(group="A"), base.assign(group="B", value=base["value"] - 60)])
    text = small_multiples_description(
        pts, title="Gap", unit="percentage points", icons={"B": "improvement_low"}
    )
    assert "Latest month, Dec 2024" in text
    assert "A 43.00 percentage points (common cause" in text
    assert "B -17.00 percentage points (special cause improving variation" in text
