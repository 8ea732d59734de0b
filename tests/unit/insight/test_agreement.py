"""Inter-coder agreement: kappa against statsmodels, alpha from krippendorff, errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.inter_rater import cohens_kappa

from focuson.insight.agreement import agreement, agreement_table


def _sample(seed=7, n=60, k=4):
    rng = np.random.default_rng(seed)
    a = rng.random((n, k)) < [0.1, 0.3, 0.5, 0.7]
    flip = rng.random((n, k)) < 0.15
    return a, a ^ flip


def test_kappa_matches_statsmodels_to_1e_12():
    a, b = _sample()
    out = agreement_table(a, b, ["w", "x", "y", "z"])
    for k in range(a.shape[1]):
        table = np.array(
            [
                [np.sum(a[:, k] & b[:, k]), np.sum(a[:, k] & ~b[:, k])],
                [np.sum(~a[:, k] & b[:, k]), np.sum(~a[:, k] & ~b[:, k])],
            ]
        )
        expected = cohens_kappa(table, return_results=False)
        assert_allclose(out.loc[k, "kappa"], expected, rtol=0, atol=1e-12)


def test_counts_percent_agreement_and_coded_agreement_by_hand():
    a = np.array([[1], [1], [1], [0], [0], [0], [0], [0], [0], [0]])
    b = np.array([[1], [1], [0], [1], [0], [0], [0], [0], [0], [0]])
    row = agreement_table(a, b, ["access"]).iloc[0]
    assert (row["n"], row["both"], row["a_only"], row["b_only"], row["neither"]) == (10, 2, 1, 1, 6)
    assert row["percent_agreement"] == pytest.approx(80.0)
    # p_e = (3*3 + 7*7) / 100 = 0.58; kappa = (0.8 - 0.58) / 0.42.
    assert row["kappa"] == pytest.approx(0.22 / 0.42, abs=1e-12)
    assert row["coded_agreement"] == pytest.approx(2 / 4)
    # Krippendorff's alpha (nominal, two coders, 20 values): 1 - (n - 1) D_o / D_e with
    # 2 disagreeing pairs each way: D_o = 4/20; expected from 6 ones and 14 zeros: 2*6*14/19/20.
    assert row["alpha"] == pytest.approx(1 - 19 * (4 / 20) / (2 * 6 * 14 / 20), abs=1e-12)


def test_alpha_is_krippendorff_nominal():
    import krippendorff

    a, b = _sample(seed=3)
    out = agreement_table(a, b, list("wxyz"))
    for k in range(4):
        data = np.vstack([a[:, k], b[:, k]]).astype(float)
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert out.loc[k, "alpha"] == pytest.approx(expected, abs=1e-12)


def test_no_variation_gives_blank_kappa_and_alpha_with_a_note():
    a = np.zeros((5, 1), dtype=bool)
    row = agreement_table(a, a, ["unused"]).iloc[0]
    assert row["percent_agreement"] == 100
    assert np.isnan(row["kappa"]) and np.isnan(row["alpha"])
    assert "no variation" in row["note"]


def test_long_form_codings_build_the_same_table():
    codings = pd.DataFrame(
        {
            "excerpt": ["e1", "e1", "e2", "e3", "e3"],
            "code": ["access", "access", "trust", "access", "trust"],
            "coder": ["ana", "ben", "ana", "ben", "ben"],
        }
    )
    out = agreement(
        codings, sample=["e1", "e2", "e3", "e4"], codes=["access", "trust"], coders=("ana", "ben")
    )
    a = np.array([[1, 0], [0, 1], [0, 0], [0, 0]], dtype=bool)
    b = np.array([[1, 0], [0, 0], [1, 1], [0, 0]], dtype=bool)
    pd.testing.assert_frame_equal(out, agreement_table(a, b, ["access", "trust"]))


def test_mismatched_inputs_are_clear_errors():
    a, b = _sample()
    with pytest.raises(ValueError, match="same excerpts and codes"):
        agreement_table(a, b[:-1], list("wxyz"))
    with pytest.raises(ValueError, match="3 names for 4 columns"):
        agreement_table(a, b, list("wxy"))
    with pytest.raises(ValueError, match="yes/no"):
        agreement_table(a * 2, b, list("wxyz"))
    with pytest.raises(ValueError, match="no excerpts"):
        agreement_table(np.zeros((0, 1)), np.zeros((0, 1)), ["w"])
    codings = pd.DataFrame({"excerpt": ["e9"], "code": ["access"], "coder": ["ana"]})
    with pytest.raises(ValueError, match="excerpts outside the sample: e9"):
        agreement(codings, sample=["e1"], codes=["access"], coders=("ana", "ben"))
    codings = pd.DataFrame({"excerpt": ["e1"], "code": ["access"], "coder": ["cy"]})
    with pytest.raises(ValueError, match="coders other than the two compared: cy"):
        agreement(codings, sample=["e1"], codes=["access"], coders=("ana", "ben"))
    with pytest.raises(ValueError, match="two different coders"):
        agreement(codings, sample=["e1"], codes=["access"], coders=("ana", "ana"))
