"""Event study: leads and lags around a common start, and the pre-trend test (evaluation.md 3.5).

Relative-time dummies for the treated units (period minus the first treated period, -1
omitted) beside unit and period dummies, fitted with statsmodels WLS, CR1 by unit (K counts every
dummy; t and F with G-1 denominator degrees of freedom). The joint F test of the leads is the
pre-trend check the Study card shows; the lags trace the effect over time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.study._cluster import indicators
from focuson.study.did import _arr, _codes, _cr_fit, _post_pattern, _weights

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EventStudy:
    """Event-study coefficients by time relative to the start (-1 omitted) and the lead test."""

    relative_time: NDArray[np.intp]
    estimate: FloatArray
    lower: FloatArray
    upper: FloatArray
    pretrend_f: float
    pretrend_p: float
    note: str


def event_study(
    y: ArrayLike,
    unit: ArrayLike,
    period: ArrayLike,
    treated_now: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    level: float = 0.95,
) -> EventStudy:
    """Leads and lags around a common start, and a joint F test that all leads are zero.

    ``period`` must be consecutive integers. Relative-time dummies for treated units (period
    minus first treated period), -1 omitted, with unit and period dummies; CR1 by unit, F with
    G-1 denominator df. A small p-value means the pre-period trends were not parallel.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> unit, period = np.repeat(np.arange(12), 6), np.tile(np.arange(6), 12)
    >>> d = (unit < 6) & (period >= 3)
    >>> y = unit + 0.5 * period + 2.0 * d + rng.normal(0, 0.1, 72)
    >>> es = event_study(y, unit, period, d)
    >>> es.relative_time.tolist(), bool(es.pretrend_p > 0.01)
    ([-3, -2, 0, 1, 2], True)
    """
    yv, d = _arr(y), _arr(treated_now)
    per = np.asarray(period, dtype=np.intp)
    units, periods = _codes(unit), _codes(per)
    w = _weights(weights, yv.size)
    treated_units, _ = _post_pattern(d, units, periods)
    if treated_units.size <= 2:
        raise ValueError("An event study with 1-2 treated units has no valid cluster SE.")
    start = per[d == 1].min()
    is_treated = np.isin(units, treated_units)
    rel = np.where(is_treated, per - start, np.iinfo(np.intp).min)
    times = np.array([r for r in np.unique(rel[is_treated]) if r != -1], dtype=np.intp)
    R = (rel[:, None] == times[None, :]).astype(np.float64)
    X = np.column_stack([indicators(units), indicators(periods)[:, 1:], R])
    res = _cr_fit(X, yv, w, units, "CR1")
    first = X.shape[1] - times.size
    ci = res.conf_int(1 - level)[first:]
    leads = np.flatnonzero(times < -1)
    if leads.size:
        restriction = np.zeros((leads.size, X.shape[1]))
        restriction[np.arange(leads.size), first + leads] = 1.0
        test = res.wald_test(restriction, use_f=True, scalar=True)
        f, p = float(test.statistic), float(test.pvalue)
    else:
        f, p = float("nan"), float("nan")
    note = f"CR1 by unit, K = {X.shape[1]} (every dummy); {leads.size} leads tested jointly (F)"
    return EventStudy(times, res.params[first:], ci[:, 0], ci[:, 1], f, p, note)


__all__ = ["EventStudy", "event_study"]
