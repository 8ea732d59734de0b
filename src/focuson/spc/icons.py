"""Point types, variation icons and assurance icons, named as NHSRplotthedots 0.2.2 names them."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Int8Array = NDArray[np.int8]

#: Point types, indexed by the codes :func:`point_type_codes` returns.
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
#: Variation icons (one per series, from its latest point).
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
#: Assurance icons; ``""`` means no assurance (no target, neutral direction or no limits).
ASSURANCE_ICONS = ("", "consistent_pass", "consistent_fail", "inconsistent")
#: Point colours of the Making Data Count charts, by point type.
COLOURS = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
#: Improvement directions and their sign.
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


def point_type_codes(side: Int8Array, improvement: Int8Array) -> Int8Array:
    """Point type code from the side of a special-cause point and the improvement direction.

    ``side`` is +1 for a point flagged high (above a limit, above the mean, increasing trend),
    -1 for low and 0 for common cause; ``improvement`` is +1 (increase), -1 (decrease) or 0
    (neutral), broadcast against ``side``.

    >>> codes = point_type_codes(np.array([1, -1, 0, 1]), np.array([1, 1, 1, 0]))
    >>> [POINT_TYPES[c] for c in codes]  # doctest: +NORMALIZE_WHITESPACE
    ['special_cause_improvement', 'special_cause_concern', 'common_cause',
     'special_cause_neutral_high']
    """
    oriented = side * improvement
    code = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0))
    neutral = np.where(side > 0, 3, np.where(side < 0, 4, 0))
    return np.where(improvement == 0, neutral, code).astype(np.int8)


def variation_codes(latest_type: Int8Array, improvement: Int8Array) -> Int8Array:
    """Variation icon code from the point type of each series' latest point.

    >>> [VARIATION_ICONS[c] for c in variation_codes(np.array([1, 2, 2]), np.array([1, 1, -1]))]
    ['improvement_high', 'concern_low', 'concern_high']
    """
    increase = improvement > 0
    table_up = np.array([0, 1, 4, 5, 6], dtype=np.int8)
    table_down = np.array([0, 2, 3, 5, 6], dtype=np.int8)
    return np.where(increase, table_up[latest_type], table_down[latest_type]).astype(np.int8)


def assurance_codes(
    target: FloatArray, lower: FloatArray, upper: FloatArray, improvement: Int8Array
) -> Int8Array:
    """Assurance icon code of each series against its target, from its latest limits.

    Strict comparisons as in NHSRplotthedots: a target equal to a limit is ``inconsistent``.
    No target (NaN) or a neutral direction gives no assurance (code 0). Limits that are NaN
    give ``inconsistent``, as in NHSRplotthedots; callers that want no assurance there mask it.

    >>> codes = assurance_codes(np.array([4.0, 4, 4]), np.array([1.0, 5, 1]),
    ...                         np.array([3.0, 7, 5]), np.array([1, 1, 1]))
    >>> [ASSURANCE_ICONS[c] for c in codes]
    ['consistent_fail', 'consistent_pass', 'inconsistent']
    """
    with np.errstate(invalid="ignore"):
        above = target > upper
        below = target < lower
    up = np.where(above, 2, np.where(below, 1, 3))
    down = np.where(above, 1, np.where(below, 2, 3))
    code = np.where(improvement > 0, up, down)
    return np.where(np.isnan(target) | (improvement == 0), 0, code).astype(np.int8)
