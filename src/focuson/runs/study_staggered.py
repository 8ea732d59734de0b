"""``focuson study`` with ``design: staggered``: treated units starting in different months.

The plan's ``rollout`` names each treated unit's first month (the plan's unit starts with the
post window unless named); its other units are never treated. The units x months panel of
published values, weighted by denominators, goes to the imputation estimator
(:func:`focuson.study.staggered.staggered`, Borusyak, Jaravel & Spiess 2024) with a unit
bootstrap; the gap is the same estimator on each unit's oriented gap series
(:func:`focuson.study.staggered.staggered_gap`). The event-time effects, leads included, are
written as ``event_time`` rows of the effects table (group: months since the start, "+0",
"-3") for the card's event-time chart; the leads' joint test is the pre-trend check.
"""

from __future__ import annotations

import math

import numpy as np

from focuson.runs.study_context import Panel, StudyContext
from focuson.runs.study_fits import DesignFit, _gap_label, _gap_panels, _row, _triple, effect
from focuson.runs.study_fits import oriented as _oriented
from focuson.runs.study_series import StudyError
from focuson.study.staggered import StaggeredFit, staggered, staggered_gap

#: Bootstrap replicates and seed; leads shown before each unit's start.
REPLICATIONS, SEED, LEADS = 200, 0, 6


def _first_months(ctx: StudyContext, units: tuple[str, ...]) -> np.ndarray:
    """Each unit's first treated month as an index into ``ctx.all_months`` (inf: never)."""
    rollout = dict(ctx.plan.rollout)
    rollout.setdefault(ctx.group, ctx.plan.windows.post.start)
    return np.array(
        [float(ctx.all_months.index(rollout[u])) if u in rollout else math.inf for u in units]
    )


def _fit(ctx: StudyContext, p: Panel, gap: Panel | None = None) -> StaggeredFit:
    n_units, n_months = p.value.shape
    columns = np.array([ctx.all_months.index(m) for m in ctx.months], dtype=float)
    unit = np.repeat(np.arange(n_units), n_months)
    period = np.tile(columns, n_units)
    first = np.repeat(_first_months(ctx, p.units), n_months)
    opts = {"leads": LEADS, "n_boot": REPLICATIONS, "seed": SEED}
    try:
        if gap is None:
            return staggered(p.value.ravel(), unit, period, first, weights=p.denominator.ravel(),
                             **opts)  # fmt: skip
        return staggered_gap(p.value.ravel(), gap.value.ravel(), unit, period, first,
                             better=ctx.plan.outcome.better, **opts)  # fmt: skip
    except ValueError as exc:
        raise StudyError(f"design 'staggered': {exc}") from None


def fit_staggered(ctx: StudyContext, p: Panel) -> DesignFit:
    """The overall effect, the gap and the event-time effects of a staggered roll-out."""
    fit = _fit(ctx, p)
    d = DesignFit(
        f"staggered difference-in-differences (imputation, Borusyak, Jaravel & Spiess 2024) on "
        f"{fit.n_units} units ({fit.n_treated_units} treated in {fit.n_cohorts} cohort(s)) x "
        f"{len(ctx.months)} months of published values weighted by their denominators"
    )
    d.treated_clusters = fit.n_treated_units
    o = _oriented(effect("overall", fit.estimate, fit.se, fit.lower, fit.upper, fit.p_value),
                  ctx.sign)  # fmt: skip
    d.overall = _triple(o)
    d.rows.append(_row("overall", ctx.group, o, 1.0, "positive = better", fit.note))
    # relative to what was expected: the treated months' weighted mean without the effect
    # (its interval treats that mean as known: the effect's uncertainty dominates)
    columns = np.array([ctx.all_months.index(m) for m in ctx.months], dtype=float)
    on = columns[None, :] >= _first_months(ctx, p.units)[:, None]
    expected = np.average(p.value[on], weights=p.denominator[on]) - fit.estimate
    d.relative.append(("overall", ctx.group, *(100 * v / expected for v in _triple(o))))
    for k, est, se, lo, hi in zip(fit.relative_time, fit.event_estimate, fit.event_se,
                                  fit.event_lower, fit.event_upper, strict=True):  # fmt: skip
        ek = _oriented(effect("event_time", est, se, lo, hi, math.nan), ctx.sign)
        d.rows.append(_row("event_time", f"{int(k):+d}", ek, 1.0, "positive = better", fit.note))
    leads = fit.event_estimate[fit.relative_time < 0]
    if leads.size:
        largest = float(ctx.sign * leads[np.argmax(np.abs(leads))])
        d.facts["pretrend"] = ("leads", f"{largest:+.2f}", fit.pretrend_p)
    pm, pl = _gap_panels(ctx)
    if pm.complete and pl.complete and len(pm.units) >= 3:
        try:
            g = _fit(ctx, pm, pl)
        except StudyError as exc:
            ctx.notes.append(f"The gap was not estimated: {exc}")
        else:
            ge = effect("gap", g.estimate, g.se, g.lower, g.upper, g.p_value)
            d.gap = _triple(ge)
            d.rows.append(_row("gap", _gap_label(ctx), ge, 1.0, "positive = narrowed", g.note))
    return d


__all__ = ["fit_staggered"]
