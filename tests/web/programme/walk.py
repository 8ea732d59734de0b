"""The permission walk's objects for the programme's URLs (see ``tests/web/walk.py``)."""

from __future__ import annotations

import json
from typing import Any

from tests.web.factories.monthly_update import MonthlyUpdateFactory
from tests.web.factories.pillar import PillarFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.workstream import WorkstreamFactory
from tests.web.walk import World


def _project(world: World) -> Any:
    def make() -> Any:
        project = ProjectFactory()
        if world.member is not None:
            ProjectMembershipFactory(project=project, user=world.member)
        return world.project(project)

    return world.once("project", make)


def _other_member(world: World) -> Any:
    # Someone else in the same project, for the "remove a member" URL.
    project = _project(world)
    return world.once("other_member", lambda: ProjectMembershipFactory(project=project).user)


def _published_month(world: World) -> str:
    return world.once("published", lambda: MonthlyUpdateFactory(published=True).month)


def _draft_month(world: World) -> str:
    return world.once("draft", lambda: MonthlyUpdateFactory().month)


def _workstream(world: World) -> Any:
    return world.once("workstream", WorkstreamFactory)


WALK_OBJECTS = {
    "programme:pk": _project,
    "programme:step": lambda world: "open",
    "programme:member_remove:user_id": _other_member,
    "programme:month": _published_month,
    "programme:update_edit:month": _draft_month,
    "programme:pillar_edit:pk": lambda world: world.once("pillar", PillarFactory),
    "programme:workstream_edit:pk": _workstream,
    "programme:workstream_id": _workstream,
}

WALK_BODIES = {
    # PATCH bodies go as they are: JSON text.
    "api:focuson_web_programme_api_update_step": lambda world: json.dumps(
        {"status": "in_progress"}
    ),
    "api:focuson_web_programme_api_create_decision": lambda world: {
        "step": "open",
        "text": "Hold listening events in three places.",
        "rationale": "Residents asked for them.",
    },
}
