"""Open's writes that touch several rows, each in one transaction, with the acting user."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from focuson.web.insight.coding_actions import Erased, erase_passages
from focuson.web.insight.models import AttendanceCount, Event, Participant


@transaction.atomic
def record_tally(*, user: Any, event: Event, dimension: str, counts: dict[str, int]) -> int:
    """Record a paper sheet's counts for one breakdown, replacing the event's earlier ones.

    A sheet entered again (corrected) replaces what was there, so nobody is counted twice.
    Returns the number of people the sheet counted.
    """
    # One by one so that the audit trail records each removal (a handful of rows at most).
    for row in AttendanceCount.objects.filter(event=event, dimension=dimension):
        row.delete()
    rows = [
        AttendanceCount(event=event, dimension=dimension, band=band, count=n)
        for band, n in counts.items()
    ]
    bulk_create_with_history(rows, AttendanceCount, default_user=user)
    return sum(counts.values())


@transaction.atomic
def erase_participant(*, user: Any, participant: Participant) -> Erased:
    """Erase one participant on their request: the row, its audit history, and their words.

    The audit trail would otherwise keep their attributes. Their coded passages go too
    (:func:`coding_actions.erase_passages`: codings, memos on them, the words in the sources).
    The erasure itself is recorded on the event's history (who, when), without anything about
    the person. Returns what was removed, to tell the person who asked.
    """
    event = participant.event
    erased = erase_passages(participant=participant)
    participant.history.all().delete()
    # Deleting writes one more history row (the row as it was): remove that one too.
    pk = participant.pk
    participant.delete()
    Participant.history.filter(id=pk).delete()
    event._change_reason = "A participant was erased on request"
    event._history_user = user
    event.save()
    return erased
