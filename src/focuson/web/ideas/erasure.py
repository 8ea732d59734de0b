"""Removing what a resident gave through a co-creation session, on their request.

The standard is Open's erasure (:func:`focuson.web.insight.actions.erase_participant`): the rows
go and so do their audit history rows; only the fact of a removal is recorded, on the session's
history, with nothing about whom. What goes:

- their comments, their ballots (scores and support), and, in the project's statement rounds
  this browser joined, their votes, their group and the statements they suggested;
- the ideas they added: an idea with other co-authors loses them as a co-author and stays; an
  idea of which they are the only author is withdrawn (removed with its comments and scores),
  unless a decision has been made on it, in which case it stays without them (the decision in
  the project's log rests on it).

Residents have no account and give no name (a name typed on an idea is optional and free text),
so staff cannot tell which contributions are one person's: only the browser that joined, which
holds the anonymous id, can ask for them to go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    BallotSupport,
    CoCreationSession,
    Idea,
    IdeaComment,
    IdeaContributor,
)
from focuson.web.statements.erasure import forget, remove_participant
from focuson.web.statements.models import StatementRound

__all__ = ["Removed", "forget_ballots", "remove_resident"]


@dataclass(frozen=True)
class Removed:
    """What a removal took away, to say on the page."""

    comments: int = 0
    ballots: int = 0
    withdrawn: int = 0
    uncredited: int = 0
    votes: int = 0
    suggestions: int = 0

    @property
    def total(self) -> int:
        return sum(
            (self.comments, self.ballots, self.withdrawn, self.uncredited, self.votes,
             self.suggestions)
        )  # fmt: skip


def forget_ballots(ids: list[int]) -> None:
    """Delete ballots with their scores and support, history included."""
    forget(
        BallotScore,
        list(BallotScore.objects.filter(ballot_id__in=ids).values_list("pk", flat=True)),
    )
    forget(
        BallotSupport,
        list(BallotSupport.objects.filter(ballot_id__in=ids).values_list("pk", flat=True)),
    )
    forget(Ballot, ids)


def _withdraw(ideas: list[int]) -> None:
    """Remove ideas for good: their comments, co-authors, scores, links and history."""
    if not ideas:
        return
    forget(
        IdeaComment,
        list(IdeaComment.objects.filter(idea_id__in=ideas).values_list("pk", flat=True)),
    )
    forget(
        IdeaContributor,
        list(IdeaContributor.objects.filter(idea_id__in=ideas).values_list("pk", flat=True)),
    )
    forget(
        BallotScore,
        list(BallotScore.objects.filter(idea_id__in=ideas).values_list("pk", flat=True)),
    )
    forget(
        BallotSupport,
        list(BallotSupport.objects.filter(idea_id__in=ideas).values_list("pk", flat=True)),
    )
    forget(Idea, ideas)
    # The many-to-many history keeps the ideas' ids against other rows: it goes with them
    # (after the ideas, so that nothing their deletion wrote is left pointing at them).
    history = {
        name: apps.get_model("ideas", f"HistoricalIdea_{name}") for name in ("insights", "findings")
    }
    for model in history.values():
        model.objects.filter(idea_id__in=ideas).delete()
    apps.get_model("ideas", "HistoricalIdea_builds_on").objects.filter(
        Q(from_idea_id__in=ideas) | Q(to_idea_id__in=ideas)
    ).delete()
    apps.get_model("ideas", "HistoricalPrioritisationRound_ideas").objects.filter(
        idea_id__in=ideas
    ).delete()


def _ideas(who: str) -> tuple[int, int]:
    """Their co-authorships removed, their sole ideas withdrawn: (withdrawn, uncredited)."""
    mine = list(IdeaContributor.objects.filter(participant=who).values_list("pk", "idea_id"))
    ideas = {idea for _pk, idea in mine}
    shared = set(
        IdeaContributor.objects.filter(idea_id__in=ideas)
        .exclude(participant=who)
        .values_list("idea_id", flat=True)
    )
    decided = set(
        Idea.all_objects.filter(pk__in=ideas, rounds__decision__isnull=False).values_list(
            "pk", flat=True
        )
    )
    withdrawn = sorted(ideas - shared - decided)
    forget(IdeaContributor, [pk for pk, idea in mine if idea not in withdrawn])
    _withdraw(withdrawn)
    return len(withdrawn), len(ideas) - len(withdrawn)


@transaction.atomic
def remove_resident(
    *,
    session: CoCreationSession,
    who: str,
    rounds: Mapping[StatementRound, str] | None = None,
) -> Removed:
    """Remove everything the resident with participant hash ``who`` gave in ``session``, and
    in the statement ``rounds`` (round -> their anonymous id there) of its project."""
    comments = list(IdeaComment.objects.filter(participant=who).values_list("pk", flat=True))
    forget(IdeaComment, comments)
    ballots = list(Ballot.objects.filter(participant=who).values_list("pk", flat=True))
    forget_ballots(ballots)
    withdrawn, uncredited = _ideas(who)
    votes = suggestions = 0
    for round_, participant in (rounds or {}).items():
        if round_.project_id != session.project_id:
            continue  # a session's page removes within its own project only
        gone = remove_participant(round=round_, participant=participant)
        votes, suggestions = votes + gone.votes, suggestions + gone.suggestions
    removed = Removed(
        comments=len(comments),
        ballots=len(ballots),
        withdrawn=withdrawn,
        uncredited=uncredited,
        votes=votes,
        suggestions=suggestions,
    )
    if removed.total:
        session._change_reason = "A resident's contributions were removed on request"
        session._history_user = None
        session.save()
    return removed
