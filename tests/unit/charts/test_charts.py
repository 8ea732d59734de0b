"""Each chart builds a valid Vega-Lite spec and renders offline to well-formed SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import altair as alt
import numpy as np
import pandas as pd
import pytest

from focuson.charts import (
    deprivation_chart,
    funnel_chart,
    groups_chart,
    inline_svg,
    natural_order,
    ranking_chart,
    sii_line,
    spec_to_svg,
    to_svg,
    to_svgs,
)
from focuson.charts._common import merge_config
from focuson.find.funnel import POSITIONS, funnel_data
from focuson.stats import funnel_significance

SVG = "{http://www.w3.org/2000/svg}"


def _svg(chart: alt.TopLevelMixin) -> ET.Element:
    chart.to_dict()  # validates against the Vega-Lite schema
    root = ET.fromstring(to_svg(chart))
    assert root.tag == f"{SVG}svg"
    return root


def _marks(root: ET.Element, kind: str) -> list[ET.Element]:
    """The drawn items of every ``kind`` mark (not legends or axes)."""
    prefix = f"mark-{kind} role-mark"
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith(prefix)]
    return [child for g in groups for child in g]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _layer_values(chart: alt.LayerChart, index: int) -> list[dict]:
    spec = chart.to_dict()
    name = spec["layer"][index]["data"]["name"]
    return spec["datasets"][name]


@pytest.fixture
def deciles() -> pd.DataFrame:
    value = np.linspace(50.0, 68.0, 10)
    return pd.DataFrame(
        {
            "group": [str(i) for i in range(1, 11)],
            "value": value,
            "lower": value - 2,
            "upper": value + 2,
            "suppressed": [False] * 9 + [True],
        }
    )


def test_deprivation_chart_draws_published_deciles_their_intervals_and_the_sii_line(deciles):
    chart = deprivation_chart(deciles, sii=20.0, intercept=49.0, title="RTT", unit="%")
    root = _svg(chart)
    assert len(_marks(root, "symbol")) == 9  # decile 10 is suppressed
    assert len(_marks(root, "rule")) == 9
    assert len(_marks(root, "line")) == 1
    assert {"RTT", "IMD decile (1 = most deprived)", "Value (%)"} <= set(_texts(root))
    assert [row["quantile"] for row in _layer_values(chart, 1)] == list(range(1, 10))


def test_deprivation_chart_without_sii_has_no_line(deciles):
    root = _svg(deprivation_chart(deciles, sii=np.nan, intercept=49.0))
    assert _marks(root, "line") == []


def test_sii_line_passes_through_the_fitted_value_at_each_decile_midpoint():
    line = sii_line(intercept=49.0, sii=20.0, n_groups=10)
    slope = np.diff(line["value"])[0] / np.diff(line["x"])[0]
    decile = np.arange(1, 11)
    on_line = line["value"][0] + slope * (decile - line["x"][0])
    np.testing.assert_allclose(on_line, 49.0 + 20.0 * (decile - 0.5) / 10)


def test_sii_line_for_quintiles_spans_the_quintile_axis():
    assert sii_line(10.0, -5.0, n_groups=5).to_dict("list") == {
        "rank": [0.0, 1.0],
        "x": [0.5, 5.5],
        "value": [10.0, 5.0],
    }


@pytest.fixture
def ethnicity() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["White", "Not stated / not known", "Asian", "Black", "Mixed"],
            "value": [60.0, 45.0, 55.0, 50.0, 58.0],
            "lower": [58.0, 40.0, 52.0, 47.0, 54.0],
            "upper": [62.0, 50.0, 58.0, 53.0, 62.0],
            "direction": ["better", "worse", "similar", "worse", None],
            "suppressed": [False, False, False, False, True],
        }
    )


def test_groups_chart_draws_each_published_group_with_the_reference_rule(ethnicity):
    chart = groups_chart(ethnicity, reference_value=57.0, reference_label="Overall", unit="%")
    root = _svg(chart)
    assert len(_marks(root, "symbol")) == 4
    assert len(_marks(root, "rule")) == 4 + 1
    texts = _texts(root)
    assert "Overall" in texts and "Mixed" not in texts
    assert "Compared with reference" in texts
    sort = chart.to_dict()["layer"][1]["encoding"]["y"]["sort"]
    assert sort == ["Asian", "Black", "White", "Not stated / not known"]


def test_groups_chart_without_reference_draws_no_rule(ethnicity):
    root = _svg(groups_chart(ethnicity, reference_value=None))
    assert len(_marks(root, "rule")) == 4 and _marks(root, "text") == []


def test_natural_order_sorts_age_bands_by_number_and_unknowns_last():
    groups = ["65+", "Unknown", "18-39", "0-17", "40-64", "U", "F", "M"]
    assert natural_order(groups) == ["0-17", "18-39", "40-64", "65+", "F", "M", "U", "Unknown"]


@pytest.fixture
def boroughs() -> pd.DataFrame:
    den = np.array([9000, 12000, 15000, 8000, 20000, 11000, 13000, 17000.0])
    num = np.round(den * np.array([0.5, 0.55, 0.6, 0.45, 0.58, 0.52, 0.62, 0.57]))
    return pd.DataFrame(
        {
            "group": list("ABCDEFGH"),
            "numerator": num,
            "denominator": den,
            "value": num / den * 100,
            "suppressed": False,
        }
    )


def test_funnel_data_for_proportions_uses_the_pooled_average_and_wilson_limits(boroughs):
    data = funnel_data(boroughs, statistic="proportion", multiplier=100)
    pooled = boroughs["numerator"].sum() / boroughs["denominator"].sum() * 100
    assert data.baseline == pytest.approx(pooled)
    labels = funnel_significance(
        boroughs["numerator"], boroughs["denominator"], statistic="proportion"
    ).label
    assert data.points["position"].tolist() == [POSITIONS[label] for label in labels]
    assert data.points["x"].tolist() == boroughs["denominator"].tolist()
    assert set(data.limits["limit"]) == {"95% limits", "99.8% limits"}
    assert data.limits["x"].min() >= 0.5 * boroughs["denominator"].min()
    wide = data.limits.pivot_table(index="x", columns="line", values="value")
    assert (wide["lower_3s"] <= wide["lower_2s"]).all()
    assert (wide["lower_2s"] < wide["upper_2s"]).all()
    assert (wide["upper_2s"] <= wide["upper_3s"]).all()


def test_funnel_data_leaves_out_suppressed_areas(boroughs):
    hidden = boroughs.assign(suppressed=[True] + [False] * 7)
    data = funnel_data(hidden, statistic="proportion", multiplier=100)
    assert "A" not in set(data.points["group"])
    pooled = hidden["numerator"][1:].sum() / hidden["denominator"][1:].sum() * 100
    assert data.baseline == pytest.approx(pooled)


def test_funnel_data_for_rates_plots_against_the_population(boroughs):
    rates = boroughs.assign(
        denominator=boroughs["denominator"] * 10,
        numerator=np.round(boroughs["numerator"] / 50),
    )
    rates["value"] = rates["numerator"] / rates["denominator"] * 100_000
    data = funnel_data(rates, statistic="rate", multiplier=100_000)
    np.testing.assert_allclose(data.points["x"], rates["denominator"], rtol=1e-9)
    assert data.x_title == "Population"
    pooled = rates["numerator"].sum() / rates["denominator"].sum() * 100_000
    assert data.baseline == pytest.approx(pooled)


def test_funnel_data_for_dsrs_skips_areas_with_fewer_than_10_events(boroughs):
    dsr = boroughs.assign(numerator=[5.0, 50, 60, 70, 80, 90, 100, 110])
    dsr["value"] = dsr["numerator"] / boroughs["denominator"] * 100_000
    data = funnel_data(dsr, statistic="dsr", multiplier=100_000)
    assert "A" not in set(data.points["group"]) and len(data.points) == 7


def test_funnel_data_refuses_means_and_too_few_areas(boroughs):
    with pytest.raises(ValueError, match="not 'mean'"):
        funnel_data(boroughs, statistic="mean", multiplier=1)
    with pytest.raises(ValueError, match="at least two areas"):
        funnel_data(boroughs.head(1), statistic="proportion", multiplier=100)


def test_funnel_chart_renders_points_limits_and_centre_line(boroughs):
    root = _svg(
        funnel_chart(funnel_data(boroughs, statistic="proportion", multiplier=100), unit="%")
    )
    assert len(_marks(root, "symbol")) == len(boroughs)
    assert len(_marks(root, "line")) == 4
    assert len(_marks(root, "rule")) == 1
    assert {"Control limits", "95% limits", "99.8% limits", "Area"} <= set(_texts(root))


def test_ranking_chart_keeps_the_given_order_and_labels_people_affected():
    top = pd.DataFrame(
        {
            "label": ["RTT: IMD quintile 1", "A&E: Black", "Screening: Brent", "Gone"],
            "excess": [1240.0, 800.0, 310.0, np.nan],
        }
    )
    chart = ranking_chart(top, title="The biggest gaps")
    root = _svg(chart)
    assert len(_marks(root, "rect")) == 3
    assert {"1,240", "800", "310", "The biggest gaps"} <= set(_texts(root))
    assert chart.to_dict()["layer"][0]["encoding"]["y"]["sort"] == top["label"][:3].tolist()


def test_to_svg_renders_offline_with_the_shared_look(boroughs):
    svg = to_svg(ranking_chart(pd.DataFrame({"label": ["a"], "excess": [5.0]})))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert re.findall(r"https?://[^\"]*", svg) == [
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    ]
    assert "Arial" in svg and "aria-label" not in svg  # per-mark ARIA labels switched off


def test_spec_to_svg_does_not_modify_the_spec():
    spec = {
        "data": {"values": [{"x": 1}]},
        "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
        "config": {"font": "Verdana"},
    }
    before = repr(spec)
    assert "Verdana" in spec_to_svg(spec)
    assert repr(spec) == before


def test_to_svgs_keeps_the_order_of_the_charts():
    charts = [
        ranking_chart(pd.DataFrame({"label": [f"finding {i}"], "excess": [float(i)]}))
        for i in range(5)
    ]
    svgs = to_svgs(charts, workers=2)
    assert [f"finding {i}" in svg for i, svg in enumerate(svgs)] == [True] * 5
    assert to_svgs([]) == []


def test_inline_svg_adds_a_text_alternative_and_prefixes_every_id(deciles):
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'role="graphics-document" width="10"><defs><clipPath id="clip1"><rect/></clipPath>'
        '</defs><g clip-path="url(#clip1)"><use xlink:href="#clip1"/><use href="#clip1"/></g>'
        "</svg>"
    )
    out = inline_svg(raw, label='Chart of "A" & B', id_prefix="chart-7")
    assert "http" not in out
    root = ET.fromstring(out.replace("xlink:href", "data-href"))
    assert root.get("role") == "img" and root.get("aria-label") == 'Chart of "A" & B'
    assert root[0].tag == "title" and root[0].text == 'Chart of "A" & B'
    assert 'id="chart-7-clip1"' in out and "url(#chart-7-clip1)" in out
    assert out.count('href="#chart-7-clip1"') == 2
    real = inline_svg(to_svg(deprivation_chart(deciles)), label="x", id_prefix="c")
    assert ET.fromstring(real).get("role") == "img"


def test_inline_svg_needs_an_svg_element():
    with pytest.raises(ValueError, match="no <svg> element"):
        inline_svg("<div></div>", label="x", id_prefix="c")


def test_merge_config_lets_the_chart_win_key_by_key():
    assert merge_config({"axis": {"a": 1, "b": 2}}, {"axis": {"b": 3}}) == {
        "axis": {"a": 1, "b": 3}
    }
