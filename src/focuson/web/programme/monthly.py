"""The monthly update, generated from what changed in the month: projects started, steps moved
(read from the audit trail), decisions recorded, runs imported with their new alerts and
findings. Only labels, counts and links are kept: everything came from aggregates already.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from focuson.web.evidence.models import Alert, Finding, Run
from focuson.web.programme.errors import ActionError
from focuson.web.programme.models import Decision, MonthlyUpdate, Project, ProjectStep, Status, Step

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
#: How many alerts and findings the update names (the rest are counted).
TOP = 5


def parse_month(month: str) -> tuple[int, int]:
    """Year and month of ``"YYYY-MM"``, or an :class:`ActionError` saying what is expected.

    Examples
    --------
    >>> parse_month("2026-11")
    (2026, 11)
    """
    match = _MONTH.match(month.strip())
    if not match:
        raise ActionError(_("Give the month as year and month, for example 2026-11."))
    return int(match.group(1)), int(match.group(2))


def month_window(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first moment and the next month's first moment, in the programme's time zone."""
    year, number = parse_month(month)
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, number, 1, tzinfo=zone)
    following = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, following


def _steps_moved(start: datetime.datetime, end: datetime.datetime) -> list[dict[str, Any]]:
    # Each step's history up to the month's end, in order, for the steps changed in the month:
    # a move is a record whose status differs from the record before it.
    touched = ProjectStep.history.filter(history_date__gte=start, history_date__lt=end)
    records = (
        ProjectStep.history.filter(history_date__lt=end, id__in=touched.values("id"))
        .order_by("id", "history_date", "history_id")
        .values("id", "project_id", "step", "status", "history_date")
    )
    live = dict(
        Project.objects.filter(pk__in=touched.values("project_id")).values_list("pk", "title")
    )
    moves = []
    previous: dict[int, str] = {}
    for record in records:
        before = previous.get(record["id"])
        previous[record["id"]] = record["status"]
        if before is None or before == record["status"] or record["history_date"] < start:
            continue
        if record["project_id"] not in live:
            continue
        moves.append(
            {
                "project_id": record["project_id"],
                "project": live[record["project_id"]],
                "step": record["step"],
                "step_label": str(Step(record["step"]).label),
                "from": str(Status(before).label),
                "to": str(Status(record["status"]).label),
                "on": timezone.localtime(record["history_date"]).date().isoformat(),
            }
        )
    return moves


def summarise_month(month: str) -> dict[str, Any]:
    """What changed in the programme in ``month`` (``"YYYY-MM"``), as JSON-ready data."""
    start, end = month_window(month)
    started = [
        {"id": p.pk, "title": p.title, "focus": p.focus, "workstream": p.workstream.name}
        for p in Project.objects.filter(created__gte=start, created__lt=end).select_related(
            "workstream"
        )
    ]
    decisions = [
        {
            "id": d.pk,
            "project_id": d.project_id,
            "project": d.project.title,
            "step_label": d.get_step_display(),
            "text": d.text,
            "outcome": d.get_outcome_display(),
            "on": d.decided_on.isoformat(),
            "by": d.decided_by.get_full_name() or d.decided_by.get_username(),
        }
        for d in Decision.objects.filter(
            decided_on__gte=start.date(),
            decided_on__lt=end.date(),
            project__deleted_at__isnull=True,
        ).select_related("project", "decided_by")
    ]
    runs = Run.objects.filter(imported_at__gte=start, imported_at__lt=end)
    alerts = Alert.objects.filter(run__in=runs)
    findings = Finding.objects.filter(run__in=runs)
    significant = findings.filter(significant=True, suppressed=False)
    return {
        "month": month,
        "projects_started": started,
        "steps_moved": _steps_moved(start, end),
        "decisions": decisions,
        "runs": [
            {"id": r.pk, "title": r.title, "kind": r.get_kind_display()}
            for r in runs.order_by("imported_at")
        ],
        "alerts": {
            "count": alerts.count(),
            "by_kind": dict(
                alerts.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
            ),
            "top": [
                {"id": a.pk, "sentence": a.sentence, "indicator": a.indicator_title}
                for a in alerts.order_by("-people", "indicator")[:TOP]
            ],
        },
        "findings": {
            "count": findings.count(),
            "significant": significant.count(),
            "top": [
                {"id": f.pk, "label": str(f), "people": f.excess}
                for f in significant.filter(excess__isnull=False).order_by("-excess")[:TOP]
            ],
        },
    }


def draft_narrative(summary: dict[str, Any]) -> str:
    """A first paragraph for the narrative, from the counts (the lead rewrites it)."""
    parts = [
        ngettext(
            "%(n)d project started", "%(n)d projects started", len(summary["projects_started"])
        )
        % {"n": len(summary["projects_started"])},
        ngettext("%(n)d step moved", "%(n)d steps moved", len(summary["steps_moved"]))
        % {"n": len(summary["steps_moved"])},
        ngettext("%(n)d decision recorded", "%(n)d decisions recorded", len(summary["decisions"]))
        % {"n": len(summary["decisions"])},
        ngettext("%(n)d new alert", "%(n)d new alerts", summary["alerts"]["count"])
        % {"n": summary["alerts"]["count"]},
    ]
    return _("This month: %(parts)s.") % {"parts": "; ".join(parts)}


@transaction.atomic
def generate_monthly_update(*, user: Any, month: str) -> MonthlyUpdate:
    """Make (or remake) the draft update for ``month`` from what changed in it.

    The narrative is kept when the update was generated before; a new one gets a first
    paragraph from the counts. A published update is not changed.

    Returns
    -------
    MonthlyUpdate
    """
    parse_month(month)
    month = month.strip()
    update = MonthlyUpdate.objects.select_for_update().filter(month=month).first()
    if update is None:
        update = MonthlyUpdate(month=month)
    elif update.is_published:
        raise ActionError(
            _("The update for %(month)s is published already; it is not regenerated.")
            % {"month": month}
        )
    update.summary = summarise_month(month)
    if not update.narrative.strip():
        update.narrative = draft_narrative(update.summary)
    update.generated_at = timezone.now()
    update.generated_by = user
    update._history_user = user
    update.save()
    return update


@transaction.atomic
def publish_monthly_update(*, user: Any, update: MonthlyUpdate) -> MonthlyUpdate:
    """Publish a draft update: from now on the public can read it."""
    if update.is_published:
        raise ActionError(_("This update is published already."))
    if not update.narrative.strip():
        raise ActionError(_("Write the narrative before publishing: say what the month meant."))
    update.status = MonthlyUpdate.State.PUBLISHED
    update.published_at = timezone.now()
    update.published_by = user
    update._history_user = user
    update.save()
    return update
