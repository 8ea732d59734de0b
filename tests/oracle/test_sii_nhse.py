"""sii_nhse against NHS England North East and Yorkshire's published worked examples.

Source: nhsengland/NEY-Inequalities-Methodologies, commit 2cbc2c2 (Sep 2024):
'Inequalities Methodologies Document v1.QMD' (sections 2c-2e) and 'Functions.R'
(``Quintiles_new_Sii``). The document states its examples as the two fitted end points of the line
(most and least deprived); the data below put the quintile values on that line at NE&Y's national
ranks, so any correct implementation must return the published SII and RII. The England
population is illustrative (an input, not an expected value). Monte Carlo limits are checked
against normal theory (the slope is a fixed linear combination of normal draws) to 3% of the
interval width at NE&Y's 10,000 repetitions.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.inequality.sii_nhse import ney_positions, sii_nhse
from focuson.stats.inequality.sii_ohid import midpoint_ranks, sii_ohid, wls_weights

pytestmark = pytest.mark.oracle

ENGLAND = np.array([11.2e6, 11.3e6, 11.4e6, 11.3e6, 11.0e6])  # by national IMD quintile
ICB = np.array([310_000.0, 240_000.0, 200_000.0, 170_000.0, 130_000.0])


def national_ranks(flip: bool) -> np.ndarray:
    e = ENGLAND / ENGLAND.sum()
    rank = midpoint_ranks(e[np.newaxis, :])[0]
    return 1 - rank if flip else rank


def on_line(at_zero: float, at_one: float, flip: bool) -> np.ndarray:
    """Quintile values on the line from ``at_zero`` (x = 0) to ``at_one`` (x = 1)."""
    return at_zero + (at_one - at_zero) * national_ranks(flip)


def test_order_statistic_positions() -> None:
    # Functions.R, Quintiles_new_Sii: "e.g for 10000 reps, 95% limits - this gives the 250th and
    # 9750th" values.
    assert ney_positions(10_000, 0.95) == (250, 9750)


@pytest.mark.parametrize(
    ("at_zero", "at_one", "flip", "sii_ref", "rii_ref", "rii_atol"),
    [
        # Section 2d, Quintiles_new_Sii(..., FALSE, reps = 1000): "the two end points of the line
        # are 64.62, and 53.65"; "SII ... equates to -10.97"; "RII ... equates to 0.83" (2 dp).
        (64.62, 53.65, False, -10.97, 0.83, 0.005),
        # Section 2e: disease prevalence "SII ... is 2% (i.e. the absolute gap between 10% and
        # 8%)", "RII ... is 1.25 (10 expressed as a ratio of 8)"; FLIP = TRUE puts the most
        # deprived (10%) at x = 1.
        (8.0, 10.0, True, 2.0, 1.25, 0.0),
        # Section 2e: emergency admissions "40 per 1,000 population (i.e. the absolute gap between
        # 80 and 40 per 1,000)", "for emergency admissions it is 2 (80 expressed as a ratio of 40)".
        (40.0, 80.0, True, 40.0, 2.0, 0.0),
        # Section 2e: ICB A "12,000 - 8,000" per 100,000, RII "the same in both ICBs (1.5)".
        (8000.0, 12000.0, True, 4000.0, 1.5, 0.0),
        # Section 2e: ICB B "6,000 - 4,000", RII 1.5.
        (4000.0, 6000.0, True, 2000.0, 1.5, 0.0),
    ],
)
def test_ney_worked_examples(
    at_zero: float, at_one: float, flip: bool, sii_ref: float, rii_ref: float, rii_atol: float
) -> None:
    value = on_line(at_zero, at_one, flip)
    sii, rii = sii_nhse(
        value,
        ICB,
        ENGLAND,
        lower=value - 1,
        upper=value + 1,
        flip=flip,
        rii=True,
        repetitions=10_000,
    )
    assert_allclose(sii.value[0], sii_ref, rtol=1e-6)
    assert_allclose(rii.value[0], rii_ref, rtol=1e-6, atol=rii_atol)


def test_england_itself_equals_the_weighted_least_squares_slope() -> None:
    """Cross-check (method notes section 7): with local = England the new SII is the WLS slope.

    It then equals the locally ranked SII of phe_sii (sii_ohid) and healthequal's linear SII (WLS
    of y on the ridit rank with population weights), computed here independently with numpy.
    """
    value = np.array([68.1, 70.4, 72.9, 74.0, 77.5])
    new = sii_nhse(value, ENGLAND, ENGLAND, lower=None, upper=None, flip=False)
    old = sii_ohid(value, ENGLAND, se=np.full(5, 0.3), repetitions=1000)
    n = ENGLAND
    ridit = (np.cumsum(n) - n / 2) / n.sum()
    design = np.column_stack([np.ones(5), ridit]) * np.sqrt(n)[:, np.newaxis]
    intercept, slope = np.linalg.lstsq(design, value * np.sqrt(n), rcond=None)[0]
    assert_allclose(new.value[0], slope, rtol=1e-10)
    assert_allclose(old.value[0], slope, rtol=1e-10)
    assert_allclose(new.extras["intercept"][0], intercept, rtol=1e-10)


def test_monte_carlo_limits_match_normal_theory() -> None:
    value = np.array([[64.0, 66.5, 69.0, 71.0, 74.0], [58.0, 61.0, 62.5, 65.0, 66.0]])
    half = np.array([[0.8, 0.9, 1.0, 1.1, 1.3], [2.0, 1.5, 1.2, 1.0, 0.9]])
    local = np.vstack([ICB, ICB[::-1]])
    est = sii_nhse(value, local, ENGLAND, lower=value - half, upper=value + half)
    se = 2 * half / 1.96 / 2  # NE&Y: (UCL - LCL) / 1.96 / 2
    share = local / local.sum(axis=1, keepdims=True)
    _, w1 = wls_weights(share, np.tile(national_ranks(True), (2, 1)))
    sd = np.sqrt((w1**2 * se**2).sum(axis=1))
    z = 1.959964
    width = 2 * z * sd
    assert_allclose(est.lower, est.value - z * sd, atol=0.03 * width.max())
    assert_allclose(est.upper, est.value + z * sd, atol=0.03 * width.max())
