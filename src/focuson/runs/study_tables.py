"""What the Study card draws, worked out while the fits are at hand (``focuson study``).

Three tables from a single-group interrupted time series and its gap model
(:func:`focuson.study.its.its`, :func:`focuson.study.its_gap.its_gap`):

- ``series``: each series month by month (the unit, the most and the least deprived group),
  the published value, the fitted line and the **expected** line (the counterfactual: the same
  model with the change terms set to zero) with its 95% confidence band, over the pre,
  transition and post windows. A suppressed month is a missing point (``missing``), never
  filled in; a transition month keeps its place in time but was left out of the fit.
- ``relative``: each effect relative to what was expected (the overall effect and each group's:
  the post-period mean of fitted over expected, minus one; the gap's change: relative to the
  baseline gap), in %, with delta-method intervals from the same covariance as the absolute
  effects.
- ``checks``: the checks panel of the card (method notes, evaluation.md section 5): the
  pre-period trend, autocorrelation left (Ljung-Box), seasonality, placebo, suppressed months and
  small numbers, and the number of comparisons; each with a status and a plain sentence.

Everything here is computed from published, disclosure-controlled aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from focuson.find.results import write_parquet
from focuson.reports.study_card import CARD_FILE, write_study_card
from focuson.runs.study_checks import its_checks
from focuson.runs.study_series import published_series
from focuson.study.its import ItsFit
from focuson.study.its_gap import GapFit
from focuson.study.plan import Plan
from focuson.study.segments import POST, TSINCE, its_design

_Z = float(norm.ppf(0.975))

SERIES_COLUMNS = [
    "series",
    "dimension",
    "group",
    "month",
    "phase",
    "numerator",
    "denominator",
    "observed",
    "missing",
    "fitted",
    "expected",
    "expected_lower",
    "expected_upper",
]


@dataclass(frozen=True)
class CardTables:
    """The card's tables (see the module docstring)."""

    series: pd.DataFrame
    relative: pd.DataFrame
    checks: pd.DataFrame


@dataclass(frozen=True)
class Published:
    """One series as published: its breakdown, group and months (``published_series``)."""

    dimension: str
    group: str
    frame: pd.DataFrame


def _inverse(family: str, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and its derivative with respect to the linear predictor."""
    if family == "gaussian":
        return eta, np.ones_like(eta)
    if family == "poisson":
        mu = np.exp(eta)
        return mu, mu
    mu = 1 / (1 + np.exp(-eta))
    return mu, mu * (1 - mu)


def _lines(res: Any, family: str, x: np.ndarray, effect_cols: Sequence[int], mult: float) -> dict:
    """Fitted and expected (change terms zeroed) lines with the expected line's 95% band."""
    beta = np.asarray(res.params, dtype=float)
    cov = np.asarray(res.cov_params(), dtype=float)
    x0 = x.copy()
    x0[:, list(effect_cols)] = 0
    eta0 = x0 @ beta
    se0 = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", x0, cov, x0), 0.0))
    # The band is built on the linear predictor and transformed: it stays inside 0-100% for
    # a binomial model.
    return {
        "fitted": _inverse(family, x @ beta)[0] * mult,
        "expected": _inverse(family, eta0)[0] * mult,
        "expected_lower": _inverse(family, eta0 - _Z * se0)[0] * mult,
        "expected_upper": _inverse(family, eta0 + _Z * se0)[0] * mult,
    }


def _mean_and_gradient(
    res: Any, family: str, x: np.ndarray, w: np.ndarray
) -> tuple[float, np.ndarray]:
    mu, d = _inverse(family, x @ np.asarray(res.params, dtype=float))
    return float(w @ mu), np.asarray(w @ (d[:, None] * x))


def _ratio(
    res: Any, family: str, top: tuple[np.ndarray, np.ndarray], bottom: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float, float]:
    """(mean at ``top`` / mean at ``bottom`` - 1) in %, with a delta-method 95% interval on the
    log scale (both means from the same fit); NaN when a mean is not positive."""
    a, ga = _mean_and_gradient(res, family, *top)
    b, gb = _mean_and_gradient(res, family, *bottom)
    if a <= 0 or b <= 0:
        return (np.nan, np.nan, np.nan)
    grad = ga / a - gb / b
    se = float(np.sqrt(max(float(grad @ np.asarray(res.cov_params()) @ grad), 0.0)))
    log_r = np.log(a / b)
    lo, hi = log_r - _Z * se, log_r + _Z * se
    return (100 * float(np.expm1(log_r)), 100 * float(np.expm1(lo)), 100 * float(np.expm1(hi)))


def _effect_cols(slope: bool, offset: int = 0) -> list[int]:
    return [offset + POST] + ([offset + TSINCE] if slope else [])


def _gap_relative(gfit: GapFit) -> tuple[float, float, float]:
    """The change in the gap as a % of the baseline gap (positive = narrowed), or NaN when the
    baseline gap's interval includes zero (no clear gap to narrow)."""
    b = gfit.baseline_gap
    if not (b.lower > 0 or b.upper < 0):
        return (np.nan, np.nan, np.nan)
    res, family = gfit.result, gfit.family
    x = np.asarray(res.model.exog, dtype=float)
    n = x.shape[0] // 2
    k = x.shape[1] - (4 if gfit.gap_slope is not None else 3)
    cols = _effect_cols(gfit.gap_slope is not None) + _effect_cols(gfit.gap_slope is not None, k)
    post = np.flatnonzero(x[:, POST] > 0)
    x1, x0 = x[post], x[post].copy()
    x0[:, cols] = 0
    most = (post >= n).astype(float)
    w = (most - (1 - most)) / most.sum()
    g, gg = _mean_and_gradient(res, family, x1, w)
    g0, gg0 = _mean_and_gradient(res, family, x0, w)
    change, grad_change = g - g0, gg - gg0  # most minus least: the raw (unoriented) change
    pre = np.flatnonzero(x[:n, POST] == 0)
    wb = np.full(len(pre), 1 / len(pre))
    m, gm = _mean_and_gradient(res, family, x[n + pre], wb)
    le, gl = _mean_and_gradient(res, family, x[pre], wb)
    base, grad_base = m - le, gm - gl
    # Raw gap = most - least. Oriented, the change is sign x change and the baseline gap is
    # -sign x base; "narrowed" is their ratio with the sign flipped: -change / base.
    r = -change / base
    grad = -(grad_change / base - change * grad_base / base**2)
    se = float(np.sqrt(max(float(grad @ np.asarray(res.cov_params()) @ grad), 0.0)))
    return (100 * r, 100 * (r - _Z * se), 100 * (r + _Z * se))


def _series_rows(
    name: str,
    published: Published,
    months: Sequence[str],
    phases: Sequence[str],
    lines: Mapping[str, np.ndarray] | None,
) -> pd.DataFrame:
    f = published.frame.reindex(list(months))
    out = pd.DataFrame(
        {
            "series": name,
            "dimension": published.dimension,
            "group": published.group,
            "month": list(months),
            "phase": list(phases),
            "numerator": f["numerator"].to_numpy(float),
            "denominator": f["denominator"].to_numpy(float),
            "observed": f["value"].where(~f["missing"].astype(bool)).to_numpy(float),
            "missing": f["missing"].astype(bool).to_numpy(),
        }
    )
    for col in ("fitted", "expected", "expected_lower", "expected_upper"):
        out[col] = lines[col] if lines is not None else np.nan
    return out


def _design(fit: ItsFit | GapFit, first_month: int, fourier_pairs: int) -> np.ndarray:
    """The design for every month, pre to post, transition months included (their rows equal
    those of the pre-period trend: ``post`` and ``tsince`` are zero there)."""
    x = its_design(
        fit.n_pre + fit.n_transition,
        fit.n_post,
        fourier_pairs=fourier_pairs,
        first_month=first_month,
        coding=fit.coding,
    )
    slope = (fit.slope is not None) if isinstance(fit, ItsFit) else (fit.gap_slope is not None)
    return x if slope else np.delete(x, TSINCE, axis=1)


def its_card_tables(
    plan: Plan,
    table: pd.DataFrame,
    *,
    months: Sequence[str],
    n_pre: int,
    n_transition: int,
    fits: tuple[ItsFit | None, GapFit | None],
    groups: tuple[tuple[str, str], tuple[str, str], tuple[str, str]],
    multiplier: float,
    units: str,
) -> CardTables:
    """The card's tables for a single-group ITS (module docstring).

    Parameters
    ----------
    plan
        The Study plan.
    table
        The published levels of the plan's indicator (``monitor/levels.parquet`` rows).
    months
        Every month from the start of the pre window to the end of the post window.
    n_pre, n_transition
        Months in the pre window and left out between pre and post.
    fits
        The unit's fit and the gap model; None when a series was not fitted (suppressed months).
    groups
        ``(dimension, group)`` of the unit, the most and the least deprived group.
    multiplier
        Published value per unit of the model's mean (100 for a percentage; 1 for gaussian).
    units
        ``"pp"`` or ``"indicator units"``.

    Returns
    -------
    CardTables
    """
    fit, gap_fit = fits
    unit, most, least = (
        Published(d, g, published_series(table, d, g, list(months))) for d, g in groups
    )
    phases = ["pre"] * n_pre + ["transition"] * n_transition
    phases += ["post"] * (len(months) - len(phases))
    first_month, pairs = int(months[0][5:]), plan.model.fourier_pairs
    rows: list[pd.DataFrame] = []
    lines = None
    if fit is not None:
        x = _design(fit, first_month, pairs)
        lines = _lines(fit.result, fit.family, x, _effect_cols(fit.slope is not None), multiplier)
    rows.append(_series_rows("overall", unit, months, phases, lines))
    gap_lines: dict[str, Mapping[str, np.ndarray] | None] = {"most": None, "least": None}
    if gap_fit is not None:
        base = _design(gap_fit, first_month, pairs)
        n_group = 4 if gap_fit.gap_slope is not None else 3
        k = base.shape[1]
        cols = _effect_cols(gap_fit.gap_slope is not None)
        cols += _effect_cols(gap_fit.gap_slope is not None, k)
        for name, extra in (("least", np.zeros((len(base), n_group))), ("most", base[:, :n_group])):
            gx = np.hstack([base, extra])
            gap_lines[name] = _lines(gap_fit.result, gap_fit.family, gx, cols, multiplier)
    rows.append(_series_rows("most", most, months, phases, gap_lines["most"]))
    rows.append(_series_rows("least", least, months, phases, gap_lines["least"]))
    series = pd.DataFrame(pd.concat(rows, ignore_index=True), columns=SERIES_COLUMNS)

    relative = []
    if fit is not None:
        x = np.asarray(fit.result.model.exog, dtype=float)
        post = x[x[:, POST] > 0]
        x0 = post.copy()
        x0[:, _effect_cols(fit.slope is not None)] = 0
        w = np.full(len(post), 1 / len(post))
        r = _ratio(fit.result, fit.family, (post, w), (x0, w))
        if plan.outcome.better == "lower":  # oriented as the overall row: positive = better
            r = (-r[0], -r[2], -r[1])
        relative.append(("overall", unit.group, *r))
    if gap_fit is not None:
        x = np.asarray(gap_fit.result.model.exog, dtype=float)
        n = x.shape[0] // 2
        k = x.shape[1] - (4 if gap_fit.gap_slope is not None else 3)
        cols = _effect_cols(gap_fit.gap_slope is not None)
        cols += _effect_cols(gap_fit.gap_slope is not None, k)
        for name, group in (("most", most.group), ("least", least.group)):
            idx = np.flatnonzero(x[:, POST] > 0)
            idx = idx[idx >= n] if name == "most" else idx[idx < n]
            x1, x0 = x[idx], x[idx].copy()
            x0[:, cols] = 0
            w = np.full(len(idx), 1 / len(idx))
            relative.append(
                ("group", group, *_ratio(gap_fit.result, gap_fit.family, (x1, w), (x0, w)))
            )
        relative.append(("gap", f"{most.group} vs {least.group}", *_gap_relative(gap_fit)))
    rel = pd.DataFrame(
        relative, columns=["estimand", "group", "relative", "relative_lower", "relative_upper"]
    )
    checks = its_checks(plan, fit, gap_fit, series, n_pre, units, multiplier)
    return CardTables(series, rel, checks)


SERIES_FILE, CHECKS_FILE = "series.parquet", "checks.parquet"
#: The files :func:`write_card` adds to a Study results folder.
CARD_FILES = (SERIES_FILE, CHECKS_FILE, CARD_FILE)


def write_card(
    folder: Path, tables: CardTables, *, manifest: Mapping[str, Any], title: str
) -> dict[str, int]:
    """Write the card's tables and ``card.html`` into ``folder``; the tables' rows by file."""
    write_parquet(tables.series, folder / SERIES_FILE)
    write_parquet(tables.checks, folder / CHECKS_FILE)
    write_study_card(folder, manifest=manifest, title=title)
    return {SERIES_FILE: len(tables.series), CHECKS_FILE: len(tables.checks)}
