"""Disclosure control on the findings, before anything is written.

Counts leave the engine only through here, under a :class:`~focuson.stats.DisclosureRule` (the NHS
rule by default: 1-7 suppressed, the rest rounded to the nearest 5, 0 stays 0). The policy, in
terms an IG reviewer can sign off, is ``docs/disclosure.md``; in short:

1. **Primary**: a row whose numerator or denominator is 1-7 is suppressed.
2. **Secondary, across every relation of the published cells**. The dimensions nest and cross
   (deciles in quintiles, NHS codes in the 6 groups, 5-year in broad age bands where the edges
   align, intersections against their margins, everything against the overall):
   :func:`~focuson.find.relations.build_relations` derives every "these cells add up to those"
   relation from the breakdowns' own labels. A fast greedy pass first grows the pattern until no
   relation holds exactly one suppressed cell; then :mod:`~focuson.find.protection` **audits every
   indicator x period as a whole system** with integer programmes (the attacker holds every
   published count with its rounding interval, every relation, non-negativity and, for
   proportions, numerator <= denominator) and suppresses more until no primary count can be
   narrowed below its 1-7 range and no suppressed count pinned to one value.
3. A group compared with a suppressed reference group has no comparison.
4. **Everything published is computed from the published counts** (:mod:`~focuson.find.publish`):
   values, limits, comparisons, p- and q-values, people affected, gradients and gaps. So no
   statistic adds anything to what the rounded counts say.
5. **People affected** (``excess``, ``people_to_standard``) follow the rule of counts: 1-7
   suppressed, the rest rounded to 5.

Indicators that count the same denominators in a month (one waiting list, two indicators) are
audited again knowing what each shows of the other. The pattern is greedy, not the minimum-loss
pattern of an optimiser; ``docs/disclosure.md`` gives what it costs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from focuson.find.protection import protect
from focuson.find.relations import build_relations
from focuson.stats import NHS_RULE, DisclosureRule

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
ROUNDED: tuple[str, ...] = ("denominator",)
#: People-affected columns: published under the rule of counts (1-7 suppressed, the rest rounded).
PEOPLE: tuple[str, ...] = ("excess", "people_to_standard")


def suppression(
    findings: pd.DataFrame, *, rule: DisclosureRule = NHS_RULE, across: bool = True
) -> np.ndarray:
    """Which rows must be suppressed: primary, and secondary across every relation of the cells.

    Parameters
    ----------
    findings
        Rows with ``indicator``, ``period``, ``dimension``, ``group``, ``statistic``,
        ``numerator`` and ``denominator`` (true, unrounded counts).
    rule
        The disclosure rule.
    across
        True (the default): protect against every relation between dimensions
        (:func:`~focuson.find.relations.build_relations`). False: only each dimension against
        the overall, the protection before nested and crossed dimensions were handled (kept
        to measure what the relations add; not safe to publish from).

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

    Within the deciles alone, decile 1 (3) would hide behind the smallest, decile 3 (20); but
    quintile 1 (43) minus decile 2 (40) would then give it away. Decile 2 protects it in both:

    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
    ...     "dimension": ["overall"] + ["imd_decile"] * 4 + ["imd_quintile"] * 2,
    ...     "group": ["All", "1", "2", "3", "4", "1", "2"],
    ...     "numerator": [163.0, 3.0, 40.0, 20.0, 100.0, 43.0, 120.0],
    ...     "denominator": [4000.0, 1000.0, 1000.0, 1000.0, 1000.0, 2000.0, 2000.0]})
    >>> f.loc[suppression(f), "group"].tolist()
    ['1', '2']
    """
    start, _ = suppression_patterns(findings, rule=rule, across=across)
    if not across:
        return start
    return protect(findings, rule=rule, start=start).suppressed


def suppression_patterns(
    findings: pd.DataFrame, *, rule: DisclosureRule = NHS_RULE, across: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The greedy pattern that :func:`suppression` starts from, with each count column's own.

    No relation holds exactly one suppressed cell; the audit of whole systems (rounding
    intervals, chains of relations) is :func:`suppression`'s.

    Parameters
    ----------
    findings, rule, across
        As :func:`suppression`.

    Returns
    -------
    tuple
        The rows to suppress (either count suppressed), and ``{"numerator": ...,
        "denominator": ...}``: per row, whether that count is suppressed in its own pattern
        (numerators of means are never in a pattern: they are sums, protected through counts).

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
    ...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
    ...     "numerator": [83.0, 3.0, 80.0], "denominator": [1000.0, 500.0, 500.0]})
    >>> rows, by_count = suppression_patterns(f)
    >>> by_count["numerator"].tolist(), by_count["denominator"].tolist()
    ([False, True, True], [False, False, False])
    """
    n = len(findings)
    out = np.zeros(n, dtype=bool)
    patterns = {c: np.zeros(n, dtype=bool) for c in ("numerator", "denominator")}
    if n == 0:
        return out, patterns
    rel = build_relations(findings, across=across)
    cells = rel.cells
    cell_of = pd.MultiIndex.from_frame(cells[["dimension", "group"]]).get_indexer(
        pd.MultiIndex.from_arrays(
            [findings["dimension"].astype(str), findings["group"].astype(str)]
        )
    )
    setting = findings.groupby(["indicator", "period"], sort=False).ngroup().to_numpy()
    T, C = int(setting.max()) + 1, len(cells)
    is_mean = findings["statistic"].to_numpy() == "mean"
    dims = cells["dimension"].to_numpy()
    overall_cell = np.flatnonzero(dims == "overall")
    virtual = np.flatnonzero(cells["virtual"].to_numpy())
    for column in patterns:
        usable = ~is_mean if column == "numerator" else np.ones(n, dtype=bool)
        values = np.rint(np.nan_to_num(findings[column].to_numpy(np.float64)))
        V = np.zeros((T, C))
        P = np.zeros((T, C), dtype=bool)
        V[setting[usable], cell_of[usable]] = values[usable]
        P[setting[usable], cell_of[usable]] = True
        if virtual.size and overall_cell.size:
            # A residual cell: the overall minus the dimension's groups, where both are there.
            is_virtual = cells["virtual"].to_numpy()
            total = V[:, overall_cell[0]]
            has_total = P[:, overall_cell[0]]
            for v in virtual:  # one per dimension that leaves people out (ethnicity_5)
                members = (dims == dims[v]) & ~is_virtual
                V[:, v] = np.clip(total - V[:, members].sum(axis=1), 0.0, None)
                P[:, v] = P[:, members].any(axis=1) & has_total
        hidden = _secondary(V, P, rule.suppresses(V) & P, rel.matrix, dims == "overall", rule)
        patterns[column] = usable & hidden[setting, cell_of]
        out |= patterns[column]
    return out, patterns


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
    hidden = suppression(findings, rule=rule)
    return blank_findings(findings, hidden, rule=rule)


def blank_findings(
    findings: pd.DataFrame, hidden: np.ndarray, *, rule: DisclosureRule = NHS_RULE
) -> pd.DataFrame:
    """Blank the suppressed rows, round the counts and apply the rule to people affected.

    Parameters
    ----------
    findings
        Findings (see :func:`disclose_findings`).
    hidden
        Per row: suppressed (from :func:`suppression`).
    rule
        The disclosure rule.

    Returns
    -------
    pandas.DataFrame
        As :func:`disclose_findings`.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
    ...     "dimension": "sex", "group": ["F", "M"], "numerator": [40.0, 12.0],
    ...     "denominator": [60.0, 43.0], "excess": [4.0, 12.4]})
    >>> blank_findings(f, np.array([False, False]))["excess"].tolist()
    [nan, 10.0]
    """
    out = findings.copy()
    hidden = np.asarray(hidden, dtype=bool)
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
    for c in PEOPLE:
        if c in out.columns:
            out[c] = people_count(out[c].to_numpy(np.float64), rule)
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


def people_count(values: np.ndarray, rule: DisclosureRule = NHS_RULE) -> np.ndarray:
    """A number of people as the rule publishes a count: whole, 1-7 blank, the rest rounded.

    >>> people_count(np.array([0.2, 3.4, 7.6, 12.4, np.nan])).tolist()
    [0.0, nan, 10.0, 10.0, nan]
    """
    whole = np.rint(values)
    rounded = _round(whole, rule)
    return np.where(rule.suppresses(np.abs(np.nan_to_num(whole))), np.nan, rounded)


def _secondary(
    V: np.ndarray,
    P: np.ndarray,
    primary: np.ndarray,
    relations: csr_matrix,
    is_total: np.ndarray,
    rule: DisclosureRule,
) -> np.ndarray:
    """Grow the suppression until no relation holds exactly one suppressed cell.

    Parameters
    ----------
    V, P
        Settings x cells: true counts, and whether the cell is there (an absent cell is taken as
        known: it can be neither hidden nor chosen).
    primary
        Settings x cells: the small counts.
    relations
        Relations x cells incidence (CSR, every relation at least two cells).
    is_total
        Per cell: the overall (chosen last on ties).
    rule
        Whether secondary suppression applies at all.

    Returns
    -------
    numpy.ndarray
        Settings x cells: suppressed.

    Notes
    -----
    Every pass works on all settings still unsafe at once: for every relation with exactly one
    suppressed cell, the cheapest other cell of it that is there and not yet suppressed is
    suppressed. The cost is the cell's count (zeros cost more than any count, the overall a
    little more than an equal cell) times ``1 + o`` over ``f``, where ``f`` is how many unsafe
    relations the cell is in (it fixes them all at once) and ``o`` how many safe relations it
    would make unsafe (it would be their only suppressed cell): the smallest complement within
    one relation, a shared one across relations (a greedy set-cover rule; on the tables tried
    it suppresses about half as many cells as "smallest first"). Suppressions only grow, so the
    passes stop (at most one per cell); a relation with no cell left to choose cannot be made
    safe and is left (it cannot arise from consistent counts, where such a cell equals a known
    sum).
    """
    S = primary.copy()
    if not rule.secondary or relations.shape[0] == 0 or S.shape[0] == 0:
        return S
    M = relations
    starts = M.indptr[:-1]
    sizes = np.diff(M.indptr)
    cols = M.indices
    vmax = V.max(axis=1, keepdims=True)
    base = ((np.where(V == 0, vmax + 1, 0) + V) * 4 + is_total[None]).astype(np.float64)
    active = np.arange(S.shape[0])
    for _ in range(S.shape[1] + 1):
        s, p = S[active], P[active]
        count = np.asarray(M @ s.T.astype(np.float64)).T  # (active, relations)
        unsafe = count == 1
        # Cost of hiding a cell: its size, times 1 + the safe relations it would make unsafe
        # (it would be their only suppressed cell), over the unsafe relations it fixes at once.
        fixes = np.asarray(M.T @ unsafe.T.astype(np.float64)).T
        opens = np.asarray(M.T @ (count == 0).T.astype(np.float64)).T
        cost = base[active] * (1 + opens) / np.maximum(fixes, 1)
        key = np.where(p & ~s, cost, np.inf)
        expanded = key[:, cols]  # (active, non-zeros of M): each relation's cells in a row
        best = np.minimum.reduceat(expanded, starts, axis=1)
        fixable = unsafe & np.isfinite(best)
        if not fixable.any():
            break
        position = np.where(
            expanded == np.repeat(best, sizes, axis=1), np.arange(cols.size), cols.size
        )
        first = np.minimum.reduceat(position, starts, axis=1)
        t, r = np.nonzero(fixable)
        S[active[t], cols[first[t, r]]] = True
        active = active[fixable.any(axis=1)]
    return S


def _round(values: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    """Round to whole numbers, then to the rule's multiple; NaN stays NaN."""
    nan = np.isnan(values)
    rounded = rule.round(np.where(nan, 0.0, np.rint(values)))
    return np.where(nan, np.nan, rounded)
