"""The checks panel of the Study card (evaluation.md sections 5 and 8), for a single-group ITS.

Each check has a status (:data:`STATUSES`) and a plain sentence: the trend before the change,
autocorrelation left (Ljung-Box), seasonality, placebo, suppressed months and small numbers, and
the number of comparisons. Other designs add their own (parallel trends, placebo in space).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2

from focuson.labels import group_label
from focuson.study.its import ItsFit, contrast
from focuson.study.its_gap import GapFit
from focuson.study.plan import Plan

#: The check statuses, best first; the card shows each as a word and a colour.
STATUSES = ("pass", "warning", "fail", "not applicable")
#: Events per month under which a group's numbers are called small (evaluation.md section 8).
SMALL_EVENTS = 20


def _check(check: str, status: str, sentence: str, value: float = np.nan) -> dict[str, Any]:
    return {"check": check, "status": status, "sentence": sentence, "value": value}


def _missing_months(frame: pd.DataFrame) -> str:
    """The missing months, by year: "Apr, May 2023; Feb 2024"."""
    periods = [pd.Period(str(m), freq="M") for m in frame.loc[frame["missing"], "month"]]
    years: dict[int, list[str]] = {}
    for p in periods:
        years.setdefault(p.year, []).append(p.strftime("%b"))
    return "; ".join(f"{', '.join(names)} {year}" for year, names in years.items())


def _pre_trend(fit: ItsFit, n_pre: int, units: str, multiplier: float) -> dict[str, Any]:
    x = np.asarray(fit.result.model.exog, dtype=float)
    first = x[:1].copy()
    last = first.copy()
    last[0, 1] += n_pre - 1  # same season, n_pre - 1 months later: the trend alone
    e = contrast("trend", fit.result, fit.family, last, first, np.array([1 / (n_pre - 1)]))
    shown = " pp" if units == "pp" else ""
    words = (
        f"Before the change the outcome moved by {e.estimate * multiplier:+.2f}{shown} a month "
        f"({e.lower * multiplier:.2f} to {e.upper * multiplier:.2f}); the expected line carries "
        f"that trend on. {n_pre} months before the change"
    )
    if n_pre >= 24:
        return _check("pre_trend", "pass", words + ".", e.estimate * multiplier)
    if n_pre >= 12:
        return _check(
            "pre_trend",
            "warning",
            words + ": fewer than 24, so the trend (and the expected line) is less sure.",
            e.estimate * multiplier,
        )
    return _check(
        "pre_trend",
        "fail",
        words + ": fewer than 12, too few to tell a trend from an effect.",
        e.estimate * multiplier,
    )


def _seasonality(fit: ItsFit | None, pairs: int, n_pre: int) -> dict[str, Any]:
    if pairs == 0:
        why = (
            f" ({n_pre} months before the change cannot separate a season from an effect)"
            if n_pre < 24
            else ""
        )
        return _check(
            "seasonality",
            "warning",
            f"Not modelled: the plan has no seasonal terms{why}. A winter dip or a school-term "
            "pattern could be read as an effect.",
        )
    p = np.nan
    if fit is not None:
        res = fit.result
        cols = list(
            range(
                np.asarray(res.model.exog).shape[1] - 2 * pairs, np.asarray(res.model.exog).shape[1]
            )
        )
        b = np.asarray(res.params, dtype=float)[cols]
        v = np.asarray(res.cov_params(), dtype=float)[np.ix_(cols, cols)]
        p = float(chi2.sf(float(b @ np.linalg.solve(v, b)), len(cols)))
    return _check(
        "seasonality",
        "pass",
        f"Modelled with {pairs} sine-cosine pair{'s' if pairs > 1 else ''} (period 12 months)"
        + (f"; together they matter with p = {p:.2g}." if np.isfinite(p) else "."),
        p,
    )


def its_checks(
    plan: Plan,
    fit: ItsFit | None,
    gap_fit: GapFit | None,
    series: pd.DataFrame,
    n_pre: int,
    units: str,
    multiplier: float,
) -> pd.DataFrame:
    """The checks of a single-group ITS: columns ``check``, ``status``, ``sentence``, ``value``.

    ``series`` is the card's series table (:func:`focuson.runs.study_tables.its_card_tables`);
    ``value`` holds the number a check rests on (a slope, a p-value, a count), NaN if none.
    """
    rows = []
    if fit is not None:
        rows.append(_pre_trend(fit, n_pre, units, multiplier))
    else:
        rows.append(
            _check("pre_trend", "not applicable", "Not checked: the series was not fitted.")
        )
    lb = [("overall", fit.ljung_box_p, fit.ljung_box_lags)] if fit is not None else []
    if gap_fit is not None:
        lb.append(("gap", gap_fit.ljung_box_p, gap_fit.ljung_box_lags))
    if lb:
        worst = min(p for _, p, _ in lb)
        words = "; ".join(
            f"{'the outcome' if n == 'overall' else 'the gap'} p = {p:.2g} at {lags} lags"
            for n, p, lags in lb
        )
        status = "warning" if worst < 0.05 else "pass"
        tail = (
            ": autocorrelation is left in the residuals, so the intervals may be too narrow."
            if worst < 0.05
            else ": no clear autocorrelation left (in short series Newey-West intervals are "
            "still optimistic; docs/study.md)."
        )
        rows.append(_check("autocorrelation", status, f"Ljung-Box test: {words}{tail}", worst))
    else:
        rows.append(_check("autocorrelation", "not applicable", "Not checked: nothing was fitted."))
    rows.append(_seasonality(fit, plan.model.fourier_pairs, n_pre))
    rows.append(
        _check(
            "placebo",
            "not applicable",
            "A single-group interrupted time series has no comparison units for a placebo test; "
            "a placebo outcome or an earlier false start date would be the check.",
        )
    )
    gone = [
        f"{group_label(f['dimension'].iloc[0], f['group'].iloc[0])}: {_missing_months(f)}"
        for _, f in series.groupby("series", sort=False)
        if f["missing"].any()
    ]
    numerators = series.loc[~series["missing"] & (series["phase"] != "transition"), "numerator"]
    small = int((numerators < SMALL_EVENTS).sum())
    if gone:
        sentence = "Suppressed or unpublished months (missing points, never filled in): "
        sentence += "; ".join(gone) + "."
        rows.append(_check("suppression", "warning", sentence, float(series["missing"].sum())))
    elif small:
        rows.append(
            _check(
                "suppression",
                "warning",
                f"No month suppressed, but {small} group-months count fewer than {SMALL_EVENTS} "
                "events: their values move a lot by chance.",
                0.0,
            )
        )
    else:
        rows.append(_check("suppression", "pass", "No month suppressed in the windows.", 0.0))
    rows.append(
        _check(
            "comparisons",
            "pass",
            "Two pre-declared comparisons: one primary outcome and one gap, both in the frozen "
            "plan; no exploratory outcomes.",
            2.0,
        )
    )
    return pd.DataFrame(rows, columns=["check", "status", "sentence", "value"])
