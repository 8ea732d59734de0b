"""WHO SII/RII (healthequal sii/rii): fits, HC1 + delta-method se, modes, NA rules, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize, special

from focuson.stats.inequality.sii_who import rii_who, sii_who

COMPAT = "healthequal-1.0.1"
Y = np.array([62.0, 70.0, 75.5, 81.0, 88.0])
POP = np.array([1200.0, 950.0, 1010.0, 870.0, 990.0])


def _ridit(n):
    cum = np.cumsum(n)
    return (cum - n / 2) / n.sum()


def _reference(y, n, scale, model, weights=None):
    """Independent fit, HC1 sandwich and numerical delta method for one setting."""
    r = _ridit(n)
    x = np.column_stack([np.ones_like(r), r])
    a = n if weights is None else weights
    pi = y / scale
    if model == "logistic":

        def nll(b):
            eta = x @ b
            return -(a * (pi * eta - np.logaddexp(0, eta))).sum()

        b = optimize.minimize(nll, np.zeros(2), method="BFGS", options={"gtol": 1e-12}).x
        b = optimize.minimize(
            nll, b, method="Nelder-Mead", options={"xatol": 1e-13, "fatol": 1e-16}
        ).x
        mu = special.expit(x @ b)
        w = a * mu * (1 - mu)
        f = special.expit
    else:
        sw = np.sqrt(a)
        b = np.linalg.lstsq(x * sw[:, None], pi * sw, rcond=None)[0]
        mu = x @ b
        w = a

        def f(t):
            return t

    bread = np.linalg.inv((x * w[:, None]).T @ x)
    u = x * (a * (pi - mu))[:, None]
    j = len(y)
    j_ok = (a > 0).sum()
    cov = j / (j - 2) * (j_ok / j) ** 2 * bread @ (u.T @ u) @ bread

    def sii(bb):
        return f(bb[0] + bb[1]) - f(bb[0])

    def lnrii(bb):
        return np.log(f(bb[0] + bb[1])) - np.log(f(bb[0]))

    def grad(g):
        h = 1e-6
        return np.array([(g(b + h * e) - g(b - h * e)) / (2 * h) for e in np.eye(2)])

    gs, gr = grad(sii), grad(lnrii)
    return scale * sii(b), np.sqrt(gs @ cov @ gs), np.exp(lnrii(b)), np.sqrt(gr @ cov @ gr)


# ---- fits and standard errors ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["logistic", "linear"])
def test_default_mode_matches_an_independent_fit(model):
    s, s_se, r, r_se = _reference(Y, POP, 100.0, model)
    sii = sii_who(Y, pop=POP, scale=100, model=model)
    rii = rii_who(Y, pop=POP, scale=100, model=model)
    assert_allclose(sii.value, [s], rtol=1e-6)
    assert_allclose(sii.extras["se"], [100 * s_se], rtol=1e-5)  # reported on the indicator scale
    assert_allclose(rii.value, [r], rtol=1e-6)
    assert_allclose(rii.extras["se"], [r_se], rtol=1e-5)
    assert_allclose(rii.extras["log_rii"], [np.log(r)], rtol=1e-6)


def test_compat_logistic_uses_rounded_counts_and_squared_weights():
    n = np.ceil(POP + 0.3)
    k = np.rint(Y / 100 * n)
    s, s_se, r, r_se = _reference(k / n * 100, n, 100.0, "logistic", weights=n**2)
    sii = sii_who(Y, pop=POP + 0.3, compat=COMPAT)
    rii = rii_who(Y, pop=POP + 0.3, compat=COMPAT)
    assert_allclose(sii.value, [s], rtol=1e-6)
    assert_allclose(sii.extras["se"], [s_se], rtol=1e-5)  # 0-1 scale, as healthequal 1.0.1
    assert_allclose(rii.value, [r], rtol=1e-6)
    assert_allclose(rii.extras["se"], [r_se], rtol=1e-5)


def test_zero_population_subgroup_counts_in_j_but_not_in_j_ok():
    pop = POP.copy()
    pop[2] = 0.0
    s, s_se, _, _ = _reference(Y, pop, 100.0, "logistic")
    sii = sii_who(Y, pop=pop, scale=100)
    assert_allclose(sii.value, [s], rtol=1e-6)
    assert_allclose(sii.extras["se"], [100 * s_se], rtol=1e-5)
    assert sii.extras["subgroups"].tolist() == [5.0]


def test_limits_are_normal_with_the_reported_se():
    sii = sii_who(Y, pop=POP, scale=100, confidence=[0.95, 0.998])
    rii = rii_who(Y, pop=POP, scale=100, confidence=0.9)
    for level, z in ((0.95, 1.959963984540054), (0.998, 3.090232306167813)):
        half = z * sii.extras["se"]
        assert_allclose(sii.intervals[level].lower, sii.value - half)
        assert_allclose(sii.intervals[level].upper, sii.value + half)
    z90 = 1.6448536269514722
    assert_allclose(rii.lower, np.exp(rii.extras["log_rii"] - z90 * rii.extras["se"]))
    assert_allclose(rii.upper, np.exp(rii.extras["log_rii"] + z90 * rii.extras["se"]))


def test_compat_limits_use_scale_times_01_se():
    sii = sii_who(Y, pop=POP, compat=COMPAT)
    assert_allclose(sii.upper - sii.value, 100 * 1.959963984540054 * sii.extras["se"])


def test_fitted_ends_are_reported_on_the_indicator_scale():
    sii = sii_who(Y, pop=POP, scale=100)
    assert_allclose(sii.extras["rank1"] - sii.extras["rank0"], sii.value)
    rii = rii_who(Y, pop=POP, scale=100)
    assert_allclose(rii.extras["rank1"] / rii.extras["rank0"], rii.value)
    assert sii.extras["scale"].tolist() == [100.0]


def test_without_pop_default_fits_proportions_with_unit_weights():
    s, _, r, _ = _reference(Y, np.ones(5), 100.0, "logistic")
    assert_allclose(sii_who(Y, scale=100).value, [s], rtol=1e-6)
    assert_allclose(rii_who(Y, scale=100).value, [r], rtol=1e-6)


def test_se_argument_is_accepted_and_ignored():
    a = sii_who(Y, np.full(5, 2.0), POP, scale=100)
    b = sii_who(Y, None, POP, scale=100)
    assert_allclose(a.value, b.value)
    assert_allclose(a.lower, b.lower)


# ---- modes ----------------------------------------------------------------------------------


def test_compat_guesses_the_scale_from_the_data():
    assert sii_who([0.1, 0.2, 0.5], pop=[9, 9, 9], compat=COMPAT).extras["scale"].tolist() == [1.0]
    guessed = sii_who([[20.0, 150.0, 300.0]], pop=[[9, 9, 9]], compat=COMPAT, model="linear")
    assert guessed.extras["scale"].tolist() == [1000.0]
    declared = sii_who([20.0, 50.0, 90.0], pop=[9, 9, 9], scale=1000, compat=COMPAT)
    assert declared.extras["scale"].tolist() == [1000.0]


def test_compat_rounds_populations_up():
    a = sii_who(Y, pop=POP - 0.6, compat=COMPAT)
    b = sii_who(Y, pop=POP, compat=COMPAT)
    assert_allclose(a.value, b.value, rtol=1e-12)


def test_compat_out_of_range_counts_are_na_even_for_linear():
    y = np.vstack([Y, Y - 70])  # second setting has negative estimates
    pop = np.vstack([POP, POP])
    for model in ("logistic", "linear"):
        est = sii_who(y, pop=pop, scale=100, model=model, compat=COMPAT)
        assert not np.isnan(est.value[0])
        assert np.isnan(est.value[1]) and "counts outside" in est.reason[1]
    # the default linear model accepts negative values
    assert not np.isnan(sii_who(Y - 70, pop=POP, model="linear").value).any()


def test_default_and_compat_methods_are_labelled():
    assert "counts (k, n-k)" in sii_who(Y, pop=POP, scale=100).method[0]
    assert "weights n^2" in rii_who(Y, pop=POP, compat=COMPAT).method[0]
    assert "weighted least squares" in sii_who(Y, pop=POP, model="linear").method[0]
    assert sii_who(Y, pop=POP, scale=100).statistic.startswith("slope index of inequality")


# ---- NA rules and errors --------------------------------------------------------------------


def test_separated_logistic_fit_is_na_with_reason():
    est = sii_who(
        [[0.0, 0.0, 100.0, 100.0], [10.0, 20.0, 30.0, 40.0]], pop=np.full((2, 4), 50.0), scale=100
    )
    assert np.isnan(est.value[0]) and "did not converge" in est.reason[0]
    assert not np.isnan(est.value[1])


def test_linear_rii_undefined_when_fitted_value_at_rank_0_not_positive():
    est = rii_who([-5.0, 10.0, 30.0, 50.0], pop=[10, 10, 10, 10], model="linear")
    assert np.isnan(est.value[0]) and "rank 0 is not positive" in est.reason[0]
    sii = sii_who([-5.0, 10.0, 30.0, 50.0], pop=[10, 10, 10, 10], model="linear")
    assert not np.isnan(sii.value[0])


def test_subgroups_without_estimate_and_population_need_force_and_are_reported():
    # healthequal: any NA estimate on an ordered dimension is an error unless forced, whatever
    # the population; silently dropping the last columns would change the slope's ends.
    y, pop = np.append(Y, [np.nan] * 5), np.append(POP, [0.0] * 5)
    with pytest.raises(ValueError, match=r"needs an estimate.*subgroups 5, 6, 7, 8, 9.*force"):
        sii_who(y, pop=pop, scale=100)
    quint = sii_who(Y, pop=POP, scale=100)
    padded = sii_who(y, pop=pop, scale=100, force=True)
    assert_allclose(padded.value, quint.value, rtol=1e-12)
    assert_allclose(padded.extras["se"], quint.extras["se"], rtol=1e-12)
    assert padded.dropped.tolist() == [[False] * 5 + [True] * 5]
    assert rii_who(y, pop=pop, scale=100, force=True).dropped[0, 5:].all()


def test_missing_estimate_is_an_error_unless_forced():
    y = Y.copy()
    y[4] = np.nan
    with pytest.raises(ValueError, match=r"y: the SII/RII needs an estimate.*setting 0.*force"):
        sii_who(y, pop=POP, scale=100)
    forced = sii_who(y, pop=POP, scale=100, force=True)
    assert_allclose(forced.value, sii_who(Y[:4], pop=POP[:4], scale=100).value)


def test_population_zero_among_subgroups_with_estimates_is_na():
    est = sii_who([10.0, 20.0, 30.0, np.nan], pop=[0, 0, 0, 5], scale=100, force=True)
    assert np.isnan(est.value[0]) and "zero population" in est.reason[0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sii_who(Y, pop=POP), "scale: the logistic model needs the indicator scale"),
        (
            lambda: sii_who(Y, pop=POP, scale=50),
            r"y: the logistic model needs 0 <= y <= scale.*setting 0",
        ),
        (lambda: rii_who(Y - 70, pop=POP, scale=100), r"y: the logistic model needs 0 <= y"),
        (lambda: sii_who(Y, pop=POP, scale=-1), r"scale: must be a positive number.*setting 0"),
        (lambda: sii_who(Y, pop=POP, scale=100, model="probit"), "model: expected 'logistic'"),
        (lambda: sii_who(Y, pop=POP, scale=100, compat="1.0.1"), "compat: expected None"),
        (lambda: sii_who([1.0, np.inf, 3.0], scale=100), r"y: must be finite.*setting 0"),
        (lambda: sii_who(Y, -np.ones(5), POP, scale=100), "se: must be finite and not negative"),
        (lambda: sii_who(Y, pop=-POP, scale=100), "pop: must be finite and not negative"),
        (
            lambda: sii_who([10.0, 20.0], pop=[1, 1], scale=100),
            r"needs at least 3 subgroups.*setting 0",
        ),
        (
            lambda: sii_who([20.0, 20.0, 20.0], pop=[1, 2, 3], scale=100),
            r"all estimates are equal in setting 0",
        ),
        (
            lambda: sii_who([10.0, np.nan, 30.0, 40.0], pop=[5, 0, 5, 5], scale=100),
            r"needs an estimate for every subgroup.*setting 0 \(subgroup 1\)",
        ),
        (
            lambda: sii_who([10.0, np.nan, 30.0, 40.0], pop=[5, 0, 5, 5], scale=100, force=True),
            "must be consecutive",
        ),
        (lambda: sii_who(Y, pop=POP[:4], scale=100), "one shape"),
        (lambda: rii_who(Y, pop=POP, scale=100, confidence=1.5), "confidence: 1.5 is outside"),
    ],
)
def test_errors_name_the_argument_and_setting(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- properties -----------------------------------------------------------------------------


@st.composite
def ordered_data(draw, n_max=3):
    n = draw(st.integers(1, n_max))
    j = draw(st.integers(3, 7))
    y = np.array(
        draw(
            st.lists(st.lists(st.floats(1.0, 99.0), min_size=j, max_size=j), min_size=n, max_size=n)
        )
    )
    pop = np.array(
        draw(
            st.lists(st.lists(st.floats(5.0, 5e4), min_size=j, max_size=j), min_size=n, max_size=n)
        )
    )
    y[:, 0] = y[:, 1] + 0.5  # never all equal
    return y, pop


@given(data=ordered_data(), model=st.sampled_from(["logistic", "linear"]))
def test_property_reversing_the_order_flips_the_sign(data, model):
    y, pop = data
    sii = sii_who(y, pop=pop, scale=100, model=model)
    rev = sii_who(y[:, ::-1], pop=pop[:, ::-1], scale=100, model=model)
    assert_allclose(rev.value, -sii.value, rtol=1e-7, atol=1e-9)
    assert_allclose(rev.extras["se"], sii.extras["se"], rtol=1e-6)
    if model == "logistic":
        rii = rii_who(y, pop=pop, scale=100)
        rrev = rii_who(y[:, ::-1], pop=pop[:, ::-1], scale=100)
        assert_allclose(rrev.value, 1 / rii.value, rtol=1e-7)


@given(data=ordered_data(), c=st.floats(0.01, 100.0), model=st.sampled_from(["logistic", "linear"]))
def test_property_population_scale_does_not_matter_by_default(data, c, model):
    y, pop = data
    a = sii_who(y, pop=pop, scale=100, model=model)
    b = sii_who(y, pop=pop * c, scale=100, model=model)
    assert_allclose(b.value, a.value, rtol=1e-7, atol=1e-9)
    assert_allclose(b.extras["se"], a.extras["se"], rtol=1e-6, atol=1e-12)


@given(data=ordered_data())
def test_property_interval_contains_value_and_widens(data):
    y, pop = data
    for func in (sii_who, rii_who):
        est = func(y, pop=pop, scale=100, confidence=[0.9, 0.99])
        lo90, hi90 = est.intervals[0.9].lower, est.intervals[0.9].upper
        lo99, hi99 = est.intervals[0.99].lower, est.intervals[0.99].upper
        assert (lo99 <= lo90).all() and (lo90 <= est.value).all()
        assert (est.value <= hi90).all() and (hi90 <= hi99).all()


@given(data=ordered_data(), model=st.sampled_from(["logistic", "linear"]))
def test_property_batch_equals_one_by_one(data, model):
    y, pop = data
    for func in (sii_who, rii_who):
        batch = func(y, pop=pop, scale=100, model=model)
        for i in range(y.shape[0]):
            alone = func(y[i], pop=pop[i], scale=100, model=model)
            assert_allclose(batch.value[i], alone.value[0], rtol=1e-10)
            assert_allclose(batch.extras["se"][i], alone.extras["se"][0], rtol=1e-8)


@given(data=ordered_data(n_max=1))
def test_property_sign_follows_the_gradient(data):
    y, pop = data
    rising = np.sort(y[0])
    rising[0] -= 0.5  # strictly below the rest, still >= 0.5
    assert sii_who(rising, pop=pop[0], scale=100).value[0] > 0
    assert rii_who(rising, pop=pop[0], scale=100).value[0] > 1
