"""Means (sum, count and sum of squares of a value), on every engine."""

import datetime as dt

from focuson.engine import parse_catalogue

D = dt.date
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", None, None),
    ("p2", "M", D(1990, 1, 1), "N", "E01000002", None, None),
    ("p3", "U", D(2010, 3, 31), "Z", None, None, None),
]
HYPERTENSION = [
    ("p1", D(2015, 1, 1), D(2024, 3, 1), 151, 80),
    ("p2", D(2020, 1, 1), D(2024, 2, 1), 130, 85),
    ("p3", D(2023, 1, 1), None, None, None),  # no reading: not in the mean
]
MEAN = """\
catalogue: t
version: "1"
indicators:
  - id: mean_systolic
    title: Mean systolic pressure
    table: hypertension
    period: {kind: census, column: diagnosed, latest_only: true}
    denominator: diagnosed <= period_end
    value: systolic / 2
    statistic: mean
    polarity: lower_is_better
    method: m
    source: s
"""


def test_mean_sums_and_squares(engine, make_db, imd):
    con = make_db({"persons": PERSONS, "hypertension": HYPERTENSION})
    frame = engine.check(con, parse_catalogue(MEAN), imd=imd)
    overall = frame[frame.dimension == "overall"]
    assert overall.period.tolist() == ["2024-04"]
    # A value with a fraction (151 / 2) checks the engines divide as floats, alike.
    assert overall[["numerator", "denominator", "sum_sq"]].values.tolist() == [
        [75.5 + 65, 2, 75.5**2 + 65**2]
    ]
