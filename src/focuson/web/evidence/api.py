"""API: imported runs, their findings and alerts, and import jobs (same checks as the pages)."""

from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from focuson.web.evidence.models import Alert, Finding, ImportJob, Run
from focuson.web.permissions import Permission, check

router = Router(tags=["evidence"])


class RunOut(Schema):
    id: int
    kind: str
    title: str
    first_period: str
    last_period: str
    created: datetime | None
    imported_at: datetime
    imported_by: str | None = Field(None, alias="imported_by.username")
    focuson_version: str
    content_hash: str


class RunDetailOut(RunOut):
    indicators: dict[str, Any]
    study: dict[str, Any]
    manifest: dict[str, Any]


class FindingOut(Schema):
    id: int
    run: int = Field(..., alias="run_id")
    indicator: str
    indicator_title: str
    unit: str
    period: str
    dimension: str
    dimension_label: str
    group: str
    group_label: str
    reference_group: str
    reference_label: str
    borough: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower: float | None
    upper: float | None
    reference_value: float | None
    difference: float | None
    ratio: float | None
    p_value: float | None
    q_value: float | None
    significant: bool
    direction: str
    excess: float | None
    gap_to_standard: float | None
    gap_to_target: float | None
    people_to_standard: float | None
    suppressed: bool
    statistic: str
    test: str
    reason: str


class AlertOut(Schema):
    id: int
    run: int = Field(..., alias="run_id")
    kind: str
    indicator: str
    indicator_title: str
    about: str
    about_label: str
    group: str
    group_label: str
    period: str
    since: str
    people: float | None
    value: float | None
    baseline: float | None
    sentence: str


class JobOut(Schema):
    id: int
    status: str
    source: str
    done: int
    total: int
    percent: int
    step: str
    message: str
    run: int | None = Field(None, alias="run_id")
    created_at: datetime
    finished_at: datetime | None


class FindingFilter(Schema):
    """Filters of the findings list (all optional; codes, as in ``docs/outputs.md``)."""

    run: int | None = None
    indicator: str | None = None
    dimension: str | None = None
    group: str | None = None
    borough: str | None = None
    period: str | None = None
    significant: bool | None = None
    direction: str | None = None

    def apply(self, rows: QuerySet[Finding]) -> QuerySet[Finding]:
        """``rows`` narrowed by every filter given."""
        given = {name: value for name, value in self.model_dump().items() if value is not None}
        if "run" in given:
            given["run_id"] = given.pop("run")
        return rows.filter(**given)


def _live_runs() -> QuerySet[Run]:
    return Run.objects.select_related("imported_by")


@router.get("/runs", response=list[RunOut], summary="Imported runs, newest first")
@paginate(LimitOffsetPagination)
def list_runs(request: HttpRequest) -> Any:
    check(request, Permission.VIEW_EVIDENCE)
    return _live_runs()


@router.get("/runs/{run_id}", response=RunDetailOut, summary="One run with its manifest")
def get_run(request: HttpRequest, run_id: int) -> Any:
    check(request, Permission.VIEW_EVIDENCE)
    return get_object_or_404(_live_runs(), pk=run_id)


@router.get(
    "/findings",
    response=list[FindingOut],
    summary="Findings, most people affected first (filter by run, indicator, period...)",
)
@paginate(LimitOffsetPagination)
def list_findings(request: HttpRequest, filters: Query[FindingFilter]) -> Any:
    check(request, Permission.VIEW_EVIDENCE)
    rows = Finding.objects.filter(run__deleted_at__isnull=True)
    return filters.apply(rows).order_by(F("excess").desc(nulls_last=True), "pk")


@router.get("/findings/{finding_id}", response=FindingOut, summary="One finding")
def get_finding(request: HttpRequest, finding_id: int) -> Any:
    check(request, Permission.VIEW_EVIDENCE)
    return get_object_or_404(Finding, pk=finding_id, run__deleted_at__isnull=True)


@router.get("/alerts", response=list[AlertOut], summary="Alerts, newest month first")
@paginate(LimitOffsetPagination)
def list_alerts(request: HttpRequest, run: int | None = None) -> Any:
    check(request, Permission.VIEW_EVIDENCE)
    rows = Alert.objects.filter(run__deleted_at__isnull=True)
    if run is not None:
        rows = rows.filter(run_id=run)
    return rows.order_by("-period", F("people").desc(nulls_last=True), "pk")


@router.get("/imports/{job_id}", response=JobOut, summary="How an import job is going")
def get_job(request: HttpRequest, job_id: int) -> Any:
    check(request, Permission.IMPORT_RESULTS)
    return get_object_or_404(ImportJob, pk=job_id)
