"""The findings explorer: filter a run's findings, sorted by people affected, a page at a time.

A GET form, so every view of the findings has its own address; with htmx the table refreshes
in place as filters change (the same view answers with the table alone).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.evidence.forms import FindingFilterForm
from focuson.web.evidence.models import Finding
from focuson.web.evidence.views.common import (
    chosen_run,
    finding_runs,
    page_of,
    query_without_page,
)
from focuson.web.permissions import Permission, requires


@requires(Permission.VIEW_EVIDENCE)
def findings(request: HttpRequest) -> HttpResponse:
    """Findings of one run (the newest by default), the most people affected first."""
    runs = finding_runs()
    run = chosen_run(request, runs)
    form = FindingFilterForm(request.GET or None, runs=runs, run=run)
    items = Finding.objects.none()
    if run is not None:
        items = Finding.objects.filter(run=run)
        if form.is_bound:
            items = form.filter(items, run.last_period) if form.is_valid() else items.none()
        else:
            items = items.filter(period=run.last_period)
    context = {
        "run": run,
        "form": form,
        "page": page_of(request, items),
        "query": query_without_page(request),
    }
    template = "evidence/findings.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "findings-results":
        template = "evidence/includes/findings_results.html"
    return render(request, template, context)
