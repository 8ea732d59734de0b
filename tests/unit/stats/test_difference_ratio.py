"""Difference and ratio (healthequal d/r): selection rules, NA handling, errors, properties."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose
from scipy import stats

from focuson.stats.inequality.difference_ratio import difference, ratio

Z95 = stats.norm.ppf(0.975)
Y = np.array([60.0, 70.0, 80.0, 65.0])
SE = np.array([1.0, 2.0, 3.0, 4.0])


# ---------------------------------------------------------------------------------------------
# Which subgroups are compared
# ---------------------------------------------------------------------------------------------


def test_difference_ordered_favourable_is_most_minus_least_advantaged():
    est = difference(Y, SE, favourable=True, ordered=True)
    assert est.value.tolist() == [65.0 - 60.0]
    assert_allclose(est.extras["se"], np.sqrt(4.0**2 + 1.0**2))
    assert est.extras["subgroup1"].tolist() == [3.0]
    assert est.extras["subgroup2"].tolist() == [0.0]
    assert est.statistic == "difference"
    assert est.method[0].startswith("healthequal 1.0.1 d, ordered, favourable")


def test_difference_ordered_adverse_is_least_minus_most_advantaged():
    est = difference(Y, SE, favourable=False, ordered=True)
    assert est.value.tolist() == [60.0 - 65.0]


def test_difference_ordered_ignores_reference():
    a = difference(Y, SE, favourable=True, ordered=True, reference=2)
    b = difference(Y, SE, favourable=True, ordered=True)
    assert a.value.tolist() == b.value.tolist()


@pytest.mark.parametrize("favourable", [True, False])
def test_difference_nonordered_without_reference_is_max_minus_min(favourable):
    est = difference(Y, SE, favourable=favourable, ordered=False)
    assert est.value.tolist() == [20.0]
    assert_allclose(est.extras["se"], np.sqrt(3.0**2 + 1.0**2))
    assert "highest vs lowest" in est.method[0]


def test_difference_nonordered_reference_favourable_is_reference_minus_lowest_other():
    est = difference(Y, SE, favourable=True, ordered=False, reference=3)
    assert est.value.tolist() == [65.0 - 60.0]


def test_difference_nonordered_reference_adverse_is_highest_other_minus_reference():
    est = difference(Y, SE, favourable=False, ordered=False, reference=3)
    assert est.value.tolist() == [80.0 - 65.0]


def test_difference_reference_that_is_lowest_compares_with_lowest_other():
    # the reference is excluded from "the others": D can be negative
    est = difference(Y, SE, favourable=True, ordered=False, reference=0)
    assert est.value.tolist() == [60.0 - 65.0]


def test_difference_per_setting_flags_and_references():
    y = np.vstack([Y, Y, Y])
    est = difference(y, np.vstack([SE] * 3), favourable=[1, 0, 1], ordered=False,
                     reference=[-1, 3, 3])  # fmt: skip
    assert est.value.tolist() == [20.0, 15.0, 5.0]


def test_difference_ordered_never_compares_one_step_inward_from_a_missing_end():
    # An end subgroup without an estimate (even with population 0) makes D NA with a reason, as
    # healthequal's NA does; it is never silently replaced by the next subgroup.
    y = np.array([[10.0, 20, 30, 40, 50, np.nan, np.nan], [1, 2, 3, 4, 5, 6, 7]])
    pop = np.array([[1.0, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    est = difference(y, favourable=True, ordered=True, pop=pop)
    assert np.isnan(est.value[0]) and est.value[1] == 6.0
    assert est.reason.tolist() == ["estimate missing for a compared subgroup", ""]
    assert est.dropped[0].tolist() == [False] * 5 + [True] * 2
    # a subgroup in the middle is not compared, so D is given
    middle = difference([10.0, np.nan, 30.0], favourable=True, ordered=True, pop=[1, 0, 1])
    assert middle.value.tolist() == [20.0]


# ---------------------------------------------------------------------------------------------
# Missing values, ties, intervals
# ---------------------------------------------------------------------------------------------


def test_difference_missing_compared_estimate_is_na_with_reason_batch_survives():
    y = np.array([[np.nan, 2.0, 3.0], [1.0, 2.0, 3.0]])
    est = difference(y, favourable=True, ordered=True)
    assert np.isnan(est.value[0])
    assert est.reason[0] == "estimate missing for a compared subgroup"
    assert est.value[1] == 2.0 and est.reason[1] == ""


def test_difference_nonordered_ignores_missing_estimates():
    est = difference([np.nan, 2.0, 5.0], favourable=True, ordered=False)
    assert est.value.tolist() == [3.0]


def test_difference_missing_reference_estimate_is_na():
    est = difference([np.nan, 2.0, 5.0], favourable=True, ordered=False, reference=0)
    assert np.isnan(est.value[0]) and est.reason[0] != ""


def test_difference_without_se_has_na_interval():
    est = difference(Y, favourable=True, ordered=True)
    assert np.isnan(est.lower).all() and np.isnan(est.upper).all()
    assert np.isnan(est.extras["se"]).all()


def test_difference_missing_se_of_compared_subgroup_gives_na_interval_only():
    est = difference(Y, [1.0, 2.0, 3.0, np.nan], favourable=True, ordered=True)
    assert est.value.tolist() == [5.0]
    assert np.isnan(est.lower[0])


def test_difference_interval_is_normal():
    est = difference(Y, SE, favourable=True, ordered=True, confidence=[0.95, 0.998])
    se = np.sqrt(17.0)
    assert_allclose(est.intervals[0.95].lower, 5.0 - Z95 * se)
    assert_allclose(est.intervals[0.998].upper, 5.0 + stats.norm.ppf(0.999) * se)


def test_difference_ties_warn_and_take_first():
    y = [5.0, 9.0, 9.0]
    with pytest.warns(UserWarning, match="tie.*setting 0"):
        est = difference(y, [1.0, 2.0, 3.0], favourable=True, ordered=False)
    assert est.extras["subgroup1"].tolist() == [1.0]
    assert est.extras["tied"].tolist() == [1.0]
    assert_allclose(est.extras["se"], np.sqrt(5.0))


def test_difference_ties_in_compat_mode_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = difference([5.0, 9.0, 9.0], favourable=True, ordered=False,
                         compat="healthequal-1.0.1")  # fmt: skip
    assert est.value.tolist() == [4.0]
    assert "compat" in est.method[0]


def test_ratio_value_log_se_and_interval():
    est = ratio(Y, SE, favourable=True, ordered=False)
    r = 80.0 / 60.0
    log_se = np.sqrt((3.0**2 + r**2 * 1.0**2) / 60.0**2) / r
    assert_allclose(est.value, [r])
    assert_allclose(est.extras["se"], [log_se])
    assert_allclose(est.lower, [r * np.exp(-Z95 * log_se)])
    assert_allclose(est.upper, [r * np.exp(Z95 * log_se)])
    assert est.statistic == "ratio"


def test_ratio_zero_denominator_is_na_with_reason():
    est = ratio([[0.0, 1.0, 2.0], [1.0, 2.0, 4.0]], favourable=True, ordered=True)
    assert np.isnan(est.value[0]) and "zero" in est.reason[0]
    assert est.value[1] == 4.0


def test_ratio_zero_numerator_has_value_but_no_interval():
    est = ratio([1.0, 2.0, 0.0], [0.1, 0.1, 0.1], favourable=True, ordered=True)
    assert est.value.tolist() == [0.0]
    assert np.isnan(est.lower[0])


def test_ratio_without_se_has_na_interval():
    est = ratio(Y, favourable=True, ordered=False)
    assert np.isnan(est.upper[0])


# ---------------------------------------------------------------------------------------------
# Errors name the argument and the setting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": [[1.0, 2.0], [np.nan, np.nan]]}, r"y: estimates are missing for all .* setting 1"),
        ({"y": [[1.0, 2.0], [1.0, np.inf]]}, r"y: .*finite.*setting 1"),
        ({"y": [[1.0, 2.0]], "se": [[1.0, -1.0]]}, r"se: .*setting 0"),
        ({"y": [[1.0, 2.0]], "se": [[1.0, 2.0, 3.0]]}, r"settings x subgroups of one shape"),
        ({"y": [[1.0, 2.0]], "pop": [[1.0, -1.0]]}, r"pop: .*setting 0"),
        ({"y": [[1.0, 2.0]], "favourable": 2}, r"favourable: must be 0/1.*setting 0"),
        ({"y": [[1.0, 2.0]] * 2, "favourable": [1, 0, 1]}, r"favourable: expected one value or 2"),
        ({"y": [[1.0, 2.0]], "ordered": "yes"}, r"ordered: expected True or False"),
        ({"y": [[1.0, 2.0]], "ordered": [True, False]}, r"ordered: expected True or False"),
        ({"y": [[1.0, 2.0]], "favourable": "yes"}, r"favourable: expected 0/1"),
        ({"y": [[1.0, 2.0]], "reference": 2}, r"reference: expected a subgroup column.*setting 0"),
        ({"y": [[1.0, 2.0]], "reference": 0.5}, r"reference: .*setting 0"),
        ({"y": [[1.0, 2.0, np.nan]], "pop": [[1, 1, 0]], "reference": 2},
         r"reference: points at an absent subgroup in setting 0"),
        ({"y": [[1.0, 2.0], [1.0, np.nan]], "pop": [[1, 1], [1, 0]]},
         r"y: difference needs estimates for at least 2 subgroups; fewer in setting 1"),
        ({"y": [[np.nan, 1.0, np.nan]]}, r"y: difference needs estimates for at least 2"),
        ({"y": [[1.0, 2.0]], "confidence": 0.5}, r"confidence:"),
        ({"y": [[1.0, 2.0]], "compat": "healthequal-1.0.0"}, r"compat: expected None"),
    ],
)  # fmt: skip
def test_difference_errors_name_argument_and_setting(kwargs, match):
    args = {"favourable": True, "ordered": False, **kwargs}
    with pytest.raises(ValueError, match=match):
        difference(args.pop("y"), args.pop("se", None), **args)


def test_ratio_errors_use_the_measure_name():
    with pytest.raises(ValueError, match=r"y: ratio needs estimates for at least 2"):
        ratio([[3.0]], favourable=True, ordered=False)


def test_difference_reference_without_other_estimate_is_an_error():
    with pytest.raises(ValueError, match="at least 2 subgroups; fewer in setting 0"):
        difference([4.0, np.nan, np.nan], favourable=True, ordered=False, reference=0,
                   pop=[1, 1, 1])  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

values = st.floats(1.0, 100.0, allow_nan=False)
ses = st.floats(0.01, 5.0, allow_nan=False)


@st.composite
def settings(draw, min_subgroups=2):
    n_set = draw(st.integers(1, 5))
    n_sub = draw(st.integers(min_subgroups, 6))
    y = draw(arrays(np.float64, (n_set, n_sub), elements=values))
    se = draw(arrays(np.float64, (n_set, n_sub), elements=ses))
    fav = draw(arrays(np.bool_, n_set))
    ref = draw(arrays(np.int64, n_set, elements=st.integers(-1, n_sub - 1)))
    return y, se, fav, ref


@given(settings(), st.booleans())
def test_vectorised_equals_setting_by_setting(data, ordered):
    y, se, fav, ref = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn in (difference, ratio):
            whole = fn(y, se, favourable=fav, ordered=ordered, reference=ref)
            for s in range(y.shape[0]):
                one = fn(y[s], se[s], favourable=fav[s], ordered=ordered, reference=ref[s])
                assert_allclose(whole.value[s], one.value[0])
                assert_allclose(whole.lower[s], one.lower[0])
                assert_allclose(whole.upper[s], one.upper[0])


@given(settings(), st.booleans())
def test_limits_bracket_value_and_widen_with_confidence(data, ordered):
    y, se, fav, ref = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn in (difference, ratio):
            est = fn(y, se, favourable=fav, ordered=ordered, reference=ref,
                     confidence=[0.95, 0.998])  # fmt: skip
            lo95, hi95 = est.intervals[0.95].lower, est.intervals[0.95].upper
            lo99, hi99 = est.intervals[0.998].lower, est.intervals[0.998].upper
            assert (lo95 <= est.value + 1e-9).all() and (est.value <= hi95 + 1e-9).all()
            assert (lo99 <= lo95 + 1e-9).all() and (hi95 <= hi99 + 1e-9).all()


@given(settings(min_subgroups=3), st.randoms(use_true_random=False))
def test_nonordered_without_reference_ignores_column_order(data, rnd):
    y, se, fav, _ = data
    perm = list(range(y.shape[1]))
    rnd.shuffle(perm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = difference(y, se, favourable=fav, ordered=False)
        b = difference(y[:, perm], se[:, perm], favourable=fav, ordered=False)
        assert_allclose(a.value, b.value)
        assert_allclose(a.value, y.max(axis=1) - y.min(axis=1))


@given(settings())
def test_ordered_adverse_is_minus_favourable_and_ratio_reciprocal(data):
    y, se, _, _ = data
    n_set = y.shape[0]
    d_fav = difference(y, se, favourable=np.ones(n_set), ordered=True)
    d_adv = difference(y, se, favourable=np.zeros(n_set), ordered=True)
    assert_allclose(d_adv.value, -d_fav.value)
    assert_allclose(d_adv.extras["se"], d_fav.extras["se"])
    r_fav = ratio(y, se, favourable=np.ones(n_set), ordered=True)
    r_adv = ratio(y, se, favourable=np.zeros(n_set), ordered=True)
    assert_allclose(r_adv.value, 1 / r_fav.value)
    assert_allclose(d_fav.value, y[:, -1] - y[:, 0])
