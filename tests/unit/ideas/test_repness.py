"""Representativeness as Pol.is computes it, against values worked by hand."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from focuson.ideas.repness import repness, representative_statements
from focuson.ideas.statements import count_group_votes

# Group 0 (four people) all agree with statement 0; group 1 (four people): one agrees, three
# disagree. Everyone passes on statement 1.
VOTES = [[1, 0]] * 4 + [[1, 0]] + [[-1, 0]] * 3
GROUPS = [0] * 4 + [1] * 4


def test_repness_statistics_by_hand():
    r = repness(count_group_votes(VOTES, GROUPS, ["g0", "g1"]))
    # Group 0, statement 0: A = 4, S = 4; the rest (group 1): A' = 1, S' = 4.
    # pa = 5/6; the rest's smoothed agree = 2/6; ra = (5/6) / (2/6) = 2.5.
    assert_allclose(r.pa[0, 0], 5 / 6)
    assert_allclose(r.ra[0, 0], 2.5)
    # pat = 2 sqrt(5) (5/5 - 1/2) = sqrt(5).
    assert_allclose(r.pat[0, 0], np.sqrt(5))
    # rat: p1 = 5/5, p2 = 2/5, pooled 7/10: 0.6 / sqrt(0.7 * 0.3 * (1/5 + 1/5)) = 2.0702.
    assert_allclose(r.rat[0, 0], 0.6 / np.sqrt(0.084))
    # Disagreeing: pd = 1/6, rest (D' = 3, S' = 4) 4/6, rd = 1/4; rdt: p1 = 1/5, p2 = 4/5,
    # pooled 1/2: -0.6 / sqrt(0.25 * 0.4) = -1.8974; pdt = 2 sqrt(5) (1/5 - 1/2).
    assert_allclose(r.rd[0, 0], 0.25)
    assert_allclose(r.rdt[0, 0], -0.6 / np.sqrt(0.1))
    assert_allclose(r.pdt[0, 0], 2 * np.sqrt(5) * (0.2 - 0.5))
    # Group 1: pd = 4/6, rest smoothed disagree = 1/6, rd = 4; pa = 2/6, ra = (2/6)/(5/6) = 0.4.
    assert_allclose(r.rd[1, 0], 4.0)
    assert_allclose(r.ra[1, 0], 0.4)
    assert_allclose(r.rdt[1, 0], 0.6 / np.sqrt(0.1))
    assert_allclose(r.pdt[1, 0], 2 * np.sqrt(5) * (0.8 - 0.5))  # 1.3416 > 1.2816: passes
    assert r.agree_side[:, 0].tolist() == [True, False]
    assert r.passes[:, 0].tolist() == [True, True]
    # metric = repness * repness_test * p_success * p_test on the chosen side.
    assert_allclose(r.metric[0, 0], 2.5 * (0.6 / np.sqrt(0.084)) * (5 / 6) * np.sqrt(5))
    assert_allclose(r.metric[1, 0], 4.0 * (0.6 / np.sqrt(0.1)) * (4 / 6) * 0.6 * np.sqrt(5))
    # Statement 1 (all pass): same in both groups, z = 0, nothing passes.
    assert_allclose(r.rat[:, 1], 0.0)
    assert not r.passes[:, 1].any()


def test_each_group_is_represented_by_its_side_of_the_divide():
    gv = count_group_votes(VOTES, GROUPS, ["g0", "g1"])
    chosen = representative_statements(repness(gv), gv)
    assert chosen[["group", "statement", "side"]].values.tolist() == [
        ["g0", 0, "agree"],
        ["g1", 0, "disagree"],
    ]
    first = chosen.iloc[0]
    assert (first["n_success"], first["n_trials"], first["best_agree"]) == (4, 4, True)
    # Group 1 agrees with nothing, so it has no best-agree statement.
    assert not chosen.iloc[1]["best_agree"]
    assert chosen.iloc[1]["n_success"] == 3


def test_statements_moderated_out_are_never_representative():
    gv = count_group_votes(VOTES, GROUPS)
    chosen = representative_statements(repness(gv), gv, shown=[False, True])
    # Nothing passes among the shown, no statement has agrees: the best by test is the only one.
    assert chosen["statement"].tolist() == [1, 1]
    assert not chosen["passes"].any()


def test_at_most_top_statements_per_group_agrees_first():
    rng = np.random.default_rng(3)
    # Twelve statements: group 0 agrees with the first six and disagrees with the rest; group 1
    # the opposite; a little noise.
    pattern = np.r_[np.ones(6), -np.ones(6)]
    votes = np.vstack([np.tile(pattern, (30, 1)), np.tile(-pattern, (30, 1))])
    flip = rng.random(votes.shape) < 0.1
    votes[flip] = -votes[flip]
    gv = count_group_votes(votes, np.repeat([0, 1], 30))
    chosen = representative_statements(repness(gv), gv, top=5)
    for _, rows in chosen.groupby("group"):
        assert len(rows) == 5
        sides = rows["side"].tolist()
        assert sides == sorted(sides)  # "agree" before "disagree"
        assert rows["passes"].all()
        assert (rows["repness"] > 1).all()
