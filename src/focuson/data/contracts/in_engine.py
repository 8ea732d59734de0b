"""Check contract tables that already live in an engine, where they are.

An integrated care system's data often already sits in a warehouse (PostgreSQL, a Spark
cluster, a DuckDB file), in tables built to the contracts. Copying them out to check them in
DuckDB and back in to count them would be slow, and wrong for a cluster. :func:`check_in_engine`
checks them in place, through Ibis, against the same contracts :func:`load_dataset` enforces:
every table the run needs is there; every required column is there with a type of the right
kind; no empty cell where none may be; codes, patterns and ranges; no date after the extract
date or before the plausible range; the rules across a row's columns; primary keys that do not
repeat; every ``person_id`` in ``persons``; and no event before its person's birth month. Each
table is read in at most four queries (cells and rules in one aggregate, keys, foreign keys,
dates against births), and nothing in the engine is changed.

An error names the engine, the table, the column and what was expected, and counts the rows
that fail; it never shows a value (these are patient rows), and it cannot name a row (a table
in an engine has no order to count rows by).

Examples
--------
>>> import datetime as dt
>>> import ibis
>>> import pandas as pd
>>> backend = ibis.duckdb.connect()
>>> persons = pd.DataFrame({"person_id": ["p1"], "sex": ["F"], "date_of_birth":
...     [dt.date(1960, 1, 1)], "ethnicity": ["A"], "lsoa": ["E01000001"]})
>>> _ = backend.create_table("persons", persons)
>>> check_in_engine(backend, ["persons"], as_of=dt.date(2025, 3, 31))
{'persons': 1}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import ibis
import ibis.expr.datatypes as dt_types
import ibis.expr.types as ir

from focuson.data.contracts.columns import Column, Contract, RowRule
from focuson.data.contracts.errors import DataContractError
from focuson.data.contracts.mapping import check_extract_date
from focuson.data.contracts.tables import CONTRACTS

#: Whether an engine column's type holds a contract type (the kind, not the width).
_TYPE_OK: dict[str, Callable[[dt_types.DataType], bool]] = {
    "string": lambda t: t.is_string(),
    "code": lambda t: t.is_string(),
    "date": lambda t: t.is_date(),
    "timestamp": lambda t: t.is_timestamp(),
    "integer": lambda t: t.is_integer(),
    "float": lambda t: t.is_numeric(),
}
_TYPE_WORDS = {
    "string": "text",
    "code": "text",
    "date": "a date",
    "timestamp": "a timestamp",
    "integer": "a whole number",
    "float": "a number",
}


def check_in_engine(
    backend: ibis.BaseBackend,
    tables: Sequence[str],
    *,
    as_of: dt.date,
    engine_label: str | None = None,
) -> dict[str, int]:
    """Check contract tables in an engine, in place; return their row counts.

    Parameters
    ----------
    backend
        The Ibis backend holding the tables, named as the contracts name them.
    tables
        The contract tables to check (``persons`` is always checked too: the others point to it).
    as_of
        The extract date: no date or time in the tables may be after it.
    engine_label
        How to name the engine in messages, e.g. ``"PostgreSQL"`` (default: the backend's name).

    Returns
    -------
    dict
        Table name -> number of rows, in contract order.

    Raises
    ------
    DataContractError
        For the first problem found: a missing table or column, a column of the wrong type, or
        rows that break the contract (with their number).
    ValueError
        For a table name that is not a contract table.
    """
    label = engine_label or backend.name
    check_extract_date(as_of, "as_of", key="as_of")
    unknown = [t for t in tables if t not in CONTRACTS]
    if unknown:
        raise ValueError(f"tables: not contract tables: {', '.join(unknown)}")
    wanted = {"persons", *tables}
    counts: dict[str, int] = {}
    found: dict[str, ir.Table] = {}
    for name, contract in CONTRACTS.items():
        if name in wanted:
            found[name] = _table(backend, name, label)
            _check_columns(found[name], contract, label)
    for name, table in found.items():
        contract = CONTRACTS[name]
        counts[name] = _check_cells(table, contract, as_of, label)
        _check_key(table, contract, label)
        for fk in contract.foreign_keys:
            if fk.column in table.columns:
                target = found[fk.table]
                orphans = table.filter(table[fk.column].notnull()).anti_join(
                    target, table[fk.column] == target[fk.references]
                )
                n = int(orphans.count().to_pyarrow().as_py())
                if n:
                    expected = f"a {fk.references} that is in {fk.table}"
                    raise _error(label, name, fk.column, expected, n)
                if fk.table == "persons":
                    _check_after_birth(table, target, fk.column, contract, label)
    return counts


def _check_after_birth(
    table: ir.Table, persons: ir.Table, column: str, contract: Contract, label: str
) -> None:
    """No event before its person was born (before the first day of the birth month, as a
    date of birth may be known to the month only): one join, one aggregate."""
    dated = [c for c in contract.columns if c.is_temporal and c.name in table.columns]
    if not dated or "date_of_birth" not in persons.columns:
        return
    born = persons.select(_pid=persons.person_id, _born=persons.date_of_birth.truncate("M"))
    joined = table.inner_join(born, table[column] == born._pid)
    sums = {
        f"t{k}": (joined[c.name].cast("date") < joined._born).ifelse(1, 0).sum()
        for k, c in enumerate(dated)
    }
    row = joined.aggregate(**sums).to_pyarrow().to_pylist()[0]
    for k, col in enumerate(dated):
        n = int(row[f"t{k}"] or 0)
        if n:
            noun = "a date" if col.type == "date" else "a date and time"
            expected = (
                f"{noun} on or after the person's date of birth (persons.date_of_birth, from "
                "the first day of the birth month)"
            )
            raise _error(label, contract.name, col.name, expected, n)


def _table(backend: ibis.BaseBackend, name: str, label: str) -> ir.Table:
    try:
        return backend.table(name)
    except Exception:  # each backend raises its own "not found" error
        raise DataContractError(
            f"{label} has no table {name}: create it with the columns of its contract "
            "(docs/data-contracts.md), or load your files with a mapping file instead",
            table=name,
        ) from None


def _check_columns(table: ir.Table, contract: Contract, label: str) -> None:
    schema = table.schema()
    for col in contract.columns:
        if col.name not in schema:
            if col.required:
                raise DataContractError(
                    f"{label} table {contract.name} has no column {col.name} "
                    f"({col.description}); the contract requires it",
                    table=contract.name,
                    column=col.name,
                    contract_column=col.name,
                )
            continue
        if not _TYPE_OK[col.type](schema[col.name]):
            expected = _TYPE_WORDS[col.type]
            raise DataContractError(
                f"{label} table {contract.name}, column {col.name}: expected {expected}, "
                f"found the type {schema[col.name]}; change the column's type in the engine",
                table=contract.name,
                column=col.name,
                contract_column=col.name,
                expected=expected,
            )


def _check_cells(table: ir.Table, contract: Contract, as_of: dt.date, label: str) -> int:
    """Every cell and row-rule test of a table in one aggregate; raise for the first failing."""
    tests: list[tuple[ir.BooleanValue, str, str]] = []  # (failure, column, expected)
    for col in contract.columns:
        if col.name in table.columns:
            tests.extend(_cell_tests(table[col.name], col, as_of))
    for rule in contract.rules:
        if rule.column in table.columns and rule.other in table.columns:
            tests.append(_rule_test(table, rule, contract))
    sums = {f"t{k}": fails.ifelse(1, 0).sum() for k, (fails, _, _) in enumerate(tests)}
    row = table.aggregate(_rows=table.count(), **sums).to_pyarrow().to_pylist()[0]
    for k, (_, column, expected) in enumerate(tests):
        n = int(row[f"t{k}"] or 0)
        if n:
            raise _error(label, contract.name, column, expected, n)
    return int(row["_rows"])


def _cell_tests(
    value: ir.Value, col: Column, as_of: dt.date
) -> list[tuple[ir.BooleanValue, str, str]]:
    expected = col.expected()
    tests: list[tuple[ir.BooleanValue, str, str]] = []
    filled = value.notnull()
    if not col.nullable:
        tests.append((value.isnull(), col.name, f"{expected} in every row (no empty cells)"))
    if col.codes:
        tests.append((filled & ~value.isin(list(col.codes)), col.name, expected))
    elif col.pattern is not None:
        matches = value.re_search(f"^(?:{col.pattern})$")
        tests.append((filled & ~matches, col.name, expected))
    if col.minimum is not None:
        tests.append((filled & (value < col.minimum), col.name, expected))
    if col.maximum is not None:
        tests.append((filled & (value > col.maximum), col.name, expected))
    if col.is_temporal and col.not_after_as_of:
        if col.type == "date":
            late = value > ibis.date(as_of.isoformat())
            noun = "a date"
        else:
            next_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
            late = value >= ibis.timestamp(next_day.isoformat())
            noun = "a date and time"
        words = f"{noun} on or before the dataset's as_of date {as_of.isoformat()}"
        tests.append((filled & late, col.name, words))
    if col.is_temporal and col.earliest is not None:
        noun = "a date" if col.type == "date" else "a date and time"
        early = value.cast("date") < ibis.date(col.earliest.isoformat())
        words = f"{noun} on or after {col.earliest.isoformat()} (an earlier one is not plausible)"
        tests.append((filled & early, col.name, words))
    return tests


def _rule_test(
    table: ir.Table, rule: RowRule, contract: Contract
) -> tuple[ir.BooleanValue, str, str]:
    a, b = table[rule.column], table[rule.other]
    expected = rule.expected(rule.other, contract.column(rule.column).type)
    both = a.notnull() & b.notnull()
    if rule.kind == "not_before":
        return both & (a < b), rule.column, expected
    if rule.kind == "greater_than":
        return both & (a <= b), rule.column, expected
    return a.isnull() != b.isnull(), rule.column, expected


def _check_key(table: ir.Table, contract: Contract, label: str) -> None:
    key = list(contract.primary_key)
    if not key:
        return
    repeats = table.group_by(key).aggregate(_n=table.count()).filter(lambda t: t._n > 1)
    n = int(repeats.count().to_pyarrow().as_py())
    if n:
        what = key[0] if len(key) == 1 else f"combination of {', '.join(key)}"
        expected = f"each {what} once"
        raise DataContractError(
            f"{label} table {contract.name}, column {key[0]}: expected {expected}; "
            f"{n} {'value repeats' if n == 1 else 'values repeat'}",
            table=contract.name,
            column=key[0],
            contract_column=key[0],
            expected=expected,
            count=n,
        )


def _error(label: str, table: str, column: str, expected: str, n: int) -> DataContractError:
    rows = "1 row fails this check" if n == 1 else f"{n} rows fail this check"
    return DataContractError(
        f"{label} table {table}, column {column}: expected {expected}; {rows}",
        table=table,
        column=column,
        contract_column=column,
        expected=expected,
        count=n,
    )
