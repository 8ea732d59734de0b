"""run_study for the comparative designs and the descriptive path, on hand-made published
level series: 12 boroughs (X treated, 11 comparison), 24 + 12 months, a common trend and
season, X's uptake planted +6 points (most deprived +8, least deprived +2: the gap narrows 6)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from focuson.runs.study import run_study
from focuson.runs.study_series import StudyError

MONTHS = [str(p) for p in pd.period_range("2022-01", "2024-12", freq="M")]
OTHERS = [f"C{i:02d}" for i in range(11)]
PLAN = """
outcome: {indicator: uptake, better: higher}
unit: {dimension: borough, group: X}
gap: {by: imd_quintile, most: 1, least: 5}
smallest_worthwhile_change: {overall: 2.0, gap: 2.0}
design: DESIGN
comparison_units: [COMPARISON]
windows: {pre: {start: 2022-01, end: 2023-12}, post: {start: 2024-01, end: 2024-12}}
model: {family: binomial, impact: level, fourier_pairs: 0}
"""


@pytest.fixture(scope="module")
def levels(tmp_path_factory) -> Path:
    rng = np.random.default_rng(7)
    t = np.arange(len(MONTHS))
    post = t >= 24
    common = 0.002 * t + 0.01 * np.sin(2 * np.pi * t / 12)  # shared trend and season
    frames = []

    def add(dimension: str, group: str, p: np.ndarray) -> None:
        num = rng.binomial(4000, p).astype(float)
        frames.append(pd.DataFrame({
            "indicator": "uptake", "indicator_title": "Uptake", "period": MONTHS,
            "dimension": dimension, "group": group, "numerator": num, "denominator": 4000.0,
            "value": 100 * num / 4000, "suppressed": False,
        }))  # fmt: skip

    for unit in ["X", *OTHERS]:
        level = 0.55 if unit == "X" else rng.uniform(0.5, 0.6)
        most_step, least_step = (0.08, 0.02) if unit == "X" else (0.0, 0.0)
        add("borough", unit, level + common + 0.06 * post * (unit == "X"))
        add("borough x imd_quintile", f"{unit} | 1", level - 0.08 + common + most_step * post)
        add("borough x imd_quintile", f"{unit} | 5", level + 0.08 + common + least_step * post)
    folder = tmp_path_factory.mktemp("levels")
    (folder / "monitor").mkdir()
    pd.concat(frames).to_parquet(folder / "monitor" / "levels.parquet")
    return folder


def _run(tmp_path: Path, levels: Path, design: str, others=OTHERS, **replace: str):
    text = PLAN.replace("DESIGN", design).replace("COMPARISON", ", ".join(others))
    for old, new in replace.items():
        text = text.replace(old, new)
    plan = tmp_path / "plan.yaml"
    tmp_path.mkdir(parents=True, exist_ok=True)
    plan.write_text(text, encoding="utf-8")
    steps: list[str] = []
    run = run_study(plan, tmp_path / "study", levels=levels, step=steps.append)
    return run, steps


def test_comparative_its_recovers_the_effect_and_the_narrowed_gap(tmp_path, levels):
    run, steps = _run(tmp_path, levels, "comparative_its")
    e = run.effects.set_index("estimand")
    assert e.loc["overall", "estimate"] == pytest.approx(6, abs=1)
    assert e.loc["overall", "lower"] < 6 < e.loc["overall", "upper"]
    assert e.loc["gap", "estimate"] == pytest.approx(6, abs=1.5)  # positive = narrowed
    assert e.loc["baseline_gap", "estimate"] == pytest.approx(16, abs=1)
    assert e.loc["overall", "se_convention"].startswith("HAC (Driscoll-Kraay")
    assert run.verdict.overall.category == "improved" and run.verdict.gap.category == "improved"
    assert "Fitting the design: comparative its" in steps
    assert (run.out_dir / "card.html").is_file()
    checks = pd.read_parquet(run.out_dir / "checks.parquet").set_index("check")
    assert checks.loc["parallel_trends", "status"] == "pass"


@pytest.mark.parametrize("design", ["sdid", "synthetic_control"])
def test_sdid_and_synthetic_control_give_placebo_intervals_and_a_verdict(tmp_path, levels, design):
    run, _ = _run(tmp_path, levels, design)
    e = run.effects.set_index("estimand")
    assert e.loc["overall", "estimate"] == pytest.approx(6, abs=1.5)
    assert "placebo SE (200 replications" in e.loc["overall", "se_convention"]
    assert e.loc["gap", "estimate"] == pytest.approx(6, abs=2)
    # 6 of an expected gap of 16 points closed
    assert e.loc["gap", "relative"] == pytest.approx(100 * 6 / 16, abs=15)
    assert run.verdict.overall is not None and run.verdict.overall.category == "improved"
    series = pd.read_parquet(run.out_dir / "series.parquet")
    expected = series.loc[(series["series"] == "overall") & (series["phase"] == "post")]
    assert expected["expected"].notna().all()  # the synthetic counterfactual is drawn


def test_few_donors_or_pre_months_make_sdid_descriptive_and_say_why(tmp_path, levels):
    run, _ = _run(tmp_path, levels, "sdid", others=OTHERS[:6])
    assert run.verdict.overall is None
    assert "needs at least 10 comparison units and 24 pre-period months" in run.verdict.overall_line
    assert "this plan has 6 and 24" in run.verdict.overall_line


def test_did_with_one_treated_unit_is_descriptive_naming_the_permutation_test(tmp_path, levels):
    run, _ = _run(tmp_path, levels, "did")
    assert run.verdict.overall is None
    assert "permutation test over 12 assignments" in run.verdict.overall_line
    assert "sdid or synthetic_control" in run.verdict.overall_line
    e = run.effects.set_index("estimand")
    assert e.loc["overall", "estimate"] == pytest.approx(6, abs=1)
    assert e.loc["gap", "estimate"] == pytest.approx(6, abs=1.5)  # the triple difference
    checks = pd.read_parquet(run.out_dir / "checks.parquet").set_index("check")
    assert checks.loc["parallel_trends", "sentence"].startswith("Event-study leads")
    assert checks.loc["placebo", "sentence"].startswith("Permutation test")


def test_ancova_with_one_treated_unit_reports_the_adjusted_difference_descriptively(
    tmp_path, levels
):
    run, _ = _run(tmp_path, levels, "ancova")
    assert run.verdict.overall is None
    assert "baseline-adjusted difference" in run.verdict.overall_line
    assert "a change score would say" in run.verdict.overall_line


def test_descriptive_design_and_too_few_months_give_a_run_chart_in_words(tmp_path, levels):
    run, _ = _run(tmp_path, levels, "descriptive")
    assert run.verdict.overall_line.startswith("Descriptive only, not evaluable yet")
    assert "special cause improvement" in run.verdict.gap_line
    assert run.effects.empty and "descriptive" in run.power
    short = {"start: 2022-01, end: 2023-12": "start: 2023-10, end: 2023-12",
             "start: 2024-01, end: 2024-12": "start: 2024-01, end: 2024-03"}  # fmt: skip
    run, _ = _run(tmp_path / "short", levels, "its", **short)
    assert "only 6 months in the windows" in run.verdict.overall_line


def test_a_unknown_comparison_unit_is_named_with_the_groups_there(tmp_path, levels):
    with pytest.raises(StudyError, match=r"no group 'Nowhere'.*C00"):
        _run(tmp_path, levels, "sdid", others=["Nowhere"])


def test_a_comparison_unit_with_a_suppressed_month_is_left_out_and_named(tmp_path, levels):
    table = pd.read_parquet(levels / "monitor" / "levels.parquet")
    hit = (table["group"] == "C03") & (table["period"] == "2022-05")
    table.loc[hit, ["suppressed", "value"]] = [True, np.nan]
    (tmp_path / "r" / "monitor").mkdir(parents=True)
    table.to_parquet(tmp_path / "r" / "monitor" / "levels.parquet")
    run, _ = _run(tmp_path, tmp_path / "r", "comparative_its")
    assert (
        run.effects.set_index("estimand")
        .loc["overall", "method"]
        .startswith("comparative ITS against 10 comparison unit(s)")
    )
    assert any(n.startswith("Left out of the comparison") and "C03" in n for n in run.notes)
