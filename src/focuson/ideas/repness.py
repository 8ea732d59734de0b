"""Representativeness: the statements that set each group apart, as Pol.is computes it.

For group ``g`` and statement ``i``, with counts in the group (``A``, ``D``, ``S``) and summed
over the *other* groups (``A'``, ``D'``, ``S'``):

- ``pa = (A + 1) / (S + 2)`` and ``pat = prop_test(A, S)``: the group agrees, and how surely;
- ``ra = pa / ((A' + 1) / (S' + 2))`` and ``rat = two_prop_test(A, A', S, S')``: the group agrees
  more than the others, and how surely;
- ``pd``, ``pdt``, ``rd``, ``rdt`` the same for disagreeing.

A statement is *representative* of a group for the side (agree or disagree) whose ``rat``/``rdt``
is larger; it passes when both its z-scores on that side exceed 1.2816 (one-sided 90%), and
passing statements are ranked by ``repness * repness_test * p_success * p_test``; the top five
are shown, agrees before disagrees. A group with no passing statement shows the one with the
largest ``max(rat, rdt)``.

Reference: compdemocracy/polis ``math/src/polismath/math/repness.clj`` (``comment-stats``,
``add-comparitive-stats``, ``passes-by-test?``, ``finalize-cmt-stats``, ``repness-metric``,
``select-rep-comments``) and ``math/src/polismath/math/stats.clj``. The formulas are the same;
the code is focuson's own (Pol.is is AGPL-3.0: nothing is copied). Known deviation: Pol.is also
puts a "best agree" statement first, chosen by a running comparison in statement order; focuson
chooses it without the ordering (the agree-side statement with ``ra > 1`` and the largest
``ra * rat * pa * pat``, else the largest ``pa * pat`` among those with ``pat > 1.2816`` or
``pa > 1/2``), so the first-listed statement can differ when candidates are close.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from focuson.ideas.statements import Z90, GroupVotes, prop_test, two_prop_test

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: How many representative statements Pol.is shows per group.
SHOWN = 5


@dataclass(frozen=True)
class Repness:
    """Representativeness of every statement for every group (arrays ``G x S``).

    Attributes
    ----------
    groups
        Group names.
    pa, pd, pat, pdt
        Smoothed probability of agreeing/disagreeing in the group, and its z-score.
    ra, rd, rat, rdt
        Ratio to the other groups' smoothed probability, and the two-proportion z-score.
    agree_side
        True where the statement represents the group by agreement (``rat > rdt``).
    metric
        ``repness * repness_test * p_success * p_test`` on the chosen side.
    passes
        Both z-scores on one side exceed :data:`~focuson.ideas.statements.Z90`.
    """

    groups: tuple[str, ...]
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray
    agree_side: BoolArray
    metric: FloatArray
    passes: BoolArray


def repness(votes: GroupVotes) -> Repness:
    """Compute Pol.is's representativeness statistics for every group and statement.

    Examples
    --------
    Two groups of two voters, one statement: group 0 agrees twice, group 1 disagrees twice.
    For group 0: pa = 3/4, the others' smoothed agree = 1/4, so ra = 3; pat = 2 sqrt(3) (1 - 1/2)
    = 1.7321.

    >>> from focuson.ideas.statements import count_group_votes
    >>> r = repness(count_group_votes([[1], [1], [-1], [-1]], [0, 0, 1, 1]))
    >>> float(r.ra[0, 0]), round(float(r.pat[0, 0]), 4), bool(r.agree_side[0, 0])
    (3.0, 1.7321, True)
    """
    a = votes.agree.astype(np.float64)
    d = votes.disagree.astype(np.float64)
    s = votes.seen.astype(np.float64)
    # "The rest" is the other groups only: participants in no group take no part (as Pol.is).
    # Published counts are blank (NaN) where suppressed: the rest is the groups that are shown.
    rest_a, rest_d = np.nansum(a, 0) - a, np.nansum(d, 0) - d
    rest_s = np.nansum(s, 0) - s
    pa, pd_ = (a + 1) / (s + 2), (d + 1) / (s + 2)
    ra = pa / ((rest_a + 1) / (rest_s + 2))
    rd = pd_ / ((rest_d + 1) / (rest_s + 2))
    pat, pdt = prop_test(a, s), prop_test(d, s)
    rat, rdt = two_prop_test(a, rest_a, s, rest_s), two_prop_test(d, rest_d, s, rest_s)
    # A side whose count is blank (1-7 suppressed) cannot win: 8 agree and 1 disagree is the
    # agree side, though its disagree test is blank. With neither blank this is Pol.is's rule.
    agree_side = (rat > rdt) | (np.isnan(rdt) & ~np.isnan(rat))
    metric = np.where(agree_side, ra * rat * pa * pat, rd * rdt * pd_ * pdt)
    passes = ((rat > Z90) & (pat > Z90)) | ((rdt > Z90) & (pdt > Z90))
    return Repness(
        groups=votes.groups,
        pa=pa,
        pd=pd_,
        pat=pat,
        pdt=pdt,
        ra=ra,
        rd=rd,
        rat=rat,
        rdt=rdt,
        agree_side=agree_side,
        metric=metric,
        passes=passes,
    )


def representative_statements(
    stats: Repness,
    votes: GroupVotes,
    *,
    shown: ArrayLike | None = None,
    top: int = SHOWN,
) -> pd.DataFrame:
    """The statements that represent each group, best first (Pol.is's selection).

    Parameters
    ----------
    stats, votes
        From :func:`repness` and the counts it was computed from.
    shown
        Per statement, False to leave it out (moderated out); all by default.
    top
        How many per group (5 as Pol.is).

    Returns
    -------
    pandas.DataFrame
        One row per (group, statement) chosen: ``group``, ``statement`` (column position),
        ``side`` (``"agree"``/``"disagree"``), ``n_success``, ``n_trials``, ``p_success``,
        ``p_test``, ``repness``, ``repness_test``, ``best_agree``, ``passes``, ``rank``.
    """
    n_groups, n_statements = stats.pa.shape
    keep = np.ones(n_statements, bool) if shown is None else np.asarray(shown, bool)
    # A blank (suppressed) count is never chosen: NaN > 0 is False.
    voted = (votes.agree + votes.disagree) > 0
    rows: list[dict[str, object]] = []
    # A loop over groups only (at most a handful); statements are handled as arrays.
    for g in range(n_groups):
        passing = np.flatnonzero(stats.passes[g] & keep)
        best_agree = _best_agree(stats, g, keep & voted[g])
        if passing.size:
            ordered = passing[np.argsort(-stats.metric[g, passing], kind="stable")]
            ordered = ordered[ordered != best_agree]
            head = [best_agree] if best_agree is not None else []
            chosen = np.asarray(head + list(ordered), dtype=np.int64)[:top]
            # Agrees before disagrees, keeping the order within each side.
            chosen = np.concatenate(
                [chosen[stats.agree_side[g, chosen]], chosen[~stats.agree_side[g, chosen]]]
            )
        elif best_agree is not None:
            chosen = np.array([best_agree])
        elif (keep & np.isfinite(stats.rat[g])).any():
            candidates = np.flatnonzero(keep & np.isfinite(stats.rat[g]))
            score = np.maximum(stats.rat[g, candidates], stats.rdt[g, candidates])
            chosen = candidates[[int(np.argmax(score))]]
        else:
            chosen = np.array([], dtype=np.int64)
        for rank, i in enumerate(chosen, start=1):
            # As Pol.is, the side follows the larger test even for the best-agree statement.
            agree = bool(stats.agree_side[g, i])
            rows.append(
                {
                    "group": stats.groups[g],
                    "statement": int(i),
                    "side": "agree" if agree else "disagree",
                    # Published counts: floats, NaN where suppressed (1-7), never cast to int.
                    "n_success": float((votes.agree if agree else votes.disagree)[g, i]),
                    "n_trials": float(votes.seen[g, i]),
                    "p_success": float((stats.pa if agree else stats.pd)[g, i]),
                    "p_test": float((stats.pat if agree else stats.pdt)[g, i]),
                    "repness": float((stats.ra if agree else stats.rd)[g, i]),
                    "repness_test": float((stats.rat if agree else stats.rdt)[g, i]),
                    "best_agree": i == best_agree,
                    "passes": bool(stats.passes[g, i]),
                    "rank": rank,
                }
            )
    return pd.DataFrame(rows, columns=_COLUMNS)


_COLUMNS = ["group", "statement", "side", "n_success", "n_trials", "p_success", "p_test",
            "repness", "repness_test", "best_agree", "passes", "rank"]  # fmt: skip


def _best_agree(stats: Repness, g: int, eligible: BoolArray) -> int | None:
    """The statement the group most clearly agrees with (see the module notes)."""
    pa, pat, ra, rat = stats.pa[g], stats.pat[g], stats.ra[g], stats.rat[g]
    candidates = eligible & ((pat > Z90) | ((ra > 1) & (pa > 0.5)))
    distinct = candidates & (ra > 1)
    if distinct.any():
        score = np.where(distinct, ra * rat * pa * pat, -np.inf)
    elif candidates.any():
        score = np.where(candidates, pa * pat, -np.inf)
    else:
        return None
    return int(np.argmax(score))
