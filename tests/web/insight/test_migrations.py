"""Migration 0003 gives every existing participant its own GUID (a unique column cannot be
added with one default for all rows)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_participant import ParticipantFactory

BEFORE = [("insight", "0002_event_facilitators")]
AFTER = [("insight", "0003_sources_codebook_codings")]


@pytest.mark.django_db(transaction=True)
def test_existing_participants_each_get_a_guid():
    event = EventFactory()
    people = [ParticipantFactory(event=event).pk for _ in range(3)]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        # Back to before the column existed (it goes with its values), then forward again.
        executor.migrate(BEFORE)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        rows = apps.get_model("insight", "Participant").objects.filter(pk__in=people)
        guids = list(rows.values_list("guid", flat=True))
        assert len(guids) == 3 and None not in guids and len(set(guids)) == 3
    finally:
        MigrationExecutor(connection).migrate(leaves)
