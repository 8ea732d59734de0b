"""Statement rounds, made the way the app makes them (``statements.actions.create_round``)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.project import ProjectFactory

from focuson.web.statements import actions
from focuson.web.statements.models import StatementRound

#: Statements a round starts with unless given.
STATEMENTS = (
    "The surgery's phone line is hard to get through in the morning.",
    "I would rather have my blood pressure checked at the pharmacy.",
    "Leaflets in my language would help me.",
)


class StatementRoundFactory(factory.django.DjangoModelFactory):
    """An open round of a new project with three staff statements (``statements=`` to choose),
    offering the default groups (``group_options=`` to choose)."""

    class Meta:
        model = StatementRound

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Statement round {n}")
    question = "What would make it easier to get your blood pressure checked?"

    @classmethod
    def _create(
        cls, model_class: type[StatementRound], *args: Any, **kwargs: Any
    ) -> StatementRound:
        project = kwargs["project"]
        return actions.create_round(
            user=project.owner,
            project=project,
            title=kwargs["title"],
            question=kwargs["question"],
            group_options=kwargs.get("group_options"),
            statements=kwargs.get("statements", STATEMENTS),
        )
