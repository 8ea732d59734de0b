"""Staff pages of statement rounds: a round made and refused, statements added and moderated,
open and closed, paper forms entered (and refused), outsiders kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory

from focuson.web.statements.models import Channel, Moderation, Statement, StatementRound, Voter


def _member(client_as, project):
    client = client_as("facilitator")
    ProjectMembershipFactory(project=project, user=client.user)
    return client


@pytest.mark.django_db
def test_a_member_starts_a_round_with_statements_and_gets_its_code(client_as):
    project = ProjectFactory()
    client = _member(client_as, project)
    response = client.post(
        reverse("statements:add_round", args=[project.pk]),
        {
            "title": "Blood pressure checks",
            "question": "What would make it easier to get your blood pressure checked?",
            "statements": "Evening clinics would help me.\n\nI trust my pharmacist.\n",
            "group_question": "Which best describes you?",
            "group_options": "Resident\nCarer\n",
        },
    )
    found = StatementRound.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == found.get_absolute_url()
    assert [s.text for s in found.statements.all()] == [
        "Evening clinics would help me.",
        "I trust my pharmacist.",
    ]
    assert found.groups == ["Resident", "Carer"] and found.accepting()
    assert found.history.first().history_user == client.user
    page = client.get(found.get_absolute_url())
    assert found.code in page.text
    assert reverse("statements:join", args=[found.code]) in page.text
    assert found.get_resident_url() == f"/statements/join/{found.code}/"
    # The project's page of rounds lists it.
    listing = client.get(reverse("statements:project", args=[project.pk]))
    assert "Blood pressure checks" in listing.text


@pytest.mark.django_db
def test_a_round_with_bad_input_is_refused_and_nothing_is_saved(client_as):
    project = ProjectFactory()
    client = client_as("programme_lead")
    response = client.post(
        reverse("statements:add_round", args=[project.pk]),
        {"title": "", "question": "", "statements": "x" * 281, "group_question": "Q"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Give the round a title."]
    assert errors["question"] == ["Write the question the statements answer."]
    assert errors["statements"] == [
        "Statement 1 is longer than 280 characters: shorten it or split it."
    ]
    assert "There is a problem" in response.text
    twice = client.post(
        reverse("statements:add_round", args=[project.pk]),
        {"title": "T", "question": "Q", "statements": "Same\nsame", "group_question": "Q"},
    )
    assert twice.context["form"].errors["statements"] == [
        "A statement appears twice: keep one of them."
    ]
    assert not StatementRound.objects.exists()


@pytest.mark.django_db
def test_statements_are_added_moderated_and_refused_when_repeated(client_as):
    found = StatementRoundFactory()
    client = client_as(found.project.owner)
    url = reverse("statements:add_statement", args=[found.pk])
    assert client.post(url, {"text": "Buses to the clinic are too rare."}).status_code == 302
    added = Statement.objects.get(text="Buses to the clinic are too rare.")
    assert added.status == Moderation.ACCEPTED and added.author == "staff"
    again = client.post(url, {"text": "buses to the clinic are too rare."})
    assert again.context["form"].errors["text"] == ["That statement is in the round already."]
    empty = client.post(url, {"text": ""})
    assert empty.context["form"].errors["text"] == ["Write the statement."]
    long = client.post(url, {"text": "y" * 300})
    assert long.context["form"].errors["text"] == [
        "Keep it to 280 characters or fewer (it has 300)."
    ]
    moderate = reverse("statements:moderate", args=[added.pk])
    client.post(moderate, {"status": "rejected"})
    added.refresh_from_db()
    assert added.status == Moderation.REJECTED
    assert client.get(moderate).status_code == 405
    client.post(moderate, {"status": "nonsense"})
    added.refresh_from_db()
    assert added.status == Moderation.REJECTED


@pytest.mark.django_db
def test_closing_a_round_stops_residents_and_opening_it_again_lets_them_back(client_as, client):
    found = StatementRoundFactory()
    lead = client_as(found.project.owner)
    lead.post(reverse("statements:joining", args=[found.pk]), {"open": "0"})
    found.refresh_from_db()
    assert not found.accepting()
    closed = client.get(reverse("statements:join", args=[found.code]))
    assert "This round is closed" in closed.text
    lead.post(reverse("statements:joining", args=[found.pk]), {"open": "1"})
    found.refresh_from_db()
    assert found.accepting()
    assert "Start voting" in client.get(reverse("statements:join", args=[found.code])).text


@pytest.mark.django_db
def test_a_paper_form_is_entered_as_a_voter_and_refused_when_empty_or_entered_twice(client_as):
    found = StatementRoundFactory()
    client = _member(client_as, found.project)
    url = reverse("statements:paper", args=[found.pk])
    first, second, third = found.statements.all()
    response = client.post(
        url,
        {
            "label": "Paper 1",
            "group": "White",
            f"vote_{first.pk}": "1",
            f"vote_{second.pk}": "-1",
            f"vote_{third.pk}": "",
        },
    )
    assert response.status_code == 302
    voter = Voter.objects.get(round=found, label="Paper 1")
    assert voter.channel == Channel.PAPER and voter.declared_group == "White"
    assert voter.entered_by == client.user
    assert dict(voter.votes.values_list("statement_id", "value")) == {first.pk: 1, second.pk: -1}
    again = client.post(url, {"label": "paper 1", f"vote_{first.pk}": "0"})
    assert "is entered already" in again.context["form"].errors["label"][0]
    empty = client.post(url, {"label": "Paper 2"})
    assert empty.context["form"].errors[f"vote_{first.pk}"] == [
        "Enter at least one vote from the paper form."
    ]
    bad = client.post(url, {"label": "Paper 3", f"vote_{first.pk}": "7", "group": "Martian"})
    assert set(bad.context["form"].errors) == {f"vote_{first.pk}", "group"}
    assert "There is a problem" in bad.text
    assert Voter.objects.filter(round=found).count() == 1


@pytest.mark.django_db
def test_outsiders_are_kept_out_of_staff_pages(client_as, client):
    found = StatementRoundFactory()
    VoterFactory(round=found)
    outsider = client_as("facilitator")
    viewer = client_as("viewer")
    for name in ("round", "results", "paper", "add_statement", "results_csv"):
        url = reverse(f"statements:{name}", args=[found.pk])
        assert outsider.get(url).status_code == 404, name
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # A viewer reads the round and its results but cannot enter paper forms or moderate.
    assert viewer.get(reverse("statements:results", args=[found.pk])).status_code == 200
    assert viewer.get(reverse("statements:paper", args=[found.pk])).status_code == 404
    first = found.statements.first()
    assert viewer.post(reverse("statements:moderate", args=[first.pk])).status_code == 404


@pytest.mark.django_db
def test_the_project_page_links_to_its_statement_rounds_and_the_api_lists_them(
    client_as, api_token
):
    found = StatementRoundFactory()
    VoterFactory(round=found)
    client = client_as(found.project.owner)
    page = client.get(found.project.get_absolute_url())
    assert reverse("statements:project", args=[found.project.pk]) in page.text
    assert reverse("statements:results", args=[found.pk]) in page.text
    token = api_token(found.project.owner)
    response = client.get(
        f"/api/statements/projects/{found.project.pk}",
        headers={"authorization": f"Bearer {token.plain}"},
    )
    assert response.status_code == 200
    (listed,) = response.json()["rounds"]
    assert listed["id"] == found.pk and listed["statements"] == 3 and listed["voters"] == 1
    assert listed["open_for_joining"] is True
    outsider = api_token("facilitator")
    refused = Client().get(
        f"/api/statements/projects/{found.project.pk}",
        headers={"authorization": f"Bearer {outsider.plain}"},
    )
    assert refused.status_code == 404


@pytest.mark.django_db
def test_results_of_a_small_round_say_why_nothing_is_shown_by_group(client_as):
    found = StatementRoundFactory()
    VoterFactory(round=found, group="White")
    VoterFactory(round=found, value=-1)
    client = client_as(found.project.owner)
    url = reverse("statements:results", args=[found.pk])
    page = client.get(url)
    assert "2 people voted" in page.text
    assert "Not enough votes yet to find opinion groups" in page.text
    assert "No declared group has enough voters to be shown yet" in page.text
    # The exports then carry no row at all (nothing is disclosed).
    assert client.get(reverse("statements:results_json", args=[found.pk])).json() == {"rows": []}
    empty = StatementRoundFactory()
    assert (
        "Nobody has voted yet."
        in client_as(empty.project.owner).get(reverse("statements:results", args=[empty.pk])).text
    )
