"""Co-create and Unite writes: the rules hold without the forms (scripts, the API later)."""

from __future__ import annotations

import pytest
from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory

from focuson.web.ideas import actions, results
from focuson.web.ideas.models import Ballot, Idea
from focuson.web.programme.models import Decision


@pytest.mark.django_db
def test_decide_round_refuses_more_than_the_maximum_and_saves_nothing():
    found = PrioritisationRoundFactory(max_selected=2)
    ideas = list(found.ideas.all())
    with pytest.raises(actions.IdeasError, match="At most 2 ideas can be selected"):
        actions.decide_round(user=found.project.owner, round=found, selected=ideas, parked={})
    assert not Decision.objects.exists()
    assert set(Idea.objects.values_list("status", flat=True)) == {"shortlisted"}


@pytest.mark.django_db
def test_decide_round_names_ideas_left_undecided_by_title():
    found = PrioritisationRoundFactory()
    first, second, third = found.ideas.all()
    with pytest.raises(actions.IdeasError) as raised:
        actions.decide_round(
            user=found.project.owner, round=found, selected=[first], parked={second: "Costly"}
        )
    assert str(raised.value) == f"Park these ideas with a reason, or select them: {third.title}"
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_a_decided_round_takes_no_ballots():
    found = PrioritisationRoundFactory()
    first, *rest = found.ideas.all()
    actions.decide_round(
        user=found.project.owner, round=found, selected=[first], parked={i: "Later" for i in rest}
    )
    with pytest.raises(actions.IdeasError, match="takes no more ballots"):
        BallotFactory(round=found)
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_round_refuses_another_projects_idea():
    idea = IdeaFactory()
    other = IdeaFactory()
    with pytest.raises(actions.IdeasError, match="ideas of this project only"):
        actions.start_round(
            user=idea.project.owner, project=idea.project, title="R", ideas=[idea, other]
        )


@pytest.mark.django_db
def test_a_group_too_small_to_show_gets_no_score():
    """Three residents and ten clinicians: residents and professionals are never merged, so the
    residents are left out of that breakdown, and pooled into everyone's score."""
    found = PrioritisationRoundFactory()
    for _ in range(3):
        BallotFactory(round=found, role="resident")
    for _ in range(10):
        BallotFactory(round=found, role="clinician")
    shown = results.results(found)
    side = next(b for b in shown["breakdowns"] if b.dimension == "side")
    assert side.groups == ["Professionals"]
    assert side.left_out == ("Residents and community",)
