"""``screening``: invitations to the breast, cervical and bowel screening programmes.

Who and how often (NHS screening programmes, as run in London in 2023-25)
    Breast: women aged 50-70, every 3 years. Cervical: women aged 25-49 every 3 years and 50-64
    every 5 years. Bowel: everyone aged 56-74 (the age extension had reached 56 in London),
    every 2 years. Each person has a random place in their programme's cycle, so over 24 months
    about two thirds of eligible women get a breast invitation, every eligible person a bowel
    one, and so on; eligibility is checked at the age on the invitation date.
Uptake
    The share screened is planted (:mod:`focuson.data.synthetic.effects`): breast 58%, with the
    intervention in Brent; cervical by IMD quintile and month (the widening gap); bowel by sex.
    People who take up their invitation do so within the programme's follow-up window
    (breast 90 days, cervical and bowel 180 days), 7 days or more after it; ``screened`` is empty
    for the others and when the date would fall after the window.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import IntArray, first_day_of_month, within
from focuson.data.synthetic.activity._common import Context, dates
from focuson.data.synthetic.effects import SCREENING_FOLLOW_UP_DAYS, screening_uptake
from focuson.data.synthetic.population import FEMALE, People, dictionary

SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("programme", pa.dictionary(pa.int32(), pa.string())),
        ("invited", pa.date32()),
        ("screened", pa.date32()),
    ]
)
PROGRAMMES: tuple[str, ...] = ("breast", "cervical", "bowel")
#: Programme -> (first age, last age, women only, months between invitations).
ELIGIBLE: dict[str, tuple[int, int, bool, int]] = {
    "breast": (50, 70, True, 36),
    "cervical": (25, 64, True, 36),  # 60 months from age 50
    "bowel": (56, 74, False, 24),
}
_DELAY_SHAPE = {"breast": (1.5, 3.0), "cervical": (1.2, 3.0), "bowel": (1.3, 4.0)}


def _interval(programme: str, age_at_start: IntArray) -> IntArray:
    months = ELIGIBLE[programme][3]
    if programme == "cervical":
        return np.where(age_at_start >= 50, 60, months)
    return np.full(age_at_start.shape, months)


def rows(rng: np.random.Generator, people: People, ctx: Context, first_id: int) -> pa.Table:
    """The ``screening`` rows of a block of people (the table has no id column)."""
    del first_id
    w = ctx.window
    everyone = np.arange(len(people))
    age_at_start = people.age_years(everyone, np.full(len(people), w.start_day))
    parts: list[tuple[int, IntArray, IntArray, IntArray]] = []
    for p, programme in enumerate(PROGRAMMES):
        first_age, last_age, women, _ = ELIGIBLE[programme]
        candidates = everyone[
            (age_at_start >= first_age - w.months // 12 - 1) & (age_at_start <= last_age)
        ]
        if women:
            candidates = candidates[people.sex[candidates] == FEMALE]
        interval = _interval(programme, age_at_start[candidates])
        phase = np.floor(rng.random(candidates.size) * interval).astype(np.int64)
        cycles = -(-w.months // int(interval.min())) if candidates.size else 0
        for k in range(cycles):
            month = phase + k * interval
            due = month < w.months
            who, month = candidates[due], month[due]
            day = first_day_of_month(w.start_month + month) + rng.integers(0, 28, who.size)
            age = people.age_years(who, day)
            ok = (age >= first_age) & (age <= last_age)
            parts.append((p, who[ok], month[ok], day[ok]))
    programme_ix = np.concatenate([np.full(x[1].size, x[0]) for x in parts] or [np.zeros(0)])
    who = np.concatenate([x[1] for x in parts] or [np.zeros(0, np.int64)]).astype(np.int64)
    month = np.concatenate([x[2] for x in parts] or [np.zeros(0, np.int64)]).astype(np.int64)
    invited = np.concatenate([x[3] for x in parts] or [np.zeros(0, np.int64)]).astype(np.int64)
    programme_ix = programme_ix.astype(np.int64)
    n = who.size
    uptake = np.zeros(n)
    delay = np.zeros(n, dtype=np.int64)
    for p, programme in enumerate(PROGRAMMES):
        sel = programme_ix == p
        uptake[sel] = screening_uptake(programme, people, who[sel], month[sel], w)
        a, b = _DELAY_SHAPE[programme]
        delay[sel] = within(rng, int(sel.sum()), 7, SCREENING_FOLLOW_UP_DAYS[programme], a, b)
    screened = invited + delay
    missing = (rng.random(n) >= uptake) | (screened >= w.end_day)
    order = np.lexsort((invited, programme_ix, who))
    return pa.table(
        [
            pa.array(people.person_id[who[order]], pa.int64()),
            dictionary(programme_ix[order], PROGRAMMES),
            dates(invited[order]),
            dates(screened[order], missing[order]),
        ],
        schema=SCHEMA,
    )
