"""Benjamini-Hochberg q-values against R's p.adjust(method = "BH") and the 1995 paper.

Every expected number below is transcribed from a published source, cited next to it:

* BH95: Benjamini Y, Hochberg Y. J R Stat Soc B 1995;57:289-300, section 4 worked example
  (15 p-values from the TAPS thrombolysis trial, Neuhaus et al. 1992). Published decision: at
  q* = 0.05 the FDR procedure rejects the 4 hypotheses with p <= 0.0095, where the Bonferroni
  approach rejects 3. The same example and decisions appear in the scipy docstring of
  ``scipy.stats.false_discovery_control`` (scipy/scipy, scipy/stats/_morestats.py) and in
  statsmodels/statsmodels statsmodels/stats/tests/test_multi.py::test_fdr_bky ("single
  step-up: 4").
* R output of ``p.adjust(p, method = "BH")`` for those 15 p-values, printed to 8 decimals, in
  monarch-initiative/phenol
  phenol-analysis/src/test/java/org/monarchinitiative/phenol/stats/BenjaminiHochbergTest.java
  (commit 0a8620113ac250e492fa955c854e9245192b5146).
* R multtest ``mt.rawp2adjp`` BH column (the same step-up adjustment as p.adjust "BH"), printed
  to full double precision, in statsmodels/statsmodels statsmodels/stats/tests/test_multi.py
  (commit 0123770f843f5d1f20912249ee2510ffad2fbed1): arrays ``res_multtest1``,
  ``res_multtest2``, ``res_multtest3`` and ``res0_large``, column 0 = raw p, column 6 = BH.
* R's own saved example output for ?p.adjust: wch/r-source tests/Examples/stats-Ex.Rout.save
  (commit 0044f6e9d583aec2a826aa51f3354f64a3e63a82), the ``format.pval(digits = 3)`` table of
  p.adj (columns "none" and "BH") and the NA example ``round((pN.a / p.adj)[1:20, ], 4)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.multiple_testing import bh_qvalues

pytestmark = pytest.mark.oracle

# BH95 section 4 example; R input in phenol BenjaminiHochbergTest.java (see module docstring).
BH95_P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
          0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]  # fmt: skip


def test_bh95_published_decisions() -> None:
    # BH95 section 4: at q* = 0.05 the FDR procedure rejects 4 hypotheses (p <= 0.0095) while
    # Bonferroni rejects 3 (scipy false_discovery_control docstring; statsmodels test_fdr_bky).
    q = bh_qvalues(BH95_P)
    assert (q <= 0.05).tolist() == [True] * 4 + [False] * 11
    assert int((np.asarray(BH95_P) * 15 <= 0.05).sum()) == 3


def test_bh95_r_p_adjust_values() -> None:
    # R p.adjust(p, method = "BH"), printed to 8 decimals in monarch-initiative/phenol
    # phenol-analysis/src/test/java/org/monarchinitiative/phenol/stats/BenjaminiHochbergTest.java
    # (commit 0a8620113ac250e492fa955c854e9245192b5146), header comment.
    expected = [0.00150000, 0.00300000, 0.00950000, 0.03562500, 0.06030000, 0.06385714,
                0.06385714, 0.06450000, 0.07650000, 0.48600000, 0.58118182, 0.71487500,
                0.75323077, 0.81321429, 1.00000000]  # fmt: skip
    # 8 printed decimals: the largest printing error is 2.9e-9 on 0.06385714 (relative 4.5e-8).
    assert_allclose(bh_qvalues(BH95_P), expected, rtol=1e-6)


# statsmodels/statsmodels statsmodels/stats/tests/test_multi.py
# (commit 0123770f843f5d1f20912249ee2510ffad2fbed1), R multtest mt.rawp2adjp results.
MULTTEST_CASES = {
    # res_multtest1[:, 0] and res_multtest1[:, 6]
    "res_multtest1": (
        [5.2365677720800003e-05, 2.8140506198000000e-04, 1.4987731079600001e-02,
         2.0273268879800001e-02, 1.7709695272300000e-01, 6.4219392379499995e-01,
         6.8084594763299999e-01, 7.1626938238000004e-01, 8.3854136755300002e-01,
         9.6783382430900000e-01],
        [5.2365677720800005e-04, 1.4070253098999999e-03, 4.9959103598666670e-02,
         5.0683172199499998e-02, 3.5419390544599999e-01, 8.9533672797500008e-01,
         8.9533672797500008e-01, 8.9533672797500008e-01, 9.3171263061444454e-01,
         9.6783382430900000e-01],
    ),
    # res_multtest2 (reshape(6, 10, order="F")): column 0 and column 6
    "res_multtest2": (
        [0.002, 0.004, 0.006, 0.008, 0.01, 0.012],
        [0.012, 0.012, 0.012, 0.012, 0.012, 0.012],
    ),
    # res_multtest3 (reshape(10, 10, order="F")): column 0 and column 6
    "res_multtest3": (
        [0.001, 0.002, 0.003, 0.004, 0.005, 0.05, 0.06, 0.07, 0.08, 0.09],
        [0.01, 0.01, 0.01, 0.01, 0.01, 0.08333333333333334, 0.0857142857142857, 0.0875,
         0.0888888888888889, 0.09],
    ),
    # res0_large (reshape(30, 10, order="F")): column 0 and column 6
    "res0_large": (
        [0.00031612, 0.0003965, 0.00048442, 0.00051932, 0.00101436, 0.00121506,
         0.0014516, 0.00265684, 0.00430043, 0.01743686, 0.02080285, 0.02785414,
         0.0327198, 0.03494679, 0.04206808, 0.08067095, 0.23882767, 0.28352304,
         0.36140401, 0.43565145, 0.44866768, 0.45368782, 0.48282088,
         0.49223781, 0.55451638, 0.6207473, 0.71847853, 0.72424145, 0.85950263,
         0.89032747],
        [0.0038949, 0.0038949, 0.0038949, 0.0038949, 0.0060753, 0.0060753,
         0.006221142857142857, 0.00996315, 0.01433476666666667, 0.05231058,
         0.05673504545454545, 0.06963535, 0.07488597857142856, 0.07488597857142856,
         0.08413616, 0.15125803125, 0.421460594117647, 0.4725384, 0.570637910526316,
         0.6152972625, 0.6152972625, 0.6152972625, 0.6152972625, 0.6152972625,
         0.665419656, 0.7162468846153845, 0.775972982142857, 0.775972982142857,
         0.889140651724138, 0.89032747],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MULTTEST_CASES))
def test_r_multtest_bh_full_precision(case: str) -> None:
    raw, expected = MULTTEST_CASES[case]
    assert_allclose(bh_qvalues(raw), expected, rtol=1e-12)


def test_r_multtest_cases_as_one_batch_of_families() -> None:
    # The same statsmodels/R values, adjusted as rows of one 2-d input (NaN-padded rows).
    width = max(len(raw) for raw, _ in MULTTEST_CASES.values())
    p = np.full((len(MULTTEST_CASES), width), np.nan)
    expected = np.full_like(p, np.nan)
    for row, (raw, bh) in enumerate(MULTTEST_CASES.values()):
        p[row, : len(raw)] = raw
        expected[row, : len(bh)] = bh
    assert_allclose(bh_qvalues(p), expected, rtol=1e-12, equal_nan=True)


# wch/r-source tests/Examples/stats-Ex.Rout.save (commit
# 0044f6e9d583aec2a826aa51f3354f64a3e63a82), example of ?p.adjust:
# noquote(apply(p.adj, 2, format.pval, digits = 3)), columns "none" (the raw p) and "BH".
R_EX_NONE = [
    2.35e-07, 2.10e-05, 2.58e-05, 9.81e-05, 0.000105, 0.000124, 0.000133, 0.000157, 0.000225,
    0.000380, 0.000611, 0.001614, 0.003302, 0.003538, 0.005237, 0.006832, 0.007059, 0.008805,
    0.009401, 0.011298, 0.021150, 0.049227, 0.060533, 0.062622, 0.073952, 0.082811, 0.086333,
    0.119065, 0.189080, 0.205849, 0.220921, 0.285600, 0.304889, 0.466068, 0.483081, 0.492175,
    0.531945, 0.575155, 0.578319, 0.618589, 0.636362, 0.644859, 0.655841, 0.688588, 0.718986,
    0.817954, 0.827449, 0.897130, 0.911868, 0.943789,
]  # fmt: skip
R_EX_BH = [
    1.18e-05, 0.000429, 0.000429, 0.000947, 0.000947, 0.000947, 0.000947, 0.000980, 0.001253,
    0.001898, 0.002780, 0.006725, 0.012637, 0.012637, 0.017457, 0.020762, 0.020762, 0.024459,
    0.024740, 0.028245, 0.050358, 0.111880, 0.130463, 0.130463, 0.147903, 0.159252, 0.159877,
    0.212617, 0.325999, 0.343082, 0.356325, 0.446250, 0.461954, 0.683577, 0.683577, 0.683577,
    0.718845, 0.741435, 0.741435, 0.762606, 0.762606, 0.762606, 0.762606, 0.782487, 0.798874,
    0.880265, 0.880265, 0.930478, 0.930478, 0.943789,
]  # fmt: skip


def test_r_example_output_three_significant_digits() -> None:
    # Both columns are printed with at least 3 significant digits, so inputs and outputs each
    # carry up to 0.5/100 relative rounding; the worst case here (row 1: 2.35e-07 -> 1.18e-05)
    # is bounded by 0.5/235 + 0.5/118 < 7e-3.
    assert len(R_EX_NONE) == len(R_EX_BH) == 50
    assert_allclose(bh_qvalues(R_EX_NONE), R_EX_BH, rtol=7e-3)


def test_r_example_missing_values_shrink_the_family() -> None:
    # Same file: pN[c(46, 47)] <- NA; round((pN.a / p.adj)[1:20, ], 4) prints 0.96 in the BH
    # column for all 20 rows: the 48 non-missing p-values form the family (48 / 50 = 0.96).
    p = np.array(R_EX_NONE)
    p_na = p.copy()
    p_na[[45, 46]] = np.nan
    ratio = bh_qvalues(p_na)[:20] / bh_qvalues(p)[:20]
    assert_allclose(ratio, np.full(20, 0.96), rtol=1e-6)
    assert np.isnan(bh_qvalues(p_na)[[45, 46]]).all()
