"""Who was heard, compared with who is affected, for one project.

The participants and the counted attendance of the project's live events, by Find's breakdowns,
are set against the affected population of the project's finding: the denominators of the
finding's run's rows for the same indicator and month, by the same breakdowns and codes. The
statistics are :func:`focuson.insight.representation.compare`'s (disclosure control first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import gettext_lazy as _

from focuson.insight.representation import Representation, compare, count_participants
from focuson.web.evidence.models import Finding
from focuson.web.insight import bands
from focuson.web.insight.heard_languages import languages_heard
from focuson.web.insight.models import AttendanceCount, Participant


@dataclass(frozen=True)
class Heard:
    """The comparison for a page: ``result`` is None when it cannot be made, ``why`` says why."""

    result: Representation | None
    why: str
    participants: int
    counted: int
    #: By main language and interpreter needed (:mod:`heard_languages`): no denominator.
    languages: dict[str, Any] = field(default_factory=dict)


def counts(project: Any) -> tuple[pd.DataFrame, int]:
    """``dimension``, ``band`` (NaN = not stated) and ``count`` over the project's live events,
    and how many people the paper tallies counted (the largest total of any breakdown)."""
    fields = list(bands.DIMENSIONS.values())
    rows = Participant.objects.filter(
        event__project=project, event__deleted_at__isnull=True
    ).values_list(*fields)
    people = pd.DataFrame.from_records(list(rows), columns=list(bands.DIMENSIONS))
    from_people = count_participants(people, list(bands.DIMENSIONS))
    tallies = pd.DataFrame.from_records(
        list(
            AttendanceCount.objects.filter(
                event__project=project, event__deleted_at__isnull=True
            ).values_list("dimension", "band", "count")
        ),
        columns=["dimension", "band", "count"],
    )
    tallies["band"] = tallies["band"].replace("", None)
    tallied = int(tallies.groupby("dimension")["count"].sum().max()) if len(tallies) else 0
    both = pd.concat([from_people, tallies], ignore_index=True)
    return both[both["count"] > 0].reset_index(drop=True), tallied


def population(finding: Finding) -> pd.DataFrame:
    """The affected population by breakdown: the finding's run's denominators, same codes."""
    rows = (
        Finding.objects.filter(
            run_id=finding.run_id,
            indicator=finding.indicator,
            period=finding.period,
            dimension__in=list(bands.DIMENSIONS),
        )
        .exclude(group__in=bands.UNKNOWN_GROUPS)
        .order_by("dimension", "group")
        .values_list("dimension", "group", "group_label", "denominator")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["dimension", "band", "label", "population"]
    )


def who_was_heard(project: Any) -> Heard:
    """Compare the project's participants with the population its finding affects."""
    heard, counted = counts(project)
    people = Participant.objects.filter(
        event__project=project, event__deleted_at__isnull=True
    ).count()
    spoken = languages_heard(project)
    if project.finding is None:
        return Heard(None, "no_finding", people, counted, spoken)
    pop = population(project.finding)
    if pop.empty:
        return Heard(None, "no_breakdowns", people, counted, spoken)
    heard = heard[heard["dimension"].isin(set(pop["dimension"]))]
    if heard.empty:
        return Heard(None, "no_one_yet", people, counted, spoken)
    # Bands the finding does not break down (a borough outside its run) count as not stated.
    known = pop[["dimension", "band"]].assign(_ok=True)
    heard = heard.merge(known, how="left", on=["dimension", "band"])
    heard.loc[heard["_ok"].isna(), "band"] = None
    labels: dict[str, dict[str, str]] = {
        str(d): dict(zip(g["band"].astype(str), g["label"].astype(str), strict=True))
        for d, g in pop.groupby("dimension")
    }
    result = compare(
        heard[["dimension", "band", "count"]],
        pop[["dimension", "band", "population"]],
        labels=labels,
    )
    return Heard(result, "", people, counted, spoken)


def table(result: Representation) -> list[dict[str, Any]]:
    """The comparison per breakdown for a page: its label, its bands and its test.

    Blank numbers are None (the template shows why), so nothing suppressed is ever printed.
    """
    out = []
    for dim in result.dimensions.to_dict("records"):
        rows = result.bands[result.bands["dimension"] == dim["dimension"]]
        out.append(
            {
                "dimension": dim["dimension"],
                "label": bands.DIMENSION_LABELS.get(dim["dimension"], dim["label"]),
                "participants": _blank(dim["participants"]),
                "not_stated": _blank(dim["not_stated"]),
                "chi_square": _blank(dim["chi_square"]),
                "df": _blank(dim["df"]),
                "p_value": _blank(dim["p_value"]),
                "test_note": TEST_NOTES.get(dim["test_note"], dim["test_note"]),
                "bands": [
                    {k: _blank(v) for k, v in r.items()} | {"reason": REASONS.get(r["reason"], "")}
                    for r in rows.to_dict("records")
                ],
            }
        )
    return out


def not_yet_heard(result: Representation) -> list[str]:
    """The groups not yet heard, as "group (breakdown)" labels, in table order."""
    rows = result.bands[result.bands["not_yet_heard"]]
    return [
        f"{label} ({str(bands.DIMENSION_LABELS.get(d, d)).lower()})"
        for d, label in zip(rows["dimension"], rows["label"], strict=True)
    ]


#: The library's reasons for a blank ratio, in words that can be translated.
REASONS = {
    "suppressed (small numbers)": _("hidden (small number)"),
    "affected population suppressed in the finding": _("the finding hides how many are affected"),
    "no one affected in this group": _("no one affected in this group"),
    "too few participants with this recorded": _("too few participants with this recorded"),
}


#: The library's notes on the goodness-of-fit test, in words that can be translated.
TEST_NOTES = {
    "the test needs the affected population of every group": _(
        "no test: the finding hides how many are affected in some groups"
    ),
    "too few participants with this recorded": _(
        "no test: too few participants with this recorded"
    ),
    "participants in a group with no one affected": _(
        "participants in a group with no one affected"
    ),
    "needs at least two groups with participants": _(
        "no test: it needs at least two groups with participants shown"
    ),
    "suppressed groups pooled": _("hidden groups taken together"),
    "approximate: some expected counts are under 5": _(
        "approximate: some expected counts are under 5"
    ),
    "suppressed groups pooled; approximate: some expected counts are under 5": _(
        "hidden groups taken together; approximate: some expected counts are under 5"
    ),
}


def _blank(value: Any) -> Any:
    """None for NaN (a blank cell), the value otherwise."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
