"""healthequal 1.0.1 simulation measures: estimates against the package's own tests.

Reference numbers come from WHOequity/healthequal, tests/testthat/test-{bgsd,idisu,idisw,mdbu,
mdbw,mdmu,mdmw,mdru,mdrw}.R (commit c7824b8568ceb77641ad4ead6fa9907df5880d43, test-idisw.R at
823f555a7c0e02c9dbd7a35dd5b2db61d78df124). Every test builds its data in R with

    set.seed(123)
    pop <- round(rnorm(25, 1000, 300))
    est <- rbinom(25, 1000, .065)
    se  <- rbinom(25, 100, .045)
    ref <- rep(0, 25); ref[sample(25, 1)] <- 1

The vectors below are that data, regenerated outside this repository (R's Mersenne-Twister
stream, inversion rnorm, rbinom and sample). They are confirmed by the nine expected values
themselves: each agrees with the package's literal to better than 1e-7 relative, which a wrong
data vector could not do. The package tests compare at tolerance 1e-4 and type their literals
to 8 significant digits; focuson is tested at 1e-6.

No package output exists for the simulated intervals (they depend on R's random numbers), so
they are checked statistically against healthequal's algorithm, re-implemented here from the
method notes (inequality-measures.md section 6): rejection sampling of N(y, se) until the draw is
in [0, 100], the measure recomputed per draw, type-7 2.5% and 97.5% quantiles.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from numpy.testing import assert_allclose

from focuson.stats.inequality import dispersion_simulated as ds

pytestmark = pytest.mark.oracle

# set.seed(123); round(rnorm(25, 1000, 300)) -- data of tests/testthat/test-*.R (see docstring)
POP = np.concatenate(
    [
        [832.0, 931, 1468, 1021, 1039, 1515, 1138, 620, 794, 866, 1367, 1108],
        [1120, 1033, 833, 1536, 1149, 410, 1210, 858, 680, 935, 692, 781, 812],
    ]
)
# rbinom(25, 1000, .065), same stream
EST = np.concatenate(
    [
        [61.0, 74, 58, 59, 72, 75, 74, 68, 75, 67, 73, 63, 66],
        [62, 60, 66, 71, 73, 71, 61, 74, 84, 55, 69, 60],
    ]
)
# rbinom(25, 100, .045), same stream
SE = np.array(
    [5, 3, 3, 3, 4, 9, 2, 2, 2, 5, 5, 7, 5, 6, 4, 5, 6, 6, 9, 4, 3, 4, 1, 3, 7], dtype=float
)
# ref[sample(25, 1)] <- 1 gives R index 14, i.e. column 13
REF = 13


def test_bgsd_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-bgsd.R: expected_bgsd <- 6.7969351
    est = ds.bgsd(EST, SE, POP, scale=100)
    assert_allclose(est.value, [6.7969351], rtol=1e-6)


def test_idisu_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-idisu.R: expected_idisu <- 8.7018175
    est = ds.idisu(EST, SE, POP, scale=100)
    assert_allclose(est.value, [8.7018175], rtol=1e-6)


def test_idisw_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-idisw.R: expected_idisu <- 8.6178417
    est = ds.idisw(EST, SE, POP, scale=100)
    assert_allclose(est.value, [8.6178417], rtol=1e-6)


def test_mdbu_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdbu.R: expected_mdbu <- 16.360001 (fav = 1)
    est = ds.mdbu(EST, SE, POP, favourable=True, scale=100)
    assert_allclose(est.value, [16.360001], rtol=1e-6)


def test_mdbw_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdbw.R: expected_mdbw <- 16.293156 (fav = 1)
    est = ds.mdbw(EST, SE, POP, favourable=True, scale=100)
    assert_allclose(est.value, [16.293156], rtol=1e-6)


def test_mdmu_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdmu.R: expected_mdmu <- 5.891726
    est = ds.mdmu(EST, SE, POP, scale=100)
    assert_allclose(est.value, [5.891726], rtol=1e-6)


def test_mdmw_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdmw.R: expected_mdmw <- 5.8348689
    est = ds.mdmw(EST, SE, POP, scale=100)
    assert_allclose(est.value, [5.8348689], rtol=1e-6)


def test_mdru_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdru.R: expected_mdru <- 7.2399998
    est = ds.mdru(EST, SE, POP, reference=REF, scale=100)
    assert_allclose(est.value, [7.2399998], rtol=1e-6)


def test_mdrw_matches_testthat() -> None:
    # WHOequity/healthequal tests/testthat/test-mdrw.R: expected_mdrw <- 7.2228465
    est = ds.mdrw(EST, SE, POP, reference=REF, scale=100)
    assert_allclose(est.value, [7.2228465], rtol=1e-6)


def test_compat_mode_gives_the_same_estimates() -> None:
    # Same nine literals as above: compat mode only changes the intervals.
    kw = {"scale": 100, "compat": "healthequal-1.0.1"}
    got = [
        ds.bgsd(EST, SE, POP, **kw).value[0],
        ds.idisu(EST, SE, POP, **kw).value[0],
        ds.idisw(EST, SE, POP, **kw).value[0],
        ds.mdbu(EST, SE, POP, favourable=1, **kw).value[0],
        ds.mdbw(EST, SE, POP, favourable=1, **kw).value[0],
        ds.mdmu(EST, SE, POP, **kw).value[0],
        ds.mdmw(EST, SE, POP, **kw).value[0],
        ds.mdru(EST, SE, POP, reference=REF, **kw).value[0],
        ds.mdrw(EST, SE, POP, reference=REF, **kw).value[0],
    ]
    expected = [
        6.7969351,
        8.7018175,
        8.6178417,
        16.360001,
        16.293156,
        5.891726,
        5.8348689,
        7.2399998,
        7.2228465,
    ]
    assert_allclose(got, expected, rtol=1e-6)


def test_covar_is_100_bgsd_over_the_weighted_mean() -> None:
    # healthequal has no covar test; COV = 100 * BGSD / mu (R/covar.R). BGSD from test-bgsd.R.
    mu = (POP * EST).sum() / POP.sum()
    assert_allclose(ds.covar(EST, SE, POP, scale=100).value, [100 * 6.7969351 / mu], rtol=1e-6)


# ---- intervals: statistical agreement with healthequal's algorithm -------------------------


def _healthequal_bounds(
    measure: Callable[[np.ndarray], float], sims: int, seed: int
) -> tuple[float, float]:
    """healthequal's simulation (method notes section 6), written out independently."""
    rng = np.random.default_rng(seed)
    values = np.empty(sims)
    for s in range(sims):
        draw = rng.normal(EST, SE)
        bad = (draw < 0) | (draw > 100)
        while bad.any():  # redraw until every value is in [0, 100], as healthequal's repeat loop
            draw[bad] = rng.normal(EST[bad], SE[bad])
            bad = (draw < 0) | (draw > 100)
        values[s] = measure(draw)
    lo, hi = np.quantile(values, [0.025, 0.975])  # type 7
    return float(lo), float(hi)


P = POP / POP.sum()


def _wmean(d: np.ndarray) -> float:
    return float((P * d).sum())


def _bgsd(d: np.ndarray) -> float:
    return float(np.sqrt((P * (d - _wmean(d)) ** 2).sum()))


def _covar(d: np.ndarray) -> float:
    return 100 * _bgsd(d) / _wmean(d)


def _idisu(d: np.ndarray) -> float:
    return float(100 / 25 * np.abs(d - _wmean(d)).sum() / _wmean(d))


def _mdbw(d: np.ndarray) -> float:
    return float((P * np.abs(d - d.max())).sum())


def _mdru(d: np.ndarray) -> float:
    return float(np.abs(d - d[REF]).sum() / 25)


Measure = tuple[Callable[..., object], dict[str, object], Callable[[np.ndarray], float]]
MEASURES: dict[str, Measure] = {
    "bgsd": (ds.bgsd, {}, _bgsd),
    "covar": (ds.covar, {}, _covar),
    "idisu": (ds.idisu, {}, _idisu),
    "mdbw": (ds.mdbw, {"favourable": 1}, _mdbw),
    "mdru": (ds.mdru, {"reference": REF}, _mdru),
}


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_interval_agrees_with_healthequal_algorithm(name: str) -> None:
    # Monte Carlo tolerance: with 20,000 draws on each side the 2.5%/97.5% quantiles have a
    # standard error of about 0.7% of the interval width; allow 4% of the width.
    func, kw, measure = MEASURES[name]
    ref_lo, ref_hi = _healthequal_bounds(measure, sims=20_000, seed=2024)
    est = func(EST, SE, POP, scale=100, sims=20_000, seed=7, **kw)
    width = ref_hi - ref_lo
    assert abs(est.lower[0] - ref_lo) < 0.04 * width
    assert abs(est.upper[0] - ref_hi) < 0.04 * width


def test_idisw_compat_keeps_the_observed_mean_in_draws() -> None:
    # healthequal 1.0.1 R/idisw.R (method notes section 9, defect 6): the draws use the observed
    # weighted mean. compat mode must agree with that algorithm; the default recomputes mu*.
    mu = _wmean(EST)
    ref_lo, ref_hi = _healthequal_bounds(
        lambda d: float(100 * (P * np.abs(d - mu)).sum() / mu), sims=20_000, seed=99
    )
    compat = ds.idisw(EST, SE, POP, scale=100, sims=20_000, compat="healthequal-1.0.1")
    width = ref_hi - ref_lo
    assert abs(compat.lower[0] - ref_lo) < 0.04 * width
    assert abs(compat.upper[0] - ref_hi) < 0.04 * width
    fixed_lo, fixed_hi = _healthequal_bounds(
        lambda d: float(100 * (P * np.abs(d - _wmean(d))).sum() / _wmean(d)), sims=20_000, seed=5
    )
    default = ds.idisw(EST, SE, POP, scale=100, sims=20_000)
    assert abs(default.lower[0] - fixed_lo) < 0.04 * (fixed_hi - fixed_lo)
    assert abs(default.upper[0] - fixed_hi) < 0.04 * (fixed_hi - fixed_lo)
