"""The demo's Study: one example project with a frozen plan, its results and the Study card.

The synthetic data plant an intervention (breast screening uptake +10 points in Brent from
April 2024; ``truth.json`` names it ``breast_screening_intervention``). :func:`seed_study` runs
``focuson study`` on it with the example plan of ``docs/study.md``, against the demo's own
monitoring results, and gives the Study to an example project started for it, so a newcomer
opening the demo sees a Study step filled in: the frozen plan, the verdict, the card. The
decision is left to them.

Running it again changes nothing: the Study folder is reused while it answers the same plan on
the same published series (SHA-256 of both, from its manifest), the import finds the run it
made before, and the project is found again by its title.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The example plan (docs/examples/study-brent-breast-screening.yaml, without its comments; a
#: test keeps the two the same plan). Kept here so that an installed focuson seeds it too.
PLAN_TEXT = """\
title: Breast screening invitations in Brent (the demo's synthetic intervention)
outcome: {indicator: screening_breast, better: higher}
unit: {dimension: borough, group: Brent}
gap: {by: imd_quintile, most: 1, least: 4}
smallest_worthwhile_change: {overall: 3.0, gap: 2.0}
design: its
windows:
  pre: {start: 2023-04, end: 2024-03}
  post: {start: 2024-04, end: 2024-09}
model: {family: binomial, impact: level, fourier_pairs: 0}
"""
#: The example project's title (found again by it on a rerun of the demo).
PROJECT_TITLE = "Breast screening in Brent: inviting women the week they can come"
PROJECT_SUMMARY = (
    "The demo's example Study. The synthetic data plant a change in Brent from April 2024 "
    "(breast screening uptake up 10 points); the Study step holds the example plan, the "
    "results of focuson study and the Study card. The plan was frozen when the demo ran: in a "
    "real Study it is frozen before the test starts."
)
PLAN_FILE = "study-plan.yaml"
STUDY_FOLDER = "study"


@dataclass(frozen=True)
class DemoStudy:
    """What :func:`seed_study` made: the project, its Study results run, and whether new."""

    project_id: int
    project_title: str
    run_id: int
    created: bool


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _current(out: Path, plan_sha256: str, levels: Path) -> bool:
    """Whether ``out`` holds a Study of this plan on these published series already."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    used = manifest.get("inputs", {}).get("levels", {}).get("sha256")
    return bool(manifest.get("plan_sha256") == plan_sha256 and used == _sha256(levels))


def run_demo_study(results: Path, *, say: Callable[[str], None] = print) -> Path | None:
    """Run the example plan on the demo's monitoring results; the Study folder, or None.

    The plan and the Study are written beside ``results`` (``study-plan.yaml`` and ``study/``).
    None when ``results`` holds no monitoring run (the demo ran Find only).
    """
    from focuson.runs.study import run_study
    from focuson.runs.study_series import StudyError, levels_file
    from focuson.study.plan import plan_hash, read_plan_text

    try:
        levels = levels_file(results)
    except StudyError:
        say("No monitoring results here: the demo's Study is left out.")
        return None
    # Absolute: the Study page serves the card from where the run came from.
    out = (results.parent / STUDY_FOLDER).resolve()
    if _current(out, plan_hash(read_plan_text(PLAN_TEXT)), levels):
        return out
    plan = results.parent / PLAN_FILE
    plan.write_text(PLAN_TEXT, encoding="utf-8")
    say("Studying the demo's planted change (breast screening in Brent)...")
    run_study(plan, out, levels=results, overwrite=True)
    return out


def _workstream() -> Any:
    """Core20PLUS5 (breast screening is one of its cancer areas), else the first."""
    from focuson.web.programme.models import Workstream

    workstreams = Workstream.objects.order_by("pk")
    found = workstreams.filter(name__iexact="Core20PLUS5").first() or workstreams.first()
    if found is None:
        raise RuntimeError("The programme has no workstreams: seed_programme() made none.")
    return found


def _project(run: Any, *, lead: Any) -> tuple[Any, bool]:
    """The example project (found again by title), started from Brent's breast screening
    finding when Find made one, owned by the programme lead."""
    from focuson.web.programme.actions import start_project
    from focuson.web.programme.models import Borough, Project

    existing = Project.objects.filter(title=PROJECT_TITLE).first()
    if existing is not None:
        return existing, False
    finding = (
        run.findings.filter(indicator="screening_breast", borough="Brent", suppressed=False)
        .order_by("-significant", "-excess", "pk")
        .first()
        if run is not None
        else None
    )
    project = start_project(
        user=lead,
        finding=finding,
        title=PROJECT_TITLE,
        summary=PROJECT_SUMMARY,
        workstream=_workstream(),
        boroughs=Borough.objects.filter(name="Brent"),
    )
    return project, True


def seed_study(
    results: Path,
    *,
    find_run: Any,
    analyst: Any,
    lead: Any,
    say: Callable[[str], None] = print,
) -> DemoStudy | None:
    """Give the demo an example project with a frozen plan, its Study results and card.

    Parameters
    ----------
    results
        The demo's results folder (Find and monitoring, as ``focuson demo`` writes it).
    find_run
        The imported Find run (its Brent breast screening finding starts the project).
    analyst
        Who runs the Study, imports it and freezes the plan (the audit trail).
    lead
        Who starts and owns the project.
    say
        Where progress sentences go.

    Returns
    -------
    DemoStudy or None
        None when ``results`` holds no monitoring run to study.
    """
    from focuson.web.evidence.importing import import_results
    from focuson.web.study import actions
    from focuson.web.study.models import ProjectStudy

    folder = run_demo_study(Path(results), say=say)
    if folder is None:
        return None
    imported = import_results(folder, user=analyst)
    project, created = _project(find_run, lead=lead)
    study = ProjectStudy.objects.filter(project=project).first()
    if study is None:
        study = actions.save_plan(
            user=analyst, project=project, text=PLAN_TEXT, data_seen=False
        ).study
    if study.run_id != imported.run.pk:
        try:
            actions.link_run(user=analyst, study=study, run=imported.run)
        except actions.StudyError:
            # Someone amended the demo's plan since: their plan stands, unlinked.
            say("The example project's plan has changed since: its Study results are not linked.")
    return DemoStudy(
        project_id=project.pk,
        project_title=project.title,
        run_id=imported.run.pk,
        created=created or imported.created,
    )
