"""Decisions in a project's log."""

from __future__ import annotations

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.programme.models import Decision


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision at Find in a new project, recorded by the project's owner."""

    class Meta:
        model = Decision

    project = factory.SubFactory(ProjectFactory)
    step = "find"
    text = factory.Sequence(lambda n: f"Decision {n}: go ahead")
    rationale = "The gap is large and the community asked for it."
    decided_by = factory.LazyAttribute(lambda d: d.project.owner)
