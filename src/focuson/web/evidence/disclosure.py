"""Disclosure control checked again on the way in: no published count may be 1 to 7.

A run publishes counts of people as 0, or 8 and over (rounded to 5); 1 to 7 are suppressed
(``docs/disclosure.md``). A file holding a count of 1-7 was not written by focuson's disclosure
control, or was changed after it, and is refused whole. Messages name the file, the column and
the row, never the value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from focuson.web.evidence.folder import ImportRefusedError

#: The columns of each table that count people or events (``docs/outputs.md``).
COUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "findings.parquet": ("numerator", "denominator", "excess", "people_to_standard"),
    "levels.parquet": ("numerator", "denominator", "excess"),
    "gaps.parquet": ("people",),
    "alerts.parquet": ("people",),
}
#: The smallest count the rule publishes other than 0.
SMALLEST_PUBLISHED = 8


def small_counts(frame: pd.DataFrame, columns: tuple[str, ...]) -> tuple[str, int] | None:
    """The first count column and row (0-based) holding a count above 0 and below 8, if any.

    Examples
    --------
    >>> frame = pd.DataFrame({"numerator": [0.0, 10.0, np.nan], "denominator": [20, 3, 0]})
    >>> small_counts(frame, ("numerator", "denominator"))
    ('denominator', 1)
    >>> small_counts(frame, ("numerator",)) is None
    True
    """
    for column in columns:
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero((values > 0) & (values < SMALLEST_PUBLISHED))
        if bad.size:
            return column, int(bad[0])
    return None


def check_counts(frame: pd.DataFrame, path: Path) -> None:
    """Refuse ``frame`` (read from ``path``) if any count column holds a count of 1-7.

    Raises
    ------
    ImportRefusedError
        Naming the file, the column and the row (counted from 1), not the value.
    """
    columns = COUNT_COLUMNS.get(path.name, ())
    found = small_counts(frame, columns)
    if found is not None:
        column, row = found
        raise ImportRefusedError(
            f"{path}: column {column!r}, row {row + 1}, holds a count between 1 and 7 that "
            "disclosure control should have suppressed. Nothing was imported: run focuson again "
            "to publish the results through disclosure control, and import that folder."
        )
