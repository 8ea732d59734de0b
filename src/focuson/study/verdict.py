"""The deterministic Study verdict (method notes, evaluation.md section 6).

An effect ``e`` with its 95% confidence interval ``[L, U]`` is oriented so that positive means
better (for the gap: positive means the gap narrowed) and compared with the pre-agreed smallest
worthwhile change ``delta > 0``. The rule, applied in order, is after the Improvement Analytics
Unit's Statistical Analysis Protocol (Health Foundation with NHS England):

1. ``U < 0``: Worsened (harm the interval is sure of is reported, however small).
2. ``L > 0`` and ``U >= delta``: Improved; "size uncertain" when ``L < delta``.
3. ``-delta < L`` and ``U < delta``: No important effect; "small real improvement" when ``L > 0``.
4. Otherwise: Inconclusive (the interval holds both no effect and a worthwhile effect).

The verdict is read from intervals and ``delta``, never from a p-value.

>>> judge(2.0, 1.0, 3.0, delta=1.5).label
'Improved (size uncertain)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Category = Literal["worsened", "improved", "no_important_effect", "inconclusive"]
Flag = Literal["red", "amber", "none"]

#: The words of each verdict, with its qualifier when it has one.
LABELS: dict[tuple[Category, bool], str] = {
    ("worsened", False): "Worsened",
    ("improved", False): "Improved",
    ("improved", True): "Improved (size uncertain)",
    ("no_important_effect", False): "No important effect",
    ("no_important_effect", True): "No important effect (small real improvement)",
    ("inconclusive", False): "Inconclusive",
}

#: What the board usually decides for each verdict (section 6, "The board decides").
DECISIONS: dict[Category, str] = {
    "worsened": "stop",
    "improved": "continue",
    "no_important_effect": "stop or adapt",
    "inconclusive": "adapt or extend the test (see the minimum detectable effect)",
}


@dataclass(frozen=True)
class Verdict:
    """One verdict: the category, its qualifier and the numbers it was read from.

    ``qualified`` is True for "size uncertain" (improved) and "small real improvement" (no
    important effect).
    """

    category: Category
    qualified: bool
    estimate: float
    lower: float
    upper: float
    delta: float

    @property
    def label(self) -> str:
        """The verdict in words, e.g. ``'Improved (size uncertain)'``."""
        return LABELS[(self.category, self.qualified)]

    @property
    def decision(self) -> str:
        """The decision the board usually takes on this verdict."""
        return DECISIONS[self.category]


def judge(estimate: float, lower: float, upper: float, *, delta: float) -> Verdict:
    """Apply the verdict rule of evaluation.md section 6 to one oriented effect.

    Parameters
    ----------
    estimate, lower, upper : float
        The effect and its 95% confidence interval, oriented so that positive is better (for
        the gap, positive is a narrower gap).
    delta : float
        The smallest worthwhile change agreed in the plan, on the same scale; must be > 0.

    Returns
    -------
    Verdict

    Raises
    ------
    ValueError
        When a number is not finite, ``lower > upper``, or ``delta <= 0``.

    Examples
    --------
    >>> judge(-0.5, -1.0, -0.1, delta=2).label
    'Worsened'
    >>> judge(0.5, 0.1, 1.0, delta=2).label
    'No important effect (small real improvement)'
    >>> judge(1.0, -1.0, 3.0, delta=2).label
    'Inconclusive'
    """
    values = (estimate, lower, upper, delta)
    if not all(math.isfinite(v) for v in values):
        raise ValueError(
            "The effect, its confidence interval and the smallest worthwhile change must all be "
            "numbers (not missing or infinite). Check the fitted model and the plan."
        )
    if lower > upper:
        raise ValueError(
            "The lower end of the confidence interval is above the upper end; pass them in the "
            "order lower, upper."
        )
    if delta <= 0:
        raise ValueError(
            "The smallest worthwhile change must be greater than zero; set it in the plan "
            "(smallest_worthwhile_change)."
        )
    if upper < 0:
        category: Category = "worsened"
        qualified = False
    elif lower > 0 and upper >= delta:
        category, qualified = "improved", lower < delta
    elif -delta < lower and upper < delta:
        category, qualified = "no_important_effect", lower > 0
    else:
        category, qualified = "inconclusive", False
    return Verdict(category, qualified, estimate, lower, upper, delta)


@dataclass(frozen=True)
class StudyVerdict:
    """The verdicts for the overall effect and the gap, the flag and the card's two lines.

    ``descriptive_reason`` is set (and both verdicts are None) when inference is not credible.
    """

    overall: Verdict | None
    gap: Verdict | None
    flag: Flag
    overall_line: str
    gap_line: str
    descriptive_reason: str | None = None


def _fmt(x: float, unit: str) -> str:
    return f"{x:.1f}{unit}"


def _overall_sentence(v: Verdict, outcome: str, unit: str) -> str:
    ci = f"({_fmt(v.lower, unit)} to {_fmt(v.upper, unit)})"
    size = _fmt(abs(v.estimate), unit)
    if v.category == "worsened":
        return f"{outcome} got worse by {size} {ci}: {v.label.lower()}."
    if v.category == "improved":
        return f"{outcome} improved by {size} {ci}: {v.label.lower()}."
    if v.category == "no_important_effect":
        return (
            f"{outcome} changed by {_fmt(v.estimate, unit)} {ci}, within the smallest worthwhile "
            f"change of {_fmt(v.delta, unit)}: {v.label.lower()}."
        )
    return (
        f"{outcome} changed by {_fmt(v.estimate, unit)} {ci}: inconclusive, the interval holds "
        f"both no effect and a worthwhile effect of {_fmt(v.delta, unit)}."
    )


def _gap_sentence(v: Verdict, gap_name: str, unit: str, overall_improved: bool) -> str:
    ci = f"({_fmt(v.lower, unit)} to {_fmt(v.upper, unit)})"
    size = _fmt(abs(v.estimate), unit)
    if v.category == "worsened":
        start = "But the" if overall_improved else "The"
        tail = ": the programme helped the better-off groups most." if overall_improved else "."
        return f"{start} gap {gap_name} widened by {size} {ci}{tail}"
    if v.category == "improved":
        return f"The gap {gap_name} narrowed by {size} {ci}: {v.label.lower()}."
    if v.category == "no_important_effect":
        return (
            f"The gap {gap_name} changed by less than the smallest worthwhile change of "
            f"{_fmt(v.delta, unit)} {ci}: {v.label.lower()}."
        )
    return (
        f"We cannot tell whether the gap {gap_name} changed {ci}: the interval holds both no "
        f"change and a worthwhile change of {_fmt(v.delta, unit)}."
    )


def study_verdict(
    overall: tuple[float, float, float],
    gap: tuple[float, float, float],
    *,
    delta_overall: float,
    delta_gap: float,
    outcome: str = "The outcome",
    gap_name: str = "between the most and least deprived",
    unit: str = " pp",
    n_points: int | None = None,
    treated_clusters: int | None = None,
    placebo_inference: bool = False,
    pre_trend_failed: bool = False,
    pre_trend_justified: bool = False,
) -> StudyVerdict:
    """Verdicts for the overall effect and the gap, the red/amber flag and the card's two lines.

    Section 6 of evaluation.md: red flag when the overall effect Improved and the gap Worsened;
    amber when the gap is Inconclusive. No verdict ("descriptive only") when inference is not
    credible: fewer than 8 time points, fewer than 5 treated clusters without placebo inference,
    or a failed pre-trend check not justified in the plan's record.

    Parameters
    ----------
    overall, gap : tuple of float
        ``(estimate, lower, upper)``, oriented so that positive is better / a narrower gap.
    delta_overall, delta_gap : float
        Smallest worthwhile changes from the plan.
    outcome, gap_name, unit : str
        Words for the sentences.
    n_points, treated_clusters : int, optional
        Time points in the series and treated clusters (None when not applicable).
    placebo_inference, pre_trend_failed, pre_trend_justified : bool
        Whether placebo inference was used, the pre-trend check failed, and the failure was
        justified in the record.

    Examples
    --------
    >>> v = study_verdict((3.0, 1.0, 5.0), (-2.0, -3.5, -0.5), delta_overall=2, delta_gap=1,
    ...                   outcome="Uptake")
    >>> v.flag
    'red'
    >>> v.overall_line
    'Uptake improved by 3.0 pp (1.0 pp to 5.0 pp): improved (size uncertain).'
    >>> v.gap_line  # doctest: +NORMALIZE_WHITESPACE
    'But the gap between the most and least deprived widened by 2.0 pp (-3.5 pp to -0.5 pp):
    the programme helped the better-off groups most.'
    """
    reason = None
    if n_points is not None and n_points < 8:
        reason = f"only {n_points} time points (at least 8 are needed)"
    elif treated_clusters is not None and treated_clusters < 5 and not placebo_inference:
        reason = (
            f"only {treated_clusters} treated unit(s) and no placebo inference "
            "(cluster errors need at least 5)"
        )
    elif pre_trend_failed and not pre_trend_justified:
        reason = "the pre-trend check failed and the plan's record does not justify going on"
    if reason is not None:
        line = f"Descriptive only, no verdict: {reason}."
        return StudyVerdict(None, None, "none", line, "Not evaluable yet.", reason)
    vo = judge(*overall, delta=delta_overall)
    vg = judge(*gap, delta=delta_gap)
    flag: Flag = "none"
    if vo.category == "improved" and vg.category == "worsened":
        flag = "red"
    elif vg.category == "inconclusive":
        flag = "amber"
    return StudyVerdict(
        vo,
        vg,
        flag,
        _overall_sentence(vo, outcome, unit),
        _gap_sentence(vg, gap_name, unit, vo.category == "improved"),
    )
