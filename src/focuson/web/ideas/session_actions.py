"""Writes of Co-create's sessions: a session, its joining, its paper attendance, comments, and
what residents who joined with the code add.

Each is one transaction with the acting person in the audit trail (django-simple-history). A
resident has no account: their writes carry no user, and their anonymous participant id is
kept only as a one-way hash (:func:`participant_hash`), never shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from focuson.web.ideas.actions import IdeasError, _audited, _start, save_idea
from focuson.web.ideas.models import (
    CoCreationSession,
    Idea,
    IdeaComment,
    IdeaContributor,
    IdeaStatus,
    Role,
    SessionAttendance,
)
from focuson.web.programme.models import Project, Step

__all__ = [
    "add_comment",
    "add_resident_idea",
    "delete_session",
    "participant_hash",
    "record_attendance",
    "save_session",
    "set_joining",
]


def participant_hash(session_key: str, token: str) -> str:
    """A one-way hash of a resident's anonymous id within what they joined (``session_key``):
    the same person gives the same hash there, and the hash gives back nothing.

    >>> len(participant_hash("ideas.cocreationsession:1", "ab" * 16))
    64
    """
    return hashlib.sha256(f"{session_key}|{token}".encode()).hexdigest()


@transaction.atomic
def save_session(
    *,
    user: Any,
    project: Project,
    session: CoCreationSession | None = None,
    fields: Mapping[str, Any],
    facilitators: Iterable[Any] = (),
) -> CoCreationSession:
    """Add a co-creation session to ``project`` (or change ``session``).

    A new session is open for joining with a fresh code; Co-create starts if it had not.
    """
    if session is None:
        session = CoCreationSession(project=project, created_by=user)
    for name, value in fields.items():
        setattr(session, name, value)
    _audited(session, user).save()
    session.facilitators.set(list(facilitators))
    _start(user, project, Step.CO_CREATE)
    return session


@transaction.atomic
def set_joining(*, user: Any, session: CoCreationSession, open: bool) -> CoCreationSession:
    """Open or close a session to residents joining and contributing with its code."""
    session.open_for_joining = open
    if open and session.closes_at is not None:
        # Reopening by hand lifts an earlier closing time, or the session would stay shut.
        session.closes_at = None
    _audited(session, user).save()
    return session


@transaction.atomic
def delete_session(*, user: Any, session: CoCreationSession) -> None:
    """Close a session to residents and hide it (an administrator can restore it; the ideas,
    comments and ballots given there stay, and keep counting)."""
    session.open_for_joining = False
    _audited(session, user).save()
    session.soft_delete(user=user)


@transaction.atomic
def record_attendance(
    *, user: Any, session: CoCreationSession, dimension: str, counts: Mapping[str, int]
) -> int:
    """Record a paper sheet's counts for one breakdown (role or a band), replacing the
    session's earlier counts for it, so nobody is counted twice. Returns the people counted."""
    # One by one so that the audit trail records each removal (a handful of rows at most).
    for row in SessionAttendance.objects.filter(session=session, dimension=dimension):
        _audited(row, user).delete()
    rows = [
        SessionAttendance(session=session, dimension=dimension, band=band, count=n)
        for band, n in counts.items()
        if n
    ]
    bulk_create_with_history(rows, SessionAttendance, default_user=user)
    return sum(counts.values())


def _accepting(session: CoCreationSession) -> None:
    # Locked, so that a session closed at this moment takes nothing more.
    if not CoCreationSession.objects.select_for_update().get(pk=session.pk).accepting():
        raise IdeasError(
            _("This session is closed: it takes no more ideas, comments or scores. Ask the "
              "session's facilitator what happens next.")
        )  # fmt: skip


@transaction.atomic
def add_resident_idea(
    *, session: CoCreationSession, fields: Mapping[str, Any], name: str = "", participant: str = ""
) -> Idea:
    """An idea a resident added in ``session`` (no account), with them as a resident co-author
    (``name`` as they gave it, or blank: "a resident"; ``participant`` their hash, so that they
    can remove what they gave: :mod:`focuson.web.ideas.erasure`)."""
    _accepting(session)
    idea = save_idea(
        user=None,
        project=session.project,
        fields={**fields, "session": session, "status": IdeaStatus.SUBMITTED},
    )
    author = IdeaContributor(
        idea=idea, name=name.strip(), role=Role.RESIDENT, session=session, participant=participant
    )
    _audited(author, None).save()
    return idea


@transaction.atomic
def add_comment(
    *,
    user: Any,
    idea: Idea,
    text: str,
    stance: int,
    session: CoCreationSession | None = None,
    participant: str = "",
) -> IdeaComment:
    """A comment on ``idea``, for (1), neutral (0) or against (-1): by ``user`` (staff), or by a
    resident who joined ``session`` (``user`` None), limited to the session's project while it
    takes contributions."""
    if session is not None:
        if idea.project_id != session.project_id:
            raise IdeasError(_("Comment on the ideas of this session's project only."))
        _accepting(session)
    elif user is None:
        raise IdeasError(_("A comment needs its author or the session it was made in."))
    if not text.strip():
        raise IdeasError(_("Write your comment."))
    comment = IdeaComment(
        idea=idea,
        text=text.strip(),
        stance=stance,
        author=user,
        session=session,
        participant=participant,
    )
    _audited(comment, user).save()
    return comment
