"""PostgreSQL as an engine: a connection behind Ibis, and the validated tables copied in.

:func:`connect_postgres` opens an Ibis PostgreSQL backend from a libpq URL (or ``key=value``
string). :func:`copy_to_postgres` moves the contract tables that
:func:`~focuson.data.contracts.load_dataset` validated in DuckDB into it, so that
:func:`~focuson.engine.aggregate` runs there unchanged. Validation stays in DuckDB: one place.

The copies are **temporary tables** of the connection: they shadow any table of the same name
for this connection only (PostgreSQL looks in the session's temporary schema first), nobody
else sees them, nothing is written to the write-ahead log, and they disappear when the
connection closes. Nothing is left behind in the user's database, and a ``persons`` table of
theirs is never touched.

Rows travel as Arrow record batches read from DuckDB, written as CSV text into PostgreSQL's
``COPY ... FROM STDIN`` (no Python loop over rows, no pandas). Types are kept: the target
columns are declared from the Arrow schema (dates stay ``date``, timestamps stay ``timestamp``,
integers keep their width) and CSV keeps an empty string apart from a null.

Patient rows stay in the engines: this module never logs, prints or puts a row's values in an
error.

Examples
--------
A server is needed (``scripts/postgres.sh start /tmp/pg`` prints a URL for a scratch one):

>>> BATCH_ROWS  # rows per piece sent to COPY
250000

>>> backend = connect_postgres("postgresql://postgres@/postgres?host=/tmp/pg")  # doctest: +SKIP
>>> with load_dataset(mapping) as data:  # doctest: +SKIP
...     copy_to_postgres(data.connection, backend, ["persons", "ae_attendances"])
...     frame = aggregate(backend, catalogue, imd=imd_file)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import duckdb
import ibis
import pyarrow as pa
import pyarrow.csv as pa_csv

#: Rows per Arrow batch read from DuckDB and sent in one piece to ``COPY``.
BATCH_ROWS = 250_000


def connect_postgres(url: str) -> ibis.BaseBackend:
    """An Ibis PostgreSQL backend on the database at ``url``.

    Parameters
    ----------
    url
        A libpq connection string: a URL (``postgresql://user:password@host:5432/dbname``,
        ``postgresql://user@/dbname?host=/path/to/socket/dir``) or ``key=value`` pairs
        (``host=localhost dbname=nhs``). Anything libpq reads (``sslmode``, ``PGPASSWORD``,
        ``~/.pgpass``) applies.

    Returns
    -------
    ibis.BaseBackend
        The backend (session time zone UTC, autocommit, no JIT); ``backend.disconnect()``
        closes it.

    Raises
    ------
    RuntimeError
        If the PostgreSQL client libraries are missing (run ``scripts/setup.sh --engines``),
        or the server cannot be reached (the message names the host and database, never the
        password).

    Examples
    --------
    >>> url = "postgresql://postgres@127.0.0.1:5432/postgres"
    >>> backend = connect_postgres(url)  # doctest: +SKIP
    >>> backend.name  # doctest: +SKIP
    'postgres'
    >>> connect_postgres("localhost")
    Traceback (most recent call last):
    ...
    RuntimeError: not a PostgreSQL connection string; expected e.g. postgresql://user@localhost:5432/dbname
    """
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError as error:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "the postgres engine needs psycopg and ibis[postgres]: run scripts/setup.sh --engines"
        ) from error
    try:
        params: dict[str, Any] = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise RuntimeError(
            "not a PostgreSQL connection string; expected e.g. "
            "postgresql://user@localhost:5432/dbname"
        ) from error
    # Ibis names two of libpq's keywords its own way; the rest pass through to libpq.
    if "dbname" in params:
        params["database"] = params.pop("dbname")
    try:
        backend = ibis.postgres.connect(**params)
    except psycopg.OperationalError as error:
        where = f"{params.get('host', 'localhost')}, database {params.get('database', '?')}"
        raise RuntimeError(f"cannot connect to PostgreSQL at {where}: {error}") from error
    # JIT compiles a query to machine code when its estimated cost is high. The planner's
    # estimates for aggregate's deep queries (a 13-way union, the population cross join) are
    # high whatever the data: compiling took 16 s on a 20-row table, and gained nothing on
    # 1.1 million rows (synthetic scale 0.1: 22 s either way).
    with backend.con.cursor() as cur:
        cur.execute("SET jit = off")
    return backend


def redact_url(url: str) -> str:
    """A connection string without its password (for manifests and messages).

    Examples
    --------
    >>> redact_url("postgresql://ann:secret@db.example:5433/nhs?sslmode=require")
    'user=ann dbname=nhs host=db.example port=5433 sslmode=require'
    >>> redact_url("not a url")
    '(not a PostgreSQL connection string)'
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(not a PostgreSQL connection string)"
    params.pop("password", None)
    return make_conninfo(**{k: str(v) for k, v in params.items()})


def copy_to_postgres(
    con: duckdb.DuckDBPyConnection, backend: ibis.BaseBackend, tables: Sequence[str]
) -> None:
    """Copy DuckDB tables into temporary tables of a PostgreSQL backend, types kept.

    Parameters
    ----------
    con
        The DuckDB connection holding the tables (``LoadedDataset.connection``).
    backend
        An Ibis PostgreSQL backend (:func:`connect_postgres`); the tables are created as its
        session's temporary tables, named as in DuckDB (replacing earlier copies).
    tables
        The names of the tables to copy.

    Raises
    ------
    ValueError
        If the backend is not PostgreSQL or DuckDB has no such table.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE t AS SELECT DATE '2024-02-29' AS d, '' AS s")
    >>> copy_to_postgres(con, backend, ["t"])  # doctest: +SKIP
    >>> backend.table("t").to_pandas()  # doctest: +SKIP
                d s
    0  2024-02-29
    """
    from psycopg import sql

    if backend.name != "postgres":
        raise ValueError(f"backend: expected a postgres backend, got {backend.name!r}")
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    missing = [t for t in tables if t not in present]
    if missing:
        raise ValueError(f"tables: DuckDB has no table {', '.join(missing)}")
    pg = backend.con  # the psycopg connection behind the Ibis backend
    for name in tables:
        quoted = name.replace('"', '""')
        reader = con.execute(f'SELECT * FROM "{quoted}"').to_arrow_reader(BATCH_ROWS)
        schema = ibis.Schema.from_pyarrow(reader.schema)
        table = sql.Identifier(name)
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in reader.schema.names)
        with pg.transaction(), pg.cursor() as cur:
            # pg_temp: only ever a copy of ours, never the user's table of the same name.
            cur.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(table))
        backend.create_table(name, schema=schema, temp=True)
        with pg.transaction(), pg.cursor() as cur:
            copy = sql.SQL("COPY pg_temp.{} ({}) FROM STDIN WITH (FORMAT csv)")
            with cur.copy(copy.format(table, columns)) as pipe:
                for batch in reader:
                    pipe.write(_csv(batch))
            # Autovacuum never sees temporary tables: without statistics the planner guesses.
            cur.execute(sql.SQL("ANALYZE pg_temp.{}").format(table))


def _csv(batch: pa.RecordBatch) -> bytes:
    """A batch as CSV without header: nulls unquoted and empty, strings quoted (so an empty
    string stays ``""``), dates ``YYYY-MM-DD``, timestamps ISO with microseconds."""
    out = io.BytesIO()
    pa_csv.write_csv(batch, out, pa_csv.WriteOptions(include_header=False))
    return out.getvalue()
