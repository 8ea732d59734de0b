"""Contract checks of tables already in an engine (``--in-engine``), on every engine.

The same tables pass everywhere, and the same breaks are caught everywhere: codes, patterns
(each engine has its own regular expressions), ranges, dates after ``as_of``, a rule across a
row, a repeated key, a person not in ``persons``, an implausibly early date and an event
before its person's birth.
"""

import datetime as dt

import pytest

from focuson.data.contracts import CONTRACTS, DataContractError
from focuson.data.contracts.in_engine import check_in_engine

D = dt.date
T = dt.datetime
AS_OF = D(2024, 4, 30)
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", "E85001", "English"),
    ("p2", "M", D(1990, 1, 1), "N", "W01000002", None, None),
    ("p3", "U", D(2010, 3, 31), "Z", None, None, None),
]
ROWS = {
    "persons": PERSONS,
    "rtt_pathways": [
        ("r1", "p1", "RYJ", "100", D(2023, 10, 1), None),
        ("r2", "p2", "RYJ01", "100", D(2024, 2, 1), D(2024, 3, 15)),
    ],
    "admissions": [
        ("m1", "p1", D(2024, 3, 3), "emergency", "I10"),
        ("m2", "p2", D(2024, 3, 4), "elective", "K40.9"),
    ],
    "hypertension": [
        ("p1", D(2015, 1, 1), D(2024, 3, 1), 150, 80),
        ("p3", D(2023, 1, 1), None, None, None),
    ],
}
TABLES = [t for t in CONTRACTS if t != "persons"]


def _with(table, k, **changes):
    """ROWS with row ``k`` of ``table`` changed (by contract column name)."""
    names = CONTRACTS[table].column_names
    row = dict(zip(names, ROWS[table][k], strict=False))
    assert set(changes) <= set(names)
    row.update(changes)
    rows = list(ROWS[table])
    rows[k] = tuple(row[n] for n in names)
    return ROWS | {table: rows}


def test_tables_that_keep_their_contracts_pass(engine, make_db):
    con = make_db(ROWS)
    engine.load(con)
    counts = check_in_engine(engine.backend, TABLES, as_of=AS_OF)
    assert counts["persons"] == 3
    assert counts["rtt_pathways"] == 2
    assert counts["screening"] == 0


BREAKS = {
    "code": (_with("persons", 1, sex="X"), "persons", "sex"),
    "pattern": (_with("persons", 0, lsoa="E1000001"), "persons", "lsoa"),
    "pattern-icd10": (
        _with("admissions", 1, primary_diagnosis="K4"),
        "admissions",
        "primary_diagnosis",
    ),
    "range": (_with("hypertension", 0, systolic=301), "hypertension", "systolic"),
    "after-as-of": (_with("admissions", 0, admitted=D(2024, 5, 1)), "admissions", "admitted"),
    "rule": (
        _with("rtt_pathways", 1, clock_stop=D(2024, 1, 31)),
        "rtt_pathways",
        "clock_stop",
    ),
    "key": (_with("rtt_pathways", 1, pathway_id="r1"), "rtt_pathways", "pathway_id"),
    "person": (_with("admissions", 0, person_id="p9"), "admissions", "person_id"),
    "implausibly-early": (
        _with("persons", 2, date_of_birth=D(1800, 1, 1)),
        "persons",
        "date_of_birth",
    ),
    # p1 was born on 1950-06-15: an event in May 1950 is before the month of birth
    "before-birth": (_with("admissions", 0, admitted=D(1950, 5, 31)), "admissions", "admitted"),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_break_is_caught_and_named(engine, make_db, case):
    rows, table, column = BREAKS[case]
    con = make_db(rows)
    engine.load(con)
    with pytest.raises(DataContractError) as info:
        check_in_engine(engine.backend, TABLES, as_of=AS_OF, engine_label="here")
    assert (info.value.table, info.value.column, info.value.count) == (table, column, 1)
    assert str(info.value).startswith(f"here table {table}, column {column}: expected ")
