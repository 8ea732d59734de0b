"""Unit tests of focuson.monitor: series, SPC on levels and gaps, alerts, history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from focuson.monitor import history
from focuson.monitor.alerts import alerts
from focuson.monitor.series import gap_series, level_series
from focuson.monitor.spc import gap_improvement, spc_levels
from focuson.runs.monitor import monitor_tables

MONTHS = [f"{2023 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
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


def _frame(q1: list[float] | np.ndarray, q5: list[float] | np.ndarray) -> pd.DataFrame:
    parts = []
    for i, month in enumerate(MONTHS):
        p = np.linspace(q1[i], q5[i], 5)
        n = 2000.0
        rows = [("imd_quintile", str(q + 1), round(p[q] * n), n) for q in range(5)]
        rows += [
            ("imd_decile", str(d), round(p[(d - 1) // 2] * n / 2), n / 2) for d in range(1, 11)
        ]
        rows.append(("overall", "All", round(p.sum() * n), 5 * n))
        parts.append(
            pd.DataFrame(rows, columns=["dimension", "group", "numerator", "denominator"]).assign(
                period=month
            )
        )
    return pd.concat(parts, ignore_index=True).assign(indicator="up", band=-1)


STABLE = np.array([0.60, 0.61, 0.60, 0.59, 0.60, 0.61] * 4)
WIDENING_Q1 = np.r_[STABLE[:16], np.full(8, 0.45)]


def test_level_and_gap_series_values() -> None:
    agg = _frame(STABLE, STABLE + 0.1)
    levels = level_series(agg, IND)
    q1 = levels.query("dimension == 'imd_quintile' and group == '1'")
    assert len(q1) == 24 and q1["value"].iloc[0] == pytest.approx(60.0)
    gaps = gap_series(agg, IND, levels)
    diff = gaps.query("measure == 'q1_q5_difference'")["value"].to_numpy()
    assert diff == pytest.approx(-10.0, abs=0.06)
    ratio = gaps.query("measure == 'q1_q5_ratio'")["value"].to_numpy()
    assert ratio[0] == pytest.approx(60 / 70, abs=1e-3)
    sii = gaps.query("measure == 'sii'")["value"].to_numpy()
    # flip=False: least minus most deprived, positive when the deprived do worse
    assert (sii > 9).all() and (sii < 14).all()
    assert set(gaps["measure"]) == {"sii", "rii", "q1_q5_difference", "q1_q5_ratio"}
    assert (gaps.query("measure == 'sii'")["people"] == 1000.0).all()  # decile 1
    assert (gaps.query("measure == 'q1_q5_difference'")["people"] == 2000.0).all()  # quintile 1


def test_suppressed_cells_blank_gaps() -> None:
    agg = _frame(STABLE, STABLE + 0.1)
    small = (
        (agg["dimension"] == "imd_quintile") & (agg["group"] == "1") & (agg["period"] == MONTHS[3])
    )
    agg.loc[small, ["numerator", "denominator"]] = [3.0, 5.0]
    levels = level_series(agg, IND)
    gaps = gap_series(agg, IND, levels)
    row = gaps.query(f"measure == 'q1_q5_difference' and period == '{MONTHS[3]}'")
    assert row["value"].isna().all() and row["people"].isna().all()


def test_gap_improvement_is_the_group_at_risk_catching_up() -> None:
    measures = ["q1_q5_difference", "sii", "q1_q5_ratio", "rii"]
    got = gap_improvement(measures, ["higher_is_better"] * 4)
    assert got.tolist() == ["increase", "decrease", "increase", "decrease"]


def test_spc_levels_direction_from_polarity() -> None:
    lv = pd.DataFrame(
        {
            "indicator": "up",
            "dimension": "overall",
            "group": "All",
            "period": MONTHS[:13],
            "value": [5.0, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 1],
        }
    )
    _, series = spc_levels(lv, IND)
    assert series["variation_icon"].tolist() == ["concern_low"]
    low = IND.assign(polarity="lower_is_better")
    _, series = spc_levels(lv, low)
    assert series["variation_icon"].tolist() == ["improvement_low"]
    assert series["since"].tolist() == [MONTHS[12]]


def test_spc_series_with_different_spans_have_their_own_latest_month() -> None:
    ind = pd.concat([IND, IND.assign(id="late")], ignore_index=True)
    a = pd.DataFrame({"indicator": "up", "dimension": "overall", "group": "All",
                      "period": MONTHS[:12], "value": np.arange(12.0)})  # fmt: skip
    b = a.assign(indicator="late", period=MONTHS[6:18])
    _, series = spc_levels(pd.concat([a, b]), ind)
    assert series.set_index("indicator")["latest_period"].to_dict() == {
        "late": MONTHS[17],
        "up": MONTHS[11],
    }


def _run_alerts(q1: np.ndarray, q5: np.ndarray) -> pd.DataFrame:
    agg = _frame(q1, q5)
    levels = level_series(agg, IND)
    gaps = gap_series(agg, IND, levels)
    return monitor_tables(levels, gaps, IND)["alerts"]


def test_stable_gap_raises_no_alert() -> None:
    assert _run_alerts(STABLE, STABLE + 0.1).empty


def test_widening_gap_raises_widens_alerts() -> None:
    q5 = np.r_[np.roll(STABLE, 2)[:16] + 0.1, np.full(8, 0.80)]
    found = _run_alerts(WIDENING_Q1 + 0.05, q5)
    widens = found.query("kind == 'widens'")
    assert set(widens["about"]) >= {"q1_q5_difference", "sii"}
    assert (widens["since"] == MONTHS[16]).all()
    assert "has widened since " + MONTHS[16] in widens["sentence"].iloc[0]
    # ordered by people affected, largest first
    assert found["people"].is_monotonic_decreasing


def test_closing_gap_raises_closes() -> None:
    q1 = np.r_[STABLE[:16], np.full(8, 0.70)]
    found = _run_alerts(q1, np.roll(STABLE, 2) + 0.1)
    assert "closes" in set(found["kind"]) and "widens" not in set(found["kind"])


def test_new_inequality_only_when_not_seen_before() -> None:
    levels = pd.DataFrame(
        {
            "indicator": "up",
            "dimension": "sex",
            "group": ["M", "M", "F", "F"],
            "reference_group": "rest",
            "period": [MONTHS[0], MONTHS[1]] * 2,
            "value": [60.0, 50.0, 50.0, 50.0],
            "reference_value": [60.0, 60.0, 60.0, 60.0],
            "denominator": [500.0, 500.0, 400.0, 400.0],
            "significant": [False, True, True, True],
            "direction": [None, "worse", "worse", "worse"],
            "suppressed": False,
        }
    )
    empty = pd.DataFrame(columns=["indicator", "dimension", "group", "latest_point_type"])
    gaps = pd.DataFrame(columns=["indicator", "measure", "group", "period", "people"])
    found = alerts(levels, empty, gaps, empty.assign(measure=None), IND)
    assert found[["kind", "group", "people"]].values.tolist() == [["new_inequality", "M", 500.0]]
    assert (
        found["sentence"]
        .iloc[0]
        .startswith("Uptake: significantly worse for males than for everyone else in ")
    )


def test_history_same_month_twice_changes_nothing(tmp_path: Path) -> None:
    agg = _frame(WIDENING_Q1, STABLE + 0.1)
    levels = level_series(agg, IND)
    first = history.merge(None, levels, history.KEYS["levels"])
    history.write(tmp_path, {"levels": first})
    again = history.merge(history.read(tmp_path, "levels"), levels, history.KEYS["levels"])
    pd.testing.assert_frame_equal(again, first)
    # the next month's data adds to the history
    later = levels.loc[levels["period"] == MONTHS[-1]].assign(period="2025-01")
    grown = history.merge(again, later, history.KEYS["levels"])
    assert grown["period"].nunique() == 25 and len(grown) == len(first) + len(later)


def test_gap_that_crosses_to_the_other_side_reverses_not_closes() -> None:
    # Quintile 1 was 10 points behind quintile 5, then jumps 15 points ahead: further from no
    # inequality than before, on the other side. SPC calls it improving; the alert says reversed.
    q1 = np.r_[STABLE[:16], np.full(8, 0.85)]
    found = _run_alerts(q1, np.roll(STABLE, 2) + 0.1)
    quintile = found.loc[found["about"] == "q1_q5_difference"]
    assert quintile["kind"].tolist() == ["reverses"]
    assert "has reversed since" in quintile["sentence"].iloc[0]
    assert "closes" not in set(found.loc[found["about"].isin(["sii", "q1_q5_difference"]), "kind"])
