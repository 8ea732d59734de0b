"""Aggregation in the engine: a hand-made tiny dataset with counts written as arithmetic, and
the synthetic population for shape, sanity and the sums over groups."""

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from focuson.data.contracts import CONTRACTS, load_dataset
from focuson.data.synthetic import generate
from focuson.engine import (
    AGGREGATE_COLUMNS,
    DIMENSIONS,
    aggregate,
    load_default_catalogue,
    parse_catalogue,
)

D = dt.date
T = dt.datetime
IMD = pd.DataFrame(
    {
        "lsoa_code": ["E01000001", "E01000002"],
        "imd_decile": [1, 10],
        "lad_name": ["Brent", "Ealing"],
    }
)
# p1: a woman of 73 in March 2024, White British, most deprived decile, Brent.
# p2: a man of 34, Black African, least deprived decile, Ealing.
# p3: sex not known, 13, ethnicity not stated, no LSOA.
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001"),
    ("p2", "M", D(1990, 1, 1), "N", "E01000002"),
    ("p3", "U", D(2010, 3, 31), "Z", None),
]
ROWS = {
    "ae_attendances": [
        ("a1", "p1", "RYJ", 1, T(2024, 3, 5, 10), T(2024, 3, 5, 13)),  # 3 h
        ("a2", "p1", "RYJ", 1, T(2024, 3, 20, 10), T(2024, 3, 20, 15)),  # 5 h
        ("a3", "p2", "RYJ", 1, T(2024, 3, 10, 23), T(2024, 3, 11, 2, 30)),  # 3.5 h
        ("a4", "p3", "RYJ", 3, T(2024, 4, 2, 8), T(2024, 4, 2, 21)),  # 13 h, April
        ("a5", "p2", "RYJ", 1, T(2024, 2, 28, 8), T(2024, 2, 28, 9)),  # February
    ],
    "rtt_pathways": [
        ("r1", "p1", "RYJ", "100", D(2023, 10, 1), None),
        ("r2", "p2", "RYJ", "100", D(2024, 2, 1), D(2024, 3, 15)),
        ("r3", "p3", "RYJ", "100", D(2024, 3, 1), None),
    ],
    "admissions": [
        ("m1", "p1", D(2024, 3, 3), "emergency", "I10"),
        ("m2", "p2", D(2024, 3, 4), "elective", "K40"),
        ("m3", "p1", D(2024, 3, 20), "emergency", "J18"),
    ],
    "hypertension": [
        ("p1", D(2015, 1, 1), D(2024, 3, 1), 150, 80),
        ("p2", D(2020, 1, 1), D(2024, 2, 1), 130, 85),
        ("p3", D(2023, 1, 1), None, None, None),
    ],
}


@pytest.fixture(scope="module")
def tiny():
    con = duckdb.connect()
    for name, contract in CONTRACTS.items():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in contract.columns)
        con.execute(f"CREATE TABLE {name} ({cols})")
    con.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?, NULL, NULL)", PERSONS)
    for name, rows in ROWS.items():
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    yield con
    con.close()


def _cells(frame, indicator, period, dimension):
    rows = frame[
        (frame.indicator == indicator) & (frame.period == period) & (frame.dimension == dimension)
    ]
    return {
        (g if b < 0 else (g, b)): (n, d)
        for g, b, n, d in zip(rows.group, rows.band, rows.numerator, rows.denominator, strict=True)
    }


def test_event_indicator_counts_by_every_dimension(tiny):
    cat = load_default_catalogue().select(["ae_4_hours", "ae_over_12_hours"])
    frame = aggregate(tiny, cat, imd=IMD, periods=["2024-03"], as_of=D(2024, 4, 30))
    assert tuple(frame.columns) == AGGREGATE_COLUMNS
    assert set(frame.dimension) == set(DIMENSIONS)
    ae = "ae_4_hours"
    # March: a1 (3 h, p1), a2 (5 h, p1), a3 (3.5 h, p2); within 4 hours: a1 and a3.
    assert _cells(frame, ae, "2024-03", "overall") == {"All": (1 + 1, 3)}
    assert _cells(frame, ae, "2024-03", "sex") == {"F": (1, 2), "M": (1, 1)}
    assert _cells(frame, ae, "2024-03", "imd_decile") == {"1": (1, 2), "10": (1, 1)}
    assert _cells(frame, ae, "2024-03", "imd_quintile") == {"1": (1, 2), "5": (1, 1)}
    # p1 is 2024 - 1950 - 1 = 73 (birthday in June); p2 is 34.
    assert _cells(frame, ae, "2024-03", "age_band_5y") == {"70-74": (1, 2), "30-34": (1, 1)}
    assert _cells(frame, ae, "2024-03", "age_band_broad") == {"65-79": (1, 2), "18-64": (1, 1)}
    assert _cells(frame, ae, "2024-03", "ethnicity_code") == {"A": (1, 2), "N": (1, 1)}
    assert _cells(frame, ae, "2024-03", "ethnicity_6") == {"White": (1, 2), "Black": (1, 1)}
    assert _cells(frame, ae, "2024-03", "ethnicity_5") == {"White": (1, 2), "Black": (1, 1)}
    assert _cells(frame, ae, "2024-03", "borough") == {"Brent": (1, 2), "Ealing": (1, 1)}
    assert _cells(frame, ae, "2024-03", "imd_quintile x ethnicity_6") == {
        "1 | White": (1, 2),
        "5 | Black": (1, 1),
    }
    assert _cells(frame, ae, "2024-03", "borough x imd_quintile") == {
        "Brent | 1": (1, 2),
        "Ealing | 5": (1, 1),
    }
    assert _cells(frame, "ae_over_12_hours", "2024-03", "overall") == {"All": (0, 3)}
    assert set(frame.band) == {-1}
    assert frame.sum_sq.isna().all()


def test_event_indicator_default_periods_and_unknown_groups(tiny):
    cat = load_default_catalogue().select(["ae_over_12_hours"])
    frame = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 4, 30))
    assert sorted(set(frame.period)) == ["2024-02", "2024-03", "2024-04"]
    i = "ae_over_12_hours"
    # April: a4, 13 hours, p3: no LSOA, sex U, ethnicity Z, age 14 (birthday 31 March).
    assert _cells(frame, i, "2024-04", "imd_decile") == {"Not known": (1, 1)}
    assert _cells(frame, i, "2024-04", "borough") == {"Not known": (1, 1)}
    assert _cells(frame, i, "2024-04", "ethnicity_6") == {"Not stated / not known": (1, 1)}
    assert _cells(frame, i, "2024-04", "ethnicity_5") == {}
    assert _cells(frame, i, "2024-04", "age_band_5y") == {"10-14": (1, 1)}
    # A month that ends after as_of is not reported.
    early = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 4, 29))
    assert "2024-04" not in set(early.period)


def test_census_indicator_counts_the_waiting_list_at_each_month_end(tiny):
    cat = load_default_catalogue().select(["rtt_18_weeks", "rtt_over_52_weeks"])
    frame = aggregate(tiny, cat, imd=IMD, periods=["2024-02", "2024-03"], as_of=D(2024, 3, 31))
    waited = {
        ("r1", "2024-02"): (D(2024, 2, 29) - D(2023, 10, 1)).days,  # 151: over 18 weeks
        ("r2", "2024-02"): (D(2024, 2, 29) - D(2024, 2, 1)).days,  # 28
        ("r1", "2024-03"): (D(2024, 3, 31) - D(2023, 10, 1)).days,  # 182; r2 stopped 15 March
        ("r3", "2024-03"): (D(2024, 3, 31) - D(2024, 3, 1)).days,  # 30
    }
    for period in ("2024-02", "2024-03"):
        on_list = [w for (_, p), w in waited.items() if p == period]
        within = sum(w <= 126 for w in on_list)
        assert _cells(frame, "rtt_18_weeks", period, "overall") == {"All": (within, len(on_list))}
        assert _cells(frame, "rtt_over_52_weeks", period, "overall") == {"All": (0, len(on_list))}
    assert _cells(frame, "rtt_18_weeks", "2024-03", "sex") == {"F": (0, 1), "U": (1, 1)}
    # Age at the census date: p3 turns 14 on 31 March 2024, the census date.
    assert _cells(frame, "rtt_18_weeks", "2024-03", "age_band_5y") == {
        "70-74": (0, 1),
        "10-14": (1, 1),
    }


def test_dsr_indicator_has_esp_bands_and_the_population_as_denominator(tiny):
    cat = load_default_catalogue().select(["emergency_admissions"])
    frame = aggregate(tiny, cat, imd=IMD, periods=["2024-03"], as_of=D(2024, 3, 31))
    # Population at 31 March 2024: p1 73 (band 70-74 = 14), p2 34 (band 6), p3 14 (band 2).
    # Emergency admissions: m1 and m3, both p1; m2 is elective.
    assert _cells(frame, "emergency_admissions", "2024-03", "overall") == {
        ("All", 73 // 5): (2, 1),
        ("All", 34 // 5): (0, 1),
        ("All", 14 // 5): (0, 1),
    }
    assert _cells(frame, "emergency_admissions", "2024-03", "sex") == {
        ("F", 14): (2, 1),
        ("M", 6): (0, 1),
        ("U", 2): (0, 1),
    }


def test_rate_population_filter_applies_to_events_too(tiny):
    text = """\
catalogue: t
version: "1"
indicators:
  - id: admissions_women
    title: Emergency admissions of women
    table: admissions
    period: {kind: event, column: admitted}
    denominator: sex == 'F' or person.sex == 'U'
    numerator: method == 'emergency' or method == 'elective'
    statistic: rate
    polarity: lower_is_better
    method: m
    source: s
"""
    frame = aggregate(
        tiny, parse_catalogue(text), imd=IMD, periods=["2024-03"], as_of=D(2024, 3, 31)
    )
    # Population: p1 (F) and p3 (U); events: m1 and m3 of p1 (m2 is a man's).
    assert _cells(frame, "admissions_women", "2024-03", "overall") == {"All": (2, 1 + 1)}


def test_mean_has_sum_count_and_sum_of_squares(tiny):
    text = """\
catalogue: t
version: "1"
indicators:
  - id: mean_systolic
    title: Mean systolic pressure
    table: hypertension
    period: {kind: census, column: diagnosed, latest_only: true}
    denominator: diagnosed <= period_end
    value: systolic
    statistic: mean
    polarity: lower_is_better
    method: m
    source: s
"""
    frame = aggregate(tiny, parse_catalogue(text), imd=IMD, as_of=D(2024, 3, 31))
    overall = frame[frame.dimension == "overall"]
    assert overall.period.tolist() == ["2024-03"]
    # p3 has no reading, so only p1 (150) and p2 (130) count.
    assert overall[["numerator", "denominator", "sum_sq"]].values.tolist() == [
        [150 + 130, 2, 150**2 + 130**2]
    ]


def test_hypertension_thresholds_depend_on_age(tiny):
    cat = load_default_catalogue().select(["hypertension_treated_to_target"])
    frame = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 3, 31))
    # p1 (73) 150/80: not below 140/90; p2 (34) 130/85: yes; p3 no reading: no.
    assert _cells(frame, "hypertension_treated_to_target", "2024-03", "overall") == {"All": (1, 3)}


def test_strategies_give_identical_aggregates(tiny):
    cat = load_default_catalogue().select(["ae_4_hours", "rtt_18_weeks", "emergency_admissions"])
    kwargs = {"imd": IMD, "as_of": D(2024, 4, 30)}
    cube = aggregate(tiny, cat, strategy="cube", **kwargs)
    union = aggregate(tiny, cat, strategy="union", **kwargs)
    pd.testing.assert_frame_equal(cube, union)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"periods": ["2024-3"]}, "periods: expected months written YYYY-MM"),
        ({"dimensions": ["postcode"]}, "dimensions: unknown"),
        ({"strategy": "grouping_sets"}, "strategy: expected"),
    ],
)
def test_bad_arguments_are_refused(tiny, kwargs, words):
    with pytest.raises(ValueError, match=words):
        aggregate(tiny, load_default_catalogue().select(["ae_4_hours"]), imd=IMD, **kwargs)


def test_missing_table_is_refused():
    con = duckdb.connect()
    con.execute("CREATE TABLE persons (person_id VARCHAR)")
    with pytest.raises(ValueError, match="needs the tables ae_attendances"):
        aggregate(con, load_default_catalogue().select(["ae_4_hours"]), imd=IMD)


# -- the synthetic population --------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    summary = generate(tmp_path_factory.mktemp("synth"), scale=0.02, seed=7)
    with load_dataset(summary.mapping) as data:
        frame = aggregate(data, load_default_catalogue(), imd=summary.imd_file)
    return frame


def test_synthetic_every_indicator_and_dimension_is_there(synthetic):
    assert set(synthetic.indicator) == set(load_default_catalogue().ids)
    for indicator, rows in synthetic.groupby("indicator"):
        assert set(rows.dimension) == set(DIMENSIONS), indicator
    assert tuple(synthetic.columns) == AGGREGATE_COLUMNS
    assert synthetic.period.str.fullmatch(r"\d{4}-\d{2}").all()
    # The mapping's coverage_from (the window's first day) is the first month of every series:
    # the waiting list the window opens with is counted from then, not built up before it.
    assert synthetic.period.min() == "2023-04"


def test_synthetic_values_are_sane(synthetic):
    shares = synthetic[synthetic.indicator != "emergency_admissions"]
    assert (shares.numerator <= shares.denominator).all()
    assert (synthetic.denominator >= 0).all() and (synthetic.numerator >= 0).all()
    overall = (
        shares[(shares.dimension == "overall")]
        .groupby("indicator")[["numerator", "denominator"]]
        .sum()
    )
    value = overall.numerator / overall.denominator
    assert 0.5 < value["ae_4_hours"] < 0.95
    assert 0.0 < value["rtt_over_52_weeks"] < value["rtt_18_weeks"] < 1.0
    dsr = synthetic[synthetic.indicator == "emergency_admissions"]
    assert set(dsr.band) <= set(range(19)) and len(set(dsr.band)) >= 15
    assert set(shares.band) == {-1}


def test_synthetic_overall_equals_the_sum_over_groups_of_every_dimension(synthetic):
    keys = ["indicator", "period", "band"]
    overall = synthetic[synthetic.dimension == "overall"].set_index(keys)[
        ["numerator", "denominator"]
    ]
    not_stated = (
        synthetic[
            (synthetic.dimension == "ethnicity_6") & (synthetic.group == "Not stated / not known")
        ]
        .set_index(keys)[["numerator", "denominator"]]
        .reindex(overall.index, fill_value=0.0)
    )
    for dimension in DIMENSIONS[1:]:
        rows = synthetic[synthetic.dimension == dimension]
        summed = rows.groupby(keys)[["numerator", "denominator"]].sum()
        summed = summed.reindex(overall.index, fill_value=0.0)
        expected = overall - not_stated if dimension == "ethnicity_5" else overall
        pd.testing.assert_frame_equal(summed, expected, check_names=False, obj=dimension)


def test_census_until_only_prunes_it_never_changes_the_counts(tiny):
    cat = load_default_catalogue().select(["rtt_18_weeks"])
    ind = cat.get("rtt_18_weeks")
    assert ind.period.until == "clock_stop"
    loose = replace(cat, indicators=(replace(ind, period=replace(ind.period, until=None)),))
    kwargs = {"imd": IMD, "as_of": D(2024, 3, 31)}
    pd.testing.assert_frame_equal(aggregate(tiny, cat, **kwargs), aggregate(tiny, loose, **kwargs))


def test_no_month_before_the_datas_coverage_is_reported(tiny):
    cat = load_default_catalogue().select(["ae_over_12_hours", "rtt_18_weeks"])
    full = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 4, 30))
    assert min(full.loc[full.indicator == "rtt_18_weeks", "period"]) == "2023-10"
    covered = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 4, 30), coverage_from=D(2024, 3, 1))
    assert sorted(set(covered.period)) == ["2024-03", "2024-04"]
    # The months that are reported are counted exactly as without the coverage date: r1, open
    # since October 2023, is still on the March list.
    same = full.loc[full.period >= "2024-03"].reset_index(drop=True)
    pd.testing.assert_frame_equal(covered.reset_index(drop=True), same)
    # A coverage date within a month: that month is half covered, so the next is the first.
    mid = aggregate(tiny, cat, imd=IMD, as_of=D(2024, 4, 30), coverage_from=D(2024, 2, 15))
    assert min(mid.period) == "2024-03"
    # Months asked for by name are reported as asked.
    asked = aggregate(
        tiny, cat, imd=IMD, as_of=D(2024, 4, 30), coverage_from=D(2024, 3, 1), periods=["2024-02"]
    )
    assert set(asked.period) == {"2024-02"}


AGE_RATE = """\
catalogue: t
version: "1"
indicators:
  - id: admissions_working_age
    title: Admissions of people aged 18 to 64
    table: admissions
    period: {kind: event, column: admitted}
    denominator: age >= 18 and age < 65
    numerator: method == 'emergency'
    statistic: rate
    polarity: lower_is_better
    method: m
    source: s
"""


def test_population_counted_as_changes_equals_people_times_months():
    # Births every 11 days over a century, plus leap days and the days either side of the
    # band edges (5, 18, 20, 90) inside the window: the population counted as changes at
    # birthdays (by age for an age filter, by fine band otherwise) must equal everyone
    # counted at every month end (the union strategy).
    con = duckdb.connect()
    for name, contract in CONTRACTS.items():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in contract.columns)
        con.execute(f"CREATE TABLE {name} ({cols})")
    births = [D(1925, 1, 1) + dt.timedelta(days=11 * k) for k in range(3300)]
    births += [D(y, 2, 29) for y in range(1928, 2024, 4)]
    for edge in (5, 18, 20, 90):
        for day in (D(2023, 2, 28), D(2023, 3, 1), D(2023, 12, 31), D(2024, 1, 1)):
            births += [day.replace(year=day.year - edge) + dt.timedelta(days=d) for d in (-1, 0, 1)]
    people = [
        (f"p{k}", "FM"[k % 2], b, "ABN"[k % 3], ("E01000001", "E01000002", None)[k % 5 % 3])
        for k, b in enumerate(births)
    ]
    con.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?, NULL, NULL)", people)
    admissions = [
        (f"m{k}", f"p{k * 7}", D(2022, 1, 1) + dt.timedelta(days=k), "emergency", "I10")
        for k in range(0, 1000, 3)
    ]
    con.executemany("INSERT INTO admissions VALUES (?, ?, ?, ?, ?)", admissions)
    catalogue = load_default_catalogue().select(["emergency_admissions"])
    for cat in (catalogue, parse_catalogue(AGE_RATE)):
        kwargs = {"imd": IMD, "as_of": D(2024, 12, 31), "coverage_from": D(2022, 1, 1)}
        cube = aggregate(con, cat, strategy="cube", **kwargs)
        union = aggregate(con, cat, strategy="union", **kwargs)
        assert cube.period.nunique() == 36
        pd.testing.assert_frame_equal(cube, union)
