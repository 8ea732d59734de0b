"""ACI and RCI (healthequal aci/rci): closed forms, OLS se, bounded variants, errors, properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from focuson.stats.inequality.concentration import aci, rci

COMPAT = "healthequal-1.0.1"
Y = np.array([20.0, 30.0, 40.0, 50.0, 60.0])
POP = np.array([78.0, 91.0, 162.0, 103.0, 105.0])


def reference_fit(y, n):
    """Independent fit: ridit ranks, closed forms, and the OLS se via numpy's lstsq."""
    p = n / n.sum()
    rank = (np.cumsum(n) - n / 2) / n.sum()
    mu = (p * y).sum()
    sigma2 = (p * (rank - 0.5) ** 2).sum()
    x = np.column_stack([rank * np.sqrt(n), np.sqrt(n)])
    out = {}
    for name, lhs in (("aci", 2 * sigma2 * y), ("rci", 2 * sigma2 * y / mu)):
        target = lhs * np.sqrt(n)
        beta, *_ = np.linalg.lstsq(x, target, rcond=None)
        rss = ((target - x @ beta) ** 2).sum()
        se = np.sqrt(rss / (len(y) - 2) * np.linalg.inv(x.T @ x)[0, 0])
        out[name] = (beta[0], se)
    closed = (p * y * (2 * rank - 1)).sum()
    return out, closed, mu


def test_aci_and_rci_match_closed_forms_and_ols():
    fit, closed, mu = reference_fit(Y, POP)
    a, r = aci(Y, POP), rci(Y, POP)
    assert_allclose(a.value, [closed], rtol=1e-12)
    assert_allclose(r.value, [closed / mu], rtol=1e-12)
    assert_allclose(a.extras["se"], [fit["aci"][1]], rtol=1e-10)
    assert_allclose(r.extras["se"], [fit["rci"][1]], rtol=1e-10)
    assert_allclose(a.extras["mu"], [mu])
    assert a.statistic == "aci" and r.statistic == "rci"
    assert a.method[0].startswith("healthequal 1.0.1 aci, ordered, convenient regression")


def test_without_pop_every_subgroup_weighs_one():
    y = np.array([20.0, 35.0, 40.0, 55.0, 58.0])
    fit, closed, _ = reference_fit(y, np.ones(5))
    est = aci(y)
    assert_allclose(est.value, [closed])
    assert_allclose(est.extras["se"], [fit["aci"][1]])
    assert "no pop" in est.method[0]


def test_zero_population_subgroup_still_counts_in_degrees_of_freedom():
    y = np.array([20.0, 30.0, 40.0, 50.0])
    pop = np.array([10.0, 0.0, 20.0, 30.0])
    est = aci(y, pop)
    fit, closed, _ = reference_fit(y, pop)  # 4 rows, one all-zero: df = 2
    assert_allclose(est.value, [closed])
    assert_allclose(est.extras["se"], [fit["aci"][1]])


def test_interval_is_normal_and_several_levels():
    est = rci(Y, POP, confidence=[0.95, 0.998])
    se = est.extras["se"]
    assert_allclose(est.intervals[0.95].upper - est.value, 1.959963984540054 * se)
    assert (est.intervals[0.998].lower < est.intervals[0.95].lower).all()


def test_bounded_rescaling_and_corrections():
    plain_aci, plain_rci = aci(Y, POP).value, rci(Y, POP).value
    mu_prime = aci(Y, POP, lmin=0, lmax=100).extras["mu"]
    assert_allclose(mu_prime, aci(Y, POP).extras["mu"] / 100)
    assert_allclose(aci(Y, POP, lmin=0, lmax=100).value, plain_aci / 100)
    assert_allclose(rci(Y, POP, lmin=0, lmax=100).value, plain_rci)
    wag = rci(Y, POP, method="wagstaff", lmin=0, lmax=100)
    err = rci(Y, POP, method="erreygers", lmin=0, lmax=100)
    assert_allclose(wag.value, plain_rci / (1 - mu_prime))
    assert_allclose(err.value, 4 * plain_aci / 100)
    assert_allclose(err.extras["se"], 4 * aci(Y, POP).extras["se"] / 100)
    assert "wagstaff correction" in wag.method[0]


def test_rescaled_lmin_shifts_the_rci():
    est = rci(Y, POP, lmin=10, lmax=110)
    assert_allclose(est.value, rci(Y - 10, POP).value)


def test_reversing_the_order_negates_aci():
    a = aci(Y, POP)
    b = aci(Y[::-1], POP[::-1])
    assert_allclose(b.value, -a.value)
    assert_allclose(b.extras["se"], a.extras["se"])


def test_zero_mean_gives_na_rci_but_aci():
    y = np.array([0.0, 0.0, 0.0])
    assert aci(y, [1, 1, 1]).value.tolist() == [0.0]
    est = rci([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]], [[1, 1, 1], [1, 1, 1]])
    assert np.isnan(est.value[0]) and est.reason[0] == "the mean (mu) is zero"
    assert np.isfinite(est.value[1]) and est.reason[1] == ""


def test_one_populated_subgroup_gives_na_with_reason():
    est = aci([1.0, 2.0, 3.0], [0.0, 5.0, 0.0])
    assert np.isnan(est.value[0]) and "ranks do not vary" in est.reason[0]


def test_wagstaff_with_mean_at_lmax_is_na():
    est = rci([100.0, 100.0, 100.0], [1, 1, 1], method="wagstaff", lmin=0, lmax=100)
    assert np.isnan(est.value[0]) and "Wagstaff" in est.reason[0]


def test_missing_estimate_needs_force():
    y = [20.0, 30.0, 40.0, 50.0, np.nan]
    with pytest.raises(ValueError, match=r"y: aci needs an estimate.*setting 0"):
        aci(y, POP)
    est = aci(y, POP, force=True)
    _, closed, _ = reference_fit(np.array(y[:4]), POP[:4])
    assert_allclose(est.value, [closed])


def test_forced_gap_is_an_error_with_pop_only():
    y = [20.0, 30.0, np.nan, 50.0, 60.0]
    with pytest.raises(ValueError, match=r"consecutive.*setting 0"):
        aci(y, POP, force=True)
    est = aci(y, force=True)  # healthequal checks the orders only when pop is given
    assert np.isfinite(est.value[0])


def test_subgroup_without_estimate_and_population_needs_force_and_is_reported():
    y = np.array([[20.0, 30.0, 40.0, np.nan], [20.0, 30.0, 40.0, 50.0]])
    pop = np.array([[1.0, 2.0, 3.0, 0.0], [1.0, 2.0, 3.0, 4.0]])
    with pytest.raises(ValueError, match=r"aci needs an estimate.*setting 0 \(subgroup 3\)"):
        aci(y, pop)
    est = aci(y, pop, force=True)
    assert est.dropped.tolist() == [[False, False, False, True], [False] * 4]
    assert_allclose(est.value[0], aci(y[0, :3], pop[0, :3]).value[0])
    assert_allclose(est.value[1], aci(y[1], pop[1]).value[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lmin": 0}, r"lmin: give both lmin and lmax"),
        ({"lmax": 100}, r"lmin: give both lmin and lmax"),
        ({"lmin": [0, 100], "lmax": 100}, r"lmin: must be below lmax.*setting 1"),
        ({"lmin": [0, np.nan], "lmax": 100}, r"lmin: .*finite.*setting 1"),
        ({"lmin": [0, 25], "lmax": 100}, r"y: estimates below lmin in setting 1"),
        ({"lmin": 0, "lmax": [100, 50]}, r"y: estimates above lmax in setting 1"),
        ({"method": "wagstaff"}, r"lmin: the wagstaff correction needs lmin and lmax"),
        ({"method": "kakwani"}, r"method: expected None, 'wagstaff' or 'erreygers'"),
        ({"y": [[20.0, 30.0, 40.0], [20.0, 30.0, np.nan]], "force": True},
         r"y: rci needs estimates for at least 3 subgroups; fewer in setting 1"),
        ({"pop": [[1, 1, 1], [1, -1, 1]]}, r"pop: .*setting 1"),
        ({"pop": [[1, 1], [1, 1]]}, r"settings x subgroups of one shape"),
        ({"compat": "x"}, r"compat: expected None"),
    ],
)  # fmt: skip
def test_errors_name_argument_and_setting(kwargs, match):
    args = {"y": [[20.0, 30.0, 40.0], [20.0, 30.0, 60.0]], "pop": None, **kwargs}
    with pytest.raises(ValueError, match=match):
        rci(args.pop("y"), args.pop("pop"), **args)


def test_compat_ignores_unknown_method_and_lmax():
    with pytest.raises(ValueError, match="lmin: the kakwani correction needs lmin and lmax"):
        rci(Y, POP, method="kakwani", compat=COMPAT)  # type: ignore[arg-type]
    est = rci(Y, POP, method="kakwani", lmin=0, lmax=100, compat=COMPAT)  # type: ignore[arg-type]
    assert_allclose(est.value, rci(Y, POP).value)
    est = aci(Y, POP, lmin=0, lmax=50, compat=COMPAT)
    assert_allclose(est.value, aci(Y, POP).value / 50)
    assert "compat" in est.method[0]


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@st.composite
def settings(draw):
    n_set = draw(st.integers(1, 5))
    n_sub = draw(st.integers(3, 8))
    y = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(0.5, 100.0)))
    pop = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(1.0, 5000.0)))
    return y, pop


@given(settings())
def test_vectorised_equals_setting_by_setting(data):
    y, pop = data
    for fn in (aci, rci):
        whole = fn(y, pop)
        for s in range(y.shape[0]):
            one = fn(y[s], pop[s])
            assert_allclose(whole.value[s], one.value[0], rtol=1e-10, atol=1e-12)
            assert_allclose(whole.extras["se"][s], one.extras["se"][0], rtol=1e-10, atol=1e-12)


@given(settings())
def test_closed_form_bounds_and_interval_properties(data):
    y, pop = data
    a = aci(y, pop, confidence=[0.95, 0.998])
    r = rci(y, pop, confidence=[0.95, 0.998])
    for s in range(y.shape[0]):
        _, closed, mu = reference_fit(y[s], pop[s])
        assert_allclose(a.value[s], closed, rtol=1e-9, atol=1e-9)
        assert_allclose(r.value[s], closed / mu, rtol=1e-9, atol=1e-9)
    assert (np.abs(r.value) <= 1 + 1e-12).all()
    for est in (a, r):
        lo, hi = est.intervals[0.95].lower, est.intervals[0.95].upper
        assert (lo <= est.value + 1e-12).all() and (est.value <= hi + 1e-12).all()
        assert (est.intervals[0.998].lower <= lo + 1e-12).all()


@given(settings(), st.floats(0.1, 1000.0))
def test_rci_is_scale_invariant_and_aci_scales(data, k):
    y, pop = data
    assert_allclose(rci(k * y, pop).value, rci(y, pop).value, rtol=1e-8, atol=1e-12)
    assert_allclose(aci(k * y, pop).value, k * aci(y, pop).value, rtol=1e-8, atol=1e-10)
