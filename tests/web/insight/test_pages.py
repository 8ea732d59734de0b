"""Open's pages: events, participants and tallies recorded by members (outsiders get 404), bad
input refused with nothing saved, and insights tied to findings."""

from __future__ import annotations

import datetime
from html import escape

import pytest
from django.urls import reverse
from tests.web.factories.borough import BoroughFactory
from tests.web.factories.finding import FindingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight.models import AttendanceCount, Event, Insight, Participant

EVENT = {
    "kind": "community_conversation",
    "title": "Somali women's group, Harlesden",
    "date": "2025-04-10",
    "venue": "Harlesden library",
    "partners": "Somali Women's Network",
    "languages": "Somali, English",
    "interpreters": "1",
    "attendance": "14",
    "consent_basis": "Verbal consent, notes only",
    "retention_date": "2027-04-10",
}


def _member_facilitator(role_user, project):
    user = role_user("facilitator")
    ProjectMembershipFactory(project=project, user=user)
    return user


@pytest.mark.django_db
def test_facilitator_member_records_an_event(client_as, role_user):
    project = ProjectFactory()
    client = client_as(_member_facilitator(role_user, project))
    response = client.post(reverse("insight:event_new", args=[project.pk]), EVENT)
    assert response.status_code == 302
    event = Event.objects.get(project=project)
    assert event.title == EVENT["title"] and event.attendance == 14
    assert event.history.count() == 1 and event.history.first().history_user is not None
    assert list(event.facilitators.all()) == []
    page = client.get(reverse("insight:open", args=[project.pk]))
    assert escape(EVENT["title"]) in page.text and "Community conversation" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["open", "event_new", "insight_new"])
def test_facilitator_outside_the_project_gets_404(client_as, name):
    project = ProjectFactory()
    response = client_as("facilitator").get(reverse(f"insight:{name}", args=[project.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["event_edit", "participant_new", "tally"])
def test_facilitator_outside_gets_404_on_event_pages(client_as, name):
    event = EventFactory()
    client = client_as("facilitator")
    assert client.get(reverse(f"insight:{name}", args=[event.pk])).status_code == 404
    assert client.post(reverse(f"insight:{name}", args=[event.pk]), {}).status_code == 404
    assert Participant.objects.count() == 0 and AttendanceCount.objects.count() == 0


@pytest.mark.django_db
def test_viewer_may_read_but_not_record(client_as):
    project = ProjectFactory()
    client = client_as("viewer")
    assert client.get(reverse("insight:open", args=[project.pk])).status_code == 200
    response = client.post(reverse("insight:event_new", args=[project.pk]), EVENT)
    assert response.status_code == 404 and not Event.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "party"}, "kind"),
        ({"date": "10/04/2025x"}, "date"),
        ({"consent_basis": ""}, "consent_basis"),
        ({"retention_date": "2025-01-01"}, "retention_date"),
        ({"attendance": "-3"}, "attendance"),
    ],
)
def test_bad_event_is_refused_and_nothing_saved(client_as, change, field):
    project = ProjectFactory()
    response = client_as("programme_lead").post(
        reverse("insight:event_new", args=[project.pk]), EVENT | change
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "nhsuk-error-summary" in response.text
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_event_edit_changes_it(client_as):
    event = EventFactory()
    client = client_as(event.project.owner)
    response = client.post(
        reverse("insight:event_edit", args=[event.pk]), EVENT | {"title": "Renamed"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed"


@pytest.mark.django_db
def test_participant_added_and_duplicate_pseudonym_refused(client_as, role_user):
    event = EventFactory()
    borough = BoroughFactory()
    client = client_as(_member_facilitator(role_user, event.project))
    url = reverse("insight:participant_new", args=[event.pk])
    person = {
        "pseudonym": "P1",
        "age_band": "18-64",
        "sex": "F",
        "ethnic_group": "Black",
        "borough": borough.pk,
        "imd_quintile": "1",
        "language": "Somali",
        "interpreter_needed": "yes",
    }
    assert client.post(url, person).status_code == 302
    saved = Participant.objects.get()
    assert (saved.sex, saved.ethnic_group, saved.borough) == ("F", "Black", borough)
    again = client.post(url, person | {"pseudonym": "p1 "})
    assert again.status_code == 200 and "pseudonym" in again.context["form"].errors
    bad = client.post(url, {"pseudonym": "P2", "age_band": "12-14", "sex": "X"})
    assert set(bad.context["form"].errors) == {"age_band", "sex"}
    assert Participant.objects.count() == 1


@pytest.mark.django_db
def test_prefer_not_to_say_is_blank(client_as):
    event = EventFactory()
    response = client_as(event.project.owner).post(
        reverse("insight:participant_new", args=[event.pk]), {"pseudonym": "P9"}
    )
    assert response.status_code == 302
    saved = Participant.objects.get()
    assert (saved.age_band, saved.sex, saved.ethnic_group, saved.borough) == ("", "", "", None)


@pytest.mark.django_db
def test_paper_tally_recorded_and_replaced(client_as):
    event = EventFactory()
    client = client_as(event.project.owner)
    url = reverse("insight:tally", args=[event.pk])
    response = client.post(url, {"dimension": "sex", "n__sex__F": "9", "n__sex__none": "2"})
    assert response.status_code == 302
    rows = set(AttendanceCount.objects.values_list("dimension", "band", "count"))
    assert rows == {("sex", "F", 9), ("sex", "", 2)}
    client.post(url, {"dimension": "sex", "n__sex__M": "4"})
    assert set(AttendanceCount.objects.values_list("band", "count")) == {("M", 4)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"n__sex__F": "9"},  # no breakdown chosen
        {"dimension": "sex"},  # nothing counted
        {"dimension": "sex", "n__sex__F": "-1"},
        {"dimension": "sex", "n__sex__F": "many"},
        {"dimension": "religion", "n__sex__F": "3"},
        {"dimension": "age_band_broad", "n__sex__F": "3"},  # counts under another breakdown
    ],
)
def test_bad_tally_refused_and_nothing_saved(client_as, data):
    event = EventFactory()
    response = client_as(event.project.owner).post(reverse("insight:tally", args=[event.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "nhsuk-error-summary" in response.text
    assert not AttendanceCount.objects.exists()


@pytest.mark.django_db
def test_insight_linked_to_the_finding(client_as):
    finding = FindingFactory()
    project = ProjectFactory(finding=finding)
    client = client_as(project.owner)
    url = reverse("insight:insight_new", args=[project.pk])
    data = {
        "statement": "Clinics close before shifts end.",
        "type": "barrier",
        "finding": finding.pk,
        "relation": "explains",
    }
    assert client.post(url, data).status_code == 302
    insight = Insight.objects.get()
    assert (insight.finding, insight.relation, insight.created_by) == (
        finding,
        "explains",
        project.owner,
    )
    page = client.get(reverse("insight:open", args=[project.pk]))
    assert "Clinics close before shifts end." in page.text
    assert "Explains the finding" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"statement": ""},
        {"type": "worry"},
        {"relation": ""},  # a finding without saying how it bears on it
        {"finding": "", "relation": "explains"},
    ],
)
def test_bad_insight_refused_and_nothing_saved(client_as, change):
    finding = FindingFactory()
    project = ProjectFactory(finding=finding)
    data = {
        "statement": "Clinics close early.",
        "type": "barrier",
        "finding": finding.pk,
        "relation": "explains",
    }
    response = client_as(project.owner).post(
        reverse("insight:insight_new", args=[project.pk]), data | change
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Insight.objects.exists()


@pytest.mark.django_db
def test_insight_cannot_link_a_finding_of_another_run(client_as):
    project = ProjectFactory(finding=FindingFactory())
    other = FindingFactory()
    response = client_as(project.owner).post(
        reverse("insight:insight_new", args=[project.pk]),
        {"statement": "x", "type": "idea", "finding": other.pk, "relation": "new_issue"},
    )
    assert "finding" in response.context["form"].errors
    assert not Insight.objects.exists()


@pytest.mark.django_db
def test_project_page_links_to_open(client_as):
    project = ProjectFactory()
    page = client_as(project.owner).get(project.get_absolute_url())
    assert reverse("insight:open", args=[project.pk]) in page.text


@pytest.mark.django_db
def test_deleted_event_pages_answer_404(client_as):
    event = EventFactory()
    event.soft_delete(user=event.project.owner)
    client = client_as(event.project.owner)
    assert client.get(reverse("insight:tally", args=[event.pk])).status_code == 404


@pytest.mark.django_db
def test_event_past_its_retention_date_is_flagged(client_as):
    old = EventFactory(retention_date=datetime.date(2020, 1, 1), date=datetime.date(2019, 1, 1))
    EventFactory(project=old.project)  # kept until 2027: not flagged
    page = client_as(old.project.owner).get(reverse("insight:open", args=[old.project.pk]))
    assert page.text.count("past its retention date") == 1


@pytest.mark.django_db
def test_member_deletes_an_event_and_it_stops_counting(client_as, role_user):
    event = EventFactory()
    client = client_as(_member_facilitator(role_user, event.project))
    url = reverse("insight:event_delete", args=[event.pk])
    assert client_as("facilitator").post(url).status_code == 404 and Event.objects.exists()
    assert client.get(url).status_code == 200 and Event.objects.exists()
    assert client.post(url).status_code == 302
    assert not Event.objects.exists() and Event.all_objects.get().deleted_at is not None


@pytest.mark.django_db
def test_finding_not_yet_explained_is_flagged(client_as):
    project = ProjectFactory(finding=FindingFactory())
    client = client_as(project.owner)
    url = reverse("insight:open", args=[project.pk])
    assert "No insight explains the finding yet" in client.get(url).text
    client.post(
        reverse("insight:insight_new", args=[project.pk]),
        {"statement": "s", "type": "cause", "finding": project.finding_id, "relation": "explains"},
    )
    assert "No insight explains the finding yet" not in client.get(url).text


@pytest.mark.django_db
def test_participant_erased_with_their_history(client_as, role_user):
    event = EventFactory()
    person = ParticipantFactory(event=event, sex="F", ethnic_group="Black")
    kept = ParticipantFactory(event=event, sex="M")
    url = reverse("insight:participant_erase", args=[person.pk])
    assert client_as("facilitator").post(url).status_code == 404
    client = client_as(_member_facilitator(role_user, event.project))
    assert person.pseudonym in client.get(url).text
    assert client.post(url).status_code == 302
    assert list(Participant.objects.all()) == [kept]
    assert not Participant.history.filter(id=person.pk).exists()
    assert Participant.history.filter(id=kept.pk).exists()
    latest = event.history.first()
    assert latest.history_change_reason == "A participant was erased on request"


@pytest.mark.django_db
def test_insight_changed_and_deleted_by_a_member_only(client_as, role_user):
    insight = InsightFactory()
    edit = reverse("insight:insight_edit", args=[insight.pk])
    delete = reverse("insight:insight_delete", args=[insight.pk])
    outsider = client_as("facilitator")
    assert outsider.post(edit, {"statement": "x", "type": "idea"}).status_code == 404
    assert outsider.post(delete).status_code == 404
    client = client_as(_member_facilitator(role_user, insight.project))
    bad = client.post(edit, {"statement": "", "type": "idea"})
    assert bad.status_code == 200 and "statement" in bad.context["form"].errors
    insight.refresh_from_db()
    assert insight.type == "barrier"
    assert (
        client.post(edit, {"statement": "Evening clinics wanted.", "type": "idea"}).status_code
        == 302
    )
    insight.refresh_from_db()
    assert (insight.statement, insight.type) == ("Evening clinics wanted.", "idea")
    assert client.post(delete).status_code == 302
    assert not Insight.objects.exists() and Insight.all_objects.get().deleted_by is not None


@pytest.mark.django_db
def test_facilitators_chosen_from_the_project_people_only(client_as, role_user):
    project = ProjectFactory()
    member = _member_facilitator(role_user, project)
    stranger = role_user("facilitator")
    client = client_as(project.owner)
    url = reverse("insight:event_new", args=[project.pk])
    refused = client.post(url, EVENT | {"facilitators": [stranger.pk]})
    assert "facilitators" in refused.context["form"].errors and not Event.objects.exists()
    assert (
        client.post(url, EVENT | {"facilitators": [member.pk, project.owner.pk]}).status_code == 302
    )
    assert set(Event.objects.get().facilitators.all()) == {member, project.owner}
    event = Event.objects.get()
    assert {r.user for r in event.history.first().facilitators.all()} == {member, project.owner}
