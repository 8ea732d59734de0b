"""The expected narrowing of a gap, from a finding's people affected and an assumed effect.

Find reports, for a group, its *people affected*: how many more people in the group missed the
standard than would have at the reference group's rate (``excess``, published rounded to 5). An
idea that reaches a share ``reach`` of the group and, among those reached, closes a share
``effect`` of their gap is expected to leave

``people fewer = people affected * reach * effect``

fewer people affected, closing ``reach * effect`` of the gap. With the group's size ``N`` the gap
is also a difference of proportions, ``people affected / N``, before and after.

This is arithmetic on assumptions, not a prediction: the result carries its assumptions as words
so that a page shows them next to the number, and the effect should say where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GapNarrowing:
    """Expected narrowing of a gap, per idea (arrays broadcast together).

    Attributes
    ----------
    people_affected, people_fewer, people_affected_after
        People affected now, the expected reduction, and what would remain.
    share_closed
        ``reach * effect``: the share of the gap expected to close.
    gap_before, gap_after
        ``people affected / group size`` before and after (NaN without a group size).
    assumptions
        Per idea, the assumptions in plain words.
    """

    people_affected: FloatArray
    people_fewer: FloatArray
    people_affected_after: FloatArray
    share_closed: FloatArray
    gap_before: FloatArray
    gap_after: FloatArray
    assumptions: list[tuple[str, ...]]


def expected_gap_narrowing(
    people_affected: ArrayLike,
    effect: ArrayLike,
    *,
    reach: ArrayLike = 1.0,
    group_size: ArrayLike | None = None,
    group: str = "the group in focus",
    reference: str = "the reference group",
    effect_source: str = "a judgement",
) -> GapNarrowing:
    """Expected people fewer affected, and the share of the gap closed, with assumptions.

    Parameters
    ----------
    people_affected
        The linked finding's people affected (Find's ``excess``), 0 or more.
    effect
        Share of the gap closed among people the idea reaches, 0..1 (an assumption).
    reach
        Share of the group the idea reaches, 0..1 (an assumption; 1 by default).
    group_size
        People in the group (the finding's denominator), for the gap as a proportion.
    group, reference
        Names for the words.
    effect_source
        Where the effect comes from ("a published study", "a pilot", "a judgement").

    Examples
    --------
    120 people affected; the idea reaches half the group and closes a fifth of the gap among
    those reached: 120 * 0.5 * 0.2 = 12 fewer people, 10% of the gap. With 2,000 people in the
    group the gap goes from 6.0% to 5.4%.

    >>> out = expected_gap_narrowing(120, 0.2, reach=0.5, group_size=2000)
    >>> out.people_fewer.tolist(), out.share_closed.tolist(), out.gap_after.round(4).tolist()
    ([12.0], [0.1], [0.054])
    """
    e, eff, r = (
        np.atleast_1d(np.asarray(x, dtype=np.float64)) for x in (people_affected, effect, reach)
    )
    n = np.atleast_1d(np.asarray(np.nan if group_size is None else group_size, dtype=np.float64))
    try:
        e, eff, r, n = np.broadcast_arrays(e, eff, r, n)
    except ValueError as exc:
        raise ValueError(
            "people_affected, effect, reach and group_size: one value each per idea, or one for all"
        ) from exc
    bounds_of = (
        ("people_affected", e, 0.0, np.inf),
        ("effect", eff, 0.0, 1.0),
        ("reach", r, 0.0, 1.0),
    )
    for name, x, low, high in bounds_of:
        bad = ~np.isfinite(x) | (x < low) | (x > high)
        if bad.any():
            bounds = "0 or more" if high == np.inf else f"between {low:g} and {high:g}"
            raise ValueError(f"{name}: must be {bounds}; got {x[bad][0]!r}")
    bad_size = ~np.isnan(n) & ((n <= 0) | (n < e))
    if bad_size.any():
        raise ValueError(
            f"group_size: must be positive and at least the people affected; got {n[bad_size][0]!r}"
        )
    share = r * eff
    fewer = e * share
    words: list[tuple[str, ...]] = [
        (
            f"People affected: {ei:,.0f} more people in {group} missed the standard than would "
            f"have at {reference}'s rate (the finding's figure, rounded to 5 when published).",
            f"The idea reaches {ri:.0%} of {group} (assumed).",
            f"Among the people it reaches it closes {fi:.0%} of their gap (assumed, from "
            f"{effect_source}).",
            f"{reference[0].upper() + reference[1:]}'s rate and the size of {group} stay as "
            f"they are.",
            "Estimates for different ideas are not added together: their effects may overlap.",
        )
        for ei, ri, fi in zip(e, r, eff, strict=True)
    ]
    return GapNarrowing(
        people_affected=e.astype(np.float64),
        people_fewer=fewer,
        people_affected_after=e - fewer,
        share_closed=share,
        gap_before=e / n,
        gap_after=(e - fewer) / n,
        assumptions=words,
    )
