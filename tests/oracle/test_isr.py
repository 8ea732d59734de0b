"""Indirectly standardised ratios and rates against numbers shipped with PHEindicatormethods.

The package's expected ISR outputs live in tests/testthat/testdata_DSR_ISR.xlsx (sheet
testresults_ISR), which cannot be read here. Its ISR reference data are also in the package as a
worked sheet, R/isr_sheet.csv, with the reference rate l_i = refcount / refpop and the expected
count E_i = l_i x pop of every age band, to 9-10 significant digits. Those are the quantities
``calculate_ISRatio`` and ``calculate_ISRate`` sum (E = sum E_i); the ratio and rate follow from
them and the observed count (checked here as arithmetic on the published values).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.isr import isr_rate, isr_ratio

pytestmark = pytest.mark.oracle

# ukhsa-collaboration/PHEindicatormethods R/isr_sheet.csv
# (commit 39a8c9fb74bc43b241336a7a4126e51abb935dc4): obs, pop, refcount, refpop, li, Ei.
# fmt: off
OBS = [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91]
POP = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123,
       207]
REFCOUNT = [10303, 2824, 3225, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745,
            5514, 7125, 5694, 6210, 5757]
REFPOP = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974,
          44140, 40888, 37239, 30819, 18136, 15325, 13918]
LI = [0.203939034, 0.049393945, 0.053559862, 0.066137324, 0.082106213, 0.069621768, 0.060952657,
      0.047654361, 0.048188365, 0.049961235, 0.05107558, 0.069836315, 0.081445401, 0.116048718,
      0.148070571, 0.231188553, 0.313961182, 0.405220228, 0.413637017]
EI = [129.7052257, 27.56182114, 32.61795626, 35.91256701, 31.52878566, 41.35533035, 40.77732735,
      40.17262655, 31.80432121, 28.7776716, 30.95180145, 36.45455637, 34.69574082, 31.68130014,
      44.42117135, 66.58230312, 48.03606087, 49.84208809, 85.62286248]
# fmt: on


def test_expected_count_of_each_band_matches_the_sheet():
    # One group per age band, so each group's expected count is that band's E_i.
    est = isr_ratio(OBS, POP, REFCOUNT, REFPOP, np.arange(19))
    assert_allclose(est.extras["expected"], EI, rtol=1e-6)
    assert est.extras["observed"].tolist() == [float(o) for o in OBS]


def test_reference_rate_of_each_band_matches_the_sheet():
    # calculate_ISRate's ref_rate is sum(x_ref) / sum(n_ref) x multiplier: for one band, l_i.
    est = isr_rate(OBS, POP, REFCOUNT, REFPOP, np.arange(19), multiplier=1)
    assert_allclose(est.extras["ref_rate"], LI, rtol=1e-6)


def test_all_bands_together_give_the_sum_of_the_sheet_and_the_ratio_o_over_e():
    est = isr_ratio(OBS, POP, REFCOUNT, REFPOP, np.zeros(19, dtype=int), refvalue=100)
    expected = sum(EI)
    assert_allclose(est.extras["expected"], [expected], rtol=1e-6)
    assert_allclose(est.value, [sum(OBS) / expected * 100], rtol=1e-6)
    rate = isr_rate(OBS, POP, REFCOUNT, REFPOP, np.zeros(19, dtype=int))
    ref_rate = sum(REFCOUNT) / sum(REFPOP) * 100_000
    assert_allclose(rate.value, [sum(OBS) / expected * ref_rate], rtol=1e-6)
