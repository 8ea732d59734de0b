"""People: counts per area, age, sex, ethnicity, practice and language follow their sources."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from focuson.data.reference import NHS_ETHNIC_CATEGORY_GROUPS
from focuson.data.reference.ethnicity import ASIAN, BLACK, MIXED, OTHER, WHITE
from focuson.data.synthetic import BOROUGHS, load_geography
from focuson.data.synthetic._sampling import (
    Window,
    band_index,
    categorical_rows,
    first_day_of_month,
    month_of_day,
    stacked_cdf,
)
from focuson.data.synthetic.boroughs import ETHNIC_GROUPS
from focuson.data.synthetic.languages import BY_CODE, ENGLISH, LANGUAGES, TAIL, language_weights
from focuson.data.synthetic.population import (
    CODES,
    RECORDED_CODES,
    PersonModel,
    area_counts,
)

WINDOW = Window(dt.date(2023, 4, 1), 24)


@pytest.fixture(scope="module")
def block():
    geo = load_geography(None, seed=4)
    model = PersonModel(geo, WINDOW, 0.05)
    return geo, model, model.people(np.random.default_rng(1), 0, model.total)


@given(
    st.lists(st.floats(0, 5_000, allow_nan=False), min_size=1, max_size=40),
    st.floats(0.001, 10, allow_nan=False),
)
def test_area_counts_round_to_an_exact_total(population, scale):
    pop = np.asarray(population)
    counts = area_counts(pop, scale)
    assert counts.sum() == round(float(pop.sum() * scale))
    assert (np.abs(counts - pop * scale) < 1 + 1e-9).all()


def test_categorical_rows_follow_each_rows_distribution():
    weights = np.array([[1.0, 1.0, 2.0], [0.0, 3.0, 1.0], [0.0, 0.0, 0.0]])
    rows = np.repeat(np.arange(3), 40_000)
    draws = categorical_rows(np.random.default_rng(0), stacked_cdf(weights), 3, rows)
    for r, expected in enumerate([[0.25, 0.25, 0.5], [0.0, 0.75, 0.25], [0.0, 0.0, 1.0]]):
        share = np.bincount(draws[rows == r], minlength=3) / 40_000
        np.testing.assert_allclose(share, expected, atol=0.01)


def test_month_helpers_round_trip():
    days = np.arange(-800, 25_000, 37)
    months = month_of_day(days)
    assert (first_day_of_month(months) <= days).all()
    assert (first_day_of_month(months + 1) > days).all()
    assert band_index([0, 17, 18, 64, 65, 120], [0, 18, 65]).tolist() == [0, 0, 1, 1, 2, 2]


def test_people_are_numbered_in_area_order_with_exact_counts(block):
    geo, model, people = block
    assert len(people) == model.total == round(2_111_469 * 0.05)
    assert people.person_id.tolist() == list(range(1, model.total + 1))
    assert np.bincount(people.area, minlength=len(geo)).tolist() == model.counts.tolist()
    # A block in the middle gives the same areas as the whole run.
    part = model.people(np.random.default_rng(2), 1_000, 2_000)
    np.testing.assert_array_equal(part.area, people.area[1_000:2_000])


def test_age_at_the_window_start_follows_each_borough(block):
    _, _, people = block
    age = people.age_years(np.arange(len(people)), np.full(len(people), WINDOW.start_day))
    assert age.min() == 0 and age.max() <= 104
    for i, b in enumerate(BOROUGHS):
        mine = age[people.borough == i]
        facts = np.asarray(b.age5_mid2020) / b.population
        share_65 = facts[13:].sum()  # 5-year bands from 65-69
        assert abs((mine >= 65).mean() - share_65) < 0.01, b.name
        assert abs((mine < 15).mean() - facts[:3].sum()) < 0.01, b.name


def test_sex_follows_the_female_share_with_a_few_unknown(block):
    _, _, people = block
    shares = np.bincount(people.sex, minlength=3) / len(people)
    females = sum(sum(b.females_mid2020) for b in BOROUGHS) / 2_111_469
    assert abs(shares[0] - females) < 0.01
    assert 0.0005 < shares[2] < 0.002


def test_ethnic_groups_follow_the_census_and_codes_stay_in_their_group(block):
    _, _, people = block
    for i, b in enumerate(BOROUGHS):
        mine = people.borough == i
        share = np.bincount(people.group[mine], minlength=5) / mine.sum()
        census = np.asarray(b.census2021_ethnic) / sum(b.census2021_ethnic)
        np.testing.assert_allclose(share, census, atol=0.015)
    # Each code is in its group, as in the NHS code list's Census 2021 roll-up.
    short = {WHITE: "White", MIXED: "Mixed", ASIAN: "Asian", BLACK: "Black", OTHER: "Other"}
    by_code = np.array([ETHNIC_GROUPS.index(short[NHS_ETHNIC_CATEGORY_GROUPS[c]]) for c in CODES])
    np.testing.assert_array_equal(by_code[people.code], people.group)
    recorded = np.asarray(RECORDED_CODES)[people.recorded]
    same = recorded == np.asarray(CODES)[people.code]
    assert abs((~same).mean() - 0.08) < 0.005  # Z 5% + 99 3%


def test_practices_are_in_the_persons_borough(block):
    geo, _, people = block
    np.testing.assert_array_equal(geo.practice_borough[people.practice], people.borough)
    used = np.bincount(people.practice, minlength=len(geo.practice_code))
    assert (used > 0).mean() > 0.95


def test_main_language_shares_and_more_than_100_languages(block):
    _, _, people = block
    english = LANGUAGES.index(ENGLISH)
    assert 0.25 < (people.language != english).mean() < 0.38
    assert len(set(people.language.tolist())) > 100
    assert len(LANGUAGES) > 100 and len(set(LANGUAGES)) == len(LANGUAGES)
    w = language_weights(CODES)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    for row, code in enumerate(CODES):
        assert w[row, english] == pytest.approx(1 - BY_CODE[code][0])
    assert set(TAIL) <= set(LANGUAGES)


def test_persons_table_has_the_contract_columns(block):
    _, model, people = block
    table = model.table(people)
    assert table.column_names == [
        "person_id",
        "sex",
        "date_of_birth",
        "ethnicity",
        "lsoa",
        "practice",
        "main_language",
    ]
    dob = table.column("date_of_birth").to_pylist()
    assert all(d.day == 1 for d in dob[:1000]) and max(dob) <= WINDOW.start
