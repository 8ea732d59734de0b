"""On the synthetic population, find() recovers the planted RTT gradient by deprivation.

The AGGREGATES frame is built with a plain DuckDB query straight from ``truth.json``, not through
the engine, so this checks the statistics of Find on their own.
"""

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from focuson.data.synthetic import generate
from focuson.find import find, top_findings


@pytest.fixture(scope="module")
def rtt_by_quintile(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, scale=0.05)
    truth = json.loads((out / "truth.json").read_text())
    effect = next(e for e in truth["effects"] if e["id"] == "rtt_18_weeks_by_deprivation")
    with duckdb.connect() as con:
        rows = con.sql(effect["query"].replace("{dir}", str(out))).df()
    return rows, effect


def test_find_recovers_the_planted_rtt_gradient_against_the_least_deprived(rtt_by_quintile):
    rows, effect = rtt_by_quintile
    numerator = np.round(rows["n"] * rows["value"])
    agg = pd.DataFrame(
        {
            "indicator": "rtt_18w",
            "period": "window",
            "dimension": "imd_quintile",
            "group": rows["grp"].astype(str),
            "band": -1,
            "numerator": numerator,
            "denominator": rows["n"].astype(float),
        }
    )
    overall = pd.DataFrame(
        {
            "indicator": ["rtt_18w"],
            "period": "window",
            "dimension": "overall",
            "group": "All",
            "band": -1,
            "numerator": numerator.sum(),
            "denominator": float(rows["n"].sum()),
        }
    )
    indicators = pd.DataFrame(
        {
            "id": ["rtt_18w"],
            "title": ["RTT within 18 weeks"],
            "statistic": ["proportion"],
            "multiplier": [100.0],
            "polarity": ["higher_is_better"],
            "standard": [92.0],
            "target": [np.nan],
            "unit": ["%"],
        }
    )
    f = find(pd.concat([overall, agg]), indicators).findings.set_index("group")
    for q in ("1", "2", "3"):
        row = f.loc[q]
        assert row["reference_group"] == "5"
        # The planted difference lies within reach of the estimate (4 standard errors), and no
        # quintile comes out significantly better than the least deprived.
        planted = 100 * (effect["expected"][q] - effect["expected"]["5"])
        half_width = (row["upper"] - row["lower"]) / 2
        assert abs(row["difference"] - planted) < 4 * half_width * np.sqrt(2), q
        assert not (row["significant"] and row["direction"] == "better"), q
    # Quintile 1 (planted about -6 points, some 5 standard errors at this scale) is always found;
    # quintiles 2 and 3 (-4.5 and -2.8 points) are within chance of the threshold here.
    assert f.loc["1", "significant"] and f.loc["1", "direction"] == "worse"
    top = top_findings(f.reset_index())
    assert "1" in set(top["group"])
