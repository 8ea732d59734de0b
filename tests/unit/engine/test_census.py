"""Census passes expanded to the months a row is open at: the test recognised in the
denominator, and counts identical to testing every row-month to the stop month."""

import datetime as dt
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
import pytest

from focuson.data.contracts import CONTRACTS
from focuson.engine import aggregate, load_default_catalogue, parse_catalogue
from focuson.engine.census import split_open_test
from focuson.engine.expressions import parse

D = dt.date
IMD = pd.DataFrame(
    {"lsoa_code": ["E01000001", "E01000002"], "imd_decile": [1, 10], "lad_name": ["A", "B"]}
)
OPEN = "clock_start <= period_end and (clock_stop is null or clock_stop > period_end)"


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (OPEN, None),
        ("period_end >= clock_start and (period_end < clock_stop or clock_stop is null)", None),
        (f"person.sex == 'F' and {OPEN}", "person.sex"),
        (f"{OPEN} and person.sex == 'F'", "person.sex"),
    ],
)
def test_open_test_is_found_either_way_round(text, rest):
    found, left = split_open_test(parse(text), "clock_start", "clock_stop")
    assert found
    assert (left is None) if rest is None else (left.left.label == rest)


@pytest.mark.parametrize(
    "text",
    [
        "clock_start <= period_end",  # no stop test
        "clock_start < period_end and (clock_stop is null or clock_stop > period_end)",
        "clock_start <= period_end and (clock_stop is null or clock_stop >= period_end)",
        "clock_start <= period_end or (clock_stop is null or clock_stop > period_end)",
        "clock_start <= period_end and clock_stop > period_end",  # nulls not counted
        "clock_start <= period_end and (clock_stop is not null or clock_stop > period_end)",
        "clock_stop <= period_end and (clock_start is null or clock_start > period_end)",
    ],
)
def test_anything_else_is_not_taken_for_the_open_test(text):
    tree = parse(text)
    assert split_open_test(tree, "clock_start", "clock_stop") == (False, tree)


WOMEN = f"""\
catalogue: t
version: "1"
indicators:
  - id: women_waiting_18_weeks
    title: Women waiting 18 weeks or less
    table: rtt_pathways
    period: {{kind: census, column: clock_start, until: clock_stop}}
    denominator: {OPEN} and person.sex == 'F'
    numerator: date_diff_days(clock_start, period_end) <= 126
    statistic: proportion
    polarity: higher_is_better
    method: m
    source: s
"""


@pytest.fixture(scope="module")
def waits():
    # 3,000 pathways and tests with random starts and stops over four years: stops on the
    # first and last days of months, in the start month, before the start, and none.
    rng = np.random.default_rng(7)
    con = duckdb.connect()
    for name, contract in CONTRACTS.items():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in contract.columns)
        con.execute(f"CREATE TABLE {name} ({cols})")
    people = [
        (f"p{k}", "FM"[k % 2], D(1940, 1, 1) + dt.timedelta(days=int(k * 9)), "A", "E01000001")
        for k in range(300)
    ]
    con.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?, NULL, NULL)", people)
    n = 3000
    start = pd.Timestamp(2021, 1, 1) + pd.to_timedelta(rng.integers(0, 4 * 365, n), unit="D")
    length = rng.choice([0, 1, 20, 29, 30, 31, 60, 200, 400, 800, -5], n)
    stop = start + pd.to_timedelta(length, unit="D")
    ends = stop + pd.offsets.MonthEnd(0)
    firsts = stop - pd.offsets.MonthBegin(1)
    pick = rng.integers(0, 4, n)
    stop = pd.DatetimeIndex(np.where(pick == 1, ends, np.where(pick == 2, firsts, stop)))
    open_ = rng.random(n) < 0.2
    rows = [
        (
            f"r{k}",
            f"p{k % 300}",
            "RYJ",
            "100",
            start[k].date(),
            None if open_[k] else stop[k].date(),
        )
        for k in range(n)
    ]
    con.executemany("INSERT INTO rtt_pathways VALUES (?, ?, ?, ?, ?, ?)", rows)
    diag = [(f"d{k}", p, "RYJ", "MRI", s, e) for k, (_, p, _, _, s, e) in enumerate(rows)]
    con.executemany("INSERT INTO diagnostic_waits VALUES (?, ?, ?, ?, ?, ?)", diag)
    yield con
    con.close()


def _loose(catalogue):
    """The same catalogue without ``until``: every row tested at every month to the last."""
    inds = tuple(replace(i, period=replace(i.period, until=None)) for i in catalogue)
    return replace(catalogue, indicators=inds)


@pytest.mark.parametrize(
    "catalogue",
    [
        load_default_catalogue().select(["rtt_18_weeks", "rtt_over_52_weeks"]),
        load_default_catalogue().select(["diagnostics_6_weeks"]),
        parse_catalogue(WOMEN),
    ],
    ids=["rtt", "diagnostics", "with-a-further-test"],
)
def test_open_months_only_gives_the_counts_of_testing_every_month(waits, catalogue):
    kwargs = {"imd": IMD, "as_of": D(2024, 12, 31), "coverage_from": D(2021, 1, 1)}
    exact = aggregate(waits, catalogue, **kwargs)
    loose = aggregate(waits, _loose(catalogue), **kwargs)
    assert exact.period.nunique() == 48
    assert exact.denominator.sum() > 10_000
    pd.testing.assert_frame_equal(exact, loose)
