"""Behaviour and invariants of Benjamini-Hochberg q-values (``bh_qvalues``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from focuson.stats.multiple_testing import bh_qvalues

p_values = st.one_of(
    st.floats(0, 1, allow_nan=False),
    st.sampled_from([0.0, 0.01, 0.05, 0.5, 1.0]),  # ties and the edges
)


def brute_force(p: np.ndarray, n: int | None = None) -> np.ndarray:
    """The BH definition written out: q_i = min(1, min over p_j >= p_i of n p_j / rank_j)."""
    out = np.full(p.shape, np.nan)
    present = ~np.isnan(p)
    obs = p[present]
    n = obs.size if n is None else n
    ranks = np.array([(obs <= v).sum() for v in obs])  # ties take the largest rank
    q = [min(1.0, min(n * obs[j] / ranks[j] for j in range(obs.size) if obs[j] >= v)) for v in obs]
    out[present] = q
    return out


# --- behaviour ------------------------------------------------------------------------------


def test_small_example_by_hand() -> None:
    # m = 4: sorted 0.01, 0.02, 0.03, 0.5 -> 4 * p / rank = 0.04, 0.04, 0.04, 0.5
    assert_allclose(bh_qvalues([0.03, 0.5, 0.01, 0.02]), [0.04, 0.5, 0.04, 0.04])


def test_capped_at_one() -> None:
    assert bh_qvalues([0.9, 0.95, 1.0]).tolist() == [1.0, 1.0, 1.0]


def test_scalar_and_single_value_unchanged() -> None:
    assert bh_qvalues(0.03).tolist() == [0.03]
    assert bh_qvalues([0.2]).tolist() == [0.2]


def test_empty_and_all_missing() -> None:
    assert bh_qvalues([]).shape == (0,)
    assert np.isnan(bh_qvalues([np.nan, np.nan])).all()
    assert bh_qvalues(np.empty((2, 0))).shape == (2, 0)


def test_missing_kept_in_place_and_not_counted() -> None:
    q = bh_qvalues([0.01, np.nan, 0.04])
    assert np.isnan(q[1])
    assert_allclose(q[[0, 2]], bh_qvalues([0.01, 0.04]))
    assert_allclose(q[[0, 2]], [0.02, 0.04])


def test_n_tests_treats_unobserved_as_large() -> None:
    # R: p.adjust(c(0.01, 0.04), "BH", n = 4) = c(0.04, 0.08)
    assert_allclose(bh_qvalues([0.01, 0.04], n_tests=4), [0.04, 0.08])
    assert_allclose(bh_qvalues([0.01, 0.04], n_tests=2), bh_qvalues([0.01, 0.04]))


def test_two_dimensional_families() -> None:
    p = np.array([[0.01, 0.04, 0.03], [0.02, np.nan, 0.5]])
    q = bh_qvalues(p)
    assert q.shape == (2, 3)
    assert_allclose(q[0], bh_qvalues(p[0]))
    assert_allclose(q[1], bh_qvalues(p[1]), equal_nan=True)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [1.5, -0.1, np.inf])
def test_out_of_range_names_argument_and_position(bad: float) -> None:
    with pytest.raises(ValueError, match=r"^p: .*group 2"):
        bh_qvalues([0.1, 0.2, bad])


def test_out_of_range_in_2d_names_family() -> None:
    with pytest.raises(ValueError, match=r"^p: .*family \(row\) 1"):
        bh_qvalues([[0.1, 0.2], [0.3, 2.0]])


def test_three_dimensions_rejected() -> None:
    with pytest.raises(ValueError, match=r"^p: .*shape \(1, 1, 2\)"):
        bh_qvalues(np.zeros((1, 1, 2)))


def test_not_numbers_rejected() -> None:
    with pytest.raises(ValueError, match=r"^p: expected numbers"):
        bh_qvalues(["a", "b"])


def test_n_tests_too_small() -> None:
    with pytest.raises(ValueError, match=r"^n_tests: .*at least .*\(3\).*the family"):
        bh_qvalues([0.1, 0.2, 0.3], n_tests=2)
    with pytest.raises(ValueError, match=r"^n_tests: .*family \(row\) 1"):
        bh_qvalues([[0.1, np.nan, np.nan], [0.1, 0.2, 0.3]], n_tests=2)


# --- properties -----------------------------------------------------------------------------


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=p_values))
def test_matches_the_definition(p: np.ndarray) -> None:
    assert_allclose(bh_qvalues(p), brute_force(p), rtol=1e-12, atol=1e-300)  # subnormal p


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=p_values))
def test_bounds_and_order(p: np.ndarray) -> None:
    q = bh_qvalues(p)
    assert (q >= p).all()
    assert (q <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= 0).all()  # monotone in p


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=p_values), st.randoms())
def test_permutation_equivariant(p: np.ndarray, rnd: object) -> None:
    perm = np.arange(p.size)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    assert_array_equal(bh_qvalues(p[perm]), bh_qvalues(p)[perm])


@given(
    hnp.arrays(np.float64, st.integers(1, 30), elements=p_values),
    hnp.arrays(np.bool_, 30),
)
def test_missing_values_are_dropped(p: np.ndarray, drop: np.ndarray) -> None:
    holes = p.copy()
    holes[drop[: p.size]] = np.nan
    q = bh_qvalues(holes)
    keep = ~np.isnan(holes)
    assert np.isnan(q[~keep]).all()
    assert_array_equal(q[keep], bh_qvalues(p[keep]))


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 12)), elements=p_values))
def test_vectorised_rows_equal_one_family_at_a_time(p: np.ndarray) -> None:
    p = p.copy()
    p[::2, -1] = np.nan  # rows with different family sizes
    q = bh_qvalues(p)
    for row in range(p.shape[0]):
        assert_array_equal(q[row], bh_qvalues(p[row]))


@given(hnp.arrays(np.float64, st.integers(1, 20), elements=p_values), st.integers(0, 10))
def test_more_tests_never_lowers_q(p: np.ndarray, extra: int) -> None:
    q = bh_qvalues(p)
    q_more = bh_qvalues(p, n_tests=p.size + extra)
    assert (q_more >= q).all()
    assert_allclose(q_more, brute_force(p, p.size + extra), rtol=1e-12, atol=1e-300)
