"""Plain-English words for groups, numbers and findings in the Find report.

Breakdowns and groups get their labels from :mod:`focuson.labels`, the one place codes are
turned into words; this module makes sentences of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np

from focuson.labels import dimension_label, group_label, imd_group_label


def finite_or_none(value: object) -> float | None:
    """``float(value)`` if it is a finite number, else ``None``.

    >>> finite_or_none(2), finite_or_none(float("nan")), finite_or_none("x")
    (2.0, None, None)
    """
    if value is None or isinstance(value, str):
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


SEX_NAMES = {"F": "females", "M": "males", "U": "people whose sex was not known"}
_REST = re.compile(r"except|excluding|rest|other than|everyone else|^not |^all but", re.I)
_UNKNOWN = re.compile(r"not (stated|known)|unknown", re.I)


def dimension_name(dimension: str) -> str:
    """A dimension's name for headings and labels (:func:`focuson.labels.dimension_label`).

    >>> dimension_name("imd_quintile x ethnicity_6"), dimension_name("borough x imd_quintile")
    ('IMD quintile by ethnicity', 'Borough by IMD quintile')
    """
    return dimension_label(dimension)


def _imd_place(dimension: str, group: str) -> str | None:
    """``"the most deprived fifth of areas"`` for IMD quintile 1, None if not an IMD group."""
    label = imd_group_label(dimension, group)
    return None if label is None else f"the {label[0].lower()}{label[1:]} of areas"


def _people(dimension: str, group: str) -> str:
    """``"people recorded as Black"``, ``"females"``, ``"people aged 65+"``..."""
    if dimension == "sex":
        return SEX_NAMES.get(group, f"people recorded as sex {group}")
    if dimension.startswith("age_band"):
        return f"people aged {group}"
    if dimension == "ethnicity_code":
        group = group_label(dimension, group)
    if dimension.startswith("ethnicity"):
        if _UNKNOWN.search(group):
            return "people whose ethnicity was not stated or not known"
        return f"people recorded as {group}"
    if dimension == "borough":
        return f"people living in {group}"
    return f"people in the group {group}"


def group_phrase(dimension: str, group: str) -> str:
    """Where or who a finding is about, to open a sentence.

    Parameters
    ----------
    dimension
        A dimension of the AGGREGATES frame, e.g. ``"imd_quintile"`` or an intersection such as
        ``"imd_quintile x ethnicity_6"``.
    group
        The group; parts of an intersection are separated by ``" | "``.

    Returns
    -------
    str
        E.g. ``"In the most deprived fifth of areas"`` or ``"Among people recorded as Black"``.

    Examples
    --------
    >>> group_phrase("imd_quintile", "1")
    'In the most deprived fifth of areas'
    >>> group_phrase("borough", "Brent")
    'In Brent'
    >>> group_phrase("imd_quintile x ethnicity_6", "2 | Black")
    'Among people recorded as Black in the second most deprived fifth of areas'
    >>> group_phrase("overall", "All")
    'Overall'
    """
    dims = [d.strip() for d in str(dimension).split(" x ")]
    groups = [g.strip() for g in str(group).split(" | ")]
    if len(dims) != len(groups):
        dims, groups = [str(dimension)], [str(group)]
    if dims == ["overall"]:
        return "Overall"
    places = [p for p in (_imd_place(d, g) for d, g in zip(dims, groups, strict=True)) if p]
    places += [g for d, g in zip(dims, groups, strict=True) if d == "borough"]
    people = [
        _people(d, g)
        for d, g in zip(dims, groups, strict=True)
        if d != "borough" and _imd_place(d, g) is None
    ]
    if not people:
        return "In " + " in ".join(places)
    text = "Among " + " and ".join(people)
    if places:
        text += " in " + " in ".join(places)
    return text


def reference_phrase(dimension: str, reference_group: object) -> str:
    """What a group was compared with, e.g. ``"the least deprived fifth of areas"``.

    >>> reference_phrase("imd_quintile", "5")
    'the least deprived fifth of areas'
    >>> reference_phrase("ethnicity_6", "All except Black")
    'everyone else'
    >>> reference_phrase("sex", "M")
    'males'
    """
    ref = "" if reference_group is None else str(reference_group).strip()
    if not ref or ref.lower() == "nan" or _REST.search(ref):
        return "everyone else"
    if ref.lower() in ("all", "overall", "everyone"):
        return "the overall value"
    opening = group_phrase(dimension, ref)
    if opening.startswith("In "):
        return opening[3:]
    if opening.startswith("Among "):
        return opening[6:]
    return ref


def short_label(dimension: str, group: str) -> str:
    """A short label for charts and tables (:func:`focuson.labels.group_label`).

    >>> short_label("imd_quintile x ethnicity_6", "1 | Black"), short_label("ethnicity_code", "N")
    ('Most deprived fifth, Black', 'Black: African')
    >>> short_label("sex", "F"), short_label("age_band_broad", "65+")
    ('Female', 'Age 65+')
    """
    return group_label(dimension, group)


def fmt_value(value: object, unit: str = "", *, digits: int = 1) -> str:
    """A value with its unit: ``"50.2%"``, ``"123.4 per 100,000"``; ``"not available"`` if NaN.

    >>> fmt_value(50.21, "%"), fmt_value(1234.56, "per 100,000"), fmt_value(float("nan"))
    ('50.2%', '1,234.6 per 100,000', 'not available')
    """
    v = finite_or_none(value)
    if v is None:
        return "not available"
    text = f"{v:,.{digits}f}"
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit else text


def fmt_number(value: object, *, digits: int = 1) -> str:
    """A number without unit, ``"–"`` (en dash) if missing.

    >>> fmt_number(48.14), fmt_number(None)
    ('48.1', '–')
    """
    v = finite_or_none(value)
    return "–" if v is None else f"{v:,.{digits}f}"


def fmt_count(value: object) -> str:
    """A count of people with thousands separators, ``"–"`` if missing.

    >>> fmt_count(1240.0), fmt_count(float("nan"))
    ('1,240', '–')
    """
    v = finite_or_none(value)
    return "–" if v is None else f"{round(v):,}"


def fmt_p(value: object) -> str:
    """A p- or q-value: ``"<0.001"`` below 0.001, else 3 decimal places.

    >>> fmt_p(0.00002), fmt_p(0.0412), fmt_p(float("nan"))
    ('<0.001', '0.041', '–')
    """
    v = finite_or_none(value)
    if v is None:
        return "–"
    return "<0.001" if v < 0.001 else f"{v:.3f}"


def difference_unit(unit: str) -> str:
    """The unit of a difference: percentage points for percentages.

    >>> difference_unit("%"), difference_unit("per 100,000"), difference_unit("")
    ('percentage points', 'per 100,000', 'points')
    """
    if unit == "%":
        return "percentage points"
    return unit or "points"


def is_suppressed(value: object) -> bool:
    """Whether a ``suppressed`` flag hides a row: anything but a real ``False`` does.

    A missing flag (None, NaN) counts as suppressed, so a row never shows numbers by accident.

    >>> is_suppressed(False), is_suppressed(True), is_suppressed(None), is_suppressed(float("nan"))
    (False, True, True, True)
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return not (isinstance(value, int | np.integer) and value == 0)


def mid_sentence(title: str) -> str:
    """A title as it reads inside a sentence: a capital only where the word needs one.

    >>> mid_sentence("Incomplete RTT pathways"), mid_sentence("A&E attendances")
    ('incomplete RTT pathways', 'A&E attendances')
    """
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return title[0].lower() + title[1:]
    return title


def finding_sentence(row: Mapping[str, object], indicator: Mapping[str, object]) -> str:
    """One plain-English sentence about a finding.

    Parameters
    ----------
    row
        A row of the findings frame (``dimension``, ``group``, ``reference_group``, ``value``,
        ``lower``, ``upper``, ``reference_value``, ``difference``, ``excess``, ``suppressed``).
    indicator
        Its row of the INDICATORS frame (``title``, ``unit``, ``polarity``, ``standard``,
        ``target``; optional ``excess_phrase`` such as ``"waited longer"``).

    Returns
    -------
    str
        For a suppressed row, a sentence with no numbers at all.

    Examples
    --------
    >>> ind = {"title": "RTT pathways within 18 weeks", "unit": "%",
    ...        "polarity": "higher_is_better", "standard": 92.0, "target": float("nan")}
    >>> row = {"dimension": "imd_quintile", "group": "1", "reference_group": "5",
    ...        "value": 50.2, "lower": 48.1, "upper": 52.3, "reference_value": 65.3,
    ...        "difference": -15.1, "excess": 1240.0, "suppressed": False}
    >>> print(finding_sentence(row, ind))
    In the most deprived fifth of areas, RTT pathways within 18 weeks was 50.2% (95% CI 48.1 to \
52.3), 15.1 percentage points below the least deprived fifth of areas (65.3%); about 1,240 more \
people missed it than would have at that rate. It is 41.8 percentage points short of the \
constitutional standard (92%).
    >>> print(finding_sentence({**row, "suppressed": True}, ind))
    In the most deprived fifth of areas, RTT pathways within 18 weeks is suppressed to protect \
privacy.
    """
    dimension = str(row.get("dimension", ""))
    opening = group_phrase(dimension, str(row.get("group", "")))
    title = mid_sentence(str(indicator.get("title") or indicator.get("id") or "the indicator"))
    unit = str(indicator.get("unit") or "")
    if is_suppressed(row.get("suppressed", False)):
        return f"{opening}, {title} is suppressed to protect privacy."
    value = finite_or_none(row.get("value"))
    if value is None:
        return f"{opening}, {title} is not available."
    text = f"{opening}, {title} was {fmt_value(value, unit)}"
    lower, upper = finite_or_none(row.get("lower")), finite_or_none(row.get("upper"))
    if lower is not None and upper is not None:
        text += f" (95% CI {fmt_number(lower)} to {fmt_number(upper)})"
    reference = finite_or_none(row.get("reference_value"))
    difference = finite_or_none(row.get("difference"))
    if difference is None and reference is not None:
        difference = value - reference
    if difference is not None and reference is not None:
        side = "below" if difference < 0 else "above"
        ref_words = reference_phrase(dimension, row.get("reference_group"))
        text += (
            f", {fmt_number(abs(difference))} {difference_unit(unit)} {side} {ref_words} "
            f"({fmt_value(reference, unit)})"
        )
    excess = finite_or_none(row.get("excess"))
    if excess is not None and round(excess) > 0:
        higher = str(indicator.get("polarity", "higher_is_better")) != "lower_is_better"
        default = "missed it" if higher else "had this outcome"
        phrase = indicator.get("excess_phrase")
        what = str(phrase) if isinstance(phrase, str) and phrase else default
        text += f"; about {fmt_count(excess)} more people {what} than would have at that rate"
    text += "."
    gaps = _gap_words(value, indicator, unit)
    return f"{text} {gaps}" if gaps else text


def _gap_words(value: float, indicator: Mapping[str, object], unit: str) -> str:
    """``"It is 41.8 percentage points short of the constitutional standard (92%)."``"""
    higher = str(indicator.get("polarity", "higher_is_better")) != "lower_is_better"
    parts = []
    for key, name in (("standard", "constitutional standard"), ("target", "operational target")):
        level = finite_or_none(indicator.get(key))
        if level is None:
            continue
        short = level - value if higher else value - level
        if round(short, 1) > 0:
            parts.append(
                f"{fmt_number(short)} {difference_unit(unit)} short of the {name} "
                f"({fmt_value(level, unit, digits=_digits(level))})"
            )
    return f"It is {' and '.join(parts)}." if parts else ""


def _digits(level: float) -> int:
    return 0 if float(level).is_integer() else 1
