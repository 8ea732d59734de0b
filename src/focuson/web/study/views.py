"""The Study step's pages: the project's Study, its plan, its results, the card, the decision."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Project
from focuson.web.study import actions, heard, plans, results
from focuson.web.study.forms import DecisionForm, LinkRunForm, PlanForm
from focuson.web.study.models import ProjectStudy


def _project(request: HttpRequest, pk: int, permission: Permission) -> Project:
    return get_visible_or_404(request, Project.objects, permission, pk=pk)


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submission: bind it, so its errors are shown.
    return request.POST if request.method == "POST" else None


def _study(project: Project) -> ProjectStudy | None:
    return ProjectStudy.objects.select_related("run").filter(project=project).first()


def _study_or_404(request: HttpRequest, pk: int, permission: Permission) -> ProjectStudy:
    study = _study(_project(request, pk, permission))
    if study is None:
        raise Http404
    return study


@requires(Permission.VIEW_PROJECT)
def study(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's Study: the frozen plan, the results and verdict, the card, the decision."""
    project = _project(request, pk, Permission.VIEW_PROJECT)
    found = _study(project)
    context: dict[str, Any] = {
        "project": project,
        "study": found,
        "can_edit": has_permission(request.user, Permission.EDIT_STUDY, project),
        "can_decide": has_permission(request.user, Permission.RECORD_DECISION, project),
    }
    if found is not None:
        record = found.plan_record
        context |= {
            "plan": plans.describe(record.current.plan),
            "versions": plans.versions(found.record),
            "decisions": found.decisions.select_related("decision__decided_by", "run"),
            "heard_since": heard.intervention_began(record.current.plan),
            "heard": heard.by_type(heard.heard_since(project, record.current.plan)),
        }
        run = found.live_run
        context["results_run"] = run
        if run is not None:
            context |= {
                "verdict": results.verdict(run),
                "effects": results.effects(run),
                "has_card": results.card_file(run) is not None,
                "manifest": results.main_manifest(run),
            }
    return render(request, "study/study.html", context)


@requires(Permission.EDIT_STUDY)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the plan (pasted or uploaded), or amend the frozen one as its next version."""
    project = _project(request, pk, Permission.EDIT_STUDY)
    found = _study(project)
    amending = found is not None
    initial = {"plan": found.plan_yaml} if found is not None else {}
    form = PlanForm(_posted(request), request.FILES or None, initial=initial, amending=amending)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_plan(
                user=request.user,
                project=project,
                text=data["plan"],
                data_seen=data["data_seen"] == "yes",
                reason=data.get("reason", ""),
                label=data["label"],
            )
        except actions.StudyError as error:
            field = "plan" if error.lines and "line" in error.lines[0] else None
            for line in error.lines:
                form.add_error(field, line)
        else:
            s = saved.study
            message = _("Plan frozen: version %(version)s, SHA-256 %(hash)s.") % {
                "version": s.version,
                "hash": s.plan_hash[:12],
            }
            if not saved.amended:
                message += " " + _(
                    "Run focuson study on this plan when the test is over, import the results "
                    "and link them here."
                )
            messages.success(request, message)
            if saved.unlinked is not None:
                messages.warning(
                    request,
                    _(
                        "The results linked were run on the earlier version, so they are no "
                        "longer linked: run focuson study on this version and link its results."
                    ),
                )
            return redirect(s)
    return render(
        request, "study/plan_form.html", {"form": form, "project": project, "study": found}
    )


@requires(Permission.EDIT_STUDY)
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the Study results run on the frozen plan (a run of another plan is refused)."""
    found = _study_or_404(request, pk, Permission.EDIT_STUDY)
    form = LinkRunForm(_posted(request), initial={"run": found.run_id})
    if request.method == "POST" and form.is_valid():
        try:
            actions.link_run(user=request.user, study=found, run=form.cleaned_data["run"])
        except actions.StudyError as error:
            form.add_error("run", str(error))
        else:
            messages.success(request, _("Study results linked: the verdict is below."))
            return redirect(found)
    return render(
        request, "study/link_form.html", {"form": form, "project": found.project, "study": found}
    )


@requires(Permission.RECORD_DECISION)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record continue, adapt or stop in the project's decisions log, with the results."""
    found = _study_or_404(request, pk, Permission.RECORD_DECISION)
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide(
                user=request.user,
                study=found,
                outcome=data["outcome"],
                text=data["text"],
                rationale=data["rationale"],
                decided_by=data["decided_by"],
                decided_on=data["decided_on"],
            )
        except actions.StudyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded in the project's decisions log."))
            return redirect(found)
    verdict = results.verdict(found.live_run) if found.live_run is not None else None
    return render(
        request,
        "study/decision_form.html",
        {"form": form, "project": found.project, "study": found, "verdict": verdict},
    )


@requires(Permission.VIEW_PROJECT)
# The card is the self-contained page focuson study wrote (docs/study.md): its CSS is in a
# <style> element and its charts are SVG with style attributes, so this one response allows
# inline styles. It runs no script at all ('none') and is sandboxed (no scripts, forms or
# popups; an origin of its own, so it cannot read the app's cookies), and it is served only
# when its SHA-256 is the one its run's manifest recorded at import. (django-csp types a view
# as taking the request alone, hence the ignore.)
@csp_replace(  # type: ignore[arg-type]
    {
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'none'"],
        "sandbox": [True],
    }
)
def card(request: HttpRequest, pk: int) -> HttpResponse:
    """The Study card of the project's results, as its own page (printable)."""
    found = _study_or_404(request, pk, Permission.VIEW_PROJECT)
    # After the object check, so that an outsider learns nothing (404 before 405).
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    path = results.card_file(found.live_run) if found.live_run is not None else None
    if path is None:
        raise Http404
    return HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")
