"""The whole of Find, from a mapped dataset to a results folder.

``run_find`` loads the user's tables through the data contracts, counts every indicator of the
catalogue by every breakdown inside the engine, compares and ranks the groups (disclosure control
included), and writes the results folder: ``findings.parquet``, ``gradients.parquet``,
``manifest.json`` recording what went in, and ``report.html`` (self-contained, charts inline).
From files, the tables are loaded and validated in DuckDB; with another engine (PySpark,
PostgreSQL) the validated tables the catalogue needs are then copied there and counted there.
Tables that already live in an engine (a warehouse built to the contracts) are checked and
counted where they are (``data=None``, see :func:`read_inputs`): nothing is copied.
The raw aggregates are never written: they have not been through disclosure control. This is the
function behind ``focuson find``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
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
from focuson.data.contracts.in_engine import check_in_engine
from focuson.engine import (
    Catalogue,
    aggregate,
    indicators_frame,
    load_catalogue,
    load_default_catalogue,
)
from focuson.engine.backends import ENGINES, connect, copy_dataset, describe_engine
from focuson.engine.catalogue import DEFAULT_CATALOGUE
from focuson.find.findings import FindResult, find, top_findings
from focuson.find.results import FIND_FILES, REPORT_FILE, write_results
from focuson.reports import is_synthetic, write_find_report
from focuson.runs.output import check_target, replacing, timestamp
from focuson.runs.paths import mapping_path

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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_file(engine: str, engine_url: str | None) -> str | None:
    """The DuckDB database file named by ``engine_url`` (other engines' URLs are not files)."""
    return engine_url if engine == "duckdb" else None


def catalogue_sha256(catalogue: Path | None) -> str:
    """The SHA-256 of the catalogue file, or of the default catalogue focuson ships."""
    if catalogue is not None:
        return _sha256(catalogue)
    shipped = resources.files("focuson.engine") / "catalogues" / DEFAULT_CATALOGUE
    return hashlib.sha256(shipped.read_bytes()).hexdigest()


def run_find(
    data: Path | None,
    out_dir: Path,
    *,
    catalogue: Path | None = None,
    imd: Path | None = None,
    alpha: float = 0.05,
    report: bool = True,
    step: Step | None = None,
    engine: str = "duckdb",
    engine_url: str | None = None,
    as_of: dt.date | None = None,
    coverage_from: dt.date | None = None,
    overwrite: bool = False,
) -> FindRun:
    """Run Find on the dataset mapped by ``data`` and write the results to ``out_dir``.

    Parameters
    ----------
    data
        The mapping file of the user's tables, or a folder holding ``focuson.toml``; ``None``
        for tables already in the engine, named and typed as the contracts say (they are
        checked and counted there; ``imd`` and ``as_of`` are then required).
    out_dir
        The results folder: new, empty, or holding focuson results. It is replaced whole when
        the run is done (a monitoring history in it is kept): killed at any moment, it holds
        the previous results or the new ones (:mod:`focuson.runs.output`).
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
    as_of, coverage_from
        For tables in the engine: the extract date (required) and the first day the data is
        complete for (optional); a mapping file gives them otherwise.
    overwrite
        Replace ``out_dir`` even when it holds something else than focuson results; nothing
        in it is kept.

    Raises
    ------
    FileNotFoundError
        For a missing mapping file or folder.
    ValueError
        For a dataset that breaks its contracts, no IMD file, an unknown engine,
        ``postgres`` without ``engine_url``, or an ``out_dir`` that holds something else
        (:class:`~focuson.runs.output.ResultsFolderError`, raised before any work).
    RuntimeError
        If the engine's software is missing or it cannot be reached.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    say = step or (lambda _text: None)
    inputs = read_inputs(data, catalogue, imd, as_of=as_of, coverage_from=coverage_from)
    keep = inputs.files(database_file(engine, engine_url))  # never inside the results folder
    check_target(out_dir, overwrite=overwrite, inputs=keep)
    aggregates, sources, row_counts = count(inputs, engine=engine, engine_url=engine_url, say=say)
    cat, imd_file = inputs.catalogue, inputs.imd_file
    indicators = indicators_frame(cat)

    say("Comparing groups, ranking gaps and applying disclosure control")
    result = find(aggregates, indicators, alpha=alpha)
    manifest: dict[str, Any] = {
        "focuson_version": __version__,
        "created": timestamp(),
        "inputs": {**inputs.describe(), "tables": sources, "rows": row_counts},
        # Recorded here, not only beside the data, so a copied or imported folder still says so.
        "synthetic": is_synthetic({"inputs": inputs.describe()}),
        "catalogue": {
            "file": str(catalogue) if catalogue else "focuson default catalogue",
            "sha256": catalogue_sha256(catalogue),
            "indicators": list(indicators["id"]),
        },
        "reference": {"imd": str(imd_file), "imd_sha256": _sha256(Path(imd_file))},
        "parameters": {"alpha": alpha, "confidence": 0.95, "disclosure": "NHS rule"},
        "engine": describe_engine(engine, engine_url),
    }
    say("Writing the results")
    # Written beside the results folder, then swapped in whole; the monitoring history is kept.
    with replacing(out_dir, own=FIND_FILES, overwrite=overwrite, inputs=keep, say=say) as staging:
        if report:
            say("Drawing the charts and writing the report")
            write_find_report(
                result.findings,
                result.gradients,
                indicators,
                staging / REPORT_FILE,
                manifest=manifest,
            )
        also = [REPORT_FILE] if report else []
        write_results(result, staging, manifest=manifest, also=also, indicators=indicators)
    report_path = Path(out_dir) / REPORT_FILE if report else None
    return FindRun(
        result=result,
        # the same function and list as the report's "10 biggest gaps"
        top=top_findings(result.findings, n=10),
        indicators=indicators,
        out_dir=Path(out_dir),
        manifest=manifest,
        aggregate_rows=len(aggregates),
        report=report_path,
    )


@dataclass(frozen=True)
class Inputs:
    """What a run (Find, Monitor) reads: its tables, IMD file and catalogue.

    The tables come from files through a mapping (``mapping``), or are already in the engine
    (``mapping`` is ``None``; ``as_of`` and ``coverage_from`` then stand in for the mapping's).
    """

    catalogue: Catalogue
    imd_file: Path
    mapping_file: Path | None = None
    mapping: DatasetMapping | None = None
    as_of: dt.date | None = None
    coverage_from: dt.date | None = None
    catalogue_file: Path | None = None

    def files(self, database: str | None = None) -> list[Path]:
        """The input files a results folder must not hold: mapping, tables, IMD, catalogue,
        and the DuckDB ``database`` file the tables are in, if any."""
        given = [self.imd_file, self.mapping_file, self.catalogue_file, database]
        if self.mapping is not None:
            given += [table.path for table in self.mapping.tables.values()]
        return [Path(p) for p in given if p is not None]

    def describe(self) -> dict[str, Any]:
        """Where the tables came from, for a manifest (the mapping file with its SHA-256)."""
        if self.mapping_file is not None:
            return {"mapping": str(self.mapping_file), "mapping_sha256": _sha256(self.mapping_file)}
        assert self.as_of is not None
        return {
            "mapping": None,
            "tables_in_engine": True,
            "as_of": self.as_of.isoformat(),
            "coverage_from": None if self.coverage_from is None else self.coverage_from.isoformat(),
        }


def read_inputs(
    data: Path | None,
    catalogue: Path | None,
    imd: Path | None,
    *,
    as_of: dt.date | None = None,
    coverage_from: dt.date | None = None,
) -> Inputs:
    """The inputs of a run (Find, Monitor): from a mapping file or folder (``data``), or, with
    ``data`` ``None``, tables already in the engine (then ``imd`` and ``as_of`` are required).

    Raises ``ValueError`` when no IMD file is given or named, for tables in the engine without
    ``as_of``, and for ``as_of`` or ``coverage_from`` given with a mapping (it has its own).
    """
    cat = load_catalogue(catalogue) if catalogue is not None else load_default_catalogue()
    if data is None:
        if imd is None:
            raise ValueError(
                "the tables are in the engine, so no mapping file names an IMD file: pass --imd "
                "with the IMD file that gives each LSOA its deprivation decile and borough"
            )
        if as_of is None:
            raise ValueError(
                "the tables are in the engine: pass --as-of with the extract date (YYYY-MM-DD), "
                "the last day the tables cover"
            )
        if coverage_from is not None and coverage_from > as_of:
            raise ValueError(
                f"--coverage-from {coverage_from.isoformat()} is after --as-of "
                f"{as_of.isoformat()}: the data cannot start after the extract"
            )
        return Inputs(
            cat, Path(imd), as_of=as_of, coverage_from=coverage_from, catalogue_file=catalogue
        )
    mapping_file = mapping_path(data)
    if as_of is not None or coverage_from is not None:
        raise ValueError(
            f"{mapping_file}: --as-of and --coverage-from are for tables in the engine; for "
            "files, write as_of and coverage_from in the mapping file"
        )
    mapping = read_mapping(mapping_file)
    imd_file = imd or mapping.reference_lsoa
    if imd_file is None:
        raise ValueError(
            f"{mapping_file}: no IMD file to give each LSOA its deprivation decile and borough; "
            "pass --imd or name one under [reference] lsoa in the mapping file"
        )
    return Inputs(
        cat, Path(imd_file), mapping_file=mapping_file, mapping=mapping, catalogue_file=catalogue
    )


def count(
    inputs: Inputs,
    *,
    engine: str = "duckdb",
    engine_url: str | None = None,
    say: Step,
) -> tuple[pd.DataFrame, dict[str, list[dict[str, Any]]], dict[str, int]]:
    """Check the tables and count the catalogue in the engine named.

    From files: load and check the tables in DuckDB, then count there or in a copy in the
    engine. Tables in the engine: check them there (:func:`check_in_engine`) and count there.
    Returns the AGGREGATES frame, the inputs (per table: files with their SHA-256, or the
    engine table) and the row counts, for the manifest. Shared by Find and Monitor.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    if inputs.mapping is None:
        return _count_in_engine(inputs, engine, engine_url, say)
    cat, imd_file = inputs.catalogue, inputs.imd_file
    # Connected before loading, so that a wrong address fails at once, not after the checks.
    backend = None
    if engine != "duckdb" or engine_url is not None:
        say(f"Connecting to {ENGINE_NAMES[engine]}")
        backend = connect(engine, url=engine_url)
    try:
        say("Loading and checking the tables")
        with load_dataset(inputs.mapping) as loaded:
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


def _count_in_engine(
    inputs: Inputs, engine: str, engine_url: str | None, say: Step
) -> tuple[pd.DataFrame, dict[str, list[dict[str, Any]]], dict[str, int]]:
    name = ENGINE_NAMES[engine]
    if engine == "duckdb" and engine_url is None:
        raise ValueError(
            "the tables are in the engine: for DuckDB, pass --engine-url with the database file "
            "that holds them"
        )
    say(f"Connecting to {name}")
    backend = connect(engine, url=engine_url)
    try:
        needed = sorted({ind.table for ind in inputs.catalogue})
        say(f"Checking the {len(needed) + 1} tables where they are, in {name}")
        assert inputs.as_of is not None
        row_counts = check_in_engine(backend, needed, as_of=inputs.as_of, engine_label=name)
        say(f"Counting every indicator by every breakdown in {name}")
        aggregates = aggregate(
            backend,
            inputs.catalogue,
            imd=inputs.imd_file,
            as_of=inputs.as_of,
            coverage_from=inputs.coverage_from,
        )
    finally:
        if engine != "pyspark":
            backend.disconnect()
    sources = {table: [{"engine": engine, "table": table}] for table in row_counts}
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
