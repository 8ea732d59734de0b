"""Workstreams, each in a new pillar unless given one."""

from __future__ import annotations

import factory
from tests.web.factories.pillar import PillarFactory

from focuson.web.programme.models import Workstream


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    pillar = factory.SubFactory(PillarFactory)
    name = factory.Sequence(lambda n: f"Workstream {n}")
    description = "What the workstream does."
