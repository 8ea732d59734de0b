"""The permission walk's objects for the Study's URLs (see ``tests/web/walk.py``): a project
with a frozen plan and linked results whose card is on disk."""

from __future__ import annotations

from typing import Any

from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.study_project_study import ProjectStudyFactory
from tests.web.factories.study_run import StudyRunFactory
from tests.web.walk import World


def _project(world: World) -> Any:
    def make() -> Any:
        project = ProjectFactory()
        if world.member is not None:
            ProjectMembershipFactory(project=project, user=world.member)
        ProjectStudyFactory(project=project, run=StudyRunFactory())
        return world.project(project)

    return world.once("study_project", make)


WALK_OBJECTS = {"study:pk": _project, "study:project_id": _project}
