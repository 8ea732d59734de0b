"""Input checks shared by every statistic.

The reference packages (PHEindicatormethods, healthequal) reject the same bad inputs: negative
counts, numerators above denominators, mismatched lengths, confidence levels outside [0.9, 1].
focuson raises one ``ValueError`` that names the argument and the offending groups (by position),
so a user can find the row in their own table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def describe_groups(bad: BoolArray, limit: int = 5) -> str:
    """Name the offending groups by their 0-based position, e.g. ``"groups 2, 7 (and 3 more)"``."""
    where = np.flatnonzero(bad)
    shown = ", ".join(str(i) for i in where[:limit])
    more = f" (and {where.size - limit} more)" if where.size > limit else ""
    noun = "group" if where.size == 1 else "groups"
    return f"{noun} {shown}{more}"


def as_float(name: str, values: ArrayLike) -> FloatArray:
    """Return ``values`` as a 1-d float array; ``None`` and NaN both mean missing."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {values!r:.80}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected one value per group (1-d), got shape {arr.shape}")
    return arr


def same_length(**arrays: FloatArray) -> int:
    """Check that every argument has one element per group; return the number of groups."""
    lengths = {name: arr.shape[0] for name, arr in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"arguments must have one value per group, but {listed}")
    return next(iter(lengths.values()), 0)


def broadcast(**arrays: FloatArray) -> tuple[FloatArray, ...]:
    """Broadcast scalars (length 1) against per-group arrays; reject other mismatches."""
    n = max((a.shape[0] for a in arrays.values()), default=0)
    out = []
    for name, arr in arrays.items():
        if arr.shape[0] == n:
            out.append(arr)
        elif arr.shape[0] == 1:
            out.append(np.broadcast_to(arr, (n,)))
        else:
            listed = ", ".join(f"{k} has {v.shape[0]}" for k, v in arrays.items())
            raise ValueError(f"{name}: expected {n} values (one per group) or one, but {listed}")
    return tuple(out)


def non_negative(name: str, arr: FloatArray) -> None:
    """Reject negative values (NaN is allowed: it means missing)."""
    bad = arr < 0
    if bad.any():
        raise ValueError(f"{name}: must not be negative; negative in {describe_groups(bad)}")


def finite_where_present(name: str, arr: FloatArray) -> None:
    """Reject infinities (NaN still means missing)."""
    bad = np.isinf(arr)
    if bad.any():
        raise ValueError(f"{name}: must be finite; infinite in {describe_groups(bad)}")


def not_above(name: str, arr: FloatArray, limit_name: str, limit: FloatArray) -> None:
    """Reject ``arr > limit`` group by group, e.g. a numerator above its denominator."""
    bad = arr > limit
    if bad.any():
        raise ValueError(
            f"{name}: must not be above {limit_name}; "
            f"{name} > {limit_name} in {describe_groups(bad)}"
        )


def confidence_levels(confidence: float | Sequence[float]) -> tuple[float, ...]:
    """Normalise confidence levels the way PHEindicatormethods does.

    Levels may be given as fractions in [0.9, 1] or as percentages in [90, 100]; percentages are
    divided by 100. Duplicates are removed and the order kept.

    >>> confidence_levels(95)
    (0.95,)
    >>> confidence_levels([0.95, 99.8])
    (0.95, 0.998)
    """
    levels: Iterable[float] = (
        list(confidence) if isinstance(confidence, Sequence | np.ndarray) else [confidence]
    )
    out: list[float] = []
    for level in levels:
        value = float(level)
        if not np.isfinite(value) or value < 0.9 or 1 < value < 90 or value > 100:
            raise ValueError(
                f"confidence: {level!r} is outside the allowed range; give a level between "
                "0.9 and 1 (or between 90 and 100), e.g. 0.95 or 0.998"
            )
        value = value / 100 if value >= 90 else value
        if value not in out:
            out.append(value)
    if not out:
        raise ValueError("confidence: give at least one level, e.g. 0.95")
    return tuple(out)


def positive_number(name: str, value: float) -> None:
    """Refuse a multiplier or reference value that is not a positive, finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected a number, got {value!r:.40}") from exc
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name}: must be a positive number, got {value!r}")


def number_label(value: float) -> str:
    """A number as R's ``format(scientific = FALSE)`` prints it: ``100000``, ``1``, ``0.5``."""
    return np.format_float_positional(float(value), trim="-")
