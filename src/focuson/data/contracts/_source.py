"""Opening a user's table: its header or schema, and telling a row's line or row number.

A table is a CSV file, Parquet file(s), or a table (or view) in a DuckDB database file, which
is attached read-only to the loading connection (DuckDB's own format: no extension is loaded).
Nothing here reads the data rows into Python. The header (CSV) or schema (Parquet, DuckDB) is
read to match columns; DuckDB reads the rows. Only when a check has failed are a few facts
computed in Python: the line a record starts on (by streaming the file up to that record), or
the line and column of the first byte that is not UTF-8. No value from a data row is ever put in
a message.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import hashlib
import io
import itertools
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from focuson.data.contracts._sql import SourceKind, ident, lit
from focuson.data.contracts.columns import Contract
from focuson.data.contracts.errors import DataContractError
from focuson.data.contracts.mapping import TableMapping
from focuson.data.contracts.tables import CONTRACTS

_CHUNK = 1 << 20
_ATTACH_PREFIX = "_focuson_source_"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of a DuckDB database file
_DUCKDB_INTEGERS = frozenset(
    [
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
    ]
)
_DUCKDB_TIMESTAMPS = frozenset(("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"))


@dataclass(frozen=True)
class Location:
    """Where one record is: its file, and its 1-based line (CSV) or row (Parquet, DuckDB)."""

    path: Path
    line: int | None = None
    row: int | None = None
    record: int = 0  # 0-based data record, the fallback when the line cannot be told

    @property
    def where(self) -> str:
        """``"line N"``, ``"row N"`` or ``"data row N"``."""
        if self.line is not None:
            return f"line {self.line}"
        if self.row is not None:
            return f"row {self.row}"
        return f"data row {self.record + 1}"


@dataclass
class Source:
    """One table's input: its files, columns, and which contract columns it holds."""

    mapping: TableMapping
    contract: Contract
    files: tuple[Path, ...]
    names: tuple[str, ...]  # CSV header cells or Parquet column names
    kinds: dict[str, SourceKind]  # column name -> how it arrives
    present: dict[str, str]  # contract column -> the user's column
    gzipped: bool = False
    rows_per_file: tuple[int, ...] = ()
    absent: tuple[str, ...] = field(default=())  # optional contract columns not provided
    catalog: str | None = None  # DuckDB: the attached database holding the table
    db_object: tuple[str, str] | None = None  # DuckDB: (schema, table) as the database has it

    @property
    def table(self) -> str:
        """The contract table."""
        return self.contract.name

    @property
    def is_database(self) -> bool:
        """Whether the table is read from a database (DuckDB) rather than a file."""
        return self.mapping.format == "duckdb"

    @property
    def file_label(self) -> str:
        """The file name used in messages (the folder's, for Parquet parts), or ``"table people
        in warehouse.duckdb"`` for a database table."""
        if self.is_database:
            return f"table {self.mapping.source_table} in {self.mapping.path.name}"
        return self.mapping.path.name

    def label(self, column: str) -> str:
        """``"gender (sex)"``: the user's name and the contract name, when they differ."""
        user = self.present.get(column, self.mapping.user_name(column))
        shown = user if re.fullmatch(r"[A-Za-z0-9_.+-]+", user) else repr(user)
        return shown if user == column else f"{shown} ({column})"

    def shown_name(self, name: str) -> str:
        """A source column's name as messages may show it: the name itself when it is a contract
        or mapped column name, else ``"at position N"``.

        A CSV file without its header line has a person's record on line 1, and a Parquet file
        or database table made from one (pandas, for one, takes the first record for the
        names) has it in its column names; so a name is shown only when focuson knows it.
        """
        if name.lower() in self._known_names():
            return name
        return f"at position {self.names.index(name) + 1}" if name in self.names else "unnamed"

    def found_names(self) -> str:
        """The source's columns for a message: the contract or mapped names among them, and
        the positions of the others (see :meth:`shown_name`)."""
        known = self._known_names()
        shown = [n for n in self.names if n.lower() in known]
        others = [i + 1 for i, n in enumerate(self.names) if n.lower() not in known]
        parts = [", ".join(shown)] if shown else []
        if others:
            where = ", ".join(str(i) for i in others[:20]) + (", ..." if len(others) > 20 else "")
            parts.append(
                f"{len(others)} other{'s' if len(others) > 1 else ''} at position"
                f"{'s' if len(others) > 1 else ''} {where} (names the contracts do not use are "
                "not shown, in case they are a person's record)"
            )
        return "; ".join(parts) or "none"

    def _known_names(self) -> set[str]:
        names = {c.lower() for contract in CONTRACTS.values() for c in contract.column_names}
        return names | {u.lower() for u in self.mapping.columns.values()}

    def ref(self, column: str) -> str:
        """SQL naming the source column that holds a contract column."""
        user = self.present[column]
        if self.mapping.format == "csv":
            return f"c{self.names.index(user)}"
        return ident(user)

    def scan_sql(self) -> str:
        """The table function that reads the file(s), or the database table's full name."""
        if self.is_database:
            assert self.catalog is not None and self.db_object is not None  # set by attach
            schema, name = self.db_object
            return f"{ident(self.catalog)}.{ident(schema)}.{ident(name)}"
        if self.mapping.format == "parquet":
            files = ", ".join(lit(str(p)) for p in self.files)
            return f"read_parquet([{files}])"
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.names)))
        return (
            f"read_csv({lit(str(self.files[0]))}, header = true, auto_detect = false, "
            f"columns = {{{columns}}}, delim = {lit(self.mapping.delimiter)}, quote = '\"', "
            f"escape = '\"', strict_mode = true, null_padding = false, "
            f"compression = '{'gzip' if self.gzipped else 'none'}')"
        )

    def locate(self, records: list[int]) -> dict[int, Location]:
        """The file and line (CSV) or row (Parquet, DuckDB) of 0-based data records."""
        if self.is_database:  # the table's natural scan order, as staged
            return {rec: Location(self.files[0], row=rec + 1, record=rec) for rec in records}
        if self.mapping.format == "parquet":
            out = {}
            for rec in records:
                offset = 0
                for path, n in zip(self.files, self.rows_per_file, strict=True):
                    if rec < offset + n:
                        out[rec] = Location(path, row=rec - offset + 1, record=rec)
                        break
                    offset += n
                else:
                    out[rec] = Location(self.files[0], record=rec)
            return out
        lines = _csv_lines(self.files[0], self.gzipped, self.mapping.delimiter, set(records))
        return {r: Location(self.files[0], line=lines.get(r), record=r) for r in records}

    def error(
        self,
        loc: Location | None,
        column: str | None,
        text: str,
        *,
        expected: str | None = None,
        count: int | None = None,
    ) -> DataContractError:
        """An error located in this table: ``"<file>, line <n>, column <c>: <text>"``, or for a
        database table ``"row <n> of table <t> in <file>, column <c>: <text>"``."""
        path = loc.path if loc is not None else self.mapping.path
        if self.is_database:
            parts = [self.file_label]
            if loc is not None and loc.row is not None:
                parts = [f"row {loc.row} of {self.file_label}"]
        else:
            parts = [path.name]
            if loc is not None:
                parts.append(loc.where)
        if column is not None:
            parts.append(f"column {self.label(column)}")
        user = None
        if column is not None:
            user = self.present.get(column, self.mapping.user_name(column))
        return DataContractError(
            ", ".join(parts) + ": " + text,
            path=path,
            line=loc.line if loc else None,
            row=loc.row if loc else None,
            column=user,
            contract_column=column,
            table=self.table,
            expected=expected,
            count=count,
            source_table=self.mapping.source_table,
        )

    def fingerprint(self) -> tuple[tuple[str, str, int], ...]:
        """(path, SHA-256, size in bytes) of each file, read once in chunks.

        For CSV the same pass checks that the text is UTF-8 (decoding in C, chunk by chunk),
        so that DuckDB never reads a file in another encoding.

        Raises
        ------
        DataContractError
            If a CSV file is not UTF-8, naming the line and column of the first bad byte.
        """
        out = []
        for path in self.files:
            h = hashlib.sha256()
            size = 0
            text = self.mapping.format == "csv"
            decoder = codecs.getincrementaldecoder("utf-8")() if text and not self.gzipped else None
            good = True
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    if decoder is not None and good:
                        good = _decodes(decoder, chunk)
            if decoder is not None and good:
                good = _decodes(decoder, b"", final=True)
            if text and self.gzipped:
                good = self._gzip_decodes(path)
            if not good:
                raise self.encoding_error()
            out.append((str(path.resolve()), h.hexdigest(), size))
        return tuple(out)

    def _gzip_decodes(self, path: Path) -> bool:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with gzip.open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    if not _decodes(decoder, chunk):
                        return False
        except (OSError, EOFError, zlib.error):
            raise self.error(
                None,
                None,
                "looks gzip-compressed but cannot be decompressed; expected a complete .gz file",
            ) from None
        return _decodes(decoder, b"", final=True)

    def duckdb_error(self, exc: duckdb.Error) -> DataContractError:
        """Turn a DuckDB CSV read error into a located error, without the offending line."""
        text = str(exc)
        if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
            return self.encoding_error()
        m = re.search(r"Line:\s*(\d+)", text)
        line = int(m.group(1)) if m else None
        loc = Location(self.files[0], line=line) if line else None
        shape = re.search(r"Expected Number of Columns:\s*(\d+)\s+Found:\s*(\d+)", text)
        if shape:
            want, found = int(shape.group(1)), int(shape.group(2))
            what = "fewer" if found < want else "more"
            return self.error(
                loc,
                None,
                f"expected {want} values separated by {_delimiter_words(self.mapping.delimiter)} "
                f"(one per header column), found {found}: the line has {what} values than the "
                "header; check for an unquoted separator or a missing value",
                expected=f"{want} values",
            )
        if "quote" in text.lower():
            return self.error(
                loc, None, 'a quoted value is not closed; expected every " to be paired'
            )
        return self.error(
            loc,
            None,
            f"not readable as CSV ({type(exc).__name__}); expected UTF-8 text with a header "
            f"line and values separated by {_delimiter_words(self.mapping.delimiter)}",
        )

    def encoding_error(self) -> DataContractError:
        """The error for a file that is not UTF-8, naming the line and column of the first bad
        byte."""
        found = _first_bad_utf8(self.files[0], self.gzipped)
        fix = (
            "wrong encoding: expected UTF-8 text; the file was probably saved as Windows-1252 "
            "or Latin-1, so save it again as UTF-8 ('CSV UTF-8' in Excel)"
        )
        if found is None:
            return self.error(None, None, fix, expected="UTF-8 text")
        line, prefix = found
        loc = Location(self.files[0], line=line)
        column = None
        cells = next(csv.reader([prefix + "x"], delimiter=self.mapping.delimiter), [""])
        position = len(cells) - 1
        if line > 1 and 0 <= position < len(self.names):
            user = self.names[position]
            column = next((c for c, u in self.present.items() if u == user), None)
            if column is None:  # a column the contract does not read: name it as the user does
                shown = self.shown_name(user)
                return DataContractError(
                    f"{loc.path.name}, line {line}, column {shown}: {fix}",
                    path=loc.path,
                    line=line,
                    column=user if shown == user else None,
                    table=self.table,
                    expected="UTF-8 text",
                )
        return self.error(loc, column, fix, expected="UTF-8 text")


#: A header cell that is a value, not a name: a number, a date or time, an LSOA code.
_VALUE_CELL = re.compile(
    r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?"
    r"|[0-9]{1,4}[-/.][0-9]{1,2}([-/.][0-9]{1,4})?([ T][0-9:.]+)?"
    r"|[0-9]{1,2}[-/. ]?[A-Za-z]{3}[-/. ]?[0-9]{2,4}"
    r"|[EW]0[0-9]{7}"
)


def header_looks_like_data(names: tuple[str, ...]) -> bool:
    """Whether a CSV file's first line holds values rather than names (a file without its
    header line): any cell is a number, a date or time, or an LSOA code.

    >>> header_looks_like_data(("person_id", "sex", "date_of_birth"))
    False
    >>> header_looks_like_data(("P001", "F", "1950-03-14", "A", "E01000471"))
    True
    """
    return any(_VALUE_CELL.fullmatch(n) for n in names)


def _no_header(contract: Contract) -> str:
    required = ", ".join(c.name for c in contract.columns if c.required)
    return (
        "Line 1 looks like a record, not a header (it holds a number, a date or a code), so "
        f"its cells are not shown; expected a header line naming the columns, e.g. {required}"
    )


def refuse_special_file(path: Path, where: str, table: str | None = None) -> None:
    """Raise for a path that exists but is not a regular file (a named pipe, socket or device):
    reading one would wait for a writer for ever, or read without end.

    Raises
    ------
    DataContractError
        Always.
    """
    raise DataContractError(
        f"{where}: {path.name} is not a regular file (a named pipe, socket or device); "
        "expected a file saved on disk",
        path=path,
        table=table,
        expected="a regular file",
    )


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter_words(d: str) -> str:
    return {",": "commas", "\t": "tabs", ";": "semicolons", "|": "bars"}.get(d, repr(d))


# -- opening ----------------------------------------------------------------------------------


def open_source(mapping: TableMapping, contract: Contract, label: str) -> Source:
    """Check a table's file exists, read its header or schema and match the contract columns.

    Parameters
    ----------
    mapping
        The table's mapping.
    contract
        Its contract.
    label
        The mapping file's name, for messages about the mapping.

    Raises
    ------
    DataContractError
        File or folder not found; empty file; a spreadsheet, UTF-16 or non-UTF-8 text; a header
        with repeated names; a required (or mapped) column missing; not a Parquet file; Parquet
        parts with different columns.
    """
    path = mapping.path
    if not path.exists():
        what = f"a {mapping.format.upper()} file"
        if mapping.format == "duckdb":
            what = f"a DuckDB database file holding table {mapping.source_table}"
        raise DataContractError(
            f"{label}, tables.{contract.name}.path: file not found: {path}; expected {what} "
            "(paths are relative to the mapping file)",
            path=path,
            table=contract.name,
            key=f"tables.{contract.name}.path",
            source_table=mapping.source_table,
        )
    if not path.is_file() and not path.is_dir():
        refuse_special_file(path, f"{label}, tables.{contract.name}.path", contract.name)
    if mapping.format == "csv":
        return _open_csv(mapping, contract)
    if mapping.format == "duckdb":
        return _open_duckdb(mapping, contract)
    return _open_parquet(mapping, contract)


def _open_csv(mapping: TableMapping, contract: Contract) -> Source:
    path = mapping.path
    if path.is_dir():
        raise DataContractError(
            f"{path.name}: is a folder; expected a CSV file", path=path, table=contract.name
        )
    with path.open("rb") as f:
        head = f.read(4)
    gzipped = head[:2] == b"\x1f\x8b"
    source = Source(mapping, contract, (path,), (), {}, {}, gzipped=gzipped)
    if gzipped:
        try:
            with gzip.open(path, "rb") as g:
                head = g.read(4)
        except (OSError, EOFError, zlib.error):
            raise source.error(
                None,
                None,
                "looks gzip-compressed but cannot be decompressed; expected a complete .gz file",
            ) from None
    if not head:
        raise source.error(None, None, "the file is empty; expected a header line")
    if head[:4] == b"PK\x03\x04":
        raise source.error(
            None,
            None,
            "is a zip archive or an Excel workbook, not CSV text; expected a CSV file (in "
            "Excel: Save As 'CSV UTF-8')",
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise source.error(
            Location(path, line=1),
            None,
            "wrong encoding: the file is UTF-16 (Excel 'Unicode Text'); expected UTF-8 text, "
            "so save it again as 'CSV UTF-8'",
            expected="UTF-8 text",
        )
    try:
        with _open_binary(path, gzipped) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            first = next(csv.reader(text, delimiter=mapping.delimiter), None)
    except UnicodeDecodeError:
        # name the bad byte's column: read the header again, replacing undecodable bytes
        with _open_binary(path, gzipped) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            first = next(csv.reader(text, delimiter=mapping.delimiter), None) or []
        source.names = tuple(cell.strip() for cell in first)
        with contextlib.suppress(DataContractError):  # a missing column is reported later
            _match_columns(source, None)
        raise source.encoding_error() from None
    except csv.Error:
        raise source.error(
            Location(path, line=1), None, "the header line is not readable as CSV"
        ) from None
    if not first or not any(cell.strip() for cell in first):
        raise source.error(
            Location(path, line=1), None, "no header; expected a header line naming the columns"
        )
    names = tuple(cell.strip() for cell in first)
    source.names = names
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            if header_looks_like_data(names):
                raise source.error(Location(path, line=1), None, _no_header(contract))
            shown = source.shown_name(name)
            raise DataContractError(
                f"{path.name}, line 1: columns {seen[name] + 1} and {i + 1} have the same name"
                f"{f' ({shown})' if shown == name else ''}; expected each column name once",
                path=path,
                line=1,
                column=name if shown == name else None,
                table=contract.name,
            )
        seen[name] = i
    source.kinds = dict.fromkeys(names, "text")
    _match_columns(source, Location(path, line=1))
    return source


def _open_parquet(mapping: TableMapping, contract: Contract) -> Source:
    path = mapping.path
    files = tuple(sorted(path.glob("*.parquet"))) if path.is_dir() else (path,)
    source = Source(mapping, contract, files, (), {}, {})
    if not files:
        raise source.error(None, None, "the folder holds no *.parquet files; expected parts")
    for f in files:
        if not f.is_file():
            refuse_special_file(f, f"{f.name}", contract.name)
    schemas: list[pa.Schema] = []
    counts = []
    for f in files:
        try:
            meta = pq.read_metadata(f)
            schemas.append(meta.schema.to_arrow_schema())
            counts.append(meta.num_rows)
        except (pa.ArrowException, OSError):
            raise DataContractError(
                f'{f.name}: not a Parquet file; expected a Parquet file, or format = "csv"',
                path=f,
                table=contract.name,
            ) from None
    names = tuple(schemas[0].names)
    for f, schema in zip(files[1:], schemas[1:], strict=True):
        if tuple(schema.names) != names:
            raise DataContractError(
                f"{f.name}: its columns differ from those of {files[0].name}; expected every "
                "part of a table to have the same columns",
                path=f,
                table=contract.name,
            )
    source.names = names
    source.kinds = {n: _arrow_kind(schemas[0].field(n).type) for n in names}
    source.rows_per_file = tuple(counts)
    _match_columns(source, None)
    return source


def _open_duckdb(mapping: TableMapping, contract: Contract) -> Source:
    """Check the file is a DuckDB database; its schema is read once it is attached."""
    path = mapping.path
    source = Source(mapping, contract, (path,), (), {}, {})
    if path.is_dir():
        raise source.error(None, None, "is a folder; expected a DuckDB database file")
    with path.open("rb") as f:
        head = f.read(12)
    if head[8:12] != _DUCKDB_MAGIC:
        raise source.error(
            None,
            None,
            "not a DuckDB database file; expected a database written by DuckDB (other "
            "databases, e.g. SQLite or PostgreSQL, are not read by the loader)",
            expected="a DuckDB database file",
        )
    return source


def attach_databases(
    con: duckdb.DuckDBPyConnection, sources: list[Source], attached: list[str]
) -> None:
    """Attach each DuckDB source file to ``con`` read-only, and read its table's columns.

    A file already attached to ``con`` (for example the database being loaded into) is read
    where it is; another is attached once, ``READ_ONLY`` and ``TYPE duckdb`` (so no extension
    is ever loaded), under an alias appended to ``attached`` for the caller to detach.

    Raises
    ------
    DataContractError
        The file cannot be opened by DuckDB; the table is not in it; a required (or mapped)
        column is missing.
    """
    databases = con.execute("SELECT database_name, path FROM duckdb_databases()").fetchall()
    names = {str(name) for name, _ in databases}
    known = {Path(str(p)).resolve(): str(name) for name, p in databases if p}
    for src in sources:
        if not src.is_database:
            continue
        key = src.files[0].resolve()
        if key not in known:
            alias = next(a for i in itertools.count() if (a := f"{_ATTACH_PREFIX}{i}") not in names)
            try:
                con.execute(f"ATTACH {lit(str(key))} AS {ident(alias)} (READ_ONLY, TYPE duckdb)")
            except duckdb.Error as exc:
                raise _attach_error(src, exc) from None
            names.add(alias)
            attached.append(alias)
            known[key] = alias
        src.catalog = known[key]
        _describe_table(con, src)


def detach_databases(con: duckdb.DuckDBPyConnection, attached: list[str]) -> None:
    """Detach the aliases :func:`attach_databases` attached."""
    for alias in attached:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DETACH {ident(alias)}")


def _attach_error(src: Source, exc: duckdb.Error) -> DataContractError:
    text = str(exc).lower()
    if "lock" in text:
        why = "it is open for writing in another program; close it there"
    elif "version" in text or "serializ" in text:
        why = "it was written by another version of DuckDB"
    else:
        why = f"DuckDB could not open it ({type(exc).__name__})"
    return src.error(
        None,
        None,
        f"cannot be read: {why}; expected a DuckDB database file this focuson can open read-only",
        expected="a readable DuckDB database file",
    )


def _describe_table(con: duckdb.DuckDBPyConnection, src: Source) -> None:
    schema, name = src.mapping.schema_and_name
    tables = [
        (str(s), str(t))
        for s, t in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = ? ORDER BY table_schema, table_name",
            [src.catalog],
        ).fetchall()
    ]
    found = next((st for st in tables if st == (schema, name)), None)
    if found is None:  # DuckDB names are case-insensitive
        folded = [
            st for st in tables if (st[0].lower(), st[1].lower()) == (schema.lower(), name.lower())
        ]
        found = folded[0] if len(folded) == 1 else None
    if found is None:
        shown = [
            t if s == "main" else f"{s}.{t}" for s, t in tables if not t.startswith("_focuson")
        ]
        listed = ", ".join(shown[:20]) + (f" and {len(shown) - 20} more" if len(shown) > 20 else "")
        raise src.error(
            None,
            None,
            f"not found; expected a table or view named {src.mapping.source_table} in the "
            f"database (give schema.name for a schema other than main). Tables found: "
            f"{listed or 'none'}",
            expected=f"a table named {src.mapping.source_table}",
        )
    src.db_object = found
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? "
        "AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [src.catalog, *found],
    ).fetchall()
    src.names = tuple(str(c) for c, _ in columns)
    src.kinds = {str(c): _duckdb_kind(str(t)) for c, t in columns}
    _match_columns(src, None)


def _duckdb_kind(t: str) -> SourceKind:
    """How a DuckDB column type arrives (anything else is cast to text and checked as text).

    >>> _duckdb_kind("DATE"), _duckdb_kind("BIGINT"), _duckdb_kind("DECIMAL(9,2)")
    ('date', 'integer', 'float')
    >>> _duckdb_kind("VARCHAR"), _duckdb_kind("TIMESTAMP WITH TIME ZONE")
    ('string', 'other')
    """
    t = t.upper()
    if t == "DATE":
        return "date"
    if t in _DUCKDB_TIMESTAMPS:
        return "timestamp"
    if t in _DUCKDB_INTEGERS:
        return "integer"
    if t in ("FLOAT", "DOUBLE") or t.startswith("DECIMAL"):
        return "float"
    if t == "VARCHAR" or t.startswith("VARCHAR("):
        return "string"
    return "other"


def _arrow_kind(t: pa.DataType) -> SourceKind:
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_timestamp(t) and t.tz is None:
        return "timestamp"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    return "other"


def _match_columns(source: Source, loc: Location | None) -> None:
    names = set(source.names)
    absent = []
    for col in source.contract.columns:
        user = source.mapping.user_name(col.name)
        if user not in names and source.is_database:  # DuckDB names are case-insensitive
            folded = [n for n in source.names if n.lower() == user.lower()]
            user = folded[0] if len(folded) == 1 else user
        if user in names:
            source.present[col.name] = user
        elif col.required or col.name in source.mapping.columns:
            how = (
                f"mapped to {col.name} in the mapping file"
                if col.name in source.mapping.columns
                else f"the contract name; map your column to {col.name} under "
                f"[tables.{source.table}.columns] if it has another name"
            )
            text = f"missing; expected a column named {user} ({how})"
            if source.mapping.format == "csv" and header_looks_like_data(source.names):
                text += ". " + _no_header(source.contract)
            else:
                close = [n for n in source.names if n.lower() == user.lower()]
                hint = f" (did you mean {close[0]}?)" if close else ""
                text += f"{hint}. Columns found: {source.found_names()}"
            raise source.error(loc, col.name, text, expected=f"a column named {user}")
        else:
            absent.append(col.name)
    source.absent = tuple(absent)


# -- locating records on the error path ------------------------------------------------------


def _open_binary(path: Path, gzipped: bool) -> BinaryIO:
    if gzipped:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _csv_lines(path: Path, gzipped: bool, delimiter: str, records: set[int]) -> dict[int, int]:
    """The 1-based line each wanted 0-based data record starts on (blank lines skipped, as
    DuckDB skips them). Streams the file up to the last wanted record.

    Fast path: when the bytes up to the last wanted record hold no quote and no blank line,
    every line is one record and record r is on line r + 2 (checked on the bytes, in C). Else
    the file is parsed with the csv module up to that record.
    """
    found: dict[int, int] = {}
    if not records:
        return found
    if _plain_prefix(path, gzipped, max(records) + 2):
        return {r: r + 2 for r in records}
    last = max(records)
    try:
        with _open_binary(path, gzipped) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(text, delimiter=delimiter)
            next(reader, None)
            previous, count = reader.line_num, 0
            for row in reader:
                if row:
                    if count in records:
                        found[count] = previous + 1
                    if count >= last:
                        break
                    count += 1
                previous = reader.line_num
    except csv.Error:  # a field beyond the csv module's size limit: fall back to record numbers
        return {}
    return found


def _plain_prefix(path: Path, gzipped: bool, lines: int) -> bool:
    """Whether the first ``lines`` lines of a file hold no quote and no blank line."""
    seen = 0
    last = b"\n"  # the byte before the current chunk (a file may not start with a blank line)
    with _open_binary(path, gzipped) as f:
        while chunk := f.read(_CHUNK):
            n = chunk.count(b"\n")
            if seen + n >= lines:  # cut the chunk after the wanted line's newline
                end = -1
                for _ in range(lines - seen):
                    end = chunk.find(b"\n", end + 1)
                chunk = chunk[: end + 1]
            text = last + chunk
            if b'"' in chunk or b"\n\n" in text or b"\n\r\n" in text:
                return False
            seen += chunk.count(b"\n")
            if seen >= lines:
                return True
            last = chunk[-2:]
    return False


def _first_bad_utf8(path: Path, gzipped: bool) -> tuple[int, str] | None:
    """The line of the first byte that is not UTF-8, and the text of that line before it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    tail = b""  # the bytes of the current line read before this chunk
    with _open_binary(path, gzipped) as f:
        while chunk := f.read(_CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = exc.start - pending  # negative: the bad sequence began in the last chunk
                before = tail + chunk[:at] if at >= 0 else tail[: len(tail) + at]
                line = lines + (chunk[:at].count(b"\n") if at > 0 else 0) + 1
                prefix = before[before.rfind(b"\n") + 1 :]
                return line, prefix.decode("utf-8", errors="replace")
            lines += chunk.count(b"\n")
            cut = chunk.rfind(b"\n")
            tail = chunk[cut + 1 :] if cut >= 0 else (tail + chunk)[-_CHUNK:]
    try:
        decoder.decode(b"", True)
    except UnicodeDecodeError:  # the file ends inside a multi-byte character
        return lines + 1, tail.decode("utf-8", errors="replace")
    return None
