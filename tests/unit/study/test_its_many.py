"""Vectorised ITS over many series equals a loop of statsmodels fits."""

import numpy as np
import pytest

from focuson.study.its import its
from focuson.study.its_gap import its_gap
from focuson.study.its_many import its_gap_many, its_many


def panel(seed: int, n_series: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    e = rng.normal(0, 1, (n_series, n))
    e[:, 1:] += 0.5 * e[:, :-1]  # MA(1) noise: autocorrelated residuals
    step = rng.normal(0, 2, (n_series, 1))
    return 40 + 0.2 * t + step * (t >= n // 2) + 2 * np.sin(2 * np.pi * t / 12) + e


@pytest.mark.parametrize("errors", ["hac", "model"])
@pytest.mark.parametrize("slope_change", [True, False])
def test_matches_a_loop_of_statsmodels_fits(errors: str, slope_change: bool) -> None:
    y = panel(1, 25, 60)
    kw = {
        "n_pre": 36,
        "fourier_pairs": 2,
        "errors": errors,
        "slope_change": slope_change,
        "n_transition": 0,
    }
    many = its_many(y, hac_lags=4, **kw)  # type: ignore[arg-type]
    loop = [its(row, hac_lags=4, **kw) for row in y]  # type: ignore[arg-type]
    np.testing.assert_allclose(many.level, [f.level.estimate for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.level_se, [f.level.se for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.level_lower, [f.level.lower for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.level_upper, [f.level.upper for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.ljung_box_p, [f.ljung_box_p for f in loop], rtol=1e-9)
    if slope_change:
        np.testing.assert_allclose(many.slope, [f.slope.estimate for f in loop], rtol=1e-9)  # type: ignore[union-attr]
        np.testing.assert_allclose(many.slope_se, [f.slope.se for f in loop], rtol=1e-9)  # type: ignore[union-attr]
    else:
        assert np.all(np.isnan(many.slope))


@pytest.mark.parametrize("better", ["higher", "lower"])
@pytest.mark.parametrize("errors", ["hac", "model"])
def test_gap_matches_a_loop_of_fits(better: str, errors: str) -> None:
    most, least = panel(2, 12, 48), panel(3, 12, 48) + 10
    kw = {"n_pre": 24, "fourier_pairs": 1, "errors": errors, "better": better, "hac_lags": 3}
    many = its_gap_many(most, least, **kw)  # type: ignore[arg-type]
    loop = [its_gap(m, le, **kw) for m, le in zip(most, least, strict=True)]  # type: ignore[arg-type]
    np.testing.assert_allclose(many.level, [f.gap_level.estimate for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.level_lower, [f.gap_level.lower for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.level_upper, [f.gap_level.upper for f in loop], rtol=1e-9)
    np.testing.assert_allclose(many.slope, [f.gap_slope.estimate for f in loop], rtol=1e-9)  # type: ignore[union-attr]
    np.testing.assert_allclose(many.ljung_box_p, [f.ljung_box_p for f in loop], rtol=1e-9)


def test_refuses_gaps_and_mismatched_shapes() -> None:
    y = panel(4, 3, 30)
    y[1, 5] = np.nan
    with pytest.raises(ValueError, match="finite matrix"):
        its_many(y, n_pre=15)
    with pytest.raises(ValueError, match="same shape"):
        its_gap_many(panel(4, 3, 30), panel(4, 2, 30), n_pre=15, better="higher")
