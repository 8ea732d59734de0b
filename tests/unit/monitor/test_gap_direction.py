"""One rule for which way a gap series improves, and alerts that say who is worse (issue 12).

Planted gap series (built directly, 24 months, the last 8 moved) for both polarities, each
measure order (group first: ethnicity, quintiles; group second: SII) and a gap that crosses
zero: the colour of the latest point (SPC point type), the kind of alert and its words.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from focuson.charts.spc import CONCERN, IMPROVEMENT, spc_chart
from focuson.monitor.alerts import gap_alerts
from focuson.monitor.spc import gap_improvement, spc_gaps

MONTHS = [f"{2023 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
WOBBLE = np.array([0.2, -0.1, 0.1, -0.2, 0.1, 0.0] * 4)  # the latest month unmoved


def _indicators(polarity: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["rtt"],
            "title": ["RTT pathways within 18 weeks"],
            "unit": ["%"],
            "polarity": [polarity],
        }
    )


def _gap(measure: str, before: float, after: float, group: str = "All") -> pd.DataFrame:
    """A gap series at ``before`` for 16 months, then ``after`` for 8 (a planted shift)."""
    neutral = 1.0 if measure.endswith("ratio") or measure == "rii" else 0.0
    level = np.r_[np.full(16, before), np.full(8, after)] + WOBBLE * (0.1 if neutral else 1.0)
    return pd.DataFrame(
        {
            "indicator": "rtt",
            "period": MONTHS,
            "measure": measure,
            "group": group,
            "value": level,
            "neutral": neutral,
            "people": 400.0,
        }
    )


def _judge(gaps: pd.DataFrame, polarity: str) -> tuple[str, pd.Series]:
    ind = _indicators(polarity)
    points, series = spc_gaps(gaps, ind)
    alert = gap_alerts(series, gaps, ind)
    assert len(alert) == 1
    return str(points["point_type"].iloc[-1]), alert.iloc[0]


@pytest.mark.parametrize(
    ("polarity", "before", "after"),
    [("higher_is_better", 2.0, -8.0), ("lower_is_better", -2.0, 8.0)],
)
def test_a_gap_moving_against_the_group_is_a_concern_whatever_side_it_started(
    polarity: str, before: float, after: float
) -> None:
    # The case: the Mixed group was slightly ahead of everyone else on average, then
    # fell 8 points behind. It was coloured "improvement" because the history's mean was above
    # zero; it is a concern, as the group's own level series says.
    gaps = _gap("ethnicity_difference", before, after, "Mixed")
    point, alert = _judge(gaps, polarity)
    assert point == "special_cause_concern"
    # the icon agrees: concerning variation, low for a falling gap, high for a rising one
    _, series = spc_gaps(gaps, _indicators(polarity))
    low = polarity == "higher_is_better"
    assert series["variation_icon"].tolist() == ["concern_low" if low else "concern_high"]
    assert alert["kind"] == "widens"
    words = "lower" if polarity == "higher_is_better" else "higher"
    assert (
        f"the Mixed ethnic group was 8.0 percentage points {words} than everyone else"
        in (alert["sentence"])
    )
    assert "(worse for them" in alert["sentence"]
    assert "since " + MONTHS[16] + ", moving against them" in alert["sentence"]


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better"])
def test_a_narrowing_quintile_gap_is_an_improvement(polarity: str) -> None:
    sign = -1.0 if polarity == "higher_is_better" else 1.0  # the most deprived are worse
    point, alert = _judge(_gap("q1_q5_difference", 10.0 * sign, 3.0 * sign), polarity)
    assert point == "special_cause_improvement"
    assert alert["kind"] == "closes"
    words = "lower" if polarity == "higher_is_better" else "higher"
    assert (
        f"the most deprived fifth was 3.0 percentage points {words} than the least"
        in (alert["sentence"])
    )
    assert "(worse for them" in alert["sentence"]
    assert "in their favour" in alert["sentence"]


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better"])
def test_a_widening_sii_is_a_concern_in_both_polarities(polarity: str) -> None:
    # SII = least minus most deprived: positive when the deprived do worse on a
    # higher-is-better indicator, negative on a lower-is-better one.
    sign = 1.0 if polarity == "higher_is_better" else -1.0
    point, alert = _judge(_gap("sii", 5.0 * sign, 12.0 * sign), polarity)
    assert point == "special_cause_concern"
    assert alert["kind"] == "widens"
    words = "lower" if polarity == "higher_is_better" else "higher"
    assert (
        f"the most deprived end of the deprivation scale was 12.0 percentage points {words}"
        in (alert["sentence"])
    )


def test_a_gap_crossing_zero_in_the_groups_favour_reverses() -> None:
    point, alert = _judge(_gap("q1_q5_difference", -5.0, 9.0), "higher_is_better")
    assert point == "special_cause_improvement"
    assert alert["kind"] == "reverses"
    assert (
        "9.0 percentage points higher than the least deprived fifth (better for them"
        in (alert["sentence"])
    )


def test_a_gap_crossing_zero_against_the_group_is_a_concern() -> None:
    point, alert = _judge(_gap("q1_q5_difference", 4.0, -6.0), "lower_is_better")
    # lower is better: the most deprived went from 4 points above (worse) to 6 below (better)
    assert point == "special_cause_improvement"
    assert alert["kind"] == "reverses"
    point, alert = _judge(_gap("q1_q5_difference", -4.0, 6.0), "lower_is_better")
    assert point == "special_cause_concern"
    assert alert["kind"] == "widens"


def test_a_ratio_gap_says_times_and_follows_the_same_rule() -> None:
    point, alert = _judge(_gap("q1_q5_ratio", 0.9, 0.6), "higher_is_better")
    assert point == "special_cause_concern"
    assert "0.60 times the rate of the least deprived fifth (worse for them" in alert["sentence"]


def test_improvement_direction_depends_only_on_polarity_and_measure() -> None:
    measures = ["ethnicity_difference", "q1_q5_difference", "q1_q5_ratio", "sii", "rii"]
    hib = gap_improvement(measures, ["higher_is_better"] * 5).tolist()
    lib = gap_improvement(measures, ["lower_is_better"] * 5).tolist()
    assert hib == ["increase", "increase", "increase", "decrease", "decrease"]
    assert lib == ["decrease", "decrease", "decrease", "increase", "increase"]
    # whatever the data: two ethnic groups on either side of zero get the same rule
    gaps = pd.concat([_gap("ethnicity_difference", 3.0, 3.0, "A"),
                      _gap("ethnicity_difference", -3.0, -3.0, "B")])  # fmt: skip
    _, series = spc_gaps(gaps, _indicators("higher_is_better"))
    assert series["improvement"].tolist() == ["increase", "increase"]


def test_the_gap_chart_colours_the_concerning_point_as_a_concern() -> None:
    points, _ = spc_gaps(_gap("ethnicity_difference", 2.0, -8.0, "Mixed"),
                         _indicators("higher_is_better"))  # fmt: skip
    spec = json.dumps(spc_chart(points, reference=0.0).to_dict())
    assert CONCERN in spec
    data = [d for d in json.loads(spec)["datasets"].values() if d and "point_type" in d[0]]
    last = max(data[0], key=lambda r: r["period"])
    assert last["point_type"] == "special_cause_concern"
    assert IMPROVEMENT not in spec or any(
        r["point_type"] == "special_cause_improvement" for r in data[0]
    )


def test_a_gap_whose_average_is_no_gap_says_so() -> None:
    # two points ahead for 16 months, four behind for 8: no gap on average
    _, alert = _judge(_gap("ethnicity_difference", 2.0, -4.0, "Black"), "higher_is_better")
    assert "4.0 percentage points lower than everyone else (worse for them" in alert["sentence"]
    assert "against no gap on average" in alert["sentence"]
