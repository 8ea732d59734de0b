"""Unite: scores and support for ideas, per voter group, never only pooled.

Voters score ideas on weighted criteria and may say whether they support each idea. For a voter
group ``G`` (residents and professionals kept apart; roles; declared demographic groups):

``score(i, G) = sum_c w_c * mean_{r in G} s(r, i, c) / sum_c w_c``

with each criterion's scores first put on 0 (worst) .. 1 (best) from its scale, so criteria
scored on different scales weigh only by ``w_c`` (participation.md section 6). Support (+1 for,
-1 against, 0 neutral) is treated as a statement round on the ideas: smoothed support per group,
group-aware consensus across groups, and ideas one group opposes flagged
(:mod:`focuson.ideas.statements`). Ballots from every channel (online, in the room, paper, phone)
count alike: the channel is recorded and counted, never weighted.

Groups below the disclosure threshold are merged (demographic groups, roles) or left out
(residents and professionals are never merged together) by :mod:`focuson.ideas.small_groups`, and
a group's score or support for an idea is shown only when enough of its voters gave one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from focuson.ideas.small_groups import disclose_groups
from focuson.ideas.statements import (
    count_group_votes,
    encode_groups,
    published_votes,
    statement_support,
)
from focuson.stats import NHS_RULE, DisclosureRule, disclose_counts

ROLES = ("resident", "champion", "vcse", "clinician", "manager", "other")
#: Which side of the room each role sits on. Voluntary-sector staff take part in a work role, so
#: they count with professionals; a programme can pass its own mapping.
SIDES: Mapping[str, str] = {
    "resident": "community",
    "champion": "community",
    "vcse": "professional",
    "clinician": "professional",
    "manager": "professional",
    "other": "other",
}
CHANNELS = ("online", "in_person", "paper", "phone")
#: The breakdowns reported, in order; "group" only when voters declared one.
DIMENSIONS = ("everyone", "side", "role", "group")


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion.

    Attributes
    ----------
    name
        Its key in the ballots' ``criterion`` column.
    weight
        Its weight ``w_c`` (positive).
    scale_min, scale_max
        The scale voters score on.
    higher_is_better
        False for a criterion where a high score is worse (cost).
    """

    name: str
    weight: float = 1.0
    scale_min: float = 1.0
    scale_max: float = 5.0
    higher_is_better: bool = True

    def __post_init__(self) -> None:
        if not self.weight > 0:
            raise ValueError(f"criterion {self.name!r}: weight must be positive, got {self.weight}")
        if not self.scale_max > self.scale_min:
            raise ValueError(
                f"criterion {self.name!r}: scale_max ({self.scale_max}) must be above scale_min "
                f"({self.scale_min})"
            )


#: The criteria of issue 16, equally weighted until a programme sets its own weights.
DEFAULT_CRITERIA = (
    Criterion("gap"),  # expected narrowing of the gap for the group in focus
    Criterion("reach"),
    Criterion("feasibility"),
    Criterion("cost", higher_is_better=False),
    Criterion("community_support"),
    Criterion("measurable"),  # whether Study can measure it
)


@dataclass(frozen=True)
class IdeaScores:
    """Scores per idea and voter group.

    Attributes
    ----------
    table
        One row per (dimension, group, idea): ``voters`` (published, rounded), ``score`` (0..1,
        NaN when too few voters or a criterion unscored), ``mean[<criterion>]`` (0..1, rounded to
        :func:`score_grid`, blank where fewer voters scored it than the rule shows).
    spread
        One row per (dimension, idea) with two or more groups: ``lowest``, ``lowest_group``,
        ``highest``, ``highest_group``: an idea acceptable to every group has a high ``lowest``.
    channels
        Voters per channel (published): ballots from every channel count alike.
    merged, left_out
        Per dimension, the groups merged or left out for disclosure.
    """

    table: pd.DataFrame
    spread: pd.DataFrame
    channels: pd.Series
    merged: dict[str, tuple[str, ...]]
    left_out: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class IdeaSupport:
    """Support per idea and voter group, consensus across groups and opposition.

    Attributes
    ----------
    table
        One row per (dimension, group, idea): ``votes``, ``for``, ``against``, ``neutral``
        (published counts), ``p_support`` = (for + 1) / (votes + 2), ``p_against``, ``opposes``
        (shares from the published counts; blank where a count they need is hidden).
    consensus
        One row per (dimension, idea): ``consensus`` (product over groups of ``p_support``),
        ``consensus_geomean``, ``consensus_min``, ``opposed``, ``opposed_by`` (group names).
    merged, left_out
        Per dimension, the groups merged or left out for disclosure.
    """

    table: pd.DataFrame
    consensus: pd.DataFrame
    merged: dict[str, tuple[str, ...]]
    left_out: dict[str, tuple[str, ...]]


def score_ideas(
    ballots: pd.DataFrame,
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
    *,
    sides: Mapping[str, str] = SIDES,
    rule: DisclosureRule = NHS_RULE,
) -> IdeaScores:
    """Weighted scores per idea for everyone, each side, each role and each declared group.

    Parameters
    ----------
    ballots
        One row per score: ``voter``, ``idea``, ``criterion``, ``score``, ``role`` (one of
        :data:`ROLES`), ``channel`` (one of :data:`CHANNELS`), optionally ``group`` (a declared
        demographic group; blank if not given).
    criteria
        The round's criteria and weights.
    sides
        Role to side (community, professional, other).
    rule
        Disclosure rule for group sizes and published counts.

    Raises
    ------
    ValueError
        A missing column, an unknown role, channel or criterion, a score off its scale, a voter
        who scored the same idea and criterion twice or gave two roles; the message names the row.
    """
    by_name = {c.name: c for c in criteria}
    if len(by_name) != len(criteria) or not criteria:
        raise ValueError("criteria: give at least one, each with its own name")
    frame = _ballots(ballots, "score", sides)
    unknown = ~frame["criterion"].isin(list(by_name))
    _refuse(unknown, frame, "criterion", f"is not a criterion of this round ({', '.join(by_name)})")
    crit = frame["criterion"].map(by_name)
    low = crit.map(lambda c: c.scale_min).astype(float)
    high = crit.map(lambda c: c.scale_max).astype(float)
    score = pd.to_numeric(frame["score"], errors="coerce")
    _refuse(score.isna() | (score < low) | (score > high), frame, "score", "is off the scale")
    _refuse(
        frame.duplicated(["voter", "idea", "criterion"]),
        frame,
        "criterion",
        "was scored twice by the same voter for the same idea; keep one ballot per voter",
    )
    better = crit.map(lambda c: c.higher_is_better).astype(bool)
    unit = (score - low) / (high - low)
    frame = frame.assign(unit=unit.where(better, 1 - unit))
    names = [c.name for c in criteria]
    weights = np.array([c.weight for c in criteria])

    tables, merged, left_out = [], {}, {}
    for dimension, labels in _dimensions(frame).items():
        grouped, merged[dimension], left_out[dimension] = _disclosed(frame, labels, dimension, rule)
        cells = grouped.groupby(["group", "idea", "criterion"])["unit"]
        means = _published_means(
            cells.mean().unstack("criterion").reindex(columns=names),
            cells.count().unstack("criterion").reindex(columns=names),
            criteria,
            rule,
        )
        complete = means.notna().all(axis=1).to_numpy()
        weighted = (means.fillna(0).to_numpy() @ weights) / weights.sum()
        voters = grouped.groupby(["group", "idea"])["voter"].nunique().reindex(means.index)
        shown = disclose_counts(voters.to_numpy(dtype=float), rule=rule)
        table = pd.DataFrame(
            {
                "dimension": dimension,
                "voters": shown.value,
                "score": np.where(complete & ~shown.suppressed, weighted, np.nan),
            },
            index=means.index,
        )
        for name in names:
            table[f"mean[{name}]"] = means[name].where(~shown.suppressed)
        tables.append(table.reset_index())
    table = pd.concat(tables, ignore_index=True)[
        ["dimension", "group", "idea", "voters", "score", *[f"mean[{n}]" for n in names]]
    ]
    channels = frame.drop_duplicates("voter")["channel"].value_counts()
    channels = channels.reindex(list(CHANNELS), fill_value=0)
    return IdeaScores(
        table=table,
        spread=_spread(table),
        channels=pd.Series(
            disclose_counts(channels.to_numpy(float), rule=rule).value,
            index=channels.index,
            name="voters",
        ),
        merged=merged,
        left_out=left_out,
    )


def score_grid(criterion: Criterion, rule: DisclosureRule = NHS_RULE) -> float:
    """The step a group's published mean on ``criterion`` is rounded to (0: not rounded).

    A mean of ``n`` whole-number scores on a scale of range ``R``, put on 0..1, is ``k / (R n)``
    for a whole ``k``. Published at full precision it gives back ``n`` exactly (the fraction's
    denominator), and differencing two groups' exact counts and totals recovers a group left out
    for being small. Rounded to a step ``g >= 1 / (R t)``, where ``t`` is the smallest count the
    rule shows, every ``n >= t`` fits every published mean, so the means say no more about how many
    voted than the rounded ``voters`` column does. ``g`` is the smallest multiple of 0.05 (five
    points on a 0-100 scale) at least ``1 / (R t)``. A rule that neither suppresses nor rounds
    publishes exact means.

    Examples
    --------
    >>> score_grid(Criterion("gap"))  # scores 1-5 (R = 4), NHS rule (t = 8): 1/32 -> 0.05
    0.05
    >>> round(score_grid(Criterion("yes_no", scale_min=0, scale_max=1)), 2)  # 1/8 -> 0.15
    0.15
    """
    if rule.suppress_to < rule.suppress_from and rule.round_to == 1:
        return 0.0
    smallest = max(rule.suppress_to + 1, 1)
    needed = 1.0 / ((criterion.scale_max - criterion.scale_min) * smallest)
    return float(np.ceil(round(needed / 0.05, 9)) * 0.05)


def _published_means(
    means: pd.DataFrame, scorers: pd.DataFrame, criteria: Sequence[Criterion], rule: DisclosureRule
) -> pd.DataFrame:
    """Criterion means as published: blank where fewer than the rule shows scored, rounded to
    :func:`score_grid` otherwise (the weighted score is then computed from these)."""
    smallest = max(rule.suppress_to + 1, 1)
    out = means.where(scorers >= smallest)
    for criterion in criteria:
        grid = score_grid(criterion, rule)
        if grid > 0:
            # Half up, as counts are rounded; the clip keeps 0..1 when a grid does not divide 1.
            column = np.floor(out[criterion.name] / grid + 0.5) * grid
            out[criterion.name] = column.clip(0.0, 1.0)
    return out


def support_ideas(
    ballots: pd.DataFrame,
    *,
    sides: Mapping[str, str] = SIDES,
    rule: DisclosureRule = NHS_RULE,
) -> IdeaSupport:
    """Support for each idea per group, consensus across groups, and ideas a group opposes.

    Parameters
    ----------
    ballots
        One row per voter and idea: ``voter``, ``idea``, ``support`` (1 for, -1 against,
        0 neutral), ``role``, ``channel``, optionally ``group``.
    sides, rule
        As :func:`score_ideas`.
    """
    frame = _ballots(ballots, "support", sides)
    value = pd.to_numeric(frame["support"], errors="coerce")
    _refuse(~value.isin([1, 0, -1]), frame, "support", "is not 1 (for), -1 (against) or 0")
    _refuse(
        frame.duplicated(["voter", "idea"]),
        frame,
        "idea",
        "has two support ballots from the same voter; keep one",
    )
    frame = frame.assign(support=value)
    matrix = frame.pivot(index="voter", columns="idea", values="support")
    ideas = matrix.columns.to_numpy()
    voters = frame.drop_duplicates("voter").set_index("voter").reindex(matrix.index)

    tables, rows, merged, left_out = [], [], {}, {}
    for dimension, labels in _dimensions(voters.reset_index()).items():
        codes, names = encode_groups(labels.to_numpy())
        out = disclose_groups(codes, names, rule=rule, merge=dimension != "side")
        merged[dimension], left_out[dimension] = out.merged, out.left_out
        if not out.names:
            continue
        votes = published_votes(
            count_group_votes(matrix.to_numpy(float), out.codes, out.names), rule
        )
        # Every share, test and consensus comes from the published counts (as Find's statistics
        # do): one from the true counts, at full precision, would give back a hidden 1-7.
        stats = statement_support(votes)
        g, i = np.meshgrid(np.arange(len(out.names)), np.arange(ideas.size), indexing="ij")
        opposes = stats.opposed_by
        table = pd.DataFrame(
            {
                "dimension": dimension,
                "group": np.asarray(out.names, dtype=object)[g.ravel()],
                "idea": ideas[i.ravel()],
                "votes": votes.seen.ravel(),
                "for": votes.agree.ravel(),
                "against": votes.disagree.ravel(),
                "neutral": votes.passed.ravel(),
                "p_support": stats.p_agree.ravel(),
                "p_against": stats.p_disagree.ravel(),
                "opposes": opposes.ravel(),
            }
        )
        tables.append(table)
        opposed_by = [
            tuple(n for n, o in zip(out.names, opposes[:, k], strict=True) if o)
            for k in range(ideas.size)
        ]
        rows.append(
            pd.DataFrame(
                {
                    "dimension": dimension,
                    "idea": ideas,
                    "groups": len(out.names),
                    "consensus": stats.consensus,
                    "consensus_geomean": stats.consensus_geomean,
                    "consensus_min": stats.consensus_min,
                    "opposed": opposes.any(axis=0),
                    "opposed_by": opposed_by,
                }
            )
        )
    return IdeaSupport(
        table=pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(),
        consensus=pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(),
        merged=merged,
        left_out=left_out,
    )


def _ballots(ballots: pd.DataFrame, value: str, sides: Mapping[str, str]) -> pd.DataFrame:
    """Check the common ballot columns; add ``side``; blank ``group`` if absent."""
    required = ["voter", "idea", value, "role", "channel"]
    if value == "score":
        required.insert(2, "criterion")
    missing = [c for c in required if c not in ballots.columns]
    if missing:
        raise ValueError(
            f"ballots: column {missing[0]!r} is missing (needed: {', '.join(required)})"
        )
    frame = ballots.reset_index(drop=True).copy()
    if "group" not in frame.columns:
        frame["group"] = ""
    frame["group"] = frame["group"].fillna("").astype(str)
    _refuse(~frame["role"].isin(list(sides)), frame, "role", f"is not one of {', '.join(sides)}")
    _refuse(
        ~frame["channel"].isin(list(CHANNELS)),
        frame,
        "channel",
        f"is not one of {', '.join(CHANNELS)}",
    )
    for column in ("role", "group"):
        changes = frame.groupby("voter")[column].transform("nunique") > 1
        _refuse(changes, frame, column, "differs between this voter's ballots; give one")
    frame["side"] = frame["role"].map(sides)
    return frame


def _refuse(bad: pd.Series, frame: pd.DataFrame, column: str, problem: str) -> None:
    """Raise naming the first bad row (0-based, as in the ballots given) and its value."""
    if bool(bad.any()):
        row = int(np.argmax(bad.to_numpy()))
        value = frame[column].iat[row]
        value = value.item() if isinstance(value, np.generic) else value  # 2, not np.int64(2)
        raise ValueError(
            f"ballots row {row} (voter {frame['voter'].iat[row]!r}): {column} "
            f"{value!r} {problem} ({int(bad.sum())} such row(s))"
        )


def _dimensions(voters: pd.DataFrame) -> dict[str, pd.Series]:
    """The group label of each row for every breakdown reported."""
    out = {
        "everyone": pd.Series("Everyone", index=voters.index),
        "side": voters["side"],
        "role": voters["role"],
    }
    if (voters["group"] != "").any():
        out["group"] = voters["group"]
    return out


def _disclosed(
    frame: pd.DataFrame, labels: pd.Series, dimension: str, rule: DisclosureRule
) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Rows of voters in groups that may be shown, labelled with the (merged) group."""
    per_voter = labels.groupby(frame["voter"]).first()
    codes, names = encode_groups(per_voter.to_numpy())
    out = disclose_groups(codes, names, rule=rule, merge=dimension != "side")
    group_of = pd.Series(
        np.where(out.codes >= 0, np.asarray((*out.names, ""), dtype=object)[out.codes], ""),
        index=per_voter.index,
    )
    grouped = frame.assign(group=frame["voter"].map(group_of))
    return grouped[grouped["group"] != ""], out.merged, out.left_out


def _spread(table: pd.DataFrame) -> pd.DataFrame:
    """Lowest and highest group score per idea and breakdown (two or more groups scored)."""
    scored = table[table["dimension"] != "everyone"].dropna(subset=["score"])
    if scored.empty:
        return pd.DataFrame(
            columns=["dimension", "idea", "lowest", "lowest_group", "highest", "highest_group"]
        )
    keys = ["dimension", "idea"]
    low = scored.loc[scored.groupby(keys)["score"].idxmin()].set_index(keys)
    high = scored.loc[scored.groupby(keys)["score"].idxmax()].set_index(keys)
    groups = scored.groupby(keys)["group"].nunique()
    out = pd.DataFrame(
        {
            "lowest": low["score"],
            "lowest_group": low["group"],
            "highest": high["score"],
            "highest_group": high["group"],
        }
    )
    return out[groups.reindex(out.index) >= 2].reset_index()
