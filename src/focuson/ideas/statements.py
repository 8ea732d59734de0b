"""A statement round: votes per group, smoothed support and group-aware consensus.

People vote agree (+1), disagree (-1) or pass (0) on short statements. For each statement ``i``
and group ``g`` (a declared group such as a role or demographic band, or an opinion group found
from the votes):

- ``A``, ``D``, ``P`` agrees, disagrees and passes; ``S = A + D + P`` votes seen;
- ``a(g, i) = (A + 1) / (S + 2)`` the smoothed probability of agreeing (a uniform prior, so a
  group that has barely voted sits near 1/2 rather than 0 or 1), and the same for disagreeing,
  ``d(g, i) = (D + 1) / (S + 2)``;
- group-aware consensus ``prod_g a(g, i)``: high only if every group agrees. Its geometric mean
  ``consensus ** (1 / G)`` compares rounds with different numbers of groups, and ``min_g a(g, i)``
  names the least convinced group;
- the disagree version ``prod_g d(g, i)``, and a flag for statements one group opposes.

Pol.is computes ``a(g, i)`` and the product exactly so (compdemocracy/polis,
``math/src/polismath/math/conversation.clj``, ``group-aware-consensus``: ``(A + 1) / (S + 2)``
multiplied over groups; ``S`` counts passes). The geometric mean, the minimum and the opposition
flag are focuson's additions (``docs/methods.md``).

Everything is vectorised: counts come from one matrix product of group membership with the vote
indicators, never a loop over participants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from focuson.stats import NHS_RULE, DisclosureRule, disclose_counts

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: One-sided 90% critical value of the standard normal; Pol.is's ``z-sig-90?`` uses 1.2816.
Z90 = 1.2816


@dataclass(frozen=True)
class GroupVotes:
    """Vote counts per group and statement (arrays are ``G x S``).

    Attributes
    ----------
    groups
        Group names, one per row.
    agree, disagree, passed, seen
        Counts; ``seen = agree + disagree + passed`` (votes cast, passes included). As
        published (:func:`published_votes`) they are floats, rounded, NaN where suppressed.
    members
        Participants in each group (whether or not they voted).
    """

    groups: tuple[str, ...]
    agree: IntArray
    disagree: IntArray
    passed: IntArray
    seen: IntArray
    members: IntArray


@dataclass(frozen=True)
class StatementSupport:
    """Support for each statement within each group and across groups.

    Attributes
    ----------
    votes
        The counts behind everything here.
    p_agree, p_disagree
        ``G x S``: ``(A + 1) / (S + 2)`` and ``(D + 1) / (S + 2)``.
    consensus, consensus_geomean, consensus_min
        Per statement: the product over groups of ``p_agree``, its ``1/G`` power, its minimum.
    disagree_consensus, disagree_geomean, disagree_max
        The same for ``p_disagree`` (the maximum names the most opposed group's level).
    opposed_by
        ``G x S``: the group opposes the statement: most of it disagrees (``p_disagree > 1/2``)
        and the test of ``D`` against half of ``S`` passes at one-sided 90% (:func:`prop_test`).
    opposed
        Per statement: some group opposes it.
    """

    votes: GroupVotes
    p_agree: FloatArray
    p_disagree: FloatArray
    consensus: FloatArray
    consensus_geomean: FloatArray
    consensus_min: FloatArray
    disagree_consensus: FloatArray
    disagree_geomean: FloatArray
    disagree_max: FloatArray
    opposed_by: BoolArray
    opposed: BoolArray

    def table(self, statements: ArrayLike | None = None) -> pd.DataFrame:
        """One row per statement: consensus measures, then agree share per group.

        ``statements`` labels the rows (0..S-1 by default).
        """
        n = self.consensus.size
        index = pd.Index(np.arange(n) if statements is None else np.asarray(statements))
        frame = pd.DataFrame(
            {
                "consensus": self.consensus,
                "consensus_geomean": self.consensus_geomean,
                "consensus_min": self.consensus_min,
                "disagree_consensus": self.disagree_consensus,
                "disagree_max": self.disagree_max,
                "opposed": self.opposed,
            },
            index=index,
        )
        for g, name in enumerate(self.votes.groups):
            frame[f"p_agree[{name}]"] = self.p_agree[g]
        return frame


def vote_matrix(votes: ArrayLike) -> FloatArray:
    """Check a vote matrix: 2-d, values +1, -1, 0 or NaN (not voted)."""
    arr = np.asarray(votes, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            f"votes: expected a participants x statements matrix (2-d), got shape {arr.shape}"
        )
    bad = ~(np.isnan(arr) | np.isin(arr, (-1.0, 0.0, 1.0)))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"votes: participant {row}, statement {col} holds {float(arr[row, col])!r}; votes are "
            f"1 (agree), -1 (disagree), 0 (pass) or NaN (not voted)"
        )
    return arr


def encode_groups(values: ArrayLike) -> tuple[IntArray, tuple[str, ...]]:
    """Integer codes (``-1`` = in no group) and names, from one label per participant.

    Blank labels (None, NaN, empty string) mean "in no group". Names are sorted.

    >>> encode_groups(["b", "a", None, "b"])
    (array([ 1,  0, -1,  1]), ('a', 'b'))
    """
    series = pd.Series(np.asarray(values, dtype=object)).replace("", None)
    codes, names = pd.factorize(series, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), tuple(str(n) for n in names)


def count_group_votes(
    votes: ArrayLike, groups: ArrayLike, names: Sequence[str] | None = None
) -> GroupVotes:
    """Agrees, disagrees, passes and votes seen per group and statement.

    Parameters
    ----------
    votes
        ``P x S`` vote matrix (+1, -1, 0, NaN).
    groups
        One integer code per participant: ``0..G-1``, or ``-1`` for a participant in no group
        (their votes count in no group). Use :func:`encode_groups` for text labels.
    names
        Group names (``G``); ``"0"``, ``"1"``... by default.

    Examples
    --------
    >>> gv = count_group_votes([[1, -1], [0, np.nan], [1, 1]], [0, 0, 1])
    >>> gv.agree.tolist(), gv.disagree.tolist(), gv.seen.tolist()
    ([[1, 0], [1, 1]], [[0, 1], [0, 0]], [[2, 1], [1, 1]])
    """
    v = vote_matrix(votes)
    codes = np.asarray(groups)
    if codes.shape != (v.shape[0],):
        raise ValueError(
            f"groups: expected one group per participant ({v.shape[0]}), got shape {codes.shape}"
        )
    if codes.size and (codes.dtype.kind not in "iu" or codes.min() < -1):
        raise ValueError("groups: expected integer codes 0..G-1, or -1 for no group")
    n_groups = len(names) if names is not None else int(codes.max(initial=-1)) + 1
    if codes.size and codes.max() >= n_groups:
        raise ValueError(f"groups: code {codes.max()} but only {n_groups} group names given")
    # Membership as a P x G indicator; one matrix product per kind of vote counts every group.
    # Float products use BLAS; counts stay exact (far below 2**53) and are cast back.
    member = (codes[:, None] == np.arange(n_groups)[None, :]).astype(np.float64)
    agree = (member.T @ (v == 1)).astype(np.int64)
    disagree = (member.T @ (v == -1)).astype(np.int64)
    passed = (member.T @ (v == 0)).astype(np.int64)
    return GroupVotes(
        groups=tuple(names) if names is not None else tuple(str(g) for g in range(n_groups)),
        agree=agree,
        disagree=disagree,
        passed=passed,
        seen=agree + disagree + passed,
        members=member.sum(axis=0).astype(np.int64),
    )


def published_votes(votes: GroupVotes, rule: DisclosureRule = NHS_RULE) -> GroupVotes:
    """The counts as published: rounded, and blank (NaN) where a group's votes on a statement
    are suppressed.

    Every share, test and consensus is computed from these, as Find's statistics are: one from
    the true counts, at full precision, would give back a hidden 1-7 (a smoothed share
    ``(a + 1) / (s + 2)`` of three agreeing out of three is 0.8, and only three votes give it).
    A share whose count is blank is blank, and so is a consensus over a blank share.

    Examples
    --------
    >>> v = published_votes(count_group_votes([[1]] * 12 + [[-1]] * 3, [0] * 12 + [1] * 3))
    >>> v.seen.ravel().tolist(), v.agree.ravel().tolist()
    ([10.0, nan], [10.0, nan])
    """
    seen = disclose_counts(votes.seen.ravel(), rule=rule)
    hidden = seen.suppressed.reshape(votes.seen.shape)

    # NDArray[Any]: published counts are floats (NaN where blank) in GroupVotes' count fields.
    def shown(counts: NDArray[Any]) -> NDArray[Any]:
        value = disclose_counts(counts.ravel(), rule=rule).value.reshape(counts.shape)
        return np.where(hidden, np.nan, value)

    return GroupVotes(
        groups=votes.groups,
        agree=shown(votes.agree),
        disagree=shown(votes.disagree),
        passed=shown(votes.passed),
        seen=shown(votes.seen),
        members=votes.members,
    )


def prop_test(successes: ArrayLike, trials: ArrayLike) -> FloatArray:
    """Pol.is's one-sample z-score of a proportion against 1/2, with one added to each count.

    ``z = 2 * sqrt(n + 1) * ((x + 1) / (n + 1) - 1/2)`` (compdemocracy/polis,
    ``math/src/polismath/math/stats.clj``, ``prop-test``).

    >>> round(float(prop_test(3, 3)[()]), 4)
    2.0
    """
    x = np.asarray(successes, dtype=np.float64) + 1
    n = np.asarray(trials, dtype=np.float64) + 1
    return np.asarray(2 * np.sqrt(n) * (x / n - 0.5))


def two_prop_test(
    successes_in: ArrayLike, successes_out: ArrayLike, trials_in: ArrayLike, trials_out: ArrayLike
) -> FloatArray:
    """Pol.is's two-proportion z-score (in-group against the rest), one added to each count.

    ``z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p1 = (x1+1)/(n1+1)``,
    ``p2 = (x2+1)/(n2+1)``, ``p = (x1+x2+2)/(n1+n2+2)``; 0 where ``p = 1``
    (compdemocracy/polis, ``math/src/polismath/math/stats.clj``, ``two-prop-test``).

    >>> round(float(two_prop_test(3, 0, 3, 3)[()]), 4)  # p1 = 1, p2 = 1/4, p = 5/8: 0.75 / 0.3423
    2.1909
    """
    x1 = np.asarray(successes_in, dtype=np.float64) + 1
    x2 = np.asarray(successes_out, dtype=np.float64) + 1
    n1 = np.asarray(trials_in, dtype=np.float64) + 1
    n2 = np.asarray(trials_out, dtype=np.float64) + 1
    pooled = (x1 + x2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x1 / n1 - x2 / n2) / spread
    return np.asarray(np.where(pooled >= 1, 0.0, z))


def statement_support(votes: GroupVotes) -> StatementSupport:
    """Smoothed agreement per group, group-aware consensus and opposition.

    Parameters
    ----------
    votes
        Counts from :func:`count_group_votes` (at least one group).

    Returns
    -------
    StatementSupport

    Notes
    -----
    ``a(g, i) = (A + 1) / (S + 2)``; consensus ``prod_g a(g, i)`` as Pol.is's
    ``group-aware-consensus`` (conversation.clj). A group opposes a statement when
    ``d(g, i) > 1/2`` and ``prop_test(D, S) > 1.2816`` (the same 90% one-sided test Pol.is applies
    before it lists a statement as consensus, here applied to disagreement within one group).

    Examples
    --------
    Two groups, one statement: group 0 voted agree, agree, disagree (A=2, S=3), group 1 voted
    disagree, disagree (A=0, S=2). a = 3/5 and 1/4; consensus = 3/20 = 0.15.

    >>> s = statement_support(count_group_votes([[1], [1], [-1], [-1], [-1]], [0, 0, 0, 1, 1]))
    >>> s.p_agree.ravel().tolist(), round(float(s.consensus[0]), 4)
    ([0.6, 0.25], 0.15)
    """
    if not votes.groups:
        raise ValueError("statement_support: needs at least one group")
    seen = votes.seen.astype(np.float64)
    p_agree = (votes.agree + 1) / (seen + 2)
    p_disagree = (votes.disagree + 1) / (seen + 2)
    n_groups = len(votes.groups)
    consensus = np.prod(p_agree, axis=0)
    disagree_consensus = np.prod(p_disagree, axis=0)
    opposed_by = (p_disagree > 0.5) & (prop_test(votes.disagree, votes.seen) > Z90)
    return StatementSupport(
        votes=votes,
        p_agree=p_agree,
        p_disagree=p_disagree,
        consensus=consensus,
        consensus_geomean=consensus ** (1 / n_groups),
        consensus_min=p_agree.min(axis=0),
        disagree_consensus=disagree_consensus,
        disagree_geomean=disagree_consensus ** (1 / n_groups),
        disagree_max=p_disagree.max(axis=0),
        opposed_by=opposed_by,
        opposed=np.asarray(opposed_by.any(axis=0)),
    )
