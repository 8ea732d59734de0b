"""Disclosure control: the NHS small-number rule, rounding and secondary suppression.

NHS England (formerly NHS Digital) publishes sub-national counts from HES and ECDS under one
rule (Sep 2018): counts 1-7 are suppressed (``*``), every other count is rounded to the nearest 5,
0 stays 0, and percentages are computed from the rounded numerator and denominator. Totals are
rounded independently. Where a table is published with its totals, suppressing the small cells is
not enough: a suppressed cell alone in its row can be recovered by subtracting the other cells
from the row total. Secondary suppression removes further cells until no suppressed value can be
worked out from the published table.

Everything here is vectorised: :func:`disclose_counts` works elementwise on any array, and
:func:`disclose_table` takes a stack of tables (``T x R x C``) and handles them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from focuson.stats._checks import (
    as_float,
    describe_groups,
    finite_where_present,
    non_negative,
    same_length,
)
from focuson.stats.estimate import Estimate, add_reason, reasons

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
ObjectArray = NDArray[np.object_]

Rounding = Literal["half up", "half even"]

#: Leverage above this means a suppressed entry is a linear function of published values.
_RECOVERABLE = 1 - 1e-8


@dataclass(frozen=True)
class DisclosureRule:
    """A small-number disclosure rule: which counts to suppress, how to round the rest.

    Attributes
    ----------
    suppress_from, suppress_to
        Counts in ``[suppress_from, suppress_to]`` are suppressed (1 and 7 in the NHS rule).
        ``suppress_to = suppress_from - 1`` suppresses nothing (rounding only).
    round_to
        Published counts are rounded to a multiple of this (5 in the NHS rule; 1 = no rounding).
    keep_zero
        True: a zero is published as 0. False: zeros are suppressed like small counts.
    secondary
        True: :func:`disclose_table` adds secondary suppression so that no suppressed value can
        be recovered from the published totals.
    rounding
        Ties when rounding: ``"half up"`` (the default; 15 -> 20 and 25 -> 30 when rounding to
        10) or ``"half even"`` (15 -> 20, 25 -> 20). Whole numbers never tie when rounding to 5.
    name, description
        For labels and documentation.
    """

    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5
    keep_zero: bool = True
    secondary: bool = True
    rounding: Rounding = "half up"
    name: str = "custom rule"
    description: str = ""

    def __post_init__(self) -> None:
        for label in ("suppress_from", "suppress_to", "round_to"):
            value = getattr(self, label)
            if isinstance(value, bool) or not float(value).is_integer():
                raise ValueError(f"{label}: must be a whole number, got {value!r}")
        if self.suppress_from < 1:
            raise ValueError(
                f"suppress_from: must be at least 1 (zeros are governed by keep_zero), "
                f"got {self.suppress_from}"
            )
        if self.suppress_to < self.suppress_from - 1:
            raise ValueError(
                f"suppress_to: must be at least suppress_from - 1 = {self.suppress_from - 1} "
                f"(which suppresses nothing), got {self.suppress_to}"
            )
        if self.round_to < 1:
            raise ValueError(f"round_to: must be at least 1 (1 = no rounding), got {self.round_to}")
        if self.rounding not in ("half up", "half even"):
            raise ValueError(f"rounding: must be 'half up' or 'half even', got {self.rounding!r}")

    def suppresses(self, counts: ArrayLike) -> BoolArray:
        """True where a count is suppressed by the primary (small-number) rule.

        >>> NHS_RULE.suppresses([0, 1, 7, 8]).tolist()
        [False, True, True, False]
        """
        x = np.asarray(counts, dtype=np.float64)
        small = (x >= self.suppress_from) & (x <= self.suppress_to)
        return np.asarray(small | ((x == 0) & (not self.keep_zero)))

    def round(self, counts: ArrayLike) -> FloatArray:
        """Round whole-number counts to the nearest multiple of ``round_to`` (ties as ``rounding``).

        >>> NHS_RULE.round([8, 12, 13, 17, 18]).tolist()
        [10.0, 10.0, 15.0, 15.0, 20.0]
        """
        x = np.asarray(counts, dtype=np.float64)
        step = float(self.round_to)
        quotient, remainder = np.divmod(x, step)
        twice = 2 * remainder
        if self.rounding == "half up":
            up = twice >= step
        else:
            up = (twice > step) | ((twice == step) & (quotient % 2 == 1))
        return np.asarray((quotient + up) * step)


#: NHS England (formerly NHS Digital) rule for sub-national HES and ECDS outputs (Sep 2018).
NHS_RULE = DisclosureRule(
    name="NHS England HES/ECDS (2018)",
    description=(
        "Sub-national counts: 1-7 suppressed, all others rounded to the nearest 5, 0 stays 0; "
        "percentages from the rounded numerator and denominator; totals rounded independently; "
        "secondary suppression so that no suppressed cell can be recovered from the totals."
    ),
)

#: Stricter profile: counts under 10 (1-9) suppressed, otherwise as the NHS rule.
STRICT_RULE = DisclosureRule(
    suppress_to=9,
    name="Stricter: counts under 10",
    description=(
        "Counts 1-9 suppressed, all others rounded to the nearest 5, 0 stays 0; percentages "
        "from rounded counts; secondary suppression as the NHS rule."
    ),
)


@dataclass(frozen=True)
class DisclosedCounts:
    """Counts after disclosure control, elementwise.

    Attributes
    ----------
    value
        The published count: rounded, or NaN where suppressed or missing.
    flag
        ``"suppressed"``, ``"rounded"``, ``"zero"`` (a true zero published as 0) or
        ``"missing"``, per element.
    rule
        The rule applied.
    """

    value: FloatArray
    flag: ObjectArray
    rule: DisclosureRule

    @property
    def suppressed(self) -> BoolArray:
        """True where the count is suppressed."""
        return np.asarray(self.flag == "suppressed")


@dataclass(frozen=True)
class DisclosedTable:
    """A batch of tables after primary and secondary suppression and rounding.

    Arrays have the table axis first (``T``) unless a single 2-d table was given, in which case
    it is dropped. Flags are ``"primary"`` (small count), ``"secondary"`` (suppressed to protect
    another), ``"rounded"``, ``"zero"`` (a true zero published as 0) or ``"missing"``.

    Attributes
    ----------
    cells, cell_flags
        Published cells (``T x R x C``) and their flags.
    row_totals, row_total_flags
        Published row totals (``T x R``), or None when row totals are not published.
    col_totals, col_total_flags
        Published column totals (``T x C``), or None.
    grand_total, grand_total_flag
        Published grand total (``T``), or None when no totals are published.
    reason
        Per table: empty, or why the whole table is NaN (e.g. a missing cell).
    rule
        The rule applied.
    """

    cells: FloatArray
    cell_flags: ObjectArray
    row_totals: FloatArray | None
    row_total_flags: ObjectArray | None
    col_totals: FloatArray | None
    col_total_flags: ObjectArray | None
    grand_total: FloatArray | None
    grand_total_flag: ObjectArray | None
    reason: ObjectArray
    rule: DisclosureRule


def disclose_counts(counts: ArrayLike, *, rule: DisclosureRule = NHS_RULE) -> DisclosedCounts:
    """Apply the small-number rule elementwise: suppress small counts, round the rest.

    Parameters
    ----------
    counts
        Whole-number counts, any shape (NaN means missing).
    rule
        The disclosure rule; :data:`NHS_RULE` by default, :data:`STRICT_RULE` for counts < 10.

    Returns
    -------
    DisclosedCounts
        ``value`` (float, NaN where suppressed or missing) and ``flag`` per element.

    Raises
    ------
    ValueError
        Negative, infinite or fractional counts, naming the offending positions.

    Notes
    -----
    Implements the primary rule of NHS Digital's *Disclosure control methodology for HES and
    ECDS* (Sep 2018) for sub-national counts: 1-7 suppressed, others rounded to the nearest 5
    (ties upwards, which whole numbers never hit when rounding to 5), 0 published as 0 (the
    last point is not yet confirmed against the methodology; ``keep_zero=False`` suppresses
    zeros instead). No reference software exists; the rule is checked by property tests.
    National figures, standardised rates, confidence intervals and counts that are not about
    individuals are exempt from the rule: do not pass them here.

    References
    ----------
    NHS Digital. Disclosure control methodology for HES and ECDS. September 2018.

    Examples
    --------
    >>> out = disclose_counts([0, 3, 7, 8, 12, 13, 1234])
    >>> out.value.tolist()
    [0.0, nan, nan, 10.0, 10.0, 15.0, 1235.0]
    >>> out.flag.tolist()
    ['zero', 'suppressed', 'suppressed', 'rounded', 'rounded', 'rounded', 'rounded']
    >>> disclose_counts([8, 9], rule=STRICT_RULE).value.tolist()
    [nan, nan]
    """
    x = _counts_array("counts", counts)
    missing = np.isnan(x)
    suppressed = rule.suppresses(x) & ~missing
    value = np.where(missing | suppressed, np.nan, rule.round(np.where(missing, 0, x)))
    flag = np.full(x.shape, "rounded", dtype=object)
    flag[(x == 0) & ~suppressed] = "zero"
    flag[suppressed] = "suppressed"
    flag[missing] = "missing"
    return DisclosedCounts(value=value, flag=flag, rule=rule)


def disclosed_rate(
    numerator: ArrayLike,
    denominator: ArrayLike,
    *,
    multiplier: float = 100,
    rule: DisclosureRule = NHS_RULE,
) -> Estimate:
    """Percentage or rate computed from the rounded (published) numerator and denominator.

    Parameters
    ----------
    numerator, denominator
        Whole-number counts per group (NaN means missing).
    multiplier
        100 for a percentage (the default), 1 for a proportion, 100000 for a rate per 100,000.
    rule
        The disclosure rule applied to both counts.

    Returns
    -------
    Estimate
        ``value = rounded numerator / rounded denominator * multiplier``, with no intervals
        (intervals are not computed from rounded counts). NaN with a reason where either count
        is suppressed or missing, or the published denominator is zero. ``extras`` holds the
        published ``numerator`` and ``denominator``.

    Raises
    ------
    ValueError
        Negative, infinite or fractional counts, or mismatched lengths.

    Notes
    -----
    Implements the NHS HES/ECDS rule for percentages (NHS Digital, Sep 2018): computed from
    the rounded numerator and denominator, suppressed if either is suppressed. The numerator
    may exceed the denominator (rates of events). Rounding moves a percentage: a 1-dp
    percentage is within 0.1 of the unrounded one only when the rounded denominator is at
    least 4,000.

    References
    ----------
    NHS Digital. Disclosure control methodology for HES and ECDS. September 2018.

    Examples
    --------
    >>> est = disclosed_rate([12, 5, 40], [48, 90, 6])
    >>> est.value.tolist()
    [20.0, nan, nan]
    >>> est.reason.tolist()
    ['', 'numerator suppressed (1-7)', 'denominator suppressed (1-7)']
    """
    num = _counts_array("numerator", numerator, one_d=True)
    den = _counts_array("denominator", denominator, one_d=True)
    size = same_length(numerator=num, denominator=den)
    pub_num = disclose_counts(num, rule=rule)
    pub_den = disclose_counts(den, rule=rule)
    small = f"({rule.suppress_from}-{rule.suppress_to})"

    reason = reasons(size)
    add_reason(reason, np.isnan(num) | np.isnan(den), "numerator or denominator missing")
    add_reason(reason, pub_num.suppressed, f"numerator suppressed {small}")
    add_reason(reason, pub_den.suppressed, f"denominator suppressed {small}")
    add_reason(reason, pub_den.value == 0, "denominator is zero")
    ok = reason == ""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, pub_num.value / pub_den.value * multiplier, np.nan)
    return Estimate(
        value=value,
        intervals={},
        statistic=_rate_label(multiplier),
        method=np.full(size, f"from rounded counts ({rule.name})", dtype=object),
        reason=reason,
        extras={"numerator": pub_num.value, "denominator": pub_den.value},
    )


def disclose_table(
    cells: ArrayLike,
    *,
    rule: DisclosureRule = NHS_RULE,
    row_totals: bool = True,
    col_totals: bool = True,
    round_totals: bool = True,
) -> DisclosedTable:
    """Disclosure control for tables published with their totals: primary, secondary, rounding.

    1. **Primary suppression**: every count the rule suppresses (1-7 under the NHS rule), cells
       and totals alike (a total is a count too).
    2. **Secondary suppression** (if ``rule.secondary``): the table is read as it will be
       published, cells plus totals, and every suppressed value is protected against recovery by
       adding and subtracting published values, assuming the worst case that the totals are
       known exactly. Repeat until stable: wherever a published total's line (row or column,
       totals included) holds exactly one suppressed value, suppress the next-smallest value in
       that line (non-zero values first; a value that also fixes the crossing line is preferred
       on ties). Then an exact check finds any suppressed value still determined by the
       published ones (a suppressed value linking two otherwise separate groups of suppressions),
       and the smallest value that closes a loop around it is suppressed too.
    3. **Rounding** of everything not suppressed; totals are rounded independently (from their
       true values, so they need not equal the sum of the rounded cells).

    Parameters
    ----------
    cells
        Whole-number counts: one table (``R x C``) or a stack (``T x R x C``) processed at once.
    rule
        The disclosure rule; :data:`NHS_RULE` by default.
    row_totals, col_totals
        Whether row and column totals are published. A grand total is published whenever
        either is.
    round_totals
        False publishes unsuppressed totals unrounded (e.g. national totals, exempt from
        rounding); secondary suppression already assumes exact totals, so this is safe.

    Returns
    -------
    DisclosedTable
        Published cells and totals with their flags. A table with a missing (NaN) cell is NaN
        throughout, flagged ``"missing"``, with a reason; the other tables are unaffected.

    Raises
    ------
    ValueError
        Negative, infinite or fractional counts (naming the tables), or a shape other than
        ``R x C`` or ``T x R x C`` with at least one row and column.

    Notes
    -----
    Implements the small-number rule of NHS Digital's *Disclosure control methodology for HES
    and ECDS* (Sep 2018) with the secondary suppression of its predecessor rule ("wherever an
    unrounded total sits beside one suppressed cell, suppress the next-smallest cell in that row
    or column and repeat until nothing can be recovered by subtraction"). The guarantee is exact
    and linear: no suppressed value (cell or total) is a linear function of the published
    values, with totals taken as exact. It does not give interval protection: bounds from
    non-negativity and from rounded neighbours can still narrow a suppressed value. The
    pattern is a heuristic, not the minimum-loss pattern of an optimiser (e.g. tau-Argus); it
    never suppresses anything when the primary suppressions are already safe. Loops run over
    fixed-point iterations only (at most (R + 1)(C + 1) + 1), each on all tables at once; the
    exact check uses one batched pseudo-inverse of a small (R + C + 2)-square matrix per table.

    References
    ----------
    NHS Digital. Disclosure control methodology for HES and ECDS. September 2018.
    Hundepool A, et al. Statistical Disclosure Control. Wiley, 2012, chapter 5 (tabular data).

    Examples
    --------
    The 3 could be recovered from its row total and from its column total, so the 20
    (next-smallest in its row) and the 10 (in its column) are suppressed too, and then the 25,
    which would otherwise give away both the 20 and the 10:

    >>> out = disclose_table([[3, 20, 40], [10, 25, 30]])
    >>> out.cells.tolist()
    [[nan, nan, 40.0], [nan, nan, 30.0]]
    >>> out.cell_flags.tolist()
    [['primary', 'secondary', 'rounded'], ['secondary', 'secondary', 'rounded']]
    >>> out.row_totals.tolist(), out.col_totals.tolist(), out.grand_total.tolist()
    ([65.0, 65.0], [15.0, 45.0, 70.0], 130.0)
    """
    table = _table_array(cells)
    single = table.ndim == 2
    stack = table[None] if single else table
    T, R, C = stack.shape
    R1, C1 = R + 1, C + 1
    any_totals = row_totals or col_totals

    missing: BoolArray = np.asarray(np.isnan(stack).any(axis=(1, 2)))
    work = np.where(missing[:, None, None], 0.0, stack)

    # The published table: cells, row totals (last column), column totals (last row), grand total.
    values = np.zeros((T, R1, C1))
    values[:, :R, :C] = work
    values[:, :R, C] = work.sum(axis=2)
    values[:, R, :C] = work.sum(axis=1)
    values[:, R, C] = work.sum(axis=(1, 2))
    exists = np.zeros((R1, C1), dtype=bool)
    exists[:R, :C] = True
    exists[:R, C] = row_totals
    exists[R, :C] = col_totals
    exists[R, C] = any_totals
    # A line is a published constraint when its total is published: rows with row totals, the
    # column-totals row when column totals are (they sum to the grand total), and so on.
    con_row = np.zeros(R1, dtype=bool)
    con_row[:R] = row_totals
    con_row[R] = col_totals
    con_col = np.zeros(C1, dtype=bool)
    con_col[:C] = col_totals
    con_col[C] = row_totals

    primary = rule.suppresses(values) & exists[None]
    suppressed = primary.copy()
    if rule.secondary and any_totals and T > 0:
        suppressed = _secondary_suppression(values, exists, con_row, con_col, primary)

    is_total = ~np.zeros((R1, C1), dtype=bool)
    is_total[:R, :C] = False
    rounded = rule.round(values)
    if not round_totals:
        rounded = np.where(is_total[None], values, rounded)
    published = np.where(suppressed | ~exists[None], np.nan, rounded)
    flags = np.full((T, R1, C1), "rounded", dtype=object)
    flags[(values == 0) & ~suppressed] = "zero"
    flags[primary] = "primary"
    flags[suppressed & ~primary] = "secondary"
    published[missing] = np.nan
    flags[missing] = "missing"

    reason = reasons(T)
    add_reason(reason, missing, "cells missing: totals cannot be formed")

    def pick(arr: np.ndarray, where: tuple[slice | int, ...]) -> np.ndarray:
        part = arr[(slice(None), *where)]
        return np.asarray(part[0]) if single else part

    return DisclosedTable(
        cells=pick(published, (slice(0, R), slice(0, C))),
        cell_flags=pick(flags, (slice(0, R), slice(0, C))),
        row_totals=pick(published, (slice(0, R), C)) if row_totals else None,
        row_total_flags=pick(flags, (slice(0, R), C)) if row_totals else None,
        col_totals=pick(published, (R, slice(0, C))) if col_totals else None,
        col_total_flags=pick(flags, (R, slice(0, C))) if col_totals else None,
        grand_total=pick(published, (R, C)) if any_totals else None,
        grand_total_flag=pick(flags, (R, C)) if any_totals else None,
        reason=reason[0:1] if single else reason,
        rule=rule,
    )


# --------------------------------------------------------------------------------------------
# Secondary suppression on the published ("augmented") table.
#
# Write the published table as (R + 1) x (C + 1) entries: cells, row totals in the last column,
# column totals in the last row, the grand total in the corner. Each published line (row or
# column whose total is published) says: entries before the last sum to the last. Flipping the
# sign of the total entries turns every line into "the entries sum to zero", so the constraints
# on the suppressed entries are those of a graph: one node per line, one edge per suppressed
# entry joining its row line and its column line. Lines that are not published constraints are
# merged into one "ground" node (no equation). A suppressed entry is determined by the published
# values exactly when its edge is a bridge (lies on no cycle) of that graph, which is when its
# leverage m' Q^+ m equals 1, with Q = M M' the (signless) Laplacian of the suppressed entries
# restricted to constrained lines. Cutting the bridge splits its component in two sides with
# potentials differing by 1 (Q^+ m, signed); any entry joining the two sides closes a loop.
# --------------------------------------------------------------------------------------------


def _secondary_suppression(
    values: FloatArray,
    exists: BoolArray,
    con_row: BoolArray,
    con_col: BoolArray,
    primary: BoolArray,
) -> BoolArray:
    """Grow the suppression pattern until no suppressed entry is determined by the others."""
    T, R1, C1 = values.shape
    S = primary.copy()
    is_total = np.ones((R1, C1), dtype=bool)
    is_total[: R1 - 1, : C1 - 1] = False
    # Preference key (lower is chosen first): non-zero before zero, then smaller, then cells
    # before totals. The factor 4 leaves room for the "also fixes the crossing line" bit (2).
    vmax = np.where(exists[None], values, 0).max(axis=(1, 2), keepdims=True)
    base_key = (np.where(values == 0, vmax + 1, 0) + values) * 4 + is_total[None]

    # Every pass adds at least one suppression to every table still active, so a table is done
    # after at most R1 * C1 passes (all entries suppressed leaves nothing determined).
    active = np.ones(T, dtype=bool)
    for _ in range(R1 * C1 + 1):
        filled = _fill_lonely_lines(S, base_key, exists, con_row, con_col)
        check = np.flatnonzero(active & ~filled)
        if check.size:
            recoverable, pinv = _recoverable(S[check], exists, con_row, con_col)
            unsafe = recoverable.any(axis=(1, 2))
            active[check[~unsafe]] = False
            if unsafe.any():
                _close_loops(
                    S,
                    check[unsafe],
                    recoverable[unsafe],
                    pinv[unsafe],
                    base_key,
                    exists,
                    con_row,
                    con_col,
                )
        if not active.any():
            return S
    # Not reached for valid inputs; stay safe regardless.
    recoverable, _ = _recoverable(S, exists, con_row, con_col)
    S[recoverable.any(axis=(1, 2))] |= exists[None]
    return S


def _fill_lonely_lines(
    S: BoolArray,
    base_key: FloatArray,
    exists: BoolArray,
    con_row: BoolArray,
    con_col: BoolArray,
) -> BoolArray:
    """Rows, then columns: where a published line has exactly one suppressed entry, add one.

    Returns, per table, whether anything was added.
    """
    changed = np.zeros(S.shape[0], dtype=bool)
    for axis in (2, 1):  # 2: lines are rows (choose along columns); 1: lines are columns
        line_con, cross_con = (con_row, con_col) if axis == 2 else (con_col, con_row)
        count = S.sum(axis=axis)  # (T, lines)
        needy = line_con[None] & (count == 1)
        if not needy.any():
            continue
        cross_needy = cross_con[None] & (S.sum(axis=3 - axis) == 1)
        bonus = 2 * ~cross_needy
        key = base_key + (bonus[:, None, :] if axis == 2 else bonus[:, :, None])
        key = np.where(exists[None] & ~S, key, np.inf)
        best = np.argmin(key, axis=axis)  # (T, lines)
        best_key = np.take_along_axis(key, np.expand_dims(best, axis), axis=axis)
        take = needy & np.isfinite(np.squeeze(best_key, axis=axis))
        t, line = np.nonzero(take)
        if axis == 2:
            S[t, line, best[t, line]] = True
        else:
            S[t, best[t, line], line] = True
        changed[t] = True
    return changed


def _recoverable(
    S: BoolArray, exists: BoolArray, con_row: BoolArray, con_col: BoolArray
) -> tuple[BoolArray, FloatArray]:
    """Suppressed entries that are linear functions of the published ones (leverage 1)."""
    T, R1, C1 = S.shape
    Sm = S & exists[None]
    both = con_row[:, None] & con_col[None, :]
    Q = np.zeros((T, R1 + C1, R1 + C1))
    rows, cols = np.arange(R1), R1 + np.arange(C1)
    Q[:, rows, rows] = (Sm & con_row[None, :, None]).sum(axis=2)
    Q[:, cols, cols] = (Sm & con_col[None, None, :]).sum(axis=1)
    block = (Sm & both[None]).astype(np.float64)
    Q[:, :R1, R1:] = block
    Q[:, R1:, :R1] = np.swapaxes(block, 1, 2)
    pinv = np.linalg.pinv(Q, rtol=1e-10, hermitian=True)
    diag = np.diagonal(pinv, axis1=1, axis2=2)
    leverage = (
        diag[:, :R1, None] * con_row[None, :, None]
        + diag[:, None, R1:] * con_col[None, None, :]
        + 2 * pinv[:, :R1, R1:] * both[None]
    )
    return Sm & (leverage > _RECOVERABLE), pinv


def _close_loops(
    S: BoolArray,
    tables: IntArray,
    recoverable: BoolArray,
    pinv: FloatArray,
    base_key: FloatArray,
    exists: BoolArray,
    con_row: BoolArray,
    con_col: BoolArray,
) -> None:
    """For each listed table, suppress the cheapest entry closing a loop round a determined one.

    ``recoverable`` and ``pinv`` hold one slice per entry of ``tables``.
    """
    _, R1, C1 = S.shape
    L = R1 + C1
    flat = np.argmax(recoverable.reshape(tables.size, -1), axis=1)
    ei, ej = np.divmod(flat, C1)

    # Potentials for a unit current through the determined entry (signed: rows +, columns -).
    m = np.zeros((tables.size, L))
    k = np.arange(tables.size)
    m[k, ei] = con_row[ei]
    m[k, R1 + ej] = con_col[ej]
    sign = np.concatenate([np.ones(R1), -np.ones(C1)])
    psi = np.einsum("tab,tb->ta", pinv, m) * sign
    gap = np.abs(psi[:, :R1, None] - psi[:, None, R1:])  # 0 same side, 1 across the cut

    # Components of the suppression graph, unconstrained lines merged into a ground node (L).
    row_node = np.where(con_row, np.arange(R1), L)
    col_node = np.where(con_col, R1 + np.arange(C1), L)
    sub = S[tables] & exists[None]
    t, i, j = np.nonzero(sub)
    size = tables.size * (L + 1)
    graph = coo_matrix(
        (np.ones(t.size), (t * (L + 1) + row_node[i], t * (L + 1) + col_node[j])),
        shape=(size, size),
    )
    _, labels = connected_components(graph, directed=False)
    labels = labels.reshape(tables.size, L + 1)
    home = labels[k, row_node[ei]]
    same = (labels[:, row_node][:, :, None] == home[:, None, None]) & (
        labels[:, col_node][:, None, :] == home[:, None, None]
    )

    across = same & (gap > 0.5) & exists[None] & ~sub
    key = np.where(across, base_key[tables], np.inf).reshape(tables.size, -1)
    best = np.argmin(key, axis=1)
    found = np.isfinite(key[k, best])
    bi, bj = np.divmod(best, C1)
    S[tables[found], bi[found], bj[found]] = True
    # Fallback (no single entry closes a loop): suppress the rest of both lines of the entry.
    lost = tables[~found]
    if lost.size:
        S[lost, ei[~found], :] |= exists[ei[~found], :]
        S[lost, :, ej[~found]] |= exists[:, ej[~found]].T


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _counts_array(name: str, counts: ArrayLike, *, one_d: bool = False) -> FloatArray:
    """Counts as floats (NaN = missing); reject negative, infinite and fractional values."""
    if one_d:
        x = as_float(name, counts)
    else:
        try:
            x = np.asarray(counts, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: expected numbers, got {counts!r:.80}") from exc
    flat = x.reshape(-1)
    non_negative(name, flat)
    finite_where_present(name, flat)
    fractional = np.isfinite(flat) & (flat != np.floor(flat))
    if fractional.any():
        raise ValueError(
            f"{name}: counts must be whole numbers; fractional in {describe_groups(fractional)}"
        )
    return x


def _table_array(cells: ArrayLike) -> FloatArray:
    try:
        x = np.asarray(cells, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cells: expected numbers, got {cells!r:.80}") from exc
    if x.ndim not in (2, 3) or x.shape[-1] == 0 or x.shape[-2] == 0:
        raise ValueError(
            "cells: expected one table (R x C) or a stack of tables (T x R x C) with at least "
            f"one row and one column, got shape {x.shape}"
        )
    stack = x[None] if x.ndim == 2 else x
    checks = (
        ("must not be negative; negative", stack < 0),
        ("must be finite; infinite", np.isinf(stack)),
        (
            "counts must be whole numbers; fractional",
            np.isfinite(stack) & (stack != np.floor(stack)),
        ),
    )
    for message, bad in checks:
        bad_tables: BoolArray = np.asarray(np.any(bad, axis=(1, 2)))
        if bad_tables.any():
            raise ValueError(f"cells: {message} in {_tables(bad_tables)}")
    return x


def _tables(bad: BoolArray) -> str:
    """``"tables 2, 7"`` rather than ``"groups 2, 7"``."""
    return describe_groups(bad).replace("groups", "tables", 1).replace("group", "table", 1)


def _rate_label(multiplier: float) -> str:
    if multiplier == 1:
        return "proportion"
    if multiplier == 100:
        return "percentage"
    return f"rate per {multiplier:g}"
