"""Aggregate every indicator of a catalogue by every breakdown, inside the engine.

:func:`aggregate` is the one function that reads patient-level rows. First it builds the
*people* table once (every person with one integer *person key* packing their IMD decile,
borough, sex and ethnicity code, and their date of birth as ``YYYYMMDD``) and caches it in the
engine (Ibis ``cache``: a temporary table). Then, for each *pass* (the indicators that share a
table and a period definition), one Ibis query:

1. the activity table joined with the people table, each row placed in its period: the month
   of its event date, or every monthly census date at which it exists; for rates, the
   population at each period end, from people counted by person key and month of birth;
2. one 0/1 flag per indicator for the denominator and the numerator (the compiled filters);
3. a **base cube**: the flags summed by three integers, period (``YYYYMM``), person key and
   age band start.

Only the cube (counts per cell, never a patient row) comes back to Python, where each of the
13 dimensions is rolled up from it with integer codes and ``numpy.bincount`` (labels from
:func:`~focuson.engine.breakdowns.frame_group_label`, identical to the engine's).

Why this shape
--------------
Ibis 12 has no ``GROUPING SETS``. The portable alternatives are a union of grouped aggregates
over the rows (13 scans of the joined rows: ``strategy="union"``, kept as the reference) or a
base cube rolled up. Grouping by integers instead of five strings, joining each activity row to
one narrow cached table instead of persons and the IMD lookup every pass, counting the
population by month of birth (everyone born in the same month has the same age at every month
end, the 29th of February kept apart) instead of persons x months, and rolling up outside the
engine (one small query per pass instead of a 13-way union to compile) took all 14 default
indicators at synthetic scale 2.6 (20 million activity rows, 5.5 million people) from 30 s to
the time in ``benchmarks/results/find.md``, with identical results. Census rows are joined to
the people table first and only then expanded to the census dates they are open at
(``unnest(range(...))`` of month indices: one person probe per row, not per row-month), and the
cube leaves the engine through Arrow (Ibis's own pandas conversion of a million-cell cube cost
more than the query). The population of a rate whose filters ignore the period is not
expanded to every month: each (person key, month of birth) group gives two rows per age it
has in the reporting window (``+n`` when the age is reached, ``-n`` at the next birthday),
the filters are evaluated at each age, and the roll-up sums these changes over months
(:func:`_population_deltas`; emergency admissions at scale 0.2: 1.4 s to 0.85 s). Dimensions
without age are rolled up from the cube summed over age bands first. A census denominator that
restates the period's own open test (``clock_start <= period_end and (clock_stop is null or
clock_stop > period_end)``) is not tested per row-month: rows are expanded to the months they
are open at only (:mod:`focuson.engine.census`; RTT at scale 2.6: 21 million row-months
tested to 17.5 million not tested). Most of what remains is the census expansion itself (a
row per pathway and month open) and the group-by of those rows into the cube (17.5 million
row-months into a million cells for RTT at scale 2.6): the rest of a census filter depends on
the period, so it cannot move before the expansion. ``benchmarks/results/find.md`` has the
times, and a floor.

Patient rows stay in the engine: this module never logs, prints or puts a row's values in an
error.

Examples
--------
>>> import tempfile
>>> from focuson.data.contracts import load_dataset
>>> from focuson.data.synthetic import generate
>>> from focuson.engine import aggregate, load_default_catalogue
>>> with tempfile.TemporaryDirectory() as tmp:
...     s = generate(tmp, scale=0.002, seed=1)
...     with load_dataset(s.mapping) as data:
...         frame = aggregate(
...             data, load_default_catalogue().select(["ae_4_hours"]), imd=s.imd_file,
...             periods=["2024-03"],
...         )
>>> sorted(frame.dimension.unique())[:3]
['age_band_5y', 'age_band_broad', 'borough']
>>> overall = frame[frame.dimension == "overall"]
>>> bool((overall.numerator <= overall.denominator).all())
True
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, TypeAlias

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from focuson.data.contracts import CONTRACTS, LOAD_TABLE, LoadedDataset
from focuson.data.reference import ReferenceTable
from focuson.engine.breakdowns import (
    DIMENSIONS,
    age_start,
    day_number,
    dimension_keys,
    esp_band,
    fine_band_first_age,
    fine_band_index,
    frame_group_label,
    group_label,
    imd_frame,
)
from focuson.engine.catalogue import Catalogue, Indicator
from focuson.engine.census import split_open_test
from focuson.engine.compile import compile_expr
from focuson.engine.expressions import Expr, Name

#: The columns of the AGGREGATES frame, in order.
AGGREGATE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "period",
    "dimension",
    "group",
    "band",
    "numerator",
    "denominator",
    "sum_sq",
)
Strategy = Literal["cube", "union"]
Source: TypeAlias = LoadedDataset | duckdb.DuckDBPyConnection | ibis.BaseBackend
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
#: The most months a census or population series may span (50 years): a longer one comes from
#: an implausible date (a placeholder clock start) and would count hundreds of empty months.
MAX_MONTHS = 600
_PERSON_COLUMNS = tuple(c.name for c in CONTRACTS["persons"].columns if c.name != "person_id")


@dataclass(frozen=True)
class _Pass:
    """Indicators counted together: one table, one period definition, one kind of denominator."""

    table: str
    kind: str
    column: str
    latest_only: bool
    until: str | None
    population: bool
    banded: bool
    indicators: tuple[Indicator, ...]


def _passes(catalogue: Catalogue) -> list[_Pass]:
    groups: dict[tuple[Any, ...], list[Indicator]] = {}
    for ind in catalogue:
        key = (
            ind.table,
            ind.period.kind,
            ind.period.column,
            ind.period.latest_only,
            ind.period.until,
            ind.population_denominator,
            ind.age_standardised,
        )
        groups.setdefault(key, []).append(ind)
    return [
        _Pass(
            table=inds[0].table,
            kind=inds[0].period.kind,
            column=inds[0].period.column,
            latest_only=inds[0].period.latest_only,
            until=inds[0].period.until,
            population=inds[0].population_denominator,
            banded=inds[0].age_standardised,
            indicators=tuple(inds),
        )
        for inds in groups.values()
    ]


def _person_columns(passes: Sequence[_Pass]) -> set[str]:
    """The person columns any filter of the catalogue uses (``person.x``, or unprefixed in
    the population filter of a rate)."""
    out = set()
    for p in passes:
        for ind in p.indicators:
            out |= {n[7:] for n in _names(*_trees(ind)) if n.startswith("person.")}
        if p.population:
            out |= _population_names(p) - {"person_id"}
    return out & set(_PERSON_COLUMNS)


def backend_of(source: Source) -> ibis.BaseBackend:
    """The Ibis backend of a loaded dataset, a DuckDB connection or an Ibis backend.

    >>> con = duckdb.connect()
    >>> backend_of(con).name
    'duckdb'
    """
    if isinstance(source, LoadedDataset):
        source = source.connection
    if isinstance(source, duckdb.DuckDBPyConnection):
        return ibis.duckdb.from_connection(source)
    if isinstance(source, ibis.BaseBackend):
        return source
    raise TypeError(
        "source: expected a LoadedDataset, a DuckDB connection or an Ibis backend, "
        f"got {type(source).__name__}"
    )


def aggregate(
    source: Source,
    catalogue: Catalogue,
    *,
    imd: pd.DataFrame | ReferenceTable | Path | str,
    periods: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    coverage_from: dt.date | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
    strategy: Strategy = "cube",
) -> pd.DataFrame:
    """Count every indicator by period and by every breakdown, in the engine.

    Parameters
    ----------
    source
        The data: a :class:`~focuson.data.contracts.LoadedDataset`, a DuckDB connection holding
        the contract tables, or an Ibis backend (DuckDB, PySpark, PostgreSQL...) holding them.
    catalogue
        The indicators (:func:`~focuson.engine.catalogue.load_catalogue`).
    imd
        The IMD reference for the persons' LSOAs: a path, a
        :class:`~focuson.data.reference.ReferenceTable` or a frame (see
        :func:`~focuson.engine.breakdowns.imd_frame`); gives the decile and the borough.
    periods
        Months to report, ``"YYYY-MM"``. By default every complete month (ending on or before
        ``as_of``) from the earliest date of the indicator's period column; the ``as_of``
        month alone for ``latest_only`` indicators.
    as_of
        The extract date: filters may use it (``as_of``) and no period may end after it. By
        default the ``as_of`` recorded by :func:`~focuson.data.contracts.load_dataset`, else
        the latest date of the period column.
    coverage_from
        The first day the data is complete for: by default no month is reported that starts
        before it (a waiting list counted before the extract's coverage would miss the pathways
        that ended earlier; a month half covered would miss events). By default the
        ``coverage_from`` recorded by :func:`~focuson.data.contracts.load_dataset` (the mapping
        file's optional key), else none. Explicit ``periods`` are reported as asked.
    dimensions
        The breakdowns to produce (default: all of
        :data:`~focuson.engine.breakdowns.DIMENSIONS`).
    strategy
        ``"cube"`` (default: roll every dimension up from a base cube) or ``"union"`` (group
        the rows once per dimension); the results are identical.

    Returns
    -------
    pandas.DataFrame
        The AGGREGATES frame: ``indicator, period, dimension, group, band, numerator,
        denominator, sum_sq``, one row per indicator x period x dimension x group (x ESP band
        for ``dsr`` indicators; band -1 otherwise). Counts are floats; for a ``mean``,
        ``numerator`` is the sum of the values, ``denominator`` their count and ``sum_sq`` the
        sum of their squares (NaN for other statistics). Groups with no rows are absent. Rows
        are sorted by indicator (catalogue order), period, dimension (in the order given),
        group and band. Not yet disclosure-controlled.

    Raises
    ------
    ValueError
        For a period not written ``YYYY-MM``, an unknown dimension or strategy, or a table the
        catalogue needs that the source lacks.

    Notes
    -----
    A person's age is their age in completed years at the period date: the census date for
    census indicators, the event date for event indicators, the period end for a population.
    The population of a rate or DSR is every person in ``persons`` born by the period end who
    passes the indicator's denominator filter; its events are counted for those same people.
    """
    if strategy not in ("cube", "union"):
        raise ValueError(f"strategy: expected 'cube' or 'union', got {strategy!r}")
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"dimensions: unknown {unknown}; expected some of {', '.join(DIMENSIONS)}")
    wanted = _check_periods(periods)
    backend = backend_of(source)
    needed = {"persons"} | {i.table for i in catalogue}
    missing = sorted(t for t in needed if not _has_table(backend, t))
    if missing:
        raise ValueError(f"source: the catalogue needs the tables {', '.join(missing)}")
    if _has_table(backend, LOAD_TABLE):
        load = backend.table(LOAD_TABLE)
        if as_of is None:
            as_of = load.as_of.max().to_pyarrow().as_py()
        if coverage_from is None and "coverage_from" in load.columns:
            coverage_from = load.coverage_from.max().to_pyarrow().as_py()
    since = None if coverage_from is None else _first_full_month(coverage_from)
    passes = _passes(catalogue)
    people = _people(backend, imd_frame(imd), _person_columns(passes))
    try:
        frames = [
            _run(backend, p, people, wanted, as_of, since, tuple(dimensions), strategy)
            for p in passes
        ]
    finally:
        people.release()
    out = pd.concat([f for f in frames if len(f)] or [_empty()], ignore_index=True)
    order = {ind.id: k for k, ind in enumerate(catalogue)}
    dim_order = {d: k for k, d in enumerate(dimensions)}
    out = out.assign(_i=out.indicator.map(order), _d=out.dimension.map(dim_order))
    out = out.sort_values(["_i", "period", "_d", "group", "band"], kind="stable")
    return out.drop(columns=["_i", "_d"]).reset_index(drop=True)[list(AGGREGATE_COLUMNS)]


def _has_table(backend: ibis.BaseBackend, name: str) -> bool:
    """Whether the backend holds a table (asked table by table: portable, and it avoids
    ``list_tables``, which calls a DuckDB API deprecated in DuckDB 1.5)."""
    try:
        backend.table(name)
    except Exception:  # each backend raises its own "not found" error
        return False
    return True


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype=object),
            "period": pd.Series(dtype=object),
            "dimension": pd.Series(dtype=object),
            "group": pd.Series(dtype=object),
            "band": pd.Series(dtype="int64"),
            "numerator": pd.Series(dtype="float64"),
            "denominator": pd.Series(dtype="float64"),
            "sum_sq": pd.Series(dtype="float64"),
        }
    )


def _check_periods(periods: Sequence[str] | None) -> tuple[dt.date, ...] | None:
    if periods is None:
        return None
    if isinstance(periods, str):
        periods = [periods]
    for p in periods:
        if not isinstance(p, str) or not _PERIOD.fullmatch(p):
            raise ValueError(f"periods: expected months written YYYY-MM, got {p!r}")
    return tuple(sorted({dt.date(int(p[:4]), int(p[5:]), 1) for p in periods}))


def _month_end(start: dt.date) -> dt.date:
    nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Month starts from the month of ``first`` to that of ``last``, inclusive."""
    n = (last.year - first.year) * 12 + last.month - first.month + 1
    return [
        dt.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
        for k in range(n)
    ]


def _last_complete(as_of: dt.date) -> dt.date:
    """The start of the last month that ends on or before ``as_of``."""
    start = as_of.replace(day=1)
    if _month_end(start) <= as_of:
        return start
    return (start - dt.timedelta(days=1)).replace(day=1)


def _first_full_month(day: dt.date) -> dt.date:
    """The first month that starts on or after ``day``.

    >>> _first_full_month(dt.date(2023, 4, 1)), _first_full_month(dt.date(2023, 4, 2))
    (datetime.date(2023, 4, 1), datetime.date(2023, 5, 1))
    """
    if day.day == 1:
        return day
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _period_starts(
    table: ir.Table,
    p: _Pass,
    wanted: tuple[dt.date, ...] | None,
    as_of: dt.date | None,
    since: dt.date | None = None,
) -> tuple[list[dt.date], dt.date]:
    """The months of a census or population pass (explicit list) and the as_of date used;
    none before ``since`` (the first month the data fully covers) unless asked for."""
    column = table[p.column]
    if as_of is None or (wanted is None and not p.latest_only):
        lo, hi = (
            table.aggregate(lo=column.min(), hi=column.max()).to_pyarrow().to_pylist()[0].values()
        )
        if lo is None:
            return [], as_of or dt.date.today()
        lo, hi = (v.date() if isinstance(v, dt.datetime) else v for v in (lo, hi))
        as_of = as_of or hi
    assert as_of is not None
    last = _last_complete(as_of)
    if wanted is not None:
        return [m for m in wanted if m <= last], as_of
    if p.latest_only:
        return [last], as_of
    first = lo.replace(day=1) if since is None else max(lo.replace(day=1), since)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if span > MAX_MONTHS:
        raise ValueError(
            f"{p.table}.{p.column}: the months to report run from {first:%B %Y} to "
            f"{last:%B %Y}, {span:,} months; expected at most {MAX_MONTHS} (50 years). Check "
            f"{p.column} for dates that are not plausible, or give coverage_from, the first "
            "day the extract is complete for"
        )
    return [m for m in _months(lo, last) if m >= first], as_of


def _names(*trees: Expr | None) -> set[str]:
    """Every name (as written: ``clock_start``, ``person.sex``) the trees use."""
    out: set[str] = set()
    stack = [t for t in trees if t is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            out.add(node.label)
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, Expr):
                stack.append(value)
            elif isinstance(value, tuple):
                stack.extend(v for v in value if isinstance(v, Expr))
    return out


def _trees(ind: Indicator) -> tuple[Expr | None, ...]:
    return (
        ind.denominator.tree,
        ind.numerator.tree if ind.numerator is not None else None,
        ind.value.tree if ind.value is not None else None,
    )


def _population_names(p: _Pass) -> set[str]:
    """Person columns (unprefixed or ``person.``) used by a rate's population filters."""
    used = set().union(*(_names(ind.denominator.tree) for ind in p.indicators))
    out = {n.removeprefix("person.") for n in used}
    return {c for c in out if c in _PERSON_COLUMNS or c == "person_id"}


@dataclass
class _People:
    """Every person once, with an integer key coding their breakdown attributes.

    The key packs the IMD decile (0 = not known), the borough, the sex and the ethnicity code
    (each 0 when null) into one integer, so the engine groups by three integers (period, key,
    age band) instead of five strings, and joins each activity row to one narrow table. The
    table is cached in the engine (Ibis ``cache``: a temporary table) for the whole run.
    """

    table: ir.Table
    boroughs: list[str | None]
    sexes: list[str | None]
    ethnicities: list[str | None]

    @property
    def radix(self) -> tuple[int, int, int]:
        return len(self.boroughs), len(self.sexes), len(self.ethnicities)

    def decode(self, pkey: np.ndarray) -> pd.DataFrame:
        """The breakdown attributes of keys (a small array: the distinct keys of a cube)."""
        nb, ns, ne = self.radix
        eth, rest = pkey % ne, pkey // ne
        sex, rest = rest % ns, rest // ns
        borough, decile = rest % nb, rest // nb
        return pd.DataFrame(
            {
                "imd_decile": pd.Series(decile, dtype="Int32").where(decile > 0),
                "borough": np.asarray(self.boroughs, dtype=object)[borough],
                "sex": np.asarray(self.sexes, dtype=object)[sex],
                "ethnicity_code": np.asarray(self.ethnicities, dtype=object)[eth],
            }
        )

    def release(self) -> None:
        release = getattr(self.table, "release", None)
        if release is not None:
            release()


def _people(backend: ibis.BaseBackend, lookup: pd.DataFrame, columns: set[str]) -> _People:
    """Build and cache the people table (see :class:`_People`); ``columns`` are the person
    columns the catalogue's filters use, kept as ``person__<column>``."""
    persons = backend.table("persons")
    codes = persons.select(
        sex=persons.sex.cast("string"), eth=persons.ethnicity.cast("string")
    ).distinct()
    found = codes.to_pandas()
    sexes: list[str | None] = [None, *sorted(found["sex"].dropna().unique())]
    ethnicities: list[str | None] = [None, *sorted(found["eth"].dropna().unique())]
    boroughs: list[str | None] = [None, *sorted(lookup["borough"].unique())]
    area = ibis.memtable(
        pd.DataFrame(
            {
                "_lsoa": lookup["lsoa"],
                "_decile": lookup["imd_decile"].astype("int64"),
                "_borough": lookup["borough"].map({b: k for k, b in enumerate(boroughs)}),
            }
        ).astype({"_borough": "int64"})
    )
    sex_codes = ibis.memtable(
        pd.DataFrame({"_sex": sexes[1:], "_sex_code": range(1, len(sexes))}),
        schema={"_sex": "string", "_sex_code": "int64"},
    )
    eth_codes = ibis.memtable(
        pd.DataFrame({"_eth": ethnicities[1:], "_eth_code": range(1, len(ethnicities))}),
        schema={"_eth": "string", "_eth_code": "int64"},
    )
    t = persons.left_join(area, persons.lsoa == area._lsoa)
    t = t.left_join(sex_codes, t.sex.cast("string") == sex_codes._sex)
    t = t.left_join(eth_codes, t.ethnicity.cast("string") == eth_codes._eth)
    nb, ns, ne = len(boroughs), len(sexes), len(ethnicities)
    pkey = (
        (t._decile.fill_null(0) * nb + t._borough.fill_null(0)) * ns + t._sex_code.fill_null(0)
    ) * ne + t._eth_code.fill_null(0)
    extra = {f"person__{c}": t[c] for c in sorted(columns) if c in t.columns}
    table = t.select(
        _pid=t.person_id, _pkey=pkey.cast("int64"), _dob=day_number(t.date_of_birth), **extra
    ).cache()
    return _People(table, boroughs, sexes, ethnicities)


def _scope(rows: ir.Table, table: str, *, persons_unprefixed: bool = False) -> dict[str, ir.Value]:
    scope: dict[str, ir.Value] = {}
    for column in CONTRACTS[table].columns:
        if column.name in rows.columns:
            scope[column.name] = rows[column.name]
    for c in _PERSON_COLUMNS:
        name = f"person__{c}"
        if name in rows.columns:
            scope[f"person.{c}"] = rows[name]
            if persons_unprefixed:
                scope[c] = rows[name]
    if persons_unprefixed and "_pid" in rows.columns:
        scope["person_id"] = rows["_pid"]
    for special in ("period_start", "period_end", "as_of", "age"):
        if special in rows.columns:
            scope[special] = rows[special]
    return scope


def _key_columns(rows: ir.Table) -> dict[str, ir.Value]:
    """The cube keys of each row: period (``YYYYMM``), person key and age band start."""
    return {"_period": rows._period, "_pkey": rows._pkey, "_age_start": age_start(rows.age)}


def _age(age_at: ir.IntegerValue, born: ir.IntegerValue) -> ir.IntegerValue:
    return ibis.greatest((age_at - born) // 10000, 0).cast("int32")


def _flag(expr: ir.Value) -> ir.Value:
    return expr.ifelse(1, 0).cast("int64")


def _period_key(d: dt.date) -> int:
    return d.year * 100 + d.month


def _event_rows(
    backend: ibis.BaseBackend,
    p: _Pass,
    people: _People,
    starts: list[dt.date] | None,
    as_of: dt.date | None,
    since: dt.date | None = None,
) -> ir.Table:
    """Rows of an event pass: each in the month of its event date, with special names (none
    before the month ``since`` when no months are given)."""
    t = backend.table(p.table)
    rows = t.join(people.table, t.person_id == people.table._pid)
    when = rows[p.column]
    day = when.cast("date") if when.type().is_timestamp() else when
    year, month = day.year(), day.month()
    rows = rows.mutate(
        _period=(year * 100 + month).cast("int32"),
        _age_at=(year * 10000 + month * 100 + day.day()).cast("int32"),
    )
    if starts is not None:
        rows = rows.filter(rows._period.isin([_period_key(s) for s in starts]))
    elif since is not None:
        rows = rows.filter(rows._period >= _period_key(since))
    if as_of is not None:
        rows = rows.filter(rows._period <= _period_key(_last_complete(as_of)))
    first = day.truncate("M")
    end = (first + ibis.interval(months=1) - ibis.interval(days=1)).cast("date")
    return rows.mutate(
        period_start=first,
        period_end=end,
        age=_age(rows._age_at, rows._dob),
        as_of=_as_of_literal(as_of, end),
    )


def _as_of_literal(as_of: dt.date | None, fallback: ir.Value) -> ir.Value:
    return ibis.date(as_of.isoformat()) if as_of is not None else fallback


def _periods_table(starts: Iterable[dt.date]) -> ir.Table:
    starts = list(starts)
    ends = [_month_end(s) for s in starts]
    return ibis.memtable(
        pd.DataFrame(
            {
                "_period": pd.Series([_period_key(s) for s in starts], dtype="int32"),
                "period_start": pd.Series(starts, dtype="object"),
                "period_end": pd.Series(ends, dtype="object"),
                "_age_at": pd.Series([int(e.strftime("%Y%m%d")) for e in ends], dtype="int32"),
            }
        ),
        schema={
            "_period": "int32",
            "period_start": "date",
            "period_end": "date",
            "_age_at": "int32",
        },
    )


def _census_rows(
    backend: ibis.BaseBackend,
    p: _Pass,
    people: _People,
    starts: list[dt.date],
    as_of: dt.date,
    open_only: bool = False,
) -> ir.Table:
    """Rows of a census pass: each row once per census date from the month of its start date
    to that of its end date (if any), expanded after the person join; with ``open_only`` (see
    :func:`_open_residuals`), to the month before that of its end date."""
    t = backend.table(p.table)
    rows = t.join(people.table, t.person_id == people.table._pid)
    first = starts[0].year * 12 + starts[0].month - 1
    idx = {_period_key(s): s.year * 12 + s.month - 1 - first for s in starts}

    def index(column: str) -> ir.IntegerValue:
        day = rows[column]
        day = day.cast("date") if day.type().is_timestamp() else day
        return (day.year() * 12 + day.month() - 1 - first).cast("int64")

    # The census dates a row is open at, as a range of month indices (from the month of its
    # start to that of its end, if any): expanded after the person join, not before.
    lo = ibis.greatest(index(p.column), 0)
    last = len(_months(starts[0], starts[-1])) - 1
    hi = ibis.literal(last, type="int64")
    if p.until is not None:
        stop = index(p.until) - 1 if open_only else index(p.until)
        hi = ibis.least(stop.fill_null(last), last)
    rows = rows.filter(lo <= hi).mutate(_k=ibis.range(lo, hi + 1, 1).unnest())
    periods = _periods_table(starts)
    periods = periods.mutate(_kp=periods._period.cases(*idx.items(), else_=-1).cast("int64"))
    rows = rows.join(periods, rows._k == periods._kp).drop("_k", "_kp")
    return rows.mutate(age=_age(rows._age_at, rows._dob), as_of=ibis.date(as_of.isoformat()))


def _open_residuals(p: _Pass, table: ir.Table) -> list[Expr | None] | None:
    """What is left of each denominator once rows are expanded to the months they are open
    at, when every denominator of the pass tests that (:mod:`focuson.engine.census`) and the
    start and stop columns are dates; else ``None`` (expand to the stop month, test all)."""
    if p.until is None or p.latest_only:
        return None
    schema = table.schema()
    if not (schema[p.column].is_date() and schema[p.until].is_date()):
        return None
    split = [split_open_test(ind.denominator.tree, p.column, p.until) for ind in p.indicators]
    if not all(found for found, _ in split):
        return None
    return [rest for _, rest in split]


def _population_rows(p: _Pass, people: _People, starts: list[dt.date], as_of: dt.date) -> ir.Table:
    """The population of a rate at every period end, as weighted rows (``_n`` people each).

    People are first counted by person key and month of birth (the 29th of February kept
    apart): everyone in such a group is born by the same period ends and has the same age at
    every month end, so each group stands for its ``_n`` people. Person columns the filters use
    are grouped by too (``person_id`` or ``date_of_birth`` make the groups single people).
    """
    counted = _population_groups(p, people)
    rows = counted.cross_join(_periods_table(starts))
    rows = rows.filter(rows._born <= rows._age_at)
    return rows.mutate(age=_age(rows._age_at, rows._born), as_of=ibis.date(as_of.isoformat()))


def _population_groups(p: _Pass, people: _People) -> ir.Table:
    """People counted (``_n``) by person key, month of birth (``_born``: ``YYYYMM01``, or
    ``YYYY0229`` for the 29th of February) and the person columns the filters use."""
    t = people.table
    used = _population_names(p)
    keep = [f"person__{c}" for c in sorted(used) if f"person__{c}" in t.columns]
    if "person_id" in used:
        keep.append("_pid")
    born_month = (t._dob // 100) * 100 + (t._dob % 10000 == 229).ifelse(29, 1)
    grouped = t.group_by(_pkey=t._pkey, _born=born_month.cast("int32"), **{k: t[k] for k in keep})
    return grouped.aggregate(_n=ibis._.count())


def _by_changes(p: _Pass, starts: list[dt.date]) -> bool:
    """Whether to count a rate's population by :func:`_population_deltas`: its filters ignore
    the period (no ``period_start`` or ``period_end``), and the rows it makes (two per age
    in the months from the first period to the last) are fewer than one per period."""
    used = _names(*(ind.denominator.tree for ind in p.indicators))
    span = len(_months(starts[0], starts[-1]))
    return not used & {"period_start", "period_end"} and 2 * (span // 12 + 2) < len(starts)


def _population_deltas(
    p: _Pass, people: _People, starts: list[dt.date], as_of: dt.date
) -> ir.Table:
    """The population of a rate as changes over months: ``d<k>`` summed by month index
    ``_k`` (0 = the first month of ``starts``, every month to the last one counted), person
    key and age band start. Summed over ``_k`` up to a month, they give that month's count.

    Each group of :func:`_population_groups` is at one age for a run of months, from the
    month its age is reached (its month of birth, or March for the 29th of February in a
    year that is not leap) to the month before the next: the group is expanded to the ages
    it has in the months counted (two or three, not every month), the filters are evaluated
    at each age (so they may use ``age`` and person columns, not the period), and each age
    gives two rows: ``+n`` at the first month of its run, ``-n`` at the month after its last
    (dropped when past the last month). Used when :func:`_by_changes`.

    When no filter uses ``age``, the steps are fine age bands instead of ages (a group's count
    changes cell only when it enters a new band): mostly one row per group instead of four
    or five (the emergency admissions population at scale 2.6: 1.5 s to 1.05 s).
    """
    span = len(_months(starts[0], starts[-1]))
    first = starts[0].year * 12 + starts[0].month - 1
    first_end = int(_month_end(starts[0]).strftime("%Y%m%d"))
    last_end = int(_month_end(starts[-1]).strftime("%Y%m%d"))
    g = _population_groups(p, people)
    g = g.filter(g._born <= last_end)
    born = g._born.cast("int64")
    first_age = (born <= first_end).ifelse(_age(ibis.literal(first_end), g._born), 0)
    last_age = _age(ibis.literal(last_end), g._born)
    # A step is an age when a filter uses the age, else a fine age band (a birthday inside a
    # band changes no count, so it needs no rows).
    by_age = "age" in _names(*(ind.denominator.tree for ind in p.indicators))
    step_of, first_age_of = (_same, _same) if by_age else (fine_band_index, fine_band_first_age)
    # Row j stands for step j // 2: its start (j even) or the start of the next step (j odd).
    # The last step's end comes after the last month: no row for it.
    lo = (step_of(first_age) * 2).cast("int64")
    hi = (step_of(last_age) * 2 + 1).cast("int64")
    rows = g.mutate(_j=ibis.range(lo, hi, 1).unnest())
    born = rows._born.cast("int64")
    # The age the filters see: the step's own (its band's first year when by band).
    age = first_age_of((rows._j // 2).cast("int32")).cast("int32")
    edge = first_age_of((rows._j // 2 + rows._j % 2).cast("int32")).cast("int64")
    year = born // 10000 + edge
    leap = ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))
    late = ((born % 100) == 29) & ~leap
    month = (born // 10000) * 12 + (born // 100) % 100 - 1 - first + edge * 12
    k = ibis.greatest(month + late.ifelse(1, 0), 0)
    sign = 1 - 2 * (rows._j % 2)
    rows = rows.mutate(_k=k.cast("int64"), _sign=sign.cast("int64"), age=age)
    rows = rows.filter(rows._k < span).mutate(as_of=ibis.date(as_of.isoformat()))
    scope = _scope(rows, "persons", persons_unprefixed=True)
    weight = (rows._n * rows._sign).cast("int64")
    cols = {
        f"d{k}": compile_expr(ind.denominator.tree, scope).ifelse(weight, 0)
        for k, ind in enumerate(p.indicators)
    }
    keys = {"_k": rows._k, "_pkey": rows._pkey, "_age_start": age_start(rows.age)}
    flat = rows.select(**keys, **cols)
    return flat.group_by(["_k", "_pkey", "_age_start"]).aggregate(**_sums(flat))


def _same(value: ir.IntegerValue) -> ir.IntegerValue:
    return value


def _flags_share(
    rows: ir.Table, p: _Pass, denominators: Sequence[Expr | None] | None = None
) -> ir.Table:
    """Denominator and numerator flags (or value sums) of proportions and means.

    Each distinct denominator is computed once, as a column the filter and the flags read
    (indicators of a pass often share one, as the two RTT indicators do). ``denominators``
    replace the indicators' own (``None``: every row), as :func:`_open_residuals` gives.
    """
    scope = _scope(rows, p.table)
    dens: dict[str, ir.Value] = {}
    den_of: list[str] = []
    trees = denominators or [ind.denominator.tree for ind in p.indicators]
    for ind, tree in zip(p.indicators, trees, strict=True):
        den = ibis.literal(True) if tree is None else compile_expr(tree, scope)
        if ind.value is not None:
            den = den & compile_expr(ind.value.tree, scope).notnull()
        name = next((n for n, d in dens.items() if d.equals(den)), f"_den{len(dens)}")
        dens.setdefault(name, den)
        den_of.append(name)
    rows = rows.mutate(**dens)
    if not any(isinstance(d.op(), ops.Literal) for d in dens.values()):
        rows = rows.filter(functools.reduce(operator.or_, [rows[n] for n in dens]))
    scope = _scope(rows, p.table)
    cols: dict[str, ir.Value] = {}
    for k, ind in enumerate(p.indicators):
        den = rows[den_of[k]]
        if ind.value is not None:
            value = compile_expr(ind.value.tree, scope).cast("float64")
            cols[f"s{k}"] = den.ifelse(value, 0.0)
            cols[f"q{k}"] = den.ifelse(value * value, 0.0)
        else:
            assert ind.numerator is not None
            cols[f"n{k}"] = _flag(den & compile_expr(ind.numerator.tree, scope))
        cols[f"d{k}"] = _flag(den)
    return rows.select(**_key_columns(rows), **cols)


def _flags_rate(events: ir.Table, population: ir.Table | None, p: _Pass) -> ir.Table:
    """Events (numerators) and population (denominators) of rates, as one table of flags
    (the events alone when ``population`` is None: see :func:`_population_deltas`)."""
    ev_scope = _scope(events, p.table)
    ev_person = _scope(events, p.table, persons_unprefixed=True)
    ev_cols: dict[str, ir.Value] = {}
    pop_cols: dict[str, ir.Value] = {}
    for k, ind in enumerate(p.indicators):
        assert ind.numerator is not None
        in_population = compile_expr(ind.denominator.tree, ev_person)
        ev_cols[f"n{k}"] = _flag(compile_expr(ind.numerator.tree, ev_scope) & in_population)
        ev_cols[f"d{k}"] = ibis.literal(0, type="int64")
        if population is not None:
            pop_scope = _scope(population, "persons", persons_unprefixed=True)
            pop_cols[f"n{k}"] = ibis.literal(0, type="int64")
            weight = population._n.cast("int64")
            pop_cols[f"d{k}"] = compile_expr(ind.denominator.tree, pop_scope).ifelse(weight, 0)
    ev = events.select(**_key_columns(events), **ev_cols)
    if population is None:
        return ev
    pop = population.select(**_key_columns(population), **pop_cols)
    return ev.union(pop, distinct=False)


def _sums(source: ir.Table) -> dict[str, ir.Value]:
    names = [c for c in source.columns if c[0] in "dnsq" and c[1:].isdigit()]
    return {c: source[c].sum() for c in names}


def _decoded(source: ir.Table, people: _People) -> ir.Table:
    """Rows of flags with the breakdown attributes of their person key (for ``union``)."""
    keys = pd.DataFrame({"_key": np.arange(np.prod([11, *people.radix]), dtype="int64")})
    attrs = people.decode(keys["_key"].to_numpy())
    table = ibis.memtable(
        pd.concat([keys, attrs], axis=1),
        schema={
            "_key": "int64",
            "imd_decile": "int32",
            "borough": "string",
            "sex": "string",
            "ethnicity_code": "string",
        },
    )
    joined = source.join(table, source._pkey == table._key)
    return joined.rename(period="_period", age_start="_age_start").drop("_pkey", "_key")


def _rollup_engine(source: ir.Table, p: _Pass, dimensions: tuple[str, ...]) -> pd.DataFrame:
    parts = []
    for dim in dimensions:
        labelled = source.mutate(
            group=group_label(dim, source),
            band=esp_band(source.age_start) if p.banded else ibis.literal(-1, type="int32"),
        )
        labelled = labelled.filter(labelled.group.notnull())
        parts.append(
            labelled.group_by(["period", "group", "band"])
            .aggregate(**_sums(labelled))
            .mutate(dimension=ibis.literal(dim))
        )
    return ibis.union(*parts, distinct=False).to_pandas()


def _combo_groups(
    dimension: str, combos: np.ndarray, people: _People
) -> tuple[np.ndarray, pd.Index]:
    """Each cube combination's group in a dimension (``-1``: not in it) and the group labels.

    ``combos`` are ``person key * 1000 + age band start`` (999: no age). The parts of the
    person key the dimension does not read are zeroed first, so only the distinct remaining
    combinations are labelled (a few hundred, not a hundred thousand).
    """
    reads = dimension_keys(dimension)
    nb, ns, ne = people.radix
    pkey = combos // 1000
    eth, rest = pkey % ne, pkey // ne
    sex, rest = rest % ns, rest // ns
    borough, decile = rest % nb, rest // nb
    keep = {
        "imd_decile": decile,
        "borough": borough,
        "sex": sex,
        "ethnicity_code": eth,
    }
    kept = {k: v if k in reads else np.zeros_like(v) for k, v in keep.items()}
    reduced = ((kept["imd_decile"] * nb + kept["borough"]) * ns + kept["sex"]) * ne + kept[
        "ethnicity_code"
    ]
    age = combos % 1000 if "age_start" in reads else np.full_like(combos, 999)
    distinct, inverse = np.unique(reduced * 1000 + age, return_inverse=True)
    frame = people.decode(distinct // 1000)
    ages = pd.Series(distinct % 1000, dtype="Int32")
    frame["age_start"] = ages.where(ages != 999)
    codes, names = pd.factorize(frame_group_label(dimension, frame))
    return codes[inverse.ravel()], names


def _rollup_cube(
    cube: pd.DataFrame,
    p: _Pass,
    dimensions: tuple[str, ...],
    people: _People,
    deltas: pd.DataFrame | None = None,
    span: Sequence[dt.date] = (),
) -> pd.DataFrame:
    """Every dimension rolled up from the base cube (a small frame, out of the engine).

    The cube's distinct (person key, age band) combinations are labelled once per dimension;
    each cell then goes to its (period, group, band) by integer codes and ``numpy.bincount``.
    ``deltas`` (from :func:`_population_deltas`, month indices into ``span``, every month from
    the first period to the last) are rolled up the same way and summed over months
    (``cumsum``: whole numbers, exact in float64), then added to the cube's cells; only the
    months in ``span`` are reported.
    """
    values = [c for c in cube.columns if c[0] in "dnsq" and c[1:].isdigit()]
    if cube.empty and (deltas is None or deltas.empty):
        return pd.DataFrame(columns=["period", "group", "band", "dimension", *values])

    def combos_of(frame: pd.DataFrame) -> np.ndarray:
        age = np.nan_to_num(frame["_age_start"].astype("float64").to_numpy(), nan=999)
        return frame["_pkey"].to_numpy(dtype="int64") * 1000 + age.astype("int64")

    parts = [cube] if deltas is None else [cube, deltas]
    combo_all, found_combos = pd.factorize(np.concatenate([combos_of(f) for f in parts]))
    combo_key = np.asarray(found_combos, dtype="int64")
    combo_code = combo_all[: len(cube)]
    period_key: np.ndarray
    if deltas is None:
        period_code, found = pd.factorize(cube["_period"])
        period_key = np.asarray(found)
    else:
        months = _months(span[0], span[-1])
        period_key = np.array([_period_key(m) for m in months], dtype="int64")
        reported = np.isin(period_key, [_period_key(m) for m in span])
        period_code = np.searchsorted(period_key, cube["_period"].to_numpy(dtype="int64"))
        delta_combo = combo_all[len(cube) :]
        delta_k = deltas["_k"].to_numpy(dtype="int64")
        delta_values = [v for v in values if v in deltas.columns]
        delta_weights = deltas[delta_values].to_numpy(dtype="float64")
    if p.banded:
        combo_age = combo_key % 1000
        band_of_combo = np.where(combo_age == 999, -1, np.minimum(combo_age // 5, 18))
    else:
        band_of_combo = np.full(len(combo_key), -1, dtype="int64")
    band_row = band_of_combo[combo_code] + 1
    nbands = 20
    weights = cube[values].to_numpy(dtype="float64")
    fine = (combo_key, combo_code, period_code, band_row, weights)
    coarse = fine
    if not p.banded and deltas is None and len(cube):
        # Dimensions without age read the cube summed over age bands first (fewer rows).
        pkey_code, pkey_key = pd.factorize(combo_key // 1000)
        npkey = len(pkey_key)
        row = period_code * npkey + pkey_code[combo_code]
        size = len(period_key) * npkey
        idx = np.flatnonzero(np.bincount(row, minlength=size))
        summed = np.column_stack(
            [np.bincount(row, weights=weights[:, j], minlength=size) for j in range(len(values))]
        )
        pkey_combos = np.asarray(pkey_key, dtype="int64") * 1000 + 999
        no_band = np.zeros(len(idx), dtype="int64")
        coarse = (pkey_combos, idx % npkey, idx // npkey, no_band, summed[idx])
    blocks = []
    for dim in dimensions:
        dim_combos, dim_combo_code, dim_period, dim_band, dim_weights = (
            fine if "age" in dim else coarse
        )
        group_of_combo, group_names = _combo_groups(dim, dim_combos, people)
        row_group = group_of_combo[dim_combo_code]
        inside = row_group >= 0
        ngroups = len(group_names)
        cell = (dim_period[inside] * ngroups + row_group[inside]) * nbands + dim_band[inside]
        size = len(period_key) * ngroups * nbands
        sums = np.column_stack(
            [
                np.bincount(cell, weights=dim_weights[inside, j], minlength=size)
                for j in range(len(values))
            ]
        ).astype("float64", copy=False)  # bincount of no rows gives integers
        present = np.bincount(cell, minlength=size) > 0
        if deltas is not None:
            d_group = group_of_combo[delta_combo]
            d_in = d_group >= 0
            d_band = band_of_combo[delta_combo[d_in]] + 1
            d_cell = (delta_k[d_in] * ngroups + d_group[d_in]) * nbands + d_band
            for j, v in enumerate(delta_values):
                changes = np.bincount(d_cell, weights=delta_weights[d_in, j], minlength=size)
                counts = changes.reshape(len(period_key), -1).cumsum(axis=0).ravel()
                sums[:, values.index(v)] += counts
                present |= counts != 0
            present &= np.repeat(reported, ngroups * nbands)
        idx = np.flatnonzero(present)
        band_idx, rest = idx % nbands, idx // nbands
        block = pd.DataFrame(
            {
                "period": period_key[rest // ngroups],
                "group": np.asarray(group_names, dtype=object)[rest % ngroups],
                "band": band_idx - 1,
                "dimension": dim,
            }
        )
        blocks.append(pd.concat([block, pd.DataFrame(sums[idx], columns=values)], axis=1))
    return pd.concat(blocks, ignore_index=True)


def _run(
    backend: ibis.BaseBackend,
    p: _Pass,
    people: _People,
    wanted: tuple[dt.date, ...] | None,
    as_of: dt.date | None,
    since: dt.date | None,
    dimensions: tuple[str, ...],
    strategy: Strategy,
) -> pd.DataFrame:
    deltas = None
    months: list[dt.date] = []
    if p.kind == "event" and not p.population:
        starts = list(wanted) if wanted is not None else None
        flags = _flags_share(_event_rows(backend, p, people, starts, as_of, since), p)
    else:
        base = backend.table(p.table)
        months, used = _period_starts(base, p, wanted, as_of, since)
        if not months:
            return _empty()
        if p.population and strategy == "cube" and _by_changes(p, months):
            # The population as changes at birthdays, not people x months.
            flags = _flags_rate(_event_rows(backend, p, people, months, used), None, p)
            deltas = _population_deltas(p, people, months, used)
        elif p.population:
            events = _event_rows(backend, p, people, months, used)
            flags = _flags_rate(events, _population_rows(p, people, months, used), p)
        else:
            residuals = _open_residuals(p, base)
            rows = _census_rows(backend, p, people, months, used, residuals is not None)
            flags = _flags_share(rows, p, residuals)
    if strategy == "cube":
        cube = flags.group_by(["_period", "_pkey", "_age_start"]).aggregate(**_sums(flags))
        # Through Arrow: Ibis's own pandas conversion costs more than the query here.
        changes = None if deltas is None else deltas.to_pyarrow().to_pandas()
        wide = _rollup_cube(cube.to_pyarrow().to_pandas(), p, dimensions, people, changes, months)
    else:
        wide = _rollup_engine(_decoded(flags, people), p, dimensions)
    return _long(wide, p)


def _long(wide: pd.DataFrame, p: _Pass) -> pd.DataFrame:
    """One block of AGGREGATES rows per indicator of the pass (small frames, no patient rows)."""
    blocks = []
    key = wide["period"].astype("int64")
    period = (key // 100).astype(str).str.zfill(4) + "-" + (key % 100).astype(str).str.zfill(2)
    for k, ind in enumerate(p.indicators):
        is_mean = ind.value is not None
        num = wide[f"s{k}"] if is_mean else wide[f"n{k}"]
        block = pd.DataFrame(
            {
                "indicator": ind.id,
                "period": period,
                "dimension": wide["dimension"].astype(str),
                "group": wide["group"].astype(str),
                "band": wide["band"].astype("int64"),
                "numerator": num.astype("float64").fillna(0.0),
                "denominator": wide[f"d{k}"].astype("float64").fillna(0.0),
                "sum_sq": wide[f"q{k}"].astype("float64") if is_mean else float("nan"),
            }
        )
        keep = (block.denominator > 0) | (block.numerator != 0)
        blocks.append(block[keep])
    return pd.concat(blocks, ignore_index=True) if blocks else _empty()
