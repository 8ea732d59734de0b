"""The published counts: what every statistic a run writes is computed from.

Rounding to 5 protects nothing if a value or an interval computed from the true counts is
published beside the rounded ones: a proportion to full precision and its Wilson interval pin the
true numerator and denominator. So, as OpenSAFELY's output rules require, every statistic Find and
Monitor publish (values, intervals, comparisons, p- and q-values, people affected, gradients,
gaps) is computed from the *published* counts only:

* a row that is not suppressed has its numerator and denominator rounded by the rule;
* a suppressed row has no counts: its value is missing, and it takes part in no comparison, no
  multiple-testing family and no summary measure (:mod:`~focuson.find.gradients` blanks a measure
  when any of its groups is suppressed);
* a directly standardised rate needs its counts by age band, which are not published: every
  band's events are scaled so that they add up to the published events, and every band's
  population to the published population (``x_b * published / true``). The value then rests on the
  published totals and the group's age mix, and the interval (Dobson) on the published events,
  so neither can be inverted to a total that is not published;
* a mean's sum and sum of squares are scaled the same way, to the published count.

Examples
--------
>>> agg = pd.DataFrame({"indicator": "a", "period": "p", "dimension": "sex", "group": ["F", "M"],
...     "band": -1, "numerator": [52.0, 3.0], "denominator": [103.0, 40.0]})
>>> published_aggregates(agg, np.array([False, True]))[["numerator", "denominator"]].values.tolist()
[[50.0, 105.0], [0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from focuson.find.estimates import KEYS
from focuson.stats import NHS_RULE, DisclosureRule


def totals(aggregates: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator x period x dimension x group: counts summed over age bands."""
    return aggregates.groupby(KEYS, sort=False, as_index=False)[["numerator", "denominator"]].sum()


def published_aggregates(
    aggregates: pd.DataFrame,
    suppressed: np.ndarray,
    *,
    rule: DisclosureRule = NHS_RULE,
) -> pd.DataFrame:
    """The AGGREGATES frame with the published counts in place of the true ones.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame (true counts).
    suppressed
        Per row of :func:`totals` of ``aggregates`` (same order): suppressed.
    rule
        The disclosure rule (its rounding).

    Returns
    -------
    pandas.DataFrame
        The same rows; counts rounded as published (numerators of means excepted: sums of
        values, scaled with their count), 0 where suppressed; band rows and sums scaled to the
        published totals (see the module notes).
    """
    tot = totals(aggregates)
    n_true = tot["numerator"].to_numpy(np.float64)
    d_true = tot["denominator"].to_numpy(np.float64)
    hidden = np.asarray(suppressed, dtype=bool)
    n_pub = np.where(hidden, 0.0, rule.round(np.rint(n_true)))
    d_pub = np.where(hidden, 0.0, rule.round(np.rint(d_true)))
    with np.errstate(divide="ignore", invalid="ignore"):
        n_scale = np.where(n_true > 0, n_pub / n_true, 0.0)
        d_scale = np.where(d_true > 0, d_pub / d_true, 0.0)
    index = pd.MultiIndex.from_frame(tot[KEYS]).get_indexer(
        pd.MultiIndex.from_frame(aggregates[KEYS])
    )
    out = aggregates.copy()
    band_rows = out["band"].to_numpy() >= 0
    num = out["numerator"].to_numpy(np.float64)
    den = out["denominator"].to_numpy(np.float64)
    # Band rows (and a mean's sum, whose count is the denominator) scale with their totals; a
    # total row is the published count itself.
    is_sum = _is_sum(out)
    out["numerator"] = np.where(
        is_sum,
        num * d_scale[index],
        np.where(band_rows, num * n_scale[index], n_pub[index]),
    )
    out["denominator"] = np.where(band_rows, den * d_scale[index], d_pub[index])
    if "sum_sq" in out.columns:
        out["sum_sq"] = out["sum_sq"].to_numpy(np.float64) * d_scale[index]
    return out


def _is_sum(aggregates: pd.DataFrame) -> np.ndarray:
    """Rows whose numerator is a sum of values (means): they have a sum of squares."""
    if "sum_sq" not in aggregates.columns:
        return np.zeros(len(aggregates), dtype=bool)
    return aggregates["sum_sq"].notna().to_numpy()
