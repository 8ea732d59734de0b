"""A Focus-on project: what is in focus, who runs it, who works in it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel
from focuson.web.permissions import Permission, has_permission


class Project(SoftDeleteModel):
    """A project started (usually) from a finding and taken through the six steps.

    What is in focus is copied from the finding when the project starts, so the project still
    says what it is about if the run the finding came from is deleted (``finding`` then becomes
    blank).
    """

    title = models.CharField(_("title"), max_length=200)
    workstream = models.ForeignKey(
        "programme.Workstream",
        verbose_name=_("workstream"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    boroughs = models.ManyToManyField(
        "programme.Borough", verbose_name=_("boroughs"), blank=True, related_name="projects"
    )
    summary = models.TextField(_("summary"), blank=True)
    finding = models.ForeignKey(
        "evidence.Finding",
        verbose_name=_("started from finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    # What is in focus, copied from the finding (labels for people, codes for scripts).
    indicator = models.CharField(_("indicator code"), max_length=80, blank=True)
    indicator_title = models.CharField(_("indicator"), max_length=200, blank=True)
    dimension = models.CharField(_("breakdown code"), max_length=60, blank=True)
    dimension_label = models.CharField(_("breakdown"), max_length=120, blank=True)
    group = models.CharField(_("group code"), max_length=120, blank=True)
    group_label = models.CharField(_("group"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=80, blank=True)
    period = models.CharField(_("month of the finding"), max_length=7, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_projects",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="programme.ProjectMembership",
        verbose_name=_("members"),
        related_name="member_projects",
        blank=True,
    )
    created = models.DateTimeField(_("started"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("project")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:project", args=[self.pk])

    def is_member(self, user: Any) -> bool:
        """Whether ``user`` owns or is a member of this project (what facilitators need)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return self.owner_id == user.pk or self.memberships.filter(user_id=user.pk).exists()

    @property
    def focus(self) -> str:
        """What is in focus, in words: indicator, group and breakdown (blank when not known)."""
        if not self.indicator_title:
            return ""
        if not self.group_label:
            return self.indicator_title
        return f"{self.indicator_title}: {self.group_label} ({self.dimension_label})"

    def current_step(self) -> Any:
        """The first of the six steps not done (None when all are done)."""
        return next((s for s in self.ordered_steps() if s.status != "done"), None)

    def ordered_steps(self) -> list[Any]:
        """The six steps in cycle order (uses prefetched steps when there are some)."""
        return sorted(self.steps.all(), key=lambda s: s.order)


class ProjectMembership(models.Model):
    """A person working in a project, and what they do there (for example, community partner)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    role_in_project = models.CharField(
        _("role in the project"),
        max_length=100,
        blank=True,
        help_text=_("For example: community partner, clinical lead, analyst."),
    )
    added = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added"]
        verbose_name = _("project member")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project}"


def visible_projects(user: Any) -> models.QuerySet[Project]:
    """The projects ``user`` may see: all of them, or only their own for a facilitator.

    Mirrors :func:`focuson.web.permissions.has_permission` for a whole list at once, so the board
    and the API never learn of a project one by one.
    """
    if not has_permission(user, Permission.VIEW_PROJECT):
        return Project.objects.none()
    projects = Project.objects.all()
    if getattr(user, "role", "") == "facilitator":
        member = Q(owner_id=user.pk) | Q(memberships__user_id=user.pk)
        projects = projects.filter(pk__in=Project.objects.filter(member).values("pk"))
    return projects
