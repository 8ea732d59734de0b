"""Event indicators (counted in the month of their date), on every engine.

Edge cases: arrivals at midnight and at the last second of a month, a stay of exactly four
hours, a departure not recorded, an attendance of someone aged 0 on their birthday.
"""

import datetime as dt

from focuson.engine import load_default_catalogue

D = dt.date
T = dt.datetime
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", None, None),
    ("p2", "M", D(2024, 1, 31), "N", "E01000002", None, None),  # born this year
    ("p3", "U", D(1980, 2, 29), "Z", None, None, None),  # leap-day birth, no LSOA
]
AE = [
    ("a1", "p1", "RYJ", 1, T(2024, 3, 1, 0, 0), T(2024, 3, 1, 4, 0)),  # exactly 4 h
    ("a2", "p2", "RYJ", 1, T(2024, 3, 31, 23, 59, 59), T(2024, 4, 1, 12, 0)),  # 12 h: March
    ("a3", "p3", "RYJ", 3, T(2024, 4, 1, 0, 0), None),  # April, never left
    ("a4", "p3", "RYJ", 1, T(2024, 2, 29, 8, 0), T(2024, 2, 29, 20, 0, 1)),  # 12 h and 1 s
]


def _overall(frame, indicator):
    rows = frame[(frame.indicator == indicator) & (frame.dimension == "overall")]
    return {r.period: (r.numerator, r.denominator) for r in rows.itertuples()}


def test_ae_waits_by_month_and_age_at_arrival(engine, make_db, imd):
    con = make_db({"persons": PERSONS, "ae_attendances": AE})
    catalogue = load_default_catalogue().select(["ae_4_hours", "ae_over_12_hours"])
    frame = engine.check(con, catalogue, imd=imd)
    # Within 4 h: a1 only (exactly 4 h). Over 12 h: a4 and a2 (both 12 h and 1 s); a3 has no
    # departure, so it is neither. a2 counts in March, the month it arrived.
    assert _overall(frame, "ae_4_hours") == {
        "2024-02": (0, 1),
        "2024-03": (1, 2),
        "2024-04": (0, 1),
    }
    assert _overall(frame, "ae_over_12_hours") == {
        "2024-02": (1, 1),
        "2024-03": (1, 2),
        "2024-04": (0, 1),
    }
    march = frame[
        (frame.indicator == "ae_4_hours")
        & (frame.period == "2024-03")
        & (frame.dimension == "age_band_5y")
    ]
    # p1 is 73 on 1 March 2024; p2 (born January 2024) is 0.
    assert dict(zip(march.group, march.denominator, strict=True)) == {"0-4": 1, "70-74": 1}
