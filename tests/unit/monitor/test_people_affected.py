"""Find and Monitor print the same people affected for the same group and month (issue 12).

Find's report says "about N more people missed it" (``excess``: how many more than at the
reference group's rate); the alerts said "it concerns M people" (the group's denominator) for
the same group and month. Both now print Find's N, the alerts with M beside it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from focuson.monitor.alerts import alerts as raise_alerts
from focuson.monitor.series import gap_series, level_series
from focuson.monitor.spc import spc_gaps, spc_levels
from focuson.reports import finding_sentence

MONTHS = [f"{2023 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
IND = pd.DataFrame(
    {
        "id": ["ae"],
        "title": ["A&E attendances leaving within 4 hours"],
        "statistic": ["proportion"],
        "multiplier": [100.0],
        "polarity": ["higher_is_better"],
        "standard": [np.nan],
        "target": [np.nan],
        "unit": ["%"],
    }
)
MORE = re.compile(r"about ([\d,]+) more people")


def _aggregates() -> pd.DataFrame:
    """Males and females alike for 23 months; in the last, males fall well behind."""
    rows = []
    for i, month in enumerate(MONTHS):
        male = 0.55 if i == len(MONTHS) - 1 else 0.80
        wobble = 0.01 * ((i % 3) - 1)
        for sex, rate, n in (("F", 0.80 + wobble, 400.0), ("M", male + wobble, 380.0)):
            rows.append((month, "sex", sex, round(rate * n), n))
        rows.append((month, "overall", "All", rows[-1][3] + rows[-2][3], 780.0))
    frame = pd.DataFrame(rows, columns=["period", "dimension", "group", "numerator", "denominator"])
    return frame.assign(indicator="ae", band=-1)


def test_new_inequality_alert_prints_finds_people_affected() -> None:
    levels = level_series(_aggregates(), IND)
    gaps = gap_series(_aggregates(), IND, levels)
    _, level_summary = spc_levels(levels, IND)
    _, gap_summary = spc_gaps(gaps, IND)
    alerts = raise_alerts(levels, level_summary, gaps, gap_summary, IND)
    alert = alerts.loc[(alerts["kind"] == "new_inequality") & (alerts["group"] == "M")]
    assert len(alert) == 1
    row = levels.loc[(levels["group"] == "M") & (levels["period"] == MONTHS[-1])].iloc[0]
    find_says = finding_sentence(row.to_dict(), IND.iloc[0].to_dict())
    find_n = MORE.search(find_says)
    monitor_n = MORE.search(alert["sentence"].iloc[0])
    assert find_n is not None and monitor_n is not None
    assert monitor_n.group(1) == find_n.group(1) == f"{round(row['excess']):,}"
    # the group's size beside it, so the two numbers cannot be mistaken for one another
    assert f"(of {row['denominator']:,.0f} in the group)" in alert["sentence"].iloc[0]


def test_gap_alert_prints_finds_people_affected_of_the_group_at_risk() -> None:
    # Quintile 1 falls behind quintile 5 in the last 8 months: the quintile gap widens, and its
    # alert names Find's people affected of quintile 1 in the latest month.
    rows = []
    for i, month in enumerate(MONTHS):
        q1 = (0.60 if i >= 16 else 0.75) + 0.01 * ((i % 3) - 1)
        for q, rate in (("1", q1), ("5", 0.78)):
            rows.append((month, "imd_quintile", q, round(rate * 1000), 1000.0))
    agg = pd.DataFrame(rows, columns=["period", "dimension", "group", "numerator", "denominator"])
    agg = agg.assign(indicator="ae", band=-1)
    levels = level_series(agg, IND)
    gaps = gap_series(agg, IND, levels)
    _, level_summary = spc_levels(levels, IND)
    _, gap_summary = spc_gaps(gaps, IND)
    alerts = raise_alerts(levels, level_summary, gaps, gap_summary, IND)
    alert = alerts.loc[alerts["about"] == "q1_q5_difference"]
    assert alert["kind"].tolist() == ["widens"]
    row = levels.loc[(levels["group"] == "1") & (levels["period"] == MONTHS[-1])].iloc[0]
    find_n = MORE.search(finding_sentence(row.to_dict(), IND.iloc[0].to_dict()))
    monitor_n = MORE.search(alert["sentence"].iloc[0])
    assert find_n is not None and monitor_n is not None
    assert monitor_n.group(1) == find_n.group(1)
