"""The Study step's pages: the plan (errors name the line and field, bad input saves nothing),
linking results (another plan's refused), the verdict and effects, the card with its own
content security policy, the decision in the log, and facilitators kept to their projects."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.study_project_study import ProjectStudyFactory
from tests.web.factories.study_run import GAP, OVERALL, StudyRunFactory

from focuson.study.plan import plan_hash, read_plan_text
from focuson.web.programme.models import Decision
from focuson.web.study.models import ProjectStudy


def _url(name: str, project) -> str:
    return reverse(f"study:{name}", args=[project.pk])


@pytest.mark.django_db
def test_plan_pasted_is_frozen_with_its_hash(client_as, plan_text):
    project = ProjectFactory()
    client = client_as("analyst")
    response = client.post(_url("plan", project), {"plan": plan_text, "data_seen": "no"})
    assert response.status_code == 302
    study = ProjectStudy.objects.get(project=project)
    digest = plan_hash(read_plan_text(plan_text))
    assert study.plan_hash == digest and study.version == 1
    page = client.get(response["Location"])
    assert digest[:12] in page.text
    assert "Interrupted time series (one group, before and after)" in page.text
    assert "April 2023 to March 2024 (12 months)" in page.text


@pytest.mark.django_db
def test_plan_uploaded_as_a_file_is_frozen(client_as, plan_text):
    project = ProjectFactory()
    upload = SimpleUploadedFile("brent.yaml", plan_text.encode("utf-8"))
    response = client_as("programme_lead").post(
        _url("plan", project), {"plan_file": upload, "data_seen": "no"}
    )
    assert response.status_code == 302
    assert ProjectStudy.objects.get(project=project).plan_yaml == plan_text


@pytest.mark.django_db
def test_plan_with_errors_names_line_and_field_and_saves_nothing(client_as, plan_text):
    project = ProjectFactory()
    broken = plan_text.replace("post: {start: 2024-04", "post: {start: 2024-13")
    response = client_as("analyst").post(_url("plan", project), {"plan": broken, "data_seen": "no"})
    assert response.status_code == 200
    errors = response.context["form"].errors["plan"]
    line = 1 + broken.splitlines().index("  post: {start: 2024-13, end: 2024-09}")
    assert errors == [
        f"Line {line}: windows.post.start: expected a month written YYYY-MM, e.g. 2024-01",
        "Fix these fields (docs/study.md lists them) and try again.",
    ]
    assert "There is a problem" in response.text
    assert not ProjectStudy.objects.exists()


@pytest.mark.django_db
def test_plan_file_with_errors_names_the_file_and_saves_nothing(client_as):
    project = ProjectFactory()
    upload = SimpleUploadedFile("brent.yaml", b"design: its\n")
    response = client_as("analyst").post(
        _url("plan", project), {"plan_file": upload, "data_seen": "no"}
    )
    assert (
        "brent.yaml, line 1: outcome: this field is missing"
        in (response.context["form"].errors["plan_file"])
    )
    assert not ProjectStudy.objects.exists()


@pytest.mark.django_db
def test_plan_form_asks_for_a_plan_and_whether_data_were_seen(client_as):
    project = ProjectFactory()
    response = client_as("analyst").post(_url("plan", project), {"plan": ""})
    errors = response.context["form"].errors
    assert errors["plan"] == ["Paste the plan, or upload the plan file."]
    assert errors["data_seen"] == ["Say whether data from the test period had been seen."]
    assert not ProjectStudy.objects.exists()


@pytest.mark.django_db
def test_amendment_after_data_were_seen_is_shown_as_such(client_as, plan_text):
    study = ProjectStudyFactory()
    client = client_as("analyst")
    changed = plan_text.replace("overall: 3.0", "overall: 5.0")
    form = {"plan": changed, "data_seen": "yes", "reason": "Too small to matter to the board."}
    response = client.post(_url("plan", study.project), form)
    assert response.status_code == 302
    page = client.get(_url("study", study.project))
    assert page.context["study"].version == 2
    assert "Changed after data were seen" in page.text
    assert "Too small to matter to the board." in page.text


@pytest.mark.django_db
def test_amendment_without_a_reason_saves_nothing(client_as, plan_text):
    study = ProjectStudyFactory()
    changed = plan_text.replace("overall: 3.0", "overall: 5.0")
    response = client_as("analyst").post(
        _url("plan", study.project), {"plan": changed, "data_seen": "no"}
    )
    assert response.context["form"].errors["reason"] == ["Say why the plan changed."]
    study.refresh_from_db()
    assert study.version == 1


@pytest.mark.django_db
def test_linking_a_run_of_another_plan_is_refused_with_both_hashes(client_as):
    study = ProjectStudyFactory()
    other = StudyRunFactory(plan_sha256="a" * 64)
    response = client_as("analyst").post(_url("link", study.project), {"run": other.pk})
    assert response.status_code == 200
    [error] = response.context["form"].errors["run"]
    assert "another plan (SHA-256 aaaaaaaaaaaa)" in error and study.plan_hash[:12] in error
    study.refresh_from_db()
    assert study.run is None


@pytest.mark.django_db
def test_linked_results_show_the_verdict_in_two_sentences_and_the_effects(client_as):
    study = ProjectStudyFactory()
    run = StudyRunFactory()
    client = client_as("analyst")
    response = client.post(_url("link", study.project), {"run": run.pk})
    assert response.status_code == 302
    page = client_as("viewer").get(_url("study", study.project))
    assert OVERALL in page.text and GAP in page.text
    effects = page.context["effects"]
    assert [e["estimand"] for e in effects] == ["overall", "gap"]
    assert "Overall effect (above zero: better)" in page.text
    assert "10.1 to 20.9" in page.text and "percentage points" in page.text
    assert _url("card", study.project) in page.text


@pytest.mark.django_db
def test_card_is_served_with_its_own_content_security_policy(client_as):
    study = ProjectStudyFactory(run=StudyRunFactory())
    response = client_as("viewer").get(_url("card", study.project))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Study card (test)</h1>" in response.content
    policy = dict(
        part.strip().split(" ", 1) if " " in part.strip() else (part.strip(), "")
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'none'"
    assert "sandbox" in policy and policy["default-src"] == "'self'"
    # Every other page keeps the strict policy.
    other = client_as("viewer").get(_url("study", study.project))
    assert "'unsafe-inline'" not in other["Content-Security-Policy"]


@pytest.mark.django_db
def test_card_changed_since_the_import_is_not_served(client_as):
    run = StudyRunFactory()
    run.manifest["main"]["outputs"]["card.html"]["sha256"] = "0" * 64
    run.save()
    study = ProjectStudyFactory(run=run)
    client = client_as("viewer")
    assert client.get(_url("card", study.project)).status_code == 404
    page = client.get(_url("study", study.project))
    assert "The Study card is not with the app" in page.text


@pytest.mark.django_db
def test_decision_is_recorded_in_the_projects_log_with_the_results(client_as):
    run = StudyRunFactory()
    study = ProjectStudyFactory(run=run)
    lead = client_as(study.project.owner)
    form = {
        "outcome": "adapt",
        "text": "Offer the invitations in more languages",
        "rationale": "Uptake rose overall; residents said letters were hard to read.",
        "decided_by": "the programme board",
        "decided_on": "2026-11-30",
    }
    response = lead.post(_url("decide", study.project), form)
    assert response.status_code == 302
    decision = Decision.objects.get(project=study.project)
    assert (decision.step, decision.outcome, str(decision.decided_on)) == (
        "study",
        "adapt",
        "2026-11-30",
    )
    assert decision.study_decision.run == run
    project_page = lead.get(study.project.get_absolute_url())
    assert "Offer the invitations in more languages" in project_page.text
    assert OVERALL in project_page.text  # the Study slot: plan, verdict and decision
    assert "Adapt: Offer the invitations" in project_page.text


@pytest.mark.django_db
def test_decision_form_with_nothing_chosen_records_nothing(client_as):
    study = ProjectStudyFactory(run=StudyRunFactory())
    response = client_as(study.project.owner).post(_url("decide", study.project), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"outcome", "text", "rationale"}
    assert not Decision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["study", "plan", "link", "card", "decide"])
def test_facilitator_outside_the_project_gets_404(client_as, name):
    study = ProjectStudyFactory(run=StudyRunFactory())
    assert client_as("facilitator").get(_url(name, study.project)).status_code == 404


@pytest.mark.django_db
def test_facilitator_member_reads_the_study_but_may_not_change_it(client_as):
    study = ProjectStudyFactory(run=StudyRunFactory())
    member = ProjectMembershipFactory(project=study.project).user
    client = client_as(member)
    assert client.get(_url("study", study.project)).status_code == 200
    assert client.get(_url("card", study.project)).status_code == 200
    assert client.get(_url("plan", study.project)).status_code == 404


@pytest.mark.django_db
def test_project_page_without_a_study_links_to_the_study_step(client_as):
    project = ProjectFactory()
    response = client_as("viewer").get(project.get_absolute_url())
    assert "No study plan yet." in response.text
    assert _url("study", project) in response.text


@pytest.mark.django_db
def test_plan_errors_show_with_the_forms_other_errors_each_linked(client_as):
    project = ProjectFactory()
    response = client_as("analyst").post(_url("plan", project), {"plan": "design: its\n"})
    errors = response.context["form"].errors
    assert "Line 1: outcome: this field is missing" in errors["plan"]
    assert errors["data_seen"] == ["Say whether data from the test period had been seen."]
    # The summary links to the first radio, which answers to the field's id.
    assert 'href="#id_data_seen"' in response.text and 'id="id_data_seen"' in response.text


@pytest.mark.django_db
def test_card_answers_get_only_and_an_outsider_404_first(client_as):
    study = ProjectStudyFactory(run=StudyRunFactory())
    assert client_as("viewer").post(_url("card", study.project)).status_code == 405
    assert client_as("facilitator").post(_url("card", study.project)).status_code == 404


@pytest.mark.django_db
def test_deleted_results_are_not_shown_and_the_page_says_so(client_as, administrator):
    run = StudyRunFactory()
    study = ProjectStudyFactory(run=run)
    run.soft_delete(user=administrator)
    client = client_as("viewer")
    page = client.get(_url("study", study.project))
    assert "The results linked have been deleted" in page.text
    assert OVERALL not in page.text
    assert client.get(_url("card", study.project)).status_code == 404
