"""Ballots in a round (``ideas.actions.add_ballot``): every idea scored on every criterion."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.ideas_round import PrioritisationRoundFactory

from focuson.web.ideas import actions
from focuson.web.ideas.models import Ballot


class BallotFactory(factory.django.DjangoModelFactory):
    """A resident's online ballot scoring every idea ``score`` (3) on every criterion,
    supporting each with ``support`` (1, for) unless None."""

    class Meta:
        model = Ballot

    round = factory.SubFactory(PrioritisationRoundFactory)
    role = "resident"
    channel = "online"
    declared_group = ""

    @classmethod
    def _create(cls, model_class: type[Ballot], *args: Any, **kwargs: Any) -> Ballot:
        found = kwargs["round"]
        score = kwargs.get("score", 3)
        support = kwargs.get("support", 1)
        ideas = list(found.ideas.all())
        return actions.add_ballot(
            user=kwargs.get("entered_by") or found.project.owner,
            round=found,
            role=kwargs["role"],
            channel=kwargs["channel"],
            declared_group=kwargs["declared_group"],
            scores={(i.pk, c.pk): score for i in ideas for c in found.criteria.all()},
            supports={i.pk: support for i in ideas} if support is not None else None,
        )
