"""The Study step in the API: a project's Study (plan hash, verdict, decision).

The endpoint calls the same :func:`focuson.web.permissions.get_visible_or_404` as the pages: a
project a person may not see answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.permissions import Permission, get_visible_or_404
from focuson.web.programme.models import Project
from focuson.web.programme.schemas import Choice
from focuson.web.study import heard, plans, results
from focuson.web.study.models import ProjectStudy

router = Router(tags=["study"])


class PlanOut(Schema):
    sha256: str
    version: int
    frozen_at: datetime.datetime
    changed_after_data_seen: bool
    title: str
    design: Choice


class VerdictOut(Schema):
    overall: str
    gap: str
    #: "red" (better overall, gap wider), "amber" (gap inconclusive) or "".
    flag: str


class StudyDecisionOut(Schema):
    decision_id: int
    outcome: Choice
    text: str
    rationale: str
    decided_by: str
    recorded_by: str
    decided_on: datetime.date
    run_id: int | None
    plan_sha256: str


class HeardOut(Schema):
    insight_id: int
    type: Choice
    statement: str
    created: datetime.datetime


class ProjectStudyOut(Schema):
    project_id: int
    plan: PlanOut | None
    run_id: int | None
    verdict: VerdictOut | None
    decisions: list[StudyDecisionOut]
    #: Open's insights recorded since the test began (the plan's transition or post start).
    heard: list[HeardOut] = []


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


@router.get("/projects/{project_id}", response=ProjectStudyOut)
def project_study(request: HttpRequest, project_id: int) -> ProjectStudyOut:
    """A project's Study: the frozen plan's hash and version, the verdict, the decisions.

    ``plan`` is null while no plan is frozen; ``verdict`` while no results are linked;
    ``heard`` lists Open's insights recorded since the test began, newest first.
    """
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    study = ProjectStudy.objects.select_related("run").filter(project=project).first()
    if study is None:
        return ProjectStudyOut(
            project_id=project.pk, plan=None, run_id=None, verdict=None, decisions=[]
        )
    current = study.plan_record.current.plan
    plan = PlanOut(
        sha256=study.plan_hash,
        version=study.version,
        frozen_at=study.frozen_at,
        changed_after_data_seen=study.changed_after_data_seen,
        title=current.title,
        design=Choice(code=current.design, label=str(plans.DESIGNS[current.design])),
    )
    run = study.live_run
    found = results.verdict(run) if run is not None else None
    verdict = VerdictOut(overall=found.overall, gap=found.gap, flag=found.flag) if found else None
    decisions = [
        StudyDecisionOut(
            decision_id=row.decision_id,
            outcome=Choice(
                code=row.decision.outcome, label=str(row.decision.get_outcome_display())
            ),
            text=row.decision.text,
            rationale=row.decision.rationale,
            decided_by=row.decided_by,
            recorded_by=_name(row.decision.decided_by),
            decided_on=row.decision.decided_on,
            run_id=row.run_id,
            plan_sha256=row.plan_hash,
        )
        for row in study.decisions.select_related("decision__decided_by")
    ]
    since = heard.heard_since(project, current).order_by("-created", "-pk")
    return ProjectStudyOut(
        project_id=project.pk,
        plan=plan,
        run_id=run.pk if run is not None else None,
        verdict=verdict,
        decisions=decisions,
        heard=[
            HeardOut(
                insight_id=i.pk,
                type=Choice(code=i.type, label=str(i.get_type_display())),
                statement=i.statement,
                created=i.created,
            )
            for i in since
        ],
    )
