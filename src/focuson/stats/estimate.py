"""The result of an indicator statistic: one value per group, with intervals and reasons.

Every interval statistic in :mod:`focuson.stats` returns an :class:`Estimate`. Arrays hold one
element per group, in the order the groups were given. A group whose value cannot be computed
(zero population, fewer than 10 events for a DSR, ...) has NaN and a plain-English ``reason``;
other groups in the same call are unaffected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
ObjectArray = NDArray[np.object_]


@dataclass(frozen=True)
class Interval:
    """Lower and upper confidence limits at one confidence level."""

    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True)
class Estimate:
    """Values, confidence intervals and reasons for a batch of groups.

    Attributes
    ----------
    value
        The statistic for each group (NaN where it cannot be given).
    intervals
        Confidence level (e.g. ``0.95``) to :class:`Interval`, in the order requested.
    statistic
        What the value is, in the reference package's words, e.g. ``"percentage"`` or
        ``"dsr per 100000"``.
    method
        The interval method used for each group, e.g. ``"Wilson"``, ``"Exact"``, ``"Byars"``.
    reason
        Empty where the value is given; otherwise why it is NA, e.g. ``"population is zero"``.
    extras
        Other per-group outputs named as in the reference package, e.g. ``total_count``.
    """

    value: FloatArray
    intervals: Mapping[float, Interval]
    statistic: str
    method: ObjectArray
    reason: ObjectArray
    extras: Mapping[str, FloatArray] = field(default_factory=dict)

    @property
    def confidence(self) -> tuple[float, ...]:
        """The confidence levels, in the order requested."""
        return tuple(self.intervals)

    @property
    def lower(self) -> FloatArray:
        """Lower limits at the first confidence level."""
        return self._first().lower

    @property
    def upper(self) -> FloatArray:
        """Upper limits at the first confidence level."""
        return self._first().upper

    def _first(self) -> Interval:
        if not self.intervals:
            raise ValueError("this estimate has no confidence intervals (confidence=None)")
        return next(iter(self.intervals.values()))

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def columns(self) -> dict[str, np.ndarray]:
        """Columns named as PHEindicatormethods names them.

        One level gives ``lowercl``/``uppercl``; several give ``lower95_0cl``, ``upper99_8cl`` ...

        >>> from focuson.stats import proportion
        >>> sorted(proportion([5], [10], confidence=[0.95, 0.998]).columns())[:3]
        ['lower95_0cl', 'lower99_8cl', 'method']
        """
        cols: dict[str, np.ndarray] = dict(self.extras)
        cols["value"] = self.value
        for level, interval in self.intervals.items():
            suffix = "cl" if len(self.intervals) == 1 else f"{level_label(level)}cl"
            cols[f"lower{suffix}"] = interval.lower
            cols[f"upper{suffix}"] = interval.upper
        cols["method"] = self.method
        cols["reason"] = self.reason
        return cols


def level_label(level: float) -> str:
    """``0.95 -> "95_0"``, ``0.998 -> "99_8"`` as in PHEindicatormethods column names."""
    return f"{level * 100:.1f}".replace(".", "_")


def reasons(n: int) -> ObjectArray:
    """A fresh array of empty reasons for ``n`` groups."""
    return np.full(n, "", dtype=object)


def add_reason(reason: ObjectArray, where: NDArray[np.bool_], text: str) -> None:
    """Record ``text`` for the groups in ``where`` that have no reason yet (first reason wins)."""
    reason[where & (reason == "")] = text
