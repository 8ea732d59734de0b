"""Load a user's tables into DuckDB, checked against their contracts, all or nothing.

:func:`load_dataset` reads the mapping file, opens every table's file (header or schema only;
a DuckDB database file is attached read-only and its table's columns read), then, inside one
DuckDB transaction, reads each table into a staging table while typing it and
flagging every cell that breaks its column's rule (one scan), and runs the remaining checks as
set-based SQL: rules across a row's columns, the ``as_of`` date and the plausible dates,
repeated keys (``GROUP BY ... HAVING count(*) > 1``), person ids missing from ``persons`` and
events before the person's birth (one join per table), LSOAs missing from the reference data
(anti-join). Only when every check has passed are the staging
tables renamed to the final tables and the transaction committed; on any error it is rolled
back and nothing remains. No row is ever handled in Python.

This module holds patient-level rows (inside DuckDB): it never logs or prints, and its errors
name the file, line or row, column and what was expected, never the value found.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from focuson.data.contracts._source import (
    Location,
    Source,
    attach_databases,
    detach_databases,
    open_source,
    refuse_special_file,
)
from focuson.data.contracts._sql import ColumnSql, column_sql, ident, lit
from focuson.data.contracts.columns import Column, RowRule
from focuson.data.contracts.errors import DataContractError
from focuson.data.contracts.mapping import DatasetMapping, read_mapping
from focuson.data.contracts.tables import CONTRACT_VERSION, CONTRACTS
from focuson.data.reference import (
    Provenance,
    ReferenceDataError,
    load_imd,
    load_lsoa11_lsoa21_lookup,
    load_lsoa_lookup,
)

#: The table that records what was loaded (sources, SHA-256, rows, vintage, as_of).
LOAD_TABLE = "_focuson_dataset"
_STAGE = "_focuson_stage_"
_FLAGS = "_focuson_bad"
_REFERENCE_VIEW = "_focuson_reference_lsoa"


@dataclass(frozen=True)
class UnknownCount:
    """How many rows of one coded column hold one "not known" or "not stated" value.

    Attributes
    ----------
    table, column
        The contract table and column.
    code
        The code (``"U"``, ``"Z"``, ``"99"``), or ``None`` for empty cells.
    meaning
        What it means, e.g. ``"not stated"``.
    rows
        The number of rows holding it.
    total
        The number of rows in the table.
    """

    table: str
    column: str
    code: str | None
    meaning: str
    rows: int
    total: int

    @property
    def share(self) -> float:
        """``rows / total`` (0 for an empty table)."""
        return self.rows / self.total if self.total else 0.0


@dataclass(frozen=True)
class LoadedDataset:
    """The tables of a dataset, loaded into DuckDB and checked against their contracts.

    Attributes
    ----------
    connection
        The DuckDB connection holding the tables (named as the contracts: ``persons``...).
    mapping
        The mapping the dataset was loaded from.
    tables
        The tables loaded, in contract order.
    row_counts
        Rows per table.
    lsoa_vintage
        The LSOA vintage of ``persons.lsoa`` the mapping declared (2011 or 2021).
    as_of
        The extract date.
    unknowns
        For each coded column with "not known" or "not stated" values: how many rows hold each
        (zero counts included). These rows are kept, to be reported as their own group.
    sources
        Per table: ``(path, sha256, size in bytes)`` of each file read (for a DuckDB table, the
        database file, hashed once however many tables it holds).
    source_tables
        Per table read from a DuckDB database: the table's name there, e.g. ``"staging.people"``.
    absent
        Per table: the optional columns the files did not provide (empty in the database).
    reference
        The provenance of the reference LSOA codes, when the mapping gave them.
    contract_version
        The contract version the tables were checked against.
    owns_connection
        Whether :func:`load_dataset` opened the connection; leaving a ``with`` block closes it
        only then (a connection you passed in stays open).
    """

    connection: duckdb.DuckDBPyConnection
    mapping: DatasetMapping
    tables: tuple[str, ...]
    row_counts: Mapping[str, int]
    lsoa_vintage: int
    as_of: dt.date
    unknowns: tuple[UnknownCount, ...]
    sources: Mapping[str, tuple[tuple[str, str, int], ...]] = field(default_factory=dict)
    source_tables: Mapping[str, str] = field(default_factory=dict)
    absent: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reference: Provenance | None = None
    contract_version: int = CONTRACT_VERSION
    owns_connection: bool = True

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation over one loaded table (nothing is read until it is used)."""
        if name not in self.tables:
            raise KeyError(f"{name!r} was not loaded; loaded: {', '.join(self.tables)}")
        return self.connection.table(name)

    def unknown_summary(self) -> pd.DataFrame:
        """The unknown and not-stated counts as a table: one row per (table, column, code)."""
        return pd.DataFrame(
            [
                {
                    "table": u.table,
                    "column": u.column,
                    "code": u.code,
                    "meaning": u.meaning,
                    "rows": u.rows,
                    "total": u.total,
                    "share": u.share,
                }
                for u in self.unknowns
            ],
            columns=["table", "column", "code", "meaning", "rows", "total", "share"],
        )

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.connection.close()

    def __enter__(self) -> LoadedDataset:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.owns_connection:
            self.close()


def load_dataset(
    mapping: Path | str | DatasetMapping,
    *,
    database: Path | str | duckdb.DuckDBPyConnection | None = None,
    replace: bool = False,
) -> LoadedDataset:
    """Load and check every table of a dataset into DuckDB, all or nothing.

    Parameters
    ----------
    mapping
        A mapping file (TOML or YAML; see :mod:`focuson.data.contracts.mapping`) or a
        :class:`~focuson.data.contracts.mapping.DatasetMapping`.
    database
        Where to put the tables: ``None`` for an in-memory database, a path for a DuckDB file,
        or an open connection (not inside a transaction). A table of the mapping with
        ``format = "duckdb"`` may name this same file: its tables are then read where they are
        (tables named as the contract tables need ``replace=True``, and are replaced by the
        checked tables).
    replace
        Whether to replace a dataset already loaded in ``database`` (all its tables go, even
        those this mapping does not have). Without it, finding one is an error.

    Returns
    -------
    LoadedDataset
        The connection, the tables loaded and their row counts, the LSOA vintage, ``as_of``,
        and the unknown and not-stated counts per coded column.

    Raises
    ------
    DataContractError
        On the first problem, naming the file, line (CSV) or row (Parquet; for a DuckDB table,
        "row N of table people in warehouse.duckdb"), column (the user's name and the contract
        name) and what was expected, and how many rows fail that check;
        never the value found. Nothing is left in the database (a database file that did not
        exist before is removed).

    Notes
    -----
    Checks, in order, table by table (``persons`` first): every cell (empty where a value is
    required; wrong type, code or form); the dates against ``as_of`` and the plausible range
    (``Column.earliest``) and the rules across a row's columns (``clock_stop`` on or after
    ``clock_start``...); repeated primary keys; ``person_id`` values not in ``persons``, then
    events before the person's birth month; LSOAs not in the reference file. Codes meaning not
    known or not stated (sex ``U``; ethnicity ``Z``, ``99``) and empty optional cells are kept
    and counted in ``unknowns``.

    Examples
    --------
    >>> import tempfile
    >>> from focuson.data.contracts.example import write_example_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with load_dataset(write_example_dataset(tmp)) as data:
    ...         counts = dict(data.row_counts)
    ...         sex = [(u.code, u.rows) for u in data.unknowns if u.column == "sex"]
    >>> counts["persons"], counts["rtt_pathways"]
    (6, 4)
    >>> sex
    [('U', 1)]
    """
    if not isinstance(mapping, DatasetMapping):
        mapping = read_mapping(mapping)
    label = mapping.path.name if mapping.path else "mapping"
    sources = [open_source(tm, CONTRACTS[name], label) for name, tm in mapping.tables.items()]
    reference, provenance = _reference_codes(mapping, label)
    hashes = _fingerprints(sources)
    con, owned, created = _connect(database)
    attached: list[str] = []
    try:
        _check_clear(con, replace, label, sources)
        try:
            attach_databases(con, sources, attached)
            loader = _Loader(con, mapping, sources, reference)
            con.execute("BEGIN TRANSACTION")
            try:
                if reference is not None:
                    con.register(_REFERENCE_VIEW, reference)
                loader.stage_and_check()
                loader.finalise(replace=replace, hashes=hashes, provenance=provenance)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                if reference is not None:
                    con.unregister(_REFERENCE_VIEW)
        finally:
            detach_databases(con, attached)
        counts = {s.table: loader.row_count(s.table) for s in sources}
        unknowns = tuple(u for s in sources for u in _unknowns(con, s, counts[s.table]))
    except BaseException:
        if owned:
            con.close()
            if created is not None:
                for p in (created, created.with_name(created.name + ".wal")):
                    p.unlink(missing_ok=True)
        raise
    return LoadedDataset(
        connection=con,
        mapping=mapping,
        tables=tuple(s.table for s in sources),
        row_counts=MappingProxyType(counts),
        lsoa_vintage=mapping.lsoa_vintage,
        as_of=mapping.as_of,
        unknowns=unknowns,
        sources=MappingProxyType(hashes),
        source_tables=MappingProxyType(
            {s.table: str(s.mapping.source_table) for s in sources if s.is_database}
        ),
        absent=MappingProxyType({s.table: s.absent for s in sources}),
        reference=provenance,
        owns_connection=owned,
    )


# -- connection and reference ----------------------------------------------------------------


def _connect(
    database: Path | str | duckdb.DuckDBPyConnection | None,
) -> tuple[duckdb.DuckDBPyConnection, bool, Path | None]:
    """(connection, whether we opened it, the database file if we created it)."""
    if isinstance(database, duckdb.DuckDBPyConnection):
        return database, False, None
    if database is None or str(database) == ":memory:":
        return duckdb.connect(":memory:"), True, None
    path = Path(database)
    created = None if path.exists() else path
    return duckdb.connect(str(path)), True, created


def existing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the connection's current database (main schema), sorted.

    >>> existing_tables(duckdb.connect())
    []
    """
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' ORDER BY table_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _fingerprints(sources: list[Source]) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """Each table's files' fingerprints; a file several tables share is hashed once."""
    done: dict[tuple[str, tuple[Path, ...]], tuple[tuple[str, str, int], ...]] = {}
    out = {}
    for src in sources:
        key = (src.mapping.format, tuple(p.resolve() for p in src.files))
        if key not in done:
            done[key] = src.fingerprint()
        out[src.table] = done[key]
    return out


def _check_clear(
    con: duckdb.DuckDBPyConnection, replace: bool, label: str, sources: list[Source]
) -> None:
    ours = {*CONTRACTS, LOAD_TABLE}
    clash = [t for t in existing_tables(con) if t in ours]
    if not clash or replace:
        return
    here = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    target = Path(str(here[0])).resolve() if here and here[0] else None
    read_here = [
        s.mapping.schema_and_name[1]
        for s in sources
        if s.is_database
        and target is not None
        and s.files[0].resolve() == target
        and s.mapping.schema_and_name[0] == "main"
    ]
    same = [t for t in clash if t in read_here]
    if same:
        raise DataContractError(
            f"{label}: this mapping reads tables of the database it loads into, and "
            f"{', '.join(same)} already has a contract table's name; expected source tables "
            "under other names, or pass replace=True to replace them with the checked tables"
        )
    raise DataContractError(
        f"{label}: the database already holds a dataset (tables {', '.join(clash)}); "
        "expected an empty database, or pass replace=True to replace it"
    )


def _reference_codes(
    mapping: DatasetMapping, label: str
) -> tuple[pa.Table | None, Provenance | None]:
    path = mapping.reference_lsoa
    if path is None:
        return None, None
    key = "reference.lsoa"
    if not path.exists():
        raise DataContractError(
            f"{label}, {key}: file not found: {path}; expected an IMD file or an LSOA lookup "
            "(paths are relative to the mapping file)",
            path=path,
            key=key,
        )
    if not path.is_file():
        refuse_special_file(path, f"{label}, {key}")
    loaders = {
        "imd": ("an IMD file", load_imd),
        "lookup": ("an LSOA lookup", load_lsoa_lookup),
        "lsoa11_lsoa21": ("an LSOA 2011 -> 2021 lookup", load_lsoa11_lsoa21_lookup),
    }
    kinds = list(loaders) if mapping.reference_kind == "auto" else [mapping.reference_kind]
    problems = []
    for kind in kinds:
        words, loader = loaders[kind]
        try:
            table = loader(path)
        except ReferenceDataError as exc:
            problems.append(f"as {words}: {exc}")
            continue
        frame = table.frame
        vintage = table.provenance.lsoa_vintage
        if kind == "lsoa11_lsoa21":
            column = f"lsoa{str(mapping.lsoa_vintage)[2:]}_code"
            vintage = mapping.lsoa_vintage
        else:
            column = "lsoa_code"
        if vintage != mapping.lsoa_vintage:
            raise DataContractError(
                f"{label}, {key}: {path.name} holds LSOA {vintage} codes but lsoa_vintage = "
                f"{mapping.lsoa_vintage}; expected a reference file on LSOA "
                f"{mapping.lsoa_vintage} boundaries (or correct lsoa_vintage)",
                path=path,
                key=key,
            )
        codes = pd.DataFrame({"lsoa": frame[column].drop_duplicates().astype(str)})
        return pa.Table.from_pandas(codes, preserve_index=False), table.provenance
    raise DataContractError(
        f"{label}, {key}: {path.name} could not be read " + "; ".join(problems),
        path=path,
        key=key,
    )


# -- staging and checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class _CellCheck:
    bit: int
    column: Column
    empty: bool  # the check is "a value is required"; otherwise "the value has the wrong form"
    expected: str


class _Loader:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        mapping: DatasetMapping,
        sources: list[Source],
        reference: pa.Table | None,
    ) -> None:
        self.con = con
        self.mapping = mapping
        self.sources = sources
        self.by_table = {s.table: s for s in sources}
        self.reference = reference

    @staticmethod
    def stage(table: str) -> str:
        return ident(_STAGE + table)

    def stage_and_check(self) -> None:
        for src in self.sources:
            checks = self._stage(src)
            self._check_cells(src, checks)
            self._check_rows(src)
            self._check_keys(src)
            self._check_foreign_keys(src)
            if src.table == "persons" and self.reference is not None:
                self._check_reference(src)

    def _stage(self, src: Source) -> list[_CellCheck]:
        tm = src.mapping
        inner: list[str] = []
        outer: list[str] = []
        flags: list[str] = []
        checks: list[_CellCheck] = []
        for i, col in enumerate(src.contract.columns):
            if col.name not in src.present:
                outer.append(f"CAST(NULL AS {col.sql_type}) AS {ident(col.name)}")
                continue
            v = f"v{i}"
            fmt = tm.timestamp_format if col.type == "timestamp" else tm.date_format
            sql: ColumnSql = column_sql(
                col,
                src.ref(col.name),
                v,
                kind=src.kinds[src.present[col.name]],
                recode=dict(tm.codes.get(col.name, {})) or None,
                date_format=tm.date_format,
                timestamp_format=tm.timestamp_format,
            )
            inner.append(f"{sql.source} AS {v}")
            outer.append(f"{sql.typed} AS {ident(col.name)}")
            empty_bit, form_bit = 1 << (2 * i), 1 << (2 * i + 1)
            on_empty = "0" if col.nullable else str(empty_bit)
            flags.append(
                f"CASE WHEN {v} IS NULL THEN {on_empty} "
                f"WHEN coalesce({sql.valid}, FALSE) THEN 0 ELSE {form_bit} END"
            )
            if not col.nullable:
                checks.append(_CellCheck(empty_bit, col, True, col.expected(date_format=fmt)))
            checks.append(_CellCheck(form_bit, col, False, col.expected(date_format=fmt)))
        flag_sql = " + ".join(flags) if flags else "0"
        sql_text = (
            f"CREATE TABLE {self.stage(src.table)} AS SELECT {', '.join(outer)}, "
            f"CAST({flag_sql} AS UBIGINT) AS {_FLAGS} "
            f"FROM (SELECT {', '.join(inner) if inner else '1 AS v'} FROM {src.scan_sql()})"
        )
        try:
            self.con.execute(sql_text)
        except duckdb.Error as exc:
            raise self._read_error(src, exc) from None
        if src.table == "persons" and self.row_count(src.table, staged=True) == 0:
            raise src.error(
                Location(src.files[0], line=2) if src.mapping.format == "csv" else None,
                None,
                "no rows; expected one row per person",
                expected="one row per person",
            )
        return checks

    def _read_error(self, src: Source, exc: duckdb.Error) -> DataContractError:
        text = str(exc)
        if "strptime" in text.lower() or "format specifier" in text.lower():
            key = f"tables.{src.table}.date_format / timestamp_format"
            return DataContractError(
                f"{self.mapping.path.name if self.mapping.path else 'mapping'}, {key}: not a "
                'valid strptime format; expected e.g. "%d/%m/%Y" or "%d/%m/%Y %H:%M"',
                path=self.mapping.path,
                table=src.table,
                key=key,
            )
        if src.mapping.format == "csv":
            return src.duckdb_error(exc)
        if src.is_database:
            return src.error(
                None,
                None,
                f"not readable ({type(exc).__name__}); expected a table DuckDB can scan",
            )
        return src.error(
            None,
            None,
            f"not readable as Parquet ({type(exc).__name__}); expected a valid Parquet file",
        )

    def row_count(self, table: str, *, staged: bool = False) -> int:
        name = self.stage(table) if staged else ident(table)
        row = self.con.execute(f"SELECT count(*) FROM {name}").fetchone()
        return int(row[0]) if row else 0

    def _locate(self, src: Source, rowids: list[int]) -> dict[int, Location]:
        """Locations of staged rows given their rowids.

        Rows written inside an open transaction carry transaction-local rowids (a large
        offset), so a row's 0-based record number is the count of rows with a smaller rowid:
        insertion order is file order. Runs on the error path only.
        """
        records = {}
        for rowid in set(rowids):
            row = self.con.execute(
                f"SELECT count(*) FROM {self.stage(src.table)} WHERE rowid < ?", [rowid]
            ).fetchone()
            records[rowid] = int(row[0]) if row else 0
        found = src.locate(sorted(set(records.values())))
        return {rowid: found[rec] for rowid, rec in records.items()}

    def _first_failure(
        self, src: Source, conditions: list[str], base: str = ""
    ) -> tuple[int, int, int] | None:
        """(index of the check, its first record, its count) for the earliest failing row."""
        if not conditions:
            return None
        parts = [f"min(rowid) FILTER (WHERE {c}), count(*) FILTER (WHERE {c})" for c in conditions]
        where = f" WHERE {base}" if base else ""
        row = self.con.execute(
            f"SELECT {', '.join(parts)} FROM {self.stage(src.table)}{where}"
        ).fetchone()
        assert row is not None
        failing = [
            (int(row[2 * k]), k, int(row[2 * k + 1]))
            for k in range(len(conditions))
            if row[2 * k + 1]
        ]
        if not failing:
            return None
        first, k, count = min(failing)
        return k, first, count

    def _check_cells(self, src: Source, checks: list[_CellCheck]) -> None:
        found = self._first_failure(
            src, [f"({_FLAGS} & {c.bit}) <> 0" for c in checks], f"{_FLAGS} <> 0"
        )
        if found is None:
            return
        k, first, count = found
        check = checks[k]
        loc = self._locate(src, [first])[first]
        if check.empty:
            text = f"expected {check.expected}, found an empty cell"
        else:
            text = f"expected {check.expected}"
            if check.column.nullable:
                text += " or an empty cell"
        raise src.error(
            loc, check.column.name, f"{text}; {_rows(count)}", expected=check.expected, count=count
        )

    def _check_rows(self, src: Source) -> None:
        as_of = self.mapping.as_of
        tests: list[tuple[str, str, str]] = []  # (condition, blamed column, expected)
        for col in src.contract.columns:
            if col.name not in src.present or not col.is_temporal or not col.not_after_as_of:
                continue
            noun = "a date" if col.type == "date" else "a date and time"
            cond = f"CAST({ident(col.name)} AS DATE) > DATE '{as_of.isoformat()}'"
            expected = f"{noun} on or before the dataset's as_of date {as_of.isoformat()}"
            tests.append((cond, col.name, expected))
        for col in src.contract.columns:
            if col.name not in src.present or col.earliest is None:
                continue
            noun = "a date" if col.type == "date" else "a date and time"
            cond = f"CAST({ident(col.name)} AS DATE) < DATE '{col.earliest.isoformat()}'"
            expected = (
                f"{noun} on or after {col.earliest.isoformat()} (an earlier one is not "
                "plausible: a placeholder or a typing error; see docs/data-contracts.md)"
            )
            tests.append((cond, col.name, expected))
        for rule in src.contract.rules:
            if rule.column not in src.present or rule.other not in src.present:
                continue
            tests.append(
                (
                    _rule_sql(rule),
                    rule.column,
                    rule.expected(
                        _other_label(src, rule.other), src.contract.column(rule.column).type
                    ),
                )
            )
        found = self._first_failure(src, [t[0] for t in tests])
        if found is None:
            return
        k, first, count = found
        _, column, expected = tests[k]
        loc = self._locate(src, [first])[first]
        raise src.error(
            loc, column, f"expected {expected}; {_rows(count)}", expected=expected, count=count
        )

    def _check_keys(self, src: Source) -> None:
        key = src.contract.primary_key
        if not key:
            return
        cols = ", ".join(ident(k) for k in key)
        on = " AND ".join(f"s.{ident(k)} = d.{ident(k)}" for k in key)
        stage = self.stage(src.table)
        row = self.con.execute(
            f"WITH d AS (SELECT {cols} FROM {stage} GROUP BY ALL HAVING count(*) > 1), "
            f"r AS (SELECT s.rowid AS rec, min(s.rowid) OVER (PARTITION BY "
            f"{', '.join(f's.{ident(k)}' for k in key)}) AS first "
            f"FROM {stage} s SEMI JOIN d ON {on}) "
            "SELECT min(rec), arg_min(first, rec), count(*) FROM r WHERE rec > first"
        ).fetchone()
        if row is None or not row[2]:
            return
        rec, first, count = int(row[0]), int(row[1]), int(row[2])
        locs = self._locate(src, [rec, first])
        what = key[0] if len(key) == 1 else f"combination of {', '.join(key)}"
        expected = f"each {what} once"
        again = f"repeats {locs[first].where}" if locs[first].where else "repeats an earlier row"
        raise src.error(
            locs[rec],
            key[0],
            f"expected {expected}; this row {again}; {_rows(count)}",
            expected=expected,
            count=count,
        )

    def _check_foreign_keys(self, src: Source) -> None:
        """Every key is in its table; for ``persons``, in the same join, no event before the
        person's birth (:meth:`_birth_conditions`)."""
        for fk in src.contract.foreign_keys:
            target = self.by_table.get(fk.table)
            if target is None or fk.column not in src.present:
                continue
            dated, births = self._birth_conditions(src, fk.table)
            missing = f"t.{ident(fk.references)} IS NULL"
            parts = [
                f"min(s.rowid) FILTER (WHERE {c}), count(*) FILTER (WHERE {c})"
                for c in (missing, *births)
            ]
            row = self.con.execute(
                f"SELECT {', '.join(parts)} FROM {self.stage(src.table)} s "
                f"LEFT JOIN {self.stage(fk.table)} t ON s.{ident(fk.column)} = "
                f"t.{ident(fk.references)} WHERE s.{ident(fk.column)} IS NOT NULL"
            ).fetchone()
            assert row is not None
            if row[1]:
                first, count = int(row[0]), int(row[1])
                expected = f"a {fk.references} that is in {fk.table} ({target.file_label})"
                raise src.error(
                    self._locate(src, [first])[first],
                    fk.column,
                    f"expected {expected}; {_rows(count)}",
                    expected=expected,
                    count=count,
                )
            failing = [
                (int(row[2 * k + 2]), k, int(row[2 * k + 3]))
                for k in range(len(births))
                if row[2 * k + 3]
            ]
            if failing:
                first, k, count = min(failing)
                noun = "a date" if dated[k].type == "date" else "a date and time"
                expected = (
                    f"{noun} on or after the person's date of birth (persons.date_of_birth, "
                    "from the first day of the birth month)"
                )
                raise src.error(
                    self._locate(src, [first])[first],
                    dated[k].name,
                    f"expected {expected}; {_rows(count)}",
                    expected=expected,
                    count=count,
                )

    def _birth_conditions(self, src: Source, target: str) -> tuple[list[Column], list[str]]:
        """The dated columns of an activity table and, over the join with ``persons`` (alias
        ``t``), the conditions "this date is before the person was born": before the first day
        of the birth month, as a date of birth may be known to the month only."""
        persons = self.by_table.get("persons")
        if target != "persons" or persons is None or "date_of_birth" not in persons.present:
            return [], []
        dated = [c for c in src.contract.columns if c.is_temporal and c.name in src.present]
        born = "date_trunc('month', t.date_of_birth)"
        return dated, [f"CAST(s.{ident(c.name)} AS DATE) < {born}" for c in dated]

    def _check_reference(self, src: Source) -> None:
        if "lsoa" not in src.present:
            return
        row = self.con.execute(
            f"SELECT min(s.rowid), count(*) FROM {self.stage(src.table)} s "
            f"ANTI JOIN {_REFERENCE_VIEW} r ON s.lsoa = r.lsoa WHERE s.lsoa IS NOT NULL"
        ).fetchone()
        if row is None or not row[1]:
            return
        first, count = int(row[0]), int(row[1])
        ref = self.mapping.reference_lsoa
        name = ref.name if ref is not None else "the reference file"
        expected = f"an LSOA {self.mapping.lsoa_vintage} code in the reference data ({name})"
        raise src.error(
            self._locate(src, [first])[first],
            "lsoa",
            f"expected {expected}; {_rows(count)}",
            expected=expected,
            count=count,
        )

    def finalise(
        self,
        *,
        replace: bool,
        hashes: Mapping[str, tuple[tuple[str, str, int], ...]],
        provenance: Provenance | None,
    ) -> None:
        if replace:
            for name in (*CONTRACTS, LOAD_TABLE):
                self.con.execute(f"DROP TABLE IF EXISTS {ident(name)}")
        for src in self.sources:
            stage = self.stage(src.table)
            self.con.execute(f"ALTER TABLE {stage} DROP COLUMN {_FLAGS}")
            self.con.execute(f"ALTER TABLE {stage} RENAME TO {ident(src.table)}")
        self.con.execute(
            f"CREATE TABLE {LOAD_TABLE} (table_name VARCHAR, contract_version INTEGER, "
            "row_count BIGINT, format VARCHAR, files VARCHAR, lsoa_vintage INTEGER, "
            "as_of DATE, mapping VARCHAR, reference VARCHAR, coverage_from DATE)"
        )
        ref = json.dumps(provenance.as_dict()) if provenance is not None else None
        for src in self.sources:
            files: list[dict[str, Any]] = [
                {"path": p, "sha256": h, "size_bytes": n} for p, h, n in hashes[src.table]
            ]
            if src.is_database:
                for entry in files:
                    entry["table"] = src.mapping.source_table
            self.con.execute(
                f"INSERT INTO {LOAD_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    src.table,
                    CONTRACT_VERSION,
                    self.row_count(src.table),
                    src.mapping.format,
                    json.dumps(files),
                    self.mapping.lsoa_vintage,
                    self.mapping.as_of,
                    str(self.mapping.path) if self.mapping.path else None,
                    ref if src.table == "persons" else None,
                    self.mapping.coverage_from,
                ],
            )


def _rule_sql(rule: RowRule) -> str:
    a, b = ident(rule.column), ident(rule.other)
    if rule.kind == "not_before":
        return f"{a} < {b}"
    if rule.kind == "greater_than":
        return f"{a} <= {b}"
    return f"({a} IS NULL) <> ({b} IS NULL)"


def _other_label(src: Source, column: str) -> str:
    user = src.present.get(column, column)
    return column if user == column else f"{column} (column {user})"


def _rows(count: int) -> str:
    if count == 1:
        return "1 row in all fails this check"
    return f"{count} rows in all fail this check"


def _unknowns(con: duckdb.DuckDBPyConnection, src: Source, total: int) -> Iterator[UnknownCount]:
    items: list[tuple[Column, str | None, str]] = []
    for col in src.contract.columns:
        if col.name not in src.present:
            continue
        items.extend((col, code, meaning) for code, meaning in col.unknown)
        if col.empty_means is not None:
            items.append((col, None, col.empty_means))
    if not items:
        return
    parts = []
    for col, code, _ in items:
        cond = f"{ident(col.name)} IS NULL" if code is None else f"{ident(col.name)} = {lit(code)}"
        parts.append(f"count(*) FILTER (WHERE {cond})")
    row = con.execute(f"SELECT {', '.join(parts)} FROM {ident(src.table)}").fetchone()
    assert row is not None
    for (col, code, meaning), n in zip(items, row, strict=True):
        yield UnknownCount(src.table, col.name, code, meaning, int(n), total)


def read_load_record(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """What a database's last load recorded: one dictionary per table (empty if none).

    >>> read_load_record(duckdb.connect())
    []
    """
    if LOAD_TABLE not in existing_tables(con):
        return []
    cur = con.execute(f"SELECT * FROM {LOAD_TABLE} ORDER BY rowid")
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
