"""Shared input handling for the summary measures of inequality (settings x subgroups)."""

from __future__ import annotations

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
