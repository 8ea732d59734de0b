"""The permission walk's objects for Co-create and Unite (see ``tests/web/walk.py``): a project
with an idea and an open round holding a ballot, all of one project."""

from __future__ import annotations

from typing import Any

from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
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
