"""Long inputs: one row per (group, band), with integer group codes 0 .. G-1.

The engine hands over aggregates with dense group codes (e.g. borough x decile x sex as 0..239);
statistics that sum over bands (DSR, ISR, life expectancy, quantiles) reduce rows to groups with
``np.bincount``, so there is never a Python loop over groups.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import as_float, describe_groups

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


def group_codes(
    name: str, group: ArrayLike | None, size: int, n_groups: int | None = None
) -> tuple[IntArray, int]:
    """Validate integer group codes (one per row); return them and the number of groups.

    ``None`` puts every row in group 0. The number of groups is the largest code plus one, or
    ``n_groups`` when given (so trailing codes with no rows still get an output element).

    >>> codes, n = group_codes("group", [0, 2, 2], 3)
    >>> codes.tolist(), n
    ([0, 2, 2], 3)
    >>> group_codes("group", None, 2)[1]
    1
    """
    if group is None:
        codes: IntArray = np.zeros(size, dtype=np.intp)
        needed = 1 if size else 0
    else:
        arr = as_float(name, group)
        if arr.shape[0] != size:
            raise ValueError(f"{name}: expected one code per row ({size} rows), got {arr.shape[0]}")
        bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.floor(arr))
        if bad.any():
            raise ValueError(
                f"{name}: codes must be whole numbers 0, 1, 2, ...; bad in "
                f"{describe_rows(np.flatnonzero(bad))}"
            )
        codes = arr.astype(np.intp)
        needed = int(codes.max()) + 1 if size else 0
    if n_groups is None:
        return codes, needed
    if n_groups < needed:
        raise ValueError(f"n_groups: {n_groups} is too few for group codes up to {needed - 1}")
    return codes, int(n_groups)


def group_sum(codes: ArrayLike, weights: ArrayLike, size: int) -> FloatArray:
    """Sum ``weights`` by code (``np.bincount``), as floats, for ``size`` codes."""
    return np.bincount(np.asarray(codes), np.asarray(weights), size).astype(np.float64, copy=False)


def describe_rows(rows: IntArray, limit: int = 3) -> str:
    """``"row 4"``, ``"rows 1, 7, 9 and 2 more"`` (0-based positions)."""
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {rows.size - limit} more" if rows.size > limit else ""
    return f"{'row' if rows.size == 1 else 'rows'} {shown}{more}"


def where_rows(bad: BoolArray, codes: IntArray, n_groups: int) -> str:
    """Name the groups holding the offending rows, and the first rows: ``"group 3 (row 57)"``."""
    in_group = np.zeros(n_groups, dtype=bool)
    in_group[codes[bad]] = True
    return f"{describe_groups(in_group)} ({describe_rows(np.flatnonzero(bad))})"


def check_rows(
    name: str, arr: FloatArray, codes: IntArray, n_groups: int, *, missing_ok: bool
) -> None:
    """Refuse negative or infinite values (and missing ones unless ``missing_ok``), by group."""
    for bad, what in (
        (np.isnan(arr) & (not missing_ok), "must not be missing; missing"),
        (arr < 0, "must not be negative; negative"),
        (np.isinf(arr), "must be finite; infinite"),
    ):
        if bad.any():
            raise ValueError(f"{name}: {what} in {where_rows(bad, codes, n_groups)}")
