"""The programme's actions: one transaction each, the acting person in the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.web.factories.project import ProjectFactory
from tests.web.factories.user import UserFactory
from tests.web.factories.workstream import WorkstreamFactory

from focuson.web.programme import actions
from focuson.web.programme.models import (
    Borough,
    Decision,
    Project,
    ProjectMembership,
    ProjectStep,
    Step,
    Workstream,
)
from focuson.web.programme.seed import seed_programme


@pytest.mark.django_db
def test_seed_programme_adds_the_programme_once():
    first = seed_programme()
    second = seed_programme()
    assert first == {"pillars": 3, "workstreams": 6, "boroughs": 8}
    assert second == {"pillars": 0, "workstreams": 0, "boroughs": 0}
    assert Borough.objects.count() == 8
    assert Workstream.objects.filter(name__startswith="Black communities").count() == 4


@pytest.mark.django_db
def test_seed_programme_keeps_edits_and_deleted_records():
    seed_programme()
    pillar = Workstream.objects.get(name="Core20PLUS5").pillar
    pillar.name = "Pillar one, renamed"
    pillar.save()
    Workstream.objects.get(name="Inequalities metrics").soft_delete(user=None)
    seed_programme()
    assert Workstream.all_objects.filter(name="Inequalities metrics").count() == 1
    assert not Workstream.objects.filter(name="Inequalities metrics").exists()


@pytest.mark.django_db
def test_start_project_from_a_finding_copies_the_focus_and_links_it(seeded, make_finding):
    lead = UserFactory(role="programme_lead")
    finding = make_finding()
    workstream = Workstream.objects.get(name="Black communities: hypertension")
    project = actions.start_project(
        user=lead, finding=finding, title="Blood pressure checks", workstream=workstream
    )
    assert (project.indicator, project.group_label, project.area) == ("bp_check", "Black", "Brent")
    assert [b.name for b in project.boroughs.all()] == ["Brent"]
    steps = list(project.steps.order_by("order"))
    assert [s.step for s in steps] == list(Step.values)
    assert [s.status for s in steps] == ["in_progress"] + ["not_started"] * 5
    assert list(steps[0].findings.all()) == [finding]
    assert project.current_step().step == "find"
    assert project.history.get().history_user == lead
    assert ProjectStep.history.filter(project_id=project.pk, history_user=lead).count() == 6


@pytest.mark.django_db
def test_start_project_survives_its_run_being_deleted(make_finding):
    finding = make_finding()
    project = ProjectFactory(finding=finding)
    finding.run.delete()
    project.refresh_from_db()
    assert project.finding is None
    assert project.focus == "Blood pressure checked in the last year: Black (Ethnic group)"


@pytest.mark.django_db
def test_start_project_without_a_title_is_refused_and_saves_nothing():
    lead = UserFactory(role="programme_lead")
    with pytest.raises(actions.ActionError, match="title"):
        actions.start_project(user=lead, title="  ", workstream=WorkstreamFactory())
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_move_step_marks_earlier_steps_done_and_records_who(make_finding):
    project = ProjectFactory()
    lead = project.owner
    row = actions.move_step(
        user=lead, project=project, step="open", status="in_progress", notes="Three events"
    )
    find = project.steps.get(step="find")
    assert (find.status, row.status, row.notes) == ("done", "in_progress", "Three events")
    assert row.started_on == timezone.localdate()
    assert project.current_step().step == "open"
    latest = ProjectStep.history.filter(id=row.pk).latest("history_date")
    assert (latest.history_user, latest.status, latest.history_type) == (lead, "in_progress", "~")


@pytest.mark.django_db
def test_move_step_refuses_a_finish_before_the_start_and_saves_nothing():
    project = ProjectFactory()
    with pytest.raises(actions.ActionError, match="finish before it starts"):
        actions.move_step(
            user=project.owner,
            project=project,
            step="open",
            status="done",
            started_on=datetime.date(2026, 5, 2),
            finished_on=datetime.date(2026, 5, 1),
        )
    assert project.steps.get(step="open").status == "not_started"
    assert project.steps.get(step="find").status == "in_progress"


@pytest.mark.django_db
def test_move_step_refuses_an_unknown_step():
    project = ProjectFactory()
    with pytest.raises(actions.ActionError, match="no step called"):
        actions.move_step(user=project.owner, project=project, step="dance", status="done")


@pytest.mark.django_db
def test_record_decision_links_its_evidence(make_finding, make_alert):
    project = ProjectFactory()
    finding, alert = make_finding(), make_alert()
    decision = actions.record_decision(
        user=project.owner,
        project=project,
        step="find",
        text="Go ahead",
        rationale="A large gap",
        outcome="continue",
        evidence=[finding, alert],
    )
    assert list(decision.findings.all()) == [finding]
    assert list(decision.alerts.all()) == [alert]
    assert decision.history.get().history_user == project.owner


@pytest.mark.django_db
def test_record_decision_without_text_saves_nothing():
    project = ProjectFactory()
    with pytest.raises(actions.ActionError):
        actions.record_decision(user=project.owner, project=project, step="find", text=" ")
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_add_member_makes_a_facilitator_a_member_once():
    project = ProjectFactory()
    partner = UserFactory(role="facilitator")
    assert not project.is_member(partner)
    actions.add_member(user=project.owner, project=project, member=partner, role_in_project="a")
    actions.add_member(user=project.owner, project=project, member=partner, role_in_project="b")
    assert project.is_member(partner)
    assert ProjectMembership.objects.get(project=project).role_in_project == "b"
    actions.remove_member(user=project.owner, project=project, member=partner)
    assert not project.is_member(partner)
    assert ProjectMembership.history.filter(history_type="-").count() == 1


@pytest.mark.django_db
def test_delete_project_hides_it_and_restore_brings_it_back():
    project = ProjectFactory()
    actions.delete_project(user=project.owner, project=project)
    assert not Project.objects.filter(pk=project.pk).exists()
    hidden = Project.all_objects.get(pk=project.pk)
    assert hidden.deleted_by == project.owner
    hidden.restore()
    assert Project.objects.filter(pk=project.pk).exists()
    assert project.history.count() == 3


@pytest.mark.django_db
def test_start_project_is_one_transaction(monkeypatch):
    # Making the steps fails after the project row is written: nothing of it is left.
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "bulk_create_with_history", fail)
    workstream = WorkstreamFactory()
    with pytest.raises(RuntimeError):
        actions.start_project(
            user=UserFactory(role="programme_lead"), title="T", workstream=workstream
        )
    assert not Project.all_objects.exists()
    assert not Project.history.exists()


@pytest.mark.django_db
def test_admin_restores_a_deleted_project(client_as):
    project = ProjectFactory()
    actions.delete_project(user=project.owner, project=project)
    admin = client_as("administrator")
    changelist = "/admin/programme/project/"
    response = admin.post(
        changelist, {"action": "restore_selected", "_selected_action": [project.pk]}
    )
    assert response.status_code == 302
    assert Project.objects.filter(pk=project.pk).exists()
