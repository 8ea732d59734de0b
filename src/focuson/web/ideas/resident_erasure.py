"""A resident removes what they gave, from their own session page (while this browser still
holds the session): see :mod:`focuson.web.ideas.erasure` for what goes and what stays."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.core import join_codes
from focuson.web.ideas import erasure
from focuson.web.ideas.models import Ballot, CoCreationSession, IdeaComment, IdeaContributor
from focuson.web.ideas.resident_views import _joined, _to_join
from focuson.web.permissions import public
from focuson.web.statements.erasure import suggestion_hash
from focuson.web.statements.models import Statement, StatementRound, Vote


def _rounds(request: HttpRequest, session: CoCreationSession) -> dict[StatementRound, str]:
    """The project's statement rounds this browser joined, open or not, and its id in each."""
    found = {}
    for round_ in StatementRound.objects.filter(project_id=session.project_id):
        token = join_codes.participant(request, round_)
        if token is not None:
            found[round_] = token
    return found


def _gave(who: str, rounds: dict[StatementRound, str]) -> dict[str, int]:
    """What the resident gave, counted, for the page to say before anything goes."""
    votes = suggestions = 0
    for round_, token in rounds.items():
        votes += Vote.objects.filter(voter__round=round_, voter__participant=token).count()
        suggestions += Statement.objects.filter(
            round=round_, participant=suggestion_hash(round_, token)
        ).count()
    return {
        "comments": IdeaComment.objects.filter(participant=who).count(),
        "ballots": Ballot.objects.filter(participant=who).count(),
        "ideas": IdeaContributor.objects.filter(participant=who).count(),
        "votes": votes,
        "suggestions": suggestions,
    }


@public
def remove(request: HttpRequest, session_id: int) -> HttpResponse:
    """Say what would be removed; on confirming, remove it for good and leave on this device."""
    joined = _joined(request, session_id)
    if joined is None:
        return _to_join(request)
    session, who = joined
    rounds = _rounds(request, session)
    if request.method == "POST":
        removed = erasure.remove_resident(session=session, who=who, rounds=rounds)
        for round_ in rounds:
            join_codes.leave(request, round_)
        join_codes.leave(request, session)
        messages.success(
            request,
            _(
                "Done: what you gave in this session is removed (%(n)d items), and you have "
                "left it on this device."
            )
            % {"n": removed.total},
        )
        return redirect("join:join")
    gave = _gave(who, rounds)
    context = {"session": session, "gave": gave, "anything": any(gave.values())}
    return render(request, "ideas/resident/remove.html", context)
