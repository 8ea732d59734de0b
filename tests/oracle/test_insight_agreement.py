"""Inter-coder agreement against published worked examples."""

import numpy as np
import pytest

from focuson.insight.agreement import agreement_table

pytestmark = pytest.mark.oracle


def test_krippendorff_2011_binary_two_observers_example():
    # Krippendorff K. Computing Krippendorff's alpha-reliability (2011), section A: binary
    # data, two observers, no missing data; ten units. Published alpha = 0.095.
    a = np.array([0, 1, 0, 0, 0, 0, 0, 0, 1, 0])[:, None]
    b = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])[:, None]
    row = agreement_table(a, b, ["code"]).iloc[0]
    assert row["alpha"] == pytest.approx(0.095, abs=5e-4)
    assert row["percent_agreement"] == pytest.approx(60.0)


def test_cohen_kappa_textbook_two_by_two():
    # The standard worked example (50 proposals read by two readers: both yes 20, A only 5,
    # B only 10, both no 15): p_o = 0.7, p_e = 0.5, kappa = 0.4 exactly (Wikipedia, "Cohen's
    # kappa", worked example; the arithmetic is Cohen 1960, eq. 1).
    a = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)[:, None]
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)[:, None]
    row = agreement_table(a, b, ["yes"]).iloc[0]
    assert row["kappa"] == pytest.approx(0.4, abs=1e-12)
    assert row["percent_agreement"] == pytest.approx(70.0)
