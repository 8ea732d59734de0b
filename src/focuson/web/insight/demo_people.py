"""The demo's participants: twenty pseudonymous people with banded attributes, drawn with a
fixed seed (:func:`people`), only in groups the project's finding affects (:func:`affected_groups`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from focuson.web.insight import bands
from focuson.web.programme.models import Borough


def _choose(
    rng: np.random.Generator, options: list[str], weights: list[float], n: int
) -> list[str]:
    p = np.asarray(weights, dtype=float)
    return [str(x) for x in rng.choice(options, size=n, p=p / p.sum())]


def affected_groups(project: Any, dimension: str) -> set[str]:
    """The groups of ``dimension`` the project's finding has people in (its run's rows for the
    same indicator and month): women only for breast screening, say. Empty when unknown."""
    if project.finding_id is None:
        return set()
    f = project.finding
    rows = (
        type(f)
        .objects.filter(
            run_id=f.run_id, indicator=f.indicator, period=f.period, dimension=dimension
        )
        .exclude(group__in=bands.UNKNOWN_GROUPS)
    )
    return set(rows.values_list("group", flat=True))


def _attributes(
    rng: np.random.Generator,
    project: Any,
    n: int,
    field: str,
    options: list[str],
    weights: list[float],
) -> list[str]:
    """``n`` values of one banded attribute: only groups the finding affects (when it says), and
    the project's own group drawn more often when the project is about that attribute (the
    people a project seeks out)."""
    dimension = {"age_band": "age_band_broad", "sex": "sex", "imd_quintile": "imd_quintile"}[field]
    affected = affected_groups(project, dimension)
    if affected & set(options):
        weights = [
            0.0 if o and o not in affected else w for o, w in zip(options, weights, strict=True)
        ]
    if dimension == project.dimension and project.group in options:
        weights = [
            w * (4.0 if o == project.group else 1.0) for o, w in zip(options, weights, strict=True)
        ]
    return _choose(rng, options, weights, n)


def people(rng: np.random.Generator, project: Any, borough: Borough) -> list[dict[str, Any]]:
    """The conversation's sixteen (Bengali speakers) and four interviewees, banded."""
    others = list(Borough.objects.exclude(pk=borough.pk).order_by("name")[:2])
    people: list[dict[str, Any]] = []
    n = 20
    ages = _attributes(rng, project, n, "age_band", ["18-64", "65-79", "80+", ""], [55, 30, 8, 7])
    sexes = _attributes(rng, project, n, "sex", ["F", "M", ""], [48, 48, 4])
    imd = _attributes(
        rng, project, n, "imd_quintile", ["1", "2", "3", "4", "5", ""], [30, 25, 18, 12, 7, 8]
    )
    where = _choose(rng, ["home", "near", "none"], [80, 15, 5], n)
    for i in range(n):
        conversation = i < 16
        if conversation:
            pseudonym = f"P{i + 1:02d}"
            ethnic = "" if i in (9, 14) else "Asian"
            language = "English" if i in (3, 11) else ("" if i == 14 else "Bengali")
            interpreter = "" if i in (9, 14) else ("no" if i in (3, 6, 11, 12) else "yes")
        else:
            k = i - 16
            pseudonym = f"I{k + 1:02d}"
            ethnic, language, interpreter = [
                ("Other", "Arabic", "yes"),
                ("Black", "English", "no"),
                ("Black", "Somali", "yes"),
                ("White", "English", "no"),
            ][k]
        home = {"home": borough, "near": others[i % len(others)] if others else borough}
        people.append(
            {
                "group": "conversation" if conversation else "interviews",
                "pseudonym": pseudonym,
                "age_band": ages[i],
                "sex": sexes[i],
                "ethnic_group": ethnic,
                "borough": home.get(where[i]),
                "imd_quintile": imd[i],
                "language": language,
                "interpreter_needed": interpreter,
            }
        )
    return people
