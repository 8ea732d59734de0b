"""Hypothesis makes small patient tables; every engine must count them exactly as DuckDB does.

Dates and times are drawn around the edges that differ between engines (month ends, leap days,
midnight, a stay of exactly 4 or 12 hours), people include leap-day births, unknown LSOAs and
not-stated ethnicity. Each engine runs a share of the Hypothesis profile's examples (Spark is
slow): ``FOCUSON_HYPOTHESIS_PROFILE=thorough`` runs many more. A disagreement found here
becomes a case in the spec files.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focuson.engine import load_default_catalogue

D = dt.date
T = dt.datetime
AS_OF = D(2024, 4, 30)
CATALOGUE = load_default_catalogue().select(
    ["ae_4_hours", "ae_over_12_hours", "rtt_18_weeks", "emergency_admissions"]
)
LEAP_DAYS = [D(y, 2, 29) for y in (1932, 1960, 1988, 2000, 2016, 2024)]
MONTH_ENDS = [D(2024, m, d) for m, d in ((1, 31), (2, 29), (3, 31), (4, 30))]

births = st.one_of(st.dates(D(1920, 1, 1), D(2024, 4, 30)), st.sampled_from(LEAP_DAYS))
days = st.one_of(st.dates(D(2023, 6, 1), AS_OF), st.sampled_from(MONTH_ENDS))
moments = st.one_of(
    st.datetimes(T(2024, 1, 1), T(2024, 4, 30, 23, 59, 59)).map(lambda t: t.replace(microsecond=0)),
    st.sampled_from(MONTH_ENDS).map(lambda d: T(d.year, d.month, d.day)),  # midnight
)
stays = st.one_of(
    st.none(),
    st.sampled_from([240, 720]).map(lambda m: dt.timedelta(minutes=m)),
    st.integers(0, 30 * 3600).map(lambda s: dt.timedelta(seconds=s)),
)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[tuple]]:
    n = draw(st.integers(1, 6))
    persons = [
        (
            f"p{i}",
            draw(st.sampled_from(["F", "M", "U"])),
            draw(births),
            draw(st.sampled_from(["A", "N", "H", "Z", "99"])),
            draw(st.sampled_from(["E01000001", "E01000002", "E01000003", None])),
            None,
            None,
        )
        for i in range(n)
    ]
    person = st.sampled_from([p[0] for p in persons])
    ae = []
    for k in range(draw(st.integers(0, 8))):
        arrival, stay = draw(moments), draw(stays)
        departure = arrival + stay if stay is not None else None
        ae.append((f"a{k}", draw(person), "RYJ", 1, arrival, departure))
    rtt = []
    for k in range(draw(st.integers(0, 5))):
        start = draw(days)
        wait = draw(st.one_of(st.none(), st.integers(0, 200)))
        stop = start + dt.timedelta(days=wait) if wait is not None else None
        rtt.append((f"r{k}", draw(person), "RYJ", "100", start, stop))
    admissions = [
        (f"m{k}", draw(person), draw(days), draw(st.sampled_from(["emergency", "elective"])), "X")
        for k in range(draw(st.integers(0, 5)))
    ]
    return {"persons": persons, "ae_attendances": ae, "rtt_pathways": rtt, "admissions": admissions}


def test_engines_agree_on_generated_tables(engine, make_db, imd):
    examples = max(2, round(settings().max_examples * engine.capability.examples_share))

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(datasets())
    def agree(rows: dict[str, list[tuple]]) -> None:
        con = make_db(rows, as_of=AS_OF)
        engine.check(con, CATALOGUE, imd=imd)

    agree()
