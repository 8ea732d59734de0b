"""The programme's API: the same permission check as the pages, labels beside codes."""

from __future__ import annotations

import json

import pytest
from tests.web.factories.api_token import bearer
from tests.web.factories.decision import DecisionFactory
from tests.web.factories.monthly_update import MonthlyUpdateFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.programme.models import Decision, Project, Workstream

API = "/api/programme"


@pytest.mark.django_db
def test_api_create_project_from_a_finding(client, api_token, seeded, make_finding):
    token = api_token("programme_lead")
    finding = make_finding()
    workstream = Workstream.objects.get(name="Black communities: hypertension")
    body = {
        "title": "Blood pressure checks",
        "workstream_id": workstream.pk,
        "finding_id": finding.pk,
        "borough_codes": ["E09000009"],
    }
    response = client.post(
        f"{API}/projects", body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["group"] == {"code": "black", "label": "Black"}
    assert sorted(data["boroughs"]) == ["Brent", "Ealing"]
    assert data["current_step"] == {"code": "find", "label": "Find"}
    assert [s["step"]["label"] for s in data["steps"]][:2] == ["Find", "Open"]
    assert data["steps"][0]["finding_ids"] == [finding.pk]


@pytest.mark.django_db
def test_api_create_project_refused_to_a_viewer_and_saves_nothing(client, api_token, seeded):
    token = api_token("viewer")
    body = {"title": "X", "workstream_id": Workstream.objects.first().pk}
    response = client.post(
        f"{API}/projects", body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 404
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_api_create_project_with_an_unknown_borough_says_which(client, api_token, seeded):
    token = api_token("programme_lead")
    body = {"title": "X", "workstream_id": Workstream.objects.first().pk, "borough_codes": ["Z9"]}
    response = client.post(
        f"{API}/projects", body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 422
    assert "Z9" in response.json()["detail"]
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_api_projects_facilitator_lists_only_member_projects(client, api_token):
    token = api_token("facilitator")
    mine = ProjectMembershipFactory(user=token.user).project
    other = ProjectFactory()
    listed = client.get(f"{API}/projects", headers=bearer(token)).json()
    assert [p["id"] for p in listed] == [mine.pk]
    assert client.get(f"{API}/projects/{other.pk}", headers=bearer(token)).status_code == 404
    assert client.get(f"{API}/projects/{mine.pk}/steps", headers=bearer(token)).status_code == 200


@pytest.mark.django_db
def test_api_update_step_moves_it(client, api_token):
    token = api_token("facilitator")
    project = ProjectMembershipFactory(user=token.user).project
    response = client.patch(
        f"{API}/projects/{project.pk}/steps/open",
        json.dumps({"status": "in_progress", "notes": "First event booked"}),
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == {"code": "in_progress", "label": "In progress"}
    assert project.current_step().step == "open"


@pytest.mark.django_db
def test_api_update_step_with_an_unknown_status_is_refused(client, api_token):
    token = api_token("programme_lead")
    project = ProjectFactory(owner=token.user)
    response = client.patch(
        f"{API}/projects/{project.pk}/steps/open",
        json.dumps({"status": "finished"}),
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 422
    assert project.steps.get(step="open").status == "not_started"


@pytest.mark.django_db
def test_api_decisions_create_and_list(client, api_token, make_finding):
    token = api_token("programme_lead")
    project = ProjectFactory()
    finding = make_finding()
    body = {
        "step": "find",
        "text": "Start with Brent",
        "rationale": "Largest gap",
        "outcome": "continue",
        "finding_ids": [finding.pk],
    }
    url = f"{API}/projects/{project.pk}/decisions"
    response = client.post(url, body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 201, response.content
    assert response.json()["outcome"] == {"code": "continue", "label": "Continue"}
    assert Decision.objects.get().decided_by == token.user
    listed = client.get(f"{API}/decisions", headers=bearer(token)).json()
    assert [d["text"] for d in listed] == ["Start with Brent"]
    assert listed[0]["finding_ids"] == [finding.pk]


@pytest.mark.django_db
def test_api_decisions_facilitator_sees_only_member_projects(client, api_token):
    token = api_token("facilitator")
    mine = DecisionFactory(project=ProjectMembershipFactory(user=token.user).project)
    DecisionFactory()
    listed = client.get(f"{API}/decisions", headers=bearer(token)).json()
    assert [d["id"] for d in listed] == [mine.pk]


@pytest.mark.django_db
def test_api_pillars_carry_their_workstreams(client, api_token, seeded):
    pillars = client.get(f"{API}/pillars", headers=bearer(api_token("viewer"))).json()
    assert [p["name"] for p in pillars][1] == "Structural racism"
    assert len(pillars[0]["workstreams"]) == 6


@pytest.mark.django_db
def test_api_updates_drafts_only_for_editors(client, api_token):
    MonthlyUpdateFactory(month="2026-09", published=True)
    MonthlyUpdateFactory(month="2026-10")
    viewer = client.get(f"{API}/updates", headers=bearer(api_token("viewer"))).json()
    lead = client.get(f"{API}/updates", headers=bearer(api_token("programme_lead"))).json()
    assert [u["month"] for u in viewer] == ["2026-09"]
    assert [u["month"] for u in lead] == ["2026-10", "2026-09"]


@pytest.mark.django_db
def test_api_without_credentials_is_refused(client):
    assert client.get(f"{API}/projects").status_code == 401
