"""The evidence pages: runs, a run, the findings explorer, a finding, alerts, what changed."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse
from tests.web.factories.alert import AlertFactory
from tests.web.factories.finding import FindingFactory
from tests.web.factories.run import RunFactory

from focuson.web.evidence.models import Finding, Run


def _excess_column(html: bytes) -> list[float]:
    """The people-affected cells of the findings table, in page order."""
    rows = re.findall(rb"<tr class=\"nhsuk-table__row\">(.*?)</tr>", html, re.S)
    found = []
    for row in rows:
        cells = re.findall(rb"nhsuk-table__cell--numeric\">(.*?)</td>", row, re.S)
        if len(cells) == 3:
            text = cells[0].decode().replace(",", "").strip()
            found.append(float("nan") if text == "–" else float(text))
    return found


@pytest.mark.django_db
def test_runs_page_lists_runs_side_by_side(client_as) -> None:
    older, newer = RunFactory(title="March results"), RunFactory(title="April results")
    FindingFactory.create_batch(3, run=newer)

    response = client_as("viewer").get("/evidence/runs/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("April results") < content.index("March results")
    assert f"/evidence/runs/{older.pk}/" in content and "Import results" not in content


@pytest.mark.django_db
def test_run_page_shows_what_it_holds_and_its_top_findings(client_as, imported) -> None:
    run = imported.run

    response = client_as("viewer").get(f"/evidence/runs/{run.pk}/")

    assert response.status_code == 200
    assert f"{imported.findings:,} findings".encode() in response.content
    top = Finding.objects.filter(
        run=run, period=run.last_period, significant=True, direction="worse"
    )
    if top.exists():
        assert top.first().group_label.encode() in response.content


@pytest.mark.django_db
def test_findings_explorer_shows_the_latest_month_most_people_affected_first(
    client_as, imported
) -> None:
    run = imported.run

    response = client_as("viewer").get("/evidence/findings/")

    assert response.status_code == 200
    excess = [v for v in _excess_column(response.content) if v == v]
    assert excess and excess == sorted(excess, reverse=True)
    total = Finding.objects.filter(run=run, period=run.last_period).count()
    assert f"{total:,} findings in".encode() in response.content
    assert b"rtt_18_weeks" not in response.content.split(b"<table")[1]  # labels, not codes


@pytest.mark.django_db
def test_findings_explorer_filters_by_every_field(client_as, imported) -> None:
    run = imported.run
    wanted = Finding.objects.filter(run=run, dimension="borough", suppressed=False).first()
    assert wanted is not None and wanted.borough == wanted.group
    query = {
        "run": run.pk,
        "indicator": wanted.indicator,
        "dimension": "borough",
        "group": wanted.group_label.split()[0],
        "borough": wanted.borough,
        "period": wanted.period,
        "significance": "significant" if wanted.significant else "not",
    }

    response = client_as("viewer").get("/evidence/findings/", query)

    assert response.status_code == 200
    assert b"1 findings in" in response.content
    assert f"/evidence/findings/{wanted.pk}/".encode() in response.content


@pytest.mark.django_db
def test_findings_explorer_answers_htmx_with_the_table_only(client_as, imported) -> None:
    response = client_as("viewer").get(
        "/evidence/findings/",
        {"period": "all", "significance": "worse"},
        headers={"HX-Request": "true", "HX-Target": "findings-results"},
    )

    assert response.status_code == 200 and b"<html" not in response.content
    assert b"Worse" in response.content and b">Better<" not in response.content


@pytest.mark.django_db
def test_findings_explorer_refuses_an_unknown_indicator_with_a_message(client_as, imported) -> None:
    response = client_as("viewer").get("/evidence/findings/", {"indicator": "no_such_thing"})

    assert response.status_code == 200 and b"There is a problem" in response.content
    assert b"These results have no such choice" in response.content
    assert b"0 findings in" in response.content


@pytest.mark.django_db
def test_findings_explorer_without_runs_says_so(client_as) -> None:
    response = client_as("viewer").get("/evidence/findings/")

    assert response.status_code == 200 and b"No Find or monitoring results" in response.content


@pytest.mark.django_db
def test_finding_page_draws_its_charts_as_inline_svg(client_as, imported) -> None:
    run = imported.run
    finding = Finding.objects.filter(
        run=run, period=run.last_period, dimension="imd_decile", suppressed=False
    ).first()
    assert finding is not None

    response = client_as("viewer").get(f"/evidence/findings/{finding.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<svg") >= 4  # gradient, groups, funnel, SPC of the level and the gap
    assert "<script" not in content.split("<main")[1].split("</main>")[0]
    assert 'role="img"' in content and "The numbers" in content
    assert finding.indicator_title in content and "Start a Focus-on project" not in content


@pytest.mark.django_db
def test_finding_page_offers_to_start_a_project_to_those_who_may(client_as) -> None:
    finding = FindingFactory()

    lead = client_as("programme_lead").get(f"/evidence/findings/{finding.pk}/")
    viewer = client_as("viewer").get(f"/evidence/findings/{finding.pk}/")

    try:
        expected = f"{reverse('programme:project_new')}?finding={finding.pk}"
    except NoReverseMatch:
        pytest.fail("the programme app has no project_new page yet")
    assert expected.encode() in lead.content
    assert b"Start a Focus-on project" not in viewer.content


@pytest.mark.django_db
def test_finding_of_a_deleted_run_is_not_found(client_as, administrator) -> None:
    finding = FindingFactory()
    finding.run.soft_delete(user=administrator)

    assert client_as("viewer").get(f"/evidence/findings/{finding.pk}/").status_code == 404
    assert client_as("viewer").get(f"/evidence/runs/{finding.run.pk}/").status_code == 404


@pytest.mark.django_db
def test_alerts_page_lists_a_runs_alerts_newest_first(client_as) -> None:
    run = RunFactory()
    AlertFactory(run=run, period="2025-01", sentence="Alert of January")
    AlertFactory(run=run, period="2025-03", sentence="Alert of March")
    AlertFactory(sentence="Alert of another run")

    response = client_as("viewer").get("/evidence/alerts/", {"run": run.pk})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Alert of March") < content.index("Alert of January")
    assert "Alert of another run" not in content


@pytest.mark.django_db
def test_compare_shows_what_changed_between_two_runs(client_as) -> None:
    before, after = RunFactory(), RunFactory()
    common = {"indicator": "screening_breast", "dimension": "sex"}
    FindingFactory(
        run=before, **common, group="F", group_label="Women", significant=False, excess=0
    )
    FindingFactory(
        run=after, **common, group="F", group_label="Women", significant=True, excess=200
    )
    FindingFactory(run=before, **common, group="M", group_label="Men", significant=True, excess=90)
    FindingFactory(run=after, **common, group="M", group_label="Men", significant=False, excess=0)
    AlertFactory(run=after, sentence="A gap opened for women.")

    response = client_as("viewer").get(
        "/evidence/compare/", {"before": before.pk, "after": after.pk}
    )

    content = response.content.decode()
    assert response.status_code == 200
    newly = content.split("<h2>Newly significant</h2>")[1].split("<h2>")[0]
    gone = content.split("<h2>No longer significant</h2>")[1].split("<h2>")[0]
    assert "Women" in newly and "Men" not in newly
    assert "Men" in gone and "Women" not in gone
    assert "A gap opened for women." in content.split("Alerts new in the later results")[1]


@pytest.mark.django_db
def test_compare_refuses_the_same_run_twice(client_as) -> None:
    run = RunFactory()
    RunFactory()

    response = client_as("viewer").get("/evidence/compare/", {"before": run.pk, "after": run.pk})

    assert b"Choose two different results to compare." in response.content


@pytest.mark.django_db
def test_study_run_page_shows_its_verdict(client_as, study_folder) -> None:
    from focuson.web.evidence.importing import import_results

    run = import_results(study_folder).run

    response = client_as("viewer").get(f"/evidence/runs/{run.pk}/")

    assert response.status_code == 200 and run.study["verdict"][0]["sentence"].encode()[:40] in (
        response.content.replace(b"&#x27;", b"'")
    )
    assert Run.objects.get(pk=run.pk).kind == "study"


@pytest.mark.django_db
def test_administrator_restores_a_deleted_run_in_the_admin(client_as, administrator) -> None:
    finding = FindingFactory()
    run = finding.run
    run.soft_delete(user=administrator)
    client = client_as(administrator)

    response = client.post(
        "/admin/evidence/run/",
        {"action": "restore_selected", "_selected_action": [run.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Run.objects.filter(pk=run.pk).exists()
    assert client_as("viewer").get(f"/evidence/findings/{finding.pk}/").status_code == 200
    assert run.history.count() >= 2  # created, deleted and restored: each audited


@pytest.mark.django_db
def test_findings_explorer_latest_month_is_the_chosen_indicators_latest(client_as) -> None:
    run = RunFactory(last_period="2025-03")
    FindingFactory(run=run, indicator="screening_breast", period="2025-01", group_label="Early")
    FindingFactory(run=run, indicator="other", indicator_title="Other", period="2025-03")

    response = client_as("viewer").get(
        "/evidence/findings/", {"run": run.pk, "indicator": "screening_breast"}
    )

    assert b"1 findings in" in response.content and b"Early" in response.content
