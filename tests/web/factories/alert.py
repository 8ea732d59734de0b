"""Alerts: ``AlertFactory(run=...)`` is a widening gap in the run's latest month."""

from __future__ import annotations

import factory
from tests.web.factories.run import RunFactory

from focuson.web.evidence.models import Alert


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    run = factory.SubFactory(RunFactory)
    kind = "widens"
    indicator = "screening_breast"
    indicator_title = "Breast screening uptake"
    about = "q1_q5_difference"
    about_label = "Most minus least deprived fifth"
    group = "All"
    group_label = "Everyone"
    period = factory.LazyAttribute(lambda alert: alert.run.last_period)
    since = "2024-10"
    people = 1000.0
    value = -12.0
    baseline = -8.0
    sentence = factory.Sequence(lambda n: f"The gap in breast screening widened ({n}).")
