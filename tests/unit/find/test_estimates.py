"""Estimates per row of the AGGREGATES frame: the statistics core, one call per statistic."""

import numpy as np
import pandas as pd
import pytest

from focuson.find import estimate
from focuson.stats import ESP2013, dsr, mean, proportion, rate

IND = pd.DataFrame(
    {
        "id": ["p", "r", "m", "d"],
        "statistic": ["proportion", "rate", "mean", "dsr"],
        "multiplier": [100.0, 100_000.0, 1.0, 100_000.0],
    }
)


def aggregates_frame(indicator, period, dimension, groups, numerators, denominators, **extra):
    return pd.DataFrame(
        {
            "indicator": indicator,
            "period": period,
            "dimension": dimension,
            "group": list(groups),
            "band": -1,
            "numerator": np.asarray(numerators, dtype=float),
            "denominator": np.asarray(denominators, dtype=float),
            **extra,
        }
    )


def test_estimate_proportion_rows_match_the_statistics_core():
    agg = aggregates_frame("p", "2024-03", "sex", ["F", "M"], [45, 30], [90, 120])
    out = estimate(agg, IND)
    expected = proportion([45, 30], [90, 120], multiplier=100)
    np.testing.assert_allclose(out["value"], expected.value)
    np.testing.assert_allclose(out["lower"], expected.lower)
    np.testing.assert_allclose(out["upper"], expected.upper)
    np.testing.assert_allclose(out["se"], 100 * np.sqrt([0.5 * 0.5 / 90, 0.25 * 0.75 / 120]))


def test_estimate_rate_rows_use_the_multiplier():
    agg = aggregates_frame("r", "2024-03", "sex", ["F", "M"], [5, 150], [10_000, 20_000])
    out = estimate(agg, IND)
    expected = rate([5, 150], [10_000, 20_000], multiplier=100_000)
    np.testing.assert_allclose(out["value"], [50.0, 750.0])
    np.testing.assert_allclose(out["lower"], expected.lower)
    np.testing.assert_allclose(out["upper"], expected.upper)
    np.testing.assert_allclose(out["se"], np.sqrt([5, 150]) / [10_000, 20_000] * 100_000)


def test_estimate_mean_takes_the_sd_from_the_sum_of_squares():
    values = np.array([[120.0, 130.0, 150.0], [140.0, 141.0, 160.0]])
    agg = aggregates_frame(
        "m",
        "2024-03",
        "sex",
        ["F", "M"],
        values.sum(axis=1),
        [3, 3],
        sum_sq=(values**2).sum(axis=1),
    )
    out = estimate(agg, IND)
    sd = values.std(axis=1, ddof=1)
    expected = mean(values.sum(axis=1), [3, 3], sd)
    np.testing.assert_allclose(out["value"], values.mean(axis=1))
    np.testing.assert_allclose(out["sd"], sd)
    np.testing.assert_allclose(out["lower"], expected.lower)
    np.testing.assert_allclose(out["se"], sd / np.sqrt(3))


def test_estimate_dsr_band_rows_become_one_row_per_group():
    rng = np.random.default_rng(1)
    pop = rng.integers(500, 2000, size=(2, 19)).astype(float)
    events = rng.integers(0, 40, size=(2, 19)).astype(float)
    agg = pd.DataFrame(
        {
            "indicator": "d",
            "period": "2024-03",
            "dimension": "sex",
            "group": np.repeat(["F", "M"], 19),
            "band": np.tile(np.arange(19), 2),
            "numerator": events.ravel(),
            "denominator": pop.ravel(),
        }
    )
    out = estimate(agg, IND)
    assert out["group"].tolist() == ["F", "M"]
    w = np.tile(np.asarray(ESP2013.weights), 2)
    expected = dsr(events.ravel(), pop.ravel(), w, np.repeat([0, 1], 19))
    np.testing.assert_allclose(out["value"], expected.value)
    np.testing.assert_allclose(out["lower"], expected.lower)
    np.testing.assert_allclose(out["numerator"], events.sum(axis=1))
    np.testing.assert_allclose(out["denominator"], pop.sum(axis=1))
    # Dobson variance: sum(x w^2 / n^2) / (sum w)^2, times the multiplier squared.
    wb = np.asarray(ESP2013.weights)
    var = (events * (wb / pop) ** 2).sum(axis=1) / wb.sum() ** 2
    np.testing.assert_allclose(out["se"], np.sqrt(var) * 100_000)


def test_estimate_zero_denominator_is_na_with_a_reason():
    agg = aggregates_frame("p", "2024-03", "sex", ["F", "M"], [0, 3], [0, 10])
    out = estimate(agg, IND)
    assert np.isnan(out["value"][0]) and np.isnan(out["se"][0])
    assert out["reason"][0] == "denominator is zero"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.drop(columns="band"), "missing columns band"),
        (lambda a: a.assign(indicator="nope"), "not in the catalogue: nope"),
        (lambda a: a.assign(band=3), "band rows"),
    ],
)
def test_estimate_refuses_malformed_aggregates(change, message):
    agg = aggregates_frame("p", "2024-03", "sex", ["F"], [1], [2])
    with pytest.raises(ValueError, match=message):
        estimate(change(agg), IND)
