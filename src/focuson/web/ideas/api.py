"""Co-create and Unite in the API: a project's ideas and rounds (ballots stay aggregated).

The endpoint calls the same :func:`focuson.web.permissions.get_visible_or_404` as the pages.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.ideas.idea_page import gap_estimates
from focuson.web.ideas.models import CoCreationSession, Idea, PrioritisationRound
from focuson.web.permissions import Permission, get_visible_or_404
from focuson.web.programme.models import Project
from focuson.web.programme.schemas import Choice

router = Router(tags=["ideas"])


class IdeaOut(Schema):
    id: int
    title: str
    summary: str
    groups: str
    status: Choice
    parked_reason: str
    builds_on: list[int]


class RoundOut(Schema):
    id: int
    title: str
    idea_ids: list[int]
    max_selected: int
    ballots: int
    decision_id: int | None


class SessionOut(Schema):
    id: int
    title: str
    date: datetime.date
    format: Choice
    venue: str
    languages: str
    #: The code residents join with (staff read it out; it opens this session only).
    code: str
    accepting: bool
    idea_ids: list[int]


class ProjectIdeasOut(Schema):
    project_id: int
    ideas: list[IdeaOut]
    rounds: list[RoundOut]
    sessions: list[SessionOut]


class CommentOut(Schema):
    stance: Choice
    text: str
    #: Staff's name, or "A resident" (never who).
    by: str
    created: datetime.datetime


class GapOut(Schema):
    finding_id: int
    people_affected: float
    people_fewer: float
    share_closed: float
    gap_before: float | None
    gap_after: float | None
    reach: float
    effect: float
    effect_source: str


class IdeaDetailOut(IdeaOut):
    project_id: int
    how_it_works: str
    session_id: int | None
    contributors: list[str]
    insight_ids: list[int]
    finding_ids: list[int]
    comments: list[CommentOut]
    expected_gap_narrowing: list[GapOut]


@router.get("/projects/{project_id}", response=ProjectIdeasOut)
def project_ideas(request: HttpRequest, project_id: int) -> ProjectIdeasOut:
    """A project's ideas (with their status and why any was parked) and its rounds."""
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    ideas = [
        IdeaOut(
            id=i.pk,
            title=i.title,
            summary=i.summary,
            groups=i.groups,
            status=Choice(code=i.status, label=str(i.get_status_display())),
            parked_reason=i.parked_reason,
            builds_on=[b.pk for b in i.builds_on.all()],
        )
        for i in Idea.objects.filter(project=project).prefetch_related("builds_on")
    ]
    rounds = [
        RoundOut(
            id=r.pk,
            title=r.title,
            idea_ids=[i.pk for i in r.ideas.all()],
            max_selected=r.max_selected,
            ballots=r.ballots.count(),
            decision_id=r.decision_id,
        )
        for r in PrioritisationRound.objects.filter(project=project).prefetch_related("ideas")
    ]
    sessions = [
        SessionOut(
            id=found.pk,
            title=found.title,
            date=found.date,
            format=Choice(code=found.format, label=str(found.get_format_display())),
            venue=found.venue,
            languages=found.languages,
            code=found.code,
            accepting=found.accepting(),
            idea_ids=[i.pk for i in found.ideas.all()],
        )
        for found in CoCreationSession.objects.filter(project=project).prefetch_related("ideas")
    ]
    return ProjectIdeasOut(project_id=project.pk, ideas=ideas, rounds=rounds, sessions=sessions)


@router.get("/ideas/{idea_id}", response=IdeaDetailOut)
def idea_detail(request: HttpRequest, idea_id: int) -> IdeaDetailOut:
    """An idea as its page shows it: contributors, links, comments, the gap it could narrow."""
    idea = get_visible_or_404(
        request, Idea.objects.select_related("project"), Permission.VIEW_PROJECT, pk=idea_id
    )
    return IdeaDetailOut(
        id=idea.pk,
        project_id=idea.project_id,
        title=idea.title,
        summary=idea.summary,
        groups=idea.groups,
        how_it_works=idea.how_it_works,
        status=Choice(code=idea.status, label=str(idea.get_status_display())),
        parked_reason=idea.parked_reason,
        builds_on=[b.pk for b in idea.builds_on.all()],
        session_id=idea.session_id,
        contributors=[str(c) for c in idea.contributors.all()],
        insight_ids=[i.pk for i in idea.insights.all()],
        finding_ids=[f.pk for f in idea.findings.all()],
        comments=[
            CommentOut(
                stance=Choice(code=str(c.stance), label=str(c.get_stance_display())),
                text=c.text,
                by=c.by(),
                created=c.created,
            )
            for c in idea.comments.select_related("author")
        ],
        expected_gap_narrowing=[
            GapOut(
                finding_id=e.finding.pk,
                people_affected=e.people_affected,
                people_fewer=e.people_fewer,
                share_closed=e.share_closed,
                gap_before=e.gap_before,
                gap_after=e.gap_after,
                reach=e.reach,
                effect=e.effect,
                effect_source=e.source,
            )
            for e in gap_estimates(idea)
        ],
    )
