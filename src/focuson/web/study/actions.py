"""Writes of the Study step: freeze or amend the plan, link its results, record the decision.

Each is one transaction with the acting person in the audit trail (django-simple-history), as
the programme's actions are (:mod:`focuson.web.programme.actions`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from focuson.study.plan import PlanError, PlanRecord, freeze, read_plan_text
from focuson.web.evidence.models import Run
from focuson.web.programme import actions as programme
from focuson.web.programme.models import Outcome, Project, Status, Step
from focuson.web.study.models import ProjectStudy, StudyDecision
from focuson.web.study.results import run_plan_hash

__all__ = ["PlanSaved", "StudyError", "decide", "link_run", "save_plan"]

#: The outcomes a Study decision can have (the notes' continue, adapt or stop).
DECISIONS = (Outcome.CONTINUE, Outcome.ADAPT, Outcome.STOP)


class StudyError(ValueError):
    """A Study write refused, with what to do: one message per line in ``lines``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lines = [line for line in message.splitlines() if line.strip()]


def _audited(instance: Any, user: Any) -> Any:
    # simple-history takes the user from the request when there is one; scripts have none.
    instance._history_user = user
    return instance


@dataclass(frozen=True)
class PlanSaved:
    """What :func:`save_plan` did."""

    study: ProjectStudy
    #: True for a new version of a plan that was already frozen.
    amended: bool
    #: The results run taken off because it ran on an earlier version (None otherwise).
    unlinked: Run | None


def _record(study: ProjectStudy, record: PlanRecord, text: str) -> None:
    current = record.current
    study.plan_yaml = text
    study.record = record.model_dump(mode="json")
    study.plan_hash = current.sha256
    study.frozen_at = current.frozen_at
    study.version = current.version
    study.changed_after_data_seen = record.changed_after_data_seen


@transaction.atomic
def save_plan(
    *,
    user: Any,
    project: Project,
    text: str,
    data_seen: bool,
    reason: str = "",
    label: str = "the plan",
) -> PlanSaved:
    """Freeze a project's Study plan, or amend the frozen one as its next version.

    Parameters
    ----------
    user
        Who freezes it (the audit trail).
    project
        The project.
    text
        The plan as YAML (:mod:`focuson.study.plan` validates it).
    data_seen
        Whether data from the test had been seen when the plan was written or changed. An
        amendment made once results are linked counts as made after data were seen.
    reason
        Why the plan changed (required for an amendment; shown on the Study card).
    label
        What the plan is called in error messages (the uploaded file's name).

    Returns
    -------
    PlanSaved
        A first plan also starts the project's Study step when it has not started (the
        steps before it are marked done, as :func:`programme.actions.move_step` does).

    Raises
    ------
    StudyError
        For a plan that is not valid (each line names the line and field), an amendment
        without a reason, or one that changes nothing. Nothing is saved then.
    """
    try:
        plan = read_plan_text(text, label=label)
    except PlanError as error:
        raise StudyError(str(error)) from None
    study = ProjectStudy.objects.select_for_update().filter(project=project).first()
    if study is None:
        study = ProjectStudy(project=project, created_by=user)
        _record(study, freeze(plan, data_seen=data_seen), text)
        _audited(study, user).save()
        if project.steps.filter(step=Step.STUDY, status=Status.NOT_STARTED).exists():
            # A plan is frozen as the test starts: the project is in its Study step now.
            programme.move_step(
                user=user, project=project, step=Step.STUDY, status=Status.IN_PROGRESS
            )
        return PlanSaved(study=study, amended=False, unlinked=None)
    seen = data_seen or study.run_id is not None
    try:
        record = study.plan_record.amend(plan, data_seen=seen, reason=reason)
    except PlanError as error:
        raise StudyError(str(error)) from None
    _record(study, record, text)
    unlinked = None
    if study.run is not None and run_plan_hash(study.run) != study.plan_hash:
        # The results answer the earlier version: they are not this plan's results any more.
        unlinked, study.run = study.run, None
    _audited(study, user).save()
    return PlanSaved(study=study, amended=True, unlinked=unlinked)


@transaction.atomic
def link_run(*, user: Any, study: ProjectStudy, run: Run) -> ProjectStudy:
    """Link the Study results run on the project's frozen plan.

    Raises
    ------
    StudyError
        When ``run`` is not a Study, or ran on another plan (its plan's SHA-256 differs from
        the frozen plan's): results of another plan would answer another question.
    """
    if run.kind != Run.Kind.STUDY:
        raise StudyError(_("These results are not a Study: choose the results of focuson study."))
    ran_on = run_plan_hash(run)
    if ran_on != study.plan_hash:
        earlier = [v for v in study.record.get("versions", []) if v.get("sha256") == ran_on]
        words = {
            "theirs": ran_on[:12] or _("not recorded"),
            "ours": study.plan_hash[:12],
            "version": study.version,
        }
        if earlier:
            words["earlier"] = earlier[0]["version"]
            message = _(
                "These results were run on version %(earlier)s of the plan (SHA-256 "
                "%(theirs)s), not on the frozen plan, version %(version)s (SHA-256 %(ours)s). "
                "Run focuson study on the current plan and import its results."
            )
        else:
            message = _(
                "These results were run on another plan (SHA-256 %(theirs)s), not on this "
                "project's frozen plan (version %(version)s, SHA-256 %(ours)s). Choose the "
                "results of this plan, or run focuson study on it and import them."
            )
        raise StudyError(message % words)
    study.run = run
    _audited(study, user).save()
    return study


@transaction.atomic
def decide(
    *,
    user: Any,
    study: ProjectStudy,
    outcome: str,
    text: str,
    rationale: str,
    decided_by: str = "",
    decided_on: datetime.date | None = None,
) -> StudyDecision:
    """Record the decision on a Study in the project's decisions log (step Study).

    The linked results run is kept as the decision's evidence, with the plan's hash. Continue
    hands the indicator to ongoing measurement (that step starts, Study is done); stop marks
    the Study step stopped; adapt leaves the steps as they are.

    Raises
    ------
    StudyError
        For an outcome other than continue, adapt or stop, or a decision with no text.
    """
    if outcome not in DECISIONS:
        raise StudyError(_("Choose continue, adapt or stop."))
    if not text.strip():
        raise StudyError(_("Say what was decided."))
    words = text.strip()
    if decided_by.strip():
        words = _("%(text)s (decided by %(who)s)") % {"text": words, "who": decided_by.strip()}
    decision = programme.record_decision(
        user=user,
        project=study.project,
        step=Step.STUDY,
        text=words,
        rationale=rationale,
        outcome=outcome,
        decided_on=decided_on,
    )
    row = StudyDecision(
        study=study,
        decision=decision,
        run=study.run,
        decided_by=decided_by.strip(),
        plan_hash=study.plan_hash,
    )
    _audited(row, user).save()
    if outcome == Outcome.CONTINUE:
        programme.move_step(
            user=user,
            project=study.project,
            step=Step.ONGOING_MEASUREMENT,
            status=Status.IN_PROGRESS,
        )
    elif outcome == Outcome.STOP:
        programme.move_step(
            user=user, project=study.project, step=Step.STUDY, status=Status.STOPPED
        )
    return row
