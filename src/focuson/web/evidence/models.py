"""Imported results: runs kept side by side, their findings and alerts (aggregates only).

Everything here came from a results folder that passed disclosure control when it was written
and again on the way in (``evidence.importing``). No patient row is ever stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
    suppressed = models.BooleanField(default=False)
    statistic = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-excess"]
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
