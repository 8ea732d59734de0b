"""An idea's page: comments for and against, its versions, the insights and findings it
addresses, the expected narrowing of the gap with its assumptions; a round's declared groups."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.finding import FindingFactory
from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_comment import IdeaCommentFactory
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.project import ProjectFactory

from focuson.web.ideas import idea_page
from focuson.web.ideas.models import Idea, IdeaComment


def _edit(idea, **changes):
    data = {
        "title": idea.title,
        "summary": idea.summary,
        "groups": idea.groups,
        "status": idea.status,
        "cost_band": idea.cost_band,
    }
    return data | changes


@pytest.mark.django_db
def test_ideas_list_links_to_each_ideas_page(client_as):
    idea = IdeaFactory()
    client = client_as("viewer")
    listing = client.get(reverse("ideas:ideas", args=[idea.project.pk]))
    assert f'href="{reverse("ideas:idea", args=[idea.pk])}"' in listing.text
    page = client.get(idea.get_absolute_url())
    assert page.status_code == 200 and idea.title in page.text
    assert "Add a comment" not in page.text  # a viewer reads only


@pytest.mark.django_db
def test_staff_comment_for_and_against_is_counted_and_bad_input_refused(client_as):
    idea = IdeaFactory()
    IdeaCommentFactory(idea=idea, stance=1, text="Good for shift workers.")
    client = client_as("programme_lead")
    url = reverse("ideas:idea_comment", args=[idea.pk])
    response = client.post(url, {"stance": "-1", "text": "The room is not accessible."})
    assert response["Location"] == idea.get_absolute_url() + "#comments"
    bad = client.post(url, {"stance": "", "text": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.text
    assert "Choose for, neutral or against." in bad.text and "Write your comment." in bad.text
    assert IdeaComment.objects.count() == 2
    page = client.get(idea.get_absolute_url())
    assert "For: 1. Neutral: 0. Against: 1." in page.text
    assert "The room is not accessible." in page.text
    assert client.user.display_name() in page.text


@pytest.mark.django_db
def test_versions_say_who_changed_what_and_when(client_as):
    idea = IdeaFactory(title="Mosque health checks")
    client = client_as("programme_lead")
    response = client.post(
        reverse("ideas:edit_idea", args=[idea.pk]),
        _edit(idea, summary="Blood pressure checks after Friday prayers.", cost_band="low"),
    )
    assert response.status_code == 302
    shown = idea_page.versions(Idea.objects.get(pk=idea.pk))
    assert [v.number for v in shown] == [2, 1]
    newest = shown[0]
    assert newest.who == client.user.display_name()
    assert set(newest.changed) == {"summary in plain language", "cost band"}
    assert shown[1].changed == ["First version"]
    page = client.get(idea.get_absolute_url())
    assert "summary in plain language" in page.text and "First version" in page.text


@pytest.mark.django_db
def test_links_to_insights_and_findings_of_the_project_only(client_as):
    finding = FindingFactory()
    project = ProjectFactory(finding=finding)
    idea = IdeaFactory(project=project)
    insight = InsightFactory(project=project)
    elsewhere = InsightFactory()
    client = client_as("programme_lead")
    url = reverse("ideas:edit_idea", args=[idea.pk])
    refused = client.post(url, _edit(idea, insights=[elsewhere.pk]))
    assert refused.status_code == 200 and "insights" in refused.context["form"].errors
    assert not idea.insights.exists()
    assert (
        client.post(url, _edit(idea, insights=[insight.pk], findings=[finding.pk])).status_code
        == 302
    )
    page = client.get(idea.get_absolute_url())
    assert (
        insight.statement in page.text
        and reverse("evidence:finding", args=[finding.pk]) in page.text
    )
    assert "120 people affected" in page.text


@pytest.mark.django_db
def test_expected_narrowing_of_the_gap_with_its_assumptions(client_as):
    # 120 people affected in a group of 2,000; the idea reaches half of it and closes a fifth
    # of the gap among those reached: 120 * 0.5 * 0.2 = 12 fewer, 10% of the gap; the gap goes
    # from 120 / 2000 = 6.0% to 108 / 2000 = 5.4%.
    finding = FindingFactory(excess=120.0, denominator=2000.0)
    project = ProjectFactory(finding=finding)
    idea = IdeaFactory(project=project)
    client = client_as("programme_lead")
    url = reverse("ideas:edit_idea", args=[idea.pk])
    half_given = client.post(url, _edit(idea, gap_reach_percent="50"))
    assert "Give the effect too, or leave the reach blank." in half_given.text
    data = _edit(idea, findings=[finding.pk], gap_effect_percent="20", gap_reach_percent="50")
    data["gap_effect_source"] = "a pilot in Brent"
    assert client.post(url, data).status_code == 302
    idea.refresh_from_db()
    assert (idea.gap_effect, idea.gap_reach) == (0.2, 0.5)
    page = client.get(idea.get_absolute_url()).text
    assert "About 12 fewer people affected, of 120 now: 10% of the gap closed." in page
    assert "As a share of the group: from 6.0% to 5.4%." in page
    assert "The idea reaches 50% of the group (assumed)." in page
    assert "closes 20% of their gap (assumed, from a pilot in Brent)." in page
    assert "Least deprived fifth" in page


@pytest.mark.django_db
def test_no_estimate_without_an_effect_or_a_finding(client_as):
    idea = IdeaFactory()
    page = client_as("viewer").get(idea.get_absolute_url()).text
    assert "Not estimated yet" in page
    assert idea_page.gap_estimates(idea) == []


@pytest.mark.django_db
def test_round_page_lists_the_declared_groups_translated(client_as):
    found = PrioritisationRoundFactory()
    BallotFactory(round=found, declared_group="Asian or Asian British")
    BallotFactory(round=found, declared_group="Carers")
    BallotFactory(round=found)
    page = client_as("viewer").get(found.get_absolute_url())
    assert "Declared groups" in page.text
    assert "<li>Asian or Asian British</li>" in page.text and "<li>Carers</li>" in page.text
    polish = client_as("viewer")
    polish.cookies["django_language"] = "pl"
    assert polish.get(found.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_facilitator_outsider_gets_404_on_an_idea_and_its_comments(client_as):
    idea = IdeaFactory()
    client = client_as("facilitator")
    assert client.get(idea.get_absolute_url()).status_code == 404
    url = reverse("ideas:idea_comment", args=[idea.pk])
    assert client.post(url, {"stance": "1", "text": "x"}).status_code == 404
    assert not IdeaComment.objects.exists()


@pytest.mark.django_db
def test_api_gives_an_idea_as_its_page_shows_it_and_a_projects_sessions(client_as):
    finding = FindingFactory(excess=120.0, denominator=2000.0)
    project = ProjectFactory(finding=finding)
    session = CoCreationSessionFactory(project=project)
    idea = IdeaFactory(project=project, gap_effect=0.2, gap_reach=0.5, session=session)
    idea.findings.set([finding])
    IdeaCommentFactory(idea=idea, stance=-1, text="Too far.")
    client = client_as("viewer")
    body = client.get(f"/api/ideas/ideas/{idea.pk}").json()
    assert body["session_id"] == session.pk and body["finding_ids"] == [finding.pk]
    assert [(c["stance"]["code"], c["text"]) for c in body["comments"]] == [("-1", "Too far.")]
    [gap] = body["expected_gap_narrowing"]
    assert (gap["people_fewer"], gap["share_closed"]) == (12.0, 0.1)
    assert gap["gap_before"] == 0.06 and round(gap["gap_after"], 4) == 0.054
    listing = client.get(f"/api/ideas/projects/{project.pk}").json()
    assert [(s["id"], s["code"], s["accepting"], s["idea_ids"]) for s in listing["sessions"]] == [
        (session.pk, session.code, True, [idea.pk])
    ]
    assert client_as("facilitator").get(f"/api/ideas/ideas/{idea.pk}").status_code == 404
