"""Standard populations for direct standardisation, shipped as data.

The 2013 European Standard Population (ESP 2013) is the standard OHID/Fingertips and ONS use for
directly standardised rates in England. Eurostat publishes it in 21 bands (0, 1-4, 5-9, ...,
90-94, 95+; 100,000 in total); two groupings of it are used in practice:

* :data:`ESP2013`: 19 five-year bands, 0-4 ... 85-89 and 90+ (age 0 merged with 1-4, 90-94 with
  95+), exactly as PHEindicatormethods 2.1.0 ships it (``esp2013``) for ``calculate_dsr``.
* :data:`ESP2013_LIFE_TABLE`: 20 bands, 0, 1-4, 5-9 ... 85-89, 90+, the bands of the abridged life
  table (``phe_life_expectancy``).

References
----------
Eurostat. Revision of the European Standard Population: report of Eurostat's task-force.
Methodologies and Working Papers, 2013 edition. Luxembourg: Publications Office of the European
Union, 2013 (KS-RA-13-028-EN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

_EUROSTAT_2013 = (
    "Eurostat, Revision of the European Standard Population: report of Eurostat's task-force, "
    "2013 (KS-RA-13-028-EN)"
)


@dataclass(frozen=True)
class StandardPopulation:
    """A standard population: band start ages and the standard population of each band.

    Attributes
    ----------
    name
        Short name, e.g. ``"ESP2013"``.
    age_start
        The first age of each band, increasing; the last band is open (e.g. 90+).
    weights
        The standard population of each band, in the same order.
    source
        Where the figures come from.
    """

    name: str
    age_start: tuple[int, ...]
    weights: tuple[float, ...]
    source: str

    def __post_init__(self) -> None:
        if len(self.age_start) != len(self.weights):
            raise ValueError("age_start and weights must have one value per band")
        if list(self.age_start) != sorted(set(self.age_start)):
            raise ValueError("age_start must be strictly increasing")

    @property
    def labels(self) -> tuple[str, ...]:
        """Band labels: ``"0-4"``, ``"5-9"`` ... ``"90+"`` (``"0"`` for a one-year band at 0).

        >>> ESP2013.labels[:2], ESP2013.labels[-1]
        (('0-4', '5-9'), '90+')
        """
        out = []
        for start, end in zip(self.age_start, self.age_start[1:], strict=False):
            out.append(str(start) if end - start == 1 else f"{start}-{end - 1}")
        out.append(f"{self.age_start[-1]}+")
        return tuple(out)

    @property
    def total(self) -> float:
        """The total standard population (100,000 for ESP 2013)."""
        return float(sum(self.weights))

    def weights_for(self, age_start: ArrayLike) -> FloatArray:
        """The standard population for each row, looked up by the band's start age.

        Use it to build the ``stdpop`` column of :func:`focuson.stats.dsr.dsr` from a column of
        band start ages (one row per group and band). Vectorised: one lookup for all rows.

        Parameters
        ----------
        age_start
            The start age of each row's band; every value must be one of :attr:`age_start`.

        Returns
        -------
        numpy.ndarray
            The band's standard population for each row.

        Raises
        ------
        ValueError
            If an age is not the start of one of this population's bands (naming the rows).

        Examples
        --------
        >>> ESP2013.weights_for([0, 5, 90, 85]).tolist()
        [5000.0, 5500.0, 1000.0, 1500.0]
        """
        ages = np.asarray(age_start, dtype=np.float64).reshape(-1)
        starts = np.asarray(self.age_start, dtype=np.float64)
        position = np.clip(np.searchsorted(starts, ages), 0, starts.size - 1)
        bad = starts[position] != ages
        if bad.any():
            rows = np.flatnonzero(bad)
            shown = ", ".join(str(i) for i in rows[:5])
            more = f" (and {rows.size - 5} more)" if rows.size > 5 else ""
            raise ValueError(
                f"age_start: not the start of a band of {self.name} in rows {shown}{more}; "
                f"bands start at {', '.join(str(a) for a in self.age_start)}"
            )
        return np.asarray(self.weights, dtype=np.float64)[position]


# fmt: off
_ESP2013_19 = (
    5000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0,
    7000.0, 6500.0, 6000.0, 5500.0, 5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
)
_ESP2013_20 = (
    1000.0, 4000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0,
    7000.0, 7000.0, 6500.0, 6000.0, 5500.0, 5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
)
# fmt: on

#: ESP 2013 in the 19 bands of PHEindicatormethods' ``esp2013``: 0-4, 5-9 ... 85-89, 90+.
ESP2013 = StandardPopulation(
    name="ESP2013",
    age_start=(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90),
    weights=_ESP2013_19,
    source=_EUROSTAT_2013,
)

#: ESP 2013 in the 20 life-table bands: 0, 1-4, 5-9 ... 85-89, 90+.
ESP2013_LIFE_TABLE = StandardPopulation(
    name="ESP2013_LIFE_TABLE",
    age_start=(0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90),
    weights=_ESP2013_20,
    source=_EUROSTAT_2013,
)
