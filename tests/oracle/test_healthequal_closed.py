"""Agreement with healthequal 1.0.1's own expected values (WHOequity/healthequal).

Sources, all in the GitHub repository WHOequity/healthequal:

- ``tests/testthat/test-*.R`` at commit c7824b8568ceb77641ad4ead6fa9907df5880d43 (test-paf-
  nonordered.R and test-par-nonordered.R at 2eeeb8dcf1c35469e2f8728f4f5246c538ea6034). Their
  inputs are drawn with R's default generator (Mersenne-Twister, Inversion) after set.seed(123):
  ``pop <- round(rnorm(5, 100, 40))`` for the ordered tests, and
  ``pop <- round(rnorm(25, 1000, 300)); est <- rbinom(25, 1000, .065); se <- rbinom(25, 100,
  .045)`` for the non-ordered ones. focuson has no R; the draws below were regenerated with an
  independent re-implementation of R's seeding, Mersenne-Twister, inversion normal and binomial
  generators, and are written out as literals. The package's expected BGV (estimate and se, to
  8 significant digits) and PAF/PAR values then reproduce, which confirms the draws.
- pkgdown example output (``reference/*.html`` at commit 13ac74b0fae5c79b59f3b7b3c50efd6d4ea4ee8d),
  computed by the package on its ``OrderedSample`` data, whose five rows are printed in full in
  ``reference/OrderedSample.html`` (same commit) to 7 significant digits.

Tolerances: rtol=1e-6 unless a comment says otherwise. Where the package's own expected value
is not reproduced by its own formula to 1e-6 (it was recorded with fewer digits or from another
implementation), the tolerance is the smallest that passes, always inside the tolerance of the
package's own test, and the comment says so.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from focuson.stats.inequality.attributable import paf, par
from focuson.stats.inequality.concentration import aci, rci
from focuson.stats.inequality.difference_ratio import difference, ratio
from focuson.stats.inequality.dispersion_analytic import bgv, mld, ti

pytestmark = pytest.mark.oracle

Z = stats.norm.ppf(0.975)
COMPAT = "healthequal-1.0.1"

# ---- tests/testthat/test-aci.R, test-rci.R, test-paf.R, test-parisk.R (ordered) ---------------
# set.seed(123); pop <- round(rnorm(5, 100, 40)); est <- c(20, 30, 40, 50, 60)
ORD_POP = np.array([78.0, 91.0, 162.0, 103.0, 105.0])
ORD_EST = np.array([20.0, 30.0, 40.0, 50.0, 60.0])

# ---- tests/testthat/test-bgv.R, test-mld.R, test-ti.R, test-paf-nonordered.R,
# test-par-nonordered.R (non-ordered): set.seed(123) then the three draws below -----------------
NON_POP = np.array(
    [832, 931, 1468, 1021, 1039, 1515, 1138, 620, 794, 866, 1367, 1108, 1120,
     1033, 833, 1536, 1149, 410, 1210, 858, 680, 935, 692, 781, 812],
    dtype=float,
)  # fmt: skip
NON_EST = np.array(
    [61, 74, 58, 59, 72, 75, 74, 68, 75, 67, 73, 63, 66, 62, 60, 66, 71, 73, 71, 61, 74, 84, 55,
     69, 60],
    dtype=float,
)  # fmt: skip
NON_SE = np.array(
    [5, 3, 3, 3, 4, 9, 2, 2, 2, 5, 5, 7, 5, 6, 4, 5, 6, 6, 9, 4, 3, 4, 1, 3, 7], dtype=float
)

# ---- WHOequity/healthequal reference/OrderedSample.html (13ac74b): OrderedSample, 5 rows --------
OS_EST = np.array([75.60530, 91.01997, 96.03959, 97.04223, 99.22405])
OS_POP = np.array([2072.436, 2112.204, 1983.059, 2052.124, 1884.510])


def _recorded_with_z_196(expected):
    """Some recorded limits are estimate -/+ 1.96 se, not qnorm(0.975) se: show it."""
    value, se, lower, upper = expected
    assert_allclose([lower, upper], [value - 1.96 * se, value + 1.96 * se], rtol=1e-6)


def _check(est, expected, rtol=1e-6):
    """Compare value, se, lower and upper with the package's (estimate, se, lowerci, upperci)."""
    got = [est.value[0], est.extras["se"][0], est.lower[0], est.upper[0]]
    assert_allclose(got, expected, rtol=rtol)


# ------------------------------------------------------------------------------------------------
# ACI and RCI
# ------------------------------------------------------------------------------------------------


def test_aci_testthat_ordered():
    # WHOequity/healthequal tests/testthat/test-aci.R (c7824b8): expected_aci <- 7.3284202,
    # expected_se <- .29368517, CI = expected_aci -/+ expected_se * qnorm(.975)
    expected = [7.3284202, 0.29368517, 7.3284202 - Z * 0.29368517, 7.3284202 + Z * 0.29368517]
    _check(aci(ORD_EST, ORD_POP), expected)


def test_rci_testthat_ordered():
    # WHOequity/healthequal tests/testthat/test-rci.R (c7824b8): .17776859, .0071240491,
    # 0.16380545, 0.19173172 (the package's test uses tolerance 1e-3). The recorded limits were
    # made with z = 1.96 rather than qnorm(0.975), hence rtol 2e-6 for them.
    expected = [0.17776859, 0.0071240491, 0.16380545, 0.19173172]
    est = rci(ORD_EST, ORD_POP)
    _check(est, expected, rtol=2e-6)
    assert_allclose([est.value[0], est.extras["se"][0]], expected[:2], rtol=1e-6)
    _recorded_with_z_196(expected)


def test_aci_pkgdown_ordered_sample():
    # WHOequity/healthequal reference/aci.html (13ac74b), with(OrderedSample, aci(est, order,
    # pop)): estimate 4.30052, se 1.284031, lowerci 1.783865, upperci 6.817174
    _check(aci(OS_EST, OS_POP), [4.30052, 1.284031, 1.783865, 6.817174])


def test_rci_pkgdown_ordered_sample():
    # WHOequity/healthequal reference/rci.html (13ac74b): estimate 0.0469506, se 0.01401831,
    # lowerci 0.01947522, upperci 0.07442599. The lower limit (a difference of two numbers five
    # times larger) carries the 7-digit rounding of the printed inputs: rtol 2e-6.
    _check(rci(OS_EST, OS_POP), [0.0469506, 0.01401831, 0.01947522, 0.07442599], rtol=2e-6)


# ------------------------------------------------------------------------------------------------
# PAF and PAR
# ------------------------------------------------------------------------------------------------


def test_paf_testthat_ordered_compat():
    # WHOequity/healthequal tests/testthat/test-paf.R (c7824b8): 45.544548, .10689361,
    # 45.335037, 45.75406 (healthequal's interval uses the fraction's se: compat mode)
    expected = [45.544548, 0.10689361, 45.335037, 45.75406]
    est = paf(ORD_EST, ORD_POP, favourable=True, ordered=True, scale=100, compat=COMPAT)
    _check(est, expected)


def test_paf_testthat_ordered_default_scales_se_by_100():
    # same reference values as above: focuson's default se is 100 x the fraction's se
    est = paf(ORD_EST, ORD_POP, favourable=True, ordered=True, scale=100)
    assert_allclose(est.value[0], 45.544548, rtol=1e-6)
    assert_allclose(est.extras["se"][0], 100 * 0.10689361, rtol=1e-6)


def test_par_testthat_ordered():
    # WHOequity/healthequal tests/testthat/test-parisk.R (c7824b8): 18.775509, 4.4066348,
    # 10.138505, 27.412513 (the package's test uses tolerance 1e-2). The recorded limits were
    # made with z = 1.96 rather than qnorm(0.975), hence rtol 2e-5 for them.
    expected = [18.775509, 4.4066348, 10.138505, 27.412513]
    est = par(ORD_EST, ORD_POP, favourable=True, ordered=True, scale=100)
    _check(est, expected, rtol=2e-5)
    assert_allclose([est.value[0], est.extras["se"][0]], expected[:2], rtol=1e-6)
    _recorded_with_z_196(expected)


def test_paf_pkgdown_ordered_sample_compat():
    # WHOequity/healthequal reference/paf.html (13ac74b), with(OrderedSample, paf(...,
    # scaleval = indicator_scale)): 8.327116, 0.003681919, 8.319899, 8.334332
    est = paf(OS_EST, OS_POP, favourable=True, ordered=True, scale=100, compat=COMPAT)
    _check(est, [8.327116, 0.003681919, 8.319899, 8.334332])


def test_par_pkgdown_ordered_sample():
    # WHOequity/healthequal reference/parisk.html (13ac74b): 7.627362, 0.3372516, 6.966361,
    # 8.288363
    est = par(OS_EST, OS_POP, favourable=True, ordered=True, scale=100)
    _check(est, [7.627362, 0.3372516, 6.966361, 8.288363])


def test_paf_testthat_nonordered_compat():
    # WHOequity/healthequal tests/testthat/test-paf-nonordered.R (2eeeb8d): 24.06426,
    # .01771526, 24.029539, 24.098982
    est = paf(NON_EST, NON_POP, favourable=True, ordered=False, scale=100, compat=COMPAT)
    _check(est, [24.06426, 0.01771526, 24.029539, 24.098982])


def test_par_testthat_nonordered():
    # WHOequity/healthequal tests/testthat/test-par-nonordered.R (2eeeb8d): 16.293152,
    # 1.1994447, 13.94224, 18.644063 (the package's test uses tolerance 1e-4). The recorded
    # limits were made with z = 1.96 rather than qnorm(0.975), hence rtol 4e-6 for them.
    expected = [16.293152, 1.1994447, 13.94224, 18.644063]
    est = par(NON_EST, NON_POP, favourable=True, ordered=False, scale=100)
    _check(est, expected, rtol=4e-6)
    assert_allclose([est.value[0], est.extras["se"][0]], expected[:2], rtol=1e-6)
    _recorded_with_z_196(expected)


# ------------------------------------------------------------------------------------------------
# BGV, MLD, TI
# ------------------------------------------------------------------------------------------------


def test_bgv_testthat():
    # WHOequity/healthequal tests/testthat/test-bgv.R (c7824b8): expected_bgv <- 46.198326,
    # expected_se <- 17.134647, CI = estimate -/+ se * qnorm(.975)
    expected = [46.198326, 17.134647, 46.198326 - Z * 17.134647, 46.198326 + Z * 17.134647]
    _check(bgv(NON_EST, NON_SE, NON_POP), expected)


def test_mld_testthat_compat():
    # WHOequity/healthequal tests/testthat/test-mld.R (c7824b8): expected_mld <- 5.0524006,
    # expected_se <- .0014242 (not x 1000: compat), CI = estimate -/+ se * qnorm(.975).
    # The package's test uses tolerance 1e-3; the recorded estimate is 9e-6 (relative) from
    # what the package's formula gives on these inputs, so rtol is 2e-5 here.
    expected = [5.0524006, 0.0014242, 5.0524006 - Z * 0.0014242, 5.0524006 + Z * 0.0014242]
    _check(mld(NON_EST, NON_SE, NON_POP, compat="healthequal-1.0.1"), expected, rtol=2e-5)


def test_ti_testthat_compat():
    # WHOequity/healthequal tests/testthat/test-ti.R (c7824b8): 5.0359201, .0014201, 5.0331367,
    # 5.0387035. The package's test uses tolerance 1e-4; the recorded estimate is 1.2e-5 from
    # its formula on these inputs, so rtol is 2e-5 here (limits recorded with z = 1.96).
    expected = [5.0359201, 0.0014201, 5.0331367, 5.0387035]
    est = ti(NON_EST, NON_SE, NON_POP, compat=COMPAT)
    _check(est, expected, rtol=2e-5)
    assert_allclose(est.extras["se"][0], expected[1], rtol=1e-4)  # se recorded to 5 digits
    _recorded_with_z_196(expected)


def test_mld_ti_default_se_is_1000_times_compat():
    # same reference se values (test-mld.R, test-ti.R): focuson's default se is x 1000
    assert_allclose(mld(NON_EST, NON_SE, NON_POP).extras["se"][0], 1.4242, rtol=1e-4)
    assert_allclose(ti(NON_EST, NON_SE, NON_POP).extras["se"][0], 1.4201, rtol=1e-4)


# ------------------------------------------------------------------------------------------------
# D and R (NonorderedSample, pkgdown reference/d.html and r.html at 13ac74b)
# ------------------------------------------------------------------------------------------------
# Only the first six of NonorderedSample's 34 rows are printed (reference/NonorderedSample.html).
# The reference subgroup (aceh) is printed: estimate 95.11784, se 1.5384434. The subgroup
# compared with it is the lowest other estimate; its estimate and se are recovered from the
# published D (30.92258, se 7.217724), and agree with summary(NonorderedSample)'s Min. 64.20.
# Those two subgroups, the printed rows 2-6, and the published R then check focuson's R, and
# the published D interval checks D's interval.
ACEH = (95.11784, 1.5384434)
LOWEST = (95.11784 - 30.92258, float(np.sqrt(7.217724**2 - 1.5384434**2)))
NO_EST = np.array([ACEH[0], 100.0, 97.41001, 80.35694, 94.25756, 98.56168, LOWEST[0]])
NO_SE = np.array([ACEH[1], 0.0, 1.2676437, 3.5440531, 2.7740061, 0.6476116, LOWEST[1]])


def test_lowest_subgroup_matches_printed_minimum():
    # reference/NonorderedSample.html (13ac74b): summary() Min. estimate 64.20
    assert round(LOWEST[0], 2) == 64.20


def test_d_pkgdown_nonordered_sample_interval():
    # reference/d.html (13ac74b): d 30.92258 se 7.217724 lowerci 16.7761 upperci 45.06906
    est = difference(NO_EST, NO_SE, favourable=True, ordered=False, reference=0)
    _check(est, [30.92258, 7.217724, 16.7761, 45.06906])


def test_r_pkgdown_nonordered_sample():
    # reference/r.html (13ac74b): r 1.481696 se 0.1110345 lowerci 1.191918 upperci 1.841924
    est = ratio(NO_EST, NO_SE, favourable=True, ordered=False, reference=0)
    _check(est, [1.481696, 0.1110345, 1.191918, 1.841924])
