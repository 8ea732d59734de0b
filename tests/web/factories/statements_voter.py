"""Voters of a statement round: online (an anonymous participant id) or on paper."""

from __future__ import annotations

import secrets
from typing import Any

import factory
from tests.web.factories.statements_round import StatementRoundFactory

from focuson.web.statements import actions
from focuson.web.statements.models import Moderation, Voter


class VoterFactory(factory.django.DjangoModelFactory):
    """An online voter who voted ``value`` (1, agree) on every accepted statement of ``round``
    (``votes={statement_pk: value}`` to choose), declaring ``group`` (none)."""

    class Meta:
        model = Voter

    round = factory.SubFactory(StatementRoundFactory)

    @classmethod
    def _create(cls, model_class: type[Voter], *args: Any, **kwargs: Any) -> Voter:
        found = kwargs["round"]
        voter = actions.online_voter(round=found, participant=secrets.token_hex(16))
        if kwargs.get("group"):
            actions.declare_group(voter=voter, group=kwargs["group"], prefers_not_to_say=False)
        votes = kwargs.get("votes")
        if votes is None:
            value = kwargs.get("value", 1)
            votes = {s.pk: value for s in found.statements.filter(status=Moderation.ACCEPTED)}
        for statement in found.statements.filter(pk__in=list(votes)):
            actions.vote(voter=voter, statement=statement, value=votes[statement.pk])
        return voter
