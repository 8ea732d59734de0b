"""The demo's statement round: twelve statements and eighty voters on one example project.

:func:`seed_statements` runs the round as a facilitator would: staff statements, most voters on
paper forms entered by the facilitator and the rest online with the round's code, each voter
declaring an ethnic group (or preferring not to), then the round closed for its results. Votes
are drawn with a fixed seed from each group's leaning on each statement, so the results show
consensus, a divisive statement and groups large enough to be shown. Eighty, not forty: small
counts are not published, and with forty voters most of the groups' shares were left blank.

Everything says "Demo"; running it again changes nothing (a project with a demo round keeps it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction

from focuson.web.statements import actions
from focuson.web.statements.models import Statement, StatementRound, Voter

PREFIX = "Demo"
SEED = 20250416
TITLE = f"{PREFIX} statement round: what would help people take up the offer"
QUESTION = "What would make it easier for you, or people you know, to take up the offer?"

#: (statement, how far each group leans to agree from -1 to 1: Asian, Black, White, others).
STATEMENTS: tuple[tuple[str, tuple[float, float, float, float]], ...] = (
    ("Invitation letters should come in the languages people read.", (0.9, 0.6, 0.5, 0.7)),
    ("I would rather book by text message or online than by phone.", (0.5, 0.6, 0.7, 0.5)),
    ("Evening and weekend appointments would make it easier for me.", (0.8, 0.8, 0.7, 0.8)),
    ("A community champion who speaks my language would help me go.", (0.8, 0.5, 0.0, 0.6)),
    ("I trust my GP surgery to tell me what I need.", (0.1, -0.4, 0.5, 0.0)),
    ("Checks at the mosque, temple or community centre would bring more people.",
     (0.9, 0.4, 0.1, 0.5)),
    ("I would feel more comfortable seeing a woman nurse or doctor.", (0.7, 0.3, 0.1, 0.4)),
    ("Reminders should go to a family member if I ask for it.", (0.6, 0.3, 0.2, 0.4)),
    ("The NHS should pay for transport to appointments.", (0.4, 0.5, 0.2, 0.4)),
    ("Pharmacies should offer the check without an appointment.", (0.5, 0.6, 0.7, 0.6)),
    ("Care I had abroad should be added to my GP record.", (0.6, 0.5, -0.2, 0.4)),
    ("I do not need the check if I feel well.", (-0.6, -0.3, 0.4, -0.2)),
)  # fmt: skip

#: Declared groups (the round's default list, the 2021 Census's broad groups) and how many of
#: the eighty voters declared each; "" = prefer not to say.
VOTERS: tuple[tuple[str, int], ...] = (
    ("Asian or Asian British", 28),
    ("Black, Black British, Caribbean or African", 24),
    ("White", 18),
    ("Mixed or multiple ethnic groups", 4),
    ("", 6),
)
#: How many voters voted online with the code (every fourth); the rest on paper.
ONLINE_EVERY = 4


@dataclass(frozen=True)
class DemoStatements:
    """The demo round (made now, or found from an earlier run)."""

    round_id: int
    statements: int
    voters: int
    created: bool


def _lean(group: str) -> int:
    names = [name for name, _n in VOTERS[:3]]
    return names.index(group) if group in names else 3


def _votes(rng: np.random.Generator, group: str) -> list[int | None]:
    """One voter's votes: agree, disagree or pass by the group's leaning; one in ten skipped."""
    out: list[int | None] = []
    for _text, leans in STATEMENTS:
        lean = leans[_lean(group)]
        p_pass = 0.15
        p_agree = (1 - p_pass) * (1 + lean) / 2
        draw = rng.random()
        if rng.random() < 0.1:
            out.append(None)
        elif draw < p_agree:
            out.append(1)
        elif draw < p_agree + p_pass:
            out.append(0)
        else:
            out.append(-1)
    return out


@transaction.atomic
def seed_statements(
    project: Any, *, lead: Any, facilitator: Any, say: Callable[[str], None] = print
) -> DemoStatements:
    """Give ``project`` the demo's statement round, voted and closed (once).

    Parameters
    ----------
    project
        The example project with the demo's Co-create and Unite.
    lead
        Who creates the round and closes it.
    facilitator
        Who enters the paper forms (a member of ``project``; else the lead does).
    say
        Where progress sentences go.
    """
    found = StatementRound.objects.filter(project=project, title__startswith=PREFIX).first()
    if found is not None:
        return _summary(found, created=False)
    say(f"Seeding a statement round on {project.title}...")
    entering = facilitator if project.is_member(facilitator) else lead
    made = actions.create_round(
        user=lead,
        project=project,
        title=TITLE,
        question=QUESTION,
        description="Demo: statements from the listening events, voted at the co-creation "
        "workshop, in the community hub and online.",
        statements=[text for text, _leans in STATEMENTS],
    )
    statements = list(Statement.objects.filter(round=made).order_by("pk"))
    rng = np.random.default_rng(SEED)
    number = 0
    for group, count in VOTERS:
        for _ in range(count):
            number += 1
            votes = {
                s.pk: v
                for s, v in zip(statements, _votes(rng, group), strict=True)
                if v is not None
            }
            if number % ONLINE_EVERY == 0:
                voter = actions.online_voter(round=made, participant=f"demo-online-{number:02d}")
                actions.declare_group(voter=voter, group=group, prefers_not_to_say=not group)
                for statement in statements:
                    if statement.pk in votes:
                        actions.vote(voter=voter, statement=statement, value=votes[statement.pk])
            else:
                # The form's number as a facilitator writes it on the paper (data, not page text).
                form = f"{PREFIX} paper form {number:02d}"
                actions.add_paper_voter(
                    user=entering,
                    round=made,
                    label=form,
                    votes=votes,
                    group=group,
                    prefers_not_to_say=not group,
                )
    actions.set_joining(user=lead, round=made, open=False)
    return _summary(made, created=True)


def _summary(found: StatementRound, *, created: bool) -> DemoStatements:
    return DemoStatements(
        round_id=found.pk,
        statements=Statement.objects.filter(round=found).count(),
        voters=Voter.objects.filter(round=found).count(),
        created=created,
    )
