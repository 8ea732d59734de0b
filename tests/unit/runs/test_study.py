"""run_study on hand-made published level series: the gap fit, the red flag, suppression."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from focuson.runs.study import StudyError, run_study

MONTHS = [str(p) for p in pd.period_range("2023-01", "2024-12", freq="M")]
PLAN = """
outcome: {indicator: uptake, better: higher}
unit: {dimension: borough, group: X}
gap: {by: imd_quintile, most: 1, least: 5}
smallest_worthwhile_change: {overall: 2.0, gap: 2.0}
design: its
windows: {pre: {start: 2023-01, end: 2023-12}, post: {start: 2024-01, end: 2024-12}}
model: {family: binomial, impact: level, fourier_pairs: 0}
"""


def _levels(folder: Path, probs: dict[tuple[str, str], tuple[float, float]], seed=1) -> Path:
    rng = np.random.default_rng(seed)
    post = np.arange(len(MONTHS)) >= 12
    frames = []
    for (dimension, group), (before, after) in probs.items():
        den = np.full(len(MONTHS), 4000.0)
        num = rng.binomial(4000, np.where(post, after, before)).astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "indicator": "uptake",
                    "indicator_title": "Uptake",
                    "period": MONTHS,
                    "dimension": dimension,
                    "group": group,
                    "numerator": num,
                    "denominator": den,
                    "value": 100 * num / den,
                    "suppressed": False,
                }
            )
        )
    (folder / "monitor").mkdir(parents=True)
    pd.concat(frames).to_parquet(folder / "monitor" / "levels.parquet")
    return folder


def _plan(tmp_path: Path, text: str = PLAN) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_level_rise_with_a_widening_gap_is_flagged_red(tmp_path):
    levels = _levels(
        tmp_path / "r",
        {
            ("borough", "X"): (0.50, 0.58),
            ("borough x imd_quintile", "X | 1"): (0.45, 0.45),
            ("borough x imd_quintile", "X | 5"): (0.60, 0.70),
        },
    )
    run = run_study(_plan(tmp_path), tmp_path / "study", levels=levels)
    effects = run.effects.set_index("estimand")
    assert effects.loc["overall", "estimate"] == pytest.approx(8, abs=1.5)
    # The gap widened by 10 points: oriented so that positive = narrowed.
    assert effects.loc["gap", "estimate"] == pytest.approx(-10, abs=1.5)
    assert effects.loc["baseline_gap", "estimate"] == pytest.approx(15, abs=1.5)
    assert run.verdict.flag == "red"
    assert run.verdict.gap is not None and run.verdict.gap.category == "worsened"
    assert "in the gap" in run.power and run.notes == ()


def test_a_suppressed_month_of_the_unit_gives_no_verdict_and_says_so(tmp_path):
    levels = _levels(
        tmp_path / "r",
        {
            ("borough", "X"): (0.50, 0.58),
            ("borough x imd_quintile", "X | 1"): (0.45, 0.45),
            ("borough x imd_quintile", "X | 5"): (0.60, 0.70),
        },
    )
    table = pd.read_parquet(levels / "monitor" / "levels.parquet")
    hide = (table["group"] == "X") & (table["period"] == "2023-06")
    table.loc[hide, ["numerator", "denominator", "value"]] = np.nan
    table.loc[hide, "suppressed"] = True
    table.to_parquet(levels / "monitor" / "levels.parquet")
    run = run_study(_plan(tmp_path), tmp_path / "study", levels=levels)
    assert run.verdict.overall is None
    assert run.verdict.overall_line.startswith("Descriptive only")
    assert run.notes == (
        "X: 1 of 24 months suppressed or not published (from 2023-06); they are missing points, "
        "never filled in.",
    )
    assert list(run.effects["estimand"]) == ["gap", "baseline_gap", "group", "group"]
    # Checks that could not be made are "not done", never "fail".
    checks = pd.read_parquet(tmp_path / "study" / "checks.parquet").set_index("check")
    assert checks.loc["pre_trend", "status"] == "not applicable"


def test_a_unit_missing_from_the_breakdown_names_the_groups_there(tmp_path):
    levels = _levels(tmp_path / "r", {("borough", "Y"): (0.5, 0.5)})
    with pytest.raises(StudyError, match=r"no group 'X'.*it has: Y"):
        run_study(_plan(tmp_path), tmp_path / "study", levels=levels)


def test_the_plan_names_its_levels_and_a_gaussian_model_reads_the_values(tmp_path):
    _levels(
        tmp_path / "r",
        {
            ("borough", "X"): (0.50, 0.58),
            ("borough x imd_quintile", "X | 1"): (0.45, 0.45),
            ("borough x imd_quintile", "X | 5"): (0.60, 0.70),
        },
    )
    text = PLAN.replace("family: binomial", "family: gaussian") + "levels: r\n"
    run = run_study(_plan(tmp_path, text), tmp_path / "study")  # levels relative to the plan
    effects = run.effects.set_index("estimand")
    assert effects.loc["overall", "estimate"] == pytest.approx(8, abs=1.5)
    assert effects.loc["overall", "units"] == "indicator units"
    assert run.verdict.flag == "red"
