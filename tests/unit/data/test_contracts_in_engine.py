"""Contract tables already in an engine: checked where they are, and Find run there.

The tables come from the synthetic population loaded into a DuckDB file (so they are right);
each test then breaks one thing in a copy and expects the error that names it.
"""

import datetime as dt
import shutil

import duckdb
import ibis
import pandas as pd
import pytest

from focuson.data.contracts import CONTRACTS, DataContractError, load_dataset, read_mapping
from focuson.data.contracts.in_engine import check_in_engine
from focuson.data.synthetic import generate
from focuson.runs.find import run_find

TABLES = [t for t in CONTRACTS if t != "persons"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """A DuckDB file holding the contract tables of a small synthetic population."""
    folder = tmp_path_factory.mktemp("in-engine")
    summary = generate(folder / "data", scale=0.003, seed=5)
    db = folder / "warehouse.duckdb"
    with load_dataset(summary.mapping, database=db) as loaded:
        counts = dict(loaded.row_counts)
    mapping = read_mapping(summary.mapping)
    return db, counts, mapping


@pytest.fixture
def broken(warehouse, tmp_path):
    """A copy of the warehouse, a DuckDB connection to change it, and a way to check it."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(warehouse[0], db)
    con = duckdb.connect(str(db))

    def check():
        backend = ibis.duckdb.from_connection(con)
        return check_in_engine(
            backend, TABLES, as_of=warehouse[2].as_of, engine_label="the warehouse"
        )

    yield con, check
    con.close()


def test_tables_built_to_the_contracts_pass_with_their_row_counts(warehouse):
    db, counts, mapping = warehouse
    backend = ibis.duckdb.connect(str(db), read_only=True)
    got = check_in_engine(backend, TABLES, as_of=mapping.as_of)
    assert got == {t: counts[t] for t in CONTRACTS}
    assert min(got.values()) > 0


BREAKS = [
    # (SQL that breaks the copy, table, column, words in the message, rows)
    ("DROP TABLE screening", "screening", None, "the warehouse has no table screening", None),
    ("ALTER TABLE admissions DROP COLUMN method", "admissions", "method", "no column method", None),
    (
        "ALTER TABLE rtt_pathways ALTER clock_start TYPE VARCHAR",
        "rtt_pathways",
        "clock_start",
        "expected a date, found the type string",
        None,
    ),
    (
        "UPDATE admissions SET method = NULL WHERE admission_id IN "
        "(SELECT admission_id FROM admissions LIMIT 2)",
        "admissions",
        "method",
        "no empty cells",
        2,
    ),
    (
        "UPDATE persons SET sex = 'X' WHERE person_id IN (SELECT person_id FROM persons LIMIT 3)",
        "persons",
        "sex",
        "expected one of",
        3,
    ),
    (
        "UPDATE persons SET lsoa = 'E0100001' WHERE person_id IN "
        "(SELECT person_id FROM persons WHERE lsoa IS NOT NULL LIMIT 1)",
        "persons",
        "lsoa",
        "LSOA",
        1,
    ),
    (
        "UPDATE hypertension SET systolic = 400 WHERE person_id IN "
        "(SELECT person_id FROM hypertension WHERE systolic IS NOT NULL LIMIT 1)",
        "hypertension",
        "systolic",
        "40-300",
        1,
    ),
    (
        "UPDATE ae_attendances SET arrival = TIMESTAMP '2099-01-01 10:00', "
        "departure = TIMESTAMP '2099-01-01 11:00' WHERE attendance_id IN "
        "(SELECT attendance_id FROM ae_attendances LIMIT 1)",
        "ae_attendances",
        "arrival",
        "on or before the dataset's as_of date",
        1,
    ),
    (
        "UPDATE rtt_pathways SET clock_stop = clock_start - 1 WHERE pathway_id IN "
        "(SELECT pathway_id FROM rtt_pathways WHERE clock_stop IS NOT NULL LIMIT 4)",
        "rtt_pathways",
        "clock_stop",
        "on or after clock_start",
        4,
    ),
    (
        "UPDATE hypertension SET systolic = NULL WHERE person_id IN "
        "(SELECT person_id FROM hypertension WHERE last_bp IS NOT NULL LIMIT 1)",
        "hypertension",
        "systolic",
        "when last_bp is filled",
        1,
    ),
    (
        "INSERT INTO admissions SELECT * FROM admissions LIMIT 2",
        "admissions",
        "admission_id",
        "each admission_id once; 2 values repeat",
        2,
    ),
    (
        "UPDATE screening SET person_id = 'nobody' WHERE person_id IN "
        "(SELECT person_id FROM screening LIMIT 1)",
        "screening",
        "person_id",
        "a person_id that is in persons",
        None,
    ),
]


@pytest.mark.parametrize(
    ("sql", "table", "column", "words", "rows"), BREAKS, ids=[b[3][:30] for b in BREAKS]
)
def test_a_broken_table_is_named_with_its_column_and_rows(broken, sql, table, column, words, rows):
    con, check = broken
    con.execute(sql)
    with pytest.raises(DataContractError) as info:
        check()
    err = info.value
    assert words in str(err)
    assert err.table == table
    assert err.column == column
    if rows is not None:
        assert err.count == rows
    # Never a value from the rows: no identifier, code or date of theirs.
    for value in ("nobody", "E0100001", "2099", "'X'", "400"):
        assert value not in str(err)


def test_a_table_not_in_the_contracts_is_refused(warehouse):
    backend = ibis.duckdb.connect(str(warehouse[0]), read_only=True)
    with pytest.raises(ValueError, match="not contract tables: pathways"):
        check_in_engine(backend, ["pathways"], as_of=dt.date(2025, 3, 31))


def test_find_in_the_engine_gives_the_findings_of_the_mapping(warehouse, tmp_path):
    db, _, mapping = warehouse
    from_files = run_find(mapping.path, tmp_path / "files", report=False)
    in_engine = run_find(
        None,
        tmp_path / "engine",
        imd=mapping.reference_lsoa,
        engine_url=str(db),
        as_of=mapping.as_of,
        coverage_from=mapping.coverage_from,
        report=False,
    )
    for name in ("findings.parquet", "gradients.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "engine" / name), pd.read_parquet(tmp_path / "files" / name)
        )
    inputs = in_engine.manifest["inputs"]
    assert inputs["tables_in_engine"] is True
    assert inputs["as_of"] == mapping.as_of.isoformat()
    file_rows = from_files.manifest["inputs"]["rows"]
    assert inputs["rows"] == {t: file_rows[t] for t in inputs["rows"]}
    assert set(inputs["rows"]) == set(CONTRACTS)  # every table the catalogue counts, and persons
    assert inputs["tables"]["rtt_pathways"] == [{"engine": "duckdb", "table": "rtt_pathways"}]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"imd": None}, "pass --imd"),
        ({"as_of": None}, "pass --as-of"),
        ({"coverage_from": dt.date(2030, 1, 1)}, "is after --as-of"),
        ({"engine_url": None}, "pass --engine-url with the database file"),
    ],
)
def test_find_in_the_engine_says_what_is_missing(warehouse, tmp_path, kwargs, words):
    db, _, mapping = warehouse
    args = {
        "imd": mapping.reference_lsoa,
        "engine_url": str(db),
        "as_of": mapping.as_of,
        "coverage_from": None,
        "report": False,
    }
    with pytest.raises(ValueError, match=words):
        run_find(None, tmp_path / "out", **(args | kwargs))
