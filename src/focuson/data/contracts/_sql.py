"""SQL for one column: how a cell is read, typed and checked inside DuckDB.

A column's cells reach the checks either as text (every CSV cell; Parquet cells whose type is
not the contract's) or natively typed (a Parquet ``date32`` in a date column, an ``int64`` in a
whole-number column...). :func:`column_sql` returns the SQL for the typed value and for "the cell
is valid"; the loader turns those into one bit flag per check, computed in the same scan that
stores the typed table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from focuson.data.contracts.columns import Column

#: How a source column arrives: as text, or natively in one of these kinds.
SourceKind = Literal["text", "date", "timestamp", "integer", "float", "string", "other"]

_WHOLE = r"[+-]?[0-9]+(\.0*)?"
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\.0+)?)?)?"
_MONTH = r"[0-9]{4}-[0-9]{2}"
_TIMESTAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"


def ident(name: str) -> str:
    """A quoted SQL identifier.

    >>> print(ident("my column"))
    "my column"
    """
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A quoted SQL string literal.

    >>> lit("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class ColumnSql:
    """The SQL of one column, over the inner alias ``v`` holding the source cell.

    Attributes
    ----------
    source
        SQL giving ``v`` from the source column (trimmed text with empty as NULL, recoded; or
        the native value).
    typed
        SQL (over ``v``) giving the typed value; may be NULL where the cell is invalid.
    valid
        SQL (over ``v``), true where a non-empty cell is valid; NULL counts as invalid.
    """

    source: str
    typed: str
    valid: str


def native_kind(column: Column, kind: SourceKind) -> bool:
    """Whether a source of this kind can be taken natively (without going through text)."""
    if column.type == "date":
        return kind == "date"
    if column.type == "timestamp":
        return kind == "timestamp"
    if column.type == "integer":
        return kind == "integer"
    if column.type == "float":
        return kind in ("integer", "float")
    return False


def column_sql(
    column: Column,
    ref: str,
    v: str,
    *,
    kind: SourceKind = "text",
    recode: dict[str, str] | None = None,
    date_format: str | None = None,
    timestamp_format: str | None = None,
) -> ColumnSql:
    """The SQL that reads, types and checks one column.

    Parameters
    ----------
    column
        The contract column.
    ref
        SQL naming the source column (``c3`` in a CSV scan, ``"DateOfBirth"`` in Parquet).
    v
        The alias the source value gets in the inner query.
    kind
        How the source arrives: ``"text"`` for CSV; for Parquet the kind of its type.
    recode
        The user's codes -> contract codes (applied to the text).
    date_format, timestamp_format
        strptime formats for non-ISO dates and timestamps.

    Returns
    -------
    ColumnSql

    Examples
    --------
    >>> sex = Column("sex", "code", "Sex", codes=("F", "M", "U"))
    >>> column_sql(sex, "c1", "v1").valid
    "v1 IN ('F', 'M', 'U')"
    """
    if not recode and native_kind(column, kind):
        return _native(column, ref, v)
    if kind in ("text", "string"):
        text = f"NULLIF(TRIM({ref}), '')"
    else:
        text = f"NULLIF(TRIM(CAST({ref} AS VARCHAR)), '')"
    if recode:
        whens = " ".join(f"WHEN {lit(a)} THEN {lit(b)}" for a, b in recode.items())
        text = f"CASE {text} {whens} ELSE {text} END"
    fmt = timestamp_format if column.type == "timestamp" else date_format
    typed, valid = _from_text(column, v, fmt)
    return ColumnSql(text, typed, valid)


def _native(column: Column, ref: str, v: str) -> ColumnSql:
    if column.type == "date":
        return ColumnSql(ref, v, "TRUE")
    if column.type == "timestamp":
        return ColumnSql(ref, f"CAST({v} AS TIMESTAMP)", "TRUE")
    if column.type == "integer":
        typed = f"TRY_CAST({v} AS INTEGER)"
        lo, hi = column.integer_range
        return ColumnSql(ref, typed, f"{typed} BETWEEN {lo!r} AND {hi!r}")
    typed = f"CAST({v} AS DOUBLE)"
    return ColumnSql(ref, typed, _float_valid(column, typed))


def _float_valid(column: Column, typed: str) -> str:
    valid = f"isfinite({typed})"
    if column.minimum is not None:
        valid += f" AND {typed} >= {column.minimum!r}"
    if column.maximum is not None:
        valid += f" AND {typed} <= {column.maximum!r}"
    return valid


def _from_text(column: Column, v: str, fmt: str | None) -> tuple[str, str]:
    """(typed, valid) for a trimmed, non-empty text value ``v``."""
    if column.type in ("string", "code"):
        if column.codes:
            return v, f"{v} IN ({', '.join(lit(c) for c in column.codes)})"
        if column.pattern is not None:
            return v, f"regexp_full_match({v}, {lit(column.pattern)})"
        return v, "TRUE"
    if column.type == "integer":
        typed = f"TRY_CAST(TRY_CAST({v} AS DOUBLE) AS INTEGER)"
        lo, hi = column.integer_range
        return typed, (
            f"regexp_full_match({v}, {lit(_WHOLE)}) AND {typed} BETWEEN {lo!r} AND {hi!r}"
        )
    if column.type == "float":
        typed = f"TRY_CAST({v} AS DOUBLE)"
        return typed, f"regexp_full_match({v}, {lit(_NUMBER)}) AND {_float_valid(column, typed)}"
    if column.type == "date":
        if fmt:
            typed = f"CAST(TRY_STRPTIME({v}, {lit(fmt)}) AS DATE)"
            return typed, f"{typed} IS NOT NULL"
        typed = f"TRY_CAST(left({v}, 10) AS DATE)"
        valid = f"regexp_full_match({v}, {lit(_DATE)}) AND {typed} IS NOT NULL"
        if column.month_precision:
            month = f"TRY_CAST({v} || '-01' AS DATE)"
            typed = f"CASE WHEN length({v}) = 7 THEN {month} ELSE {typed} END"
            valid = (
                f"CASE WHEN length({v}) = 7 THEN regexp_full_match({v}, {lit(_MONTH)}) "
                f"AND {month} IS NOT NULL ELSE {valid} END"
            )
        return typed, valid
    # timestamp
    if fmt:
        typed = f"TRY_STRPTIME({v}, {lit(fmt)})"
        return typed, f"{typed} IS NOT NULL"
    typed = f"TRY_CAST({v} AS TIMESTAMP)"
    return typed, f"regexp_full_match({v}, {lit(_TIMESTAMP)}) AND {typed} IS NOT NULL"
