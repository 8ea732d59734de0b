"""Summary measures of inequality per indicator x period: SII/RII across deciles, BGV, IDISW.

* **Ordered (IMD decile)**: the slope and relative index of inequality in the NHS England NE&Y
  "new SII" flavour (:func:`focuson.stats.sii` with ``"nhse"``): ranks from the *national*
  population share of each IMD decile, weights from the local denominators, so that SIIs of
  different areas can be compared. ``flip=False``: the SII is the fitted value at the least
  deprived end (rank 1) minus that at the most deprived end (rank 0), and ``intercept`` is the
  fitted value at rank 0, so a chart can draw the line from ``(0, intercept)`` to
  ``(1, intercept + SII)``. The RII is the fitted value at rank 1 over that at rank 0 (no interval,
  as NE&Y).
* **Non-ordered (ethnicity_6, borough)**: the between-group variance (:func:`focuson.stats.bgv`,
  analytic interval, squared units) and the weighted index of disparity
  (:func:`focuson.stats.idisw`, % of the mean, simulated interval). Groups "not stated / not
  known" are left out (they are a mix of groups), and so are groups without a value (e.g. a DSR
  below 10 events); fewer than three groups left gives NaN with a reason.

Every setting (indicator x period) of a measure is computed in one call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from focuson.stats import bgv, idisw, sii

#: Columns of the gradients frame.
GRADIENT_COLUMNS: list[str] = [
    "indicator",
    "period",
    "dimension",
    "measure",
    "value",
    "lower",
    "upper",
    "method",
    "intercept",
    "reason",
]
#: Non-ordered dimensions summarised by BGV and IDISW.
NON_ORDERED: tuple[str, ...] = ("ethnicity_6", "borough")
DECILES: tuple[str, ...] = tuple(str(d) for d in range(1, 11))
SII_FLAVOUR = "nhse"
SEED = 20250401


def blank_gradients(
    gradients: pd.DataFrame, estimates: pd.DataFrame, hidden: np.ndarray
) -> pd.DataFrame:
    """Blank every measure of a setting and dimension in which a group is suppressed.

    A summary measure over groups whose published values are known is a function of them; one
    computed with a suppressed group left out would silently change what it measures. So it is
    blank, with the reason (as the monitoring gaps are).

    Parameters
    ----------
    gradients
        The gradients frame.
    estimates
        The estimates they were computed from (``indicator``, ``period``, ``dimension``,
        ``group``).
    hidden
        Per row of ``estimates``: suppressed.

    Examples
    --------
    >>> g = pd.DataFrame({"indicator": "a", "period": "p", "dimension": ["imd_decile", "sex"],
    ...     "measure": "sii", "value": [1.0, 2.0], "lower": 0.0, "upper": 3.0,
    ...     "intercept": 0.5, "reason": ""})
    >>> e = pd.DataFrame({"indicator": "a", "period": "p", "dimension": ["imd_decile", "sex"],
    ...     "group": ["1", "F"]})
    >>> blank_gradients(g, e, np.array([True, False]))["value"].tolist()
    [nan, 2.0]
    """
    if gradients.empty:
        return gradients
    keys = ["indicator", "period", "dimension"]
    blocked = pd.MultiIndex.from_frame(estimates.loc[np.asarray(hidden, bool), keys])
    hit = pd.MultiIndex.from_frame(gradients[keys]).isin(blocked)
    out = gradients.copy()
    for column in ("value", "lower", "upper", "intercept"):
        if column in out.columns:
            out.loc[hit, column] = np.nan
    out["reason"] = out["reason"].astype(object)
    out.loc[hit, "reason"] = "a group is suppressed (disclosure control)"
    return out


def empty_gradients() -> pd.DataFrame:
    """A gradients frame with no rows, with the right column types.

    >>> empty_gradients().dtypes["value"]
    dtype('float64')
    """
    floats = {"value", "lower", "upper", "intercept"}
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c in floats else object) for c in GRADIENT_COLUMNS}
    )


def _not_stated(labels: pd.Series) -> np.ndarray:
    low = labels.astype(str).str.lower()
    return np.asarray(low.str.contains("not stated") | low.str.contains("not known"))


def _matrix(
    rows: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Settings (indicator x period) by groups: value, se, lower, upper and denominator."""
    setting = rows.groupby(["indicator", "period"], sort=True).ngroup().to_numpy()
    settings = (
        rows[["indicator", "period"]].drop_duplicates().sort_values(["indicator", "period"])
    ).reset_index(drop=True)
    col = pd.Index(columns).get_indexer(pd.Index(rows["group"].astype(str)))
    keep = col >= 0
    shape = (len(settings), len(columns))
    out: dict[str, np.ndarray] = {}
    for name, fill in (
        ("value", np.nan),
        ("se", np.nan),
        ("lower", np.nan),
        ("upper", np.nan),
        ("denominator", 0.0),
    ):
        m = np.full(shape, fill)
        m[setting[keep], col[keep]] = rows[name].to_numpy(np.float64)[keep]
        out[name] = m
    return settings, out


def ordered_gradients(
    estimates: pd.DataFrame,
    *,
    national_imd: ArrayLike | None = None,
    repetitions: int = 1000,
    seed: int = SEED,
) -> pd.DataFrame:
    """SII and RII across IMD deciles, NHS England NE&Y flavour, one row per setting and measure.

    Parameters
    ----------
    estimates
        Estimates as :func:`~focuson.find.estimates.estimate` returns them; the ``imd_decile``
        rows (groups ``"1"`` .. ``"10"``, 1 = most deprived) are used.
    national_imd
        England's population in each decile, decile 1 first; equal tenths by default.
    repetitions
        Simulated slopes per setting for the interval.
    seed
        Seed of the simulation.

    Returns
    -------
    pandas.DataFrame
        :data:`GRADIENT_COLUMNS`, ``measure`` ``"sii"`` or ``"rii"``.

    Examples
    --------
    >>> est = pd.DataFrame({"indicator": "a", "period": "p", "dimension": "imd_decile",
    ...     "group": [str(d) for d in range(1, 11)], "value": np.arange(50.0, 70.0, 2),
    ...     "se": 1.0, "lower": np.arange(48.0, 68.0, 2), "upper": np.arange(52.0, 72.0, 2),
    ...     "denominator": 1000.0})
    >>> out = ordered_gradients(est)
    >>> out[["measure", "value", "intercept"]].round(2).values.tolist()
    [['sii', 20.0, 49.0], ['rii', 1.41, nan]]
    """
    rows = estimates.loc[estimates["dimension"] == "imd_decile"]
    if rows.empty:
        return empty_gradients()
    settings, m = _matrix(rows, DECILES)
    national = np.full(10, 0.1) if national_imd is None else np.asarray(national_imd, float)
    if national.shape != (10,):
        raise ValueError(
            f"national_imd: expected 10 populations (decile 1 first), got {national.shape}"
        )
    has = m["denominator"] > 0
    y = np.where(has, m["value"], np.nan)
    lower = np.where(has & np.isfinite(m["lower"]), m["lower"], y)
    upper = np.where(has & np.isfinite(m["upper"]), m["upper"], y)
    lower = np.where(np.isfinite(lower), lower, 0.0)
    upper = np.where(np.isfinite(upper), upper, 0.0)
    slope, rii = sii(  # type: ignore[misc]
        SII_FLAVOUR,
        y,
        m["denominator"],
        national,
        lower=lower,
        upper=upper,
        flip=False,
        rii=True,
        repetitions=repetitions,
        seed=seed,
    )
    base = settings.assign(dimension="imd_decile")
    out_sii = base.assign(
        measure="sii",
        value=slope.value,
        lower=slope.lower,
        upper=slope.upper,
        method=slope.method,
        intercept=slope.extras["intercept"],
        reason=slope.reason,
    )
    out_rii = base.assign(
        measure="rii",
        value=rii.value,
        lower=np.nan,
        upper=np.nan,
        method=rii.method,
        intercept=np.nan,
        reason=rii.reason,
    )
    return _interleave(out_sii, out_rii)


def non_ordered_gradients(
    estimates: pd.DataFrame,
    scale: pd.Series,
    *,
    dimensions: Sequence[str] = NON_ORDERED,
    seed: int = SEED,
) -> pd.DataFrame:
    """BGV and IDISW for each non-ordered dimension, one row per setting and measure.

    Parameters
    ----------
    estimates
        Estimates as :func:`~focuson.find.estimates.estimate` returns them.
    scale
        Indicator id to its scale for the IDISW simulation (100 for percentages, which
        truncates draws to [0, 100]; NaN for no interval, e.g. means).
    dimensions
        Dimensions to summarise.
    seed
        Seed of the IDISW simulation.

    Returns
    -------
    pandas.DataFrame
        :data:`GRADIENT_COLUMNS`, ``measure`` ``"bgv"`` or ``"idisw"``.

    Examples
    --------
    >>> est = pd.DataFrame({"indicator": "a", "period": "p", "dimension": "borough",
    ...     "group": ["A", "B", "C"], "value": [60.0, 70.0, 80.0], "se": [2.0, 2.0, 3.0],
    ...     "lower": np.nan, "upper": np.nan, "denominator": [100.0, 200.0, 100.0]})
    >>> out = non_ordered_gradients(est, pd.Series({"a": 100.0}))
    >>> out[["measure", "value"]].round(3).values.tolist()
    [['bgv', 50.0], ['idisw', 7.143]]
    """
    parts = []
    for dimension in dimensions:
        rows = estimates.loc[(estimates["dimension"] == dimension)]
        rows = rows.loc[~_not_stated(rows["group"]) & np.isfinite(rows["value"].to_numpy(float))]
        if rows.empty:
            continue
        groups = sorted(rows["group"].astype(str).unique())
        settings, m = _matrix(rows, groups)
        pop = m["denominator"]
        present = np.isfinite(m["value"]) & (pop > 0)
        enough = present.sum(axis=1) >= 3
        reason = np.where(enough, "", "fewer than three groups with a value")
        value = {"bgv": np.full(len(settings), np.nan), "idisw": np.full(len(settings), np.nan)}
        lower = {k: v.copy() for k, v in value.items()}
        upper = {k: v.copy() for k, v in value.items()}
        method = {k: np.full(len(settings), "", dtype=object) for k in value}
        why = {k: np.asarray(reason, dtype=object).copy() for k in value}
        if enough.any():
            y = np.where(present, m["value"], np.nan)[enough]
            se = np.where(present, m["se"], np.nan)[enough]
            p = np.where(present, pop, 0.0)[enough]
            est_bgv = bgv(y, se, p)
            sc = settings["indicator"].map(scale).to_numpy(np.float64)[enough]
            est_idisw = idisw(y, se, p, scale=sc, seed=seed)
            for key, est in (("bgv", est_bgv), ("idisw", est_idisw)):
                value[key][enough] = est.value
                lower[key][enough] = est.lower
                upper[key][enough] = est.upper
                method[key][enough] = est.method
                why[key][enough] = est.reason
        base = settings.assign(dimension=dimension)
        frames = []
        for key in ("bgv", "idisw"):
            frames.append(
                base.assign(
                    measure=key,
                    value=value[key],
                    lower=lower[key],
                    upper=upper[key],
                    method=method[key],
                    intercept=np.nan,
                    reason=why[key],
                )
            )
        parts.append(_interleave(*frames))
    if not parts:
        return empty_gradients()
    return pd.concat(parts, ignore_index=True)[GRADIENT_COLUMNS]


def _interleave(*frames: pd.DataFrame) -> pd.DataFrame:
    """Stack per-measure frames so that each setting's measures sit together."""
    out = pd.concat(
        [f.assign(_order=i) for i, f in enumerate(frames)], ignore_index=True
    ).sort_values(["indicator", "period", "_order"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)[GRADIENT_COLUMNS]
