"""Co-creation sessions, made the way the app makes them (``ideas.session_actions``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.ideas import session_actions
from focuson.web.ideas.models import CoCreationSession


class CoCreationSessionFactory(factory.django.DjangoModelFactory):
    """An in-person session of a new project (``project=`` to choose), open for joining, planned
    by the project's owner."""

    class Meta:
        model = CoCreationSession

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Ideas workshop {n}")
    date = dt.date(2026, 3, 14)
    format = "in_person"
    venue = "Harlesden Library"
    languages = "English, Somali"
    open_for_joining = True

    @classmethod
    def _create(
        cls, model_class: type[CoCreationSession], *args: Any, **kwargs: Any
    ) -> CoCreationSession:
        project = kwargs.pop("project")
        open_for_joining = kwargs.pop("open_for_joining")
        found = session_actions.save_session(user=project.owner, project=project, fields=kwargs)
        if not open_for_joining:
            session_actions.set_joining(user=project.owner, session=found, open=False)
        return found
