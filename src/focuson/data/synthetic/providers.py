"""NHS trusts that provide the activity, and which borough uses which (an assumption).

The codes are the trusts' ODS codes (NHS Organisation Data Service). The shares say where a
borough's residents are treated; they are rough assumptions from the trusts' locations
(Northwick Park and Central Middlesex: LNWH; St Mary's, Charing Cross and Hammersmith: Imperial;
Chelsea and Westminster and West Middlesex: Chelsea and Westminster; Hillingdon: The Hillingdon
Hospitals), not published flows.
"""

from __future__ import annotations

import numpy as np

from focuson.data.synthetic._sampling import IntArray, categorical_rows, stacked_cdf
from focuson.data.synthetic.boroughs import BOROUGHS

#: ODS code -> trust name.
PROVIDERS: dict[str, str] = {
    "R1K": "London North West University Healthcare NHS Trust",
    "RYJ": "Imperial College Healthcare NHS Trust",
    "RQM": "Chelsea and Westminster Hospital NHS Foundation Trust",
    "RAS": "The Hillingdon Hospitals NHS Foundation Trust",
    "RP6": "Moorfields Eye Hospital NHS Foundation Trust",
    "RAN": "Royal National Orthopaedic Hospital NHS Trust",
    "RRV": "University College London Hospitals NHS Foundation Trust",
    "RAL": "Royal Free London NHS Foundation Trust",
}
CODES: tuple[str, ...] = tuple(PROVIDERS)

#: Borough -> share of its residents' acute activity at each trust.
ACUTE_MIX: dict[str, dict[str, float]] = {
    "Brent": {"R1K": 0.70, "RYJ": 0.15, "RAL": 0.10, "RRV": 0.05},
    "Ealing": {"R1K": 0.55, "RYJ": 0.25, "RQM": 0.15, "RAS": 0.05},
    "Hammersmith and Fulham": {"RYJ": 0.65, "RQM": 0.30, "RRV": 0.05},
    "Harrow": {"R1K": 0.80, "RAS": 0.10, "RAL": 0.05, "RRV": 0.05},
    "Hillingdon": {"RAS": 0.80, "R1K": 0.15, "RYJ": 0.05},
    "Hounslow": {"RQM": 0.75, "R1K": 0.10, "RYJ": 0.10, "RAS": 0.05},
    "Kensington and Chelsea": {"RQM": 0.45, "RYJ": 0.45, "RRV": 0.10},
    "Westminster": {"RYJ": 0.60, "RQM": 0.25, "RRV": 0.15},
}

_CDF = stacked_cdf([[ACUTE_MIX[b.name].get(c, 0.0) for c in CODES] for b in BOROUGHS])


def acute_provider(rng: np.random.Generator, borough: IntArray) -> IntArray:
    """A trust (index into :data:`CODES`) for each event, from the resident's borough.

    >>> int(acute_provider(np.random.default_rng(0), np.array([4]))[0]) in (0, 1, 3)
    True
    """
    return categorical_rows(rng, _CDF, len(CODES), borough)
