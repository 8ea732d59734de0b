"""A session's code lets a resident vote in its project's open statement rounds, from the
session's page, without a second code; nothing else opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.statements_round import StatementRoundFactory

from focuson.web.statements import actions as statement_actions
from focuson.web.statements.models import Vote, Voter


def _joined(session):
    client = Client()
    assert client.post(reverse("join:join"), {"code": session.code})["Location"] == (
        session.get_resident_url()
    )
    return client


def _bridge(session, round_):
    return reverse("ideas:resident_statements", args=[session.pk, round_.pk])


@pytest.mark.django_db
def test_the_session_page_lists_the_projects_open_rounds_and_says_what_the_code_gives():
    session = CoCreationSessionFactory()
    open_round = StatementRoundFactory(project=session.project, title="Checks near home")
    closed = StatementRoundFactory(project=session.project, title="A closed round")
    statement_actions.set_joining(user=session.project.owner, round=closed, open=False)
    past = StatementRoundFactory(project=session.project, title="A round past its time")
    past.closes_at = timezone.now() - dt.timedelta(hours=1)
    past.save()
    StatementRoundFactory(title="Another project's round")
    page = _joined(session).get(session.get_resident_url())
    assert "Checks near home" in page.text and open_round.question in page.text
    assert "Vote on these statements" in page.text
    assert "It opens nothing else" in page.text
    for hidden in ("A closed round", "A round past its time", "Another project&#x27;s round"):
        assert hidden not in page.text


@pytest.mark.django_db
def test_a_joined_resident_votes_in_the_round_without_its_code_and_is_linked_back():
    session = CoCreationSessionFactory()
    round_ = StatementRoundFactory(project=session.project)
    client = _joined(session)
    response = client.post(_bridge(session, round_))
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:vote", args=[round_.code])
    vote_page = client.get(response["Location"])
    assert vote_page.status_code == 200 and "Statement 1 of 3" in vote_page.text
    assert f'href="{session.get_resident_url()}"' in vote_page.text
    first = round_.statements.first()
    client.post(response["Location"], {"statement": first.pk, "vote": "1"})
    assert Vote.objects.get(statement=first).value == 1
    again = client.get(session.get_resident_url())
    assert "You have voted on 1 of 3 statements." in again.text
    assert "Carry on voting" in again.text


@pytest.mark.django_db
def test_the_session_code_opens_no_other_projects_round_nor_a_closed_one():
    session = CoCreationSessionFactory()
    other = StatementRoundFactory()
    closed = StatementRoundFactory(project=session.project)
    statement_actions.set_joining(user=session.project.owner, round=closed, open=False)
    client = _joined(session)
    assert client.post(_bridge(session, other)).status_code == 404
    assert client.post(_bridge(session, closed)).status_code == 404
    # Not joined to the other round: its voting page sends to its own join page.
    page = client.get(reverse("statements:vote", args=[other.code]))
    assert page["Location"] == reverse("statements:join", args=[other.code])
    assert not Voter.objects.exists()


@pytest.mark.django_db
def test_without_the_session_the_link_joins_nothing():
    session = CoCreationSessionFactory()
    round_ = StatementRoundFactory(project=session.project)
    client = Client()
    response = client.post(_bridge(session, round_))
    assert response["Location"] == reverse("join:join")
    page = client.get(reverse("statements:vote", args=[round_.code]))
    assert page["Location"] == reverse("statements:join", args=[round_.code])
    # A GET changes nothing either: it goes back to the session's page.
    joined = _joined(session)
    assert joined.get(_bridge(session, round_))["Location"] == session.get_resident_url()
    assert joined.get(reverse("statements:vote", args=[round_.code])).status_code == 302


@pytest.mark.django_db
def test_a_closed_session_opens_no_round():
    session = CoCreationSessionFactory()
    round_ = StatementRoundFactory(project=session.project)
    client = _joined(session)
    session.open_for_joining = False
    session.save()
    assert client.post(_bridge(session, round_)).status_code == 404
