"""Retention: events past their date flagged, and a purge that leaves nothing of the event behind,
in the tables or in their history, while other events keep theirs."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from tests.web.factories.insight_attendance_count import AttendanceCountFactory
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_memo import MemoFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.insight_translation import TranslationFactory
from tests.web.factories.project import ProjectFactory

from focuson.web.insight import release_actions, retention
from focuson.web.insight.coding_actions import ERASED
from focuson.web.insight.models import (
    AttendanceCount,
    Coding,
    Event,
    Memo,
    Participant,
    Quote,
    Source,
    Translation,
)

PAST = datetime.date(2024, 1, 31)
SAID = "She said the bus never comes after six."


def _world():
    project = ProjectFactory()
    old = EventFactory(project=project, retention_date=PAST, title="Old conversation")
    kept = EventFactory(project=project, title="Recent conversation")
    person = ParticipantFactory(event=old, sex="F")
    ParticipantFactory(event=old)
    AttendanceCountFactory(event=old)
    source = SourceFactory(event=old, text=SAID)
    TranslationFactory(source=source)
    code = CodeFactory(project=project)
    coding = CodingFactory(source=source, code=code, start=0, end=8, participant=person)
    MemoFactory(project=project, coding=coding)
    MemoFactory(project=project, source=source)
    code_memo = MemoFactory(project=project, code=code)
    insight = InsightFactory(project=project)
    # The person's words in the other event's notes too (coded as theirs there).
    other_source = SourceFactory(event=kept, text="Notes: " + SAID)
    theirs_elsewhere = CodingFactory(
        source=other_source, code=code, start=7, end=15, participant=person
    )
    other = CodingFactory(source=other_source, code=code, start=0, end=5)
    insight.codings.set([coding, theirs_elsewhere, other])
    for c in (coding, theirs_elsewhere):
        release_actions.release_quote(
            user=project.owner, coding=c, quote=release_actions.draft(c, confirmed=[])
        )
    old.facilitators.add(project.owner)
    return project, old, kept, insight, code_memo, other, other_source


def _ids(model, **lookup):
    manager = getattr(model, "all_objects", model.objects)
    return set(manager.filter(**lookup).values_list("pk", flat=True))


@pytest.mark.django_db
def test_purge_leaves_nothing_behind(client_as):
    project, old, kept, insight, code_memo, other, other_source = _world()
    gone = {
        Event: {old.pk},
        Participant: _ids(Participant, event=old),
        Source: _ids(Source, event=old),
        Translation: _ids(Translation, source__event=old),
        Coding: _ids(Coding, source__event=old) | _ids(Coding, participant__event=old),
        Memo: _ids(Memo, coding__source__event=old) | _ids(Memo, source__event=old),
        Quote: set(Quote.objects.values_list("pk", flat=True)),
        AttendanceCount: _ids(AttendanceCount, event=old),
    }
    assert all(gone.values()) and len(gone[Quote]) == 2
    client = client_as(project.owner)
    url = reverse("insight:event_purge", args=[old.pk])
    refused = client.post(url, {})  # not confirmed: nothing happens
    assert refused.status_code == 200 and "Tick the box" in refused.text
    assert Event.all_objects.filter(pk=old.pk).exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    for model, ids in gone.items():
        manager = getattr(model, "all_objects", model.objects)
        assert not manager.filter(pk__in=ids).exists(), model.__name__
        assert not model.history.filter(id__in=ids).exists(), f"history of {model.__name__}"
    # No row anywhere in the app (history and link tables included) points at what went.
    pointers = {Event: "event", Participant: "participant", Source: "source", Coding: "coding"}
    for model in apps.get_app_config("insight").get_models():
        for target, name in pointers.items():
            if any(f.name == name for f in model._meta.get_fields()):
                manager = getattr(model, "all_objects", model._default_manager)
                found = manager.filter(**{f"{name}_id__in": gone[target]}).count()
                assert found == 0, f"{model.__name__}.{name} still points at purged rows"
    # What belongs to the project and the other event stays; the person's words there are
    # blanked and the purge is on the project's history.
    assert Event.objects.filter(pk=kept.pk).exists() and Memo.objects.filter(pk=code_memo.pk)
    assert list(insight.codings.all()) == [other]
    other_source.refresh_from_db()
    assert other_source.text == "Notes: " + ERASED * 8 + SAID[8:]
    assert project.history.first().history_change_reason.startswith("An event was purged")


@pytest.mark.django_db
def test_an_event_before_its_date_cannot_be_purged(client_as):
    event = EventFactory(retention_date=datetime.date.today() + datetime.timedelta(days=1))
    client = client_as(event.project.owner)
    page = client.post(reverse("insight:event_purge", args=[event.pk]), {"confirm": "on"})
    assert page.status_code == 200 and "can be purged after that date" in page.text
    assert Event.objects.filter(pk=event.pk).exists()
    with pytest.raises(ValueError, match="not past its retention date"):
        retention.purge_event(user=event.project.owner, event=event)


@pytest.mark.django_db
def test_overdue_events_listed_deleted_ones_too_and_flagged_on_open(client_as):
    project = ProjectFactory()
    old = EventFactory(project=project, retention_date=PAST, title="Old conversation")
    hidden = EventFactory(project=project, retention_date=PAST, title="Deleted long ago")
    hidden.soft_delete(user=project.owner)
    EventFactory(project=project, title="Recent")
    assert set(retention.overdue(project)) == {old, hidden}
    client = client_as(project.owner)
    page = client.get(reverse("insight:retention", args=[project.pk]))
    assert "Old conversation" in page.text and "Deleted long ago" in page.text
    assert "Recent" not in page.text
    assert reverse("insight:event_purge", args=[hidden.pk]) in page.text
    open_page = client.get(reverse("insight:open", args=[project.pk]))
    assert "past its retention date" in open_page.text
    assert reverse("insight:event_purge", args=[old.pk]) in open_page.text


@pytest.mark.django_db
def test_readers_and_outsiders_cannot_purge(client_as):
    event = EventFactory(retention_date=PAST)
    for role in ("viewer", "analyst", "facilitator"):
        client = client_as(role)
        url = reverse("insight:event_purge", args=[event.pk])
        assert client.post(url, {"confirm": "on"}).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
