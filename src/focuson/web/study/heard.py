"""What was heard beside the numbers: the project's Open insights recorded since the test began.

The Study step reads Open's insights (``insight.Insight``), never writes them. An insight counts
as heard "during or after the test" when it was recorded on or after the first day of the
intervention: the start of the plan's transition window when it has one (the change began
then), else the start of its post window. Insights recorded earlier shaped the idea; these are
what people said once it was running, the qualitative half of the Study.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from focuson.study.plan import Plan
from focuson.web.insight.models import Insight


def intervention_began(plan: Plan) -> datetime:
    """The first moment of the intervention (UTC): the transition's start, else the post's.

    Examples
    --------
    >>> from focuson.study.plan import read_plan_text
    >>> plan = read_plan_text('''
    ... outcome: {indicator: x, better: higher}
    ... smallest_worthwhile_change: {overall: 2, gap: 1}
    ... design: its
    ... windows: {pre: {start: 2023-01, end: 2023-12}, transition: {start: 2024-01, end: 2024-02},
    ...           post: {start: 2024-03, end: 2024-12}}
    ... ''')
    >>> intervention_began(plan).isoformat()
    '2024-01-01T00:00:00+00:00'
    """
    windows = plan.windows
    start = windows.transition.start if windows.transition is not None else windows.post.start
    year, month = (int(part) for part in start.split("-"))
    return datetime(year, month, 1, tzinfo=UTC)


@dataclass(frozen=True)
class HeardType:
    """The insights of one type (problem, cause, barrier, asset, idea), newest first."""

    type: str
    label: str
    insights: tuple[Any, ...]


def heard_since(project: Any, plan: Plan) -> QuerySet[Insight]:
    """The project's insights (not deleted) recorded on or after :func:`intervention_began`."""
    return Insight.objects.filter(
        project=project, created__gte=intervention_began(plan)
    ).select_related("finding")


def by_type(insights: QuerySet[Insight]) -> list[HeardType]:
    """The insights grouped by type, in Open's order of types; types with none left out."""
    found: dict[str, list[Any]] = {}
    for insight in insights.order_by("-created", "-pk"):
        found.setdefault(insight.type, []).append(insight)
    return [
        HeardType(type=str(value), label=str(label), insights=tuple(found[value]))
        for value, label in Insight.Type.choices
        if value in found
    ]
