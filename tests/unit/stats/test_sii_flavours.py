"""The three SII flavours: one entry point, each result names its flavour, and they agree where
their methods coincide (a linear fit with the local population as the national one)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.inequality.orientation import oriented
from focuson.stats.inequality.sii import SII_FLAVOURS, sii

Y = np.array([60.0, 62.0, 65.0, 67.0, 70.0])
POP = np.array([1000.0, 1200.0, 900.0, 1100.0, 1000.0])
SE = np.full(5, 1.0)


def _all_flavours(flip: bool = False):
    return {
        "who": sii("who", Y, SE, POP, scale=100, model="linear"),
        "ohid": sii("ohid", Y, POP, se=SE, repetitions=1000),
        "nhse": sii("nhse", Y, POP, POP, lower=Y - 1.96, upper=Y + 1.96, flip=flip),
    }


def test_every_flavour_names_itself_in_its_output():
    for key, est in _all_flavours().items():
        label = SII_FLAVOURS[key].label.split()[0]  # "WHO/healthequal", "OHID", "NHS"
        assert label.split("/")[0] in est.statistic, (key, est.statistic)


def test_flavours_agree_when_their_methods_coincide():
    # Linear WHO SII, OHID local-rank WLS and NE&Y with England = the local area are the same
    # population-weighted slope on midpoint ranks.
    values = [est.value[0] for est in _all_flavours().values()]
    assert_allclose(values, values[0], rtol=1e-10)


def test_nhse_flip_reports_most_minus_least_deprived():
    raw = _all_flavours(flip=False)["nhse"].value
    flipped = _all_flavours(flip=True)["nhse"].value
    assert_allclose(flipped, -raw)
    # For an adverse indicator the flipped value is what orientation presents.
    assert_allclose(flipped, oriented("sii", raw, "adverse"))


def test_unknown_flavour_lists_the_choices():
    with pytest.raises(ValueError, match="flavour: expected one of who, ohid, nhse"):
        sii("phe", Y, POP)
