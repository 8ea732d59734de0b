"""``admissions``: hospital admissions, elective and emergency, with a primary diagnosis.

Volume
    Admissions per person-year by age (0-4, 5-17, 18-44, 45-64, 65-74, 75+): elective 0.05,
    0.04, 0.08, 0.18, 0.35, 0.45 and emergency 0.15, 0.04, 0.06, 0.08, 0.15, 0.35; about 0.23
    a year. England records about 17-18 million finished admission episodes a year for 57
    million people, about 0.3 a year (NHS England, Hospital Admitted Patient Care Activity,
    2023-24), with an older population.
Diagnoses
    ICD-10 codes (with the dot, e.g. ``J18.9``) drawn from a short list of common primary
    diagnoses for each method, with rough weights; no planted effect.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic.activity._common import Context, dates, events, ids
from focuson.data.synthetic.population import People, dictionary

SCHEMA = pa.schema(
    [
        ("admission_id", pa.int64()),
        ("person_id", pa.int64()),
        ("admitted", pa.date32()),
        ("method", pa.dictionary(pa.int32(), pa.string())),
        ("primary_diagnosis", pa.dictionary(pa.int32(), pa.string())),
    ]
)
METHODS: tuple[str, ...] = ("elective", "emergency")
AGE_BANDS = (0, 5, 18, 45, 65, 75)
ELECTIVE_RATES = (0.05, 0.04, 0.08, 0.18, 0.35, 0.45)
EMERGENCY_RATES = (0.15, 0.04, 0.06, 0.08, 0.15, 0.35)
ELECTIVE: dict[str, float] = {
    "Z51.1": 0.12, "H25.9": 0.08, "D12.6": 0.05, "K40.9": 0.04, "M17.1": 0.04, "K80.2": 0.04,
    "K21.9": 0.04, "M16.1": 0.03, "K57.3": 0.03, "C50.9": 0.03, "G56.0": 0.03, "R10.4": 0.03,
    "C18.9": 0.02, "C61": 0.02, "N40": 0.02, "N20.0": 0.02, "M51.1": 0.02, "N81.2": 0.02,
    "D25.9": 0.02, "K62.1": 0.02, "L72.1": 0.02, "K29.7": 0.02, "M75.1": 0.02, "N39.0": 0.01,
}  # fmt: skip
EMERGENCY: dict[str, float] = {
    "R07.4": 0.08, "R10.4": 0.07, "J18.9": 0.07, "N39.0": 0.06, "I50.9": 0.04, "J44.1": 0.04,
    "A41.9": 0.04, "R55": 0.04, "J22": 0.04, "I21.4": 0.03, "I63.9": 0.03, "S72.0": 0.03,
    "K35.8": 0.03, "R06.0": 0.03, "L03.1": 0.03, "I48.9": 0.03, "J06.9": 0.03, "A09.9": 0.03,
    "R50.9": 0.03, "J45.9": 0.02, "R51": 0.02, "F10.0": 0.02, "S06.0": 0.02, "K92.2": 0.02,
    "E86": 0.02, "N17.9": 0.02,
}  # fmt: skip
CODES: tuple[str, ...] = tuple(dict.fromkeys([*ELECTIVE, *EMERGENCY]))
_PE = np.array([ELECTIVE.get(c, 0.0) for c in CODES]) / sum(ELECTIVE.values())
_PM = np.array([EMERGENCY.get(c, 0.0) for c in CODES]) / sum(EMERGENCY.values())


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``admissions`` rows of a block of people; ids start at ``first_id``."""
    w = ctx.window
    span = w.end_day - w.start_day
    years = span / 365.25
    elective = events(rng, people, ELECTIVE_RATES, AGE_BANDS, years, age_day=w.start_day)
    emergency = events(rng, people, EMERGENCY_RATES, AGE_BANDS, years, age_day=w.start_day)
    who = np.concatenate([elective, emergency])
    method = np.concatenate([np.zeros(elective.size, np.int64), np.ones(emergency.size, np.int64)])
    n = who.size
    admitted = w.start_day + rng.integers(0, span, n)
    code = np.where(method == 0, rng.choice(len(CODES), n, p=_PE), rng.choice(len(CODES), n, p=_PM))
    order = np.lexsort((admitted, who))
    return pa.table(
        [
            ids(first_id, n),
            pa.array(people.person_id[who[order]], pa.int64()),
            dates(admitted[order]),
            dictionary(method[order], METHODS),
            dictionary(code[order], CODES),
        ],
        schema=SCHEMA,
    )
