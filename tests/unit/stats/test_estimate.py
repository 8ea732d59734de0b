"""The Estimate machinery: texts stored by category, per-group arrays built on first read."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from focuson.stats import dsr, mean, proportion, rate
from focuson.stats.estimate import Estimate, Labels, filled


def test_labels_first_text_wins_and_repeated_texts_share_a_code():
    why = Labels(5)
    why.add(np.array([True, False, False, True, False]), "missing")
    why.add(np.array([True, True, False, False, False]), "zero")
    why.add(np.array([False, False, True, False, False]), "missing")
    assert why.array().tolist() == ["missing", "zero", "missing", "missing", ""]
    assert why.texts == ["", "missing", "zero"]
    assert why.ok.tolist() == [False, False, False, False, True]


def test_labels_choose_gives_one_of_two_texts():
    assert Labels.choose(np.array([True, False]), "Exact", "Byars").array().tolist() == [
        "Exact",
        "Byars",
    ]


@pytest.mark.parametrize(
    "est",
    [
        proportion([5, 0, np.nan], [10, 0, 3]),
        rate([3, 50, 1], [100, 1000, 0]),
        mean([10.0, 4.0], [4, 0], [1.0, 1.0]),
        dsr([5, 20, 30, 40], [100, 100, 100, 100], [1, 1, 1, 1], [0, 0, 1, 1]),
    ],
)
def test_vectorised_statistics_keep_texts_by_category_not_per_group(est):
    # Per-group object arrays of the same few texts were half the time of a million-group
    # proportion; the statistics now hand over one text (or codes) and build arrays on demand.
    assert isinstance(est._method, str | Labels)
    assert isinstance(est._reason, Labels)
    assert "method" not in vars(est) and "reason" not in vars(est)  # nothing built yet
    assert est.method.dtype == object and est.method.shape == est.value.shape
    assert est.reason.dtype == object and est.reason.shape == est.value.shape
    assert_array_equal(est.ok, est.reason == "")
    assert_array_equal(np.isnan(est.value), ~est.ok)


def test_public_outputs_are_the_per_group_arrays_they_always_were():
    est = proportion([5, 0, np.nan], [10, 0, 3], confidence=[0.95, 0.998])
    assert est.method.tolist() == ["Wilson"] * 3
    assert est.reason.tolist() == ["", "denominator is zero", "numerator or denominator missing"]
    cols = est.columns()
    assert cols["method"].tolist() == ["Wilson"] * 3 and cols["reason"] is est.reason
    assert rate([3, 50], [10, 10]).method.tolist() == ["Exact", "Byars"]


def test_an_estimate_built_from_arrays_still_works_and_is_read_only():
    est = Estimate(
        np.array([1.0, np.nan]), {}, "x", filled(2, "m"), np.array(["", "why"], dtype=object)
    )
    assert est.method.tolist() == ["m", "m"] and est.ok.tolist() == [True, False]
    assert est.dropped is None and dict(est.extras) == {}
    with pytest.raises(AttributeError, match="read-only"):
        est.value = np.zeros(2)  # type: ignore[misc]
