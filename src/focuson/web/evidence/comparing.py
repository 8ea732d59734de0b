"""What changed between two runs: findings newly significant or no longer, the biggest moves in
people affected, and alerts new in the later run.

Each run is read at its own latest month (a monthly run moves on by a month), and findings are
matched by indicator, breakdown and group. The work is a join of two small frames, not a loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from focuson.web.evidence.models import Alert, Finding, Run

_KEY = ["indicator", "dimension", "group"]
_COLUMNS = [
    *_KEY,
    "pk",
    "indicator_title",
    "dimension_label",
    "group_label",
    "unit",
    "value",
    "excess",
    "significant",
    "direction",
    "suppressed",
]
_ALERT_KEY = ["kind", "indicator", "about", "group", "period"]


@dataclass(frozen=True)
class Comparison:
    """The changes from ``before`` to ``after`` (rows are dicts ready for a template)."""

    before: Run
    after: Run
    matched: int
    newly_significant: list[dict[str, Any]]
    no_longer_significant: list[dict[str, Any]]
    biggest_moves: list[dict[str, Any]]
    new_alerts: list[Alert]


def _latest(run: Run) -> pd.DataFrame:
    rows = Finding.objects.filter(run=run, period=run.last_period).values_list(*_COLUMNS)
    frame = pd.DataFrame.from_records(list(rows), columns=_COLUMNS)
    for name in ("value", "excess"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _records(frame: pd.DataFrame, limit: int) -> list[dict[str, Any]]:
    head = frame.head(limit)
    rows = head.astype(object).where(head.notna(), None).to_dict("records")
    return [{str(key): value for key, value in row.items()} for row in rows]


def compare_runs(before: Run, after: Run, *, limit: int = 20) -> Comparison:
    """Compare the latest month of ``before`` with the latest month of ``after``.

    Parameters
    ----------
    before, after
        The earlier and the later run.
    limit
        Most rows in each list.

    Returns
    -------
    Comparison
    """
    merged = _latest(before).merge(_latest(after), on=_KEY, suffixes=("_before", "_after"))
    was = merged["significant_before"].astype(bool) & ~merged["suppressed_before"].astype(bool)
    now = merged["significant_after"].astype(bool) & ~merged["suppressed_after"].astype(bool)
    merged["move"] = merged["excess_after"] - merged["excess_before"]
    merged["size"] = merged["move"].abs()
    by_after = merged.sort_values("excess_after", ascending=False, na_position="last")
    by_before = merged.sort_values("excess_before", ascending=False, na_position="last")
    moves = merged.loc[merged["size"].gt(0)].sort_values("size", ascending=False)
    alerts_before = pd.DataFrame.from_records(
        list(Alert.objects.filter(run=before).values_list(*_ALERT_KEY)), columns=_ALERT_KEY
    )
    seen = set(map(tuple, alerts_before.to_numpy().tolist()))
    new_alerts = [
        alert
        for alert in Alert.objects.filter(run=after).order_by("-period", "pk")
        if (alert.kind, alert.indicator, alert.about, alert.group, alert.period) not in seen
    ]
    return Comparison(
        before=before,
        after=after,
        matched=len(merged),
        newly_significant=_records(by_after.loc[now[by_after.index] & ~was[by_after.index]], limit),
        no_longer_significant=_records(
            by_before.loc[was[by_before.index] & ~now[by_before.index]], limit
        ),
        biggest_moves=_records(moves, limit),
        new_alerts=new_alerts[:limit],
    )
