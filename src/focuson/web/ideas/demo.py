"""The demo's Co-create and Unite: a workshop, six ideas, a prioritisation round and its decision.

:func:`seed_cocreate` gives one example project what a co-creation workshop and the vote after it
leave behind: the session (attendance counted on paper by role and by ethnic group, a closing
report), six ideas made by residents with professionals (one added by a resident with the
session's code), linked to the project's Open insights and its finding, comments for and
against, a prioritisation round scored by residents and professionals through every channel
(online with the code, in the room, on paper, by phone), and the decision: two ideas selected
for prototyping, the rest parked with their reasons, in the project's decisions log.

Everything goes through the app's actions, as the pages do; scores are drawn with a fixed seed
around each idea's designed standing. Everything says "Demo"; a project with a demo session is
left as it is on a rerun.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone, translation

from focuson.web.ideas import actions, session_actions
from focuson.web.ideas.models import (
    Ballot,
    CoCreationSession,
    Idea,
    PrioritisationRound,
)
from focuson.web.ideas.session_forms import declared_group_choices
from focuson.web.insight import bands
from focuson.web.insight.demo_texts import INSIGHTS
from focuson.web.insight.models import Insight

PREFIX = "Demo"
SEED = 20250417
SESSION_TITLE = f"{PREFIX} co-creation workshop: making the offer easier to take up"
ROUND_TITLE = f"{PREFIX} prioritisation round: which ideas to try first"
CLOSING_REPORT = (
    "Demo closing report. Twenty-two people came: fourteen residents, three community "
    "champions, two voluntary sector partners, two clinicians and a practice manager. Bengali "
    "and Arabic interpreters worked at two tables. The groups started from what the listening "
    "events heard (letters in English only, phone booking at 8am, daytime appointments) and "
    "made six ideas. Residents scored them in the room, on paper and online with the session's "
    "code over the following week; professionals scored them online."
)

#: (key, title, summary, cost band, contributors as (name, role), Open insights by number in
#: ``insight.demo_texts.INSIGHTS``, its designed standing 1-5 on gap, reach, feasibility,
#: cost (5 = costly), community support, measurable).
IDEAS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...], tuple[int, ...],
                   tuple[int, ...]], ...] = (
    ("letters", "Demo: invitations in the language people read",
     "Letters and text reminders in Bengali, Arabic and Somali as well as English, with a "
     "number to call for a conversation in that language.", "low",
     (("Demo Bangladeshi Community Association", "vcse"), ("", "resident"),
      ("Demo practice nurse", "clinician")), (0,), (4, 3, 3, 2, 4, 4)),
    ("saturday", "Demo: Saturday clinics at the community hub",
     "A nurse-led clinic on two Saturdays a month at the community hub, with interpreters, "
     "booked through the community champions.", "medium",
     (("Demo Health Champions Network", "champion"), ("", "resident"),
      ("Demo practice manager", "manager")), (1, 3), (5, 4, 4, 3, 5, 5)),
    ("champions", "Demo: community champions who book with people",
     "Champions who speak the community's languages phone or visit people who have not taken "
     "up the offer and book a time that suits them.", "low",
     (("Demo Health Champions Network", "champion"), ("", "resident"),
      ("", "resident")), (0, 3), (5, 4, 4, 2, 5, 4)),
    ("text", "Demo: a text-message booking link",
     "A text with a link to book online, so no one has to queue on the phone at 8am.", "low",
     (("Demo practice manager", "manager"), ("", "resident")), (1,), (3, 4, 3, 2, 3, 4)),
    ("transport", "Demo: free transport to appointments",
     "Free taxis or community transport for people who cannot get there easily.", "high",
     (("Demo Refugee Support Project", "vcse"),), (), (3, 2, 2, 5, 4, 3)),
)  # fmt: skip

#: The idea a resident adds with the session's code, in their own words.
RESIDENT_IDEA = (
    "prayers",
    "Demo: a health talk after Friday prayers",
    "Someone from the surgery talks for ten minutes after Friday prayers and people can book "
    "there and then.",
    (2,),
    (4, 3, 4, 1, 4, 3),
)

#: The decision: the two selected, and why each of the others is parked.
SELECTED = ("saturday", "champions")
PARKED = {
    "letters": "The regional screening hub is translating its letters from April: we will "
    "follow that up rather than make a local version.",
    "text": "It needs the practices' booking system changed: revisit with the digital team in "
    "the autumn.",
    "transport": "It costs more than the project's budget; people are told about the council's "
    "community transport scheme instead.",
    "prayers": "Folded into the Saturday clinics: champions will give the talks at the mosque "
    "and book people in.",
}
RATIONALE = (
    "Demo: the two ideas residents and professionals both scored highest, and that the "
    "listening events asked for; the Study step can measure both."
)

#: Ballots: (role, channel, how many, entered by "lead" / "facilitator" / a resident online).
BALLOTS: tuple[tuple[str, str, int, str], ...] = (
    ("resident", "online", 6, "resident"),
    ("resident", "in_person", 8, "facilitator"),
    ("resident", "paper", 7, "facilitator"),
    ("resident", "phone", 2, "facilitator"),
    ("champion", "in_person", 3, "facilitator"),
    ("vcse", "paper", 2, "facilitator"),
    ("clinician", "online", 5, "lead"),
    ("manager", "online", 4, "lead"),
)


@dataclass(frozen=True)
class DemoCocreate:
    """What :func:`seed_cocreate` made (or found from an earlier run)."""

    session_id: int
    round_id: int | None
    ideas: int
    ballots: int
    decision_id: int | None
    created: bool


def _insights(project: Any) -> list[Insight | None]:
    """The project's demo insights, in the order of ``INSIGHTS`` (None where missing)."""
    found = {i.statement: i for i in Insight.objects.filter(project=project)}
    return [found.get(statement) for statement, *_rest in INSIGHTS]


def _linked(insights: list[Insight | None], numbers: tuple[int, ...]) -> list[Insight]:
    return [i for n in numbers if (i := insights[n]) is not None]


def _ballot(
    rng: np.random.Generator, standing: dict[int, tuple[int, ...]], criteria: list[Any]
) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """One voter's scores (idea, criterion) -> 1..5 around each idea's standing, and support."""
    scores, supports = {}, {}
    for idea, means in standing.items():
        drawn = np.clip(np.rint(np.asarray(means) + rng.normal(0, 0.8, len(means))), 1, 5)
        for criterion, value in zip(criteria, drawn, strict=True):
            scores[(idea, criterion.pk)] = int(value)
        liking = (means[0] + means[4]) / 10 + rng.normal(0, 0.2)
        supports[idea] = 1 if liking > 0.7 else (-1 if liking < 0.45 else 0)
    return scores, supports


def _session(project: Any, lead: Any, team: list[Any]) -> CoCreationSession:
    """The workshop, with its paper attendance by role and by ethnic group."""
    made = session_actions.save_session(
        user=lead,
        project=project,
        fields={
            "title": SESSION_TITLE,
            "date": timezone.localdate() - datetime.timedelta(days=14),
            "format": "in_person",
            "venue": "Demo community hub, main hall",
            "languages": "English, Bengali, Arabic",
            "closing_report": CLOSING_REPORT,
        },
        facilitators=team,
    )
    session_actions.record_attendance(
        user=lead, session=made, dimension="role",
        counts={"resident": 14, "champion": 3, "vcse": 2, "clinician": 2, "manager": 1},
    )  # fmt: skip
    session_actions.record_attendance(
        user=lead, session=made, dimension="ethnicity_6",
        counts={"Asian": 9, "Black": 5, "White": 5, "Other": 2, "": 1},
    )  # fmt: skip
    return made


@transaction.atomic
def seed_cocreate(
    project: Any, *, lead: Any, facilitator: Any, say: Callable[[str], None] = print
) -> DemoCocreate:
    """Give ``project`` the demo's co-creation session, ideas, round and decided shortlist."""
    session = CoCreationSession.all_objects.filter(
        project=project, title__startswith=PREFIX
    ).first()
    if session is not None:
        return _summary(project, session, created=False)
    say(f"Seeding Co-create and Unite on {project.title}...")
    member = facilitator if project.is_member(facilitator) else lead
    session = _session(project, lead, list({lead, member}))
    insights = _insights(project)
    findings = [project.finding] if project.finding_id else []
    ideas: dict[str, Idea] = {}
    standing: dict[str, tuple[int, ...]] = {}
    for key, title, summary, cost, contributors, linked, means in IDEAS:
        ideas[key] = actions.save_idea(
            user=member, project=project,
            fields={"title": title, "summary": summary, "cost_band": cost, "session": session,
                    "groups": project.group_label or ""},
            contributors=list(contributors),
            insights=_linked(insights, linked), findings=findings,
        )  # fmt: skip
        standing[key] = means
    key, title, summary, linked, means = RESIDENT_IDEA
    ideas[key] = session_actions.add_resident_idea(
        session=session, fields={"title": title, "summary": summary}
    )
    actions.save_idea(
        user=member, project=project, idea=ideas[key], fields={},
        insights=_linked(insights, linked), findings=findings,
    )  # fmt: skip
    standing[key] = means
    _comments(ideas, session, lead, member)
    made = actions.start_round(
        user=lead, project=project, title=ROUND_TITLE, ideas=list(ideas.values())
    )
    _ballots(made, session, ideas, standing, lead=lead, member=member)
    session_actions.set_joining(user=lead, session=session, open=False)
    actions.decide_round(
        user=lead,
        round=made,
        selected=[ideas[k] for k in SELECTED],
        parked={ideas[k]: why for k, why in PARKED.items()},
        rationale=RATIONALE,
    )
    return _summary(project, session, created=True)


def _comments(ideas: dict[str, Idea], session: Any, lead: Any, member: Any) -> None:
    """Comments for and against, by staff and by residents in the session."""
    hashed = session_actions.participant_hash(f"ideas.cocreationsession:{session.pk}", "demo" * 8)
    for key, text, stance, by in (
        ("saturday", "Saturdays are the only day I can come.", 1, "resident"),
        ("saturday", "We can staff two Saturdays a month from the practice's budget.", 1, "staff"),
        ("champions", "My auntie only went because a champion rang her.", 1, "resident"),
        ("transport", "Most people live near a bus route; the cost worries me.", -1, "staff"),
        ("text", "Not everyone has a smartphone or data.", -1, "resident"),
        ("letters", "Somali is spoken more than Arabic on our estate.", 0, "resident"),
    ):
        resident = by == "resident"
        session_actions.add_comment(
            user=None if resident else (lead if key == "saturday" else member),
            idea=ideas[key], text=f"Demo: {text}", stance=stance,
            session=session if resident else None, participant=hashed if resident else "",
        )  # fmt: skip


def _ballots(
    made: PrioritisationRound,
    session: Any,
    ideas: dict[str, Idea],
    standing: dict[str, tuple[int, ...]],
    *,
    lead: Any,
    member: Any,
) -> None:
    """Every ballot of :data:`BALLOTS`, each voter declaring a group of the project's breakdown."""
    rng = np.random.default_rng(SEED)
    criteria = list(made.criteria.order_by("pk"))
    by_pk = {ideas[k].pk: standing[k] for k in ideas}
    groups = _groups(made.project)
    number = 0
    for role, channel, count, entered in BALLOTS:
        for _ in range(count):
            number += 1
            group = groups[_PATTERN[number % len(_PATTERN)]]
            scores, supports = _ballot(rng, by_pk, criteria)
            resident = entered == "resident"
            actions.add_ballot(
                user=None if resident else (lead if entered == "lead" else member),
                round=made, role=role, channel=channel,
                declared_group=group,
                scores=scores, supports=supports,
                participant=session_actions.participant_hash(
                    f"ideas.cocreationsession:{session.pk}", f"demo-{number:02d}"
                ) if resident else "",
                session=session if resident else None,
            )  # fmt: skip


#: Which group each ballot declares, in turn: the project's own group (0), the next (1), a third
#: (2), or none (3, prefer not to say). The first two come to 8 or more, so they are shown.
_PATTERN = (0, 0, 1, 0, 1, 0, 2, 0, 1, 3)


def _groups(project: Any) -> list[str]:
    """Four declared groups for the ballots: the project's own group of its breakdown (as a
    resident would declare it, by the band's English name), two others, and "" (not said)."""
    _heading, choices = declared_group_choices(project)
    names = [str(value) for value, _label in choices if value]
    own = ""
    if project.dimension in bands.FIXED_BANDS:
        with translation.override("en"):
            own = str(dict(bands.FIXED_BANDS[project.dimension]).get(project.group, ""))
    elif project.dimension == "borough":
        own = project.group or ""
    # Children do not vote: the youngest band is never one of the two big groups.
    others = [n for n in names if n not in (own, "0 to 17")]
    chosen = [own] if own in names else []
    chosen = [*chosen, *others, "", "", ""][:3]
    return [*chosen, ""]


def _summary(project: Any, session: CoCreationSession, *, created: bool) -> DemoCocreate:
    found = PrioritisationRound.objects.filter(project=project, title__startswith=PREFIX).first()
    return DemoCocreate(
        session_id=session.pk,
        round_id=found.pk if found else None,
        ideas=Idea.objects.filter(project=project, session=session).count(),
        ballots=Ballot.objects.filter(round=found).count() if found else 0,
        decision_id=found.decision_id if found else None,
        created=created,
    )
