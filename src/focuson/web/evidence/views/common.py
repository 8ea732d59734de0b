"""What several evidence pages share: which runs there are, the one a page is about, paging."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from focuson.web.evidence.models import Run


def finding_runs() -> QuerySet[Run]:
    """Runs with findings (Find and monitoring), newest import first."""
    return Run.objects.exclude(kind=Run.Kind.STUDY).select_related("imported_by")


def chosen_run(request: HttpRequest, queryset: QuerySet[Run]) -> Run | None:
    """The run named by ``?run=`` (404 when it is not one of ``queryset``), else the newest."""
    wanted = request.GET.get("run")
    if wanted:
        try:
            return queryset.get(pk=int(wanted))
        except (ValueError, Run.DoesNotExist) as error:
            raise Http404 from error
    return queryset.first()


def page_of(request: HttpRequest, items: Any, per_page: int = 25) -> Page:
    """One page of ``items`` (``?page=``; out of range gives the last page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The query string without ``page``, to build the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
