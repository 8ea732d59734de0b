"""Bad input: every contract violation gives one clear error and loads nothing.

Each case writes the valid example dataset (six people, all eight tables) into tmp_path, breaks
it in one place, and checks that loading it raises DataContractError whose message names the
file, the line (or row) and the column, says what was expected, never shows the value, and
that the database holds nothing new afterwards (the load ran in a transaction that was rolled
back).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from focuson.data.contracts import (
    DataContractError,
    existing_tables,
    load_dataset,
    write_example_dataset,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
IMD2025_NWL = SHARED / "imd" / "imd2025_lsoa21_nwl.csv"
IMD2019_NWL = SHARED / "imd" / "imd2019_lsoa11_nwl.csv"


# -- helpers ---------------------------------------------------------------------------------


def example(tmp_path: Path, **kw: object) -> Path:
    """Write the valid example dataset; return its mapping file."""
    return write_example_dataset(tmp_path / "data", **kw)  # type: ignore[arg-type]


def set_cells(path: Path, changes: list[tuple[int, str, str]]) -> None:
    """Set cells of a CSV file: (1-based line, header name, new text)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    for line, column, value in changes:
        rows[line - 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def load_fails(mapping: Path, tmp_path: Path, **kw: object) -> DataContractError:
    """Load into a database that already holds one unrelated table; the load must fail and
    leave that table alone and nothing else."""
    db = tmp_path / "db.duckdb"
    if not db.exists():
        with duckdb.connect(str(db)) as con:
            con.execute("CREATE TABLE keep_me AS SELECT 1 AS x")
    with pytest.raises(DataContractError) as info:
        load_dataset(mapping, database=db, **kw)  # type: ignore[arg-type]
    with duckdb.connect(str(db)) as con:
        assert existing_tables(con) == ["keep_me"]
        assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (1,)
    return info.value


@dataclass(frozen=True)
class Case:
    """One broken cell (or a few) and what the error must say."""

    id: str
    file: str
    changes: list[tuple[int, str, str]]
    line: int
    column: str
    expected: str
    count: int = 1
    contract_column: str | None = None
    hidden: list[str] = field(default_factory=list)  # values that must not be shown


CASES = [
    Case("sex-unknown-code", "persons", [(3, "sex", "Q")], 3, "sex", "one of F, M, U"),
    Case(
        "ethnicity-unknown-code",
        "persons",
        [(4, "ethnicity", "I")],
        4,
        "ethnicity",
        "one of A, B, C, D, E, F, G, H, J, K, L, M, N, P, R, S, Z, 99",
    ),
    Case(
        "dob-wrong-type",
        "persons",
        [(2, "date_of_birth", "14/03/1950")],
        2,
        "date_of_birth",
        "a date (YYYY-MM-DD, or YYYY-MM)",
        hidden=["14/03/1950"],
    ),
    Case(
        "dob-impossible-date",
        "persons",
        [(5, "date_of_birth", "2001-02-30")],
        5,
        "date_of_birth",
        "a date (YYYY-MM-DD",
        hidden=["2001-02-30"],
    ),
    Case(
        "dob-future",
        "persons",
        [(6, "date_of_birth", "2026-01-01")],
        6,
        "date_of_birth",
        "a date on or before the dataset's as_of date 2025-03-31",
        hidden=["2026-01-01"],
    ),
    Case(
        "duplicated-person-id",
        "persons",
        [(4, "person_id", "P001")],
        4,
        "person_id",
        "each person_id once; this row repeats line 2",
        hidden=["P001"],
    ),
    Case("empty-person-id", "persons", [(5, "person_id", "")], 5, "person_id", "found an empty"),
    Case("empty-sex", "persons", [(2, "sex", "  ")], 2, "sex", "found an empty cell"),
    Case(
        "lsoa-wrong-form",
        "persons",
        [(3, "lsoa", "Brent 029A")],
        3,
        "lsoa",
        "an LSOA code (E01 or W01 and 6 digits) or an empty cell",
        hidden=["Brent 029A"],
    ),
    Case(
        "practice-wrong-form",
        "persons",
        [(2, "practice", "8400X")],
        2,
        "practice",
        "a GP practice ODS code",
        hidden=["8400X"],
    ),
    Case(
        "two-bad-rows-counted",
        "persons",
        [(3, "sex", "female"), (6, "sex", "male")],
        3,
        "sex",
        "one of F, M, U",
        count=2,
        hidden=["female"],
    ),
    Case(
        "clock-stop-before-start",
        "rtt_pathways",
        [(2, "clock_stop", "2024-03-01")],
        2,
        "clock_stop",
        "a date on or after clock_start",
        hidden=["2024-03-01"],
    ),
    Case(
        "rtt-unknown-person",
        "rtt_pathways",
        [(3, "person_id", "P999")],
        3,
        "person_id",
        "a person_id that is in persons (persons.csv)",
        hidden=["P999"],
    ),
    Case(
        "rtt-duplicated-pathway",
        "rtt_pathways",
        [(5, "pathway_id", "R1")],
        5,
        "pathway_id",
        "each pathway_id once; this row repeats line 2",
    ),
    Case(
        "rtt-clock-start-future",
        "rtt_pathways",
        [(5, "clock_start", "2025-04-01")],
        5,
        "clock_start",
        "on or before the dataset's as_of date 2025-03-31",
        hidden=["2025-04-01"],
    ),
    Case(
        "rtt-provider-wrong-form",
        "rtt_pathways",
        [(2, "provider", "imperial")],
        2,
        "provider",
        "an ODS organisation code",
        hidden=["imperial"],
    ),
    Case(
        "tested-before-requested",
        "diagnostic_waits",
        [(2, "tested", "2024-04-01")],
        2,
        "tested",
        "a date on or after requested",
    ),
    Case(
        "departure-before-arrival",
        "ae_attendances",
        [(2, "departure", "2024-07-04 21:00:00")],
        2,
        "departure",
        "a date and time on or after arrival",
        hidden=["21:00"],
    ),
    Case(
        "department-type-out-of-range",
        "ae_attendances",
        [(3, "department_type", "5")],
        3,
        "department_type",
        "a whole number 1-4",
    ),
    Case(
        "arrival-without-time",
        "ae_attendances",
        [(3, "arrival", "2024-09-12")],
        3,
        "arrival",
        "a date and time (YYYY-MM-DD HH:MM",
    ),
    Case(
        "departure-future",
        "ae_attendances",
        [(4, "departure", "2025-04-01 00:30:00")],
        4,
        "departure",
        "a date and time on or before the dataset's as_of date 2025-03-31",
    ),
    Case(
        "first-treatment-before-referral",
        "cancer_pathways",
        [(2, "first_treatment", "2024-06-01")],
        2,
        "first_treatment",
        "a date on or after referral",
    ),
    Case(
        "cancer-stage-not-a-number",
        "cancer_pathways",
        [(2, "stage", "IV")],
        2,
        "stage",
        "a whole number 1-4 or an empty cell",
    ),
    Case(
        "screening-unknown-programme",
        "screening",
        [(3, "programme", "lung")],
        3,
        "programme",
        "one of breast, cervical, bowel",
        hidden=["lung"],
    ),
    Case(
        "screened-before-invited",
        "screening",
        [(2, "screened", "2024-04-01")],
        2,
        "screened",
        "a date on or after invited",
    ),
    Case(
        "screening-duplicated-invitation",
        "screening",
        [(4, "person_id", "P001"), (4, "programme", "breast"), (4, "invited", "2024-05-01")],
        4,
        "person_id",
        "each combination of person_id, programme, invited once; this row repeats line 2",
    ),
    Case(
        "systolic-not-a-number",
        "hypertension",
        [(2, "systolic", "high")],
        2,
        "systolic",
        "a whole number 40-300",
        hidden=["high"],
    ),
    Case(
        "systolic-not-above-diastolic",
        "hypertension",
        [(4, "systolic", "90")],
        4,
        "systolic",
        "a number greater than diastolic",
    ),
    Case(
        "bp-without-date",
        "hypertension",
        [(2, "last_bp", "")],
        2,
        "systolic",
        "a value when last_bp is filled, and an empty cell when it is empty",
    ),
    Case(
        "admission-unknown-method",
        "admissions",
        [(3, "method", "urgent")],
        3,
        "method",
        "one of elective, emergency",
        hidden=["urgent"],
    ),
    Case(
        "admission-diagnosis-not-icd10",
        "admissions",
        [(3, "primary_diagnosis", "heart attack")],
        3,
        "primary_diagnosis",
        "an ICD-10 code",
        hidden=["heart attack"],
    ),
    Case(
        "admission-unknown-person",
        "admissions",
        [(4, "person_id", "P404")],
        4,
        "person_id",
        "a person_id that is in persons",
        hidden=["P404"],
    ),
    Case(
        "admission-empty-date",
        "admissions",
        [(2, "admitted", "")],
        2,
        "admitted",
        "a date (YYYY-MM-DD), found an empty cell",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_cell_names_file_line_and_column(case: Case, tmp_path: Path) -> None:
    mapping = example(tmp_path)
    set_cells(mapping.parent / f"{case.file}.csv", case.changes)

    err = load_fails(mapping, tmp_path)

    message = str(err)
    prefix = f"{case.file}.csv, line {case.line}, column {case.column}: expected "
    assert message.startswith(prefix), message
    assert case.expected in message
    assert err.line == case.line and err.row is None
    assert err.column == case.column
    assert err.contract_column == (case.contract_column or case.column)
    assert err.table == case.file
    assert err.count == case.count
    assert err.path is not None and err.path.endswith(f"{case.file}.csv")
    rows = "1 row in all fails" if case.count == 1 else f"{case.count} rows in all"
    assert rows in message
    for value in case.hidden:
        assert value not in message, "the offending value must never be shown"


def test_renamed_column_is_named_both_ways(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    rtt = mapping.parent / "rtt_pathways.csv"
    rtt.write_text(rtt.read_text().replace("clock_stop", "stop_date", 1))
    mapping.write_text(
        mapping.read_text().replace(
            'path = "rtt_pathways.csv"\n',
            'path = "rtt_pathways.csv"\n[tables.rtt_pathways.columns]\nclock_stop = "stop_date"\n',
        )
    )
    set_cells(rtt, [(4, "stop_date", "2024-07-01")])

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        "rtt_pathways.csv, line 4, column stop_date (clock_stop): expected a date on or after "
        "clock_start"
    )
    assert err.column == "stop_date" and err.contract_column == "clock_stop"


def test_wrong_encoding_names_line_and_column(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    data = persons.read_bytes().replace(b"Somali", "Fran\u00e7ais".encode("latin-1"))
    persons.write_bytes(data)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 5, column main_language: wrong encoding")
    assert "UTF-8" in str(err) and "Fran" not in str(err)
    assert err.line == 5 and err.column == "main_language"


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_wrong_encoding_in_a_column_the_contract_does_not_read(
    gzipped: bool, tmp_path: Path
) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    lines = persons.read_bytes().split(b"\n")
    lines[0] += b",notes"
    lines[1:-1] = [line + b",ok" for line in lines[1:-1]]
    lines[3] = lines[3][:-2] + "d\u00e9j\u00e0 vu".encode("cp1252")
    data = b"\n".join(lines)
    if gzipped:
        (mapping.parent / "persons.csv.gz").write_bytes(gzip.compress(data))
        persons.unlink()
        mapping.write_text(mapping.read_text().replace('"persons.csv"', '"persons.csv.gz"'))
    else:
        persons.write_bytes(data)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv")
    # "notes" is no contract name: the header cell is named by its position, as line 1 of a
    # file without a header would hold a person's record.
    assert ", line 4, column at position 8: wrong encoding: expected UTF-8 text" in str(err)
    assert err.column is None and err.contract_column is None


def test_wrong_encoding_in_the_header(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_bytes(persons.read_bytes().replace(b"main_language", b"langue_\xe9crite", 1))

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 1: wrong encoding")


def test_file_ending_inside_a_character(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    admissions = mapping.parent / "admissions.csv"
    admissions.write_bytes(admissions.read_bytes().rstrip(b"\n") + b"\xc3")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("admissions.csv, line 4, column primary_diagnosis: wrong encoding")


def test_utf16_file_is_a_wrong_encoding(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_bytes(persons.read_text().encode("utf-16"))

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 1: wrong encoding: the file is UTF-16")


def test_missing_required_column_lists_the_columns_found(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_text(persons.read_text().replace(",sex,", ",gender,", 1))

    err = load_fails(mapping, tmp_path)

    message = str(err)
    assert message.startswith("persons.csv, line 1, column sex: missing; expected a column named")
    # Contract names are listed; others only by position (they might be a person's values).
    assert "Columns found: person_id, date_of_birth, ethnicity, lsoa" in message
    assert "1 other at position 2" in message and "gender" not in message.split("found:")[1]
    assert err.line == 1 and err.contract_column == "sex"


def test_mapped_column_missing_from_file(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    text = mapping.read_text().replace(
        'path = "admissions.csv"\n',
        'path = "admissions.csv"\n[tables.admissions.columns]\nmethod = "Admission Method"\n',
    )
    mapping.write_text(text)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        "admissions.csv, line 1, column 'Admission Method' (method): missing; expected a column "
        "named Admission Method (mapped to method in the mapping file)"
    )


def test_missing_file_names_the_path_and_the_mapping_key(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    (mapping.parent / "screening.csv").unlink()

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("mapping.toml, tables.screening.path: file not found: ")
    assert err.path is not None and err.path.endswith("screening.csv")
    assert err.key == "tables.screening.path"


def test_ragged_row_names_the_line(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    lines = persons.read_text().splitlines()
    lines[2] += ",extra"
    persons.write_text("\n".join(lines) + "\n")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 3: expected 7 values separated by commas")
    assert "found 8" in str(err) and "P002" not in str(err)


def test_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    rtt = mapping.parent / "rtt_pathways.csv"
    rtt.write_text(rtt.read_text().replace("R3,P005", 'R3,"P005', 1))

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("rtt_pathways.csv, line 4: a quoted value is not closed")


def test_empty_persons_table(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_text(persons.read_text().splitlines()[0] + "\n")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 2: no rows; expected one row per person")


def test_line_numbers_count_quoted_newlines_and_blank_lines(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    lines = persons.read_text().splitlines()
    lines[1] = lines[1].replace(",English", ',"English\nand Welsh"')  # record 1 spans 2 lines
    lines.insert(3, "")  # a blank line after P002
    lines[5] = lines[5].replace("P004,F,", "P004,Q,")  # record 4, now on line 7
    persons.write_text("\n".join(lines) + "\n")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 7, column sex: expected one of F, M, U")


def test_several_failing_checks_report_the_earliest_row(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    set_cells(
        mapping.parent / "persons.csv",
        [(6, "sex", "Q"), (4, "ethnicity", "T"), (7, "ethnicity", "T")],
    )

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.csv, line 4, column ethnicity:")
    assert err.count == 2


# -- Parquet ---------------------------------------------------------------------------------


def _rewrite_parquet(path: Path, column: str, row: int, value: object) -> None:
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[row] = value
    i = table.schema.get_field_index(column)
    table = table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))
    pq.write_table(table, path)


def test_parquet_error_names_the_row(tmp_path: Path) -> None:
    mapping = example(tmp_path, format="parquet")
    _rewrite_parquet(mapping.parent / "persons.parquet", "sex", 2, "Q")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("persons.parquet, row 3, column sex: expected one of F, M, U")
    assert err.row == 3 and err.line is None


def test_parquet_native_rule_violation(tmp_path: Path) -> None:
    mapping = example(tmp_path, format="parquet")
    import datetime as dt

    _rewrite_parquet(mapping.parent / "rtt_pathways.parquet", "clock_stop", 0, dt.date(2024, 1, 1))

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        "rtt_pathways.parquet, row 1, column clock_stop: expected a date on or after clock_start"
    )


def test_parquet_folder_names_the_part_and_its_row(tmp_path: Path) -> None:
    mapping = example(tmp_path, format="parquet")
    folder = mapping.parent
    table = pq.read_table(folder / "rtt_pathways.parquet")
    (folder / "rtt_pathways.parquet").unlink()
    parts = folder / "rtt_parts"
    parts.mkdir()
    pq.write_table(table.slice(0, 2), parts / "part-0.parquet")
    pq.write_table(table.slice(2), parts / "part-1.parquet")
    _rewrite_parquet(parts / "part-1.parquet", "person_id", 1, "P999")
    mapping.write_text(mapping.read_text().replace('"rtt_pathways.parquet"', '"rtt_parts"'))

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        "part-1.parquet, row 2, column person_id: expected a person_id that is in persons"
    )


def test_not_a_parquet_file(tmp_path: Path) -> None:
    mapping = example(tmp_path, format="parquet")
    (mapping.parent / "admissions.parquet").write_text("admission_id\nH1\n")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("admissions.parquet: not a Parquet file")


# -- reference LSOAs -------------------------------------------------------------------------


def _tiny_lookup(tmp_path: Path) -> Path:
    path = tmp_path / "lookup.csv"
    path.write_text(
        "LSOA21CD,LSOA21NM,LAD22CD,LAD22NM\n"
        + "".join(
            f"{code},Brent {i:03d}A,E09000005,Brent\n"
            for i, code in enumerate(["E01000471", "E01000472", "E01000473", "E01000474"])
        )
    )
    return path


def _reference(tmp_path: Path) -> Path:
    return IMD2025_NWL if IMD2025_NWL.exists() else _tiny_lookup(tmp_path)


def test_lsoa_not_in_reference_data(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    mapping = example(tmp_path, reference_lsoa=reference)
    set_cells(mapping.parent / "persons.csv", [(5, "lsoa", "E01099999")])

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        f"persons.csv, line 5, column lsoa: expected an LSOA 2021 code in the reference data "
        f"({reference.name}); 1 row in all fails this check"
    )
    assert "E01099999" not in str(err)


@pytest.mark.skipif(not IMD2019_NWL.exists(), reason="../shared/data/imd is not present")
def test_reference_of_another_vintage_is_a_mapping_error(tmp_path: Path) -> None:
    mapping = example(tmp_path, reference_lsoa=IMD2019_NWL)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(
        "mapping.toml, reference.lsoa: imd2019_lsoa11_nwl.csv holds LSOA 2011 codes but "
        "lsoa_vintage = 2021"
    )


def test_reference_file_that_is_no_reference(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    mapping = example(tmp_path, reference_lsoa=junk)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("mapping.toml, reference.lsoa: junk.csv could not be read as an")


# -- the database ----------------------------------------------------------------------------


def test_existing_dataset_is_kept_unless_replaced(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    db = tmp_path / "kept.duckdb"
    load_dataset(mapping, database=db).close()

    with pytest.raises(DataContractError, match=r"already holds a dataset .*replace=True"):
        load_dataset(mapping, database=db)
    set_cells(mapping.parent / "admissions.csv", [(2, "method", "urgent")])
    with pytest.raises(DataContractError, match=r"admissions\.csv, line 2, column method"):
        load_dataset(mapping, database=db, replace=True)

    with duckdb.connect(str(db)) as con:  # the first load is intact
        assert con.execute("SELECT count(*) FROM admissions").fetchone() == (3,)
        assert con.execute("SELECT method FROM admissions LIMIT 1").fetchone() == ("elective",)


def test_failed_load_into_new_file_leaves_no_file(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    set_cells(mapping.parent / "persons.csv", [(2, "sex", "Q")])
    db = tmp_path / "new.duckdb"

    with pytest.raises(DataContractError):
        load_dataset(mapping, database=db)

    assert not db.exists()


def test_failed_load_into_open_connection_leaves_it_usable(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    set_cells(mapping.parent / "hypertension.csv", [(3, "person_id", "P777")])
    con = duckdb.connect()

    with pytest.raises(DataContractError, match=r"hypertension\.csv, line 3, column person_id"):
        load_dataset(mapping, database=con)

    assert existing_tables(con) == []
    assert con.execute("SELECT 41 + 1").fetchone() == (42,)


def test_bad_date_format_in_mapping(tmp_path: Path) -> None:
    mapping = example(tmp_path)
    text = mapping.read_text().replace(
        'path = "persons.csv"\n', 'path = "persons.csv"\ndate_format = "%Q"\n'
    )
    mapping.write_text(text)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("mapping.toml, tables.persons.date_format")
