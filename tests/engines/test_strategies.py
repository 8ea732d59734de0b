"""The two aggregation strategies (base cube, union of grouped aggregates) on every engine."""

import datetime as dt

import pandas as pd

from focuson.engine import aggregate, load_default_catalogue

D = dt.date
T = dt.datetime
PERSONS = [
    ("p1", "F", D(1950, 6, 15), "A", "E01000001", None, None),
    ("p2", "M", D(1990, 1, 1), "N", "E01000002", None, None),
    ("p3", "U", D(2010, 3, 31), "Z", None, None, None),
]
ROWS = {
    "persons": PERSONS,
    "ae_attendances": [
        ("a1", "p1", "RYJ", 1, T(2024, 3, 5, 10), T(2024, 3, 5, 13)),
        ("a2", "p2", "RYJ", 1, T(2024, 3, 10, 23), T(2024, 3, 11, 2, 30)),
        ("a3", "p3", "RYJ", 3, T(2024, 4, 2, 8), T(2024, 4, 2, 21)),
    ],
}


def test_union_strategy_gives_the_cube_aggregates(engine, make_db, imd):
    con = make_db(ROWS)
    # One indicator, one month: the union strategy sends a 13-way union per pass, which
    # Spark takes about 25 s to run even on these few rows (the cube: about 2 s).
    catalogue = load_default_catalogue().select(["ae_4_hours"])
    kwargs = {"imd": imd, "periods": ["2024-03"]}
    cube = engine.check(con, catalogue, **kwargs)
    union = aggregate(engine.backend, catalogue, strategy="union", **kwargs)
    pd.testing.assert_frame_equal(union, cube, check_exact=True)
