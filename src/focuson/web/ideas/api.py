"""Co-create and Unite in the API: a project's ideas and rounds (ballots stay aggregated).

The endpoint calls the same :func:`focuson.web.permissions.get_visible_or_404` as the pages.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.ideas.models import Idea, PrioritisationRound
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


class ProjectIdeasOut(Schema):
    project_id: int
    ideas: list[IdeaOut]
    rounds: list[RoundOut]


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
    return ProjectIdeasOut(project_id=project.pk, ideas=ideas, rounds=rounds)
