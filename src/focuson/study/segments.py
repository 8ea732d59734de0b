"""Segmented-regression design matrices for interrupted time series (Wagner et al. 2002).

Columns: ``1, t, post, tsince``, then Fourier pairs sin/cos(2 pi k month / 12), k = 1..K, as in
Lopez Bernal, Cummins & Gasparrini (2017, IJE) ``harmonic(month, K, 12)``. ``t`` counts every
period from 1, ``post`` = 1 from the first post-intervention period t0 and ``tsince`` =
(t - t0) x post (coding ``"t-t0"``: ``post`` is then the change at t0) or (t - t0 + 1) x post
(coding ``"t-t0+1"``). A transition window between pre and post keeps its place in ``t`` but
its rows are left out. The coding is printed with every result (evaluation.md section 3.1).

>>> its_design(2, 2)[:, 2:4].tolist()
[[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Coding = Literal["t-t0", "t-t0+1"]

#: Column indices of the level-change and slope-change terms.
POST, TSINCE = 2, 3


def its_design(
    n_pre: int,
    n_post: int,
    *,
    n_transition: int = 0,
    fourier_pairs: int = 0,
    first_month: int = 1,
    coding: Coding = "t-t0",
) -> FloatArray:
    """The design matrix of a single-group ITS, one row per period kept.

    Parameters
    ----------
    n_pre, n_post : int
        Periods before and after the intervention (after the transition, if any).
    n_transition : int
        Periods between them left out of the fit (they keep their place in ``t``).
    fourier_pairs : int
        Seasonal sin/cos pairs (monthly data, period 12).
    first_month : int
        Calendar month (1-12) of the first period, so the seasonal terms line up.
    coding : {"t-t0", "t-t0+1"}
        How ``tsince`` counts from the first post period.

    Examples
    --------
    >>> its_design(2, 2, n_transition=1)[:, 1:4].tolist()
    [[1.0, 0.0, 0.0], [2.0, 0.0, 0.0], [4.0, 1.0, 0.0], [5.0, 1.0, 1.0]]
    """
    if n_pre < 2 or n_post < 1 or n_transition < 0:
        raise ValueError("An interrupted time series needs at least 2 pre and 1 post points.")
    if not 1 <= first_month <= 12:
        raise ValueError("first_month must be a calendar month, 1 to 12.")
    n = n_pre + n_transition + n_post
    t = np.arange(1, n + 1, dtype=float)
    t0 = n_pre + n_transition + 1
    post = (t >= t0).astype(float)
    tsince = np.where(post > 0, t - t0 + (1 if coding == "t-t0+1" else 0), 0.0)
    cols = [np.ones(n), t, post, tsince]
    month = (t - 1 + (first_month - 1)) % 12 + 1
    for k in range(1, fourier_pairs + 1):
        cols += [np.sin(2 * np.pi * k * month / 12), np.cos(2 * np.pi * k * month / 12)]
    x = np.column_stack(cols)
    keep = (t <= n_pre) | (t >= t0)
    return np.asarray(x[keep])
