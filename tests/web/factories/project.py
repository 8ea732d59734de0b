"""Projects, made the way the app makes them (``actions.start_project``: six steps included)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.user import UserFactory
from tests.web.factories.workstream import WorkstreamFactory

from focuson.web.programme import actions
from focuson.web.programme.models import Project


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project owned by a new programme lead, in a new workstream, started from no finding
    (``finding=`` to start from one, ``boroughs=[...]`` for its boroughs)."""

    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    workstream = factory.SubFactory(WorkstreamFactory)
    owner = factory.SubFactory(UserFactory, role="programme_lead")
    finding = None
    summary = ""

    @classmethod
    def _create(cls, model_class: type[Project], *args: Any, **kwargs: Any) -> Project:
        boroughs = kwargs.pop("boroughs", ())
        return actions.start_project(
            user=kwargs["owner"],
            owner=kwargs["owner"],
            title=kwargs["title"],
            workstream=kwargs["workstream"],
            finding=kwargs["finding"],
            summary=kwargs["summary"],
            boroughs=boroughs,
        )
