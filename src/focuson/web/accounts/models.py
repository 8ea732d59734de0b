"""A person with one role, and the API tokens they made for their scripts."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.roles import ROLE_CHOICES, ROLES


class User(AbstractUser):
    """An account. Its ``role`` decides what it may do (:mod:`focuson.web.roles`)."""

    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES, default="viewer")
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def save(self, *args: object, **kwargs: object) -> None:
        # Administrators use Django's admin site too (people, restore, the audit trail).
        self.is_staff = self.role == "administrator" or self.is_superuser
        super().save(*args, **kwargs)

    def has_perm(self, perm: str, obj: object = None) -> bool:
        # Django's admin asks for model permissions; an administrator's role holds them all
        # (what else each role may do is focuson.web.permissions, not Django's permission tables).
        if self.is_active and self.role == "administrator":
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == "administrator":
            return True
        return super().has_module_perms(app_label)

    @property
    def role_name(self) -> str:
        role = ROLES.get(self.role)
        return str(role.name) if role else self.role

    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for scripts calling the API as its owner; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("what it is for"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    class Meta:
        verbose_name = _("API token")

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        """Make a token for ``user``; the plain token is returned once and never stored."""
        plain = "fo_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(plain)), plain

    @classmethod
    def find(cls, plain: str) -> ApiToken | None:
        """The live token matching ``plain`` (revoked and unknown tokens give None)."""
        return (
            cls.objects.select_related("user")
            .filter(digest=_digest(plain), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
