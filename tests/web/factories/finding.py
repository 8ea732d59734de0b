"""Findings: ``FindingFactory(run=...)`` is a published, significant finding of a deprived group."""

from __future__ import annotations

import factory
from tests.web.factories.run import RunFactory

from focuson.web.evidence.models import Finding


class FindingFactory(factory.django.DjangoModelFactory):
    """Breast screening uptake of IMD quintile 1 against quintile 5, worse, 120 people affected."""

    class Meta:
        model = Finding

    run = factory.SubFactory(RunFactory)
    indicator = "screening_breast"
    indicator_title = "Breast screening uptake"
    unit = "%"
    period = factory.LazyAttribute(lambda finding: finding.run.last_period)
    dimension = "imd_quintile"
    dimension_label = "IMD quintile"
    group = "1"
    group_label = "Most deprived fifth"
    reference_group = "5"
    reference_label = "Least deprived fifth"
    numerator = 600.0
    denominator = 1000.0
    value = 60.0
    lower = 56.9
    upper = 63.0
    reference_value = 72.0
    difference = -12.0
    ratio = 0.833
    p_value = 0.0001
    q_value = 0.001
    significant = True
    direction = "worse"
    excess = 120.0
    suppressed = False
    statistic = "proportion"
