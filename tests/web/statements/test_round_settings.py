"""Staff change a round's closing time, and its groups until a voter has answered with them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory

from focuson.web.statements import actions
from focuson.web.statements.models import StatementRound


def _when(hours):
    return (timezone.localtime() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_closing_time_and_groups_change_before_anyone_answers(client_as):
    found = StatementRoundFactory()
    VoterFactory(round=found)  # votes, but no group given: the groups are still free
    client = client_as("programme_lead")
    url = reverse("statements:edit_round", args=[found.pk])
    assert "Change the closing time or the groups" in client.get(found.get_absolute_url()).text
    response = client.post(
        url,
        {
            "closes_at": _when(48),
            "group_question": "Which age band are you in?",
            "group_options": "Under 40\n40 to 64\n65 and over\n",
        },
    )
    assert response["Location"] == found.get_absolute_url()
    found.refresh_from_db()
    assert found.closes_at > timezone.now() + dt.timedelta(hours=47)
    assert found.groups == ["Under 40", "40 to 64", "65 and over"]
    assert found.group_question == "Which age band are you in?"
    assert "It stops taking votes at" in client.get(found.get_absolute_url()).text


@pytest.mark.django_db
def test_groups_lock_once_a_voter_answered_saying_why_and_the_time_still_changes(client_as):
    found = StatementRoundFactory()
    VoterFactory(round=found, group="White")
    client = client_as("programme_lead")
    url = reverse("statements:edit_round", args=[found.pk])
    page = client.get(url)
    assert "The groups are locked: 1 voter has answered the question already" in page.text
    response = client.post(
        url, {"closes_at": _when(5), "group_question": "Changed?", "group_options": "A\nB"}
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.closes_at is not None and "White" in found.groups
    assert found.group_question != "Changed?"
    with pytest.raises(actions.StatementsError, match="The groups cannot change now"):
        actions.change_round(
            user=found.project.owner,
            round=found,
            closes_at=None,
            group_question="Changed?",
            group_options="A",
        )


@pytest.mark.django_db
def test_bad_input_is_refused_and_nothing_saved(client_as):
    found = StatementRoundFactory()
    client = client_as("programme_lead")
    url = reverse("statements:edit_round", args=[found.pk])
    response = client.post(
        url, {"closes_at": _when(-2), "group_question": "", "group_options": "A\na"}
    )
    assert response.status_code == 200 and "There is a problem" in response.text
    errors = response.context["form"].errors
    assert errors["closes_at"] == [
        "Enter a time in the future, or close the round now from its page."
    ]
    assert errors["group_question"] == ["Write the question about the voter's group."]
    assert errors["group_options"] == ["A group appears twice: keep one of them."]
    bad_time = client.post(url, {"closes_at": "soon", "group_question": "Q"})
    assert "Enter the closing time as a date and a time." in bad_time.text
    unchanged = StatementRound.objects.get(pk=found.pk)
    assert unchanged.closes_at is None and unchanged.group_options == found.group_options


@pytest.mark.django_db
def test_a_round_past_its_closing_time_turns_residents_away(client):
    found = StatementRoundFactory()
    actions.change_round(
        user=found.project.owner, round=found, closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client.get(reverse("statements:join", args=[found.code]))
    assert "closed" in page.text.lower()
