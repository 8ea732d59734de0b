"""Alerts: new, widening and closing inequalities, and the ones an improving average hides.

=====================  ======================================================================
kind                   raised when
=====================  ======================================================================
``new_inequality``     a group is significantly worse than its reference in the latest month
                       (Find's test, Benjamini-Hochberg across the month's groups) and was not
                       significantly worse in any earlier month of the history
``widens``             the latest point of a gap series is special-cause concerning variation
                       (outside the limits, a trend, two in three or a shift away from no
                       inequality)
``closes``             the latest point of a gap series is special-cause improving variation
``reverses``            special-cause "improving" variation that overshot: the latest point is on
                       the other side of no inequality and further from it than the average was
                       (the gap did not close, it changed sides: the other group is now behind)
``hidden_by_average``  the overall level's latest point is special-cause improvement while a
                       gap of the same indicator widens
=====================  ======================================================================

Judging the latest point (the variation icon of Making Data Count) means an alert is about the
state now; ``since`` is the first month of the unbroken run of that point type. ``people`` is the
published (disclosure-rounded) number of people in the group concerned in the latest month: the
group's denominator, quintile 1 for quintile gaps, decile 1 for the SII and RII, the most
deprived decile's group for an average that hides a gap. It is blank (and the sentence says "a
small number of people") where the count is suppressed. Alerts are ordered by ``people``.

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
MEASURE_PEOPLE: dict[str, str] = {
    "sii": "the most deprived tenth",
    "rii": "the most deprived tenth",
    "q1_q5_difference": "the most deprived fifth",
    "q1_q5_ratio": "the most deprived fifth",
}
RULE_WORDS: dict[str, str] = {
    "outside_limits": "a point outside the process limits",
    "trend": "a run of rising or falling points",
    "two_in_three": "two of three points near the limit",
    "shift": "a run of points on one side of the average",
}


def _num(values: pd.Series, digits: int = 1) -> pd.Series:
    return values.astype(np.float64).round(digits).map(lambda v: f"{v:,.{digits}f}")


def _people_words(people: pd.Series) -> pd.Series:
    words = people.astype(np.float64).map(lambda v: f"{v:,.0f} people")
    return words.where(people.notna(), "a small number of people")


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
    """
    dimension = dimension.astype(str).reset_index(drop=True)
    group = group.astype(str).reset_index(drop=True)
    named = group.where(dimension != "sex", group.map(_SEX).fillna(group))
    words = dimension.map(_PREFIX).fillna("") + named.str.replace(" | ", ", ", regex=False)
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
    sentence = (
        title + ": significantly worse for "
        + group_words(now["dimension"], now["group"]).set_axis(now.index)
        + " than for " + ref
        + " in " + now["period"] + " (" + _num(now["value"]) + unit + " against "
        + _num(now["reference_value"]) + unit + "), for the first time since " + first_period
        + "; it concerns " + _people_words(now["denominator"]) + "."
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


def gap_alerts(
    gap_series: pd.DataFrame, gaps: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """``widens``, ``closes`` and ``reverses`` alerts from the SPC summary of the gap series.

    Parameters
    ----------
    gap_series
        Per-series SPC summary (:func:`focuson.monitor.spc.spc_gaps`, second frame).
    gaps
        The gap series (for ``people``).
    indicators
        The INDICATORS frame (``id``, ``title``).
    """
    kinds = {"special_cause_concern": "widens", "special_cause_improvement": "closes"}
    hit = gap_series.loc[gap_series["latest_point_type"].isin(list(kinds))]
    if hit.empty:
        return _empty()
    people = gaps[["indicator", "measure", "group", "period", "people", "neutral"]].rename(
        columns={"period": "latest_period"}
    )
    hit = hit.merge(people, on=["indicator", "measure", "group", "latest_period"], how="left")
    kind = hit["latest_point_type"].map(kinds)
    # SPC judges a gap by the side its history lies on, so a gap that crosses no inequality and
    # ends further out on the other side reads as "improving": it has reversed, not closed.
    latest, mean, neutral = (
        hit[c].to_numpy(np.float64) for c in ("latest_value", "mean", "neutral")
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = neutral == 1.0  # ratios are judged on the log scale: 0.5 is as far from 1 as 2
        off_latest = np.where(ratio, np.abs(np.log(latest)), np.abs(latest - neutral))
        off_mean = np.where(ratio, np.abs(np.log(mean)), np.abs(mean - neutral))
    crossed = np.sign(latest - neutral) * np.sign(mean - neutral) < 0
    kind = kind.mask((kind == "closes") & crossed & (off_latest > off_mean), "reverses")
    ind = indicators.set_index("id")
    title = hit["indicator"].map(ind["title"]).fillna(hit["indicator"])
    is_eth = hit["measure"] == "ethnicity_difference"
    measure = hit["measure"].map(MEASURE_WORDS)
    measure = measure.where(~is_eth, hit["group"].astype(str) + " people's " + measure)
    whom = hit["measure"].map(MEASURE_PEOPLE).where(~is_eth, hit["group"].astype(str) + " group")
    verb = kind.map({"widens": "has widened", "closes": "has narrowed", "reverses": "has reversed"})
    sentence = (
        title + ": the " + measure + " " + verb + " since " + hit["since"] + " ("
        + hit["latest_rule"].map(RULE_WORDS).fillna("special cause") + "): "
        + _num(hit["latest_value"], 2) + " in " + hit["latest_period"] + " against an average of "
        + _num(hit["mean"], 2) + "; it concerns " + _people_words(hit["people"]) + " ("
        + whom.fillna("the group") + ", " + hit["latest_period"] + ")."
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
        }
    )[ALERT_COLUMNS]


def hidden_by_average(
    level_series: pd.DataFrame, widening: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """The overall level improves (special cause) while a gap of the indicator widens."""
    if level_series.empty or widening.empty:
        return _empty()
    overall = level_series.loc[
        (level_series["dimension"] == "overall")
        & (level_series["latest_point_type"] == "special_cause_improvement"),
        ["indicator", "since", "latest_value", "mean"],
    ]
    w = widening.loc[widening["kind"] == "widens"]
    if overall.empty or w.empty:
        return _empty()
    w = w.sort_values(["people", "about", "group"], ascending=[False, True, True])
    w = w.drop_duplicates("indicator")
    hit = w.merge(overall, on="indicator", how="inner", suffixes=("", "_overall"))
    if hit.empty:
        return _empty()
    ind = indicators.set_index("id")
    title = hit["indicator"].map(ind["title"]).fillna(hit["indicator"])
    sentence = (
        title + ": the overall level has improved since " + hit["since_overall"] + " ("
        + _num(hit["latest_value"]) + " against an average of " + _num(hit["mean"])
        + ") while the " + hit["about"].map(MEASURE_WORDS) + " has widened since " + hit["since"]
        + ": the average hides a growing inequality affecting " + _people_words(hit["people"])
        + "."
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
    g = _enough(gap_alerts(gap_series, gaps, indicators), min_people)
    parts = [
        _enough(new_inequalities(levels, indicators), min_people),
        g,
        hidden_by_average(level_series, g, indicators),
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
