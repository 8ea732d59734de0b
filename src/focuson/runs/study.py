"""The whole of Study from a plan and a monitoring results folder (``focuson study``).

``run_study`` reads a Study plan (:mod:`focuson.study.plan`), takes the unit's level series and
its gap groups' series from the published, disclosure-controlled ``monitor/levels.parquet`` of
a monitoring run (never patient rows), fits the plan's design, works out the minimum detectable
effects from the pre-period, judges the overall effect and the gap against the smallest
worthwhile changes, and writes a results folder whole or not at all (:mod:`focuson.runs.output`):
``effects.parquet``, ``verdict.parquet``, the frozen plan ``plan.json`` and ``manifest.json``.

The single-group interrupted time series (design ``its``) is fitted here; the other designs,
and a plan with fewer than 8 months (descriptive only: a run chart), run in
:mod:`focuson.runs.study_designs`, which writes its results with :func:`write_results`.

A suppressed month is a missing point: it is never filled in. A series with a suppressed or
missing month in its windows is not fitted (the segmented regression needs every month), and
the verdict says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson import __version__
from focuson.find.results import sha256, write_manifest, write_parquet
from focuson.runs.output import STUDY_KIND, replacing, timestamp
from focuson.runs.study_context import study_context
from focuson.runs.study_series import (
    StudyError,
    levels_file,
    months_of,
    published_series,
    value_multiplier,
)
from focuson.runs.study_tables import CARD_FILES, CardTables, its_card_tables, write_card
from focuson.study.its import ItsEffect, its
from focuson.study.its_gap import its_gap
from focuson.study.plan import Plan, Window, freeze, plan_hash, read_plan
from focuson.study.power import its_mde, power_statement
from focuson.study.verdict import StudyVerdict, Verdict, study_verdict

Step = Callable[[str], None]

EFFECTS_FILE, VERDICT_FILE, PLAN_FILE, MANIFEST_FILE = (
    "effects.parquet",
    "verdict.parquet",
    "plan.json",
    "manifest.json",
)
STUDY_FILES = frozenset({EFFECTS_FILE, VERDICT_FILE, PLAN_FILE, MANIFEST_FILE, *CARD_FILES})

#: Fewer months than this (pre + post) give a descriptive Study: a run chart, no verdict.
MIN_POINTS = 8


@dataclass(frozen=True)
class StudyRun:
    """What ``run_study`` produced."""

    effects: pd.DataFrame
    verdict: StudyVerdict
    power: str
    notes: tuple[str, ...]
    out_dir: Path
    files: dict[str, Path]


def _row(estimand: str, group: str, e: ItsEffect, scale: float, **extra: Any) -> dict[str, Any]:
    return {
        "estimand": estimand,
        "group": group,
        "estimate": e.estimate * scale,
        "se": e.se * scale,
        "lower": e.lower * scale,
        "upper": e.upper * scale,
        "p_value": e.p_value,
        **extra,
    }


def _oriented(e: ItsEffect, sign: int) -> ItsEffect:
    lo, hi = sorted((sign * e.lower, sign * e.upper))
    return ItsEffect(e.name, sign * e.estimate, e.se, lo, hi, e.p_value, e.scale)


def _verdict_row(estimand: str, v: Verdict | None, sentence: str, mde: float) -> dict[str, Any]:
    return {
        "estimand": estimand,
        "verdict": v.label if v is not None else "Descriptive only",
        "category": v.category if v is not None else "descriptive",
        "decision": v.decision if v is not None else "not evaluable yet",
        "smallest_worthwhile_change": v.delta if v is not None else np.nan,
        "minimum_detectable_effect": mde,
        "sentence": sentence,
    }


def run_study(
    plan_file: Path | str,
    out_dir: Path | str,
    *,
    levels: Path | str | None = None,
    step: Step | None = None,
    overwrite: bool = False,
) -> StudyRun:
    """Run the plan's Study on a monitoring run's published series and write the results.

    Parameters
    ----------
    plan_file
        The Study plan (YAML, :mod:`focuson.study.plan`).
    out_dir
        The results folder to write (replaced whole).
    levels
        The monitoring results folder (``focuson monitor --out``); default: the plan's
        ``levels``, relative to the plan file.
    step
        Called with a plain-English line as each step starts.
    overwrite
        Replace ``out_dir`` whatever it holds.

    Returns
    -------
    StudyRun

    Raises
    ------
    StudyError, focuson.study.plan.PlanError
        With what is wrong and what to do.
    """
    say = step or (lambda _: None)
    plan_path = Path(plan_file)
    say("Reading the plan")
    plan = read_plan(plan_path)
    if levels is None and plan.levels is None:
        raise StudyError(
            f"{plan_path.name}: no monitoring results named. Give --levels RESULTS (the --out "
            "folder of focuson monitor) or set levels: in the plan."
        )
    folder = Path(levels) if levels is not None else plan_path.parent / str(plan.levels)
    source = levels_file(folder)
    say("Reading the published level series")
    if plan.design != "its" or plan.windows.pre.months + plan.windows.post.months < MIN_POINTS:
        # the other designs, and too few points for any: focuson.runs.study_designs
        from focuson.runs.study_designs import run_design

        return run_design(plan, plan_path, source, Path(out_dir), say, overwrite)
    return _run(plan, plan_path, source, Path(out_dir), say, overwrite)


def _run(
    plan: Plan, plan_path: Path, source: Path, out: Path, say: Step, overwrite: bool
) -> StudyRun:
    ctx = study_context(plan, plan_path, source)
    table, indicator, unit_name, title = ctx.table, plan.outcome.indicator, ctx.unit_name, ctx.title
    dim, grp, gdim, most, least = ctx.dimension, ctx.group, ctx.gap_dimension, ctx.most, ctx.least
    w = plan.windows
    pre, post, between = ctx.pre, ctx.post, ctx.n_transition
    months = pre + post
    family = plan.model.family
    mult = 1.0 if family == "gaussian" else value_multiplier(table)
    units = "pp" if family == "binomial" and abs(mult - 100) < 1e-9 else "indicator units"
    shown = " pp" if units == "pp" else ""
    sign = ctx.sign
    options: dict[str, Any] = ctx.model_options()
    s_unit, s_most, s_least = (
        published_series(table, d, g, months) for d, g in ((dim, grp), (gdim, most), (gdim, least))
    )
    notes: list[str] = []
    for name, s in ((grp, s_unit), (most, s_most), (least, s_least)):
        if s["missing"].any():
            first = s.index[s["missing"]][0]
            notes.append(
                f"{name}: {int(s['missing'].sum())} of {len(months)} months suppressed or not "
                f"published (from {first}); they are missing points, never filled in."
            )
    common = {
        "indicator": indicator,
        "unit": unit_name,
        "units": units,
        "method": f"single-group ITS, segmented regression ({family}), average effect over "
        "the post-period",
    }
    say("Fitting the interrupted time series")
    rows: list[dict[str, Any]] = []
    overall = gap = fit = gfit = None
    counts = family != "gaussian"
    if not s_unit["missing"].any():
        fit = its(
            s_unit["numerator" if counts else "value"].to_numpy(float),
            denominator=s_unit["denominator"].to_numpy(float) if counts else None,
            **options,
        )
        o = _oriented(fit.average_effect, sign)
        overall = (o.estimate * mult, o.lower * mult, o.upper * mult)
        rows.append(
            _row(
                "overall",
                grp,
                o,
                mult,
                se_convention=fit.errors,
                orientation="positive = better",
                ljung_box_p=fit.ljung_box_p,
                **common,
            )
        )
    if not (s_most["missing"].any() or s_least["missing"].any()):
        col = "numerator" if counts else "value"
        gfit = its_gap(
            s_most[col].to_numpy(float),
            s_least[col].to_numpy(float),
            better=plan.outcome.better,
            most_denominator=s_most["denominator"].to_numpy(float) if counts else None,
            least_denominator=s_least["denominator"].to_numpy(float) if counts else None,
            **{k: v for k, v in options.items() if k != "errors"},
        )
        ge = gfit.gap
        gap = (ge.estimate * mult, ge.lower * mult, ge.upper * mult)
        extra = {"se_convention": gfit.errors, "ljung_box_p": gfit.ljung_box_p, **common}
        rows.append(
            _row("gap", f"{most} vs {least}", ge, mult, orientation="positive = narrowed", **extra)
        )
        rows.append(
            _row(
                "baseline_gap",
                f"{most} vs {least}",
                gfit.baseline_gap,
                mult,
                orientation="positive = most deprived behind",
                **extra,
            )
        )
        for name, e in zip((most, least), gfit.groups.values(), strict=True):
            rows.append(_row("group", name, e, mult, orientation="as measured", **extra))
    effects = pd.DataFrame(
        rows,
        columns=[
            "estimand",
            "indicator",
            "unit",
            "group",
            "estimate",
            "se",
            "lower",
            "upper",
            "p_value",
            "units",
            "orientation",
            "method",
            "se_convention",
            "ljung_box_p",
        ],
    )

    say("Working out the minimum detectable effects")
    n_post = len(post)
    mde_o = mde_g = float("nan")
    mopts: dict[str, Any] = {
        "fourier_pairs": options["fourier_pairs"],
        "first_month": options["first_month"],
    }
    pre_unit = s_unit.loc[pre]
    if not pre_unit["missing"].any():
        mde_o = float(its_mde(pre_unit["value"].to_numpy(float), n_post, **mopts)[0][0])
    pre_gap = s_most.loc[pre, "value"] - s_least.loc[pre, "value"]
    if not (s_most.loc[pre, "missing"].any() or s_least.loc[pre, "missing"].any()):
        mde_g = float(its_mde(pre_gap.to_numpy(float), n_post, **mopts)[0][0])
    if np.isfinite(mde_o):
        # The gap's MDE is NaN when its groups' pre-period months are suppressed.
        power = power_statement(
            mde_o,
            mde_g,
            plan.smallest_worthwhile_change.gap,
            overall_change=plan.smallest_worthwhile_change.overall,
            unit=shown,
        )
    else:
        power = "The minimum detectable effect could not be worked out: pre-period months of "
        power += f"{unit_name} are suppressed."

    swc = plan.smallest_worthwhile_change
    gap_name = ctx.gap_name
    if overall is None:
        reason = f"months of {unit_name} are suppressed or missing in the windows"
        line = f"Descriptive only, no verdict: {reason}."
        verdict = StudyVerdict(None, None, "none", line, "Not evaluable yet.", reason)
    else:
        verdict = study_verdict(
            overall,
            gap if gap is not None else overall,
            delta_overall=swc.overall,
            delta_gap=swc.gap,
            outcome=f"{title} in {unit_name}",
            gap_name=gap_name,
            unit=shown,
            n_points=len(months),
        )
        if gap is None and verdict.overall is not None:
            # The overall verdict stands; the gap is unknown, which is flagged like an
            # inconclusive gap (amber), never read as no change.
            verdict = replace(
                verdict,
                gap=None,
                flag="amber",
                gap_line=(
                    f"The gap {gap_name} could not be estimated: its groups' counts are suppressed "
                    "in some months, and a suppressed month is never filled in."
                ),
            )
    verdicts = pd.DataFrame(
        [
            _verdict_row("overall", verdict.overall, verdict.overall_line, mde_o),
            _verdict_row("gap", verdict.gap, verdict.gap_line, mde_g),
        ]
    ).assign(flag=verdict.flag)

    # What the Study card draws: every month (transition too), the fitted and expected lines.
    card = its_card_tables(
        plan,
        table,
        months=months_of(Window(start=w.pre.start, end=w.post.end)),
        n_pre=len(pre),
        n_transition=between,
        fits=(fit, gfit),
        groups=((dim, grp), (gdim, most), (gdim, least)),
        multiplier=mult,
        units=units,
    )
    return write_results(
        plan, plan_path, source, out, say, overwrite, effects=effects, verdict=verdict,
        verdicts=verdicts, power=power, notes=notes, card=card, title=title,
    )  # fmt: skip


def write_results(
    plan: Plan,
    plan_path: Path,
    source: Path,
    out: Path,
    say: Step,
    overwrite: bool,
    *,
    effects: pd.DataFrame,
    verdict: StudyVerdict,
    verdicts: pd.DataFrame,
    power: str,
    notes: list[str],
    card: CardTables,
    title: str,
) -> StudyRun:
    """Write a Study results folder whole (every design): effects with their relative sizes,
    verdicts, the frozen plan, the card and the manifest."""
    effects = effects.merge(card.relative, on=["estimand", "group"], how="left")
    record = freeze(plan)
    manifest: dict[str, Any] = {
        "focuson_version": __version__,
        "created": timestamp(),
        "inputs": {
            "plan": {"file": str(plan_path), "sha256": sha256(plan_path)},
            "levels": {"file": str(source), "sha256": sha256(source)},
        },
        "plan_sha256": plan_hash(plan),
        "design": plan.design,
        "verdict": {"overall": verdict.overall_line, "gap": verdict.gap_line, "flag": verdict.flag},
        "power": power,
        "notes": notes,
    }
    say("Writing the results")
    with replacing(out, own=STUDY_FILES, overwrite=overwrite, inputs=[source, plan_path]) as new:
        write_parquet(effects, new / EFFECTS_FILE)
        write_parquet(verdicts, new / VERDICT_FILE)
        (new / PLAN_FILE).write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
        say("Drawing the Study card")
        card_rows = write_card(new, card, manifest=manifest, title=title)
        write_manifest(
            new,
            manifest,
            kind=STUDY_KIND,
            files=[EFFECTS_FILE, VERDICT_FILE, PLAN_FILE, *CARD_FILES],
            rows={EFFECTS_FILE: len(effects), VERDICT_FILE: len(verdicts), **card_rows},
        )
    files = {name: out / name for name in sorted(STUDY_FILES)}
    return StudyRun(effects, verdict, power, tuple(notes), out, files)
