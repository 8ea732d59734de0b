"""Who works in a project: the list, adding a person, taking one out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focuson.web.permissions import Permission, requires
from focuson.web.programme import actions
from focuson.web.programme.forms import MemberForm
from focuson.web.programme.models import Project
from focuson.web.programme.views.common import allowed, project_or_404


@requires(Permission.VIEW_PROJECT)
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's owner and members; people who may edit the project add and remove them."""
    project = project_or_404(request, pk, Permission.VIEW_PROJECT)
    return _page(request, project, MemberForm())


def _page(request: HttpRequest, project: Project, form: MemberForm) -> HttpResponse:
    context = {
        "project": project,
        "memberships": project.memberships.select_related("user"),
        "form": form,
        "can": allowed(request, project, edit=Permission.EDIT_PROJECT),
    }
    return render(request, "programme/members.html", context)


@requires(Permission.EDIT_PROJECT)
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to the project (or change their role in it)."""
    project = project_or_404(request, pk, Permission.EDIT_PROJECT)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _page(request, project, form)
    actions.add_member(
        user=request.user,
        project=project,
        member=form.cleaned_data["member"],
        role_in_project=form.cleaned_data["role_in_project"],
    )
    messages.success(request, _("Member added: they can now see this project."))
    return redirect("programme:members", pk=project.pk)


@requires(Permission.EDIT_PROJECT)
@require_POST
def member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Take a person out of the project."""
    project = project_or_404(request, pk, Permission.EDIT_PROJECT)
    member = get_object_or_404(get_user_model(), pk=user_id)
    actions.remove_member(user=request.user, project=project, member=member)
    messages.success(request, _("Member removed."))
    return redirect("programme:members", pk=project.pk)
