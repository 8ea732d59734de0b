"""Boroughs: the eight of North West London in turn (name and ONS code)."""

from __future__ import annotations

import factory

from focuson.web.programme.models import Borough
from focuson.web.programme.seed import BOROUGHS


class BoroughFactory(factory.django.DjangoModelFactory):
    """A borough; after the eight real ones, made-up names with made-up codes."""

    class Meta:
        model = Borough
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: BOROUGHS[n % 8][0] if n < 8 else f"Borough {n}")
    code = factory.Sequence(lambda n: BOROUGHS[n % 8][1] if n < 8 else f"E09{n:06d}")
