"""The permission walk's objects for quotes, the report, REFI-QDA exchange and retention: a coded
passage of the walk's Open project, a quote released from it, a borough, and an event past its
retention date. Added to :data:`tests.web.insight.walk.WALK_OBJECTS` when that module loads."""

from __future__ import annotations

import datetime
from typing import Any

from tests.web.factories.borough import BoroughFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.insight.walk import WALK_OBJECTS, _project
from tests.web.walk import World

from focuson.web.insight import release_actions


def _coding(world: World) -> Any:
    def make() -> Any:
        source = SourceFactory(event=EventFactory(project=_project(world)))
        return CodingFactory(source=source, start=0, end=20)

    return world.once("insight_release_coding", make)


def _quote(world: World) -> Any:
    def make() -> Any:
        coding = _coding(world)
        draft = release_actions.draft(coding, confirmed=[])
        return release_actions.release_quote(user=coding.coder, coding=coding, quote=draft)

    return world.once("insight_release_quote", make)


def _borough(world: World) -> Any:
    return world.once("insight_release_borough", BoroughFactory)


def _past_event(world: World) -> Any:
    return world.once(
        "insight_past_event",
        lambda: EventFactory(project=_project(world), retention_date=datetime.date(2020, 1, 1)),
    )


WALK_OBJECTS.update(
    {
        "insight:quotes:pk": _project,
        "insight:report:pk": _project,
        "insight:report_print:pk": _project,
        "insight:release_new:pk": _coding,
        "insight:quote_withdraw:pk": _quote,
        "insight:qda:pk": _project,
        "insight:qdpx_export:pk": _project,
        "insight:qdc_export:pk": _project,
        "insight:retention:pk": _project,
        "insight:event_purge:pk": _past_event,
        "insight:borough_report:pk": _borough,
        "insight:borough_report_print:pk": _borough,
    }
)
