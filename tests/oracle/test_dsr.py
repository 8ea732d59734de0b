"""Directly standardised rates against numbers published with PHEindicatormethods.

PHEindicatormethods keeps its expected DSRs in an Excel workbook
(tests/testthat/testdata_DSR_ISR.xlsx, sheet testresults_DSR, including the non-independent
events cases), which cannot be read here. The values below are the package's own printed output
in its DSR vignette, at the precision printed (7 significant digits).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.dsr import dsr
from focuson.stats.standard_populations import ESP2013

pytestmark = pytest.mark.oracle

# DSR vignette, section "Calculating DSRs when there are zero deaths in some age bands": pops2 and
# deaths2 joined by age band, so the 10-14, 15-19 and 20-24 bands have NA deaths.
# ukhsa-collaboration/PHEindicatormethods vignettes/DSR-vignette.Rmd
# (commit 093fd288d8f8949dbcfbed70049dbbf385b6141d); output as rendered by the package in
# inst/doc/DSR-vignette.html of the CRAN build mirrored at
# r-hub2/some-psychogenic-africanporcupine-PHEindicatormethods
# (commit 9ba410965ea092796b11ebb9b8a71db6f09be697, PHEindicatormethods 2.0.2.9001, calculate_dsr).
AGEBAND = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
POP = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
DEATHS = {0: 1, 5: 1, 25: 1, 30: 1, 35: 3, 40: 3, 45: 3, 50: 3, 55: 10,
          60: 10, 65: 10, 70: 10, 75: 8, 80: 8, 85: 8, 90: 8}  # fmt: skip


def test_dsr_matches_the_vignette_with_missing_deaths():
    x = [DEATHS.get(age, np.nan) for age in AGEBAND]  # left_join leaves NA, read as 0
    est = dsr(x, POP, ESP2013.weights_for(AGEBAND), np.zeros(19, dtype=int))
    # r-hub2/...-PHEindicatormethods inst/doc/DSR-vignette.html (9ba4109), calculate_dsr output:
    # total_count 88, total_pop 860, value 8283.016, lowercl 6570.819, uppercl 10289.65, 95%.
    assert est.extras["total_count"].tolist() == [88.0]
    assert est.extras["total_pop"].tolist() == [860.0]
    assert_allclose(est.value, [8283.016], rtol=1e-6)
    assert_allclose(est.lower, [6570.819], rtol=1e-6)
    assert_allclose(est.upper, [10289.65], rtol=1e-6)
    assert est.method.tolist() == ["Dobson"]
    assert est.statistic == "dsr per 100000"


def test_dsr_matches_the_2019_phe_dsr_vignette_after_replacing_na_with_zero():
    # The same data in the phe_dsr era (NAs replaced by 0 first, esp2013 by position):
    # ukhsa-collaboration/PHEindicatormethods vignettes/DSR-vignette.html
    # (commit 3426a50f6c800615a1194c492f586af0cbf37ea4) prints value 8283.016,
    # lowercl 6570.819, uppercl 10289.65.
    x = [DEATHS.get(age, 0) for age in AGEBAND]
    est = dsr(x, POP, list(ESP2013.weights), [0] * 19)
    assert_allclose(
        np.r_[est.value, est.lower, est.upper], [8283.016, 6570.819, 10289.65], rtol=1e-6
    )


def test_esp2013_matches_the_package_data():
    # r-hub2/some-psychogenic-africanporcupine-PHEindicatormethods R/data.R (esp2013 @return,
    # commit 9ba410965ea092796b11ebb9b8a71db6f09be697) and dhsc-govuk/PHEindicatormethods
    # data-raw/LoadTestdata.R (commit 57ddf0ecd8aa250ebc4d9c1e7ffd59cd8fab4d6e), "# esp2013":
    # 5000 5500 5500 5500 6000 6000 6500 7000 7000 7000 7000 6500 6000 5500 5000 4000 2500 1500 1000
    assert ESP2013.weights == (5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                               7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000)  # fmt: skip
