"""A session's residents vote in its project's open statement rounds without a second code.

The session's code opens the session and, through its page, the statement rounds of the same
project that are open now: following "Vote on these statements" joins that one round in this
browser (:func:`focuson.web.core.join_codes.join`) as its own code would. Nothing else opens: a
round of another project, a closed or an imported round answer as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from focuson.web.core import join_codes
from focuson.web.ideas.models import CoCreationSession
from focuson.web.statements.models import Moderation, StatementRound, Voter
from focuson.web.statements.resident import VIA_SESSION


def open_rounds(session: CoCreationSession) -> Any:
    """The session's project's statement rounds residents may vote in now (not imported ones)."""
    now = timezone.now()
    return StatementRound.objects.filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now),
        project_id=session.project_id,
        open_for_joining=True,
        imported_from="",
    ).order_by("created", "pk")


def rounds_for_page(request: HttpRequest, session: CoCreationSession) -> list[dict[str, Any]]:
    """Each open round with how far this browser has got in it (votes given of statements)."""
    found = []
    for round_ in open_rounds(session):
        token = join_codes.participant(request, round_)
        voter = Voter.objects.filter(round=round_, participant=token).first() if token else None
        found.append(
            {
                "round": round_,
                "total": round_.statements.filter(status=Moderation.ACCEPTED).count(),
                "voted": voter.votes.count() if voter else 0,
                "joined": token is not None,
            }
        )
    return found


def remember_session(request: HttpRequest, round_: Any, session: CoCreationSession) -> None:
    """Let the round's pages link back to the session the resident came from."""
    via = dict(request.session.get(VIA_SESSION, {}))
    via[str(round_.pk)] = session.get_resident_url()
    request.session[VIA_SESSION] = via
