"""Template tags for the programme: links to evidence pages (when the evidence app has them)."""

from __future__ import annotations

from django import template

from focuson.web.programme.views.common import alert_url, finding_url

register = template.Library()


@register.simple_tag
def evidence_url(kind: str, pk: int) -> str:
    """The page of a finding (``kind="finding"``) or an alert, or '' when there is none."""
    return finding_url(pk) if kind == "finding" else alert_url(pk)
