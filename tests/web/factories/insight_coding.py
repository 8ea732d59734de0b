"""Open's codings: ``CodingFactory(source=..., start=0, end=10)`` applies a code of the source's
project to ``source.text[start:end]`` (the excerpt copied), coded by the project owner unless
``coder`` is given."""

from __future__ import annotations

import factory
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_source import SourceFactory

from focuson.web.insight.models import Coding


class CodingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coding

    source = factory.SubFactory(SourceFactory)
    code = factory.LazyAttribute(lambda c: CodeFactory(project=c.source.project))
    start = 0
    end = 10
    excerpt = factory.LazyAttribute(lambda c: c.source.text[c.start : c.end])
    coder = factory.LazyAttribute(lambda c: c.source.project.owner)
