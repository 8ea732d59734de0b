"""The four Making Data Count special-cause rules, on flattened series cut into segments.

Each rule looks at windows of consecutive points inside one segment (a series, or a rebase group
of it): windows never cross a rebase or a series boundary. Window sums are differences of
cumulative sums, so a rule costs a few numpy passes whatever the number of series.
A missing value (NaN) breaks every window it is in.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from focuson.spc.limits import Segments, segments

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def window_sum(flags: BoolArray, length: int) -> IntArray:
    """Number of true ``flags`` in the window of ``length`` points ending at each point.

    Windows that start before the array are counted from its start.

    >>> window_sum(np.array([True, True, False, True]), 2).tolist()
    [1, 2, 1, 1]
    """
    c = np.concatenate(([0], np.cumsum(flags, dtype=np.intp)))
    idx = np.arange(flags.shape[0])
    return c[idx + 1] - c[np.maximum(idx + 1 - length, 0)]


def part_of(ends: BoolArray, length: int) -> BoolArray:
    """Points covered by a qualifying window of ``length`` points, given where windows end.

    A point is covered when a qualifying window ends at it or at one of the next
    ``length - 1`` points (the window then reaches back over it).

    >>> part_of(np.array([0, 0, 0, 1, 0, 0], dtype=bool), 3).astype(int).tolist()
    [0, 1, 1, 1, 0, 0]
    """
    c = np.concatenate(([0], np.cumsum(ends, dtype=np.intp)))
    idx = np.arange(ends.shape[0])
    return (c[np.minimum(idx + length, ends.shape[0])] - c[idx]) > 0


def run_ends(up: BoolArray, down: BoolArray, s: Segments, length: int) -> BoolArray:
    """Windows of ``length`` points inside one segment where all ``up`` or all ``down`` hold."""
    full = s.pos >= length - 1
    return full & ((window_sum(up, length) == length) | (window_sum(down, length) == length))


def shift(relative: FloatArray, s: Segments, length: int = 7) -> BoolArray:
    """Points in a run of ``length`` or more on the same side of the mean.

    ``relative`` is ``sign(y - mean)``; a point on the mean (0) or missing (NaN) breaks the run.

    >>> s = segments_of(9)
    >>> shift(np.array([1.0] * 8 + [-1.0]), s).astype(int).tolist()
    [1, 1, 1, 1, 1, 1, 1, 1, 0]
    """
    return part_of(run_ends(relative == 1, relative == -1, s, length), length)


def trend(values: FloatArray, s: Segments, length: int = 7) -> tuple[BoolArray, FloatArray]:
    """Points in a run of ``length`` or more points each strictly above (or below) the last.

    Returns the flag and ``slope``, the direction NHSRplotthedots colours a trend point with:
    the step to the next point when that point is in a trend too, otherwise the step from the
    previous point. A tie or a missing value breaks the trend.

    >>> flag, slope = trend(np.array([2.0, 1, 2, 3, 4, 5, 6, 7, 3]), segments_of(9))
    >>> flag.astype(int).tolist(), slope[flag].tolist()
    ([0, 1, 1, 1, 1, 1, 1, 1, 0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    """
    previous = np.concatenate(([np.nan], values[:-1]))
    with np.errstate(invalid="ignore"):
        step = np.where(s.pos > 0, np.sign(values - previous), 0.0)
    steps = length - 1
    full = s.pos >= steps
    ends = full & (
        (window_sum(step == 1, steps) == steps) | (window_sum(step == -1, steps) == steps)
    )
    flag = part_of(ends, steps + 1)
    next_flag = np.concatenate((flag[1:], [False]))
    next_same = np.concatenate((s.pos[1:] > 0, [False]))
    next_step = np.concatenate((step[1:], [0.0]))
    slope = np.where(flag & next_flag & next_same, next_step, step)
    return flag, slope


def two_in_three(beyond: BoolArray, relative: FloatArray, s: Segments) -> BoolArray:
    """Points beyond a two-sigma line in a window of 3 with 2 or more such points.

    All three points of the window must be on the same side of the mean (a point on the mean
    or missing breaks it); only the ``beyond`` points of the window are flagged.

    >>> s = segments_of(5)
    >>> beyond = np.array([1, 0, 0, 1, 1], dtype=bool)
    >>> two_in_three(beyond, np.ones(5), s).astype(int).tolist()
    [0, 0, 0, 1, 1]
    """
    same_side = run_ends(relative == 1, relative == -1, s, 3)
    ends = same_side & (window_sum(beyond, 3) >= 2) & (s.pos >= 2)
    return part_of(ends, 3) & beyond


def segments_of(n: int) -> Segments:
    """One segment of ``n`` points (for examples and tests)."""
    return segments(np.zeros((1, n), dtype=bool))
