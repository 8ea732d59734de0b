"""Quantile assignment against the OHID deprivation-category tool's output.

The package's quantile expectations live in tests/testthat/testdata_Quantiles.xlsx (loaded into
R/sysdata by data-raw/LoadTestdata.R), which we cannot read. Its source table is in the same
repository as CSV: ukhsa-collaboration/PHEindicatormethods fd_quantiles.csv at commit
6485d10adc2c940698f6677e33c6eb72055e3325, with each area's ``Value``, ``Polarity``, ``Rank within
Region`` and the ``Tool Output Decile`` (deciles within region from the OHID tool). Below are the
regions that are complete (no missing value) and have at least 10 areas, for two indicators:

* 40501 "Under 75 mortality rate from cancer", Female, "RAG - Low is good": ``invert = TRUE``
  (highest rate in decile 1), as data-raw/LoadTestdata.R maps the polarity.
* 90366 "Life expectancy at birth", Female, "RAG - High is good": ``invert = FALSE``.

Left out, honestly: East Midlands (9 areas: the tool gives deciles 1-9, the package since 2.0.2
gives NA, tested in the unit tests), and London and the South West, where the tool counted the
area with a missing value (City of London, Isles of Scilly) in N and the package does not, so
their tool deciles are not the package's (e.g. Camden, 40501: tool 7, package 8).
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from focuson.stats.quantiles import assign_quantiles

pytestmark = pytest.mark.oracle

# fd_quantiles.csv @6485d10: (Value, Tool Output Decile) per area, in the file's row order.
CANCER_U75_FEMALE = {  # IndicatorID 40501, "RAG - Low is good"
    "E12000001 North East": [
        (118.7460481, 10),
        (131.2778276, 9),
        (137.109864, 8),
        (137.7256526, 7),
        (138.9005229, 6),
        (143.263302, 6),
        (145.5966707, 5),
        (146.6971262, 4),
        (153.6912833, 3),
        (155.763081, 2),
        (157.1222286, 1),
        (171.2170455, 1),
    ],
    "E12000002 North West": [
        (108.0261348, 10),
        (109.3386904, 10),
        (118.8005077, 9),
        (121.5247151, 9),
        (121.8294663, 8),
        (124.0868338, 8),
        (125.4181185, 7),
        (127.8491319, 7),
        (128.5150288, 7),
        (137.5177858, 6),
        (138.8511662, 6),
        (139.8916416, 5),
        (140.9679004, 5),
        (141.7391184, 4),
        (142.224861, 4),
        (142.8628064, 4),
        (144.8567778, 3),
        (146.6575374, 3),
        (150.629246, 2),
        (151.4339467, 2),
        (159.6274193, 1),
        (168.730312, 1),
        (182.0689603, 1),
    ],
    "E12000003 Yorkshire and the Humber": [
        (106.2196367, 10),
        (107.1817199, 9),
        (119.6328067, 9),
        (120.9548578, 8),
        (123.5376538, 7),
        (128.8445743, 7),
        (130.1475636, 6),
        (131.0167116, 5),
        (132.6330397, 5),
        (133.0932415, 4),
        (133.712218, 3),
        (137.7652704, 3),
        (142.4480172, 2),
        (148.1834709, 1),
        (161.9107123, 1),
    ],
    "E12000005 West Midlands": [
        (111.2479733, 10),
        (112.3237581, 9),
        (115.0167074, 8),
        (116.2519168, 8),
        (116.6455279, 7),
        (119.4716513, 6),
        (123.0199794, 6),
        (125.8064622, 5),
        (129.8919075, 4),
        (130.5502616, 3),
        (133.4014926, 3),
        (137.887297, 2),
        (138.801741, 1),
        (149.6581331, 1),
    ],
    "E12000006 East of England": [
        (109.7950495, 10),
        (110.2341843, 9),
        (114.3842772, 8),
        (115.1518276, 7),
        (116.784114, 6),
        (120.6143928, 5),
        (122.9512679, 4),
        (125.3197345, 3),
        (130.3834904, 2),
        (132.2076891, 1),
        (132.4045142, 1),
    ],
    "E12000008 South East": [
        (96.01209215, 10),
        (98.49140482, 9),
        (105.2601587, 9),
        (107.1779299, 8),
        (107.5680787, 8),
        (108.7009049, 7),
        (109.3878843, 7),
        (109.4128134, 6),
        (110.7750693, 6),
        (114.732888, 5),
        (115.3060573, 5),
        (118.0209938, 4),
        (119.9379732, 4),
        (120.144532, 3),
        (121.0294206, 3),
        (126.6495514, 2),
        (127.7282235, 2),
        (143.4834796, 1),
        (146.592577, 1),
    ],
}
LIFE_EXPECTANCY_FEMALE = {  # IndicatorID 90366, "RAG - High is good"
    "E12000001 North East": [
        (79.58215, 1),
        (81.10001, 1),
        (81.25647, 2),
        (81.25743, 3),
        (81.29486, 4),
        (81.32928, 5),
        (81.35759, 6),
        (81.54632, 6),
        (81.68566, 7),
        (82.08973, 8),
        (82.4468, 9),
        (82.63069, 10),
    ],
    "E12000002 North West": [
        (79.4242, 1),
        (79.45611, 1),
        (80.28778, 1),
        (80.28947, 2),
        (80.53352, 2),
        (80.56376, 3),
        (80.5768, 3),
        (80.63567, 4),
        (80.94566, 4),
        (80.95126, 4),
        (80.96779, 5),
        (81.22997, 5),
        (81.37178, 6),
        (81.60301, 6),
        (81.6273, 7),
        (81.89904, 7),
        (82.16335, 7),
        (82.32292, 8),
        (82.79916, 8),
        (82.9572, 9),
        (83.35481, 9),
        (83.72312, 10),
        (83.74114, 10),
    ],
    "E12000003 Yorkshire and the Humber": [
        (80.12789, 1),
        (81.53433, 1),
        (81.54834, 2),
        (81.56481, 3),
        (81.85089, 3),
        (81.91188, 4),
        (82.23396, 5),
        (82.29398, 5),
        (82.34826, 6),
        (82.55837, 7),
        (82.59956, 7),
        (82.6424, 8),
        (83.47444, 9),
        (83.50889, 9),
        (84.23204, 10),
    ],
    "E12000005 West Midlands": [
        (81.15073, 1),
        (81.3349, 1),
        (81.35546, 2),
        (81.90582, 3),
        (81.98873, 3),
        (82.36955, 4),
        (82.37396, 5),
        (82.88867, 6),
        (82.90534, 6),
        (83.5604, 7),
        (83.61302, 8),
        (83.72423, 8),
        (83.77215, 9),
        (84.18899, 10),
    ],
    "E12000006 East of England": [
        (82.15691, 1),
        (82.24794, 1),
        (82.28151, 2),
        (82.92701, 3),
        (83.3606, 4),
        (83.41589, 5),
        (83.73144, 6),
        (84.02901, 7),
        (84.20025, 8),
        (84.21341, 9),
        (84.33809, 10),
    ],
    "E12000008 South East": [
        (82.16885, 1),
        (82.29711, 1),
        (82.69888, 2),
        (82.81213, 2),
        (82.94682, 3),
        (83.17446, 3),
        (83.35818, 4),
        (83.3807, 4),
        (83.95118, 5),
        (84.01993, 5),
        (84.13635, 6),
        (84.38175, 6),
        (84.4947, 7),
        (84.55967, 7),
        (84.5851, 8),
        (84.62122, 8),
        (84.88183, 9),
        (84.95962, 9),
        (85.10595, 10),
    ],
}


def _long(table, invert):
    """Rows of all regions in file order: values, expected deciles, group codes, invert flags."""
    values, deciles, groups = [], [], []
    for code, rows in enumerate(table.values()):
        values += [v for v, _ in rows]
        deciles += [d for _, d in rows]
        groups += [code] * len(rows)
    return np.array(values), np.array(deciles, float), np.array(groups), [invert] * len(values)


@pytest.mark.parametrize(
    ("table", "invert"), [(CANCER_U75_FEMALE, True), (LIFE_EXPECTANCY_FEMALE, False)]
)
def test_within_region_deciles_match_the_tool(table, invert):
    values, deciles, groups, _ = _long(table, invert)
    q = assign_quantiles(values, group=groups, invert=invert)
    assert_array_equal(q.quantile, deciles)
    assert (q.reason == "").all()


def test_both_indicators_in_one_call_with_invert_per_row():
    # The package's "grouped df field" test: groups are indicator x region, and the inversion
    # comes from the polarity of each row's indicator.
    v1, d1, g1, i1 = _long(CANCER_U75_FEMALE, True)
    v2, d2, g2, i2 = _long(LIFE_EXPECTANCY_FEMALE, False)
    q = assign_quantiles(
        np.r_[v1, v2], group=np.r_[g1, g2 + g1.max() + 1], invert=np.array(i1 + i2)
    )
    assert_array_equal(q.quantile, np.r_[d1, d2])


def test_ranks_match_rank_within_region():
    # fd_quantiles.csv "Rank within Region" runs N..1 down each 40501 region (highest rate is
    # rank 1) and 1..N down each 90366 region (lowest life expectancy is rank 1).
    v1, _, g1, _ = _long(CANCER_U75_FEMALE, True)
    q1 = assign_quantiles(v1, group=g1, invert=True)
    v2, _, g2, _ = _long(LIFE_EXPECTANCY_FEMALE, False)
    q2 = assign_quantiles(v2, group=g2, invert=False)
    cases = ((CANCER_U75_FEMALE, q1, True), (LIFE_EXPECTANCY_FEMALE, q2, False))
    for table, q, descending in cases:
        sizes = [len(rows) for rows in table.values()]
        expected = np.concatenate(
            [np.arange(n, 0, -1) if descending else np.arange(1, n + 1) for n in sizes]
        )
        assert_array_equal(q.rank, expected)
