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
``manifest.json``         ``kind`` ("focuson monitoring           (rewritten each run)
                          history"), the dataset it is of, the
                          inputs with their SHA-256, every file
                          above with its SHA-256
========================  ======================================  ==========================

A run replaces the whole folder at once (:mod:`focuson.runs.output`), so a kill never leaves
half a history. :func:`read` checks each file against the SHA-256 the manifest gives it and
names the file it cannot read; :func:`check_dataset` refuses to add one dataset's months to
another's history (``docs/results.md``).

:func:`merge` adds a run's months to the stored series: a month already stored is replaced by
the new run's rows for it, so running on the same month twice changes nothing, and the next
month's data adds to the history. Alerts accumulate the same way, keyed by the month they are
about, except that a run replaces *every* stored alert of the months it judged (``months``), not
only those it raises again: an alert that no longer holds after a rerun (corrected data, a new
threshold) does not linger. Rows are sorted by their key, so equal content gives equal files.

Every table but ``indicators`` carries label columns beside its codes (``indicator_title``,
``dimension_label``, ``measure_label``, ``group_label``...: :mod:`focuson.labels`), worked
out again at each write; :func:`read` leaves them out, so code works on the codes.
``docs/outputs.md`` describes every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from focuson.find.results import (
    MANIFEST_FILE,
    read_manifest,
    sha256,
    write_manifest,
    write_parquet,
)
from focuson.labels import LABEL_COLUMNS, label_columns

FOLDER = "monitor"
MONITOR_KIND = "focuson monitoring history"
AFTERWARDS = (
    "Put the results folder back from a backup, or start a new history with focuson monitor "
    "--overwrite (it replaces the results folder: the months stored so far are lost)"
)
KEYS: dict[str, list[str]] = {
    "levels": ["indicator", "period", "dimension", "group"],
    "gaps": ["indicator", "period", "measure", "group"],
    "alerts": ["kind", "indicator", "about", "group", "period"],
}


def folder(out_dir: Path | str) -> Path:
    """The monitoring folder of a results folder."""
    return Path(out_dir) / FOLDER


class HistoryError(ValueError):
    """The monitoring history cannot be read or added to; the message says what to do."""


def stored_manifest(out_dir: Path | str) -> dict[str, Any] | None:
    """The manifest of the history in ``out_dir``, or ``None`` when there is no history.

    Raises :class:`HistoryError`, naming the file, when the manifest is there but unreadable.
    """
    path = folder(out_dir) / MANIFEST_FILE
    if not path.exists():
        return None
    manifest = read_manifest(path)
    if manifest is None or "months" not in manifest:
        raise HistoryError(
            f"{path}: cannot read the manifest of this monitoring history. {AFTERWARDS}"
        )
    return manifest


def is_history(out_dir: Path | str) -> bool:
    """Whether ``out_dir`` holds a monitoring history written by focuson (older ones included)."""
    manifest = read_manifest(folder(out_dir) / MANIFEST_FILE)
    if manifest is None:
        return False
    legacy = "focuson_version" in manifest and "months" in manifest
    return manifest.get("kind") == MONITOR_KIND or legacy


def check_files(out_dir: Path | str) -> None:
    """Check every file the history's manifest lists against its SHA-256 (before a run starts).

    Raises :class:`HistoryError` naming the first file missing or changed.
    """
    manifest = stored_manifest(out_dir)
    for name, entry in sorted(((manifest or {}).get("outputs") or {}).items()):
        path = folder(out_dir) / name
        if not path.is_file():
            raise HistoryError(
                f"{path}: this file of the monitoring history is missing. {AFTERWARDS}"
            )
        if isinstance(entry, dict) and entry.get("sha256") not in (None, sha256(path)):
            raise HistoryError(
                f"{path}: this file of the monitoring history is not the one its manifest lists "
                f"(its SHA-256 differs): it was changed or damaged after it was written. "
                f"{AFTERWARDS}"
            )


def read(out_dir: Path | str, name: str) -> pd.DataFrame | None:
    """A stored table without its label columns, or ``None`` when the results folder has none.

    The file is checked against the SHA-256 its manifest gives (when it gives one); a file that
    differs or cannot be read raises :class:`HistoryError` naming it and saying what to do.
    """
    path = folder(out_dir) / f"{name}.parquet"
    if not path.is_file():
        return None
    listed = ((stored_manifest(out_dir) or {}).get("outputs") or {}).get(path.name) or {}
    if listed.get("sha256") not in (None, sha256(path)):
        raise HistoryError(
            f"{path}: this file of the monitoring history is not the one its manifest lists "
            f"(its SHA-256 differs): it was changed or damaged after it was written. {AFTERWARDS}"
        )
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise HistoryError(
            f"{path}: cannot read this file of the monitoring history ({reason}). {AFTERWARDS}"
        ) from exc
    labels = [c for c in LABEL_COLUMNS.values() if c in frame and name != "indicators"]
    return frame.drop(columns=labels)


def check_dataset(out_dir: Path | str, dataset: Mapping[str, Any]) -> None:
    """Refuse to add ``dataset``'s months to a history of another dataset.

    ``dataset`` is what identifies a dataset from one month's extract to the next (its name in
    the mapping file, where its tables are, the IMD file's SHA-256, the LSOA vintage). A history
    written before this was recorded takes the dataset of the run that adds to it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = folder(tmp).mkdir()
    ...     _ = write_manifest_for(tmp, {"months": [], "dataset": {"name": "A"}}, files=[])
    ...     check_dataset(tmp, {"name": "A"})   # the same dataset: fine
    ...     try:
    ...         check_dataset(tmp, {"name": "B"})
    ...     except HistoryError as exc:
    ...         print(str(exc).split(": ", 1)[1][:45])
    this monitoring history is of another dataset
    """
    manifest = stored_manifest(out_dir)
    stored = None if manifest is None else manifest.get("dataset")
    if not isinstance(stored, dict):
        return
    differ = [k for k in sorted(set(stored) | set(dataset)) if stored.get(k) != dataset.get(k)]
    if not differ:
        return

    def shown(key: str, value: Any) -> str:
        short = key.endswith("sha256") and isinstance(value, str)
        return repr(value[:12] + "...") if short else repr(value)

    what = "; ".join(
        f"{k} {shown(k, stored.get(k))} there, {shown(k, dataset.get(k))} here" for k in differ
    )
    raise HistoryError(
        f"{folder(out_dir)}: this monitoring history is of another dataset ({what}), and the "
        "months of two datasets cannot share one history; nothing was written. Give --out "
        "another folder for this dataset, or pass --overwrite to replace this results folder "
        "and start a new history (the months stored so far are lost)"
    )


def write_manifest_for(
    out_dir: Path | str, manifest: Mapping[str, Any], *, files: list[str]
) -> dict[str, Any]:
    """Write the history's ``manifest.json`` (``kind`` and every file's SHA-256 added)."""
    return write_manifest(folder(out_dir), manifest, kind=MONITOR_KIND, files=files)


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
    """Write each table as ``RESULTS/monitor/<name>.parquet``, the same bytes for the same
    rows; returns the paths. This writes in place: a run writes into a new results folder that
    replaces the old one whole (:func:`focuson.runs.output.replacing`).

    Each table but ``indicators`` is written with its label columns
    (:func:`focuson.labels.label_columns`; indicator titles from ``tables["indicators"]``).

    Examples
    --------
    >>> import tempfile
    >>> levels = pd.DataFrame({"indicator": ["a"], "period": ["2024-01"],
    ...                        "dimension": ["imd_quintile"], "group": ["1"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write(tmp, {"levels": levels,
    ...                         "indicators": pd.DataFrame({"id": ["a"], "title": ["Uptake"]})})
    ...     stored = pd.read_parquet(paths["levels"])
    ...     back = read(tmp, "levels")
    >>> stored.iloc[0].tolist(), list(back.columns) == list(levels.columns)
    (['a', 'Uptake', '2024-01', 'imd_quintile', 'IMD quintile', '1', 'Most deprived fifth'], True)
    """
    where = folder(out_dir)
    where.mkdir(parents=True, exist_ok=True)
    indicators = tables.get("indicators")
    paths: dict[str, Path] = {}
    for name, table in tables.items():
        path = where / f"{name}.parquet"
        write_parquet(table if name == "indicators" else label_columns(table, indicators), path)
        paths[name] = path
    return paths
