"""The breakdowns: the dimensions every indicator is split by, and their group labels.

Every row counted carries six *cube keys*, worked out in the engine from the person and their
LSOA: ``period``, ``imd_decile`` (1..10, national, 1 = most deprived; null when the LSOA is not
known or not in the IMD file), ``borough`` (the local authority name from the IMD file),
``sex`` (F, M, U), ``age_start`` (the first year of the person's age band at the period date:
0, 5, 10, 15, 18, 20, 25 ... 90, fine enough for both the 5-year bands, which are the ESP 2013
bands, and the broad bands, which break at 18) and ``ethnicity_code`` (the NHS code).
Every dimension below is a function of these keys, so it can be rolled up from a base cube.

=============================  ==========================================================
dimension                      groups
=============================  ==========================================================
overall                        ``All``
imd_decile, imd_quintile       ``1`` .. ``10`` / ``1`` .. ``5`` (quintile = ceil(decile / 2)),
                               ``Not known``
sex                            ``F``, ``M``, ``U``
age_band_5y                    ``0-4``, ``5-9`` ... ``85-89``, ``90+``
age_band_broad                 ``0-17``, ``18-64``, ``65-79``, ``80+``
ethnicity_code                 the NHS ethnic category code (``A`` ... ``S``, ``Z``, ``99``)
ethnicity_6                    ``White``, ``Mixed``, ``Asian``, ``Black``, ``Other``,
                               ``Not stated / not known`` (Z and 99)
ethnicity_5                    the same five groups; people whose ethnicity is not stated
                               or not known are left out of this dimension only
borough                        the local authority name, ``Not known``
A x B                          ``<A group> | <B group>``, e.g. ``1 | Black``
=============================  ==========================================================

The ethnic groups follow the Census 2021 high-level groups (Chinese, R, is Asian), as
:mod:`focuson.data.reference.ethnicity`, with short labels.

Examples
--------
>>> DIMENSIONS[:3]
('overall', 'imd_decile', 'imd_quintile')
>>> AGE_5Y_LABELS[0], AGE_5Y_LABELS[18]
('0-4', '90+')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from focuson.data.reference import ReferenceTable, load_imd
from focuson.data.reference.ethnicity import NHS_ETHNIC_CATEGORY_GROUPS, NOT_STATED

#: The dimensions, in output order.
DIMENSIONS: tuple[str, ...] = (
    "overall",
    "imd_decile",
    "imd_quintile",
    "sex",
    "age_band_5y",
    "age_band_broad",
    "ethnicity_5",
    "ethnicity_6",
    "ethnicity_code",
    "borough",
    "imd_quintile x ethnicity_6",
    "imd_quintile x age_band_broad",
    "borough x imd_quintile",
)
#: The keys of the base cube every dimension is rolled up from.
CUBE_KEYS: tuple[str, ...] = (
    "period",
    "imd_decile",
    "borough",
    "sex",
    "age_start",
    "ethnicity_code",
)
NOT_KNOWN = "Not known"
OVERALL = "All"
SEPARATOR = " | "

AGE_5Y_LABELS: tuple[str, ...] = (*(f"{5 * i}-{5 * i + 4}" for i in range(18)), "90+")
#: Broad age bands as (label, first year of age, last year of age).
AGE_BROAD: tuple[tuple[str, int, int], ...] = (
    ("0-17", 0, 17),
    ("18-64", 18, 64),
    ("65-79", 65, 79),
    ("80+", 80, 200),
)
_SHORT = {
    "White": "White",
    "Mixed or Multiple ethnic groups": "Mixed",
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Other ethnic group": "Other",
    NOT_STATED: NOT_STATED,
}
#: NHS ethnic category code -> 6-group short label.
ETHNICITY_6: Mapping[str, str] = {c: _SHORT[g] for c, g in NHS_ETHNIC_CATEGORY_GROUPS.items()}


def age_in_years(date_of_birth: ir.DateValue, at: ir.DateValue) -> ir.IntegerValue:
    """Completed years of age on a date (0 for a date before the birth), in the engine.

    Computed as ``(YYYYMMDD(at) - YYYYMMDD(birth)) // 10000`` on whole numbers: the number of
    birthdays passed, with one integer subtraction per row.

    Examples
    --------
    >>> import datetime as dt
    >>> t = ibis.memtable(
    ...     {"dob": [dt.date(1950, 3, 31)] * 2, "at": [dt.date(2025, 3, 30), dt.date(2025, 3, 31)]}
    ... )
    >>> t.select(age=age_in_years(t.dob, t.at)).to_pandas().age.tolist()
    [74, 75]
    """
    return ibis.greatest((day_number(at) - day_number(date_of_birth)) // 10000, 0).cast("int32")


def day_number(date: ir.DateValue) -> ir.IntegerValue:
    """A date as the whole number ``YYYYMMDD``, in the engine."""
    return (date.year() * 10000 + date.month() * 100 + date.day()).cast("int32")


def age_start(age: ir.IntegerValue) -> ir.IntegerValue:
    """The first year of an age's fine band (0, 5, 10, 15, 18, 20 ... 90), in the engine.

    Examples
    --------
    >>> t = ibis.memtable({"age": [0, 16, 18, 19, 20, 64, 93]})
    >>> t.select(a=age_start(t.age)).to_pandas().a.tolist()
    [0, 15, 18, 18, 20, 60, 90]
    """
    return ibis.cases((age.between(18, 19), 18), else_=ibis.least(age // 5, 18) * 5).cast("int32")


def fine_band_index(age: ir.IntegerValue) -> ir.IntegerValue:
    """The index 0..19 of an age's fine band (0-4, 5-9, 10-14, 15-17, 18-19, 20-24 ... 90+).

    Examples
    --------
    >>> t = ibis.memtable({"age": [0, 16, 18, 19, 20, 64, 93]})
    >>> t.select(i=fine_band_index(t.age)).to_pandas().i.tolist()
    [0, 3, 4, 4, 5, 13, 19]
    """
    return ibis.cases((age < 18, age // 5), (age < 20, 4), else_=ibis.least(age // 5, 18) + 1).cast(
        "int32"
    )


def fine_band_first_age(index: ir.IntegerValue) -> ir.IntegerValue:
    """The first year of fine band ``index`` (:func:`fine_band_index`); 999 past the last band
    (90+ never ends).

    Examples
    --------
    >>> t = ibis.memtable({"i": [0, 3, 4, 5, 13, 19, 20]})
    >>> t.select(a=fine_band_first_age(t.i)).to_pandas().a.tolist()
    [0, 15, 18, 20, 60, 90, 999]
    """
    return ibis.cases(
        (index <= 3, index * 5), (index == 4, 18), (index <= 19, (index - 1) * 5), else_=999
    ).cast("int32")


def esp_band(start: ir.IntegerValue) -> ir.IntegerValue:
    """The ESP 2013 band index 0..18 (0-4 ... 85-89, 90+) of a fine band's first year."""
    return ibis.least(start // 5, 18).cast("int32")


def imd_frame(imd: pd.DataFrame | ReferenceTable | Path | str) -> pd.DataFrame:
    """LSOA -> IMD decile and borough, from :func:`~focuson.data.reference.load_imd` output.

    Parameters
    ----------
    imd
        A path to an IMD file (any layout :func:`load_imd` reads), its
        :class:`~focuson.data.reference.ReferenceTable`, or a frame with ``lsoa_code``,
        ``imd_decile`` and ``lad_name`` columns (or this function's own output).

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa`` (str), ``imd_decile`` (int32), ``borough`` (str), one row per LSOA.

    Examples
    --------
    >>> frame = pd.DataFrame({"lsoa_code": ["E01000001"], "imd_decile": [9], "lad_name": ["X"]})
    >>> imd_frame(frame).to_dict("records")
    [{'lsoa': 'E01000001', 'imd_decile': 9, 'borough': 'X'}]
    """
    if isinstance(imd, Path | str):
        imd = load_imd(imd)
    frame = imd.frame if isinstance(imd, ReferenceTable) else imd
    if {"lsoa", "imd_decile", "borough"} <= set(frame.columns):
        frame = frame.rename(columns={"lsoa": "lsoa_code", "borough": "lad_name"})
    missing = {"lsoa_code", "imd_decile", "lad_name"} - set(frame.columns)
    if missing:
        raise ValueError(f"imd: the frame lacks the columns {', '.join(sorted(missing))}")
    out = pd.DataFrame(
        {
            "lsoa": frame["lsoa_code"].astype(str),
            "imd_decile": frame["imd_decile"].astype("int32"),
            "borough": frame["lad_name"].astype(str),
        }
    )
    if out["lsoa"].duplicated().any():
        raise ValueError("imd: an LSOA appears more than once")
    return out.reset_index(drop=True)


def _label_decile(c: Any) -> Any:
    return c.imd_decile.cast("string").fill_null(NOT_KNOWN)


def _label_quintile(c: Any) -> Any:
    return ((c.imd_decile + 1) // 2).cast("string").fill_null(NOT_KNOWN)


def _label_age5(c: Any) -> Any:
    return esp_band(c.age_start).cases(*enumerate(AGE_5Y_LABELS), else_=NOT_KNOWN)


def _label_broad(c: Any) -> Any:
    return ibis.cases(
        *((c.age_start.between(lo, hi), label) for label, lo, hi in AGE_BROAD), else_=NOT_KNOWN
    )


def _label_eth6(c: Any) -> Any:
    return c.ethnicity_code.cases(*ETHNICITY_6.items(), else_=NOT_STATED)


def _label_eth5(c: Any) -> Any:
    five = [(k, v) for k, v in ETHNICITY_6.items() if v != NOT_STATED]
    return c.ethnicity_code.cases(*five, else_=ibis.null("string"))


_SINGLE = {
    "overall": lambda c: ibis.literal(OVERALL),
    "imd_decile": _label_decile,
    "imd_quintile": _label_quintile,
    "sex": lambda c: c.sex,
    "age_band_5y": _label_age5,
    "age_band_broad": _label_broad,
    "ethnicity_5": _label_eth5,
    "ethnicity_6": _label_eth6,
    "ethnicity_code": lambda c: c.ethnicity_code,
    "borough": lambda c: c.borough.fill_null(NOT_KNOWN),
}


def _frame_decile(f: pd.DataFrame) -> pd.Series:
    d = f["imd_decile"]
    return d.map(lambda v: str(int(v)), na_action="ignore").fillna(NOT_KNOWN)


def _frame_quintile(f: pd.DataFrame) -> pd.Series:
    q = (f["imd_decile"] + 1) // 2
    return q.map(lambda v: str(int(v)), na_action="ignore").fillna(NOT_KNOWN)


def _frame_age5(f: pd.DataFrame) -> pd.Series:
    band = (f["age_start"] // 5).clip(upper=18)
    return band.map(dict(enumerate(AGE_5Y_LABELS))).fillna(NOT_KNOWN)


def _frame_broad(f: pd.DataFrame) -> pd.Series:
    out = pd.Series(NOT_KNOWN, index=f.index, dtype=object)
    for label, lo, hi in AGE_BROAD:
        out[f["age_start"].between(lo, hi)] = label
    return out


def _frame_eth6(f: pd.DataFrame) -> pd.Series:
    return f["ethnicity_code"].map(ETHNICITY_6).fillna(NOT_STATED)


def _frame_eth5(f: pd.DataFrame) -> pd.Series:
    five = {k: v for k, v in ETHNICITY_6.items() if v != NOT_STATED}
    return f["ethnicity_code"].map(five)


def _as_object(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None)


_SINGLE_FRAME = {
    "overall": lambda f: pd.Series(OVERALL, index=f.index, dtype=object),
    "imd_decile": _frame_decile,
    "imd_quintile": _frame_quintile,
    "sex": lambda f: _as_object(f["sex"]),
    "age_band_5y": _frame_age5,
    "age_band_broad": _frame_broad,
    "ethnicity_5": _frame_eth5,
    "ethnicity_6": _frame_eth6,
    "ethnicity_code": lambda f: _as_object(f["ethnicity_code"]),
    "borough": lambda f: _as_object(f["borough"]).fillna(NOT_KNOWN),
}


#: The cube keys each single dimension reads.
_READS: dict[str, tuple[str, ...]] = {
    "overall": (),
    "imd_decile": ("imd_decile",),
    "imd_quintile": ("imd_decile",),
    "sex": ("sex",),
    "age_band_5y": ("age_start",),
    "age_band_broad": ("age_start",),
    "ethnicity_5": ("ethnicity_code",),
    "ethnicity_6": ("ethnicity_code",),
    "ethnicity_code": ("ethnicity_code",),
    "borough": ("borough",),
}


def dimension_keys(dimension: str) -> frozenset[str]:
    """The cube keys a dimension's label depends on.

    >>> sorted(dimension_keys("imd_quintile x age_band_broad"))
    ['age_start', 'imd_decile']
    """
    parts = dimension.split(" x ")
    if any(d not in _READS for d in parts):
        expected = ", ".join(DIMENSIONS)
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {expected}")
    return frozenset(k for d in parts for k in _READS[d])


def frame_group_label(dimension: str, keys: pd.DataFrame) -> pd.Series:
    """The group labels of :func:`group_label`, for a small pandas frame of cube keys.

    Used to label the cells of a base cube once it has left the engine (a few thousand
    distinct key combinations, never patient rows); gives exactly the labels the engine would.
    ``None`` for rows that are not in the dimension.

    Examples
    --------
    >>> keys = pd.DataFrame(
    ...     {"imd_decile": [1, None], "ethnicity_code": ["N", "Z"], "borough": ["B", None]}
    ... )
    >>> frame_group_label("imd_quintile x ethnicity_6", keys).tolist()
    ['1 | Black', 'Not known | Not stated / not known']
    """
    if dimension in _SINGLE_FRAME:
        return _as_object(_SINGLE_FRAME[dimension](keys))
    if " x " in dimension:
        a, b = dimension.split(" x ")
        left, right = _SINGLE_FRAME[a](keys), _SINGLE_FRAME[b](keys)
        return _as_object(left.astype(object) + SEPARATOR + right.astype(object))
    raise ValueError(f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}")


def group_label(dimension: str, cube: ir.Table) -> ir.StringValue:
    """The group label of every row of ``cube`` (a table with the cube keys) in a dimension.

    Null for rows that are not in the dimension (only ``ethnicity_5``: not stated / not known).

    Examples
    --------
    >>> cube = ibis.memtable(
    ...     {"imd_decile": [1, None], "ethnicity_code": ["N", "Z"], "borough": ["B", None]}
    ... )
    >>> cube.select(g=group_label("imd_quintile x ethnicity_6", cube)).to_pandas().g.tolist()
    ['1 | Black', 'Not known | Not stated / not known']
    """
    if dimension in _SINGLE:
        return _SINGLE[dimension](cube)
    if " x " in dimension:
        a, b = dimension.split(" x ")
        return _SINGLE[a](cube).concat(SEPARATOR, _SINGLE[b](cube))
    raise ValueError(f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}")
