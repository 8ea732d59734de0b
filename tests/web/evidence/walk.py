"""The permission walk's objects for the evidence app's URLs (see ``tests/web/walk.py``)."""

from __future__ import annotations

from typing import Any

from tests.web.factories.finding import FindingFactory
from tests.web.factories.import_job import ImportJobFactory
from tests.web.factories.run import RunFactory
from tests.web.walk import World


def _run(world: World) -> Any:
    return world.once("evidence_run", RunFactory)


def _finding(world: World) -> Any:
    return world.once("evidence_finding", lambda: FindingFactory(run=_run(world)))


def _job(world: World) -> Any:
    return world.once("evidence_job", lambda: ImportJobFactory(run=_run(world)))


WALK_OBJECTS = {
    "evidence:run:pk": _run,
    "evidence:finding:pk": _finding,
    "evidence:job:pk": _job,
    "evidence:run_id": _run,
    "evidence:finding_id": _finding,
    "evidence:job_id": _job,
}
