"""The result of an indicator statistic: one value per group, with intervals and reasons.

Every interval statistic in :mod:`focuson.stats` returns an :class:`Estimate`. Arrays hold one
element per group, in the order the groups were given. A group whose value cannot be computed
(zero population, fewer than 10 events for a DSR, ...) has NaN and a plain-English ``reason``;
other groups in the same call are unaffected.

Texts are stored by category, not per group: a method that is the same for every group is one
string, and reasons are small integer codes into a short list of texts (:class:`Labels`). The
per-group object arrays that ``est.method``, ``est.reason`` and ``.columns()`` return are built
on first use only, so a vectorised statistic on a million groups pays nothing for its words
unless someone reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
ObjectArray = NDArray[np.object_]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Interval:
    """Lower and upper confidence limits at one confidence level."""

    lower: FloatArray
    upper: FloatArray


class Labels:
    """One text per group, stored as codes into a short list of distinct texts.

    ``texts[0]`` is the empty text, so a fresh ``Labels(n)`` says nothing for every group.
    :meth:`add` records a text for some groups (first text wins, as for reasons), and
    :meth:`array` builds the per-group object array when someone needs it.

    >>> why = Labels(4)
    >>> why.add(np.array([False, True, True, False]), "population is zero")
    >>> why.add(np.array([False, False, True, True]), "count missing")
    >>> why.array().tolist(), why.ok.tolist()
    (['', 'population is zero', 'population is zero', 'count missing'], [True, False, False, False])
    """

    def __init__(self, n: int) -> None:
        self.code: NDArray[np.uint8] = np.zeros(n, dtype=np.uint8)
        self.texts: list[str] = [""]

    @classmethod
    def choose(cls, where: BoolArray, yes: str, no: str) -> Labels:
        """``yes`` where ``where`` is true, else ``no`` (e.g. ``"Exact"`` / ``"Byars"``)."""
        labels = cls(where.shape[0])
        labels.texts = ["", no, yes]
        labels.code = np.where(where, np.uint8(2), np.uint8(1))
        return labels

    def add(self, where: BoolArray, text: str) -> None:
        """Record ``text`` for the groups in ``where`` that have no text yet."""
        fresh = where & (self.code == 0)
        if not fresh.any():
            return
        if text not in self.texts:
            if len(self.texts) == 255:
                raise ValueError("Labels: more than 254 distinct texts")
            self.texts.append(text)
        self.code[fresh] = self.texts.index(text)

    @property
    def ok(self) -> BoolArray:
        """True where no text was recorded (for reasons: the value is given)."""
        return np.asarray(self.code == 0)

    def array(self) -> ObjectArray:
        """The per-group object array of texts."""
        return np.asarray(np.array(self.texts, dtype=object)[self.code])

    def __len__(self) -> int:
        return int(self.code.shape[0])


#: What an :class:`Estimate` accepts for its method: one text for all groups, or one per group.
MethodLike = str | ObjectArray | Labels
#: What an :class:`Estimate` accepts for its reasons: per-group texts or :class:`Labels`.
ReasonLike = ObjectArray | Labels


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
        The interval method used for each group, e.g. ``"Wilson"``, ``"Exact"``, ``"Byars"``
        (an object array; given as one string when it is the same for every group).
    reason
        Empty where the value is given; otherwise why it is NA, e.g. ``"population is zero"``
        (an object array; given as :class:`Labels` by the statistics).
    extras
        Other per-group outputs named as in the reference package, e.g. ``total_count``.
    dropped
        For the summary measures of inequality (settings x subgroups): ``True`` where a
        subgroup was left out of the measure because it had no estimate; ``None`` elsewhere.

    Examples
    --------
    >>> est = Estimate(np.array([0.5, np.nan]), {}, "proportion", "Wilson",
    ...                np.array(["", "denominator is zero"], dtype=object))
    >>> est.method.tolist(), est.ok.tolist()
    (['Wilson', 'Wilson'], [True, False])
    """

    value: FloatArray
    intervals: Mapping[float, Interval]
    statistic: str
    extras: Mapping[str, FloatArray]
    dropped: BoolArray | None
    _method: MethodLike
    _reason: ReasonLike

    def __init__(
        self,
        value: FloatArray,
        intervals: Mapping[float, Interval],
        statistic: str,
        method: MethodLike,
        reason: ReasonLike,
        extras: Mapping[str, FloatArray] | None = None,
        dropped: BoolArray | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "value", value)
        setter(self, "intervals", intervals)
        setter(self, "statistic", statistic)
        setter(self, "extras", {} if extras is None else extras)
        setter(self, "dropped", dropped)
        setter(self, "_method", method)
        setter(self, "_reason", reason)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Estimate is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Estimate(statistic={self.statistic!r}, groups={len(self)})"

    @cached_property
    def method(self) -> ObjectArray:
        """The interval method per group (built on first use)."""
        m = self._method
        if isinstance(m, str):
            return filled(len(self), m)
        if isinstance(m, Labels):
            return m.array()
        return m

    @cached_property
    def reason(self) -> ObjectArray:
        """Why each group is NA, empty where the value is given (built on first use)."""
        r = self._reason
        return r.array() if isinstance(r, Labels) else r

    @property
    def ok(self) -> BoolArray:
        """True where the group has no reason (its value is given), without building texts."""
        r = self._reason
        return r.ok if isinstance(r, Labels) else np.asarray(r == "")

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


def filled(n: int, text: str) -> ObjectArray:
    """An object array of ``n`` copies of ``text``.

    ``np.full(n, text, dtype=object)`` converts the text once per element (about 40 ms for a
    million); filling an empty array stores one reference per element (about 2 ms).

    >>> filled(2, "Wilson").tolist()
    ['Wilson', 'Wilson']
    """
    out = np.empty(n, dtype=object)
    out.fill(text)
    return out


def reasons(n: int) -> ObjectArray:
    """A fresh array of empty reasons for ``n`` groups."""
    return filled(n, "")


def add_reason(reason: ObjectArray, where: NDArray[np.bool_], text: str) -> None:
    """Record ``text`` for the groups in ``where`` that have no reason yet (first reason wins)."""
    reason[where & (reason == "")] = text
