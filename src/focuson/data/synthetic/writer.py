"""Chunked Parquet output: one open :class:`pyarrow.parquet.ParquetWriter` per table.

Each block of people is written as one row group per table and then dropped, so memory does
not grow with the scale. Files are written under a ``.partial`` name and renamed only when
every table is complete: an interrupted run leaves no table that looks finished.

Categorical text columns are built as dictionary arrays (fast, small) and stored without the
Arrow schema, so every reader sees plain ``string`` columns; dates are ``date32``, timestamps
``timestamp[us]``, ids ``int64``, empty values null.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

PARTIAL = ".partial"


def logical_schema(schema: pa.Schema) -> pa.Schema:
    """The schema readers see: dictionary columns as plain strings.

    >>> logical_schema(pa.schema([("sex", pa.dictionary(pa.int32(), pa.string()))]))
    sex: string
    """
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
            for f in schema
        ]
    )


class ParquetTables:
    """Writers for several tables in one folder, used as a context manager.

    Parameters
    ----------
    folder
        Where ``<table>.parquet`` files go (created if missing).
    schemas
        Table name -> the schema of the Arrow tables passed to :meth:`write`.
    compression
        Parquet compression codec.

    Examples
    --------
    >>> import tempfile
    >>> schema = pa.schema([("x", pa.int64())])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with ParquetTables(Path(tmp), {"t": schema}) as out:
    ...         out.write("t", pa.table({"x": [1, 2]}, schema=schema))
    ...         out.write("t", pa.table({"x": [3]}, schema=schema))
    ...     pq.read_table(Path(tmp) / "t.parquet").num_rows, out.rows
    (3, {'t': 3})
    """

    def __init__(
        self, folder: Path, schemas: dict[str, pa.Schema], *, compression: str = "zstd"
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.paths = {name: folder / f"{name}.parquet" for name in schemas}
        self.rows = dict.fromkeys(schemas, 0)
        self._writers = {
            name: pq.ParquetWriter(
                str(self.paths[name]) + PARTIAL,
                schema,
                compression=compression,
                store_schema=False,
            )
            for name, schema in schemas.items()
        }

    def write(self, name: str, table: pa.Table) -> None:
        """Append ``table`` to table ``name`` as one row group."""
        self._writers[name].write_table(table, row_group_size=max(table.num_rows, 1))
        self.rows[name] += table.num_rows

    def __enter__(self) -> ParquetTables:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for writer in self._writers.values():
            writer.close()
        for path in self.paths.values():
            partial = Path(str(path) + PARTIAL)
            if kind is None:
                partial.replace(path)
            else:
                partial.unlink(missing_ok=True)


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
