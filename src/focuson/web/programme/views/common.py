"""What the programme's views share: the project a person may act on, and what they may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from focuson.web.permissions import Permission, get_visible_or_404, has_permission
from focuson.web.programme.models import Project


def project_or_404(request: HttpRequest, pk: int, permission: Permission) -> Project:
    """The live project ``pk`` if the person may do ``permission`` to it; 404 otherwise."""
    return get_visible_or_404(request, Project.objects, permission, pk=pk)


def allowed(request: HttpRequest, obj: Any = None, **permissions: Permission) -> dict[str, bool]:
    """``{name: may the person do it}`` for templates (``can.edit``, ``can.decide``...)."""
    return {name: has_permission(request.user, perm, obj) for name, perm in permissions.items()}


def finding_url(finding_id: int | None) -> str:
    """The evidence app's page for a finding ('' while that page does not exist)."""
    if finding_id is None:
        return ""
    try:
        return reverse("evidence:finding", args=[finding_id])
    except NoReverseMatch:
        return ""


def alert_url(alert_id: int | None) -> str:
    """The evidence app's page for an alert ('' while that page does not exist)."""
    if alert_id is None:
        return ""
    try:
        return reverse("evidence:alert", args=[alert_id])
    except NoReverseMatch:
        return ""
