"""Staff pages of statement rounds: a project's rounds, a new round or a Pol.is import, a round
with its statements, moderation and join code, paper votes, and the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Project
from focuson.web.statements import actions, results
from focuson.web.statements.forms import (
    PREFER_NOT,
    ModerationForm,
    PaperVoterForm,
    PolisImportForm,
    RoundForm,
    StatementForm,
)
from focuson.web.statements.models import Moderation, Statement, StatementRound
from focuson.web.statements.settings_form import RoundSettingsForm


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submission: bind it, so its errors are shown.
    return request.POST if request.method == "POST" else None


def _project(request: HttpRequest, pk: int, permission: Permission) -> Project:
    return get_visible_or_404(request, Project.objects, permission, pk=pk)


def _round(request: HttpRequest, pk: int, permission: Permission) -> StatementRound:
    return get_visible_or_404(
        request, StatementRound.objects.select_related("project"), permission, pk=pk
    )


@requires(Permission.VIEW_PROJECT)
def project_rounds(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's statement rounds."""
    project = _project(request, project_id, Permission.VIEW_PROJECT)
    rounds = StatementRound.objects.filter(project=project).annotate(
        accepted=Count(
            "statements", filter=Q(statements__status=Moderation.ACCEPTED), distinct=True
        ),
        voted=Count("voters", filter=Q(voters__votes__isnull=False), distinct=True),
    )
    context = {
        "project": project,
        "rounds": rounds,
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, project),
    }
    return render(request, "statements/project.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def add_round(request: HttpRequest, project_id: int) -> HttpResponse:
    """Start a statement round on a project, with its first statements."""
    project = _project(request, project_id, Permission.EDIT_PROJECT_STEPS)
    form = RoundForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = actions.create_round(
            user=request.user,
            project=project,
            title=data["title"],
            question=data["question"],
            description=data["description"],
            group_question=data["group_question"],
            group_options=data["group_options"],
            statements=data["statements"],
        )
        messages.success(
            request, _("Round made and open: read out its code, or add more statements.")
        )
        return redirect(found)
    return render(request, "statements/round_form.html", {"form": form, "project": project})


@requires(Permission.EDIT_PROJECT_STEPS)
def import_polis(request: HttpRequest, project_id: int) -> HttpResponse:
    """A Pol.is conversation export (its two CSV files) as a new round of the project."""
    project = _project(request, project_id, Permission.EDIT_PROJECT_STEPS)
    form = PolisImportForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = actions.import_polis(
                user=request.user,
                project=project,
                title=data["title"],
                question=data["question"],
                comments=data["comments"],
                participants_votes=data["participants_votes"],
                names=(data["comments"].name, data["participants_votes"].name),
            )
        except actions.StatementsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pol.is conversation imported: its results are below."))
            return redirect("statements:results", round_id=found.pk)
    return render(request, "statements/import_form.html", {"form": form, "project": project})


@requires(Permission.VIEW_PROJECT)
def round_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round: its code and link, its statements (to moderate), how many have voted."""
    found = _round(request, round_id, Permission.VIEW_PROJECT)
    statements = found.statements.all()
    context = {
        "project": found.project,
        "round": found,
        "pending": [s for s in statements if s.status == Moderation.PENDING],
        "accepted": [s for s in statements if s.status == Moderation.ACCEPTED],
        "rejected": [s for s in statements if s.status == Moderation.REJECTED],
        "voters": found.voters.filter(votes__isnull=False).distinct().count(),
        "resident_url": request.build_absolute_uri(found.get_resident_url()),
        "form": StatementForm(),
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, found.project),
    }
    return render(request, "statements/round.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def add_statement(request: HttpRequest, round_id: int) -> HttpResponse:
    """Add a statement (accepted at once: staff write it)."""
    found = _round(request, round_id, Permission.EDIT_PROJECT_STEPS)
    form = StatementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_statement(user=request.user, round=found, text=form.cleaned_data["text"])
        except actions.StatementsError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Statement added: residents can vote on it now."))
            return redirect(found)
    return render(
        request,
        "statements/statement_form.html",
        {"form": form, "project": found.project, "round": found},
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def moderate(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Accept or reject a statement (POST from the round page)."""
    statement = get_visible_or_404(
        request,
        Statement.objects.select_related("round__project"),
        Permission.EDIT_PROJECT_STEPS,
        pk=statement_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ModerationForm(request.POST)
    if form.is_valid():
        actions.moderate(user=request.user, statement=statement, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("Statement %(status)s.")
            % {"status": str(Moderation(form.cleaned_data["status"]).label).lower()},
        )
    else:
        messages.error(request, _("Choose accept or reject for the statement."))
    return redirect(statement.round)


@requires(Permission.EDIT_PROJECT_STEPS)
def joining(request: HttpRequest, round_id: int) -> HttpResponse:
    """Open the round to residents, or close it (POST from the round page)."""
    found = _round(request, round_id, Permission.EDIT_PROJECT_STEPS)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    opening = request.POST.get("open") == "1"
    try:
        actions.set_joining(user=request.user, round=found, open=opening)
    except actions.StatementsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The round is open: residents can join with its code.")
            if opening
            else _("The round is closed: it takes no more votes or statements from residents."),
        )
    return redirect(found)


@requires(Permission.EDIT_PROJECT_STEPS)
def paper_votes(request: HttpRequest, round_id: int) -> HttpResponse:
    """Enter one paper voter's form: they count exactly as a voter online."""
    found = _round(request, round_id, Permission.EDIT_PROJECT_STEPS)
    form = PaperVoterForm(_posted(request), round=found)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        try:
            actions.add_paper_voter(
                user=request.user,
                round=found,
                label=form.cleaned_data["label"],
                votes=form.votes,
                group="" if group == PREFER_NOT else group,
                prefers_not_to_say=group == PREFER_NOT,
            )
        except actions.StatementsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Paper form saved. Enter the next one, or see the results.")
            )
            return redirect("statements:paper", round_id=found.pk)
    return render(
        request,
        "statements/paper_form.html",
        {"form": form, "project": found.project, "round": found},
    )


@requires(Permission.VIEW_PROJECT)
def results_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's results: support by group, the statements that represent each group,
    consensus across groups."""
    found = _round(request, round_id, Permission.VIEW_PROJECT)
    context = {"project": found.project, "round": found, "results": results.results(found)}
    return render(request, "statements/results.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def edit_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """Change when the round closes, and its groups until a voter has answered with them."""
    found = _round(request, round_id, Permission.EDIT_PROJECT_STEPS)
    if found.imported_from:
        messages.error(
            request,
            _("An imported Pol.is round cannot be changed: its votes were given in Pol.is."),
        )
        return redirect(found)
    form = RoundSettingsForm(_posted(request), round=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_round(
                user=request.user,
                round=found,
                closes_at=data["closes_at"],
                group_question=None if form.used else data["group_question"],
                group_options=None if form.used else data["group_options"],
            )
        except actions.StatementsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The round is changed."))
            return redirect(found)
    context = {"project": found.project, "round": found, "form": form}
    return render(request, "statements/round_settings.html", context)
