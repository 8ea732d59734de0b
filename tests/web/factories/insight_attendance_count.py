"""Open's paper tallies: ``AttendanceCountFactory(event=..., dimension="sex", band="F")``."""

from __future__ import annotations

import factory
from tests.web.factories.insight_event import EventFactory

from focuson.web.insight.models import AttendanceCount


class AttendanceCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceCount

    event = factory.SubFactory(EventFactory)
    dimension = "sex"
    band = "F"
    count = 10
