"""The Study's writes: freezing and amending the plan, linking results, recording the decision."""

from __future__ import annotations

import pytest
from tests.web.factories.project import ProjectFactory
from tests.web.factories.study_project_study import ProjectStudyFactory
from tests.web.factories.study_run import StudyRunFactory

from focuson.study.plan import plan_hash, read_plan_text
from focuson.web.programme.models import Decision
from focuson.web.study import actions
from focuson.web.study.models import ProjectStudy, StudyDecision


@pytest.mark.django_db
def test_save_plan_freezes_version_one_with_the_plan_hash(plan_text):
    project = ProjectFactory()
    saved = actions.save_plan(user=project.owner, project=project, text=plan_text, data_seen=False)
    study = saved.study
    assert study.plan_hash == plan_hash(read_plan_text(plan_text))
    assert (study.version, study.changed_after_data_seen, saved.amended) == (1, False, False)
    assert study.record["versions"][0]["sha256"] == study.plan_hash
    assert study.plan_yaml == plan_text
    assert study.history.first().history_user == project.owner


@pytest.mark.django_db
def test_save_plan_refuses_an_invalid_plan_and_saves_nothing():
    project = ProjectFactory()
    text = "outcome: {indicator: x, better: sideways}\ndesign: its\n"
    with pytest.raises(actions.StudyError) as error:
        actions.save_plan(user=project.owner, project=project, text=text, data_seen=False)
    assert "line 1: outcome.better" in str(error.value)
    assert "line 1: smallest_worthwhile_change: this field is missing" in str(error.value)
    assert not ProjectStudy.objects.exists()


@pytest.mark.django_db
def test_amend_adds_a_version_and_after_results_counts_as_data_seen(plan_text):
    study = ProjectStudyFactory(run=StudyRunFactory())
    changed = plan_text.replace("overall: 3.0, gap: 2.0", "overall: 4.0, gap: 2.0")
    saved = actions.save_plan(
        user=study.project.owner,
        project=study.project,
        text=changed,
        data_seen=False,
        reason="The board asked for a larger change.",
    )
    study.refresh_from_db()
    assert saved.amended and study.version == 2
    # Results were linked: the change was made after data were seen, whatever was ticked.
    assert study.changed_after_data_seen
    assert study.record["versions"][1]["data_seen"] is True
    # The results answer version 1: they are taken off.
    assert saved.unlinked is not None and study.run is None
    assert study.plan_hash == plan_hash(read_plan_text(changed))


@pytest.mark.django_db
def test_amend_without_a_reason_or_a_change_is_refused(plan_text):
    study = ProjectStudyFactory()
    project = study.project
    with pytest.raises(actions.StudyError, match="Say why the plan changed"):
        actions.save_plan(
            user=project.owner, project=project, text=plan_text + "\n", data_seen=False
        )
    with pytest.raises(actions.StudyError, match="same as the current version"):
        actions.save_plan(
            user=project.owner, project=project, text=plan_text, data_seen=False, reason="x"
        )
    study.refresh_from_db()
    assert study.version == 1


@pytest.mark.django_db
def test_link_run_refuses_results_of_another_plan():
    study = ProjectStudyFactory()
    other = StudyRunFactory(plan_sha256="f" * 64)
    with pytest.raises(actions.StudyError) as error:
        actions.link_run(user=study.project.owner, study=study, run=other)
    assert "another plan (SHA-256 ffffffffffff)" in str(error.value)
    assert study.plan_hash[:12] in str(error.value)
    study.refresh_from_db()
    assert study.run is None


@pytest.mark.django_db
def test_link_run_names_the_earlier_version_a_run_answers(plan_text):
    first = StudyRunFactory()
    study = ProjectStudyFactory()
    actions.save_plan(
        user=study.project.owner,
        project=study.project,
        text=plan_text.replace("gap: 2.0", "gap: 1.5"),
        data_seen=False,
        reason="Smaller gap change worth having.",
    )
    study.refresh_from_db()
    with pytest.raises(actions.StudyError, match="run on version 1 of the plan"):
        actions.link_run(user=study.project.owner, study=study, run=first)


@pytest.mark.django_db
def test_decide_continue_logs_the_decision_with_the_run_and_starts_ongoing_measurement():
    run = StudyRunFactory()
    study = ProjectStudyFactory(run=run)
    lead = study.project.owner
    row = actions.decide(
        user=lead,
        study=study,
        outcome="continue",
        text="Keep the invitations",
        rationale="Uptake rose clear of the smallest worthwhile change.",
        decided_by="the programme board",
    )
    decision = Decision.objects.get()
    assert decision.step == "study" and decision.outcome == "continue"
    assert decision.text == "Keep the invitations (decided by the programme board)"
    assert decision.decided_by == lead
    assert (row.run, row.plan_hash, row.decision) == (run, study.plan_hash, decision)
    steps = {s.step: s.status for s in study.project.steps.all()}
    assert steps["study"] == "done" and steps["ongoing_measurement"] == "in_progress"


@pytest.mark.django_db
def test_decide_stop_marks_the_study_stopped_and_other_outcomes_are_refused():
    study = ProjectStudyFactory(run=StudyRunFactory())
    lead = study.project.owner
    with pytest.raises(actions.StudyError, match="continue, adapt or stop"):
        actions.decide(user=lead, study=study, outcome="other", text="x", rationale="y")
    assert not StudyDecision.objects.exists()
    actions.decide(user=lead, study=study, outcome="stop", text="Stop it", rationale="No effect.")
    assert study.project.steps.get(step="study").status == "stopped"


@pytest.mark.django_db
def test_first_plan_starts_the_study_step(plan_text):
    project = ProjectFactory()
    actions.save_plan(user=project.owner, project=project, text=plan_text, data_seen=False)
    steps = {s.step: s.status for s in project.steps.all()}
    assert steps["study"] == "in_progress" and steps["unite"] == "done"
