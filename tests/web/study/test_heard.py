"""What was heard beside the numbers: Open's insights recorded since the test began, by type,
each linking to the Open page; insights from before the test, deleted ones and other projects'
are left out; "nothing heard yet" when there are none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.study_project_study import ProjectStudyFactory

from focuson.web.insight.models import Insight
from focuson.web.study import heard


def _recorded(insight: Insight, when: datetime) -> Insight:
    # ``created`` is set on save; move it the way a past record would have it.
    Insight.objects.filter(pk=insight.pk).update(created=when)
    insight.refresh_from_db()
    return insight


@pytest.mark.django_db
def test_study_page_lists_insights_heard_since_the_test_began_by_type(client_as):
    study = ProjectStudyFactory()
    project = study.project
    # The example plan's post window starts in April 2024 (no transition).
    before = _recorded(
        InsightFactory(project=project, statement="Said before the test began."),
        datetime(2024, 3, 31, 23, 59, tzinfo=UTC),
    )
    first_day = _recorded(
        InsightFactory(project=project, statement="Evening clinics helped me go."),
        datetime(2024, 4, 1, tzinfo=UTC),
    )
    later = InsightFactory(
        project=project, statement="The letter was only in English.", type=Insight.Type.BARRIER
    )
    asset = InsightFactory(
        project=project, statement="The mosque lent its hall.", type=Insight.Type.ASSET
    )
    gone = InsightFactory(project=project, statement="Deleted by its author.")
    gone.soft_delete(user=project.owner)
    InsightFactory(statement="Another project's insight.")

    page = client_as(project.owner).get(reverse("study:study", args=[project.pk]))

    groups = page.context["heard"]
    assert [g.type for g in groups] == ["barrier", "asset"]
    assert [i.pk for i in groups[0].insights] == [later.pk, first_day.pk]
    assert [i.pk for i in groups[1].insights] == [asset.pk]
    text = page.text
    assert "What was heard" in text and "April 2024" in text
    for shown in (first_day, later, asset):
        assert shown.statement in text
    for hidden in ("Said before the test began.", "Deleted by its author.", "Another project"):
        assert hidden not in text
    open_url = reverse("insight:open", args=[project.pk])
    assert text.count(f'href="{open_url}#insights"') == 3
    assert before.pk not in {i.pk for g in groups for i in g.insights}


@pytest.mark.django_db
def test_study_page_says_nothing_heard_yet_when_no_insight_since_the_test(client_as):
    study = ProjectStudyFactory()
    _recorded(InsightFactory(project=study.project), datetime(2023, 1, 5, tzinfo=UTC))
    page = client_as("viewer").get(reverse("study:study", args=[study.project.pk]))
    assert page.context["heard"] == []
    assert "Nothing heard yet" in page.text


@pytest.mark.django_db
def test_the_test_begins_with_the_transition_when_the_plan_has_one(plan_text):
    from focuson.study.plan import read_plan_text

    with_transition = plan_text.replace(
        "  post: {start: 2024-04",
        "  transition: {start: 2024-04, end: 2024-04}\n  post: {start: 2024-05",
    )
    plan = read_plan_text(with_transition)
    assert plan.windows.transition is not None
    assert heard.intervention_began(plan) == datetime(2024, 4, 1, tzinfo=UTC)
    project = ProjectFactory()
    inside = _recorded(InsightFactory(project=project), datetime(2024, 4, 2, tzinfo=UTC))
    assert list(heard.heard_since(project, plan)) == [inside]
