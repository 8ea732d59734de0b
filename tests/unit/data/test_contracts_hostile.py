"""Hostile input to the loader: it never crashes, hangs or puts a person's value in a message.

Each case once crashed, hung or leaked: a persons file without its header line listed the first
person's whole record as "columns found"; a named pipe as a table file hung the loader; an
``as_of`` of 9999-12-31 overflowed; a Parquet clock start near year -220 loaded (and Find then
crashed); a 539-byte YAML alias bomb expanded to hundreds of megabytes; implausible dates
(birth in year 1, an admission before birth) loaded without a word.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from focuson.data.contracts import (
    DataContractError,
    DatasetMapping,
    TableMapping,
    load_dataset,
    read_mapping,
    write_example_dataset,
)
from focuson.data.contracts.columns import EARLIEST_BIRTH, EARLIEST_EVENT

RECORD = ["P001", "F", "1950-03-14", "A", "E01000471", "E84002", "English"]


def example(tmp_path: Path) -> Path:
    return write_example_dataset(tmp_path / "data")


def fails(mapping: Path | DatasetMapping) -> DataContractError:
    with pytest.raises(DataContractError) as info:
        load_dataset(mapping)
    return info.value


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# -- no value in a message -------------------------------------------------------------------


def test_a_persons_file_without_its_header_shows_no_value(tmp_path):
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_text("\n".join(persons.read_text().splitlines()[1:]) + "\n")

    message = str(fails(mapping))

    assert message.startswith("persons.csv, line 1, column person_id: missing")
    assert "looks like a record, not a header" in message
    for value in RECORD:
        assert value not in message, value


def test_a_header_like_record_without_dates_or_numbers_still_shows_no_value(tmp_path):
    # A record the "looks like data" test cannot tell from names: only contract names show.
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_text("Pxyz,F,Zed,A,Lou\nPabc,M,Kay,A,Sam\n")

    message = str(fails(mapping))

    assert "5 others at positions 1, 2, 3, 4, 5" in message
    for value in ("Pxyz", "Zed", "Lou"):
        assert value not in message


def test_parquet_columns_named_after_a_record_are_not_shown(tmp_path):
    # pandas.read_csv of a file without its header takes the first record for the names
    mapping = example(tmp_path)
    names = ["P001", "F", "Zed", "A", "Lou"]
    table = pa.table({n: ["x"] for n in names})
    pq.write_table(table, mapping.parent / "persons.parquet")
    mapping.write_text(mapping.read_text().replace('"persons.csv"', '"persons.parquet"'))

    message = str(fails(mapping))

    assert message.startswith("persons.parquet, column person_id: missing")
    assert "5 others at positions 1, 2, 3, 4, 5" in message
    for value in ("P001", "Zed", "Lou"):
        assert value not in message, value


def test_a_repeated_header_cell_in_a_record_is_not_shown(tmp_path):
    mapping = example(tmp_path)
    persons = mapping.parent / "persons.csv"
    persons.write_text("P9,F,2001-01-01,2001-01-01,x\nP8,F,2001-01-01,A,x\n")

    message = str(fails(mapping))

    assert "looks like a record" in message and "2001-01-01" not in message


# -- no hang, no overflow ---------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("table", ["persons.csv", "rtt_pathways.parquet"])
def test_a_named_pipe_as_a_table_file_is_refused_at_once(tmp_path, table):
    mapping = example(tmp_path)
    pipe = mapping.parent / table
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)
    if table.endswith(".parquet"):
        mapping.write_text(mapping.read_text().replace("rtt_pathways.csv", table))
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_dataset(mapping)
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)  # a hang must not hang the suite
    worker.start()
    worker.join(timeout=20)
    assert outcome, "the load hung on a named pipe"
    assert isinstance(outcome[0], DataContractError)
    assert f"{table} is not a regular file (a named pipe" in str(outcome[0])


@pytest.mark.parametrize("as_of", ["9999-12-31", "2099-12-31"])
def test_an_extract_date_in_the_future_is_refused(tmp_path, as_of):
    mapping = example(tmp_path)
    mapping.write_text(mapping.read_text().replace("as_of = 2025-03-31", f"as_of = {as_of}"))

    with pytest.raises(DataContractError) as info:
        read_mapping(mapping)

    assert str(info.value).startswith(f"mapping.toml, as_of: {as_of} is in the future")
    assert info.value.key == "as_of"


def test_an_extract_date_in_the_future_is_refused_from_python_too(tmp_path):
    persons = TableMapping("persons", tmp_path / "p.csv", "csv")
    with pytest.raises(DataContractError, match="as_of: 9999-12-31 is in the future"):
        DatasetMapping({"persons": persons}, lsoa_vintage=2021, as_of=dt.date(9999, 12, 31))
    with pytest.raises(DataContractError, match="before the NHS began"):
        DatasetMapping({"persons": persons}, lsoa_vintage=2021, as_of=dt.date(1, 1, 1))


# -- implausible dates ------------------------------------------------------------------------


@pytest.mark.parametrize("born", ["0001-01-01", "1800-06-01", "1879-12"])
def test_a_birth_before_the_plausible_range_is_refused(tmp_path, born):
    mapping = example(tmp_path)
    set_cell(mapping.parent / "persons.csv", 3, "date_of_birth", born)

    err = fails(mapping)

    assert str(err).startswith("persons.csv, line 3, column date_of_birth: expected a date on")
    assert f"on or after {EARLIEST_BIRTH.isoformat()}" in str(err)
    assert born not in str(err)


def test_an_event_before_the_nhs_began_is_refused(tmp_path):
    mapping = example(tmp_path)
    set_cell(mapping.parent / "hypertension.csv", 2, "diagnosed", "1900-01-01")

    err = fails(mapping)

    assert str(err).startswith("hypertension.csv, line 2, column diagnosed: expected a date")
    assert f"on or after {EARLIEST_EVENT.isoformat()}" in str(err)


def test_an_admission_before_birth_is_refused(tmp_path):
    mapping = example(tmp_path)  # P005 was born on 1990-06-30
    set_cell(mapping.parent / "admissions.csv", 3, "admitted", "1989-12-31")

    err = fails(mapping)

    assert str(err).startswith("admissions.csv, line 3, column admitted: expected a date on or")
    assert "the person's date of birth" in str(err)
    assert "1 row in all fails this check" in str(err)


def test_an_event_in_the_month_of_a_birth_known_to_the_month_loads(tmp_path):
    mapping = example(tmp_path)  # P003 was born in 2001-07 (to the month)
    set_cell(mapping.parent / "ae_attendances.csv", 3, "arrival", "2001-07-01 00:30")
    set_cell(mapping.parent / "ae_attendances.csv", 3, "departure", "2001-07-01 02:00")

    with load_dataset(mapping) as data:
        assert data.row_counts["ae_attendances"] == 3


def test_a_parquet_date_near_year_minus_220_is_refused(tmp_path):
    mapping = example(tmp_path)
    days = (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days - 221 * 365
    table = pa.table(
        {
            "pathway_id": ["R1"],
            "person_id": ["P001"],
            "provider": ["RYJ"],
            "treatment_function": ["100"],
            "clock_start": pa.array([days], pa.date32()),
            "clock_stop": pa.array([None], pa.date32()),
        }
    )
    pq.write_table(table, mapping.parent / "rtt.parquet")
    mapping.write_text(mapping.read_text().replace("rtt_pathways.csv", "rtt.parquet"))

    err = fails(mapping)

    assert str(err).startswith("rtt.parquet, row 1, column clock_start: expected a date on or")


# -- hostile mapping files --------------------------------------------------------------------

_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)


def _yaml_mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_alias_bomb_in_a_mapping_is_refused_at_once(tmp_path):
    path = _yaml_mapping(tmp_path, "lsoa_vintage: 2021\nas_of: 2025-03-31\n" + _BOMB + "\n")
    start = time.perf_counter()

    with pytest.raises(DataContractError) as info:
        read_mapping(path)

    assert time.perf_counter() - start < 1
    assert str(info.value).startswith("mapping.yaml, line 3: not valid YAML (anchors (&name)")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("as_of: !!python/object/apply:os.system ['true']\n", 1, "!!python/object/apply"),
        ("lsoa_vintage: 2021\nas_of: 2025-03-31\x00\n", 2, "control character (U+0000)"),
        ("lsoa_vintage: 2021\nname: \x1b[2J\n", 2, "control character (U+001B)"),
        ("a: " + "[" * 200 + "]" * 200 + "\n", 1, "nested more than"),
    ],
)
def test_hostile_yaml_in_a_mapping_is_a_located_error(tmp_path, text, line, words):
    with pytest.raises(DataContractError) as info:
        read_mapping(_yaml_mapping(tmp_path, text))

    assert str(info.value).startswith(f"mapping.yaml, line {line}: not valid YAML")
    assert words in str(info.value)


def test_deeply_nested_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")

    with pytest.raises(DataContractError, match="nested too deeply"):
        read_mapping(path)


# -- the same checks on tables already in an engine -----------------------------------------


def _engine_persons(born: dt.date) -> Any:
    import ibis
    import pandas as pd

    backend = ibis.duckdb.connect()
    persons = pd.DataFrame(
        {
            "person_id": ["p1"],
            "sex": ["F"],
            "date_of_birth": [born],
            "ethnicity": ["A"],
            "lsoa": ["E01000001"],
        }
    )
    backend.create_table("persons", persons)
    return backend


def test_in_an_engine_an_extract_date_in_the_future_is_refused():
    from focuson.data.contracts.in_engine import check_in_engine

    backend = _engine_persons(dt.date(1960, 1, 1))
    with pytest.raises(DataContractError, match="as_of: 9999-12-31 is in the future"):
        check_in_engine(backend, ["persons"], as_of=dt.date(9999, 12, 31))


def test_in_an_engine_a_birth_in_year_one_is_refused():
    from focuson.data.contracts.in_engine import check_in_engine

    backend = _engine_persons(dt.date(1, 1, 1))
    with pytest.raises(DataContractError) as info:
        check_in_engine(backend, ["persons"], as_of=dt.date(2025, 3, 31))
    assert "column date_of_birth: expected a date on or after 1880-01-01" in str(info.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("lsoa_vintage = " + "1" * 4301 + "\nas_of = 2025-03-31\n", "a value that cannot be read"),
        ('lsoa_vintage = 2021\nas_of = 2025-03-31\n[tables.persons]\npath = "p\\u0000.csv"\n',
         "tables.persons.path: a control character is not allowed here"),
        ('lsoa_vintage = 2021\nas_of = 2025-03-31\n[tables.persons]\npath = "p.csv"\n'
         'delimiter = "\\n"\n', "tables.persons.delimiter: expected one character other than"),
        ('lsoa_vintage = 2021\nas_of = 2025-03-31\n[tables.persons]\npath = "p.csv"\n'
         '[tables.persons.columns]\nsex = "a\\u001bb"\n', "a control character is not allowed"),
    ],
)  # fmt: skip
def test_hostile_toml_in_a_mapping_is_a_clear_error(tmp_path, text, words):
    path = tmp_path / "mapping.toml"
    path.write_text(text)

    with pytest.raises(DataContractError) as info:
        read_mapping(path)

    assert str(info.value).startswith("mapping.toml")
    assert words in str(info.value)


@pytest.mark.parametrize("value", ["2024-02-30", "!!timestamp x", "1" * 4301])
def test_a_yaml_value_pyyaml_cannot_build_is_a_located_error(tmp_path, value):
    path = _yaml_mapping(tmp_path, f"lsoa_vintage: 2021\nas_of: {value}\n")

    with pytest.raises(DataContractError) as info:
        read_mapping(path)

    assert str(info.value).startswith("mapping.yaml, line 2: not valid YAML (a value that cannot")


_FRAGMENTS = [
    "[a]", "{a: 1}", "!!python/name:os.system", "*x", "&a x", "~", "''", "'\x00'", "1" * 4301,
    ".inf", ".nan", "2024-02-30", "!!binary 'a'", "[" * 100 + "]" * 100, '"unclosed', "? [a]",
    "!!set {a}", "{[1]: x}", "!!timestamp x", "true", "0", "-1", "1.0e+400", "9999-12-31",
    "0001-01-01", "2025-03-31 10:00:00", '"\\ud800"', "{path: [x]}", "{path: '\\0'}",
    "{path: x.csv, columns: {sex: [a]}}", "{path: x.csv, codes: {sex: {1: [M]}}}",
    "{path: x.csv, delimiter: [x]}", "{path: x.csv, format: [csv]}", "{path: x.csv, columns: [a]}",
    "{path: x.csv, codes: {sex: [a]}}", "{path: x.csv, date_format: [a]}", "{path: {a: 1}}",
    "{persons: {path: x.csv}, [a]: 1}", "{lsoa: [a]}", "{lsoa: x, kind: [a]}",
    "{path: x.duckdb, table: [a]}", "{path: x.duckdb, table: 'a\\0b'}",
    "{path: x.csv, delimiter: '\"'}",
]  # fmt: skip
_KEYS = [
    "lsoa_vintage",
    "as_of",
    "coverage_from",
    "name",
    "contract_version",
    "reference",
    "tables",
]


@given(
    st.sampled_from(_KEYS),
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=15).filter(lambda s: "\n" not in s)),
    st.booleans(),
)
def test_hostile_mapping_files_give_only_contract_errors(tmp_path_factory, key, fragment, table):
    values = {"lsoa_vintage": "2021", "as_of": "2025-03-31", "tables": "{persons: {path: p.csv}}"}
    if table and key != "tables":
        values["tables"] = f"{{persons: {fragment}}}"
    else:
        values[key] = fragment
    text = "".join(f"{k}: {v}\n" for k, v in values.items())
    path = tmp_path_factory.mktemp("m") / "mapping.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")

    try:
        read_mapping(path)
    except DataContractError as exc:  # the only kind that may escape
        message = str(exc)
    else:
        return
    assert message.startswith("mapping.yaml")


def test_in_an_engine_an_admission_before_birth_is_refused():
    from focuson.data.contracts.in_engine import check_in_engine

    backend = _engine_persons(dt.date(1990, 6, 30))
    backend.raw_sql(
        "CREATE TABLE admissions AS SELECT * FROM (VALUES "
        "('h1', 'p1', DATE '1990-06-01', 'emergency', 'I10'), "
        "('h2', 'p1', DATE '1990-05-31', 'emergency', 'I10')) "
        "t(admission_id, person_id, admitted, method, primary_diagnosis)"
    )
    with pytest.raises(DataContractError) as info:
        check_in_engine(backend, ["admissions"], as_of=dt.date(2025, 3, 31))
    assert str(info.value).startswith("duckdb table admissions, column admitted: expected a date")
    assert "the person's date of birth" in str(info.value) and "1 row fails" in str(info.value)
