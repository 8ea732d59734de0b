"""The published series a Study reads: a monitoring run's ``levels.parquet``, never patient rows.

A suppressed month is a missing point: :func:`published_series` marks it ``missing`` and nothing
fills it in.

>>> months_of(Window(start="2023-11", end="2024-01"))
['2023-11', '2023-12', '2024-01']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from focuson.study.plan import Window

#: The monitoring breakdown behind each kind of gap group of a plan.
GAP_DIMENSIONS = {
    "imd_quintile": "imd_quintile",
    "ethnicity": "ethnicity_6",
    "age": "age_band_broad",
    "sex": "sex",
}
#: The columns a Study reads.
COLUMNS = ["indicator", "period", "dimension", "group", "numerator", "denominator", "value"]


class StudyError(ValueError):
    """A Study that cannot run, with what is wrong and what to do."""


def months_of(window: Window) -> list[str]:
    """The window's months, ``YYYY-MM``, both ends included."""
    return [str(p) for p in pd.period_range(window.start, window.end, freq="M")]


def levels_file(folder: Path) -> Path:
    """``levels.parquet`` of a monitoring results folder (or of its ``monitor/`` folder)."""
    for candidate in (folder / "monitor" / "levels.parquet", folder / "levels.parquet"):
        if candidate.is_file():
            return candidate
    raise StudyError(
        f"{folder}: no monitor/levels.parquet here. Give --levels the --out folder of "
        "focuson monitor (or set levels: in the plan)."
    )


def published_series(
    levels: pd.DataFrame, dimension: str, group: str, months: list[str]
) -> pd.DataFrame:
    """One group's published series over ``months``; a suppressed month is missing."""
    rows = levels[(levels["dimension"] == dimension) & (levels["group"] == group)]
    frame = rows.drop_duplicates("period").set_index("period").reindex(months)
    # a month with no published row at all is missing too ("boolean" keeps NaN without an
    # object-dtype downcast)
    missing = frame["suppressed"].astype("boolean").fillna(True).astype(bool)
    missing |= frame[["numerator", "denominator", "value"]].isna().any(axis=1)
    return frame.assign(missing=missing.to_numpy())


def check_group(levels: pd.DataFrame, dimension: str, group: str, what: str) -> None:
    """Raise a :class:`StudyError` naming the groups there when ``group`` is not published."""
    dims = levels["dimension"]
    if not (dims == dimension).any():
        raise StudyError(
            f"the monitoring results have no '{dimension}' breakdown for this indicator ({what});"
            f" they have: {', '.join(sorted(dims.unique())[:20])}."
        )
    groups = levels.loc[dims == dimension, "group"]
    prefix = group.rpartition(" | ")[0]
    if prefix:  # a group within the unit: list the unit's own groups
        groups = groups[groups.str.startswith(f"{prefix} | ")]
    if not (groups == group).any():
        raise StudyError(
            f"the '{dimension}' breakdown has no group '{group}' ({what}); it has: "
            f"{', '.join(sorted(groups.unique())[:20])}."
        )


def value_multiplier(levels: pd.DataFrame) -> float:
    """Published value per unit of numerator / denominator (100 for a percentage)."""
    ok = levels[(levels["numerator"] > 0) & (levels["denominator"] > 0) & ~levels["suppressed"]]
    if ok.empty:
        return 1.0
    ratio = ok["value"] / (ok["numerator"] / ok["denominator"])
    return float(ratio.median())
