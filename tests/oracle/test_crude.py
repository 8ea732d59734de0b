"""Proportions, rates and means against published reference values.

PHEindicatormethods keeps its expected values for these functions in Excel workbooks
(tests/testthat/testdata_Proportion.xlsx, testdata_Rate.xlsx, testdata_Mean.xlsx), which we cannot
read here; the values below come from the published worked examples the package's methods cite, at
the precision they were published (so the tolerance is half a unit in the last published place).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats import mean, proportion, rate
from focuson.stats.intervals import exact_lower, exact_upper

pytestmark = pytest.mark.oracle


def test_wilson_matches_newcombe_1998_worked_examples():
    # Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
    # methods. Stat Med 1998;17:857-872, Table II, method 3 (score interval, "Wilson"), 95%.
    x = [81, 15, 0, 1]
    n = [263, 148, 20, 29]
    est = proportion(x, n)
    assert_allclose(est.lower, [0.2553, 0.0624, 0.0, 0.0061], atol=5e-5)
    assert_allclose(est.upper, [0.3662, 0.1605, 0.1611, 0.1718], atol=5e-5)


def test_exact_poisson_limits_match_published_table():
    # Exact 95% limits for a Poisson count (Garwood 1936), as tabulated in Sahai H, Khurshid A.
    # Stat Med 1993;12:1173 and in Documenta Geigy Scientific Tables; 4 dp.
    x = np.array([0.0, 1, 2, 3, 4, 5, 10])
    assert_allclose(
        exact_lower(x, 0.95), [0, 0.0253, 0.2422, 0.6187, 1.0899, 1.6235, 4.7954], atol=5e-5
    )
    assert_allclose(
        exact_upper(x, 0.95), [3.6889, 5.5716, 7.2247, 8.7673, 10.2416, 11.6683, 18.3904], atol=5e-5
    )


def test_rate_uses_exact_limits_below_ten_events():
    # Same table, scaled by the rate: 3 events in 10,000 people per 100,000.
    est = rate([3], [10_000])
    assert_allclose(est.lower, [6.187], atol=5e-4)
    assert_allclose(est.upper, [87.673], atol=5e-4)


def test_mean_matches_r_t_test_on_sleep_data():
    # R, datasets::sleep, example(t.test): t.test(extra ~ 1) and the paired test, which is a
    # one-sample t interval on the differences. R prints 95% CIs 0.5955845 2.4844155 and
    # -2.4598858 -0.7001142 (7 significant digits).
    g1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
    g2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
    both, diff = np.r_[g1, g2], g1 - g2
    est = mean(
        [both.sum(), diff.sum()], [20, 10], [both.std(ddof=1), diff.std(ddof=1)], confidence=0.95
    )
    assert_allclose(est.value, [1.54, -1.58], rtol=1e-12)
    assert_allclose(est.lower, [0.5955845, -2.4598858], rtol=1e-6)
    assert_allclose(est.upper, [2.4844155, -0.7001142], rtol=1e-6)


def test_z_values_match_the_package_constants():
    # indicator-methods.md section 2: z = 1.959964 at 95%, 3.090232 at 99.8% (qnorm in R).
    from focuson.stats.intervals import z_value

    assert_allclose([z_value(0.95), z_value(0.998)], [1.959964, 3.090232], atol=5e-7)
