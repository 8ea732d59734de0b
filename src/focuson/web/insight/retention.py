"""Retention: events past the date their records were to be kept until, and purging one.

A purge follows the standard of erasing a participant (:func:`actions.erase_participant`): the
rows go and so does their audit history, since the history would otherwise keep what was to be
deleted. Everything of the event goes: its participants (and their passages in other events'
sources, blanked as on erasure), sources, translations, codings, memos on them, quotes made from
them, the insights' links to them, and its paper tallies. What is recorded is only that an event
was purged, by whom and when, on the project's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from focuson.web.insight.coding_actions import erase_passages
from focuson.web.insight.models import (
    AttendanceCount,
    Coding,
    Event,
    Insight,
    Memo,
    Participant,
    Quote,
    Source,
    Translation,
)


def overdue(project: Any) -> Any:
    """The project's events past their retention date, deleted ones included (their records
    are still held until purged)."""
    return Event.all_objects.filter(
        project=project, retention_date__lt=timezone.localdate()
    ).order_by("retention_date", "pk")


@dataclass(frozen=True)
class Purged:
    """What a purge removed, to say on the page."""

    participants: int
    sources: int
    codings: int
    memos: int
    quotes: int
    tallies: int


def _forget(model: Any, ids: list[int]) -> None:
    """Delete rows and every history row of them (the deletion writes one more: it goes too)."""
    model.history.filter(id__in=ids).delete()
    getattr(model, "all_objects", model.objects).filter(pk__in=ids).delete()
    model.history.filter(id__in=ids).delete()


@transaction.atomic
def purge_event(*, user: Any, event: Event) -> Purged:
    """Delete everything of ``event`` for good, history included (see the module's docstring).

    Raises
    ------
    ValueError
        The event is not yet past its retention date.
    """
    if event.retention_date >= timezone.localdate():
        raise ValueError("the event is not past its retention date yet")
    sources = list(Source.all_objects.filter(event=event).values_list("pk", flat=True))
    codings = list(Coding.all_objects.filter(source_id__in=sources).values_list("pk", flat=True))
    memos = list(
        Memo.all_objects.filter(Q(coding_id__in=codings) | Q(source_id__in=sources)).values_list(
            "pk", flat=True
        )
    )
    people = list(Participant.objects.filter(event=event))
    # Quotes of the event's sources, and of its participants' words in other sources.
    quotes = list(
        Quote.objects.filter(
            Q(coding_id__in=codings) | Q(coding__participant__in=people)
        ).values_list("pk", flat=True)
    )
    _forget(Quote, quotes)
    _forget(Memo, memos)
    Insight.codings.through.objects.filter(coding_id__in=codings).delete()
    apps.get_model("insight", "HistoricalInsight_codings").objects.filter(
        coding_id__in=codings
    ).delete()
    _forget(Coding, codings)
    # Their words elsewhere (another event's sources): erased as on a participant's request.
    elsewhere = [erase_passages(participant=person) for person in people]
    translations = list(
        Translation.all_objects.filter(source_id__in=sources).values_list("pk", flat=True)
    )
    _forget(Translation, translations)
    _forget(Source, sources)
    tallies = list(AttendanceCount.objects.filter(event=event).values_list("pk", flat=True))
    _forget(AttendanceCount, tallies)
    _forget(Participant, [p.pk for p in people])
    facilitators = apps.get_model("insight", "HistoricalEvent_facilitators")
    facilitators.objects.filter(history__id=event.pk).delete()
    project = event.project
    _forget(Event, [event.pk])
    facilitators.objects.filter(history__id=event.pk).delete()
    project._change_reason = "An event was purged after its retention date"
    project._history_user = user
    project.save()
    return Purged(
        participants=len(people),
        sources=len(sources),
        codings=len(codings) + sum(e.codings for e in elsewhere),
        memos=len(memos) + sum(e.memos for e in elsewhere),
        quotes=len(quotes),
        tallies=len(tallies),
    )
