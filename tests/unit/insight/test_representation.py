"""Who was heard compared with who is affected: hand-worked ratios, disclosure, errors."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import Bounds, LinearConstraint, milp

from focuson.insight.disclosure import suppression
from focuson.insight.representation import compare, count_participants
from focuson.stats import NHS_RULE

Z = 1.959963984540054


def _wilson_upper(x, n):
    # Wilson (1927), written out by hand: (x + z^2/2 + z sqrt(x(n-x)/n + z^2/4)) / (n + z^2).
    return (x + Z**2 / 2 + Z * math.sqrt(x * (n - x) / n + Z**2 / 4)) / (n + Z**2)


def _wilson_lower(x, n):
    return (x + Z**2 / 2 - Z * math.sqrt(x * (n - x) / n + Z**2 / 4)) / (n + Z**2)


def _ethnic():
    counts = pd.DataFrame(
        {"dimension": "ethnic_group", "band": ["A", "B", "C", None], "count": [50, 30, 0, 20]}
    )
    population = pd.DataFrame(
        {"dimension": "ethnic_group", "band": ["A", "B", "C"], "population": [600, 300, 100]}
    )
    return counts, population


def test_representation_ratios_match_hand_worked_values():
    counts, population = _ethnic()
    out = compare(counts, population, labels={"ethnic_group": {"C": "Bangladeshi"}})
    bands = out.bands.set_index("band")
    # Known = 100 - 20 = 80: p = 50/80, 30/80, 0/80 against P = 0.6, 0.3, 0.1.
    assert_allclose(bands["share"], [0.625, 0.375, 0.0])
    assert_allclose(bands["population_share"], [0.6, 0.3, 0.1])
    assert_allclose(bands["ratio"], [0.625 / 0.6, 0.375 / 0.3, 0.0])
    assert_allclose(bands.loc["A", "ratio_lower"], _wilson_lower(50, 80) / 0.6, rtol=1e-12)
    assert_allclose(bands.loc["A", "ratio_upper"], _wilson_upper(50, 80) / 0.6, rtol=1e-12)
    # Nobody from C: upper limit z^2 / (80 + z^2) = 0.0458, over 0.1 = 0.458 < 0.5.
    assert_allclose(bands.loc["C", "ratio_upper"], Z**2 / (80 + Z**2) / 0.1, rtol=1e-12)
    assert bands["not_yet_heard"].tolist() == [False, False, True]
    assert out.not_yet_heard() == "Not yet heard: Bangladeshi (ethnic group)."
    dims = out.dimensions.iloc[0]
    assert (dims["participants"], dims["not_stated"], dims["known"]) == (100, 20, 80)
    assert dims["not_yet_heard"] == "Bangladeshi"


def test_goodness_of_fit_matches_hand_worked_chi_square():
    counts, population = _ethnic()
    dims = compare(counts, population).dimensions.iloc[0]
    # Observed 50, 30, 0 against expected 48, 24, 8.
    chi2 = 2**2 / 48 + 6**2 / 24 + 8**2 / 8
    assert_allclose(dims["chi_square"], chi2, rtol=1e-12)
    assert dims["df"] == 2
    assert_allclose(dims["p_value"], math.exp(-chi2 / 2), rtol=1e-10)  # chi-square on 2 df


def test_statistics_use_the_published_rounded_counts():
    counts = pd.DataFrame({"dimension": "sex", "band": ["F", "M"], "count": [23, 77]})
    population = pd.DataFrame({"dimension": "sex", "band": ["F", "M"], "population": [50, 50]})
    bands = compare(counts, population).bands
    # 23 and 77 publish as 25 and 75 (of 100): the ratio is 25/100 / 0.5.
    assert bands["participants"].tolist() == [25.0, 75.0]
    assert_allclose(bands["ratio"], [0.5, 1.5])


def test_small_band_is_suppressed_with_its_protector_and_has_no_ratio():
    counts = pd.DataFrame({"dimension": "sex", "band": ["F", "M"], "count": [3, 90]})
    population = pd.DataFrame({"dimension": "sex", "band": ["F", "M"], "population": [50, 50]})
    out = compare(counts, population)
    bands = out.bands
    # 3 beside 90 and a total of 93 would be 1-5: the 90 is hidden too.
    assert bands["flag"].tolist() == ["suppressed", "suppressed"]
    assert bands["ratio"].isna().all()
    assert bands["participants"].isna().all()
    assert (bands["reason"] == "suppressed (small numbers)").all()
    assert not bands["not_yet_heard"].any()  # the published figures cannot tell
    assert out.not_yet_heard() == (
        "No group is clearly heard less than half as often as its share of those affected. "
        "2 groups could not be assessed (too few participants, or the population not published)."
    )


def test_suppressed_band_not_yet_heard_when_every_published_reading_says_so():
    bands = ["A", "B", "C", "D"]
    counts = pd.DataFrame({"dimension": "ethnic_group", "band": bands, "count": [2, 300, 200, 100]})
    population = pd.DataFrame(
        {"dimension": "ethnic_group", "band": bands, "population": [400, 200, 200, 200]}
    )
    out = compare(counts, population).bands.set_index("band")
    assert out.loc["A", "flag"] == "suppressed"
    # A is at most 2 + 2 + 2 + 2 = 8 or so of 600 against 40% of the population: not heard.
    assert out.loc["A", "not_yet_heard"]
    assert np.isnan(out.loc["A", "ratio"])


def test_count_participants_treats_prefer_not_to_say_as_not_stated():
    people = pd.DataFrame(
        {"sex": ["F", "M", "Prefer not to say", None], "age_band": ["18-64", "", "65-79", "65-79"]}
    )
    counts = count_participants(people, ["sex", "age_band"])
    not_stated = counts[counts["band"].isna()].set_index("dimension")["count"]
    assert not_stated.to_dict() == {"sex": 2, "age_band": 1}


def test_band_outside_the_affected_population_is_a_clear_error():
    counts = pd.DataFrame({"dimension": "borough", "band": ["Brent", "Kent"], "count": [10, 10]})
    population = pd.DataFrame({"dimension": "borough", "band": ["Brent"], "population": [100]})
    with pytest.raises(ValueError, match=r"borough 'Kent'.*map them to the finding's codes"):
        compare(counts, population)


def test_dimension_outside_the_population_and_bad_counts_are_errors():
    _, population = _ethnic()
    with pytest.raises(ValueError, match="no dimension language"):
        compare(pd.DataFrame({"dimension": ["language"], "band": ["en"], "count": [3]}), population)
    with pytest.raises(ValueError, match="whole numbers"):
        compare(
            pd.DataFrame({"dimension": ["ethnic_group"], "band": ["A"], "count": [2.5]}), population
        )
    with pytest.raises(ValueError, match="missing column count"):
        compare(pd.DataFrame({"dimension": ["ethnic_group"], "band": ["A"]}), population)


def _attacker_range(line, suppressed, cell, rule=NHS_RULE):
    """Smallest and largest whole value of one suppressed cell, from the total and the rest."""
    step = rule.round_to
    published = rule.round(line)
    c = len(line)
    lo = np.zeros(c)
    hi = np.full(c, line.sum())
    for j in np.flatnonzero(~suppressed):
        ok = [
            v
            for v in range(int(published[j]) - step, int(published[j]) + step + 1)
            if v >= 0 and rule.round([v])[0] == published[j] and not rule.suppresses([v])[0]
        ]
        lo[j], hi[j] = min(ok), max(ok)
    objective = np.zeros(c)
    objective[cell] = 1
    total = LinearConstraint(np.ones((1, c)), line.sum(), line.sum())
    bounds = Bounds(lo, hi)
    low = milp(objective, constraints=total, bounds=bounds, integrality=np.ones(c))
    high = milp(-objective, constraints=total, bounds=bounds, integrality=np.ones(c))
    return round(low.fun), round(-high.fun)


def test_no_suppressed_small_count_can_be_narrowed_from_the_total():
    rng = np.random.default_rng(15)
    lines = rng.integers(0, 40, size=(300, 5)).astype(float)
    # About a quarter of the counts small (1-7), the rest 0-39.
    lines = np.where(rng.random(lines.shape) < 0.25, rng.integers(1, 8, size=lines.shape), lines)
    exists = np.ones(lines.shape, dtype=bool)
    S = suppression(lines, exists)
    checked = 0
    for line, hidden in zip(lines, S, strict=True):
        if NHS_RULE.suppresses([line.sum()])[0]:
            continue
        for cell in np.flatnonzero(hidden & NHS_RULE.suppresses(line)):
            low, high = _attacker_range(line, hidden, cell)
            assert low <= 1 and high >= 7, (line, hidden, cell, low, high)
            checked += 1
    assert checked > 100


def test_count_participants_with_numeric_and_text_bands():
    people = pd.DataFrame({"imd_quintile": [1, 5, 1, None], "sex": ["F", "M", "F", "F"]})
    counts = count_participants(people, ["imd_quintile", "sex"])
    assert counts.values.tolist()[:2] == [["imd_quintile", 1.0, 2], ["imd_quintile", 5.0, 1]]
    assert counts["count"].sum() == 8
