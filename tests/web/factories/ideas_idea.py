"""Ideas of a project, made the way the app makes them (``ideas.actions.save_idea``)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.ideas import actions
from focuson.web.ideas.models import Idea


class IdeaFactory(factory.django.DjangoModelFactory):
    """A submitted idea in a new project (``project=`` to choose), made by its owner."""

    class Meta:
        model = Idea

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    summary = "Health checks at the mosque after Friday prayers."
    groups = "Somali men over 40"
    status = "submitted"

    @classmethod
    def _create(cls, model_class: type[Idea], *args: Any, **kwargs: Any) -> Idea:
        project = kwargs.pop("project")
        return actions.save_idea(user=project.owner, project=project, fields=kwargs)
