"""Monthly updates: drafts by default, ``published=True`` for a published one."""

from __future__ import annotations

import factory
from django.utils import timezone

from focuson.web.programme.models import MonthlyUpdate


class MonthlyUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyUpdate
        django_get_or_create = ("month",)

    class Params:
        published = factory.Trait(
            status=MonthlyUpdate.State.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )

    month = factory.Sequence(lambda n: f"{2020 + n // 12}-{n % 12 + 1:02d}")
    narrative = "A month of listening."
    summary = factory.LazyAttribute(
        lambda u: {
            "month": u.month,
            "projects_started": [],
            "steps_moved": [],
            "decisions": [],
            "runs": [],
            "alerts": {"count": 0, "by_kind": {}, "top": []},
            "findings": {"count": 0, "significant": 0, "top": []},
        }
    )
