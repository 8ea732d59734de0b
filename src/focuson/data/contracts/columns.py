"""The building blocks of a table contract: columns, row rules, foreign keys, the contract.

Each is a frozen dataclass that checks itself when it is built, so a contract that cannot be
enforced (a code column without codes, a primary key that may be empty, a rule on a column the
table lacks) fails at import time rather than on a user's data.

Words used throughout
---------------------
required
    The column must be in the user's table (mapped or under its contract name). Optional columns
    may be left out; the loaded table then holds the column with every cell empty.
nullable
    A cell may be empty. An empty cell in a column that is not nullable is an error.
unknown
    Codes that mean "not known" or "not stated" (sex ``U``; ethnicity ``Z`` and ``99``). They are
    valid values: kept, and counted in the load summary as their own group, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, get_args

ColumnType = Literal["string", "code", "date", "timestamp", "integer", "float"]
RuleKind = Literal["not_before", "greater_than", "filled_with"]

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "code": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "integer": "INTEGER",
    "float": "DOUBLE",
}
_INT_LIMIT = 2**31 - 1

#: The earliest plausible date of birth: no one in an extract was born before it (the oldest
#: person on record lived 122 years). Earlier dates are placeholders or typing errors.
EARLIEST_BIRTH = dt.date(1880, 1, 1)
#: The earliest plausible date of any other event: the day the NHS began (5 July 1948).
EARLIEST_EVENT = dt.date(1948, 7, 5)


def _fmt(x: float) -> str:
    return f"{x:g}" if not float(x).is_integer() else f"{int(x)}"


@dataclass(frozen=True)
class Column:
    """One column of a table contract: its name, type and what its cells may hold.

    Parameters
    ----------
    name
        The contract name (snake_case), e.g. ``"clock_start"``.
    type
        ``"string"`` (any text, or text matching ``pattern``), ``"code"`` (one of ``codes``, or
        text matching ``pattern``), ``"date"`` (``YYYY-MM-DD``), ``"timestamp"``
        (``YYYY-MM-DD HH:MM[:SS]``), ``"integer"`` or ``"float"``.
    description
        What the column holds, in plain English (for the documentation and messages).
    required
        Whether the column must be in the user's table.
    nullable
        Whether a cell may be empty.
    codes
        For ``"code"``: the allowed values, exactly as written (case matters).
    pattern
        For ``"string"`` or ``"code"``: a regular expression the whole value must match.
    pattern_words
        What ``pattern`` means, in words, for messages (e.g. ``"an LSOA code (E01 and 6 digits)"``).
    minimum, maximum
        For numbers: the allowed range, inclusive.
    unknown
        ``(code, meaning)`` pairs for codes that mean not known or not stated.
    empty_means
        For a nullable column whose empty cells mean "not known" (counted in the summary), what
        they mean, e.g. ``"not known"``; ``None`` when an empty cell is an ordinary state (a
        clock still running).
    month_precision
        For dates: also accept ``YYYY-MM`` (read as the first of the month).
    not_after_as_of
        For dates and timestamps: values after the dataset's ``as_of`` date are errors.
    earliest
        For dates and timestamps: the earliest plausible value (:data:`EARLIEST_BIRTH`,
        :data:`EARLIEST_EVENT`); earlier values are errors.

    Raises
    ------
    ValueError
        If the definition cannot be enforced, e.g. a code column without codes or pattern.

    Examples
    --------
    >>> sex = Column("sex", "code", "Sex", codes=("F", "M", "U"), unknown=(("U", "not known"),))
    >>> sex.expected()
    'one of F, M, U (U = not known)'
    >>> sex.sql_type
    'VARCHAR'
    >>> Column("stage", "integer", "Stage", nullable=True, minimum=1, maximum=4).expected()
    'a whole number 1-4'
    """

    name: str
    type: ColumnType
    description: str
    required: bool = True
    nullable: bool = False
    codes: tuple[str, ...] = ()
    pattern: str | None = None
    pattern_words: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    unknown: tuple[tuple[str, str], ...] = ()
    empty_means: str | None = None
    month_precision: bool = False
    not_after_as_of: bool = True
    earliest: dt.date | None = None

    def __post_init__(self) -> None:
        where = f"column {self.name!r}"
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"{where}: a contract name must be snake_case")
        if self.type not in get_args(ColumnType):
            raise ValueError(f"{where}: unknown type {self.type!r}")
        if self.codes and self.type != "code":
            raise ValueError(f"{where}: only a code column has codes")
        if self.type == "code" and not self.codes and self.pattern is None:
            raise ValueError(f"{where}: a code column needs codes or a pattern")
        if len(set(self.codes)) != len(self.codes):
            raise ValueError(f"{where}: codes repeat")
        if self.pattern is not None:
            if self.type not in ("string", "code"):
                raise ValueError(f"{where}: only string and code columns have a pattern")
            re.compile(self.pattern)
            if not self.pattern_words:
                raise ValueError(f"{where}: a pattern needs pattern_words for messages")
        numeric = self.type in ("integer", "float")
        if (self.minimum is not None or self.maximum is not None) and not numeric:
            raise ValueError(f"{where}: only a number has a minimum or maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"{where}: minimum is above maximum")
        for code, _ in self.unknown:
            if self.codes and code not in self.codes:
                raise ValueError(f"{where}: unknown code {code!r} is not one of its codes")
        if self.empty_means is not None and not self.nullable:
            raise ValueError(f"{where}: empty_means needs a nullable column")
        if self.month_precision and self.type != "date":
            raise ValueError(f"{where}: month_precision is for dates")
        if self.earliest is not None and not self.is_temporal:
            raise ValueError(f"{where}: only a date or timestamp has an earliest value")

    @property
    def sql_type(self) -> str:
        """The DuckDB type of the loaded column."""
        return _SQL_TYPES[self.type]

    @property
    def is_temporal(self) -> bool:
        """Whether the column holds dates or timestamps."""
        return self.type in ("date", "timestamp")

    def expected(self, *, date_format: str | None = None) -> str:
        """What a cell must hold, in words (without "or empty")."""
        if self.type == "code":
            if self.pattern_words:
                return self.pattern_words
            meanings = dict(self.unknown)
            notes = "; ".join(f"{c} = {meanings[c]}" for c in self.codes if c in meanings)
            return f"one of {', '.join(self.codes)}" + (f" ({notes})" if notes else "")
        if self.type == "string":
            return self.pattern_words or "a value"
        if self.type == "date":
            if date_format:
                return f"a date written as {date_format}"
            return "a date (YYYY-MM-DD" + (", or YYYY-MM" if self.month_precision else "") + ")"
        if self.type == "timestamp":
            if date_format:
                return f"a date and time written as {date_format}"
            return "a date and time (YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS)"
        noun = "a whole number" if self.type == "integer" else "a number"
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            return f"{noun} {_fmt(lo)}-{_fmt(hi)}"
        if lo is not None:
            return f"{noun} of at least {_fmt(lo)}"
        if hi is not None:
            return f"{noun} of at most {_fmt(hi)}"
        return noun

    @property
    def integer_range(self) -> tuple[float, float]:
        """For integers: the inclusive range, bounded by what a 32-bit integer holds."""
        lo = -_INT_LIMIT if self.minimum is None else self.minimum
        hi = _INT_LIMIT if self.maximum is None else self.maximum
        return lo, hi


@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of one row, checked once every cell is valid.

    Parameters
    ----------
    kind
        ``"not_before"``: ``column`` is on or after ``other`` (both dates, or both timestamps);
        ``"greater_than"``: ``column`` is greater than ``other`` (numbers);
        ``"filled_with"``: ``column`` is filled exactly when ``other`` is.
        A rule holds whenever one of its cells is empty, except ``"filled_with"``.
    column
        The contract column blamed in the message.
    other
        The contract column it is compared with.

    Examples
    --------
    >>> RowRule("not_before", "clock_stop", "clock_start").expected("clock_start", "date")
    'a date on or after clock_start'
    """

    kind: RuleKind
    column: str
    other: str

    def __post_init__(self) -> None:
        if self.kind not in get_args(RuleKind):
            raise ValueError(f"rule on {self.column!r}: unknown kind {self.kind!r}")
        if self.column == self.other:
            raise ValueError(f"rule on {self.column!r}: compares a column with itself")

    def expected(self, other_label: str, column_type: str) -> str:
        """What the rule expects, in words; ``other_label`` names the other column."""
        if self.kind == "not_before":
            noun = "a date and time" if column_type == "timestamp" else "a date"
            return f"{noun} on or after {other_label}"
        if self.kind == "greater_than":
            return f"a number greater than {other_label}"
        return f"a value when {other_label} is filled, and an empty cell when it is empty"


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``column`` must exist in ``table``.``references``.

    Examples
    --------
    >>> ForeignKey("person_id", "persons")
    ForeignKey(column='person_id', table='persons', references='person_id')
    """

    column: str
    table: str
    references: str = "person_id"


@dataclass(frozen=True)
class Contract:
    """The contract of one table: its columns, keys and row rules.

    Parameters
    ----------
    name
        The table's name, e.g. ``"rtt_pathways"``; also its name in the database.
    description
        What one row is, in plain English.
    columns
        The columns, in order.
    primary_key
        The columns whose combined values identify a row: they must not repeat.
    foreign_keys
        Columns whose values must exist in another table.
    rules
        Rules across the columns of a row.
    version
        The contract version.

    Raises
    ------
    ValueError
        If the contract cannot be enforced: repeated or unknown column names, a key column that
        is optional or nullable, a rule between columns of different types.

    Examples
    --------
    >>> c = Contract(
    ...     "things", "One thing per row.",
    ...     (Column("thing_id", "string", "Id"), Column("made", "date", "Made")),
    ...     primary_key=("thing_id",),
    ... )
    >>> c.column_names
    ('thing_id', 'made')
    >>> c.column("made").type
    'date'
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rules: tuple[RowRule, ...] = ()
    version: int = 1

    def __post_init__(self) -> None:
        where = f"contract {self.name!r}"
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"{where}: a table name must be snake_case")
        names = [c.name for c in self.columns]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"{where}: needs columns with distinct names")
        by_name = {c.name: c for c in self.columns}
        for key in self.primary_key:
            col = by_name.get(key)
            if col is None:
                raise ValueError(f"{where}: primary key column {key!r} is not a column")
            if col.nullable or not col.required:
                raise ValueError(f"{where}: primary key column {key!r} must be required")
        for fk in self.foreign_keys:
            if fk.column not in by_name:
                raise ValueError(f"{where}: foreign key column {fk.column!r} is not a column")
        for rule in self.rules:
            for name in (rule.column, rule.other):
                if name not in by_name:
                    raise ValueError(f"{where}: rule names {name!r}, which is not a column")
            a, b = by_name[rule.column], by_name[rule.other]
            if rule.kind == "not_before" and (a.type != b.type or not a.is_temporal):
                raise ValueError(f"{where}: not_before compares two dates or two timestamps")
            if rule.kind == "greater_than" and not (
                a.type in ("integer", "float") and b.type in ("integer", "float")
            ):
                raise ValueError(f"{where}: greater_than compares two numbers")

    @property
    def column_names(self) -> tuple[str, ...]:
        """The contract column names, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``; ``KeyError`` if there is none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")
