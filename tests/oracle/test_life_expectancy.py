"""Life expectancy against PHEindicatormethods' own test expectations.

Every number below is transcribed from the package's test file
ukhsa-collaboration/PHEindicatormethods tests/testthat/testLifeExpectancy.R at commit
a0e836c8a8bec71dc2563f1d9500875d977891bd (the 2.x version with ``df1_cum`` and
``answer_widecis``). The package checks its own output against these to 4 decimal places.

``answer1`` (the package's ``df1``) comes from the PHE Life Expectancy Calculator, whose limits
use z = 1.96 exactly, while the package (and focuson) use ``qnorm(0.975)`` = 1.959963985: the
limits therefore agree to the package's own 4 dp, and the standard errors agree to 1e-6 once the
z is accounted for. ``answer_widecis`` was produced with z = 1.959964 (6 dp), so its limits agree
to about 1e-7 relative.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.intervals import z_value
from focuson.stats.life_expectancy import STANDARD_AGE_BANDS, life_expectancy

pytestmark = pytest.mark.oracle

# testLifeExpectancy.R, df1 (@a0e836c): one area, 20 standard bands.
POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416,
        46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]  # fmt: skip
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936,
          1937]  # fmt: skip

# testLifeExpectancy.R, answer1 (@a0e836c): value, lowercl, uppercl at ages 0, 1, 5, ..., 90.
ANSWER1_VALUE = [80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088,
                 55.78835987, 50.92752727, 46.06740425, 41.24505636, 36.49322717, 31.83343842,
                 27.26027992, 22.9719144, 18.76856852, 14.95858336, 11.51684445, 8.618849241,
                 6.163942934, 6.16210635]  # fmt: skip
ANSWER1_LOWER = [79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577,
                 55.53801579, 50.68279939, 45.82666794, 41.00842831, 36.26223216, 31.60996318,
                 27.04337271, 22.76653134, 18.57570352, 14.77985004, 11.34831778, 8.451134045,
                 5.978358351, 5.887683386]  # fmt: skip
ANSWER1_UPPER = [80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436,
                 56.03870395, 51.17225516, 46.30814055, 41.48168441, 36.72422219, 32.05691365,
                 27.47718713, 23.17729746, 18.96143352, 15.13731667, 11.68537112, 8.786564437,
                 6.349527517, 6.436529314]  # fmt: skip

# testLifeExpectancy.R, df1_cum (@a0e836c): pops_used and dths_used at each age.
POPS_USED = [787954, 780894, 745835, 698861, 650372, 607153, 568592, 522583, 465375, 403940,
             348339, 298130, 241714, 195303, 155483, 117505, 80466, 47178, 23872,
             11936]  # fmt: skip
DTHS_USED = [9357, 9340, 9331, 9327, 9319, 9299, 9284, 9260, 9227, 9177, 9106, 9006, 8843, 8580,
             8276, 7740, 6868, 5478, 3873, 1937]  # fmt: skip

# The 4 dp the package rounds to before comparing.
PACKAGE_TOLERANCE = 5e-5


def _check_answer1(est):
    assert_allclose(est.value, ANSWER1_VALUE, rtol=1e-6)
    assert_allclose(est.lower, ANSWER1_LOWER, rtol=0, atol=PACKAGE_TOLERANCE)
    assert_allclose(est.upper, ANSWER1_UPPER, rtol=0, atol=PACKAGE_TOLERANCE)


def test_answer1_values_and_limits():
    # test1 / test1.1 (@a0e836c): defaults, and confidence = 95.
    _check_answer1(life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS))
    _check_answer1(life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS, confidence=95))


def test_answer1_standard_errors_to_1e6_with_the_calculators_z():
    # The calculator's limits are value -/+ 1.96 SE: recover our SE and rebuild them.
    est = life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS)
    se = (est.upper - est.lower) / (2 * z_value(0.95))
    assert_allclose(est.value - 1.96 * se, ANSWER1_LOWER, rtol=1e-6)
    assert_allclose(est.value + 1.96 * se, ANSWER1_UPPER, rtol=1e-6)


def test_answer1_with_rows_out_of_order():
    # test2 (@a0e836c): df2 is df1 with the 65-69 row moved to the end.
    order = [*range(14), *range(15, 20), 14]
    est = life_expectancy(
        np.array(DEATHS)[order], np.array(POPS)[order], np.array(STANDARD_AGE_BANDS)[order]
    )
    _check_answer1(est)


def test_answer1_with_text_age_bands_out_of_order():
    # test4 (@a0e836c): df3 has text labels, "70 – 74" (en dash) last; age_contents as text.
    labels = ["0", "1-4", "5-9"] + [f"{a} – {a + 4}" for a in range(10, 90, 5)] + ["90 +"]
    order = [*range(15), *range(16, 20), 15]
    est = life_expectancy(
        np.array(DEATHS)[order],
        np.array(POPS)[order],
        np.array(labels, dtype=object)[order],
        age_contents=labels,
    )
    _check_answer1(est)


def test_answer1_in_a_group_and_single_ages():
    # test3, test5, test6 (@a0e836c): a grouped call, le_age = 5, le_age = c(5, 25).
    _check_answer1(life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS, [0] * 20))
    at5 = life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS, le_age=5)
    assert_allclose(at5.value, [ANSWER1_VALUE[2]], rtol=1e-6)
    at5_25 = life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS, le_age=[5, 25])
    assert_allclose(at5_25.value, [ANSWER1_VALUE[2], ANSWER1_VALUE[6]], rtol=1e-6)
    assert_allclose(at5_25.lower, [ANSWER1_LOWER[2], ANSWER1_LOWER[6]], atol=PACKAGE_TOLERANCE)
    assert_allclose(at5_25.upper, [ANSWER1_UPPER[2], ANSWER1_UPPER[6]], atol=PACKAGE_TOLERANCE)
    # answer2 (@a0e836c): df1_cum rows 3 and 7 for ages 5 and 25.
    assert_allclose(at5_25.extras["pops_used"], [745835, 568592], rtol=1e-12)
    assert_allclose(at5_25.extras["dths_used"], [9331, 9284], rtol=1e-12)


def test_pops_used_and_dths_used():
    est = life_expectancy(DEATHS, POPS, STANDARD_AGE_BANDS)
    assert_allclose(est.extras["pops_used"], POPS_USED, rtol=1e-12)
    assert_allclose(est.extras["dths_used"], DTHS_USED, rtol=1e-12)


# testLifeExpectancy.R, df_widecis_plus (@a0e836c): two areas with the same small population;
# Area 1 has 312 deaths in 90+ (more than its 311 people), so the package drops it to NAs.
WIDE_POPS = [270, 235, 246, 248, 243, 238, 246, 257, 261, 355, 350, 356, 346, 339, 337, 337, 333,
             323, 311, 311]  # fmt: skip
WIDE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 51, 10, 16, 26, 30, 36, 22, 13, 5, 6, 1]

# answer_widecis (@a0e836c), Area 2 (the package lists it first; Area 1's NAs follow).
WIDE_VALUE = [19.22914685, 19.44120610, 18.33467808, 14.67659995, 11.81284556, 11.63815414,
              10.05641628, 9.93152356, 11.95846561] + [np.nan] * 11  # fmt: skip
WIDE_LOWER = [16.43900644, 16.53437505, 15.62922550, 12.08108630, 9.21823373, 8.68414661,
              6.54020385, 4.71570153, 2.37762283, -1.60695210, -10.33328815, -17.16409724,
              -26.91715103, -45.04820928, -76.27067271, -137.12203187, -195.39453664,
              -242.37480291, -266.74198466, -298.54880400]  # fmt: skip
WIDE_UPPER = [22.01928726, 22.34803716, 21.04013066, 17.27211361, 14.40745738, 14.59216167,
              13.57262872, 15.14734559, 21.53930839, 50.29765396, 97.99598549, 107.54413263,
              128.91238524, 181.91668353, 278.06441642, 472.32822039, 649.40455756,
              783.50845564, 841.04259816, 920.54880400]  # fmt: skip


def test_wide_intervals_suppress_the_value_but_keep_the_limits():
    deaths = WIDE_DEATHS * 2
    deaths[19] = 312  # Area 1, 90+
    est = life_expectancy(
        deaths, WIDE_POPS * 2, STANDARD_AGE_BANDS * 2, [0] * 20 + [1] * 20, confidence=[0.95, 0.998]
    )
    area1, area2 = slice(0, 20), slice(20, 40)
    ci95 = est.intervals[0.95]
    assert_allclose(est.value[area2], WIDE_VALUE, rtol=1e-6)
    assert_allclose(ci95.lower[area2], WIDE_LOWER, rtol=1e-6)
    assert_allclose(ci95.upper[area2], WIDE_UPPER, rtol=1e-6)
    # Area 1: every value and limit NA (answer_widecis rows 21-40).
    assert np.isnan(est.value[area1]).all()
    assert np.isnan(ci95.lower[area1]).all() and np.isnan(ci95.upper[area1]).all()
    assert set(est.reason[area1]) == {"more deaths than population in an age band"}
    assert set(est.reason[area2][9:]) == {"95% confidence interval wider than 20 years"}
