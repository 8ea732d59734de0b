"""The permission walk's objects for statement rounds (see ``tests/web/walk.py``): a project with
an open round, its statements and a voter, all of one project; and, for the residents' public
pages, a round's code.

The code's round is not registered with ``world.project``: its pages are public (anyone with the
code may vote, a facilitator of another project included), so the walk's "outsider gets 404"
check does not apply to them.
"""

from __future__ import annotations

from typing import Any

from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory
from tests.web.walk import World


def _round(world: World) -> Any:
    def make() -> Any:
        project = ProjectFactory()
        if world.member is not None:
            ProjectMembershipFactory(project=project, user=world.member)
        world.project(project)
        found = StatementRoundFactory(project=project)
        VoterFactory(round=found)
        return found

    return world.once("statements_round", make)


def _project(world: World) -> Any:
    return _round(world).project


def _statement(world: World) -> Any:
    return _round(world).statements.first()


def _code(world: World) -> Any:
    return world.once("statements_code", lambda: StatementRoundFactory().code)


WALK_OBJECTS = {
    "statements:project_id": _project,
    "statements:round_id": _round,
    "statements:statement_id": _statement,
    "statements:code": _code,
}
