"""Writes of statement rounds: rounds, statements and their moderation, voters and their votes,
and a Pol.is export brought in as a new round.

Each is one transaction with the acting person in the audit trail (django-simple-history), as
the other apps' actions are. Residents act without an account: their writes carry no user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from focuson.ideas.polis import MODERATED_OUT, PolisExportError, read_polis_files
from focuson.web.programme import actions as programme
from focuson.web.programme.models import Project, Status, Step
from focuson.web.statements.erasure import suggestion_hash
from focuson.web.statements.models import (
    MAX_IMPORTED_TEXT,
    Author,
    Channel,
    Moderation,
    Statement,
    StatementRound,
    Vote,
    Voter,
)

__all__ = [
    "StatementsError",
    "add_paper_voter",
    "add_statement",
    "change_round",
    "create_round",
    "declare_group",
    "import_polis",
    "moderate",
    "online_voter",
    "set_joining",
    "vote",
]


class StatementsError(ValueError):
    """A write refused; the message says what to do."""


def _audited(instance: Any, user: Any) -> Any:
    # simple-history takes the user from the request when there is one; scripts have none.
    instance._history_user = user
    return instance


def _start(user: Any, project: Project) -> None:
    """Start Co-create if it has not started: a statement round is work on it."""
    if project.steps.filter(step=Step.CO_CREATE, status=Status.NOT_STARTED).exists():
        programme.move_step(
            user=user, project=project, step=Step.CO_CREATE, status=Status.IN_PROGRESS
        )


@transaction.atomic
def create_round(
    *,
    user: Any,
    project: Project,
    title: str,
    question: str,
    description: str = "",
    group_question: str | None = None,
    group_options: str | None = None,
    statements: list[str] | tuple[str, ...] = (),
) -> StatementRound:
    """Create a round on ``project`` (open for joining), with its first staff statements."""
    found = StatementRound(
        project=project, title=title, question=question, description=description, created_by=user
    )
    if group_question is not None:
        found.group_question = group_question
    if group_options is not None:
        found.group_options = group_options
    _audited(found, user).save()
    _start(user, project)
    for text in statements:
        if text.strip():
            _audited(Statement(round=found, text=text.strip(), author=Author.STAFF), user).save()
    return found


#: Residents' suggestions waiting for moderation in one round, at most.
MAX_WAITING = 50


@transaction.atomic
def add_statement(
    *, user: Any, round: StatementRound, text: str, author: str = "staff", participant: str = ""
) -> Statement:
    """Add a statement: a staff one is accepted at once, a resident's waits for moderation.

    ``participant`` is a resident's anonymous id: kept hashed on their suggestion, so that they
    can remove it (:mod:`focuson.web.statements.erasure`).
    """
    text = text.strip()
    if not text:
        raise StatementsError(_("Write the statement."))
    if author == Author.RESIDENT and not round.accepting():
        raise StatementsError(_("This round is closed: it takes no more statements."))
    if round.statements.filter(text__iexact=text).exists():
        raise StatementsError(_("That statement is in the round already."))
    waiting = round.statements.filter(status=Moderation.PENDING).count()
    if author == Author.RESIDENT and waiting >= MAX_WAITING:
        # Residents need no account, so a cap on the queue (not on a person) keeps a flood of
        # suggestions from burying the round's facilitators.
        raise StatementsError(
            _("Many suggestions are waiting for a facilitator to read them; try again later.")
        )
    status = Moderation.ACCEPTED if author == Author.STAFF else Moderation.PENDING
    statement = Statement(
        round=round,
        text=text,
        author=author,
        status=status,
        participant=suggestion_hash(round, participant) if participant else "",
    )
    _audited(statement, user).save()
    return statement


@transaction.atomic
def moderate(*, user: Any, statement: Statement, status: str) -> Statement:
    """Accept or reject a statement (a rejected one keeps its votes, shown to no one)."""
    if status not in Moderation.values:
        raise StatementsError(_("Choose accept or reject."))
    statement.status = status
    _audited(statement, user).save()
    return statement


@transaction.atomic
def set_joining(*, user: Any, round: StatementRound, open: bool) -> StatementRound:
    """Open the round to residents with its code, or close it."""
    if open and round.imported_from:
        raise StatementsError(
            _("An imported Pol.is round cannot be opened: its votes were given in Pol.is.")
        )
    round.open_for_joining = open
    if open:
        round.closes_at = None
    _audited(round, user).save()
    return round


@transaction.atomic
def change_round(
    *,
    user: Any,
    round: StatementRound,
    closes_at: Any,
    group_question: str | None = None,
    group_options: str | None = None,
) -> StatementRound:
    """Change when the round stops taking votes and, until a voter has answered it, the
    question about their group and its answers (``None`` leaves them as they are)."""
    if round.imported_from:
        raise StatementsError(
            _("An imported Pol.is round cannot be changed: its votes were given in Pol.is.")
        )
    regrouping = (group_question, group_options) != (None, None) and (
        group_question != round.group_question or group_options != round.group_options
    )
    if regrouping:
        answered = (
            Voter.objects.select_for_update()
            .filter(round=round)
            .exclude(declared_group="", prefers_not_to_say=False)
        )
        if answered.exists():
            raise StatementsError(
                _("The groups cannot change now: voters have answered the question already, "
                  "and their answers would change meaning. Start a new round to ask others.")
            )  # fmt: skip
        round.group_question = group_question or round.group_question
        round.group_options = round.group_options if group_options is None else group_options
    round.closes_at = closes_at
    _audited(round, user).save()
    return round


def _check_group(round: StatementRound, group: str) -> str:
    group = group.strip()
    if group and group not in round.groups:
        raise StatementsError(_("Choose one of the round's groups, or prefer not to say."))
    return group


@transaction.atomic
def online_voter(*, round: StatementRound, participant: str) -> Voter:
    """The voter of an anonymous participant id (made the first time they vote or declare)."""
    voter, _made = Voter.objects.get_or_create(
        round=round, participant=participant, defaults={"channel": Channel.ONLINE}
    )
    return voter


@transaction.atomic
def declare_group(*, voter: Voter, group: str, prefers_not_to_say: bool) -> Voter:
    """Record the group a voter chose to declare, or that they prefer not to say."""
    voter.declared_group = "" if prefers_not_to_say else _check_group(voter.round, group)
    voter.prefers_not_to_say = prefers_not_to_say
    voter.save()
    return voter


@transaction.atomic
def vote(*, voter: Voter, statement: Statement, value: int) -> Vote:
    """Record a vote; voting again on the same statement replaces the earlier vote."""
    if statement.round_id != voter.round_id:
        raise StatementsError(_("That statement is not in this round."))
    if statement.status != Moderation.ACCEPTED:
        raise StatementsError(_("That statement is not open for votes."))
    if value not in (-1, 0, 1):
        raise StatementsError(_("Choose agree, disagree or pass."))
    if voter.channel == Channel.ONLINE and not voter.round.accepting():
        raise StatementsError(_("This round is closed: it takes no more votes."))
    found, _made = Vote.objects.update_or_create(
        voter=voter, statement=statement, defaults={"value": value}
    )
    return found


@transaction.atomic
def add_paper_voter(
    *,
    user: Any,
    round: StatementRound,
    label: str,
    votes: Mapping[int, int],
    group: str = "",
    prefers_not_to_say: bool = False,
) -> Voter:
    """One paper voter's votes (statement id -> 1, -1 or 0), entered by a facilitator; they count
    exactly as an online voter's."""
    if not votes:
        raise StatementsError(_("Enter at least one vote from the paper form."))
    accepted = set(round.statements.filter(status=Moderation.ACCEPTED).values_list("pk", flat=True))
    if not set(votes) <= accepted:
        raise StatementsError(_("Enter votes on this round's accepted statements only."))
    if any(v not in (-1, 0, 1) for v in votes.values()):
        raise StatementsError(_("Choose agree, disagree or pass."))
    voter = Voter(
        round=round,
        channel=Channel.PAPER,
        label=label.strip(),
        declared_group="" if prefers_not_to_say else _check_group(round, group),
        prefers_not_to_say=prefers_not_to_say,
        entered_by=user,
    )
    _audited(voter, user).save()
    bulk_create_with_history(
        [Vote(voter=voter, statement_id=s, value=v) for s, v in votes.items()],
        Vote,
        default_user=user,
    )
    return voter


@transaction.atomic
def import_polis(
    *,
    user: Any,
    project: Project,
    title: str,
    question: str,
    comments: IO[bytes] | IO[str],
    participants_votes: IO[bytes] | IO[str],
    names: tuple[str, str] = ("comments.csv", "participants-votes.csv"),
) -> StatementRound:
    """A Pol.is conversation export as a new, closed round: all of it or nothing.

    Statements keep their Pol.is ids and moderation (moderated out -> rejected; the rest were
    shown to voters in Pol.is -> accepted); each participant with a vote becomes a voter, in the
    file's order, so the round's vote matrix is the one :func:`read_polis_files` reads.

    Raises
    ------
    StatementsError
        The files cannot be read (the message names the file, the line and the column), or a
        statement is longer than Pol.is allows.
    """
    try:
        conv = read_polis_files(comments, participants_votes)
    except PolisExportError as error:
        raise StatementsError(str(error)) from None
    too_long = [int(i) for i, t in zip(conv.statements, conv.texts, strict=True)
                if len(str(t)) > MAX_IMPORTED_TEXT]  # fmt: skip
    if too_long:
        raise StatementsError(
            _("comments.csv: comment %(id)s is longer than %(max)s characters; is this a Pol.is "
              "export?") % {"id": too_long[0], "max": MAX_IMPORTED_TEXT}
        )  # fmt: skip
    found = StatementRound(
        project=project,
        title=title,
        question=question,
        created_by=user,
        open_for_joining=False,
        group_options="",
        imported_from=" + ".join(names),
    )
    _audited(found, user).save()
    _start(user, project)
    statements = bulk_create_with_history(
        [
            Statement(
                round=found,
                text=str(text).strip(),
                author=Author.RESIDENT,
                status=Moderation.REJECTED if moderated == MODERATED_OUT else Moderation.ACCEPTED,
                polis_id=int(pid),
            )
            for pid, text, moderated in zip(
                conv.statements, conv.texts, conv.moderated, strict=True
            )
        ],
        Statement,
        default_user=user,
    )
    statement_pks = _pks(Statement.objects.filter(round=found).order_by("pk"), len(statements))
    voted = ~np.isnan(conv.votes)
    rows = np.flatnonzero(voted.any(axis=1))
    bulk_create_with_history(
        [
            Voter(
                round=found,
                channel=Channel.POLIS,
                label=str(int(conv.participants[r])),
                entered_by=user,
            )
            for r in rows
        ],
        Voter,
        default_user=user,
    )
    voter_pks = _pks(Voter.objects.filter(round=found).order_by("pk"), rows.size)
    # One vote per non-empty cell, in one bulk insert (indices found by numpy, not a nested loop).
    r_idx, s_idx = np.nonzero(voted[rows])
    values = conv.votes[rows][r_idx, s_idx].astype(int)
    bulk_create_with_history(
        [
            Vote(voter_id=int(voter_pks[r]), statement_id=int(statement_pks[s]), value=int(v))
            for r, s, v in zip(r_idx, s_idx, values, strict=True)
        ],
        Vote,
        batch_size=2000,
        default_user=user,
    )
    return found


def _pks(queryset: Any, expected: int) -> np.ndarray:
    pks = np.fromiter(queryset.values_list("pk", flat=True), dtype=np.int64)
    if pks.size != expected:  # pragma: no cover - a new round has only what was just made
        raise StatementsError(_("The import was interrupted; nothing was saved. Try again."))
    return pks
