"""find() end to end on hand-made frames, and the ranking of the biggest gaps."""

import numpy as np
import pandas as pd
import pytest

from focuson.find import FINDING_COLUMNS, GRADIENT_COLUMNS, find, top_findings


@pytest.fixture
def result(frames, rtt_indicators):
    agg = pd.concat(
        [
            frames.aggregates(
                "rtt_18w",
                "2024-03",
                "imd_quintile",
                list("12345"),
                [500, 550, 590, 620, 650],
                [1000] * 5,
            ),
            frames.aggregates("rtt_18w", "2024-03", "sex", ["F", "M"], [1460, 1450], [2500, 2500]),
            frames.aggregates(
                "rtt_18w",
                "2024-03",
                "imd_decile",
                [str(d) for d in range(1, 11)],
                [240, 260, 270, 280, 290, 300, 305, 315, 320, 330],
                [500] * 10,
            ),
            frames.aggregates(
                "rtt_52w",
                "2024-03",
                "imd_quintile",
                list("12345"),
                [90, 60, 50, 40, 30],
                [1000] * 5,
            ),
            frames.aggregates(
                "rtt_52w",
                "2024-02",
                "imd_quintile",
                list("12345"),
                [300, 60, 50, 40, 30],
                [1000] * 5,
            ),
        ]
    )
    return find(frames.with_overall(agg), rtt_indicators)


def test_find_returns_every_column_of_the_interface(result):
    assert list(result.findings.columns) == FINDING_COLUMNS
    assert list(result.gradients.columns) == GRADIENT_COLUMNS
    keys = ["indicator", "period", "dimension", "group"]
    assert result.findings[keys].equals(
        result.findings[keys].sort_values(keys).reset_index(drop=True)
    )


def test_find_flags_the_planted_gradient_in_the_right_direction(result):
    f = result.findings.query("indicator == 'rtt_18w' and dimension == 'imd_quintile'")
    f = f.set_index("group")
    assert f.loc[["1", "2", "3"], "direction"].eq("worse").all()
    assert f.loc["1", "excess"] == 150.0
    assert f.loc["5", "reference_group"] == "5" and np.isnan(f.loc["5", "p_value"])
    sex = result.findings.query("indicator == 'rtt_18w' and dimension == 'sex'")
    assert sex["direction"].eq("similar").all()  # 58.4% against 58.0%
    overall = result.findings.query("dimension == 'overall'")
    assert overall["reference_group"].isna().all() and overall["p_value"].isna().all()


def test_find_lower_is_better_indicator_is_worse_when_higher(result):
    f = result.findings.query("indicator == 'rtt_52w' and period == '2024-03'").set_index("group")
    assert f.loc["1", "direction"] == "worse"
    assert f.loc["1", "excess"] == 60.0  # (9% - 3%) x 1,000
    assert f.loc["1", "gap_to_standard"] == pytest.approx(8.0)


def test_find_gradients_hold_sii_rii_per_indicator_and_period(result):
    g = result.gradients.set_index(["indicator", "measure"])
    assert g.loc[("rtt_18w", "sii"), "value"] > 0  # higher (better) among the least deprived
    assert g.loc[("rtt_18w", "sii"), "intercept"] == pytest.approx(49.1, abs=1)


def test_top_findings_ranks_significant_worse_by_excess_in_the_latest_period(result):
    top = top_findings(result.findings)
    assert top["rank"].tolist() == list(range(1, len(top) + 1))
    assert top["excess"].is_monotonic_decreasing
    assert (top["direction"] == "worse").all() and top["significant"].all()
    assert "2024-02" not in set(top["period"])  # the older, bigger 52-week gap is not counted
    # over every period, each gap once, in the latest month it was significantly worse
    every = top_findings(result.findings, n=10, period=None)
    assert not every.duplicated(["indicator", "dimension", "group"]).any()
    q1 = every.query("indicator == 'rtt_52w' and dimension == 'imd_quintile' and group == '1'")
    assert q1["period"].tolist() == ["2024-03"]
    assert q1["change"].tolist() == ["narrower than in 2024-02"]  # 27 points then, 6 now


def test_top_findings_leaves_out_suppressed_rows():
    f = pd.DataFrame(
        {
            "indicator": "a",
            "period": "p",
            "dimension": "sex",
            "group": ["F", "M"],
            "significant": [True, True],
            "direction": ["worse", "worse"],
            "suppressed": [True, False],
            "excess": [np.nan, 5.0],
            "q_value": [np.nan, 0.01],
        }
    )
    assert top_findings(f)["group"].tolist() == ["M"]


def test_find_refuses_bad_polarity_and_alpha(frames):
    ind = frames.indicators(("a", "proportion", 100.0, "up", np.nan, np.nan))
    agg = frames.aggregates("a", "p", "sex", ["F"], [1], [2])
    with pytest.raises(ValueError, match="unknown polarity up"):
        find(agg, ind)
    with pytest.raises(ValueError, match="alpha"):
        find(agg, ind.assign(polarity="higher_is_better"), alpha=1.5)


def test_find_dsr_indicator_end_to_end(frames):
    ind = frames.indicators(("adm", "dsr", 100_000.0, "lower_is_better", np.nan, np.nan))
    rng = np.random.default_rng(3)
    rows = []
    for q, risk in zip("12345", [0.05, 0.03, 0.03, 0.03, 0.03], strict=True):
        pop = rng.integers(3000, 5000, 19).astype(float)
        events = rng.poisson(pop * risk).astype(float)
        rows.append(
            pd.DataFrame(
                {
                    "indicator": "adm",
                    "period": "2024-03",
                    "dimension": "imd_quintile",
                    "group": q,
                    "band": range(19),
                    "numerator": events,
                    "denominator": pop,
                }
            )
        )
    agg = frames.with_overall(pd.concat(rows, ignore_index=True))
    res = find(agg, ind)
    f = res.findings.set_index("group")
    assert f.loc["1", "direction"] == "worse"
    assert f.loc["1", "value"] == pytest.approx(5000, rel=0.1)
    assert f.loc["1", "test"].startswith("z-test on the DSR")
    assert len(f) == 6  # one row per group, not per band


def test_top_findings_list_a_group_two_breakdowns_share_once():
    # "Black" is the same people in the 5 and the 6 ethnic groups; decile 2 is other people.
    f = pd.DataFrame(
        {
            "indicator": "a",
            "period": "p",
            "dimension": ["ethnicity_5", "ethnicity_6", "imd_decile", "imd_quintile"],
            "group": ["Black", "Black", "2", "2"],
            "numerator": [40.0, 40.0, 40.0, 90.0],
            "denominator": [100.0, 100.0, 100.0, 200.0],
            "significant": True,
            "direction": "worse",
            "suppressed": False,
            "excess": [30.0, 30.0, 20.0, 25.0],
            "q_value": 0.01,
        }
    )
    top = top_findings(f)
    assert top[["dimension", "group"]].values.tolist() == [
        ["ethnicity_5", "Black"],
        ["imd_quintile", "2"],
        ["imd_decile", "2"],
    ]
    assert top["rank"].tolist() == [1, 2, 3]
