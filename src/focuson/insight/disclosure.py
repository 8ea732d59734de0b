"""Disclosure control for participation counts: the NHS rule, protected against each line's total.

The participant counts of one dimension (its bands and the number who did not say) add up to the
number of participants, which an attacker may know exactly (from an event's attendance, say).
:func:`suppression` applies the small-number rule and then suppresses more, line by line, until
no suppressed count of 1-7 can be narrowed from that total and the rounding intervals of the
published counts: the guarantee of ``docs/disclosure.md`` on a single relation. Dimensions share
only their total, so each is protected on its own. :func:`largest_hidden` says how large a
suppressed count can be, given only what is published, so statements about a suppressed group
can be made from the published figures alone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from focuson.stats import NHS_RULE, DisclosureRule

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def suppression(X: FloatArray, exists: BoolArray, *, rule: DisclosureRule = NHS_RULE) -> BoolArray:
    """Which counts of each line to suppress so no count of 1-7 can be narrowed from its total.

    Parameters
    ----------
    X
        True counts, one line (dimension) per row, ``D x C``; entries where ``exists`` is False
        are padding.
    exists
        Which entries are real.
    rule
        The disclosure rule.

    Returns
    -------
    numpy.ndarray
        ``D x C``, True where suppressed.

    Notes
    -----
    The attacker knows the line's total exactly (the worst case), every published count to
    within its rounding interval, and that counts are whole and at least 0 (not which blanks
    are small). A suppressed count ``x_i`` can take a value ``v`` when the rest of the total,
    ``N - v``, can be made of the published counts within their intervals and the other
    suppressed counts (any number at least 0): with another suppressed count, when
    ``N - v >= sum(lo)``; alone, when ``sum(lo) <= N - v <= sum(hi)``. A line is safe when its
    suppressed counts can be both ``suppress_from`` (1) and ``suppress_to`` (7), the guarantee
    of ``docs/disclosure.md``; a line that is not gets its smallest published non-zero count
    suppressed too, until it is (the greedy repair of Find's audit, on a single relation).
    A line whose total is itself suppressed (1-7 people) is suppressed whole.

    Examples
    --------
    Beside a total of 103, the 3 alone would be 1-5 (the 100 is 98-102), so the 100 goes too;
    beside two rounded counts it could be anything from 1 to 7:

    >>> lines = np.array([[3.0, 100.0, 0.0], [3.0, 20.0, 100.0]])
    >>> suppression(lines, np.ones((2, 3), dtype=bool)).tolist()
    [[True, True, False], [True, False, False]]
    """
    S = np.asarray(rule.suppresses(X) & exists)
    total = X.sum(axis=1)
    S |= rule.suppresses(total)[:, None] & exists
    for _ in range(X.shape[1] + 1):
        unsafe = ~_safe(X, S, exists, total, rule)
        if not unsafe.any():
            break
        key = np.where(exists & ~S & (X > 0), X, np.inf)
        best = np.argmin(key, axis=1)
        take = unsafe & np.isfinite(key[np.arange(len(X)), best])
        if not take.any():
            break
        S[np.flatnonzero(take), best[take]] = True
    return S


def largest_hidden(
    published: FloatArray, exists: BoolArray, total_pub: FloatArray, rule: DisclosureRule
) -> FloatArray:
    """Per line: the largest count a suppressed entry can hold, given only what is published.

    The published total at the top of its rounding interval, less every published count at the
    bottom of its own (the other suppressed entries at 0).
    """
    lo, _ = _rounding_interval(np.nan_to_num(published), rule)
    _, total_hi = _rounding_interval(total_pub, rule)
    shown = exists & ~np.isnan(published)
    return np.asarray(total_hi - np.where(shown, lo, 0).sum(axis=1))


def _safe(
    X: FloatArray, S: BoolArray, exists: BoolArray, total: FloatArray, rule: DisclosureRule
) -> BoolArray:
    """Per line: every suppressed count can still be both 1 and 7 (see :func:`suppression`)."""
    lo, hi = _rounding_interval(rule.round(X), rule)
    shown = exists & ~S
    sum_lo = np.where(shown, lo, 0).sum(axis=1)
    sum_hi = np.where(shown, hi, 0).sum(axis=1)
    k = S.sum(axis=1)
    ok = np.ones(len(X), dtype=bool)
    for v in (rule.suppress_from, rule.suppress_to):
        rest = total - v
        ok &= np.where(k >= 2, rest >= sum_lo, (sum_lo <= rest) & (rest <= sum_hi))
    return np.asarray((k == 0) | ok | rule.suppresses(total))


def _rounding_interval(
    published: FloatArray, rule: DisclosureRule
) -> tuple[FloatArray, FloatArray]:
    """The whole counts that publish as each value (not suppressed, rounding to it)."""
    step = int(rule.round_to)
    offsets = np.arange(-step, step + 1, dtype=float)
    candidates = published[..., None] + offsets
    fits = (
        (candidates >= 0)
        & (rule.round(candidates) == published[..., None])
        & ~rule.suppresses(candidates)
    )
    lo = np.where(fits, candidates, np.inf).min(axis=-1)
    hi = np.where(fits, candidates, -np.inf).max(axis=-1)
    return lo, hi
