"""Template tags for the programme: links to evidence pages (when the evidence app has them)."""

from __future__ import annotations

import datetime

from django import template
from django.utils.formats import date_format

from focuson.web.programme.views.common import alert_url, finding_url

register = template.Library()


@register.simple_tag
def evidence_url(kind: str, pk: int) -> str:
    """The page of a finding (``kind="finding"``) or an alert, or '' when there is none."""
    return finding_url(pk) if kind == "finding" else alert_url(pk)


@register.filter
def isodate(value: str) -> str:
    """An ISO date kept in a generated summary ("2026-11-03"), in words ("3 November 2026")."""
    try:
        return date_format(datetime.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value
