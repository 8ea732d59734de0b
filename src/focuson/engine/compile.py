"""Compile a checked expression tree into an Ibis expression: the one place that does it.

The tree comes from :mod:`focuson.engine.expressions` and has been type-checked against the
table's contract columns, so compiling never fails on a user's catalogue. Names are looked up in a
*scope*: a mapping from the names an expression may use (``clock_start``, ``person.sex``,
``period_end``, ``age``...) to Ibis values of the table being aggregated.

Empty values follow two-valued logic: every comparison is ``false`` when a side is empty, so
``not`` of it is ``true``, as documented for the filter language.

Examples
--------
>>> import ibis
>>> from focuson.engine.expressions import parse
>>> t = ibis.memtable({"systolic": [130, 150, None]})
>>> cond = compile_expr(parse("systolic < 140"), {"systolic": t.systolic})
>>> t.select(ok=cond).to_pandas().ok.tolist()
[True, False, False]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from focuson.engine.expressions import (
    Binary,
    Call,
    Const,
    Duration,
    Expr,
    InList,
    IsNull,
    Name,
    Unary,
)

Scope = Mapping[str, ir.Value]


def compile_expr(expr: Expr, scope: Scope) -> ir.Value:
    """Compile a tree into an Ibis value over the columns in ``scope``.

    Parameters
    ----------
    expr
        A tree from :func:`focuson.engine.expressions.parse`, already checked.
    scope
        Name (as written: ``"clock_start"``, ``"person.sex"``, ``"period_end"``) -> Ibis value.

    Returns
    -------
    ibis.expr.types.Value
        A boolean value for a filter (never null), or a number, date... for a sub-expression.

    Raises
    ------
    KeyError
        If the scope lacks a name the tree uses (a programming error: the checker allows only
        names the engine provides).
    """
    return _compile(expr, scope)


def _compile(e: Expr, scope: Scope) -> Any:
    if isinstance(e, Const):
        return _literal(e)
    if isinstance(e, Name):
        return scope[e.label]
    if isinstance(e, Duration):
        return (
            ibis.interval(minutes=e.minutes)
            if e.minutes % 1440
            else ibis.interval(days=e.minutes // 1440)
        )
    if isinstance(e, IsNull):
        value = _compile(e.operand, scope)
        return value.notnull() if e.negated else value.isnull()
    if isinstance(e, InList):
        value = _compile(e.operand, scope)
        listed = value.isin([_literal(v) for v in e.values]).fill_null(False)
        return ~listed if e.negated else listed
    if isinstance(e, Unary):
        inner = _compile(e.operand, scope)
        return ~inner if e.op == "not" else -inner
    if isinstance(e, Call):
        a, b = (_compile(x, scope) for x in e.args)
        if e.function == "date_diff_days":
            return b.delta(a, unit="day")
        return (b.epoch_seconds().cast("int64") - a.epoch_seconds().cast("int64")) / 60
    if isinstance(e, Binary):
        left, right = _compile(e.left, scope), _compile(e.right, scope)
        op = e.op
        if op == "and":
            return left & right
        if op == "or":
            return left | right
        if op in ("+", "-", "*", "/"):
            if isinstance(e.right, Duration) and e.right.minutes % 1440 and left.type().is_date():
                left = left.cast("timestamp")  # hours or minutes from midnight of the date
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*":  # in 64-bit floats: products of 15-digit numbers overflow int64
                return left.cast("float64") * right
            return left / right
        left, right = _align_times(left, right)
        result = {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            ">=": lambda: left >= right,
        }[op]()
        return result.fill_null(False)
    raise TypeError(f"cannot compile {type(e).__name__}")  # pragma: no cover


def _literal(c: Const) -> Any:
    if c.type == "date":
        assert isinstance(c.value, dt.date)
        return ibis.date(c.value.isoformat())
    if c.type == "timestamp":
        assert isinstance(c.value, dt.datetime)
        return ibis.timestamp(c.value.isoformat(sep=" "))
    if c.type == "number":
        return ibis.literal(c.value, type="float64" if isinstance(c.value, float) else "int64")
    return ibis.literal(c.value)


def _align_times(left: Any, right: Any) -> tuple[Any, Any]:
    """Compare a date with a timestamp as timestamps (midnight at the start of the date)."""
    lt, rt = left.type(), right.type()
    if lt.is_date() and rt.is_timestamp():
        return left.cast("timestamp"), right
    if lt.is_timestamp() and rt.is_date():
        return left, right.cast("timestamp")
    return left, right
