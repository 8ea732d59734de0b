"""Parquet tables of a run turned into model fields, column by column (no loop over values).

Each function takes a table as ``docs/outputs.md`` describes it and yields one dict of model
fields per row: numbers blank (None) where the table has them blank, text blank where it has
none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from focuson.web.evidence.models import Alert, Finding, Gradient, Series

FINDING_TEXT = (
    "indicator",
    "indicator_title",
    "period",
    "dimension",
    "dimension_label",
    "group",
    "group_label",
    "reference_group",
    "reference_label",
    "direction",
    "statistic",
    "test",
    "reason",
)
FINDING_NUMBERS = (
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "reference_value",
    "difference",
    "ratio",
    "p_value",
    "q_value",
    "excess",
    "gap_to_standard",
    "gap_to_target",
    "people_to_standard",
)
GRADIENT_TEXT = ("indicator", "period", "dimension", "measure", "measure_label", "method", "reason")
GRADIENT_NUMBERS = ("value", "lower", "upper", "intercept")
ALERT_TEXT = (
    "kind",
    "indicator",
    "indicator_title",
    "about",
    "about_label",
    "group",
    "group_label",
    "period",
    "since",
    "sentence",
)
ALERT_NUMBERS = ("people", "value", "baseline")
POINT_COLUMNS = ("period", "value", "mean", "lower", "upper", "point_type", "segment")
INDICATOR_FIELDS = ("title", "unit", "statistic", "multiplier", "polarity", "standard", "target")


def _text(frame: pd.DataFrame, column: str, model: Any) -> pd.Series:
    """A text column, blank where missing, cut to the model field's length (PostgreSQL
    refuses longer text; SQLite would keep it)."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    limit = getattr(model._meta.get_field(column), "max_length", None)
    text = frame[column].fillna("").astype(str)
    return text.str.slice(0, limit) if limit else text


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return values.astype(object).where(np.isfinite(values.to_numpy()), None)


def _flags(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _rows(columns: Mapping[str, pd.Series], fixed: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    names = list(columns)
    for values in zip(*(columns[name].tolist() for name in names), strict=True):
        row = dict(zip(names, values, strict=True))
        row.update(fixed)
        yield row


def borough_of(dimension: pd.Series, group: pd.Series) -> pd.Series:
    """The borough a group is in, for breakdowns by borough (blank for the others).

    Examples
    --------
    >>> dims = pd.Series(["borough", "borough x imd_quintile", "sex", "imd_quintile x borough"])
    >>> groups = pd.Series(["Brent", "Brent | 1", "F", "1 | Ealing"])
    >>> borough_of(dims, groups).tolist()
    ['Brent', 'Brent', '', 'Ealing']
    """
    parts = dimension.astype(str).str.split(" x ")
    position = parts.map(lambda names: names.index("borough") if "borough" in names else -1)
    pieces = group.astype(str).str.split(" | ", regex=False)
    picked = [
        values[at] if 0 <= at < len(values) else ""
        for values, at in zip(pieces.tolist(), position.tolist(), strict=True)
    ]
    return pd.Series(picked, index=group.index, dtype=object)


def indicator_table(indicators: pd.DataFrame | None, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The run's indicators by id (title, unit, statistic, multiplier, polarity, standard,
    target): from ``monitor/indicators.parquet``, else the catalogue the manifest names."""
    frame = indicators
    if frame is None or frame.empty:
        from focuson.reports.export import catalogue_indicators

        try:
            frame, _where = catalogue_indicators(manifest)
        except Exception:  # a catalogue that no longer loads: ids shown, units unknown
            frame = pd.DataFrame({"id": []})
    out: dict[str, Any] = {}
    for record in frame.to_dict("records"):
        entry = {}
        for name in INDICATOR_FIELDS:
            value = record.get(name)
            if isinstance(value, float) and not np.isfinite(value):
                value = None
            entry[name] = value if value is None or isinstance(value, float | int) else str(value)
        out[str(record["id"])] = entry
    return out


def finding_rows(
    frame: pd.DataFrame, run: Any, indicators: Mapping[str, Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Model fields of each row of ``findings.parquet`` (or ``monitor/levels.parquet``)."""
    columns: dict[str, pd.Series] = {name: _text(frame, name, Finding) for name in FINDING_TEXT}
    columns.update({name: _numbers(frame, name) for name in FINDING_NUMBERS})
    columns["significant"] = _flags(frame, "significant")
    columns["suppressed"] = _flags(frame, "suppressed")
    units = {key: str(entry.get("unit") or "") for key, entry in indicators.items()}
    columns["unit"] = columns["indicator"].map(units).fillna("")
    columns["borough"] = borough_of(columns["dimension"], columns["group"])
    return _rows(columns, {"run": run})


def gradient_rows(frame: pd.DataFrame, run: Any) -> Iterator[dict[str, Any]]:
    """Model fields of each row of ``gradients.parquet``."""
    columns: dict[str, pd.Series] = {name: _text(frame, name, Gradient) for name in GRADIENT_TEXT}
    columns.update({name: _numbers(frame, name) for name in GRADIENT_NUMBERS})
    return _rows(columns, {"run": run})


def alert_rows(frame: pd.DataFrame, run: Any) -> Iterator[dict[str, Any]]:
    """Model fields of each row of ``monitor/alerts.parquet``."""
    columns: dict[str, pd.Series] = {name: _text(frame, name, Alert) for name in ALERT_TEXT}
    columns.update({name: _numbers(frame, name) for name in ALERT_NUMBERS})
    return _rows(columns, {"run": run})


def _points(spc: pd.DataFrame | None, about: str) -> dict[tuple[str, str, str], list[Any]]:
    """Each series' points (month order) by (indicator, dimension or measure, group)."""
    if spc is None or spc.empty:
        return {}
    spc = spc.sort_values(["indicator", about, "group", "period"], kind="mergesort")
    shown = pd.DataFrame({name: spc.get(name) for name in POINT_COLUMNS}, index=spc.index)
    points = json.loads(shown.to_json(orient="records", double_precision=15))
    keys = zip(
        spc["indicator"].astype(str), spc[about].astype(str), spc["group"].astype(str), strict=True
    )
    out: dict[tuple[str, str, str], list[Any]] = {}
    for key, point in zip(keys, points, strict=True):
        out.setdefault(key, []).append(point)
    return out


def series_rows(
    series: pd.DataFrame,
    spc_levels: pd.DataFrame | None,
    spc_gaps: pd.DataFrame | None,
    run: Any,
) -> Iterator[dict[str, Any]]:
    """One row per series of ``monitor/series.parquet`` with its points from the SPC tables."""
    levels, gaps = _points(spc_levels, "dimension"), _points(spc_gaps, "measure")
    text = (
        "kind",
        "indicator",
        "indicator_title",
        "dimension",
        "dimension_label",
        "measure",
        "measure_label",
        "group",
        "group_label",
        "improvement",
        "variation_icon",
        "assurance_icon",
        "latest_period",
    )
    columns: dict[str, pd.Series] = {name: _text(series, name, Series) for name in text}
    for row in _rows(columns, {"run": run}):
        found = levels if row["kind"] == "level" else gaps
        about = row["dimension"] if row["kind"] == "level" else row["measure"]
        row["points"] = found.get((row["indicator"], about, row["group"]), [])
        yield row
