"""Exports of Co-create and Unite: a project's ideas, and a round's aggregated results, as CSV
and JSON (issue 16). Only what the pages show leaves: ballots never leave one by one, and the
results are the library's disclosed tables (small groups merged or left out, counts rounded).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.text import slugify

from focuson.web.ideas.models import Idea, PrioritisationRound
from focuson.web.ideas.results import aggregated_rows
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

IDEA_COLUMNS = (
    "id", "title", "summary", "groups", "how_it_works", "cost_band", "risks", "status",
    "parked_reason", "builds_on", "contributors", "session", "insights", "findings",
    "comments_for", "comments_neutral", "comments_against",
)  # fmt: skip
RESULT_COLUMNS = (
    "round_id", "measure", "dimension", "group", "idea_id", "idea", "voters", "score",
    "p_support", "opposes", "consensus", "opposed_by",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """JSON- and CSV-safe: NaN as blank/null, numpy numbers as Python's."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _csv(name: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if _plain(v) is None else _plain(v) for k, v in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _json(name: str, rows: Iterable[dict[str, Any]]) -> JsonResponse:
    response = JsonResponse(
        {"rows": [{k: _plain(v) for k, v in row.items()} for row in rows]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def _idea_rows(project: Project) -> list[dict[str, Any]]:
    ideas = (
        Idea.objects.filter(project=project)
        .select_related("session")
        .prefetch_related("builds_on", "contributors", "insights", "findings", "comments")
    )
    return [
        {
            "id": i.pk,
            "title": i.title,
            "summary": i.summary,
            "groups": i.groups,
            "how_it_works": i.how_it_works,
            "cost_band": i.cost_band,
            "risks": i.risks,
            "status": i.status,
            "parked_reason": i.parked_reason,
            "builds_on": ";".join(str(b.pk) for b in i.builds_on.all()),
            "contributors": ";".join(
                f"{c.name or 'a resident'} ({c.role})" for c in i.contributors.all()
            ),
            "session": i.session.title if i.session else "",
            "insights": ";".join(str(x.pk) for x in i.insights.all()),
            "findings": ";".join(str(x.pk) for x in i.findings.all()),
            # Comments counted by stance (their words stay on the idea's page).
            **{
                f"comments_{name}": sum(1 for c in i.comments.all() if c.stance == stance)
                for name, stance in (("for", 1), ("neutral", 0), ("against", -1))
            },
        }
        for i in ideas
    ]


def _export(request: HttpRequest, fmt: str, name: str, columns: Sequence[str], rows: Any) -> Any:
    # After the object check, so that an outsider learns nothing (404 before 405).
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _csv(name, columns, rows()) if fmt == "csv" else _json(name, rows())


@requires(Permission.VIEW_PROJECT)
def ideas_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's ideas as CSV (one row per idea)."""
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    name = f"ideas-{slugify(project.title) or project.pk}"
    return _export(request, "csv", name, IDEA_COLUMNS, lambda: _idea_rows(project))


@requires(Permission.VIEW_PROJECT)
def ideas_json(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's ideas as JSON."""
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    name = f"ideas-{slugify(project.title) or project.pk}"
    return _export(request, "json", name, IDEA_COLUMNS, lambda: _idea_rows(project))


def _round(request: HttpRequest, round_id: int) -> PrioritisationRound:
    return get_visible_or_404(
        request, PrioritisationRound.objects.all(), Permission.VIEW_PROJECT, pk=round_id
    )


@requires(Permission.VIEW_PROJECT)
def results_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's aggregated results as CSV: scores and support per group, consensus."""
    found = _round(request, round_id)
    name = f"round-{found.pk}-results"
    return _export(request, "csv", name, RESULT_COLUMNS, lambda: aggregated_rows(found))


@requires(Permission.VIEW_PROJECT)
def results_json(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's aggregated results as JSON."""
    found = _round(request, round_id)
    name = f"round-{found.pk}-results"
    return _export(request, "json", name, RESULT_COLUMNS, lambda: aggregated_rows(found))
