"""PAF and PAR (healthequal paf/parisk): reference choice, mu, truncation, NA rules, errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from focuson.stats.inequality.attributable import paf, par

COMPAT = "healthequal-1.0.1"
Y = np.array([20.0, 30.0, 40.0, 50.0, 60.0])
POP = np.array([100.0, 100.0, 100.0, 100.0, 100.0])


def walter_se(y_ref, n_ref, mu, total, scale):
    """Walter (1978) se of the attributable fraction from the implied 2 x 2 table."""
    exposed_cases = y_ref / scale * n_ref  # c
    exposed_non = n_ref - exposed_cases  # d
    other_cases = mu / scale * total - exposed_cases  # a
    other_non = total - other_cases - n_ref  # b
    num = (
        exposed_cases
        * total
        * (other_cases * exposed_non * (total - exposed_cases) + other_non * exposed_cases**2)
    )
    return np.sqrt(num / ((other_cases + exposed_cases) ** 3 * n_ref**3))


# ---------------------------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------------------------


def test_paf_ordered_reference_is_most_advantaged_and_mu_pop_weighted():
    est = paf(Y, POP, favourable=True, ordered=True, scale=100)
    assert_allclose(est.value, [100 * (60 - 40) / 40])
    assert_allclose(est.extras["mu"], [40.0])
    assert est.extras["reference_subgroup"].tolist() == [4.0]
    assert_allclose(est.extras["se"], [100 * walter_se(60, 100, 40, 500, 100)])
    assert "population-weighted" in est.method[0] and est.statistic == "paf"


def test_par_is_reference_minus_mu_with_mu_times_walter_se():
    est = par(Y, POP, favourable=True, ordered=True, scale=100)
    assert_allclose(est.value, [20.0])
    assert_allclose(est.extras["se"], [40 * walter_se(60, 100, 40, 500, 100)])
    assert est.statistic == "par" and est.method[0].startswith("healthequal 1.0.1 parisk")


def test_paf_compat_uses_the_fraction_se():
    default = paf(Y, POP, favourable=True, ordered=True, scale=100)
    compat = paf(Y, POP, favourable=True, ordered=True, scale=100, compat=COMPAT)
    assert_allclose(default.value, compat.value)
    assert_allclose(default.extras["se"], 100 * compat.extras["se"])
    assert "compat" in compat.method[0]


def test_ordered_favourable_truncated_to_zero_keeps_interval_and_flag():
    y = Y[::-1]  # most advantaged has the lowest value
    est = paf(y, POP, favourable=True, ordered=True, scale=100)
    assert est.value.tolist() == [0.0]
    assert est.extras["truncated"].tolist() == [1.0]
    assert est.lower[0] < 0 < est.upper[0]
    assert_allclose(-est.lower, est.upper)
    assert "truncated" in est.method[0]


def test_ordered_adverse_reference_below_mean_gives_negative_paf():
    est = paf(Y[::-1], POP, favourable=False, ordered=True, scale=100)
    assert_allclose(est.value, [100 * (20 - 40) / 40])
    assert est.extras["truncated"].tolist() == [0.0]
    truncated = paf(Y, POP, favourable=False, ordered=True, scale=100)
    assert truncated.value.tolist() == [0.0]


@pytest.mark.parametrize(("favourable", "ref"), [(True, 2), (False, 0)])
def test_nonordered_reference_is_the_best_subgroup(favourable, ref):
    y = np.array([30.0, 50.0, 70.0, 40.0])
    est = par(y, [1, 1, 1, 1], favourable=favourable, ordered=False, scale=100)
    assert est.extras["reference_subgroup"].tolist() == [float(ref)]
    assert_allclose(est.value, [y[ref] - y.mean()])


def test_setting_average_used_without_pop_and_no_interval():
    est = paf(Y, favourable=True, ordered=True, scale=100, setting_average=50.0)
    assert_allclose(est.value, [20.0])
    assert np.isnan(est.lower).all() and np.isnan(est.extras["se"]).all()
    assert "setting average" in est.method[0] and "no CI" in est.method[0]


def test_pop_wins_over_setting_average():
    est = paf(Y, POP, favourable=True, ordered=True, scale=100, setting_average=50.0)
    assert_allclose(est.extras["mu"], [40.0])


def test_zero_mean_gives_na_paf_but_par():
    y = np.zeros(3)
    assert np.isnan(paf(y, [1, 1, 1], favourable=True, ordered=True, scale=100).value[0])
    assert paf(y, [1, 1, 1], favourable=True, ordered=True, scale=100).reason[0] != ""
    assert par(y, [1, 1, 1], favourable=True, ordered=True, scale=100).value.tolist() == [0.0]


def test_ties_for_best_warn_and_take_first_compat_takes_largest_population():
    y = [70.0, 50.0, 70.0, 40.0]
    pop = [10.0, 20.0, 30.0, 40.0]
    with pytest.warns(UserWarning, match="tie for the best estimate in setting 0"):
        est = paf(y, pop, favourable=True, ordered=False, scale=100)
    assert est.extras["reference_subgroup"].tolist() == [0.0]
    assert est.extras["tied"].tolist() == [1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compat = paf(y, pop, favourable=True, ordered=False, scale=100, compat=COMPAT)
    assert compat.extras["reference_subgroup"].tolist() == [2.0]
    assert_allclose(est.value, compat.value)


def test_missing_reference_with_zero_population_is_an_error_unless_forced():
    # The most advantaged subgroup has no estimate (and no people): dropping it silently would
    # move the reference to the next subgroup. healthequal's rule: an error unless forced.
    y = np.array([[20.0, 30.0, 40.0, np.nan], [20.0, 30.0, 40.0, 50.0]])
    pop = np.array([[1.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    for measure in (par, paf):
        with pytest.raises(ValueError, match=r"needs an estimate.*setting 0 \(subgroup 3\)"):
            measure(y, pop, favourable=True, ordered=True, scale=100)
    est = par(y, pop, favourable=True, ordered=True, scale=100, force=True)
    assert_allclose(est.value, [10.0, 15.0])
    assert est.extras["reference_subgroup"].tolist() == [2.0, 3.0]
    assert est.dropped.tolist() == [[False, False, False, True], [False] * 4]


def test_nonordered_missing_best_with_zero_population_counts_towards_15_percent():
    # 1 of 5 subgroups (20%) without an estimate: an error unless forced, population or not.
    y, pop = [20.0, 30.0, 40.0, 50.0, np.nan], [1.0, 1.0, 1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match=r"missing for more than 15%.*force=True"):
        paf(y, pop, favourable=True, ordered=False, scale=100)
    est = paf(y, pop, favourable=True, ordered=False, scale=100, force=True)
    assert est.dropped.tolist() == [[False] * 4 + [True]]


def test_ordered_missing_estimate_needs_force_and_force_drops_it():
    y = [20.0, 30.0, 40.0, 50.0, np.nan]
    with pytest.raises(ValueError, match=r"y: par needs an estimate.*setting 0.*force=True"):
        par(y, POP, favourable=True, ordered=True, scale=100)
    est = par(y, POP, favourable=True, ordered=True, scale=100, force=True)
    assert_allclose(est.value, [50.0 - 35.0])


def test_ordered_forced_drop_must_leave_consecutive_orders():
    y = [20.0, 30.0, np.nan, 50.0, 60.0]
    with pytest.raises(ValueError, match=r"y: subgroup orders must be consecutive.*setting 0"):
        par(y, POP, favourable=True, ordered=True, scale=100, force=True)


def test_nonordered_drops_up_to_15_percent_missing_silently():
    y = np.array([20.0, 30.0, 40.0, 50.0, 60.0, 70.0, np.nan])
    est = par(y, np.ones(7), favourable=True, ordered=False, scale=100)
    assert_allclose(est.value, [70.0 - 45.0])
    with pytest.raises(ValueError, match=r"more than 15% of subgroups in setting 0"):
        par(y[2:], np.ones(5), favourable=True, ordered=False, scale=100)
    forced = par(y[2:], np.ones(5), favourable=True, ordered=False, scale=100, force=True)
    assert_allclose(forced.value, [70.0 - 55.0])


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pop": None}, r"pop: give either pop or setting_average"),
        ({"pop": [[1, 1, 1], [1, 1, -1]]}, r"pop: .*setting 1"),
        ({"pop": [[1, 1, 1], [0, 0, 0]]}, r"pop: every subgroup has zero population in setting 1"),
        ({"scale": [100, 0]}, r"scale: must be a finite number above 0.*setting 1"),
        ({"favourable": [1, 3]}, r"favourable: must be 0/1.*setting 1"),
        ({"ordered": 2}, r"ordered: expected True or False"),
        ({"y": [[1.0, 2.0, 3.0], [1.0, 2.0, np.nan]], "ordered": False, "force": True},
         r"y: paf needs estimates for at least 3 subgroups; fewer in setting 1"),
        ({"pop": None, "setting_average": [1.0, np.inf]}, r"setting_average: .*setting 1"),
        ({"compat": "yes"}, r"compat: expected None"),
    ],
)  # fmt: skip
def test_errors_name_argument_and_setting(kwargs, match):
    args = {
        "y": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        "pop": [[1, 1, 1], [1, 1, 1]],
        "favourable": True,
        "ordered": True,
        "scale": 100,
        **kwargs,
    }
    with pytest.raises(ValueError, match=match):
        paf(args.pop("y"), args.pop("pop"), **args)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@st.composite
def settings(draw):
    n_set = draw(st.integers(1, 5))
    n_sub = draw(st.integers(3, 7))
    y = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(1.0, 99.0)))
    pop = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(1.0, 5000.0)))
    fav = draw(arrays(np.bool_, n_set))
    return y, pop, fav


@given(settings(), st.booleans())
def test_vectorised_equals_setting_by_setting(data, ordered):
    y, pop, fav = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn in (paf, par):
            whole = fn(y, pop, favourable=fav, ordered=ordered, scale=100)
            for s in range(y.shape[0]):
                one = fn(y[s], pop[s], favourable=fav[s], ordered=ordered, scale=100)
                assert_allclose(whole.value[s], one.value[0])
                assert_allclose(whole.lower[s], one.lower[0])
                assert_allclose(whole.upper[s], one.upper[0])


@given(settings(), st.booleans())
def test_limits_bracket_value_and_widen_and_paf_is_par_over_mu(data, ordered):
    y, pop, fav = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = paf(y, pop, favourable=fav, ordered=ordered, scale=100, confidence=[0.95, 0.998])
        r = par(y, pop, favourable=fav, ordered=ordered, scale=100, confidence=[0.95, 0.998])
    for est in (f, r):
        lo, hi = est.intervals[0.95].lower, est.intervals[0.95].upper
        ok = ~np.isnan(lo)
        assert (lo[ok] <= est.value[ok] + 1e-9).all() and (est.value[ok] <= hi[ok] + 1e-9).all()
        assert (est.intervals[0.998].lower[ok] <= lo[ok] + 1e-9).all()
    assert_allclose(f.value, 100 * r.value / f.extras["mu"], atol=1e-9)
    assert_allclose(r.extras["se"], f.extras["mu"] * f.extras["se"] / 100, rtol=1e-9)


@given(settings())
def test_nonordered_sign_follows_polarity_and_ignores_column_order(data):
    y, pop, fav = data
    perm = np.arange(y.shape[1])[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = paf(y, pop, favourable=fav, ordered=False, scale=100)
        b = paf(y[:, perm], pop[:, perm], favourable=fav, ordered=False, scale=100)
    assert_allclose(a.value, b.value, atol=1e-9)
    assert (a.value[fav] >= 0).all() and (a.value[~fav] <= 0).all()
