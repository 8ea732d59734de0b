"""Disclosure control: small-number rule, rounding, rates from rounded counts, secondary cells.

There is no reference software for the NHS rule, so expected values here are worked by hand
from the rule (NHS Digital, Disclosure control methodology for HES and ECDS, Sep 2018) and the
central guarantee is checked exactly: no suppressed value is a linear function of the published
ones (a rank test on the published totals, with totals taken as exact).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from focuson.stats.disclosure import (
    NHS_RULE,
    STRICT_RULE,
    DisclosedTable,
    DisclosureRule,
    disclose_counts,
    disclose_table,
    disclosed_rate,
)

SUPPRESSED = ("primary", "secondary")
nan = np.nan


# --- exact recoverability check (independent of the implementation) ---------------------------


def published_system(
    shape: tuple[int, int], row_totals: bool, col_totals: bool
) -> tuple[list[tuple], np.ndarray]:
    """Entries of the published table and the constraint matrix of its published totals.

    Entries: ("cell", i, j), ("row", i), ("col", j), ("grand",). Each published total gives one
    equation: its entries sum to it. The grand total is published with either kind of total.
    """
    R, C = shape
    keys: list[tuple] = [("cell", i, j) for i in range(R) for j in range(C)]
    if row_totals:
        keys += [("row", i) for i in range(R)]
    if col_totals:
        keys += [("col", j) for j in range(C)]
    if row_totals or col_totals:
        keys.append(("grand",))
    index = {k: n for n, k in enumerate(keys)}
    equations = []

    def equation(parts: list[tuple], total: tuple) -> None:
        v = np.zeros(len(keys))
        for part in parts:
            v[index[part]] = 1
        v[index[total]] = -1
        equations.append(v)

    if row_totals:
        for i in range(R):
            equation([("cell", i, j) for j in range(C)], ("row", i))
        equation([("row", i) for i in range(R)], ("grand",))
    if col_totals:
        for j in range(C):
            equation([("cell", i, j) for i in range(R)], ("col", j))
        equation([("col", j) for j in range(C)], ("grand",))
    return keys, np.array(equations).reshape(-1, len(keys))


def flag_of(out: DisclosedTable, key: tuple, t: int | None = None) -> str:
    pick = (lambda a: a) if t is None else (lambda a: a[t])
    kind = key[0]
    if kind == "cell":
        return str(pick(out.cell_flags)[key[1], key[2]])
    if kind == "row":
        return str(pick(out.row_total_flags)[key[1]])
    if kind == "col":
        return str(pick(out.col_total_flags)[key[1]])
    return str(out.grand_total_flag if t is None else out.grand_total_flag[t])


def recoverable(A: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Suppressed entry k is recoverable iff its unit vector is in the row space of A[:, S]."""
    As = A[:, suppressed]
    base = np.linalg.matrix_rank(As) if As.size else 0
    out = np.zeros(As.shape[1], dtype=bool)
    for k in range(As.shape[1]):
        unit = np.zeros((1, As.shape[1]))
        unit[0, k] = 1
        out[k] = np.linalg.matrix_rank(np.vstack([As, unit])) == base
    return out


def unsafe_entries(out: DisclosedTable, shape: tuple[int, int], rt: bool, ct: bool, t=None):
    keys, A = published_system(shape, rt, ct)
    mask = np.array([flag_of(out, k, t) in SUPPRESSED for k in keys])
    hits = recoverable(A, mask)
    return [k for k, bad in zip(np.array(keys, dtype=object)[mask], hits, strict=True) if bad]


# --- DisclosureRule ---------------------------------------------------------------------------


def test_nhs_and_strict_profiles() -> None:
    assert (NHS_RULE.suppress_from, NHS_RULE.suppress_to, NHS_RULE.round_to) == (1, 7, 5)
    assert NHS_RULE.keep_zero and NHS_RULE.secondary and NHS_RULE.rounding == "half up"
    assert (STRICT_RULE.suppress_from, STRICT_RULE.suppress_to) == (1, 9)
    assert "HES" in NHS_RULE.name and NHS_RULE.description


def test_rule_is_frozen() -> None:
    with pytest.raises(AttributeError):
        NHS_RULE.round_to = 10  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"suppress_from": 0}, "suppress_from"),
        ({"suppress_from": 1.5}, "suppress_from"),
        ({"suppress_to": -1}, "suppress_to"),
        ({"round_to": 0}, "round_to"),
        ({"round_to": True}, "round_to"),
        ({"rounding": "bankers"}, "rounding"),
    ],
)
def test_rule_validation_names_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field}: "):
        DisclosureRule(**kwargs)


def test_rounding_nearest_multiple_ties_up_or_even() -> None:
    # Rounding to 5 never ties on whole numbers; rounding to 10 does (15, 25).
    assert NHS_RULE.round([0, 2, 3, 8, 12, 13, 17, 18, 1002, 1003]).tolist() == [
        0, 0, 5, 10, 10, 15, 15, 20, 1000, 1005,
    ]  # fmt: skip
    up = DisclosureRule(round_to=10)
    even = DisclosureRule(round_to=10, rounding="half even")
    assert up.round([14, 15, 16, 25, 35]).tolist() == [10, 20, 20, 30, 40]
    assert even.round([14, 15, 16, 25, 35]).tolist() == [10, 20, 20, 20, 40]
    assert DisclosureRule(round_to=1).round([3, 7]).tolist() == [3, 7]


def test_rule_suppresses() -> None:
    assert NHS_RULE.suppresses([0, 1, 7, 8]).tolist() == [False, True, True, False]
    assert STRICT_RULE.suppresses([7, 9, 10]).tolist() == [True, True, False]
    assert DisclosureRule(keep_zero=False).suppresses([0, 8]).tolist() == [True, False]
    nothing = DisclosureRule(suppress_from=1, suppress_to=0)
    assert not nothing.suppresses([0, 1, 5, 100]).any()


# --- disclose_counts ------------------------------------------------------------------------


def test_counts_by_hand() -> None:
    out = disclose_counts([0, 1, 5, 7, 8, 10, 12, 13, 97, 98, nan])
    assert_array_equal(out.value, [0, nan, nan, nan, 10, 10, 10, 15, 95, 100, nan])
    assert out.flag.tolist() == ["zero"] + ["suppressed"] * 3 + ["rounded"] * 6 + ["missing"]
    assert out.suppressed.tolist() == [False, True, True, True] + [False] * 7
    assert out.rule is NHS_RULE


def test_counts_strict_and_keep_zero() -> None:
    assert_array_equal(disclose_counts([8, 9, 10], rule=STRICT_RULE).value, [nan, nan, 10])
    out = disclose_counts([0, 3, 20], rule=DisclosureRule(keep_zero=False))
    assert out.flag.tolist() == ["suppressed", "suppressed", "rounded"]


def test_counts_keep_shape() -> None:
    out = disclose_counts([[3, 12], [0, 40]])
    assert out.value.shape == (2, 2)
    assert_array_equal(out.value, [[nan, 10], [0, 40]])


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([5, -1, 3], r"^counts: must not be negative.*group 1$"),
        ([5, 3, np.inf], r"^counts: must be finite.*group 2$"),
        ([5.5, 3, 2.2], r"^counts: counts must be whole numbers.*groups 0, 2$"),
        (["a"], r"^counts: expected numbers"),
    ],
)
def test_counts_errors(counts: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        disclose_counts(counts)


# --- disclosed_rate -------------------------------------------------------------------------


def test_rate_from_rounded_counts() -> None:
    # 12/48 would be 25%; the published counts are 10 and 50, so 20%.
    est = disclosed_rate([12, 1234, 5, 40, 0, nan], [48, 5678, 90, 6, 0, 10])
    assert_allclose(est.value[:2], [20.0, 1235 / 5680 * 100])
    assert np.isnan(est.value[2:]).all()
    assert est.reason.tolist() == [
        "",
        "",
        "numerator suppressed (1-7)",
        "denominator suppressed (1-7)",
        "denominator is zero",
        "numerator or denominator missing",
    ]
    assert est.statistic == "percentage"
    assert_array_equal(est.extras["numerator"], [10, 1235, nan, 40, 0, nan])
    assert_array_equal(est.extras["denominator"], [50, 5680, 90, nan, 0, 10])
    assert est.intervals == {}
    assert "NHS" in est.method[0]


def test_rate_multiplier_and_rule() -> None:
    est = disclosed_rate([23], [100_000], multiplier=100_000)
    assert est.value.tolist() == [25.0] and est.statistic == "rate per 100000"
    assert (
        disclosed_rate([9], [100], multiplier=1, rule=STRICT_RULE)
        .reason[0]
        .startswith("numerator suppressed (1-9)")
    )
    # Events may exceed the population (rates), as phe_rate allows.
    assert disclosed_rate([30], [10], multiplier=1).value.tolist() == [3.0]


def test_rate_errors() -> None:
    with pytest.raises(ValueError, match=r"^numerator: must not be negative.*group 1"):
        disclosed_rate([10, -1], [20, 20])
    with pytest.raises(ValueError, match=r"^denominator: counts must be whole.*group 0"):
        disclosed_rate([10], [20.5])
    with pytest.raises(ValueError, match="numerator has 2, denominator has 1"):
        disclosed_rate([10, 11], [20])


# --- disclose_table: worked examples ----------------------------------------------------------


def test_table_docstring_example_by_hand() -> None:
    # The 3 is alone in row 0 and column 0: row 0 takes its next-smallest (20), column 0 its
    # next-smallest (10); column 1 now holds only the 20, so it takes its next-smallest (25).
    out = disclose_table([[3, 20, 40], [10, 25, 30]])
    assert_array_equal(out.cells, [[nan, nan, 40], [nan, nan, 30]])
    assert out.cell_flags.tolist() == [
        ["primary", "secondary", "rounded"],
        ["secondary", "secondary", "rounded"],
    ]
    assert_array_equal(out.row_totals, [65, 65])  # 63, 65 rounded independently
    assert_array_equal(out.col_totals, [15, 45, 70])  # 13, 45, 70
    assert out.grand_total.shape == () and float(out.grand_total) == 130  # 128
    assert out.reason.tolist() == [""]


def test_small_totals_are_suppressed_and_protected() -> None:
    # Row 0 totals 5: suppressed itself. Column 0 (2, 40) and column 1 (3, 50) each hold one
    # suppressed cell, so 40 and 50 go; the row-totals column then holds only the 5, so the
    # other row total (90) goes rather than the grand total (95). Column totals stay.
    out = disclose_table([[2, 3], [40, 50]])
    assert out.cell_flags.tolist() == [["primary", "primary"], ["secondary", "secondary"]]
    assert out.row_total_flags.tolist() == ["primary", "secondary"]
    assert_array_equal(out.col_totals, [40, 55])  # 42, 53
    assert float(out.grand_total) == 95
    assert unsafe_entries(out, (2, 2), True, True) == []


def test_bridge_between_two_blocks_is_closed() -> None:
    # Two 2x2 blocks of small cells joined by a small cell (0, 2): every row and column holds
    # two or more suppressed cells, yet (0, 2) is recoverable (the sum of rows 0-1 minus
    # columns 0-1 isolates it). The cheapest cell joining the two blocks, 40 at (1, 2), closes
    # the loop.
    X = np.array([[3, 4, 5, 50, 60], [2, 6, 40, 70, 80], [45, 50, 3, 2, 90], [60, 70, 4, 5, 95]])
    keys, A = published_system((4, 5), True, True)
    primary = np.array([k[0] == "cell" and 1 <= X[k[1], k[2]] <= 7 for k in keys])
    assert recoverable(A, primary).any()  # the line rule alone is not enough
    out = disclose_table(X)
    secondary = np.argwhere(out.cell_flags == "secondary").tolist()
    assert secondary == [[1, 2]]
    assert unsafe_entries(out, (4, 5), True, True) == []


def test_zero_cells_are_used_last() -> None:
    out = disclose_table([[3, 0, 20], [10, 0, 30]])
    assert out.cell_flags[:, 1].tolist() == ["zero", "zero"]
    assert_array_equal(out.cells[:, 1], [0, 0])


def test_no_totals_means_no_secondary() -> None:
    out = disclose_table([[3, 20], [10, 25]], row_totals=False, col_totals=False)
    assert out.cell_flags.tolist() == [["primary", "rounded"], ["rounded", "rounded"]]
    assert out.row_totals is None and out.col_totals is None and out.grand_total is None


def test_secondary_can_be_switched_off() -> None:
    rule = DisclosureRule(secondary=False)
    out = disclose_table([[3, 20], [10, 25]], rule=rule)
    assert (out.cell_flags == "secondary").sum() == 0
    assert out.cell_flags[0, 0] == "primary"


def test_row_totals_only() -> None:
    # Only row totals (and their grand total) are published: the 3 needs one partner in its row.
    out = disclose_table([[3, 20, 40], [10, 25, 30]], col_totals=False)
    assert out.cell_flags.tolist() == [
        ["primary", "secondary", "rounded"],
        ["rounded", "rounded", "rounded"],
    ]
    assert out.col_totals is None
    assert unsafe_entries(out, (2, 3), True, False) == []


def test_unrounded_totals() -> None:
    out = disclose_table([[3, 20, 40], [10, 25, 31]], round_totals=False)
    assert_array_equal(out.row_totals, [63, 66])
    assert_array_equal(out.col_totals, [13, 45, 71])
    assert float(out.grand_total) == 129
    assert out.cells[1, 2] == 30  # cells are still rounded


def test_missing_cell_sinks_only_its_table() -> None:
    tables = np.array([[[3, 20], [10, 25]], [[nan, 20], [10, 25]]])
    out = disclose_table(tables)
    assert out.cells.shape == (2, 2, 2) and out.row_totals.shape == (2, 2)
    assert np.isnan(out.cells[1]).all() and np.isnan(out.grand_total[1])
    assert (out.cell_flags[1] == "missing").all()
    assert out.reason.tolist() == ["", "cells missing: totals cannot be formed"]
    assert_array_equal(out.cells[0], disclose_table(tables[0]).cells)


def test_empty_stack() -> None:
    out = disclose_table(np.zeros((0, 2, 3)))
    assert out.cells.shape == (0, 2, 3) and out.grand_total.shape == (0,)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([[[1, 2]], [[3, -4]]], r"^cells: must not be negative.*table 1$"),
        ([[[1, 2]], [[3, 4]], [[np.inf, 1]]], r"^cells: must be finite.*table 2$"),
        ([[[1.5, 2]], [[3, 4]]], r"^cells: counts must be whole numbers.*table 0$"),
        ([1, 2, 3], r"^cells: expected one table .*shape \(3,\)"),
        (np.zeros((2, 0)), r"^cells: expected one table .*shape \(2, 0\)"),
        ([["a"]], r"^cells: expected numbers"),
    ],
)
def test_table_errors(cells: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        disclose_table(cells)  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------------

small_or_large = st.one_of(st.integers(0, 9), st.integers(0, 60))
tables = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda shape: hnp.arrays(np.float64, shape, elements=small_or_large.map(float))
)
rules = st.sampled_from([NHS_RULE, STRICT_RULE, DisclosureRule(keep_zero=False, round_to=10)])


@given(tables, st.booleans(), st.booleans(), rules)
def test_no_suppressed_value_can_be_recovered(
    cells: np.ndarray, rt: bool, ct: bool, rule: DisclosureRule
) -> None:
    out = disclose_table(cells, rule=rule, row_totals=rt, col_totals=ct)
    for t in range(cells.shape[0]):
        assert unsafe_entries(out, cells.shape[1:], rt, ct, t) == []


@given(tables, st.booleans(), st.booleans(), rules)
def test_published_values_follow_the_rule(
    cells: np.ndarray, rt: bool, ct: bool, rule: DisclosureRule
) -> None:
    out = disclose_table(cells, rule=rule, row_totals=rt, col_totals=ct)
    published = [out.cells.ravel()]
    truth = [cells.ravel()]
    flags = [out.cell_flags.ravel()]
    if rt:
        published.append(out.row_totals.ravel())
        truth.append(cells.sum(axis=2).ravel())
        flags.append(out.row_total_flags.ravel())
    if ct:
        published.append(out.col_totals.ravel())
        truth.append(cells.sum(axis=1).ravel())
        flags.append(out.col_total_flags.ravel())
    pub, true, flag = np.concatenate(published), np.concatenate(truth), np.concatenate(flags)
    shown = ~np.isnan(pub)
    assert_array_equal(shown, ~np.isin(flag, SUPPRESSED))
    assert (pub[shown] % rule.round_to == 0).all()  # multiples of round_to
    assert_array_equal(pub[shown], rule.round(true[shown]))  # totals rounded independently
    assert not rule.suppresses(true[shown]).any()  # nothing in the suppressed range shown
    assert_array_equal(flag == "primary", rule.suppresses(true))
    if rule is NHS_RULE:
        assert not ((pub[shown] >= 1) & (pub[shown] <= 7)).any()
        assert (pub[true == 0] == 0)[shown[true == 0]].all()  # zeros stay zero unless hidden


@given(tables, st.booleans(), st.booleans())
def test_vectorised_equals_table_by_table(cells: np.ndarray, rt: bool, ct: bool) -> None:
    out = disclose_table(cells, row_totals=rt, col_totals=ct)
    for t in range(cells.shape[0]):
        one = disclose_table(cells[t], row_totals=rt, col_totals=ct)
        assert_array_equal(out.cells[t], one.cells)
        assert_array_equal(out.cell_flags[t], one.cell_flags)
        if rt:
            assert_array_equal(out.row_totals[t], one.row_totals)
        if ct:
            assert_array_equal(out.col_total_flags[t], one.col_total_flags)


@given(tables, st.booleans(), st.booleans())
def test_secondary_only_when_needed(cells: np.ndarray, rt: bool, ct: bool) -> None:
    out = disclose_table(cells, row_totals=rt, col_totals=ct)
    keys, A = published_system(cells.shape[1:], rt, ct)
    for t in range(cells.shape[0]):
        primary = np.array([flag_of(out, k, t) == "primary" for k in keys])
        secondary = np.array([flag_of(out, k, t) == "secondary" for k in keys])
        if not recoverable(A, primary).any():
            assert not secondary.any()  # a safe primary pattern is left alone
        # Every secondary suppression shares a published line with another suppression.
        suppressed = primary | secondary
        for k in np.flatnonzero(secondary):
            lines = np.flatnonzero(A[:, k])
            assert any(np.count_nonzero(A[line] * suppressed) >= 2 for line in lines), keys[k]


@given(hnp.arrays(np.float64, st.integers(1, 40), elements=small_or_large.map(float)), rules)
def test_counts_properties(counts: np.ndarray, rule: DisclosureRule) -> None:
    out = disclose_counts(counts, rule=rule)
    shown = ~np.isnan(out.value)
    assert_array_equal(~shown, rule.suppresses(counts))
    assert (out.value[shown] % rule.round_to == 0).all()
    assert (np.abs(out.value[shown] - counts[shown]) <= rule.round_to / 2).all()
    for n, c in enumerate(counts):  # elementwise
        assert_array_equal(disclose_counts([c], rule=rule).value, out.value[n : n + 1])


@given(
    hnp.arrays(np.float64, 20, elements=small_or_large.map(float)),
    hnp.arrays(np.float64, 20, elements=st.integers(0, 500).map(float)),
)
def test_rate_is_ratio_of_published_counts(num: np.ndarray, den: np.ndarray) -> None:
    est = disclosed_rate(num, den)
    pub_num, pub_den = disclose_counts(num).value, disclose_counts(den).value
    ok = est.reason == ""
    assert_array_equal(ok, ~np.isnan(pub_num) & ~np.isnan(pub_den) & (pub_den > 0))
    assert_allclose(est.value[ok], pub_num[ok] / pub_den[ok] * 100)
    assert np.isnan(est.value[~ok]).all()
