"""Co-create's sessions (workshops with residents and professionals) and comments on ideas.

A session is :class:`~focuson.web.core.join_codes.Joinable`: residents without an account join it
with its code and add ideas, comment and score, limited to the session's project. Attendance is
counted on paper, by role and by demographic band, as Open's ``AttendanceCount`` rows are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.join_codes import Joinable
from focuson.web.core.models import SoftDeleteModel
from focuson.web.ideas.models import Support

#: The attendance breakdown by role (the others are Open's band dimensions, ``insight.bands``).
ROLE_DIMENSION = "role"


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class CoCreationSession(Joinable, SoftDeleteModel):
    """A co-creation session of a project: when, how, where, who ran it, who came, what came of
    it. Residents join it with its code while it is open."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="cocreation_sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=16, choices=SessionFormat.choices)
    venue = models.CharField(_("venue or online meeting"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="+"
    )
    languages = models.CharField(_("languages used"), max_length=300, blank=True)
    closing_report = models.TextField(_("closing report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("co-creation session")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:session", args=[self.pk])

    def get_resident_url(self) -> str:
        """The page residents who joined with the code work on."""
        return reverse("ideas:take_part", args=[self.pk])

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))


class SessionAttendance(models.Model):
    """How many people of one role or band came to a session, counted on paper."""

    session = models.ForeignKey(
        CoCreationSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    #: ``role``, or one of Find's breakdown codes (``insight.bands.DIMENSIONS``).
    dimension = models.CharField(_("breakdown"), max_length=30)
    #: The role's or band's code; blank for those who preferred not to say.
    band = models.CharField(_("group"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "band"]
        verbose_name = _("session attendance")

    def __str__(self) -> str:
        return f"{self.dimension} {self.band or '-'}: {self.count}"


class IdeaComment(models.Model):
    """A comment on an idea, for, against or neutral: by staff, or by a resident in a session."""

    idea = models.ForeignKey(
        "ideas.Idea", verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("comment"))
    stance = models.SmallIntegerField(_("for or against"), choices=Support.choices)
    #: Staff who commented; blank for a resident.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The session a resident commented in.
    session = models.ForeignKey(
        CoCreationSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: A one-way hash of the resident's anonymous id (to erase their comments on request);
    #: never shown.
    participant = models.CharField(max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["participant"])

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("comment on an idea")

    def __str__(self) -> str:
        return self.text[:80]

    def by(self) -> str:
        """Who commented, in words (a resident stays anonymous)."""
        if self.author_id is not None:
            return str(self.author.display_name())
        return str(_("A resident"))
