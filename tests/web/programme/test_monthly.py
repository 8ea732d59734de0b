"""The monthly update: generated from what changed in the month, edited, published, printed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from tests.web.factories.decision import DecisionFactory
from tests.web.factories.monthly_update import MonthlyUpdateFactory
from tests.web.factories.project import ProjectFactory

from focuson.web.programme import actions
from focuson.web.programme.models import MonthlyUpdate, Project, ProjectStep
from focuson.web.programme.monthly import month_window, summarise_month


def _this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@pytest.mark.django_db
def test_summary_holds_what_changed_this_month(make_finding, make_alert, make_run):
    project = ProjectFactory(title="Hypertension in Brent")
    actions.move_step(user=project.owner, project=project, step="open", status="in_progress")
    DecisionFactory(project=project, text="Go to Harlesden", step="open")
    run = make_run()
    make_finding(run=run, excess=500.0)
    make_finding(run=run, significant=False, excess=None)
    make_alert(run=run)
    summary = summarise_month(_this_month())
    assert [p["title"] for p in summary["projects_started"]] == ["Hypertension in Brent"]
    moves = {(m["step"], m["from"], m["to"]) for m in summary["steps_moved"]}
    assert moves == {("find", "In progress", "Done"), ("open", "Not started", "In progress")}
    assert [d["text"] for d in summary["decisions"]] == ["Go to Harlesden"]
    assert summary["findings"]["count"] == 2 and summary["findings"]["significant"] == 1
    assert summary["findings"]["top"][0]["people"] == 500.0
    assert summary["alerts"]["count"] == 1 and summary["alerts"]["by_kind"] == {"widening": 1}


@pytest.mark.django_db
def test_summary_of_another_month_leaves_this_month_out():
    project = ProjectFactory()
    actions.move_step(user=project.owner, project=project, step="open", status="done")
    start, _end = month_window(_this_month())
    last_month = (start - datetime.timedelta(days=1)).strftime("%Y-%m")
    summary = summarise_month(last_month)
    assert summary["projects_started"] == [] and summary["steps_moved"] == []


@pytest.mark.django_db
def test_summary_of_a_step_moved_this_month_after_earlier_history():
    project = ProjectFactory()
    start, _end = month_window(_this_month())
    # The project and its steps were made last month (their history says so).
    earlier = start - datetime.timedelta(days=3)
    Project.objects.filter(pk=project.pk).update(created=earlier)
    ProjectStep.history.filter(project_id=project.pk).update(history_date=earlier)
    actions.move_step(user=project.owner, project=project, step="find", status="done")
    summary = summarise_month(_this_month())
    assert summary["projects_started"] == []
    assert [(m["step"], m["to"]) for m in summary["steps_moved"]] == [("find", "Done")]


@pytest.mark.django_db
def test_summary_leaves_deleted_projects_out():
    project = ProjectFactory()
    actions.move_step(user=project.owner, project=project, step="open", status="done")
    DecisionFactory(project=project)
    actions.delete_project(user=project.owner, project=project)
    summary = summarise_month(_this_month())
    assert summary["projects_started"] == summary["steps_moved"] == summary["decisions"] == []


@pytest.mark.django_db
def test_generate_keeps_the_narrative_and_refuses_a_published_month(programme_lead):
    month = _this_month()
    first = actions.generate_monthly_update(user=programme_lead, month=month)
    assert first.narrative.startswith("This month:")
    first.narrative = "Our words"
    first.save()
    again = actions.generate_monthly_update(user=programme_lead, month=month)
    assert again.narrative == "Our words" and MonthlyUpdate.objects.count() == 1
    actions.publish_monthly_update(user=programme_lead, update=again)
    with pytest.raises(actions.ActionError, match="published already"):
        actions.generate_monthly_update(user=programme_lead, month=month)
    assert again.history.filter(history_user=programme_lead).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "2026-1", "November", ""])
def test_generate_form_rejects_a_bad_month_and_saves_nothing(client_as, month):
    response = client_as("programme_lead").post(
        reverse("programme:update_generate"), {"month": month}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not MonthlyUpdate.objects.exists()


@pytest.mark.django_db
def test_publish_makes_the_update_public(client, client_as):
    ProjectFactory(title="Prostate cancer checks")
    lead = client_as("programme_lead")
    month = _this_month()
    made = lead.post(reverse("programme:update_generate"), {"month": month})
    assert made.status_code == 302
    url = reverse("programme:update", args=[month])
    # A draft does not exist for the public.
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("programme:updates")).text
    edit = lead.post(reverse("programme:update_edit", args=[month]), {"narrative": "We began."})
    assert edit.status_code == 302
    assert lead.post(reverse("programme:update_publish", args=[month])).status_code == 302
    public = client.get(url)
    assert public.status_code == 200
    assert "We began." in public.text and "Prostate cancer checks" in public.text
    printable = client.get(reverse("programme:update_print", args=[month]))
    assert printable.status_code == 200 and "programme/print" in printable.text
    update = MonthlyUpdate.objects.get()
    listed = client.get(reverse("programme:updates")).text
    assert url in listed and update.month_label in listed
    assert update.published_by == lead.user


@pytest.mark.django_db
def test_publish_without_a_narrative_is_refused(client_as):
    update = MonthlyUpdateFactory(narrative="")
    lead = client_as("programme_lead")
    response = lead.post(reverse("programme:update_publish", args=[update.month]), follow=True)
    assert "Write the narrative before publishing" in response.text
    update.refresh_from_db()
    assert not update.is_published


def test_month_label_says_the_month_in_words():
    with translation.override("en-gb"):
        assert MonthlyUpdate(month="2026-11").month_label == "November 2026"
    with translation.override("pl"):
        assert MonthlyUpdate(month="2026-11").month_label != "November 2026"
