"""Removing what a resident gave in a statement round, on their request.

It follows the standard of Open's erasure (:func:`focuson.web.insight.actions.erase_participant`):
the rows go and so do their audit history rows, since the history would otherwise keep what was
to be removed. What is recorded is only that a removal happened, on the round's history, with
nothing about whom.

Residents have no account and give no name, so staff cannot find one person's votes on a written
request: only the browser that joined (which holds the anonymous id) can ask for them to go.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from focuson.web.statements.models import Statement, StatementRound, Vote, Voter

__all__ = ["Removed", "forget", "remove_participant", "suggestion_hash"]


def suggestion_hash(round: StatementRound, participant: str) -> str:
    """A one-way hash of a resident's anonymous id kept on the statements they suggest.

    >>> len(suggestion_hash(StatementRound(pk=1), "ab" * 16))
    64
    """
    return hashlib.sha256(f"statements.round:{round.pk}|{participant}".encode()).hexdigest()


def forget(model: Any, ids: list[int]) -> None:
    """Delete rows and every history row of them (deleting writes one more: it goes too)."""
    if not ids:
        return
    model.history.filter(id__in=ids).delete()
    getattr(model, "all_objects", model.objects).filter(pk__in=ids).delete()
    model.history.filter(id__in=ids).delete()


@dataclass(frozen=True)
class Removed:
    """What a removal took away, to say on the page."""

    votes: int
    suggestions: int


@transaction.atomic
def remove_participant(*, round: StatementRound, participant: str) -> Removed:
    """Remove a resident's votes, their group, and the statements they suggested (with the
    votes others gave on those), history included."""
    voters = list(
        Voter.objects.filter(round=round, participant=participant).values_list("pk", flat=True)
    )
    votes = list(Vote.objects.filter(voter_id__in=voters).values_list("pk", flat=True))
    suggested = list(
        Statement.objects.filter(
            round=round, participant=suggestion_hash(round, participant)
        ).values_list("pk", flat=True)
    )
    on_suggested = list(
        Vote.objects.filter(statement_id__in=suggested)
        .exclude(pk__in=votes)
        .values_list("pk", flat=True)
    )
    forget(Vote, votes + on_suggested)
    forget(Voter, voters)
    forget(Statement, suggested)
    if voters or suggested:
        round._change_reason = "A resident's votes and suggestions were removed on request"
        round._history_user = None
        round.save()
    return Removed(votes=len(votes), suggestions=len(suggested))
