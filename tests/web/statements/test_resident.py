"""Residents with a code: they join, vote one statement at a time, change a vote, suggest a
statement and declare a group (or not); a code opens its own round and nothing else; a paper
voter and an online voter count the same."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from numpy.testing import assert_allclose
from tests.web.factories.statements_round import StatementRoundFactory
from tests.web.factories.statements_voter import VoterFactory

from focuson.web.statements import actions, resident
from focuson.web.statements.models import Channel, Moderation, Statement, Vote, Voter
from focuson.web.statements.results import library_rounds, vote_matrix


def _join(client, found, **data):
    response = client.post(reverse("statements:join", args=[found.code]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:vote", args=[found.code])
    return response


@pytest.mark.django_db
def test_a_resident_joins_votes_one_at_a_time_and_changes_a_vote(client):
    found = StatementRoundFactory()
    first, second, third = found.statements.all()
    welcome = client.get(reverse("statements:join", args=[found.code.lower()]))
    assert found.question in welcome.text and "We do not ask your name" in welcome.text
    _join(client, found)
    vote_url = reverse("statements:vote", args=[found.code])
    page = client.get(vote_url)
    assert "Statement 1 of 3" in page.text and escape(first.text) in page.text
    client.post(vote_url, {"statement": first.pk, "vote": "1"})
    page = client.get(vote_url)
    assert "Statement 2 of 3" in page.text and escape(second.text) in page.text
    client.post(vote_url, {"statement": second.pk, "vote": "-1"})
    client.post(vote_url, {"statement": third.pk, "vote": "0"})
    done = client.get(vote_url)
    assert "You have voted on all 3 statements" in done.text
    voter = Voter.objects.get(round=found)
    assert voter.channel == Channel.ONLINE and voter.participant and not voter.label
    assert dict(voter.votes.values_list("statement_id", "value")) == {
        first.pk: 1,
        second.pk: -1,
        third.pk: 0,
    }
    # Voting again replaces the earlier vote (one vote per voter and statement).
    again = client.get(vote_url, {"statement": second.pk})
    assert "a new vote replaces it" in again.text
    client.post(vote_url, {"statement": second.pk, "vote": "1"})
    assert Vote.objects.get(voter=voter, statement=second).value == 1
    assert Vote.objects.filter(voter=voter).count() == 3
    # A bad vote is refused and changes nothing.
    refused = client.post(vote_url, {"statement": second.pk, "vote": "5"}, follow=True)
    assert "Choose agree, disagree or pass" in refused.text
    assert Vote.objects.get(voter=voter, statement=second).value == 1


@pytest.mark.django_db
def test_a_resident_suggests_a_statement_that_waits_for_moderation(client):
    found = StatementRoundFactory()
    _join(client, found)
    url = reverse("statements:suggest", args=[found.code])
    empty = client.post(url, {"text": ""})
    assert empty.context["form"].errors["text"] == ["Write the statement."]
    assert client.post(url, {"text": "The pharmacy should open on Sundays."}).status_code == 302
    suggested = Statement.objects.get(text="The pharmacy should open on Sundays.")
    assert suggested.status == Moderation.PENDING and suggested.author == "resident"
    # Nobody votes on it until it is accepted.
    page = client.get(reverse("statements:vote", args=[found.code]))
    assert "Statement 1 of 3" in page.text and suggested.text not in page.text


@pytest.mark.django_db
def test_a_declared_group_is_optional_and_prefer_not_to_say_is_kept(client):
    found = StatementRoundFactory()
    _join(client, found, group="Black, Black British, Caribbean or African")
    voter = Voter.objects.get(round=found)
    assert voter.declared_group == "Black, Black British, Caribbean or African"
    url = reverse("statements:about_you", args=[found.code])
    assert "Prefer not to say" in client.get(url).text
    bad = client.post(url, {"group": "Martian"})
    assert "Select a valid choice" in bad.context["form"].errors["group"][0]
    client.post(url, {"group": "__prefer_not_to_say__"})
    voter.refresh_from_db()
    assert voter.declared_group == "" and voter.prefers_not_to_say
    # Joining without choosing a group is fine: nothing is recorded about the person.
    other = Client()
    _join(other, found)
    assert Voter.objects.filter(round=found).count() == 1


@pytest.mark.django_db
def test_a_code_opens_its_own_round_and_nothing_else(client):
    mine, other = StatementRoundFactory(), StatementRoundFactory()
    VoterFactory(round=other)
    _join(client, mine)
    assert client.get(reverse("statements:vote", args=[mine.code])).status_code == 200
    # Round B's voting pages send this browser to B's join page: A's code opened nothing of B.
    for name in ("vote", "suggest", "about_you"):
        response = client.get(reverse(f"statements:{name}", args=[other.code]))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("statements:join", args=[other.code])
    posted = client.post(
        reverse("statements:vote", args=[other.code]),
        {"statement": other.statements.first().pk, "vote": "1"},
    )
    assert posted["Location"] == reverse("statements:join", args=[other.code])
    assert not Voter.objects.filter(round=other, channel=Channel.ONLINE).exclude(
        pk__in=other.voters.values("pk")[:1]
    )
    # A vote on B's statement sent to A's page is not counted anywhere.
    client.post(
        reverse("statements:vote", args=[mine.code]),
        {"statement": other.statements.first().pk, "vote": "1"},
    )
    assert not Vote.objects.filter(voter__round=mine).exists()
    # Staff pages stay behind sign-in, for either round.
    for found in (mine, other):
        for name in ("round", "results", "paper", "results_json"):
            response = client.get(reverse(f"statements:{name}", args=[found.pk]))
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("statements:join", args=["ZZZZZZZZ"])).status_code == 404


@pytest.mark.django_db
def test_the_code_page_takes_a_code_as_typed_and_refuses_an_unknown_one(client):
    found = StatementRoundFactory()
    url = reverse("statements:enter_code")
    typed = client.post(url, {"code": f" {found.code[:4].lower()}-{found.code[4:]} "})
    assert typed["Location"] == reverse("statements:join", args=[found.code])
    empty = client.post(url, {"code": ""})
    assert "Enter the code you were given" in empty.text and "There is a problem" in empty.text
    unknown = client.post(url, {"code": "ZZZZ-ZZZZ"})
    assert "No round has that code" in unknown.text


@pytest.mark.django_db
def test_a_closed_round_takes_no_votes_or_suggestions(client):
    found = StatementRoundFactory()
    _join(client, found)
    actions.set_joining(user=found.project.owner, round=found, open=False)
    first = found.statements.first()
    response = client.post(
        reverse("statements:vote", args=[found.code]), {"statement": first.pk, "vote": "1"},
        follow=True,
    )  # fmt: skip
    assert "This round is closed" in response.text
    assert not Vote.objects.exists()
    suggestion = client.post(reverse("statements:suggest", args=[found.code]), {"text": "More"})
    assert "This round is closed" in suggestion.context["form"].errors["text"][0]


@pytest.mark.django_db
def test_a_paper_voter_and_an_online_voter_count_the_same(client, client_as):
    # Two rounds with the same votes: in one, one voter of each group votes online (through the
    # pages); in the other that voter's form is entered on paper. The results are identical.
    options = "Resident\nCarer"
    online = StatementRoundFactory(group_options=options)
    paper = StatementRoundFactory(group_options=options)
    for found in (online, paper):
        s = list(found.statements.all())
        for _ in range(9):
            VoterFactory(round=found, group="Resident", votes={s[0].pk: 1, s[1].pk: -1})
            VoterFactory(round=found, group="Carer", votes={s[0].pk: -1, s[1].pk: 1})
    s = list(online.statements.all())
    _join(client, online, group="Carer")
    for statement, value in ((s[0], -1), (s[1], 1)):
        client.post(
            reverse("statements:vote", args=[online.code]),
            {"statement": statement.pk, "vote": str(value)},
        )
    s = list(paper.statements.all())
    lead = client_as(paper.project.owner)
    lead.post(
        reverse("statements:paper", args=[paper.pk]),
        {"label": "Paper 1", "group": "Carer", f"vote_{s[0].pk}": "-1", f"vote_{s[1].pk}": "1"},
    )
    assert paper.voters.filter(channel=Channel.PAPER).count() == 1
    results = {}
    for found in (online, paper):
        matrix = vote_matrix(found)
        assert matrix.votes.shape == (19, 3)
        results[found.pk] = library_rounds(matrix)["declared"]
    a, b = results[online.pk], results[paper.pk]
    assert a.groups == b.groups == ("Carer", "Resident")
    assert_allclose(a.support.p_agree, b.support.p_agree, equal_nan=True)
    assert_allclose(a.support.consensus, b.support.consensus, equal_nan=True)
    # 10 carers published as 10 (the online or paper voter is the tenth): (0 + 1) / (10 + 2).
    assert_allclose(a.support.p_agree[0, 0], 1 / 12)
    # Nobody voted on statement 3: a published zero, so a half (the prior), in both rounds.
    assert_allclose(a.support.p_agree[:, 2], [0.5, 0.5])
    pages = [
        lead.get(reverse("statements:results", args=[f.pk])).context["results"]
        for f in (online, paper)
    ]
    declared = [next(x for x in p["analyses"] if x.kind == "declared") for p in pages]
    assert [c.agree for line in declared[0].lines for c in line.cells] == [
        c.agree for line in declared[1].lines for c in line.cells
    ]


@pytest.mark.django_db
def test_results_show_declared_groups_when_a_side_of_a_group_has_1_to_7_votes(client_as):
    # 8 + 1 White voters and 8 Asian: on the second statement one White voter disagrees, a count
    # the library leaves blank; the page shows both groups and never that blank share.
    found = StatementRoundFactory(statements=("One", "Two", "Three"))
    one, two, three = found.statements.all()
    for _ in range(8):
        VoterFactory(round=found, group="White", votes={one.pk: 1, two.pk: 1, three.pk: -1})
        VoterFactory(
            round=found, group="Asian or Asian British", votes={one.pk: -1, two.pk: -1, three.pk: 1}
        )
    VoterFactory(round=found, group="White", votes={one.pk: 1, two.pk: -1})
    page = client_as(found.project.owner).get(reverse("statements:results", args=[found.pk]))
    declared = next(a for a in page.context["results"]["analyses"] if a.kind == "declared")
    assert not declared.problem
    assert [name for name, _size in declared.groups] == ["Asian or Asian British", "White"]
    assert all(r.share == r.share for _name, reps in declared.representative for r in reps)
    assert "about 10 people" in page.text


@pytest.mark.django_db
def test_suggestions_are_capped_per_browser_and_per_round(client, monkeypatch):
    found = StatementRoundFactory()
    _join(client, found)
    url = reverse("statements:suggest", args=[found.code])
    for n in range(resident.SUGGESTIONS_PER_PERSON):
        assert client.post(url, {"text": f"Suggestion number {n}"}).status_code == 302
    refused = client.post(url, {"text": "One more"})
    assert "you have suggested 5 statements already" in refused.context["form"].errors["text"][0]
    assert not Statement.objects.filter(text="One more").exists()
    # Another browser is stopped by the round's queue once it is full.
    monkeypatch.setattr(actions, "MAX_WAITING", resident.SUGGESTIONS_PER_PERSON)
    other = Client()
    _join(other, found)
    full = other.post(url, {"text": "From someone else"})
    assert "Many suggestions are waiting" in full.context["form"].errors["text"][0]
