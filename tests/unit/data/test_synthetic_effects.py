"""The planted effects come back out of the Parquet files with the queries in truth.json.

Each effect is read back with its plain aggregate DuckDB query and compared with the planted
value within 4 binomial standard errors, sqrt(p(1 - p)/n), of the group's size n; the no-
difference groups differ by less than 4 standard errors of a difference. Scale 0.05 (105,573
people, about half a second to generate), the scale of the issue's ``focuson synth --scale 0.05``,
with a fixed seed, so the checks are deterministic. The intervention in one borough and the
widening gap involve few people at that scale (a few hundred invitations per group), so the tests
that they stand out from noise run at scale 0.2.
"""

import json
import math
from pathlib import Path

import duckdb
import pytest

from focuson.data.synthetic import effects as fx
from focuson.data.synthetic import generate

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
Z = 4.0


def _modes():
    yield pytest.param(None, id="built-in")
    yield pytest.param(
        DATA,
        id="reference",
        marks=pytest.mark.skipif(
            not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
        ),
    )


def _run(out, scale, reference):
    summary = generate(out, scale=scale, seed=2024, reference_dir=reference)
    truth = json.loads(summary.truth.read_text())
    effects = {e["id"]: e for e in truth["effects"]}
    con = duckdb.connect()

    def recovered(effect_id):
        query = effects[effect_id]["query"].replace("{dir}", str(out))
        return {g: (n, v) for g, n, v in con.execute(query).fetchall()}

    return effects, recovered


@pytest.fixture(scope="module", params=list(_modes()))
def run(request, tmp_path_factory):
    return _run(tmp_path_factory.mktemp("effects"), 0.05, request.param)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("effects_large"), 0.2, None)


def _se(p, n):
    return math.sqrt(max(p * (1 - p), 1e-9) / n)


def _close(found, expected):
    for group, p in expected.items():
        n, value = found[group]
        assert abs(value - p) < Z * _se(p, n), f"{group}: {value:.3f} vs {p} (n={n})"


def _gap(found, a, b):
    (na, va), (nb, vb) = found[a], found[b]
    return va - vb, math.sqrt(_se(va, na) ** 2 + _se(vb, nb) ** 2)


def test_truth_lists_every_kind_of_effect(run):
    effects, _ = run
    kinds = {e["kind"] for e in effects.values()}
    assert kinds == {"disparity", "intersection", "intervention", "widening_gap", "no_difference"}
    assert len([e for e in effects.values() if e["kind"] == "no_difference"]) >= 5
    for e in effects.values():
        assert {"id", "table", "measure", "cohort", "by", "query"} <= set(e)


@pytest.mark.parametrize(
    "effect_id",
    [
        "rtt_18_weeks_by_deprivation",
        "cancer_28_days_by_ethnicity",
        "ae_4_hours_by_age",
        "bowel_screening_by_sex",
        "hypertension_control_deprived_x_black",
        "breast_screening_intervention",
        "cervical_screening_widening_gap",
        "diagnostics_6_weeks_by_ethnicity",
        "diagnostics_6_weeks_by_deprivation",
    ],
)
def test_planted_values_are_recovered_by_their_query(run, effect_id):
    effects, recovered = run
    _close(recovered(effect_id), effects[effect_id]["expected"])


def test_rtt_18_week_gradient_by_deprivation(run):
    effects, recovered = run
    found = recovered("rtt_18_weeks_by_deprivation")
    expected = effects["rtt_18_weeks_by_deprivation"]["expected"]
    planted = [expected[str(q)] for q in range(1, 6)]
    assert planted == sorted(planted)  # less deprived, more of the list within 18 weeks
    gap, se = _gap(found, "5", "1")
    assert abs(gap - (expected["5"] - expected["1"])) < Z * se and gap > 0


def test_rtt_18_week_gradient_stands_out_at_scale_0_2(large):
    # One census date: about 6 points between quintiles 5 and 1 (the waiting list, not the
    # 15 points of clock stops within 18 weeks), so it takes scale 0.2 to stand out.
    effects, recovered = large
    found = recovered("rtt_18_weeks_by_deprivation")
    expected = effects["rtt_18_weeks_by_deprivation"]["expected"]
    gap, se = _gap(found, "5", "1")
    assert abs(gap - (expected["5"] - expected["1"])) < Z * se and gap > Z * se


def test_cancer_faster_diagnosis_gaps_of_three_sizes(run):
    _, recovered = run
    found = recovered("cancer_28_days_by_ethnicity")
    for group, planted in [("Black", 0.10), ("Other", 0.06), ("Asian", 0.04)]:
        gap, se = _gap(found, "White", group)
        assert abs(gap - planted) < Z * se, group
    gap, se = _gap(found, "White", "Black")
    assert gap > Z * se
    assert "Not stated / not known" in found  # kept as its own group


def test_ae_four_hours_falls_with_age(run):
    _, recovered = run
    found = recovered("ae_4_hours_by_age")
    values = [found[band][1] for band in fx.AE_AGE_LABELS]
    assert values == sorted(values, reverse=True)
    gap, se = _gap(found, "0-17", "80+")
    assert abs(gap - 0.26) < Z * se


def test_bowel_screening_lower_for_men(run):
    _, recovered = run
    gap, se = _gap(recovered("bowel_screening_by_sex"), "F", "M")
    assert abs(gap - 0.08) < Z * se and gap > Z * se


def test_hypertension_control_intersection_beyond_the_two_factors(run):
    _, recovered = run
    found = recovered("hypertension_control_deprived_x_black")
    v = {g: value for g, (_, value) in found.items()}
    # Interaction: (DB - D) - (B - neither); planted (0.45 - 0.60) - (0.58 - 0.64) = -0.09.
    interaction = (v["deprived x Black"] - v["deprived x not Black"]) - (
        v["not deprived x Black"] - v["not deprived x not Black"]
    )
    se = math.sqrt(sum(_se(value, n) ** 2 for n, value in found.values()))
    assert abs(interaction - (-0.09)) < Z * se
    assert v["deprived x Black"] == min(v.values())


def _did(run):
    effects, recovered = run
    found = recovered("breast_screening_intervention")
    brent, se_brent = _gap(found, "Brent after", "Brent before")
    other, se_other = _gap(found, "other after", "other before")
    return effects["breast_screening_intervention"], brent - other, se_brent, other, se_other


def test_breast_screening_intervention_difference_in_differences(run):
    truth, did, se_brent, other, se_other = _did(run)
    se = math.hypot(se_brent, se_other)
    assert abs(did - truth["effect"]) < Z * se
    assert abs(other) < Z * se_other  # no change elsewhere
    assert truth["borough"] == "Brent" and truth["from"] == "2024-04-01"


def test_breast_screening_intervention_stands_out_at_scale_0_2(large):
    truth, did, se_brent, other, se_other = _did(large)
    se = math.hypot(se_brent, se_other)
    assert abs(did - truth["effect"]) < Z * se and did > 3 * se
    assert abs(other) < Z * se_other


def _widening(run):
    _, recovered = run
    found = recovered("cervical_screening_widening_gap")
    early, se_early = _gap(found, "early Q5", "early Q1")
    late, se_late = _gap(found, "late Q5", "late Q1")
    level, se_level = _gap(found, "late all", "early all")
    return late - early, math.hypot(se_early, se_late), level, se_level


def test_cervical_gap_widens_while_the_level_improves(run):
    widening, se, level, _ = _widening(run)
    # Planted: the gap grows by (0.20 / 23) a month, 12 months between the two periods.
    assert abs(widening - 0.20 * 12 / 23) < Z * se and widening > 0
    assert level > 0


def test_cervical_gap_widening_stands_out_at_scale_0_2(large):
    widening, se, level, se_level = _widening(large)
    assert widening > 3 * se
    assert level > 3 * se_level


@pytest.mark.parametrize(
    "effect_id",
    [
        "rtt_18_weeks_by_sex",
        "diagnostics_6_weeks_by_sex",
        "cancer_28_days_white_vs_mixed",
        "bowel_screening_by_deprivation",
        "hypertension_control_by_sex",
        "diagnostics_6_weeks_by_ethnicity",
        "diagnostics_6_weeks_by_deprivation",
    ],
)
def test_no_difference_groups_show_none(run, effect_id):
    effects, recovered = run
    found = recovered(effect_id)
    groups = effects[effect_id]["groups"]
    assert set(groups) <= set(found)
    first = groups[0]
    for other in groups[1:]:
        gap, se = _gap(found, first, other)
        assert abs(gap) < Z * se, f"{first} vs {other}: {gap:.3f}"
