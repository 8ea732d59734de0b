"""The demo's Co-create and Unite on one example project (``focuson.web.ideas.demo``,
``focuson.web.statements.demo``): a co-creation session, six ideas with co-authors of both kinds,
comments, a statement round of twelve statements and eighty voters, a prioritisation round from
every channel and its decision; the same again on a rerun; and the pages answer."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.urls import reverse
from tests.web.demo.test_seed_open import demo_people, quiet, seed

from focuson.web.ideas import results as idea_results
from focuson.web.ideas.demo import PARKED, SELECTED, seed_cocreate
from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    CoCreationSession,
    Idea,
    IdeaComment,
    IdeaContributor,
    PrioritisationRound,
    SessionAttendance,
)
from focuson.web.programme.models import Decision, ProjectStep
from focuson.web.statements import results as statement_results
from focuson.web.statements.demo import seed_statements
from focuson.web.statements.models import Statement, StatementRound, Vote, Voter


def seed_all(people: dict[str, Any]) -> tuple[Any, Any]:
    """Open first (the ideas link its insights), then the statement round and Co-create."""
    seed(people)
    made = seed_statements(
        people["project"], lead=people["lead"], facilitator=people["facilitator"], say=quiet
    )
    done = seed_cocreate(
        people["project"], lead=people["lead"], facilitator=people["facilitator"], say=quiet
    )
    return made, done


@pytest.fixture
def seeded(db: None) -> dict[str, Any]:
    people = demo_people()
    people["statements"], people["cocreate"] = seed_all(people)
    return people


def test_a_session_with_attendance_and_six_ideas_made_with_residents_and_professionals(seeded):
    project = seeded["project"]
    session = CoCreationSession.objects.get(project=project)
    assert session.title.startswith("Demo") and session.closing_report
    assert not session.accepting(), "the session is closed after the vote"
    by_role = dict(
        SessionAttendance.objects.filter(session=session, dimension="role").values_list(
            "band", "count"
        )
    )
    assert by_role == {"resident": 14, "champion": 3, "vcse": 2, "clinician": 2, "manager": 1}
    assert SessionAttendance.objects.filter(session=session, dimension="ethnicity_6").exists()
    ideas = Idea.objects.filter(project=project)
    assert ideas.count() == 6 and all(i.title.startswith("Demo") for i in ideas)
    roles = Counter(
        IdeaContributor.objects.filter(idea__project=project).values_list("role", flat=True)
    )
    assert roles["resident"] >= 5 and sum(n for r, n in roles.items() if r != "resident") >= 5
    # One idea added by a resident with the session's code (no account behind it).
    assert ideas.filter(created_by__isnull=True, session=session).count() == 1
    # Linked to what Open heard and to the project's finding.
    assert ideas.filter(insights__isnull=False).distinct().count() == 5
    assert all(project.finding in i.findings.all() for i in ideas)
    comments = IdeaComment.objects.filter(idea__project=project)
    assert (
        comments.filter(author__isnull=True).exists()
        and comments.filter(author__isnull=False).exists()
    )
    assert set(comments.values_list("stance", flat=True)) == {-1, 0, 1}


def test_a_statement_round_of_twelve_statements_and_eighty_voters_in_groups(seeded):
    round_ = StatementRound.objects.get(project=seeded["project"])
    assert seeded["statements"].created and not round_.accepting()
    assert Statement.objects.filter(round=round_).count() == 12
    voters = Voter.objects.filter(round=round_)
    assert voters.count() == 80
    assert Counter(voters.values_list("channel", flat=True)) == {"paper": 60, "online": 20}
    groups = Counter(voters.values_list("declared_group", flat=True))
    # Three groups large enough to be shown (8 or more), a small one, and some who preferred not.
    assert sorted(n for g, n in groups.items() if g and n >= 8) == [18, 24, 28]
    assert voters.filter(prefers_not_to_say=True).count() == 6
    assert Vote.objects.filter(voter__round=round_).count() > 800
    # The results show the three big declared groups, each with a published size.
    shown = statement_results.results(round_)
    assert shown is not None and shown["voters"] == 80
    declared = next(a for a in shown["analyses"] if a.kind == "declared")
    assert not declared.problem and declared.consensus, "no statement with consensus shown"
    cells = [c for line in declared.lines for c in line.cells]
    assert sum(c.agree is not None for c in cells) > len(cells) / 2
    sizes = dict(declared.groups)
    assert {g for g, n in groups.items() if g and n >= 8} <= set(sizes)
    assert all(sizes[g] is not None for g, n in groups.items() if g and n >= 8)


def test_a_prioritisation_round_from_every_channel_decided_two_selected_the_rest_parked(seeded):
    project = seeded["project"]
    round_ = PrioritisationRound.objects.get(project=project)
    ballots = Ballot.objects.filter(round=round_)
    assert ballots.count() == 37
    assert set(ballots.values_list("channel", flat=True)) == {
        "online",
        "in_person",
        "paper",
        "phone",
    }
    roles = Counter(ballots.values_list("role", flat=True))
    assert roles["resident"] == 23 and roles["clinician"] + roles["manager"] == 9
    # Residents' own online ballots came through the session, with no account behind them.
    assert ballots.filter(entered_by__isnull=True, session__isnull=False).count() == 6
    assert BallotScore.objects.filter(ballot__round=round_).count() == 37 * 6 * 6
    # The two selected are the two the results rank first (lowest score across the two sides).
    titles = {i.pk: i.title for i in Idea.objects.filter(project=project)}
    suggested = idea_results.suggestion(round_)
    assert suggested is not None
    selected = Idea.objects.filter(project=project, status="selected")
    assert {titles[pk] for pk in suggested["selected"][:2]} == {i.title for i in selected}
    assert selected.count() == len(SELECTED) == 2
    parked = Idea.objects.filter(project=project, status="parked")
    assert parked.count() == len(PARKED) == 4 and all(i.parked_reason for i in parked)
    # Recorded in the project's decisions log at Unite, and Unite is done.
    decision = Decision.objects.get(project=project, step="unite")
    assert round_.decision == decision and all(i.title in decision.text for i in selected)
    assert ProjectStep.objects.get(project=project, step="unite").status == "done"


def test_seeding_co_create_and_unite_again_changes_nothing(seeded):
    models = (
        CoCreationSession,
        Idea,
        IdeaComment,
        Ballot,
        BallotScore,
        Statement,
        Voter,
        Vote,
        Decision,
    )
    counts = {m.__name__: m.objects.count() for m in models}
    made, done = seed_all(seeded)
    assert not made.created and not done.created
    assert {m.__name__: m.objects.count() for m in models} == counts
    assert (done.ideas, done.ballots, made.voters) == (6, 37, 80)


def test_the_seeded_projects_co_create_and_unite_pages_answer_the_lead(seeded, client_as):
    project = seeded["project"]
    client = client_as(seeded["lead"])
    session = CoCreationSession.objects.get(project=project)
    idea = Idea.objects.filter(project=project, status="selected").first()
    round_ = PrioritisationRound.objects.get(project=project)
    statements = StatementRound.objects.get(project=project)
    pages = {
        "project": reverse("programme:project", args=[project.pk]),
        "ideas": reverse("ideas:ideas", args=[project.pk]),
        "session": reverse("ideas:session", args=[session.pk]),
        "idea": reverse("ideas:idea", args=[idea.pk]),
        "round": reverse("ideas:round", args=[round_.pk]),
        "statement rounds": reverse("statements:project", args=[project.pk]),
        "statement round": reverse("statements:round", args=[statements.pk]),
        "statement results": reverse("statements:results", args=[statements.pk]),
    }
    answers = {name: client.get(url) for name, url in pages.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(pages, 200)
    assert idea.title in answers["project"].text, "the decision is not on the project page"
    assert "Demo co-creation workshop" in answers["session"].text
