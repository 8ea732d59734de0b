"""The design ladder (evaluation.md section 2): which design the data support, in words.

The product suggests; the analyst may override, and the override is recorded (the run says
which design the ladder suggested beside the plan's). Treatment starting in different months
always points to the staggered design: naive two-way fixed effects is biased there.

>>> suggest_design(starts=["2024-01", "2024-04"], comparison_units=8, pre_months=24,
...                total_months=36).design
'staggered'
>>> suggest_design(starts=["2024-01"], comparison_units=0, pre_months=24, total_months=36).design
'its'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from focuson.study.plan import Design, Plan, Window

#: Fewer points than this: descriptive only (an SPC run chart).
MIN_POINTS = 8
#: Pre-period months a single-group ITS needs, and synthetic designs need (with donors).
MIN_PRE_ITS, MIN_PRE_SYNTH, MIN_DONORS, MIN_ARM = 12, 24, 10, 10


@dataclass(frozen=True)
class Suggestion:
    """The design the ladder suggests and why, in one sentence."""

    design: Design
    reason: str


def suggest_design(
    *,
    starts: Sequence[str],
    comparison_units: int,
    pre_months: int,
    total_months: int,
    chosen_on_baseline: bool = False,
) -> Suggestion:
    """The rung of the ladder the situation reaches.

    Parameters
    ----------
    starts : the first month of each treated unit (one entry per treated unit).
    comparison_units : never-treated comparison units.
    pre_months, total_months : months before the (first) start, and in all.
    chosen_on_baseline : True when units were chosen because their baseline was bad.
    """
    treated = len(starts)
    if total_months < MIN_POINTS:
        return Suggestion(
            "descriptive", f"only {total_months} months: a run chart, no causal claim"
        )
    if chosen_on_baseline:
        return Suggestion("ancova", "units chosen for a bad baseline: ANCOVA on the baseline")
    if len(set(starts)) > 1:
        return Suggestion(
            "staggered",
            f"{treated} treated units start in {len(set(starts))} different months: "
            "heterogeneity-robust (imputation) difference-in-differences",
        )
    if comparison_units == 0:
        if pre_months >= MIN_PRE_ITS:
            return Suggestion("its", "no comparison units: single-group interrupted time series")
        return Suggestion(
            "descriptive", f"no comparison units and only {pre_months} months before the start"
        )
    if treated == 1 and comparison_units >= MIN_DONORS and pre_months >= MIN_PRE_SYNTH:
        return Suggestion(
            "sdid",
            f"one treated unit, {comparison_units} comparison units and {pre_months} months "
            "before: synthetic difference-in-differences with placebo inference",
        )
    if treated >= MIN_ARM and comparison_units >= MIN_ARM:
        return Suggestion(
            "did", f"{treated} treated and {comparison_units} comparison units: two-way fixed "
            "effects difference-in-differences",
        )  # fmt: skip
    return Suggestion(
        "comparative_its",
        f"{treated} treated unit(s) against {comparison_units} comparison unit(s): comparative "
        "interrupted time series",
    )


def suggest_for_plan(plan: Plan) -> Suggestion:
    """:func:`suggest_design` from what a plan says (its unit, rollout and windows)."""
    w = plan.windows
    starts = dict(plan.rollout)
    if plan.unit is not None:
        starts.setdefault(plan.unit.group, w.post.start)
    if not starts:
        starts = {"everyone": w.post.start}
    first = min(starts.values())
    pre = Window(start=w.pre.start, end=first).months - 1
    total = Window(start=w.pre.start, end=w.post.end).months
    return suggest_design(
        starts=list(starts.values()),
        comparison_units=len([u for u in plan.comparison_units if u not in starts]),
        pre_months=pre,
        total_months=total,
    )


__all__ = ["Suggestion", "suggest_design", "suggest_for_plan"]
