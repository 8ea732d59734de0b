"""Residents without an account: a code opens its own session only, while it is open; ideas,
comments and scores given there are limited to its project; one ballot per person; bad input
refused with messages; the anonymous id shown nowhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.statements_round import StatementRoundFactory

from focuson.web.core import join_codes
from focuson.web.ideas import results, session_actions
from focuson.web.ideas.models import Ballot, BallotScore, Idea, IdeaComment, IdeaContributor


def _joined(session, client=None):
    client = client or Client()
    response = client.post(reverse("join:join"), {"code": session.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == session.get_resident_url()
    return client


def _token(client, session):
    return client.session[join_codes._SESSION_KEY][join_codes._key(session)]


def _scores(found, score=4, support="1"):
    data = {}
    for idea in found.ideas.all():
        for c in found.criteria.all():
            data[f"score_{idea.pk}_{c.pk}"] = str(score)
        data[f"support_{idea.pk}"] = support
    return data


@pytest.mark.django_db
def test_join_with_a_code_typed_any_way_or_followed_as_a_link():
    session = CoCreationSessionFactory()
    client = _joined(session)
    page = client.get(session.get_resident_url())
    assert page.status_code == 200
    assert session.title in page.text and "Add your idea" in page.text
    spaced = f"{session.code[:4].lower()} {session.code[4:]}"
    link = Client().get(reverse("join:code", args=[spaced]))
    assert link.status_code == 302 and link["Location"] == session.get_resident_url()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code you were given."),
        ("ABC", "A code has 8 letters and numbers. Check it and enter it again."),
        ("ZZZZ-ZZZZ", "No session has this code. Check it against your flyer"),
    ],
)
def test_join_refuses_a_missing_short_or_unknown_code_saying_what_to_do(client, typed, message):
    CoCreationSessionFactory()
    response = client.post(reverse("join:join"), {"code": typed})
    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    assert join_codes._SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_closed_session_says_so_and_joins_nobody(client):
    session = CoCreationSessionFactory(open_for_joining=False)
    response = client.post(reverse("join:join"), {"code": session.code})
    assert response.status_code == 200
    assert "This session is closed" in response.text
    assert "ask the person who gave you the code" in response.text
    assert join_codes.participant(_request_of(client), session) is None


def _request_of(client):
    class Request:
        session = client.session

    return Request()


@pytest.mark.django_db
def test_a_statement_rounds_code_goes_to_that_round(client):
    statement_round = StatementRoundFactory()
    response = client.post(reverse("join:join"), {"code": statement_round.code})
    assert response.status_code == 302
    assert response["Location"] == statement_round.get_resident_url()


@pytest.mark.django_db
def test_a_code_for_one_session_opens_nothing_of_another_nor_any_staff_page():
    mine, other = CoCreationSessionFactory(), CoCreationSessionFactory()
    their_idea = IdeaFactory(project=other.project)
    PrioritisationRoundFactory(project=other.project)
    client = _joined(mine)
    join_page = reverse("join:join")
    for url in (
        other.get_resident_url(),
        reverse("ideas:resident_idea", args=[other.pk]),
        reverse("ideas:resident_score", args=[other.pk]),
        reverse("ideas:resident_comment", args=[other.pk, their_idea.pk]),
    ):
        assert client.get(url)["Location"] == join_page, url
        assert (
            client.post(url, {"title": "x", "summary": "y", "text": "z", "stance": "1"})["Location"]
            == join_page
        ), url
    # Through my own session, the other project's idea does not exist.
    url = reverse("ideas:resident_comment", args=[mine.pk, their_idea.pk])
    assert client.post(url, {"text": "Sneaky", "stance": "1"}).status_code == 404
    # Staff pages want an account, whatever code the browser holds.
    for url in (
        reverse("ideas:ideas", args=[mine.project.pk]),
        mine.get_absolute_url(),
        reverse("ideas:idea", args=[their_idea.pk]),
        reverse("ideas:session_attendance", args=[mine.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert not Idea.objects.filter(session=other).exists()
    assert not IdeaComment.objects.exists() and not Ballot.objects.exists()


@pytest.mark.django_db
def test_resident_adds_an_idea_as_its_resident_co_author():
    session = CoCreationSessionFactory()
    client = _joined(session)
    response = client.post(
        reverse("ideas:resident_idea", args=[session.pk]),
        {
            "title": "Evening screening at the health centre",
            "summary": "Open the screening clinic on Thursday evenings for people who work.",
            "groups": "Women who work shifts",
            "how_it_works": "",
            "name": "Amina",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Evening screening at the health centre")
    assert idea.session == session and idea.project == session.project
    assert idea.created_by is None and idea.status == "submitted"
    assert [(c.name, c.role, c.session) for c in idea.contributors.all()] == [
        ("Amina", "resident", session)
    ]
    assert "Evening screening at the health centre" in client.get(response["Location"]).text


@pytest.mark.django_db
def test_resident_idea_refuses_bad_input_and_saves_nothing():
    session = CoCreationSessionFactory()
    client = _joined(session)
    response = client.post(reverse("ideas:resident_idea", args=[session.pk]), {"title": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Give your idea a few words as a title." in response.text
    assert "Say what your idea is." in response.text
    long = client.post(
        reverse("ideas:resident_idea", args=[session.pk]), {"title": "Long", "summary": "x" * 2001}
    )
    assert "Keep it under 2,000 characters: say the main points." in long.text
    assert not Idea.objects.exists() and not IdeaContributor.objects.exists()


@pytest.mark.django_db
def test_resident_comments_for_and_against_the_projects_ideas():
    session = CoCreationSessionFactory()
    idea = IdeaFactory(project=session.project)
    client = _joined(session)
    url = reverse("ideas:resident_comment", args=[session.pk, idea.pk])
    assert client.post(url, {"stance": "1", "text": "Yes, I would go."}).status_code == 302
    assert client.post(url, {"stance": "-1", "text": "Too far away."}).status_code == 302
    bad = client.post(url, {"stance": "7", "text": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.text
    assert "Write your comment." in bad.text
    assert [(c.stance, c.author, c.session) for c in idea.comments.all()] == [
        (1, None, session),
        (-1, None, session),
    ]
    page = client.get(session.get_resident_url())
    assert "Too far away." in page.text


@pytest.mark.django_db
def test_resident_scores_and_a_second_ballot_replaces_the_first():
    session = CoCreationSessionFactory()
    found = PrioritisationRoundFactory(project=session.project)
    client = _joined(session)
    url = reverse("ideas:resident_score", args=[session.pk])
    first = client.post(url, _scores(found, 2) | {"declared_group": "Black, Black British, "
                                                   "Caribbean or African"})  # fmt: skip
    assert first.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.role, ballot.channel, ballot.entered_by, ballot.session) == (
        "resident",
        "online",
        None,
        session,
    )
    assert ballot.declared_group == "Black, Black British, Caribbean or African"
    # The earlier scores are filled in; saving again replaces them.
    again = client.get(url)
    assert "your earlier scores are filled in" in again.text
    # The criteria are asked in plain words.
    assert "Could we tell whether it worked?" in again.text and "Do you support it?" in again.text
    assert "Whether the Study step can measure it" not in again.text
    assert client.post(url, _scores(found, 5) | {"declared_group": ""}).status_code == 302
    assert Ballot.objects.count() == 1
    assert set(BallotScore.objects.values_list("score", flat=True)) == {5}
    assert Ballot.objects.get().declared_group == ""
    # Another person (another browser) is another ballot.
    _joined(session).post(url, _scores(found, 3))
    assert Ballot.objects.count() == 2


@pytest.mark.django_db
def test_resident_ballot_refuses_bad_input_and_saves_nothing():
    session = CoCreationSessionFactory()
    found = PrioritisationRoundFactory(project=session.project)
    client = _joined(session)
    url = reverse("ideas:resident_score", args=[session.pk])
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "Score at least one idea on at least one criterion." in empty.text
    data = _scores(found) | {"declared_group": "Martians"}
    data[next(k for k in data if k.startswith("score_"))] = "9"
    bad = client.post(url, data)
    assert bad.status_code == 200 and "There is a problem" in bad.text
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_a_session_closed_after_joining_takes_nothing_more():
    session = CoCreationSessionFactory()
    idea = IdeaFactory(project=session.project)
    found = PrioritisationRoundFactory(project=session.project)
    client = _joined(session)
    session_actions.set_joining(user=session.project.owner, session=session, open=False)
    posts = {
        reverse("ideas:resident_idea", args=[session.pk]): {"title": "x", "summary": "y"},
        reverse("ideas:resident_comment", args=[session.pk, idea.pk]): {
            "stance": "1",
            "text": "Good",
        },
        reverse("ideas:resident_score", args=[session.pk]): _scores(found),
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 200 and "This session is closed" in response.text, url
    page = client.get(session.get_resident_url())
    assert page.status_code == 200 and "This session is closed" in page.text
    assert "Add your idea" not in page.text
    assert Idea.objects.count() == 4 and not IdeaComment.objects.exists()
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_anonymous_id_reaches_no_page_nor_any_export():
    session = CoCreationSessionFactory()
    idea = IdeaFactory(project=session.project)
    found = PrioritisationRoundFactory(project=session.project)
    client = _joined(session)
    client.post(reverse("ideas:resident_score", args=[session.pk]), _scores(found))
    client.post(
        reverse("ideas:resident_comment", args=[session.pk, idea.pk]),
        {"stance": "0", "text": "Not sure"},
    )
    token = _token(client, session)
    hashed = Ballot.objects.get().participant
    assert hashed and token not in hashed
    resident_pages = [
        session.get_resident_url(),
        reverse("ideas:resident_score", args=[session.pk]),
        reverse("ideas:resident_comment", args=[session.pk, idea.pk]),
    ]
    lead = Client()
    lead.force_login(session.project.owner)
    staff_pages = [
        session.get_absolute_url(),
        idea.get_absolute_url(),
        found.get_absolute_url(),
        reverse("ideas:results_json", args=[found.pk]),
        reverse("ideas:ideas_csv", args=[session.project.pk]),
        f"/api/ideas/projects/{session.project.pk}",
    ]
    for who, urls in ((client, resident_pages), (lead, staff_pages)):
        for url in urls:
            text = who.get(url).content.decode()
            assert token not in text and hashed not in text, url


@pytest.mark.django_db
def test_leaving_forgets_the_session_on_this_device():
    session = CoCreationSessionFactory()
    client = _joined(session)
    response = client.post(reverse("ideas:resident_leave", args=[session.pk]))
    assert response["Location"] == reverse("join:join")
    assert client.get(session.get_resident_url())["Location"] == reverse("join:join")


@pytest.mark.django_db
def test_residents_online_ballots_and_paper_ballots_count_the_same(client_as):
    """Twelve residents scoring on their phones, and the same twelve answers on paper entered
    by a facilitator, give the same results by every breakdown (the channel apart)."""
    groups = ["Asian or Asian British", "White", ""]
    tables = {}
    for channel in ("online", "paper"):
        session = CoCreationSessionFactory()
        found = PrioritisationRoundFactory(project=session.project)
        staff = client_as("programme_lead")
        for n in range(12):
            answers = _scores(found, score=1 + n % 5, support=str(1 - n % 3))
            answers["declared_group"] = groups[n % 3]
            if channel == "online":
                url = reverse("ideas:resident_score", args=[session.pk])
                assert _joined(session).post(url, answers).status_code == 302
            else:
                answers |= {"role": "resident", "channel": "paper"}
                url = reverse("ideas:ballot", args=[found.pk])
                assert staff.post(url, answers).status_code == 302
        assert set(Ballot.objects.filter(round=found).values_list("channel", flat=True)) == {
            channel
        }
        shown = results.results(found)
        tables[channel] = [
            (
                b.dimension,
                b.groups,
                [[(c.score, c.p_support) for c in cells if c] for _, cells, *_ in b.lines],
            )
            for b in shown["breakdowns"]
        ]
    assert tables["online"] == tables["paper"]
    assert tables["online"][0][2][0][0][0] is not None  # everyone's score is shown
