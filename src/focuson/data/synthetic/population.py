"""People: who lives where, with age, sex, ethnicity, GP practice and main language.

Each small area gets ``round(population x scale)`` people (largest remainders, so the total is
exact), numbered in area order; :class:`PersonModel` then draws their attributes one block at a
time, so memory stays flat at any scale:

* age from the area's single-year distribution (90+ spread over 90-104), and a month of birth,
  so that the age in completed years at the window's start is exactly the drawn age;
  ``date_of_birth`` is the first day of that month (month precision);
* sex from the area's female share in the person's broad age band; 0.1% are ``U`` (not known);
* a true ethnic group from the area's Census 2021 mix, then an NHS ethnic category code inside
  the group (:data:`CODE_SPLITS`, an assumption: the LSOA files hold 5 groups only); 5% of
  records say ``Z`` (not stated) and 3% ``99`` (not known) whatever the true group, as in GP
  records where about nine in ten have a usable code;
* a GP practice of the person's borough, weighted by the practices' list sizes;
* a main language from the person's ethnic category
  (:mod:`focuson.data.synthetic.languages`).

The true group stays with the person inside the generator (activity depends on it) but only the
recorded code is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from focuson.data.synthetic._sampling import (
    BoolArray,
    IntArray,
    Window,
    band_index,
    categorical_rows,
    first_day_of_month,
    stacked_cdf,
)
from focuson.data.synthetic.boroughs import ETHNIC_GROUPS, SEX_AGE_BANDS
from focuson.data.synthetic.geography import AGES, Geography
from focuson.data.synthetic.languages import LANGUAGES, language_weights

#: The 16 NHS ethnic category codes (2001 Census categories).
CODES: tuple[str, ...] = tuple("ABCDEFGHJKLMNPRS")
#: Codes as recorded: the 16, then Z (not stated) and 99 (not known).
RECORDED_CODES: tuple[str, ...] = (*CODES, "Z", "99")
#: Ethnic group -> NHS codes, as in :data:`focuson.data.reference.NHS_ETHNIC_CATEGORY_GROUPS`
#: (Chinese, R, is Asian as in the Census 2021 high-level groups).
GROUP_CODES: dict[str, tuple[str, ...]] = {
    "White": ("A", "B", "C"),
    "Mixed": ("D", "E", "F", "G"),
    "Asian": ("H", "J", "K", "L", "R"),
    "Black": ("M", "N", "P"),
    "Other": ("S",),
}
#: Share of each code inside its group (assumed, roughly the NWL boroughs in Census 2021).
CODE_SPLITS: dict[str, float] = {
    "A": 0.55, "B": 0.04, "C": 0.41,
    "D": 0.20, "E": 0.15, "F": 0.30, "G": 0.35,
    "H": 0.45, "J": 0.18, "K": 0.05, "L": 0.26, "R": 0.06,
    "M": 0.28, "N": 0.62, "P": 0.10,
    "S": 1.0,
}  # fmt: skip
NOT_STATED_SHARE = 0.05
NOT_KNOWN_SHARE = 0.03
SEX_UNKNOWN_SHARE = 0.001
SEXES: tuple[str, ...] = ("F", "M", "U")
FEMALE, MALE, UNKNOWN = 0, 1, 2

PERSONS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("sex", pa.dictionary(pa.int32(), pa.string())),
        ("date_of_birth", pa.date32()),
        ("ethnicity", pa.dictionary(pa.int32(), pa.string())),
        ("lsoa", pa.dictionary(pa.int32(), pa.string())),
        ("practice", pa.dictionary(pa.int32(), pa.string())),
        ("main_language", pa.dictionary(pa.int32(), pa.string())),
    ]
)


def area_counts(population: np.ndarray, scale: float) -> IntArray:
    """People per area at ``scale``: rounded by largest remainders to an exact total.

    >>> area_counts(np.array([10.0, 10.0, 10.0]), 0.05).tolist()
    [1, 1, 0]
    """
    want = population * scale
    total = round(float(want.sum()))
    counts = np.floor(want).astype(np.int64)
    short = total - int(counts.sum())
    if short > 0:
        order = np.argsort(-(want - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


@dataclass(frozen=True)
class People:
    """A block of people: one element per person (internal; only ``persons`` is written).

    Attributes
    ----------
    person_id
        Their ids.
    area, borough, imd_quintile
        Small area (index into the geography), borough index, IMD 2019 quintile of the area.
    sex
        0 F, 1 M, 2 U.
    dob_month
        Month of birth (month number, January 1970 = 0).
    group
        True ethnic group (index into :data:`ETHNIC_GROUPS`).
    code
        True NHS ethnic category (index into :data:`CODES`).
    recorded
        Recorded code (index into :data:`RECORDED_CODES`: Z and 99 for not stated / known).
    practice, language
        Indices into the geography's practices and :data:`LANGUAGES`.
    """

    person_id: IntArray
    area: IntArray
    borough: IntArray
    imd_quintile: IntArray
    sex: IntArray
    dob_month: IntArray
    group: IntArray
    code: IntArray
    recorded: IntArray
    practice: IntArray
    language: IntArray

    def __len__(self) -> int:
        return int(self.person_id.shape[0])

    def age_years(self, people: IntArray, days: IntArray) -> IntArray:
        """Age in completed years of ``people`` (row indices) on ``days`` (day numbers)."""
        months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        return (months - self.dob_month[people]) // 12

    def is_black(self) -> BoolArray:
        """True ethnic group is Black."""
        return self.group == ETHNIC_GROUPS.index("Black")


class PersonModel:
    """Draws blocks of people for one geography and window.

    Parameters
    ----------
    geo
        The small areas.
    window
        The months of activity (ages are drawn at its start).
    scale
        People per resident.
    """

    def __init__(self, geo: Geography, window: Window, scale: float) -> None:
        self.geo = geo
        self.window = window
        self.counts = area_counts(geo.population, scale)
        self.cumulative = np.cumsum(self.counts)
        self.total = int(self.cumulative[-1]) if len(self.counts) else 0
        self._quintile = geo.imd_quintile
        self._age = stacked_cdf(geo.age)
        self._ethnic = stacked_cdf(geo.ethnic)
        splits = np.zeros((len(ETHNIC_GROUPS), len(CODES)))
        for g, name in enumerate(ETHNIC_GROUPS):
            for code in GROUP_CODES[name]:
                splits[g, CODES.index(code)] = CODE_SPLITS[code]
        self._codes = stacked_cdf(splits)
        n_boroughs = int(geo.borough.max()) + 1
        practices = np.zeros((n_boroughs, len(geo.practice_code)))
        practices[geo.practice_borough, np.arange(len(geo.practice_code))] = geo.practice_weight
        self._practices = stacked_cdf(practices)
        self._languages = stacked_cdf(language_weights(CODES))

    def people(self, rng: np.random.Generator, lo: int, hi: int) -> People:
        """People number ``lo`` to ``hi - 1`` (0-based; their ids are ``lo + 1 .. hi``)."""
        index = np.arange(lo, hi, dtype=np.int64)
        area = np.searchsorted(self.cumulative, index, side="right").astype(np.int64)
        n = index.shape[0]
        age = categorical_rows(rng, self._age, AGES, area)
        old = age == AGES - 1
        age[old] += np.minimum(rng.geometric(0.3, int(old.sum())) - 1, 14)
        dob_month = self.window.start_month - 12 * age - rng.integers(0, 12, n)
        band = band_index(np.minimum(age, 200), SEX_AGE_BANDS)
        female = rng.random(n) < self.geo.female_share[area, band]
        sex = np.where(female, FEMALE, MALE)
        sex[rng.random(n) < SEX_UNKNOWN_SHARE] = UNKNOWN
        group = categorical_rows(rng, self._ethnic, len(ETHNIC_GROUPS), area)
        code = categorical_rows(rng, self._codes, len(CODES), group)
        u = rng.random(n)
        recorded = code.copy()
        recorded[u < NOT_STATED_SHARE + NOT_KNOWN_SHARE] = RECORDED_CODES.index("99")
        recorded[u < NOT_STATED_SHARE] = RECORDED_CODES.index("Z")
        borough = self.geo.borough[area]
        practice = categorical_rows(rng, self._practices, len(self.geo.practice_code), borough)
        language = categorical_rows(rng, self._languages, len(LANGUAGES), code)
        return People(
            person_id=index + 1,
            area=area,
            borough=borough,
            imd_quintile=self._quintile[area],
            sex=sex,
            dob_month=dob_month,
            group=group,
            code=code,
            recorded=recorded,
            practice=practice,
            language=language,
        )

    def table(self, people: People) -> pa.Table:
        """The ``persons`` rows of a block."""
        return pa.table(
            [
                pa.array(people.person_id, pa.int64()),
                dictionary(people.sex, SEXES),
                pa.array(first_day_of_month(people.dob_month).astype(np.int32), pa.date32()),
                dictionary(people.recorded, RECORDED_CODES),
                dictionary(people.area, self.geo.lsoa_code),
                dictionary(people.practice, self.geo.practice_code),
                dictionary(people.language, LANGUAGES),
            ],
            schema=PERSONS_SCHEMA,
        )


def dictionary(indices: np.ndarray, values: tuple[str, ...]) -> pa.DictionaryArray:
    """A dictionary-encoded string column from category indices (fast to build and write).

    >>> dictionary(np.array([1, 0]), ("F", "M")).to_pylist()
    ['M', 'F']
    """
    return pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(indices, dtype=np.int32)), pa.array(list(values), pa.string())
    )
