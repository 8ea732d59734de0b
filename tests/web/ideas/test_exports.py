"""Exports: a project's ideas and a round's aggregated results, as CSV and JSON, the same rows;
only disclosed aggregates (a small group is not in them); outsiders get 404."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.insight_insight import InsightFactory

from focuson.web.ideas import actions, session_actions


@pytest.mark.django_db
def test_ideas_export_csv_and_json_agree(client_as):
    idea = IdeaFactory(title="Walking group, with a nurse")
    other = IdeaFactory(project=idea.project)
    actions.save_idea(
        user=idea.project.owner,
        project=idea.project,
        idea=other,
        fields={},
        builds_on=[idea],
        contributors=[("Brent Carers", "vcse")],
    )
    client = client_as("viewer")
    response = client.get(reverse("ideas:ideas_csv", args=[idea.project.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    body = client.get(reverse("ideas:ideas_json", args=[idea.project.pk])).json()["rows"]
    assert [r["title"] for r in rows] == [r["title"] for r in body]
    by_title = {r["title"]: r for r in rows}
    assert by_title["Walking group, with a nurse"]["status"] == "submitted"
    assert by_title[other.title]["builds_on"] == str(idea.pk)
    assert by_title[other.title]["contributors"] == "Brent Carers (vcse)"


@pytest.mark.django_db
def test_results_export_is_the_disclosed_tables(client_as):
    found = PrioritisationRoundFactory()
    for _ in range(10):
        BallotFactory(round=found, role="resident", support=-1, declared_group="Somali", score=2)
        BallotFactory(round=found, role="clinician", support=1, score=5)
    BallotFactory(round=found, role="resident", declared_group="Irish", score=1)
    client = client_as("viewer")
    body = client.get(reverse("ideas:results_json", args=[found.pk])).json()["rows"]
    text = client.get(reverse("ideas:results_csv", args=[found.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(body)
    groups = {(r["dimension"], r["group"]) for r in body if r["measure"] == "score"}
    assert ("group", "Somali") in groups and ("group", "Irish") not in groups
    assert "Irish" not in text
    idea = found.ideas.first()
    side = {
        r["group"]: r
        for r in body
        if r["measure"] == "score" and r["dimension"] == "side" and r["idea_id"] == idea.pk
    }
    # 11 residents rounded to 10 (NHS rule), scores 0..1: 2/5 -> 1/3, 5/5 -> 5/6 (cost reversed).
    assert side["community"]["voters"] == 10
    assert side["professional"]["score"] == pytest.approx(5 / 6)
    consensus = [
        r for r in body
        if r["measure"] == "consensus" and r["dimension"] == "side" and r["idea_id"] == idea.pk
    ]  # fmt: skip
    assert consensus[0]["opposed_by"] == "community"


@pytest.mark.django_db
def test_exports_refuse_outsiders_and_posts(client_as):
    found = PrioritisationRoundFactory()
    urls = [
        reverse("ideas:ideas_csv", args=[found.project.pk]),
        reverse("ideas:ideas_json", args=[found.project.pk]),
        reverse("ideas:results_csv", args=[found.pk]),
        reverse("ideas:results_json", args=[found.pk]),
    ]
    outsider = client_as("facilitator")
    viewer = client_as("viewer")
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url).status_code == 404, url
        assert viewer.post(url).status_code == 405, url


@pytest.mark.django_db
def test_ideas_export_says_the_session_links_and_comments_counted(client_as):
    session = CoCreationSessionFactory()
    idea = session_actions.add_resident_idea(
        session=session, fields={"title": "Creche at the clinic", "summary": "While mums are seen."}
    )
    insight = InsightFactory(project=session.project)
    idea.insights.set([insight])
    for stance in (1, 1, -1):
        session_actions.add_comment(
            user=None, idea=idea, text="x", stance=stance, session=session, participant="h" * 64
        )
    rows = client_as("viewer").get(reverse("ideas:ideas_json", args=[session.project.pk])).json()
    [row] = rows["rows"]
    assert row["session"] == session.title and row["insights"] == str(insight.pk)
    assert row["contributors"] == "a resident (resident)"
    assert (row["comments_for"], row["comments_neutral"], row["comments_against"]) == (2, 0, 1)
    assert "h" * 64 not in str(rows)
