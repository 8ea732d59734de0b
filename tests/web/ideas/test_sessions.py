"""Co-creation sessions on the staff side: planned with a code, opened and closed, attendance
from the paper sheet, listed on the project's ideas page; bad input refused; outsiders kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.factories.finding import FindingFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.ideas import session_actions
from focuson.web.ideas.models import CoCreationSession, Idea, SessionAttendance


def _member(client_as, project):
    client = client_as("facilitator")
    ProjectMembershipFactory(project=project, user=client.user)
    return client


@pytest.mark.django_db
def test_member_plans_a_session_and_sees_its_code_and_link(client_as):
    project = ProjectFactory()
    client = _member(client_as, project)
    response = client.post(
        reverse("ideas:session_new", args=[project.pk]),
        {
            "title": "Ideas workshop, Harlesden",
            "date": "2026-04-10",
            "format": "hybrid",
            "venue": "Harlesden Library",
            "facilitators": [client.user.pk],
            "languages": "English, Somali, Arabic",
        },
    )
    session = CoCreationSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert list(session.facilitators.all()) == [client.user]
    assert session.accepting() and len(session.code) == 8
    page = client.get(session.get_absolute_url())
    assert page.status_code == 200
    assert f"{session.code[:4]} {session.code[4:]}" in page.text
    assert f"http://testserver/join/{session.code}/" in page.text
    assert "Open for residents" in page.text
    assert dict(project.steps.values_list("step", "status"))["co_create"] == "in_progress"
    listing = client.get(reverse("ideas:ideas", args=[project.pk]))
    assert "Ideas workshop, Harlesden" in listing.text


@pytest.mark.django_db
def test_session_form_refuses_bad_input_and_saves_nothing(client_as):
    project = ProjectFactory()
    outsider = client_as("facilitator").user
    response = client_as("programme_lead").post(
        reverse("ideas:session_new", args=[project.pk]),
        {"title": "", "date": "31/02/2026", "format": "", "facilitators": [outsider.pk]},
    )
    assert response.status_code == 200 and "There is a problem" in response.text
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title, for example: Ideas workshop, Harlesden."]
    assert errors["date"] == ["Enter the date of the session as a real date, e.g. 2026-04-10."]
    assert errors["format"] == ["Choose whether it is in person, online or both."]
    assert "facilitators" in errors  # only the project's owner and members ran it
    assert not CoCreationSession.objects.exists()


@pytest.mark.django_db
def test_joining_closed_and_opened_again(client_as):
    session = CoCreationSessionFactory()
    client = client_as("programme_lead")
    url = reverse("ideas:session_joining", args=[session.pk])
    assert client.post(url, {"open": "0"})["Location"] == session.get_absolute_url()
    session.refresh_from_db()
    assert not session.accepting()
    assert "Closed" in client.get(session.get_absolute_url()).text
    client.post(url, {"open": "1"})
    session.refresh_from_db()
    assert session.accepting()
    # A GET changes nothing.
    client.get(reverse("ideas:session_joining", args=[session.pk]))
    session.refresh_from_db()
    assert session.accepting()


@pytest.mark.django_db
def test_attendance_by_role_and_band_replaces_an_earlier_sheet(client_as):
    session = CoCreationSessionFactory()
    client = _member(client_as, session.project)
    url = reverse("ideas:session_attendance", args=[session.pk])
    roles = {"dimension": "role", "n__role__resident": "14", "n__role__clinician": "3"}
    assert client.post(url, roles).status_code == 302
    bands = {"dimension": "ethnicity_6", "n__ethnicity_6__Black": "9", "n__ethnicity_6__none": "2"}
    assert client.post(url, bands).status_code == 302
    client.post(url, {"dimension": "role", "n__role__resident": "15", "n__role__clinician": "3"})
    counted = set(SessionAttendance.objects.values_list("dimension", "band", "count"))
    assert counted == {
        ("role", "resident", 15),
        ("role", "clinician", 3),
        ("ethnicity_6", "Black", 9),
        ("ethnicity_6", "", 2),
    }
    page = client.get(session.get_absolute_url())
    assert "Black, Black British, Caribbean or African" in page.text
    assert "Prefer not to say" in page.text and "18 people" in page.text


@pytest.mark.django_db
def test_attendance_refuses_bad_input_and_saves_nothing(client_as):
    session = CoCreationSessionFactory()
    client = client_as("programme_lead")
    url = reverse("ideas:session_attendance", args=[session.pk])
    nothing = client.post(url, {"dimension": "role"})
    assert "Enter at least one count for the breakdown chosen." in nothing.text
    negative = client.post(url, {"dimension": "sex", "n__sex__F": "-2"})
    assert "A count must be 0 or more." in negative.text
    unchosen = client.post(url, {"n__sex__F": "4"})
    assert "Choose what the sheet counted people by." in unchosen.text
    assert not SessionAttendance.objects.exists()


@pytest.mark.django_db
def test_facilitator_outsider_gets_404_on_every_session_page(client_as):
    session = CoCreationSessionFactory()
    client = client_as("facilitator")
    urls = [
        reverse("ideas:session_new", args=[session.project.pk]),
        session.get_absolute_url(),
        reverse("ideas:session_edit", args=[session.pk]),
        reverse("ideas:session_joining", args=[session.pk]),
        reverse("ideas:session_attendance", args=[session.pk]),
        reverse("ideas:session_delete", args=[session.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"open": "0", "title": "x"}).status_code == 404, url
    session.refresh_from_db()
    assert session.accepting() and CoCreationSession.objects.count() == 1


@pytest.mark.django_db
def test_viewer_sees_a_session_but_cannot_change_it(client_as):
    session = CoCreationSessionFactory()
    client = client_as("viewer")
    page = client.get(session.get_absolute_url())
    assert page.status_code == 200 and "Close it to residents" not in page.text
    assert client.post(reverse("ideas:session_joining", args=[session.pk])).status_code == 404


@pytest.mark.django_db
def test_deleting_a_session_asks_first_then_stops_its_code_and_keeps_its_ideas(client_as):
    session = CoCreationSessionFactory()
    idea = session_actions.add_resident_idea(
        session=session, fields={"title": "Creche", "summary": "While mums are seen."}
    )
    resident = Client()
    resident.post(reverse("join:join"), {"code": session.code})
    client = _member(client_as, session.project)
    url = reverse("ideas:session_delete", args=[session.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and "Its code stops working at once" in asked.text
    assert not CoCreationSession.all_objects.get(pk=session.pk).is_deleted
    response = client.post(url)
    assert response["Location"] == reverse("ideas:ideas", args=[session.project.pk])
    found = CoCreationSession.all_objects.get(pk=session.pk)
    assert found.is_deleted and not found.open_for_joining and found.deleted_by == client.user
    assert session.title not in client.get(response["Location"]).text
    assert client.get(session.get_absolute_url()).status_code == 404
    # The code says the session is closed; a resident who joined is sent to the join page.
    closed = Client().post(reverse("join:join"), {"code": session.code})
    assert "This session is closed" in closed.text
    assert resident.get(session.get_resident_url())["Location"] == reverse("join:join")
    # What residents gave stays.
    assert Idea.objects.filter(pk=idea.pk).exists()
    assert client.get(idea.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_who_came_is_compared_with_who_is_affected(client_as):
    # Affected: 1,000 Black and 1,000 White people. Came: 10 Black and 100 White: a share of
    # 10 / 110 = 9% against 50% affected, a ratio of 0.18 whose interval's upper end is far
    # below 0.5: under-represented.
    black = FindingFactory(dimension="ethnicity_6", group="Black", group_label="Black people",
                           denominator=1000.0)  # fmt: skip
    FindingFactory(
        run=black.run, dimension="ethnicity_6", group="White", group_label="White people",
        denominator=1000.0,
    )  # fmt: skip
    session = CoCreationSessionFactory(project=ProjectFactory(finding=black))
    client = client_as("viewer")
    assert "Enter who came by a demographic band" in client.get(session.get_absolute_url()).text
    session_actions.record_attendance(
        user=session.project.owner,
        session=session,
        dimension="ethnicity_6",
        counts={"Black": 10, "White": 100},
    )
    page = client.get(session.get_absolute_url()).text
    assert (
        "Came clearly less than half as often as their share of those affected: Black people"
        in page
    )
    assert "0.18 (" in page and "under-represented" in page
    assert "Did not say: 0." in page
    # Three more who preferred not to say: too few to show, and a group hidden with them.
    session_actions.record_attendance(
        user=session.project.owner,
        session=session,
        dimension="ethnicity_6",
        counts={"Black": 8, "White": 100, "": 3},
    )
    page = client.get(session.get_absolute_url()).text
    assert "Did not say: hidden (small number)." in page and "0.18 (" not in page


@pytest.mark.django_db
def test_who_came_needs_the_projects_finding(client_as):
    session = CoCreationSessionFactory()
    page = client_as("viewer").get(session.get_absolute_url()).text
    assert "The project did not start from a finding" in page
