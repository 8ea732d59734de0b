"""A round's aggregated results as CSV and JSON (issue 16): the library's disclosed tables only
(support and consensus per group, the representative statements, published group sizes). A
voter's votes never leave, one by one or per voter.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.statements.models import StatementRound
from focuson.web.statements.results import aggregated_rows

COLUMNS = (
    "round_id", "grouping", "measure", "group", "published_size", "statement_id", "statement",
    "p_agree", "p_disagree", "opposes", "consensus", "consensus_geomean", "consensus_min",
    "opposed_by", "side", "p_success", "repness", "rank",
)  # fmt: skip


def plain(value: Any) -> Any:
    """JSON- and CSV-safe: NaN as blank/null, numpy numbers as Python's."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _export(
    request: HttpRequest, fmt: str, name: str, rows: Callable[[], list[dict[str, Any]]]
) -> HttpResponse:
    # After the object check, so that an outsider learns nothing (404 before 405).
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            {"rows": [{k: plain(v) for k, v in row.items()} for row in rows()]},
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows():
            writer.writerow({k: "" if plain(v) is None else plain(v) for k, v in row.items()})
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _round(request: HttpRequest, round_id: int) -> StatementRound:
    return get_visible_or_404(
        request, StatementRound.objects.select_related("project"), Permission.VIEW_PROJECT,
        pk=round_id,
    )  # fmt: skip


@requires(Permission.VIEW_PROJECT)
def results_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's aggregated results as CSV."""
    found = _round(request, round_id)
    name = f"statement-round-{found.pk}-results"
    return _export(request, "csv", name, lambda: aggregated_rows(found))


@requires(Permission.VIEW_PROJECT)
def results_json(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's aggregated results as JSON."""
    found = _round(request, round_id)
    name = f"statement-round-{found.pk}-results"
    return _export(request, "json", name, lambda: aggregated_rows(found))
