"""Statement rounds in the API: a project's rounds, and a round's aggregated results.

Every endpoint calls :func:`focuson.web.permissions.get_visible_or_404` first, as the pages do;
votes stay aggregated (the library's disclosed tables, as the exports give them).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.permissions import Permission, get_visible_or_404
from focuson.web.programme.models import Project
from focuson.web.statements.exports import plain
from focuson.web.statements.models import Moderation, StatementRound
from focuson.web.statements.results import aggregated_rows

router = Router(tags=["statements"])


class RoundOut(Schema):
    id: int
    title: str
    question: str
    open_for_joining: bool
    imported_from: str
    statements: int
    voters: int


class ProjectRoundsOut(Schema):
    project_id: int
    rounds: list[RoundOut]


class ResultsOut(Schema):
    round_id: int
    rows: list[dict[str, Any]]


@router.get("/projects/{project_id}", response=ProjectRoundsOut)
def project_rounds(request: HttpRequest, project_id: int) -> ProjectRoundsOut:
    """A project's statement rounds, with how many accepted statements and voters each has."""
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    rounds = [
        RoundOut(
            id=r.pk,
            title=r.title,
            question=r.question,
            open_for_joining=r.accepting(),
            imported_from=r.imported_from,
            statements=r.statements.filter(status=Moderation.ACCEPTED).count(),
            voters=r.voters.filter(votes__isnull=False).distinct().count(),
        )
        for r in StatementRound.objects.filter(project=project)
    ]
    return ProjectRoundsOut(project_id=project.pk, rounds=rounds)


@router.get("/rounds/{round_id}/results", response=ResultsOut)
def round_results(request: HttpRequest, round_id: int) -> ResultsOut:
    """A round's aggregated results (the same rows as its CSV and JSON exports)."""
    found = get_visible_or_404(
        request, StatementRound.objects.select_related("project"), Permission.VIEW_PROJECT,
        pk=round_id,
    )  # fmt: skip
    rows = [{k: plain(v) for k, v in row.items()} for row in aggregated_rows(found)]
    return ResultsOut(round_id=found.pk, rows=rows)
