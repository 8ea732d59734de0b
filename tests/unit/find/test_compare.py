"""Each group against its reference: differences, ratios and p-values against scipy."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from focuson.find import find
from focuson.find.compare import (
    REST,
    conditional_poisson_p,
    direction,
    reference_estimates,
    two_proportion_p,
    welch_p,
    z_p,
)
from focuson.stats import ESP2013, DisclosureRule


def test_two_proportion_p_equals_the_chi_squared_test_without_correction():
    x1, n1, x2, n2 = [50, 7, 300, 0], [100, 40, 1000, 10], [30, 12, 280, 0], [100, 35, 1000, 20]
    got = two_proportion_p(x1, n1, x2, n2)
    for i in range(3):
        table = [[x1[i], n1[i] - x1[i]], [x2[i], n2[i] - x2[i]]]
        expected = stats.chi2_contingency(table, correction=False).pvalue
        assert got[i] == pytest.approx(expected, rel=1e-10)
    assert got[3] == 1.0  # 0 of 10 against 0 of 20: nothing to test, no difference


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [
        (30, 1000, 10, 1000),
        (10, 1000, 10, 1000),
        (3, 500, 40, 2000),
        (0, 100, 9, 300),
        (120, 50_000, 400, 120_000),
        (7, 10_000, 0, 30_000),
        (55, 9000, 31, 9000),
        (1234, 1e6, 4100, 3e6),
    ],
)
def test_conditional_poisson_p_equals_scipy_binomtest(x1, n1, x2, n2):
    expected = stats.binomtest(int(x1), int(x1 + x2), n1 / (n1 + n2)).pvalue
    assert conditional_poisson_p([x1], [n1], [x2], [n2])[0] == pytest.approx(expected, rel=1e-9)


def test_conditional_poisson_p_is_vectorised_and_one_with_no_events():
    got = conditional_poisson_p([30, 0, 3], [1000, 100, 500], [10, 0, 40], [1000, 100, 2000])
    assert got[1] == 1.0
    assert got[0] == pytest.approx(stats.binomtest(30, 40, 0.5).pvalue, rel=1e-9)


def test_welch_p_equals_scipy():
    expected = stats.ttest_ind_from_stats(140.0, 12.0, 50, 135.0, 15.0, 80, equal_var=False)
    assert welch_p([140.0], [12.0], [50], [135.0], [15.0], [80])[0] == pytest.approx(
        expected.pvalue, rel=1e-10
    )


def test_z_p_is_two_sided_normal():
    assert z_p([-2.0], [1.0])[0] == pytest.approx(2 * stats.norm.sf(2.0))


def test_direction_follows_polarity():
    got = direction(
        [-3.0, 3.0, -3.0, 3.0, 1.0],
        [True, True, True, True, False],
        [True] * 5,
        [True, True, False, False, True],
    )
    assert got.tolist() == ["worse", "better", "better", "worse", "similar"]


def _agg(rows):
    return pd.DataFrame(
        rows,
        columns=["indicator", "period", "dimension", "group", "band", "numerator", "denominator"],
    )


def test_reference_is_least_deprived_for_imd_and_everyone_else_otherwise(frames):
    ind = frames.indicators(("a", "proportion", 100.0, "higher_is_better", np.nan, np.nan))
    agg = _agg(
        [
            ("a", "p", "overall", "All", -1, 300, 600),
            ("a", "p", "imd_quintile", "1", -1, 100, 250),
            ("a", "p", "imd_quintile", "5", -1, 200, 350),
            ("a", "p", "imd_decile", "1", -1, 40, 100),
            ("a", "p", "imd_decile", "10", -1, 90, 150),
            ("a", "p", "sex", "F", -1, 170, 310),
            ("a", "p", "sex", "M", -1, 120, 280),  # 10 people of unknown sex
        ]
    )
    ref = reference_estimates(agg, ind).set_index(["dimension", "group"])
    assert ref.loc[("imd_quintile", "1"), "reference_group"] == "5"
    assert ref.loc[("imd_quintile", "1"), "numerator"] == 200
    assert ref.loc[("imd_decile", "1"), "reference_group"] == "10"
    assert ref.loc[("imd_decile", "1"), "denominator"] == 150
    # Everyone else: the overall minus the group, unknown sex included.
    assert ref.loc[("sex", "F"), "reference_group"] == REST
    assert ref.loc[("sex", "F"), ["numerator", "denominator"]].tolist() == [300 - 170, 600 - 310]
    assert ref.loc[("sex", "M"), "value"] == pytest.approx(100 * (300 - 120) / (600 - 280))
    configured = reference_estimates(agg, ind, reference={"sex": "M", "imd_quintile": REST})
    configured = configured.set_index(["dimension", "group"])
    assert configured.loc[("sex", "F"), "numerator"] == 120
    assert configured.loc[("imd_quintile", "1"), "numerator"] == 200


def test_find_differences_ratios_and_p_values_by_statistic(frames):
    ind = frames.indicators(
        ("prop", "proportion", 100.0, "higher_is_better", np.nan, np.nan),
        ("rate", "rate", 100_000.0, "lower_is_better", np.nan, np.nan),
    )
    agg = _agg(
        [
            ("prop", "p", "overall", "All", -1, 700, 1200),
            ("prop", "p", "sex", "F", -1, 300, 600),
            ("prop", "p", "sex", "M", -1, 400, 600),
            ("rate", "p", "overall", "All", -1, 90, 100_000),
            ("rate", "p", "sex", "F", -1, 60, 50_000),
            ("rate", "p", "sex", "M", -1, 30, 50_000),
        ]
    )
    f = find(agg, ind).findings.set_index(["indicator", "group"])
    female = f.loc[("prop", "F")]
    assert female["reference_value"] == pytest.approx(400 / 600 * 100)
    assert female["difference"] == pytest.approx(50 - 400 / 6)
    assert female["ratio"] == pytest.approx(0.5 / (4 / 6))
    chi = stats.chi2_contingency([[300, 300], [400, 200]], correction=False).pvalue
    assert female["p_value"] == pytest.approx(chi, rel=1e-10)
    assert female["direction"] == "worse"
    rate_f = f.loc[("rate", "F")]
    assert rate_f["difference"] == pytest.approx(120 - 60)
    assert rate_f["p_value"] == pytest.approx(stats.binomtest(60, 90, 0.5).pvalue, rel=1e-9)
    assert rate_f["direction"] == "worse"  # lower is better, and F is higher
    assert f.loc[("rate", "M"), "direction"] == "better"
    # One family: q-values are BH across every test of the run.
    tested = f["p_value"].dropna()
    expected_q = stats.false_discovery_control(tested.to_numpy())
    np.testing.assert_allclose(f.loc[tested.index, "q_value"], expected_q, rtol=1e-12)
    assert (f["significant"] == (f["q_value"] < 0.05)).all()


def test_find_dsr_rows_are_compared_by_z_on_dobson_variances(frames):
    ind = frames.indicators(("adm", "dsr", 100_000.0, "lower_is_better", np.nan, np.nan))
    rng = np.random.default_rng(7)
    pop = rng.integers(2000, 6000, size=(2, 19)).astype(float)
    events = np.vstack([rng.poisson(pop[0] * 0.02), rng.poisson(pop[1] * 0.03)]).astype(float)
    rows = []
    for g, label in enumerate(["F", "M"]):
        for b in range(19):
            rows.append(("adm", "p", "sex", label, b, events[g, b], pop[g, b]))
            if g == 0:
                rows.append(("adm", "p", "overall", "All", b, events[:, b].sum(), pop[:, b].sum()))
    # Counts as they are (no rounding): this checks the statistic, not disclosure control.
    f = find(_agg(rows), ind, rule=DisclosureRule(suppress_to=0, round_to=1)).findings
    f = f.set_index("group")
    w = np.asarray(ESP2013.weights)
    dsr = (events * w / pop).sum(axis=1) / w.sum() * 1e5
    var = (events * (w / pop) ** 2).sum(axis=1) / w.sum() ** 2 * 1e10
    assert f.loc["F", "value"] == pytest.approx(dsr[0])
    assert f.loc["F", "reference_value"] == pytest.approx(dsr[1])  # everyone else = M
    z = (dsr[0] - dsr[1]) / np.sqrt(var.sum())
    assert f.loc["F", "p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    assert f.loc["M", "direction"] == "worse"
    assert f.loc["F", "direction"] == "better"


def test_find_means_use_welch(frames):
    ind = frames.indicators(("sbp", "mean", 1.0, "lower_is_better", np.nan, np.nan))
    a = np.array([150.0, 140.0, 160.0, 155.0, 149.0])
    b = np.array([130.0, 135.0, 128.0, 142.0])
    agg = _agg(
        [
            ("sbp", "p", "overall", "All", -1, a.sum() + b.sum(), 9),
            ("sbp", "p", "sex", "F", -1, a.sum(), 5),
            ("sbp", "p", "sex", "M", -1, b.sum(), 4),
        ]
    ).assign(sum_sq=[(a**2).sum() + (b**2).sum(), (a**2).sum(), (b**2).sum()])
    no_rule = DisclosureRule(suppress_to=0, round_to=1)  # tiny groups, to see every number
    f = find(agg, ind, rule=no_rule).findings.set_index("group")
    assert f.loc["F", "p_value"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert np.isnan(f.loc["F", "excess"])  # no people affected for a mean


def test_reference_estimates_refuse_a_group_larger_than_the_overall(frames):
    ind = frames.indicators(("a", "proportion", 100.0, "higher_is_better", np.nan, np.nan))
    agg = _agg([("a", "p", "overall", "All", -1, 10, 20), ("a", "p", "sex", "F", -1, 12, 30)])
    with pytest.raises(ValueError, match=r"more than the overall count.*a by sex"):
        reference_estimates(agg, ind)
