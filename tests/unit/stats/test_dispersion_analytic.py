"""BGV, MLD and TI (healthequal bgv/mld/ti): estimates, analytic se, NA rules, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from focuson.stats.inequality.dispersion_analytic import bgv, mld, ti

COMPAT = "healthequal-1.0.1"
Y = np.array([60.0, 70.0, 80.0, 65.0])
SE = np.array([2.0, 1.0, 3.0, 1.5])
POP = np.array([100.0, 300.0, 100.0, 200.0])
P = POP / POP.sum()
MU = (P * Y).sum()


def test_bgv_estimate_and_ahn_se():
    est = bgv(Y, SE, POP)
    assert_allclose(est.value, [(P * (Y - MU) ** 2).sum()])
    a = P**2 * SE**2
    var = 4 * (a * (Y - MU) ** 2).sum() + 2 * (
        a.sum() ** 2 - (a**2).sum() + (a * (1 - P) ** 2 * SE**2).sum()
    )
    assert_allclose(est.extras["se"], [np.sqrt(var)])
    assert_allclose(est.extras["mu"], [MU])
    assert est.statistic == "bgv" and "se Ahn et al. (2018)" in est.method[0]


def test_mld_and_ti_estimates_and_se_times_1000():
    r = Y / MU
    m, t = mld(Y, SE, POP), ti(Y, SE, POP)
    assert_allclose(m.value, [1000 * (P * -np.log(r)).sum()])
    assert_allclose(t.value, [1000 * (P * r * np.log(r)).sum()])
    m_se = np.sqrt((P**2 * SE**2 / MU**2 * (1 - MU / Y) ** 2).sum())
    big_t = (P * r * (1 + np.log(r))).sum()
    t_se = np.sqrt(((1 + np.log(r) - big_t) ** 2 * P**2 * SE**2 / MU**2).sum())
    assert_allclose(m.extras["se"], [1000 * m_se])
    assert_allclose(t.extras["se"], [1000 * t_se])
    assert_allclose(mld(Y, SE, POP, compat=COMPAT).extras["se"], [m_se])
    assert_allclose(ti(Y, SE, POP, compat=COMPAT).extras["se"], [t_se])
    assert "se x 1000" in m.method[0]
    assert "se not x 1000" in ti(Y, SE, POP, compat=COMPAT).method[0]


def test_equal_subgroups_give_zero():
    y = np.full(4, 42.0)
    for fn in (bgv, mld, ti):
        assert_allclose(fn(y, SE, POP).value, [0.0], atol=1e-12)


def test_zero_estimates_are_replaced_and_flagged():
    y = np.array([0.0, 10.0, 20.0])
    est = mld(y, None, [1, 1, 1])
    yy = np.array([1e-6, 10.0, 20.0])
    assert_allclose(est.value, [1000 * (-np.log(yy / yy.mean())).mean()])
    assert est.extras["zero_replaced"].tolist() == [1.0]


def test_negative_estimates_error_by_default_na_in_compat():
    y = [[-1.0, 10.0, 20.0], [5.0, 10.0, 20.0]]
    with pytest.raises(
        ValueError, match=r"y: ti needs estimates of 0 or more; negative in setting 0"
    ):
        ti(y, None, [[1, 1, 1], [1, 1, 1]])
    est = ti(y, None, [[1, 1, 1], [1, 1, 1]], compat=COMPAT)
    assert np.isnan(est.value[0]) and "negative" in est.reason[0]
    assert np.isfinite(est.value[1])


def test_without_se_there_is_no_interval():
    est = bgv(Y, None, POP)
    assert np.isnan(est.lower).all() and np.isnan(est.extras["se"]).all()
    assert "no CI" in est.method[0]


def test_missing_se_of_a_used_subgroup_gives_na_interval_only():
    se = np.array([[2.0, np.nan, 3.0, 1.5], [2.0, 1.0, 3.0, 1.5]])
    est = mld(np.vstack([Y, Y]), se, np.vstack([POP, POP]))
    assert np.isnan(est.lower[0]) and np.isfinite(est.lower[1])
    assert_allclose(est.value[0], est.value[1])


def test_missing_estimate_drops_up_to_15_percent_and_its_se_is_ignored():
    y = np.array([60.0, 70.0, 80.0, 65.0, 62.0, 71.0, np.nan])
    se = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, np.nan])
    pop = np.ones(7)
    est = bgv(y, se, pop)
    assert_allclose(est.value, bgv(y[:6], se[:6], pop[:6]).value)
    assert np.isfinite(est.lower[0])


def test_more_than_15_percent_missing():
    y, pop = [60.0, 70.0, 80.0, np.nan], [1, 1, 1, 1]
    with pytest.raises(ValueError, match=r"more than 15% of subgroups in setting 0$"):
        bgv(y, None, pop)  # BGV has no force in healthequal
    with pytest.raises(ValueError, match=r"setting 0 \(pass force=True"):
        mld(y, None, pop)
    assert_allclose(mld(y, None, pop, force=True).value, mld(y[:3], None, pop[:3]).value)


def test_absent_subgroups_of_ragged_settings():
    y = np.array([[60.0, 70.0, 80.0, np.nan, np.nan], [60.0, 70.0, 80.0, 65.0, 62.0]])
    pop = np.array([[1.0, 2.0, 3.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    est = ti(y, None, pop)
    assert_allclose(est.value[0], ti(y[0, :3], None, pop[0, :3]).value[0])
    # the subgroups left out are reported, never dropped without a word
    for measure in (ti(y, None, pop), mld(y, None, pop), bgv(y, None, pop)):
        assert measure.dropped.tolist() == [[False] * 3 + [True] * 2, [False] * 5]


def test_zero_population_in_used_subgroups_gives_na_with_reason():
    y = np.array([[60.0, 70.0, 80.0, np.nan], [60.0, 70.0, 80.0, 50.0]])
    pop = np.array([[0.0, 0.0, 0.0, 5.0], [1.0, 1.0, 1.0, 1.0]])
    est = mld(y, None, pop, force=True)
    assert np.isnan(est.value[0]) and "zero population" in est.reason[0]
    assert np.isfinite(est.value[1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": [[1.0, 2.0], [1.0, 3.0]], "pop": [[1, 1], [1, 1]]},
         r"y: mld needs estimates for at least 3 subgroups; fewer in settings 0, 1"),
        ({"pop": [[1, 1, 1], [1, np.nan, 1]]}, r"pop: .*setting 1"),
        ({"pop": [[1, 1, 1], [0, 0, 0]]}, r"pop: every subgroup has zero population in setting 1"),
        ({"se": [[1.0, 1.0, 1.0], [1.0, -1.0, 1.0]]}, r"se: .*setting 1"),
        ({"y": [[1.0, 2.0, 3.0], [1.0, np.inf, 3.0]]}, r"y: .*finite.*setting 1"),
        ({"confidence": 80}, r"confidence:"),
        ({"compat": "healthequal"}, r"compat: expected None"),
    ],
)  # fmt: skip
def test_errors_name_argument_and_setting(kwargs, match):
    args = {"y": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "se": None, "pop": [[1, 1, 1], [1, 1, 1]]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        mld(args.pop("y"), args.pop("se"), args.pop("pop"), **args)


def test_analytic_se_agrees_with_simulation():
    # the delta-method/Ahn variances describe the spread of the measure when the subgroup
    # estimates vary by their se (populations fixed): 20,000 seeded draws, 5% tolerance
    rng = np.random.default_rng(20240611)
    y, se, pop = Y, SE / 4, POP
    draws = rng.normal(y, se, size=(20_000, y.size))
    pops = np.broadcast_to(pop, draws.shape)
    for fn in (bgv, mld, ti):
        sim = fn(draws, None, pops).value
        analytic = fn(y, se, pop).extras["se"][0]
        assert_allclose(sim.std(), analytic, rtol=0.05)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@st.composite
def settings(draw):
    n_set = draw(st.integers(1, 5))
    n_sub = draw(st.integers(3, 8))
    y = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(0.5, 100.0)))
    se = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(0.01, 5.0)))
    pop = draw(arrays(np.float64, (n_set, n_sub), elements=st.floats(1.0, 5000.0)))
    return y, se, pop


@given(settings())
def test_vectorised_equals_setting_by_setting(data):
    y, se, pop = data
    for fn in (bgv, mld, ti):
        whole = fn(y, se, pop)
        for s in range(y.shape[0]):
            one = fn(y[s], se[s], pop[s])
            assert_allclose(whole.value[s], one.value[0], rtol=1e-10, atol=1e-12)
            assert_allclose(whole.extras["se"][s], one.extras["se"][0], rtol=1e-10, atol=1e-12)


@given(settings())
def test_nonnegative_bracketed_widening_and_order_free(data):
    y, se, pop = data
    perm = np.arange(y.shape[1])[::-1]
    for fn in (bgv, mld, ti):
        est = fn(y, se, pop, confidence=[0.95, 0.998])
        assert (est.value >= -1e-9).all()
        lo, hi = est.intervals[0.95].lower, est.intervals[0.95].upper
        assert (lo <= est.value).all() and (est.value <= hi).all()
        assert (est.intervals[0.998].lower <= lo).all()
        assert (est.intervals[0.998].upper >= hi).all()
        assert_allclose(fn(y[:, perm], se[:, perm], pop[:, perm]).value, est.value,
                        rtol=1e-9, atol=1e-9)  # fmt: skip


@given(settings(), st.floats(0.1, 1000.0))
def test_mld_ti_are_scale_free_bgv_scales_with_the_square(data, k):
    y, se, pop = data
    for fn in (mld, ti):
        a, b = fn(y, se, pop), fn(k * y, k * se, pop)
        assert_allclose(b.value, a.value, rtol=1e-7, atol=1e-9)
        assert_allclose(b.extras["se"], a.extras["se"], rtol=1e-7, atol=1e-9)
    assert_allclose(
        bgv(k * y, None, pop).value, k**2 * bgv(y, None, pop).value, rtol=1e-9, atol=1e-12
    )
