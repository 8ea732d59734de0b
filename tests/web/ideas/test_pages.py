"""Co-create and Unite pages: ideas added and refused, a ballot from paper counting as one
online, results by group with opposition flagged, the decision's limit, outsiders kept out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.ideas_ballot import BallotFactory
from tests.web.factories.ideas_idea import IdeaFactory
from tests.web.factories.ideas_round import PrioritisationRoundFactory
from tests.web.factories.ideas_session import CoCreationSessionFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.ideas import actions, results
from focuson.web.ideas.models import Ballot, BallotScore, Idea, IdeaContributor, PrioritisationRound
from focuson.web.programme.models import Decision, Step


def _member(client_as, project):
    client = client_as("facilitator")
    ProjectMembershipFactory(project=project, user=client.user)
    return client


def _ballot_post(found, *, channel, role="resident", score=4, support="1"):
    data = {"role": role, "channel": channel, "declared_group": ""}
    for idea in found.ideas.all():
        for c in found.criteria.all():
            data[f"score_{idea.pk}_{c.pk}"] = str(score)
        data[f"support_{idea.pk}"] = support
    return data


@pytest.mark.django_db
def test_facilitator_member_adds_an_idea_with_its_maker(client_as):
    project = ProjectFactory()
    client = _member(client_as, project)
    earlier = IdeaFactory(project=project)
    response = client.post(
        reverse("ideas:add_idea", args=[project.pk]),
        {
            "title": "Walking group in Roundwood Park",
            "summary": "A weekly walk with a nurse who checks blood pressure.",
            "groups": "Women over 50",
            "cost_band": "low",
            "status": "submitted",
            "builds_on": [earlier.pk],
            "new_author_0_name": "Harlesden Somali Women's Group",
            "new_author_0_role": "champion",
            "new_author_1_name": "Dr Okafor",
            "new_author_1_role": "clinician",
            "new_author_2_role": "resident",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Walking group in Roundwood Park")
    assert list(idea.builds_on.all()) == [earlier]
    assert [(c.name, c.role) for c in idea.contributors.all()] == [
        ("Harlesden Somali Women's Group", "champion"),
        ("Dr Okafor", "clinician"),
        ("", "resident"),
    ]
    page = client.get(reverse("ideas:ideas", args=[project.pk]))
    assert "Walking group in Roundwood Park" in page.text
    assert "Community champion" in page.text


@pytest.mark.django_db
def test_co_authors_are_changed_removed_and_added_row_by_row_keeping_a_residents_row(client_as):
    project = ProjectFactory()
    idea = IdeaFactory(project=project)
    resident = IdeaContributor.objects.create(
        idea=idea, name="", role="resident", participant="a" * 64
    )
    group = IdeaContributor.objects.create(idea=idea, name="Brent Carers", role="vcse")
    client = client_as("programme_lead")
    url = reverse("ideas:edit_idea", args=[idea.pk])
    page = client.get(url)
    assert f'name="author_{group.pk}_remove"' in page.text and "Co-author 3" in page.text
    response = client.post(
        url,
        {
            "title": idea.title,
            "summary": idea.summary,
            "status": "submitted",
            f"author_{resident.pk}_role": "resident",
            f"author_{group.pk}_name": "Brent Carers Centre",
            f"author_{group.pk}_role": "vcse",
            f"author_{group.pk}_remove": "on",
            "new_author_0_name": "Nurse Patel",
            "new_author_0_role": "clinician",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    rows = list(idea.contributors.all())
    assert [(c.pk, c.name, c.role) for c in rows] == [
        (resident.pk, "", "resident"),
        (rows[1].pk, "Nurse Patel", "clinician"),
    ]
    assert IdeaContributor.objects.get(pk=resident.pk).participant == "a" * 64
    assert IdeaContributor.history.filter(id=group.pk, history_type="-").exists()


@pytest.mark.django_db
def test_idea_form_refuses_bad_input_and_saves_nothing(client_as):
    project = ProjectFactory()
    client = client_as("programme_lead")
    response = client.post(
        reverse("ideas:add_idea", args=[project.pk]),
        {
            "title": "",
            "summary": "",
            "status": "submitted",
            "new_author_0_name": "Amina",
            "new_author_1_role": "clinician",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Give the idea a title."]
    assert errors["summary"] == ["Say what the idea is, in plain language."]
    assert errors["new_author_0_role"] == ["Choose the role of who made it."]
    assert errors["new_author_1_name"] == [
        "Give the name of who made it (only a resident may stay unnamed)."
    ]
    assert "There is a problem" in response.text
    assert not Idea.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_round_form_refuses_no_ideas_and_saves_nothing(client_as):
    project = ProjectFactory()
    IdeaFactory(project=project)
    response = client_as("programme_lead").post(
        reverse("ideas:add_round", args=[project.pk]), {"title": "", "max_selected": "0"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Give the round a title."]
    assert errors["ideas"] == ["Choose at least one idea to score."]
    assert "max_selected" in errors and "weight_gap" in errors
    assert not PrioritisationRound.objects.exists()


@pytest.mark.django_db
def test_round_started_with_weights(client_as):
    project = ProjectFactory()
    ideas = [IdeaFactory(project=project) for _ in range(2)]
    data = {"title": "Spring round", "ideas": [i.pk for i in ideas], "max_selected": "2"}
    data |= {f"weight_{k}": "1" for k in ("reach", "feasibility", "cost", "community_support")}
    data |= {"weight_gap": "3", "weight_measurable": "0.5"}
    response = client_as("programme_lead").post(reverse("ideas:add_round", args=[project.pk]), data)
    found = PrioritisationRound.objects.get()
    assert response["Location"] == found.get_absolute_url()
    assert {c.key: c.weight for c in found.criteria.all()}["gap"] == 3
    assert found.max_selected == 2 and set(found.ideas.all()) == set(ideas)


@pytest.mark.django_db
def test_ballot_refuses_bad_input_and_saves_nothing(client_as):
    found = PrioritisationRoundFactory()
    client = _member(client_as, found.project)
    response = client.post(reverse("ideas:ballot", args=[found.pk]), {"channel": "fax"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["role"] == ["Choose the voter's role."]
    assert "channel" in errors
    response = client.post(
        reverse("ideas:ballot", args=[found.pk]), {"role": "resident", "channel": "paper"}
    )
    assert response.status_code == 200
    assert "Score at least one idea on at least one criterion." in response.text
    data = _ballot_post(found, channel="paper")
    first = next(k for k in data if k.startswith("score_"))
    data[first] = "9"
    response = client.post(reverse("ideas:ballot", args=[found.pk]), data)
    assert first in response.context["form"].errors
    assert not Ballot.objects.exists() and not BallotScore.objects.exists()


@pytest.mark.django_db
def test_paper_ballot_and_online_ballot_count_the_same(client_as):
    """The same answers on paper (entered by a facilitator) and online give the same results,
    channel apart."""
    tables = {}
    for channel in ("online", "paper"):
        found = PrioritisationRoundFactory()
        client = _member(client_as, found.project)
        for n in range(12):
            role = "resident" if n % 2 else "clinician"
            data = _ballot_post(found, channel=channel, role=role, score=1 + n % 5)
            assert client.post(reverse("ideas:ballot", args=[found.pk]), data).status_code == 302
        assert set(Ballot.objects.filter(round=found).values_list("channel", flat=True)) == {
            channel
        }
        shown = results.results(found)
        tables[channel] = [
            (
                b.dimension,
                b.groups,
                [[(c.score, c.p_support) for c in cells] for _, cells, *_ in b.lines],
            )
            for b in shown["breakdowns"]
        ]
        counts = dict(shown["channels"])
        assert counts["Paper" if channel == "paper" else "Online"] == 10  # 12, rounded to 5s
    assert tables["online"] == tables["paper"]
    assert tables["online"][0][2][0][0][0] is not None  # everyone's score is shown


@pytest.mark.django_db
def test_results_flag_an_idea_residents_oppose(client_as):
    found = PrioritisationRoundFactory()
    for _ in range(10):
        BallotFactory(round=found, role="resident", support=-1)
        BallotFactory(round=found, role="clinician", support=1)
    page = client_as("viewer").get(found.get_absolute_url())
    assert page.status_code == 200
    assert "Opposed by Residents and community" in page.text
    assert "Professionals" in page.text


@pytest.mark.django_db
def test_more_than_the_maximum_selected_is_refused(client_as):
    found = PrioritisationRoundFactory(ideas=None, project=ProjectFactory(), max_selected=3)
    extra = IdeaFactory(project=found.project)
    found.ideas.add(extra)
    ideas = list(found.ideas.all())
    assert len(ideas) == 4
    response = client_as("programme_lead").post(
        reverse("ideas:decide", args=[found.pk]),
        {"selected": [i.pk for i in ideas], "rationale": "All good"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["selected"] == [
        "At most 3 ideas can be selected in this round; 4 were chosen. Park the others with "
        "a reason."
    ]
    assert not Decision.objects.filter(project=found.project).exists()
    assert not Idea.objects.filter(status="selected").exists()


@pytest.mark.django_db
def test_parked_idea_needs_a_reason(client_as):
    found = PrioritisationRoundFactory()
    first, *rest = found.ideas.all()
    response = client_as("programme_lead").post(
        reverse("ideas:decide", args=[found.pk]), {"selected": [first.pk], "rationale": "Best"}
    )
    assert response.status_code == 200
    assert f"reason_{rest[0].pk}" in response.context["form"].errors
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_decision_selects_parks_and_goes_in_the_log(client_as):
    found = PrioritisationRoundFactory()
    first, second, third = found.ideas.all()
    client = client_as("programme_lead")
    response = client.post(
        reverse("ideas:decide", args=[found.pk]),
        {
            "selected": [first.pk, second.pk],
            f"reason_{third.pk}": "Costs more than the budget",
            "rationale": "Acceptable to residents and clinicians alike",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(project=found.project)
    assert decision.step == Step.UNITE
    assert first.title in decision.text and "Costs more than the budget" in decision.text
    statuses = dict(Idea.objects.values_list("pk", "status"))
    assert [statuses[i.pk] for i in (first, second, third)] == ["selected", "selected", "parked"]
    assert Idea.objects.get(pk=third.pk).parked_reason == "Costs more than the budget"
    page = client.get(found.project.get_absolute_url())
    assert reverse("ideas:ideas", args=[found.project.pk]) in page.text
    assert f"Selected for prototyping: {first.title}; {second.title}." in page.text
    # A decided round takes no second decision and no more ballots.
    again = client.post(
        reverse("ideas:decide", args=[found.pk]),
        {"selected": [first.pk], f"reason_{second.pk}": "x", f"reason_{third.pk}": "y",
         "rationale": "again"},
    )  # fmt: skip
    assert again.status_code == 200 and Decision.objects.count() == 1


@pytest.mark.django_db
def test_facilitator_outsider_gets_404_everywhere(client_as):
    found = PrioritisationRoundFactory()
    idea = found.ideas.first()
    client = client_as("facilitator")
    urls = [
        reverse("ideas:ideas", args=[found.project.pk]),
        reverse("ideas:add_idea", args=[found.project.pk]),
        reverse("ideas:add_round", args=[found.project.pk]),
        reverse("ideas:edit_idea", args=[idea.pk]),
        reverse("ideas:round", args=[found.pk]),
        reverse("ideas:ballot", args=[found.pk]),
        reverse("ideas:decide", args=[found.pk]),
        f"/api/ideas/projects/{found.project.pk}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": "resident"}).status_code in (404, 405), url
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_facilitator_member_may_not_decide(client_as):
    found = PrioritisationRoundFactory()
    client = _member(client_as, found.project)
    assert client.get(reverse("ideas:ballot", args=[found.pk])).status_code == 200
    assert client.get(reverse("ideas:decide", args=[found.pk])).status_code == 404


@pytest.mark.django_db
def test_api_lists_ideas_and_rounds(client_as):
    found = PrioritisationRoundFactory()
    BallotFactory(round=found)
    body = client_as("viewer").get(f"/api/ideas/projects/{found.project.pk}").json()
    assert {i["title"] for i in body["ideas"]} == set(found.ideas.values_list("title", flat=True))
    assert body["rounds"][0]["ballots"] == 1
    assert set(body["rounds"][0]["idea_ids"]) == set(found.ideas.values_list("pk", flat=True))


@pytest.mark.django_db
def test_decision_form_suggests_a_shortlist_parking_an_opposed_idea(client_as):
    found = PrioritisationRoundFactory(max_selected=1)
    liked, opposed, middling = found.ideas.all()
    criteria = list(found.criteria.all())
    for n in range(20):
        role = "resident" if n % 2 else "clinician"
        scores = {(liked.pk, c.pk): 5 for c in criteria}
        scores |= {(opposed.pk, c.pk): 5 for c in criteria}
        scores |= {(middling.pk, c.pk): 3 for c in criteria}
        supports = {liked.pk: 1, middling.pk: 0, opposed.pk: -1 if role == "resident" else 1}
        actions.add_ballot(
            user=found.project.owner,
            round=found,
            role=role,
            channel="paper",
            scores=scores,
            supports=supports,
        )
    response = client_as("programme_lead").get(reverse("ideas:decide", args=[found.pk]))
    initial = response.context["form"].initial
    assert initial["selected"] == [liked.pk]
    assert initial[f"reason_{opposed.pk}"] == "Opposed by Residents and community."
    assert initial[f"reason_{middling.pk}"].startswith(
        "Its lowest score among residents and professionals ("
    )
    assert "suggested from the results" in response.text


@pytest.mark.django_db
def test_idea_form_cannot_select_an_idea(client_as):
    idea = IdeaFactory()
    client = client_as("programme_lead")
    data = {"title": idea.title, "summary": idea.summary, "status": "selected"}
    response = client.post(reverse("ideas:edit_idea", args=[idea.pk]), data)
    assert response.status_code == 200 and "status" in response.context["form"].errors
    assert Idea.objects.get(pk=idea.pk).status == "submitted"


@pytest.mark.django_db
def test_steps_follow_the_work(client_as):
    """An idea starts Co-create, a round starts Unite, the decision finishes Unite."""
    project = ProjectFactory()

    def steps():
        return dict(project.steps.values_list("step", "status"))

    assert steps()["co_create"] == "not_started"
    IdeaFactory(project=project)
    assert steps()["co_create"] == "in_progress"
    found = PrioritisationRoundFactory(project=project)
    assert steps()["unite"] == "in_progress"
    first, *rest = found.ideas.all()
    actions.decide_round(
        user=project.owner,
        round=found,
        selected=[first],
        parked={idea: "Later" for idea in rest},
    )
    assert steps()["unite"] == "done"


@pytest.mark.django_db
def test_a_paper_ballot_records_the_session_it_came_from_even_once_closed(client_as):
    found = PrioritisationRoundFactory()
    session = CoCreationSessionFactory(project=found.project, open_for_joining=False)
    elsewhere = CoCreationSessionFactory()
    client = _member(client_as, found.project)
    url = reverse("ideas:ballot", args=[found.pk])
    page = client.get(url)
    assert "The co-creation session it came from (optional)" in page.text
    assert session.title in page.text and elsewhere.title not in page.text
    bad = client.post(url, _ballot_post(found, channel="paper") | {"session": elsewhere.pk})
    assert bad.status_code == 200 and "Choose one of this project&#x27;s sessions." in bad.text
    assert not Ballot.objects.exists()
    good = client.post(url, _ballot_post(found, channel="paper") | {"session": session.pk})
    assert good.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.session, ballot.channel, ballot.participant) == (session, "paper", "")
    client.post(url, _ballot_post(found, channel="paper"))
    assert Ballot.objects.filter(session__isnull=True).count() == 1
    page = client.get(session.get_absolute_url())
    assert "1 ballot given on paper, in the room or by phone" in page.text
