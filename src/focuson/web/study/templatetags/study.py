"""The Study slot of a project's page: ``{% project_study project as study %}``."""

from __future__ import annotations

from typing import Any

from django import template

from focuson.web.study import results
from focuson.web.study.models import ProjectStudy

register = template.Library()


@register.simple_tag
def project_study(project: Any) -> dict[str, Any] | None:
    """The project's Study for its page: the plan, the verdict, the latest decision (or None)."""
    study = ProjectStudy.objects.select_related("run").filter(project=project).first()
    if study is None:
        return None
    latest = study.decisions.select_related("decision").first()
    return {
        "study": study,
        "title": study.plan_record.current.plan.title,
        "verdict": results.verdict(study.live_run) if study.live_run is not None else None,
        "decision": latest.decision if latest is not None else None,
    }
