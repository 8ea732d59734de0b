"""Copying the validated tables into an engine keeps every value and every type.

Edge cases of the values: nulls next to empty strings, a leap-day birth, timestamps at
midnight, with microseconds and at the last second of a month, and empty tables.
"""

import datetime as dt

import ibis
import pytest

from focuson.engine.backends import copy_tables

D = dt.date
T = dt.datetime
ROWS = {
    "persons": [
        ("p1", "F", D(1952, 2, 29), "A", "E01000001", "", None),
        ("p2", "M", D(2000, 1, 1), "99", None, "Y0001", 'English, "quoted"'),
    ],
    "ae_attendances": [
        ("a1", "p1", "RYJ", 1, T(2024, 3, 1, 0, 0), T(2024, 3, 1, 4, 0)),
        ("a2", "p2", "RYJ", 3, T(2024, 3, 31, 23, 59, 59), None),
        ("a3", "p2", "RYJ", 1, T(2024, 2, 29, 12, 30, 15, 123456), T(2024, 3, 1, 0, 0, 0, 1)),
    ],
    "hypertension": [("p1", D(2020, 1, 1), None, None, 90)],
}


def _types(table: ibis.Table) -> dict[str, object]:
    """Column types, timestamps without their scale: Spark's are microseconds but unlabelled."""
    return {c: t.copy(scale=None) if t.is_timestamp() else t for c, t in table.schema().items()}


def _sorted_rows(table: ibis.Table) -> list[dict]:
    rows = table.to_pyarrow().to_pylist()
    return sorted(rows, key=lambda r: [(v is None, str(v)) for v in r.values()])


def test_copy_keeps_values_and_types(engine, make_db):
    con = make_db(ROWS)
    engine.load(con)
    source = ibis.duckdb.from_connection(con)
    for name in [*ROWS, "admissions"]:
        copied, original = engine.backend.table(name), source.table(name)
        assert _types(copied) == _types(original), name
        assert _sorted_rows(copied) == _sorted_rows(original), name
    # The empty tables came across too, with their columns.
    assert engine.backend.table("admissions").count().execute() == 0


def test_copy_of_a_missing_table_says_which(engine, make_db):
    con = make_db({})
    with pytest.raises(ValueError, match="DuckDB has no table waiting_list"):
        copy_tables(con, engine.backend, ["persons", "waiting_list"], workdir=engine.workdir)
