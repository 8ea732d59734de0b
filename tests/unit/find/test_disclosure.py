"""Disclosure control on findings: small cells, secondary suppression, blanking, rounding."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from focuson.find import disclose_findings, find, suppression


def _findings(numerators, denominators, dimension="ethnicity_6", statistic="proportion"):
    groups = [f"g{i}" for i in range(len(numerators))]
    return pd.DataFrame(
        {
            "indicator": "a",
            "period": "p",
            "statistic": statistic,
            "dimension": ["overall", *[dimension] * len(groups)],
            "group": ["All", *groups],
            "numerator": [float(sum(numerators)), *map(float, numerators)],
            "denominator": [float(sum(denominators)), *map(float, denominators)],
        }
    )


def test_small_cells_are_suppressed_and_their_partner_too():
    f = _findings([3, 40, 50], [30, 100, 120])
    hidden = suppression(f)
    # 3 is small; alone it would follow from the overall, so the next smallest (40) goes too.
    assert hidden.tolist() == [False, True, True, False]


def test_nothing_is_suppressed_when_every_count_is_large():
    assert not suppression(_findings([30, 40, 50], [100, 100, 120])).any()


def test_small_denominators_suppress_the_row():
    hidden = suppression(_findings([0, 0, 50], [5, 60, 120]))
    assert hidden[1] and hidden.sum() == 2


def test_an_overall_of_one_to_seven_is_suppressed():
    f = _findings([2, 3], [4, 3])
    assert suppression(f).all()


@given(
    st.lists(st.integers(0, 60), min_size=2, max_size=8),
    st.lists(st.integers(0, 40), min_size=2, max_size=8),
)
def test_no_suppressed_cell_is_recoverable_within_a_dimension(numerators, extra):
    k = min(len(numerators), len(extra))
    num = numerators[:k]
    den = [n + e for n, e in zip(num, extra[:k], strict=True)]
    f = _findings(num, den)
    out = disclose_findings(f)
    groups = out.iloc[1:]
    # With the overall published, one suppressed group in the line would be overall - the rest.
    if not out["suppressed"].iloc[0]:
        assert groups["suppressed"].sum() != 1
    # Every small published count is gone; every published count is a multiple of 5.
    for col in ("numerator", "denominator"):
        shown = out.loc[~out["suppressed"], col]
        assert (shown % 5 == 0).all()
        true = f.loc[~out["suppressed"].to_numpy(), col]
        assert not ((true >= 1) & (true <= 7)).any()
    assert out.loc[out["suppressed"], ["numerator", "denominator"]].isna().all().all()


def test_disclose_findings_blanks_suppressed_rows_and_rounds_counts():
    f = _findings([3, 40, 52], [30, 100, 123]).assign(
        value=[40.0, 10.0, 40.0, 42.3],
        reference_group=[None, "rest", "rest", "rest"],
        reference_value=[np.nan, 41.0, 40.0, 30.0],
        p_value=[np.nan, 0.01, 0.5, 0.02],
        q_value=[np.nan, 0.03, 0.5, 0.03],
        significant=[False, True, False, True],
        direction=[None, "worse", "similar", "better"],
        excess=[np.nan, 93.4, 0.0, 0.0],
    )
    out = disclose_findings(f)
    hidden = out.loc[out["suppressed"]]
    assert len(hidden) == 2
    assert hidden[["value", "reference_value", "p_value", "excess"]].isna().all().all()
    assert not hidden["significant"].any() and hidden["direction"].isna().all()
    shown = out.loc[~out["suppressed"]].set_index("group")
    assert shown.loc["g2", ["numerator", "denominator", "value"]].tolist() == [50.0, 125.0, 42.3]
    assert shown.loc["All", "numerator"] == 95.0


def test_a_suppressed_reference_group_blanks_the_comparisons_against_it(frames):
    ind = frames.indicators(("a", "proportion", 100.0, "higher_is_better", np.nan, np.nan))
    agg = frames.with_overall(
        frames.aggregates(
            "a",
            "p",
            "imd_quintile",
            ["1", "2", "3", "4", "5"],
            [40, 50, 60, 70, 4],
            [100, 100, 100, 100, 6],
        )
    )
    f = find(agg, ind).findings.set_index("group")
    assert f.loc["5", "suppressed"]
    assert f.loc[["1", "2", "3", "4"], "reference_value"].isna().all()
    assert f.loc[["1", "2", "3", "4"], "p_value"].isna().all()
    assert not f["significant"].any()


def test_numerators_of_means_are_sums_not_counts():
    f = _findings([1500.0, 1400.0, 1390.0], [10, 10, 10], statistic="mean")
    out = disclose_findings(f)
    assert out["numerator"].tolist() == [4290.0, 1500.0, 1400.0, 1390.0]
    assert out["denominator"].tolist() == [30.0, 10.0, 10.0, 10.0]
