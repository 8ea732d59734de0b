"""A project's step (every project has its six from the start: this finds one and sets it)."""

from __future__ import annotations

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.programme.models import ProjectStep


class ProjectStepFactory(factory.django.DjangoModelFactory):
    """``ProjectStepFactory(project=p, step="open", status="in_progress")``."""

    class Meta:
        model = ProjectStep
        django_get_or_create = ("project", "step")

    project = factory.SubFactory(ProjectFactory)
    step = "find"
