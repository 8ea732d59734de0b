"""Who was heard: the interval and the test against published reference values.

Published counts are rounded under the NHS rule, so the published examples (which are not
multiples of 5) are run under a rule that neither suppresses nor rounds; the statistics are the
same functions.
"""

import pandas as pd
import pytest

from focuson.insight.representation import compare
from focuson.stats import DisclosureRule

pytestmark = pytest.mark.oracle

NO_CONTROL = DisclosureRule(suppress_from=1, suppress_to=0, round_to=1, name="none")


def test_ratio_interval_is_wilson_as_newcombe_1998():
    # Newcombe RG. Stat Med 1998;17:857-872, Table II, method 3 (Wilson score): 81 of 263 gives
    # 0.2553 to 0.3662; 15 of 148 gives 0.0624 to 0.1605. The ratio's limits are those over P.
    counts = pd.DataFrame(
        {
            "dimension": ["sex", "sex", "age_band", "age_band"],
            "band": ["F", "M", "a", "b"],
            "count": [81, 182, 15, 133],
        }
    )
    population = pd.DataFrame(
        {
            "dimension": ["sex", "sex", "age_band", "age_band"],
            "band": ["F", "M", "a", "b"],
            "population": [1, 3, 1, 1],
        }
    )
    bands = compare(counts, population, rule=NO_CONTROL).bands.set_index("band")
    assert bands.loc["F", "ratio_lower"] * 0.25 == pytest.approx(0.2553, abs=5e-5)
    assert bands.loc["F", "ratio_upper"] * 0.25 == pytest.approx(0.3662, abs=5e-5)
    assert bands.loc["a", "ratio_lower"] * 0.5 == pytest.approx(0.0624, abs=5e-5)
    assert bands.loc["a", "ratio_upper"] * 0.5 == pytest.approx(0.1605, abs=5e-5)


def test_goodness_of_fit_reproduces_mendels_peas():
    # Mendel's dihybrid cross (1866): 315 round yellow, 108 round green, 101 wrinkled yellow,
    # 32 wrinkled green against 9:3:3:1; the classic Pearson chi-square is 0.470 on 3 df,
    # p = 0.925 (e.g. Fisher 1936, Ann Sci 1:115-137).
    bands = ["RY", "RG", "WY", "WG"]
    counts = pd.DataFrame({"dimension": "pea", "band": bands, "count": [315, 108, 101, 32]})
    population = pd.DataFrame({"dimension": "pea", "band": bands, "population": [9, 3, 3, 1]})
    row = compare(counts, population, rule=NO_CONTROL).dimensions.iloc[0]
    assert row["chi_square"] == pytest.approx(0.470, abs=5e-4)
    assert row["df"] == 3
    assert row["p_value"] == pytest.approx(0.925, abs=5e-4)
