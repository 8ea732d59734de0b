"""Funnel plot of areas (boroughs) against their size, with 95% and 99.8% control limits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from focuson.stats import funnel_limits, funnel_points, funnel_significance
from focuson.stats.funnels import (
    HIGH_001,
    HIGH_025,
    LOW_001,
    LOW_025,
    NOT_APPLICABLE_DSR,
    NOT_SIGNIFICANT,
)

#: Plain-English names of the funnel significance labels, in legend order.
POSITIONS: dict[str, str] = {
    LOW_001: "Below the 99.8% limit",
    LOW_025: "Below the 95% limit",
    NOT_SIGNIFICANT: "Within the 95% limits",
    HIGH_025: "Above the 95% limit",
    HIGH_001: "Above the 99.8% limit",
    NOT_APPLICABLE_DSR: "Not assessed",
}
_LIMIT_NAMES = {
    "lower_2s": "95% limits",
    "upper_2s": "95% limits",
    "lower_3s": "99.8% limits",
    "upper_3s": "99.8% limits",
}


def visible(rows: pd.DataFrame) -> pd.Series:
    """Rows that may be drawn: not suppressed and with a finite value (a missing flag counts
    as suppressed)."""
    keep = pd.Series(np.isfinite(rows["value"].to_numpy(dtype=float)), index=rows.index)
    if "suppressed" in rows:
        keep &= rows["suppressed"].eq(False)
    return keep


@dataclass(frozen=True)
class FunnelData:
    """What a funnel plot draws.

    Attributes
    ----------
    points
        One row per area drawn: ``group``, ``x`` (population, per year for rates), ``value``,
        ``position`` (plain-English place against the limits, see :data:`POSITIONS`).
    limits
        The control limits as lines: ``x``, ``value``, ``limit`` (``"95% limits"`` or
        ``"99.8% limits"``) and ``line`` (``"lower_2s"`` ...), 100 points per line.
    baseline
        The pooled average on the value's scale (the centre line).
    x_title
        What the x axis counts.
    """

    points: pd.DataFrame
    limits: pd.DataFrame
    baseline: float
    x_title: str


def funnel_data(rows: pd.DataFrame, *, statistic: str, multiplier: float) -> FunnelData:
    """Points and control limits of a funnel plot, from :func:`focuson.stats.funnel_limits`.

    Parameters
    ----------
    rows
        One row per area with ``group``, ``numerator``, ``denominator``, ``value`` (on the
        multiplier's scale, e.g. 52.3 for 52.3%) and optionally ``suppressed``. Suppressed rows
        and rows without counts are left out.
    statistic
        The indicator's statistic: ``"proportion"``, ``"rate"`` (crude rate) or ``"dsr"``
        (directly standardised rate, drawn only for areas with 10 or more events). Means have
        no funnel.
    multiplier
        100 for a percentage, 100,000 for a rate per 100,000.

    Returns
    -------
    FunnelData

    Raises
    ------
    ValueError
        For a mean or an unknown statistic, or fewer than two areas to draw.

    Notes
    -----
    The limits follow PHEindicatormethods 2.1.0 ``calculate_funnel_limits`` (Wilson limits for
    proportions, exact Poisson limits for rates); for rates the x axis is the annual population
    at which a rate lies on each limit (one period is taken as one year).

    Examples
    --------
    >>> rows = pd.DataFrame({"group": ["A", "B", "C"], "numerator": [300.0, 450.0, 200.0],
    ...                      "denominator": [1000.0, 1200.0, 900.0],
    ...                      "value": [30.0, 37.5, 22.2]})
    >>> data = funnel_data(rows, statistic="proportion", multiplier=100)
    >>> round(data.baseline, 2), data.points["position"].tolist()
    (30.65, ['Within the 95% limits', 'Above the 99.8% limit', 'Below the 99.8% limit'])
    """
    if statistic not in ("proportion", "rate", "dsr"):
        raise ValueError(
            f"statistic: funnel plots are drawn for proportions and rates, not {statistic!r}"
        )
    keep = visible(rows)
    for column in ("numerator", "denominator"):
        keep &= np.isfinite(rows[column].to_numpy(dtype=float))
    used = rows.loc[keep]
    if len(used) < 2:
        raise ValueError("rows: a funnel plot needs at least two areas with published counts")
    numerator = used["numerator"].to_numpy(dtype=float)
    denominator = used["denominator"].to_numpy(dtype=float)
    value = used["value"].to_numpy(dtype=float)
    clamp = multiplier != 100
    if statistic == "proportion":
        lim = funnel_limits(
            numerator,
            denominator,
            statistic="proportion",
            multiplier=multiplier,
            clamp_to_multiplier=clamp,
        )
        sig = funnel_significance(numerator, denominator, statistic="proportion")
        x_points = denominator
        limit_x = {name: lim.points for name in _LIMIT_NAMES}
        x_title = "Denominator (people)"
    else:
        rate_type = "dsr" if statistic == "dsr" else "crude"
        lim = funnel_limits(
            numerator,
            denominator,
            statistic="rate",
            rate=value,
            rate_type=rate_type,
            multiplier=multiplier,
            years_of_data=1,
        )
        sig = funnel_significance(
            numerator,
            denominator,
            statistic="rate",
            rate=value,
            rate_type=rate_type,
            multiplier=multiplier,
        )
        pts = funnel_points(
            numerator,
            denominator,
            rate=value,
            rate_type=rate_type,
            years_of_data=1,
            multiplier=multiplier,
        )
        x_points = pts.denominator
        limit_x = {name: lim.extras[f"{name}_population_1_year"] for name in _LIMIT_NAMES}
        x_title = "Population"
    labels = pd.Series(sig.label, dtype=object).map(POSITIONS).fillna(POSITIONS[NOT_APPLICABLE_DSR])
    points = pd.DataFrame(
        {
            "group": used["group"].astype(str).to_numpy(),
            "x": x_points,
            "value": value,
            "position": labels.to_numpy(),
        }
    )
    points = points[np.isfinite(points["x"]) & np.isfinite(points["value"])]
    limits = pd.concat(
        [
            pd.DataFrame(
                {"x": limit_x[name], "value": getattr(lim, name), "limit": label, "line": name}
            )
            for name, label in _LIMIT_NAMES.items()
        ],
        ignore_index=True,
    )
    # The limits flare towards tiny populations; draw them over the range of the areas only,
    # from half the smallest area, so the flare does not flatten the points.
    start = 0.5 * float(points["x"].min()) if len(points) else 0.0
    limits = limits[
        np.isfinite(limits["x"]) & np.isfinite(limits["value"]) & (limits["x"] >= start)
    ]
    baseline = lim.baseline
    if baseline is None:  # pragma: no cover - proportions and rates always have one
        baseline = float(np.nan)
    return FunnelData(
        points=points.reset_index(drop=True),
        limits=limits.reset_index(drop=True),
        baseline=float(baseline),
        x_title=x_title,
    )
