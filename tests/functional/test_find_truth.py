"""Find recovers the planted truth of the synthetic population (issue 5, "Done when", bullet 1).

"On the synthetic population, every planted disparity is found (significant, right direction,
effect within its CI) and no more than 5% of the null groups are flagged, at q < 0.05; a test
reads truth.json and checks it."

How
    Generate North West London at scale 0.1 (seed fixed, about 211,000 people), count every
    indicator of the default catalogue by every breakdown with :func:`focuson.engine.aggregate`
    (DuckDB), pool the months (below), run :func:`focuson.find.find` once on the pooled frame
    (so q-values are Benjamini-Hochberg across every group, indicator and window of the run),
    and check each effect of ``truth.json``, which names the catalogue ``indicator``,
    ``dimension`` and ``reference`` group it is planted on.
Pooling
    Event indicators (A&E, cancer, screening) count each event once, in the month it happened,
    so summing numerators and denominators over months gives the counts of the whole window.
    Census indicators (RTT and diagnostic waiting lists, the hypertension register) count the
    list at each month's end: the same pathway is counted again every month it waits, so a sum
    over months is person-months on the list, not independent people, and binomial intervals on
    it would be too narrow. They are read at the latest census date only (the window's last
    month, where the run-in has filled the list: truth's expected waiting-list shares are the
    steady state of the planted waits).
Checks
    Disparities and the intersection: every group whose planted value differs from its
    reference's is significant (q < 0.05), in the right direction, and its planted difference
    lies within the confidence interval of the difference: a Wald interval from the pooled
    counts, sqrt(p1 q1 / n1 + p2 q2 / n2), at 95% simultaneous (Bonferroni) coverage over all
    the planted differences checked, so one check is not expected to miss by chance. The
    intersection also checks that deprived x Black hypertension is worse than the two factors
    alone predict (the interaction contrast, planted -9 points). No-difference effects: at most
    5% of their tested groups flagged. The intervention (breast screening, Brent) and the
    widening gap (cervical, by deprivation) are checked as Find sees them, group against
    reference within a window: Brent significantly better only after the intervention, and
    the most deprived quintile's gap larger late than early. The difference-in-differences and
    trend tests themselves belong to the Study and Monitor steps.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from focuson.data.contracts import load_dataset, read_mapping
from focuson.data.synthetic import generate
from focuson.engine import aggregate, indicators_frame, load_default_catalogue
from focuson.find import find

# The module's data is built once: its tests run together on one xdist worker (one group
# for both truth modules, so that neither module's tests interleave with the other's).
pytestmark = pytest.mark.xdist_group("truth")
SCALE = 0.1
SEED = 2024
ALPHA = 0.05
REST = "rest"
POOLED = "pooled"
#: A planted difference this many standard errors from 0 must be found: power above 90% at
#: the Benjamini-Hochberg threshold of this run (about 0.005, z = 2.8).
POWERED = 4.0
COUNTS = ["numerator", "denominator", "sum_sq"]


def _month(day: str) -> str:
    return day[:7]


def _windows(truth: dict[str, Any]) -> dict[str, dict[str, tuple[str, str]]]:
    """Indicator -> extra window label -> (first month, last month exclusive)."""
    effects = {e["id"]: e for e in truth["effects"]}
    breast = effects["breast_screening_intervention"]
    end = _month(truth["definitions"]["window"]["end_exclusive"])
    start = _month(truth["definitions"]["window"]["start"])
    cervical = effects["cervical_screening_widening_gap"]["periods"]
    return {
        "screening_breast": {
            "before": (start, _month(breast["from"])),
            "after": (_month(breast["from"]), end),
        },
        "screening_cervical": {name: (_month(a), _month(b)) for name, (a, b) in cervical.items()},
    }


def _pool(agg: pd.DataFrame, truth: dict[str, Any]) -> pd.DataFrame:
    """Event indicators summed over all months (and the extra windows); census at the latest."""
    census = {e["indicator"] for e in truth["effects"] if e["period"] == "census"}
    latest = agg.groupby("indicator")["period"].transform("max")
    is_census = agg["indicator"].isin(census)
    keys = ["indicator", "dimension", "group", "band"]
    parts = [
        agg.loc[is_census & (agg["period"] == latest)].assign(period=POOLED),
        agg.loc[~is_census].groupby(keys, as_index=False)[COUNTS].sum(min_count=1)
        .assign(period=POOLED),
    ]  # fmt: skip
    for indicator, windows in _windows(truth).items():
        rows = agg.loc[agg["indicator"] == indicator]
        for name, (first, stop) in windows.items():
            inside = rows.loc[(rows["period"] >= first) & (rows["period"] < stop)]
            assert inside["period"].nunique() >= 3, (indicator, name)
            parts.append(
                inside.groupby(keys, as_index=False)[COUNTS].sum(min_count=1).assign(period=name)
            )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("truth")
    summary = generate(out, scale=SCALE, seed=SEED)
    truth = json.loads(summary.truth.read_text())
    catalogue = load_default_catalogue()
    with load_dataset(read_mapping(summary.mapping)) as loaded:
        agg = aggregate(loaded, catalogue, imd=summary.imd_file)
    pooled = _pool(agg, truth)
    reference: dict[str, str] = {}
    for e in truth["effects"]:
        assert reference.setdefault(e["dimension"], e["reference"]) == e["reference"], e["id"]
    indicators = indicators_frame(catalogue)
    result = find(pooled, indicators, alpha=ALPHA, reference=reference)
    findings = result.findings.set_index(["indicator", "period", "dimension", "group"])
    counts = pooled.groupby(["indicator", "period", "dimension", "group"])[
        ["numerator", "denominator"]
    ].sum()
    polarity = indicators.set_index("id")["polarity"]
    return {"truth": truth, "findings": findings, "counts": counts, "polarity": polarity}


def _effects(run: dict[str, Any], *kinds: str) -> list[dict[str, Any]]:
    return [e for e in run["truth"]["effects"] if e["kind"] in kinds]


def _difference(
    run: dict[str, Any], indicator: str, period: str, dimension: str, group: str, reference: str
) -> tuple[float, float]:
    """Difference (percentage points) of a group from its reference and its Wald SE, from the
    published counts (every statistic Find publishes is computed from them: docs/disclosure.md)."""
    counts = run["findings"][["numerator", "denominator"]]
    x1, n1 = counts.loc[(indicator, period, dimension, group)]
    if reference == REST:
        x2, n2 = counts.loc[(indicator, period, "overall", "All")] - np.array([x1, n1])
    else:
        x2, n2 = counts.loc[(indicator, period, dimension, reference)]
    p1, p2 = x1 / n1, x2 / n2
    return 100 * (p1 - p2), 100 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)


def _planted(run: dict[str, Any]) -> list[tuple[str, str, str, str, str, float, str]]:
    """(effect, indicator, period, dimension, group, planted difference in points, reference)."""
    rows = []
    for e in _effects(run, "disparity"):
        ref = e["expected"][e["reference"]]
        for group, p in e["expected"].items():
            if group != e["reference"] and p != ref:
                rows.append(
                    (e["id"], e["indicator"], POOLED, e["dimension"], group, 100 * (p - ref),
                     e["reference"])
                )  # fmt: skip
    for e in _effects(run, "intersection"):
        # truth: "(not) deprived x (not) Black"; the catalogue cell "1 | Black" is deprived x
        # Black and the reference "5 | White" is neither.
        ref = e["expected"]["not deprived x not Black"]
        rows.append(
            (e["id"], e["indicator"], POOLED, e["dimension"], "1 | Black",
             100 * (e["expected"]["deprived x Black"] - ref), e["reference"])
        )  # fmt: skip
    for e in _effects(run, "widening_gap"):
        for name in ("early", "late"):
            planted = 100 * (e["expected"][f"{name} Q1"] - e["expected"][f"{name} Q5"])
            rows.append((e["id"], e["indicator"], name, e["dimension"], "1", planted, "5"))
    for e in _effects(run, "intervention"):
        planted = 100 * e["effect"]
        rows.append((e["id"], e["indicator"], "after", e["dimension"], e["borough"], planted, REST))
    return rows


def test_truth_names_catalogue_indicators_dimensions_and_references(run: dict[str, Any]) -> None:
    catalogue = {i.id for i in load_default_catalogue()}
    for e in run["truth"]["effects"]:
        assert e["indicator"] in catalogue, e["id"]
        assert e["period"] in ("census", "event"), e["id"]
        assert (e["indicator"], POOLED, e["dimension"]) in {k[:3] for k in run["findings"].index}, (
            e["id"]
        )


def test_every_planted_difference_is_found_rightly_within_its_ci(
    run: dict[str, Any],
) -> None:
    planted = _planted(run)
    assert len(planted) >= 12
    z = stats.norm.ppf(1 - ALPHA / (2 * len(planted)))  # Bonferroni: 95% for them all
    problems: list[str] = []
    low_power: list[str] = []
    for effect, indicator, period, dimension, group, diff, reference in planted:
        row = run["findings"].loc[(indicator, period, dimension, group)]
        assert row["reference_group"] == reference, (effect, group)
        found, se = _difference(run, indicator, period, dimension, group, reference)
        assert row["difference"] == pytest.approx(found, abs=1e-9), (effect, group)
        higher_is_better = run["polarity"][indicator] == "higher_is_better"
        expected_direction = "worse" if (diff < 0) == higher_is_better else "better"
        where = f"{effect} {group} ({period}): planted {diff:+.1f}, found {found:+.1f}"
        where += f" ± {z * se:.1f}"
        if abs(diff) / se < POWERED:
            # Too small for this sample to find reliably: it must not come out the other way.
            low_power.append(where)
            if row["significant"] and row["direction"] != expected_direction:
                problems.append(f"{where}: significant in the wrong direction")
        elif not (row["significant"] and row["q_value"] < ALPHA):
            problems.append(f"{where}: not significant (q = {row['q_value']:.3g})")
        elif row["direction"] != expected_direction:
            problems.append(f"{where}: direction {row['direction']}")
        if abs(found - diff) > z * se:
            problems.append(f"{where}: planted difference outside the interval")
    assert not problems, "\n".join(problems)
    # Only the middle of the RTT gradient (quintiles 2, 3 and 4 against 5 at one census date,
    # planted -4.5, -2.8 and -1.5 points) may be too small to be found at this scale (their
    # Bonferroni intervals are about +/-3.3 points); none may come out the other way (above).
    assert len(low_power) <= 3, low_power
    assert all(w.startswith("rtt_18_weeks_by_deprivation") for w in low_power), low_power


def test_no_more_than_5_percent_of_null_groups_are_flagged(run: dict[str, Any]) -> None:
    tested, flagged, hidden = [], [], []
    for e in _effects(run, "no_difference"):
        for group in e["groups"]:
            if group == e["reference"]:
                continue
            row = run["findings"].loc[(e["indicator"], POOLED, e["dimension"], group)]
            if np.isnan(row["q_value"]):
                # Disclosure control blanks a comparison whose reference is suppressed (e.g.
                # diagnostics M against F, when F is suppressed to protect the small U cell):
                # the user sees no test, so it is not counted as tested.
                reference = (e["indicator"], POOLED, e["dimension"], e["reference"])
                assert run["findings"].loc[reference, "suppressed"], (e["id"], group)
                hidden.append((e["id"], group))
                continue
            tested.append((e["id"], group))
            if row["significant"]:
                flagged.append((e["id"], group, row["difference"], row["q_value"]))
    assert len(tested) >= 15 and len(hidden) <= 2, hidden
    assert len(flagged) <= 0.05 * len(tested), flagged


def test_deprived_black_hypertension_beyond_the_two_factors(
    run: dict[str, Any],
) -> None:
    (effect,) = _effects(run, "intersection")
    counts = run["counts"].loc[(effect["indicator"], POOLED, effect["dimension"])]
    quintile = counts.index.str.split(" | ", regex=False).str[0]
    group = counts.index.str.split(" | ", regex=False).str[1]
    recorded = ~group.isin(["Not stated / not known"]) & quintile.isin(list("12345"))
    cells = {}
    for deprived in (True, False):
        for black in (True, False):
            mask = recorded & ((quintile == "1") == deprived) & ((group == "Black") == black)
            x, n = counts.loc[mask].sum()
            cells[(deprived, black)] = (x / n, n)
    interaction = (cells[(True, True)][0] - cells[(True, False)][0]) - (
        cells[(False, True)][0] - cells[(False, False)][0]
    )
    se = math.sqrt(sum(p * (1 - p) / n for p, n in cells.values()))
    e = effect["expected"]
    planted = (e["deprived x Black"] - e["deprived x not Black"]) - (
        e["not deprived x Black"] - e["not deprived x not Black"]
    )
    assert planted == pytest.approx(-0.09)
    assert abs(interaction - planted) < stats.norm.ppf(0.999) * se
    assert interaction < -stats.norm.ppf(0.95) * se  # worse than additive, one-sided 5%


def test_intervention_borough_stands_out_only_after_it_starts(run: dict[str, Any]) -> None:
    (effect,) = _effects(run, "intervention")
    key = (effect["indicator"], "before", effect["dimension"], effect["borough"])
    assert not run["findings"].loc[key, "significant"]
    key = (effect["indicator"], "after", effect["dimension"], effect["borough"])
    assert run["findings"].loc[key, "direction"] == "better"


def test_cervical_deprivation_gap_widens(run: dict[str, Any]) -> None:
    (effect,) = _effects(run, "widening_gap")
    diffs = {
        name: _difference(run, effect["indicator"], name, effect["dimension"], "1", "5")
        for name in ("early", "late")
    }
    widening = diffs["late"][0] - diffs["early"][0]
    se = math.hypot(diffs["late"][1], diffs["early"][1])
    e = effect["expected"]
    planted = 100 * ((e["late Q1"] - e["late Q5"]) - (e["early Q1"] - e["early Q5"]))
    assert abs(widening - planted) < stats.norm.ppf(0.999) * se
    assert widening < -stats.norm.ppf(0.975) * se
    for name in ("early", "late"):
        row = run["findings"].loc[(effect["indicator"], name, effect["dimension"], "1")]
        assert row["significant"] and row["direction"] == "worse", name
