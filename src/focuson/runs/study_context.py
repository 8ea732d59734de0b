"""What every Study design reads from a plan and a monitoring run's published levels.

:func:`study_context` checks the plan against the published ``levels.parquet`` (the indicator,
the unit, its gap groups and the comparison units exist) and gathers the windows, the units of
the effect and the words of the verdict. :func:`panel` gives a units x months table of the
unit and its comparison units (one series each, never patient rows): a comparison unit with a
suppressed or missing month in the windows is left out, and the notes say which.

>>> from focuson.study.plan import Window
>>> len(months_of(Window(start="2023-04", end="2024-03")))
12
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.runs.study_series import (
    COLUMNS,
    GAP_DIMENSIONS,
    StudyError,
    check_group,
    months_of,
    published_series,
    value_multiplier,
)
from focuson.study.plan import Plan, Window


@dataclass(frozen=True)
class StudyContext:
    """A plan read against the published levels: names, windows, units and the words."""

    plan: Plan
    table: pd.DataFrame
    title: str
    unit_name: str
    dimension: str  # the unit's breakdown ("overall" for everyone)
    group: str
    gap_dimension: str
    most: str
    least: str
    comparison: tuple[str, ...]
    pre: list[str]
    post: list[str]
    n_transition: int
    multiplier: float
    units: str
    shown: str
    sign: int
    gap_name: str
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # comparison groups with a missing month

    @property
    def months(self) -> list[str]:
        """The months fitted: pre then post (the transition left out)."""
        return self.pre + self.post

    @property
    def all_months(self) -> list[str]:
        """Every month from the start of the pre window to the end of the post window."""
        w = self.plan.windows
        return months_of(Window(start=w.pre.start, end=w.post.end))

    def model_options(self) -> dict[str, Any]:
        """The plan's model as keyword arguments of the segmented-regression fits."""
        m = self.plan.model
        return {
            "n_pre": len(self.pre), "family": m.family, "n_transition": self.n_transition,
            "fourier_pairs": m.fourier_pairs, "first_month": int(self.pre[0][5:]),
            "slope_change": m.impact != "level", "errors": "hac", "hac_lags": m.hac_lags,
        }  # fmt: skip

    def gap_group(self, unit: str, which: str) -> str:
        """The published group of a unit's gap group (``"Brent | 1"``)."""
        g = self.plan.gap.most if which == "most" else self.plan.gap.least
        return g if self.dimension == "overall" else f"{unit} | {g}"


def study_context(plan: Plan, plan_path: Path, source: Path) -> StudyContext:
    """Read the plan's indicator from ``source`` and check every group the plan names.

    Raises
    ------
    StudyError
        When the indicator, the unit, a gap group or a comparison unit is not published,
        naming what is there.
    """
    indicator = plan.outcome.indicator
    table = pd.read_parquet(
        source,
        columns=[*COLUMNS, "indicator_title", "suppressed"],
        filters=[("indicator", "==", indicator)],
    )
    if table.empty:
        known = pd.read_parquet(source, columns=["indicator"])["indicator"].unique()
        raise StudyError(
            f"{plan_path.name}: outcome.indicator '{indicator}' is not in {source}; it has: "
            f"{', '.join(sorted(known))}. Fix the plan's outcome."
        )
    gap_dim = GAP_DIMENSIONS[plan.gap.by]
    unit = plan.unit
    if unit is None:
        dim, grp, unit_name, gdim = "overall", "All", "everyone", gap_dim
        if plan.comparison_units and plan.design not in ("its", "descriptive"):
            raise StudyError(
                f"{plan_path.name}: comparison_units need the plan's unit (unit: {{dimension: "
                "borough, group: ...}): the comparison units are other groups of its breakdown."
            )
    else:
        dim, grp, unit_name = unit.dimension, unit.group, f"{unit.dimension} {unit.group}"
        gdim = f"{unit.dimension} x {gap_dim}"
    check_group(table, dim, grp, "the plan's unit")
    comparison = tuple(plan.comparison_units)
    if plan.design == "staggered":  # the other treated units, then the never-treated ones
        rolled = tuple(u for u in plan.rollout if u != grp and u not in comparison)
        for u in rolled:
            check_group(table, dim, u, "the plan's rollout")
        comparison = rolled + comparison
    for c in plan.comparison_units:
        if c == grp:
            raise StudyError(f"{plan_path.name}: the unit {grp} is also a comparison unit.")
        check_group(table, dim, c, "the plan's comparison_units")
    w = plan.windows
    family = plan.model.family
    mult = value_multiplier(table)
    units = "pp" if abs(mult - 100) < 1e-9 else "indicator units"
    if family == "gaussian":
        mult = 1.0  # gaussian fits the published value itself
    gap_name = f"between {plan.gap.by} {plan.gap.most} and {plan.gap.least}"
    if plan.gap.by == "imd_quintile":
        gap_name = (
            "between the most and least deprived fifths of areas"
            if (plan.gap.most, plan.gap.least) == ("1", "5")
            else f"between IMD quintiles {plan.gap.most} and {plan.gap.least} (1 = most deprived)"
        )
    title = str(table["indicator_title"].iloc[0]) if "indicator_title" in table else indicator
    ctx = StudyContext(
        plan=plan, table=table, title=title, unit_name=unit_name, dimension=dim, group=grp,
        gap_dimension=gdim, most="", least="", comparison=comparison,
        pre=months_of(w.pre), post=months_of(w.post),
        n_transition=len(months_of(Window(start=w.pre.end, end=w.post.start))) - 2,
        multiplier=mult, units=units, shown=" pp" if units == "pp" else "",
        sign=1 if plan.outcome.better == "higher" else -1, gap_name=gap_name,
    )  # fmt: skip
    most, least = ctx.gap_group(grp, "most"), ctx.gap_group(grp, "least")
    for g in (most, least):
        check_group(table, gdim, g, "the plan's gap groups")
    return StudyContext(**{**ctx.__dict__, "most": most, "least": least})


@dataclass(frozen=True)
class Panel:
    """Units x months of the published series: the treated unit first, then comparison units.

    ``value`` is the published value (e.g. %), ``numerator``/``denominator`` the published
    (rounded) counts; ``units`` names the rows. Only complete units are kept.
    """

    units: tuple[str, ...]
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    complete: bool  # False when the treated unit itself has a missing month


def _missing_note(name: str, s: pd.DataFrame, n: int) -> str:
    first = s.index[s["missing"]][0]
    return (
        f"{name}: {int(s['missing'].sum())} of {n} months suppressed or not published (from "
        f"{first}); they are missing points, never filled in."
    )


def panel(ctx: StudyContext, which: str, months: list[str], *, record: bool = True) -> Panel:
    """The treated unit and its complete comparison units over ``months``.

    ``which`` is ``"unit"`` (the units' own series) or ``"most"``/``"least"`` (their gap
    groups). A unit with a missing month is left out and (with ``record``) named in
    ``ctx.notes``.
    """
    units, frames = [], []
    for u in (ctx.group, *ctx.comparison):
        dim = ctx.dimension if which == "unit" else ctx.gap_dimension
        grp = u if which == "unit" else ctx.gap_group(u, which)
        s = published_series(ctx.table, dim, grp, months)
        if s["missing"].any():
            if u != ctx.group:
                if record and grp not in ctx.left_out:
                    ctx.left_out.append(grp)
                continue
            note = _missing_note(grp, s, len(months))
            if record and note not in ctx.notes:
                ctx.notes.append(note)
        units.append(u)
        frames.append(s)
    complete = not frames[0]["missing"].any()

    def stack(col: str) -> np.ndarray:
        return np.vstack([f[col].to_numpy(float) for f in frames])

    return Panel(tuple(units), stack("value"), stack("numerator"), stack("denominator"), complete)


__all__ = ["Panel", "StudyContext", "months_of", "panel", "study_context"]
