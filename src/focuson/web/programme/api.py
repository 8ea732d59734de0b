"""The programme's API: projects, steps, decisions, pillars and workstreams, monthly updates.

Every endpoint calls :func:`focuson.web.permissions.check` first, as the pages do; objects a
person may not see answer 404. Schemas carry labels beside codes, so a script can show them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status as Created

from focuson.web.evidence.models import Alert, Finding
from focuson.web.permissions import Permission, check, get_visible_or_404, has_permission
from focuson.web.programme import actions
from focuson.web.programme.models import (
    Borough,
    Decision,
    MonthlyUpdate,
    Outcome,
    Pillar,
    Project,
    ProjectStep,
    Status,
    Step,
    Workstream,
    visible_projects,
)
from focuson.web.programme.schemas import (
    Choice,
    DecisionIn,
    DecisionOut,
    PillarOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    StepIn,
    StepOut,
    UpdateOut,
    WorkstreamOut,
)

router = Router(tags=["programme"])


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _workstream(ws: Workstream) -> WorkstreamOut:
    return WorkstreamOut(
        id=ws.pk,
        name=ws.name,
        description=ws.description,
        pillar_id=ws.pillar_id,
        pillar=ws.pillar.name,
    )


def _step(row: ProjectStep) -> StepOut:
    return StepOut(
        step=Choice(code=row.step, label=str(row.get_step_display())),
        status=Choice(code=row.status, label=str(row.get_status_display())),
        description=row.description,
        started_on=row.started_on,
        finished_on=row.finished_on,
        notes=row.notes,
        finding_ids=[f.pk for f in row.findings.all()],
        alert_ids=[a.pk for a in row.alerts.all()],
    )


def _project(p: Project, *, detail: bool = False) -> ProjectOut:
    steps = p.ordered_steps()
    current = next((s for s in steps if s.status != Status.DONE), None)
    fields: dict[str, Any] = {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "workstream": _workstream(p.workstream),
        "boroughs": [b.name for b in p.boroughs.all()],
        "focus": p.focus,
        "indicator": Choice(code=p.indicator, label=p.indicator_title),
        "dimension": Choice(code=p.dimension, label=p.dimension_label),
        "group": Choice(code=p.group, label=p.group_label),
        "area": p.area,
        "period": p.period,
        "finding_id": p.finding_id,
        "owner": _name(p.owner),
        "members": [_name(m.user) for m in p.memberships.all()],
        "current_step": (
            Choice(code=current.step, label=str(current.get_step_display())) if current else None
        ),
        "created": p.created,
        "url": p.get_absolute_url(),
    }
    if detail:
        return ProjectDetailOut(**fields, steps=[_step(s) for s in steps])
    return ProjectOut(**fields)


def _projects(request: HttpRequest) -> QuerySet[Project]:
    return (
        visible_projects(request.user)
        .select_related("workstream__pillar", "owner")
        .prefetch_related("boroughs", "memberships__user", "steps__findings", "steps__alerts")
    )


def _decision(d: Decision) -> DecisionOut:
    return DecisionOut(
        id=d.pk,
        project_id=d.project_id,
        project=d.project.title,
        step=Choice(code=d.step, label=str(d.get_step_display())),
        text=d.text,
        rationale=d.rationale,
        outcome=Choice(code=d.outcome, label=str(d.get_outcome_display())) if d.outcome else None,
        decided_by=_name(d.decided_by),
        decided_on=d.decided_on,
        finding_ids=[f.pk for f in d.findings.all()],
        alert_ids=[a.pk for a in d.alerts.all()],
    )


@router.get("/pillars", response=list[PillarOut], summary="The pillars and their workstreams")
def pillars(request: HttpRequest) -> list[PillarOut]:
    check(request, Permission.VIEW_PROGRAMME)
    rows = Pillar.objects.prefetch_related("workstreams__pillar")
    return [
        PillarOut(
            id=p.pk,
            name=p.name,
            description=p.description,
            order=p.order,
            workstreams=[_workstream(ws) for ws in p.workstreams.all()],
        )
        for p in rows
    ]


@router.get("/workstreams", response=list[WorkstreamOut], summary="Every workstream")
def workstreams(request: HttpRequest) -> list[WorkstreamOut]:
    check(request, Permission.VIEW_PROGRAMME)
    return [_workstream(ws) for ws in Workstream.objects.select_related("pillar")]


@router.get("/projects", response=list[ProjectOut], summary="The projects you may see")
def projects(request: HttpRequest) -> list[ProjectOut]:
    check(request, Permission.VIEW_PROGRAMME)
    return [_project(p) for p in _projects(request)]


@router.get("/projects/{pk}", response=ProjectDetailOut, summary="One project with its steps")
def project(request: HttpRequest, pk: int) -> ProjectOut:
    check(request, Permission.VIEW_PROJECT)
    obj = get_visible_or_404(request, _projects(request), Permission.VIEW_PROJECT, pk=pk)
    return _project(obj, detail=True)


@router.post(
    "/projects", response={201: ProjectDetailOut}, summary="Start a project (from a finding)"
)
def create_project(request: HttpRequest, payload: ProjectIn) -> Created[ProjectOut]:
    check(request, Permission.CREATE_PROJECT)
    workstream = get_object_or_404(Workstream.objects, pk=payload.workstream_id)
    finding = None
    if payload.finding_id is not None:
        check(request, Permission.VIEW_EVIDENCE)
        finding = get_object_or_404(Finding, pk=payload.finding_id)
    boroughs = list(Borough.objects.filter(code__in=payload.borough_codes))
    unknown = set(payload.borough_codes) - {b.code for b in boroughs}
    if unknown:
        raise HttpError(
            422, f"Unknown borough codes: {', '.join(sorted(unknown))}. Use ONS codes (E09...)."
        )
    try:
        obj = actions.start_project(
            user=request.user,
            finding=finding,
            title=payload.title,
            workstream=workstream,
            boroughs=boroughs,
            summary=payload.summary,
        )
    except actions.ActionError as error:
        raise HttpError(422, str(error)) from error
    return Created(201, _project(_projects(request).get(pk=obj.pk), detail=True))


@router.get("/projects/{pk}/steps", response=list[StepOut], summary="A project's six steps")
def steps(request: HttpRequest, pk: int) -> list[StepOut]:
    check(request, Permission.VIEW_PROJECT)
    obj = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=pk)
    rows = obj.steps.prefetch_related("findings", "alerts").order_by("order")
    return [_step(row) for row in rows]


@router.patch("/projects/{pk}/steps/{step}", response=StepOut, summary="Move a step")
def update_step(request: HttpRequest, pk: int, step: str, payload: StepIn) -> StepOut:
    check(request, Permission.EDIT_PROJECT_STEPS)
    obj = get_visible_or_404(request, Project.objects, Permission.EDIT_PROJECT_STEPS, pk=pk)
    if step not in Step.values:
        raise HttpError(404, f"No step called {step!r}: use one of {', '.join(Step.values)}.")
    try:
        row = actions.move_step(
            user=request.user,
            project=obj,
            step=step,
            status=payload.status,
            notes=payload.notes,
            started_on=payload.started_on,
            finished_on=payload.finished_on,
        )
    except actions.ActionError as error:
        raise HttpError(422, str(error)) from error
    return _step(row)


@router.get("/projects/{pk}/decisions", response=list[DecisionOut], summary="A project's decisions")
def project_decisions(request: HttpRequest, pk: int) -> list[DecisionOut]:
    check(request, Permission.VIEW_PROJECT)
    obj = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=pk)
    rows = obj.decisions.select_related("project", "decided_by").prefetch_related(
        "findings", "alerts"
    )
    return [_decision(d) for d in rows]


@router.post("/projects/{pk}/decisions", response={201: DecisionOut}, summary="Record a decision")
def create_decision(request: HttpRequest, pk: int, payload: DecisionIn) -> Created[DecisionOut]:
    check(request, Permission.RECORD_DECISION)
    obj = get_visible_or_404(request, Project.objects, Permission.RECORD_DECISION, pk=pk)
    if payload.outcome and payload.outcome not in Outcome.values:
        raise HttpError(422, "Outcome must be continue, adapt, stop or other (or empty).")
    evidence = [
        *Finding.objects.filter(pk__in=payload.finding_ids),
        *Alert.objects.filter(pk__in=payload.alert_ids),
    ]
    try:
        decision = actions.record_decision(
            user=request.user,
            project=obj,
            step=payload.step,
            text=payload.text,
            rationale=payload.rationale,
            outcome=payload.outcome,
            decided_on=payload.decided_on,
            evidence=evidence,
        )
    except actions.ActionError as error:
        raise HttpError(422, str(error)) from error
    return Created(201, _decision(decision))


@router.get("/decisions", response=list[DecisionOut], summary="Every decision you may see")
def decisions(request: HttpRequest) -> list[DecisionOut]:
    check(request, Permission.VIEW_PROGRAMME)
    rows = (
        Decision.objects.filter(project__in=visible_projects(request.user))
        .select_related("project", "decided_by")
        .prefetch_related("findings", "alerts")
    )
    return [_decision(d) for d in rows]


@router.get(
    "/updates",
    response=list[UpdateOut],
    summary="Monthly updates: published ones (drafts too for people who edit them)",
)
def updates(request: HttpRequest) -> list[UpdateOut]:
    check(request, Permission.VIEW_PUBLIC)
    rows = MonthlyUpdate.objects.all()
    if not has_permission(request.user, Permission.EDIT_MONTHLY_UPDATE):
        rows = rows.filter(status=MonthlyUpdate.State.PUBLISHED)
    return [
        UpdateOut(
            month=u.month,
            status=Choice(code=u.status, label=str(u.get_status_display())),
            narrative=u.narrative,
            summary=u.summary,
            published_at=u.published_at,
        )
        for u in rows
    ]
