"""What changed between two runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.evidence.comparing import compare_runs
from focuson.web.evidence.forms import CompareForm
from focuson.web.evidence.views.common import finding_runs
from focuson.web.permissions import Permission, requires


@requires(Permission.VIEW_EVIDENCE)
def compare(request: HttpRequest) -> HttpResponse:
    """Pick two runs (``?before=&after=``); by default the two newest imports."""
    runs = finding_runs()
    initial = {}
    newest = list(runs.values_list("pk", flat=True)[:2])
    if len(newest) == 2:
        initial = {"before": str(newest[1]), "after": str(newest[0])}
    form = CompareForm(request.GET or None, runs=runs, initial=initial)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare_runs(
            runs.get(pk=form.cleaned_data["before"]), runs.get(pk=form.cleaned_data["after"])
        )
    return render(
        request,
        "evidence/compare.html",
        {"form": form, "comparison": comparison, "enough": runs.count() >= 2},
    )
