"""The verdict rule of evaluation.md section 6, at each boundary."""

import pytest

from focuson.study.verdict import judge, study_verdict

D = 2.0


@pytest.mark.parametrize(
    ("lower", "upper", "label"),
    [
        # U < 0: worsened, however small; U = 0 is not worsened.
        (-1.0, -0.01, "Worsened"),
        (-5.0, -4.0, "Worsened"),
        (-1.0, 0.0, "No important effect"),
        (-D, 0.0, "Inconclusive"),  # L = -delta is not inside the equivalence band
        (-D + 0.01, 0.0, "No important effect"),
        # L > 0 and U >= delta: improved; L = 0 is not improved.
        (0.0, 3.0, "Inconclusive"),
        (0.01, 3.0, "Improved (size uncertain)"),
        (0.01, D, "Improved (size uncertain)"),  # U = delta counts as improved
        (0.01, D - 0.01, "No important effect (small real improvement)"),
        (0.0, D - 0.01, "No important effect"),  # L = 0: no "small real improvement"
        (D, 4.0, "Improved"),  # L = delta: size certain
        (D - 0.01, 4.0, "Improved (size uncertain)"),
        # Equivalence band edges.
        (-D + 0.01, D - 0.01, "No important effect"),
        (-D + 0.01, D, "Inconclusive"),  # U = delta
        (-D, D - 0.01, "Inconclusive"),  # L = -delta
        (-3.0, 3.0, "Inconclusive"),
        (-3.0, 1.0, "Inconclusive"),
    ],
)
def test_rule_at_boundaries(lower: float, upper: float, label: str) -> None:
    estimate = (lower + upper) / 2
    assert judge(estimate, lower, upper, delta=D).label == label


def test_decision_words() -> None:
    assert judge(3, 2.5, 4, delta=D).decision == "continue"
    assert judge(-3, -4, -1, delta=D).decision == "stop"


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((1.0, 2.0, 0.0), {"delta": D}, "order lower, upper"),
        ((1.0, 0.0, 2.0), {"delta": 0.0}, "greater than zero"),
        ((float("nan"), 0.0, 2.0), {"delta": D}, "not missing"),
    ],
)
def test_bad_input_is_explained(args: tuple, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        judge(*args, **kwargs)


def test_red_flag_when_overall_improves_and_gap_widens() -> None:
    v = study_verdict((3.0, 2.5, 3.5), (-1.0, -1.5, -0.5), delta_overall=2, delta_gap=1)
    assert v.flag == "red"
    assert v.gap_line.startswith("But the gap between the most and least deprived widened by 1.0")


def test_amber_when_gap_inconclusive() -> None:
    v = study_verdict((3.0, 2.5, 3.5), (0.0, -2.0, 2.0), delta_overall=2, delta_gap=1)
    assert v.flag == "amber"
    assert v.gap_line.startswith("We cannot tell whether the gap")


def test_no_flag_when_both_improve() -> None:
    v = study_verdict((3.0, 2.5, 3.5), (1.5, 1.2, 1.8), delta_overall=2, delta_gap=1)
    assert v.flag == "none"
    assert "narrowed by 1.5 pp (1.2 pp to 1.8 pp)" in v.gap_line


def test_gap_worse_without_overall_improvement_is_not_red() -> None:
    v = study_verdict((0.0, -3.0, 3.0), (-1.0, -1.5, -0.5), delta_overall=2, delta_gap=1)
    assert v.flag == "none"
    assert v.gap_line.startswith("The gap")


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"n_points": 7}, "only 7 time points"),
        ({"treated_clusters": 4}, "only 4 treated unit(s)"),
        ({"pre_trend_failed": True}, "pre-trend check failed"),
    ],
)
def test_descriptive_only(kwargs: dict, reason: str) -> None:
    v = study_verdict((3.0, 2.5, 3.5), (1.0, 0.5, 1.5), delta_overall=2, delta_gap=1, **kwargs)
    assert v.overall is None and v.gap is None
    assert v.descriptive_reason is not None and reason in v.descriptive_reason
    assert v.overall_line.startswith("Descriptive only")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_points": 8},
        {"treated_clusters": 5},
        {"treated_clusters": 1, "placebo_inference": True},
        {"pre_trend_failed": True, "pre_trend_justified": True},
    ],
)
def test_credible_inference_gets_a_verdict(kwargs: dict) -> None:
    v = study_verdict((3.0, 2.5, 3.5), (1.0, 0.5, 1.5), delta_overall=2, delta_gap=1, **kwargs)
    assert v.descriptive_reason is None and v.overall is not None
