"""The community insight report: themes with their strength and released quotes only, findings
not yet heard about, blind spots, per project and per borough, printable."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse
from tests.web.factories.borough import BoroughFactory
from tests.web.factories.finding import FindingFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight import release_actions, report
from focuson.web.insight.models import Insight

SAID = "The bus to the clinic stops at six, so I miss my screening."
UNRELEASED = "I work nights and nobody answers the phone in the day."


def _world():
    finding = FindingFactory()
    other = FindingFactory(run=finding.run, group="2", group_label="Second fifth")
    project = ProjectFactory(finding=finding)
    events = [EventFactory(project=project), EventFactory(project=project)]
    people = [ParticipantFactory(event=events[i % 2]) for i in range(3)]
    text = SAID + "\n" + UNRELEASED
    sources = [SourceFactory(event=e, text=text) for e in events]
    said = [
        CodingFactory(source=sources[i % 2], start=0, end=len(SAID), participant=people[i])
        for i in range(3)
    ]
    unreleased = CodingFactory(source=sources[0], start=len(SAID) + 1, end=len(text))
    barrier = InsightFactory(
        project=project,
        statement="Buses stop before the evening clinics end",
        type=Insight.Type.BARRIER,
        finding=finding,
        relation=Insight.Relation.EXPLAINS,
    )
    barrier.codings.set([*said, unreleased])
    blind = InsightFactory(
        project=project, statement="Night workers cannot phone", type="idea", finding=None
    )
    release_actions.release_quote(
        user=project.owner,
        coding=said[0],
        quote=release_actions.draft(said[0], confirmed=[], phrases=["six"]),
    )
    return project, finding, other, barrier, blind


@pytest.mark.django_db
def test_themes_count_distinct_participants_and_events_and_show_released_quotes_only(client_as):
    project, finding, _other, _barrier, blind = _world()
    (theme,) = [t for t in report.themes([project]) if t["type"] == "barrier"]
    (item,) = theme["items"]
    assert item["insight"].n_people == 3 and item["insight"].n_events == 2
    assert [q.redacted_text for q in item["quotes"]] == [SAID.replace("six", "[redacted]")]
    page = client_as("viewer").get(reverse("insight:report", args=[project.pk]))
    assert page.status_code == 200
    assert escape(SAID.replace("six", "[redacted]")) in page.text
    assert escape(SAID) not in page.text and escape(UNRELEASED) not in page.text
    assert "3 participants, 2 events" in page.text
    assert reverse("evidence:finding", args=[finding.pk]) in page.text
    assert "a possible blind spot in the data" in page.text and blind.statement in page.text


@pytest.mark.django_db
def test_findings_not_yet_heard_about():
    project, finding, _other, barrier, _blind = _world()
    assert report.unheard_findings([project]) == []
    barrier.soft_delete(user=project.owner)
    assert report.unheard_findings([project]) == [finding]


@pytest.mark.django_db
def test_printable_report_is_a_plain_page(client_as):
    project, *_ = _world()
    page = client_as(project.owner).get(reverse("insight:report_print", args=[project.pk]))
    assert page.status_code == 200 and "focuson-print" in page.text
    assert "nhsuk-header" not in page.text and "Save as PDF" in page.text


@pytest.mark.django_db
def test_borough_report_shows_only_projects_the_reader_may_see(client_as, role_user):
    project, *_ = _world()
    borough = BoroughFactory()
    project.boroughs.add(borough)
    hidden = ProjectFactory(title="Someone else's project")
    hidden.boroughs.add(borough)
    InsightFactory(project=hidden, statement="Only members may read this")
    facilitator = role_user("facilitator")
    ProjectMembershipFactory(project=project, user=facilitator)
    page = client_as(facilitator).get(reverse("insight:borough_report", args=[borough.pk]))
    assert page.status_code == 200
    assert escape(project.title) in page.text and "Buses stop before" in page.text
    assert "Only members may read this" not in page.text and escape(hidden.title) not in page.text
    lead = client_as("programme_lead").get(reverse("insight:borough_report", args=[borough.pk]))
    assert "Only members may read this" in lead.text
    own = client_as(facilitator).get(reverse("insight:report", args=[project.pk]))
    assert reverse("insight:borough_report", args=[borough.pk]) in own.text
    printed = client_as("viewer").get(reverse("insight:borough_report_print", args=[borough.pk]))
    assert printed.status_code == 200 and "Buses stop before" in printed.text


@pytest.mark.django_db
def test_outsider_facilitator_gets_404(client_as):
    project, *_ = _world()
    client = client_as("facilitator")
    assert client.get(reverse("insight:report", args=[project.pk])).status_code == 404
    assert client.get(reverse("insight:report_print", args=[project.pk])).status_code == 404


@pytest.mark.django_db
def test_borough_report_lists_its_worse_findings_not_yet_heard_about(client_as):
    project, finding, *_ = _world()
    borough = BoroughFactory()
    project.boroughs.add(borough)
    local = FindingFactory(run=finding.run, borough=borough.name, excess=300.0)
    heard_about = FindingFactory(run=finding.run, borough=borough.name, excess=200.0)
    InsightFactory(project=project, finding=heard_about, relation="explains")
    FindingFactory(run=finding.run, borough=borough.name, significant=False)
    FindingFactory(run=finding.run, borough="Elsewhere")
    assert report.unheard_findings([project], borough) == [local]
    page = client_as("viewer").get(reverse("insight:borough_report", args=[borough.pk]))
    assert reverse("evidence:finding", args=[local.pk]) in page.text


@pytest.mark.django_db
def test_a_released_quote_no_insight_rests_on_is_shown_under_also_said(client_as):
    project, *_ = _world()
    source = SourceFactory(event=EventFactory(project=project), text="Nobody told us the date.")
    loose = CodingFactory(source=source, start=0, end=len(source.text))
    release_actions.release_quote(
        user=project.owner,
        coding=loose,
        quote=release_actions.draft(loose, confirmed=[], phrases=[]),
    )
    assert [q.coding_id for q in report.other_quotes([project])] == [loose.pk]
    page = client_as("viewer").get(reverse("insight:report", args=[project.pk]))
    assert "Also said" in page.text and "Nobody told us the date." in page.text
    # The quote under its theme is not repeated under "Also said".
    assert page.text.count(escape(SAID.replace("six", "[redacted]"))) == 1
