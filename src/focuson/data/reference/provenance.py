"""Where a reference table came from: the result type of every loader in this package.

A :class:`ReferenceTable` pairs the loaded :class:`pandas.DataFrame` with its
:class:`Provenance`: the files read (path, size and SHA-256 of the bytes as stored), the
publisher, the release (e.g. ``"IoD2019"``), the LSOA vintage of the codes (2011 or 2021) and the
vintages of the other geographies, the row count, the licence and notes on what the file does
and does not hold. Outputs built from a reference table should carry its provenance along, so a
result always says which IMD release and LSOA vintage it used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

OGL_V3 = "Open Government Licence v3.0"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0"
)


@dataclass(frozen=True)
class SourceFile:
    """One file a table was read from.

    Attributes
    ----------
    path
        The absolute path of the file, as read.
    sha256
        The SHA-256 of the file's bytes as stored (compressed bytes for a ``.gz`` file), in hex.
    size_bytes
        The size of the file in bytes.
    """

    path: str
    sha256: str
    size_bytes: int

    @classmethod
    def from_bytes(cls, path: Path, data: bytes) -> SourceFile:
        """Describe ``path`` from the bytes already read from it.

        >>> SourceFile.from_bytes(Path("/tmp/x.csv"), b"abc").sha256[:12]
        'ba7816bf8f01'
        """
        return cls(str(path.resolve()), hashlib.sha256(data).hexdigest(), len(data))

    @property
    def name(self) -> str:
        """The file name without its folder."""
        return Path(self.path).name


@dataclass(frozen=True)
class Provenance:
    """What a reference table was loaded from and which releases and vintages it holds.

    Attributes
    ----------
    dataset
        A plain-English name of the dataset and the layout read, e.g.
        ``"English Indices of Deprivation 2019 (File 2 + File 6)"``.
    publisher
        The body that publishes the data, e.g. ``"Office for National Statistics (ONS)"``.
    release
        The release, e.g. ``"IoD2019"``, ``"IoD2025"``, ``"Census 2021"``, ``"mid-2020"``.
    lsoa_vintage
        The LSOA vintage (2011 or 2021) of the LSOA codes in the table; for a 2011 -> 2021
        lookup, the vintage it maps from. ``None`` when the table has no LSOA codes.
    rows
        The number of rows in the source file(s) (data lines, not the header).
    files
        The files read, each with its SHA-256.
    geography_vintages
        ``(geography, year)`` pairs for every geography code in the table, e.g.
        ``(("lsoa", 2011), ("lad", 2019))``.
    licence
        The licence of the data.
    notes
        What a user should know: derived columns, columns ignored, what the file lacks.
    """

    dataset: str
    publisher: str
    release: str
    lsoa_vintage: int | None
    rows: int
    files: tuple[SourceFile, ...]
    geography_vintages: tuple[tuple[str, int], ...] = ()
    licence: str = OGL_V3
    notes: tuple[str, ...] = field(default=())

    @property
    def path(self) -> str:
        """The path of the (first) file read."""
        return self.files[0].path

    @property
    def sha256(self) -> str:
        """The SHA-256 of the (first) file read."""
        return self.files[0].sha256

    def vintage(self, geography: str) -> int | None:
        """The vintage of one geography (``"lsoa"``, ``"lad"``, ``"ward"``, ``"icb"``...)."""
        return dict(self.geography_vintages).get(geography)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary, to store next to any output built from the table."""
        return {
            "dataset": self.dataset,
            "publisher": self.publisher,
            "release": self.release,
            "lsoa_vintage": self.lsoa_vintage,
            "rows": self.rows,
            "files": [
                {"path": f.path, "sha256": f.sha256, "size_bytes": f.size_bytes} for f in self.files
            ],
            "geography_vintages": dict(self.geography_vintages),
            "licence": self.licence,
            "notes": list(self.notes),
        }

    def describe(self) -> str:
        """One line for a report footer: dataset, release, vintage, files and their hashes."""
        vintage = f", LSOA {self.lsoa_vintage}" if self.lsoa_vintage else ""
        files = "; ".join(f"{f.name} (sha256 {f.sha256[:12]})" for f in self.files)
        return (
            f"{self.dataset}, {self.release}{vintage}, {self.publisher}, {self.licence}: "
            f"{self.rows:,} rows from {files}"
        )


@dataclass(frozen=True)
class ReferenceTable:
    """A loaded reference table and where it came from.

    Attributes
    ----------
    frame
        The table, with columns in the focuson schema (snake_case: ``lsoa_code``,
        ``lsoa_vintage``, ``imd_rank``...). Treat it as read-only: copy before changing it.
    provenance
        The files, release and vintages behind it.
    """

    frame: pd.DataFrame
    provenance: Provenance

    def __len__(self) -> int:
        return len(self.frame)
