"""Alerts: rerunning a month replaces its alerts, tiny groups do not alert, nothing unprotected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from focuson.monitor import history
from focuson.monitor.alerts import ALERT_COLUMNS, alerts, chart_anchor
from focuson.runs.monitor import monitor_aggregates

MONTHS = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
IND = pd.DataFrame(
    {
        "id": ["up"],
        "title": ["Uptake"],
        "statistic": ["proportion"],
        "multiplier": [100.0],
        "polarity": ["higher_is_better"],
        "standard": [np.nan],
        "target": [np.nan],
        "unit": ["%"],
    }
)
STABLE = np.array([0.60, 0.61, 0.60, 0.59, 0.60, 0.61] * 4)
WIDENING_Q1 = np.r_[STABLE[:16], np.full(8, 0.45)]


def aggregates(q1: np.ndarray, q5: np.ndarray, n: float = 2000.0) -> pd.DataFrame:
    """AGGREGATES of one proportion: quintiles from q1 to q5, deciles, overall, by month."""
    p = np.linspace(q1, q5, 5, axis=1)  # months x quintiles
    parts = []
    for q in range(5):
        parts.append(pd.DataFrame({"period": MONTHS, "dimension": "imd_quintile",
                                   "group": str(q + 1), "numerator": np.round(p[:, q] * n),
                                   "denominator": n}))  # fmt: skip
        for d in (2 * q + 1, 2 * q + 2):
            parts.append(pd.DataFrame({"period": MONTHS, "dimension": "imd_decile",
                                       "group": str(d), "numerator": np.round(p[:, q] * n / 2),
                                       "denominator": n / 2}))  # fmt: skip
    total = np.round(p.sum(axis=1) * n)
    parts.append(pd.DataFrame({"period": MONTHS, "dimension": "overall", "group": "All",
                               "numerator": total, "denominator": 5 * n}))  # fmt: skip
    return pd.concat(parts, ignore_index=True).assign(indicator="up", band=-1)


def _stored(out: Path, name: str) -> pd.DataFrame:
    frame = history.read(out, name)
    assert frame is not None
    return frame


def test_rerunning_a_month_replaces_its_alerts_stale_ones_included(tmp_path: Path) -> None:
    first = monitor_aggregates(aggregates(WIDENING_Q1, STABLE + 0.1), IND, tmp_path, report=False)
    assert (first.latest_alerts["kind"] == "widens").any()
    # the same months again, corrected: the gap never widened
    again = monitor_aggregates(aggregates(STABLE, STABLE + 0.1), IND, tmp_path, report=False)
    assert again.latest_alerts.empty
    stored = _stored(tmp_path, "alerts")
    assert stored.loc[stored["period"] == MONTHS[-1]].empty, stored["sentence"].tolist()
    # and the corrected month twice changes nothing
    monitor_aggregates(aggregates(STABLE, STABLE + 0.1), IND, tmp_path, report=False)
    pd.testing.assert_frame_equal(_stored(tmp_path, "alerts"), stored)


def test_alerts_of_earlier_months_stay_when_the_next_month_arrives(tmp_path: Path) -> None:
    agg = aggregates(WIDENING_Q1, STABLE + 0.1)
    monitor_aggregates(agg.loc[agg["period"] < MONTHS[-1]], IND, tmp_path, report=False)
    before = _stored(tmp_path, "alerts")
    assert set(before["period"]) == {MONTHS[-2]}
    monitor_aggregates(agg, IND, tmp_path, report=False)
    after = _stored(tmp_path, "alerts")
    assert set(after["period"]) == {MONTHS[-2], MONTHS[-1]}
    pd.testing.assert_frame_equal(
        after.loc[after["period"] == MONTHS[-2]].reset_index(drop=True), before
    )


def _gap_inputs(people: list[float]) -> dict[str, pd.DataFrame]:
    """Hand-made SPC summaries: one widening gap series per entry of ``people``."""
    groups = [f"G{i}" for i in range(len(people))]
    gap_summary = pd.DataFrame({"indicator": "up", "measure": "ethnicity_difference",
        "group": groups, "latest_period": MONTHS[-1], "latest_value": 5.0, "mean": 1.0,
        "latest_point_type": "special_cause_concern", "latest_rule": "shift",
        "since": MONTHS[-7]})  # fmt: skip
    gaps = pd.DataFrame({"indicator": "up", "measure": "ethnicity_difference", "group": groups,
                         "period": MONTHS[-1], "people": people, "neutral": 0.0})  # fmt: skip
    empty_levels = pd.DataFrame(columns=["indicator", "dimension", "group", "period"])
    return {"levels": empty_levels, "level_series": empty_levels, "gaps": gaps,
            "gap_series": gap_summary, "indicators": IND}  # fmt: skip


def test_alerts_about_fewer_than_min_people_are_not_raised() -> None:
    found = alerts(**_gap_inputs([5.0, 10.0, np.nan, 250.0]))
    assert found["group"].tolist() == ["G3", "G1"]  # by people; 5 and a suppressed count dropped
    assert list(found.columns) == ALERT_COLUMNS
    assert alerts(**_gap_inputs([5.0, 10.0, np.nan, 250.0]), min_people=100)["group"].tolist() == [
        "G3"
    ]
    everyone = alerts(**_gap_inputs([5.0, 10.0, np.nan, 250.0]), min_people=0)
    assert len(everyone) == 4
    assert everyone["sentence"].str.contains("a small number of people").sum() == 1


def test_alert_links_point_to_the_monitoring_report_anchor() -> None:
    found = alerts(**_gap_inputs([250.0]))
    assert found["chart"].tolist() == [
        "monitor.html#" + chart_anchor("up", "ethnicity_difference", "G0")
    ]


def test_min_people_applies_to_a_run_and_is_recorded(tmp_path: Path) -> None:
    agg = aggregates(WIDENING_Q1, STABLE + 0.1)
    many = monitor_aggregates(agg, IND, tmp_path / "a", report=False)
    assert len(many.latest_alerts) and (many.latest_alerts["people"] >= 10).all()
    none = monitor_aggregates(agg, IND, tmp_path / "b", report=False, min_people=1e6)
    assert none.latest_alerts.empty
    assert '"min_people": 1000000.0' in (tmp_path / "b" / "monitor" / "manifest.json").read_text()


def test_only_disclosure_controlled_numbers_are_written(tmp_path: Path) -> None:
    agg = aggregates(WIDENING_Q1, STABLE + 0.1, n=2003.0)
    small = (agg["dimension"] == "imd_quintile") & (agg["group"] == "1")
    small &= agg["period"] == MONTHS[-1]
    agg.loc[small, ["numerator", "denominator"]] = [3.0, 6.0]  # primary suppression
    run = monitor_aggregates(agg, IND, tmp_path, report=False)
    levels = _stored(tmp_path, "levels")
    hidden = levels.loc[levels["suppressed"]]
    assert len(hidden) >= 2  # the cell and its secondary suppression
    assert hidden[["numerator", "denominator", "value"]].isna().all().all()
    published = levels.loc[~levels["suppressed"], "denominator"]
    assert (published % 5 == 0).all()  # rounded to the nearest 5, never the true 2,003
    gaps = _stored(tmp_path, "gaps")
    last = gaps.loc[(gaps["period"] == MONTHS[-1]) & gaps["measure"].str.startswith("q1_q5")]
    assert last["value"].isna().all() and last["people"].isna().all()
    points = _stored(tmp_path, "spc_gaps")
    assert not ((points["period"] == MONTHS[-1]) & points["measure"].str.startswith("q1")).any()
    people = run.latest_alerts["people"]
    assert people.notna().all() and (people % 5 == 0).all()
    # every number in the alerts' sentences is one of the published ones
    assert not run.latest_alerts["sentence"].str.contains("2,003").any()


def test_every_table_is_written(tmp_path: Path) -> None:
    run = monitor_aggregates(aggregates(STABLE, STABLE + 0.1), IND, tmp_path, report=False)
    for name in ("levels", "gaps", "spc_levels", "spc_gaps", "alerts", "series", "indicators"):
        assert run.files[name].is_file()
    assert run.report is None
    assert "segment" in run.level_points  # each point's rebase group, for the charts
