"""The Open step in the API: a project's events, insights, and who was heard.

The endpoint calls the same :func:`focuson.web.permissions.get_visible_or_404` as the pages: a
project a person may not see answers 404. Participant numbers are the published ones (after
the NHS small-number rule), never the true counts.
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.insight import coding_analysis, heard
from focuson.web.insight.models import Event
from focuson.web.permissions import Permission, get_visible_or_404
from focuson.web.programme.models import Project
from focuson.web.programme.schemas import Choice

router = Router(tags=["open"])


class EventOut(Schema):
    id: int
    kind: Choice
    title: str
    date: datetime.date
    retention_date: datetime.date
    participants: int


class InsightOut(Schema):
    id: int
    statement: str
    type: Choice
    finding_id: int | None
    relation: str
    #: Strength: supporting excerpts, and the distinct participants and events behind them.
    supporting_excerpts: int
    people: int
    events: int


class HeardBandOut(Schema):
    dimension: str
    band: str
    label: str
    #: Published: rounded to 5, null where suppressed (1-7).
    participants: float | None
    population: float | None
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    not_yet_heard: bool


class OpenOut(Schema):
    project_id: int
    events: list[EventOut]
    insights: list[InsightOut]
    #: Empty while the comparison cannot be made (``heard_note`` says why).
    heard: list[HeardBandOut]
    heard_note: str


def _num(value: object) -> float | None:
    x = float(value)  # type: ignore[arg-type]
    return None if math.isnan(x) else x


@router.get("/projects/{project_id}", response=OpenOut)
def project_open(request: HttpRequest, project_id: int) -> OpenOut:
    """A project's Open step: its events, its insights, and who was heard against who is
    affected (published numbers only)."""
    project = get_visible_or_404(request, Project.objects, Permission.VIEW_PROJECT, pk=project_id)
    events = Event.objects.filter(project=project).annotate(n=Count("participants"))
    found = heard.who_was_heard(project)
    bands = found.result.bands if found.result is not None else None
    return OpenOut(
        project_id=project.pk,
        events=[
            EventOut(
                id=e.pk,
                kind=Choice(code=e.kind, label=str(e.get_kind_display())),
                title=e.title,
                date=e.date,
                retention_date=e.retention_date,
                participants=e.n,
            )
            for e in events
        ],
        insights=[
            InsightOut(
                id=i.pk,
                statement=i.statement,
                type=Choice(code=i.type, label=str(i.get_type_display())),
                finding_id=i.finding_id,
                relation=i.relation,
                supporting_excerpts=i.n_excerpts,
                people=i.n_people,
                events=i.n_events,
            )
            for i in coding_analysis.insights_with_strength(project)
        ],
        heard=[]
        if bands is None
        else [
            HeardBandOut(
                dimension=str(r.dimension),
                band=str(r.band),
                label=str(r.label),
                participants=_num(r.participants),
                population=_num(r.population),
                ratio=_num(r.ratio),
                ratio_lower=_num(r.ratio_lower),
                ratio_upper=_num(r.ratio_upper),
                not_yet_heard=bool(r.not_yet_heard),
            )
            for r in bands.itertuples()
        ],
        heard_note=found.why,
    )


# The workspace's endpoints (codebook, sources with their codings) live in their own module.
from focuson.web.insight.api_coding import router as _coding  # noqa: E402

router.add_router("", _coding)
