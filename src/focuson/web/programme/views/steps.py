"""Moving a project's step on, and the decisions log (per project and programme-wide)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.permissions import Permission, requires
from focuson.web.programme import actions
from focuson.web.programme.forms import DecisionForm, StepForm
from focuson.web.programme.models import Decision, Step, visible_projects
from focuson.web.programme.views.common import project_or_404


@requires(Permission.EDIT_PROJECT_STEPS)
def step_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Change one step's status, dates, notes and linked evidence."""
    project = project_or_404(request, pk, Permission.EDIT_PROJECT_STEPS)
    if step not in Step.values:
        raise Http404
    row = project.steps.get(step=step)
    initial = {
        "status": row.status,
        "started_on": row.started_on,
        "finished_on": row.finished_on,
        "notes": row.notes,
        "findings": row.findings.all(),
        "alerts": row.alerts.all(),
    }
    form = StepForm(request.POST or None, initial=initial, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.move_step(
                user=request.user,
                project=project,
                step=step,
                status=data["status"],
                notes=data["notes"],
                started_on=data["started_on"],
                finished_on=data["finished_on"],
                findings=data["findings"],
                alerts=data["alerts"],
            )
        except actions.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(step)s saved.") % {"step": row.get_step_display()},
            )
            return redirect(project)
    return render(
        request, "programme/step_form.html", {"form": form, "project": project, "row": row}
    )


@requires(Permission.RECORD_DECISION)
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision in a project's log (``?step=`` chooses the step)."""
    project = project_or_404(request, pk, Permission.RECORD_DECISION)
    current = project.current_step()
    initial = {"step": request.GET.get("step") or (current.step if current else Step.FIND)}
    form = DecisionForm(request.POST or None, initial=initial, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_decision(
            user=request.user,
            project=project,
            step=data["step"],
            text=data["text"],
            rationale=data["rationale"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            evidence=[*data["findings"], *data["alerts"]],
        )
        messages.success(request, _("Decision recorded in the project's log."))
        return redirect(project)
    return render(request, "programme/decision_form.html", {"form": form, "project": project})


@requires(Permission.VIEW_PROGRAMME)
def decisions(request: HttpRequest) -> HttpResponse:
    """Every decision in the projects the person may see, newest first."""
    log = (
        Decision.objects.filter(project__in=visible_projects(request.user))
        .select_related("project", "decided_by")
        .prefetch_related("findings", "alerts")
    )
    return render(request, "programme/decisions.html", {"decisions": log[:500]})
