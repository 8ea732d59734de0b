"""Open's records: events where people were heard, who took part, paper tallies, insights.

Participants are pseudonymous and banded (``bands``): no name, no date of birth, no address.
A paper sign-in sheet becomes ``AttendanceCount`` rows, which count the same as participants.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel
from focuson.web.insight import bands


class Event(SoftDeleteModel):
    """A listening event, conversation, interview, focus group, survey or outreach session."""

    class Kind(models.TextChoices):
        LISTENING = "listening_event", _("Listening event")
        CONVERSATION = "community_conversation", _("Community conversation")
        INTERVIEW = "interview", _("Interview")
        FOCUS_GROUP = "focus_group", _("Focus group")
        SURVEY = "survey_free_text", _("Survey free text")
        OUTREACH = "outreach", _("Outreach")

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    borough = models.ForeignKey(
        "programme.Borough",
        verbose_name=_("borough"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    partners = models.CharField(_("partner organisations"), max_length=500, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="+"
    )
    languages = models.CharField(_("languages used"), max_length=300, blank=True)
    interpreters = models.PositiveSmallIntegerField(_("interpreters"), default=0)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    consent_basis = models.CharField(_("consent basis"), max_length=300)
    retention_date = models.DateField(_("keep the records until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("event")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("insight:open", args=[self.project_id]) + f"#event-{self.pk}"

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))


class Participant(models.Model):
    """One person who took part, by pseudonym, each attribute banded or "prefer not to say"."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    age_band = models.CharField(
        _("age band"), max_length=8, blank=True, choices=[bands.PREFER_NOT, *bands.AGE_BANDS]
    )
    sex = models.CharField(
        _("sex"), max_length=2, blank=True, choices=[bands.PREFER_NOT, *bands.SEXES]
    )
    ethnic_group = models.CharField(
        _("ethnic group"),
        max_length=10,
        blank=True,
        choices=[bands.PREFER_NOT, *bands.ETHNIC_GROUPS],
    )
    borough = models.ForeignKey(
        "programme.Borough",
        verbose_name=_("borough"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imd_quintile = models.CharField(
        _("deprivation quintile (IMD)"),
        max_length=1,
        blank=True,
        choices=[bands.PREFER_NOT, *bands.IMD_QUINTILES],
    )
    language = models.CharField(_("main language"), max_length=60, blank=True)
    interpreter_needed = models.CharField(
        _("interpreter needed"),
        max_length=3,
        blank=True,
        choices=[bands.PREFER_NOT, *bands.YES_NO],
    )
    #: A stable identifier for exchange with QDA tools (a REFI-QDA ``Case``), never from the name.
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "pseudonym"], name="insight_one_pseudonym")
        ]
        verbose_name = _("participant")

    def __str__(self) -> str:
        return self.pseudonym

    def is_member(self, user: Any) -> bool:
        return bool(self.event.project.is_member(user))


class AttendanceCount(models.Model):
    """How many people of one band came, counted on paper (a sign-in sheet's tally)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="counts"
    )
    #: Find's breakdown code (``bands.DIMENSIONS``).
    dimension = models.CharField(_("breakdown"), max_length=30)
    #: The band's code; blank for those who preferred not to say.
    band = models.CharField(_("group"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "band"]
        verbose_name = _("counted attendance")

    def __str__(self) -> str:
        return f"{self.dimension} {self.band or '-'}: {self.count}"


class Insight(SoftDeleteModel):
    """A statement of what was heard, its type, and the finding it bears on."""

    class Type(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        CAUSE = "cause", _("Cause")
        BARRIER = "barrier", _("Barrier")
        ASSET = "asset", _("Asset")
        IDEA = "idea", _("Idea")

    class Relation(models.TextChoices):
        EXPLAINS = "explains", _("Explains the finding")
        CONTRADICTS = "contradicts", _("Contradicts the finding")
        NEW_ISSUE = "new_issue", _("Raises a new issue")

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="insights",
    )
    statement = models.TextField(_("statement"))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    finding = models.ForeignKey(
        "evidence.Finding",
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insights",
    )
    relation = models.CharField(
        _("how it bears on the finding"), max_length=12, choices=Relation.choices, blank=True
    )
    #: Supporting excerpts: the coded passages the insight rests on (its strength is the
    #: distinct participants and events behind them).
    codings = models.ManyToManyField(
        "insight.Coding", verbose_name=_("supporting excerpts"), blank=True, related_name="insights"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[codings])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("insight")

    def __str__(self) -> str:
        return self.statement[:80]

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))
