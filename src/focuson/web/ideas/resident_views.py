"""Residents' pages: join with a code, then, in that one session, add an idea, comment on the
project's ideas and score those of its open prioritisation round, on a phone, without an
account.

These are public pages. What a browser may do is limited to the session whose code it entered
(:func:`focuson.web.core.join_codes.participant`): anyone who has not joined it is sent to the
join page, whatever the address says, and a closed session takes nothing. The anonymous id is
kept in the browser's session and, hashed, on what the resident gave: no page shows it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.core import join_codes
from focuson.web.ideas import actions, resident_statements, session_actions
from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    BallotSupport,
    Channel,
    CoCreationSession,
    Idea,
    IdeaStatus,
    PrioritisationRound,
    Role,
)
from focuson.web.ideas.session_forms import (
    CommentForm,
    JoinForm,
    ResidentBallotForm,
    ResidentIdeaForm,
)
from focuson.web.permissions import public


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _live(session: CoCreationSession) -> bool:
    """Whether the session takes contributions (neither it nor its project deleted)."""
    return session.accepting() and not session.is_deleted and not session.project.is_deleted


def _statement_round(code: str) -> Any:
    """The statement round with ``code``, when the statements app is installed."""
    try:
        model = apps.get_model("statements", "StatementRound")
    except LookupError:
        return None
    return model._default_manager.filter(code=code).first()


def _enter(request: HttpRequest, code: str, form: JoinForm) -> HttpResponse:
    # A deleted session's code says the session is closed, not that it never existed.
    found = CoCreationSession.all_objects.select_related("project").filter(code=code).first()
    if found is not None and not found.project.is_deleted:
        if not _live(found):
            return render(request, "ideas/resident/closed.html", {"session": found})
        join_codes.join(request, found)
        return redirect(found.get_resident_url())
    elsewhere = _statement_round(code)
    if elsewhere is not None:
        return redirect(elsewhere.get_resident_url())
    form.add_error(
        "code",
        _(
            "No session has this code. Check it against your flyer or message and enter it "
            "again, or ask the person who gave it to you."
        ),
    )
    return render(request, "ideas/resident/join.html", {"form": form})


@public
def join(request: HttpRequest) -> HttpResponse:
    """Type the code of a session (from a flyer, read out in the room, or in a message)."""
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        return _enter(request, form.cleaned_data["code"], form)
    return render(request, "ideas/resident/join.html", {"form": form})


@public
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """A session's link: the code is in the address, so following it joins."""
    form = JoinForm({"code": code})
    if not form.is_valid():
        return render(request, "ideas/resident/join.html", {"form": form})
    return _enter(request, form.cleaned_data["code"], form)


def _joined(request: HttpRequest, session_id: int) -> tuple[CoCreationSession, str] | None:
    """The session and the resident's participant hash, or None when this browser has not
    joined it (an unknown session looks the same: an address gives nothing away)."""
    found = CoCreationSession.objects.select_related("project").filter(pk=session_id).first()
    token = join_codes.participant(request, found) if found is not None else None
    if found is None or token is None:
        return None
    return found, session_actions.participant_hash(f"ideas.session:{found.pk}", token)


def _to_join(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Enter your session code to take part."))
    return redirect("join:join")


def _ideas(session: CoCreationSession) -> Any:
    # Drafts are staff's own notes; everything else of the project is open to comment.
    return (
        Idea.objects.filter(project=session.project)
        .exclude(status=IdeaStatus.DRAFT)
        .prefetch_related("contributors", "comments")
    )


def _open_round(session: CoCreationSession) -> PrioritisationRound | None:
    """The project's newest round not yet decided: the one residents score."""
    return (
        PrioritisationRound.objects.filter(project=session.project, decision__isnull=True)
        .order_by("-created", "-pk")
        .first()
    )


@public
def take_part(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session's page for residents: its ideas and comments, and what they can do."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    found, who = joined
    round_ = _open_round(found)
    context = {
        "session": found,
        "live": _live(found),
        "ideas": _ideas(found),
        "round": round_,
        "scored": round_ is not None
        and Ballot.objects.filter(round=round_, participant=who).exists(),
        "statement_rounds": resident_statements.rounds_for_page(request, found),
    }
    return render(request, "ideas/resident/session.html", context)


@public
def add_idea(request: HttpRequest, session_id: int) -> HttpResponse:
    """A resident adds their idea (as its resident co-author)."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    found, who = joined
    if not _live(found):
        return render(request, "ideas/resident/closed.html", {"session": found})
    form = ResidentIdeaForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_actions.add_resident_idea(
                session=found,
                fields={f: data[f] for f in ResidentIdeaForm.Meta.fields},
                name=data["name"],
                participant=who,
            )
        except actions.IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your idea is added."))
            return redirect(found.get_resident_url())
    return render(request, "ideas/resident/idea_form.html", {"session": found, "form": form})


@public
def comment(request: HttpRequest, session_id: int, idea_id: int) -> HttpResponse:
    """A resident comments on one of the project's ideas: for, against or neutral."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    found, who = joined
    idea = _ideas(found).filter(pk=idea_id).first()
    if idea is None:
        raise Http404  # not an idea of this session's project
    if not _live(found):
        return render(request, "ideas/resident/closed.html", {"session": found})
    form = CommentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            session_actions.add_comment(
                user=None,
                idea=idea,
                text=form.cleaned_data["text"],
                stance=form.cleaned_data["stance"],
                session=found,
                participant=who,
            )
        except actions.IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your comment is added."))
            return redirect(found.get_resident_url() + f"#idea-{idea.pk}")
    context = {"session": found, "idea": idea, "form": form}
    return render(request, "ideas/resident/comment_form.html", context)


def _earlier(round_: PrioritisationRound, who: str) -> dict[str, Any]:
    """A resident's earlier ballot as the form's initial values (scoring again replaces it)."""
    ballot = Ballot.objects.filter(round=round_, participant=who).first()
    if ballot is None:
        return {}
    initial: dict[str, Any] = {"declared_group": ballot.declared_group}
    for s in BallotScore.objects.filter(ballot=ballot):
        initial[f"score_{s.idea_id}_{s.criterion_id}"] = str(s.score)
    for p in BallotSupport.objects.filter(ballot=ballot):
        initial[f"support_{p.idea_id}"] = str(p.support)
    return initial


@public
def score(request: HttpRequest, session_id: int) -> HttpResponse:
    """A resident scores the ideas of the project's open round: their own ballot, online, as a
    resident; scoring again replaces their earlier ballot."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    found, who = joined
    if not _live(found):
        return render(request, "ideas/resident/closed.html", {"session": found})
    round_ = _open_round(found)
    if round_ is None:
        return render(request, "ideas/resident/score.html", {"session": found, "round": None})
    earlier = _earlier(round_, who)
    form = ResidentBallotForm(_posted(request), round=round_, initial=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_ballot(
                user=None,
                round=round_,
                role=Role.RESIDENT,
                channel=Channel.ONLINE,
                declared_group=form.cleaned_data["declared_group"],
                scores=form.scores,
                supports=form.supports,
                participant=who,
                session=found,
            )
        except actions.IdeasError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your scores are saved."))
            return redirect(found.get_resident_url())
    context = {"session": found, "round": round_, "form": form, "again": bool(earlier)}
    return render(request, "ideas/resident/score.html", context)


@public
def leave(request: HttpRequest, session_id: int) -> HttpResponse:
    """Forget the session in this browser (on a shared phone); what was given stays."""
    joined = _joined(request, session_id)
    if joined is not None and request.method == "POST":
        join_codes.leave(request, joined[0])
        messages.success(request, _("You have left the session on this device."))
        return redirect("join:join")
    if joined is None:
        return _to_join(request)
    return redirect(joined[0].get_resident_url())


@public
def vote_in_round(request: HttpRequest, session_id: int, round_id: int) -> HttpResponse:
    """Join one of the project's open statement rounds from the session's page, and vote: the
    session's code opens its project's open rounds, and nothing else."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    found, _who = joined
    if request.method != "POST":
        return redirect(found.get_resident_url())
    rounds = resident_statements.open_rounds(found)
    round_ = rounds.filter(pk=round_id).first() if _live(found) else None
    if round_ is None:
        raise Http404  # not an open round of this session's project
    join_codes.join(request, round_)
    resident_statements.remember_session(request, round_, found)
    return redirect("statements:vote", code=round_.code)
