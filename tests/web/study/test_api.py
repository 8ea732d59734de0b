"""The Study in the API: a project's plan hash, verdict and decisions, behind the same check
as the pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.web.factories.api_token import bearer
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.study_project_study import ProjectStudyFactory
from tests.web.factories.study_run import GAP, OVERALL, StudyRunFactory

from focuson.web.insight.models import Insight
from focuson.web.study import actions

API = "/api/study"


@pytest.mark.django_db
def test_api_project_study_gives_plan_hash_verdict_and_decision(client, api_token):
    run = StudyRunFactory()
    study = ProjectStudyFactory(run=run)
    actions.decide(
        user=study.project.owner,
        study=study,
        outcome="continue",
        text="Keep the invitations",
        rationale="Improved, clear of the smallest worthwhile change.",
    )
    response = client.get(f"{API}/projects/{study.project.pk}", headers=bearer(api_token()))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["plan"]["sha256"] == study.plan_hash
    assert data["plan"]["version"] == 1
    assert data["plan"]["design"] == {
        "code": "its",
        "label": "Interrupted time series (one group, before and after)",
    }
    assert data["run_id"] == run.pk
    assert data["verdict"] == {"overall": OVERALL, "gap": GAP, "flag": ""}
    [decision] = data["decisions"]
    assert decision["outcome"] == {"code": "continue", "label": "Continue"}
    assert (decision["run_id"], decision["plan_sha256"]) == (run.pk, study.plan_hash)


@pytest.mark.django_db
def test_api_project_without_a_study_says_so_with_nulls(client, api_token):
    project = ProjectFactory()
    response = client.get(f"{API}/projects/{project.pk}", headers=bearer(api_token()))
    assert response.json() == {
        "project_id": project.pk,
        "plan": None,
        "run_id": None,
        "verdict": None,
        "decisions": [],
        "heard": [],
    }


@pytest.mark.django_db
def test_api_lists_the_insights_heard_since_the_test_began(client, api_token):
    study = ProjectStudyFactory()
    old = InsightFactory(project=study.project, statement="Before the test.")
    Insight.objects.filter(pk=old.pk).update(created=datetime(2024, 1, 1, tzinfo=UTC))
    new = InsightFactory(project=study.project, type=Insight.Type.ASSET)
    response = client.get(f"{API}/projects/{study.project.pk}", headers=bearer(api_token()))
    [heard] = response.json()["heard"]
    assert heard["insight_id"] == new.pk
    assert heard["type"] == {"code": "asset", "label": "Asset"}
    assert heard["statement"] == new.statement


@pytest.mark.django_db
def test_api_facilitator_sees_only_their_projects_study(client, api_token):
    study = ProjectStudyFactory()
    outsider = api_token("facilitator")
    url = f"{API}/projects/{study.project.pk}"
    assert client.get(url, headers=bearer(outsider)).status_code == 404
    ProjectMembershipFactory(project=study.project, user=outsider.user)
    assert client.get(url, headers=bearer(outsider)).status_code == 200
