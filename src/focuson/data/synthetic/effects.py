"""The planted effects: the true differences the generator builds in, and ``truth.json``.

Every outcome the programme measures is drawn with a probability that depends only on the
factors named here, so each effect can be read back with a plain aggregate query and every
group not named has, by construction, no true difference. The activity modules take their
probabilities from these constants, and :func:`truth` writes the same numbers, with the query
that recovers each, to ``truth.json``.

================================  ===========================================================
effect                            planted
================================  ===========================================================
``rtt_18_weeks_by_deprivation``   RTT clocks stop within 18 weeks for 50% of pathways in the
                                  most deprived IMD quintile up to 65% in the least; read as
                                  the catalogue's ``rtt_18_weeks`` (share of the waiting list
                                  at the census date waiting 18 weeks or less) that is about
                                  61% up to 67% (disparity)
``cancer_28_days_by_ethnicity``   Faster Diagnosis Standard (28 days): White 78%, Mixed 78%,
                                  Asian 74%, Other 72%, Black 68% (disparities of 3 sizes)
``ae_4_hours_by_age``             A&E (every department type) within 4 hours: 82% (0-17),
                                  76% (18-64), 66% (65-79), 56% (80+)
``bowel_screening_by_sex``        bowel screening uptake: women 66%, men 58%
``hypertension_control_...``      treated to target (a reading in the last 12 months below
                                  140/90, 150/90 at 80 or over) on the hypertension register:
                                  64% overall but 45% for Black people in the most deprived
                                  quintile, beyond what either factor alone predicts
``breast_screening_intervention`` breast screening uptake 58% everywhere, +10 points in Brent
                                  for invitations from the middle month of the window on
``cervical_screening_gap``        cervical screening uptake improves overall while the gap
                                  between the least and most deprived quintiles widens from 8
                                  to 28 points (the most deprived slip from 62% to 60%)
no-difference checks              RTT by sex, diagnostics waiting 6 weeks or more by sex, by
                                  ethnicity and by deprivation, cancer White vs Mixed, bowel
                                  screening by deprivation, hypertension by sex (A&E by sex is
                                  not one: women attending are older, and A&E waits planted by
                                  age reach the crude rate by sex)
================================  ===========================================================

Each effect is described in the terms of the default indicator catalogue
(``focuson/engine/catalogues/default.yaml``): ``indicator`` names the catalogue indicator it
is planted on, and its query counts what that indicator counts (waiting lists at the census
date of the window's last month, screening uptake within 183 days, and so on). Waiting-list
(census) values follow from the planted waits: with clocks starting at a steady rate, the share
of the list waiting ``t`` days or less at a census date is ``E[min(W, t + 1)] / E[W]`` for the
wait ``W`` (:func:`census_share_within`).

Groups in the queries use the data as written: IMD quintile of the person's LSOA (from the
``reference/lsoa_imd2019.csv`` written next to the tables), ethnic groups rolled up from the
recorded NHS codes (Z and 99 form their own "not stated / not known" group; their outcomes follow
the person's unrecorded true group), age in completed years at the event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from focuson.data.synthetic._sampling import FloatArray, IntArray, Window, band_index
from focuson.data.synthetic.boroughs import BOROUGHS, ETHNIC_GROUPS
from focuson.data.synthetic.population import GROUP_CODES, People

# -- the numbers ----------------------------------------------------------------------------

#: RTT: share of pathways whose clock stops within 18 weeks (126 days), by IMD quintile.
RTT_WITHIN_18_WEEKS: dict[int, float] = {1: 0.50, 2: 0.55, 3: 0.59, 4: 0.62, 5: 0.65}
RTT_18_WEEKS_DAYS = 126
#: Diagnostics: share tested within 6 weeks (42 days), the same for everyone.
DIAGNOSTIC_WITHIN_6_WEEKS = 0.78
DIAGNOSTIC_6_WEEKS_DAYS = 42
#: The shapes of the waits (days): on time, ``low + floor(Beta(a, b) * (high - low + 1))``;
#: late, ``low + floor(Exponential(mean))`` up to a cap (:mod:`._sampling`).
RTT_ON_TIME_WAIT = (7, RTT_18_WEEKS_DAYS, 2.0, 1.5)
RTT_LATE_WAIT = (RTT_18_WEEKS_DAYS + 1, 130.0, 2000)
DIAGNOSTIC_ON_TIME_WAIT = (0, DIAGNOSTIC_6_WEEKS_DAYS, 1.5, 1.5)
DIAGNOSTIC_LATE_WAIT = (DIAGNOSTIC_6_WEEKS_DAYS + 1, 30.0, 600)
#: A&E (every department type): share leaving within 4 hours, by age band at arrival (lower
#: bounds below), the catalogue's ``age_band_broad``.
AE_AGE_BANDS: tuple[int, ...] = (0, 18, 65, 80)
AE_AGE_LABELS: tuple[str, ...] = ("0-17", "18-64", "65-79", "80+")
AE_WITHIN_4_HOURS: tuple[float, ...] = (0.82, 0.76, 0.66, 0.56)
#: Cancer: Faster Diagnosis Standard (diagnosis communicated within 28 days), by true group.
CANCER_WITHIN_28_DAYS: dict[str, float] = {
    "White": 0.78,
    "Mixed": 0.78,
    "Asian": 0.74,
    "Black": 0.68,
    "Other": 0.72,
}
CANCER_FDS_DAYS = 28
#: Screening uptake windows: screened within this many days of the invitation, or not at all.
SCREENING_FOLLOW_UP_DAYS: dict[str, int] = {"breast": 90, "cervical": 180, "bowel": 180}
#: The catalogue's uptake window (every programme): screened within 183 days (6 months).
SCREENING_UPTAKE_DAYS = 183
#: Bowel screening uptake by sex (U: the average).
BOWEL_UPTAKE: dict[str, float] = {"F": 0.66, "M": 0.58, "U": 0.62}
#: Breast screening uptake, and the intervention.
BREAST_UPTAKE = 0.58
INTERVENTION_BOROUGH = "Brent"
INTERVENTION_EFFECT = 0.10
#: Cervical screening uptake by IMD quintile in the first and the last month of the window
#: (straight line in between).
CERVICAL_FIRST: dict[int, float] = {1: 0.62, 2: 0.64, 3: 0.66, 4: 0.68, 5: 0.70}
CERVICAL_LAST: dict[int, float] = {1: 0.60, 2: 0.67, 3: 0.74, 4: 0.81, 5: 0.88}
#: Hypertension treated to target (a reading in the 12 months to the window's last day below
#: 140/90, or 150/90 at 80 or over) by (most deprived quintile?, Black?).
HYPERTENSION_CONTROL: dict[tuple[bool, bool], float] = {
    (True, True): 0.45,
    (True, False): 0.60,
    (False, True): 0.58,
    (False, False): 0.64,
}


def intervention_month(window: Window) -> int:
    """The window month (0-based) from which the intervention acts: the middle month.

    >>> from datetime import date
    >>> intervention_month(Window(date(2023, 4, 1), 24))
    12
    """
    return window.months // 2


# -- the probabilities, per event ----------------------------------------------------------


def rtt_within(people: People, who: IntArray) -> FloatArray:
    """P(clock stop within 18 weeks) for pathways of ``who`` (row indices into ``people``)."""
    table = np.array([0.0, *RTT_WITHIN_18_WEEKS.values()])
    return table[people.imd_quintile[who]]


def ae_within(people: People, who: IntArray, arrival_day: IntArray) -> FloatArray:
    """P(departure within 4 hours of arrival) by age band at arrival, every department type."""
    age = people.age_years(who, arrival_day)
    return np.asarray(AE_WITHIN_4_HOURS)[band_index(np.maximum(age, 0), AE_AGE_BANDS)]


def cancer_within(people: People, who: IntArray) -> FloatArray:
    """P(diagnosis communicated within 28 days) by true ethnic group."""
    table = np.array([CANCER_WITHIN_28_DAYS[g] for g in ETHNIC_GROUPS])
    return table[people.group[who]]


def screening_uptake(
    programme: str, people: People, who: IntArray, month: IntArray, window: Window
) -> FloatArray:
    """P(screened within the follow-up window) for invitations in window ``month`` (0-based)."""
    if programme == "bowel":
        table = np.array([BOWEL_UPTAKE[s] for s in ("F", "M", "U")])
        return table[people.sex[who]]
    if programme == "breast":
        brent = [b.name for b in BOROUGHS].index(INTERVENTION_BOROUGH)
        after = (people.borough[who] == brent) & (month >= intervention_month(window))
        return BREAST_UPTAKE + INTERVENTION_EFFECT * after
    first = np.array([0.0, *CERVICAL_FIRST.values()])[people.imd_quintile[who]]
    last = np.array([0.0, *CERVICAL_LAST.values()])[people.imd_quintile[who]]
    return first + (last - first) * month / max(window.months - 1, 1)


def hypertension_control(people: People, who: IntArray) -> FloatArray:
    """P(treated to target) by most deprived quintile x Black (true group)."""
    deprived = people.imd_quintile[who] == 1
    black = people.is_black()[who]
    table = np.array([[HYPERTENSION_CONTROL[(d, b)] for b in (False, True)] for d in (False, True)])
    return table[deprived.astype(int), black.astype(int)]


# -- waiting lists at a census date -------------------------------------------------------


def _mean_on_time(low: int, high: int, a: float, b: float) -> float:
    """E[low + floor(Beta(a, b) * (high - low + 1))], clipped to high (numerically)."""
    k = high - low + 1
    x = (np.arange(200_000) + 0.5) / 200_000
    density = x ** (a - 1) * (1 - x) ** (b - 1)
    steps = np.minimum(np.floor(x * k), k - 1)
    return float(low + (density * steps).sum() / density.sum())


def _mean_late(low: int, mean: float, cap: int) -> float:
    """E[min(low + floor(Exponential(mean)), cap)]: a geometric number of whole days."""
    q = np.exp(-1.0 / mean)  # P(floor(E) >= j + 1 | floor(E) >= j)
    j = np.arange(1, cap - low + 1)
    return float(low + (q**j).sum())


def census_share_within(
    p: float, threshold: int, on_time: tuple[int, int, float, float], late: tuple[int, float, int]
) -> float:
    """Steady-state share of a waiting list waiting ``threshold`` days or less at a census date.

    Clocks start at a steady rate and stop after a wait ``W``: on time (``W <= threshold``)
    with probability ``p``, otherwise late (``W > threshold``). A clock that started ``t``
    days before the census is on the list when ``W > t``, so the list holds ``sum_t P(W > t)
    = E[W]`` days' starts, of which ``sum_{t <= threshold} P(W > t) = E[min(W, threshold +
    1)]`` have waited ``threshold`` days or less.

    Parameters
    ----------
    p
        Probability that the wait is on time.
    threshold
        The days of the standard (126 for 18 weeks, 42 for 6 weeks).
    on_time, late
        The wait shapes, as :data:`RTT_ON_TIME_WAIT` and :data:`RTT_LATE_WAIT`.

    Returns
    -------
    float
        The share, between 0 and 1.

    Examples
    --------
    >>> round(census_share_within(0.5, 126, RTT_ON_TIME_WAIT, RTT_LATE_WAIT), 3)
    0.609
    """
    e_on = _mean_on_time(*on_time)
    e_late = _mean_late(*late)
    within = p * e_on + (1 - p) * (threshold + 1)
    return within / (p * e_on + (1 - p) * e_late)


def rtt_census_within(quintile: int) -> float:
    """Expected ``rtt_18_weeks`` (share of the list waiting 18 weeks or less) of a quintile.

    >>> round(rtt_census_within(5) - rtt_census_within(1), 3)
    0.063
    """
    return census_share_within(
        RTT_WITHIN_18_WEEKS[quintile], RTT_18_WEEKS_DAYS, RTT_ON_TIME_WAIT, RTT_LATE_WAIT
    )


def diagnostic_census_over() -> float:
    """Expected ``diagnostics_6_weeks`` (share of the list waiting over 6 weeks), everyone.

    >>> round(diagnostic_census_over(), 3)
    0.201
    """
    return 1.0 - census_share_within(
        DIAGNOSTIC_WITHIN_6_WEEKS,
        DIAGNOSTIC_6_WEEKS_DAYS,
        DIAGNOSTIC_ON_TIME_WAIT,
        DIAGNOSTIC_LATE_WAIT,
    )


# -- truth.json -----------------------------------------------------------------------------

_P = "read_parquet('{dir}/persons.parquet')"
_IMD = "read_csv('{dir}/reference/lsoa_imd2019.csv')"
_GROUP_SQL = (
    "CASE "
    + " ".join(
        f"WHEN p.ethnicity IN ({', '.join(repr(c) for c in codes)}) THEN '{g}'"
        for g, codes in GROUP_CODES.items()
    )
    + " ELSE 'Not stated / not known' END"
)


def _sql(text: str) -> str:
    return " ".join(text.split())


def _cervical_mean(q: int, months: range, window: Window) -> float:
    m = np.asarray(list(months), dtype=float)
    p = CERVICAL_FIRST[q] + (CERVICAL_LAST[q] - CERVICAL_FIRST[q]) * m / max(window.months - 1, 1)
    return float(p.mean())


def truth(window: Window, *, quintile_shares: dict[int, float]) -> dict[str, Any]:
    """The planted effects, each with the query that recovers it from the written files.

    Parameters
    ----------
    window
        The months generated.
    quintile_shares
        The share of people in each IMD quintile (to state the expected overall level of the
        widening-gap effect).

    Returns
    -------
    dict
        JSON-ready: ``definitions`` and a list of ``effects``. Each effect has an ``id``, a
        ``kind`` (``disparity``, ``intersection``, ``intervention``, ``widening_gap`` or
        ``no_difference``), the catalogue ``indicator``, ``dimension`` and ``period`` kind
        (``census`` or ``event``) it is planted on, the ``table``, a plain-English ``measure``
        and ``cohort``, the ``expected`` value per group (or ``groups`` that share one value),
        and a DuckDB ``query`` (replace ``{dir}`` with the output folder) returning ``grp``,
        ``n`` and ``value`` (a proportion). Sampling error: a group of n has a standard error
        of about sqrt(p(1 - p)/n).

    Examples
    --------
    >>> from datetime import date
    >>> t = truth(Window(date(2023, 4, 1), 24), quintile_shares={q: 0.2 for q in range(1, 6)})
    >>> [e["id"] for e in t["effects"]][:3]
    ['rtt_18_weeks_by_deprivation', 'cancer_28_days_by_ethnicity', 'ae_4_hours_by_age']
    """
    start = window.start.isoformat()

    def cut(days: int) -> str:
        return (window.as_of - timedelta(days=days)).isoformat()

    effects: list[dict[str, Any]] = []
    census = window.as_of.isoformat()
    rtt_from = f"""
        FROM read_parquet('{{dir}}/rtt_pathways.parquet') r JOIN {_P} p USING (person_id)
        JOIN {_IMD} i ON i.lsoa11cd = p.lsoa
        WHERE r.clock_start <= DATE '{census}'
          AND (r.clock_stop IS NULL OR r.clock_stop > DATE '{census}')
    """
    rtt_value = (
        f"avg(CASE WHEN date_diff('day', r.clock_start, DATE '{census}') <= "
        f"{RTT_18_WEEKS_DAYS} THEN 1.0 ELSE 0.0 END)"
    )
    rtt_cohort = (
        f"the RTT waiting list (incomplete pathways) at the census date {census}, the last "
        "day of the window"
    )
    rtt_measure = "share of the waiting list waiting 18 weeks (126 days) or less"
    effects.append(
        {
            "id": "rtt_18_weeks_by_deprivation",
            "kind": "disparity",
            "indicator": "rtt_18_weeks",
            "dimension": "imd_quintile",
            "reference": "5",
            "period": "census",
            "table": "rtt_pathways",
            "measure": rtt_measure,
            "cohort": rtt_cohort,
            "by": "IMD 2019 quintile of the person's LSOA (1 = most deprived)",
            "expected": {str(q): round(rtt_census_within(q), 4) for q in RTT_WITHIN_18_WEEKS},
            "planted": "the clock stops within 18 weeks for "
            + ", ".join(f"{p:.0%} (quintile {q})" for q, p in RTT_WITHIN_18_WEEKS.items())
            + " of pathways; at a steady state the waiting list then holds the expected "
            "shares (effects.census_share_within)",
            "size": "about 6 percentage points between quintiles 5 and 1, a steady gradient",
            "query": _sql(
                f"SELECT CAST(i.imd_quintile AS VARCHAR) AS grp, count(*) AS n, "
                f"{rtt_value} AS value {rtt_from} GROUP BY 1 ORDER BY 1"
            ),
        }
    )
    cancer_from = f"""
        FROM read_parquet('{{dir}}/cancer_pathways.parquet') c JOIN {_P} p USING (person_id)
        WHERE c.referral <= DATE '{cut(CANCER_FDS_DAYS)}'
    """
    cancer_value = (
        "avg(CASE WHEN c.diagnosis_communicated IS NOT NULL AND date_diff('day', c.referral, "
        f"c.diagnosis_communicated) <= {CANCER_FDS_DAYS} THEN 1.0 ELSE 0.0 END)"
    )
    effects.append(
        {
            "id": "cancer_28_days_by_ethnicity",
            "kind": "disparity",
            "indicator": "cancer_28_day_fds",
            "dimension": "ethnicity_5",
            "reference": "White",
            "period": "event",
            "table": "cancer_pathways",
            "measure": "share told their diagnosis (cancer or not) within 28 days of referral "
            "(Faster Diagnosis Standard)",
            "cohort": f"urgent suspected cancer referrals up to {cut(CANCER_FDS_DAYS)}",
            "by": "ethnic group rolled up from the recorded NHS ethnic category "
            + "; ".join(f"{g}: {', '.join(c)}" for g, c in GROUP_CODES.items())
            + "; Z and 99: not stated / not known (a mix of the groups; not planted)",
            "expected": dict(CANCER_WITHIN_28_DAYS),
            "size": "Black 10, Other 6 and Asian 4 percentage points below White",
            "query": _sql(
                f"SELECT {_GROUP_SQL} AS grp, count(*) AS n, {cancer_value} AS value "
                f"{cancer_from} GROUP BY 1 ORDER BY 1"
            ),
        }
    )
    ae_age = "date_diff('month', p.date_of_birth, CAST(a.arrival AS DATE)) // 12"
    ae_band = (
        f"CASE WHEN {ae_age} < 18 THEN '0-17' WHEN {ae_age} < 65 THEN '18-64' "
        f"WHEN {ae_age} < 80 THEN '65-79' ELSE '80+' END"
    )
    ae_from = f"""
        FROM read_parquet('{{dir}}/ae_attendances.parquet') a JOIN {_P} p USING (person_id)
        WHERE true
    """
    ae_value = "avg(CASE WHEN a.departure - a.arrival <= INTERVAL 4 HOUR THEN 1.0 ELSE 0.0 END)"
    effects.append(
        {
            "id": "ae_4_hours_by_age",
            "kind": "disparity",
            "indicator": "ae_4_hours",
            "dimension": "age_band_broad",
            "reference": "0-17",
            "period": "event",
            "table": "ae_attendances",
            "measure": "share leaving A&E within 4 hours of arrival",
            "cohort": "A&E attendances, every department type",
            "by": "age in completed years at arrival (months since the month of birth // 12)",
            "expected": dict(zip(AE_AGE_LABELS, AE_WITHIN_4_HOURS, strict=True)),
            "size": "26 percentage points between children and people aged 80+",
            "query": _sql(
                f"SELECT {ae_band} AS grp, count(*) AS n, {ae_value} AS value {ae_from} "
                "GROUP BY 1 ORDER BY 1"
            ),
        }
    )

    def screening_from(programme: str) -> str:
        days = SCREENING_UPTAKE_DAYS
        return f"""
            FROM read_parquet('{{dir}}/screening.parquet') s JOIN {_P} p USING (person_id)
            JOIN {_IMD} i ON i.lsoa11cd = p.lsoa
            WHERE s.programme = '{programme}' AND s.invited <= DATE '{cut(days)}'
        """

    def screening_value(programme: str) -> str:
        days = SCREENING_UPTAKE_DAYS
        return (
            "avg(CASE WHEN s.screened IS NOT NULL AND date_diff('day', s.invited, s.screened) "
            f"<= {days} THEN 1.0 ELSE 0.0 END)"
        )

    def screening_cohort(programme: str) -> str:
        days = SCREENING_UPTAKE_DAYS
        return (
            f"{programme} screening invitations up to {cut(days)} (so the {days}-day uptake "
            "window is in the data)"
        )

    uptake = f"share screened within {SCREENING_UPTAKE_DAYS} days of the invitation"
    effects.append(
        {
            "id": "bowel_screening_by_sex",
            "kind": "disparity",
            "indicator": "screening_bowel",
            "dimension": "sex",
            "reference": "F",
            "period": "event",
            "table": "screening",
            "measure": uptake,
            "cohort": screening_cohort("bowel"),
            "by": "sex",
            "expected": {"F": BOWEL_UPTAKE["F"], "M": BOWEL_UPTAKE["M"]},
            "size": "8 percentage points lower for men",
            "query": _sql(
                f"SELECT p.sex AS grp, count(*) AS n, {screening_value('bowel')} AS value "
                f"{screening_from('bowel')} AND p.sex IN ('F', 'M') GROUP BY 1 ORDER BY 1"
            ),
        }
    )
    htn_age = f"date_diff('month', p.date_of_birth, DATE '{census}') // 12"
    htn_value = (
        f"avg(CASE WHEN h.last_bp IS NOT NULL AND h.last_bp <= DATE '{census}' AND h.last_bp > "
        f"DATE '{census}' - INTERVAL 365 DAY AND h.diastolic < 90 AND h.systolic < CASE WHEN "
        f"{htn_age} >= 80 THEN 150 ELSE 140 END THEN 1.0 ELSE 0.0 END)"
    )
    htn_measure = (
        "share treated to target: a reading in the 12 months to the census date below 140/90, "
        "or below 150/90 at 80 or over"
    )
    htn_cell = (
        "CASE WHEN i.imd_quintile = 1 THEN 'deprived' ELSE 'not deprived' END || ' x ' || "
        "CASE WHEN p.ethnicity IN ('M', 'N', 'P') THEN 'Black' ELSE 'not Black' END"
    )
    effects.append(
        {
            "id": "hypertension_control_deprived_x_black",
            "kind": "intersection",
            "indicator": "hypertension_treated_to_target",
            "dimension": "imd_quintile x ethnicity_6",
            "reference": "5 | White",
            "period": "census",
            "table": "hypertension",
            "measure": htn_measure,
            "cohort": f"people on the hypertension register on {census} with a recorded "
            "ethnic category (not Z or 99)",
            "by": "IMD quintile 1 (deprived) or not x Black (codes M, N, P) or not",
            "expected": {
                f"{'deprived' if d else 'not deprived'} x {'Black' if b else 'not Black'}": p
                for (d, b), p in HYPERTENSION_CONTROL.items()
            },
            "size": "deprived x Black is 19 points below the rest; 11 points of it is the "
            "intersection (the two factors alone predict 0.56)",
            "query": _sql(
                f"SELECT {htn_cell} AS grp, count(*) AS n, {htn_value} AS value "
                f"FROM read_parquet('{{dir}}/hypertension.parquet') h JOIN {_P} p "
                f"USING (person_id) JOIN {_IMD} i ON i.lsoa11cd = p.lsoa "
                f"WHERE h.diagnosed <= DATE '{census}' AND p.ethnicity NOT IN ('Z', '99') "
                "GROUP BY 1 ORDER BY 1"
            ),
        }
    )
    month0 = intervention_month(window)
    from_day = window.month_start(month0).isoformat()
    effects.append(
        {
            "id": "breast_screening_intervention",
            "kind": "intervention",
            "indicator": "screening_breast",
            "dimension": "borough",
            "reference": "rest",
            "period": "event",
            "table": "screening",
            "measure": uptake,
            "cohort": screening_cohort("breast"),
            "borough": INTERVENTION_BOROUGH,
            "from": from_day,
            "effect": INTERVENTION_EFFECT,
            "by": f"borough ({INTERVENTION_BOROUGH} or other) x period (invited before or "
            f"from {from_day})",
            "expected": {
                f"{INTERVENTION_BOROUGH} before": BREAST_UPTAKE,
                f"{INTERVENTION_BOROUGH} after": round(BREAST_UPTAKE + INTERVENTION_EFFECT, 4),
                "other before": BREAST_UPTAKE,
                "other after": BREAST_UPTAKE,
            },
            "size": f"+{INTERVENTION_EFFECT:.2f} in {INTERVENTION_BOROUGH} from {from_day} "
            "(difference in differences), no change elsewhere",
            "query": _sql(
                f"SELECT CASE WHEN i.lad19nm = '{INTERVENTION_BOROUGH}' THEN "
                f"'{INTERVENTION_BOROUGH}' ELSE 'other' END || CASE WHEN s.invited < "
                f"DATE '{from_day}' THEN ' before' ELSE ' after' END AS grp, count(*) AS n, "
                f"{screening_value('breast')} AS value {screening_from('breast')} "
                "GROUP BY 1 ORDER BY 1"
            ),
        }
    )
    follow = -(-SCREENING_FOLLOW_UP_DAYS["cervical"] // 30)  # whole months of follow-up
    span = max(1, min(6, (window.months - follow) // 2))
    early = range(0, span)
    late = range(window.months - follow - span, window.months - follow)
    periods = {"early": early, "late": late}
    expected: dict[str, float] = {}
    for name, months in periods.items():
        for q in (1, 5):
            expected[f"{name} Q{q}"] = round(_cervical_mean(q, months, window), 4)
        overall = sum(s * _cervical_mean(q, months, window) for q, s in quintile_shares.items())
        expected[f"{name} all"] = round(overall, 4)
    period_sql = " ".join(
        f"WHEN s.invited >= DATE '{window.month_start(m.start).isoformat()}' AND s.invited < "
        f"DATE '{window.month_start(m.stop).isoformat()}' THEN '{name}'"
        for name, m in periods.items()
    )
    effects.append(
        {
            "id": "cervical_screening_widening_gap",
            "kind": "widening_gap",
            "indicator": "screening_cervical",
            "dimension": "imd_quintile",
            "reference": "5",
            "period": "event",
            "table": "screening",
            "measure": uptake,
            "cohort": screening_cohort("cervical"),
            "by": "period of invitation x IMD quintile (1 and 5, and all)",
            "periods": {
                name: [
                    window.month_start(m.start).isoformat(),
                    window.month_start(m.stop).isoformat(),
                ]
                for name, m in periods.items()
            },
            "expected_by_quintile_first_month": {str(q): p for q, p in CERVICAL_FIRST.items()},
            "expected_by_quintile_last_month": {str(q): p for q, p in CERVICAL_LAST.items()},
            "expected": expected,
            "size": "the Q5 - Q1 gap grows from 0.08 to 0.28 over the window (straight line "
            "per quintile) while overall uptake rises",
            "query": _sql(
                f"WITH x AS (SELECT CASE {period_sql} END AS period, i.imd_quintile AS q, "
                f"CASE WHEN s.screened IS NOT NULL AND date_diff('day', s.invited, s.screened) "
                f"<= {SCREENING_UPTAKE_DAYS} THEN 1.0 ELSE 0.0 END AS y "
                f"{screening_from('cervical')}) "
                "SELECT period || ' Q' || q AS grp, count(*) AS n, avg(y) AS value FROM x "
                "WHERE period IS NOT NULL AND q IN (1, 5) GROUP BY 1 "
                "UNION ALL SELECT period || ' all', count(*), avg(y) FROM x "
                "WHERE period IS NOT NULL GROUP BY period ORDER BY 1"
            ),
        }
    )
    white_or_mixed = ", ".join(repr(c) for c in GROUP_CODES["White"] + GROUP_CODES["Mixed"])
    nulls = [
        ("rtt_18_weeks_by_sex", "rtt_pathways", rtt_measure, rtt_cohort, "sex", ["F", "M"],
         f"SELECT p.sex AS grp, count(*) AS n, {rtt_value} AS value {rtt_from} "
         "AND p.sex IN ('F', 'M') GROUP BY 1 ORDER BY 1"),
        ("cancer_28_days_white_vs_mixed", "cancer_pathways",
         "share told their diagnosis within 28 days", "urgent suspected cancer referrals",
         "ethnic group", ["White", "Mixed"],
         f"SELECT {_GROUP_SQL} AS grp, count(*) AS n, {cancer_value} AS value {cancer_from} "
         f"AND p.ethnicity IN ({white_or_mixed}) "
         "GROUP BY 1 ORDER BY 1"),
        ("bowel_screening_by_deprivation", "screening",
         uptake, screening_cohort("bowel"),
         "IMD quintile", ["1", "2", "3", "4", "5"],
         f"SELECT CAST(i.imd_quintile AS VARCHAR) AS grp, count(*) AS n, "
         f"{screening_value('bowel')} AS value {screening_from('bowel')} GROUP BY 1 ORDER BY 1"),
        ("hypertension_control_by_sex", "hypertension", htn_measure,
         f"people on the hypertension register on {census}", "sex", ["F", "M"],
         f"SELECT p.sex AS grp, count(*) AS n, {htn_value} AS value FROM "
         f"read_parquet('{{dir}}/hypertension.parquet') h JOIN {_P} p USING (person_id) "
         f"WHERE h.diagnosed <= DATE '{census}' AND p.sex IN ('F', 'M') GROUP BY 1 ORDER BY 1"),
    ]  # fmt: skip
    diag_from = f"""
        FROM read_parquet('{{dir}}/diagnostic_waits.parquet') d JOIN {_P} p USING (person_id)
        JOIN {_IMD} i ON i.lsoa11cd = p.lsoa
        WHERE d.requested <= DATE '{census}'
          AND (d.tested IS NULL OR d.tested > DATE '{census}')
    """
    diag_value = (
        f"avg(CASE WHEN date_diff('day', d.requested, DATE '{census}') > "
        f"{DIAGNOSTIC_6_WEEKS_DAYS} THEN 1.0 ELSE 0.0 END)"
    )
    diag_measure = "share of the diagnostic waiting list waiting over 6 weeks (42 days)"
    diag_cohort = f"the diagnostic waiting list at the census date {census}"
    nulls += [
        ("diagnostics_6_weeks_by_ethnicity", "diagnostic_waits", diag_measure, diag_cohort,
         "ethnic group (including not stated / not known)",
         [*GROUP_CODES, "Not stated / not known"],
         f"SELECT {_GROUP_SQL} AS grp, count(*) AS n, {diag_value} AS value {diag_from} "
         "GROUP BY 1 ORDER BY 1"),
        ("diagnostics_6_weeks_by_sex", "diagnostic_waits", diag_measure, diag_cohort,
         "sex", ["F", "M"],
         f"SELECT p.sex AS grp, count(*) AS n, {diag_value} AS value {diag_from} "
         "AND p.sex IN ('F', 'M') GROUP BY 1 ORDER BY 1"),
        ("diagnostics_6_weeks_by_deprivation", "diagnostic_waits", diag_measure, diag_cohort,
         "IMD quintile", ["1", "2", "3", "4", "5"],
         f"SELECT CAST(i.imd_quintile AS VARCHAR) AS grp, count(*) AS n, {diag_value} AS value "
         f"{diag_from} GROUP BY 1 ORDER BY 1"),
    ]  # fmt: skip
    indicator_of = {
        "rtt_pathways": ("rtt_18_weeks", "census"),
        "ae_attendances": ("ae_4_hours", "event"),
        "cancer_pathways": ("cancer_28_day_fds", "event"),
        "screening": ("screening_bowel", "event"),
        "hypertension": ("hypertension_treated_to_target", "census"),
        "diagnostic_waits": ("diagnostics_6_weeks", "census"),
    }
    dimension_of = {
        "sex": "sex",
        "ethnic group": "ethnicity_5",
        "IMD quintile": "imd_quintile",
        "ethnic group (including not stated / not known)": "ethnicity_6",
    }
    for id_, table, measure, cohort, by, groups, query in nulls:
        entry: dict[str, Any] = {
            "id": id_,
            "kind": "no_difference",
            "indicator": indicator_of[table][0],
            "dimension": dimension_of[by],
            "period": indicator_of[table][1],
            "table": table,
            "measure": measure,
            "cohort": cohort,
            "by": by,
            "groups": groups,
            "expected_difference": 0.0,
            "query": _sql(query),
        }
        entry["reference"] = {"sex": "F", "IMD quintile": "5"}.get(by, "White")
        if table == "diagnostic_waits":
            entry["expected"] = dict.fromkeys(groups, round(diagnostic_census_over(), 4))
        effects.append(entry)
    return {
        "definitions": {
            "window": {
                "start": start,
                "end_exclusive": window.end.isoformat(),
                "as_of": window.as_of.isoformat(),
                "months": window.months,
            },
            "imd_quintile": "ceil(IMD 2019 decile / 2) of the person's LSOA, from "
            "reference/lsoa_imd2019.csv (1 = most deprived 20% of England)",
            "ethnic_groups": {g: list(c) for g, c in GROUP_CODES.items()}
            | {"Not stated / not known": ["Z", "99"]},
            "age": "completed years: date_diff('month', date_of_birth, event date) // 12 "
            "(date_of_birth is the first of the month of birth)",
            "catalogue": "indicator, dimension and reference name the default catalogue's "
            "indicator (focuson/engine/catalogues/default.yaml), the breakdown and the "
            "reference group the effect is planted on and stated against (rest: everyone "
            "else); period 'census' means read at the "
            f"census date {census} (the latest month), 'event' any months of the window",
            "queries": "DuckDB SQL; replace {dir} with the output folder. Each returns grp, n "
            "and value; compare value with expected within about 3-4 standard errors, "
            "sqrt(p(1 - p)/n)",
        },
        "effects": effects,
    }
