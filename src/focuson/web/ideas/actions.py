"""Writes of Co-create and Unite: ideas, rounds, ballots and the decision.

Each is one transaction with the acting person in the audit trail (django-simple-history), as
the programme's actions are (:mod:`focuson.web.programme.actions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focuson.ideas.decision import DecisionError, decide
from focuson.ideas.unite import DEFAULT_CRITERIA
from focuson.web.ideas.author_rows import Authors
from focuson.web.ideas.erasure import forget_ballots
from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    BallotSupport,
    Criterion,
    Idea,
    IdeaContributor,
    IdeaStatus,
    PrioritisationRound,
)
from focuson.web.programme import actions as programme
from focuson.web.programme.models import Decision, Project, Status, Step

__all__ = ["IdeasError", "add_ballot", "decide_round", "save_idea", "start_round"]

#: The issue's criteria in words, by their keys in :data:`focuson.ideas.unite.DEFAULT_CRITERIA`.
CRITERIA_LABELS = {
    "gap": gettext_lazy("Expected narrowing of the gap for the group in focus"),
    "reach": gettext_lazy("Reach"),
    "feasibility": gettext_lazy("Feasibility"),
    "cost": gettext_lazy("Cost (a high score costs more)"),
    "community_support": gettext_lazy("Community support"),
    "measurable": gettext_lazy("Whether the Study step can measure it"),
}


class IdeasError(ValueError):
    """A write refused; the message says what to do."""


def _audited(instance: Any, user: Any) -> Any:
    # simple-history takes the user from the request when there is one; scripts have none.
    instance._history_user = user
    return instance


@transaction.atomic
def save_idea(
    *,
    user: Any,
    project: Project,
    idea: Idea | None = None,
    fields: Mapping[str, Any],
    builds_on: Iterable[Idea] = (),
    contributors: Sequence[tuple[str, str]] = (),
    insights: Iterable[Any] | None = None,
    findings: Iterable[Any] | None = None,
    authors: Authors | None = None,
) -> Idea:
    """Add an idea to ``project`` (or change ``idea``), with who made it.

    ``contributors`` (name, role) replace the idea's contributors when given; ``authors`` (the
    staff form's rows) change, remove and add co-authors one by one, so that those kept keep
    their rows (a resident's stays theirs to remove, ``ideas.erasure``); ``insights``
    (Open) and ``findings`` (Find), the problem it addresses, replace its links when given.
    ``user`` is None for a resident's idea (``session_actions.add_resident_idea``).
    """
    if idea is None:
        idea = Idea(project=project, created_by=user)
    for name, value in fields.items():
        setattr(idea, name, value)
    _audited(idea, user).save()
    _start(user, project, Step.CO_CREATE)
    idea.builds_on.set([i for i in builds_on if i.pk != idea.pk])
    if insights is not None:
        insights = list(insights)
        if any(i.project_id != project.pk for i in insights):
            raise IdeasError(_("Link insights of this project only."))
        idea.insights.set(insights)
    if findings is not None:
        idea.findings.set(list(findings))
    if contributors:
        for old in idea.contributors.all():
            _audited(old, user).delete()
        for name, role in contributors:
            _audited(IdeaContributor(idea=idea, name=name, role=role), user).save()
    if authors is not None:
        _set_authors(user, idea, authors)
    return idea


def _set_authors(user: Any, idea: Idea, authors: Authors) -> None:
    """Apply the staff form's co-author rows (a handful), each change in the audit trail."""
    for c in IdeaContributor.objects.filter(idea=idea, pk__in=authors.removed):
        _audited(c, user).delete()
    for c in IdeaContributor.objects.filter(idea=idea, pk__in=list(authors.changed)):
        c.name, c.role = authors.changed[c.pk]
        _audited(c, user).save()
    for name, role in authors.added:
        _audited(IdeaContributor(idea=idea, name=name, role=role), user).save()


@transaction.atomic
def start_round(
    *,
    user: Any,
    project: Project,
    title: str,
    ideas: Sequence[Idea],
    weights: Mapping[str, float] | None = None,
    max_selected: int = 3,
) -> PrioritisationRound:
    """Start a prioritisation round on ``ideas`` with the issue's six criteria.

    ``weights`` by criterion key (1 for any not given).
    """
    if not ideas:
        raise IdeasError(_("Choose the ideas to score in this round."))
    if any(i.project_id != project.pk for i in ideas):
        raise IdeasError(_("Choose ideas of this project only."))
    found = PrioritisationRound(
        project=project, title=title, max_selected=max_selected, created_by=user
    )
    _audited(found, user).save()
    _start(user, project, Step.UNITE)
    found.ideas.set(ideas)
    weights = weights or {}
    for c in DEFAULT_CRITERIA:
        _audited(
            Criterion(
                round=found,
                key=c.name,
                label=str(CRITERIA_LABELS[c.name]),
                weight=weights.get(c.name, c.weight),
                higher_is_better=c.higher_is_better,
            ),
            user,
        ).save()
    Idea.objects.filter(pk__in=[i.pk for i in ideas], status=IdeaStatus.SUBMITTED).update(
        status=IdeaStatus.SHORTLISTED
    )
    return found


@transaction.atomic
def add_ballot(
    *,
    user: Any,
    round: PrioritisationRound,
    role: str,
    channel: str,
    declared_group: str = "",
    scores: Mapping[tuple[int, int], int],
    supports: Mapping[int, int] | None = None,
    participant: str = "",
    session: Any = None,
) -> Ballot:
    """Record one voter's ballot: ``scores`` by (idea id, criterion id), ``supports`` by idea id.

    A ballot from paper, the room or the phone, entered by a facilitator, is the same row as an
    online one: only ``channel`` says how it came. A resident's own ballot (``user`` None) comes
    through a co-creation ``session`` of the round's project with their ``participant`` hash:
    their second ballot replaces the first, so each person counts once. A ballot staff enter
    may name the ``session`` it was given in (on paper or in the room), open or closed.
    """
    # Locked, so that a ballot cannot slip in while the round is being decided.
    if PrioritisationRound.objects.select_for_update().get(pk=round.pk).decision_id is not None:
        raise IdeasError(_("This round is decided: it takes no more ballots."))
    if not scores:
        raise IdeasError(_("Score at least one idea."))
    if user is None and not (participant and session is not None):
        raise IdeasError(_("A ballot needs who entered it, or the session it came through."))
    if session is not None:
        if session.project_id != round.project_id:
            raise IdeasError(_("Score the ideas of this session's project only."))
        # A resident's own ballot needs the session open; staff enter paper ones from it later.
        if user is None and not (
            type(session).objects.select_for_update().get(pk=session.pk).accepting()
        ):
            raise IdeasError(_("This session is closed: it takes no more scores."))
    known = set(round.criteria.values_list("pk", flat=True))
    ideas = set(round.ideas.values_list("pk", flat=True))
    if any(i not in ideas or c not in known for i, c in scores) or set(supports or ()) - ideas:
        raise IdeasError(_("Score only the ideas of this round, on its criteria."))
    if participant:
        # A resident's earlier ballot goes with its history: it was theirs alone, and kept it
        # would outlive their asking to remove what they gave (ideas.erasure).
        forget_ballots(
            list(
                Ballot.objects.filter(round=round, participant=participant).values_list(
                    "pk", flat=True
                )
            )
        )
    ballot = Ballot(
        round=round,
        role=role,
        channel=channel,
        declared_group=declared_group.strip(),
        entered_by=user,
        participant=participant,
        session=session,
    )
    _audited(ballot, user).save()
    BallotScore.objects.bulk_create(
        BallotScore(ballot=ballot, idea_id=idea, criterion_id=criterion, score=score)
        for (idea, criterion), score in scores.items()
    )
    BallotSupport.objects.bulk_create(
        BallotSupport(ballot=ballot, idea_id=idea, support=value)
        for idea, value in (supports or {}).items()
    )
    return ballot


@transaction.atomic
def decide_round(
    *,
    user: Any,
    round: PrioritisationRound,
    selected: Sequence[Idea],
    parked: Mapping[Idea, str],
    rationale: str = "",
) -> Decision:
    """Select at most the round's maximum of ideas, park the rest with reasons, and record the
    decision in the project's decisions log (step Unite).

    Raises
    ------
    IdeasError
        When the round is decided already, or the decision breaks the rules of
        :func:`focuson.ideas.decision.decide` (too many selected, an idea without a reason...).
    """
    # Locked: two people deciding at once record one decision, and the second is told.
    if PrioritisationRound.objects.select_for_update().get(pk=round.pk).decision_id is not None:
        raise IdeasError(_("This round is decided already."))
    ideas = list(round.ideas.all())
    if len({i.pk for i in selected}) > round.max_selected:
        raise IdeasError(
            _(
                "At most %(max)s ideas can be selected in this round; %(n)s were chosen. Park "
                "the others with a reason."
            )
            % {"max": round.max_selected, "n": len({i.pk for i in selected})}
        )
    # The library names ideas by key: "idea<id>", put back as titles in its messages.
    by_key = {f"idea{i.pk}": i for i in ideas}
    try:
        made = decide(
            list(by_key),
            [f"idea{i.pk}" for i in selected],
            {f"idea{i.pk}": reason for i, reason in parked.items()},
            max_selected=round.max_selected,
        )
    except DecisionError as error:
        raise IdeasError(_titles(str(error), by_key)) from None
    chosen = [by_key[k] for k in made.selected]
    text = _("Selected for prototyping: %(ideas)s.") % {"ideas": "; ".join(i.title for i in chosen)}
    if made.parked:
        text += " " + _("Parked: %(ideas)s.") % {
            "ideas": "; ".join(f"{by_key[k].title} ({why})" for k, why in made.parked.items())
        }
    decision = programme.record_decision(
        user=user, project=round.project, step=Step.UNITE, text=text, rationale=rationale
    )
    for idea in chosen:
        idea.status, idea.parked_reason = IdeaStatus.SELECTED, ""
        _audited(idea, user).save()
    for key, why in made.parked.items():
        idea = by_key[key]
        idea.status, idea.parked_reason = IdeaStatus.PARKED, why
        _audited(idea, user).save()
    round.decision = decision
    _audited(round, user).save()
    # The shortlist is chosen: Unite is done, and the selected ideas go to the Study step.
    programme.move_step(user=user, project=round.project, step=Step.UNITE, status=Status.DONE)
    return decision


def _start(user: Any, project: Project, step: Any) -> None:
    """Start ``step`` if it has not started: work on it means the project is there now."""
    if project.steps.filter(step=step, status=Status.NOT_STARTED).exists():
        programme.move_step(user=user, project=project, step=step, status=Status.IN_PROGRESS)


def _titles(message: str, by_key: Mapping[str, Idea]) -> str:
    """The library's message with idea keys replaced by the ideas' titles."""
    return re.sub(
        r"\bidea\d+\b", lambda m: by_key[m.group(0)].title if m.group(0) in by_key else "", message
    )
