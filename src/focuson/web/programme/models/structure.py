"""How the programme is organised: pillars, their workstreams, and the boroughs it serves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel


class Pillar(SoftDeleteModel):
    """One of the programme's pillars (North West London has three, the third to be confirmed)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Pillars are listed from the smallest number.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("pillar")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:pillars") + f"#pillar-{self.pk}"


class Workstream(SoftDeleteModel):
    """A line of work inside a pillar (for example, maternity for Black communities)."""

    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), on_delete=models.PROTECT, related_name="workstreams"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_workstreams",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pillar__order", "name"]
        verbose_name = _("workstream")

    def __str__(self) -> str:
        return self.name


class Borough(models.Model):
    """A local authority the programme serves, by its ONS code (for example, Brent E09000005)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("ONS code"), max_length=9, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("borough")

    def __str__(self) -> str:
        return self.name
