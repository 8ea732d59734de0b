"""Numbers and months as the evidence pages show them: months in words, values with units."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@register.filter
def month(period: Any) -> str:
    """``"2025-03"`` as ``"March 2025"`` (in the page's language); anything else unchanged."""
    text = str(period or "")
    try:
        year, number = (int(part) for part in text.split("-"))
        return date_format(date(year, number, 1), "F Y")
    except (ValueError, TypeError):
        return text


@register.filter
def amount(value: Any, unit: str = "") -> str:
    """A value with its unit, one decimal: ``52.3%``, ``12.0 per 100,000 per month``; a dash
    when blank."""
    number = _finite(value)
    if number is None:
        return "–"
    text = intcomma(f"{number:.1f}")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.filter
def points(value: Any, unit: str = "") -> str:
    """A difference: percentage points for a percentage, else the unit; signed."""
    number = _finite(value)
    if number is None:
        return "–"
    text = f"{number:+.1f}"
    if unit == "%":
        return _("%(number)s points") % {"number": text}
    return f"{text} {unit}".strip()


@register.filter
def people(value: Any) -> str:
    """A count of people, whole, with thousands separators; a dash when blank."""
    number = _finite(value)
    return "–" if number is None else intcomma(round(number))


@register.filter
def number(value: Any, digits: int = 2) -> str:
    """A plain number to ``digits`` decimals; a dash when blank."""
    found = _finite(value)
    return "–" if found is None else f"{found:.{int(digits)}f}"


@register.filter
def probability(value: Any) -> str:
    """A p- or q-value: three decimals, or "< 0.001"."""
    found = _finite(value)
    if found is None:
        return "–"
    return "< 0.001" if found < 0.001 else f"{found:.3f}"


@register.filter
def short_unit(text: str, unit: str = "") -> str:
    """``text`` from :func:`amount` without a long unit (the table names it once per row)."""
    if unit and unit != "%" and text.endswith(f" {unit}"):
        return text[: -len(unit) - 1]
    return text


#: What each kind of alert means, in words (``docs/outputs.md``, ``monitor/alerts.parquet``).
ALERT_KINDS = {
    "new_inequality": gettext_lazy("New inequality"),
    "widens": gettext_lazy("Gap widening"),
    "closes": gettext_lazy("Gap closing"),
    "reverses": gettext_lazy("Gap reversed"),
    "hidden_by_average": gettext_lazy("Hidden by the average"),
}


@register.filter
def alert_kind(kind: str) -> str:
    """An alert's kind in words (the code itself if it is new to this version)."""
    return str(ALERT_KINDS.get(kind, kind))
