"""A round's results, from its ballots, by :mod:`focuson.ideas.unite`: scores per voter group
(residents and professionals apart), support and opposition per group, consensus across groups.

The ballots are read in one query each (scores, supports) into the library's tables; groups too
small to show are merged or left out there, under the NHS disclosure rule.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from django.utils import translation
from django.utils.translation import gettext as _

from focuson.ideas.decision import suggest_shortlist
from focuson.ideas.small_groups import MERGED
from focuson.ideas.unite import Criterion, score_ideas, support_ideas
from focuson.web.ideas.models import (
    Ballot,
    BallotScore,
    BallotSupport,
    Idea,
    PrioritisationRound,
    Role,
)
from focuson.web.insight import bands

#: The breakdowns shown, in order, with their headings.
DIMENSIONS = ("everyone", "side", "role", "group")


@dataclass(frozen=True)
class Row:
    """One idea in one group: its weighted score (0-100) and its support."""

    idea: Idea
    voters: float
    score: float | None
    p_support: float | None
    opposes: bool


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    heading: str
    groups: list[str]
    #: One line per idea: the idea, then one cell per group.
    lines: list[tuple[Idea, list[Row | None], float | None, tuple[str, ...]]]
    merged: tuple[str, ...]
    left_out: tuple[str, ...]


def _criteria(round: PrioritisationRound) -> list[Criterion]:
    return [
        Criterion(c.key, weight=c.weight, higher_is_better=c.higher_is_better)
        for c in round.criteria.all()
    ]


def score_frame(round: PrioritisationRound) -> pd.DataFrame:
    """One row per score, as :func:`focuson.ideas.unite.score_ideas` reads them."""
    rows = BallotScore.objects.filter(ballot__round=round).values_list(
        "ballot_id", "idea_id", "criterion__key", "score", "ballot__role",
        "ballot__channel", "ballot__declared_group",
    )  # fmt: skip
    return pd.DataFrame(
        list(rows), columns=["voter", "idea", "criterion", "score", "role", "channel", "group"]
    )


def support_frame(round: PrioritisationRound) -> pd.DataFrame:
    """One row per (ballot, idea) support, as :func:`focuson.ideas.unite.support_ideas` reads."""
    rows = BallotSupport.objects.filter(ballot__round=round).values_list(
        "ballot_id", "idea_id", "support", "ballot__role", "ballot__channel",
        "ballot__declared_group",
    )  # fmt: skip
    return pd.DataFrame(
        list(rows), columns=["voter", "idea", "support", "role", "channel", "group"]
    )


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _group_label(dimension: str, name: str) -> str:
    if name == MERGED:
        return _("Other groups (merged)")
    if dimension == "everyone":
        return _("Everyone")
    if dimension == "side":
        return {
            "community": _("Residents and community"),
            "professional": _("Professionals"),
            "other": _("Other"),
        }.get(name, name)
    if dimension == "role":
        return str(Role(name).label) if name in Role.values else name
    return group_label(name)


@functools.cache
def _bands_by_english_name() -> dict[str, Any]:
    # Residents' declared groups are kept by the band's English name (session_forms).
    with translation.override("en"):
        return {str(label): label for named in bands.FIXED_BANDS.values() for _code, label in named}


def group_label(name: str) -> str:
    """A declared group as the page's language says it (a band's name translated; a group a
    facilitator typed, as typed)."""
    label = _bands_by_english_name().get(name)
    return str(label) if label is not None else name


def declared_groups(round: PrioritisationRound) -> list[str]:
    """The groups voters in ``round`` declared, by name (no counts: a group's size is shown
    only through the disclosed results)."""
    names = (
        Ballot.objects.filter(round=round)
        .exclude(declared_group="")
        .values_list("declared_group", flat=True)
        .distinct()
    )
    return sorted({group_label(n) for n in names})


def results(round: PrioritisationRound) -> dict[str, Any] | None:
    """The round's results for its page, or None while it has no ballots."""
    scores = score_frame(round)
    if scores.empty:
        return None
    scored = score_ideas(scores, _criteria(round))
    supports = support_frame(round)
    support = support_ideas(supports) if not supports.empty else None
    ideas = {i.pk: i for i in round.ideas.all()}
    breakdowns = []
    headings = {
        "everyone": _("Everyone"),
        "side": _("Residents and professionals"),
        "role": _("By role"),
        "group": _("By declared group"),
    }
    for dimension in DIMENSIONS:
        table = scored.table[scored.table["dimension"] == dimension]
        if dimension not in scored.merged:
            continue
        s_table = (
            support.table[support.table["dimension"] == dimension]
            if support is not None and not support.table.empty
            else pd.DataFrame(columns=["group", "idea", "p_support", "opposes"])
        )
        consensus = (
            support.consensus[support.consensus["dimension"] == dimension].set_index("idea")
            if support is not None and not support.consensus.empty
            else pd.DataFrame(columns=["consensus", "opposed_by"])
        )
        groups = list(dict.fromkeys(table["group"]))
        by_cell = {(r.group, r.idea): r for r in table.itertuples(index=False)}
        s_cell = {(r.group, r.idea): r for r in s_table.itertuples(index=False)}
        lines = []
        for pk, idea in ideas.items():
            cells: list[Row | None] = []
            for group in groups:
                found = by_cell.get((group, pk))
                backed = s_cell.get((group, pk))
                if found is None and backed is None:
                    cells.append(None)
                    continue
                score = _number(found.score) if found is not None else None
                cells.append(
                    Row(
                        idea=idea,
                        voters=cast(float, found.voters) if found is not None else 0.0,
                        score=None if score is None else _whole(100 * score),
                        p_support=(_number(backed.p_support) if backed is not None else None),
                        opposes=bool(backed.opposes) if backed is not None else False,
                    )
                )
            agreed = consensus["consensus"].get(pk) if pk in consensus.index else None
            opposed_by = (
                tuple(_group_label(dimension, g) for g in consensus["opposed_by"].get(pk, ()))
                if pk in consensus.index
                else ()
            )
            lines.append((idea, cells, _number(agreed), opposed_by))
        breakdowns.append(
            Breakdown(
                dimension=dimension,
                heading=str(headings[dimension]),
                groups=[_group_label(dimension, g) for g in groups],
                lines=lines,
                merged=tuple(_group_label(dimension, g) for g in scored.merged.get(dimension, ())),
                left_out=tuple(
                    _group_label(dimension, g) for g in scored.left_out.get(dimension, ())
                ),
            )
        )
    return {
        "breakdowns": breakdowns,
        "channels": [
            # A channel with 1-7 ballots is suppressed (NaN): said in words on the page.
            (str(label), _number(scored.channels.get(code, 0)))
            for code, label in (
                ("online", _("Online")),
                ("in_person", _("In the room")),
                ("paper", _("Paper")),
                ("phone", _("Phone")),
            )
        ],
    }


def _whole(value: float) -> float:
    # ``round`` is a parameter name above (the round of ballots), hence this helper.
    return float(round(value))


def suggestion(round: PrioritisationRound) -> dict[str, Any] | None:
    """A shortlist to start the decision from (:func:`focuson.ideas.decision.suggest_shortlist`):
    ideas ranked by their lowest score among residents and professionals, ideas a group opposes
    parked; as the decision form's initial values, or None while there are no ballots."""
    scores = score_frame(round)
    if scores.empty:
        return None
    scored = score_ideas(scores, _criteria(round))
    supports = support_frame(round)
    support = support_ideas(supports) if not supports.empty else None
    consensus = support.consensus if support is not None else None
    made = suggest_shortlist(scored.table, consensus, max_selected=round.max_selected)
    sides = scored.table[scored.table["dimension"] == "side"]
    lowest = sides.groupby("idea")["score"].min()
    opposed: dict[Any, list[str]] = {}
    if consensus is not None and not consensus.empty:
        flagged = consensus[(consensus["dimension"] == "side") & consensus["opposed"]]
        for idea, groups in zip(flagged["idea"], flagged["opposed_by"], strict=True):
            opposed[idea] = [_group_label("side", g) for g in groups]
    initial: dict[str, Any] = {"selected": list(made.selected)}
    for idea in made.parked:
        if idea in opposed:
            reason = _("Opposed by %(groups)s.") % {"groups": ", ".join(opposed[idea])}
        elif _number(lowest.get(idea)) is not None:
            reason = _(
                "Its lowest score among residents and professionals (%(score)s of 100) is "
                "below the ideas selected."
            ) % {"score": int(_whole(100 * lowest[idea]))}
        else:
            reason = _("Too few scores from residents and from professionals to compare.")
        initial[f"reason_{idea}"] = reason
    return initial


def aggregated_rows(round: PrioritisationRound) -> list[dict[str, Any]]:
    """The round's disclosed results, one row per measure, breakdown, group and idea.

    ``measure`` is "score" (``voters``, ``score`` 0..1), "support" (``voters`` who said,
    ``p_support``, ``opposes``) or "consensus" (across the breakdown's groups: ``consensus``,
    ``opposed_by``). Groups are as the library disclosed them (merged or left out when small).
    """
    scores = score_frame(round)
    if scores.empty:
        return []
    titles = dict(round.ideas.values_list("pk", "title"))
    base = {"round_id": round.pk}
    rows: list[dict[str, Any]] = []
    scored = score_ideas(scores, _criteria(round))
    for r in scored.table.itertuples(index=False):
        rows.append(
            base
            | {"measure": "score", "dimension": r.dimension, "group": r.group, "idea_id": r.idea}
            | {"idea": titles.get(r.idea, ""), "voters": r.voters, "score": r.score}
        )
    supports = support_frame(round)
    if not supports.empty:
        support = support_ideas(supports)
        for s in support.table.itertuples(index=False):
            rows.append(
                base
                | {"measure": "support", "dimension": s.dimension, "group": s.group}
                | {"idea_id": s.idea, "idea": titles.get(s.idea, ""), "voters": s.votes}
                | {"p_support": s.p_support, "opposes": bool(s.opposes)}
            )
        for c in support.consensus.itertuples(index=False):
            rows.append(
                base
                | {"measure": "consensus", "dimension": c.dimension, "idea_id": c.idea}
                | {"idea": titles.get(c.idea, ""), "consensus": c.consensus}
                | {"opposed_by": ";".join(cast(tuple[str, ...], c.opposed_by))}
            )
    return rows
