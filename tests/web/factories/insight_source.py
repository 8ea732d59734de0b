"""Open's sources: ``SourceFactory(event=..., text="...", language="bn")`` is a plain-text note
uploaded by the event's project owner (the project follows the event)."""

from __future__ import annotations

import factory
from tests.web.factories.insight_event import EventFactory

from focuson.web.insight.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    event = factory.SubFactory(EventFactory)
    project = factory.LazyAttribute(lambda source: source.event.project)
    title = factory.Sequence(lambda n: f"Notes {n}")
    kind = Source.Kind.NOTES
    language = "en"
    text = "People said the bus to the clinic stops at six.\nEvening clinics would help.\n"
    original_name = "notes.txt"
    file_kind = Source.FileKind.TXT
    uploaded_by = factory.LazyAttribute(lambda source: source.event.project.owner)
