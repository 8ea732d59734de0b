"""Rates and directly standardised rates (a population denominator), on every engine.

The population at each month end is counted from ``persons`` by month of birth, the 29th of
February kept apart; edge cases: a leap-day birth, a person born after a period end, a person
with no LSOA, and a rate whose population filter uses person columns.
"""

import datetime as dt

from focuson.engine import load_default_catalogue, parse_catalogue

D = dt.date
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", None, None),
    ("p2", "M", D(1990, 1, 1), "N", "E01000002", None, None),
    ("p3", "U", D(2010, 3, 31), "Z", None, None, None),  # no LSOA
    ("p4", "F", D(1960, 2, 29), "H", "E01000002", None, None),  # leap-day birth
    ("p5", "M", D(2024, 3, 15), "A", "E01000001", None, None),  # born in March 2024
]
ADMISSIONS = [
    ("m1", "p1", D(2024, 3, 3), "emergency", "I10"),
    ("m2", "p2", D(2024, 3, 4), "elective", "K40"),
    ("m3", "p1", D(2024, 3, 31), "emergency", "J18"),
    ("m4", "p4", D(2024, 2, 29), "emergency", "I21"),
    ("m5", "p5", D(2024, 4, 1), "emergency", "P07"),
]
RATE = """\
catalogue: t
version: "1"
indicators:
  - id: admissions_women
    title: Admissions of women (and of people whose sex is not known)
    table: admissions
    period: {kind: event, column: admitted}
    denominator: sex == 'F' or person.sex == 'U'
    numerator: method == 'emergency' or method == 'elective'
    statistic: rate
    polarity: lower_is_better
    method: m
    source: s
"""


def _overall(frame, indicator):
    rows = frame[(frame.indicator == indicator) & (frame.dimension == "overall")]
    return rows.groupby("period")[["numerator", "denominator"]].sum().to_dict("index")


def test_emergency_admissions_standardised(engine, make_db, imd):
    con = make_db({"persons": PERSONS, "admissions": ADMISSIONS})
    catalogue = load_default_catalogue().select(["emergency_admissions"])
    frame = engine.check(con, catalogue, imd=imd, periods=["2024-02", "2024-03", "2024-04"])
    # Population: p1-p4 at every month end, p5 from the end of March. Events: m4 in February,
    # m1 and m3 in March (m2 is elective), m5 in April.
    assert _overall(frame, "emergency_admissions") == {
        "2024-02": {"numerator": 1, "denominator": 4},
        "2024-03": {"numerator": 2, "denominator": 5},
        "2024-04": {"numerator": 1, "denominator": 5},
    }
    # Standardised: one row per ESP band; p4 (64 at the end of February) in 60-64.
    feb = frame[(frame.period == "2024-02") & (frame.dimension == "age_band_5y")]
    assert set(feb.band) == {2, 6, 12, 14}


def test_population_filter_on_person_columns(engine, make_db, imd):
    con = make_db({"persons": PERSONS, "admissions": ADMISSIONS})
    frame = engine.check(con, parse_catalogue(RATE), imd=imd, periods=["2024-03"])
    # Population: p1, p4 (F) and p3 (U); events: m1 and m3 of p1 (m2 is a man's).
    assert _overall(frame, "admissions_women") == {"2024-03": {"numerator": 2, "denominator": 3}}
