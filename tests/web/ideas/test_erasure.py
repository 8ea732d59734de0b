"""A resident removes what they gave, from their own session page: their comments, ballots,
statement votes and suggestions, and their ideas (withdrawn when theirs alone, kept without them
when shared or decided on); nothing of it is left, history included; others' work stays."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory

from focuson.web.core import join_codes
from focuson.web.ideas import actions
from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    BallotSupport,
    Idea,
    IdeaComment,
    IdeaContributor,
)
from focuson.web.statements.models import Statement, Vote, Voter


def _joined(session):
    client = Client()
    client.post(reverse("join:join"), {"code": session.code})
    return client


def _idea(client, session, title):
    response = client.post(
        reverse("ideas:resident_idea", args=[session.pk]),
        {"title": title, "summary": f"{title}, said plainly.", "name": "Amina"},
    )
    assert response.status_code == 302
    return Idea.objects.get(title=title)


def _scores(found):
    data = {"declared_group": "White"}
    for idea in found.ideas.all():
        for c in found.criteria.all():
            data[f"score_{idea.pk}_{c.pk}"] = "4"
        data[f"support_{idea.pk}"] = "1"
    return data


def _history_ids(model, ids):
    return set(model.history.filter(id__in=ids).values_list("id", flat=True))


@pytest.fixture
def gave():
    """A session with an open round and a statement round; a resident who gave one of
    everything; someone else who gave the same kinds of things."""
    session = CoCreationSessionFactory()
    found = PrioritisationRoundFactory(project=session.project)
    statements = StatementRoundFactory(project=session.project)
    other = VoterFactory(round=statements)
    staff_comment = IdeaComment.objects.create(
        idea=found.ideas.first(), text="Staff view", stance=0, author=session.project.owner
    )
    client = _joined(session)
    alone = _idea(client, session, "Only mine")
    shared = _idea(client, session, "Made together")
    IdeaContributor.objects.create(idea=shared, name="Brent Carers", role="vcse")
    shared.builds_on.add(alone)  # written to the shared idea's history too
    client.post(
        reverse("ideas:resident_comment", args=[session.pk, found.ideas.first().pk]),
        {"stance": "-1", "text": "Too far for me."},
    )
    # Scoring twice: the first ballot is replaced, and leaves no history behind either.
    for _ in range(2):
        assert client.post(reverse("ideas:resident_score", args=[session.pk]), _scores(found))
    client.post(reverse("ideas:resident_statements", args=[session.pk, statements.pk]))
    first = statements.statements.first()
    client.post(
        reverse("statements:vote", args=[statements.code]), {"statement": first.pk, "vote": "-1"}
    )
    client.post(
        reverse("statements:suggest", args=[statements.code]),
        {"text": "The bus to the clinic should run later."},
    )
    suggestion = Statement.objects.get(text__startswith="The bus")
    Vote.objects.create(voter=other, statement=suggestion, value=1)
    return {
        "session": session,
        "round": found,
        "statements": statements,
        "client": client,
        "alone": alone,
        "shared": shared,
        "other": other,
        "staff_comment": staff_comment,
        "suggestion": suggestion,
    }


@pytest.mark.django_db
def test_the_page_says_what_would_go_and_what_happens_to_ideas(gave):
    client, session = gave["client"], gave["session"]
    page = client.get(reverse("ideas:resident_remove", args=[session.pk]))
    assert page.status_code == 200
    for said in (
        "1 comment",
        "1 set of scores",
        "2 ideas you added",
        "1 vote on statements",
        "1 statement you suggested",
        "An idea only you made is withdrawn",
        "stays, without you as one of its authors",
    ):
        assert said in page.text, said
    assert "Remove what I gave" in client.get(session.get_resident_url()).text
    # Looking changes nothing.
    assert IdeaComment.objects.filter(session=session).exists()


@pytest.mark.django_db
def test_removing_leaves_nothing_of_theirs_not_even_history(gave):
    client, session = gave["client"], gave["session"]
    mine = {
        IdeaComment: list(IdeaComment.objects.filter(session=session).values_list("pk", flat=True)),
        Ballot: list(Ballot.objects.values_list("pk", flat=True)),
        IdeaContributor: list(
            IdeaContributor.objects.exclude(participant="").values_list("pk", flat=True)
        ),
        Voter: list(Voter.objects.exclude(pk=gave["other"].pk).values_list("pk", flat=True)),
        Statement: [gave["suggestion"].pk],
        Idea: [gave["alone"].pk],
    }
    my_votes = list(Vote.objects.exclude(voter=gave["other"]).values_list("pk", flat=True))
    scores = list(BallotScore.objects.values_list("pk", flat=True))
    # Ballots replaced earlier have history rows only: they must be gone too.
    assert Ballot.history.values("id").distinct().count() == 1
    links = apps.get_model("ideas", "HistoricalIdea_builds_on").objects
    assert links.filter(to_idea_id=gave["alone"].pk).exists()
    response = client.post(reverse("ideas:resident_remove", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("join:join")
    for model, ids in mine.items():
        assert ids, model
        assert not model._default_manager.filter(pk__in=ids).exists(), model
        assert _history_ids(model, ids) == set(), model
    assert not Vote.objects.filter(pk__in=my_votes).exists()
    assert _history_ids(Vote, my_votes) == set()
    assert not BallotScore.objects.exists() and _history_ids(BallotScore, scores) == set()
    assert not BallotSupport.objects.exists() and not BallotSupport.history.exists()
    assert not Ballot.history.exists()
    assert not links.filter(to_idea_id=gave["alone"].pk).exists()
    # The idea made with others stays, without them; everything of others stays.
    shared = Idea.objects.get(pk=gave["shared"].pk)
    assert [c.name for c in shared.contributors.all()] == ["Brent Carers"]
    assert IdeaComment.objects.filter(pk=gave["staff_comment"].pk).exists()
    assert Voter.objects.filter(pk=gave["other"].pk).exists()
    assert gave["other"].votes.count() == 3  # the vote on the removed suggestion went with it
    assert gave["round"].ideas.count() == 3
    # Only the fact of a removal is recorded, with no user.
    latest = session.history.first()
    assert latest.history_change_reason == "A resident's contributions were removed on request"
    assert latest.history_user is None
    # The browser has left the session and the round.
    assert client.get(session.get_resident_url())["Location"] == reverse("join:join")
    assert client.session.get(join_codes._SESSION_KEY) == {}


@pytest.mark.django_db
def test_an_idea_already_decided_on_stays_without_its_resident_author():
    session = CoCreationSessionFactory()
    client = _joined(session)
    mine = _idea(client, session, "Decided idea")
    found = PrioritisationRoundFactory(
        project=session.project, ideas=[mine, IdeaFactory(project=session.project)]
    )
    other = found.ideas.exclude(pk=mine.pk).get()
    actions.decide_round(
        user=session.project.owner,
        round=found,
        selected=[mine],
        parked={other: "Too costly"},
        rationale="Residents backed it.",
    )
    author = mine.contributors.get()
    client.post(reverse("ideas:resident_remove", args=[session.pk]))
    assert Idea.objects.filter(pk=mine.pk, status="selected").exists()
    assert not IdeaContributor.objects.filter(pk=author.pk).exists()
    assert not IdeaContributor.history.filter(id=author.pk).exists()


@pytest.mark.django_db
def test_nothing_given_says_so_and_another_session_is_untouched():
    session, elsewhere = CoCreationSessionFactory(), CoCreationSessionFactory()
    theirs = _joined(elsewhere)
    _idea(theirs, elsewhere, "Someone else's")
    client = _joined(session)
    page = client.get(reverse("ideas:resident_remove", args=[session.pk]))
    assert "there is nothing to remove" in page.text
    client.post(reverse("ideas:resident_remove", args=[session.pk]))
    assert Idea.objects.filter(title="Someone else's").exists()
    # Not joined: sent to the join page, nothing removed.
    stranger = Client().post(reverse("ideas:resident_remove", args=[elsewhere.pk]))
    assert stranger["Location"] == reverse("join:join")
    assert Idea.objects.filter(title="Someone else's").exists()
