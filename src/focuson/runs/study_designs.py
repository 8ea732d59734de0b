"""``focuson study`` for every design but the single-group ITS, and the descriptive path.

:func:`run_design` reads the plan against the published levels
(:mod:`focuson.runs.study_context`), fits its design (:mod:`focuson.runs.study_fits`), works
out the minimum detectable effects, judges the overall effect and the gap, and writes the same
results folder as the ITS (:func:`focuson.runs.study.write_results`).

**Descriptive only** (evaluation.md sections 2 and 6): a plan with ``design: descriptive``, or
with fewer than 8 months in its windows, gets no causal claim. The unit's monthly series is put
on an XmR run chart (:func:`focuson.spc.xmr`, limits from the pre-period) and the run says, in
words, whether the months after the change show special cause, and that the Study is not
evaluable yet.

The minimum detectable effect of a comparative design is worked out as an ITS level change of
the unit's difference from the comparison units' mean over the pre-period (its own noise and
autocorrelation): an approximation the power sentence names.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.runs.study import Step, StudyRun, _verdict_row, write_results
from focuson.runs.study_context import StudyContext, panel, study_context
from focuson.runs.study_fits import DesignFit, fit_design
from focuson.runs.study_series import published_series
from focuson.runs.study_tables import SERIES_COLUMNS, CardTables, Published, _series_rows
from focuson.spc import xmr
from focuson.study.ladder import suggest_for_plan
from focuson.study.plan import Plan
from focuson.study.power import its_mde, power_statement
from focuson.study.verdict import StudyVerdict, study_verdict

EFFECT_COLUMNS = [
    "estimand", "indicator", "unit", "group", "estimate", "se", "lower", "upper", "p_value",
    "units", "orientation", "method", "se_convention", "ljung_box_p",
]  # fmt: skip
CHECK_COLUMNS = ["check", "status", "sentence", "value"]


def _check(check: str, status: str, sentence: str, value: float = math.nan) -> dict[str, Any]:
    return {"check": check, "status": status, "sentence": sentence, "value": value}


def _series(ctx: StudyContext, lines: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """The card's series table: the unit and its gap groups, every month, with any lines."""
    months = ctx.all_months
    phases = ["pre"] * len(ctx.pre) + ["transition"] * ctx.n_transition
    phases += ["post"] * (len(months) - len(phases))
    rows = []
    for name, dim, grp in (
        ("overall", ctx.dimension, ctx.group),
        ("most", ctx.gap_dimension, ctx.most),
        ("least", ctx.gap_dimension, ctx.least),
    ):
        pub = Published(dim, grp, published_series(ctx.table, dim, grp, months))
        rows.append(_series_rows(name, pub, months, phases, lines.get(name)))
    return pd.DataFrame(pd.concat(rows, ignore_index=True), columns=SERIES_COLUMNS)


def _checks(ctx: StudyContext, d: DesignFit | None, series: pd.DataFrame) -> pd.DataFrame:
    f = d.facts if d is not None else {}
    rows = []
    if "trend" in f:
        _, slope, differs = f["trend"]
        rows.append(_check(
            "parallel_trends", "warning" if differs else "pass",
            f"Before the change the unit's trend differed from the comparison's by {slope} a "
            "month" + (" (its interval excludes zero): comparative ITS allows for it, but ask "
                       "why." if differs else ", within chance."),
        ))  # fmt: skip
    elif "fit" in f:
        _, rmspe, sd = f["fit"]
        rows.append(_check(
            "parallel_trends", "pass" if float(rmspe) < sd else "warning",
            f"The weighted comparison units track the unit before the change with a root mean "
            f"squared error of {rmspe} (the unit's own spread: {sd:.3g}).", float(rmspe),
        ))  # fmt: skip
    elif "pretrend" in f:
        _, largest, p = f["pretrend"]
        rows.append(_check(
            "parallel_trends", "warning" if p < 0.05 else "pass",
            f"Event-time leads before each unit's start (largest {largest}{ctx.shown}): the "
            f"joint test that they are all zero gives p = {p:.2g}"
            + (": the trends before the change were not parallel." if p < 0.05
               else ", within chance."), p,
        ))  # fmt: skip
    elif "leads" in f:
        _, largest, p = f["leads"]
        rows.append(_check(
            "parallel_trends", "warning" if p < 0.1 else "pass",
            f"Event-study leads before the change (largest {largest}{ctx.shown} against the "
            f"month before it): their size ranks p = {p:.2g} among the units each taken as if "
            "treated" + (": the trends before the change were not parallel." if p < 0.1
                         else ", within chance."), p,
        ))  # fmt: skip
    else:
        rows.append(_check("parallel_trends", "not applicable", "Not tested for this design."))
    lb = [v for k, v in f.items() if k.startswith("ljung_box")]
    if lb:
        worst = min(p for _, _, p in lb)
        words = "; ".join(f"the {n} p = {p:.2g} at {lags} lags" for n, lags, p in lb)
        status = "warning" if worst < 0.05 else "pass"
        rows.append(_check("autocorrelation", status, f"Ljung-Box test: {words}.", worst))
    else:
        words = "Not a time-series model: the comparison units carry the shared shocks."
        rows.append(_check("autocorrelation", "not applicable", words))
    rows.append(_check(
        "seasonality", "pass" if ctx.comparison else "not applicable",
        "The comparison units share the season, so it cancels." if ctx.comparison
        else "No comparison units.",
    ))  # fmt: skip
    if "placebo" in f:
        kind, _, p = f["placebo"]
        words = (f"Placebo in space: the unit's post/pre error ratio ranks with p = {p:.2g} among "
                 "the comparison units refitted as if treated." if kind == "placebo-in-space"
                 else f"Permutation test over which unit was treated: p = {p:.2g}.")  # fmt: skip
        rows.append(_check("placebo", "pass" if p <= 0.1 else "warning", words, p))
    elif "rtm" in f:
        _, slope, change = f["rtm"]
        rows.append(_check(
            "placebo", "not applicable",
            f"Regression to the mean: the baseline slope is {slope} (1 = none); a change score "
            f"would have said {ctx.sign * change:.1f}{ctx.shown}.", change,
        ))  # fmt: skip
    else:
        rows.append(_check("placebo", "not applicable", "No placebo test for this design yet."))
    gone = [n for n in ctx.notes if "suppressed or not published" in n]
    if ctx.left_out:
        gone.append(f"Left out of the comparison: {', '.join(ctx.left_out)}.")
    rows.append(_check(
        "suppression", "warning" if gone else "pass",
        " ".join(gone) if gone else "No month suppressed in the windows.", float(len(gone)),
    ))  # fmt: skip
    rows.append(_check(
        "comparisons", "pass",
        "Two pre-declared comparisons: one primary outcome and one gap, both in the frozen plan.",
        2.0,
    ))  # fmt: skip
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def _mde(ctx: StudyContext) -> tuple[float, float]:
    """MDE of a level change of the unit's difference from the comparison units' mean."""
    opts = {"fourier_pairs": ctx.plan.model.fourier_pairs, "first_month": int(ctx.pre[0][5:])}
    out = []
    for which in ("unit", "gap"):
        if which == "unit":
            q = panel(ctx, "unit", ctx.pre, record=False)
            x, units = (q.value if q.complete else None), q.units
        else:
            qm = panel(ctx, "most", ctx.pre, record=False)
            ql = panel(ctx, "least", ctx.pre, record=False)
            ok = qm.complete and ql.complete and qm.units == ql.units
            x, units = (qm.value - ql.value if ok else None), qm.units
        if x is not None and ctx.plan.rollout:
            # other treated units may start inside the pre window: only never-treated compare
            x = x[[i for i, u in enumerate(units) if i == 0 or u not in ctx.plan.rollout]]
        if x is None:
            out.append(math.nan)
            continue
        diff = x[0] - x[1:].mean(axis=0) if len(x) > 1 else x[0]
        out.append(float(its_mde(diff, len(ctx.post), **opts)[0][0]))  # type: ignore[arg-type]
    return out[0], out[1]


def _descriptive(ctx: StudyContext, reason: str) -> StudyVerdict:
    """An XmR run chart of the unit's series, limits from the pre-period, in words."""
    s = published_series(ctx.table, ctx.dimension, ctx.group, ctx.all_months)
    values = s["value"].where(~s["missing"]).to_numpy(float)
    improvement = "increase" if ctx.sign > 0 else "decrease"
    chart = xmr(values, improvement=improvement, fix_after_n_points=max(12, len(ctx.pre)))
    start = len(ctx.pre) + ctx.n_transition
    types = chart.point_type.ravel()[start:]
    better = int(np.sum(types == "special_cause_improvement"))
    worse = int(np.sum(types == "special_cause_concern"))
    mean = float(np.ravel(chart.mean)[0])
    words = f"Run chart of {ctx.title} in {ctx.unit_name} (XmR, centre line {mean:.1f}{ctx.shown}"
    words += f" from the first {max(12, len(ctx.pre))} months): "
    if better or worse:
        words += f"after the change {better} month(s) show special cause improvement and "
        words += f"{worse} special cause concern."
    else:
        words += "after the change every month is common-cause variation."
    line = f"Descriptive only, not evaluable yet: {reason}."
    return StudyVerdict(None, None, "none", line, words, reason)


def run_design(
    plan: Plan, plan_path: Path, source: Path, out: Path, say: Step, overwrite: bool
) -> StudyRun:
    """Run a plan whose design is not the single-group ITS, or one with too few months."""
    ctx = study_context(plan, plan_path, source)
    n_points = len(ctx.months)
    ladder = suggest_for_plan(plan)
    if ladder.design != plan.design:
        ctx.notes.append(
            f"The design ladder suggests {ladder.design.replace('_', ' ')} ({ladder.reason}); "
            f"the plan chose {plan.design.replace('_', ' ')}: an analyst's choice, recorded here."
        )
    d: DesignFit | None = None
    if plan.design == "descriptive" or n_points < 8:
        say("Drawing the run chart (descriptive only)")
        why = ("the plan's design is descriptive" if plan.design == "descriptive"
               else f"only {n_points} months in the windows (at least 8 are needed)")  # fmt: skip
        verdict = _descriptive(ctx, why)
        mde_o = mde_g = math.nan
        power = "No minimum detectable effect: a descriptive Study makes no causal claim."
    else:
        say(f"Fitting the design: {plan.design.replace('_', ' ')}")
        d = fit_design(ctx)
        say("Working out the minimum detectable effects")
        mde_o, mde_g = _mde(ctx)
        swc = plan.smallest_worthwhile_change
        if np.isfinite(mde_o):
            power = power_statement(mde_o, mde_g, swc.gap, overall_change=swc.overall,
                                    unit=ctx.shown)  # fmt: skip
            power += (" (MDE of a level change in the unit's difference from the comparison "
                      "units, from the pre-period.)")  # fmt: skip
        else:
            power = "The minimum detectable effect could not be worked out: pre-period months "
            power += f"of {ctx.unit_name} are suppressed."
        verdict = _verdict(ctx, d, n_points)
    if ctx.left_out:
        ctx.notes.append(
            "Left out of the comparison (a suppressed or unpublished month in the windows, never "
            f"filled in): {', '.join(ctx.left_out)}."
        )
    rows = [] if d is None else d.rows
    common = {"indicator": plan.outcome.indicator, "unit": ctx.unit_name, "units": ctx.units,
              "method": d.method if d is not None else "descriptive: run chart"}  # fmt: skip
    effects = pd.DataFrame([{**common, **r} for r in rows], columns=EFFECT_COLUMNS)
    verdicts = pd.DataFrame(
        [
            _verdict_row("overall", verdict.overall, verdict.overall_line, mde_o),
            _verdict_row("gap", verdict.gap, verdict.gap_line, mde_g),
        ]
    ).assign(flag=verdict.flag)
    series = _series(ctx, d.lines if d is not None else {})
    relative = pd.DataFrame(
        d.relative if d is not None else [],
        columns=["estimand", "group", "relative", "relative_lower", "relative_upper"],
    )
    card = CardTables(series, relative, _checks(ctx, d, series))
    return write_results(
        plan, plan_path, source, out, say, overwrite, effects=effects, verdict=verdict,
        verdicts=verdicts, power=power, notes=ctx.notes, card=card, title=ctx.title,
    )  # fmt: skip


def _verdict(ctx: StudyContext, d: DesignFit | None, n_points: int) -> StudyVerdict:
    if d is None or d.overall is None:
        reason = f"months of {ctx.unit_name} are suppressed or missing in the windows"
        return StudyVerdict(None, None, "none", f"Descriptive only, no verdict: {reason}.",
                            "Not evaluable yet.", reason)  # fmt: skip
    if d.no_interval is not None:
        return StudyVerdict(None, None, "none", f"Descriptive only, no verdict: {d.no_interval}.",
                            "Not evaluable yet.", d.no_interval)  # fmt: skip
    swc = ctx.plan.smallest_worthwhile_change
    gap_ok = d.gap is not None and all(np.isfinite(d.gap))
    v = study_verdict(
        d.overall, d.gap if gap_ok else d.overall,  # type: ignore[arg-type]
        delta_overall=swc.overall, delta_gap=swc.gap,
        outcome=f"{ctx.title} in {ctx.unit_name}", gap_name=ctx.gap_name, unit=ctx.shown,
        n_points=n_points, placebo_inference=d.placebo,
        treated_clusters=None if ctx.plan.design == "comparative_its" else
        (d.treated_clusters or 1),
        pre_trend_failed="pretrend" in d.facts and d.facts["pretrend"][2] < 0.05,
    )  # fmt: skip
    if not gap_ok and v.overall is not None:
        from dataclasses import replace

        v = replace(v, gap=None, flag="amber", gap_line=(
            f"The gap {ctx.gap_name} could not be estimated: its groups' months are suppressed "
            "for the unit or too few comparison units publish them."))  # fmt: skip
    return v


__all__ = ["run_design"]
