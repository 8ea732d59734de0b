"""A resident leaves a round on this device (votes kept), or removes what they gave and leaves:
their votes, group and suggestions go, history included."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory

from focuson.web.statements.models import Statement, Vote, Voter


def _voted(client, found):
    client.post(reverse("statements:join", args=[found.code]), {"group": "White"})
    for statement in found.statements.all():
        client.post(
            reverse("statements:vote", args=[found.code]), {"statement": statement.pk, "vote": "1"}
        )
    client.post(reverse("statements:suggest", args=[found.code]), {"text": "Open on Sundays."})
    return Voter.objects.get(round=found, declared_group="White")


@pytest.mark.django_db
def test_the_voting_page_links_to_leave_and_the_page_offers_both(client):
    found = StatementRoundFactory()
    _voted(client, found)
    vote_page = client.get(reverse("statements:vote", args=[found.code]))
    assert reverse("statements:leave", args=[found.code]) in vote_page.text
    page = client.get(reverse("statements:leave", args=[found.code]))
    assert page.status_code == 200
    assert "Leave, keeping my votes" in page.text and "Remove my votes and leave" in page.text
    assert "your 3 votes" in page.text and "the 1 statement you suggested" in page.text


@pytest.mark.django_db
def test_leaving_keeps_the_votes_and_forgets_the_round_on_this_device(client):
    found = StatementRoundFactory()
    voter = _voted(client, found)
    response = client.post(reverse("statements:leave", args=[found.code]))
    assert response["Location"] == reverse("statements:enter_code")
    assert voter.votes.count() == 3
    again = client.get(reverse("statements:vote", args=[found.code]))
    assert again["Location"] == reverse("statements:join", args=[found.code])


@pytest.mark.django_db
def test_removing_takes_votes_group_and_suggestions_with_their_history(client):
    found = StatementRoundFactory()
    others = VoterFactory(round=found)
    voter = _voted(client, found)
    votes = list(voter.votes.values_list("pk", flat=True))
    suggestion = Statement.objects.get(text="Open on Sundays.")
    response = client.post(reverse("statements:leave", args=[found.code]), {"remove": "1"})
    assert response["Location"] == reverse("statements:enter_code")
    assert not Voter.objects.filter(pk=voter.pk).exists()
    assert not Voter.history.filter(id=voter.pk).exists()
    assert not Vote.objects.filter(pk__in=votes).exists()
    assert not Vote.history.filter(id__in=votes).exists()
    assert not Statement.history.filter(id=suggestion.pk).exists()
    assert others.votes.count() == 3
    assert found.history.first().history_change_reason.startswith("A resident's votes")


@pytest.mark.django_db
def test_leave_without_having_joined_goes_to_the_join_page(client):
    found = StatementRoundFactory()
    response = client.post(reverse("statements:leave", args=[found.code]), {"remove": "1"})
    assert response["Location"] == reverse("statements:join", args=[found.code])
