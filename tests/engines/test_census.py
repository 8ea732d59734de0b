"""Census indicators (a waiting list at each month's last day), on every engine.

Edge cases: a clock that starts or stops on the census date, a wait of exactly 126 days, a
pathway open across several census dates, a person whose LSOA is not in the IMD file. (Few
tests, each checking several things: on Spark every ``aggregate`` call costs seconds.)
"""

import datetime as dt

import pytest

from focuson.engine import load_default_catalogue

D = dt.date
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", None, None),
    ("p2", "M", D(1990, 1, 1), "N", "E01000002", None, None),
    ("p3", "U", D(2010, 3, 31), "Z", "E01000003", None, None),  # LSOA not in the IMD file
]
RTT = [
    ("r1", "p1", "RYJ", "100", D(2023, 11, 26), None),  # 126 days on 31 March
    ("r2", "p2", "RYJ", "100", D(2024, 3, 31), None),  # starts on the census date
    ("r3", "p3", "RYJ", "100", D(2024, 1, 10), D(2024, 3, 31)),  # stops on the census date
    ("r4", "p1", "RYJ", "100", D(2023, 1, 1), D(2024, 4, 15)),  # over 52 weeks in March
]


@pytest.fixture
def rtt(make_db):
    return make_db({"persons": PERSONS, "rtt_pathways": RTT})


def _overall(frame, indicator, period):
    row = frame[
        (frame.indicator == indicator) & (frame.period == period) & (frame.dimension == "overall")
    ]
    return row.numerator.item(), row.denominator.item()


def test_waiting_list_at_each_census_date(engine, rtt, imd):
    catalogue = load_default_catalogue().select(["rtt_18_weeks", "rtt_over_52_weeks"])
    frame = engine.check(rtt, catalogue, imd=imd, periods=["2024-02", "2024-03"])
    # 31 March: r1 (126 days: within 18 weeks), r2 (0 days), r4 (455 days); r3 stopped.
    assert _overall(frame, "rtt_18_weeks", "2024-03") == (1 + 1, 3)
    assert _overall(frame, "rtt_over_52_weeks", "2024-03") == (1, 3)
    # 29 February: r1 (95 days), r3 (50 days), r4 (424 days); r2 not started.
    assert _overall(frame, "rtt_18_weeks", "2024-02") == (1 + 1, 3)
    # p3's LSOA is not in the IMD file: decile not known (r1 and r4 are p1's, decile 1).
    february = frame[(frame.period == "2024-02") & (frame.indicator == "rtt_18_weeks")]
    deciles = february[february.dimension == "imd_decile"]
    assert dict(zip(deciles.group, deciles.denominator, strict=True)) == {"1": 2, "Not known": 1}


def test_every_census_date_by_default(engine, rtt, imd):
    catalogue = load_default_catalogue().select(["rtt_18_weeks"])
    frame = engine.check(rtt, catalogue, imd=imd)
    # From the month of the first clock start (January 2023) to the last complete month
    # before as_of (30 April 2024, itself complete): 16 census dates.
    assert frame.period.nunique() == 12 + 4
