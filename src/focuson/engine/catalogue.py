"""The indicator catalogue: YAML read into frozen dataclasses that check themselves.

A catalogue file holds a name, a version and a list of indicators. Each indicator says which
contract table it counts, its denominator and numerator as filter expressions
(:mod:`focuson.engine.expressions`), its statistic, polarity, the constitutional standard and the
current operational target (kept apart, each with its source and version), its period (a monthly
census date, or the month of an event date) and a method note. A minimal indicator::

    catalogue: my indicators
    version: "2025.1"
    indicators:
      - id: ae_4_hours
        title: A&E attendances leaving within 4 hours of arrival
        table: ae_attendances
        period: {kind: event, column: arrival}
        denominator: "true"
        numerator: departure <= arrival + 4 hours
        statistic: proportion
        polarity: higher_is_better
        standard: {value: 95, source: NHS Constitution, version: "2010", effective_from: 2010-06-01}
        target: {value: 78, year: 2025/26, source: NHS England planning guidance 2025/26}
        method: All A&E types; the clock runs from arrival to departure.
        source: Emergency Care Data Set (ECDS)

For ``rate`` and ``dsr`` (directly age-standardised rate, ESP 2013) the numerator counts events
in ``table`` and the denominator is a filter on ``persons`` (the population at the period end);
for ``mean``, ``value`` is the numeric expression averaged over the denominator rows.

Any problem raises :class:`CatalogueError` naming the file, the line and what was expected.

Examples
--------
>>> catalogue = load_default_catalogue()
>>> catalogue.get("rtt_18_weeks").standard.value
92.0
>>> indicators_frame(catalogue).loc[0, ["id", "statistic", "polarity"]].tolist()
['rtt_18_weeks', 'proportion', 'higher_is_better']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

import pandas as pd
import yaml

from focuson.data.contracts import CONTRACTS
from focuson.data.contracts.safe_yaml import (
    MAX_YAML_CHARACTERS,
    LimitedSafeLoader,
    compose,
    yaml_problem,
)
from focuson.engine.expressions import Expr, ExpressionError, Type, check, parse

Statistic = Literal["proportion", "rate", "dsr", "mean"]
Polarity = Literal["higher_is_better", "lower_is_better"]
PeriodKind = Literal["census", "event"]

_ID = re.compile(r"[a-z][a-z0-9_]*")
_TYPES: Mapping[str, Type] = {
    "string": "string",
    "code": "string",
    "date": "date",
    "timestamp": "timestamp",
    "integer": "number",
    "float": "number",
}
_DEFAULT_MULTIPLIER = {"proportion": 100.0, "rate": 100_000.0, "dsr": 100_000.0, "mean": 1.0}
_DEFAULT_UNIT = {"proportion": "%", "rate": "per 100,000", "dsr": "per 100,000", "mean": ""}
DEFAULT_CATALOGUE = "default.yaml"


class CatalogueError(ValueError):
    """A catalogue that cannot be used: names the file, line and what was expected.

    Attributes
    ----------
    path
        The catalogue file (or ``"<text>"``).
    line
        The 1-based line, or ``None`` when the problem is the whole file.
    key
        Where in the catalogue, e.g. ``"indicators[2].numerator"``.
    expected
        What was expected, in words.
    """

    def __init__(self, path: str, line: int | None, key: str, expected: str) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}, {key}: {expected}" if key else f"{where}: {expected}")
        self.path = path
        self.line = line
        self.key = key
        self.expected = expected


def table_types(table: str) -> dict[str, Type]:
    """The expression types of a contract table's columns.

    >>> table_types("hypertension")["systolic"]
    'number'
    """
    return {c.name: _TYPES[c.type] for c in CONTRACTS[table].columns}


@dataclass(frozen=True)
class Filter:
    """A parsed and checked filter or value expression, with the text it came from."""

    text: str
    tree: Expr = field(compare=False, repr=False)


@dataclass(frozen=True)
class Standard:
    """The constitutional standard: value (on the indicator's scale), source, version, date."""

    value: float
    source: str
    version: str = ""
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class Target:
    """The current operational target: value, the (financial) year it is for, its source."""

    value: float
    year: str
    source: str = ""


@dataclass(frozen=True)
class Period:
    """How an indicator's rows fall in periods.

    Attributes
    ----------
    kind
        ``"census"``: each month's census date is its last day and every row is tested against
        it (``period_end`` in filters), e.g. pathways still waiting; ``"event"``: the month of
        the date in ``column``.
    column
        For ``event``, the dated event; for ``census``, the date a row starts to count (the
        earliest month reported is that of its smallest value).
    latest_only
        Only the latest census (the ``as_of`` month): for tables that hold the current state,
        like a register with the latest reading.
    until
        For ``census``: the date a row stops counting (empty = still counting), e.g.
        ``clock_stop``. Optional; it only spares the engine from testing a row against the
        census dates of months that begin after it ended (a row whose ``until`` falls before a
        month's first day is not joined to that month). The filters still decide; when the
        denominator itself says ``column <= period_end and (until is null or until >
        period_end)`` and both are dates, rows are expanded to just the months they are open
        at and only the rest of the denominator is tested (:mod:`focuson.engine.census`).
    """

    kind: PeriodKind
    column: str
    latest_only: bool = False
    until: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue. Built by :func:`load_catalogue`; checks itself.

    Attributes
    ----------
    id, title
        A snake_case identifier and a plain-English title.
    table
        The contract table counted (``rtt_pathways``...).
    denominator, numerator
        Filters: the rows counted, and those of them that count as the outcome. For ``rate`` and
        ``dsr`` the denominator filters ``persons`` (the population) and the numerator the
        events of ``table``.
    statistic
        ``proportion``, ``rate`` (per ``multiplier``), ``dsr`` (ESP 2013) or ``mean``.
    multiplier, unit
        The scale of the value: 100 and ``"%"``, 100,000 and ``"per 100,000"``...
    polarity
        ``higher_is_better`` or ``lower_is_better``.
    period
        See :class:`Period`.
    standard, target
        The constitutional standard and the current operational target (or ``None``).
    value
        For ``mean``: the expression averaged.
    method, source
        How the indicator is defined, and where the definition comes from.
    """

    id: str
    title: str
    table: str
    denominator: Filter
    numerator: Filter | None
    statistic: Statistic
    multiplier: float
    unit: str
    polarity: Polarity
    period: Period
    standard: Standard | None = None
    target: Target | None = None
    value: Filter | None = None
    method: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"id {self.id!r}: expected snake_case (a-z, 0-9, _)")
        if self.table not in CONTRACTS or self.table == "persons":
            raise ValueError(f"table {self.table!r}: expected an activity table")
        if self.statistic not in get_args(Statistic):
            raise ValueError(f"statistic {self.statistic!r} is unknown")
        if (self.statistic == "mean") != (self.value is not None):
            raise ValueError("value: needed for a mean, and only for a mean")
        if self.statistic != "mean" and self.numerator is None:
            raise ValueError("numerator: needed")
        if self.statistic in ("rate", "dsr") and self.period.kind != "event":
            raise ValueError("period: a rate counts events, so its period kind must be event")

    @property
    def age_standardised(self) -> bool:
        """Whether the value is directly age-standardised (ESP 2013 bands)."""
        return self.statistic == "dsr"

    @property
    def population_denominator(self) -> bool:
        """Whether the denominator is a population of ``persons`` (rates and DSRs)."""
        return self.statistic in ("rate", "dsr")


@dataclass(frozen=True)
class Catalogue:
    """A named, versioned list of indicators (unique ids), and the file it came from."""

    name: str
    version: str
    indicators: tuple[Indicator, ...]
    path: str = ""

    def __post_init__(self) -> None:
        ids = [i.id for i in self.indicators]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"indicator ids repeat: {', '.join(repeated)}")

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id (``KeyError`` naming the known ids otherwise)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"{indicator_id!r}; the catalogue has {', '.join(self.ids)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The indicator ids, in catalogue order."""
        return tuple(i.id for i in self.indicators)

    def select(self, ids: list[str] | tuple[str, ...]) -> Catalogue:
        """A catalogue with only these indicators (in catalogue order)."""
        for i in ids:
            self.get(i)
        chosen = tuple(i for i in self.indicators if i.id in set(ids))
        return Catalogue(self.name, self.version, chosen, self.path)


# -- reading YAML with line numbers --------------------------------------------------------


class _Reader:
    """Reads YAML nodes, remembering each value's line, and raises located errors."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.constructor = LimitedSafeLoader("")
        self.keys: dict[int, str] = {}  # id(node) -> the key it is read under, for messages

    def fail(self, node: yaml.Node | None, key: str, expected: str) -> CatalogueError:
        line = node.start_mark.line + 1 if node is not None else None
        return CatalogueError(self.label, line, key, expected)

    def mapping(self, node: yaml.Node, key: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, "expected a mapping of keys to values")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            name = self.constructor.construct_object(k, deep=True)
            if not isinstance(name, str):
                raise self.fail(k, key, "expected text keys")
            if name in out:
                raise self.fail(k, f"{key}.{name}" if key else name, "repeated key")
            out[name] = (k, v)
        return out

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:  # e.g. a date 2024-02-30, !!timestamp x, bad !!binary
            problem = getattr(exc, "problem", None) or type(exc).__name__
            raise self.fail(node, self.key_of(node), f"not a valid value: {problem}") from None

    def key_of(self, node: yaml.Node) -> str:
        return self.keys.get(id(node), "")

    def word(self, node: yaml.Node, key: str, expected: str) -> str:
        """A scalar that must be one word of text (a column, a kind): anything else fails."""
        value = self.scalar(node)
        if not isinstance(value, str):
            raise self.fail(node, key, expected)
        return value

    def text(self, node: yaml.Node, key: str) -> str:
        value = self.scalar(node)
        if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
            raise self.fail(node, key, "expected text")
        return str(value)

    def number(self, node: yaml.Node, key: str) -> float:
        value = self.scalar(node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, key, "expected a number")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(node, key, "expected a finite number")
        return number


def _keys(
    r: _Reader,
    node: yaml.Node,
    key: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    items = r.mapping(node, key)
    for name, (k, v) in items.items():
        r.keys[id(v)] = f"{key}.{name}" if key else name
        if name not in required and name not in optional:
            allowed = ", ".join((*required, *optional))
            raise r.fail(k, f"{key}.{name}", f"unknown key; expected one of {allowed}")
    for name in required:
        if name not in items:
            raise r.fail(node, key, f"missing required key {name!r}")
    return items


_INDICATOR_REQUIRED = (
    "id",
    "title",
    "table",
    "period",
    "denominator",
    "statistic",
    "polarity",
    "method",
    "source",
)
_INDICATOR_OPTIONAL = (
    "numerator",
    "value",
    "multiplier",
    "unit",
    "standard",
    "target",
    "age_standardised",
)


def _filter(
    r: _Reader,
    node: yaml.Node,
    key: str,
    columns: Mapping[str, Type],
    person: Mapping[str, Type] | None,
    want: Type,
) -> Filter:
    value = r.scalar(node)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, str):
        raise r.fail(node, key, "expected an expression as text")
    try:
        tree = parse(value)
        got = check(tree, columns, person=person)
    except ExpressionError as exc:
        raise _located(r, node, key, value, exc) from None
    if got != want:
        expected = "a condition (true or false)" if want == "bool" else f"a {want} expression"
        raise CatalogueError(r.label, node.start_mark.line + 1, key, f"expected {expected}")
    return Filter(value, tree)


def _located(
    r: _Reader, node: yaml.Node, key: str, text: str, exc: ExpressionError
) -> CatalogueError:
    line = node.start_mark.line + 1
    style = getattr(node, "style", None)
    if style in ("|", ">"):
        line += 1 + text[: exc.position].count("\n")
    return CatalogueError(r.label, line, key, f"{exc.message} (character {exc.position + 1})")


def _standard(r: _Reader, node: yaml.Node, key: str) -> Standard:
    items = _keys(r, node, key, ("value", "source"), ("version", "effective_from"))
    effective = None
    if "effective_from" in items:
        v = items["effective_from"][1]
        effective = r.scalar(v)
        if not isinstance(effective, dt.date):
            raise r.fail(v, f"{key}.effective_from", "expected a date, YYYY-MM-DD")
    return Standard(
        value=r.number(items["value"][1], f"{key}.value"),
        source=r.text(items["source"][1], f"{key}.source"),
        version=r.text(items["version"][1], f"{key}.version") if "version" in items else "",
        effective_from=effective,
    )


def _target(r: _Reader, node: yaml.Node, key: str) -> Target:
    items = _keys(r, node, key, ("value", "year"), ("source",))
    return Target(
        value=r.number(items["value"][1], f"{key}.value"),
        year=r.text(items["year"][1], f"{key}.year"),
        source=r.text(items["source"][1], f"{key}.source") if "source" in items else "",
    )


def _period(r: _Reader, node: yaml.Node, key: str, columns: Mapping[str, Type]) -> Period:
    items = _keys(r, node, key, ("kind", "column"), ("latest_only", "until"))
    kind_node = items["kind"][1]
    kind = r.word(kind_node, f"{key}.kind", "expected census or event")
    if kind not in get_args(PeriodKind):
        raise r.fail(kind_node, f"{key}.kind", "expected census or event")
    col_node = items["column"][1]
    dated = ", ".join(c for c, t in columns.items() if t in ("date", "timestamp"))
    wanted = f"expected a date column of the table: {dated}"
    column = r.word(col_node, f"{key}.column", wanted)
    if column not in columns or columns[column] not in ("date", "timestamp"):
        raise r.fail(col_node, f"{key}.column", wanted)
    latest = False
    if "latest_only" in items:
        latest = r.scalar(items["latest_only"][1])
        if not isinstance(latest, bool):
            raise r.fail(items["latest_only"][1], f"{key}.latest_only", "expected true or false")
    until = None
    if "until" in items:
        until_node = items["until"][1]
        wanted = f"expected, for a census, a column of the same type as {column}"
        until = r.word(until_node, f"{key}.until", wanted)
        if kind != "census" or until not in columns or columns[until] != columns[column]:
            raise r.fail(until_node, f"{key}.until", wanted)
    return Period(cast(PeriodKind, kind), column, latest, until)


def _indicator(r: _Reader, node: yaml.Node, key: str) -> Indicator:
    items = _keys(r, node, key, _INDICATOR_REQUIRED, _INDICATOR_OPTIONAL)
    get = {name: v for name, (_, v) in items.items()}
    ident = r.text(get["id"], f"{key}.id")
    if not _ID.fullmatch(ident):
        raise r.fail(get["id"], f"{key}.id", "expected a snake_case id (a-z, 0-9, _)")
    key = f"{key} ({ident})"
    activity = [t for t in CONTRACTS if t != "persons"]
    table = r.word(get["table"], f"{key}.table", f"expected one of {', '.join(activity)}")
    if table not in activity:
        raise r.fail(get["table"], f"{key}.table", f"expected one of {', '.join(activity)}")
    statistic = r.scalar(get["statistic"])
    if not isinstance(statistic, str) or statistic not in get_args(Statistic):
        raise r.fail(
            get["statistic"],
            f"{key}.statistic",
            f"expected one of {', '.join(get_args(Statistic))}",
        )
    polarity = r.scalar(get["polarity"])
    if not isinstance(polarity, str) or polarity not in get_args(Polarity):
        raise r.fail(
            get["polarity"], f"{key}.polarity", "expected higher_is_better or lower_is_better"
        )
    columns = table_types(table)
    persons = table_types("persons")
    period = _period(r, get["period"], f"{key}.period", columns)
    if statistic in ("rate", "dsr") and period.kind != "event":
        raise r.fail(get["period"], f"{key}.period.kind", "expected event: a rate counts events")
    if statistic in ("rate", "dsr"):
        denominator = _filter(r, get["denominator"], f"{key}.denominator", persons, persons, "bool")
    else:
        denominator = _filter(r, get["denominator"], f"{key}.denominator", columns, persons, "bool")
    numerator = value = None
    if statistic == "mean":
        if "value" not in get:
            raise r.fail(node, key, "missing required key 'value' (the expression averaged)")
        if "numerator" in get:
            raise r.fail(
                get["numerator"], f"{key}.numerator", "a mean has a value, not a numerator"
            )
        value = _filter(r, get["value"], f"{key}.value", columns, persons, "number")
    else:
        if "numerator" not in get:
            raise r.fail(node, key, "missing required key 'numerator'")
        if "value" in get:
            raise r.fail(get["value"], f"{key}.value", "only a mean has a value expression")
        numerator = _filter(r, get["numerator"], f"{key}.numerator", columns, persons, "bool")
    if "age_standardised" in get:
        flag = r.scalar(get["age_standardised"])
        if flag is not (statistic == "dsr"):
            raise r.fail(
                get["age_standardised"],
                f"{key}.age_standardised",
                "expected true exactly when the statistic is dsr",
            )
    multiplier = (
        r.number(get["multiplier"], f"{key}.multiplier")
        if "multiplier" in get
        else _DEFAULT_MULTIPLIER[statistic]
    )
    if multiplier <= 0:
        raise r.fail(get["multiplier"], f"{key}.multiplier", "expected a positive number")
    return Indicator(
        id=ident,
        title=r.text(get["title"], f"{key}.title"),
        table=table,
        denominator=denominator,
        numerator=numerator,
        statistic=cast(Statistic, statistic),
        multiplier=multiplier,
        unit=r.text(get["unit"], f"{key}.unit") if "unit" in get else _DEFAULT_UNIT[statistic],
        polarity=cast(Polarity, polarity),
        period=period,
        standard=_standard(r, get["standard"], f"{key}.standard") if "standard" in get else None,
        target=_target(r, get["target"], f"{key}.target") if "target" in get else None,
        value=value,
        method=r.text(get["method"], f"{key}.method"),
        source=r.text(get["source"], f"{key}.source"),
    )


def _checked(r: _Reader, node: yaml.Node, key: str) -> Indicator:
    """One indicator; should one of the dataclass's own checks catch what the reading above
    let through, its message is located like any other."""
    try:
        return _indicator(r, node, key)
    except CatalogueError:
        raise
    except ValueError as exc:
        raise r.fail(node, key, str(exc)) from None


def parse_catalogue(text: str, *, label: str = "<text>") -> Catalogue:
    """Read a catalogue from YAML text.

    Parameters
    ----------
    text
        The YAML.
    label
        The file name to put in errors.

    Returns
    -------
    Catalogue
        The indicators, checked.

    Raises
    ------
    CatalogueError
        Naming ``label``, the line and what was expected: YAML syntax, a missing or unknown key,
        an unknown table, column, statistic or polarity, a filter that does not parse or whose
        types do not match, a repeated id.

    Examples
    --------
    >>> parse_catalogue("catalogue: x\\nversion: 1\\nindicators: []\\n").name
    'x'
    >>> parse_catalogue("catalogue: x\\nversion: 1\\n", label="mine.yaml")
    Traceback (most recent call last):
    ...
    focuson.engine.catalogue.CatalogueError: mine.yaml, line 1: missing required key 'indicators'
    """
    r = _Reader(label)
    try:
        root = compose(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc, text)
        raise CatalogueError(label, line, "", f"not valid YAML: {problem}") from None
    if root is None:
        raise CatalogueError(label, None, "", "the file is empty; expected a catalogue")
    items = _keys(r, root, "", ("catalogue", "version", "indicators"), ("description",))
    ind_node = items["indicators"][1]
    if not isinstance(ind_node, yaml.SequenceNode):
        raise r.fail(ind_node, "indicators", "expected a list of indicators")
    indicators = [_checked(r, n, f"indicators[{i}]") for i, n in enumerate(ind_node.value)]
    seen: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        if ind.id in seen:
            raise r.fail(ind_node.value[i], f"indicators[{i}].id", f"{ind.id!r} repeats")
        seen[ind.id] = i
    return Catalogue(
        name=r.text(items["catalogue"][1], "catalogue"),
        version=r.text(items["version"][1], "version"),
        indicators=tuple(indicators),
        path=label,
    )


def load_catalogue(path: Path | str) -> Catalogue:
    """Read a catalogue file (YAML); errors name the file and line.

    >>> load_catalogue("missing.yaml")
    Traceback (most recent call last):
    ...
    focuson.engine.catalogue.CatalogueError: missing.yaml: the file does not exist
    """
    path = Path(path)
    if not path.exists():
        raise CatalogueError(str(path), None, "", "the file does not exist")
    if not path.is_file():  # a named pipe would wait for a writer for ever
        raise CatalogueError(
            str(path),
            None,
            "",
            "not a regular file (a folder, named pipe or device); expected a YAML file on disk",
        )
    if path.stat().st_size > 4 * MAX_YAML_CHARACTERS:
        raise CatalogueError(
            str(path),
            None,
            "",
            f"expected a catalogue of at most {MAX_YAML_CHARACTERS:,} characters",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            str(path), None, "", f"cannot be read ({type(exc).__name__}); check its permissions"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CatalogueError(str(path), line, "", "expected UTF-8 text") from None
    return parse_catalogue(text, label=str(path))


def load_default_catalogue() -> Catalogue:
    """The catalogue that ships with focuson (``focuson/engine/catalogues/default.yaml``)."""
    ref = resources.files("focuson.engine") / "catalogues" / DEFAULT_CATALOGUE
    return parse_catalogue(ref.read_text(encoding="utf-8"), label=f"focuson:{DEFAULT_CATALOGUE}")


#: The columns of the INDICATORS frame, in order.
INDICATOR_COLUMNS = (
    "id",
    "title",
    "statistic",
    "multiplier",
    "polarity",
    "standard",
    "target",
    "unit",
)


def indicators_frame(catalogue: Catalogue) -> pd.DataFrame:
    """The INDICATORS frame: one row per indicator, as the Find step reads it.

    Columns: ``id, title, statistic, multiplier, polarity, standard, target, unit`` (standard
    and target as floats on the value's scale, NaN when absent), then ``table``, ``period_kind``,
    ``target_year``, ``standard_source``, ``standard_version``, ``method``, ``source``.
    """
    rows = [
        {
            "id": i.id,
            "title": i.title,
            "statistic": i.statistic,
            "multiplier": float(i.multiplier),
            "polarity": i.polarity,
            "standard": i.standard.value if i.standard else math.nan,
            "target": i.target.value if i.target else math.nan,
            "unit": i.unit,
            "table": i.table,
            "period_kind": i.period.kind,
            "target_year": i.target.year if i.target else "",
            "standard_source": i.standard.source if i.standard else "",
            "standard_version": i.standard.version if i.standard else "",
            "method": i.method,
            "source": i.source,
        }
        for i in catalogue
    ]
    columns = [*INDICATOR_COLUMNS, "table", "period_kind", "target_year", "standard_source"]
    columns += ["standard_version", "method", "source"]
    return pd.DataFrame(rows, columns=columns)
