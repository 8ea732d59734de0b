"""A Study plan as the web app reads and shows it: validated by :mod:`focuson.study.plan`, then
put in words (labels, never codes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focuson.study.plan import Plan, Window
from focuson.web.evidence.models import Run
from focuson.web.evidence.templatetags.evidence import month

DESIGNS: dict[str, Promise] = {
    "its": gettext_lazy("Interrupted time series (one group, before and after)"),
    "comparative_its": gettext_lazy("Comparative interrupted time series"),
    "did": gettext_lazy("Difference-in-differences"),
    "staggered": gettext_lazy("Difference-in-differences, units starting at different times"),
    "synthetic_control": gettext_lazy("Synthetic control"),
    "sdid": gettext_lazy("Synthetic difference-in-differences"),
    "ancova": gettext_lazy("Before and after, adjusted for the baseline (ANCOVA)"),
    "descriptive": gettext_lazy("Descriptive only (a run chart)"),
}
GAP_BY: dict[str, Promise] = {
    "imd_quintile": gettext_lazy("deprivation quintile (1 = most deprived)"),
    "ethnicity": gettext_lazy("ethnic group"),
    "age": gettext_lazy("age group"),
    "sex": gettext_lazy("sex"),
}
FAMILIES: dict[str, Promise] = {
    "gaussian": gettext_lazy("values (normal errors)"),
    "binomial": gettext_lazy("proportions (binomial)"),
    "poisson": gettext_lazy("counts (Poisson)"),
}


def indicator_title(code: str) -> str:
    """The indicator's title, from the newest run that describes it (its code otherwise)."""
    run = Run.objects.filter(indicators__has_key=code).order_by("-imported_at").first()
    if run is not None:
        title = run.indicators.get(code, {}).get("title")
        if title:
            return str(title)
    return code


def _span(window: Window | None) -> str:
    if window is None:
        return ""
    return _("%(start)s to %(end)s (%(n)s months)") % {
        "start": month(window.start),
        "end": month(window.end),
        "n": window.months,
    }


def describe(plan: Plan) -> list[tuple[str, str]]:
    """The plan as (what, in words) rows for a summary list."""
    outcome = indicator_title(plan.outcome.indicator)
    better = _("higher is better") if plan.outcome.better == "higher" else _("lower is better")
    where = (
        _("%(group)s (%(dimension)s)")
        % {"group": plan.unit.group, "dimension": plan.unit.dimension}
        if plan.unit
        else _("Everyone")
    )
    gap = _("By %(by)s: %(most)s against %(least)s") % {
        "by": GAP_BY.get(plan.gap.by, plan.gap.by),
        "most": plan.gap.most,
        "least": plan.gap.least,
    }
    swc = plan.smallest_worthwhile_change
    rows: list[tuple[str, str]] = [
        (_("Outcome"), f"{outcome} ({better})"),
        (_("Where"), where),
        (_("The gap"), gap),
        (
            _("Smallest worthwhile change"),
            _("%(overall)s overall, %(gap)s in the gap (in the outcome's units)")
            % {"overall": f"{swc.overall:g}", "gap": f"{swc.gap:g}"},
        ),
        (_("Design"), str(DESIGNS.get(plan.design, plan.design))),
    ]
    if plan.comparison_units:
        rows.append((_("Compared with"), ", ".join(plan.comparison_units)))
    rows.append((_("Before"), _span(plan.windows.pre)))
    if plan.windows.transition is not None:
        rows.append((_("Left out (transition)"), _span(plan.windows.transition)))
    rows.append((_("After"), _span(plan.windows.post)))
    rows.append((_("Model"), str(FAMILIES.get(plan.model.family, plan.model.family))))
    for event in plan.concurrent_events:
        rows.append((_("Also happened"), f"{month(event.month)}: {event.description}"))
    return rows


def versions(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan record's versions, newest first, for the page's version list."""
    return [
        {
            "version": v["version"],
            "frozen_at": datetime.fromisoformat(str(v["frozen_at"]).replace("Z", "+00:00")),
            "sha256": v["sha256"],
            "data_seen": v["data_seen"],
            "reason": v["reason"],
        }
        for v in reversed(record.get("versions", []))
    ]
