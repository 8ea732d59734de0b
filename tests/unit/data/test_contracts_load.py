"""Loading good data: CSV and Parquet, renamed columns, reference LSOAs, unknowns counted."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from focuson.data.contracts import (
    CONTRACTS,
    LOAD_TABLE,
    existing_tables,
    load_dataset,
    read_load_record,
    write_example_dataset,
)
from focuson.data.contracts.example import EXAMPLE_TABLES

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
IMD2025_NWL = SHARED / "imd" / "imd2025_lsoa21_nwl.csv"
LSOA21_LOOKUP = SHARED / "geography" / "nwl_lsoa21_lookup.csv"
LSOA11_21_LOOKUP = SHARED / "geography" / "nwl_lsoa11_lsoa21_lookup.csv"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="the reference folder ../shared/data is not present"
)


def rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_csv_example_loads_every_table_with_contract_types(tmp_path: Path) -> None:
    with load_dataset(write_example_dataset(tmp_path)) as data:
        con = data.connection
        assert data.tables == tuple(CONTRACTS)
        assert dict(data.row_counts) == {
            name: text.count("\n") - 1 for name, text in EXAMPLE_TABLES.items()
        }
        for name, contract in CONTRACTS.items():
            described = con.execute(f"DESCRIBE {name}").fetchall()
            assert [(r[0], r[1]) for r in described] == [
                (c.name, c.sql_type) for c in contract.columns
            ]
        assert con.execute(
            "SELECT date_of_birth FROM persons WHERE person_id = 'P003'"
        ).fetchone() == (dt.date(2001, 7, 1),)  # YYYY-MM read as the 1st of the month
        assert con.execute(
            "SELECT arrival, departure FROM ae_attendances WHERE attendance_id = 'A2'"
        ).fetchone() == (dt.datetime(2024, 9, 12, 10, 5), dt.datetime(2024, 9, 12, 11, 30))
        assert con.execute(
            "SELECT count(*) FROM rtt_pathways WHERE clock_stop IS NULL"
        ).fetchone() == (2,)
        assert data.lsoa_vintage == 2021 and data.as_of == dt.date(2025, 3, 31)
        assert data.table("screening").count("*").fetchone() == (3,)
        with pytest.raises(KeyError, match="'nothing' was not loaded"):
            data.table("nothing")


def test_parquet_loads_the_same_rows_as_csv(tmp_path: Path) -> None:
    with (
        load_dataset(write_example_dataset(tmp_path / "csv")) as from_csv,
        load_dataset(write_example_dataset(tmp_path / "pq", format="parquet")) as from_parquet,
    ):
        for name in CONTRACTS:
            assert rows(from_parquet.connection, name) == rows(from_csv.connection, name), name


def test_unknown_and_not_stated_values_are_kept_and_counted(tmp_path: Path) -> None:
    with load_dataset(write_example_dataset(tmp_path)) as data:
        counts = {(u.table, u.column, u.code): u.rows for u in data.unknowns}
        assert counts == {
            ("persons", "sex", "U"): 1,
            ("persons", "ethnicity", "Z"): 1,
            ("persons", "ethnicity", "99"): 1,
            ("persons", "lsoa", None): 1,
            ("persons", "practice", None): 1,
            ("persons", "main_language", None): 1,
            ("cancer_pathways", "stage", None): 2,
        }
        con = data.connection
        # kept, not dropped: the rows are in the table with their codes
        assert con.execute(
            "SELECT sex, ethnicity, count(*) FROM persons WHERE sex = 'U' OR ethnicity IN "
            "('Z', '99') GROUP BY ALL ORDER BY ALL"
        ).fetchall() == [("F", "99", 1), ("U", "Z", 1)]
        summary = data.unknown_summary()
        ethnicity = summary[summary.column == "ethnicity"]
        assert list(ethnicity.meaning) == ["not stated", "not known"]
        assert list(ethnicity.share) == pytest.approx([1 / 6, 1 / 6])


def test_renamed_columns_recoded_values_and_local_date_formats(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "Patient ID;Gender;DOB;Ethnic Group;LSOA 2021\n"
        "1001;2;14/03/1950;A;E01000471\n"
        "1002;1;02/11/1982;99;E01000472\n"
        "1003;9;01/07/2001;Z;\n"
    )
    (tmp_path / "ae.csv").write_text(
        "AttendanceRef;Patient ID;Site;Type;Arrived;Left\n"
        "X1;1002;RYJ;01;04/07/2024 22:15;05/07/2024 02:40\n"
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "lsoa_vintage: 2021\nas_of: 2025-03-31\ntables:\n"
        "  persons:\n    path: people.csv\n    delimiter: ';'\n    date_format: '%d/%m/%Y'\n"
        "    columns: {person_id: Patient ID, sex: Gender, date_of_birth: DOB, "
        "ethnicity: Ethnic Group, lsoa: LSOA 2021}\n"
        "    codes:\n      sex: {'1': M, '2': F, '9': U}\n"
        "  ae_attendances:\n    path: ae.csv\n    delimiter: ';'\n"
        "    timestamp_format: '%d/%m/%Y %H:%M'\n"
        "    columns: {attendance_id: AttendanceRef, person_id: Patient ID, provider: Site, "
        "department_type: Type, arrival: Arrived, departure: Left}\n"
    )

    with load_dataset(mapping) as data:
        con = data.connection
        assert rows(con, "persons") == [
            ("1001", "F", dt.date(1950, 3, 14), "A", "E01000471", None, None),
            ("1002", "M", dt.date(1982, 11, 2), "99", "E01000472", None, None),
            ("1003", "U", dt.date(2001, 7, 1), "Z", None, None, None),
        ]
        assert rows(con, "ae_attendances") == [
            (
                "X1",
                "1002",
                "RYJ",
                1,
                dt.datetime(2024, 7, 4, 22, 15),
                dt.datetime(2024, 7, 5, 2, 40),
            )
        ]
        assert data.absent["persons"] == ("practice", "main_language")
        assert not any(u.column in ("practice", "main_language") for u in data.unknowns)


def test_native_parquet_types_and_integer_ids(tmp_path: Path) -> None:
    """As a generator writes them: int64 ids, date32 dates, timestamp[us], int8 codes."""
    persons = pa.table(
        {
            "person_id": pa.array([1, 2], pa.int64()),
            "sex": ["F", "M"],
            "date_of_birth": pa.array([dt.date(1980, 1, 1), dt.date(1990, 6, 1)], pa.date32()),
            "ethnicity": ["A", "N"],
            "lsoa": ["E01000471", None],
        }
    )
    ae = pa.table(
        {
            "attendance_id": pa.array([10], pa.int64()),
            "person_id": pa.array([2], pa.int64()),
            "provider": ["R1K"],
            "department_type": pa.array([1], pa.int8()),
            "arrival": pa.array([dt.datetime(2024, 1, 1, 9, 0)], pa.timestamp("us")),
            "departure": pa.array([dt.datetime(2024, 1, 1, 12, 30)], pa.timestamp("us")),
        }
    )
    pq.write_table(persons, tmp_path / "persons.parquet")
    pq.write_table(ae, tmp_path / "ae_attendances.parquet")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'lsoa_vintage = 2021\nas_of = 2024-12-31\n[tables.persons]\npath = "persons.parquet"\n'
        '[tables.ae_attendances]\npath = "ae_attendances.parquet"\n'
    )

    with load_dataset(mapping) as data:
        assert rows(data.connection, "ae_attendances") == [
            ("10", "2", "R1K", 1, dt.datetime(2024, 1, 1, 9), dt.datetime(2024, 1, 1, 12, 30))
        ]
        assert data.connection.execute("SELECT person_id FROM persons").fetchall() == [
            ("1",),
            ("2",),
        ]


def test_gzipped_csv_with_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    mapping = write_example_dataset(tmp_path)
    persons = tmp_path / "persons.csv"
    text = persons.read_text().replace("\n", "\r\n")
    (tmp_path / "persons.csv.gz").write_bytes(gzip.compress(b"\xef\xbb\xbf" + text.encode()))
    persons.unlink()
    mapping.write_text(mapping.read_text().replace('"persons.csv"', '"persons.csv.gz"'))

    with load_dataset(mapping) as data:
        assert data.row_counts["persons"] == 6
        assert data.connection.execute(
            "SELECT person_id, main_language FROM persons ORDER BY person_id LIMIT 1"
        ).fetchone() == ("P001", "English")


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    mapping = write_example_dataset(tmp_path)
    persons = tmp_path / "persons.csv"
    lines = persons.read_text().splitlines()
    persons.write_text("\n".join(f"{line},x{i}" for i, line in enumerate(lines)) + "\n")

    with load_dataset(mapping) as data:
        columns = [r[0] for r in data.connection.execute("DESCRIBE persons").fetchall()]
        assert columns == list(CONTRACTS["persons"].column_names)


def test_database_file_keeps_tables_and_load_record(tmp_path: Path) -> None:
    mapping = write_example_dataset(tmp_path / "data")
    db = tmp_path / "focuson.duckdb"
    with load_dataset(mapping, database=db) as data:
        sha = dict((Path(p).name, h) for p, h, _ in data.sources["persons"])

    with duckdb.connect(str(db)) as con:
        assert existing_tables(con) == sorted([*CONTRACTS, LOAD_TABLE])
        record = read_load_record(con)
    assert [r["table_name"] for r in record] == list(CONTRACTS)
    persons = record[0]
    assert persons["row_count"] == 6 and persons["lsoa_vintage"] == 2021
    assert persons["as_of"] == dt.date(2025, 3, 31) and persons["contract_version"] == 1
    expected = hashlib.sha256((tmp_path / "data" / "persons.csv").read_bytes()).hexdigest()
    assert sha["persons.csv"] == expected and expected in persons["files"]


def test_replace_swaps_the_whole_dataset(tmp_path: Path) -> None:
    db = tmp_path / "focuson.duckdb"
    load_dataset(write_example_dataset(tmp_path / "full"), database=db).close()
    only_persons = write_example_dataset(tmp_path / "small")
    text = only_persons.read_text()
    only_persons.write_text(text[: text.index("[tables.rtt_pathways]")])

    with load_dataset(only_persons, database=db, replace=True) as data:
        assert data.tables == ("persons",)
        assert existing_tables(data.connection) == sorted(["persons", LOAD_TABLE])


def test_loads_into_an_open_connection(tmp_path: Path) -> None:
    con = duckdb.connect()
    with load_dataset(write_example_dataset(tmp_path), database=con) as data:
        assert data.connection is con and not data.owns_connection
    assert con.execute("SELECT count(*) FROM admissions").fetchone() == (3,)  # still open


# -- reference LSOAs -------------------------------------------------------------------------


def test_reference_lsoas_from_a_tiny_lookup(tmp_path: Path) -> None:
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(
        "LSOA21CD,LSOA21NM,LAD22CD,LAD22NM\n"
        + "".join(f"E0100047{i},Brent 02{i}A,E09000005,Brent\n" for i in range(1, 5))
    )
    with load_dataset(write_example_dataset(tmp_path / "d", reference_lsoa=lookup)) as data:
        assert data.reference is not None and data.reference.lsoa_vintage == 2021


@needs_shared
def test_reference_lsoas_from_the_real_imd_2025_file(tmp_path: Path) -> None:
    with load_dataset(write_example_dataset(tmp_path, reference_lsoa=IMD2025_NWL)) as data:
        assert data.reference is not None
        assert data.reference.release == "IoD2025" and data.reference.rows == 1183
        record = read_load_record(data.connection)
        assert '"release": "IoD2025"' in record[0]["reference"]


@needs_shared
@pytest.mark.parametrize("reference", [LSOA21_LOOKUP, LSOA11_21_LOOKUP], ids=["lookup", "11-21"])
def test_reference_lsoas_from_real_lookups(reference: Path, tmp_path: Path) -> None:
    with load_dataset(write_example_dataset(tmp_path, reference_lsoa=reference)) as data:
        assert data.reference is not None


@needs_shared
def test_reference_kind_can_be_named(tmp_path: Path) -> None:
    mapping = write_example_dataset(tmp_path, reference_lsoa=LSOA11_21_LOOKUP)
    mapping.write_text(
        mapping.read_text().replace("[reference]\n", '[reference]\nkind = "lsoa11_lsoa21"\n')
    )
    with load_dataset(mapping) as data:
        assert data.mapping.reference_kind == "lsoa11_lsoa21"
