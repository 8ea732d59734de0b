"""The permission walk's objects for Co-create and Unite (see ``tests/web/walk.py``): a project
with an idea and an open round holding a ballot, all of one project, and a co-creation session
of it; residents' public pages get a session of their own (see ``_public_session``)."""

from __future__ import annotations

from typing import Any

from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.walk import World


def _round(world: World) -> Any:
    def make() -> Any:
        project = ProjectFactory()
        if world.member is not None:
            ProjectMembershipFactory(project=project, user=world.member)
        world.project(project)
        found = PrioritisationRoundFactory(project=project)
        BallotFactory(round=found)
        return found

    return world.once("ideas_round", make)


def _project(world: World) -> Any:
    return _round(world).project


def _idea(world: World) -> Any:
    return _round(world).ideas.first()


WALK_OBJECTS = {
    "ideas:project_id": _project,
    "ideas:round_id": _round,
    "ideas:idea_id": _idea,
}


def _session(world: World) -> Any:
    """A co-creation session of the round's project (staff pages: the project is registered)."""
    return world.once("ideas_session", lambda: CoCreationSessionFactory(project=_project(world)))


def _public_session(world: World) -> Any:
    """An open session for residents' pages: public, so its project is deliberately not
    registered (anyone may reach them; not having joined sends them to the join page, never a
    404, whoever they are)."""

    def make() -> Any:
        found = CoCreationSessionFactory()
        PrioritisationRoundFactory(project=found.project)
        return found

    return world.once("ideas_public_session", make)


def _public_idea(world: World) -> Any:
    return _public_session(world).project.ideas.first()


def _code(world: World) -> Any:
    return _public_session(world).code


def _public_statement_round(world: World) -> Any:
    """An open statement round of the residents' session's project."""
    return world.once(
        "ideas_public_statements",
        lambda: StatementRoundFactory(project=_public_session(world).project),
    )


WALK_OBJECTS |= {
    "ideas:session_id": _session,
    "ideas:take_part:session_id": _public_session,
    "ideas:resident_idea:session_id": _public_session,
    "ideas:resident_comment:session_id": _public_session,
    "ideas:resident_comment:idea_id": _public_idea,
    "ideas:resident_score:session_id": _public_session,
    "ideas:resident_leave:session_id": _public_session,
    "ideas:resident_statements:session_id": _public_session,
    "ideas:resident_statements:round_id": _public_statement_round,
    "ideas:resident_remove:session_id": _public_session,
    "join:code:code": _code,
}
