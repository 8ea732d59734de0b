"""Staggered roll-out: the imputation estimator of difference-in-differences (evaluation.md 3.5).

When treated units start at different times, naive two-way fixed effects (TWFE) compares
later-treated units with already-treated ones and weights effects negatively; with effects that
grow or differ by cohort it is biased, even in sign. The imputation estimator (Borusyak,
Jaravel & Spiess 2024, ReStud; the same point estimates as Gardner's two-stage ``did2s``):

1. fit unit and period effects, ``y_it = a_i + b_t``, by (weighted) least squares on the
   untreated cells only: never-treated units and not-yet-treated periods of the others;
2. impute the untreated outcome ``a_i + b_t`` of every treated cell; ``y_it - a_i - b_t`` is that
   cell's effect;
3. average: the overall effect (ATT) over treated cells (weighted by the cells' weights, e.g.
   denominators), event-time effects by ``period - first treated period`` (0, 1, ...), and
   placebo *leads* (-1, -2, ...): the average fitted residual of the eventually-treated units'
   untreated cells at that relative time, which should be near zero when trends were parallel.

The fixed-effect regression is solved exactly by eliminating the unit effects (each unit's
normal equation is one division) and solving the remaining periods x periods system: no loop
over units or periods. Inference is a cluster (unit) bootstrap: units drawn with replacement
(a fixed seed). Drawing unit i f times multiplies its weights by f, so every replicate's
normal equations are linear in the draw counts and all replicates are solved as one batch of
small linear systems. The interval is the bootstrap percentile interval; the SE is the
replicates' standard deviation; the leads' joint test is a Wald test with the bootstrap
covariance.

The effect on the gap is the same estimator on the gap's own series per unit (most minus least
deprived group, oriented so that positive = narrowed: :func:`focuson.study.sdid.gap_series`),
as the synthetic designs do: one estimand with its own interval.

>>> unit, period = np.repeat(np.arange(6), 6), np.tile(np.arange(6), 6)
>>> first = np.repeat([2.0, 3.0, 4.0, np.inf, np.inf, np.inf], 6)
>>> y = 1.0 * unit + 0.5 * period + 2.0 * (period >= first)
>>> round(staggered(y, unit, period, first, n_boot=50).estimate, 10)
2.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse, stats

from focuson.study._staggered_variance import bjs_se
from focuson.study.sdid import gap_series

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
#: Replicates solved together: bounds memory at BATCH x units x periods floats.
BATCH = 50


@dataclass(frozen=True)
class StaggeredFit:
    """The overall effect (ATT), event-time effects with leads, and how they were inferred.

    ``relative_time`` holds leads (< 0) then lags (>= 0); ``event_*`` align with it. The
    intervals are bootstrap percentile intervals, ``se`` the replicates' standard deviation,
    ``p_value`` two-sided normal (estimate / se). ``pretrend_p`` is the Wald test, with the
    bootstrap covariance, that every lead is zero (NaN without leads). ``analytic_se`` and
    ``event_analytic_se`` are the conservative analytic SEs of Borusyak, Jaravel & Spiess
    (clustered by unit; NaN for leads), shown beside the bootstrap's.
    """

    estimate: float
    se: float
    lower: float
    upper: float
    p_value: float
    relative_time: IntArray
    event_estimate: FloatArray
    event_se: FloatArray
    event_lower: FloatArray
    event_upper: FloatArray
    pretrend_stat: float
    pretrend_p: float
    analytic_se: float
    event_analytic_se: FloatArray
    n_obs: int
    n_untreated_obs: int
    n_units: int
    n_treated_units: int
    n_cohorts: int
    n_boot: int
    n_failed: int
    note: str


@dataclass(frozen=True)
class _Panel:
    """Dense units x periods arrays of one long panel (weights 0 where a cell is missing)."""

    Y: FloatArray
    W: FloatArray
    untreated: NDArray[np.bool_]
    treated: NDArray[np.bool_]
    rel: FloatArray  # period - first treated period; -inf for never-treated units
    periods: FloatArray
    first: FloatArray  # per unit; inf when never treated


def _panel(
    y: ArrayLike, unit: ArrayLike, period: ArrayLike, first: ArrayLike, w: ArrayLike | None
) -> _Panel:
    yv = np.asarray(y, dtype=np.float64)
    pv = np.asarray(period, dtype=np.float64)
    fv = np.asarray(first, dtype=np.float64)
    fv = np.where(np.isnan(fv), np.inf, fv)
    wv = np.ones_like(yv) if w is None else np.asarray(w, dtype=np.float64)
    if not (yv.shape == pv.shape == fv.shape == wv.shape == np.shape(unit)):
        raise ValueError("y, unit, period, first_treated and weights must have the same length.")
    if not (np.all(np.isfinite(yv)) and np.all(np.isfinite(wv)) and np.all(wv >= 0)):
        raise ValueError("y and weights must be finite (weights >= 0); drop missing cells first.")
    uc, ui = np.unique(np.asarray(unit), return_inverse=True)
    pc, pi = np.unique(pv, return_inverse=True)
    ui, pi = ui.ravel(), pi.ravel()
    n_u, n_t = uc.size, pc.size
    if np.unique(ui * n_t + pi).size != yv.size:
        raise ValueError("Two rows share a unit and period: give one row per unit and period.")
    first_u = np.full(n_u, np.nan)
    first_u[ui] = fv
    if np.any(first_u[ui] != fv):
        raise ValueError("first_treated must be the same on every row of a unit.")
    Y, W = np.zeros((n_u, n_t)), np.zeros((n_u, n_t))
    Y[ui, pi], W[ui, pi] = yv, wv
    rel = pc[None, :] - first_u[:, None]  # inf - inf never happens: periods are finite
    observed = W > 0
    treated = observed & (rel >= 0)
    return _Panel(Y, W, observed & ~treated, treated, rel, pc, first_u)


def _identified(p: _Panel) -> None:
    """Refuse when the untreated cells cannot identify an effect a treated cell needs."""
    w0 = p.W * p.untreated
    no_base = np.flatnonzero(p.treated.any(axis=1) & (w0.sum(axis=1) == 0))
    if no_base.size:
        raise ValueError(
            f"{no_base.size} unit(s) are treated in every period they have: there is no untreated "
            "period to estimate their own level from. Start the panel before they were treated "
            "or leave them out."
        )
    no_period = np.flatnonzero(p.treated.any(axis=0) & (w0.sum(axis=0) == 0))
    if no_period.size:
        when = ", ".join(f"{v:g}" for v in p.periods[no_period][:5])
        raise ValueError(
            f"No never-treated or not-yet-treated unit is observed in period(s) {when}"
            f"{' ...' if no_period.size > 5 else ''}: the period effect there is not "
            "identified. Add never-treated comparison units, or end the panel before every unit "
            "is treated."
        )
    if not p.treated.any():
        raise ValueError("No treated cell: nothing started within the panel.")


def _solve(p: _Panel, F: FloatArray, ridge: float) -> tuple[FloatArray, FloatArray]:
    """Unit and period effects for every row of draw counts ``F`` (replicates x units).

    Weighted normal equations of ``y = a_i + b_t`` on untreated cells, unit weights scaled by
    ``F``. Eliminating ``a``: ``(diag(F C) - C' diag(F / Du) C) b = F R - C' (F ru / Du)`` with
    ``C`` the untreated weights (units x periods), ``Du`` its row sums. The period with most
    untreated weight is the reference (b = 0); periods with no untreated weight get 0 and are
    never imputed (:func:`_identified`). ``ridge`` keeps a bootstrap draw that lost every
    untreated cell of a period solvable; such draws are dropped by the caller.
    """
    C = p.W * p.untreated
    Du, R = C.sum(axis=1), C * p.Y
    ru = R.sum(axis=1)
    inv = np.divide(1.0, Du, out=np.zeros_like(Du), where=Du > 0)
    keep = np.flatnonzero(C.sum(axis=0) > 0)
    ref = keep[np.argmax(C.sum(axis=0)[keep])]
    keep = keep[keep != ref]
    Ck = C[:, keep]
    M = -np.matmul(Ck.T[None], (F * inv)[:, :, None] * Ck[None])
    idx = np.arange(keep.size)
    M[:, idx, idx] += F @ Ck + ridge
    rhs = F @ R[:, keep] - (F * inv * ru) @ Ck
    b = np.zeros((F.shape[0], C.shape[1]))
    b[:, keep] = np.linalg.solve(M, rhs[:, :, None])[:, :, 0]
    a = (ru - b @ C.T) * inv
    return a, b


def _aggregator(p: _Panel, times: IntArray) -> sparse.csr_matrix:
    """Cells x (relative times + 1): which cells each average takes; the last column = ATT."""
    rel = np.where(np.isfinite(p.rel), p.rel, -1e9).ravel()
    cell = (p.treated | (p.untreated & np.isfinite(p.first)[:, None])).ravel()
    col = np.searchsorted(times, rel)
    hit = cell & (col < times.size) & (times[np.minimum(col, times.size - 1)] == rel)
    rows = np.r_[np.flatnonzero(hit), np.flatnonzero(p.treated.ravel())]
    cols = np.r_[col[hit], np.full(int(p.treated.sum()), times.size)]
    n = p.Y.size
    return sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, times.size + 1))


def _effects(p: _Panel, F: FloatArray, S: sparse.csr_matrix, ridge: float) -> FloatArray:
    """Replicates x (relative times + ATT): weighted means of y - a_i - b_t over S's cells."""
    out = np.empty((F.shape[0], S.shape[1]))
    n_u, n_t = p.Y.shape
    # each unit's total weight in each column (units x cols): the averages' denominators
    by_unit = sparse.csr_matrix(
        (np.ones(p.Y.size), (np.repeat(np.arange(n_u), n_t), np.arange(p.Y.size))),
        shape=(n_u, p.Y.size),
    )
    per_unit = (by_unit @ S.multiply(p.W.reshape(-1, 1)).tocsr()).toarray()
    St = S.T.tocsr()
    for start in range(0, F.shape[0], BATCH):  # batches bound memory, not a loop over units
        f = F[start : start + BATCH]
        a, b = _solve(p, f, ridge)
        resid = p.Y[None] - a[:, :, None] - b[:, None, :]
        z = (f[:, :, None] * p.W[None] * resid).reshape(f.shape[0], -1)
        num = (St @ z.T).T
        den = f @ per_unit
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start : start + BATCH] = np.where(den > 0, num / den, np.nan)
    return out


def _draws(n_units: int, n_boot: int, seed: int) -> FloatArray:
    """Bootstrap draw counts (replicates x units): units resampled with replacement."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_units, size=(n_boot, n_units))
    rows = np.repeat(np.arange(n_boot), n_units)
    counts = np.zeros((n_boot, n_units))
    np.add.at(counts, (rows, idx.ravel()), 1.0)
    return counts


def staggered(
    y: ArrayLike,
    unit: ArrayLike,
    period: ArrayLike,
    first_treated: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    leads: int = 6,
    lags: int | None = None,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
) -> StaggeredFit:
    """The imputation DiD (Borusyak, Jaravel & Spiess 2024) with a unit bootstrap.

    Parameters
    ----------
    y : outcome per cell (unit x period), e.g. a published rate.
    unit : unit label per cell (the cluster).
    period : integer period per cell (e.g. months counted from a start); relative time is
        ``period - first_treated``.
    first_treated : the unit's first treated period on every row; NaN or inf when never
        treated. Treatment is absorbing (it does not stop).
    weights : cell weights (e.g. denominators) for the fit and the averages; missing cells are
        simply absent rows (or weight 0).
    leads, lags : how many leads (-1 .. -leads) and lags (0 .. lags - 1; all when None) to
        report.
    n_boot, seed, level : the unit bootstrap.

    Raises
    ------
    ValueError
        When a treated cell's unit or period has no untreated cell to identify its effect, naming
        which, or when nothing is treated.
    """
    p = _panel(y, unit, period, first_treated, weights)
    _identified(p)
    treated_rel = p.rel[p.treated]
    max_lag = int(treated_rel.max()) + 1 if lags is None else lags
    ever = np.isfinite(p.first)
    pre_rel = p.rel[p.untreated & ever[:, None]]
    n_leads = min(leads, int(-pre_rel.min())) if pre_rel.size else 0
    times = np.arange(-n_leads, max_lag, dtype=np.intp)
    S = _aggregator(p, times)
    n_u = p.Y.shape[0]
    point = _effects(p, np.ones((1, n_u)), S, 0.0)[0]
    a, b = _solve(p, np.ones((1, n_u)), 0.0)
    analytic, _ = bjs_se(p, S, a[0], b[0])
    draws = _draws(n_u, n_boot, seed)
    scale = float(np.max(p.W)) * 1e-10
    boot = _effects(p, draws, S, scale)
    # a draw is dropped when it has no treated unit, or lost every untreated cell of a period
    # in which it has treated cells (that period's effect is then not identified)
    untreated_w = (p.W * p.untreated > 0).astype(float)
    lost = (draws @ p.treated.astype(float) > 0) & (draws @ untreated_w == 0)
    any_treated = draws @ p.treated.any(axis=1).astype(float) > 0
    ok = any_treated & ~lost.any(axis=1)
    boot = boot[ok]
    alpha = 1 - level
    se = np.nanstd(boot, axis=0, ddof=1)
    lo, hi = np.nanquantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pval = 2 * stats.norm.sf(np.abs(point / se))
    lead_cols = np.flatnonzero(times < 0)
    stat, pre_p = float("nan"), float("nan")
    if lead_cols.size:
        lb = boot[:, lead_cols]
        lb = lb[np.all(np.isfinite(lb), axis=1)]
        if lb.shape[0] > lead_cols.size:
            V = np.cov(lb, rowvar=False).reshape(lead_cols.size, lead_cols.size)
            est = point[lead_cols]
            stat = float(est @ np.linalg.pinv(V) @ est)
            pre_p = float(stats.chi2.sf(stat, lead_cols.size))
    n_treated = int(np.sum(p.treated.any(axis=1)))
    cohorts = np.unique(p.first[p.treated.any(axis=1)]).size
    note = (
        f"imputation DiD (Borusyak, Jaravel & Spiess 2024): unit and period effects fitted on "
        f"{int(p.untreated.sum())} untreated cells; unit bootstrap ({int(ok.sum())} of {n_boot} "
        f"draws, seed {seed}), percentile interval; {n_treated} treated units in {cohorts} "
        f"cohort(s); conservative analytic SE (BJS) {analytic[-1]:.3g} beside the bootstrap's "
        f"{se[-1]:.3g}"
    )
    return StaggeredFit(
        estimate=float(point[-1]), se=float(se[-1]), lower=float(lo[-1]), upper=float(hi[-1]),
        p_value=float(pval[-1]), relative_time=times, event_estimate=point[:-1],
        event_se=se[:-1], event_lower=lo[:-1], event_upper=hi[:-1], pretrend_stat=stat,
        pretrend_p=pre_p, analytic_se=float(analytic[-1]), event_analytic_se=analytic[:-1],
        n_obs=int((p.W > 0).sum()), n_untreated_obs=int(p.untreated.sum()),
        n_units=n_u, n_treated_units=n_treated, n_cohorts=int(cohorts), n_boot=int(ok.sum()),
        n_failed=int(n_boot - ok.sum()), note=note,
    )  # fmt: skip


def staggered_gap(
    most: ArrayLike,
    least: ArrayLike,
    unit: ArrayLike,
    period: ArrayLike,
    first_treated: ArrayLike,
    *,
    better: Literal["higher", "lower"],
    weights: ArrayLike | None = None,
    **options: object,
) -> StaggeredFit:
    """The effect on the gap: :func:`staggered` on each unit's oriented gap series.

    ``most``/``least`` are the two groups' values per cell; the gap is (most - least) x
    direction (:func:`focuson.study.sdid.gap_series`), so a positive effect means it narrowed.

    >>> unit, period = np.repeat(np.arange(6), 6), np.tile(np.arange(6), 6)
    >>> first = np.repeat([2.0, 3.0, 4.0, np.inf, np.inf, np.inf], 6)
    >>> d = period >= first
    >>> fit = staggered_gap(50 + 1.0 * d, 60 + 3.0 * d, unit, period, first, better="higher")
    >>> round(fit.estimate, 10)  # the least deprived gained 2 more: the gap widened by 2
    -2.0
    """
    g = gap_series(most, least, better=better)
    return staggered(g, unit, period, first_treated, weights=weights, **options)  # type: ignore[arg-type]


__all__ = ["StaggeredFit", "staggered", "staggered_gap"]
