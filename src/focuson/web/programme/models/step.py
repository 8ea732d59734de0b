"""The six steps of the Focus-on cycle, and where each project is in each of them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Step(models.TextChoices):
    """The six steps, in cycle order."""

    FIND = "find", _("Find")
    OPEN = "open", _("Open")
    CO_CREATE = "co_create", _("Co-create")
    UNITE = "unite", _("Unite")
    STUDY = "study", _("Study")
    ONGOING_MEASUREMENT = "ongoing_measurement", _("Ongoing measurement")


#: One line on what each step is for, shown beside it.
STEP_DESCRIPTIONS = {
    Step.FIND: _("Find the inequality in the data: who is behind, by how much, how many people."),
    Step.OPEN: _("Open conversations with the communities affected and hear why."),
    Step.CO_CREATE: _("Co-create ideas with residents and professionals together."),
    Step.UNITE: _("Unite around one to three ideas worth testing."),
    Step.STUDY: _("Study the impact of what was tried: continue, adapt or stop."),
    Step.ONGOING_MEASUREMENT: _("Keep measuring the gap and act when it opens again."),
}
STEP_ORDER = {step: index for index, step in enumerate(Step)}


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class ProjectStep(models.Model):
    """One step of one project: its status, dates, notes and the evidence behind it."""

    project = models.ForeignKey("programme.Project", on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    #: The step's place in the cycle (0 = Find), so steps sort without a lookup table.
    order = models.PositiveSmallIntegerField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    findings = models.ManyToManyField(
        "evidence.Finding", verbose_name=_("findings"), blank=True, related_name="project_steps"
    )
    alerts = models.ManyToManyField(
        "evidence.Alert", verbose_name=_("alerts"), blank=True, related_name="project_steps"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order"]
        verbose_name = _("project step")
        constraints = [models.UniqueConstraint(fields=["project", "step"], name="one_row_per_step")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_step_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.order = STEP_ORDER[Step(self.step)]
        super().save(*args, **kwargs)

    @property
    def description(self) -> str:
        return str(STEP_DESCRIPTIONS[Step(self.step)])
