"""Vectorised sampling and date helpers shared by the generator's modules.

Dates are held as ``int64`` day numbers since 1970-01-01 (what Arrow's ``date32`` stores) and
months as month numbers since 1970-01 (January 1970 = 0), so every step is numpy arithmetic on
whole arrays; nothing loops over people or rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.integer[Any]]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01.

    >>> day_number(date(1970, 1, 2))
    1
    """
    return (d - _EPOCH).days


def from_day_number(n: int) -> date:
    """The date of a day number.

    >>> from_day_number(19448)
    datetime.date(2023, 4, 1)
    """
    return _EPOCH + timedelta(days=int(n))


def month_of_day(days: npt.ArrayLike) -> IntArray:
    """Month numbers (January 1970 = 0) of day numbers.

    >>> month_of_day([0, 31, 19448]).tolist()
    [0, 1, 639]
    """
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return d.astype("datetime64[M]").astype(np.int64)


def first_day_of_month(months: npt.ArrayLike) -> IntArray:
    """Day numbers of the first day of month numbers.

    >>> first_day_of_month([0, 1, 639]).tolist()
    [0, 31, 19448]
    """
    m = np.asarray(months, dtype=np.int64).astype("datetime64[M]")
    return m.astype("datetime64[D]").astype(np.int64)


@dataclass(frozen=True)
class Window:
    """The months of activity generated.

    Attributes
    ----------
    start
        The first day (the first of a month).
    months
        The number of whole months.

    Examples
    --------
    >>> w = Window(date(2023, 4, 1), 24)
    >>> w.end, w.as_of, w.start_day, w.end_day - w.start_day
    (datetime.date(2025, 4, 1), datetime.date(2025, 3, 31), 19448, 731)
    >>> w.month_index([w.start_day, w.end_day - 1]).tolist()
    [0, 23]
    """

    start: date
    months: int

    @property
    def start_month(self) -> int:
        """Month number of the first month."""
        return (self.start.year - 1970) * 12 + self.start.month - 1

    @property
    def start_day(self) -> int:
        """Day number of the first day."""
        return day_number(self.start)

    @property
    def end_day(self) -> int:
        """Day number of the first day after the window."""
        return int(first_day_of_month([self.start_month + self.months])[0])

    @property
    def end(self) -> date:
        """The first day after the window (exclusive end)."""
        return from_day_number(self.end_day)

    @property
    def as_of(self) -> date:
        """The last day of the window: no date in the data is later."""
        return from_day_number(self.end_day - 1)

    def month_start(self, month: int) -> date:
        """The first day of window month ``month`` (0-based)."""
        return from_day_number(int(first_day_of_month([self.start_month + month])[0]))

    def month_index(self, days: npt.ArrayLike) -> IntArray:
        """Months since the window's first month (0 for the first month)."""
        return month_of_day(days) - self.start_month


def categorical_rows(
    rng: np.random.Generator, cdf_flat: FloatArray, k: int, rows: IntArray
) -> IntArray:
    """Draw one category per row index from per-row distributions, in one vectorised step.

    Parameters
    ----------
    rng
        The random generator.
    cdf_flat
        From :func:`stacked_cdf`: the cumulative distributions of R rows of K categories,
        each offset by its row number and flattened.
    k
        The number of categories K.
    rows
        For each draw, the row (distribution) to draw from.

    Returns
    -------
    numpy.ndarray
        Category indices in ``0..K-1``.

    Examples
    --------
    >>> cdf = stacked_cdf(np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> categorical_rows(np.random.default_rng(1), cdf, 2, np.array([0, 1, 1, 0])).tolist()
    [0, 1, 1, 0]
    """
    rows = np.asarray(rows, dtype=np.int64)
    u = rng.random(rows.shape[0])
    pos = np.searchsorted(cdf_flat, rows + u, side="right")
    return np.clip(pos - rows * k, 0, k - 1)


def stacked_cdf(weights: npt.ArrayLike) -> FloatArray:
    """Row-normalised cumulative distributions, offset by row number and flattened.

    Rows with no weight get all their mass on the last category.

    >>> stacked_cdf([[1, 1], [0, 2]]).tolist()
    [0.5, 1.0, 1.0, 2.0]
    """
    w = np.asarray(weights, dtype=np.float64)
    totals = w.sum(axis=1, keepdims=True)
    empty = totals[:, 0] <= 0
    w = np.where(empty[:, None], 0.0, w)
    w[empty, -1] = 1.0
    cdf = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
    cdf[:, -1] = 1.0
    return (cdf + np.arange(w.shape[0])[:, None]).ravel()


def band_index(values: npt.ArrayLike, lower_bounds: npt.ArrayLike) -> IntArray:
    """The band of each value, for bands given by their lower bounds (the first is the minimum).

    >>> band_index([0, 15, 16, 90], [0, 16, 65]).tolist()
    [0, 0, 1, 2]
    """
    return np.searchsorted(np.asarray(lower_bounds), np.asarray(values), side="right") - 1


def within(rng: np.random.Generator, n: int, low: int, high: int, a: float, b: float) -> IntArray:
    """Whole numbers in ``[low, high]`` shaped by a Beta(a, b) distribution.

    >>> x = within(np.random.default_rng(0), 1000, 3, 28, 2.0, 2.0)
    >>> int(x.min()) >= 3 and int(x.max()) <= 28
    True
    """
    return low + np.floor(rng.beta(a, b, n) * (high - low + 1)).astype(np.int64).clip(0, high - low)


def beyond(rng: np.random.Generator, n: int, low: int, mean_excess: float, cap: int) -> IntArray:
    """Whole numbers from ``low`` up with an exponential tail of mean ``mean_excess``, capped.

    >>> x = beyond(np.random.default_rng(0), 1000, 127, 90.0, 700)
    >>> int(x.min()) >= 127 and int(x.max()) <= 700
    True
    """
    return np.minimum(low + np.floor(rng.exponential(mean_excess, n)).astype(np.int64), cap)
