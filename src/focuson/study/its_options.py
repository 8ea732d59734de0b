"""The segmented-regression design every ITS fit shares, as one frozen value.

:func:`focuson.study.its.its`, :func:`~focuson.study.its_gap.its_gap`,
:func:`~focuson.study.comparative_its.comparative_its`,
:func:`~focuson.study.comparative_its.comparative_its_gap`,
:func:`~focuson.study.its_many.its_many` and :func:`~focuson.study.its_many.its_gap_many` take
the same design: transition, seasonality, impact model, errors, the time coding and the
Ljung-Box lags. Each accepts ``design=ItsDesign(...)``, and the same fields as keywords
(:class:`DesignOptions`), which override the design's (``its(y, n_pre=24, errors="model")``).

>>> d = ItsDesign(fourier_pairs=2, slope_change=False)
>>> resolve(d, {"errors": "model"}).errors, resolve(d, {}).fourier_pairs
('model', 2)
>>> d.matrix(24, 12).shape  # const, t, post, 2 Fourier pairs (no slope change)
(36, 7)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, TypedDict

import numpy as np
from numpy.typing import NDArray

from focuson.study.segments import TSINCE, Coding, its_design

Errors = Literal["hac", "model"]
SeriesErrors = Literal["hac", "model", "ar1"]


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule floor(4 (n / 100)^(2/9)): 3 for n = 48.

    >>> newey_west_lags(48)
    3
    """
    return math.floor(4 * (n / 100) ** (2 / 9))


@dataclass(frozen=True)
class ItsDesign:
    """How a segmented regression is set up (evaluation.md section 3.1).

    Attributes
    ----------
    n_transition : int
        Periods left out between pre and post (they keep their place in time).
    fourier_pairs, first_month : int
        Seasonal sin/cos pairs, and the calendar month of the first period.
    slope_change : bool
        Level and slope change (``tsince``), or a level change only.
    errors : {"hac", "model", "ar1"}
        Newey-West HAC (Driscoll-Kraay for stacked series), model-based, or AR(1) errors by
        feasible GLS (``its`` with a gaussian family only).
    hac_lags : int, optional
        Newey-West lag L; default :func:`newey_west_lags` of the number of periods.
    coding : {"t-t0", "t-t0+1"}
        How ``tsince`` counts from the first post period.
    ljung_box_lags : int
        Lags of the Ljung-Box test on the residuals.
    """

    n_transition: int = 0
    fourier_pairs: int = 0
    first_month: int = 1
    slope_change: bool = True
    errors: SeriesErrors = "hac"
    hac_lags: int | None = None
    coding: Coding = "t-t0"
    ljung_box_lags: int = 12

    def matrix(self, n_pre: int, n_post: int) -> NDArray[np.float64]:
        """The design matrix (``const, t, post[, tsince], seasonal``) of the kept periods."""
        x = its_design(
            n_pre,
            n_post,
            n_transition=self.n_transition,
            fourier_pairs=self.fourier_pairs,
            first_month=self.first_month,
            coding=self.coding,
        )
        return x if self.slope_change else np.delete(x, TSINCE, axis=1)

    def lags(self, n: int) -> int:
        """The HAC lag for ``n`` periods: the stated one, else the Newey-West rule."""
        return newey_west_lags(n) if self.hac_lags is None else self.hac_lags

    def stacked_errors(self, fit: str) -> Errors:
        """The errors of a fit that has no AR(1) option (all but gaussian ``its``)."""
        if self.errors == "ar1":
            raise ValueError(f'errors="ar1" is for the single-group its(); {fit} takes "hac" '
                             'or "model".')  # fmt: skip
        return self.errors


class DesignOptions(TypedDict, total=False):
    """The fields of :class:`ItsDesign`, as keyword arguments of the fits."""

    n_transition: int
    fourier_pairs: int
    first_month: int
    slope_change: bool
    errors: SeriesErrors
    hac_lags: int | None
    coding: Coding
    ljung_box_lags: int


def resolve(design: ItsDesign | None, options: DesignOptions) -> ItsDesign:
    """``design`` (default :class:`ItsDesign`) with the keyword ``options`` put over it."""
    base = design if design is not None else ItsDesign()
    return replace(base, **options) if options else base
