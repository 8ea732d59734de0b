"""SII/RII across IMD deciles (NHS England flavour) and BGV/IDISW for non-ordered dimensions."""

import numpy as np
import pandas as pd
import pytest

from focuson.find import non_ordered_gradients, ordered_gradients
from focuson.stats import bgv, idisw


def _deciles(values, pop, indicator="a", period="p"):
    values = np.asarray(values, dtype=float)
    return pd.DataFrame(
        {
            "indicator": indicator,
            "period": period,
            "dimension": "imd_decile",
            "group": [str(d) for d in range(1, 11)],
            "value": values,
            "se": 1.0,
            "lower": values - 2,
            "upper": values + 2,
            "denominator": np.asarray(pop, dtype=float),
        }
    )


def test_sii_is_the_weighted_slope_on_national_ranks_least_minus_most_deprived():
    pop = np.arange(100.0, 200.0, 10)
    values = 50 + 2 * np.arange(10) + np.array([0, 1, -1, 0, 1, 0, -1, 0, 1, 0])
    out = ordered_gradients(_deciles(values, pop)).set_index("measure")
    ranks = (np.arange(10) + 0.5) / 10  # equal national tenths: midpoints
    slope, intercept = np.polyfit(ranks, values, 1, w=np.sqrt(pop))
    assert out.loc["sii", "value"] == pytest.approx(slope, rel=1e-10)
    assert out.loc["sii", "intercept"] == pytest.approx(intercept, rel=1e-10)
    assert out.loc["rii", "value"] == pytest.approx((intercept + slope) / intercept, rel=1e-10)
    assert out.loc["sii", "lower"] < slope < out.loc["sii", "upper"]
    assert "NE&Y" in out.loc["sii", "method"]


def test_sii_uses_the_national_populations_given():
    national = np.array([5, 5, 5, 5, 5, 15, 15, 15, 15, 15], dtype=float)
    values = np.arange(10.0) * 3 + 40
    out = ordered_gradients(_deciles(values, np.full(10, 100.0)), national_imd=national)
    share = national / national.sum()
    ranks = np.cumsum(share) - share / 2
    slope = np.polyfit(ranks, values, 1)[0]
    assert out.loc[out["measure"] == "sii", "value"].iloc[0] == pytest.approx(slope)


def test_sii_is_computed_for_every_setting_in_one_call():
    frames = pd.concat(
        [_deciles(np.arange(10.0) + k, np.full(10, 50.0), period=f"2024-0{k}") for k in (1, 2)]
    )
    out = ordered_gradients(frames)
    assert out["period"].tolist() == ["2024-01", "2024-01", "2024-02", "2024-02"]
    assert out["measure"].tolist() == ["sii", "rii", "sii", "rii"]


def test_non_ordered_measures_match_the_statistics_core_and_skip_not_stated():
    est = pd.DataFrame(
        {
            "indicator": "a",
            "period": "p",
            "dimension": "ethnicity_6",
            "group": ["Asian", "Black", "Mixed", "White", "Not stated / not known"],
            "value": [74.0, 68.0, 78.0, 78.0, 20.0],
            "se": [1.0, 1.5, 2.0, 0.5, 3.0],
            "lower": np.nan,
            "upper": np.nan,
            "denominator": [500.0, 300.0, 100.0, 2000.0, 50.0],
        }
    )
    out = non_ordered_gradients(est, pd.Series({"a": 100.0})).set_index("measure")
    order = [0, 1, 2, 3]  # alphabetical, without "not stated"
    y, se, pop = (est[c].to_numpy()[order] for c in ("value", "se", "denominator"))
    assert out.loc["bgv", "value"] == pytest.approx(bgv(y, se, pop).value[0])
    assert out.loc["idisw", "value"] == pytest.approx(idisw(y, se, pop, scale=100).value[0])
    assert out.loc["idisw", "lower"] < out.loc["idisw", "value"] < out.loc["idisw", "upper"]


def test_non_ordered_measures_need_three_groups():
    est = pd.DataFrame(
        {
            "indicator": "a",
            "period": "p",
            "dimension": "borough",
            "group": ["A", "B"],
            "value": [1.0, 2.0],
            "se": 0.1,
            "lower": np.nan,
            "upper": np.nan,
            "denominator": 10.0,
        }
    )
    out = non_ordered_gradients(est, pd.Series({"a": 100.0}))
    assert out["value"].isna().all()
    assert (out["reason"] == "fewer than three groups with a value").all()
