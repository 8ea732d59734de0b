"""Recognise the "open at the census date" test in a census indicator's denominator.

A census indicator (a waiting list) declares the dates a row starts and stops counting
(``period: {kind: census, column: clock_start, until: clock_stop}``) and its denominator
usually says the same again::

    clock_start <= period_end and (clock_stop is null or clock_stop > period_end)

When it does, and both columns are dates, the months a row is open at are known before any
census date is tested: from the month of ``column`` to the month before that of ``until``.
The engine then expands each row to exactly those months and tests only what is left of the
denominator (:func:`split_open_test`), instead of expanding to the month of ``until`` too and
testing the whole denominator on every row-month. The counts are the same: a date in month
*m* is on or before *m*'s last day and after every earlier month's last day.

Examples
--------
>>> from focuson.engine.expressions import parse
>>> tree = parse("clock_start <= period_end and (clock_stop is null or clock_stop > period_end)"
...              " and person.sex == 'F'")
>>> found, rest = split_open_test(tree, "clock_start", "clock_stop")
>>> found, rest.op, rest.left.label
(True, '==', 'person.sex')
"""

from __future__ import annotations

from focuson.engine.expressions import Binary, Expr, IsNull, Name

_PERIOD_END = "period_end"


def split_open_test(tree: Expr, column: str, until: str) -> tuple[bool, Expr | None]:
    """Whether a denominator requires ``column <= period_end`` and ``until`` null or after
    ``period_end`` (as top-level ``and`` terms, either way round), and what else it requires.

    Parameters
    ----------
    tree
        The denominator's expression tree.
    column, until
        The census period's start and stop columns.

    Returns
    -------
    tuple
        ``(found, rest)``: ``found`` when both tests are terms of the top-level ``and``;
        ``rest`` the other terms joined by ``and`` (``None`` when there are none; the whole
        tree when not found).
    """
    terms = _terms(tree)
    starts = [t for t in terms if _is_started(t, column)]
    stops = [t for t in terms if _is_not_stopped(t, until)]
    if not starts or not stops:
        return False, tree
    rest = [t for t in terms if t is not starts[0] and t is not stops[0]]
    joined: Expr | None = None
    for t in rest:
        joined = t if joined is None else Binary(joined.pos, "and", joined, t)
    return True, joined


def _terms(tree: Expr) -> list[Expr]:
    if isinstance(tree, Binary) and tree.op == "and":
        return _terms(tree.left) + _terms(tree.right)
    return [tree]


def _is(e: Expr, label: str) -> bool:
    return isinstance(e, Name) and e.label == label


def _is_started(e: Expr, column: str) -> bool:
    """``column <= period_end`` or ``period_end >= column``."""
    if not isinstance(e, Binary):
        return False
    return (e.op == "<=" and _is(e.left, column) and _is(e.right, _PERIOD_END)) or (
        e.op == ">=" and _is(e.left, _PERIOD_END) and _is(e.right, column)
    )


def _is_after(e: Expr, until: str) -> bool:
    """``until > period_end`` or ``period_end < until``."""
    if not isinstance(e, Binary):
        return False
    return (e.op == ">" and _is(e.left, until) and _is(e.right, _PERIOD_END)) or (
        e.op == "<" and _is(e.left, _PERIOD_END) and _is(e.right, until)
    )


def _is_not_stopped(e: Expr, until: str) -> bool:
    """``until is null or until > period_end``, the two sides either way round."""
    if not (isinstance(e, Binary) and e.op == "or"):
        return False
    sides = (e.left, e.right)
    null = [s for s in sides if isinstance(s, IsNull) and not s.negated and _is(s.operand, until)]
    after = [s for s in sides if _is_after(s, until)]
    return bool(null) and bool(after)
