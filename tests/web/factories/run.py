"""Imported runs: ``RunFactory()`` is a Find run of two months with a unique content hash."""

from __future__ import annotations

import factory

from focuson.web.evidence.models import Run


class RunFactory(factory.django.DjangoModelFactory):
    """A Find run (``kind="monitor"`` or ``"study"`` for the others)."""

    class Meta:
        model = Run

    kind = Run.Kind.FIND
    title = factory.Sequence(lambda n: f"Find, run {n}")
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    source = "tests"
    first_period = "2025-02"
    last_period = "2025-03"
    focuson_version = "0.1.0"
    indicators = factory.LazyFunction(
        lambda: {
            "screening_breast": {
                "title": "Breast screening uptake",
                "unit": "%",
                "statistic": "proportion",
                "multiplier": 100.0,
                "polarity": "higher_is_better",
                "standard": None,
                "target": 80.0,
            }
        }
    )
