"""Co-create and Unite pages: a project's ideas, a round, its ballots, results and decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.ideas import actions, results
from focuson.web.ideas.forms import BallotForm, DecisionForm, IdeaForm, RoundForm
from focuson.web.ideas.models import Channel, CoCreationSession, Idea, PrioritisationRound
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Project


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submission: bind it, so its errors are shown.
    return request.POST if request.method == "POST" else None


def _project(request: HttpRequest, pk: int, permission: Permission) -> Project:
    return get_visible_or_404(request, Project.objects, permission, pk=pk)


def _round(request: HttpRequest, pk: int, permission: Permission) -> PrioritisationRound:
    return get_visible_or_404(
        request, PrioritisationRound.objects.select_related("project"), permission, pk=pk
    )


@requires(Permission.VIEW_PROJECT)
def ideas(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's ideas, who made them, and its prioritisation rounds."""
    project = _project(request, project_id, Permission.VIEW_PROJECT)
    context = {
        "project": project,
        "ideas": Idea.objects.filter(project=project).prefetch_related("contributors", "builds_on"),
        "rounds": PrioritisationRound.objects.filter(project=project).select_related("decision"),
        "sessions": CoCreationSession.objects.filter(project=project),
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, project),
    }
    return render(request, "ideas/ideas.html", context)


def _idea_form(request: HttpRequest, project: Project, idea: Idea | None) -> HttpResponse:
    form = IdeaForm(_posted(request), instance=idea, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = actions.save_idea(
            user=request.user,
            project=project,
            idea=idea,
            fields={f: data[f] for f in IdeaForm.Meta.fields if f in form.fields}
            | form.gap_fields(),
            builds_on=data["builds_on"],
            authors=form.authors.authors,
            insights=data["insights"],
            findings=data["findings"],
        )
        messages.success(request, _("Idea saved: %(title)s.") % {"title": saved.title})
        return redirect(saved)
    return render(request, "ideas/idea_form.html", {"form": form, "project": project, "idea": idea})


@requires(Permission.EDIT_PROJECT_STEPS)
def add_idea(request: HttpRequest, project_id: int) -> HttpResponse:
    """Add an idea (a facilitator enters one given on paper or in the room the same way)."""
    project = _project(request, project_id, Permission.EDIT_PROJECT_STEPS)
    return _idea_form(request, project, None)


@requires(Permission.EDIT_PROJECT_STEPS)
def edit_idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Change an idea."""
    idea = get_visible_or_404(
        request, Idea.objects.select_related("project"), Permission.EDIT_PROJECT_STEPS, pk=idea_id
    )
    return _idea_form(request, idea.project, idea)


@requires(Permission.EDIT_PROJECT_STEPS)
def add_round(request: HttpRequest, project_id: int) -> HttpResponse:
    """Start a prioritisation round on some of the project's ideas."""
    project = _project(request, project_id, Permission.EDIT_PROJECT_STEPS)
    weights = {k: str(v) for k, v in actions.CRITERIA_LABELS.items()}
    form = RoundForm(_posted(request), project=project, weights=weights)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = actions.start_round(
            user=request.user,
            project=project,
            title=data["title"],
            ideas=list(data["ideas"]),
            weights={k: data[f"weight_{k}"] for k in weights},
            max_selected=data["max_selected"],
        )
        messages.success(request, _("Round started: enter ballots as they come in."))
        return redirect(found)
    return render(request, "ideas/round_form.html", {"form": form, "project": project})


@requires(Permission.VIEW_PROJECT)
def round_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round: its ideas and criteria, ballots by channel, the results, the decision."""
    found = _round(request, round_id, Permission.VIEW_PROJECT)
    project = found.project
    context = {
        "project": project,
        "round": found,
        "criteria": found.criteria.all(),
        "round_ideas": found.ideas.all(),
        "ballots": found.ballots.count(),
        "declared_groups": results.declared_groups(found),
        "results": results.results(found),
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, project),
        "can_decide": has_permission(request.user, Permission.RECORD_DECISION, project),
    }
    return render(request, "ideas/round.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    """Enter one ballot: online, or from paper, the room or the phone (they count the same)."""
    found = _round(request, round_id, Permission.EDIT_PROJECT_STEPS)
    form = BallotForm(_posted(request), round=found, initial={"channel": Channel.PAPER})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_ballot(
                user=request.user,
                round=found,
                role=form.cleaned_data["role"],
                channel=form.cleaned_data["channel"],
                declared_group=form.cleaned_data["declared_group"],
                scores=form.scores,
                supports=form.supports,
                session=form.cleaned_data["session"],
            )
        except actions.IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ballot saved. Enter the next one, or see the results."))
            return redirect("ideas:ballot", round_id=found.pk)
    return render(
        request, "ideas/ballot_form.html", {"form": form, "project": found.project, "round": found}
    )


@requires(Permission.RECORD_DECISION)
def decide(request: HttpRequest, round_id: int) -> HttpResponse:
    """Select at most the round's maximum of ideas, park the others with reasons."""
    found = _round(request, round_id, Permission.RECORD_DECISION)
    suggested = results.suggestion(found) if found.decision_id is None else None
    form = DecisionForm(_posted(request), round=found, initial=suggested or {})
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_round(
                user=request.user,
                round=found,
                selected=list(form.cleaned_data["selected"]),
                parked=form.parked,
                rationale=form.cleaned_data["rationale"],
            )
        except actions.IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded in the project's decisions log."))
            return redirect(found)
    return render(
        request,
        "ideas/decision_form.html",
        {"form": form, "project": found.project, "round": found, "suggested": suggested},
    )
