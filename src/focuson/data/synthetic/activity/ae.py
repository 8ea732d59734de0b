"""``ae_attendances``: A&E attendances with arrival and departure times.

Volume
    Attendances per person-year by age (0-4, 5-17, 18-24, 25-64, 65-79, 80+): 0.75, 0.30, 0.45,
    0.33, 0.40, 0.85; about 0.39 a year for NWL's young population. England sees about 2.2
    million attendances a month across all department types for 57 million people, about 0.46
    a year (NHS England, A&E Attendances and Emergency Admissions, 2023-24). Department types:
    1 (major A&E) 63%, 2 (single specialty, mostly eye) 2%, 3 (urgent treatment centres) 34%,
    4 1%.
Times
    Arrival on a uniformly drawn day of the window at an hour following a typical A&E day (few
    at night, most from 9:00 to 21:00). The share leaving within 4 hours is planted by age at
    arrival in every department type (:data:`~focuson.data.synthetic.effects.AE_WITHIN_4_HOURS`,
    as the catalogue's ``ae_4_hours`` counts all types); times within 4 hours run from 5
    minutes to exactly 4 hours, longer ones have an exponential tail of mean 3 hours, up to 48
    hours. Attendances still in the department when
    the window ends are left out.
Providers
    The borough's acute trusts; type 2 at Moorfields (RP6) or Imperial's Western Eye (RYJ).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import beyond, within
from focuson.data.synthetic.activity._common import Context, events, ids
from focuson.data.synthetic.effects import ae_within
from focuson.data.synthetic.population import People, dictionary
from focuson.data.synthetic.providers import CODES as PROVIDERS
from focuson.data.synthetic.providers import acute_provider

SCHEMA = pa.schema(
    [
        ("attendance_id", pa.int64()),
        ("person_id", pa.int64()),
        ("provider", pa.dictionary(pa.int32(), pa.string())),
        ("department_type", pa.int32()),
        ("arrival", pa.timestamp("us")),
        ("departure", pa.timestamp("us")),
    ]
)
AGE_BANDS = (0, 5, 18, 25, 65, 80)
RATES = (0.75, 0.30, 0.45, 0.33, 0.40, 0.85)
DEPARTMENT_TYPES = np.array([0.63, 0.02, 0.34, 0.01])
HOURS = np.array(
    [2.0, 1.6, 1.3, 1.1, 1.0, 1.0, 1.3, 2.2, 3.6, 4.8, 5.4, 5.4,
     5.2, 5.0, 4.9, 4.8, 4.8, 4.9, 4.9, 4.6, 4.2, 3.7, 3.1, 2.5]
)  # fmt: skip
FOUR_HOURS = 4 * 3600
_US = 1_000_000


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``ae_attendances`` rows of a block of people; ids start at ``first_id``."""
    w = ctx.window
    span = w.end_day - w.start_day
    who = events(rng, people, RATES, AGE_BANDS, span / 365.25, age_day=w.start_day)
    n = who.size
    day = w.start_day + rng.integers(0, span, n)
    second = rng.choice(24, n, p=HOURS / HOURS.sum()) * 3600 + rng.integers(0, 3600, n)
    dept = rng.choice(4, n, p=DEPARTMENT_TYPES) + 1
    on_time = rng.random(n) < ae_within(people, who, day)
    stay = np.where(
        on_time,
        within(rng, n, 300, FOUR_HOURS, 2.2, 1.6),
        beyond(rng, n, FOUR_HOURS + 1, 3 * 3600.0, 48 * 3600),
    )
    provider = acute_provider(rng, people.borough[who])
    eye = dept == 2
    provider[eye] = np.where(
        rng.random(int(eye.sum())) < 0.5, PROVIDERS.index("RP6"), PROVIDERS.index("RYJ")
    )
    arrival = day * 86_400 + second
    departure = arrival + stay
    keep = departure < w.end_day * 86_400
    kept: list[np.ndarray] = [a[keep] for a in (who, dept, provider, arrival, departure)]
    who, dept, provider, arrival, departure = kept
    return pa.table(
        [
            ids(first_id, who.size),
            pa.array(people.person_id[who], pa.int64()),
            dictionary(provider, PROVIDERS),
            pa.array(dept.astype(np.int32), pa.int32()),
            pa.array(arrival * _US, pa.timestamp("us")),
            pa.array(departure * _US, pa.timestamp("us")),
        ],
        schema=SCHEMA,
    )
