"""PySpark as an engine: a local (or cluster) Spark session behind Ibis, and the data copied in.

:func:`connect_spark` starts (or reuses) a Spark session and wraps it in an Ibis backend that
:func:`~focuson.engine.aggregate` runs on unchanged. :func:`copy_to_spark` moves the contract
tables that :func:`~focuson.data.contracts.load_dataset` validated in DuckDB into it: DuckDB
writes each table to Parquet and Spark reads the files, so rows never go through pandas and
types are kept (dates stay dates, timestamps stay timestamps). Validation stays in DuckDB: one
place.

The local session is made to be quiet and closed: no web UI, logs at ``ERROR``, everything bound
to ``127.0.0.1``, session time zone UTC (as Ibis sets it: differences of timestamps never cross
a clock change), few shuffle partitions (test-sized data), and nothing downloaded (no
``spark.jars.packages``).

Patient rows stay in the engine: this module never logs, prints or puts a row's values in an
error.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from focuson.data.contracts import load_dataset
>>> from focuson.data.synthetic import generate
>>> from focuson.engine import aggregate, load_default_catalogue
>>> tmp = Path(tempfile.mkdtemp())  # doctest: +SKIP
>>> s = generate(tmp / "data", scale=0.002, seed=1)  # doctest: +SKIP
>>> backend = connect_spark()  # doctest: +SKIP
>>> with load_dataset(s.mapping) as data:  # doctest: +SKIP
...     copy_to_spark(data.connection, backend, ["persons", "ae_attendances"], tmp / "spark")
...     frame = aggregate(
...         backend, load_default_catalogue().select(["ae_4_hours"]), imd=s.imd_file
...     )
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir

#: The master of a local session: two worker threads (the CI machine has two cores).
DEFAULT_MASTER = "local[2]"

# Spark's default log4j2 profile logs INFO lines on stderr. A PySpark session then prints
# "Setting default log level" unless the root level is WARN (the level Spark gives a shell):
# WARN here, the one start-up warning (no native Hadoop library: not needed) silenced, and
# ERROR once the session runs (``setLogLevel``).
_LOG4J2 = """\
status = error
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""


@cache
def _backend_class() -> Any:
    """Ibis's PySpark backend, with in-memory tables registered before ``Table.cache()``.

    Ibis 12's PySpark backend compiles a cached table without registering the in-memory tables
    (``ibis.memtable``) it reads, so Spark cannot find them (``TABLE_OR_VIEW_NOT_FOUND``);
    every other Ibis backend creates cached tables through ``create_table``, which does.
    :func:`~focuson.engine.aggregate` caches a people table joined with memtables. Built on
    first use so that importing this module does not need PySpark.
    """
    from ibis.backends.pyspark import Backend

    # Loading the backend through ``ibis.pyspark`` (once, then cached) also registers
    # ``ibis.options.pyspark``, which compiling float literals reads; importing the class not.
    _ = ibis.pyspark

    class SparkBackend(Backend):
        def _create_cached_table(self, name: str, expr: ir.Table) -> ir.Table:
            self._run_pre_execute_hooks(expr)
            table: ir.Table = super()._create_cached_table(name, expr)
            return table

    return SparkBackend


def connect_spark(master: str | None = None) -> ibis.BaseBackend:
    """An Ibis PySpark backend on a Spark session: a quiet local one by default.

    If a Spark session is already running in this process it is reused (Spark allows one per
    process), with the settings below applied to it where Spark allows changing them.

    Parameters
    ----------
    master
        The Spark master URL (``local[4]``, ``spark://host:7077``...); default ``local[2]``.

    Returns
    -------
    ibis.BaseBackend
        The backend; ``backend.disconnect()`` stops the session.

    Raises
    ------
    RuntimeError
        If Java or PySpark is missing (run ``scripts/setup.sh --engines``).

    Notes
    -----
    Settings: ``spark.ui.enabled=false``, driver bound to ``127.0.0.1`` (and
    ``SPARK_LOCAL_IP=127.0.0.1`` in this process's environment unless already set, so nothing
    listens beyond localhost), ``spark.sql.session.timeZone=UTC``,
    ``spark.sql.shuffle.partitions=2``, Arrow for results, Python workers on this interpreter,
    the (unused) warehouse in a temporary directory, logs at ``ERROR``.

    Examples
    --------
    >>> DEFAULT_MASTER
    'local[2]'
    >>> backend = connect_spark()  # doctest: +SKIP
    >>> backend.name  # doctest: +SKIP
    'pyspark'
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "the pyspark engine needs PySpark: run scripts/setup.sh --engines"
        ) from error
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise RuntimeError(
            "the pyspark engine needs Java 17 or later: run scripts/setup.sh --engines"
        )
    # The driver would otherwise bind to the machine's network address (and warn about it).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    scratch = Path(tempfile.gettempdir()) / "focuson-spark"
    scratch.mkdir(parents=True, exist_ok=True)
    log4j = scratch / "log4j2.properties"
    if not log4j.exists() or log4j.read_text() != _LOG4J2:
        log4j.write_text(_LOG4J2)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.pyspark.python": sys.executable,
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={log4j.as_uri()}",
    }
    builder = SparkSession.builder.master(master or DEFAULT_MASTER).appName("focuson")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    backend: ibis.BaseBackend = _backend_class()().connect(session)
    return backend


def copy_to_spark(
    con: duckdb.DuckDBPyConnection,
    backend: ibis.BaseBackend,
    tables: Sequence[str],
    workdir: Path,
) -> None:
    """Copy tables from a DuckDB connection into a Spark backend, through Parquet files.

    DuckDB writes each table to a new file ``workdir/table-<table>-<random>.parquet`` (never
    over a file Spark may still read for an earlier copy); Spark reads it and registers it as a
    temporary view of the same name, replacing one already there. Types are kept: integers,
    strings, dates, and timestamps, which DuckDB writes without a time zone and Spark reads as
    ``TIMESTAMP_NTZ`` (the same wall-clock time in any session time zone). No row goes through
    pandas.

    Parameters
    ----------
    con
        The DuckDB connection holding the tables (``LoadedDataset.connection``).
    backend
        A PySpark backend (:func:`connect_spark`).
    tables
        The names of the tables to copy.
    workdir
        A folder for the Parquet files (created if needed). Spark reads them lazily: keep the
        folder as long as the backend uses the tables.

    Raises
    ------
    ValueError
        If the backend is not PySpark or DuckDB has no such table.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE t AS SELECT DATE '2024-02-29' AS d")
    >>> backend = connect_spark()  # doctest: +SKIP
    >>> copy_to_spark(con, backend, ["t"], Path(tempfile.mkdtemp()))  # doctest: +SKIP
    >>> backend.table("t").schema()  # doctest: +SKIP
    ibis.Schema {
      d  date
    }
    """
    if backend.name != "pyspark":
        raise ValueError(f"backend: expected a pyspark backend, got {backend.name!r}")
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    missing = [t for t in tables if t not in present]
    if missing:
        raise ValueError(f"tables: DuckDB has no table {', '.join(missing)}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for table in tables:
        # Spark skips files whose names start with "_" or "." (``_focuson_dataset``): prefix.
        path = (workdir / f"table-{table}-{uuid.uuid4().hex[:12]}.parquet").resolve()
        name = table.replace('"', '""')
        target = str(path).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{target}' (FORMAT parquet)")
        backend.read_parquet(path, table_name=table)
