"""A round's results from its votes, by :func:`focuson.ideas.rounds.statement_round`: opinion
groups found from the votes, and the groups voters declared; per statement its support in each
group and the group-aware consensus; the statements that represent each group.

The votes are read in one query into the library's ``voters x statements`` matrix (voters and
statements in the order they were made, so an imported Pol.is round gives the matrix
:func:`focuson.ideas.polis.read_polis_files` reads). Only what the library discloses leaves here:
group sizes as published (rounded, small ones suppressed), declared groups merged or left out,
shares smoothed; never a voter's votes, never a raw count by group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from focuson.ideas.rounds import StatementRound as RoundResult
from focuson.ideas.rounds import statement_round
from focuson.ideas.small_groups import MERGED
from focuson.web.statements.models import Moderation, Statement, StatementRound, Vote, Voter

#: How many statements the consensus list shows.
TOP_CONSENSUS = 5


@dataclass(frozen=True)
class Matrix:
    """A round's votes as the library reads them."""

    votes: np.ndarray
    statements: list[Statement]
    shown: np.ndarray
    #: Per voter, the group declared ("" if none, or prefers not to say).
    groups: np.ndarray


def vote_matrix(round: StatementRound) -> Matrix:
    """Voters x statements (+1, -1, 0, NaN): accepted and rejected statements (rejected ones
    are not shown, and count as passes when opinion groups are found, as Pol.is does)."""
    statements = list(round.statements.exclude(status=Moderation.PENDING).order_by("pk"))
    voters = Voter.objects.filter(round=round, votes__isnull=False).distinct().order_by("pk")
    voter_rows = list(voters.values_list("pk", "declared_group"))
    voter_pks = np.array([v for v, _g in voter_rows], dtype=np.int64)
    statement_pks = np.array([s.pk for s in statements], dtype=np.int64)
    votes = np.full((voter_pks.size, statement_pks.size), np.nan)
    cells = np.array(
        list(
            Vote.objects.filter(
                voter__round=round, statement__in=statement_pks.tolist()
            ).values_list("voter_id", "statement_id", "value")
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    if cells.size:
        rows = np.searchsorted(voter_pks, cells[:, 0])
        cols = np.searchsorted(statement_pks, cells[:, 1])
        votes[rows, cols] = cells[:, 2]
    return Matrix(
        votes=votes,
        statements=statements,
        shown=np.array([s.status == Moderation.ACCEPTED for s in statements], dtype=bool),
        groups=np.array([g for _v, g in voter_rows], dtype=object),
    )


def group_label(name: str) -> str:
    """A group's name in words (the library's English names translated)."""
    if name == MERGED:
        return _("Other groups (merged)")
    if name.startswith("Opinion group "):
        return _("Opinion group %(letter)s") % {"letter": name.removeprefix("Opinion group ")}
    return name


@dataclass(frozen=True)
class Cell:
    """One group's view of one statement: smoothed shares agreeing and disagreeing (0-1), None
    where the library left them blank (1 to 7 of the group voted on it)."""

    group: str
    agree: float | None
    disagree: float | None
    opposes: bool


@dataclass(frozen=True)
class Line:
    """One statement across the groups, with its group-aware consensus (None where a group's
    share is blank)."""

    statement: Statement
    cells: list[Cell]
    consensus: float | None
    consensus_geomean: float | None
    least: float | None
    opposed_by: list[str]


@dataclass(frozen=True)
class Representative:
    statement: Statement
    side: str
    share: float
    ratio: float


@dataclass
class Analysis:
    """One way of grouping the voters ("opinion" or "declared") and what it shows."""

    kind: str
    heading: str
    problem: str = ""
    groups: list[tuple[str, float | None]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    consensus: list[Line] = field(default_factory=list)
    representative: list[tuple[str, list[Representative]]] = field(default_factory=list)


def _size(value: float) -> float | None:
    """A published number, or None where the library left it blank (suppressed)."""
    return None if math.isnan(value) else float(value)


def _analysis(kind: str, heading: str, matrix: Matrix, found: RoundResult) -> Analysis:
    labels = [group_label(g) for g in found.groups]
    support = found.support
    lines = []
    for i, statement in enumerate(matrix.statements):
        if not matrix.shown[i]:
            continue  # moderated out: never shown
        lines.append(
            Line(
                statement=statement,
                cells=[
                    Cell(
                        label,
                        _size(support.p_agree[g, i]),
                        _size(support.p_disagree[g, i]),
                        bool(support.opposed_by[g, i]),
                    )
                    for g, label in enumerate(labels)
                ],
                consensus=_size(support.consensus[i]),
                consensus_geomean=_size(support.consensus_geomean[i]),
                least=_size(support.consensus_min[i]),
                opposed_by=[labels[g] for g in np.flatnonzero(support.opposed_by[:, i])],
            )
        )
    rep = found.representative
    by_group = []
    for name, label in zip(found.groups, labels, strict=True):
        chosen = rep[rep["group"] == name].sort_values("rank")
        by_group.append(
            (
                label,
                [
                    Representative(
                        statement=matrix.statements[int(r["statement"])],
                        side=str(r["side"]),
                        share=float(r["p_success"]),
                        ratio=float(r["repness"]),
                    )
                    for r in chosen.to_dict("records")
                    # A share the library left blank (1-7 votes on that side) is not shown.
                    if not math.isnan(float(r["p_success"]))
                ],
            )
        )
    return Analysis(
        kind=kind,
        heading=heading,
        groups=[(label, _size(s)) for label, s in zip(labels, found.published_sizes, strict=True)],
        merged=[group_label(g) for g in found.merged],
        left_out=[group_label(g) for g in found.left_out],
        lines=lines,
        consensus=sorted(
            (line for line in lines if line.consensus is not None),
            key=lambda line: -(line.consensus or 0.0),
        )[:TOP_CONSENSUS],
        representative=by_group,
    )


def library_rounds(matrix: Matrix, *, seed: int = 0) -> dict[str, RoundResult | str]:
    """The library's results for opinion and declared groups (or why there are none)."""
    out: dict[str, RoundResult | str] = {}
    try:
        out["opinion"] = statement_round(matrix.votes, shown=matrix.shown, seed=seed)
    except ValueError as error:
        # Only the library's refusals are said in words; any other error is a bug to see.
        if not str(error).startswith("opinion groups:"):
            raise
        out["opinion"] = _(
            "Not enough votes yet to find opinion groups: at least three people need to have "
            "voted on seven statements (or on all of them) and voted differently."
        )
    if not any(matrix.groups):
        out["declared"] = _("No voter has declared a group yet.")
    else:
        try:
            out["declared"] = statement_round(matrix.votes, matrix.groups, shown=matrix.shown)
        except ValueError as error:
            if not str(error).startswith("groups: no declared group"):
                raise
            out["declared"] = _(
                "No declared group has enough voters to be shown yet (groups of 1 to 7 are not "
                "shown, so that nobody can be recognised); wait until more have voted."
            )
    return out


def results(round: StatementRound) -> dict[str, Any] | None:
    """The round's results for its page, or None while nobody has voted."""
    matrix = vote_matrix(round)
    if matrix.votes.shape[0] == 0 or not matrix.shown.any():
        return None
    headings = {
        "opinion": _("Opinion groups found from the votes"),
        "declared": _("Groups the voters declared"),
    }
    analyses = []
    for kind, found in library_rounds(matrix).items():
        if isinstance(found, str):
            analyses.append(Analysis(kind=kind, heading=headings[kind], problem=found))
        else:
            analyses.append(_analysis(kind, headings[kind], matrix, found))
    return {"analyses": analyses, "voters": int(matrix.votes.shape[0])}


def aggregated_rows(round: StatementRound) -> list[dict[str, Any]]:
    """The round's disclosed results, one row per measure, grouping, group and statement.

    ``measure``: "group" (``published_size``), "support" (``p_agree``, ``p_disagree``,
    ``opposes``), "consensus" (``consensus``, ``consensus_geomean``, ``consensus_min``,
    ``opposed_by``) or "representative" (``side``, ``p_success``, ``repness``, ``rank``).
    """
    matrix = vote_matrix(round)
    if matrix.votes.shape[0] == 0 or not matrix.shown.any():
        return []
    rows: list[dict[str, Any]] = []
    for kind, found in library_rounds(matrix).items():
        if isinstance(found, str):
            continue
        base = {"round_id": round.pk, "grouping": kind}
        support = found.support
        for g, name in enumerate(found.groups):
            size = _size(found.published_sizes[g])
            rows.append(base | {"measure": "group", "group": name, "published_size": size})
        for i, s in enumerate(matrix.statements):
            if not matrix.shown[i]:
                continue
            about = {"statement_id": s.pk, "statement": s.text}
            for g, name in enumerate(found.groups):
                rows.append(
                    base | {"measure": "support", "group": name} | about
                    | {"p_agree": float(support.p_agree[g, i]),
                       "p_disagree": float(support.p_disagree[g, i]),
                       "opposes": bool(support.opposed_by[g, i])}
                )  # fmt: skip
            opposed = [found.groups[g] for g in np.flatnonzero(support.opposed_by[:, i])]
            rows.append(
                base | {"measure": "consensus"} | about
                | {"consensus": float(support.consensus[i]),
                   "consensus_geomean": float(support.consensus_geomean[i]),
                   "consensus_min": float(support.consensus_min[i]),
                   "opposed_by": ";".join(opposed)}
            )  # fmt: skip
        for r in found.representative.to_dict("records"):
            s = matrix.statements[int(r["statement"])]
            rows.append(
                base | {"measure": "representative", "group": r["group"]}
                | {"statement_id": s.pk, "statement": s.text, "side": r["side"],
                   "p_success": float(r["p_success"]), "repness": float(r["repness"]),
                   "rank": int(r["rank"])}
            )  # fmt: skip
    return rows
