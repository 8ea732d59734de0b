"""Runs side by side, one run's page, and alerts."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.evidence.models import Alert, Finding, Run
from focuson.web.evidence.views.common import chosen_run, page_of, query_without_page
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires


def _count(model: type[Finding] | type[Alert]) -> Coalesce:
    """How many rows of ``model`` each run holds, as a subquery (no join of the two tables)."""
    counted = (
        model.objects.filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@requires(Permission.VIEW_EVIDENCE)
def runs(request: HttpRequest) -> HttpResponse:
    """Every imported run side by side: kind, months, when it ran, who imported it."""
    rows = Run.objects.select_related("imported_by").annotate(
        n_findings=_count(Finding), n_alerts=_count(Alert)
    )
    return render(
        request,
        "evidence/runs.html",
        {
            "runs": rows,
            "can_import": has_permission(request.user, Permission.IMPORT_RESULTS),
        },
    )


@requires(Permission.VIEW_EVIDENCE)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: where it came from, what it holds, its top findings and latest alerts."""
    found: Run = get_visible_or_404(
        request, Run.objects.select_related("imported_by"), Permission.VIEW_EVIDENCE, pk=pk
    )
    findings = Finding.objects.filter(run=found)
    counts = findings.aggregate(
        total=Count("pk"),
        suppressed=Count("pk", filter=Q(suppressed=True)),
        significant=Count("pk", filter=Q(significant=True, direction="worse")),
    )
    top = findings.filter(period=found.last_period, significant=True, direction="worse")[:10]
    main = found.manifest.get("main") or found.manifest.get("monitor") or {}
    return render(
        request,
        "evidence/run.html",
        {
            "run": found,
            "counts": counts,
            "top": top,
            "alerts": Alert.objects.filter(run=found)[:5],
            "n_alerts": Alert.objects.filter(run=found).count(),
            "n_series": found.series.count(),
            "main": main,
            "verdicts": found.study.get("verdict", []),
            "effects": found.study.get("effects", []),
        },
    )


@requires(Permission.VIEW_EVIDENCE)
def alerts(request: HttpRequest) -> HttpResponse:
    """The alerts of one run (``?run=``, the newest by default), newest month first."""
    queryset = Run.objects.exclude(kind=Run.Kind.STUDY)
    current = chosen_run(request, queryset)
    items = (
        Alert.objects.filter(run=current).order_by(
            "-period", F("people").desc(nulls_last=True), "pk"
        )
        if current
        else []
    )
    return render(
        request,
        "evidence/alerts.html",
        {
            "run": current,
            "runs": queryset,
            "page": page_of(request, items),
            "query": query_without_page(request),
        },
    )
