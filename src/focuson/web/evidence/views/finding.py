"""A finding's page: its numbers, its charts, and starting a Focus-on project from it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from focuson.web.evidence.chartsets import finding_charts
from focuson.web.evidence.models import Finding
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires


def project_link(request: HttpRequest, finding: Finding) -> str:
    """Where "Start a Focus-on project from this finding" goes, or "" when the person may not
    start one (or the programme app has no such page)."""
    if not has_permission(request.user, Permission.CREATE_PROJECT):
        return ""
    try:
        return f"{reverse('programme:project_new')}?finding={finding.pk}"
    except NoReverseMatch:
        return ""


@requires(Permission.VIEW_EVIDENCE)
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    """One finding: the group against its comparison, with the charts around it."""
    found: Finding = get_visible_or_404(
        request,
        Finding.objects.select_related("run").exclude(run__deleted_at__isnull=False),
        Permission.VIEW_EVIDENCE,
        pk=pk,
    )
    return render(
        request,
        "evidence/finding.html",
        {
            "finding": found,
            "run": found.run,
            "charts": finding_charts(found),
            "project_link": project_link(request, found),
        },
    )
