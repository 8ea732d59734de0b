"""Tables in a DuckDB database file as sources: read-only, checked like CSV and Parquet.

The warehouse here holds the eight example tables under other names (two in a ``staging``
schema), with other column names, native DuckDB types for most columns, text for a few, and sex
as whole-number codes recoded by the mapping. Loading it must give exactly the rows of the CSV
example; breaking it in one place must give one error naming the database file, the table, the
row and the column, never the value, with nothing loaded and the warehouse unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from focuson.data.contracts import (
    CONTRACTS,
    DataContractError,
    existing_tables,
    load_dataset,
    read_load_record,
    write_example_dataset,
)
from focuson.data.contracts._sql import ident, lit
from focuson.data.contracts.example import EXAMPLE_TABLES

#: contract table -> (warehouse table, {contract column: warehouse column})
WAREHOUSE: dict[str, tuple[str, dict[str, str]]] = {
    "persons": (
        "staging.people",
        {"person_id": "patient_id", "sex": "gender", "date_of_birth": "dob", "lsoa": "lsoa21cd"},
    ),
    "rtt_pathways": ("rtt", {"clock_start": "start_date", "clock_stop": "stop_date"}),
    "diagnostic_waits": ("dm01", {"request_id": "req", "tested": "test_date"}),
    "ae_attendances": ("ecds", {"arrival": "arrived_at", "departure": "left_at"}),
    "cancer_pathways": ("cancer", {}),
    "screening": ("screens", {"programme": "prog"}),
    "hypertension": ("htn", {"systolic": "sbp", "diastolic": "dbp"}),
    "admissions": ("staging.apc", {"admission_id": "spell", "primary_diagnosis": "diag"}),
}
#: warehouse columns kept as text although the contract type is not (read as text and checked)
AS_TEXT = {("persons", "date_of_birth"), ("rtt_pathways", "clock_start")}
SEX_CODES = {"M": 1, "F": 2, "U": 9}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_warehouse(path: Path, *, persons_as: str | None = None) -> None:
    """Write the example tables into a DuckDB file under the warehouse's names and types."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA staging")
        for table, (where, renames) in WAREHOUSE.items():
            if table == "persons" and persons_as is not None:
                where = persons_as
            contract = CONTRACTS[table]
            header = EXAMPLE_TABLES[table].splitlines()[0].split(",")
            csv_path = path.with_name(f"{table}.csv")
            csv_path.write_text(EXAMPLE_TABLES[table], encoding="utf-8")
            select = []
            for col in contract.columns:
                if col.name not in header:
                    continue
                name = renames.get(col.name, col.name)
                cell = f"NULLIF({ident(col.name)}, '')"
                if table == "persons" and col.name == "sex":
                    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SEX_CODES.items())
                    sql = f"CAST(CASE {cell} {whens} END AS TINYINT)"
                elif (table, col.name) in AS_TEXT or col.sql_type == "VARCHAR":
                    sql = cell
                else:
                    sql = f"CAST({cell} AS {col.sql_type})"
                select.append(f"{sql} AS {ident(name)}")
            con.execute(
                f"CREATE TABLE {where} AS SELECT {', '.join(select)} FROM "
                f"read_csv({lit(str(csv_path))}, header = true, all_varchar = true)"
            )
            csv_path.unlink()


def write_mapping(folder: Path, db: Path, **table_keys: dict[str, object]) -> Path:
    """The mapping of the warehouse; ``table_keys`` override keys of one table's section."""
    lines = ["lsoa_vintage = 2021", "as_of = 2025-03-31"]
    for table, (where, renames) in WAREHOUSE.items():
        spec: dict[str, object] = {"format": "duckdb", "path": db.name, "table": where}
        spec.update(table_keys.get(table, {}))
        lines += ["", f"[tables.{table}]"]
        lines += [f"{k} = {json.dumps(v)}" for k, v in spec.items() if v is not None]
        if renames:
            lines += ["", f"[tables.{table}.columns]"]
            lines += [f"{k} = {json.dumps(v)}" for k, v in renames.items()]
    lines += ["", "[tables.persons.codes.sex]"]
    lines += [f'"{v}" = "{k}"' for k, v in SEX_CODES.items()]
    mapping = folder / "mapping.toml"
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return mapping


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse built per module; tests copy it."""
    path = tmp_path_factory.mktemp("pristine") / "warehouse.duckdb"
    build_warehouse(path)
    return path


@pytest.fixture
def warehouse(tmp_path: Path, pristine: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pristine, path)
    return path


def all_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def attached(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT database_name FROM duckdb_databases() ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


# -- good data -------------------------------------------------------------------------------


def test_duckdb_tables_load_the_same_rows_as_csv(tmp_path: Path, warehouse: Path) -> None:
    before = sha256(warehouse)
    mapping = write_mapping(tmp_path, warehouse)
    with (
        load_dataset(mapping) as data,
        load_dataset(write_example_dataset(tmp_path / "csv")) as from_csv,
    ):
        assert data.tables == tuple(CONTRACTS)
        for name in CONTRACTS:
            assert all_rows(data.connection, name) == all_rows(from_csv.connection, name), name
        assert dict(data.row_counts) == dict(from_csv.row_counts)
        assert [(u.column, u.code, u.rows) for u in data.unknowns] == [
            (u.column, u.code, u.rows) for u in from_csv.unknowns
        ]
        # provenance: the database file's SHA-256, hashed once, and each table's name there
        files = {data.sources[t] for t in CONTRACTS}
        assert files == {((str(warehouse.resolve()), before, warehouse.stat().st_size),)}
        assert dict(data.source_tables) == {t: w for t, (w, _) in WAREHOUSE.items()}
        record = {r["table_name"]: r for r in read_load_record(data.connection)}
        assert record["persons"]["format"] == "duckdb"
        assert json.loads(record["persons"]["files"]) == [
            {
                "path": str(warehouse.resolve()),
                "sha256": before,
                "size_bytes": warehouse.stat().st_size,
                "table": "staging.people",
            }
        ]
        # the warehouse was attached for the load only
        assert attached(data.connection) == ["memory", "system", "temp"]
    assert sha256(warehouse) == before


def test_duckdb_table_defaults_to_the_contract_name_and_main_schema(tmp_path: Path) -> None:
    db = tmp_path / "plain.ddb"  # told by its suffix: no format key
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE persons AS SELECT 'P1' AS person_id, 'F' AS sex, "
            "DATE '1970-01-01' AS date_of_birth, 'A' AS ethnicity, NULL::VARCHAR AS lsoa"
        )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'lsoa_vintage = 2011\nas_of = 2025-01-01\n[tables.persons]\npath = "plain.ddb"\n',
        encoding="utf-8",
    )
    with load_dataset(mapping) as data:
        assert data.row_counts["persons"] == 1
        assert data.source_tables["persons"] == "persons"
        assert data.absent["persons"] == ("practice", "main_language")


def test_duckdb_source_may_be_the_database_loaded_into(tmp_path: Path, warehouse: Path) -> None:
    mapping = write_mapping(tmp_path, warehouse)
    source_tables = ["apc", "cancer", "dm01", "ecds", "htn", "people", "rtt", "screens"]
    with load_dataset(mapping, database=warehouse) as data:
        assert data.row_counts["persons"] == 6
        assert data.connection.execute("SELECT count(*) FROM main.rtt").fetchone() == (4,)
    with duckdb.connect(str(warehouse)) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
        assert sorted(t[0] for t in tables) == sorted(
            [*source_tables, *CONTRACTS, "_focuson_dataset"]
        )
        assert attached(con) == ["system", "temp", "warehouse"]


def test_duckdb_source_already_attached_to_a_connection_is_used_there(
    tmp_path: Path, warehouse: Path
) -> None:
    mapping = write_mapping(tmp_path, warehouse)
    with duckdb.connect() as con:
        con.execute(f"ATTACH {lit(str(warehouse))} AS wh (READ_ONLY)")
        with load_dataset(mapping, database=con) as data:
            assert data.row_counts["admissions"] == 3
            assert not data.owns_connection
        assert attached(con) == ["memory", "system", "temp", "wh"]


def test_source_tables_with_contract_names_in_the_same_database_need_replace(
    tmp_path: Path,
) -> None:
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(db, persons_as="persons")
    mapping = write_mapping(tmp_path, db, persons={"table": "persons"})
    with pytest.raises(DataContractError, match="pass replace=True to replace them") as info:
        load_dataset(mapping, database=db)
    assert "persons already has a contract table's name" in str(info.value)
    with load_dataset(mapping, database=db, replace=True) as data:
        described = data.connection.execute("DESCRIBE persons").fetchall()
        assert [r[0] for r in described] == list(CONTRACTS["persons"].column_names)
        assert data.row_counts["persons"] == 6


# -- bad data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One break of the warehouse or its mapping, and what the error must say."""

    id: str
    message: str  # the message must start with this
    sql: str = ""  # run on the warehouse copy before loading
    table_keys: dict[str, dict[str, object]] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None  # the user's column name the error names
    hidden: tuple[str, ...] = ()  # values that must not be shown
    database_path: str | None = "warehouse.duckdb"  # the file named; None: the mapping


P = "table staging.people in warehouse.duckdb"
CASES = [
    Case(
        "missing-database-file",
        "mapping.toml, tables.persons.path: file not found: ",
        table_keys={"persons": {"path": "nowhere.duckdb"}},
        database_path="nowhere.duckdb",
    ),
    Case(
        "not-a-duckdb-file",
        "table staging.people in people.duckdb: not a DuckDB database file; expected a "
        "database written by DuckDB",
        table_keys={"persons": {"path": "people.duckdb"}},
        database_path="people.duckdb",
    ),
    Case(
        "missing-table",
        "table staging.persons in warehouse.duckdb: not found; expected a table or view named "
        "staging.persons in the database",
        table_keys={"persons": {"table": "staging.persons"}},
    ),
    Case(
        "missing-table-wrong-schema",
        "table people in warehouse.duckdb: not found; expected a table or view named people",
        table_keys={"persons": {"table": "people"}},
    ),
    Case(
        "missing-column",
        f"{P}, column gender (sex): missing; expected a column named gender",
        sql="ALTER TABLE staging.people RENAME gender TO sex_code",
        column="gender",
    ),
    Case(
        "wrong-type-text-date",
        "row 3 of table rtt in warehouse.duckdb, column start_date (clock_start): expected a "
        "date (YYYY-MM-DD); 1 row in all fails this check",
        sql="UPDATE rtt SET start_date = '01/08/2024' WHERE pathway_id = 'R3'",
        row=3,
        column="start_date",
        hidden=("01/08/2024",),
    ),
    Case(
        "wrong-type-double-in-whole-number",
        "row 3 of table htn in warehouse.duckdb, column sbp (systolic): expected a whole number",
        sql="ALTER TABLE htn ALTER sbp TYPE DOUBLE; UPDATE htn SET sbp = 152.5 WHERE sbp = 152",
        row=3,
        column="sbp",
        hidden=("152.5",),
    ),
    Case(
        "wrong-type-timezone",
        "row 1 of table ecds in warehouse.duckdb, column arrived_at (arrival): expected a date "
        "and time",
        sql="ALTER TABLE ecds ALTER arrived_at TYPE TIMESTAMPTZ",
        row=1,
        column="arrived_at",
    ),
    Case(
        "unknown-code",
        f"row 4 of {P}, column gender (sex): expected one of F, M, U (U = not known); 1 row",
        sql="UPDATE staging.people SET gender = 5 WHERE patient_id = 'P004'",
        row=4,
        column="gender",
        hidden=("P004",),
    ),
    Case(
        "duplicate-id",
        "row 3 of table ecds in warehouse.duckdb, column attendance_id: expected each "
        "attendance_id once; this row repeats row 1; 1 row in all fails this check",
        sql="UPDATE ecds SET attendance_id = 'A1' WHERE attendance_id = 'A3'",
        row=3,
        column="attendance_id",
        hidden=("A1",),
    ),
    Case(
        "unknown-person",
        "row 2 of table cancer in warehouse.duckdb, column person_id: expected a person_id that "
        f"is in persons ({P})",
        sql="UPDATE cancer SET person_id = 'P999' WHERE pathway_id = 'C2'",
        row=2,
        column="person_id",
        hidden=("P999",),
    ),
    Case(
        "departure-before-arrival",
        "row 2 of table ecds in warehouse.duckdb, column left_at (departure): expected a date "
        "and time on or after arrival",
        sql="UPDATE ecds SET left_at = arrived_at - INTERVAL 1 HOUR WHERE attendance_id = 'A2'",
        row=2,
        column="left_at",
        hidden=("2024-09-12",),
    ),
    Case(
        "future-date",
        "row 2 of table staging.apc in warehouse.duckdb, column admitted: expected a date on or "
        "before the dataset's as_of date 2025-03-31",
        sql="UPDATE staging.apc SET admitted = DATE '2026-01-01' WHERE spell = 'H2'",
        row=2,
        column="admitted",
        hidden=("2026-01-01",),
    ),
    Case(
        "table-key-on-a-csv-table",
        'mapping.toml, tables.screening.table: only for format = "duckdb"',
        table_keys={"screening": {"format": "csv", "path": "screens.csv"}},
        database_path=None,
    ),
    Case(
        "malformed-table-name",
        "mapping.toml, tables.persons.table: expected the name of a table in the database, "
        '"name" or "schema.name"',
        table_keys={"persons": {"table": "db.staging.people"}},
        database_path=None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_duckdb_source_names_file_table_row_and_column(
    tmp_path: Path, warehouse: Path, case: Case
) -> None:
    (tmp_path / "people.duckdb").write_text("person_id,sex\nP1,F\n", encoding="utf-8")
    if case.sql:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(case.sql)
    before = sha256(warehouse)
    mapping = write_mapping(tmp_path, warehouse, **case.table_keys)
    target = tmp_path / "target.duckdb"
    with duckdb.connect(str(target)) as con:
        con.execute("CREATE TABLE keep_me AS SELECT 1 AS x")

    with pytest.raises(DataContractError) as info:
        load_dataset(mapping, database=target)

    err = info.value
    message = str(err)
    assert message.startswith(case.message), message
    for value in case.hidden:
        assert value not in message
    assert err.row == case.row
    assert err.column == case.column
    assert err.path is not None
    if case.database_path is None:
        assert Path(err.path).name == "mapping.toml"
    else:
        assert Path(err.path).name == case.database_path
        assert case.database_path in message and f"table {err.source_table}" in message
        assert err.table in CONTRACTS
    with duckdb.connect(str(target)) as con:  # nothing was loaded
        assert existing_tables(con) == ["keep_me"]
        assert attached(con) == ["system", "target", "temp"]
    assert sha256(warehouse) == before  # the source was read, never written


def test_failed_load_into_the_source_database_leaves_it_as_it_was(
    tmp_path: Path, warehouse: Path
) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE staging.people SET gender = 5 WHERE patient_id = 'P002'")
        before = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
    mapping = write_mapping(tmp_path, warehouse)
    with pytest.raises(DataContractError, match=f"^row 2 of {P}, column gender"):
        load_dataset(mapping, database=warehouse)
    with duckdb.connect(str(warehouse)) as con:
        after = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
    assert sorted(after) == sorted(before)
    assert warehouse.exists()  # an existing database file is never removed
