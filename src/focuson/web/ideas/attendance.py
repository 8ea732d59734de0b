"""Who came to a co-creation session, compared with who is affected.

A session's paper attendance by demographic band is set against the affected population of the
project's finding, as Open does for its events (:mod:`focuson.web.insight.heard`, whose
population, table and "not yet heard" list are used as they are); the statistics are
:func:`focuson.insight.representation.compare`'s, with disclosure control first. Roles are
counted too but have no population to compare with.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from focuson.insight.representation import compare
from focuson.web.ideas.models import CoCreationSession, SessionAttendance
from focuson.web.ideas.session_models import ROLE_DIMENSION
from focuson.web.insight import heard


def who_came(session: CoCreationSession) -> dict[str, Any]:
    """The comparison for the session's page: ``why`` names what is missing (``no_finding``,
    ``no_breakdowns``, ``not_counted``), else ``table`` and ``not_yet_heard`` as Open's."""
    finding = session.project.finding
    if finding is None:
        return {"why": "no_finding"}
    population = heard.population(finding)
    if population.empty:
        return {"why": "no_breakdowns"}
    rows = (
        SessionAttendance.objects.filter(session=session)
        .exclude(dimension=ROLE_DIMENSION)
        .filter(dimension__in=set(population["dimension"]))
        .values_list("dimension", "band", "count")
    )
    counts = pd.DataFrame.from_records(list(rows), columns=["dimension", "band", "count"])
    counts = counts[counts["count"] > 0]
    if counts.empty:
        return {"why": "not_counted"}
    # "Prefer not to say", and a band the finding does not break down, count as not stated.
    known = population[["dimension", "band"]].assign(_ok=True)
    counts = counts.merge(known, how="left", on=["dimension", "band"])
    counts["band"] = counts["band"].where(counts["_ok"].notna(), None)
    labels = {
        str(d): dict(zip(g["band"].astype(str), g["label"].astype(str), strict=True))
        for d, g in population.groupby("dimension")
    }
    result = compare(
        counts[["dimension", "band", "count"]],
        population[["dimension", "band", "population"]],
        labels=labels,
    )
    return {
        "why": "",
        "table": heard.table(result),
        "not_yet_heard": heard.not_yet_heard(result),
        "finding": finding,
    }
