"""The whole of Find, from a mapped dataset to a results folder.

``run_find`` loads the user's tables through the data contracts, counts every indicator of the
catalogue by every breakdown inside the engine, compares and ranks the groups (disclosure control
included), and writes the results folder: ``findings.parquet``, ``gradients.parquet``,
``manifest.json`` recording what went in, and ``report.html`` (self-contained, charts inline).
The tables are always loaded and validated in DuckDB; with another engine (PySpark,
PostgreSQL) the validated tables the catalogue needs are copied there and counted there.
The raw aggregates are never written: they have not been through disclosure control. This is the
function behind ``focuson find``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from focuson import __version__
from focuson.data.contracts import (
    LOAD_TABLE,
    DatasetMapping,
    LoadedDataset,
    load_dataset,
    read_mapping,
)
from focuson.engine import (
    Catalogue,
    aggregate,
    indicators_frame,
    load_catalogue,
    load_default_catalogue,
)
from focuson.engine.backends import ENGINES, connect, copy_dataset, describe_engine
from focuson.find.findings import FindResult, find, top_findings
from focuson.find.results import write_results
from focuson.reports import write_find_report

Step = Callable[[str], None]
ENGINE_NAMES = {"duckdb": "DuckDB", "pyspark": "Spark", "postgres": "PostgreSQL"}


@dataclass(frozen=True)
class FindRun:
    """What ``run_find`` produced."""

    result: FindResult
    top: pd.DataFrame
    indicators: pd.DataFrame
    out_dir: Path
    manifest: dict[str, Any]
    aggregate_rows: int
    report: Path | None


def mapping_path(data: Path) -> Path:
    """A mapping file, or a folder holding ``focuson.toml`` (as ``focuson synth`` writes)."""
    if data.is_dir():
        for name in ("focuson.toml", "focuson.yaml", "focuson.yml"):
            if (data / name).is_file():
                return data / name
        raise FileNotFoundError(
            f"{data}: no focuson.toml in this folder; give the mapping file of your tables "
            "(see docs/data-contracts.md) or a folder written by focuson synth"
        )
    if not data.is_file():
        raise FileNotFoundError(f"{data}: no such mapping file or folder")
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_find(
    data: Path,
    out_dir: Path,
    *,
    catalogue: Path | None = None,
    imd: Path | None = None,
    alpha: float = 0.05,
    report: bool = True,
    step: Step | None = None,
    engine: str = "duckdb",
    engine_url: str | None = None,
) -> FindRun:
    """Run Find on the dataset mapped by ``data`` and write the results to ``out_dir``.

    Parameters
    ----------
    data
        The mapping file of the user's tables, or a folder holding ``focuson.toml``.
    out_dir
        The results folder (created; its files are replaced).
    catalogue
        An indicator catalogue (YAML); the default catalogue when ``None``.
    imd
        The IMD file giving each LSOA's decile and borough; by default the mapping's reference
        LSOA file when it is an IMD file.
    alpha
        The false discovery rate for ``significant`` (Benjamini-Hochberg q-values).
    report
        Also write ``report.html``.
    step
        Called with a plain-English description as each stage starts (for progress display).
    engine
        Where the counting runs: one of :data:`~focuson.engine.backends.ENGINES`. The tables
        are validated in DuckDB whatever the engine; for another engine they are then copied
        there (see :func:`~focuson.engine.backends.copy_dataset`).
    engine_url
        Where that engine is (:func:`~focuson.engine.backends.connect`): required for
        ``postgres`` (a libpq URL), the Spark master for ``pyspark``.

    Raises
    ------
    FileNotFoundError
        For a missing mapping file or folder.
    ValueError
        For a dataset that breaks its contracts, no IMD file, an unknown engine or
        ``postgres`` without ``engine_url``.
    RuntimeError
        If the engine's software is missing or it cannot be reached.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    say = step or (lambda _text: None)
    mapping_file, mapping, imd_file, cat = read_inputs(data, catalogue, imd)

    aggregates, sources, row_counts = count(
        mapping, cat, imd_file, engine=engine, engine_url=engine_url, say=say
    )
    indicators = indicators_frame(cat)

    say("Comparing groups, ranking gaps and applying disclosure control")
    result = find(aggregates, indicators, alpha=alpha)
    manifest: dict[str, Any] = {
        "focuson_version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": {"mapping": str(mapping_file), "tables": sources, "rows": row_counts},
        "catalogue": {
            "file": str(catalogue) if catalogue else "focuson default catalogue",
            "sha256": _sha256(catalogue) if catalogue else None,
            "indicators": list(indicators["id"]),
        },
        "reference": {"imd": str(imd_file), "imd_sha256": _sha256(Path(imd_file))},
        "parameters": {"alpha": alpha, "confidence": 0.95, "disclosure": "NHS rule"},
        "engine": describe_engine(engine, engine_url),
    }
    say("Writing the results")
    write_results(result, out_dir, manifest=manifest)
    report_path = None
    if report:
        say("Drawing the charts and writing the report")
        report_path = write_find_report(
            result.findings,
            result.gradients,
            indicators,
            Path(out_dir) / "report.html",
            manifest=manifest,
            rank_all_periods=True,
        )
    return FindRun(
        result=result,
        top=top_findings(result.findings, n=10),
        indicators=indicators,
        out_dir=Path(out_dir),
        manifest=manifest,
        aggregate_rows=len(aggregates),
        report=report_path,
    )


def read_inputs(
    data: Path, catalogue: Path | None, imd: Path | None
) -> tuple[Path, DatasetMapping, Path, Catalogue]:
    """The mapping file and mapping, the IMD file and the catalogue of a run (Find, Monitor).

    Raises ``ValueError`` when neither ``imd`` nor the mapping names an IMD file.
    """
    mapping_file = mapping_path(data)
    mapping = read_mapping(mapping_file)
    imd_file = imd or mapping.reference_lsoa
    if imd_file is None:
        raise ValueError(
            f"{mapping_file}: no IMD file to give each LSOA its deprivation decile and borough; "
            "pass --imd or name one under [reference] lsoa in the mapping file"
        )
    cat = load_catalogue(catalogue) if catalogue is not None else load_default_catalogue()
    return mapping_file, mapping, imd_file, cat


def count(
    mapping: DatasetMapping,
    cat: Catalogue,
    imd_file: Path,
    *,
    engine: str = "duckdb",
    engine_url: str | None = None,
    say: Step,
) -> tuple[pd.DataFrame, dict[str, list[dict[str, Any]]], dict[str, int]]:
    """Load and check the tables in DuckDB, then count the catalogue in the engine named.

    Returns the AGGREGATES frame, the input files with their SHA-256 (per table) and the row
    counts, for the manifest. Shared by Find and Monitor.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    # Connected before loading, so that a wrong address fails at once, not after the checks.
    backend = None
    if engine != "duckdb" or engine_url is not None:
        say(f"Connecting to {ENGINE_NAMES[engine]}")
        backend = connect(engine, url=engine_url)
    try:
        say("Loading and checking the tables")
        with load_dataset(mapping) as loaded:
            aggregates = _aggregate(loaded, cat, imd_file, backend, say)
            sources = {
                table: [{"file": str(p), "sha256": sha, "bytes": size} for p, sha, size in files]
                for table, files in loaded.sources.items()
            }
            row_counts = dict(loaded.row_counts)
    finally:
        # PostgreSQL: closing drops the temporary copies. A Spark session is left running:
        # Spark allows one per process and whoever started it may still use it.
        if backend is not None and engine != "pyspark":
            backend.disconnect()
    return aggregates, sources, row_counts


def _aggregate(
    loaded: LoadedDataset,
    cat: Catalogue,
    imd_file: Path,
    backend: ibis.BaseBackend | None,
    say: Step,
) -> pd.DataFrame:
    """The AGGREGATES of the catalogue, counted in DuckDB (``backend`` None) or copied into
    ``backend`` and counted there."""
    if backend is None:
        say("Counting every indicator by every breakdown in DuckDB")
        return aggregate(loaded, cat, imd=imd_file)
    name = ENGINE_NAMES[backend.name]
    needed = {"persons"} | {ind.table for ind in cat}
    tables = [t for t in loaded.tables if t in needed] + [LOAD_TABLE]
    # Spark reads the Parquet copies lazily: the folder lives until the counting is done.
    with tempfile.TemporaryDirectory(prefix="focuson-engine-") as workdir:
        say(f"Copying the {len(tables) - 1} tables the catalogue needs into {name}")
        copy_dataset(loaded, backend, tables=tables, workdir=Path(workdir))
        say(f"Counting every indicator by every breakdown in {name}")
        return aggregate(backend, cat, imd=imd_file)
