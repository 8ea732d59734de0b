"""Open's translations: ``TranslationFactory(source=..., language="en")``, a human translation."""

from __future__ import annotations

import factory
from tests.web.factories.insight_source import SourceFactory

from focuson.web.insight.models import Translation


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Translation

    source = factory.SubFactory(SourceFactory)
    language = "en"
    text = "A translation of the notes."
    kind = Translation.Kind.HUMAN
    translator = "Community interpreter"
    added_by = factory.LazyAttribute(lambda t: t.source.project.owner)
