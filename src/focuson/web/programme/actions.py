"""Writes that touch several records: each is one transaction, with the acting person recorded
in the audit trail (django-simple-history) as who made the change.

Views, the API, the demo and scripts all call these, so a project started from the board and one
started by the demo are made the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from focuson.web.evidence.models import Alert, Finding
from focuson.web.programme.errors import ActionError
from focuson.web.programme.models import (
    Borough,
    Decision,
    Project,
    ProjectMembership,
    ProjectStep,
    Status,
    Step,
    Workstream,
)
from focuson.web.programme.monthly import generate_monthly_update, publish_monthly_update

__all__ = [
    "ActionError",
    "add_member",
    "change_project",
    "delete_project",
    "generate_monthly_update",
    "move_step",
    "publish_monthly_update",
    "record_decision",
    "remove_member",
    "start_project",
]


def _audited(instance: Any, user: Any) -> Any:
    # simple-history takes the user from the request when there is one; scripts and the demo
    # have none, so name the acting person on the instance itself.
    instance._history_user = user
    return instance


@transaction.atomic
def start_project(
    *,
    user: Any,
    finding: Finding | None = None,
    title: str,
    workstream: Workstream,
    boroughs: Iterable[Borough] = (),
    owner: Any = None,
    summary: str = "",
) -> Project:
    """Start a Focus-on project, from a finding when there is one.

    What is in focus (indicator, breakdown, group, area, month) is copied from ``finding``; the
    six steps are made, Find in progress with the finding linked as its evidence. A finding by
    borough adds its borough to the project's boroughs.

    Parameters
    ----------
    user
        Who starts it (recorded in the audit trail).
    finding
        The finding the project starts from, or None.
    title, workstream, boroughs, summary
        What the project is called, where it sits in the programme, where it works.
    owner
        Who runs it; ``user`` when not given.

    Returns
    -------
    Project
    """
    if not title.strip():
        raise ActionError(_("Give the project a title."))
    project = Project(title=title.strip(), workstream=workstream, summary=summary)
    project.owner = owner or user
    if finding is not None:
        project.finding = finding
        for field in ("indicator", "indicator_title", "dimension", "dimension_label"):
            setattr(project, field, getattr(finding, field))
        project.group = finding.group
        project.group_label = finding.group_label
        project.area = finding.borough
        project.period = finding.period
    _audited(project, user).save()
    chosen = list(boroughs)
    if finding is not None and finding.borough:
        chosen += list(Borough.objects.filter(name__iexact=finding.borough))
    project.boroughs.set(chosen)
    today = timezone.localdate()
    steps = [
        ProjectStep(
            project=project,
            step=step,
            order=index,
            status=Status.IN_PROGRESS if step == Step.FIND else Status.NOT_STARTED,
            started_on=today if step == Step.FIND else None,
        )
        for index, step in enumerate(Step)
    ]
    bulk_create_with_history(steps, ProjectStep, default_user=user)
    if finding is not None:
        ProjectStep.objects.get(project=project, step=Step.FIND).findings.add(finding)
    return project


@transaction.atomic
def change_project(
    *,
    user: Any,
    project: Project,
    title: str,
    workstream: Workstream,
    boroughs: Iterable[Borough],
    owner: Any,
    summary: str,
) -> Project:
    """Change what a project is called, where it sits, where it works and who runs it."""
    if not title.strip():
        raise ActionError(_("Give the project a title."))
    project.title = title.strip()
    project.workstream = workstream
    project.owner = owner
    project.summary = summary
    _audited(project, user).save()
    project.boroughs.set(list(boroughs))
    return project


@transaction.atomic
def move_step(
    *,
    user: Any,
    project: Project,
    step: str,
    status: str,
    notes: str | None = None,
    started_on: datetime.date | None = None,
    finished_on: datetime.date | None = None,
    findings: Iterable[Finding] | None = None,
    alerts: Iterable[Alert] | None = None,
) -> ProjectStep:
    """Set a step's status (and notes, dates, evidence when given).

    Moving a step to in progress or done means the project has moved on: earlier steps still
    open are marked done. Dates not given are filled in: started when a step starts, finished
    when it is done or stopped.

    Returns
    -------
    ProjectStep
        The step, saved.
    """
    if step not in Step.values:
        raise ActionError(_("There is no step called %(step)s.") % {"step": step})
    if status not in Status.values:
        raise ActionError(_("There is no status called %(status)s.") % {"status": status})
    today = timezone.localdate()
    row = ProjectStep.objects.select_for_update().get(project=project, step=step)
    row.status = status
    if notes is not None:
        row.notes = notes
    if started_on is not None:
        row.started_on = started_on
    if finished_on is not None:
        row.finished_on = finished_on
    if status != Status.NOT_STARTED and row.started_on is None:
        row.started_on = today
    if status in (Status.DONE, Status.STOPPED) and row.finished_on is None:
        row.finished_on = today
    if row.started_on and row.finished_on and row.finished_on < row.started_on:
        raise ActionError(_("A step cannot finish before it starts: check the dates."))
    _audited(row, user).save()
    if findings is not None:
        row.findings.set(findings)
    if alerts is not None:
        row.alerts.set(alerts)
    if status in (Status.IN_PROGRESS, Status.DONE):
        earlier = ProjectStep.objects.filter(
            project=project,
            order__lt=row.order,
            status__in=[Status.NOT_STARTED, Status.IN_PROGRESS],
        )
        for previous in earlier:  # at most five rows, each needing its own audit entry
            previous.status = Status.DONE
            previous.started_on = previous.started_on or today
            previous.finished_on = previous.finished_on or max(today, previous.started_on)
            _audited(previous, user).save()
    _audited(project, user).save(update_fields=["updated"])
    return row


@transaction.atomic
def record_decision(
    *,
    user: Any,
    project: Project,
    step: str,
    text: str,
    rationale: str = "",
    outcome: str = "",
    decided_on: datetime.date | None = None,
    evidence: Iterable[Finding | Alert] = (),
) -> Decision:
    """Add a decision to a project's log, with the findings and alerts it rested on.

    Returns
    -------
    Decision
    """
    if step not in Step.values:
        raise ActionError(_("There is no step called %(step)s.") % {"step": step})
    if not text.strip():
        raise ActionError(_("Say what was decided."))
    decision = Decision(
        project=project,
        step=step,
        text=text.strip(),
        rationale=rationale.strip(),
        outcome=outcome,
        decided_by=user,
        decided_on=decided_on or timezone.localdate(),
    )
    _audited(decision, user).save()
    evidence = list(evidence)
    decision.findings.set([item for item in evidence if isinstance(item, Finding)])
    decision.alerts.set([item for item in evidence if isinstance(item, Alert)])
    return decision


@transaction.atomic
def add_member(
    *, user: Any, project: Project, member: Any, role_in_project: str = ""
) -> ProjectMembership:
    """Make ``member`` a member of ``project`` (or change their role in it)."""
    membership = ProjectMembership.objects.filter(project=project, user=member).first()
    if membership is None:
        membership = ProjectMembership(project=project, user=member)
    membership.role_in_project = role_in_project
    _audited(membership, user).save()
    return membership


@transaction.atomic
def remove_member(*, user: Any, project: Project, member: Any) -> None:
    """Take ``member`` out of ``project`` (the audit trail keeps that they were in it)."""
    for membership in ProjectMembership.objects.filter(project=project, user=member):
        _audited(membership, user).delete()


@transaction.atomic
def delete_project(*, user: Any, project: Project) -> None:
    """Hide a project from every page and list (an administrator can restore it)."""
    _audited(project, user).soft_delete(user=user)
