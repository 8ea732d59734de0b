"""Open's participants: ``ParticipantFactory(event=..., sex="F")``; attributes blank (prefer not
to say) unless given."""

from __future__ import annotations

import factory
from tests.web.factories.insight_event import EventFactory

from focuson.web.insight.models import Participant


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    pseudonym = factory.Sequence(lambda n: f"P{n}")
