"""Invariants of the statement round and the scoring round, checked on generated votes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from focuson.ideas.repness import repness
from focuson.ideas.statements import count_group_votes, statement_support
from focuson.ideas.unite import Criterion, score_ideas, support_ideas
from focuson.stats import DisclosureRule

EXACT = DisclosureRule(suppress_to=0, round_to=1)


@st.composite
def rounds(draw):
    """A vote matrix (+1, -1, 0, NaN), group codes (-1..G-1), G and a row permutation."""
    n_people = draw(st.integers(1, 25))
    n_statements = draw(st.integers(1, 6))
    n_groups = draw(st.integers(1, 4))
    votes = draw(
        hnp.arrays(
            np.float64, (n_people, n_statements), elements=st.sampled_from([1, -1, 0, np.nan])
        )
    )
    groups = draw(hnp.arrays(np.int64, n_people, elements=st.integers(-1, n_groups - 1)))
    order = draw(st.permutations(range(n_people)))
    return votes, groups, n_groups, np.array(order, dtype=np.int64)


@given(rounds())
def test_consensus_and_support_lie_in_zero_one_and_are_ordered(case):
    votes, groups, n_groups, _ = case
    gv = count_group_votes(votes, groups, [str(g) for g in range(n_groups)])
    assert_array_equal(gv.agree + gv.disagree + gv.passed, gv.seen)
    s = statement_support(gv)
    for values in (s.p_agree, s.p_disagree, s.consensus, s.consensus_geomean, s.consensus_min,
                   s.disagree_consensus):  # fmt: skip
        assert ((values > 0) & (values < 1)).all()
    assert (s.p_agree + s.p_disagree <= 1 + 1e-12).all()
    # The product never exceeds the least convinced group; the geometric mean sits between the
    # least and the most convinced.
    assert (s.consensus <= s.consensus_min + 1e-12).all()
    assert (s.consensus_min <= s.consensus_geomean + 1e-12).all()
    assert (s.consensus_geomean <= s.p_agree.max(axis=0) + 1e-12).all()
    assert_array_equal(s.opposed, s.opposed_by.any(axis=0))


@given(rounds())
def test_permuting_participants_changes_nothing(case):
    votes, groups, n_groups, order = case
    names = [str(g) for g in range(n_groups)]
    first = count_group_votes(votes, groups, names)
    second = count_group_votes(votes[order], groups[order], names)
    for a, b in ((first.agree, second.agree), (first.seen, second.seen),
                 (first.members, second.members)):  # fmt: skip
        assert_array_equal(a, b)
    s1, s2 = statement_support(first), statement_support(second)
    assert_allclose(s1.consensus, s2.consensus)
    r1, r2 = repness(first), repness(second)
    assert_allclose(r1.metric, r2.metric)
    assert_array_equal(r1.passes, r2.passes)


@given(rounds())
def test_renaming_groups_permutes_the_rows_only(case):
    votes, groups, n_groups, _ = case
    relabel = np.arange(n_groups)[::-1]
    moved = np.where(groups >= 0, relabel[np.maximum(groups, 0)], -1)
    s1 = statement_support(count_group_votes(votes, groups, [str(g) for g in range(n_groups)]))
    s2 = statement_support(count_group_votes(votes, moved, [str(g) for g in range(n_groups)]))
    assert_allclose(s1.p_agree, s2.p_agree[relabel])
    assert_allclose(s1.consensus, s2.consensus)


@st.composite
def score_ballots(draw):
    n_voters = draw(st.integers(1, 12))
    roles = draw(st.lists(st.sampled_from(["resident", "clinician", "manager"]), min_size=n_voters,
                          max_size=n_voters))  # fmt: skip
    rows = []
    for v in range(n_voters):
        channel = draw(st.sampled_from(["online", "in_person", "paper", "phone"]))
        for idea in ("A", "B"):
            for criterion in ("gap", "cost"):
                score = draw(st.integers(1, 5))
                rows.append((f"v{v}", roles[v], channel, idea, criterion, score))
    frame = pd.DataFrame(rows, columns=["voter", "role", "channel", "idea", "criterion", "score"])
    return frame, draw(st.permutations(range(len(frame))))


CRITERIA = [Criterion("gap", weight=3), Criterion("cost", higher_is_better=False)]


def _sorted(table):
    return table.sort_values(["dimension", "group", "idea"]).reset_index(drop=True)


@given(score_ballots())
def test_scores_lie_in_zero_one_and_ignore_ballot_order_and_channel(case):
    frame, order = case
    out = score_ideas(frame, CRITERIA, rule=EXACT)
    scored = out.table["score"].dropna()
    assert ((scored >= 0) & (scored <= 1)).all()
    shuffled = score_ideas(frame.iloc[list(order)], CRITERIA, rule=EXACT)
    pd.testing.assert_frame_equal(_sorted(out.table), _sorted(shuffled.table))
    by_phone = score_ideas(frame.assign(channel="phone"), CRITERIA, rule=EXACT)
    pd.testing.assert_frame_equal(out.table, by_phone.table)


@given(score_ballots())
def test_support_consensus_lies_in_zero_one_and_ignores_ballot_order(case):
    frame, _ = case
    supports = frame[frame.criterion == "gap"].assign(support=lambda f: np.sign(f.score - 3))
    supports = supports.drop(columns=["criterion", "score"])
    out = support_ideas(supports, rule=EXACT)
    assert ((out.consensus["consensus"] > 0) & (out.consensus["consensus"] < 1)).all()
    again = support_ideas(supports.iloc[::-1], rule=EXACT)
    pd.testing.assert_frame_equal(_sorted(out.table), _sorted(again.table))
