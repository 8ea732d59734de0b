"""Prioritisation rounds, started the way the app starts them (``ideas.actions.start_round``)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.project import ProjectFactory

from focuson.web.ideas import actions
from focuson.web.ideas.models import PrioritisationRound


class PrioritisationRoundFactory(factory.django.DjangoModelFactory):
    """A round on ``ideas`` (three new ideas of its project unless given), six criteria."""

    class Meta:
        model = PrioritisationRound

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    max_selected = 3

    @classmethod
    def _create(
        cls, model_class: type[PrioritisationRound], *args: Any, **kwargs: Any
    ) -> PrioritisationRound:
        project = kwargs["project"]
        ideas = kwargs.get("ideas") or [IdeaFactory(project=project) for _ in range(3)]
        return actions.start_round(
            user=project.owner,
            project=project,
            title=kwargs["title"],
            ideas=ideas,
            weights=kwargs.get("weights"),
            max_selected=kwargs["max_selected"],
        )
