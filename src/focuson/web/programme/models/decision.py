"""The decisions log: what was decided, by whom, when, on which evidence and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel
from focuson.web.programme.models.step import Step


class Outcome(models.TextChoices):
    """Where a decision leaves the work (a Study verdict, or a go/no-go at any step)."""

    CONTINUE = "continue", _("Continue")
    ADAPT = "adapt", _("Adapt")
    STOP = "stop", _("Stop")
    OTHER = "other", _("Other")


class Decision(SoftDeleteModel):
    """One decision in a project, at one of its steps."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    text = models.TextField(_("what was decided"))
    rationale = models.TextField(_("why"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    findings = models.ManyToManyField(
        "evidence.Finding", verbose_name=_("findings"), blank=True, related_name="decisions"
    )
    alerts = models.ManyToManyField(
        "evidence.Alert", verbose_name=_("alerts"), blank=True, related_name="decisions"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-created"]
        verbose_name = _("decision")

    def __str__(self) -> str:
        return self.text[:80]
