"""The community insight report: per project, and per borough across its projects.

Who took part against who is affected (:mod:`.heard`), the insights as themes with their
strength (distinct participants and events behind their supporting excerpts) and their
released quotes, links to the findings, findings "not yet heard about" and insights that are
"a possible blind spot in the data". Only released quotes appear (:func:`release.released`):
this report is read outside the workspace, so it needs only ``VIEW_PROJECT``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from focuson.web.evidence.models import Finding
from focuson.web.evidence.views.common import finding_runs
from focuson.web.insight import heard
from focuson.web.insight.coding_analysis import insights_with_strength
from focuson.web.insight.models import Insight
from focuson.web.insight.release import released
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Borough, Project


def themes(projects: list[Project]) -> list[dict[str, Any]]:
    """Insights by type, each with its strength, its finding and its released quotes."""
    # Strength as Open counts it everywhere (coding_analysis.insights_with_strength).
    insights = sorted(
        (i for p in projects for i in insights_with_strength(p).select_related("project")),
        key=lambda i: (i.type, -i.n_people, -i.n_events, i.pk),
    )
    quotes: dict[int, list[Any]] = defaultdict(list)
    rows = released().filter(coding__insights__in=insights).values_list("pk", "coding__insights")
    by_pk = {q.pk: q for q in released().filter(pk__in=[pk for pk, _ in rows])}
    for pk, insight_id in rows:
        quotes[insight_id].append(by_pk[pk])
    out = []
    for kind, label in Insight.Type.choices:
        items = [{"insight": i, "quotes": quotes.get(i.pk, [])} for i in insights if i.type == kind]
        if items:
            out.append({"type": kind, "label": label, "items": items})
    return out


def other_quotes(projects: list[Project]) -> list[Any]:
    """Released quotes of the projects that support no insight: said, not yet a theme."""
    return list(
        released()
        .filter(project__in=projects, coding__insights__isnull=True)
        .select_related("project")
        .order_by("project_id", "released_at", "pk")
    )


#: Most of a borough's own findings listed as not yet heard about (the most people affected).
BOROUGH_FINDINGS = 10


def unheard_findings(projects: list[Project], borough: Borough | None = None) -> list[Finding]:
    """Findings that no (live) insight bears on: "not yet heard about".

    The projects' own findings; for a borough, also its significantly worse findings of the
    latest month of the newest Find run (the most people affected first).
    """
    ids = {p.finding_id for p in projects if p.finding_id}
    if borough is not None:
        run = finding_runs().first()
        if run is not None:
            local = Finding.objects.filter(
                run=run,
                period=run.last_period,
                borough=borough.name,
                significant=True,
                direction="worse",
            ).order_by("-excess", "pk")
            ids |= set(local.values_list("pk", flat=True)[:BOROUGH_FINDINGS])
    spoken = set(
        Insight.objects.filter(finding_id__in=ids, project__deleted_at__isnull=True).values_list(
            "finding_id", flat=True
        )
    )
    return list(Finding.objects.filter(pk__in=ids - spoken).order_by("-excess", "pk"))


def blind_spots(projects: list[Project]) -> list[Insight]:
    """Insights tied to no finding: "a possible blind spot in the data"."""
    return list(Insight.objects.filter(project__in=projects, finding__isnull=True))


def _project_context(project: Project) -> dict[str, Any]:
    found = heard.who_was_heard(project)
    return {
        "project": project,
        "heard": found,
        "heard_table": heard.table(found.result) if found.result is not None else [],
        "not_yet_heard": heard.not_yet_heard(found.result) if found.result is not None else [],
    }


def _report_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=pk)
    return _project_context(project) | {
        "themes": themes([project]),
        "other_quotes": other_quotes([project]),
        "unheard": unheard_findings([project]),
        "blind_spots": blind_spots([project]),
    }


@requires(Permission.VIEW_PROJECT)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's community insight report (with links to its boroughs' reports)."""
    context = _report_context(request, pk)
    context["boroughs"] = context["project"].boroughs.all()
    return render(request, "insight/report/report.html", context)


@requires(Permission.VIEW_PROJECT)
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The same report as a plain page to print or save as PDF."""
    return render(request, "insight/report/report_print.html", _report_context(request, pk))


def _borough_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    borough = get_object_or_404(Borough, pk=pk)
    # Only the projects this person may read (a facilitator: those they are members of).
    projects = [
        p
        for p in Project.objects.filter(boroughs=borough).select_related("finding")
        if has_permission(request.user, Permission.VIEW_PROJECT, p)
    ]
    return {
        "borough": borough,
        "projects": [_project_context(p) for p in projects],
        "themes": themes(projects),
        "other_quotes": other_quotes(projects),
        "unheard": unheard_findings(projects, borough),
        "blind_spots": blind_spots(projects),
    }


@requires(Permission.VIEW_PROGRAMME)
def borough_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A borough's community insight report, across the projects working there."""
    return render(request, "insight/report/borough.html", _borough_context(request, pk))


@requires(Permission.VIEW_PROGRAMME)
def borough_report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The borough's report as a plain page to print or save as PDF."""
    return render(request, "insight/report/borough_print.html", _borough_context(request, pk))
