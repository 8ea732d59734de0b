"""The mapping file: where a user's tables are and what their columns are called.

A mapping file is TOML (``.toml``) or YAML (``.yaml``, ``.yml``)::

    lsoa_vintage = 2021          # the LSOA boundaries of the persons.lsoa codes: 2011 or 2021
    as_of = 2025-03-31           # the extract date: no date in the data may be later

    [reference]                  # optional: LSOAs not in this file are errors
    lsoa = "reference/imd2025_lsoa21_england.csv.gz"

    [tables.persons]
    path = "people.csv"          # relative to the mapping file; csv or parquet by its suffix
    [tables.persons.columns]     # contract column = "your column" (only those you renamed)
    person_id = "patient_id"
    sex = "gender"
    [tables.persons.codes.sex]   # optional: your codes -> contract codes
    "1" = "M"
    "2" = "F"
    "9" = "U"

    [tables.rtt_pathways]
    path = "rtt.parquet"

    [tables.admissions]          # a table in a DuckDB database file, read-only
    format = "duckdb"
    path = "warehouse.duckdb"
    table = "staging.inpatients" # optional schema; the contract name when left out

``persons`` is required; the other seven tables are optional. A column not listed under
``columns`` is looked for under its contract name. Per table, ``format`` (``"csv"``,
``"parquet"`` or ``"duckdb"``), ``delimiter`` (CSV), ``table`` (DuckDB), ``date_format`` and
``timestamp_format`` (strptime formats such as ``"%d/%m/%Y"``, when dates are not ISO) are
optional. A Parquet table may be a folder of ``*.parquet`` parts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

import yaml

from focuson.data.contracts.columns import EARLIEST_EVENT
from focuson.data.contracts.errors import DataContractError
from focuson.data.contracts.safe_yaml import MAX_YAML_CHARACTERS, safe_load, yaml_problem
from focuson.data.contracts.tables import CONTRACT_VERSION, CONTRACTS

Format = Literal["csv", "parquet", "duckdb"]
ReferenceKind = Literal["auto", "imd", "lookup", "lsoa11_lsoa21"]

LSOA_VINTAGES = (2011, 2021)
#: How many days after today an extract date (``as_of``) may be: a little, for clocks and time
#: zones; a later one is a typing error (it would add empty months to every series).
AS_OF_TOLERANCE_DAYS = 7
REFERENCE_KINDS: tuple[str, ...] = ("auto", "imd", "lookup", "lsoa11_lsoa21")
_TOP_KEYS = (
    "name",
    "contract_version",
    "lsoa_vintage",
    "as_of",
    "coverage_from",
    "reference",
    "tables",
)
FORMATS: tuple[str, ...] = ("csv", "parquet", "duckdb")
_TABLE_KEYS = (
    "path",
    "format",
    "table",
    "delimiter",
    "columns",
    "codes",
    "date_format",
    "timestamp_format",
)
_NAME_PART = re.compile(r"[^.\s\x00-\x1f]+")
_REFERENCE_KEYS = ("lsoa", "kind")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is a valid delimiter


@dataclass(frozen=True)
class TableMapping:
    """Where one table is and how its columns are named.

    Parameters
    ----------
    table
        The contract table, e.g. ``"persons"``.
    path
        The file (or, for Parquet, a folder of ``*.parquet`` parts; for DuckDB, the database
        file).
    format
        ``"csv"``, ``"parquet"`` or ``"duckdb"``.
    columns
        Contract column -> the user's column name, for renamed columns only.
    codes
        Contract column -> {the user's code: the contract code}, to recode values on load.
    delimiter
        For CSV: the field separator.
    date_format, timestamp_format
        strptime formats (``"%d/%m/%Y"``) when dates or timestamps are not ISO 8601.
    source_table
        For DuckDB: the table (or view) in the database file, ``"name"`` or
        ``"schema.name"``; the contract table's name when not given.

    Examples
    --------
    >>> m = TableMapping("persons", Path("people.csv"), "csv", columns={"sex": "gender"})
    >>> m.user_name("sex"), m.user_name("person_id")
    ('gender', 'person_id')
    >>> db = TableMapping("persons", Path("w.duckdb"), "duckdb", source_table="staging.people")
    >>> db.schema_and_name
    ('staging', 'people')
    """

    table: str
    path: Path
    format: Format
    columns: Mapping[str, str] = field(default_factory=dict)
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    delimiter: str = ","
    date_format: str | None = None
    timestamp_format: str | None = None
    source_table: str | None = None

    def __post_init__(self) -> None:
        contract = CONTRACTS.get(self.table)
        if contract is None:
            raise DataContractError(f"unknown table {self.table!r}", table=self.table)
        if self.format not in FORMATS:
            raise DataContractError(
                f"{self.table}: format {self.format!r}; expected one of {', '.join(FORMATS)}",
                table=self.table,
            )
        if self.format == "duckdb":
            if self.source_table is None:
                object.__setattr__(self, "source_table", self.table)
            elif split_table_name(self.source_table) is None:
                raise DataContractError(
                    f"{self.table}: table name {self.source_table!r}; expected name or schema.name",
                    table=self.table,
                )
        elif self.source_table is not None:
            raise DataContractError(
                f"{self.table}: a source table is only for format duckdb", table=self.table
            )
        for name in (*self.columns, *self.codes):
            if name not in contract.column_names:
                raise DataContractError(
                    f"{self.table}: unknown contract column {name!r}", table=self.table
                )
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))
        object.__setattr__(
            self, "codes", MappingProxyType({k: dict(v) for k, v in self.codes.items()})
        )

    def user_name(self, column: str) -> str:
        """The user's name for a contract column (the contract name unless renamed)."""
        return self.columns.get(column, column)

    @property
    def name(self) -> str:
        """The file (or folder) name, as used in messages."""
        return self.path.name

    @property
    def schema_and_name(self) -> tuple[str, str]:
        """For DuckDB: (schema, table) of the source table; the schema defaults to ``main``."""
        parts = split_table_name(self.source_table or self.table)
        assert parts is not None  # checked in __post_init__
        return parts


def split_table_name(text: str) -> tuple[str, str] | None:
    """``"schema.name"`` or ``"name"`` -> (schema, name), ``main`` by default; None if malformed.

    >>> split_table_name("staging.people"), split_table_name("people"), split_table_name("a.b.c")
    (('staging', 'people'), ('main', 'people'), None)
    """
    parts = text.strip().split(".")
    if len(parts) > 2 or not all(_NAME_PART.fullmatch(p) for p in parts):
        return None
    return (parts[0], parts[1]) if len(parts) == 2 else ("main", parts[0])


@dataclass(frozen=True)
class DatasetMapping:
    """A whole dataset: its tables, LSOA vintage, extract date and reference LSOAs.

    Parameters
    ----------
    tables
        Contract table -> :class:`TableMapping`; ``persons`` is required.
    lsoa_vintage
        The LSOA vintage of ``persons.lsoa``: 2011 or 2021.
    as_of
        The extract date: a date or timestamp after it is an error.
    coverage_from
        Optional: the first day the extract is complete for (every pathway open and every event
        on or after it is in the data). Months before it are not reported: a waiting list built
        from an extract that starts there would miss the pathways that ended earlier.
    reference_lsoa
        Optional reference file whose LSOA codes are the only ones allowed: an IMD file, an
        LSOA lookup or an LSOA 2011 -> 2021 lookup (read with :mod:`focuson.data.reference`).
    reference_kind
        ``"imd"``, ``"lookup"``, ``"lsoa11_lsoa21"``, or ``"auto"`` to try each in turn.
    path
        The mapping file, if the mapping was read from one.
    name
        An optional name for the dataset.
    contract_version
        The contract version the tables follow.

    Examples
    --------
    >>> persons = TableMapping("persons", Path("people.csv"), "csv")
    >>> m = DatasetMapping({"persons": persons}, lsoa_vintage=2021, as_of=dt.date(2025, 3, 31))
    >>> list(m.tables), m.lsoa_vintage
    (['persons'], 2021)
    """

    tables: Mapping[str, TableMapping]
    lsoa_vintage: int
    as_of: dt.date
    reference_lsoa: Path | None = None
    reference_kind: ReferenceKind = "auto"
    coverage_from: dt.date | None = None
    path: Path | None = None
    name: str | None = None
    contract_version: int = CONTRACT_VERSION

    def __post_init__(self) -> None:
        where = self.path.name if self.path else "mapping"
        if "persons" not in self.tables:
            raise DataContractError(
                f"{where}: no persons table; expected [tables.persons] with its path",
                path=self.path,
                key="tables.persons",
            )
        for name, table in self.tables.items():
            if table.table != name:
                raise DataContractError(f"{where}: tables.{name} maps table {table.table!r}")
        if self.lsoa_vintage not in LSOA_VINTAGES:
            raise DataContractError(
                f"{where}, lsoa_vintage: expected 2011 or 2021", path=self.path, key="lsoa_vintage"
            )
        if self.reference_kind not in REFERENCE_KINDS:
            raise DataContractError(
                f"{where}, reference.kind: expected one of {', '.join(REFERENCE_KINDS)}",
                path=self.path,
                key="reference.kind",
            )
        if self.contract_version != CONTRACT_VERSION:
            raise DataContractError(
                f"{where}, contract_version: this focuson reads contract version "
                f"{CONTRACT_VERSION}",
                path=self.path,
                key="contract_version",
            )
        for key, day in (("as_of", self.as_of), ("coverage_from", self.coverage_from)):
            if day is not None:
                check_extract_date(day, f"{where}, {key}", path=self.path, key=key)
        ordered = {n: self.tables[n] for n in CONTRACTS if n in self.tables}
        object.__setattr__(self, "tables", MappingProxyType(ordered))


def check_extract_date(
    day: dt.date, where: str, *, path: Path | None = None, key: str | None = None
) -> None:
    """Refuse an extract date (``as_of``, ``coverage_from``) in the future (beyond
    :data:`AS_OF_TOLERANCE_DAYS`) or before the NHS began: a typing error, which would add
    empty months to every series or overflow date arithmetic.

    >>> check_extract_date(dt.date(2025, 3, 31), "as_of")
    >>> check_extract_date(dt.date(9999, 12, 31), "as_of")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    focuson.data.contracts.errors.DataContractError: as_of: 9999-12-31 is in the future ...

    Raises
    ------
    DataContractError
        Naming ``where`` (e.g. ``"mapping.toml, as_of"``) and the date.
    """
    today = dt.date.today()
    if day > today + dt.timedelta(days=AS_OF_TOLERANCE_DAYS):
        raise DataContractError(
            f"{where}: {day.isoformat()} is in the future (today is {today.isoformat()}); "
            f"expected the date of the extract, at most {AS_OF_TOLERANCE_DAYS} days after today",
            path=path,
            key=key,
        )
    if day < EARLIEST_EVENT:
        raise DataContractError(
            f"{where}: {day.isoformat()} is before the NHS began; expected a date on or after "
            f"{EARLIEST_EVENT.isoformat()}",
            path=path,
            key=key,
        )


# -- reading a mapping file -----------------------------------------------------------------


def read_mapping(path: Path | str) -> DatasetMapping:
    """Read a mapping file (TOML or YAML) and check it against the contracts.

    Parameters
    ----------
    path
        A ``.toml``, ``.yaml`` or ``.yml`` file. Table paths in it are relative to its folder.

    Returns
    -------
    DatasetMapping
        The checked mapping. Data files are not opened yet: :func:`load_dataset` does that.

    Raises
    ------
    DataContractError
        Naming the mapping file and the key at fault: a syntax error (with its line), an
        unknown table, key or contract column, a table without a path, a format that cannot be
        told, an LSOA vintage other than 2011 or 2021, a missing or malformed ``as_of``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "mapping.toml"
    ...     _ = path.write_text(
    ...         'lsoa_vintage = 2021\\nas_of = 2025-03-31\\n'
    ...         '[tables.persons]\\npath = "people.csv"\\n'
    ...         '[tables.persons.columns]\\nsex = "gender"\\n'
    ...     )
    ...     m = read_mapping(path)
    >>> m.as_of, m.tables["persons"].format, m.tables["persons"].user_name("sex")
    (datetime.date(2025, 3, 31), 'csv', 'gender')
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise DataContractError(
            f"{path}: not a regular file (a folder, named pipe or device); expected a .toml, "
            ".yaml or .yml file saved on disk",
            path=path,
        )
    if not path.is_file():
        raise DataContractError(
            f"{path}: mapping file not found; expected a .toml, .yaml or .yml file", path=path
        )
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise DataContractError(
            f"{path.name}: cannot tell the mapping file's format; expected a name ending in "
            ".toml, .yaml or .yml",
            path=path,
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise DataContractError(
            f"{path.name}, line {bad_line}: wrong encoding; expected UTF-8 text",
            path=path,
            line=bad_line,
        ) from None
    data: Any
    line: int | None
    if len(text) > MAX_YAML_CHARACTERS:
        raise DataContractError(
            f"{path.name}: the file holds {len(text):,} characters; expected a mapping file of "
            f"at most {MAX_YAML_CHARACTERS:,}",
            path=path,
        )
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except RecursionError:
            raise DataContractError(
                f"{path.name}: not valid TOML (arrays or tables nested too deeply); expected "
                'key = value lines and [tables.<name>] headers, strings in "quotes"',
                path=path,
            ) from None
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"at line (\d+)", str(exc))
            line = int(m.group(1)) if m else None
            at = f", line {line}" if line else ""
            raise DataContractError(
                f"{path.name}{at}: not valid TOML ({str(exc).split(' (at')[0]}); expected "
                'key = value lines and [tables.<name>] headers, strings in "quotes"',
                path=path,
                line=line,
            ) from None
        except ValueError as exc:  # tomllib lets int() fail on a number of thousands of digits
            raise DataContractError(
                f"{path.name}: not valid TOML (a value that cannot be read: {type(exc).__name__}"
                "); expected key = value lines with numbers of a few digits",
                path=path,
            ) from None
    else:
        try:
            data = safe_load(text)
        except yaml.YAMLError as exc:
            line, problem = yaml_problem(exc, text)
            at = f", line {line}" if line else ""
            raise DataContractError(
                f"{path.name}{at}: not valid YAML ({problem}); expected key: value lines",
                path=path,
                line=line,
            ) from None
    if not isinstance(data, dict):
        raise DataContractError(
            f"{path.name}: expected keys lsoa_vintage, as_of and tables at the top level",
            path=path,
        )
    return mapping_from_dict(data, base_dir=path.parent, source=path)


def mapping_from_dict(
    data: Mapping[str, Any], *, base_dir: Path | str, source: Path | str | None = None
) -> DatasetMapping:
    """Build a :class:`DatasetMapping` from the parsed content of a mapping file.

    Parameters
    ----------
    data
        The keys of a mapping file (see the module docstring).
    base_dir
        The folder relative paths are resolved against.
    source
        The mapping file, for messages.

    Returns
    -------
    DatasetMapping

    Examples
    --------
    >>> m = mapping_from_dict(
    ...     {"lsoa_vintage": 2011, "as_of": "2024-12-31",
    ...      "tables": {"persons": {"path": "people.parquet"}}},
    ...     base_dir="/data",
    ... )
    >>> m.tables["persons"].format, str(m.tables["persons"].path)
    ('parquet', '/data/people.parquet')
    """
    reader = _Reader(Path(base_dir), None if source is None else Path(source))
    return reader.dataset(data)


def mapping_for_folder(
    folder: Path | str,
    *,
    lsoa_vintage: int,
    as_of: dt.date,
    reference_lsoa: Path | str | None = None,
    reference_kind: ReferenceKind = "auto",
) -> DatasetMapping:
    """A mapping for a folder holding the tables under their contract names.

    Looks for ``<table>.parquet``, a ``<table>/`` folder of Parquet parts, ``<table>.csv`` or
    ``<table>.csv.gz`` for each contract table, with columns under their contract names (as the
    synthetic population writes them).

    Parameters
    ----------
    folder
        The folder.
    lsoa_vintage, as_of, reference_lsoa, reference_kind
        As in :class:`DatasetMapping`.

    Returns
    -------
    DatasetMapping

    Raises
    ------
    DataContractError
        If the folder has no persons table.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "persons.csv").write_text("person_id\\n")
    ...     m = mapping_for_folder(tmp, lsoa_vintage=2021, as_of=dt.date(2025, 3, 31))
    >>> list(m.tables)
    ['persons']
    """
    folder = Path(folder)
    tables: dict[str, TableMapping] = {}
    for name in CONTRACTS:
        for candidate, fmt in (
            (folder / f"{name}.parquet", "parquet"),
            (folder / name, "parquet"),
            (folder / f"{name}.csv", "csv"),
            (folder / f"{name}.csv.gz", "csv"),
        ):
            if candidate.exists():
                tables[name] = TableMapping(name, candidate, cast(Format, fmt))
                break
    if "persons" not in tables:
        raise DataContractError(
            f"{folder}: no persons table; expected persons.parquet, persons/ or persons.csv",
            path=folder,
            key="tables.persons",
        )
    return DatasetMapping(
        tables,
        lsoa_vintage=lsoa_vintage,
        as_of=as_of,
        reference_lsoa=None if reference_lsoa is None else Path(reference_lsoa),
        reference_kind=reference_kind,
    )


def guess_format(path: Path) -> Format | None:
    """``"csv"``, ``"parquet"`` or ``"duckdb"`` from a file's suffix (a folder is Parquet parts).

    >>> guess_format(Path("a.csv.gz")), guess_format(Path("b.pq")), guess_format(Path("c.xlsx"))
    ('csv', 'parquet', None)
    >>> guess_format(Path("warehouse.duckdb"))
    'duckdb'
    """
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt")):
        return "csv"
    if name.endswith((".duckdb", ".ddb")):
        return "duckdb"
    if name.endswith((".parquet", ".pq")) or path.is_dir():
        return "parquet"
    return None


class _Reader:
    """Checks the parsed mapping, naming the key at fault in every error."""

    def __init__(self, base_dir: Path, source: Path | None) -> None:
        self.base_dir = base_dir
        self.source = source
        self.label = source.name if source is not None else "mapping"

    def error(self, key: str, text: str, **kw: Any) -> DataContractError:
        return DataContractError(f"{self.label}, {key}: {text}", path=self.source, key=key, **kw)

    def unknown_keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                hint = _did_you_mean(str(key), allowed)
                raise self.error(
                    f"{prefix}{key}",
                    f"unknown key; expected one of {', '.join(allowed)}{hint}",
                )

    def table_of(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(key, "expected a table of keys and values")
        return value

    def text(self, value: Any, key: str, what: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
            raise self.error(key, f"expected {what}")
        if isinstance(value, str) and _CONTROL.search(value):
            raise self.error(key, f"a control character is not allowed here; expected {what}")
        return str(value)

    def dataset(self, data: Mapping[str, Any]) -> DatasetMapping:
        self.unknown_keys(data, _TOP_KEYS, "")
        version = data.get("contract_version", CONTRACT_VERSION)
        if version != CONTRACT_VERSION or isinstance(version, bool):
            raise self.error(
                "contract_version", f"this focuson reads contract version {CONTRACT_VERSION}"
            )
        vintage = data.get("lsoa_vintage")
        if isinstance(vintage, bool) or vintage not in LSOA_VINTAGES:
            got = "missing" if vintage is None else "not 2011 or 2021"
            raise self.error(
                "lsoa_vintage",
                f"{got}; expected the LSOA boundaries of persons.lsoa, 2011 or 2021 "
                "(lsoa_vintage = 2021)",
            )
        as_of = self.as_of(data.get("as_of"))
        coverage_from = None
        if data.get("coverage_from") is not None:
            coverage_from = self.date(
                data.get("coverage_from"),
                "coverage_from",
                "the first day the extract is complete for, e.g. coverage_from = 2023-04-01",
            )
            if coverage_from > as_of:
                raise self.error(
                    "coverage_from",
                    f"{coverage_from.isoformat()} is after as_of {as_of.isoformat()}; expected "
                    "the first day the extract covers, on or before as_of",
                )
        reference, kind = self.reference(data.get("reference"))
        tables_raw = self.table_of(data.get("tables", {}), "tables")
        tables: dict[str, TableMapping] = {}
        for name, spec in tables_raw.items():
            if name not in CONTRACTS:
                raise self.error(
                    f"tables.{name}",
                    f"unknown table; expected one of {', '.join(CONTRACTS)}"
                    + _did_you_mean(str(name), tuple(CONTRACTS)),
                )
            tables[name] = self.table(name, self.table_of(spec, f"tables.{name}"))
        if "persons" not in tables:
            raise self.error(
                "tables.persons", 'missing; expected [tables.persons] with path = "..."'
            )
        name_value = data.get("name")
        return DatasetMapping(
            tables,
            lsoa_vintage=int(vintage),
            as_of=as_of,
            reference_lsoa=reference,
            reference_kind=kind,
            coverage_from=coverage_from,
            path=self.source,
            name=None if name_value is None else str(name_value),
        )

    def as_of(self, value: Any) -> dt.date:
        return self.date(value, "as_of", "the extract date, e.g. as_of = 2025-03-31")

    def date(self, value: Any, key: str, expected: str) -> dt.date:
        if value is None:
            raise self.error(key, f"missing; expected {expected}")
        if isinstance(value, dt.datetime):
            raise self.error(key, f"a date and time; expected a date: {expected}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(key, f"not a date; expected {expected}")

    def reference(self, value: Any) -> tuple[Path | None, ReferenceKind]:
        if value is None:
            return None, "auto"
        spec = self.table_of(value, "reference")
        self.unknown_keys(spec, _REFERENCE_KEYS, "reference.")
        if "lsoa" not in spec:
            raise self.error(
                "reference.lsoa", "missing; expected the path of an IMD file or LSOA lookup"
            )
        path = self.path(self.text(spec["lsoa"], "reference.lsoa", "a path"))
        kind = spec.get("kind", "auto")
        if kind not in REFERENCE_KINDS:
            raise self.error("reference.kind", f"expected one of {', '.join(REFERENCE_KINDS)}")
        return path, cast(ReferenceKind, kind)

    def path(self, text: str) -> Path:
        p = Path(text).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def table(self, name: str, spec: Mapping[str, Any]) -> TableMapping:
        prefix = f"tables.{name}"
        self.unknown_keys(spec, _TABLE_KEYS, f"{prefix}.")
        if "path" not in spec:
            raise self.error(
                f"{prefix}.path",
                f'missing; expected path = "{name}.csv" (relative to the mapping file)',
            )
        path = self.path(self.text(spec["path"], f"{prefix}.path", "a file path"))
        fmt = spec.get("format")
        if fmt is None:
            fmt = guess_format(path)
            if fmt is None:
                raise self.error(
                    f"{prefix}.format",
                    "cannot tell the format from the file name; expected a name ending in "
                    '.csv, .parquet or .duckdb, or format = "csv", "parquet" or "duckdb"',
                )
        elif fmt not in FORMATS:
            raise self.error(f"{prefix}.format", 'expected "csv", "parquet" or "duckdb"')
        source_table = None
        if "table" in spec:
            key = f"{prefix}.table"
            if fmt != "duckdb":
                raise self.error(
                    key, 'only for format = "duckdb"; expected no table key for a file'
                )
            source_table = self.text(spec["table"], key, "a table name")
            if split_table_name(source_table) is None:
                raise self.error(
                    key,
                    'expected the name of a table in the database, "name" or "schema.name" '
                    '(e.g. table = "staging.people")',
                )
        contract = CONTRACTS[name]
        columns_raw = self.table_of(spec.get("columns", {}), f"{prefix}.columns")
        columns: dict[str, str] = {}
        for column, user in columns_raw.items():
            key = f"{prefix}.columns.{column}"
            if column not in contract.column_names:
                raise self.error(
                    key,
                    f"unknown contract column; {name} has {', '.join(contract.column_names)}"
                    + _did_you_mean(str(column), contract.column_names),
                )
            columns[column] = self.text(user, key, "the name of a column in your file")
        seen: dict[str, str] = {}
        for column in contract.column_names:
            user = columns.get(column, column)
            if user in seen and (column in columns or seen[user] in columns):
                raise self.error(
                    f"{prefix}.columns.{column}",
                    f"the same column as {seen[user]}; expected one column per contract column",
                )
            seen[user] = column
        codes = self.codes(name, spec.get("codes", {}), prefix)
        delimiter = spec.get("delimiter", "\t" if ".tsv" in path.name.lower() else ",")
        if (
            not isinstance(delimiter, str)
            or len(delimiter) != 1
            or delimiter == '"'
            or _CONTROL.match(delimiter)
        ):
            raise self.error(
                f"{prefix}.delimiter",
                'expected one character other than a quote or a line break, e.g. "," or "\\t"',
            )
        formats = {}
        for key in ("date_format", "timestamp_format"):
            value = spec.get(key)
            if value is not None and (not isinstance(value, str) or "%" not in value):
                raise self.error(f"{prefix}.{key}", 'expected a strptime format, e.g. "%d/%m/%Y"')
            formats[key] = value
        return TableMapping(
            name,
            path,
            cast(Format, fmt),
            columns=columns,
            codes=codes,
            delimiter=delimiter,
            date_format=formats["date_format"],
            timestamp_format=formats["timestamp_format"],
            source_table=source_table,
        )

    def codes(self, name: str, value: Any, prefix: str) -> dict[str, dict[str, str]]:
        contract = CONTRACTS[name]
        out: dict[str, dict[str, str]] = {}
        for column, recode in self.table_of(value, f"{prefix}.codes").items():
            key = f"{prefix}.codes.{column}"
            if column not in contract.column_names:
                raise self.error(
                    key,
                    f"unknown contract column; {name} has {', '.join(contract.column_names)}"
                    + _did_you_mean(str(column), contract.column_names),
                )
            col = contract.column(column)
            if col.type not in ("code", "integer"):
                raise self.error(key, "only code and whole-number columns can be recoded")
            pairs: dict[str, str] = {}
            for src, dst in self.table_of(recode, key).items():
                target = self.text(dst, f"{key}.{src}", f"a code: {col.expected()}")
                if col.codes and target not in col.codes:
                    raise self.error(f"{key}.{src}", f"expected a contract code: {col.expected()}")
                pairs[str(src)] = target
            out[column] = pairs
        return out


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
