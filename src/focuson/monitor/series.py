"""Level series and gap series, per indicator and month, from the AGGREGATES frame.

Levels are the findings of :func:`focuson.find.find` for every indicator x month x dimension x
group (value, confidence interval, counts, comparison with the reference), so they have been
through Find's disclosure control: suppressed cells have blank values and the published counts
are rounded. Ethnic groups (``ethnicity_6``) are compared with everyone else (``"rest"``).

Gap series say whether inequality is closing. One row per indicator x month x measure x group:

==========================  =====================================================================
measure                     value
==========================  =====================================================================
``sii``                     slope index of inequality across IMD deciles, NHS England flavour
                            (:func:`focuson.stats.sii_nhse`, ``flip=False``: least minus most
                            deprived); group ``"All"``; neutral 0
``rii``                     relative index of inequality (same fit); neutral 1
``q1_q5_difference``        most (quintile 1) minus least (quintile 5) deprived; neutral 0
``q1_q5_ratio``             most over least deprived; neutral 1
``ethnicity_difference``    each ethnic group (``ethnicity_6``, not stated excluded) minus
                            everyone else; neutral 0
==========================  =====================================================================

Gaps are computed from the published levels only (values from the published counts, rounded
denominators), and a gap is blank when any cell it is computed from is suppressed, so no gap gives
a suppressed value away. ``people`` is the published (rounded) denominator of the group the gap
is about (quintile 1 for the deprivation measures), blank where suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from focuson.find import find
from focuson.stats import NHS_RULE, DisclosureRule, sii_nhse

#: Columns of the level series.
LEVEL_COLUMNS: list[str] = [
    "indicator",
    "period",
    "dimension",
    "group",
    "reference_group",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "reference_value",
    "difference",
    "q_value",
    "significant",
    "direction",
    "excess",
    "suppressed",
]
#: Columns of the gap series.
GAP_COLUMNS: list[str] = ["indicator", "period", "measure", "group", "value", "neutral", "people"]
#: Gap measures and their neutral value (no inequality).
MEASURES: dict[str, float] = {
    "sii": 0.0,
    "rii": 1.0,
    "q1_q5_difference": 0.0,
    "q1_q5_ratio": 1.0,
    "ethnicity_difference": 0.0,
}
#: The reference of each dimension in the level series (over Find's defaults).
MONITOR_REFERENCE: dict[str, str] = {"ethnicity_6": "rest"}


def level_series(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    alpha: float = 0.05,
    reference: Mapping[str, str] | None = None,
    rule: DisclosureRule = NHS_RULE,
) -> pd.DataFrame:
    """The level of every indicator x dimension x group by month, disclosure-controlled.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame (one period per month).
    indicators
        The INDICATORS frame.
    alpha
        False discovery rate of ``significant``.
    reference
        Dimension to reference group, over :data:`MONITOR_REFERENCE` and Find's defaults.
    rule
        Disclosure rule.

    Returns
    -------
    pandas.DataFrame
        :data:`LEVEL_COLUMNS`, sorted by indicator, period, dimension, group.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "statistic": ["proportion"], "multiplier": [100.0],
    ...     "polarity": ["higher_is_better"], "standard": [np.nan], "target": [np.nan]})
    >>> agg = pd.DataFrame({"indicator": "a", "period": "2024-03", "band": -1,
    ...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
    ...     "numerator": [80.0, 50.0, 30.0], "denominator": [160.0, 100.0, 60.0]})
    >>> level_series(agg, ind)[["group", "value", "denominator"]].values.tolist()
    [['All', 50.0, 160.0], ['F', 50.0, 100.0], ['M', 50.0, 60.0]]
    """
    merged = {**MONITOR_REFERENCE, **(reference or {})}
    found = find(aggregates, indicators, alpha=alpha, reference=merged, rule=rule,
                 sii_repetitions=100)  # fmt: skip
    return found.findings[LEVEL_COLUMNS].reset_index(drop=True)


def _wide(rows: pd.DataFrame, column: str, groups: list[str]) -> pd.DataFrame:
    """(indicator, period) x group, only the (indicator, period) pairs present."""
    wide = (
        rows.drop_duplicates(["indicator", "period", "group"])
        .set_index(["indicator", "period", "group"])[column]
        .unstack("group")
    )
    return wide.reindex(columns=groups)


def gap_series(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    levels: pd.DataFrame,
    *,
    national_imd: ArrayLike | None = None,
) -> pd.DataFrame:
    """The gap series of every indicator by month (see the module notes).

    Parameters
    ----------
    aggregates
        The AGGREGATES frame the levels were made from (for the SII's decile populations).
    indicators
        The INDICATORS frame.
    levels
        The level series of :func:`level_series`.
    national_imd
        England's population by IMD decile (decile 1 first); equal tenths by default.

    Returns
    -------
    pandas.DataFrame
        :data:`GAP_COLUMNS`, sorted by indicator, measure, group, period.

    Examples
    --------
    >>> lv = pd.DataFrame({"indicator": "a", "period": "2024-03", "dimension": "imd_quintile",
    ...     "group": ["1", "5"], "value": [60.0, 75.0], "denominator": [100.0, 120.0],
    ...     "difference": [-15.0, 0.0], "suppressed": False})
    >>> agg = pd.DataFrame(columns=["indicator", "period", "dimension", "group", "band",
    ...     "numerator", "denominator"])
    >>> ind = pd.DataFrame({"id": ["a"], "statistic": ["proportion"], "multiplier": [100.0]})
    >>> g = gap_series(agg, ind, lv)
    >>> g[["measure", "value", "people"]].values.tolist()
    [['q1_q5_difference', -15.0, 100.0], ['q1_q5_ratio', 0.8, 100.0]]
    """
    parts = [_sii(aggregates, indicators, levels, national_imd), _quintiles(levels)]
    parts.append(_ethnicity(levels))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in GAP_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["neutral"] = out["measure"].map(MEASURES).astype(np.float64)
    out = out[GAP_COLUMNS].astype({"value": np.float64, "people": np.float64})
    return out.sort_values(["indicator", "measure", "group", "period"]).reset_index(drop=True)


def _sii(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    levels: pd.DataFrame,
    national_imd: ArrayLike | None,
) -> pd.DataFrame:
    deciles = [str(d) for d in range(1, 11)]
    # From the published levels (values from the published counts, rounded denominators), never
    # from the true counts: the gap then tells nothing the levels do not.
    lv = levels.loc[levels["dimension"] == "imd_decile"]
    if lv.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    value = _wide(lv, "value", deciles).astype(np.float64)
    pop = _wide(lv, "denominator", deciles).reindex(value.index).astype(np.float64)
    flags = _wide(lv.assign(s=lv["suppressed"].astype(float)), "s", deciles)
    hidden = flags.reindex(value.index).fillna(0.0).to_numpy() > 0
    v, n = value.to_numpy(np.float64), pop.to_numpy(np.float64)
    usable = ~np.isnan(v) & ~np.isnan(n) & (n > 0)
    national = np.full(10, 0.1) if national_imd is None else np.asarray(national_imd, float)
    sii, rii = sii_nhse(np.where(usable, v, 0.0), np.where(usable, n, 0.0), national,
                        lower=None, upper=None, flip=False, rii=True)  # fmt: skip
    enough = usable.sum(axis=1) >= 2
    blank = hidden.any(axis=1) | ~enough
    people = _people(levels, "imd_decile", "1").reindex(value.index)
    base = value.index.to_frame(index=False).assign(people=people.to_numpy(), group="All")
    return pd.concat(
        [
            base.assign(measure="sii", value=np.where(blank, np.nan, sii.value)),
            base.assign(measure="rii", value=np.where(blank, np.nan, rii.value)),
        ],
        ignore_index=True,
    )


def _people(levels: pd.DataFrame, dimension: str, group: str) -> pd.Series:
    rows = levels.loc[(levels["dimension"] == dimension) & (levels["group"] == group)]
    return rows.set_index(["indicator", "period"])["denominator"].astype(np.float64)


def _quintiles(levels: pd.DataFrame) -> pd.DataFrame:
    rows = levels.loc[levels["dimension"] == "imd_quintile"]
    if rows.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    value = _wide(rows, "value", ["1", "5"]).astype(np.float64)
    people = _wide(rows, "denominator", ["1", "5"])["1"].astype(np.float64)
    q1, q5 = value["1"].to_numpy(), value["5"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(q5 > 0, q1 / np.where(q5 > 0, q5, 1.0), np.nan)
    base = value.index.to_frame(index=False).assign(people=people.to_numpy(), group="All")
    return pd.concat(
        [
            base.assign(measure="q1_q5_difference", value=q1 - q5),
            base.assign(measure="q1_q5_ratio", value=ratio),
        ],
        ignore_index=True,
    )


def _ethnicity(levels: pd.DataFrame) -> pd.DataFrame:
    rows = levels.loc[(levels["dimension"] == "ethnicity_6")]
    low = rows["group"].astype(str).str.lower()
    rows = rows.loc[~(low.str.contains("not stated") | low.str.contains("not known"))]
    if rows.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    return pd.DataFrame(
        {
            "indicator": rows["indicator"].to_numpy(),
            "period": rows["period"].to_numpy(),
            "measure": "ethnicity_difference",
            "group": rows["group"].to_numpy(),
            "value": rows["difference"].to_numpy(np.float64),
            "people": rows["denominator"].to_numpy(np.float64),
        }
    )
