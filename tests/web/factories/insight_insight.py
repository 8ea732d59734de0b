"""Open's insights: ``InsightFactory(project=...)`` is a barrier tied to no finding."""

from __future__ import annotations

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.insight.models import Insight


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    project = factory.SubFactory(ProjectFactory)
    statement = "Screening appointments are only offered in working hours."
    type = Insight.Type.BARRIER
    created_by = factory.LazyAttribute(lambda insight: insight.project.owner)
