"""What every activity table needs: the window, the areas, and events drawn per person."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from focuson.data.synthetic._sampling import BoolArray, IntArray, Window, band_index
from focuson.data.synthetic.geography import Geography
from focuson.data.synthetic.population import People


@dataclass(frozen=True)
class Context:
    """The window and areas shared by the activity generators."""

    window: Window
    geo: Geography


def events(
    rng: np.random.Generator,
    people: People,
    rates: npt.ArrayLike,
    bands: tuple[int, ...],
    years: float,
    *,
    age_day: int,
    multiplier: npt.NDArray[np.float64] | None = None,
) -> IntArray:
    """For each event, the row of the person it belongs to (Poisson counts per person).

    Parameters
    ----------
    rng
        The random generator.
    people
        The block of people.
    rates
        Events per person-year for each age band.
    bands
        Lower bounds of the age bands (the first is 0).
    years
        The length of time events are drawn over.
    age_day
        The day (number) at which the age band is taken.
    multiplier
        An optional factor per person on top of the age-band rate.

    Returns
    -------
    numpy.ndarray
        Row indices into ``people``, sorted, one per event.
    """
    age = people.age_years(np.arange(len(people)), np.full(len(people), age_day))
    rate = np.asarray(rates, dtype=np.float64)[band_index(np.maximum(age, 0), bands)]
    if multiplier is not None:
        rate = rate * multiplier
    counts = rng.poisson(rate * years)
    return np.repeat(np.arange(len(people)), counts)


def dates(days: IntArray, missing: BoolArray | None = None) -> pa.Array:
    """A ``date32`` column from day numbers, null where ``missing``."""
    values = np.asarray(days, dtype=np.int32)
    if missing is None:
        return pa.array(values, pa.date32())
    return pa.array(values, pa.date32(), mask=np.asarray(missing, dtype=bool))


def ids(first_id: int, n: int) -> pa.Array:
    """Consecutive ``int64`` ids from ``first_id``."""
    return pa.array(np.arange(first_id, first_id + n, dtype=np.int64), pa.int64())
