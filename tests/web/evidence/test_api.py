"""The evidence API: runs, findings (filtered), alerts and import jobs, with the pages' checks."""

from __future__ import annotations

import pytest
from tests.web.factories.alert import AlertFactory
from tests.web.factories.api_token import ApiTokenFactory
from tests.web.factories.finding import FindingFactory
from tests.web.factories.import_job import ImportJobFactory
from tests.web.factories.run import RunFactory


@pytest.mark.django_db
def test_api_lists_runs_and_gives_one_with_its_manifest(client_as) -> None:
    run = RunFactory(manifest={"main": {"kind": "focuson results"}})
    client = client_as("viewer")

    listed = client.get("/api/evidence/runs").json()
    detail = client.get(f"/api/evidence/runs/{run.pk}").json()

    assert listed["count"] == 1 and listed["items"][0]["title"] == run.title
    assert detail["manifest"]["main"]["kind"] == "focuson results"
    assert "screening_breast" in detail["indicators"]


@pytest.mark.django_db
def test_api_filters_findings_and_sorts_by_people_affected(client_as) -> None:
    run = RunFactory()
    FindingFactory(run=run, excess=50, group="2", group_label="Second fifth")
    FindingFactory(run=run, excess=300)
    FindingFactory(run=run, excess=None, significant=False, direction="similar", group="3")
    FindingFactory(excess=999)  # another run

    response = client_as("viewer").get("/api/evidence/findings", {"run": run.pk})
    significant = client_as("viewer").get(
        "/api/evidence/findings", {"run": run.pk, "significant": "true", "group": "2"}
    )

    items = response.json()["items"]
    assert [item["excess"] for item in items] == [300, 50, None]
    assert [item["group_label"] for item in significant.json()["items"]] == ["Second fifth"]


@pytest.mark.django_db
def test_api_gives_a_finding_and_the_alerts_newest_first(client_as) -> None:
    finding = FindingFactory()
    AlertFactory(run=finding.run, period="2025-01")
    AlertFactory(run=finding.run, period="2025-03")
    client = client_as("facilitator")

    one = client.get(f"/api/evidence/findings/{finding.pk}").json()
    alerts = client.get("/api/evidence/alerts", {"run": finding.run.pk}).json()["items"]

    assert one["group_label"] == "Most deprived fifth" and one["run"] == finding.run.pk
    assert [a["period"] for a in alerts] == ["2025-03", "2025-01"]


@pytest.mark.django_db
def test_api_import_job_needs_the_import_permission(client_as) -> None:
    job = ImportJobFactory()

    assert client_as("analyst").get(f"/api/evidence/imports/{job.pk}").json()["percent"] == 100
    assert client_as("viewer").get(f"/api/evidence/imports/{job.pk}").status_code == 404


@pytest.mark.django_db
def test_api_takes_a_token_and_refuses_the_anonymous(client) -> None:
    token = ApiTokenFactory(user__role="viewer")
    RunFactory()

    with_token = client.get(
        "/api/evidence/runs", headers={"Authorization": f"Bearer {token.plain}"}
    )
    anonymous = client.get("/api/evidence/runs")

    assert with_token.status_code == 200 and with_token.json()["count"] == 1
    assert anonymous.status_code == 401


@pytest.mark.django_db
def test_api_hides_the_findings_of_a_deleted_run(client_as, administrator) -> None:
    finding = FindingFactory()
    finding.run.soft_delete(user=administrator)
    client = client_as("viewer")

    assert client.get(f"/api/evidence/findings/{finding.pk}").status_code == 404
    assert client.get("/api/evidence/findings").json()["count"] == 0
    assert client.get(f"/api/evidence/runs/{finding.run.pk}").status_code == 404
