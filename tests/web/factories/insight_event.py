"""Open's events: ``EventFactory(project=...)`` is a listening event in Brent last spring."""

from __future__ import annotations

import datetime

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.insight.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    """A listening event of a new project, consent noted, records kept for two years."""

    class Meta:
        model = Event

    project = factory.SubFactory(ProjectFactory)
    kind = Event.Kind.LISTENING
    title = factory.Sequence(lambda n: f"Listening event {n}")
    date = datetime.date(2025, 4, 10)
    venue = "Community centre"
    languages = "English, Somali"
    consent_basis = "Verbal consent, notes only"
    retention_date = datetime.date(2027, 4, 10)
    created_by = factory.LazyAttribute(lambda event: event.project.owner)
