"""The PySpark engine itself (:mod:`focuson.engine.spark`): the session, the copy, the cache fix.

The spec files run every engine through the ``engine`` fixture; these tests cover what only the
Spark adapter does: its session settings, Parquet copies (types, row counts, values at the
edges of dates and timestamps, a table whose name Spark would take for a hidden file), the
``Table.cache()`` of memtables that Ibis's PySpark backend lacks, and ``aggregate``'s other
path (``strategy="union"``: every dimension grouped in Spark) and explicit periods, compared
with DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from focuson.data.contracts import LOAD_TABLE, LoadedDataset, load_dataset
from focuson.data.synthetic import generate
from focuson.engine import aggregate, load_default_catalogue
from focuson.engine.spark import connect_spark, copy_to_spark

# The marks of spark_fixture.SPARK_MARKS (a test module cannot import it: importlib mode).
SPARK_MARKS = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),
    # PySpark leaves the sockets it reads results from to the garbage collector ("closed when
    # garbage-collected", pyspark.util._load_from_socket): a ResourceWarning per query.
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.allow_hosts(["127.0.0.1", "::1", "localhost"]),
]
D = dt.date
SCALE = 0.01

# Dates and timestamps at the edges: before 1970 and 1900, a leap day, midnight, the last
# microsecond of a month and of a year, and nulls.
EDGES = """
CREATE TABLE edges AS SELECT * FROM (VALUES
    (1, DATE '1900-01-01', TIMESTAMP '1900-01-01 00:00:00', 'a'),
    (2, DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59.999999', ''),
    (3, DATE '2024-02-29', TIMESTAMP '2024-02-29 00:00:00', NULL),
    (4, DATE '2024-03-31', TIMESTAMP '2024-03-31 23:59:59.999999', 'd'),
    (5, NULL, NULL, 'e'),
    (6, DATE '2099-12-31', TIMESTAMP '2099-12-31 12:30:15.123456', 'f')
) AS v(id, day, moment, label)
"""


def _schema(table: ibis.Table) -> dict[str, object]:
    """The table's schema, timestamps at microseconds: Spark's only timestamp precision, which
    Ibis reports as no scale."""
    return {
        name: t.copy(scale=6) if t.is_timestamp() and t.scale is None else t
        for name, t in table.schema().items()
    }


def _rows(table: ibis.Table) -> list[dict[str, object]]:
    return sorted(table.to_pyarrow().to_pylist(), key=lambda r: str(r["id"]))


def _assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    keys = ["indicator", "period", "dimension", "group", "band"]
    pd.testing.assert_frame_equal(
        got.sort_values(keys).reset_index(drop=True),
        expected.sort_values(keys).reset_index(drop=True),
        check_exact=True,
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LoadedDataset, Path]]:
    summary = generate(tmp_path_factory.mktemp("synthetic"), scale=SCALE, seed=11)
    with load_dataset(summary.mapping) as data:
        yield data, summary.imd_file


def test_copy_to_spark_rejects_another_backend(tmp_path):
    con = duckdb.connect()
    with pytest.raises(ValueError, match="expected a pyspark backend, got 'duckdb'"):
        copy_to_spark(con, ibis.duckdb.connect(), ["persons"], tmp_path)


class TestOnSpark:
    pytestmark = SPARK_MARKS

    def test_session_is_local_quiet_and_utc(self, spark_backend):
        conf = spark_backend._session.conf
        assert conf.get("spark.sql.session.timeZone") == "UTC"
        assert conf.get("spark.ui.enabled") == "false"
        assert conf.get("spark.driver.host") == "127.0.0.1"
        assert conf.get("spark.sql.shuffle.partitions") == "2"
        assert not conf.get("spark.jars.packages", "")

    def test_connect_again_reuses_the_session(self, spark_backend):
        again = connect_spark()
        assert again._session is spark_backend._session

    def test_copy_keeps_types_and_row_counts(self, spark_backend, synthetic, tmp_path):
        data, _ = synthetic
        tables = [*data.tables, LOAD_TABLE]
        copy_to_spark(data.connection, spark_backend, tables, tmp_path)
        source = ibis.duckdb.from_connection(data.connection)
        for name in tables:
            assert _schema(spark_backend.table(name)) == _schema(source.table(name)), name
        # Row counts in one Spark query (a job each would take a second each).
        counts = ibis.union(
            *(
                spark_backend.table(n).aggregate(n=ibis._.count()).mutate(name=ibis.literal(n))
                for n in tables
            )
        )
        got = {r["name"]: r["n"] for r in counts.to_pyarrow().to_pylist()}
        expected = {
            n: data.connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in tables
        }
        assert got == expected
        # The load table (a name Spark reads as a hidden file unless renamed) carries as_of.
        as_of = spark_backend.table(LOAD_TABLE).as_of.max().to_pyarrow().as_py()
        assert isinstance(as_of, dt.date)

    def test_dates_and_timestamps_survive(self, spark_backend, tmp_path):
        con = duckdb.connect()
        con.execute(EDGES)
        copy_to_spark(con, spark_backend, ["edges"], tmp_path)
        copied, original = spark_backend.table("edges"), ibis.duckdb.from_connection(con)
        assert _schema(copied) == _schema(original.table("edges"))
        assert _rows(copied) == _rows(original.table("edges"))
        # Computed in Spark too: the date of a timestamp and its month stay on the same day.
        parts = copied.select(
            "id", d=copied.moment.cast("date"), m=copied.moment.month(), y=copied.day.year()
        )
        got = {r["id"]: (r["d"], r["m"], r["y"]) for r in parts.to_pyarrow().to_pylist()}
        assert got[2] == (D(1969, 12, 31), 12, 1969)
        assert got[4] == (D(2024, 3, 31), 3, 2024)
        assert got[5] == (None, None, None)

    def test_copy_again_replaces_the_table(self, spark_backend, tmp_path):
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT 1 AS id")
        copy_to_spark(con, spark_backend, ["t"], tmp_path)
        con.execute("CREATE OR REPLACE TABLE t AS SELECT * FROM range(3) r(id)")
        copy_to_spark(con, spark_backend, ["t"], tmp_path)
        assert spark_backend.table("t").count().to_pyarrow().as_py() == 3

    def test_copy_of_a_missing_table_fails(self, spark_backend, tmp_path):
        with pytest.raises(ValueError, match="DuckDB has no table nowhere"):
            copy_to_spark(duckdb.connect(), spark_backend, ["nowhere"], tmp_path)

    def test_cache_of_a_memtable_join(self, spark_backend, tmp_path):
        # Ibis 12's PySpark backend does not register memtables before Table.cache();
        # connect_spark's backend does (aggregate caches its people table this way).
        con = duckdb.connect()
        con.execute("CREATE TABLE p AS SELECT * FROM (VALUES ('a', 'x'), ('b', 'y')) v(id, k)")
        copy_to_spark(con, spark_backend, ["p"], tmp_path)
        lookup = ibis.memtable({"k": ["x"], "n": [7]})
        p = spark_backend.table("p")
        cached = p.left_join(lookup, p.k == lookup.k).select("id", "n").cache()
        try:
            rows = sorted(cached.to_pyarrow().to_pylist(), key=lambda r: r["id"])
        finally:
            cached.release()
        assert rows == [{"id": "a", "n": 7}, {"id": "b", "n": None}]

    def test_catalogue_by_union_with_explicit_periods_matches_duckdb(
        self, spark_backend, synthetic, tmp_path
    ):
        # The spec (test_catalogue.py) compares the default path; this is aggregate's other
        # one: every dimension labelled and grouped in Spark, for a census share (month ranges
        # exploded in Spark) and an event share on timestamps.
        data, imd_file = synthetic
        copy_to_spark(data.connection, spark_backend, [*data.tables, LOAD_TABLE], tmp_path)
        catalogue = load_default_catalogue().select(["ae_4_hours", "rtt_18_weeks"])
        # Three dimensions (a union of three grouped queries per pass) keep it quick in Spark.
        dimensions = ("overall", "age_band_5y", "imd_quintile x ethnicity_6")
        kwargs = {"imd": imd_file, "periods": ["2024-01", "2024-03"], "dimensions": dimensions}
        expected = aggregate(data, catalogue, **kwargs)
        got = aggregate(spark_backend, catalogue, strategy="union", **kwargs)
        _assert_same(got, expected)
        assert set(expected.period) == {"2024-01", "2024-03"}
        assert set(expected.indicator) == {"ae_4_hours", "rtt_18_weeks"}
        assert set(expected.dimension) == set(dimensions)

    def test_float_literals_compile(self, spark_backend):
        # Compiling a float literal reads ibis.options.pyspark, registered only when the
        # backend is loaded through ibis.pyspark (connect_spark does).
        assert spark_backend.execute(ibis.literal(1.5) * 2) == 3.0
