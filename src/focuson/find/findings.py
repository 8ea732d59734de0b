"""Find: from aggregates to ranked findings of inequality.

:func:`find` runs the whole statistical part of Find on the AGGREGATES frame the engine produced:
estimates with confidence intervals (:mod:`~focuson.find.estimates`), the comparison of every
group with its reference and Benjamini-Hochberg q-values across the run
(:mod:`~focuson.find.compare`), people affected and gaps to standard and target
(:mod:`~focuson.find.excess`), summary measures (:mod:`~focuson.find.gradients`) and disclosure
control (:mod:`~focuson.find.disclosure`). :func:`top_findings` gives "the 10 biggest gaps".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from focuson.find.compare import TESTS, compare, direction, qvalues, reference_estimates
from focuson.find.disclosure import blank_findings, suppression
from focuson.find.estimates import KEYS, check_aggregates, estimate
from focuson.find.excess import excess, gap, people_to_level
from focuson.find.gradients import (
    SEED,
    blank_gradients,
    empty_gradients,
    non_ordered_gradients,
    ordered_gradients,
)
from focuson.find.publish import published_aggregates, totals
from focuson.stats import NHS_RULE, DisclosureRule

#: Columns of the findings frame, in order.
FINDING_COLUMNS: list[str] = [
    *KEYS,
    "reference_group",
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
    "significant",
    "direction",
    "excess",
    "gap_to_standard",
    "gap_to_target",
    "people_to_standard",
    "suppressed",
    "statistic",
    "test",
    "reason",
]
POLARITIES = ("higher_is_better", "lower_is_better")


@dataclass(frozen=True)
class FindResult:
    """What :func:`find` returns.

    Attributes
    ----------
    findings
        One row per indicator x period x dimension x group: :data:`FINDING_COLUMNS`, after
        disclosure control.
    gradients
        One row per indicator x period x dimension x measure (``sii``, ``rii`` for IMD deciles;
        ``bgv``, ``idisw`` for ethnicity_6 and borough): value, limits, method, intercept, reason.
    """

    findings: pd.DataFrame
    gradients: pd.DataFrame


def find(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    alpha: float = 0.05,
    reference: Mapping[str, str] | None = None,
    national_imd: ArrayLike | None = None,
    confidence: float = 0.95,
    rule: DisclosureRule = NHS_RULE,
    sii_repetitions: int = 1000,
    seed: int = SEED,
) -> FindResult:
    """Compare every group with its reference, rank what matters, and protect the counts.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame (``find_common.md``).
    indicators
        The INDICATORS frame: ``id``, ``statistic``, ``multiplier``, ``polarity``, ``standard``,
        ``target`` (``title`` and ``unit`` are not needed here).
    alpha
        False discovery rate: a difference is significant when its q-value is below it.
    reference
        Dimension to reference group (a label, or ``"rest"`` for everyone else in the
        population), over the defaults: least deprived for IMD, everyone else otherwise.
    national_imd
        England's population by IMD decile (decile 1 first) for the SII ranks; equal tenths by
        default.
    confidence
        Confidence level of the intervals.
    rule
        Disclosure rule applied before the findings are returned.
    sii_repetitions
        Simulated slopes per SII interval.
    seed
        Seed of every simulation (SII and IDISW intervals), so a run is reproducible.

    Returns
    -------
    FindResult
        Findings (sorted by indicator, period, dimension, group) and gradients.

    Raises
    ------
    ValueError
        A malformed frame, an unknown indicator, statistic or polarity, or ``alpha`` outside
        (0, 1).

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["rtt"], "statistic": ["proportion"], "multiplier": [100.0],
    ...     "polarity": ["higher_is_better"], "standard": [92.0], "target": [np.nan]})
    >>> agg = pd.DataFrame({"indicator": "rtt", "period": "2024-03", "band": -1,
    ...     "dimension": ["overall", "imd_quintile", "imd_quintile"], "group": ["All", "1", "5"],
    ...     "numerator": [1150.0, 500.0, 650.0], "denominator": [2000.0, 1000.0, 1000.0]})
    >>> res = find(agg, ind)
    >>> cols = ["group", "difference", "direction", "excess", "gap_to_standard"]
    >>> res.findings.loc[res.findings["group"] == "1", cols].values.tolist()
    [['1', -15.0, 'worse', 150.0, 42.0]]
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: must lie between 0 and 1, got {alpha}")
    check_aggregates(aggregates, indicators)
    for column in ("polarity", "standard", "target"):
        if column not in indicators.columns:
            raise ValueError(f"indicators: missing column {column}")
    bad = sorted(set(indicators["polarity"]) - set(POLARITIES))
    if bad:
        raise ValueError(
            f"indicators: unknown polarity {', '.join(map(str, bad))}; expected "
            f"{' or '.join(POLARITIES)}"
        )
    ind = indicators.set_index("id")

    # Disclosure control first: the pattern from the true counts, then every statistic from the
    # published counts only (focuson.find.publish), so that none gives a count away.
    tot = totals(aggregates)
    tot["statistic"] = tot["indicator"].map(ind["statistic"]).to_numpy()
    hidden = suppression(tot, rule=rule)
    published = published_aggregates(aggregates, hidden, rule=rule)
    hidden_keys = pd.MultiIndex.from_frame(tot.loc[hidden, KEYS])
    est = estimate(published, indicators, confidence=confidence)
    est_hidden = pd.MultiIndex.from_frame(est[KEYS]).isin(hidden_keys)
    for column in ("value", "lower", "upper", "se", "sd"):
        est.loc[est_hidden, column] = np.nan
    est.loc[est_hidden, "reason"] = "suppressed (disclosure control)"
    # Everyone else is the overall minus the group: no reference where the overall is hidden.
    hidden_overall = (published["dimension"] == "overall").to_numpy() & pd.MultiIndex.from_frame(
        published[KEYS]
    ).isin(hidden_keys)
    ref = reference_estimates(
        published.loc[~hidden_overall], indicators, reference=reference, confidence=confidence
    )
    ref = ref.rename(
        columns={
            "numerator": "ref_numerator",
            "denominator": "ref_denominator",
            "value": "reference_value",
            "se": "ref_se",
            "sd": "ref_sd",
        }
    )
    f = est.merge(ref, on=KEYS, how="left")
    hib = (f["indicator"].map(ind["polarity"]) == "higher_is_better").to_numpy()
    difference, ratio, p = compare(
        f["statistic"],
        f["value"],
        f["se"],
        f["numerator"],
        f["denominator"],
        f["sd"],
        f["reference_value"],
        f["ref_se"],
        f["ref_numerator"],
        f["ref_denominator"],
        f["ref_sd"],
    )
    own_reference = (f["group"] == f["reference_group"]).to_numpy()
    p = np.where(own_reference, np.nan, p)
    difference = np.where(own_reference, 0.0, difference)
    ratio = np.where(own_reference, 1.0, ratio)
    q = qvalues(p)
    tested = ~np.isnan(q)
    significant = tested & (q < alpha)
    value = f["value"].to_numpy(np.float64)
    mult = f["multiplier"].to_numpy(np.float64)
    denominator = f["denominator"].to_numpy(np.float64)
    stat = f["statistic"].to_numpy()
    standard = f["indicator"].map(ind["standard"]).to_numpy(np.float64)
    target = f["indicator"].map(ind["target"]).to_numpy(np.float64)
    people_std = people_to_level(value, standard, denominator, mult, hib)
    f = f.assign(
        difference=difference,
        ratio=ratio,
        p_value=p,
        q_value=q,
        significant=significant,
        direction=direction(difference, significant, tested, hib),
        excess=excess(value, f["reference_value"], denominator, mult, hib, stat),
        gap_to_standard=gap(value, standard, hib),
        gap_to_target=gap(value, target, hib),
        people_to_standard=np.where(stat == "mean", np.nan, people_std),
        test=pd.Series(stat).map(TESTS).where(tested, None).to_numpy(),
    )
    f.loc[~tested, "excess"] = np.nan
    f = f.sort_values(KEYS, kind="stable").reset_index(drop=True)
    f = blank_findings(f, pd.MultiIndex.from_frame(f[KEYS]).isin(hidden_keys), rule=rule)

    scale = ind["multiplier"].where(ind["statistic"] != "mean")
    parts = [
        ordered_gradients(est, national_imd=national_imd, repetitions=sii_repetitions, seed=seed),
        non_ordered_gradients(est, scale, seed=seed),
    ]
    parts = [g for g in parts if len(g)]
    grad = pd.concat(parts, ignore_index=True) if parts else empty_gradients()
    grad = blank_gradients(grad, est, est_hidden)
    grad = grad.sort_values(["indicator", "period", "dimension"], kind="stable")
    f = f[FINDING_COLUMNS].reset_index(drop=True)
    for column in ("reference_group", "direction", "test"):
        # One missing marker (None) in text columns, as Parquet gives it back.
        f[column] = f[column].astype(object).where(f[column].notna(), None)
    return FindResult(
        findings=f,
        gradients=grad.reset_index(drop=True),
    )


def top_findings(
    findings: pd.DataFrame, n: int = 10, *, period: str | None = "latest"
) -> pd.DataFrame:
    """The biggest gaps: significant, worse, not suppressed, each gap once, by people affected.

    Each indicator x breakdown x group is ranked once (one gap is not listed month after month),
    with how it has moved since the earliest month beside it (:func:`gap_change`). The terminal
    and the Find report both show this list.

    Parameters
    ----------
    findings
        The findings frame of :func:`find` (every period: the earliest month is compared).
    n
        How many to return.
    period
        ``"latest"`` (the default): each indicator's latest period; one period label, e.g.
        ``"2024-03"``; or ``None``: each gap in the latest period in which it was significantly
        worse.

    Returns
    -------
    pandas.DataFrame
        Up to ``n`` rows, largest ``excess`` first (ties: smaller q-value, then the keys), with
        a ``rank`` column from 1 and :func:`gap_change`'s ``first_period``,
        ``first_difference`` and ``change``; a group two breakdowns share is listed once
        (:func:`once_per_group`).

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "dimension": "sex",
    ...     "group": ["F", "M", "X"], "significant": [True, True, False],
    ...     "direction": ["worse", "worse", "worse"], "suppressed": False,
    ...     "excess": [10.0, 50.0, 99.0], "q_value": [0.01, 0.02, 0.3]})
    >>> top_findings(f)[["group", "rank"]].values.tolist()
    [['M', 1], ['F', 2]]
    """
    # a missing suppressed column: frames from before disclosure control, all published
    published = findings["suppressed"].eq(False) if "suppressed" in findings else True
    keep = (
        findings["significant"].eq(True)
        & (findings["direction"] == "worse")
        & published
        & np.isfinite(pd.to_numeric(findings["excess"], errors="coerce").astype(np.float64))
    )
    rows = findings.loc[keep]
    if period == "latest":
        latest = findings.groupby("indicator")["period"].max()
        rows = rows.loc[rows["period"] == rows["indicator"].map(latest)]
    elif period is not None:
        rows = rows.loc[rows["period"] == period]
    else:  # each gap once: its latest significant month
        rows = rows.sort_values("period", ascending=False, kind="stable")
        rows = rows.drop_duplicates(["indicator", "dimension", "group"])
    order = [c for c in ["excess", "q_value", *KEYS] if c in rows.columns]
    rows = rows.sort_values(
        order,
        ascending=[c != "excess" for c in order],
        kind="stable",
        na_position="last",
    )
    rows = once_per_group(rows).head(n)
    rows = rows.assign(rank=np.arange(1, len(rows) + 1)).reset_index(drop=True)
    return pd.concat([rows, gap_change(rows, findings)], axis=1)


def gap_change(rows: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """How each gap of ``rows`` moved since its group's earliest published month.

    The gap (``difference``) now is compared with the same group's in the earliest month of
    ``findings`` in which it was published: ``wider`` or ``narrower`` when it moved by more than
    half the width of today's 95% confidence interval, else ``about the same``.

    Returns
    -------
    pandas.DataFrame
        ``first_period``, ``first_difference`` and ``change`` (words, e.g. ``"wider than in
        2023-04"``; empty when there is no earlier month), aligned with ``rows``.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "a", "dimension": "sex", "group": "M",
    ...     "period": ["2023-04", "2024-03"], "difference": [-2.0, -9.0],
    ...     "lower": [40.0, 38.0], "upper": [44.0, 42.0], "suppressed": False})
    >>> gap_change(f.iloc[[1]].reset_index(drop=True), f)["change"].tolist()
    ['wider than in 2023-04']
    """
    keys = ["indicator", "dimension", "group"]
    needed = {*keys, "period", "difference", "lower", "upper"}
    if not needed <= set(findings.columns) or not needed <= set(rows.columns):
        blank = pd.Series([None] * len(rows), dtype=object, index=rows.index)
        return pd.DataFrame(
            {"first_period": blank, "first_difference": np.nan, "change": ""}, index=rows.index
        )
    shown = findings["suppressed"].eq(False) if "suppressed" in findings else True
    published = findings.loc[
        shown
        & np.isfinite(pd.to_numeric(findings["difference"], errors="coerce").astype(np.float64))
    ]
    first = (
        published.sort_values("period", kind="stable")
        .drop_duplicates(keys)[[*keys, "period", "difference"]]
        .rename(columns={"period": "first_period", "difference": "first_difference"})
    )
    got = rows[keys].merge(first, on=keys, how="left")
    now = rows["difference"].to_numpy(np.float64)
    then = got["first_difference"].to_numpy(np.float64)
    half = (rows["upper"].to_numpy(np.float64) - rows["lower"].to_numpy(np.float64)) / 2
    # the gap's size on today's side of no gap: negative when it was on the other side then
    moved = np.abs(now) - then * np.sign(now)
    earlier = (got["first_period"].astype(object) < rows["period"].astype(object)).to_numpy()
    word = np.select(
        [moved > half, moved < -half, np.isfinite(moved)],
        ["wider than in ", "narrower than in ", "about the same as in "],
        "",
    ).astype(object)
    change = np.where(earlier & (word != ""), word + got["first_period"].astype(str), "")
    return pd.DataFrame(
        {
            "first_period": got["first_period"].where(earlier, None).to_numpy(),
            "first_difference": np.where(earlier, then, np.nan),
            "change": change.astype(object),
        }
    )


def once_per_group(ranked: pd.DataFrame) -> pd.DataFrame:
    """Ranked findings with each group listed once where two breakdowns hold the same people.

    "Black" in the 5 ethnic groups and in the 6 has the same people and counts (the sixth
    group, not stated, is a group of its own): a top-10 list would show the same gap twice.
    Rows with the same indicator, period, group label, numerator and denominator as an
    earlier row are dropped.

    >>> f = pd.DataFrame({"indicator": "a", "period": "p", "group": ["Black", "Black", "2"],
    ...     "dimension": ["ethnicity_5", "ethnicity_6", "imd_decile"],
    ...     "numerator": [40.0, 40.0, 40.0], "denominator": [100.0, 100.0, 100.0]})
    >>> once_per_group(f)["dimension"].tolist()
    ['ethnicity_5', 'imd_decile']
    """
    same = ["indicator", "period", "group", "numerator", "denominator"]
    if not set(same) <= set(ranked.columns):
        return ranked  # without the counts, the same label may be different people
    return ranked.loc[~ranked.duplicated(subset=same, keep="first")]
