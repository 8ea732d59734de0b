"""Co-create's staff pages: a project's co-creation sessions, their code, joining, attendance;
an idea's own page (comments, versions, the problem it addresses, the gap it could narrow)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focuson.web.ideas import attendance, idea_page, session_actions
from focuson.web.ideas.actions import IdeasError
from focuson.web.ideas.models import Ballot, CoCreationSession, Idea, IdeaComment
from focuson.web.ideas.session_forms import (
    ATTENDANCE_DIMENSIONS,
    AttendanceForm,
    CommentForm,
    SessionForm,
    attendance_bands,
)
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Project


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submission: bind it, so its errors are shown.
    return request.POST if request.method == "POST" else None


def _session(request: HttpRequest, pk: int, permission: Permission) -> CoCreationSession:
    return get_visible_or_404(
        request, CoCreationSession.objects.select_related("project"), permission, pk=pk
    )


def _session_form(
    request: HttpRequest, project: Project, session: CoCreationSession | None
) -> HttpResponse:
    form = SessionForm(_posted(request), instance=session, project=project)
    if request.method == "POST" and form.is_valid():
        saved = session_actions.save_session(
            user=request.user,
            project=project,
            session=session,
            fields={f: form.cleaned_data[f] for f in SessionForm.Meta.fields},
            facilitators=form.cleaned_data["facilitators"],
        )
        messages.success(request, _("Session saved. Residents join it with the code below."))
        return redirect(saved)
    return render(
        request, "ideas/session_form.html", {"form": form, "project": project, "session": session}
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def session_new(request: HttpRequest, project_id: int) -> HttpResponse:
    """Plan a co-creation session: it gets a code residents join with."""
    project = get_visible_or_404(
        request, Project.objects, Permission.EDIT_PROJECT_STEPS, pk=project_id
    )
    return _session_form(request, project, None)


@requires(Permission.EDIT_PROJECT_STEPS)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    """Change a session, or write its closing report."""
    session = _session(request, session_id, Permission.EDIT_PROJECT_STEPS)
    return _session_form(request, session.project, session)


def _attendance(session: CoCreationSession) -> list[tuple[Any, list[tuple[Any, int]], int]]:
    """(breakdown, [(group, people)], total) per breakdown counted, in the form's order."""
    labels = {(d, b): label for d, b, label in attendance_bands()}
    rows = list(session.attendance.all())
    out = []
    for dimension, heading in ATTENDANCE_DIMENSIONS.items():
        mine = [r for r in rows if r.dimension == dimension]
        if mine:
            groups = [(labels.get((dimension, r.band), r.band), r.count) for r in mine]
            out.append((heading, groups, sum(r.count for r in mine)))
    return out


@requires(Permission.VIEW_PROJECT)
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session: its code and link (big enough to read out), joining open or closed, who came,
    the ideas made there, its closing report."""
    found = _session(request, session_id, Permission.VIEW_PROJECT)
    link = request.build_absolute_uri(reverse("join:code", args=[found.code]))
    context = {
        "project": found.project,
        "session": found,
        "link": link,
        "code_groups": (found.code[:4], found.code[4:]),
        "attendance": _attendance(found),
        "who_came": attendance.who_came(found),
        "session_ideas": Idea.objects.filter(session=found),
        "comments": IdeaComment.objects.filter(session=found).count(),
        # A resident's own ballot carries their hash; one staff entered from paper does not.
        "ballots": Ballot.objects.filter(session=found).exclude(participant="").count(),
        "entered_ballots": Ballot.objects.filter(session=found, participant="").count(),
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, found.project),
    }
    return render(request, "ideas/session.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def session_joining(request: HttpRequest, session_id: int) -> HttpResponse:
    """Open or close the session to residents (a POST from the session's page)."""
    found = _session(request, session_id, Permission.EDIT_PROJECT_STEPS)
    if request.method == "POST":
        wanted = request.POST.get("open") == "1"
        session_actions.set_joining(user=request.user, session=found, open=wanted)
        if wanted:
            messages.success(request, _("The session is open: residents can join with the code."))
        else:
            messages.success(
                request, _("The session is closed: residents can no longer add or score.")
            )
    return redirect(found)


@requires(Permission.EDIT_PROJECT_STEPS)
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    """Ask, then close the session and hide it (restorable; what residents gave stays)."""
    found = _session(request, session_id, Permission.EDIT_PROJECT_STEPS)
    if request.method == "POST":
        session_actions.delete_session(user=request.user, session=found)
        messages.success(
            request, _("Session deleted. An administrator can restore it from the admin pages.")
        )
        return redirect("ideas:ideas", project_id=found.project_id)
    return render(
        request, "ideas/session_delete.html", {"session": found, "project": found.project}
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Enter a paper sign-in sheet: how many came in each role, or in each band of one
    breakdown."""
    found = _session(request, session_id, Permission.EDIT_PROJECT_STEPS)
    form = AttendanceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        n = session_actions.record_attendance(
            user=request.user,
            session=found,
            dimension=form.cleaned_data["dimension"],
            counts=form.cleaned_data["counts"],
        )
        messages.success(
            request,
            _("Attendance recorded: %(n)s people counted. Enter another breakdown, or go back.")
            % {"n": n},
        )
        return redirect("ideas:session_attendance", session_id=found.pk)
    return render(
        request,
        "ideas/attendance_form.html",
        {"form": form, "project": found.project, "session": found},
    )


@requires(Permission.VIEW_PROJECT)
def idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    """An idea: what it is, who made it, what it builds on, the problem it addresses (insights
    and findings) and the gap it could narrow, the comments for and against, its versions."""
    found = get_visible_or_404(
        request,
        Idea.objects.select_related("project", "session"),
        Permission.VIEW_PROJECT,
        pk=idea_id,
    )
    can_edit = has_permission(request.user, Permission.EDIT_PROJECT_STEPS, found.project)
    return render(request, "ideas/idea.html", _idea_context(found, can_edit, CommentForm()))


def _idea_context(found: Idea, can_edit: bool, form: Any) -> dict[str, Any]:
    comments = list(found.comments.select_related("author"))
    return {
        "project": found.project,
        "idea": found,
        "contributors": found.contributors.all(),
        "builds_on": found.builds_on.all(),
        "built_on": found.built_on.all(),
        "insights": found.insights.all(),
        "findings": found.findings.all(),
        "estimates": idea_page.gap_estimates(found),
        "comments": comments,
        "tally": {
            name: sum(1 for c in comments if c.stance == stance)
            for name, stance in (("for", 1), ("neutral", 0), ("against", -1))
        },
        "versions": idea_page.versions(found),
        "rounds": found.rounds.all(),
        "can_edit": can_edit,
        "form": form,
    }


@requires(Permission.EDIT_PROJECT_STEPS)
def idea_comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Comment on an idea, for, neutral or against (a comment made on paper goes in the same
    way)."""
    found = get_visible_or_404(
        request,
        Idea.objects.select_related("project", "session"),
        Permission.EDIT_PROJECT_STEPS,
        pk=idea_id,
    )
    form = CommentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            session_actions.add_comment(
                user=request.user,
                idea=found,
                text=form.cleaned_data["text"],
                stance=form.cleaned_data["stance"],
            )
        except IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Comment added."))
            return redirect(found.get_absolute_url() + "#comments")
    return render(request, "ideas/idea.html", _idea_context(found, True, form))
