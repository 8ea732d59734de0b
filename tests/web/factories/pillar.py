"""Pillars of the programme."""

from __future__ import annotations

import factory

from focuson.web.programme.models import Pillar


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    name = factory.Sequence(lambda n: f"Pillar {n}")
    description = "What the pillar is for."
    order = factory.Sequence(lambda n: n)
