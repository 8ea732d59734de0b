"""Open's memos: ``MemoFactory(code=...)``, ``MemoFactory(coding=...)`` or
``MemoFactory(source=...)`` (a memo on a code of a new project when none is given)."""

from __future__ import annotations

import factory
from tests.web.factories.insight_code import CodeFactory

from focuson.web.insight.models import Memo


def _project(memo: object) -> object:
    target = memo.code or memo.coding or memo.source  # type: ignore[attr-defined]
    return target.project


class MemoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memo

    code = factory.Maybe(
        factory.LazyAttribute(lambda m: m.coding is None and m.source is None),
        yes_declaration=factory.SubFactory(CodeFactory),
        no_declaration=None,
    )
    coding = None
    source = None
    project = factory.LazyAttribute(_project)
    text = "Several people tied this to the bus timetable."
    author = factory.LazyAttribute(lambda m: m.project.owner)
