"""Co-create and Unite: a project's ideas, and the prioritisation rounds that choose 1-3 of them.

The thread runs project -> idea -> round -> ballot -> decision (``programme.Decision``, step
Unite). Ballots from every channel (online, in the room, paper, phone) are the same rows: the
channel is recorded, never weighted (:mod:`focuson.ideas.unite`). Only ballots are stored, never
who a resident is: a ballot carries a role and an optional declared group, nothing else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.ideas.decision import MAX_SELECTED
from focuson.web.core.models import SoftDeleteModel


class Role(models.TextChoices):
    """Who a contributor or voter is (the keys of :data:`focuson.ideas.unite.ROLES`)."""

    RESIDENT = "resident", _("Resident")
    CHAMPION = "champion", _("Community champion")
    VCSE = "vcse", _("Voluntary sector")
    CLINICIAN = "clinician", _("Clinician")
    MANAGER = "manager", _("Manager")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """How a ballot was given (:data:`focuson.ideas.unite.CHANNELS`): all count alike."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In the room")
    PAPER = "paper", _("Paper")
    PHONE = "phone", _("Phone")


class CostBand(models.TextChoices):
    NONE = "", _("Not yet estimated")
    LOW = "low", _("Low (under £10,000)")
    MEDIUM = "medium", _("Medium (£10,000 to £50,000)")
    HIGH = "high", _("High (over £50,000)")


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected for prototyping")
    PARKED = "parked", _("Parked")


class Idea(SoftDeleteModel):
    """An idea made with residents and professionals, about the project's inequality."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="ideas",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary in plain language"))
    groups = models.CharField(_("the groups it is for"), max_length=300, blank=True)
    how_it_works = models.TextField(_("how it would work"), blank=True)
    cost_band = models.CharField(
        _("cost band"), max_length=16, choices=CostBand.choices, blank=True
    )
    risks = models.TextField(_("risks"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    #: Why it was parked (the Unite decision), blank otherwise.
    parked_reason = models.TextField(_("why it was parked"), blank=True)
    builds_on = models.ManyToManyField(
        "self", verbose_name=_("builds on"), symmetrical=False, blank=True, related_name="built_on"
    )
    #: The problem it addresses: what Open heard, and what Find measured.
    insights = models.ManyToManyField(
        "insight.Insight", verbose_name=_("insights it answers"), blank=True, related_name="ideas"
    )
    findings = models.ManyToManyField(
        "evidence.Finding",
        verbose_name=_("findings it addresses"),
        blank=True,
        related_name="ideas",
    )
    #: The co-creation session it was made in (blank when entered apart from one).
    session = models.ForeignKey(
        "ideas.CoCreationSession",
        verbose_name=_("made in the session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # The assumptions behind its expected narrowing of the gap (focuson.ideas.gap): blank
    # until someone gives a plausible effect.
    gap_effect = models.FloatField(
        _("share of the gap closed among people reached"), null=True, blank=True
    )
    gap_reach = models.FloatField(_("share of the group reached"), null=True, blank=True)
    gap_effect_source = models.CharField(
        _("where the effect comes from"), max_length=200, blank=True
    )
    #: Blank for an idea a resident added in a session (no account).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[builds_on, insights, findings])

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("idea")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea", args=[self.pk])

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))


class IdeaContributor(models.Model):
    """Someone who made an idea: a person's name or a community group, and their role.

    A resident who added it in a session without an account may leave the name blank.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(_("name or organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    session = models.ForeignKey(
        "ideas.CoCreationSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: A one-way hash of the anonymous id of a resident who added the idea in a session (so
    #: that they can remove what they gave); never shown, exported or kept in the history.
    participant = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["participant"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("idea contributor")

    def __str__(self) -> str:
        if not self.name:
            return str(_("A resident"))
        return f"{self.name} ({self.get_role_display()})"


class PrioritisationRound(models.Model):
    """A round of scoring a project's ideas on weighted criteria, ended by a decision."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="prioritisation_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    ideas = models.ManyToManyField(Idea, verbose_name=_("ideas"), related_name="rounds")
    max_selected = models.PositiveSmallIntegerField(
        _("most ideas that can be selected"),
        default=MAX_SELECTED,
        validators=[MinValueValidator(1)],
    )
    #: The decision that closed the round (step Unite in the project's log).
    decision = models.OneToOneField(
        "programme.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prioritisation_round",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[ideas])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("prioritisation round")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:round", args=[self.pk])

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))


class Criterion(models.Model):
    """One criterion of a round, with its weight; scored 1 (worst) to 5 (best) unless reversed."""

    round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="criteria"
    )
    #: Its key in the arithmetic (``focuson.ideas.unite.Criterion.name``).
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.01)])
    #: False for a criterion where a high score is worse (cost).
    higher_is_better = models.BooleanField(_("a higher score is better"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="ideas_criterion_unique_key")
        ]

    def __str__(self) -> str:
        return str(self.label)


class Ballot(models.Model):
    """One voter's ballot in a round, from any channel (a paper one entered by a facilitator)."""

    round = models.ForeignKey(PrioritisationRound, on_delete=models.CASCADE, related_name="ballots")
    role = models.CharField(_("voter's role"), max_length=16, choices=Role.choices)
    declared_group = models.CharField(_("group the voter declared"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    #: Blank for a resident's own online ballot (no account).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: A one-way hash of a resident's anonymous participant id (``core.join_codes``): their
    #: second ballot replaces the first. Never shown, exported or given by the API.
    participant = models.CharField(max_length=64, blank=True, editable=False)
    #: The co-creation session a resident's ballot came through.
    session = models.ForeignKey(
        "ideas.CoCreationSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["participant"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"],
                condition=~models.Q(participant=""),
                name="ideas_one_ballot_per_participant",
            )
        ]


class BallotScore(models.Model):
    """A ballot's score for one idea on one criterion (1 to 5)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "idea", "criterion"], name="ideas_score_once")
        ]


class Support(models.IntegerChoices):
    FOR = 1, _("For")
    NEUTRAL = 0, _("Neutral")
    AGAINST = -1, _("Against")


class BallotSupport(models.Model):
    """Whether a ballot supports an idea (for, neutral, against): a group's opposition is read
    from these."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="supports")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    support = models.SmallIntegerField(_("support"), choices=Support.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "idea"], name="ideas_support_once")
        ]


# The sessions' models live in their own module; imported here so that Django registers them.
from focuson.web.ideas.session_models import (  # noqa: E402
    CoCreationSession,
    IdeaComment,
    SessionAttendance,
    SessionFormat,
)

__all__ = [
    "Ballot",
    "BallotScore",
    "BallotSupport",
    "Channel",
    "CoCreationSession",
    "CostBand",
    "Criterion",
    "Idea",
    "IdeaComment",
    "IdeaContributor",
    "IdeaStatus",
    "PrioritisationRound",
    "Role",
    "SessionAttendance",
    "SessionFormat",
    "Support",
]
