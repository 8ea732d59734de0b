"""The monitoring history of a results folder: series and alerts as Parquet, appended by month.

Files, in ``RESULTS/monitor/``:

========================  ======================================  ==========================
file                      content                                 key of a row
========================  ======================================  ==========================
``levels.parquet``        level series (disclosure-controlled)    indicator, period,
                                                                  dimension, group
``gaps.parquet``          gap series                              indicator, period, measure,
                                                                  group
``spc_levels.parquet``    per-point SPC of the levels             (rewritten each run)
``spc_gaps.parquet``      per-point SPC of the gaps               (rewritten each run)
``series.parquet``        per-series SPC summary, levels and      (rewritten each run)
                          gaps (``kind`` = level or gap)
``alerts.parquet``        alerts of every run                     kind, indicator, about,
                                                                  group, period
``indicators.parquet``    the INDICATORS frame of the last run    (rewritten each run)
``monitor.html``          the monitoring report                   (rewritten each run)
========================  ======================================  ==========================

:func:`merge` adds a run's months to the stored series: a month already stored is replaced by
the new run's rows for it, so running on the same month twice changes nothing, and the next
month's data adds to the history. Alerts accumulate the same way, keyed by the month they are
about, except that a run replaces *every* stored alert of the months it judged (``months``), not
only those it raises again: an alert that no longer holds after a rerun (corrected data, a new
threshold) does not linger. Rows are sorted by their key, so equal content gives equal files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FOLDER = "monitor"
KEYS: dict[str, list[str]] = {
    "levels": ["indicator", "period", "dimension", "group"],
    "gaps": ["indicator", "period", "measure", "group"],
    "alerts": ["kind", "indicator", "about", "group", "period"],
}


def folder(out_dir: Path | str) -> Path:
    """The monitoring folder of a results folder."""
    return Path(out_dir) / FOLDER


def read(out_dir: Path | str, name: str) -> pd.DataFrame | None:
    """A stored table, or ``None`` when the results folder has none yet."""
    path = folder(out_dir) / f"{name}.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def merge(
    stored: pd.DataFrame | None,
    new: pd.DataFrame,
    keys: list[str],
    months: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Stored rows not in the replaced (indicator, period) months, then ``new``; sorted by key.

    Parameters
    ----------
    stored
        The stored table, or ``None``.
    new
        This run's rows.
    keys
        Key columns of a row.
    months
        The (``indicator``, ``period``) pairs whose stored rows are replaced; by default those
        ``new`` has rows for. For alerts, pass every month the run judged, so that a month
        rerun with fewer alerts drops the stale ones.

    Examples
    --------
    >>> old = pd.DataFrame({"indicator": "a", "period": ["2024-01", "2024-02"], "v": [1, 2]})
    >>> new = pd.DataFrame({"indicator": "a", "period": ["2024-02", "2024-03"], "v": [5, 3]})
    >>> merge(old, new, ["indicator", "period"])["v"].tolist()
    [1, 5, 3]
    >>> merge(merge(old, new, ["indicator", "period"]), new, ["indicator", "period"]).equals(
    ...     merge(old, new, ["indicator", "period"]))
    True
    >>> judged = pd.DataFrame({"indicator": ["a"], "period": ["2024-02"]})
    >>> merge(old, new.iloc[:0], ["indicator", "period"], months=judged)["v"].tolist()
    [1]
    """
    if stored is None or stored.empty:
        out = new
    else:
        pairs = new if months is None else months
        replaced = pairs[["indicator", "period"]].drop_duplicates().assign(_replaced=True)
        kept = stored.merge(replaced, on=["indicator", "period"], how="left")
        kept = kept.loc[kept["_replaced"].isna()].drop(columns="_replaced")
        parts = [f for f in (kept, new) if len(f)]
        out = pd.concat(parts, ignore_index=True) if len(parts) == 2 else (parts or [new])[0]
    out = out.drop_duplicates(keys, keep="last")
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def write(out_dir: Path | str, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Write each table as ``RESULTS/monitor/<name>.parquet``; returns the paths."""
    where = folder(out_dir)
    where.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, table in tables.items():
        path = where / f"{name}.parquet"
        table.reset_index(drop=True).to_parquet(path, index=False)
        paths[name] = path
    return paths
