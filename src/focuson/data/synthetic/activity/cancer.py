"""``cancer_pathways``: urgent suspected cancer referrals, diagnosis, treatment and stage.

Volume
    Referrals per person-year by age (0-15, 16-24, 25-44, 45-64, 65-74, 75+): 0.003, 0.012,
    0.03, 0.065, 0.11, 0.15, times 1.3 for women and 0.9 for men; about 0.05 a year. England
    makes about 250,000-280,000 urgent suspected cancer referrals a month for 57 million
    people, about 0.055 a year (NHS England, Cancer Waiting Times, 2023-24).
Pathway
    The suspected cancer type follows sex (children under 16: ``children``). The diagnosis
    (cancer or not) is communicated within 28 days with the probability planted by ethnic group
    (:data:`~focuson.data.synthetic.effects.CANCER_WITHIN_28_DAYS`), after 3 to 28 days;
    otherwise after 29 days plus an exponential tail of mean 21 days. 2-15% of referrals
    (by type) turn out to be cancer (England: about 6-7%); only these get a decision to treat
    (0-21 days after diagnosis), a first treatment (within 31 days of the decision for 91%, as
    in the 31-day standard) and a stage (1-4; 8% not recorded). Dates that fall after the
    window are empty, and so are the later steps.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import beyond, within
from focuson.data.synthetic.activity._common import Context, dates, events, ids
from focuson.data.synthetic.effects import CANCER_FDS_DAYS, cancer_within
from focuson.data.synthetic.population import FEMALE, MALE, People, dictionary

SCHEMA = pa.schema(
    [
        ("pathway_id", pa.int64()),
        ("person_id", pa.int64()),
        ("cancer_type", pa.dictionary(pa.int32(), pa.string())),
        ("referral", pa.date32()),
        ("diagnosis_communicated", pa.date32()),
        ("decision_to_treat", pa.date32()),
        ("first_treatment", pa.date32()),
        ("stage", pa.int32()),
    ]
)
AGE_BANDS = (0, 16, 25, 45, 65, 75)
RATES = (0.003, 0.012, 0.03, 0.065, 0.11, 0.15)
SEX_FACTOR = (1.3, 0.9, 1.1)
#: Suspected cancer type -> (share of women's referrals, of men's, share found to be cancer).
TYPES: dict[str, tuple[float, float, float]] = {
    "breast": (0.30, 0.01, 0.06),
    "lower_gi": (0.18, 0.24, 0.04),
    "skin": (0.12, 0.15, 0.08),
    "gynaecological": (0.12, 0.0, 0.05),
    "upper_gi": (0.08, 0.10, 0.05),
    "head_and_neck": (0.05, 0.08, 0.05),
    "lung": (0.04, 0.06, 0.15),
    "urological": (0.04, 0.24, 0.10),
    "haematological": (0.03, 0.04, 0.10),
    "brain": (0.01, 0.01, 0.05),
    "sarcoma": (0.01, 0.01, 0.05),
    "testicular": (0.0, 0.02, 0.10),
    "other": (0.02, 0.04, 0.06),
    "children": (0.0, 0.0, 0.02),
}
_NAMES = tuple(TYPES)
_WOMEN = np.array([t[0] for t in TYPES.values()])
_MEN = np.array([t[1] for t in TYPES.values()])
_CANCER = np.array([t[2] for t in TYPES.values()])
STAGES = np.array([0.28, 0.24, 0.20, 0.20, 0.08])  # 1, 2, 3, 4, not recorded


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``cancer_pathways`` rows of a block of people; ids start at ``first_id``."""
    w = ctx.window
    span = w.end_day - w.start_day
    factor = np.asarray(SEX_FACTOR)[people.sex]
    who = events(
        rng, people, RATES, AGE_BANDS, span / 365.25, age_day=w.start_day, multiplier=factor
    )
    n = who.size
    referral = w.start_day + rng.integers(0, span, n)
    sex = people.sex[who]
    kind = np.where(
        sex == FEMALE,
        rng.choice(len(_NAMES), n, p=_WOMEN / _WOMEN.sum()),
        rng.choice(len(_NAMES), n, p=_MEN / _MEN.sum()),
    )
    kind = np.where(
        (sex != FEMALE) & (sex != MALE),
        rng.choice(len(_NAMES), n, p=(_WOMEN + _MEN) / (_WOMEN + _MEN).sum()),
        kind,
    )
    kind[people.age_years(who, referral) < 16] = _NAMES.index("children")
    on_time = rng.random(n) < cancer_within(people, who)
    diagnosis = referral + np.where(
        on_time,
        within(rng, n, 3, CANCER_FDS_DAYS, 2.0, 2.0),
        beyond(rng, n, CANCER_FDS_DAYS + 1, 21.0, 365),
    )
    cancer = rng.random(n) < _CANCER[kind]
    decision = diagnosis + rng.integers(0, 22, n)
    treatment = decision + np.where(
        rng.random(n) < 0.91, within(rng, n, 0, 31, 1.5, 2.0), beyond(rng, n, 32, 15.0, 200)
    )
    stage = rng.choice(5, n, p=STAGES) + 1
    end = w.end_day
    no_diagnosis = diagnosis >= end
    no_decision = no_diagnosis | ~cancer | (decision >= end)
    no_treatment = no_decision | (treatment >= end)
    no_stage = no_diagnosis | ~cancer | (stage == 5)
    return pa.table(
        [
            ids(first_id, n),
            pa.array(people.person_id[who], pa.int64()),
            dictionary(kind, _NAMES),
            dates(referral),
            dates(diagnosis, no_diagnosis),
            dates(decision, no_decision),
            dates(treatment, no_treatment),
            pa.array(stage.astype(np.int32), pa.int32(), mask=no_stage),
        ],
        schema=SCHEMA,
    )
