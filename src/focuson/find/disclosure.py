"""Disclosure control on the findings, before anything is written.

Counts leave the engine only through here, under a :class:`~focuson.stats.DisclosureRule` (the NHS
rule by default: 1-7 suppressed, the rest rounded to the nearest 5, 0 stays 0):

1. **Within each dimension**, for every indicator x period, the groups and the overall count form
   one line of a table whose total is published (the overall row). A suppressed group alone in
   that line could be recovered by subtraction, so :func:`focuson.stats.disclose_table` adds
   secondary suppression. The numerators and the denominators are protected separately (the
   numerator of a mean is a sum of values, not a count, and is protected through its count) and
   a group is suppressed if either count is. People outside every group of the dimension (e.g.
   sex not known when only F and M are groups) form a residual cell, taken as published: the
   worst case.
2. A group is also suppressed when its reference group is: its comparison would give the
   reference's value away.
3. Suppressed rows are blanked: counts, value, limits, comparison, excess and gaps; they are not
   significant and have no direction. Published counts, the excess and the people to standard are
   rounded. Values, limits and tests are computed before rounding, from the true counts.

Known limits: linear protection within a dimension only. Dimensions that nest (deciles within
quintiles, ethnic codes within groups) or cross (the intersections and their margins) are not
protected against differencing across dimensions, and exact values beside rounded denominators can
narrow a suppressed count to an interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from focuson.stats import NHS_RULE, DisclosureRule, disclose_table

#: Columns blanked on a suppressed row.
BLANKED: tuple[str, ...] = (
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "reference_value",
    "difference",
    "ratio",
    "p_value",
    "q_value",
    "excess",
    "gap_to_standard",
    "gap_to_target",
    "people_to_standard",
)
#: Columns published as rounded counts.
ROUNDED: tuple[str, ...] = ("denominator", "excess", "people_to_standard")


def suppression(findings: pd.DataFrame, *, rule: DisclosureRule = NHS_RULE) -> np.ndarray:
    """Which rows must be suppressed: primary and secondary suppression within each dimension.

    Parameters
    ----------
    findings
        Rows with ``indicator``, ``period``, ``dimension``, ``group``, ``statistic``,
        ``numerator`` and ``denominator`` (true, unrounded counts).
    rule
        The disclosure rule.

    Returns
    -------
    numpy.ndarray
        True where the row's counts may not be published.

    Examples
    --------
    The 3 would follow from the overall 83 and the 80, so the 80 is suppressed too:

    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
    ...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
    ...     "numerator": [83.0, 3.0, 80.0], "denominator": [1000.0, 500.0, 500.0]})
    >>> suppression(f).tolist()
    [False, True, True]
    """
    n = len(findings)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    dims = findings["dimension"].to_numpy()
    is_mean = findings["statistic"].to_numpy() == "mean"
    setting_all = findings.groupby(["indicator", "period"], sort=False).ngroup().to_numpy()
    n_settings = int(setting_all.max()) + 1
    overall_rows = np.flatnonzero(dims == "overall")
    counts = {
        "numerator": np.rint(np.nan_to_num(findings["numerator"].to_numpy(np.float64))),
        "denominator": np.rint(np.nan_to_num(findings["denominator"].to_numpy(np.float64))),
    }
    overall_flag = np.zeros(n_settings, dtype=bool)
    for column, values in counts.items():
        usable = ~is_mean if column == "numerator" else np.ones(n, dtype=bool)
        total = np.full(n_settings, np.nan)
        total[setting_all[overall_rows]] = values[overall_rows]
        primary_overall = rule.suppresses(values[overall_rows]) & usable[overall_rows]
        overall_flag[setting_all[overall_rows[primary_overall]]] = True
        for dimension in pd.unique(dims[dims != "overall"]):
            rows = np.flatnonzero((dims == dimension) & usable)
            if rows.size == 0:
                continue
            settings, s_idx = np.unique(setting_all[rows], return_inverse=True)
            g_idx, labels = pd.factorize(findings["group"].to_numpy()[rows])
            G = len(labels)
            cells = np.zeros((settings.size, 1, G + 1))
            cells[s_idx, 0, g_idx] = values[rows]
            t = total[settings]
            sums = cells.sum(axis=(1, 2))
            cells[:, 0, G] = np.where(np.isnan(t), 0.0, np.clip(t - sums, 0.0, None))
            table = disclose_table(cells, rule=rule, row_totals=True, col_totals=False)
            flags = table.cell_flags[s_idx, 0, g_idx]
            out[rows] |= (flags == "primary") | (flags == "secondary")
            if table.row_total_flags is not None:
                hit = np.isin(table.row_total_flags[:, 0], ("primary", "secondary"))
                overall_flag[settings[hit & ~np.isnan(t)]] = True
        out[overall_rows] |= overall_flag[setting_all[overall_rows]]
    return out


def disclose_findings(findings: pd.DataFrame, *, rule: DisclosureRule = NHS_RULE) -> pd.DataFrame:
    """Suppress, blank and round the findings so that they can leave the engine.

    Parameters
    ----------
    findings
        The findings with true counts (see :func:`~focuson.find.findings.find`); must have the
        columns of :func:`suppression` and may have any of :data:`BLANKED`, ``reference_group``,
        ``significant`` and ``direction``.
    rule
        The disclosure rule.

    Returns
    -------
    pandas.DataFrame
        A copy with ``suppressed`` (bool), the :data:`BLANKED` columns NaN on suppressed rows,
        counts (numerators of means excepted) and :data:`ROUNDED` columns rounded by the rule.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "proportion",
    ...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
    ...     "numerator": [52.0, 40.0, 12.0], "denominator": [103.0, 60.0, 43.0],
    ...     "value": [50.5, 66.7, 27.9]})
    >>> disclose_findings(f)[["numerator", "denominator", "suppressed"]].values.tolist()
    [[50.0, 105.0, False], [40.0, 60.0, False], [10.0, 45.0, False]]
    """
    out = findings.copy()
    hidden = suppression(out, rule=rule)
    if "reference_group" in out.columns:
        # A group compared with a suppressed reference would give the reference's value away.
        keys = ["indicator", "period", "dimension", "group"]
        sup = out.loc[hidden, keys].rename(columns={"group": "reference_group"})
        sup["_ref_hidden"] = True
        merged = out[["indicator", "period", "dimension", "reference_group"]].merge(
            sup, on=["indicator", "period", "dimension", "reference_group"], how="left"
        )
        ref_hidden = merged["_ref_hidden"].notna().to_numpy()
        compare_cols = ["reference_value", "difference", "ratio", "p_value", "q_value", "excess"]
        for c in compare_cols:
            if c in out.columns:
                out.loc[ref_hidden, c] = np.nan
        if "significant" in out.columns:
            out.loc[ref_hidden, "significant"] = False
        if "direction" in out.columns:
            out.loc[ref_hidden, "direction"] = None
    is_mean = out["statistic"].to_numpy() == "mean"
    num = out["numerator"].to_numpy(np.float64)
    out["numerator"] = np.where(is_mean, num, _round(num, rule))
    for c in ROUNDED:
        if c in out.columns:
            out[c] = _round(out[c].to_numpy(np.float64), rule)
    for c in BLANKED:
        if c in out.columns:
            out.loc[hidden, c] = np.nan
    if "significant" in out.columns:
        out.loc[hidden, "significant"] = False
    if "direction" in out.columns:
        out["direction"] = out["direction"].astype(object)
        out.loc[hidden, "direction"] = None
    out["suppressed"] = hidden
    return out


def _round(values: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    """Round to whole numbers, then to the rule's multiple; NaN stays NaN."""
    nan = np.isnan(values)
    rounded = rule.round(np.where(nan, 0.0, np.rint(values)))
    return np.where(nan, np.nan, rounded)
