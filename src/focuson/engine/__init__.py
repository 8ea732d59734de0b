"""The engine: indicator catalogue, safe filter expressions, compiling to Ibis, aggregation.

An *indicator* is declared in YAML (:mod:`focuson.engine.catalogue`) with its denominator and
numerator written in a small expression language (:mod:`focuson.engine.expressions`), never
``eval`` and never SQL. :mod:`focuson.engine.compile` turns the expressions into Ibis, and
:func:`aggregate` counts every indicator by period and by every breakdown
(:mod:`focuson.engine.breakdowns`) inside the engine, returning the AGGREGATES frame.

>>> from focuson.engine import load_default_catalogue
>>> len(load_default_catalogue()) >= 14
True
"""

from focuson.engine.aggregate import AGGREGATE_COLUMNS, aggregate, backend_of
from focuson.engine.breakdowns import CUBE_KEYS, DIMENSIONS, imd_frame
from focuson.engine.catalogue import (
    INDICATOR_COLUMNS,
    Catalogue,
    CatalogueError,
    Filter,
    Indicator,
    Period,
    Standard,
    Target,
    indicators_frame,
    load_catalogue,
    load_default_catalogue,
    parse_catalogue,
)
from focuson.engine.compile import compile_expr
from focuson.engine.expressions import ExpressionError, check, parse

__all__ = [
    "AGGREGATE_COLUMNS",
    "CUBE_KEYS",
    "DIMENSIONS",
    "INDICATOR_COLUMNS",
    "Catalogue",
    "CatalogueError",
    "ExpressionError",
    "Filter",
    "Indicator",
    "Period",
    "Standard",
    "Target",
    "aggregate",
    "backend_of",
    "check",
    "compile_expr",
    "imd_frame",
    "indicators_frame",
    "load_catalogue",
    "load_default_catalogue",
    "parse",
    "parse_catalogue",
]
