"""Open's codebook: ``CodeFactory(project=..., name="Access", parent=...)``."""

from __future__ import annotations

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.insight.models import Code


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Code {n}")
    created_by = factory.LazyAttribute(lambda code: code.project.owner)
