"""Presenting a measure so that a positive value means the most deprived are worse off.

focuson stores every measure raw, as its reference package defines it, and presents it oriented.
OHID and NHS England North East and Yorkshire show SII so that positive means a disadvantage for the
most deprived; healthequal's SII/RII/ACI/RCI are positive (RII > 1) when the indicator is higher
among the advantaged, whatever its polarity.

References
----------
NHS England North East and Yorkshire. Inequalities Methodologies Document v1, 2024
(nhsengland/NEY-Inequalities-Methodologies).
WHO. Handbook on health inequality monitoring, 2013.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Polarity = Literal["favourable", "adverse", "unclear"]

#: Measures whose raw sign means "higher among the advantaged" (healthequal convention).
ADVANTAGE_POSITIVE = frozenset({"sii", "aci", "rci"})
#: Ratio measures: oriented by taking the reciprocal rather than the negative.
ADVANTAGE_RATIO = frozenset({"rii"})


def oriented(measure: str, value: ArrayLike, polarity: Polarity) -> NDArray[np.float64]:
    """Orient a raw ordered measure so that positive (or > 1) means worse for the most deprived.

    For a favourable indicator (higher is better) a higher value among the advantaged already
    disadvantages the deprived, so the raw value is shown. For an adverse indicator, or one without
    a clear polarity, the sign is flipped (ratios inverted), following OHID and NE&Y.

    Parameters
    ----------
    measure
        ``"sii"``, ``"rii"``, ``"aci"`` or ``"rci"`` with the healthequal sign convention.
    value
        Raw values.
    polarity
        ``"favourable"``, ``"adverse"`` or ``"unclear"``.

    Examples
    --------
    >>> oriented("sii", [2.5], "adverse").tolist()
    [-2.5]
    >>> oriented("rii", [0.8], "adverse").tolist()
    [1.25]
    >>> oriented("sii", [2.5], "favourable").tolist()
    [2.5]
    """
    arr = np.asarray(value, dtype=np.float64)
    key = measure.lower()
    if polarity not in ("favourable", "adverse", "unclear"):
        raise ValueError(f"polarity: expected favourable, adverse or unclear, got {polarity!r}")
    if key not in ADVANTAGE_POSITIVE | ADVANTAGE_RATIO:
        raise ValueError(f"measure: {measure!r} has no orientation rule; use sii, rii, aci or rci")
    if polarity == "favourable":
        return arr.copy()
    if key in ADVANTAGE_RATIO:
        with np.errstate(divide="ignore"):
            return np.asarray(1.0 / arr)
    return np.asarray(-arr)
