"""The comparative designs of ``focuson study``, each on the plan's unit and comparison units.

One function per design of the plan (evaluation.md section 2), each returning a
:class:`DesignFit`: the effects rows (overall, gap, groups), the oriented overall and gap
effects with their intervals for the verdict, the card's lines and its checks' facts. Series are
the published, disclosure-controlled levels (:mod:`focuson.runs.study_context`), never patient
rows.

- ``comparative_its``: the unit against the pooled comparison units (numerators and
  denominators summed), :mod:`focuson.study.comparative_its`;
- ``did``: two-way fixed effects on the units x months panel of published values, weighted by
  denominators, and the triple difference for the gap (:mod:`focuson.study.did`); with one
  treated unit its inference is a permutation test with no interval;
- ``synthetic_control`` and ``sdid``: :func:`focuson.study.sdid.sdid` (synthdid's estimators)
  with placebo standard errors, on the unit's series and on its oriented gap series;
- ``ancova``: pre- and post-window means per unit (:mod:`focuson.study.ancova`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from focuson.runs.study_context import Panel, StudyContext, panel
from focuson.runs.study_tables import _lines
from focuson.study.ancova import ancova, ancova_gap
from focuson.study.comparative_its import comparative_its, comparative_its_gap
from focuson.study.did import gap_did, twfe
from focuson.study.its import ItsEffect
from focuson.study.sdid import gap_series, sdid
from focuson.study.segments import POST, TSINCE, its_design
from focuson.study.synth import synthetic_control

#: Placebo replications for SC and SDID standard errors (the paper's Algorithm 4), and seed.
REPLICATIONS, SEED = 200, 0
#: What SC and SDID need for placebo inference (evaluation.md section 2): comparison units and
#: pre-period months. With fewer, the placebo SE rests on a handful of distinct placebo units
#: and on time weights the pre-period cannot pin down (7 boroughs and 12 months gave an SE of
#: 0.46 pp where the DiD's placebo SE was 2.7 pp).
MIN_DONORS, MIN_PRE = 10, 24


@dataclass
class DesignFit:
    """What a design gives the run: rows, oriented effects, card lines and check facts.

    ``overall``/``gap`` are ``(estimate, lower, upper)`` oriented (positive = better /
    narrowed) in published units, or None when not estimated; ``lines`` maps a card series
    ("overall", "most", "least") to its fitted/expected arrays over ``StudyContext.all_months``;
    ``facts`` holds what the checks panel says (pre-trend, placebo, autocorrelation).
    """

    method: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    relative: list[tuple[str, str, float, float, float]] = field(default_factory=list)
    overall: tuple[float, float, float] | None = None
    gap: tuple[float, float, float] | None = None
    lines: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    facts: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    placebo: bool = False
    no_interval: str | None = None  # why there is no interval (the verdict is descriptive)
    treated_clusters: int | None = None  # treated units, when more than the plan's one


def effect(name: str, est: float, se: float, lo: float, hi: float, p: float) -> ItsEffect:
    return ItsEffect(name, float(est), float(se), float(lo), float(hi), float(p), "absolute")


def oriented(e: ItsEffect, sign: int) -> ItsEffect:
    lo, hi = sorted((sign * e.lower, sign * e.upper))
    return ItsEffect(e.name, sign * e.estimate, e.se, lo, hi, e.p_value, e.scale)


def _row(estimand: str, group: str, e: ItsEffect, scale: float, orientation: str,
         se_convention: str, ljung_box_p: float = math.nan) -> dict[str, Any]:  # fmt: skip
    return {
        "estimand": estimand, "group": group, "estimate": e.estimate * scale,
        "se": e.se * scale, "lower": e.lower * scale, "upper": e.upper * scale,
        "p_value": e.p_value, "orientation": orientation, "se_convention": se_convention,
        "ljung_box_p": ljung_box_p,
    }  # fmt: skip


def _triple(e: ItsEffect, scale: float = 1.0) -> tuple[float, float, float]:
    return (e.estimate * scale, e.lower * scale, e.upper * scale)


def _pct(e: ItsEffect) -> tuple[float, float, float]:
    return (100 * e.estimate, 100 * e.lower, 100 * e.upper)


def _gap_panels(ctx: StudyContext) -> tuple[Panel, Panel]:
    """The gap groups' panels over the same units (complete in both groups)."""
    pm, pl = panel(ctx, "most", ctx.months), panel(ctx, "least", ctx.months)
    keep = [u for u in pm.units if u in pl.units]

    def sub(p: Panel) -> Panel:
        idx = [p.units.index(u) for u in keep]
        return Panel(tuple(keep), p.value[idx], p.numerator[idx], p.denominator[idx], p.complete)

    return sub(pm), sub(pl)


def _gap_label(ctx: StudyContext) -> str:
    return f"{ctx.most} vs {ctx.least}"


# --- comparative ITS --------------------------------------------------------------------------


def fit_comparative_its(ctx: StudyContext, p: Panel) -> DesignFit:
    plan, m = ctx.plan, ctx.model_options()
    counts = plan.model.family != "gaussian"

    def pooled(q: Panel) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
        if counts:
            return (
                q.numerator[0],
                q.denominator[0],
                q.numerator[1:].sum(0),
                q.denominator[1:].sum(0),
            )
        return q.value[0], None, q.value[1:].mean(0), None

    t, td, c, cd = pooled(p)
    fit = comparative_its(t, c, treated_denominator=td, comparison_denominator=cd, **m)
    d = DesignFit(
        f"comparative ITS against {len(p.units) - 1} comparison unit(s) pooled, segmented "
        f"regression ({plan.model.family}), average effect over the post-period"
    )
    o = oriented(fit.effect, ctx.sign)
    d.overall = _triple(o, ctx.multiplier)
    d.rows.append(_row("overall", ctx.group, o, ctx.multiplier, "positive = better", fit.errors,
                       fit.ljung_box_p))  # fmt: skip
    d.relative.append(("overall", ctx.group, *_pct(oriented(fit.relative, ctx.sign))))
    base = _all_design(ctx, fit.slope is not None)
    k, ng = base.shape[1], (4 if fit.slope is not None else 3)
    cols = [k + POST] + ([k + TSINCE] if fit.slope is not None else [])
    x = np.hstack([base, base[:, :ng]])
    d.lines["overall"] = _lines(fit.result, fit.family, x, cols, ctx.multiplier)
    slope_pre = fit.result.params[k + 1] * ctx.multiplier
    ci = np.asarray(fit.result.conf_int())[k + 1] * ctx.multiplier
    d.facts["trend"] = ("per month", f"{slope_pre:+.2f}", float(ci[0] > 0 or ci[1] < 0))
    d.facts["ljung_box"] = ("overall", f"{fit.ljung_box_lags}", fit.ljung_box_p)
    pm, pl = _gap_panels(ctx)
    if pm.complete and pl.complete and len(pm.units) >= 2:
        tm, tmd, cm, cmd = pooled(pm)
        tl, tld, cl, cld = pooled(pl)
        dens = (tmd, tld, cmd, cld) if counts else None
        g = comparative_its_gap(tm, tl, cm, cl, better=plan.outcome.better,
                                denominators=dens, **m)  # type: ignore[arg-type]  # fmt: skip
        d.gap = _triple(g.gap, ctx.multiplier)
        label = _gap_label(ctx)
        d.rows.append(_row("gap", label, g.gap, ctx.multiplier, "positive = narrowed", g.errors,
                           g.ljung_box_p))  # fmt: skip
        d.rows.append(_row("baseline_gap", label, g.baseline_gap, ctx.multiplier,
                           "positive = most deprived behind", g.errors))  # fmt: skip
        d.relative.append(("gap", label, *_pct(g.relative)))
        for name, e in zip((ctx.most, ctx.least), g.groups.values(), strict=True):
            d.rows.append(_row("group", name, e, ctx.multiplier, "as measured", g.errors))
        cols_g = cols + [c + 2 * ng for c in cols]
        z = np.zeros((len(base), ng))
        for name, xg in (("most", np.hstack([base, base[:, :ng], base[:, :ng], base[:, :ng]])),
                         ("least", np.hstack([base, base[:, :ng], z, z]))):  # fmt: skip
            d.lines[name] = _lines(g.result, g.family, xg, cols_g, ctx.multiplier)
        d.facts["ljung_box_gap"] = ("gap", f"{g.ljung_box_lags}", g.ljung_box_p)
    return d


def _all_design(ctx: StudyContext, slope: bool) -> np.ndarray:
    """The segment design for every month (transition rows on the pre-period trend)."""
    x = its_design(
        len(ctx.pre) + ctx.n_transition, len(ctx.post), fourier_pairs=ctx.plan.model.fourier_pairs,
        first_month=int(ctx.pre[0][5:]),
    )  # fmt: skip
    return x if slope else np.delete(x, TSINCE, axis=1)


# --- difference-in-differences ----------------------------------------------------------------


def fit_did(ctx: StudyContext, p: Panel) -> DesignFit:
    n_units, n_months = p.value.shape
    unit = np.repeat(np.arange(n_units), n_months)
    month = np.tile(np.arange(n_months), n_units)
    post = month >= len(ctx.pre)
    d_now = (unit == 0) & post
    fe = twfe(p.value.ravel(), unit, month, d_now, weights=p.denominator.ravel(), n_boot=999)
    d = DesignFit(
        f"difference-in-differences, two-way fixed effects on {n_units} units x {n_months} "
        "months of published values weighted by their denominators"
    )
    o = oriented(effect("overall", fe.estimate, fe.se, fe.lower, fe.upper, fe.p_value), ctx.sign)
    d.rows.append(_row("overall", ctx.group, o, 1.0, "positive = better", fe.note))
    cf = float(np.average(p.value[0, len(ctx.pre) :], weights=p.denominator[0, len(ctx.pre) :]))
    d.relative.append(("overall", ctx.group, 100 * o.estimate / (cf - fe.estimate), math.nan,
                       math.nan))  # fmt: skip
    if np.isfinite(fe.lower):
        d.overall = _triple(o)
    else:
        d.overall = (o.estimate, math.nan, math.nan)
        d.no_interval = (
            f"only {fe.n_treated_clusters} treated unit: difference-in-differences has no valid "
            f"interval ({fe.note}; p = {fe.p_value:.2g}). Designs sdid or synthetic_control give "
            "placebo intervals"
        )
    d.facts["placebo"] = ("permutation", fe.inference, fe.p_value)
    d.facts["leads"] = leads_placebo(p.value, len(ctx.pre))
    pm, pl = _gap_panels(ctx)
    if pm.complete and pl.complete and len(pm.units) >= 2:
        y = np.concatenate([pm.value.ravel(), pl.value.ravel()])
        w = np.concatenate([pm.denominator.ravel(), pl.denominator.ravel()])
        nu = len(pm.units)
        u2, m2 = np.tile(np.repeat(np.arange(nu), n_months), 2), np.tile(month[: nu * n_months], 2)
        at_risk = np.repeat([1.0, 0.0], nu * n_months)
        g = gap_did(y, u2, m2, (u2 == 0) & (m2 >= len(ctx.pre)), at_risk, weights=w, n_boot=999)
        ge = oriented(effect("gap", g.estimate, g.se, g.lower, g.upper, g.p_value), ctx.sign)
        d.gap = _triple(ge) if np.isfinite(g.lower) else (ge.estimate, math.nan, math.nan)
        d.rows.append(_row("gap", _gap_label(ctx), ge, 1.0, "positive = narrowed", g.note))
    return d


def leads_placebo(Y: np.ndarray, n_pre: int) -> tuple[str, str, float]:
    """Event-study leads of unit 0 and their placebo test, for one treated unit.

    With unit and period effects and a relative-time dummy for every period of one unit but the
    last pre-period (-1), each lead is that unit's change from -1 minus the other units' mean
    change (OLS); the pre-trend statistic is the leads' root mean square, and its p-value the
    rank of unit 0's among every unit's, each taken as if treated (no cluster SE exists with
    one treated unit; Conley & Taber 2011). Unweighted.
    """
    change = Y[:, : n_pre - 1] - Y[:, [n_pre - 1]]  # each unit's pre-period months minus -1
    others = (change.sum(axis=0) - change) / (len(Y) - 1)  # the other units' mean, per unit
    leads = change - others
    rms = np.sqrt(np.mean(leads**2, axis=1))
    p = float(np.mean(rms >= rms[0] - 1e-12))
    largest = float(leads[0, np.argmax(np.abs(leads[0]))])
    return ("leads", f"{largest:+.2f}", p)


# --- synthetic control and synthetic DiD -----------------------------------------------------


def fit_sdid(ctx: StudyContext, p: Panel, estimator: str) -> DesignFit:
    n_pre = len(ctx.pre)
    name = "synthetic control" if estimator == "sc" else "synthetic difference-in-differences"
    d = DesignFit(f"{name} (Arkhangelsky et al. 2021) on the published values, placebo SE")
    d.placebo = True

    def run(Y: np.ndarray) -> Any:
        order = np.r_[np.arange(1, len(Y)), 0]  # comparison units first, the unit last
        return sdid(Y[order], n_control=len(Y) - 1, n_pre=n_pre, estimator=estimator,  # type: ignore[arg-type]
                    replications=REPLICATIONS, seed=SEED)  # fmt: skip

    fit = run(p.value)
    n_donors = len(p.units) - 1
    if n_donors < MIN_DONORS or n_pre < MIN_PRE:
        d.no_interval = (
            f"{name} needs at least {MIN_DONORS} comparison units and {MIN_PRE} pre-period "
            f"months for placebo inference (evaluation.md section 2); this plan has {n_donors} "
            f"and {n_pre}. The estimate is {ctx.sign * fit.estimate:.1f}{ctx.shown} (positive = "
            "better)"
        )
    o = oriented(effect("overall", fit.estimate, fit.se, fit.lower, fit.upper, math.nan), ctx.sign)
    d.overall = _triple(o)
    d.rows.append(_row("overall", ctx.group, o, 1.0, "positive = better", fit.note))
    rel = (fit.relative, fit.relative_lower, fit.relative_upper)
    if ctx.sign < 0:
        rel = (-rel[0], -rel[2], -rel[1])
    d.relative.append(("overall", ctx.group, *(100 * r for r in rel)))
    # the expected line: weighted comparison units plus the (time-weighted) pre-period offset
    synth = fit.omega @ p.value[1:]
    offset = fit.lam @ (p.value[0, :n_pre] - synth[:n_pre])
    d.lines["overall"] = _expected(ctx, synth + offset)
    sc = synthetic_control(p.value.T, treated=0, n_pre=n_pre)
    d.facts["placebo"] = ("placebo-in-space", f"{sc.pre_rmspe:.3g}", sc.p_value)
    d.facts["fit"] = ("pre-RMSPE", f"{sc.pre_rmspe:.3g}", float(np.std(p.value[0, :n_pre])))
    pm, pl = _gap_panels(ctx)
    if pm.complete and pl.complete and len(pm.units) >= 3:
        gaps = gap_series(pm.value, pl.value, better=ctx.plan.outcome.better)
        g = run(gaps)
        ge = effect("gap", g.estimate, g.se, g.lower, g.upper, math.nan)
        d.gap = _triple(ge)
        d.rows.append(_row("gap", _gap_label(ctx), ge, 1.0, "positive = narrowed", g.note))
        # relative: the share of the expected gap closed (the oriented gap series is negative
        # when the most deprived are behind); none when they were not behind
        behind = -(float(gaps[0, n_pre:].mean()) - g.estimate)
        if behind > 0:
            d.relative.append(("gap", _gap_label(ctx), *(100 * v / behind for v in _triple(ge))))
    return d


def _expected(ctx: StudyContext, values: np.ndarray) -> dict[str, np.ndarray]:
    """Card lines over every month from values at the fitted (pre + post) months."""
    out = np.full(len(ctx.all_months), np.nan)
    where = [ctx.all_months.index(mo) for mo in ctx.months]
    out[where] = values
    nan = np.full(len(out), np.nan)
    return {"fitted": nan, "expected": out, "expected_lower": nan, "expected_upper": nan}


# --- ANCOVA -----------------------------------------------------------------------------------


def fit_ancova(ctx: StudyContext, p: Panel) -> DesignFit:
    n_pre = len(ctx.pre)

    def means(q: Panel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pre = np.average(q.value[:, :n_pre], axis=1, weights=q.denominator[:, :n_pre])
        post = np.average(q.value[:, n_pre:], axis=1, weights=q.denominator[:, n_pre:])
        return pre, post, q.denominator.mean(axis=1)

    pre, post, w = means(p)
    treated = (np.arange(len(pre)) == 0).astype(float)
    fit = ancova(post, pre, treated, weights=w)
    d = DesignFit(
        f"ANCOVA on the baseline: post-window mean on pre-window mean and treatment, "
        f"{len(pre)} units ({fit.se_type})"
    )
    o = oriented(fit.effect, ctx.sign)
    d.rows.append(_row("overall", ctx.group, o, 1.0, "positive = better", fit.note))
    d.relative.append(("overall", ctx.group, *_pct(oriented(fit.relative, ctx.sign))))
    d.overall = _triple(o)
    if fit.n_treated < 5:
        d.no_interval = (
            f"only {fit.n_treated} treated unit: ANCOVA's robust interval is not valid with so "
            f"few (Conley & Taber 2011); the baseline-adjusted difference is {o.estimate:.1f}"
            f"{ctx.shown} (a change score would say {ctx.sign * fit.change_score:.1f}{ctx.shown})"
        )
    d.facts["rtm"] = ("baseline slope", f"{fit.baseline_slope:.2f}", fit.change_score)
    pm, pl = _gap_panels(ctx)
    if pm.complete and pl.complete and len(pm.units) >= 3:
        (a, b, wa), (c, e, wc) = means(pm), means(pl)
        nu = len(pm.units)
        unit = np.r_[np.arange(nu), np.arange(nu)]
        g = ancova_gap(np.r_[b, e], np.r_[a, c], (unit == 0).astype(float),
                       np.repeat([1.0, 0.0], nu), unit=unit, better=ctx.plan.outcome.better,
                       weights=np.r_[wa, wc])  # fmt: skip
        d.gap = _triple(g.gap)
        d.rows.append(_row("gap", _gap_label(ctx), g.gap, 1.0, "positive = narrowed", g.note))
    return d


def fit_design(ctx: StudyContext) -> DesignFit | None:
    """Fit the plan's design; None when the unit's own series has a missing month."""
    p = panel(ctx, "unit", ctx.months)
    if not p.complete:
        return None
    if len(p.units) < 3 and ctx.plan.design in (
        "synthetic_control",
        "sdid",
        "did",
        "ancova",
        "staggered",
    ):
        from focuson.runs.study_series import StudyError

        raise StudyError(
            f"design '{ctx.plan.design}' needs at least 2 comparison units with every month "
            f"published; {len(p.units) - 1} left. Add comparison_units to the plan."
        )
    design = ctx.plan.design
    if design == "comparative_its":
        return fit_comparative_its(ctx, p)
    if design == "did":
        return fit_did(ctx, p)
    if design == "staggered":
        from focuson.runs.study_staggered import fit_staggered  # it builds on this module

        return fit_staggered(ctx, p)
    if design in ("synthetic_control", "sdid"):
        return fit_sdid(ctx, p, "sc" if design == "synthetic_control" else "sdid")
    return fit_ancova(ctx, p)


__all__ = ["DesignFit", "fit_design"]
