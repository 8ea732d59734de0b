"""The permission walk's objects for Open's URLs (see ``tests/web/walk.py``): a project with an
event (its ``pk`` for the event pages), the project's for the others."""

from __future__ import annotations

from typing import Any

from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.insight_translation import TranslationFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.walk import World


def _project(world: World) -> Any:
    def make() -> Any:
        project = ProjectFactory()
        if world.member is not None:
            ProjectMembershipFactory(project=project, user=world.member)
        return world.project(project)

    return world.once("insight_project", make)


def _event(world: World) -> Any:
    return world.once("insight_event", lambda: EventFactory(project=_project(world)))


WALK_OBJECTS = {
    "insight:open:pk": _project,
    "insight:event_new:pk": _project,
    "insight:insight_new:pk": _project,
    "insight:event_edit:pk": _event,
    "insight:participant_new:pk": _event,
    "insight:tally:pk": _event,
    "insight:event_delete:pk": _event,
    "open:project_id": _project,
}


def _participant(world: World) -> Any:
    return world.once("insight_participant", lambda: ParticipantFactory(event=_event(world)))


def _insight(world: World) -> Any:
    return world.once("insight_insight", lambda: InsightFactory(project=_project(world)))


WALK_OBJECTS["insight:participant_erase:pk"] = _participant
WALK_OBJECTS["insight:insight_edit:pk"] = _insight
WALK_OBJECTS["insight:insight_delete:pk"] = _insight


def _source(world: World) -> Any:
    return world.once("insight_source", lambda: SourceFactory(event=_event(world)))


def _code(world: World) -> Any:
    return world.once("insight_code", lambda: CodeFactory(project=_project(world)))


def _coding(world: World) -> Any:
    return world.once(
        "insight_coding", lambda: CodingFactory(source=_source(world), code=_code(world))
    )


WALK_OBJECTS.update(
    {
        "insight:workspace:pk": _project,
        "insight:codebook:pk": _project,
        "insight:agreement:pk": _project,
        "insight:tables:pk": _project,
        "insight:source_new:pk": _event,
        "insight:source:pk": _source,
        "insight:source_details:pk": _source,
        "insight:translation_new:pk": _source,
        "insight:source_delete:pk": _source,
        "insight:source_memo:pk": _source,
        "insight:coding_new:pk": _source,
        "insight:code:pk": _code,
        "insight:code_memo:pk": _code,
        "insight:coding:pk": _coding,
        "insight:coding_memo:pk": _coding,
        "insight:coding_delete:pk": _coding,
        "insight:insight_support:pk": _insight,
    }
)
import tests.web.insight.walk_release  # noqa: E402, F401 (adds the objects of its URLs)

WALK_OBJECTS["open:source_id"] = _source


def _translation(world: World) -> Any:
    return world.once("insight_translation", lambda: TranslationFactory(source=_source(world)))


WALK_OBJECTS["insight:code_delete:pk"] = _code
WALK_OBJECTS["insight:translation_delete:pk"] = _translation
