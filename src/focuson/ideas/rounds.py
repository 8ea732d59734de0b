"""A statement round from votes to what a page shows, for declared or opinion groups.

Groups are either declared (a role, a demographic band, the group in focus against everyone
else) or opinion groups found from the votes (:mod:`focuson.ideas.opinion_groups`). Declared
groups describe people, so those below the disclosure threshold are merged or left out first
(:mod:`focuson.ideas.small_groups`); opinion groups are formed by the votes themselves and are
used as found, as Pol.is shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from focuson.ideas.opinion_groups import OpinionGroups, opinion_groups
from focuson.ideas.repness import Repness, repness, representative_statements
from focuson.ideas.small_groups import disclose_groups
from focuson.ideas.statements import (
    StatementSupport,
    count_group_votes,
    encode_groups,
    published_votes,
    statement_support,
    vote_matrix,
)
from focuson.stats import NHS_RULE, DisclosureRule, disclose_counts

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StatementRound:
    """Everything a statement round reports.

    Attributes
    ----------
    groups
        The group names shown.
    codes
        Per participant, the group (index into ``groups``) or -1.
    published_sizes
        Participants per group, rounded by the disclosure rule.
    merged, left_out
        Declared groups merged or left out for disclosure (empty for opinion groups).
    support
        Support per group and group-aware consensus.
    repness
        Pol.is's representativeness statistics.
    representative
        The statements that represent each group (see
        :func:`~focuson.ideas.repness.representative_statements`).
    opinion
        The opinion-group fit, when the groups were found from the votes.
    """

    groups: tuple[str, ...]
    codes: IntArray
    published_sizes: FloatArray
    merged: tuple[str, ...]
    left_out: tuple[str, ...]
    support: StatementSupport
    repness: Repness
    representative: pd.DataFrame
    opinion: OpinionGroups | None


def statement_round(
    votes: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    shown: ArrayLike | None = None,
    rule: DisclosureRule = NHS_RULE,
    seed: int = 0,
) -> StatementRound:
    """Support, consensus and representative statements for declared or opinion groups.

    Parameters
    ----------
    votes
        ``P x S`` vote matrix (+1 agree, -1 disagree, 0 pass, NaN not voted).
    groups
        One declared group label per participant (blank = none); None to find opinion groups.
    shown
        Per statement, False if moderated out: it is left out of the representative statements
        and its votes count as passes when opinion groups are found.
    rule
        Disclosure rule for declared groups.
    seed
        Seed for finding opinion groups.

    Raises
    ------
    ValueError
        No declared group is large enough to show, or too few voted to find opinion groups.
    """
    v = vote_matrix(votes)
    keep = np.ones(v.shape[1], bool) if shown is None else np.asarray(shown, bool)
    opinion: OpinionGroups | None = None
    if groups is None:
        opinion = opinion_groups(v, exclude=~keep, seed=seed)
        codes, names = opinion.labels, opinion.names
        merged: tuple[str, ...] = ()
        left_out: tuple[str, ...] = ()
        sizes = np.bincount(codes[codes >= 0], minlength=len(names))
        published = disclose_counts(sizes, rule=rule).value
    else:
        raw_codes, raw_names = encode_groups(groups)
        if raw_codes.shape != (v.shape[0],):
            raise ValueError(
                f"groups: expected one label per participant ({v.shape[0]}), "
                f"got {raw_codes.shape[0]}"
            )
        out = disclose_groups(raw_codes, raw_names, rule=rule)
        if not out.names:
            raise ValueError(
                "groups: no declared group has enough participants to be shown "
                f"(the disclosure rule suppresses {rule.suppress_from}-{rule.suppress_to}); "
                "report everyone together, or wait until more have voted"
            )
        codes, names = out.codes, out.names
        merged, left_out, published = out.merged, out.left_out, out.published_sizes
    # Shares, tests and consensus from the published counts (rounded; blank where 1-7 voted),
    # never the true ones: see :func:`~focuson.ideas.statements.published_votes`.
    counts = published_votes(count_group_votes(v, codes, names), rule)
    stats = repness(counts)
    return StatementRound(
        groups=tuple(names),
        codes=codes,
        published_sizes=published,
        merged=merged,
        left_out=left_out,
        support=statement_support(counts),
        repness=stats,
        representative=representative_statements(stats, counts, shown=keep),
        opinion=opinion,
    )
