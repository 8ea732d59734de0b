"""A statement round end to end: declared groups (disclosure first) or opinion groups."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.ideas.rounds import statement_round
from focuson.ideas.small_groups import MERGED


def _votes():
    # 10 residents agree with statement 0 and disagree with 1; 10 staff the opposite; 3 carers
    # and 3 interpreters all pass on both. Statement 2 everyone agrees with.
    residents = [[1, -1, 1]] * 10
    staff = [[-1, 1, 1]] * 10
    others = [[0, 0, 1]] * 6
    labels = ["resident"] * 10 + ["staff"] * 10 + ["carer"] * 3 + ["interpreter"] * 3
    return np.array(residents + staff + others, dtype=float), labels


def test_declared_groups_are_merged_below_the_threshold_then_counted():
    votes, labels = _votes()
    result = statement_round(votes, labels)
    # Carers (3) and interpreters (3) merge to 6, still small: left out.
    assert result.groups == ("resident", "staff")
    assert result.left_out == ("carer", "interpreter")
    assert result.published_sizes.tolist() == [10.0, 10.0]
    # Statement 2: both groups 10 of 10 agree: (10 + 1) / 12 each; consensus (11/12)^2.
    assert_allclose(result.support.consensus[2], (11 / 12) ** 2)
    # Statement 0: residents 11/12, staff 1/12: consensus 11/144, staff oppose it.
    assert_allclose(result.support.consensus[0], 11 / 144)
    assert result.support.opposed_by[:, 0].tolist() == [False, True]
    reps = result.representative.set_index("group")
    assert reps.loc["resident"].statement.tolist()[0] == 0
    assert result.opinion is None


def test_small_declared_groups_that_reach_the_threshold_together_are_merged():
    votes, labels = _votes()
    votes = np.vstack([votes, [[0, 0, 1]] * 2])
    labels = [*labels, "carer", "interpreter"]
    result = statement_round(votes, labels)
    assert result.groups == ("resident", "staff", MERGED)
    assert result.merged == ("carer", "interpreter")


def test_opinion_groups_are_found_when_no_groups_are_declared():
    rng = np.random.default_rng(2)
    pattern = np.r_[np.ones(5), -np.ones(5)]
    votes = np.vstack([np.tile(pattern, (20, 1)), np.tile(-pattern, (12, 1))])
    votes[rng.random(votes.shape) < 0.05] = 0
    result = statement_round(votes, shown=[True] * 9 + [False])
    assert result.groups == ("Opinion group A", "Opinion group B")
    assert result.opinion is not None and result.opinion.k == 2
    assert result.published_sizes.tolist() == [20.0, 10.0]  # 12 published rounded to 10
    assert 9 not in set(result.representative.statement)


def test_no_declared_group_large_enough_is_refused_with_what_to_do():
    with pytest.raises(ValueError, match="no declared group has enough participants"):
        statement_round([[1], [1], [-1]], ["a", "a", "b"])
    with pytest.raises(ValueError, match="one label per participant"):
        statement_round([[1], [1]], ["a"])


def test_shares_and_tests_come_from_the_published_counts():
    # Statement 3: only three residents voted (all agree), no staff: a hidden 1-7. Statement 0:
    # 12 residents agree, published as 10, so the share is (10 + 1) / 12, never (12 + 1) / 14.
    votes = np.full((24, 4), np.nan)
    votes[:12, 0], votes[12:, 0] = 1, -1
    votes[:, 1:3] = 1
    votes[:3, 3] = 1
    labels = ["resident"] * 12 + ["staff"] * 12
    result = statement_round(votes, labels)
    assert_allclose(result.support.p_agree[0, 0], 11 / 12)
    assert np.isnan(result.support.p_agree[0, 3]) and np.isnan(result.support.consensus[3])
    assert np.isnan(result.repness.pa[0, 3])
    assert 3 not in set(result.representative.statement)


def test_a_group_is_on_the_side_it_voted_when_the_other_side_is_blank():
    # Residents: 11 agree and 1 disagree with statement 0 (the single disagree is a hidden 1-7).
    votes = np.full((24, 2), np.nan)
    votes[:12, 0], votes[11, 0] = 1, -1
    votes[12:, 0] = -1
    votes[:, 1] = 1
    result = statement_round(votes, ["resident"] * 12 + ["staff"] * 12)
    assert np.isnan(result.repness.pd[0, 0]) and not np.isnan(result.repness.pa[0, 0])
    assert bool(result.repness.agree_side[0, 0])
    reps = result.representative
    assert reps[(reps.group == "resident") & (reps.statement == 0)].side.tolist() == ["agree"]
