"""The one error a data load raises: :class:`DataContractError`.

A load is all or nothing: when a table breaks its contract,
:func:`~focuson.data.contracts.load_dataset` raises :class:`DataContractError` and leaves nothing
in the database. The message is one sentence a user can act on; it names the file, the line
(CSV: the header is line 1, the first data row line 2) or row (Parquet: the first row is row 1;
a DuckDB table: "row 3 of table people in warehouse.duckdb", in its natural scan order), the
column (the user's name and the contract name) and what was expected, and says how many rows
in all fail the same check. It never shows the offending value: the tables hold patient-level
data.
"""

from __future__ import annotations

from pathlib import Path


class DataContractError(ValueError):
    """A table or mapping file that breaks its contract: nothing was loaded.

    Parameters
    ----------
    message
        The full, one-sentence message.
    path
        The file at fault: the data file, or the mapping file for a mapping problem.
    line
        The 1-based line in a CSV file (the header is line 1).
    row
        The 1-based row in a Parquet file or a DuckDB table (in its natural scan order).
    column
        The column as the user's file names it.
    contract_column
        The contract's name for that column (the same as ``column`` when not renamed).
    table
        The contract table, e.g. ``"rtt_pathways"``.
    expected
        What was expected, in words.
    count
        How many rows in all fail the same check.
    key
        For a mapping-file problem: the key at fault, e.g. ``"tables.rtt_pathways.path"``.
    source_table
        For a table read from a DuckDB database: its name there, e.g. ``"staging.people"``.

    Examples
    --------
    >>> err = DataContractError(
    ...     "rtt.csv, line 14, column stop_date (clock_stop): expected a date on or after "
    ...     "clock_start; 1 row in all fails this check",
    ...     path="rtt.csv", line=14, column="stop_date", contract_column="clock_stop",
    ... )
    >>> err.line, err.column, err.contract_column
    (14, 'stop_date', 'clock_stop')
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        contract_column: str | None = None,
        table: str | None = None,
        expected: str | None = None,
        count: int | None = None,
        key: str | None = None,
        source_table: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.line = line
        self.row = row
        self.column = column
        self.contract_column = contract_column
        self.table = table
        self.expected = expected
        self.count = count
        self.key = key
        self.source_table = source_table

    @property
    def where(self) -> str | None:
        """``"line N"`` (CSV) or ``"row N"`` (Parquet, DuckDB), when the problem is on one line
        or row."""
        if self.line is not None:
            return f"line {self.line}"
        if self.row is not None:
            return f"row {self.row}"
        return None
