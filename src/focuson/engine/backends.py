"""The engines: where :func:`~focuson.engine.aggregate` counts, and how the data gets there.

Every engine is an Ibis backend. The user's tables are always read and validated in DuckDB
(:func:`~focuson.data.contracts.load_dataset`: one place for the contracts and their errors);
for another engine, :func:`connect` opens it and :func:`copy_dataset` copies the validated
tables into it, and the same catalogue then runs there unchanged.

=========  ====================================  ==============================================
engine     ``url``                               the copies
=========  ====================================  ==============================================
duckdb     a database file, or none (memory)     none needed: counting runs on the load itself
pyspark    a Spark master (default ``local[2]``)  Parquet files read as temporary views
postgres   a libpq URL (required)                temporary tables of the connection
=========  ====================================  ==============================================

Examples
--------
>>> ENGINES
('duckdb', 'pyspark', 'postgres')
>>> backend = connect("duckdb")
>>> backend.name
'duckdb'
>>> backend.disconnect()
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import ibis

from focuson.data.contracts import LOAD_TABLE, LoadedDataset

#: The engines :func:`connect` knows, the default first.
ENGINES: tuple[str, ...] = ("duckdb", "pyspark", "postgres")


def connect(engine: str, *, url: str | None = None) -> ibis.BaseBackend:
    """Open an engine as an Ibis backend.

    Parameters
    ----------
    engine
        One of :data:`ENGINES`.
    url
        Where the engine is: for ``duckdb`` a database file (default: in memory), for
        ``pyspark`` the Spark master (default: a quiet local session, ``local[2]``), for
        ``postgres`` a libpq connection string (required), e.g.
        ``postgresql://user@localhost:5432/dbname``.

    Returns
    -------
    ibis.BaseBackend
        The backend; ``backend.disconnect()`` closes it.

    Raises
    ------
    ValueError
        For an unknown engine, or ``postgres`` without a URL.
    RuntimeError
        If the engine's software is missing (run ``scripts/setup.sh --engines``) or it cannot
        be reached.

    Examples
    --------
    >>> connect("oracle")
    Traceback (most recent call last):
    ...
    ValueError: engine: expected one of duckdb, pyspark, postgres, got 'oracle'
    """
    if engine == "duckdb":
        return ibis.duckdb.connect(url or ":memory:")
    if engine == "pyspark":
        from focuson.engine.spark import connect_spark

        return connect_spark(url)
    if engine == "postgres":
        if not url:
            raise ValueError(
                "the postgres engine needs the database's address: pass --engine-url "
                "postgresql://USER@HOST:PORT/DBNAME (scripts/postgres.sh start DIR PORT "
                "starts a scratch server and prints one)"
            )
        from focuson.engine.postgres import connect_postgres

        return connect_postgres(url)
    raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")


def describe_engine(engine: str, url: str | None = None) -> dict[str, str | None]:
    """What a results manifest records about the engine: its name and address, no password.

    Examples
    --------
    >>> describe_engine("postgres", "postgresql://ann:secret@db.example/nhs")
    {'name': 'postgres', 'url': 'user=ann dbname=nhs host=db.example'}
    >>> describe_engine("duckdb")
    {'name': 'duckdb', 'url': None}
    """
    if engine == "postgres" and url:
        from focuson.engine.postgres import redact_url

        url = redact_url(url)
    return {"name": engine, "url": url}


def copy_dataset(
    dataset: LoadedDataset,
    backend: ibis.BaseBackend,
    *,
    tables: Sequence[str] | None = None,
    workdir: Path | None = None,
) -> None:
    """Copy the validated tables of a DuckDB load into another engine.

    Parameters
    ----------
    dataset
        The loaded, validated dataset (:func:`~focuson.data.contracts.load_dataset`).
    backend
        The engine (:func:`connect`). The DuckDB backend of the load itself needs no copy.
    tables
        The tables to copy; by default every loaded table and the load table (which carries
        ``as_of``).
    workdir
        For ``pyspark``: the folder for the Parquet files Spark reads (kept as long as the
        backend uses the tables); by default a new temporary folder, left for the system to
        clear.

    Raises
    ------
    ValueError
        For a backend of another engine than :data:`ENGINES`, or a table not loaded.

    Examples
    --------
    >>> import tempfile
    >>> from focuson.data.contracts import load_dataset
    >>> from focuson.data.synthetic import generate
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     s = generate(tmp, scale=0.002, seed=1)
    ...     with load_dataset(s.mapping) as data:
    ...         backend = connect("duckdb")
    ...         copy_dataset(data, backend, tables=["persons"])
    ...         n = backend.table("persons").count().execute()
    ...         backend.disconnect()
    >>> n == data.row_counts["persons"]
    True
    """
    names = list(tables) if tables is not None else [*dataset.tables, LOAD_TABLE]
    copy_tables(dataset.connection, backend, names, workdir=workdir)


def copy_tables(
    con: duckdb.DuckDBPyConnection,
    backend: ibis.BaseBackend,
    tables: Sequence[str],
    *,
    workdir: Path | None = None,
) -> None:
    """Copy tables of a DuckDB connection into an engine (what :func:`copy_dataset` does).

    Parameters
    ----------
    con
        The DuckDB connection holding the tables.
    backend
        The engine; for DuckDB, another database (the connection's own backend needs no copy).
    tables
        The tables to copy; each replaces the engine's copy of the same name.
    workdir
        For ``pyspark``: the folder for the Parquet files (see :func:`copy_dataset`).

    Raises
    ------
    ValueError
        For a backend of another engine than :data:`ENGINES`, or a table ``con`` lacks.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE t AS SELECT DATE '2024-02-29' AS d, NULL::VARCHAR AS s")
    >>> backend = connect("duckdb")
    >>> copy_tables(con, backend, ["t"])
    >>> backend.table("t").to_pyarrow().to_pylist()
    [{'d': datetime.date(2024, 2, 29), 's': None}]
    >>> backend.disconnect()
    """
    if backend.name == "duckdb":
        if getattr(backend, "con", None) is con:
            return
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        missing = [t for t in tables if t not in present]
        if missing:
            raise ValueError(f"tables: DuckDB has no table {', '.join(missing)}")
        target = backend.con
        for name in tables:
            quoted = name.replace('"', '""')
            reader = con.execute(f'SELECT * FROM "{quoted}"').to_arrow_reader(250_000)
            target.register("_focuson_copy", reader)
            try:
                target.execute(f'CREATE OR REPLACE TABLE "{quoted}" AS FROM _focuson_copy')
            finally:
                target.unregister("_focuson_copy")
    elif backend.name == "pyspark":
        from focuson.engine.spark import copy_to_spark

        folder = workdir or Path(tempfile.mkdtemp(prefix="focuson-spark-"))
        copy_to_spark(con, backend, tables, folder)
    elif backend.name == "postgres":
        from focuson.engine.postgres import copy_to_postgres

        copy_to_postgres(con, backend, tables)
    else:
        raise ValueError(
            f"backend: expected one of {', '.join(ENGINES)}, got a {backend.name!r} backend"
        )
