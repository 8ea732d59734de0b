"""A project's page (the thread), starting a project, changing it, and deleting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focuson.web.evidence.models import Finding
from focuson.web.permissions import Permission, check, requires
from focuson.web.programme import actions
from focuson.web.programme.forms import ProjectForm, StartProjectForm
from focuson.web.programme.models import Borough, Step
from focuson.web.programme.views.common import allowed, finding_url, project_or_404

#: What later steps will add to the thread (each is its own app, not built yet).
LATER = {
    Step.OPEN: gettext_lazy("Later: insights from conversations with the communities affected."),
    Step.CO_CREATE: gettext_lazy("Later: ideas co-created with residents and professionals."),
    Step.UNITE: gettext_lazy("Later: the ideas chosen to prototype."),
    Step.STUDY: gettext_lazy("Later: the study plan and its verdict."),
    Step.ONGOING_MEASUREMENT: gettext_lazy("Later: monitoring of the gap after the change."),
}


@requires(Permission.VIEW_PROJECT)
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread: the finding it started from, then each step with its evidence and decisions."""
    obj = project_or_404(request, pk, Permission.VIEW_PROJECT)
    steps = list(obj.steps.prefetch_related("findings__run", "alerts").order_by("order"))
    decisions = list(
        obj.decisions.select_related("decided_by").prefetch_related("findings", "alerts")
    )
    by_step: dict[str, list[Any]] = {}
    for decision in decisions:
        by_step.setdefault(decision.step, []).append(decision)
    thread = [
        {
            "step": step,
            "decisions": by_step.get(step.step, []),
            "later": LATER.get(Step(step.step), ""),
        }
        for step in steps
    ]
    current = next((s for s in steps if s.status != "done"), None)
    context = {
        "project": obj,
        "thread": thread,
        "steps": steps,
        "current": current,
        "decisions": decisions,
        "memberships": obj.memberships.select_related("user"),
        "finding_url": finding_url(obj.finding_id),
        "can": allowed(
            request,
            obj,
            edit=Permission.EDIT_PROJECT,
            steps=Permission.EDIT_PROJECT_STEPS,
            decide=Permission.RECORD_DECISION,
            delete=Permission.DELETE,
        ),
    }
    return render(request, "programme/project.html", context)


@requires(Permission.CREATE_PROJECT)
def project_new(request: HttpRequest) -> HttpResponse:
    """Start a project; ``?finding=<id>`` fills in what is in focus from that finding."""
    finding = None
    finding_id = request.POST.get("finding") or request.GET.get("finding")
    if finding_id:
        check(request, Permission.VIEW_EVIDENCE)
        finding = get_object_or_404(Finding.objects.select_related("run"), pk=finding_id)
    initial: dict[str, Any] = {}
    if finding is not None:
        initial = {
            "finding": finding.pk,
            "title": f"{finding.indicator_title}: {finding.group_label}",
            "boroughs": Borough.objects.filter(name__iexact=finding.borough),
        }
    form = StartProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = actions.start_project(
                user=request.user,
                finding=data["finding"],
                title=data["title"],
                workstream=data["workstream"],
                boroughs=data["boroughs"],
                owner=data["owner"],
                summary=data["summary"],
            )
        except actions.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Project started. Find is in progress: move it on when the team is ready."),
            )
            return redirect(obj)
    return render(request, "programme/project_form.html", {"form": form, "finding": finding})


@requires(Permission.EDIT_PROJECT)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a project's title, workstream, boroughs, owner or summary."""
    obj = project_or_404(request, pk, Permission.EDIT_PROJECT)
    initial = {
        "title": obj.title,
        "workstream": obj.workstream_id,
        "boroughs": obj.boroughs.all(),
        "owner": obj.owner_id,
        "summary": obj.summary,
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.change_project(
            user=request.user,
            project=obj,
            title=data["title"],
            workstream=data["workstream"],
            boroughs=data["boroughs"],
            owner=data["owner"] or obj.owner,
            summary=data["summary"],
        )
        messages.success(request, _("Project changed."))
        return redirect(obj)
    return render(request, "programme/project_form.html", {"form": form, "project": obj})


@requires(Permission.DELETE)
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide the project (an administrator can restore it)."""
    obj = project_or_404(request, pk, Permission.DELETE)
    if request.method == "POST":
        actions.delete_project(user=request.user, project=obj)
        messages.success(
            request,
            _("Project deleted. An administrator can restore it from the admin pages."),
        )
        return redirect("programme:board")
    return render(request, "programme/project_delete.html", {"project": obj})
