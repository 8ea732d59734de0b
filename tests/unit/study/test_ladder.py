"""focuson.study.ladder: each rung of evaluation.md section 2, and the plan's suggestion."""

import pytest

from focuson.study.ladder import suggest_design, suggest_for_plan
from focuson.study.plan import read_plan_text


@pytest.mark.parametrize(
    ("kwargs", "design"),
    [
        ({"starts": ["a"], "comparison_units": 20, "pre_months": 3, "total_months": 7},
         "descriptive"),
        ({"starts": ["a"], "comparison_units": 5, "pre_months": 24, "total_months": 36,
          "chosen_on_baseline": True}, "ancova"),
        ({"starts": ["2024-01", "2024-06", "2024-01"], "comparison_units": 0, "pre_months": 24,
          "total_months": 36}, "staggered"),
        ({"starts": ["a"], "comparison_units": 0, "pre_months": 12, "total_months": 24}, "its"),
        ({"starts": ["a"], "comparison_units": 0, "pre_months": 6, "total_months": 24},
         "descriptive"),
        ({"starts": ["a"], "comparison_units": 10, "pre_months": 24, "total_months": 36}, "sdid"),
        ({"starts": ["a"] * 10, "comparison_units": 10, "pre_months": 12, "total_months": 24},
         "did"),
        ({"starts": ["a"] * 3, "comparison_units": 4, "pre_months": 12, "total_months": 24},
         "comparative_its"),
    ],
)  # fmt: skip
def test_each_rung(kwargs, design):
    assert suggest_design(**kwargs).design == design


def test_a_plan_with_a_staggered_rollout_is_suggested_the_staggered_design():
    plan = read_plan_text("""
outcome: {indicator: x, better: higher}
unit: {dimension: borough, group: X}
smallest_worthwhile_change: {overall: 2, gap: 1}
design: staggered
rollout: {A: 2024-04, B: 2024-07}
comparison_units: [C1, C2]
windows: {pre: {start: 2022-01, end: 2023-12}, post: {start: 2024-01, end: 2024-12}}
""")
    s = suggest_for_plan(plan)
    assert s.design == "staggered"
    assert "3 treated units start in 3 different months" in s.reason
