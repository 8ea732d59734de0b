"""XmR centre line and process limits per (series, rebase group), as NHSRplotthedots 0.2.2.

Every series of a matrix is cut into *segments*: a new segment starts at the first point of each
series and at each rebase position. All the arithmetic is done on the flattened matrix with
``np.bincount`` over segment ids, so thousands of series are one pass of numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: 3 / d2 for subgroups of 2 (d2 = 1.128), rounded to 2.66 as Making Data Count does.
LIMIT = 2.66
#: The "two sigma" line: two thirds of the way to the limit, as NHSRplotthedots computes it.
LIMIT_CLOSE = 2 * (LIMIT / 3)
#: D4 for subgroups of 2: moving ranges at or above 3.267 x their average are screened out.
SCREEN = 3.267


@dataclass(frozen=True)
class Segments:
    """Where each point of a flattened ``(n_series, n_points)`` matrix sits.

    Attributes
    ----------
    seg
        Segment id of each flat point (segments are contiguous and numbered in order).
    pos
        0-based position of each flat point within its segment.
    start
        Flat index of the first point of each segment.
    size
        Number of points (missing values included) in each segment.
    """

    seg: IntArray
    pos: IntArray
    start: IntArray
    size: IntArray

    @property
    def count(self) -> int:
        """Number of segments."""
        return int(self.start.shape[0])


def segments(starts: BoolArray) -> Segments:
    """Segments from a ``(n_series, n_points)`` mask of rebase positions.

    The first point of every series always starts a segment, whatever the mask says there.

    >>> s = segments(np.array([[False, False, True, False], [False, True, False, False]]))
    >>> s.seg.tolist(), s.pos.tolist(), s.size.tolist()
    ([0, 0, 1, 1, 2, 3, 3, 3], [0, 1, 0, 1, 0, 0, 1, 2], [2, 2, 1, 3])
    """
    begin = starts.copy()
    if begin.shape[1]:
        begin[:, 0] = True
    flat = begin.ravel()
    seg = np.cumsum(flat, dtype=np.intp) - 1
    start = np.flatnonzero(flat)
    size = np.diff(np.append(start, flat.shape[0]))
    pos = np.arange(flat.shape[0], dtype=np.intp) - start[seg]
    return Segments(seg=seg, pos=pos, start=start, size=size)


def segment_mean(values: FloatArray, s: Segments) -> FloatArray:
    """Mean of the non-missing ``values`` of each segment, NaN for a segment with none.

    Two passes like R's ``mean()`` (sum / n, then the mean residual is added), so a constant
    segment has exactly its constant as mean and no point is spuriously above or below it.

    >>> s = segments(np.zeros((1, 3), dtype=bool))
    >>> segment_mean(np.array([0.1, 0.1, 0.1]), s).tolist()
    [0.1]
    """
    present = ~np.isnan(values)
    n = np.bincount(s.seg, weights=present, minlength=s.count)
    filled = np.where(present, values, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.bincount(s.seg, weights=filled, minlength=s.count) / n
        resid = np.where(present, values - first[s.seg], 0.0)
        return first + np.bincount(s.seg, weights=resid, minlength=s.count) / n


@dataclass(frozen=True)
class Limits:
    """Per-segment centre line and spread, and per-point moving ranges (all flat)."""

    mean: FloatArray
    mr_bar: FloatArray
    moving_range: FloatArray
    screened: BoolArray
    baseline: BoolArray


def xmr_limits(
    values: FloatArray,
    s: Segments,
    fix_after: FloatArray,
    *,
    screen_outliers: bool,
) -> Limits:
    """Mean and average moving range of each segment from its baseline points.

    Parameters
    ----------
    values
        Flattened values (NaN = missing).
    s
        The segments of the flattened matrix.
    fix_after
        Per flat point, the number of points of its segment that form the baseline
        (``inf`` = all of them).
    screen_outliers
        Drop moving ranges at or above 3.267 x their average before averaging again.

    Returns
    -------
    Limits
        ``mean`` and ``mr_bar`` per segment; ``moving_range`` (NaN at a segment's first point,
        next to a missing value and after the baseline), ``screened`` (a moving range that was
        dropped) and ``baseline`` per point.
    """
    baseline = s.pos < fix_after
    fix_y = np.where(baseline, values, np.nan)
    mean = segment_mean(fix_y, s)
    previous = np.concatenate(([np.nan], fix_y[:-1]))
    mr = np.where(s.pos > 0, np.abs(fix_y - previous), np.nan)
    mr_bar0 = segment_mean(mr, s)
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            keep = mr < SCREEN * mr_bar0[s.seg]
        screened = ~np.isnan(mr) & ~keep
        mr_bar = segment_mean(np.where(keep, mr, np.nan), s)
    else:
        screened = np.zeros(mr.shape, dtype=bool)
        mr_bar = mr_bar0
    return Limits(mean=mean, mr_bar=mr_bar, moving_range=mr, screened=screened, baseline=baseline)
