"""The whole of Monitor, from a mapped dataset to the monitoring history of a results folder.

``run_monitor`` counts every indicator of the catalogue by every breakdown and month inside the
engine, makes the level series (through Find's comparisons and disclosure control) and the gap
series, adds them to the history stored in ``RESULTS/monitor/`` (a month already stored is
replaced, so the same month twice changes nothing), charts every stored series with SPC,
stores the alerts of the latest month (replacing any stored for the months judged) and writes the
monitoring report ``RESULTS/monitor/monitor.html``. This is the function behind
``focuson monitor``; :func:`monitor_aggregates` is everything after the engine (for an AGGREGATES
frame made elsewhere).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from focuson import __version__
from focuson.engine import indicators_frame
from focuson.engine.backends import describe_engine
from focuson.monitor import history
from focuson.monitor.alerts import MIN_PEOPLE, alerts
from focuson.monitor.series import gap_series, level_series
from focuson.monitor.spc import spc_gaps, spc_levels
from focuson.reports.monitor_report import render_monitor_report
from focuson.runs.find import count, read_inputs

Step = Callable[[str], None]


@dataclass(frozen=True)
class MonitorRun:
    """What ``run_monitor`` produced (the whole stored history, after this run)."""

    levels: pd.DataFrame
    gaps: pd.DataFrame
    level_points: pd.DataFrame
    gap_points: pd.DataFrame
    series: pd.DataFrame
    alerts: pd.DataFrame
    latest_alerts: pd.DataFrame
    out_dir: Path
    files: dict[str, Path]
    report: Path | None = None


def monitor_tables(
    levels: pd.DataFrame,
    gaps: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    min_people: float = MIN_PEOPLE,
    **spc_options: Any,
) -> dict[str, pd.DataFrame]:
    """SPC on the level and gap series and the alerts of their latest month.

    Parameters
    ----------
    levels, gaps
        The (stored and new) level and gap series.
    indicators
        The INDICATORS frame.
    min_people
        Fewest published people an alert may concern (:func:`focuson.monitor.alerts.alerts`).
    **spc_options
        Passed to :func:`focuson.spc.xmr.xmr` (e.g. ``run_length=6``).

    Returns
    -------
    dict
        ``spc_levels``, ``spc_gaps`` (per point), ``series`` (per series, ``kind`` level or
        gap) and ``alerts``.
    """
    level_points, level_summary = spc_levels(levels, indicators, **spc_options)
    gap_points, gap_summary = spc_gaps(gaps, **spc_options)
    found = alerts(levels, level_summary, gaps, gap_summary, indicators, min_people=min_people)
    series = pd.concat(
        [
            level_summary.assign(kind="level", measure=None),
            gap_summary.assign(kind="gap", dimension=None),
        ],
        ignore_index=True,
    )
    return {
        "spc_levels": level_points,
        "spc_gaps": gap_points,
        "series": series,
        "alerts": found,
    }


def run_monitor(
    data: Path | None,
    out_dir: Path,
    *,
    catalogue: Path | None = None,
    imd: Path | None = None,
    alpha: float = 0.05,
    min_people: float = MIN_PEOPLE,
    report: bool = True,
    step: Step | None = None,
    engine: str = "duckdb",
    engine_url: str | None = None,
    as_of: dt.date | None = None,
    coverage_from: dt.date | None = None,
    **spc_options: Any,
) -> MonitorRun:
    """Run Monitor on the dataset mapped by ``data`` and add it to the history in ``out_dir``.

    Parameters
    ----------
    data
        The mapping file of the user's tables, or a folder holding ``focuson.toml``; ``None``
        for tables already in the engine (see :func:`focuson.runs.find.run_find`).
    out_dir
        The results folder (a new one, or one from an earlier run of Find or Monitor).
    catalogue
        An indicator catalogue (YAML); the default catalogue when ``None``.
    imd
        The IMD file giving each LSOA's decile and borough (default: the mapping's).
    alpha
        False discovery rate of the comparisons behind ``new_inequality`` alerts.
    min_people
        Fewest published people an alert may concern (default 10).
    report
        Also write the monitoring report ``monitor/monitor.html``.
    step
        Called with a plain-English description as each stage starts.
    engine, engine_url
        Where the counting runs, as for :func:`focuson.runs.find.run_find`: tables from files
        are checked in DuckDB, then copied to the engine (``duckdb``, ``pyspark`` or
        ``postgres``); tables in the engine are checked and counted there.
    as_of, coverage_from
        For tables in the engine: the extract date (required) and the first complete day.
    **spc_options
        Passed to :func:`focuson.spc.xmr.xmr` (e.g. ``run_length=6``).

    Returns
    -------
    MonitorRun
        The whole stored history after this run; ``latest_alerts`` are this run's.
    """
    say = step or (lambda _text: None)
    inputs = read_inputs(data, catalogue, imd, as_of=as_of, coverage_from=coverage_from)
    aggregates, _sources, _rows = count(inputs, engine=engine, engine_url=engine_url, say=say)
    return monitor_aggregates(
        aggregates,
        indicators_frame(inputs.catalogue),
        out_dir,
        alpha=alpha,
        min_people=min_people,
        report=report,
        step=step,
        inputs={
            "inputs": inputs.describe(),
            "catalogue": str(catalogue) if catalogue else "focuson default catalogue",
            "reference": {"imd": str(inputs.imd_file)},
            "engine": describe_engine(engine, engine_url),
        },
        **spc_options,
    )


def monitor_aggregates(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    out_dir: Path,
    *,
    alpha: float = 0.05,
    min_people: float = MIN_PEOPLE,
    report: bool = True,
    step: Step | None = None,
    inputs: dict[str, Any] | None = None,
    **spc_options: Any,
) -> MonitorRun:
    """Monitor from an AGGREGATES frame: series, history, SPC, alerts, report.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame (monthly periods), counted by the engine.
    indicators
        The INDICATORS frame.
    out_dir
        The results folder; the history is kept in ``out_dir/monitor``.
    alpha, min_people, report, step, **spc_options
        As :func:`run_monitor`.
    inputs
        What went in, recorded in the manifest.

    Returns
    -------
    MonitorRun
    """
    say = step or (lambda _text: None)
    say("Making the level and gap series")
    new_levels = level_series(aggregates, indicators, alpha=alpha)
    new_gaps = gap_series(aggregates, indicators, new_levels)
    levels = history.merge(history.read(out_dir, "levels"), new_levels, history.KEYS["levels"])
    gaps = history.merge(history.read(out_dir, "gaps"), new_gaps, history.KEYS["gaps"])

    say("Charting every series with SPC and raising alerts")
    tables = monitor_tables(levels, gaps, indicators, min_people=min_people, **spc_options)
    latest = tables["alerts"]
    # every month judged this run: its stored alerts are replaced, stale ones included
    judged = (
        tables["series"][["indicator", "latest_period"]]
        .rename(columns={"latest_period": "period"})
        .drop_duplicates()
    )
    stored_alerts = history.read(out_dir, "alerts")
    all_alerts = history.merge(stored_alerts, latest, history.KEYS["alerts"], months=judged)

    say("Writing the history")
    files = history.write(
        out_dir,
        {
            "levels": levels,
            "gaps": gaps,
            "spc_levels": tables["spc_levels"],
            "spc_gaps": tables["spc_gaps"],
            "series": tables["series"],
            "alerts": all_alerts,
            "indicators": indicators,
        },
    )
    manifest: dict[str, Any] = {
        "focuson_version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        **(inputs or {}),
        "parameters": {
            "alpha": alpha,
            "min_people": min_people,
            "spc": {k: str(v) for k, v in spc_options.items()},
        },
        "months": sorted(levels["period"].unique().tolist()),
    }
    manifest_path = history.folder(out_dir) / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    files["manifest"] = manifest_path
    report_path = None
    if report:
        say("Drawing the SPC charts and writing the monitoring report")
        report_path = render_monitor_report(out_dir)
        files["report"] = report_path
    return MonitorRun(
        levels=levels,
        gaps=gaps,
        level_points=tables["spc_levels"],
        gap_points=tables["spc_gaps"],
        series=tables["series"],
        alerts=all_alerts,
        latest_alerts=latest,
        out_dir=Path(out_dir),
        files=files,
        report=report_path,
    )
