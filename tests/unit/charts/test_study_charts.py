"""The Study card's charts build valid Vega-Lite specs and render offline to well-formed SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import altair as alt
import numpy as np
import pandas as pd

from focuson.charts import to_svg
from focuson.charts.study import LINES, counterfactual_chart, forest_chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(chart: alt.TopLevelMixin) -> ET.Element:
    chart.to_dict()  # validates against the Vega-Lite schema
    root = ET.fromstring(to_svg(chart))
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _marks(root: ET.Element, kind: str) -> list[ET.Element]:
    prefix = f"mark-{kind} role-mark"
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith(prefix)]
    return [child for g in groups for child in g]


def _series() -> pd.DataFrame:
    months = [str(p) for p in pd.period_range("2023-01", "2024-06", freq="M")]
    phase = ["pre"] * 12 + ["transition"] * 2 + ["post"] * 4
    t = np.arange(len(months), dtype=float)
    expected = 50 + 0.1 * t
    fitted = expected + np.where(np.array(phase) == "post", 5.0, 0.0)
    observed = fitted + np.resize([0.4, -0.3, 0.2], len(t))
    observed[3] = np.nan  # a suppressed month
    return pd.DataFrame(
        {
            "month": months,
            "phase": phase,
            "observed": observed,
            "fitted": fitted,
            "expected": expected,
            "expected_lower": expected - 1,
            "expected_upper": expected + 1,
        }
    )


def test_counterfactual_chart_draws_every_part():
    s = _series()
    chart = counterfactual_chart(s, value_label="Per cent")
    root = _svg(chart)
    texts = _texts(root)
    for line in LINES:
        assert line in texts  # the legend names each line
    assert "Change starts" in texts and "Per cent" in texts
    # One point per published month: the suppressed month is not drawn.
    assert len(_marks(root, "symbol")) == s["observed"].notna().sum()
    assert len(_marks(root, "rect")) == 1  # the transition, shaded
    assert len(_marks(root, "area")) == 1  # the expected line's band
    spec = chart.to_dict()
    band = spec["datasets"][spec["layer"][1]["data"]["name"]]
    # The band starts at the last pre-period month and runs to the end.
    assert band[0]["date"] == "2023-12-01" and len(band) == 7


def test_counterfactual_chart_without_a_fit_draws_the_points_only():
    s = _series().assign(fitted=np.nan, expected=np.nan, expected_lower=np.nan,
                         expected_upper=np.nan)  # fmt: skip
    root = _svg(counterfactual_chart(s))
    assert len(_marks(root, "symbol")) == s["observed"].notna().sum()
    assert not _marks(root, "area") and not _marks(root, "line")


def test_forest_chart_has_both_panels_and_the_smallest_worthwhile_change():
    rows = pd.DataFrame(
        {
            "label": [
                "Everyone",
                "Everyone",
                "The gap",
                "The gap",
                "Most deprived",
                "Most deprived",
            ],
            "panel": ["absolute", "relative"] * 3,
            "estimate": [3.0, 6.0, -2.0, -20.0, 1.0, np.nan],
            "lower": [1.0, 2.0, -3.5, -35.0, -0.5, np.nan],
            "upper": [5.0, 10.0, -0.5, -5.0, 2.5, np.nan],
            "swc": [2.0, np.nan, 1.0, np.nan, 2.0, np.nan],
        }
    )
    chart = forest_chart(rows, unit="pp")
    assert len(chart.vconcat) == 2
    root = _svg(chart)
    texts = _texts(root)
    assert {"Everyone", "The gap", "Most deprived"} <= set(texts)
    assert "Change (pp)" in texts and "Change relative to what was expected (%)" in texts
    # Three absolute and two relative estimates (a missing one is not drawn), three swc marks.
    assert len(_marks(root, "symbol")) == 5
    assert len(_marks(root, "rect")) == 3  # ticks are drawn as rects
