"""Opinion groups from the votes: PCA, Pol.is's placement rule, k-means chosen by silhouette."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from focuson.ideas.opinion_groups import adjusted_rand_index, opinion_groups, silhouette


def _blocs(sizes=(30, 20), n_statements=12, missing=0.2, noise=0.05, seed=1):
    """Groups that agree with different halves of the statements; some votes missing."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for g, size in enumerate(sizes):
        pattern = np.where((np.arange(n_statements) // (n_statements // len(sizes))) == g, 1, -1)
        block = np.tile(pattern, (size, 1)).astype(float)
        flip = rng.random(block.shape) < noise
        block[flip] = -block[flip]
        block[rng.random(block.shape) < missing] = np.nan
        rows.append(block)
        truth += [g] * size
    return np.vstack(rows), np.array(truth)


def test_two_clear_blocs_are_found_exactly():
    votes, truth = _blocs()
    og = opinion_groups(votes)
    assert og.k == 2
    assert_array_equal(og.placed, (~np.isnan(votes)).sum(axis=1) >= 7)
    placed = og.placed
    assert placed.sum() > 40
    assert adjusted_rand_index(og.labels[placed], truth[placed]) == 1.0
    # Numbered from the largest group.
    assert np.bincount(og.labels[placed]).tolist() == np.bincount(truth[placed]).tolist()
    assert og.silhouettes[2] == max(og.silhouettes.values())
    assert og.names == ("Opinion group A", "Opinion group B")


def test_three_blocs_give_three_groups():
    votes, truth = _blocs(sizes=(25, 20, 15), n_statements=15, missing=0.1)
    og = opinion_groups(votes)
    assert og.k == 3
    placed = og.placed
    assert adjusted_rand_index(og.labels[placed], truth[placed]) > 0.95


def test_participants_with_fewer_than_seven_votes_are_not_placed():
    votes, _ = _blocs(missing=0.0)
    votes[:5, 6:] = np.nan  # five people voted on six statements only
    votes[:5, :6] = 1
    og = opinion_groups(votes)
    assert not og.placed[:5].any()
    assert (og.labels[:5] == -1).all()
    assert og.placed[5:].all()


def test_fewer_than_fifteen_placed_are_topped_up_with_the_most_active():
    votes, _ = _blocs(sizes=(10, 10))
    votes[:, 6:] = np.nan  # nobody reached seven votes
    votes[0, :] = np.nan  # one person voted on nothing: never placed
    og = opinion_groups(votes, min_placed=15)
    assert og.placed.sum() == 15
    assert not og.placed[0]


def test_moderated_out_statements_count_as_passes():
    votes, truth = _blocs(missing=0.0)
    # A statement that splits people at random; moderated out, it no longer moves anyone.
    rng = np.random.default_rng(0)
    noisy = np.column_stack([votes, rng.choice([-1.0, 1.0], size=votes.shape[0])])
    og = opinion_groups(noisy, exclude=[False] * 12 + [True])
    assert_allclose(og.components[:, -1], 0.0, atol=1e-12)
    assert adjusted_rand_index(og.labels, truth) == 1.0


def test_the_same_seed_gives_the_same_groups_and_the_axes_have_a_fixed_sign():
    votes, _ = _blocs(sizes=(20, 20, 20), n_statements=12, noise=0.3)
    first, second = opinion_groups(votes, seed=5), opinion_groups(votes, seed=5)
    assert_array_equal(first.labels, second.labels)
    assert_allclose(first.projection, second.projection)
    biggest = np.abs(first.components).argmax(axis=1)
    assert (first.components[[0, 1], biggest] > 0).all()


def test_too_few_participants_is_refused_with_what_is_needed():
    with pytest.raises(ValueError, match="at least 3 who voted on 2 or more statements"):
        opinion_groups([[1, 1], [-1, -1]])
    with pytest.raises(ValueError, match="votes must differ"):
        opinion_groups([[1, 1]] * 5)


def test_silhouette_by_hand():
    # Points 0, 1 | 10, 11: a = 1 for each; b = 10.5, 9.5, 9.5, 10.5.
    s = silhouette([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1])
    assert_allclose(s, np.mean([9.5 / 10.5, 8.5 / 9.5, 8.5 / 9.5, 9.5 / 10.5]))
    # A singleton counts 0: points 0, 1 | 5: point 0 a = 1, b = 5 -> 0.8; point 1 a = 1,
    # b = 4 -> 0.75; point 5 -> 0.
    assert_allclose(silhouette([[0.0], [1.0], [5.0]], [0, 0, 1]), (0.8 + 0.75 + 0) / 3)
    assert silhouette([[0.0], [1.0]], [0, 0]) == 0.0


def test_adjusted_rand_index_by_hand():
    # Contingency [[2, 1], [0, 2]] (n = 5): sum C(nij, 2) = 1 + 1 = 2; rows C(3,2) + C(2,2) = 4;
    # columns C(2,2) + C(3,2) = 4; expected 4 * 4 / C(5,2) = 1.6; max (4 + 4) / 2 = 4.
    # ARI = (2 - 1.6) / (4 - 1.6) = 1/6.
    assert_allclose(adjusted_rand_index([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]), 1 / 6)
    assert adjusted_rand_index([5, 5, 7], ["x", "x", "y"]) == 1.0
    assert adjusted_rand_index([0, 0, 0], [1, 1, 1]) == 1.0
    with pytest.raises(ValueError, match="two equal-length lists"):
        adjusted_rand_index([0, 1], [0])


@pytest.mark.parametrize("shape", [(40, 6), (6, 40)])
def test_principal_axes_match_an_svd_up_to_sign(shape):
    from focuson.ideas.opinion_groups import _top_axes

    x = np.random.default_rng(7).normal(size=shape)
    x -= x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    axes = _top_axes(x, 2)
    assert_allclose(np.abs(np.sum(axes * vt[:2], axis=1)), [1.0, 1.0], atol=1e-8)


def test_a_matrix_of_rank_one_has_a_zero_second_axis():
    from focuson.ideas.opinion_groups import _top_axes

    x = np.outer([1.0, -1.0, 2.0, -2.0], [1.0, 2.0, 0.0])
    axes = _top_axes(x, 2)
    assert_allclose(np.abs(axes[0]), np.array([1.0, 2.0, 0.0]) / np.sqrt(5))
    assert_allclose(axes[1], 0.0)
