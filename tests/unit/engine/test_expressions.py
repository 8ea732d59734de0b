"""The filter language: what parses, what type-checks, and the errors for what does not."""

import datetime as dt

import ibis
import pytest

from focuson.engine.compile import compile_expr
from focuson.engine.expressions import (
    Binary,
    Call,
    Const,
    Duration,
    ExpressionError,
    InList,
    IsNull,
    Name,
    Unary,
    check,
    parse,
)

COLUMNS = {
    "clock_start": "date",
    "clock_stop": "date",
    "arrival": "timestamp",
    "departure": "timestamp",
    "systolic": "number",
    "programme": "string",
    "stage": "number",
}
PERSON = {"sex": "string", "date_of_birth": "date", "ethnicity": "string"}


def test_parse_precedence_and_binds_tighter_than_or():
    tree = parse("stage == 1 or stage == 2 and systolic < 140")
    assert isinstance(tree, Binary) and tree.op == "or"
    assert isinstance(tree.right, Binary) and tree.right.op == "and"


def test_parse_every_construct():
    tree = parse(
        "not (clock_stop is not null) and person.sex in ['F', 'U'] "
        "and arrival + 4 hours >= departure and date_diff_days(clock_start, period_end) > -1 "
        "and clock_start >= date '2024-01-31' and programme not in ['bowel']"
    )
    kinds = {type(n).__name__ for n in _walk(tree)}
    assert kinds >= {"Unary", "IsNull", "InList", "Binary", "Duration", "Call", "Const", "Name"}
    assert check(tree, COLUMNS, person=PERSON) == "bool"


def test_parse_literals():
    assert parse("date '2024-03-31'") == Const(0, dt.date(2024, 3, 31), "date")
    assert parse("timestamp '2024-03-31 10:00'") == Const(
        0, dt.datetime(2024, 3, 31, 10), "timestamp"
    )
    assert parse("6 weeks") == Duration(0, 6 * 7 * 24 * 60, "weeks")
    assert parse("-2.5") == Const(0, -2.5, "number")
    assert parse("'it\\'s'") == Const(0, "it's", "string")
    assert parse("TRUE") == Const(0, True, "bool")


def test_check_date_plus_hours_is_a_timestamp():
    assert check(parse("clock_start + 4 hours"), COLUMNS) == "timestamp"
    assert check(parse("clock_start + 2 days"), COLUMNS) == "date"
    assert check(parse("clock_start < arrival"), COLUMNS) == "bool"


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 0, "the expression is empty"),
        ("stage = 1", 6, "'=' is not an operator; write '=='"),
        ("stage == ", 9, "expected a value, a column or '('"),
        ("(stage == 1", 11, "expected ')'"),
        ("stage == 1)", 10, "expected an operator or the end"),
        ("stage in (1, 2)", 9, "expected '[' to start a list"),
        ("stage in [1, stage]", 13, "a list holds literal values only"),
        ("stage is nul", 9, "expected 'null' after 'is'"),
        ("1 < stage < 3", 10, "comparisons cannot be chained"),
        ("programme == 'bowel", 13, "a string is not closed"),
        ("stage == 1 & stage == 2", 11, "unexpected character '&'"),
        ("clock_start > date '2024-13-01'", 14, "expected a date written YYYY-MM-DD"),
        ("clock_start + 1.5 days > clock_stop", 14, "a duration must be a whole number"),
        ("person. == 1", 8, "expected a column name after 'person.'"),
        ("stage not [1]", 10, "expected 'in' after 'not'"),
        ("and stage", 0, "expected a value or a column, found 'and'"),
    ],
)
def test_parse_errors_say_where_and_what(text, position, words):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.position == position
    assert words in info.value.message


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("waiting > 1", 0, "unknown column 'waiting'; expected one of"),
        ("person.postcode == 'x'", 0, "unknown column person.postcode; persons has"),
        ("patient.sex == 'F'", 0, "unknown prefix 'patient'"),
        ("systolic < '140'", 9, "cannot compare number with string"),
        ("clock_start > 5", 12, "cannot compare date with number"),
        ("programme in [1, 2]", 14, "cannot compare string with number in the list"),
        ("stage == null", 6, "compare with null using 'is null'"),
        ("stage and systolic", 0, "'and' joins conditions, found a number"),
        ("not stage", 0, "'not' needs a condition, found a number"),
        ("clock_stop - clock_start > 3", 11, "subtracting dates is not allowed"),
        ("date_diff_days(arrival, departure) > 1", 15, "date_diff_days needs a date here"),
        ("date_diff_days(clock_start) > 1", 0, "date_diff_days takes 2 arguments, got 1"),
        ("days_between(clock_start, clock_stop) > 1", 0, "unknown function 'days_between'"),
        ("4 hours + arrival > departure", 8, "write the date first"),
        ("programme + 1 > 2", 10, "cannot apply '+' to string and number"),
        ("6 weeks > 5 days", 8, "cannot compare duration with duration"),
        ("date_diff_days == 3", 0, "functions are called with parentheses"),
    ],
)
def test_check_errors_say_where_and_what(text, position, words):
    with pytest.raises(ExpressionError) as info:
        check(parse(text), COLUMNS, person=PERSON)
    assert info.value.position == position
    assert words in info.value.message


def test_check_person_columns_need_a_person():
    with pytest.raises(ExpressionError, match=r"'person\.' columns are not available"):
        check(parse("person.sex == 'F'"), COLUMNS)


def test_nodes_are_frozen():
    tree = parse("stage is null")
    assert isinstance(tree, IsNull)
    with pytest.raises(AttributeError):
        tree.negated = True  # type: ignore[misc]


def test_no_eval_python_is_not_the_language():
    with pytest.raises(ExpressionError, match="unknown function '__import__'"):
        check(parse("__import__('os')"), COLUMNS)
    with pytest.raises(ExpressionError, match=r"found '\.'"):
        parse("__import__('os').system('true')")


def _walk(node):
    yield node
    for child in _children(node):
        yield from _walk(child)


def _children(node):
    if isinstance(node, Binary):
        return [node.left, node.right]
    if isinstance(node, Unary | IsNull):
        return [node.operand]
    if isinstance(node, InList):
        return [node.operand, *node.values]
    if isinstance(node, Call):
        return list(node.args)
    assert isinstance(node, Const | Name | Duration)
    return []


# -- compiled semantics on a tiny table ----------------------------------------------------


@pytest.fixture(scope="module")
def table():
    return ibis.memtable(
        {
            "clock_start": [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 3, 1)],
            "clock_stop": [dt.date(2024, 5, 6), None, dt.date(2024, 3, 2)],
            "arrival": [dt.datetime(2024, 1, 1, 10)] * 3,
            "departure": [
                dt.datetime(2024, 1, 1, 14),
                dt.datetime(2024, 1, 1, 14, 1),
                dt.datetime(2024, 1, 2, 10),
            ],
            "systolic": [150, None, 120],
            "programme": ["bowel", "breast", None],
            "stage": [1, 2, None],
        }
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 2024-01-01 to 2024-05-06: 31 + 29 + 31 + 30 + 5 = 126 days
        ("date_diff_days(clock_start, clock_stop) <= 126", [True, False, True]),
        ("clock_stop <= clock_start + 126 days", [True, False, True]),
        ("clock_stop is null", [False, True, False]),
        ("not (clock_stop is null)", [True, False, True]),
        ("departure <= arrival + 4 hours", [True, False, False]),
        ("date_diff_minutes(arrival, departure) == 24 * 60", [False, False, True]),
        ("systolic < 140", [False, False, True]),
        ("not (systolic < 140)", [True, True, False]),  # empty compares false; not -> true
        ("programme in ['bowel', 'breast']", [True, True, False]),
        ("programme not in ['bowel']", [False, True, True]),
        ("stage in [1, 2] or systolic >= 100", [True, True, True]),
        ("clock_start >= date '2024-02-01'", [False, False, True]),
        ("arrival < clock_stop", [True, False, True]),
    ],
)
def test_compiled_filters_follow_the_documented_semantics(table, text, expected):
    scope = {c: table[c] for c in table.columns}
    tree = parse(text)
    assert check(tree, COLUMNS) == "bool"
    result = table.select(ok=compile_expr(tree, scope)).to_pandas().ok.tolist()
    assert result == expected
