"""A project's Study: its frozen plan (every version), the results run on it, the decision.

The plan is kept three ways, each for its reader: the YAML as written (people), the plan record
of :mod:`focuson.study.plan` as JSON (every version with its freeze time, SHA-256, reason and
whether data had been seen: what ``focuson study`` writes to ``plan.json``), and the current
version's hash and time as columns (queries and the API).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.study.plan import PlanRecord


class ProjectStudy(models.Model):
    """The Study of one project: a plan frozen before the test, and then its results."""

    project = models.OneToOneField(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="study",
    )
    plan_yaml = models.TextField(_("the plan (YAML)"))
    #: ``PlanRecord.model_dump(mode="json")``: every version, oldest first.
    record = models.JSONField(_("plan record"))
    plan_hash = models.CharField(_("SHA-256 of the plan"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    changed_after_data_seen = models.BooleanField(_("changed after data were seen"), default=False)
    run = models.ForeignKey(
        "evidence.Run",
        verbose_name=_("Study results"),
        null=True,
        blank=True,
        # A run deleted for good leaves the plan: link the results again.
        on_delete=models.SET_NULL,
        related_name="project_studies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project study")
        verbose_name_plural = _("project studies")

    def __str__(self) -> str:
        return f"{self.project}: Study"

    def get_absolute_url(self) -> str:
        return reverse("study:study", args=[self.project_id])

    @property
    def plan_record(self) -> PlanRecord:
        """The plan record, validated again (a record edited by hand fails its hash check)."""
        return PlanRecord.model_validate(self.record)

    @property
    def live_run(self) -> Any:
        """The linked results, unless they have been deleted (an administrator may restore
        them: the link is kept until then)."""
        run = self.run
        return run if run is not None and not run.is_deleted else None

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))


class StudyDecision(models.Model):
    """A decision taken on a Study (continue, adapt or stop): the log entry and its evidence.

    The decision itself is the project's decisions log entry (``programme.Decision``, step
    Study); this row ties it to the Study and to the results run it rested on.
    """

    study = models.ForeignKey(ProjectStudy, on_delete=models.CASCADE, related_name="decisions")
    decision = models.OneToOneField(
        "programme.Decision", on_delete=models.CASCADE, related_name="study_decision"
    )
    run = models.ForeignKey(
        "evidence.Run",
        verbose_name=_("Study results"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_decisions",
    )
    #: Who took the decision (a board, a group), when that is not the person recording it.
    decided_by = models.CharField(_("who decided"), max_length=200, blank=True)
    plan_hash = models.CharField(_("SHA-256 of the plan"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decision__decided_on", "-pk"]
        verbose_name = _("Study decision")

    def __str__(self) -> str:
        return str(self.decision)
