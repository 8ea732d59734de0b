"""The programme board: every project's step at a glance, filtered by workstream, borough, owner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.permissions import Permission, has_permission, requires
from focuson.web.programme.forms import BoardFilterForm
from focuson.web.programme.models import Step, visible_projects


@requires(Permission.VIEW_PROGRAMME)
def board(request: HttpRequest) -> HttpResponse:
    """Projects as rows, the six steps as columns; a GET form filters (htmx swaps the table)."""
    projects = visible_projects(request.user)
    owners = get_user_model().objects.filter(pk__in=projects.values("owner_id"))
    form = BoardFilterForm(request.GET or None, owners=owners)
    if form.is_valid():
        if form.cleaned_data["workstream"]:
            projects = projects.filter(workstream=form.cleaned_data["workstream"])
        if form.cleaned_data["borough"]:
            projects = projects.filter(boroughs=form.cleaned_data["borough"])
        if form.cleaned_data["owner"]:
            projects = projects.filter(owner=form.cleaned_data["owner"])
    projects = (
        projects.select_related("workstream", "owner")
        .prefetch_related("boroughs", "steps")
        .order_by("workstream__name", "title")
    )
    return render(
        request,
        "programme/board.html",
        {
            "form": form,
            "projects": projects,
            "steps": Step,
            "filtered": form.is_bound,
            "can_start": has_permission(request.user, Permission.CREATE_PROJECT),
        },
    )
