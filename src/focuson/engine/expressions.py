"""The filter language of the indicator catalogue: tokenizer, parser and type checker.

An indicator's denominator and numerator are written as small expressions over the columns of its
table, for example::

    clock_start <= period_end and (clock_stop is null or clock_stop > period_end)
    date_diff_days(clock_start, period_end) > 126
    department_type == 1 and departure <= arrival + 4 hours
    person.sex in ['F', 'U'] and age >= 50

The text is parsed into a frozen tree (:class:`Expr` nodes) and type-checked against the
contract columns of the table; :mod:`focuson.engine.compile` turns the tree into Ibis. Nothing in
a catalogue is ever passed to ``eval`` or sent to a database as SQL text.

The language
------------
=========================  ===============================================================
names                      a column of the indicator's table (``clock_start``); a column of
                           ``persons`` through the person (``person.sex``); ``period_start``
                           and ``period_end`` (the first and last day of the period's month:
                           the census date for census indicators); ``as_of`` (the extract
                           date); ``age`` (completed years at the period date)
literals                   numbers ``126``, ``2.5``; strings ``'emergency'``; dates
                           ``date '2024-03-31'``; timestamps ``timestamp '2024-03-31 10:00'``;
                           ``true``, ``false``; durations ``126 days``, ``6 weeks``,
                           ``4 hours``, ``30 minutes``
comparisons                ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``; ``x in [a, b]``,
                           ``x not in [a, b]``; ``x is null``, ``x is not null``
arithmetic                 ``+ - * /`` on numbers; ``date + 126 days``, ``timestamp - 4 hours``
functions                  ``date_diff_days(a, b)`` (whole days from date ``a`` to date
                           ``b``), ``date_diff_minutes(a, b)`` (minutes between timestamps)
logic                      ``and``, ``or``, ``not``, parentheses
=========================  ===============================================================

Empty values: a comparison with an empty value is *false* (two-valued logic, so ``not`` turns it
true); test emptiness with ``is null``.

Limits
------
An expression outside these limits is refused with an :class:`ExpressionError` naming the
character at fault (a catalogue error then names the file, line and indicator):

=========================  ===============================================================
text                       at most :data:`MAX_LENGTH` (2,000) characters; no control
                           characters (tabs and line breaks are spaces)
nesting                    at most :data:`MAX_NESTING` (20) levels of parentheses, function
                           calls, ``not`` and ``-``
size                       at most :data:`MAX_DEPTH` (100) operations chained or nested, e.g.
                           ``a or b or ...`` (use ``x in [a, b, ...]`` for long alternatives),
                           and :data:`MAX_LIST` (1,000) values in a list
numbers                    at most :data:`MAX_DIGITS` (15) digits before the point and 15
                           after, so every number is exact in 64-bit arithmetic
strings                    at most :data:`MAX_STRING` (500) characters
dates, timestamps          years :data:`YEARS` (1800 to 2199)
durations                  whole numbers, at most :data:`MAX_DURATION_DAYS` (36,600) days
                           (100 years); a date plus hours or minutes is a timestamp (from
                           midnight at the start of the date)
=========================  ===============================================================

Examples
--------
>>> tree = parse("clock_stop is null or date_diff_days(clock_start, clock_stop) <= 126")
>>> tree.op
'or'
>>> check(tree, {"clock_start": "date", "clock_stop": "date"})
'bool'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

Type: TypeAlias = Literal["number", "string", "date", "timestamp", "bool", "duration", "null"]

#: Names every expression may use besides the table's columns, with their types.
SPECIAL_NAMES: Mapping[str, Type] = {
    "period_start": "date",
    "period_end": "date",
    "as_of": "date",
    "age": "number",
}
#: Duration units and their size in minutes.
UNITS: Mapping[str, int] = {
    "minute": 1,
    "minutes": 1,
    "hour": 60,
    "hours": 60,
    "day": 1440,
    "days": 1440,
    "week": 10080,
    "weeks": 10080,
}
#: Functions: name -> (argument types, result type).
FUNCTIONS: Mapping[str, tuple[tuple[Type, ...], Type]] = {
    "date_diff_days": (("date", "date"), "number"),
    "date_diff_minutes": (("timestamp", "timestamp"), "number"),
}
_KEYWORDS = {"and", "or", "not", "in", "is", "null", "true", "false", "date", "timestamp"}

#: The longest expression, in characters.
MAX_LENGTH = 2_000
#: The deepest nesting of parentheses, function calls, ``not`` and unary ``-``.
MAX_NESTING = 20
#: The most operations chained or nested in one expression (the depth of its tree).
MAX_DEPTH = 100
#: The most values in one ``in [...]`` list.
MAX_LIST = 1_000
#: The most digits before (and after) the decimal point of a number: exact in a 64-bit float.
MAX_DIGITS = 15
#: The longest string literal, in characters.
MAX_STRING = 500
#: The years a date or timestamp literal may fall in (inclusive).
YEARS = (1800, 2199)
#: The longest duration, in days (100 years).
MAX_DURATION_DAYS = 36_600
# control characters, and lone surrogates (half a character: no file or database stores one)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")


class ExpressionError(ValueError):
    """A filter expression that cannot be parsed or does not type-check.

    Attributes
    ----------
    message
        What is wrong and what was expected.
    position
        The 0-based character offset in the expression text where the problem is.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"at character {position + 1}: {message}")
        self.message = message
        self.position = position


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """Base class of the expression tree; ``pos`` is the offset in the source text."""

    pos: int


@dataclass(frozen=True)
class Name(Expr):
    """A column (``table`` is ``"person"`` for ``person.x``, else ``None``) or special name."""

    name: str
    table: str | None = None

    @property
    def label(self) -> str:
        """The name as written."""
        return f"{self.table}.{self.name}" if self.table else self.name


@dataclass(frozen=True)
class Const(Expr):
    """A literal: number, string, date, timestamp, bool, or ``null``."""

    value: float | int | str | bool | dt.date | dt.datetime | None
    type: Type


@dataclass(frozen=True)
class Duration(Expr):
    """A length of time, ``126 days``: stored in minutes, with the unit as written."""

    minutes: int
    unit: str


@dataclass(frozen=True)
class Unary(Expr):
    """``not x`` or ``-x``."""

    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """``a op b`` for ``and or == != < <= > >= + - * /``."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class InList(Expr):
    """``x in [a, b]`` (``negated`` for ``not in``)."""

    operand: Expr
    values: tuple[Const, ...]
    negated: bool = False


@dataclass(frozen=True)
class IsNull(Expr):
    """``x is null`` (``negated`` for ``is not null``)."""

    operand: Expr
    negated: bool = False


@dataclass(frozen=True)
class Call(Expr):
    """A function call, ``date_diff_days(a, b)``."""

    function: str
    args: tuple[Expr, ...]


# -- tokens -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
  | (?P<bad>=|.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[_Token]:
    """Split an expression into tokens; an unknown character is an :class:`ExpressionError`.

    Examples
    --------
    >>> [t.text for t in tokenize("age >= 80")]
    ['age', '>=', '80', '']
    """
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "bad"
        if kind == "space":
            continue
        if kind == "bad":
            if m.group() == "=":
                raise ExpressionError("'=' is not an operator; write '==' to compare", m.start())
            if m.group() in "'\"":
                raise ExpressionError("a string is not closed: expected a closing quote", m.start())
            raise ExpressionError(f"unexpected character {m.group()!r}", m.start())
        tokens.append(_Token(kind, m.group(), m.start()))
    tokens.append(_Token("end", "", len(text)))
    return tokens


# -- parser -----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.nesting = 0

    def enter(self, pos: int) -> None:
        """One level deeper (parenthesis, call, ``not``, ``-``); refused beyond the limit, so
        that parsing never runs out of stack."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(
                f"nested more than {MAX_NESTING} levels deep (parentheses, function calls, "
                "'not' or '-'); expected a simpler expression",
                pos,
            )

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def next(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        t = self.tok
        return t.kind in ("op", "name") and t.text in texts

    def at_word(self, word: str) -> bool:
        return self.tok.kind == "name" and self.tok.text.lower() == word

    def expect(self, text: str, what: str) -> _Token:
        if self.tok.kind in ("op", "name") and self.tok.text.lower() == text:
            return self.next()
        raise ExpressionError(f"expected {what}, found {self._found()}", self.tok.pos)

    def _found(self) -> str:
        return "the end of the expression" if self.tok.kind == "end" else repr(self.tok.text)

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise ExpressionError("the expression is empty", 0)
        expr = self.or_()
        if self.tok.kind != "end":
            raise ExpressionError(
                f"expected an operator or the end of the expression, found {self._found()}",
                self.tok.pos,
            )
        return expr

    def or_(self) -> Expr:
        left = self.and_()
        while self.at_word("or"):
            pos = self.next().pos
            left = Binary(pos, "or", left, self.and_())
        return left

    def and_(self) -> Expr:
        left = self.not_()
        while self.at_word("and"):
            pos = self.next().pos
            left = Binary(pos, "and", left, self.not_())
        return left

    def not_(self) -> Expr:
        if self.at_word("not"):
            pos = self.next().pos
            self.enter(pos)
            operand = self.not_()
            self.nesting -= 1
            return Unary(pos, "not", operand)
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.sum_()
        if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            tok = self.next()
            right = self.sum_()
            if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
                raise ExpressionError(
                    "comparisons cannot be chained; join them with 'and'", self.tok.pos
                )
            return Binary(tok.pos, tok.text, left, right)
        if self.at_word("is"):
            pos = self.next().pos
            negated = False
            if self.at_word("not"):
                self.next()
                negated = True
            self.expect("null", "'null' after 'is' (or 'is not')")
            return IsNull(pos, left, negated)
        if self.at_word("not") or self.at_word("in"):
            pos = self.tok.pos
            negated = self.at_word("not")
            if negated:
                self.next()
            self.expect("in", "'in' after 'not'")
            return InList(pos, left, self.list_(), negated)
        return left

    def list_(self) -> tuple[Const, ...]:
        self.expect("[", "'[' to start a list of values")
        values: list[Const] = []
        while True:
            atom = self.unary()
            if not isinstance(atom, Const) or atom.type == "null":
                raise ExpressionError("a list holds literal values only", atom.pos)
            if len(values) == MAX_LIST:
                raise ExpressionError(f"a list holds at most {MAX_LIST} values", atom.pos)
            values.append(atom)
            if self.at(","):
                self.next()
                continue
            self.expect("]", "',' or ']' in the list")
            return tuple(values)

    def sum_(self) -> Expr:
        left = self.term()
        while self.at("+", "-"):
            tok = self.next()
            left = Binary(tok.pos, tok.text, left, self.term())
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.at("*", "/"):
            tok = self.next()
            left = Binary(tok.pos, tok.text, left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.at("-"):
            pos = self.next().pos
            self.enter(pos)
            operand = self.unary()
            self.nesting -= 1
            if isinstance(operand, Const) and operand.type == "number":
                assert isinstance(operand.value, int | float)
                return Const(pos, -operand.value, "number")
            return Unary(pos, "-", operand)
        return self.atom()

    def atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "number":
            self.next()
            whole, _, fraction = tok.text.partition(".")
            if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
                raise ExpressionError(
                    f"a number with more than {MAX_DIGITS} digits before or after the point; "
                    "expected a number a 64-bit float holds exactly",
                    tok.pos,
                )
            value: float | int = float(tok.text) if fraction else int(tok.text)
            if self.tok.kind == "name" and self.tok.text.lower() in UNITS:
                unit = self.next().text.lower()
                if not isinstance(value, int):
                    raise ExpressionError("a duration must be a whole number", tok.pos)
                if value * UNITS[unit] > MAX_DURATION_DAYS * UNITS["days"]:
                    raise ExpressionError(
                        f"a duration longer than {MAX_DURATION_DAYS:,} days (100 years)", tok.pos
                    )
                return Duration(tok.pos, value * UNITS[unit], unit)
            return Const(tok.pos, value, "number")
        if tok.kind == "string":
            self.next()
            text = _unquote(tok.text)
            if len(text) > MAX_STRING:
                raise ExpressionError(f"a string longer than {MAX_STRING} characters", tok.pos)
            return Const(tok.pos, text, "string")
        if tok.kind == "op" and tok.text == "(":
            self.enter(self.next().pos)
            inner = self.or_()
            self.expect(")", "')' to close the parenthesis")
            self.nesting -= 1
            return inner
        if tok.kind == "name":
            return self.name()
        raise ExpressionError(f"expected a value, a column or '(', found {self._found()}", tok.pos)

    def name(self) -> Expr:
        tok = self.next()
        word = tok.text.lower()
        if word in ("true", "false"):
            return Const(tok.pos, word == "true", "bool")
        if word == "null":
            return Const(tok.pos, None, "null")
        if word in ("date", "timestamp") and self.tok.kind == "string":
            return self.dated(tok.pos, word)
        if word in _KEYWORDS - {"date", "timestamp"}:
            raise ExpressionError(f"expected a value or a column, found {tok.text!r}", tok.pos)
        if self.at("("):
            self.enter(self.next().pos)
            args: list[Expr] = []
            if not self.at(")"):
                args.append(self.or_())
                while self.at(","):
                    self.next()
                    args.append(self.or_())
            self.expect(")", "')' to close the function's arguments")
            self.nesting -= 1
            return Call(tok.pos, tok.text, tuple(args))
        if self.at("."):
            self.next()
            if self.tok.kind != "name":
                raise ExpressionError(
                    f"expected a column name after '{tok.text}.', found {self._found()}",
                    self.tok.pos,
                )
            return Name(tok.pos, self.next().text, tok.text)
        return Name(tok.pos, tok.text)

    def dated(self, pos: int, kind: str) -> Const:
        text = _unquote(self.next().text)
        form = "YYYY-MM-DD" if kind == "date" else "YYYY-MM-DD HH:MM[:SS]"
        value: dt.date
        try:
            if kind == "date":
                value = dt.date.fromisoformat(text)
            else:
                value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ExpressionError(f"expected a {kind} written {form}", pos) from None
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise ExpressionError(f"expected a {kind} written {form}, without a time zone", pos)
        if not YEARS[0] <= value.year <= YEARS[1]:
            raise ExpressionError(f"expected a {kind} in the years {YEARS[0]}-{YEARS[1]}", pos)
        return Const(pos, value, "date" if kind == "date" else "timestamp")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def parse(text: str) -> Expr:
    """Parse one filter expression into its tree (not yet type-checked).

    Parameters
    ----------
    text
        The expression, e.g. ``"clock_stop is null"``.

    Returns
    -------
    Expr
        The root of a frozen tree.

    Raises
    ------
    ExpressionError
        With the character position and what was expected.

    Examples
    --------
    >>> parse("stage in [1, 2]")  # doctest: +NORMALIZE_WHITESPACE
    InList(pos=6, operand=Name(pos=0, name='stage', table=None),
           values=(Const(pos=10, value=1, type='number'), Const(pos=13, value=2, type='number')),
           negated=False)
    >>> parse("stage = 1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    focuson.engine.expressions.ExpressionError: at character 7: '=' is not an operator; ...
    """
    if not isinstance(text, str):
        raise ExpressionError("expected the expression as text", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression has {len(text):,} characters; expected at most {MAX_LENGTH:,}",
            MAX_LENGTH,
        )
    bad = _CONTROL.search(text)
    if bad is not None:
        raise ExpressionError(
            f"a control character or half a character (U+{ord(bad.group()):04X}) is not allowed",
            bad.start(),
        )
    tree = _Parser(text).parse()
    _check_depth(tree)
    return tree


def _children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, Unary | IsNull):
        return (e.operand,)
    if isinstance(e, InList):
        return (e.operand, *e.values)
    if isinstance(e, Binary):
        return (e.left, e.right)
    if isinstance(e, Call):
        return e.args
    return ()


def _check_depth(root: Expr) -> None:
    """Refuse a tree deeper than :data:`MAX_DEPTH` (walked without recursion): checking and
    compiling a tree recurse once per level."""
    stack = [(root, 1)]
    while stack:
        e, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"more than {MAX_DEPTH} operations chained or nested; expected a shorter "
                "expression (write x in [a, b, ...] for a long list of alternatives)",
                e.pos,
            )
        stack.extend((child, depth + 1) for child in _children(e))


# -- type checking ----------------------------------------------------------------------------

_ORDERED = {"number", "string", "date", "timestamp"}


def check(
    expr: Expr, columns: Mapping[str, Type], *, person: Mapping[str, Type] | None = None
) -> Type:
    """Type-check a tree against the columns it may use; return its type.

    Parameters
    ----------
    expr
        The tree from :func:`parse`.
    columns
        The table's columns and their types (``number``, ``string``, ``date``, ``timestamp``).
    person
        The ``persons`` columns reachable as ``person.<column>``; ``None`` when there are none.

    Returns
    -------
    str
        The expression's type, e.g. ``"bool"`` for a filter.

    Raises
    ------
    ExpressionError
        Naming the unknown column (with the known ones), or the types that do not match.

    Examples
    --------
    >>> check(parse("systolic < 140"), {"systolic": "number"})
    'bool'
    >>> check(parse("systolic < '140'"), {"systolic": "number"})
    Traceback (most recent call last):
    ...
    focuson.engine.expressions.ExpressionError: at character 10: cannot compare number with string
    """
    return _Checker(columns, person).type_of(expr)


class _Checker:
    def __init__(self, columns: Mapping[str, Type], person: Mapping[str, Type] | None) -> None:
        self.columns = columns
        self.person = person

    def type_of(self, e: Expr) -> Type:
        if isinstance(e, Const):
            return e.type
        if isinstance(e, Duration):
            return "duration"
        if isinstance(e, Name):
            return self.name(e)
        if isinstance(e, Call):
            return self.call(e)
        if isinstance(e, IsNull):
            self.type_of(e.operand)
            return "bool"
        if isinstance(e, InList):
            t = self.type_of(e.operand)
            for v in e.values:
                if not _comparable(t, v.type):
                    raise ExpressionError(f"cannot compare {t} with {v.type} in the list", v.pos)
            return "bool"
        if isinstance(e, Unary):
            t = self.type_of(e.operand)
            want: Type = "bool" if e.op == "not" else "number"
            if t != want:
                raise ExpressionError(f"'{e.op}' needs a {_words(want)}, found a {t}", e.pos)
            return want
        if isinstance(e, Binary):
            return self.binary(e)
        raise ExpressionError("unknown expression", e.pos)  # pragma: no cover

    def name(self, e: Name) -> Type:
        if e.table is not None:
            if e.table != "person":
                raise ExpressionError(
                    f"unknown prefix {e.table!r}: only 'person.' columns can be reached", e.pos
                )
            if self.person is None:
                raise ExpressionError("'person.' columns are not available here", e.pos)
            if e.name not in self.person:
                known = ", ".join(sorted(self.person))
                raise ExpressionError(f"unknown column person.{e.name}; persons has {known}", e.pos)
            return self.person[e.name]
        if e.name in self.columns:
            return self.columns[e.name]
        if e.name in SPECIAL_NAMES:
            return SPECIAL_NAMES[e.name]
        known = ", ".join([*sorted(self.columns), *SPECIAL_NAMES])
        hint = " (functions are called with parentheses)" if e.name in FUNCTIONS else ""
        raise ExpressionError(f"unknown column {e.name!r}{hint}; expected one of {known}", e.pos)

    def call(self, e: Call) -> Type:
        if e.function not in FUNCTIONS:
            known = ", ".join(FUNCTIONS)
            raise ExpressionError(
                f"unknown function {e.function!r}; expected one of {known}", e.pos
            )
        wanted, result = FUNCTIONS[e.function]
        if len(e.args) != len(wanted):
            raise ExpressionError(
                f"{e.function} takes {len(wanted)} arguments, got {len(e.args)}", e.pos
            )
        for arg, want in zip(e.args, wanted, strict=True):
            got = self.type_of(arg)
            if got != want:
                raise ExpressionError(f"{e.function} needs a {want} here, found a {got}", arg.pos)
        return result

    def binary(self, e: Binary) -> Type:
        lt, rt = self.type_of(e.left), self.type_of(e.right)
        if e.op in ("and", "or"):
            for t, side in ((lt, e.left), (rt, e.right)):
                if t != "bool":
                    raise ExpressionError(f"'{e.op}' joins conditions, found a {t}", side.pos)
            return "bool"
        if e.op in _COMPARISONS:
            if "null" in (lt, rt):
                raise ExpressionError("compare with null using 'is null' or 'is not null'", e.pos)
            if not _comparable(lt, rt) or (e.op not in ("==", "!=") and lt not in _ORDERED):
                raise ExpressionError(f"cannot compare {lt} with {rt}", e.pos)
            return "bool"
        if e.op in ("+", "-"):
            if lt in ("date", "timestamp") and rt == "duration":
                assert isinstance(e.right, Duration)
                if lt == "date" and e.right.minutes % UNITS["day"]:
                    return "timestamp"
                return lt
            if lt == "duration" and rt in ("date", "timestamp") and e.op == "+":
                raise ExpressionError("write the date first: date + duration", e.pos)
        if lt == rt == "number":
            return "number"
        if lt in ("date", "timestamp") and rt in ("date", "timestamp") and e.op == "-":
            raise ExpressionError(
                "subtracting dates is not allowed; use date_diff_days(a, b)", e.pos
            )
        raise ExpressionError(f"cannot apply '{e.op}' to {lt} and {rt}", e.pos)


def _comparable(a: Type, b: Type) -> bool:
    if a == b:
        return a != "duration"
    return {a, b} == {"date", "timestamp"}


def _words(t: Type) -> str:
    return "condition" if t == "bool" else t
