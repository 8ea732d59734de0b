"""Reading and validating reference CSV files: shared by every loader in this package.

A load is all or nothing. :func:`open_csv` reads the bytes once (for the SHA-256), checks the
encoding (UTF-8, with or without a byte-order mark; gzip is recognised by its magic bytes, not its
name) and reads the header. :meth:`CsvFile.load` then has DuckDB read every cell as text and
validates the whole file in SQL (one scan for all cell checks, then uniqueness and cross-column
checks), so the checks run in the engine rather than row by row in Python. Only when the file is
clean are the values cast and returned as a :class:`pandas.DataFrame`.

Every problem raises :class:`ReferenceDataError` naming the file, the 1-based line number, the
column and what was expected, e.g.
``imd2019_lsoa11_nwl.csv, line 14, column imd_decile: expected a whole number 1-10, got 'x'``.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from focuson.data.reference.provenance import SourceFile

Kind = Literal["code", "text", "int", "float", "choice", "bool"]

_WHOLE = r"[+-]?[0-9]+(\.0*)?"
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_SHOW = 60  # characters of an offending value shown in a message


class ReferenceDataError(ValueError):
    """A reference file that cannot be loaded as it stands: nothing was loaded.

    The message names the file, the line (1-based, the header is line 1), the column and what
    was expected; the same facts are available as attributes.

    Attributes
    ----------
    path
        The file at fault (``None`` when no single file is).
    line
        The 1-based line number, when the problem is on one line.
    column
        The column header as written in the file, when the problem is in one column.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Field:
    """What one column must hold, and the focuson name it gets.

    Attributes
    ----------
    name
        The focuson schema name of the column (snake_case).
    kind
        ``"code"`` (text matching ``pattern``), ``"text"``, ``"int"`` (whole number), ``"float"``,
        ``"choice"`` (one of ``choices``) or ``"bool"``.
    required
        Whether every row must have a value (an empty cell is an error).
    pattern
        For codes: the regular expression the whole value must match.
    expected
        What the column must hold, in words, for messages; derived from the kind when empty.
    minimum, maximum
        For numbers: the allowed range (inclusive).
    choices
        For ``"choice"``: the allowed values.
    thousands
        For numbers: allow thousands separators (``"1,296"``), as in IoD File 6.
    """

    name: str
    kind: Kind
    required: bool = True
    pattern: str | None = None
    expected: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    thousands: bool = False

    def describe(self) -> str:
        """What the column must hold, in words."""
        if self.expected:
            return self.expected
        if self.kind in ("int", "float"):
            noun = "a whole number" if self.kind == "int" else "a number"
            lo, hi = self.minimum, self.maximum
            if lo is not None and hi is not None:
                return f"{noun} {_fmt(lo)}-{_fmt(hi)}"
            if lo is not None:
                return f"{noun} >= {_fmt(lo)}"
            if hi is not None:
                return f"{noun} <= {_fmt(hi)}"
            return noun
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "TRUE or FALSE"
        if self.kind == "code":
            return f"a code matching {self.pattern}"
        return "a value"

    def _text(self, v: str) -> str:
        return f"replace({v}, ',', '')" if self.thousands else v

    def bad_sql(self, v: str) -> str:
        """SQL that is true where the trimmed text ``v`` breaks this field's rule."""
        missing = "TRUE" if self.required else "FALSE"
        if self.kind == "code":
            bad = f"NOT regexp_full_match({v}, {_lit(self.pattern or '.*')})"
        elif self.kind in ("int", "float"):
            s = self._text(v)
            form = _WHOLE if self.kind == "int" else _NUMBER
            if self.thousands:  # "1,296" but not "1,2,9,6"
                form = form.replace("[0-9]+", "([0-9]+|[0-9]{1,3}(,[0-9]{3})+)", 1)
            bad = f"NOT regexp_full_match({v}, {_lit(form)})"
            number = f"TRY_CAST({s} AS DOUBLE)"
            if self.minimum is not None:
                bad += f" OR {number} < {self.minimum!r}"
            if self.maximum is not None:
                bad += f" OR {number} > {self.maximum!r}"
            bad += f" OR NOT isfinite({number})"
        elif self.kind == "choice":
            bad = f"{v} NOT IN ({', '.join(_lit(c) for c in self.choices)})"
        elif self.kind == "bool":
            bad = f"lower({v}) NOT IN ({', '.join(_lit(c) for c in _TRUE + _FALSE)})"
        else:
            bad = "FALSE"
        return f"CASE WHEN {v} IS NULL THEN {missing} ELSE coalesce({bad}, TRUE) END"

    def cast_sql(self, v: str) -> str:
        """SQL that turns the (validated) trimmed text ``v`` into the typed value."""
        if self.kind == "int":
            return f"CAST(TRY_CAST({self._text(v)} AS DOUBLE) AS BIGINT)"
        if self.kind == "float":
            return f"TRY_CAST({self._text(v)} AS DOUBLE)"
        if self.kind == "bool":
            return f"CASE WHEN {v} IS NULL THEN NULL ELSE lower({v}) IN ({_in(_TRUE)}) END"
        return v


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns or rows, checked in SQL on the typed values.

    Attributes
    ----------
    column
        The focuson name of the column to blame in the message.
    bad
        SQL, true on a row that breaks the rule (columns are the focuson names).
    expected
        SQL giving the text of what was expected on that row, e.g.
        ``"'decile ' || ceil(imd_rank * 10.0 / 32844)"``.
    got
        SQL giving the value shown as found; the blamed column when ``None``.
    """

    column: str
    bad: str
    expected: str
    got: str | None = None


@dataclass(frozen=True)
class CsvFile:
    """A CSV file read as text, its header parsed, ready to be validated and loaded.

    Attributes
    ----------
    path
        The file.
    source
        Its path, size and SHA-256, for the provenance.
    text
        The decoded text (UTF-8, byte-order mark removed).
    header
        The column headers, stripped of surrounding spaces.
    gzipped
        Whether the file is gzip-compressed.
    """

    path: Path
    source: SourceFile
    text: str
    header: tuple[str, ...]
    gzipped: bool

    @property
    def name(self) -> str:
        """The file name without its folder, as used in messages."""
        return self.path.name

    def label(self, column: str, schema_name: str | None = None) -> str:
        """How a column is named in messages: its header, plus the focuson name if different."""
        shown = column if re.fullmatch(r"[A-Za-z0-9_.+-]+", column) else repr(column)
        if schema_name and schema_name != column:
            return f"{shown} ({schema_name})"
        return shown

    def error(
        self,
        text: str,
        *,
        line: int | None = None,
        column: str | None = None,
        schema_name: str | None = None,
        where: str | None = None,
    ) -> ReferenceDataError:
        """An error located in this file: ``"<file>, line <n>, column <c>: <text>"``."""
        parts = [self.name]
        if where is not None:
            parts.append(where)
        elif line is not None:
            parts.append(f"line {line}")
        if column is not None:
            parts.append(f"column {self.label(column, schema_name)}")
        return ReferenceDataError(
            ", ".join(parts) + ": " + text, path=self.path, line=line, column=column
        )

    def missing_columns(self, missing: Iterable[str], expected: str) -> ReferenceDataError:
        """The error for required columns not found in the header (line 1)."""
        found = ", ".join(repr(h) for h in self.header) or "none"
        return self.error(
            f"missing column(s) {', '.join(missing)}; expected {expected}. Columns found: {found}",
            line=1,
        )

    def load(
        self,
        fields: Mapping[str, Field],
        *,
        unique: Sequence[Sequence[str]] = (),
        derived: Mapping[str, str] | None = None,
        checks: Sequence[RowCheck] = (),
    ) -> pd.DataFrame:
        """Validate the file in DuckDB and return the typed columns, in file order.

        Parameters
        ----------
        fields
            Header as written in the file -> the :class:`Field` it must satisfy. Columns not
            listed are not read into the result (the file must still be well-formed CSV).
        unique
            Groups of focuson column names whose values must not repeat (e.g. the LSOA code).
        derived
            Extra SQL columns (window functions allowed) that ``checks`` may use.
        checks
            Rules across columns or rows, checked after the cell checks pass.

        Returns
        -------
        pandas.DataFrame
            One column per field, named by the focuson name. Whole numbers are ``int64`` (or the
            nullable ``Int64`` where cells may be empty), numbers ``float64``, booleans ``bool``
            (``boolean`` when optional), text ``object``.

        Raises
        ------
        ReferenceDataError
            On the first problem in file order (others are summarised in the same message).
        """
        index = {h: i for i, h in enumerate(self.header)}
        unknown = [h for h in fields if h not in index]
        if unknown:  # a loader bug rather than a user error, but say it plainly
            raise self.missing_columns(unknown, "the columns the loader asked for")
        con = duckdb.connect(":memory:")
        try:
            n = self._read_raw(con)
            self._check_cells(con, fields, index, n)
            select = ", ".join(
                f"{spec.cast_sql(_cell(index[h]))} AS {_ident(spec.name)}"
                for h, spec in fields.items()
            )
            con.execute(f"CREATE TABLE typed AS SELECT rowid AS _rec, {select} FROM raw")
            header_of = {spec.name: h for h, spec in fields.items()}
            for key in unique:
                self._check_unique(con, list(key), header_of, n)
            extra = "".join(f", {sql} AS {_ident(name)}" for name, sql in (derived or {}).items())
            con.execute(f"CREATE VIEW checked AS SELECT *{extra} FROM typed")
            for check in checks:
                self._check_rows(con, check, header_of, n)
            names = ", ".join(_ident(spec.name) for spec in fields.values())
            frame = con.execute(f"SELECT {names} FROM typed ORDER BY _rec").df()
        finally:
            con.close()
        return _set_dtypes(frame, list(fields.values()))

    # -- the steps of load ----------------------------------------------------------------------

    def _read_raw(self, con: duckdb.DuckDBPyConnection) -> int:
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.header))) + "}"
        sql = (
            f"CREATE TABLE raw AS SELECT * FROM read_csv({_lit(str(self.path))}, header = true, "
            f"auto_detect = false, columns = {columns}, delim = ',', quote = '\"', "
            f"escape = '\"', compression = '{'gzip' if self.gzipped else 'none'}', "
            "strict_mode = true, null_padding = false, ignore_errors = false)"
        )
        try:
            con.execute(sql)
        except duckdb.Error as exc:
            raise self._duckdb_error(exc) from None
        row = con.execute("SELECT count(*) FROM raw").fetchone()
        n = int(row[0]) if row else 0
        if n == 0:
            raise self.error("no data rows under the header; expected one row per area", line=2)
        return n

    def _check_cells(
        self,
        con: duckdb.DuckDBPyConnection,
        fields: Mapping[str, Field],
        index: Mapping[str, int],
        n: int,
    ) -> None:
        items = list(fields.items())
        if not items:
            return
        parts = []
        for h, spec in items:
            bad = spec.bad_sql(_cell(index[h]))
            parts.append(f"min(rowid) FILTER (WHERE {bad}), count(*) FILTER (WHERE {bad})")
        result = con.execute(f"SELECT {', '.join(parts)} FROM raw").fetchone()
        assert result is not None
        problems = []  # (first record, column order, header, field, count)
        for k, (h, spec) in enumerate(items):
            first, count = result[2 * k], result[2 * k + 1]
            if count:
                problems.append((int(first), k, h, spec, int(count)))
        if not problems:
            return
        problems.sort(key=lambda p: (p[0], p[1]))
        where = self._where([p[0] for p in problems], n)
        messages = []
        for first, _, h, spec, count in problems:
            got = con.execute(f"SELECT c{index[h]} FROM raw WHERE rowid = ?", [first]).fetchone()
            value = got[0] if got else None
            more = f" ({count} rows in this column are wrong)" if count > 1 else ""
            messages.append(
                (first, h, spec, f"expected {spec.describe()}, got {_shown(value)}{more}")
            )
        first, h, spec, text = messages[0]
        if len(messages) > 1:
            others = "; ".join(
                f"{where[r]}, column {self.label(hh, ss.name)}: {t}"
                for r, hh, ss, t in messages[1:6]
            )
            extra = f" (and {len(messages) - 6} more columns)" if len(messages) > 6 else ""
            text += f". Also: {others}{extra}"
        raise self.error(
            text, line=_line_no(where[first]), where=where[first], column=h, schema_name=spec.name
        )

    def _check_unique(
        self,
        con: duckdb.DuckDBPyConnection,
        key: list[str],
        header_of: Mapping[str, str],
        n: int,
    ) -> None:
        cols = ", ".join(_ident(k) for k in key)
        present = " AND ".join(f"{_ident(k)} IS NOT NULL" for k in key)
        sql = (
            f"SELECT _rec, first, count(*) OVER () FROM (SELECT _rec, "
            f"min(_rec) OVER (PARTITION BY {cols}) AS first FROM typed WHERE {present}) "
            "WHERE _rec > first ORDER BY _rec LIMIT 1"
        )
        row = con.execute(sql).fetchone()
        if row is None:
            return
        rec, first, count = int(row[0]), int(row[1]), int(row[2])
        where = self._where([rec, first], n)
        values = con.execute(f"SELECT {cols} FROM typed WHERE _rec = ?", [rec]).fetchone()
        shown = ", ".join(_shown(v) for v in (values or ()))
        more = f"; {count} repeated rows in all" if count > 1 else ""
        what = "value" if len(key) == 1 else f"combination of {', '.join(key)}"
        raise self.error(
            f"{shown} appears again (first at {where[first]}); expected each {what} once{more}",
            line=_line_no(where[rec]),
            where=where[rec],
            column=header_of[key[0]],
            schema_name=key[0],
        )

    def _check_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        check: RowCheck,
        header_of: Mapping[str, str],
        n: int,
    ) -> None:
        got = check.got or _ident(check.column)
        sql = (
            f"SELECT _rec, CAST(({got}) AS VARCHAR), CAST(({check.expected}) AS VARCHAR), "
            f"count(*) OVER () FROM checked WHERE coalesce(({check.bad}), FALSE) "
            "ORDER BY _rec LIMIT 1"
        )
        row = con.execute(sql).fetchone()
        if row is None:
            return
        rec, value, expected, count = int(row[0]), row[1], row[2], int(row[3])
        where = self._where([rec], n)[rec]
        more = f" ({count} rows break this rule)" if count > 1 else ""
        raise self.error(
            f"expected {expected}, got {_shown(value)}{more}",
            line=_line_no(where),
            where=where,
            column=header_of.get(check.column, check.column),
            schema_name=check.column,
        )

    # -- locating records -----------------------------------------------------------------------

    def _where(self, records: Iterable[int], n: int) -> dict[int, str]:
        """``"line L"`` for each 0-based data record (``"record R"`` if lines cannot be told).

        Only runs on the error path. DuckDB skips blank lines as Python's csv module does, so the
        record numbers agree; if a quoted value spans lines the counts still agree and the line
        given is the one the record starts on. Should the two parsers ever disagree on the
        number of records, the message falls back to the record number.
        """
        wanted = set(records)
        found: dict[int, int] = {}
        reader = csv.reader(io.StringIO(self.text, newline=""))
        next(reader, None)
        previous, count = reader.line_num, 0
        for row in reader:
            if row:
                if count in wanted:
                    found[count] = previous + 1
                count += 1
            previous = reader.line_num
        if count != n:
            return {r: f"record {r + 1} (after the header)" for r in wanted}
        return {r: f"line {found[r]}" for r in wanted}

    def _duckdb_error(self, exc: duckdb.Error) -> ReferenceDataError:
        text = str(exc)
        line = re.search(r"Line:\s*(\d+)", text)
        shape = re.search(r"Expected Number of Columns:\s*(\d+)\s+Found:\s*(\d+)", text)
        n_line = int(line.group(1)) if line else None
        if shape:
            expected, found = int(shape.group(1)), int(shape.group(2))
            what = "fewer" if found < expected else "more"
            return self.error(
                f"expected {expected} comma-separated values (one per header column), found "
                f"{found}: the line has {what} values than the header. Check for unquoted "
                "commas in names or a missing value",
                line=n_line,
            )
        if "quote" in text.lower():
            return self.error(
                'a quoted value is not closed; expected every " to be paired', line=n_line
            )
        first = text.splitlines()[0] if text else type(exc).__name__
        return self.error(f"not readable as CSV: {first}", line=n_line)


# -- opening files --------------------------------------------------------------------------


def open_csv(path: Path | str) -> CsvFile:
    """Read a CSV file (plain or gzip), check it is UTF-8 text and parse its header.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    CsvFile
        The decoded file, ready for :meth:`CsvFile.load`.

    Raises
    ------
    ReferenceDataError
        If the file is missing, empty, not gzip despite its magic bytes, a spreadsheet, UTF-16
        or not valid UTF-8 (naming the line, column and byte), or has a repeated header.
    """
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError(f"{path}: file not found", path=path)
    if path.is_dir():
        raise ReferenceDataError(f"{path}: is a folder; expected a CSV file", path=path)
    stored = path.read_bytes()
    source = SourceFile.from_bytes(path, stored)
    gzipped = stored[:2] == b"\x1f\x8b"
    data = stored
    if gzipped:
        try:
            data = gzip.decompress(stored)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReferenceDataError(
                f"{path.name}: looks gzip-compressed but cannot be decompressed ({exc}); "
                "expected a complete .gz file",
                path=path,
            ) from None
    _reject_non_text(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, data, exc) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    first = next(reader, None)
    if not first or not any(cell.strip() for cell in first):
        raise ReferenceDataError(
            f"{path.name}, line 1: no header; expected a header line naming the columns",
            path=path,
            line=1,
        )
    header = tuple(cell.strip() for cell in first)
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise ReferenceDataError(
                f"{path.name}, line 1, column {h!r}: the header repeats this column; expected "
                "each column name once",
                path=path,
                line=1,
                column=h,
            )
        seen.add(h)
    return CsvFile(path=path, source=source, text=text, header=header, gzipped=gzipped)


def read_json_text(path: Path | str) -> tuple[str, SourceFile]:
    """Read a (possibly gzipped) JSON file as UTF-8 text, with its SHA-256."""
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError(f"{path}: file not found", path=path)
    if path.is_dir():
        raise ReferenceDataError(f"{path}: is a folder; expected a GeoJSON file", path=path)
    stored = path.read_bytes()
    data = gzip.decompress(stored) if stored[:2] == b"\x1f\x8b" else stored
    _reject_non_text(path, data)
    try:
        return data.decode("utf-8-sig"), SourceFile.from_bytes(path, stored)
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, data, exc, csv_columns=False) from None


def resolve_file(path: Path | str, patterns: Sequence[str], what: str) -> Path:
    """``path`` itself if it is a file; in a folder, the one file matching ``patterns``.

    Patterns are shell globs matched case-insensitively, in order of preference: the first
    pattern with exactly one match wins; several matches for a pattern are an error listing them.
    """
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError(f"{path}: file or folder not found", path=path)
    if not path.is_dir():
        return path
    names = sorted(p for p in path.iterdir() if p.is_file())
    for pattern in patterns:
        rx = re.compile(_glob_regex(pattern), re.IGNORECASE)
        hits = [p for p in names if rx.fullmatch(p.name)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = ", ".join(p.name for p in hits)
            raise ReferenceDataError(
                f"{path}: several files could be the {what} ({listed}); pass the file itself",
                path=path,
            )
    raise ReferenceDataError(
        f"{path}: no {what} in this folder; expected a file named like "
        + " or ".join(patterns)
        + ", or pass the file itself",
        path=path,
    )


def normalise_header(text: str) -> str:
    """Lower case, single spaces, no Nomis ``"; measures: Value"`` suffix.

    >>> normalise_header("  LSOA code  (2011) ")
    'lsoa code (2011)'
    >>> normalise_header("Ethnic group: White; measures: Value")
    'ethnic group: white'
    """
    out = " ".join(text.lower().split())
    return re.sub(r";\s*measures:\s*value$", "", out)


# -- helpers ----------------------------------------------------------------------------------


def _reject_non_text(path: Path, data: bytes) -> None:
    if data[:4] == b"PK\x03\x04":
        raise ReferenceDataError(
            f"{path.name}: is a zip archive or an Excel workbook (xlsx), not CSV text; expected "
            "a CSV file (in Excel: Save As 'CSV UTF-8')",
            path=path,
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ReferenceDataError(
            f"{path.name}: wrong encoding: the file is UTF-16 (Excel 'Unicode Text'); expected "
            "UTF-8. Save it again as 'CSV UTF-8'",
            path=path,
        )
    if not data.strip():
        raise ReferenceDataError(f"{path.name}: the file is empty", path=path)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReferenceDataError(
            f"{path.name}, line {line}: holds a NUL byte, so it is not a text file; expected "
            "UTF-8 CSV text",
            path=path,
            line=line,
        )


def _encoding_error(
    path: Path, data: bytes, exc: UnicodeDecodeError, *, csv_columns: bool = True
) -> ReferenceDataError:
    start = exc.start
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", start)
    raw_line = data[line_start : line_end if line_end >= 0 else len(data)]
    as_cp1252 = raw_line.decode("cp1252", errors="replace").rstrip("\r")
    column = None
    where = f"{path.name}, line {line}"
    if csv_columns:
        header_end = data.find(b"\n")
        header_bytes = data[: header_end if header_end >= 0 else len(data)]
        header = next(csv.reader([header_bytes.decode("utf-8-sig", errors="replace")]), [])
        prefix = data[line_start:start].decode("cp1252", errors="replace")
        position = len(next(csv.reader([prefix + "x"]), [""])) - 1
        column = header[position].strip() if 0 <= position < len(header) else None
        if column:
            where += f", column {column if ' ' not in column else repr(column)}"
        cells = next(csv.reader([as_cp1252]), [])
        shown = cells[position] if 0 <= position < len(cells) else as_cp1252
    else:
        shown = as_cp1252[max(0, start - line_start - 20) : start - line_start + 20]
    return ReferenceDataError(
        f"{where}: wrong encoding: byte 0x{data[start]:02x} is not valid UTF-8; expected "
        f"UTF-8 text, got {shown[:_SHOW]!r} (read as Windows-1252). The file was probably saved "
        "as Windows-1252/Latin-1: save it again as UTF-8 ('CSV UTF-8' in Excel)",
        path=path,
        line=line,
        column=column,
    )


def _set_dtypes(frame: pd.DataFrame, fields: list[Field]) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for spec in fields:
        col = frame[spec.name]
        if spec.kind == "int":
            out[spec.name] = col.astype("int64" if spec.required else "Int64")
        elif spec.kind == "float":
            out[spec.name] = col.astype("float64")
        elif spec.kind == "bool":
            out[spec.name] = col.astype("bool" if spec.required else "boolean")
        else:
            out[spec.name] = col.astype(object).where(col.notna(), None)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _cell(i: int) -> str:
    return f"NULLIF(TRIM(c{i}), '')"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(values: Iterable[str]) -> str:
    return ", ".join(_lit(v) for v in values)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def _shown(value: object) -> str:
    if value is None:
        return "an empty cell"
    text = str(value)
    if len(text) > _SHOW:
        text = text[:_SHOW] + "..."
    return repr(text)


def _line_no(where: str) -> int | None:
    m = re.fullmatch(r"line (\d+)", where)
    return int(m.group(1)) if m else None


def _glob_regex(pattern: str) -> str:
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
