"""Imported results: runs kept side by side, their findings and alerts (aggregates only).

Everything here came from a results folder that passed disclosure control when it was written
and again on the way in (``evidence.importing``). No patient row is ever stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel


class Run(SoftDeleteModel):
    """One imported results folder: Find (with its monitoring when present) or a Study."""

    class Kind(models.TextChoices):
        FIND = "find", _("Find")
        MONITOR = "monitor", _("Ongoing measurement")
        STUDY = "study", _("Study")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    #: SHA-256 over the manifest's outputs: importing the same folder again finds this run.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(_("where it came from"), max_length=500, blank=True)
    manifest = models.JSONField(default=dict)
    created = models.DateTimeField(_("run on"), null=True, blank=True)
    first_period = models.CharField(_("first month"), max_length=7, blank=True)
    last_period = models.CharField(_("latest month"), max_length=7, blank=True)
    focuson_version = models.CharField(max_length=40, blank=True)
    #: The run's indicators by id: title, unit, statistic, multiplier, polarity, standard, target.
    indicators = models.JSONField(default=dict, blank=True)
    #: A Study run's tables (``effects`` and ``verdict`` rows, a handful each); empty otherwise.
    study = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("results run")

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """One row of a run's ``findings.parquet``: a group compared with its reference in a month.

    Columns mean what ``docs/outputs.md`` says. Numbers are blank where disclosure control
    withheld them (``suppressed``) or they could not be computed (``reason``).
    """

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings")
    indicator = models.CharField(_("indicator"), max_length=80, db_index=True)
    indicator_title = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    period = models.CharField(_("month"), max_length=7, db_index=True)
    dimension = models.CharField(_("breakdown"), max_length=60, db_index=True)
    dimension_label = models.CharField(_("breakdown"), max_length=120)
    group = models.CharField(_("group"), max_length=120)
    group_label = models.CharField(_("group"), max_length=200)
    reference_group = models.CharField(max_length=120, blank=True)
    reference_label = models.CharField(_("compared with"), max_length=200, blank=True)
    #: The borough the group is in, for breakdowns by borough (blank otherwise).
    borough = models.CharField(_("borough"), max_length=80, blank=True, db_index=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    reference_value = models.FloatField(null=True, blank=True)
    difference = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    q_value = models.FloatField(null=True, blank=True)
    significant = models.BooleanField(default=False)
    direction = models.CharField(max_length=10, blank=True)
    excess = models.FloatField(_("people affected"), null=True, blank=True)
    gap_to_standard = models.FloatField(_("gap to the standard"), null=True, blank=True)
    gap_to_target = models.FloatField(_("gap to the target"), null=True, blank=True)
    people_to_standard = models.FloatField(_("people to reach the standard"), null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    statistic = models.CharField(max_length=20, blank=True)
    test = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        # People affected first; blanks (suppressed, not tested) last on every database.
        ordering = [F("excess").desc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["run", "indicator", "period", "dimension"])]

    def __str__(self) -> str:
        return f"{self.indicator_title}: {self.group_label} ({self.dimension_label}), {self.period}"


class Alert(models.Model):
    """One row of a run's ``monitor/alerts.parquet``: a new, widening, closing or hidden gap."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("what happened"), max_length=30)
    indicator = models.CharField(max_length=80, db_index=True)
    indicator_title = models.CharField(_("indicator"), max_length=200)
    about = models.CharField(max_length=60)
    about_label = models.CharField(max_length=200)
    group = models.CharField(max_length=120)
    group_label = models.CharField(_("group"), max_length=200)
    period = models.CharField(_("month"), max_length=7)
    since = models.CharField(_("since"), max_length=7, blank=True)
    people = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    sentence = models.TextField(_("in words"))

    class Meta:
        ordering = ["-period", "indicator"]

    def __str__(self) -> str:
        return self.sentence


class Gradient(models.Model):
    """One row of a run's ``gradients.parquet``: a summary measure of inequality (SII, RII...)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="gradients")
    indicator = models.CharField(max_length=80)
    period = models.CharField(max_length=7)
    dimension = models.CharField(max_length=60)
    measure = models.CharField(max_length=20)
    measure_label = models.CharField(max_length=120)
    value = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    intercept = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.measure_label}: {self.indicator}, {self.period}"


class Series(models.Model):
    """One SPC series of a monitoring run (a level or a gap), its points kept together.

    ``points`` holds the published points of ``monitor/spc_levels.parquet`` or
    ``spc_gaps.parquet`` for this series, in month order: ``period``, ``value``, ``mean``,
    ``lower``, ``upper``, ``point_type``, ``segment`` (aggregates, as published).
    """

    class Kind(models.TextChoices):
        LEVEL = "level", _("Level")
        GAP = "gap", _("Gap")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="series")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    indicator = models.CharField(max_length=80)
    indicator_title = models.CharField(max_length=200)
    #: The breakdown of a level series; blank for a gap.
    dimension = models.CharField(max_length=60, blank=True)
    dimension_label = models.CharField(max_length=120, blank=True)
    #: The gap measure of a gap series; blank for a level.
    measure = models.CharField(max_length=40, blank=True)
    measure_label = models.CharField(max_length=120, blank=True)
    group = models.CharField(max_length=120)
    group_label = models.CharField(max_length=200)
    improvement = models.CharField(max_length=10, blank=True)
    variation_icon = models.CharField(max_length=30, blank=True)
    assurance_icon = models.CharField(max_length=30, blank=True)
    latest_period = models.CharField(max_length=7, blank=True)
    points = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = _("series")
        indexes = [models.Index(fields=["run", "kind", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator_title}: {self.group_label}"


class ImportJob(models.Model):
    """An import running in the background: what it is doing, how far it is, how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    #: The uploaded file's name, as the person's computer called it.
    source = models.CharField(_("file"), max_length=255)
    #: Where the upload waits (a zip under MEDIA_ROOT) until the task unpacks it.
    upload = models.CharField(max_length=500, blank=True, editable=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """How far the import is, 0-100."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
