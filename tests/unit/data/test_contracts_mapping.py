"""The mapping file: TOML and YAML, renamed columns, recoded values, and every bad mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from focuson.data.contracts import (
    DataContractError,
    DatasetMapping,
    TableMapping,
    existing_tables,
    load_dataset,
    mapping_for_folder,
    mapping_from_dict,
    read_mapping,
    write_example_dataset,
)

GOOD = 'lsoa_vintage = 2021\nas_of = 2025-03-31\n[tables.persons]\npath = "persons.csv"\n'


def write(tmp_path: Path, text: str, name: str = "mapping.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_fails(mapping: Path, tmp_path: Path) -> DataContractError:
    db = tmp_path / "db.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE keep_me AS SELECT 1 AS x")
    with pytest.raises(DataContractError) as info:
        load_dataset(mapping, database=db)
    with duckdb.connect(str(db)) as con:
        assert existing_tables(con) == ["keep_me"]
    return info.value


BAD = [
    (
        "unknown-table",
        GOOD + '[tables.rtt]\npath = "rtt.csv"\n',
        "mapping.toml, tables.rtt: unknown table; expected one of persons, rtt_pathways",
        "tables.rtt",
    ),
    (
        "unknown-contract-column",
        GOOD + '[tables.persons.columns]\ngender = "sex_code"\n',
        "mapping.toml, tables.persons.columns.gender: unknown contract column; persons has "
        "person_id, sex,",
        "tables.persons.columns.gender",
    ),
    (
        "missing-path",
        GOOD + "[tables.screening]\nformat = 'csv'\n",
        'mapping.toml, tables.screening.path: missing; expected path = "screening.csv"',
        "tables.screening.path",
    ),
    (
        "no-persons",
        'lsoa_vintage = 2021\nas_of = 2025-03-31\n[tables.admissions]\npath = "a.csv"\n',
        "mapping.toml, tables.persons: missing",
        "tables.persons",
    ),
    (
        "missing-as-of",
        'lsoa_vintage = 2021\n[tables.persons]\npath = "persons.csv"\n',
        "mapping.toml, as_of: missing; expected the extract date",
        "as_of",
    ),
    (
        "as-of-not-a-date",
        'lsoa_vintage = 2021\nas_of = "31/03/2025"\n[tables.persons]\npath = "p.csv"\n',
        "mapping.toml, as_of: not a date",
        "as_of",
    ),
    (
        "coverage-not-a-date",
        "coverage_from = 2023\n" + GOOD,
        "mapping.toml, coverage_from: not a date",
        "coverage_from",
    ),
    (
        "coverage-after-as-of",
        "coverage_from = 2025-04-01\n" + GOOD,
        "mapping.toml, coverage_from: 2025-04-01 is after as_of 2025-03-31",
        "coverage_from",
    ),
    (
        "vintage-2015",
        'lsoa_vintage = 2015\nas_of = 2025-03-31\n[tables.persons]\npath = "p.csv"\n',
        "mapping.toml, lsoa_vintage: not 2011 or 2021",
        "lsoa_vintage",
    ),
    (
        "vintage-missing",
        'as_of = 2025-03-31\n[tables.persons]\npath = "p.csv"\n',
        "mapping.toml, lsoa_vintage: missing",
        "lsoa_vintage",
    ),
    (
        "unknown-top-key",
        "lsoa_vintge = 2021\n" + GOOD,
        "mapping.toml, lsoa_vintge: unknown key; expected one of name, contract_version, "
        "lsoa_vintage",
        "lsoa_vintge",
    ),
    (
        "unknown-table-key",
        GOOD + 'colums = {sex = "g"}\n',
        "mapping.toml, tables.persons.colums: unknown key; expected one of path, format",
        "tables.persons.colums",
    ),
    (
        "unknown-format",
        GOOD.replace('"persons.csv"', '"persons.xlsx"'),
        "mapping.toml, tables.persons.format: cannot tell the format from the file name",
        "tables.persons.format",
    ),
    (
        "bad-format",
        GOOD + 'format = "excel"\n',
        'mapping.toml, tables.persons.format: expected "csv", "parquet" or "duckdb"',
        "tables.persons.format",
    ),
    (
        "two-columns-one-source",
        GOOD + '[tables.persons.columns]\nsex = "person_id"\n',
        "mapping.toml, tables.persons.columns.sex: the same column as person_id",
        "tables.persons.columns.sex",
    ),
    (
        "recode-to-unknown-code",
        GOOD + '[tables.persons.codes.sex]\n"1" = "Male"\n',
        "mapping.toml, tables.persons.codes.sex.1: expected a contract code: one of F, M, U",
        "tables.persons.codes.sex.1",
    ),
    (
        "recode-a-date",
        GOOD + '[tables.persons.codes.date_of_birth]\n"x" = "y"\n',
        "mapping.toml, tables.persons.codes.date_of_birth: only code and whole-number columns",
        "tables.persons.codes.date_of_birth",
    ),
    (
        "contract-version-2",
        "contract_version = 2\n" + GOOD,
        "mapping.toml, contract_version: this focuson reads contract version 1",
        "contract_version",
    ),
    (
        "reference-without-lsoa",
        GOOD.replace("[tables.persons]", '[reference]\nkind = "imd"\n[tables.persons]'),
        "mapping.toml, reference.lsoa: missing",
        "reference.lsoa",
    ),
    (
        "reference-not-found",
        GOOD.replace("[tables.persons]", '[reference]\nlsoa = "nowhere.csv"\n[tables.persons]'),
        "mapping.toml, reference.lsoa: file not found: ",
        "reference.lsoa",
    ),
    (
        "long-delimiter",
        GOOD + 'delimiter = ";;"\n',
        "mapping.toml, tables.persons.delimiter: expected one character",
        "tables.persons.delimiter",
    ),
]


@pytest.mark.parametrize(("text", "message", "key"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_mapping_names_the_file_and_key(
    text: str, message: str, key: str, tmp_path: Path
) -> None:
    write_example_dataset(tmp_path)  # the data files exist: only the mapping is wrong
    mapping = write(tmp_path, text)

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith(message), str(err)
    assert err.key == key
    assert err.path is not None and (err.path.endswith("mapping.toml") or key == "reference.lsoa")


def test_unknown_table_suggests_the_close_name(tmp_path: Path) -> None:
    err = load_fails(write(tmp_path, GOOD + '[tables.rtt_pathway]\npath = "r.csv"\n'), tmp_path)
    assert "(did you mean rtt_pathways?)" in str(err)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    mapping = write(tmp_path, GOOD + "[tables.rtt_pathways\npath = 'x.csv'\n")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("mapping.toml, line 5: not valid TOML")
    assert err.line == 5


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    mapping = write(tmp_path, "lsoa_vintage: 2021\nas_of: [2025\n", "mapping.yaml")

    err = load_fails(mapping, tmp_path)

    assert str(err).startswith("mapping.yaml, line ")
    assert "not valid YAML" in str(err)


def test_mapping_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(DataContractError, match="mapping file not found"):
        load_dataset(tmp_path / "missing.toml")


def test_mapping_file_of_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(DataContractError, match=r"mapping\.json: cannot tell"):
        read_mapping(write(tmp_path, "{}", "mapping.json"))


def test_mapping_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(DataContractError, match="expected keys lsoa_vintage, as_of and tables"):
        read_mapping(write(tmp_path, "- a\n- b\n", "m.yaml"))


def test_mapping_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(GOOD.encode() + b"# caf\xe9\n")
    with pytest.raises(DataContractError, match=r"m\.toml, line 5: wrong encoding"):
        read_mapping(path)


# -- good mappings ---------------------------------------------------------------------------


def test_toml_mapping_is_read_with_defaults(tmp_path: Path) -> None:
    mapping = read_mapping(write(tmp_path, GOOD + '[tables.rtt_pathways]\npath = "r.parquet"\n'))

    assert mapping.lsoa_vintage == 2021 and mapping.as_of == dt.date(2025, 3, 31)
    assert list(mapping.tables) == ["persons", "rtt_pathways"]
    persons = mapping.tables["persons"]
    assert persons.path == tmp_path / "persons.csv" and persons.format == "csv"
    assert persons.delimiter == "," and persons.user_name("sex") == "sex"
    assert mapping.tables["rtt_pathways"].format == "parquet"
    assert mapping.reference_lsoa is None and mapping.path == tmp_path / "mapping.toml"
    assert mapping.coverage_from is None
    covered = read_mapping(write(tmp_path, "coverage_from = 2023-04-01\n" + GOOD))
    assert covered.coverage_from == dt.date(2023, 4, 1)


def test_yaml_mapping_matches_toml(tmp_path: Path) -> None:
    text = (
        "name: NWL extract\nlsoa_vintage: 2011\nas_of: 2024-12-31\n"
        "reference:\n  lsoa: ref/imd.csv\n  kind: imd\n"
        "tables:\n  persons:\n    path: people.tsv\n    columns:\n      sex: Gender\n"
        "    codes:\n      sex:\n        1: M\n        2: F\n"
    )
    mapping = read_mapping(write(tmp_path, text, "m.yml"))

    persons = mapping.tables["persons"]
    assert mapping.name == "NWL extract" and mapping.lsoa_vintage == 2011
    assert mapping.reference_lsoa == tmp_path / "ref" / "imd.csv"
    assert mapping.reference_kind == "imd"
    assert persons.delimiter == "\t" and persons.user_name("sex") == "Gender"
    assert dict(persons.codes["sex"]) == {"1": "M", "2": "F"}


def test_tables_are_kept_in_contract_order(tmp_path: Path) -> None:
    mapping = mapping_from_dict(
        {
            "lsoa_vintage": 2021,
            "as_of": "2025-01-01",
            "tables": {"admissions": {"path": "a.csv"}, "persons": {"path": "p.csv"}},
        },
        base_dir=tmp_path,
    )
    assert list(mapping.tables) == ["persons", "admissions"]


def test_dataset_mapping_checks_itself() -> None:
    persons = TableMapping("persons", Path("p.csv"), "csv")
    with pytest.raises(DataContractError, match="lsoa_vintage: expected 2011 or 2021"):
        DatasetMapping({"persons": persons}, lsoa_vintage=2001, as_of=dt.date(2025, 1, 1))
    with pytest.raises(DataContractError, match="no persons table"):
        DatasetMapping({}, lsoa_vintage=2021, as_of=dt.date(2025, 1, 1))
    with pytest.raises(DataContractError, match="unknown table"):
        TableMapping("people", Path("p.csv"), "csv")
    with pytest.raises(DataContractError, match="unknown contract column 'gender'"):
        TableMapping("persons", Path("p.csv"), "csv", columns={"gender": "g"})


def test_mapping_for_folder_finds_tables_by_contract_name(tmp_path: Path) -> None:
    write_example_dataset(tmp_path, format="parquet")
    (tmp_path / "screening.parquet").unlink()

    mapping = mapping_for_folder(tmp_path, lsoa_vintage=2021, as_of=dt.date(2025, 3, 31))

    assert "screening" not in mapping.tables and len(mapping.tables) == 7
    assert all(t.format == "parquet" for t in mapping.tables.values())
    with load_dataset(mapping) as data:
        assert data.row_counts["persons"] == 6


def test_mapping_for_folder_without_persons(tmp_path: Path) -> None:
    with pytest.raises(DataContractError, match="no persons table"):
        mapping_for_folder(tmp_path, lsoa_vintage=2021, as_of=dt.date(2025, 3, 31))
