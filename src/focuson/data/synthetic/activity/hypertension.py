"""``hypertension``: the hypertension register at the end of the window, with the last BP.

Who
    Adults with diagnosed hypertension: prevalence by age at the end of the window (18-39,
    40-49, 50-59, 60-69, 70-79, 80+): 1.2%, 5%, 13%, 25%, 38%, 50%, times 1.45 for Black and
    1.15 for Asian people and 1.1 in the most deprived quintile. That gives about 11% of all
    residents: below England's QOF register (about 14% of registered patients), as London's
    younger population is.
Dates
    Diagnosed on a day drawn evenly over the 15 years before the end of the window (not before
    the 18th birthday).
Treated to target
    Planted as the catalogue's ``hypertension_treated_to_target`` counts it on the window's
    last day: a reading in the last 12 months below 140/90, or below 150/90 at 80 or over, with
    the probability planted by deprivation x Black
    (:data:`~focuson.data.synthetic.effects.HYPERTENSION_CONTROL`). Their last reading falls in
    the last 12 months (not before the diagnosis), drawn around 127/77 and kept below 140/90.
    Of the others, 25% have no reading (``last_bp``, ``systolic`` and ``diastolic`` empty),
    15% of those diagnosed over a year ago a reading 12 to 15 months old, and the rest a
    reading in the last 12 months above their threshold: high in systolic only (60%),
    diastolic only (15%) or both (25%). Systolic is always at least 10 above diastolic.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import first_day_of_month
from focuson.data.synthetic.activity._common import Context, dates
from focuson.data.synthetic.boroughs import ETHNIC_GROUPS
from focuson.data.synthetic.effects import hypertension_control
from focuson.data.synthetic.population import People

SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("diagnosed", pa.date32()),
        ("last_bp", pa.date32()),
        ("systolic", pa.int32()),
        ("diastolic", pa.int32()),
    ]
)
AGE_BANDS = (0, 18, 40, 50, 60, 70, 80)
PREVALENCE = (0.0, 0.012, 0.05, 0.13, 0.25, 0.38, 0.50)
ETHNIC_FACTOR = {"White": 1.0, "Mixed": 1.0, "Asian": 1.15, "Black": 1.45, "Other": 1.0}
DEPRIVED_FACTOR = 1.1
#: Of those not treated to target: no reading, or (diagnosed over a year ago) an old one.
NO_READING = 0.25
STALE_READING = 0.15
YEARS_BACK = 15


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``hypertension`` rows of a block of people (the table has no id column)."""
    del first_id
    w = ctx.window
    last = w.end_day - 1
    everyone = np.arange(len(people))
    age = people.age_years(everyone, np.full(len(people), last))
    band = np.searchsorted(np.asarray(AGE_BANDS), np.maximum(age, 0), side="right") - 1
    p = np.asarray(PREVALENCE)[band]
    p = p * np.array([ETHNIC_FACTOR[g] for g in ETHNIC_GROUPS])[people.group]
    p = np.where(people.imd_quintile == 1, p * DEPRIVED_FACTOR, p)
    who = everyone[rng.random(len(people)) < np.minimum(p, 0.95)]
    n = who.size
    adult = first_day_of_month(people.dob_month[who] + 18 * 12)
    earliest = np.maximum(adult, last - int(YEARS_BACK * 365.25))
    diagnosed = earliest + np.floor(rng.random(n) * (last - earliest + 1)).astype(np.int64)
    to_target = rng.random(n) < hypertension_control(people, who)
    kind = rng.random(n)
    no_bp = ~to_target & (kind < NO_READING)
    stale = ~to_target & ~no_bp & (kind < NO_READING + STALE_READING) & (diagnosed <= last - 365)
    recent_from = np.maximum(diagnosed, last - 364)
    recent = recent_from + np.floor(rng.random(n) * (last - recent_from + 1)).astype(np.int64)
    old = last - 455 + np.floor(rng.random(n) * 91).astype(np.int64)  # 12 to 15 months ago
    last_bp = np.where(stale, np.maximum(old, diagnosed), recent)
    high = ~to_target & ~no_bp & ~stale
    systolic = np.clip(np.rint(rng.normal(127, 7, n)), 95, 139).astype(np.int64)
    diastolic = np.clip(np.rint(rng.normal(77, 6, n)), 50, 89).astype(np.int64)
    pattern = rng.choice(3, n, p=[0.60, 0.15, 0.25])  # systolic, diastolic, both high
    high_sys = high & (pattern != 1)
    high_dia = high & (pattern != 0)
    limit = np.where(people.age_years(who, np.full(n, last)) >= 80, 150, 140)
    systolic = np.where(
        high_sys, np.minimum(limit + rng.exponential(12, n).astype(np.int64), 230), systolic
    )
    diastolic = np.where(
        high_dia, np.minimum(90 + rng.exponential(6, n).astype(np.int64), 130), diastolic
    )
    systolic = np.maximum(systolic, diastolic + 10)  # keeps each reading's control status
    return pa.table(
        [
            pa.array(people.person_id[who], pa.int64()),
            dates(diagnosed),
            dates(last_bp, no_bp),
            pa.array(systolic.astype(np.int32), pa.int32(), mask=no_bp),
            pa.array(diastolic.astype(np.int32), pa.int32(), mask=no_bp),
        ],
        schema=SCHEMA,
    )
