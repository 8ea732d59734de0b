"""assign_quantiles: the phe_quantile rules, edge cases, errors and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from focuson.stats._groups import group_codes
from focuson.stats.quantiles import (
    INVERTED_LABEL,
    NOT_INVERTED_LABEL,
    assign_quantiles,
)


def reference_quantiles(values, nq, invert):
    """One group, the package's formula in plain Python: rank by counting, then the formula."""
    present = [v for v in values if not math.isnan(v)]
    N = len(present)
    out = []
    for v in values:
        if math.isnan(v) or nq > N:
            out.append(math.nan)
            continue
        rank = 1 + sum((-w < -v) if invert else (w < v) for w in present)
        q = math.floor((nq + 1) - math.ceil(((N + 1) - rank) / (N / nq)))
        out.append(1.0 if q == 0 else float(q))
    return out


# ---------------------------------------------------------------------------------------------
# Behaviour


def test_highest_value_gets_quantile_1_by_default():
    q = assign_quantiles([10.0, 20.0, 30.0, 40.0, 50.0], nquantiles=5)
    assert_array_equal(q.quantile, [5, 4, 3, 2, 1])
    assert set(q.qinverted) == {INVERTED_LABEL}


def test_invert_false_puts_lowest_value_in_quantile_1():
    q = assign_quantiles([10.0, 20.0, 30.0, 40.0, 50.0], nquantiles=5, invert=False)
    assert_array_equal(q.quantile, [1, 2, 3, 4, 5])
    assert set(q.qinverted) == {NOT_INVERTED_LABEL}


def test_ties_take_the_lowest_rank_and_share_a_quantile():
    q = assign_quantiles([5.0, 1.0, 5.0, 3.0, 5.0, 2.0], nquantiles=3, invert=False)
    assert_array_equal(q.rank, [4, 1, 4, 3, 4, 2])
    assert_array_equal(q.quantile, reference_quantiles([5.0, 1.0, 5.0, 3.0, 5.0, 2.0], 3, False))
    assert q.quantile[0] == q.quantile[2] == q.quantile[4]


def test_missing_values_get_no_quantile_and_are_not_counted():
    values = [np.nan, 1.0, 2.0, 3.0, 4.0]
    q = assign_quantiles(values, nquantiles=4, invert=False)
    assert_array_equal(q.quantile, [np.nan, 1, 2, 3, 4])
    assert q.reason.tolist() == ["value missing", "", "", "", ""]
    assert np.isnan(q.rank[0])


def test_group_with_fewer_values_than_quantiles_gets_none():
    # The package's 2.0.2 rule, e.g. East Midlands' 9 upper-tier LAs in fd_quantiles.csv get no
    # deciles; the other group is unaffected.
    values = np.r_[np.arange(9.0), np.arange(10.0)]
    groups = np.r_[np.zeros(9, int), np.ones(10, int)]
    q = assign_quantiles(values, group=groups)
    assert np.isnan(q.quantile[:9]).all()
    assert set(q.reason[:9]) == {
        "group has fewer non-missing values than the 10 quantiles requested"
    }
    assert_array_equal(q.quantile[9:], np.arange(10, 0, -1))


def test_missing_values_can_push_a_group_below_nquantiles():
    q = assign_quantiles([1.0, 2.0, np.nan], nquantiles=3)
    assert np.isnan(q.quantile).all()
    assert q.reason.tolist()[2] == "value missing"


def test_formula_is_evaluated_in_the_packages_order():
    # N = 28, nq = 20, rank 8: ((N+1) - rank) / (N/nq) gives 5; (N+1-rank)*nq/N would give 6.
    q = assign_quantiles(np.arange(1.0, 29.0), nquantiles=20, invert=False)
    assert q.quantile[7] == 5
    assert math.floor(21 - math.ceil((29 - 8) * 20 / 28)) == 6


def test_quantile_zero_becomes_one():
    # N = 17, nq = 7, rank 1: the formula gives 0 by rounding, the package turns it into 1.
    q = assign_quantiles(np.arange(1.0, 18.0), nquantiles=7, invert=False)
    assert math.floor(8 - math.ceil((18 - 1) / (17 / 7))) == 0
    assert q.quantile[0] == 1


def test_per_row_invert_constant_within_group():
    values = np.array([1.0, 2.0, 3.0, 1.0, 2.0, 3.0])
    groups = np.array([0, 0, 0, 1, 1, 1])
    invert = np.array([True, True, True, False, False, False])
    q = assign_quantiles(values, group=groups, nquantiles=3, invert=invert)
    assert_array_equal(q.quantile, [3, 2, 1, 1, 2, 3])
    assert q.qinverted.tolist() == [INVERTED_LABEL] * 3 + [NOT_INVERTED_LABEL] * 3


def test_infinite_values_rank_like_r():
    q = assign_quantiles([np.inf, 1.0, -np.inf, 2.0], nquantiles=2, invert=False)
    assert_array_equal(q.rank, [4, 2, 1, 3])


def test_empty_input():
    q = assign_quantiles([])
    assert len(q) == 0 and q.quantile.shape == (0,)


def test_group_codes_need_not_all_appear():
    q = assign_quantiles([1.0, 2.0], group=[3, 3], nquantiles=2, invert=False)
    assert_array_equal(q.quantile, [1, 2])


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("nq", [0, -1, 2.5, np.nan])
def test_bad_nquantiles(nq):
    with pytest.raises(ValueError, match="nquantiles"):
        assign_quantiles([1.0, 2.0], nquantiles=nq)


def test_invert_must_be_logical():
    with pytest.raises(ValueError, match="invert: expected True or False"):
        assign_quantiles([1.0, 2.0], invert=6)
    with pytest.raises(ValueError, match="invert: expected True/False flags"):
        assign_quantiles([1.0, 2.0], invert=[1, 0])
    with pytest.raises(ValueError, match="invert: expected True/False or one flag per row"):
        assign_quantiles([1.0, 2.0], invert=[True])


def test_invert_varying_within_a_group_names_the_group():
    with pytest.raises(ValueError, match=r"invert: must take the same value .* group 1$"):
        assign_quantiles(
            [1.0, 2.0, 3.0, 4.0], group=[0, 0, 1, 1], invert=np.array([True, True, True, False])
        )


@pytest.mark.parametrize("bad", [[0, -1], [0, 1.5], [0, np.nan]])
def test_bad_group_codes_name_the_row(bad):
    with pytest.raises(ValueError, match=r"group: codes must be whole numbers.*row 1"):
        assign_quantiles([1.0, 2.0], group=bad)


def test_group_length_mismatch():
    with pytest.raises(ValueError, match="group: expected one code per row"):
        assign_quantiles([1.0, 2.0], group=[0])


def test_values_must_be_numbers():
    with pytest.raises(ValueError, match="values: expected numbers"):
        assign_quantiles(["a", "b"])


def test_group_codes_helper():
    codes, n = group_codes("group", None, 3)
    assert codes.tolist() == [0, 0, 0] and n == 1
    assert group_codes("group", None, 0)[1] == 0


# ---------------------------------------------------------------------------------------------
# Properties

values_strategy = st.lists(
    st.one_of(st.integers(-5, 5).map(float), st.floats(-1e6, 1e6), st.just(math.nan)),
    min_size=0,
    max_size=40,
)


@given(values=values_strategy, nq=st.integers(1, 12), invert=st.booleans())
def test_matches_plain_python_reference(values, nq, invert):
    q = assign_quantiles(values, nquantiles=nq, invert=invert)
    assert_array_equal(q.quantile, reference_quantiles(values, nq, invert))


@given(values=values_strategy, nq=st.integers(1, 12))
def test_quantiles_in_range_and_monotone(values, nq):
    q = assign_quantiles(values, nquantiles=nq, invert=False)
    v = np.array(values, dtype=float)
    ok = ~np.isnan(q.quantile)
    assert ((q.quantile[ok] >= 1) & (q.quantile[ok] <= nq)).all()
    order = np.argsort(v[ok], kind="stable")
    assert (np.diff(q.quantile[ok][order]) >= 0).all()


@given(values=values_strategy, nq=st.integers(1, 12))
def test_invert_equals_ranking_the_negated_values(values, nq):
    a = assign_quantiles(values, nquantiles=nq, invert=True)
    b = assign_quantiles([-v for v in values], nquantiles=nq, invert=False)
    assert_array_equal(a.quantile, b.quantile)


@given(
    data=st.lists(
        st.tuples(st.integers(0, 4), values_strategy.filter(bool)), min_size=1, max_size=5
    ),
    nq=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_vectorised_equals_group_by_group_and_order_free(data, nq, seed):
    values = np.concatenate([np.array(vals, dtype=float) for _, vals in data])
    groups = np.concatenate([np.full(len(vals), i) for i, (_, vals) in enumerate(data)])
    inverts = np.concatenate([np.full(len(vals), flag % 2 == 0) for flag, vals in data])
    q = assign_quantiles(values, group=groups, nquantiles=nq, invert=inverts)
    for i, (flag, vals) in enumerate(data):
        alone = assign_quantiles(vals, nquantiles=nq, invert=flag % 2 == 0)
        assert_array_equal(q.quantile[groups == i], alone.quantile)
    perm = np.random.default_rng(seed).permutation(values.size)
    shuffled = assign_quantiles(
        values[perm], group=groups[perm], nquantiles=nq, invert=inverts[perm]
    )
    assert_array_equal(shuffled.quantile, q.quantile[perm])
