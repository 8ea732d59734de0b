"""Shared input handling for the summary measures of inequality (settings x subgroups)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import describe_groups

Matrix = NDArray[np.float64]


def as_matrix(name: str, values: ArrayLike) -> Matrix:
    """Return ``values`` as a float (settings x subgroups) matrix; a 1-d input is one setting."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {values!r:.80}") from exc
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected settings x subgroups (2-d), got shape {arr.shape}")
    return arr


def same_shape(**matrices: Matrix | None) -> tuple[int, int]:
    """Check that every given matrix has the same (settings, subgroups) shape."""
    given = {k: m.shape for k, m in matrices.items() if m is not None}
    if len(set(given.values())) > 1:
        listed = ", ".join(f"{k} is {s[0]}x{s[1]}" for k, s in given.items())
        raise ValueError(f"arguments must be settings x subgroups of one shape, but {listed}")
    return next(iter(given.values()))


def per_setting(name: str, values: ArrayLike, settings: int) -> NDArray[np.float64]:
    """A per-setting parameter (scalar or one value per setting) as a length-``settings`` array."""
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size == 1:
        return np.full(settings, arr[0])
    if arr.size != settings:
        raise ValueError(
            f"{name}: expected one value or {settings} (one per setting), got {arr.size}"
        )
    return arr


def check_population(pop: Matrix) -> None:
    """Populations: finite, not negative, not all zero within a setting (zeros allowed)."""
    bad = np.asarray(~np.isfinite(pop) | (pop < 0))
    if bad.any():
        rows = describe_groups(np.asarray(bad.any(axis=1))).replace("group", "setting")
        raise ValueError(f"pop: must be finite and not negative; not so in {rows}")
    empty = np.asarray(pop.sum(axis=1) == 0)
    if empty.any():
        rows = describe_groups(empty).replace("group", "setting")
        raise ValueError(f"pop: every subgroup has zero population in {rows}")


def population_share(pop: Matrix) -> Matrix:
    """p_j = n_j / N within each setting."""
    return pop / pop.sum(axis=1, keepdims=True)


def weighted_mean(y: Matrix, pop: Matrix) -> NDArray[np.float64]:
    """Population-weighted mean per setting, mu = sum p_j y_j, ignoring NaN subgroups."""
    present = ~np.isnan(y)
    w = np.where(present, pop, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((np.where(present, y, 0.0) * w).sum(axis=1) / w.sum(axis=1))


#: The healthequal release whose behaviour (defects included) ``compat=`` reproduces.
COMPAT = "healthequal-1.0.1"
Compat = Literal["healthequal-1.0.1"] | None


def compat_mode(compat: str | None) -> bool:
    """True in ``healthequal-1.0.1`` compatibility mode; reject any other value."""
    if compat is None:
        return False
    if compat != COMPAT:
        raise ValueError(f"compat: expected None or {COMPAT!r}, got {compat!r}")
    return True


def describe_settings(bad: ArrayLike) -> str:
    """Name offending settings (rows) by 0-based position, e.g. ``"settings 0, 3"``."""
    return describe_groups(np.asarray(bad, dtype=bool)).replace("group", "setting")


def describe_cells(bad: NDArray[np.bool_]) -> str:
    """Name the settings and subgroups holding offending cells: ``"setting 2 (subgroups 0, 4)"``."""
    cols = describe_groups(np.asarray(bad.any(axis=0))).replace("group", "subgroup")
    return f"{describe_settings(bad.any(axis=1))} ({cols})"


def flags(name: str, values: ArrayLike, settings: int) -> NDArray[np.bool_]:
    """A 0/1 (or False/True) flag per setting, e.g. ``favourable``."""
    try:
        arr = per_setting(name, np.asarray(values, dtype=np.float64), settings)
    except (TypeError, ValueError) as exc:
        if str(exc).startswith(f"{name}:"):
            raise
        raise ValueError(f"{name}: expected 0/1 (False/True) values, got {values!r:.80}") from exc
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        raise ValueError(f"{name}: must be 0/1 (False/True); not so in {describe_settings(bad)}")
    return np.asarray(arr == 1.0)
