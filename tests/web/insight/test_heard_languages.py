"""Who was heard by main language: published counts, hidden languages pooled, no denominator."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_participant import ParticipantFactory

from focuson.web.insight.heard_languages import OTHER, languages_heard, tally


def test_languages_are_tidied_counted_published_and_small_ones_pooled():
    spoken = ["Bengali"] * 9 + ["bengali "] * 3 + ["English"] * 8 + ["Somali"] * 3 + ["Tamil"] * 2
    spoken += ["", "  "]  # not stated: left out of the list
    # Bengali 12 -> 10, English 8 -> 10, Somali 3 and Tamil 2 hidden: pooled 5, still hidden.
    assert tally(spoken) == [("Bengali", 10.0), ("English", 10.0), (str(OTHER), None)]
    # Hidden ones that reach 8 together are shown together, rounded.
    assert tally(["Somali"] * 5 + ["Tamil"] * 4) == [(str(OTHER), 10.0)]
    assert tally([]) == []


@pytest.mark.django_db
def test_the_open_page_lists_languages_and_interpreters_without_a_comparison(client_as):
    event = EventFactory()
    for i in range(9):
        ParticipantFactory(
            event=event, pseudonym=f"B{i}", language="Bengali", interpreter_needed="yes"
        )
    for i in range(3):
        ParticipantFactory(
            event=event, pseudonym=f"S{i}", language="Tigrinya", interpreter_needed="no"
        )
    found = languages_heard(event.project)
    assert found["languages"] == [("Bengali", 10.0), (str(OTHER), None)]
    assert found["not_stated"] == 0.0
    assert [n for _, n in found["interpreter"]] == [10.0, None]
    page = client_as("programme_lead").get(reverse("insight:open", args=[event.project.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Main language" in text and "Bengali" in text
    assert "Tigrinya" not in text  # three people: hidden, pooled into the other-languages row
    assert "results hold no population by main language" in text
