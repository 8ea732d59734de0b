"""The programme's pages: the board and its filters, the thread, the forms (bad input saves
nothing), facilitators kept to their projects, deleting a project."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.borough import BoroughFactory
from tests.web.factories.decision import DecisionFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.user import UserFactory
from tests.web.factories.workstream import WorkstreamFactory

from focuson.web.programme.models import Decision, Pillar, Project, ProjectMembership


@pytest.mark.django_db
def test_board_lists_every_project_with_its_steps(client_as):
    project = ProjectFactory(title="Maternity in Ealing")
    response = client_as("viewer").get(reverse("programme:board"))
    assert response.status_code == 200
    assert "Maternity in Ealing" in response.text
    assert project.workstream.name in response.text
    assert "In progress" in response.text and "Ongoing measurement" in response.text


@pytest.mark.django_db
def test_board_filters_by_workstream_borough_and_owner(client_as):
    brent, ealing = (
        BoroughFactory(name="Brent", code="E09000005"),
        BoroughFactory(name="Ealing", code="E09000009"),
    )
    kept = ProjectFactory(title="Kept project", boroughs=[brent])
    ProjectFactory(title="Other workstream", boroughs=[brent])
    ProjectFactory(title="Other borough", workstream=kept.workstream, boroughs=[ealing])
    ProjectFactory(title="Other owner", workstream=kept.workstream, boroughs=[brent])
    query = {"workstream": kept.workstream.pk, "borough": brent.pk, "owner": kept.owner.pk}
    response = client_as("viewer").get(reverse("programme:board"), query)
    assert [p.title for p in response.context["projects"]] == ["Kept project"]
    assert "Clear the filters" in response.text


@pytest.mark.django_db
def test_board_facilitator_sees_only_member_projects(client_as):
    partner = UserFactory(role="facilitator")
    ProjectMembershipFactory(user=partner, project=ProjectFactory(title="Mine"))
    ProjectFactory(title="Not mine")
    response = client_as(partner).get(reverse("programme:board"))
    assert [p.title for p in response.context["projects"]] == ["Mine"]


@pytest.mark.django_db
def test_project_page_facilitator_outside_the_project_gets_404(client_as):
    project = ProjectFactory()
    partner = UserFactory(role="facilitator")
    client = client_as(partner)
    assert client.get(project.get_absolute_url()).status_code == 404
    ProjectMembershipFactory(user=partner, project=project)
    assert client.get(project.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_project_page_shows_the_thread(client_as, make_finding):
    finding = make_finding()
    project = ProjectFactory(finding=finding)
    DecisionFactory(project=project, text="Listen first in Harlesden")
    response = client_as("viewer").get(project.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert str(finding) in text
    assert "Listen first in Harlesden" in text
    # Each later link of the thread has its place: the step apps' slots (Open, Co-create and
    # Unite, Study), each linking to its app's page for the project.
    assert reverse("insight:open", args=[project.pk]) in text
    assert reverse("ideas:ideas", args=[project.pk]) in text
    assert "No study plan yet." in text
    # A viewer reads; the links to change things are not shown.
    assert reverse("programme:step_edit", args=[project.pk, "open"]) not in text


@pytest.mark.django_db
def test_start_project_from_a_finding_prefills_and_starts_it(client_as, seeded, make_finding):
    finding = make_finding()
    client = client_as("programme_lead")
    url = reverse("programme:project_new")
    page = client.get(url, {"finding": finding.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Blood pressure checked in the last year: Black"
    workstream = page.context["form"].fields["workstream"].queryset.first()
    response = client.post(
        url, {"finding": finding.pk, "title": "BP checks in Brent", "workstream": workstream.pk}
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.finding == finding and project.owner == client.user
    assert [b.name for b in project.boroughs.all()] == ["Brent"]


@pytest.mark.django_db
def test_start_project_form_rejects_bad_input_and_saves_nothing(client_as, seeded):
    response = client_as("programme_lead").post(
        reverse("programme:project_new"), {"title": "", "workstream": "999999"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a title for the project." in response.text
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_step_form_moves_the_step_and_rejects_bad_dates(client_as):
    project = ProjectFactory()
    client = client_as(project.owner)
    url = reverse("programme:step_edit", args=[project.pk, "open"])
    bad = client.post(
        url, {"status": "done", "started_on": "2026-05-02", "finished_on": "2026-05-01"}
    )
    assert bad.status_code == 200
    assert "The finish date must be on or after the start date." in bad.text
    assert project.steps.get(step="open").status == "not_started"
    good = client.post(url, {"status": "in_progress", "notes": "Booked the hall"})
    assert good.status_code == 302
    assert project.current_step().step == "open"
    assert project.steps.get(step="open").notes == "Booked the hall"


@pytest.mark.django_db
def test_step_form_facilitator_member_may_move_a_step(client_as):
    membership = ProjectMembershipFactory()
    url = reverse("programme:step_edit", args=[membership.project.pk, "open"])
    response = client_as(membership.user).post(url, {"status": "in_progress"})
    assert response.status_code == 302
    assert membership.project.steps.get(step="open").status == "in_progress"


@pytest.mark.django_db
def test_decision_form_records_and_rejects_missing_fields(client_as, make_finding):
    finding = make_finding()
    project = ProjectFactory(finding=finding)
    client = client_as("programme_lead")
    url = reverse("programme:decision_new", args=[project.pk])
    bad = client.post(url, {"step": "find", "text": "", "rationale": ""})
    assert "Say what was decided." in bad.text
    assert not Decision.objects.exists()
    good = client.post(
        url,
        {"step": "open", "text": "Go", "rationale": "Why not", "findings": [finding.pk]},
    )
    assert good.status_code == 302
    decision = Decision.objects.get()
    assert (decision.step, decision.decided_by) == ("open", client.user)
    assert list(decision.findings.all()) == [finding]
    log = client.get(reverse("programme:decisions"))
    assert "Go" in log.text and project.title in log.text


@pytest.mark.django_db
def test_members_add_and_remove(client_as):
    project = ProjectFactory()
    partner = UserFactory(role="facilitator")
    client = client_as(project.owner)
    add = client.post(
        reverse("programme:member_add", args=[project.pk]),
        {"member": partner.pk, "role_in_project": "community partner"},
    )
    assert add.status_code == 302 and project.is_member(partner)
    remove = client.post(reverse("programme:member_remove", args=[project.pk, partner.pk]))
    assert remove.status_code == 302 and not project.is_member(partner)
    bad = client.post(reverse("programme:member_add", args=[project.pk]), {"member": ""})
    assert "Choose the person to add." in bad.text
    assert not ProjectMembership.objects.exists()


@pytest.mark.django_db
def test_delete_project_asks_then_hides_it(client_as):
    project = ProjectFactory()
    client = client_as("programme_lead")
    url = reverse("programme:project_delete", args=[project.pk])
    assert "Yes, delete the project" in client.get(url).text
    assert client.post(url).status_code == 302
    assert client.get(project.get_absolute_url()).status_code == 404
    Project.all_objects.get(pk=project.pk).restore()
    assert client.get(project.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_pillars_page_and_forms(client_as, seeded):
    client = client_as("programme_lead")
    page = client.get(reverse("programme:pillars"))
    assert "Structural racism" in page.text and "Black communities: maternity" in page.text
    bad = client.post(reverse("programme:pillar_new"), {"name": "", "order": "x"})
    assert "There is a problem" in bad.text
    assert Pillar.objects.count() == 3
    pillar = Pillar.objects.get(name="To be confirmed")
    good = client.post(
        reverse("programme:pillar_edit", args=[pillar.pk]),
        {"name": "Prevention", "description": "", "order": 3},
    )
    assert good.status_code == 302
    assert Pillar.objects.get(pk=pillar.pk).name == "Prevention"
    ws = client.post(
        reverse("programme:workstream_new"),
        {"pillar": pillar.pk, "name": "Smoking", "description": ""},
    )
    assert ws.status_code == 302 and pillar.workstreams.filter(name="Smoking").exists()


@pytest.mark.django_db
def test_pillars_page_shows_no_change_links_to_a_viewer(client_as, seeded):
    page = client_as("viewer").get(reverse("programme:pillars"))
    assert reverse("programme:pillar_new") not in page.text


@pytest.mark.django_db
def test_project_edit_changes_the_project(client_as):
    project = ProjectFactory()
    other = WorkstreamFactory()
    client = client_as("programme_lead")
    response = client.post(
        reverse("programme:project_edit", args=[project.pk]),
        {"title": "Renamed", "workstream": other.pk, "summary": "Now clearer"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.workstream, project.summary) == ("Renamed", other, "Now clearer")
