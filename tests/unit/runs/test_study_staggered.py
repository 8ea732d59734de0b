"""run_study with ``design: staggered`` on hand-made published levels: 24 boroughs, 12 treated
in four cohorts (2023-07, 2024-01, 2024-04, 2024-07), 12 never treated; 36 months. Uptake
planted +6 points (most deprived +8, least +2: the gap narrows by 6) from each unit's start."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from focuson.reports.study_card import CARD_FILE
from focuson.runs.study import run_study
from focuson.runs.study_series import StudyError
from focuson.study.plan import PlanError, read_plan_text

MONTHS = [str(p) for p in pd.period_range("2022-01", "2024-12", freq="M")]
STARTS = ["2023-07", "2024-01", "2024-04", "2024-07"]
TREATED = {f"T{i:02d}": STARTS[i % 4] for i in range(11)}
NEVER = [f"C{i:02d}" for i in range(12)]
PLAN = """
outcome: {indicator: uptake, better: higher}
unit: {dimension: borough, group: X}
gap: {by: imd_quintile, most: 1, least: 5}
smallest_worthwhile_change: {overall: 2.0, gap: 2.0}
design: staggered
rollout: {ROLLOUT}
comparison_units: [COMPARISON]
windows: {pre: {start: 2022-01, end: 2023-12}, post: {start: 2024-01, end: 2024-12}}
"""


@pytest.fixture(scope="module")
def levels(tmp_path_factory) -> Path:
    rng = np.random.default_rng(11)
    t = np.arange(len(MONTHS))
    common = 0.002 * t + 0.01 * np.sin(2 * np.pi * t / 12)
    frames = []

    def add(dimension: str, group: str, p: np.ndarray) -> None:
        num = rng.binomial(4000, p).astype(float)
        frames.append(pd.DataFrame({
            "indicator": "uptake", "indicator_title": "Uptake", "period": MONTHS,
            "dimension": dimension, "group": group, "numerator": num, "denominator": 4000.0,
            "value": 100 * num / 4000, "suppressed": False,
        }))  # fmt: skip

    for unit in ["X", *TREATED, *NEVER]:
        start = {"X": "2024-01", **TREATED}.get(unit)
        on = t >= MONTHS.index(start) if start else np.zeros_like(t, dtype=bool)
        level = rng.uniform(0.5, 0.6)
        add("borough", unit, level + common + 0.06 * on)
        add("borough x imd_quintile", f"{unit} | 1", level - 0.08 + common + 0.08 * on)
        add("borough x imd_quintile", f"{unit} | 5", level + 0.08 + common + 0.02 * on)
    folder = tmp_path_factory.mktemp("levels")
    (folder / "monitor").mkdir()
    pd.concat(frames).to_parquet(folder / "monitor" / "levels.parquet")
    return folder


def _plan(tmp_path: Path, rollout=None, never=NEVER) -> Path:
    rollout = TREATED if rollout is None else rollout
    text = PLAN.replace("ROLLOUT", ", ".join(f"{u}: {m}" for u, m in rollout.items()))
    text = text.replace("COMPARISON", ", ".join(never))
    tmp_path.mkdir(parents=True, exist_ok=True)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def test_staggered_recovers_the_effect_the_gap_and_the_event_time_effects(tmp_path, levels):
    steps: list[str] = []
    run = run_study(_plan(tmp_path), tmp_path / "study", levels=levels, step=steps.append)
    e = run.effects.set_index("estimand")
    assert e.loc["overall", "estimate"] == pytest.approx(6, abs=0.5)
    assert e.loc["overall", "lower"] < 6 < e.loc["overall", "upper"]
    assert e.loc["gap", "estimate"] == pytest.approx(6, abs=1.0)  # positive = narrowed
    assert "imputation" in e.loc["overall", "method"]
    rel = e.loc["overall", ["relative", "relative_lower", "relative_upper"]].to_numpy(float)
    assert rel[1] < rel[0] < rel[2] and rel[0] == pytest.approx(10.5, abs=1.5)  # 6 of ~57
    events = run.effects.loc[run.effects["estimand"] == "event_time"].set_index("group")
    assert {"-6", "-1", "+0", "+5"} <= set(events.index)
    assert events.loc[["-3", "-2", "-1"], "estimate"].abs().max() < 1.0
    assert events.loc["+0", "estimate"] == pytest.approx(6, abs=1.0)
    assert run.verdict.overall is not None and run.verdict.overall.category == "improved"
    assert run.verdict.gap is not None and run.verdict.gap.category == "improved"
    assert "Fitting the design: staggered" in steps
    # the MDE compares X with never-treated units only (T.. start inside the pre window)
    mde = float(run.power.split("can detect ")[1].split(" pp")[0])
    assert 0.5 < mde < 3.0
    checks = pd.read_parquet(run.out_dir / "checks.parquet").set_index("check")
    assert checks.loc["parallel_trends", "status"] == "pass"
    assert "Event-time leads" in checks.loc["parallel_trends", "sentence"]
    card = (run.out_dir / CARD_FILE).read_text(encoding="utf-8")
    assert 'id="event-time"' in card and "Months since the start" in card


def test_without_never_treated_units_the_run_names_the_unidentified_months(tmp_path, levels):
    with pytest.raises(StudyError, match=r"staggered.*never-treated comparison units"):
        run_study(_plan(tmp_path, never=[]), tmp_path / "study", levels=levels)


def test_did_with_different_starts_is_refused_naming_the_staggered_design():
    text = PLAN.replace("design: staggered", "design: did")
    text = text.replace("ROLLOUT", "T00: 2023-07").replace("COMPARISON", "C00")
    with pytest.raises(PlanError, match="use design: staggered"):
        read_plan_text(text)


@pytest.mark.parametrize(
    ("rollout", "message"),
    [
        ("{}", "needs rollout: the first month of each treated unit"),
        ("{T00: 2025-03}", "rollout months of T00 must fall after the pre window starts"),
        ("{T00: 2024-13}", "expected a month written YYYY-MM"),
    ],
)
def test_the_plan_refuses_a_staggered_design_without_a_usable_rollout(rollout, message):
    text = PLAN.replace("ROLLOUT", "").replace("{}", rollout).replace("COMPARISON", "C00")
    with pytest.raises(PlanError, match=message):
        read_plan_text(text)
