"""WHO SII/RII (healthequal 1.0.1) against the package's tests and reference-page examples.

Sources (WHOequity/healthequal):
- tests/testthat/test-sii.R (commit c44f1ad814eaff8c4f80cbea2b9e000cc821957a) and
  tests/testthat/test-rii.R (commit c7824b8568ceb77641ad4ead6fa9907df5880d43):
  ``set.seed(123); pop <- round(rnorm(5, 100, 40))`` = 78, 91, 162, 103, 105 (R's default
  Mersenne-Twister/inversion stream; rnorm(5) at seed 123 is -0.5605, -0.2302, 1.5587, 0.0705,
  0.1293), est = 20, 30, 40, 50, 60, subgroup_order 1..5, scale 100.
- reference/sii.html and reference/rii.html (pkgdown site of 1.0.1, commits
  e677d293a016fcd8f26f1612bc287ca16a431ec0 and 64d43b09766295ec76c029faa2af37c60e808ae1),
  "example code 2": OrderedSample, printed in full on the same pages (5 wealth quintiles).

healthequal's standard errors come from a forward-difference Jacobian (marginaleffects), so
standard errors and the limits built from them are compared at 1e-5, estimates at 1e-6 (method
notes section 1). The package runs with its own defaults, i.e. focuson's compat mode.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.inequality.sii_who import rii_who, sii_who

pytestmark = pytest.mark.oracle

COMPAT = "healthequal-1.0.1"

# tests/testthat/test-sii.R and test-rii.R data
TEST_POP = [78, 91, 162, 103, 105]
TEST_EST = [20, 30, 40, 50, 60]

# OrderedSample as printed by head(OrderedSample) in reference/sii.html and reference/rii.html
ORDERED_EST = [75.60530, 91.01997, 96.03959, 97.04223, 99.22405]
ORDERED_POP = [2072.436, 2112.204, 1983.059, 2052.124, 1884.510]


def test_sii_testthat() -> None:
    # tests/testthat/test-sii.R: sii(pop, est, subgroup_order, scaleval = 100)
    # expected_sii 44.44502, expected_se 0.02190822, lowerci 40.15109, upperci 48.73895
    est = sii_who(TEST_EST, pop=TEST_POP, scale=100, compat=COMPAT)
    assert_allclose(est.value, [44.44502], rtol=1e-6)
    assert_allclose(est.extras["se"], [0.02190822], rtol=1e-5)
    assert_allclose(est.lower, [40.15109], rtol=1e-5)
    assert_allclose(est.upper, [48.73895], rtol=1e-5)


def test_sii_testthat_with_scale_guessed_from_the_data() -> None:
    # Same test: with scaleval absent healthequal guesses 100 from est in (1, 100] (R/sii.R).
    est = sii_who(TEST_EST, pop=TEST_POP, compat=COMPAT)
    assert_allclose(est.value, [44.44502], rtol=1e-6)
    assert_allclose(est.extras["scale"], [100.0])


def test_rii_testthat() -> None:
    # tests/testthat/test-rii.R: rii(pop, est, subgroup_order)
    # expected_rii 3.159506, expected_se 0.07644001, lowerci 2.719902, upperci 3.67016
    est = rii_who(TEST_EST, pop=TEST_POP, compat=COMPAT)
    assert_allclose(est.value, [3.159506], rtol=1e-6)
    assert_allclose(est.extras["se"], [0.07644001], rtol=1e-5)
    assert_allclose(est.lower, [2.719902], rtol=1e-5)
    assert_allclose(est.upper, [3.67016], rtol=1e-5)


def test_sii_reference_page_ordered_sample() -> None:
    # reference/sii.html, example code 2: sii(est = estimate, subgroup_order, pop = population)
    # measure sii, estimate 31.61763, se 0.03009635, lowerci 25.71885, upperci 37.51641
    est = sii_who(ORDERED_EST, pop=ORDERED_POP, compat=COMPAT)
    assert_allclose(est.value, [31.61763], rtol=1e-6)
    assert_allclose(est.extras["se"], [0.03009635], rtol=1e-5)
    assert_allclose(est.lower, [25.71885], rtol=1e-5)
    assert_allclose(est.upper, [37.51641], rtol=1e-5)


def test_rii_reference_page_ordered_sample() -> None:
    # reference/rii.html, example code 2: rii(est = estimate, subgroup_order, pop = population)
    # measure rii, estimate 1.466089, se 0.04372912, lowerci 1.345669, upperci 1.597286
    est = rii_who(ORDERED_EST, pop=ORDERED_POP, compat=COMPAT)
    assert_allclose(est.value, [1.466089], rtol=1e-6)
    assert_allclose(est.extras["se"], [0.04372912], rtol=1e-5)
    assert_allclose(est.lower, [1.345669], rtol=1e-5)
    assert_allclose(est.upper, [1.597286], rtol=1e-5)


def test_all_four_examples_in_one_batch() -> None:
    # The four published cases above, as two settings x 5 subgroups in one call.
    y = np.array([TEST_EST, ORDERED_EST], dtype=float)
    pop = np.array([TEST_POP, ORDERED_POP])
    sii = sii_who(y, pop=pop, compat=COMPAT)
    rii = rii_who(y, pop=pop, compat=COMPAT)
    assert_allclose(sii.value, [44.44502, 31.61763], rtol=1e-6)
    assert_allclose(rii.value, [3.159506, 1.466089], rtol=1e-6)
    assert_allclose(sii.extras["se"], [0.02190822, 0.03009635], rtol=1e-5)
    assert_allclose(rii.extras["se"], [0.07644001, 0.04372912], rtol=1e-5)


@pytest.mark.parametrize(
    ("y", "pop"),
    [
        (TEST_EST, TEST_POP),
        (ORDERED_EST, ORDERED_POP),
        ([13.0, 9.5, 14.0, 12.0, 20.0], [5, 0, 7, 2, 9]),
    ],
)
@pytest.mark.parametrize("compat", [None, COMPAT])
def test_linear_sii_is_the_wls_slope_on_ridit_ranks(
    y: list[float], pop: list[float], compat: str | None
) -> None:
    # Cross-check (method notes section 5, linear model; section 7: NE&Y's new SII with England
    # as the local area): the linear SII is the slope of a WLS of y on the ridit rank, weights
    # pop, and the linear RII is (b0 + b1) / b0. Computed here independently with lstsq.
    yy = np.asarray(y, dtype=float)
    n = np.ceil(np.asarray(pop, dtype=float)) if compat else np.asarray(pop, dtype=float)
    cum = np.cumsum(n)
    rank = (cum - n / 2) / n.sum()
    sw = np.sqrt(n)
    design = np.column_stack([sw, sw * rank])
    (b0, b1), *_ = np.linalg.lstsq(design, sw * yy, rcond=None)
    sii = sii_who(y, pop=pop, model="linear", compat=compat)
    rii = rii_who(y, pop=pop, model="linear", compat=compat)
    assert_allclose(sii.value, [b1], rtol=1e-10)
    assert_allclose(rii.value, [(b0 + b1) / b0], rtol=1e-10)
