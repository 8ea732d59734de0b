"""The whole of Monitor, from a mapped dataset to the monitoring history of a results folder.

``run_monitor`` counts every indicator of the catalogue by every breakdown and month inside the
engine, makes the level series (through Find's comparisons and disclosure control) and the gap
series, adds them to the history stored in ``RESULTS/monitor/`` (a month already stored is
replaced, so the same month twice changes nothing), charts every stored series with SPC,
stores the alerts of the latest month (replacing any stored for the months judged) and writes the
monitoring report ``RESULTS/monitor/monitor.html``. The history is read and written under the
results folder's lock, and the whole folder is replaced at once (:mod:`focuson.runs.output`):
two runs at once take turns, a killed run leaves the history as it was, and a history refuses
the months of another dataset (:func:`dataset_identity`). This is the function behind
``focuson monitor``; :func:`monitor_aggregates` is everything after the engine (for an AGGREGATES
frame made elsewhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from focuson import __version__
from focuson.engine import indicators_frame
from focuson.engine.backends import describe_engine
from focuson.find.results import sha256
from focuson.monitor import history
from focuson.monitor.alerts import MIN_PEOPLE, REPORT_FILE, alerts
from focuson.monitor.series import gap_series, level_series
from focuson.monitor.spc import spc_gaps, spc_levels
from focuson.reports import is_synthetic
from focuson.reports.monitor_report import render_monitor_report
from focuson.runs.find import Inputs, catalogue_sha256, count, database_file, read_inputs
from focuson.runs.output import check_target, replacing, timestamp

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
    gap_points, gap_summary = spc_gaps(gaps, indicators, **spc_options)
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
    overwrite: bool = False,
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
    overwrite
        Replace ``out_dir`` whatever it holds (another dataset's history, files that are not
        focuson's) and start a new history there; nothing in it is kept.
    **spc_options
        Passed to :func:`focuson.spc.xmr.xmr` (e.g. ``run_length=6``).

    Returns
    -------
    MonitorRun
        The whole stored history after this run; ``latest_alerts`` are this run's.

    Raises
    ------
    ValueError
        As :func:`~focuson.runs.find.run_find`; before any work, for an ``out_dir`` that holds
        something else or the history of another dataset, or an unreadable history (the
        message names the file).
    """
    say = step or (lambda _text: None)
    inputs = read_inputs(data, catalogue, imd, as_of=as_of, coverage_from=coverage_from)
    dataset = dataset_identity(inputs, engine, engine_url)
    keep = inputs.files(database_file(engine, engine_url))  # never inside the results folder
    check_target(out_dir, overwrite=overwrite, inputs=keep)
    if not overwrite:
        history.check_dataset(out_dir, dataset)
        history.check_files(out_dir)
    aggregates, sources, rows = count(inputs, engine=engine, engine_url=engine_url, say=say)
    return monitor_aggregates(
        aggregates,
        indicators_frame(inputs.catalogue),
        out_dir,
        alpha=alpha,
        min_people=min_people,
        report=report,
        step=step,
        inputs={
            "inputs": {**inputs.describe(), "tables": sources, "rows": rows},
            "catalogue": {
                "file": str(catalogue) if catalogue else "focuson default catalogue",
                "sha256": catalogue_sha256(catalogue),
            },
            "reference": {"imd": str(inputs.imd_file), "imd_sha256": dataset["imd_sha256"]},
            "engine": describe_engine(engine, engine_url),
        },
        dataset=dataset,
        overwrite=overwrite,
        input_files=keep,
        **spc_options,
    )


def dataset_identity(inputs: Inputs, engine: str, engine_url: str | None) -> dict[str, Any]:
    """What stays the same from one month's extract of a dataset to the next.

    A history keeps the identity of its dataset and refuses another's months
    (:func:`focuson.monitor.history.check_dataset`): the dataset's ``name`` in its mapping file
    (name your dataset there so that two datasets' histories are told apart), where its tables
    are (files, or the engine's address for tables in an engine), the LSOA vintage and the IMD
    file's SHA-256 (other deciles, other series). The tables' own SHA-256 are not part of it:
    they change with every extract.
    """
    where = "files"
    if inputs.mapping is None:
        where = f"tables in {engine} ({describe_engine(engine, engine_url)['url']})"
    return {
        "name": None if inputs.mapping is None else inputs.mapping.name,
        "tables": where,
        "lsoa_vintage": None if inputs.mapping is None else inputs.mapping.lsoa_vintage,
        "imd_sha256": sha256(inputs.imd_file),
    }


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
    dataset: dict[str, Any] | None = None,
    overwrite: bool = False,
    input_files: Iterable[Path] = (),
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
        The results folder; the history is kept in ``out_dir/monitor``. The folder is locked
        while the history is read, added to and written, and replaced whole at the end.
    alpha, min_people, report, step, overwrite, **spc_options
        As :func:`run_monitor`.
    inputs
        What went in, recorded in the manifest.
    dataset
        The dataset's identity (:func:`dataset_identity`): a history of another dataset is
        refused; ``None`` checks nothing.
    input_files
        Files the results folder must not hold (the run's inputs).

    Returns
    -------
    MonitorRun
    """
    say = step or (lambda _text: None)
    say("Making the level and gap series")
    new_levels = level_series(aggregates, indicators, alpha=alpha)
    new_gaps = gap_series(aggregates, indicators, new_levels)
    with replacing(
        out_dir, own={history.FOLDER}, overwrite=overwrite, inputs=input_files, say=say
    ) as staging:
        # Under the lock: no other run changes the history between this read and the swap.
        if dataset is not None and not overwrite:
            history.check_dataset(out_dir, dataset)
        stored = {
            name: None if overwrite else history.read(out_dir, name)
            for name in ("levels", "gaps", "alerts")
        }
        levels = history.merge(stored["levels"], new_levels, history.KEYS["levels"])
        gaps = history.merge(stored["gaps"], new_gaps, history.KEYS["gaps"])

        say("Charting every series with SPC and raising alerts")
        tables = monitor_tables(levels, gaps, indicators, min_people=min_people, **spc_options)
        latest = tables["alerts"]
        # every month judged this run: its stored alerts are replaced, stale ones included
        judged = (
            tables["series"][["indicator", "latest_period"]]
            .rename(columns={"latest_period": "period"})
            .drop_duplicates()
        )
        all_alerts = history.merge(stored["alerts"], latest, history.KEYS["alerts"], months=judged)

        say("Writing the history")
        written = history.write(
            staging,
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
            "created": timestamp(),
            **(inputs or {}),
            "dataset": dataset,
            "synthetic": is_synthetic(inputs),
            "parameters": {
                "alpha": alpha,
                "min_people": min_people,
                "spc": {k: str(v) for k, v in spc_options.items()},
            },
            "months": sorted(levels["period"].unique().tolist()),
        }
        names = [path.name for path in written.values()]
        # The report shows the manifest, and the manifest lists the report: written twice.
        history.write_manifest_for(staging, manifest, files=names)
        if report:
            say("Drawing the SPC charts and writing the monitoring report")
            names.append(render_monitor_report(staging).name)
        history.write_manifest_for(staging, manifest, files=names)
    where = history.folder(out_dir)
    files = {name: where / path.name for name, path in written.items()}
    files["manifest"] = where / "manifest.json"
    report_path = where / REPORT_FILE if report else None
    if report_path is not None:
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
