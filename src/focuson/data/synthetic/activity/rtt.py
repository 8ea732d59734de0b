"""``rtt_pathways``: referral-to-treatment (RTT) pathways, their clock starts and stops.

Volume
    Clock starts per person-year by age (0-15, 16-44, 45-64, 65-79, 80+): 0.14, 0.25, 0.42,
    0.62, 0.66; about 0.32 a year for NWL's young population. England starts roughly 1.6-1.7
    million new RTT periods a month for 57 million people, about 0.35 a year (NHS England,
    Consultant-led Referral to Treatment Waiting Times statistics, 2023-24). Clock starts are
    drawn from 3 years before the window (:data:`RUN_IN_DAYS`: fewer than 1 in 1,000 waits are
    longer) so that the waiting list is in steady state when the window opens, long waits
    included; a pathway is kept when its clock is still running on the window's first day or
    starts later. The waiting list at a census date comes out near 13% of residents, about a third
    of them waiting over 18 weeks (England, 2024: about 7.5 million pathways for 57 million
    people, 13%, some 40% over 18 weeks).
Waits
    The clock stops within 18 weeks (126 days) with the probability planted by IMD quintile
    (:data:`~focuson.data.synthetic.effects.RTT_WITHIN_18_WEEKS`), 7 to 126 days (Beta(2, 1.5)
    shape); otherwise after 127 days plus an exponential tail of mean 130 days (about 16% of those
    waits pass 52 weeks). At a census date the waiting list therefore holds about 61% (most
    deprived) to 67% (least deprived) waiting 18 weeks or less
    (:func:`~focuson.data.synthetic.effects.rtt_census_within`). A clock that has not stopped
    by the end of the window has an empty ``clock_stop``.
Treatment functions and providers
    3-digit treatment function codes with rough national RTT shares (children under 16: a
    paediatric mix). Ophthalmology goes to Moorfields (RP6) 30% of the time and trauma and
    orthopaedics to the Royal National Orthopaedic Hospital (RAN) 15%; everything else to the
    borough's acute trusts (:mod:`focuson.data.synthetic.providers`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import beyond, first_day_of_month, within
from focuson.data.synthetic.activity._common import Context, dates, events, ids
from focuson.data.synthetic.effects import RTT_LATE_WAIT, RTT_ON_TIME_WAIT, rtt_within
from focuson.data.synthetic.population import People, dictionary
from focuson.data.synthetic.providers import CODES as PROVIDERS
from focuson.data.synthetic.providers import acute_provider

SCHEMA = pa.schema(
    [
        ("pathway_id", pa.int64()),
        ("person_id", pa.int64()),
        ("provider", pa.dictionary(pa.int32(), pa.string())),
        ("treatment_function", pa.dictionary(pa.int32(), pa.string())),
        ("clock_start", pa.date32()),
        ("clock_stop", pa.date32()),
    ]
)
AGE_BANDS = (0, 16, 45, 65, 80)
RATES = (0.14, 0.25, 0.42, 0.62, 0.66)
ADULT: dict[str, float] = {
    "100": 0.07, "101": 0.06, "110": 0.13, "120": 0.07, "130": 0.11, "140": 0.05, "150": 0.01,
    "160": 0.02, "170": 0.005, "300": 0.03, "301": 0.06, "303": 0.01, "307": 0.01, "320": 0.05,
    "330": 0.07, "340": 0.03, "361": 0.01, "400": 0.03, "410": 0.02, "430": 0.01, "502": 0.08,
}  # fmt: skip
CHILD: dict[str, float] = {
    "420": 0.40, "120": 0.20, "110": 0.10, "130": 0.10, "171": 0.10, "330": 0.05, "140": 0.05
}  # fmt: skip
FUNCTIONS: tuple[str, ...] = tuple(dict.fromkeys([*ADULT, *CHILD]))
#: Days before the window whose clock starts are drawn too. Only pathways still open on the
#: window's first day are kept: with a shorter run-in the list would lack its longest waits and
#: keep filling up (52-week waits building, the share within 18 weeks drifting) inside the
#: window. Late waits are 127 days plus an exponential tail of mean 130 days, so fewer than
#: 1 in 1,000 exceed 3 years.
RUN_IN_DAYS = 3 * 365
_ADULT_P = np.array([ADULT.get(f, 0.0) for f in FUNCTIONS]) / sum(ADULT.values())
_CHILD_P = np.array([CHILD.get(f, 0.0) for f in FUNCTIONS]) / sum(CHILD.values())


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``rtt_pathways`` rows of a block of people; ids start at ``first_id``."""
    w = ctx.window
    span = RUN_IN_DAYS + w.end_day - w.start_day
    who = events(rng, people, RATES, AGE_BANDS, span / 365.25, age_day=w.start_day)
    n = who.size
    start = w.start_day - RUN_IN_DAYS + rng.integers(0, span, n)
    on_time = rng.random(n) < rtt_within(people, who)
    wait = np.where(
        on_time,
        within(rng, n, *RTT_ON_TIME_WAIT),
        beyond(rng, n, *RTT_LATE_WAIT),
    )
    child = people.age_years(who, start) < 16
    function = np.where(
        child,
        rng.choice(len(FUNCTIONS), n, p=_CHILD_P),
        rng.choice(len(FUNCTIONS), n, p=_ADULT_P),
    )
    provider = acute_provider(rng, people.borough[who])
    u = rng.random(n)
    provider[(function == FUNCTIONS.index("130")) & (u < 0.30)] = PROVIDERS.index("RP6")
    provider[(function == FUNCTIONS.index("110")) & (u < 0.15)] = PROVIDERS.index("RAN")
    stop = start + wait
    born = first_day_of_month(people.dob_month[who])
    keep = (stop >= w.start_day) & (start >= born)
    kept: list[np.ndarray] = [a[keep] for a in (who, start, stop, function, provider)]
    who, start, stop, function, provider = kept
    return pa.table(
        [
            ids(first_id, who.size),
            pa.array(people.person_id[who], pa.int64()),
            dictionary(provider, PROVIDERS),
            dictionary(function, FUNCTIONS),
            dates(start),
            dates(stop, stop >= w.end_day),
        ],
        schema=SCHEMA,
    )
