"""Alerts: new, widening and closing inequalities, and the ones an improving average hides.

=====================  ======================================================================
kind                   raised when
=====================  ======================================================================
``new_inequality``     a group is significantly worse than its reference in the latest month
                       (Find's test, Benjamini-Hochberg across the month's groups) and was not
                       significantly worse in any earlier month of the history
``widens``             the latest point of a gap series is special cause (outside the limits, a
                       trend, two in three or a shift) and the two groups moved apart: the group
                       at risk fell (further) behind its reference, or pulled further ahead
``closes``             the latest point of a gap series is special cause and the two groups came
                       closer
``reverses``           the group at risk overtook its reference and is now further ahead than
                       it used to be behind (the gap did not close, it changed sides)
``hidden_by_average``  the overall level's latest point is special-cause improvement while a
                       gap of the same indicator widens against its group at risk
=====================  ======================================================================

Judging the latest point (the variation icon of Making Data Count) means an alert is about the
state now; ``since`` is the first month of the unbroken run of that point type. Whether a gap
moved for or against its group at risk (the colour of its chart) follows one rule,
:func:`focuson.monitor.spc.gap_improvement`; a gap's sentence says who is worse, by how much, in
the indicator's units, and which way the gap has moved.

``people`` is the published (disclosure-rounded) number of people in the group concerned in the
latest month: the group's denominator, quintile 1 for quintile gaps, decile 1 for the SII and
RII. Sentences give the people affected as Find does (:func:`affected_words`): "affects about N
more people (of M in the group)", N being Find's ``excess`` of that group in that month (how many
more missed the measure than would have at the reference group's rate), so Find's report and the
alerts print the same number. Alerts are ordered by ``people``.

An alert about fewer than ``min_people`` published people (10 by default, after disclosure
rounding; a suppressed count counts as fewer) is not raised: a tiny group's gap swings from month
to month and would alert on noise. Every input is disclosure-controlled (the level series went
through Find's disclosure control; a gap is blank where any of its cells is suppressed), so no
alert carries an unsuppressed number.

``chart`` links each alert to its chart in the monitoring report (``monitor.html#<anchor>``, see
:func:`chart_anchor`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from focuson.labels import group_labels

#: Columns of the alerts frame.
ALERT_COLUMNS: list[str] = [
    "kind",
    "indicator",
    "about",
    "group",
    "period",
    "since",
    "people",
    "value",
    "baseline",
    "sentence",
    "chart",
]
#: The monitoring report the ``chart`` links point into.
REPORT_FILE = "monitor.html"
#: Fewest published people an alert may be about.
MIN_PEOPLE = 10.0
KINDS: tuple[str, ...] = ("widens", "reverses", "hidden_by_average", "new_inequality", "closes")
MEASURE_WORDS: dict[str, str] = {
    "sii": "slope index of inequality across deprivation deciles",
    "rii": "relative index of inequality across deprivation deciles",
    "q1_q5_difference": "difference between the most and least deprived fifths",
    "q1_q5_ratio": "ratio of the most to the least deprived fifth",
    "ethnicity_difference": "difference from everyone else",
}
RULE_WORDS: dict[str, str] = {
    "outside_limits": "a point outside the process limits",
    "trend": "a run of rising or falling points",
    "two_in_three": "two of three points near the limit",
    "shift": "a run of points on one side of the average",
}


def _num(values: pd.Series, digits: int = 1) -> pd.Series:
    return values.astype(np.float64).round(digits).map(lambda v: f"{v:,.{digits}f}")


def chart_anchor(indicator: str, about: str, group: str) -> str:
    """The ``id`` of a series' chart in the monitoring report.

    ``about`` is the dimension of a level series or the measure of a gap series.

    >>> chart_anchor("rtt_18w", "ethnicity_difference", "Not stated / known")
    'monitor-rtt-18w-ethnicity-difference-not-stated-known'
    """
    joined = f"{indicator}-{about}-{group}".lower()
    return "monitor-" + re.sub(r"[^a-z0-9]+", "-", joined).strip("-")


def _slug(*parts: pd.Series) -> pd.Series:
    """``monitor.html#`` + :func:`chart_anchor`, vectorised."""
    joined = parts[0].astype(str)
    for p in parts[1:]:
        joined = joined + "-" + p.astype(str)
    anchor = joined.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return REPORT_FILE + "#monitor-" + anchor


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})


#: How a group of a breakdown is named in a sentence (IMD: 1 = most deprived).
_PREFIX = {
    "imd_decile": "IMD decile ",
    "imd_quintile": "IMD quintile ",
    "age_band_5y": "people aged ",
    "age_band_broad": "people aged ",
}
_SEX = {"F": "females", "M": "males", "U": "people whose sex was not known"}
_EXTREMES = {"imd_decile": ("1", "10"), "imd_quintile": ("1", "5")}
_REST = re.compile(r"^(?:rest|all|everyone)$|except|excluding|everyone else|other than", re.I)


def group_words(dimension: pd.Series, group: pd.Series) -> pd.Series:
    """Groups named for a sentence: ``IMD quintile 1 (most deprived)``, ``females``, ``Brent``.

    >>> group_words(pd.Series(["imd_quintile", "imd_decile", "sex", "borough"]),
    ...             pd.Series(["1", "10", "F", "Brent"])).tolist()
    ['IMD quintile 1 (most deprived)', 'IMD decile 10 (least deprived)', 'females', 'Brent']
    >>> group_words(pd.Series(["imd_quintile x ethnicity_6", "ethnicity_code"]),
    ...             pd.Series(["1 | Black", "N"])).tolist()
    ['most deprived fifth, Black', 'Black: African']
    """
    dimension = dimension.astype(str).reset_index(drop=True)
    group = group.astype(str).reset_index(drop=True)
    named = group.where(dimension != "sex", group.map(_SEX).fillna(group))
    words = dimension.map(_PREFIX).fillna("") + named
    # Intersections and NHS ethnic category codes: labelled part by part (focuson.labels).
    coded = dimension.str.contains(" x ", regex=False) | (dimension == "ethnicity_code")
    words = words.mask(coded, group_labels(dimension, group, mid_sentence=True).astype(object))
    most = dimension.map({d: e[0] for d, e in _EXTREMES.items()})
    least = dimension.map({d: e[1] for d, e in _EXTREMES.items()})
    words = words.mask(group == most, words + " (most deprived)")
    return words.mask(group == least, words + " (least deprived)")


def new_inequalities(levels: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Groups significantly worse in the latest month and in no earlier month.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "title": ["Uptake"], "unit": ["%"]})
    >>> lv = pd.DataFrame({"indicator": "a", "dimension": "sex", "group": "M",
    ...     "reference_group": "rest", "period": ["2024-01", "2024-02"], "value": [50.0, 40.0],
    ...     "reference_value": [50.0, 52.0], "denominator": [100.0, 120.0],
    ...     "significant": [False, True], "direction": [None, "worse"], "suppressed": False})
    >>> new_inequalities(lv, ind)["sentence"].tolist()[0][:71]
    'Uptake: significantly worse for males than for everyone else in 2024-02'
    """
    if levels.empty:
        return _empty()
    lv = levels.loc[levels["dimension"] != "overall"]
    worse = lv["significant"].astype(bool) & (lv["direction"] == "worse") & ~lv["suppressed"]
    latest = lv.groupby("indicator")["period"].transform("max")
    first = lv.groupby("indicator")["period"].transform("min")
    at_latest = (lv["period"] == latest).to_numpy()
    keys = ["indicator", "dimension", "group"]
    earlier = lv.loc[~at_latest & worse.to_numpy(), keys].drop_duplicates()
    now = lv.loc[at_latest & worse.to_numpy() & (first != latest).to_numpy()]
    now = now.merge(earlier.assign(_before=True), on=keys, how="left")
    now = now.loc[now["_before"].isna()]
    if now.empty:
        return _empty()
    ind = indicators.set_index("id")
    title = now["indicator"].map(ind["title"]).fillna(now["indicator"])
    unit = now["indicator"].map(ind["unit"]).fillna("")
    ref_group = now["reference_group"].fillna("rest").astype(str)
    ref = group_words(now["dimension"], ref_group).set_axis(now.index)
    ref = ref.mask(ref_group.str.contains(_REST), "everyone else")
    first_period = now["indicator"].map(lv.groupby("indicator")["period"].min())
    excess = now["excess"] if "excess" in now else pd.Series(np.nan, index=now.index)
    sentence = (
        title + ": significantly worse for "
        + group_words(now["dimension"], now["group"]).set_axis(now.index)
        + " than for " + ref
        + " in " + now["period"] + " (" + _num(now["value"]) + unit + " against "
        + _num(now["reference_value"]) + unit + "), for the first time since " + first_period
        + "; it " + affected_words(excess, now["denominator"]) + "."
    )  # fmt: skip
    return pd.DataFrame(
        {
            "kind": "new_inequality",
            "indicator": now["indicator"],
            "about": now["dimension"],
            "group": now["group"],
            "period": now["period"],
            "since": now["period"],
            "people": now["denominator"].astype(np.float64),
            "value": now["value"].astype(np.float64),
            "baseline": now["reference_value"].astype(np.float64),
            "sentence": sentence,
            "chart": _slug(now["indicator"], now["dimension"], now["group"]),
        }
    )[ALERT_COLUMNS]


#: The group at risk of each gap measure (the series' group for ethnicity), and its reference.
_AT_RISK: dict[str, tuple[str, str]] = {
    "sii": ("the most deprived end of the deprivation scale", "the least deprived end"),
    "rii": ("the most deprived end of the deprivation scale", "the least deprived end"),
    "q1_q5_difference": ("the most deprived fifth", "the least deprived fifth"),
    "q1_q5_ratio": ("the most deprived fifth", "the least deprived fifth"),
}
#: The level series (dimension, group) holding Find's people affected for a gap's group at risk.
_AT_RISK_LEVEL: dict[str, tuple[str, str]] = {
    "sii": ("imd_decile", "1"),
    "rii": ("imd_decile", "1"),
    "q1_q5_difference": ("imd_quintile", "1"),
    "q1_q5_ratio": ("imd_quintile", "1"),
}
_RATIOS = frozenset({"q1_q5_ratio", "rii"})
_REVERSED = frozenset({"sii", "rii"})  # least minus (or over) most deprived


def _difference_unit(unit: pd.Series) -> pd.Series:
    """Units of a difference: percentage points for percentages, else the unit or "points"."""
    unit = unit.fillna("").astype(str)
    return unit.mask(unit == "%", "percentage points").mask(unit == "", "points")


def _count(values: pd.Series) -> pd.Series:
    """Counts of people as Find's sentences print them (``1,240``)."""
    return values.astype(np.float64).map(lambda v: f"{round(v):,}" if np.isfinite(v) else "")


def affected_words(excess: pd.Series, people: pd.Series) -> pd.Series:
    """Who a sentence concerns: Find's people affected, out of the group's published people.

    ``excess`` is Find's people affected (how many more people missed the measure than would
    have at the reference group's rate; the level series' ``excess``), ``people`` the group's
    published denominator. Find's report prints the same "about N more people".

    >>> affected_words(pd.Series([10.0, np.nan, 0.0]), pd.Series([25.0, 40.0, np.nan])).tolist()
    ['affects about 10 more people (of 25 in the group)', 'concerns 40 people in the group', \
'concerns a small number of people in the group']
    """
    excess = excess.astype(np.float64)
    some = excess.notna() & (excess.round() > 0)
    of = _count(people).where(people.notna(), "a small number")
    more = "affects about " + _count(excess.where(some, 0.0)) + " more people (of " + of
    words = (more + " in the group)").where(some, "concerns " + of + " people in the group")
    return words.str.replace("concerns a small number people", "concerns a small number of people")


def _at_risk_excess(levels: pd.DataFrame | None, frame: pd.DataFrame) -> pd.Series:
    """Find's ``excess`` of each gap alert's group at risk, in the alert's month."""
    if levels is None or levels.empty or "excess" not in levels:
        return pd.Series(np.nan, index=frame.index)
    measure = frame["measure"].astype(str)
    dimension = measure.map({m: d for m, (d, _) in _AT_RISK_LEVEL.items()}).fillna("ethnicity_6")
    group = measure.map({m: g for m, (_, g) in _AT_RISK_LEVEL.items()})
    group = group.fillna(frame["group"].astype(str))
    keys = pd.DataFrame({"indicator": frame["indicator"].to_numpy(),
                         "period": frame["latest_period"].to_numpy(),
                         "dimension": dimension.to_numpy(), "group": group.to_numpy()})  # fmt: skip
    lv = levels[["indicator", "period", "dimension", "group", "excess"]].astype(
        {"group": str, "dimension": str}
    )
    lv = lv.drop_duplicates(["indicator", "period", "dimension", "group"])
    got = keys.merge(lv, on=["indicator", "period", "dimension", "group"], how="left")
    return pd.Series(got["excess"].to_numpy(np.float64), index=frame.index)


def gap_alerts(
    gap_series: pd.DataFrame,
    gaps: pd.DataFrame,
    indicators: pd.DataFrame,
    levels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``widens``, ``closes`` and ``reverses`` alerts from the SPC summary of the gap series.

    The SPC colour says whether the gap moved for or against the group at risk
    (:func:`focuson.monitor.spc.gap_improvement`); the kind says what happened to the
    inequality: ``widens`` when the group at risk is behind and fell further behind (or fell
    behind), or when it is ahead and pulled further ahead; ``closes`` when the two came closer;
    ``reverses`` when the group at risk overtook its reference and is further ahead than it was
    behind. The sentence says who is worse, by how much, in the indicator's units.

    Parameters
    ----------
    gap_series
        Per-series SPC summary (:func:`focuson.monitor.spc.spc_gaps`, second frame).
    gaps
        The gap series (for ``people``).
    indicators
        The INDICATORS frame (``id``, ``title``, ``unit``, ``polarity``).
    levels
        The level series, for Find's people affected (``excess``) of the group at risk.
    """
    kinds = ("special_cause_concern", "special_cause_improvement")
    hit = gap_series.loc[gap_series["latest_point_type"].isin(kinds)]
    if hit.empty:
        return _empty()
    people = gaps[["indicator", "measure", "group", "period", "people", "neutral"]].rename(
        columns={"period": "latest_period"}
    )
    hit = hit.merge(people, on=["indicator", "measure", "group", "latest_period"], how="left")
    ind = indicators.set_index("id")
    measure = hit["measure"].astype(str)
    ratio = measure.isin(list(_RATIOS)).to_numpy()
    reverse = measure.isin(list(_REVERSED)).to_numpy()
    higher = (hit["indicator"].map(ind["polarity"]) != "lower_is_better").to_numpy()
    latest, mean, neutral = (
        hit[c].to_numpy(np.float64) for c in ("latest_value", "mean", "neutral")
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        # The group at risk against its reference: its value minus (or over) the reference's.
        view = np.where(ratio, np.where(reverse, 1.0 / latest, latest), np.where(
            reverse, -(latest - neutral), latest - neutral))  # fmt: skip
        view_mean = np.where(ratio, np.where(reverse, 1.0 / mean, mean), np.where(
            reverse, -(mean - neutral), mean - neutral))  # fmt: skip
        # lead > 0: the group at risk does better than its reference (log scale for ratios)
        lead = np.where(ratio, np.log(view), view) * np.where(higher, 1.0, -1.0)
        lead_mean = np.where(ratio, np.log(view_mean), view_mean) * np.where(higher, 1.0, -1.0)
    against = (hit["latest_point_type"] == "special_cause_concern").to_numpy()
    further = np.abs(lead) > np.abs(lead_mean)
    kind = np.select(
        [
            against & (lead < 0),
            against,
            (lead > 0) & (lead_mean < 0) & further,
            (lead > 0) & (lead_mean >= 0) & further,
        ],
        ["widens", "closes", "reverses", "widens"],
        "closes",
    )
    title = hit["indicator"].map(ind["title"]).fillna(hit["indicator"])
    unit = hit["indicator"].map(ind["unit"]) if "unit" in ind else pd.Series("", index=hit.index)
    dunit = _difference_unit(unit)
    is_eth = (measure == "ethnicity_difference").to_numpy()
    whom = measure.map({m: w for m, (w, _) in _AT_RISK.items()})
    whom = whom.where(~is_eth, "the " + hit["group"].astype(str) + " ethnic group")
    ref = measure.map({m: r for m, (_, r) in _AT_RISK.items()}).fillna("everyone else")

    def gap_words(v: np.ndarray, than: pd.Series | None) -> pd.Series:
        """``8.0 percentage points lower than <than>``, ``0.62 times the rate of <than>``."""
        diff = _num(pd.Series(np.abs(v))) + " " + dunit + np.where(v < 0, " lower", " higher")
        times = _num(pd.Series(v), 2) + " times"
        same = pd.Series(np.where(ratio, "the same rate", "no different"), index=hit.index)
        words = pd.Series(np.where(ratio, times, diff), index=hit.index)
        at_zero = np.where(ratio, np.round(v, 2) == 1.0, np.round(v, 1) == 0.0)
        if than is None:  # the average: "no gap on average"
            return words.mask(at_zero, "no gap")
        words = words.mask(at_zero, same)
        link = np.where(
            at_zero, np.where(ratio, " as ", " from "), np.where(ratio, " the rate of ", " than ")
        )
        return words + link + than

    judged = np.select([lead < 0, lead > 0], ["worse", "better"], "").astype(object)
    better = np.where(higher, "higher is better", "lower is better").astype(object)
    side_words = np.where(judged != "", " (" + judged + " for them: " + better + ")", "")
    side = pd.Series(side_words, index=hit.index).astype(str)
    moved_words = np.where(against, "against them", "in their favour")
    moved = pd.Series(moved_words, index=hit.index).astype(str)
    verb = (
        pd.Series(kind, index=hit.index)
        .map({"widens": "widened", "closes": "narrowed", "reverses": "reversed"})
        .astype(str)
    )
    sentence = (
        title + ", " + hit["latest_period"] + ": " + whom + " was " + gap_words(view, ref) + side
        + ", against " + gap_words(view_mean, None) + " on average"
        + "; the gap has " + verb + " since " + hit["since"] + ", moving " + moved + " ("
        + hit["latest_rule"].map(RULE_WORDS).fillna("special cause") + "). It "
        + affected_words(_at_risk_excess(levels, hit), hit["people"]) + "."
    )  # fmt: skip
    return pd.DataFrame(
        {
            "kind": kind,
            "indicator": hit["indicator"],
            "about": hit["measure"],
            "group": hit["group"],
            "period": hit["latest_period"],
            "since": hit["since"],
            "people": hit["people"].astype(np.float64),
            "value": hit["latest_value"].astype(np.float64),
            "baseline": hit["mean"].astype(np.float64),
            "sentence": sentence,
            "chart": _slug(hit["indicator"], hit["measure"], hit["group"]),
            "_against": against & (lead < 0),
        }
    )[[*ALERT_COLUMNS, "_against"]]


def hidden_by_average(
    level_series: pd.DataFrame,
    widening: pd.DataFrame,
    indicators: pd.DataFrame,
    levels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The overall level improves (special cause) while a gap widens against its group at risk.

    ``widening`` is :func:`gap_alerts`' frame (its ``_against`` column: the group at risk is
    behind and fell further behind); ``levels`` gives Find's people affected.
    """
    if level_series.empty or widening.empty:
        return _empty()
    overall = level_series.loc[
        (level_series["dimension"] == "overall")
        & (level_series["latest_point_type"] == "special_cause_improvement"),
        ["indicator", "since", "latest_value", "mean"],
    ]
    against = widening["_against"] if "_against" in widening else widening["kind"] == "widens"
    w = widening.loc[against.astype(bool) & (widening["kind"] == "widens")]
    if overall.empty or w.empty:
        return _empty()
    w = w.sort_values(["people", "about", "group"], ascending=[False, True, True])
    w = w.drop_duplicates("indicator")
    hit = w.merge(overall, on="indicator", how="inner", suffixes=("", "_overall"))
    if hit.empty:
        return _empty()
    ind = indicators.set_index("id")
    title = hit["indicator"].map(ind["title"]).fillna(hit["indicator"])
    at_risk = hit.rename(columns={"about": "measure", "period": "latest_period"})
    sentence = (
        title + ": the overall level has improved since " + hit["since_overall"] + " ("
        + _num(hit["latest_value"]) + " against an average of " + _num(hit["mean"])
        + ") while the " + hit["about"].map(MEASURE_WORDS) + " has widened since " + hit["since"]
        + ": the average hides a growing inequality. It "
        + affected_words(_at_risk_excess(levels, at_risk), hit["people"]) + "."
    )  # fmt: skip
    return hit.assign(kind="hidden_by_average", sentence=sentence)[ALERT_COLUMNS]


def _enough(found: pd.DataFrame, min_people: float) -> pd.DataFrame:
    """Alerts about at least ``min_people`` published people (all of them when 0)."""
    if min_people <= 0 or found.empty:
        return found
    people = found["people"].astype(np.float64).to_numpy()
    with np.errstate(invalid="ignore"):
        keep = people >= min_people
    return found.loc[keep]


def alerts(
    levels: pd.DataFrame,
    level_series: pd.DataFrame,
    gaps: pd.DataFrame,
    gap_series: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    min_people: float = MIN_PEOPLE,
) -> pd.DataFrame:
    """Every alert of the latest month, ordered by people affected (largest first).

    Parameters
    ----------
    levels
        Level series (:func:`focuson.monitor.series.level_series`).
    level_series
        Per-series SPC summary of the levels (:func:`focuson.monitor.spc.spc_levels`).
    gaps
        Gap series (:func:`focuson.monitor.series.gap_series`).
    gap_series
        Per-series SPC summary of the gaps (:func:`focuson.monitor.spc.spc_gaps`).
    indicators
        The INDICATORS frame (``id``, ``title``, ``unit``).
    min_people
        Fewest published people an alert may concern; alerts about fewer, or about a
        suppressed count, are not raised (0 keeps them all).

    Returns
    -------
    pandas.DataFrame
        :data:`ALERT_COLUMNS`, one plain sentence each.
    """
    g = _enough(gap_alerts(gap_series, gaps, indicators, levels), min_people)
    parts = [
        _enough(new_inequalities(levels, indicators), min_people),
        g.drop(columns="_against", errors="ignore"),
        hidden_by_average(level_series, g, indicators, levels),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    out = pd.concat(parts, ignore_index=True)
    out["people"] = out["people"].astype(np.float64)
    out["_kind"] = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    out = out.sort_values(
        ["people", "_kind", "indicator", "about", "group"],
        ascending=[False, True, True, True, True],
        na_position="last",
    )
    return out.drop(columns="_kind").reset_index(drop=True)
