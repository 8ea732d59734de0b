"""The demo's Open step (``focuson.web.insight.demo``): three events in the project's borough,
twenty banded participants, sources in English, Bengali and Arabic with their translations, a
codebook, two coders on one source, memos, insights tied to the finding and a released quote;
the same again on a rerun; and the seeded project's Open pages answer."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.urls import reverse
from tests.web.factories.finding import FindingFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.run import RunFactory
from tests.web.factories.user import UserFactory

from focuson.web.insight import coding_analysis, heard
from focuson.web.insight.demo import seed_open
from focuson.web.insight.models import (
    AttendanceCount,
    Code,
    Coding,
    Event,
    Insight,
    Memo,
    Participant,
    Quote,
    Source,
    Translation,
)
from focuson.web.programme.actions import add_member
from focuson.web.programme.models import ProjectStep
from focuson.web.programme.seed import seed_programme

#: The affected population of the project's finding by breakdown (its run's denominators).
POPULATION = {
    "age_band_broad": {"18-64": 13500.0, "65-79": 2100.0, "80+": 800.0},
    "ethnicity_6": {"Asian": 5600.0, "Black": 2000.0, "White": 9000.0, "Other": 1800.0},
    "sex": {"F": 10300.0, "M": 10700.0},
    "borough": {"Ealing": 3400.0, "Brent": 3300.0, "Harrow": 2500.0},
}


def quiet(_: str) -> None:
    pass


def demo_people(population: dict[str, dict[str, float]] = POPULATION) -> dict[str, Any]:
    """The demo's accounts (lead, analyst, facilitator) and an example project: started by the
    lead from a finding about people aged 65 to 79, with the facilitator a member."""
    seed_programme()
    run = RunFactory()
    lead = UserFactory(role="programme_lead", username="lead")
    analyst = UserFactory(role="analyst", username="analyst")
    facilitator = UserFactory(role="facilitator", username="facilitator")
    finding = None
    for dimension, groups in population.items():
        for group, n in groups.items():
            made = FindingFactory(
                run=run,
                dimension=dimension,
                group=group,
                group_label=group,
                denominator=n,
                indicator="emergency_admissions",
            )
            if (dimension, group) == ("age_band_broad", "65-79"):
                finding = made
    project = ProjectFactory(finding=finding, owner=lead, title="Demo example: ages 65 to 79")
    add_member(user=lead, project=project, member=facilitator)
    return {"project": project, "lead": lead, "analyst": analyst, "facilitator": facilitator}


def seed(people: dict[str, Any]) -> Any:
    return seed_open(
        people["project"],
        lead=people["lead"],
        analyst=people["analyst"],
        facilitator=people["facilitator"],
        say=quiet,
    )


def _counts(project: Any) -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Event, Participant, AttendanceCount, Source, Translation, Code, Coding)
    } | {
        "Memo": Memo.objects.filter(project=project).count(),
        "Insight": Insight.objects.filter(project=project).count(),
        "Quote": Quote.objects.filter(project=project).count(),
    }


@pytest.mark.django_db
def test_seed_open_records_events_people_sources_codings_insights_and_a_quote():
    people = demo_people()
    seed(people)
    project = people["project"]
    events = Event.objects.filter(project=project)
    assert sorted(events.values_list("kind", flat=True)) == [
        "community_conversation",
        "interview",
        "listening_event",
    ]
    assert all(e.title.startswith("Demo") for e in events)
    # In the borough where the finding affects most people (none was given to the project).
    assert {e.borough.name for e in events} == {"Ealing"}
    # The listening event's paper sign-in sheet: 35 people, counted by three breakdowns.
    listening = events.get(kind="listening_event")
    tallied = Counter()
    for row in AttendanceCount.objects.filter(event=listening):
        tallied[row.dimension] += row.count
    assert tallied == {"ethnicity_6": 35, "age_band_broad": 35, "sex": 35}
    # Twenty pseudonymous participants, banded, some preferring not to say.
    participants = Participant.objects.filter(event__project=project)
    assert participants.count() == 20
    assert participants.filter(ethnic_group="").exists()
    assert {"Bengali", "Arabic", "English"} <= set(participants.values_list("language", flat=True))
    # The project is about people aged 65 to 79: they are sought out.
    ages = Counter(participants.values_list("age_band", flat=True))
    assert ages["65-79"] >= 6
    # Sources in three languages; the Bengali one translated by a person, the Arabic by machine.
    sources = Source.objects.filter(project=project)
    assert sorted(sources.values_list("language", flat=True)) == ["ar", "bn", "en", "en"]
    assert all(s.language_confirmed and s.title.startswith("Demo") for s in sources)
    translations = {t.source.language: t.kind for t in Translation.objects.all()}
    assert translations == {"bn": "human", "ar": "machine"}
    assert sources.get(language="ar").direction == "rtl"
    # A hierarchical codebook, and every coding's passage is the source's text at its offsets.
    codes = Code.objects.filter(project=project)
    assert codes.filter(parent__isnull=False).count() >= 5
    assert codes.filter(is_codable=False).count() == 3
    for coding in Coding.objects.select_related("source"):
        assert coding.source.text[coding.start : coding.end] == coding.excerpt
    bengali = sources.get(language="bn")
    assert bengali.codings.values("coder").distinct().count() == 2
    assert bengali.codings.filter(participant__pseudonym="P01").exists()
    assert Memo.objects.filter(project=project).count() == 3
    # Four insights on the finding (explains, contradicts, new), each with supporting excerpts.
    insights = Insight.objects.filter(project=project)
    assert Counter(insights.values_list("relation", flat=True)) == {
        "explains": 2,
        "contradicts": 1,
        "new_issue": 1,
    }
    assert all(i.finding_id == project.finding_id and i.codings.exists() for i in insights)
    # One released quote, its phone number and name redacted.
    quote = Quote.objects.get(project=project)
    assert quote.status == "released" and "[redacted]" in quote.redacted_text
    assert "07700" not in quote.redacted_text and "Sandra" not in quote.redacted_text
    assert ProjectStep.objects.get(project=project, step="open").status == "in_progress"


@pytest.mark.django_db
def test_two_coders_agree_with_numbers_and_who_was_heard_is_compared():
    people = demo_people()
    seed(people)
    project = people["project"]
    found = coding_analysis.compare_coders(project, people["facilitator"], people["analyst"])
    assert found.units == 10 and found.table is not None and len(found.table) >= 5
    assert found.table["kappa"].notna().all()
    assert (found.table["kappa"] < 1).any()
    compared = heard.who_was_heard(project)
    assert compared.result is not None and compared.participants == 20 and compared.counted == 35


@pytest.mark.django_db
def test_seed_open_again_changes_nothing():
    people = demo_people()
    first = seed(people)
    counts = _counts(people["project"])
    again = seed(people)
    assert first.created and not again.created
    assert _counts(people["project"]) == counts
    assert (again.events, again.participants, again.insights, again.quotes) == (3, 20, 4, 1)


@pytest.mark.django_db
def test_the_seeded_projects_open_pages_answer_the_lead(client_as):
    people = demo_people()
    seed(people)
    project = people["project"]
    client = client_as(people["lead"])
    bengali = Source.objects.get(project=project, language="bn")
    code = Code.objects.get(project=project, name="Letters and language")
    coders = f"?coder_a={people['facilitator'].pk}&coder_b={people['analyst'].pk}"
    pages = {
        "open": reverse("insight:open", args=[project.pk]),
        "workspace": reverse("insight:workspace", args=[project.pk]),
        "source": reverse("insight:source", args=[bengali.pk]),
        "codebook": reverse("insight:codebook", args=[project.pk]),
        "code": reverse("insight:code", args=[code.pk]),
        "agreement": reverse("insight:agreement", args=[project.pk]) + coders,
        "tables": reverse("insight:tables", args=[project.pk]),
        "quotes": reverse("insight:quotes", args=[project.pk]),
        "report": reverse("insight:report", args=[project.pk]),
    }
    answers = {name: client.get(url) for name, url in pages.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(pages, 200)
    assert "আমি পড়তে পারি না" in answers["source"].text
    assert "Demo listening event" in answers["open"].text
    assert "[redacted]" in answers["quotes"].text


@pytest.mark.django_db
def test_a_finding_about_women_only_hears_women_only():
    # Breast screening: the finding's run has women only, so do the demo's people and tally.
    people = demo_people(POPULATION | {"sex": {"F": 10300.0}})
    seed(people)
    project = people["project"]
    sexes = set(Participant.objects.filter(event__project=project).values_list("sex", flat=True))
    assert sexes <= {"F", ""} and "F" in sexes
    tally = dict(
        AttendanceCount.objects.filter(event__project=project, dimension="sex").values_list(
            "band", "count"
        )
    )
    assert tally == {"F": 33, "": 2}
