"""sii_ohid against published PHEindicatormethods (phe_sii) and NHS England NE&Y reference values.

Where the numbers come from
---------------------------
PHEindicatormethods keeps its phe_sii expected outputs in tests/testthat/testdata_SII.xlsx and its
vignette inputs in data/*.rda; neither is readable as text here, so the SII point estimates are
checked against (a) the worked examples printed in the package's own help text and source, (b)
the worked SII/RII examples of the NHS England NE&Y Inequalities Methodologies Document (the SII
and RII are defined identically there: the gap and the ratio between the fitted end points), and
(c) for the Monte Carlo limits, normal theory: the simulated slope is a fixed linear combination
of normal draws, so its exact distribution is known. Tolerance for Monte Carlo limits: 2% of the
interval width at 1e5 repetitions (the package's own tests accept 5% relative, testSII.R
`tol <- 0.05`; the focuson method notes measured at most 1.4% of the width across seeds).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from focuson.stats.inequality.sii_ohid import (
    midpoint_ranks,
    ohid_positions,
    sii_ohid,
    wls_weights,
)

pytestmark = pytest.mark.oracle

# Example data of phe_sii's help page (roxygen @examples):
# ukhsa-collaboration/PHEindicatormethods R/SII_function.R, commit
# 0031e305105d675dae6af8529d6e611eff92faaa (inputs, not expected values).
POP = np.array(
    [
        [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
        [21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312],
    ],
    dtype=float,
)
VALUE = np.array(
    [
        [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3],
        [70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80],
    ]
)
LOWER = np.array(
    [
        [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2],
        [70.1, 71.1, 72, 73.1, 72.7, 75.7, 78.2, 80.1, 80.4, 79.5],
    ]
)
UPPER = np.array(
    [
        [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4],
        [71, 72.1, 73.2, 73.7, 75.8, 78.8, 79.8, 81.2, 81.3, 80.9],
    ]
)
SE = np.array(
    [
        [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57],
        [0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35],
    ]
)
Z975 = float(stats.norm.ppf(0.975))


def test_relative_rank_worked_example() -> None:
    # phe_sii help, section "Calculation" (R/SII_function.R, commit 0031e30 above): "If quantile 1
    # then contains 12 percent of the total population, its relative rank is 0.12/2=0.6 [sic: 0.06].
    # If quantile 2 includes 10 percent of the population, its relative rank is
    # 0.12+(0.10/2)=0.17."
    share = np.array([[0.12, 0.10, 0.08, 0.30, 0.40]])
    ranks = midpoint_ranks(share)[0]
    assert_allclose(ranks[0], 0.06, rtol=1e-6)  # 0.12/2
    assert_allclose(ranks[1], 0.17, rtol=1e-6)  # 0.12 + 0.10/2


def test_order_statistic_positions() -> None:
    # phe_sii reads sorted simulated slopes at round(reps*(1-cv)) and round(reps*cv): "2,500th and
    # 97,500th at 1e5 reps" (focuson method notes indicator-methods.md section 8 item 7, from
    # SimulationFunc in R/utils.R, commit 0031e30, comment "2.5 and 97.5 for 95% confidence").
    assert ohid_positions(100_000, 0.95) == (2500, 97500)


def line_through(y0: float, y1: float, pop: np.ndarray) -> np.ndarray:
    """Decile values on the straight line from y0 (rank 0) to y1 (rank 1) at phe_sii's ranks."""
    share = pop / pop.sum()
    rank = midpoint_ranks(share[np.newaxis, :])[0]
    return y0 + (y1 - y0) * rank


@pytest.mark.parametrize(
    ("y0", "y1", "multiplier", "sii_ref", "rii_ref", "rii_atol"),
    [
        # NE&Y Inequalities Methodologies Document v1 (nhsengland/NEY-Inequalities-Methodologies,
        # 'Inequalities Methodologies Document v1.QMD', commit 2cbc2c2), section 2d: end points
        # 64.62 and 53.65, "SII ... equates to -10.97", "RII ... equates to 0.83" (2 dp).
        (64.62, 53.65, 1, -10.97, 0.83, 0.005),
        # Section 2e: prevalence 10% (most deprived) vs 8%: "SII ... is 2%", "RII ... is 1.25";
        # OHID orients adverse indicators with a negative multiplier (phe_sii help, multiplier).
        (10.0, 8.0, -1, 2.0, 1.25, 0.0),
        # Section 2e: emergency admissions 80 vs 40 per 1,000: "40 per 1,000", "RII ... is 2".
        (80.0, 40.0, -1, 40.0, 2.0, 0.0),
    ],
)
def test_ney_worked_examples_of_sii_and_rii(
    y0: float, y1: float, multiplier: float, sii_ref: float, rii_ref: float, rii_atol: float
) -> None:
    value = line_through(y0, y1, POP[0])
    sii, rii = sii_ohid(
        value, POP[0], se=np.full(10, 0.5), multiplier=multiplier, rii=True, repetitions=1000
    )
    assert_allclose(sii.value[0], sii_ref, rtol=1e-6)
    assert_allclose(rii.value[0], rii_ref, rtol=1e-6, atol=rii_atol)


def test_monte_carlo_limits_match_normal_theory_on_package_example() -> None:
    """value_type 0: slope draws are exactly Normal(c1, sum(w1^2 se^2)); 1e5 reps."""
    est = sii_ohid(VALUE, POP, se=SE, repetitions=100_000, confidence=[0.95, 0.998])
    share = POP / POP.sum(axis=1, keepdims=True)
    _, w1 = wls_weights(share, midpoint_ranks(share))
    sd = np.sqrt((w1**2 * SE**2).sum(axis=1))
    for level in (0.95, 0.998):
        z = stats.norm.ppf(level + (1 - level) / 2)
        width = 2 * z * sd
        assert_allclose(est.intervals[level].lower, est.value - z * sd, atol=0.02 * width.max())
        assert_allclose(est.intervals[level].upper, est.value + z * sd, atol=0.02 * width.max())


def test_limits_or_se_give_the_same_result() -> None:
    # phe_sii help example comment: "Supplying the standard error instead of the indicator 95
    # percent confidence limits gives the same result" (the example's se are rounded to 2 dp).
    from_cls = sii_ohid(VALUE, POP, lower=LOWER, upper=UPPER, repetitions=100_000)
    from_se = sii_ohid(VALUE, POP, se=SE, repetitions=100_000)
    assert_allclose(from_cls.value, from_se.value, rtol=1e-12)
    width = from_se.upper - from_se.lower
    assert_allclose(from_cls.lower, from_se.lower, atol=0.02 * width.max())
    assert_allclose(from_cls.upper, from_se.upper, atol=0.02 * width.max())


def test_transformed_rate_limits_match_normal_theory() -> None:
    """transform=True: slope on the log scale is Normal; limits map back around the midpoint."""
    rate, low, high = VALUE * 10, LOWER * 10, UPPER * 10
    est = sii_ohid(
        rate, POP, lower=low, upper=high, value_type=1, transform=True, repetitions=100_000
    )
    share = POP / POP.sum(axis=1, keepdims=True)
    w0, w1 = wls_weights(share, midpoint_ranks(share))
    se = (np.log(high) - np.log(low)) / Z975 / 2
    c0, c1 = (w0 * np.log(rate)).sum(axis=1), (w1 * np.log(rate)).sum(axis=1)
    sd = np.sqrt((w1**2 * se**2).sum(axis=1))
    mid = c0 + c1 / 2
    lim = [c1 - Z975 * sd, c1 + Z975 * sd]
    lower, upper = (np.exp(mid + s / 2) - np.exp(mid - s / 2) for s in lim)
    width = upper - lower
    assert_allclose(est.lower, lower, atol=0.02 * width.max())
    assert_allclose(est.upper, upper, atol=0.02 * width.max())
