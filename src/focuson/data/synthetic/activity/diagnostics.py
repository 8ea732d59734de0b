"""``diagnostic_waits``: requests for the 15 key diagnostic tests (DM01) and when they were done.

Volume
    Requests per person-year by age (0-15, 16-44, 45-64, 65-79, 80+): 0.12, 0.36, 0.70, 1.15,
    1.30; about 0.5 a year. England performs about 2.3 million DM01 tests a month for 57
    million people, about 0.48 a year (NHS England, Monthly Diagnostic Waiting Times and
    Activity, 2023-24). Drawn from 120 days before the window; a request is kept when its test
    is done (or still awaited) on or after the window's first day.
Waits
    Tested within 6 weeks (42 days) with the planted probability
    (:data:`~focuson.data.synthetic.effects.DIAGNOSTIC_WITHIN_6_WEEKS`, the same for everyone:
    a no-difference check), 0 to 42 days; otherwise 43 days plus an exponential tail of mean
    30 days. ``tested`` is empty while the test is still awaited at the end of the window.
Modalities
    DM01 tests with rough national activity shares: non-obstetric ultrasound, CT and MRI make
    up about three quarters.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import beyond, first_day_of_month, within
from focuson.data.synthetic.activity._common import Context, dates, events, ids
from focuson.data.synthetic.effects import (
    DIAGNOSTIC_LATE_WAIT,
    DIAGNOSTIC_ON_TIME_WAIT,
    DIAGNOSTIC_WITHIN_6_WEEKS,
)
from focuson.data.synthetic.population import People, dictionary
from focuson.data.synthetic.providers import CODES as PROVIDERS
from focuson.data.synthetic.providers import acute_provider

SCHEMA = pa.schema(
    [
        ("request_id", pa.int64()),
        ("person_id", pa.int64()),
        ("provider", pa.dictionary(pa.int32(), pa.string())),
        ("modality", pa.dictionary(pa.int32(), pa.string())),
        ("requested", pa.date32()),
        ("tested", pa.date32()),
    ]
)
AGE_BANDS = (0, 16, 45, 65, 80)
RATES = (0.12, 0.36, 0.70, 1.15, 1.30)
RUN_IN_DAYS = 120
MODALITIES: dict[str, float] = {
    "non_obstetric_ultrasound": 0.34, "computed_tomography": 0.24,
    "magnetic_resonance_imaging": 0.15, "echocardiography": 0.07, "audiology_assessments": 0.05,
    "gastroscopy": 0.03, "dexa_scan": 0.025, "colonoscopy": 0.02,
    "peripheral_neurophysiology": 0.015, "flexi_sigmoidoscopy": 0.01, "cystoscopy": 0.01,
    "sleep_studies": 0.01, "cardiology_electrophysiology": 0.005, "urodynamics": 0.005,
    "barium_enema": 0.001,
}  # fmt: skip
_NAMES = tuple(MODALITIES)
_P = np.array(list(MODALITIES.values())) / sum(MODALITIES.values())


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``diagnostic_waits`` rows of a block of people; ids start at ``first_id``."""
    w = ctx.window
    span = RUN_IN_DAYS + w.end_day - w.start_day
    who = events(rng, people, RATES, AGE_BANDS, span / 365.25, age_day=w.start_day)
    n = who.size
    requested = w.start_day - RUN_IN_DAYS + rng.integers(0, span, n)
    on_time = rng.random(n) < DIAGNOSTIC_WITHIN_6_WEEKS
    wait = np.where(
        on_time,
        within(rng, n, *DIAGNOSTIC_ON_TIME_WAIT),
        beyond(rng, n, *DIAGNOSTIC_LATE_WAIT),
    )
    modality = rng.choice(len(_NAMES), n, p=_P)
    provider = acute_provider(rng, people.borough[who])
    tested = requested + wait
    born = first_day_of_month(people.dob_month[who])
    keep = (tested >= w.start_day) & (requested >= born)
    kept: list[np.ndarray] = [a[keep] for a in (who, requested, tested, modality, provider)]
    who, requested, tested, modality, provider = kept
    return pa.table(
        [
            ids(first_id, who.size),
            pa.array(people.person_id[who], pa.int64()),
            dictionary(provider, PROVIDERS),
            dictionary(modality, _NAMES),
            dates(requested),
            dates(tested, tested >= w.end_day),
        ],
        schema=SCHEMA,
    )
