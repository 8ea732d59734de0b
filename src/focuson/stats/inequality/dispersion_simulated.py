"""Non-ordered summary measures of inequality with Monte Carlo intervals (healthequal 1.0.1).

BGSD, COV, IDISU/IDISW, MDBU/MDBW, MDMU/MDMW and MDRU/MDRW compare every subgroup of a
non-ordered dimension (ethnic group, region, practice ...) with a mean, the best subgroup or a
reference subgroup. Their point estimates are closed forms and match healthequal 1.0.1 exactly.
Their confidence intervals come from simulation (Ahn et al. 2019): every subgroup estimate is
redrawn from a normal distribution with its standard error, truncated to the indicator's range,
the measure is recomputed on each simulated data set and the interval is read off the
percentiles of the simulated measures.

Inputs are settings x subgroups matrices (see :mod:`focuson.stats.inequality`). A subgroup whose
estimate is NaN is *absent* when its population is 0 (or no population is given) and *missing*
when it has people (without ``pop`` every NaN is missing). As in healthequal, missing estimates
are dropped silently up to 15% of a setting's subgroups; above that, or with fewer than three
subgroups left, the call raises ``ValueError`` naming the settings (``force=True`` drops the
missing estimates anyway). Where healthequal returns NA or crashes (a zero mean, a reference
subgroup without an estimate ...), the setting gets NaN with a reason and the rest of the batch
is unaffected.

The simulation uses common random numbers: one matrix of uniforms, drawn from
``numpy.random.default_rng(seed)``, is mapped through each setting's truncated-normal quantile
function. A setting's interval therefore does not depend on which other settings share the call,
and settings are processed in blocks so that memory stays bounded.

Every measure reports the subgroups it left out for want of an estimate, absent or missing, in
``Estimate.dropped`` (settings x subgroups).

References
----------
Ahn J, Harper S, Yu M, Feuer EJ, Liu B. Improved Monte Carlo methods for estimating confidence
intervals for eleven commonly used health disparity measures. PLoS One 2019;14(7):e0219542.
Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of existing
measures and their application. IJERPH 2022;19(6):3697.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from focuson.stats._checks import confidence_levels
from focuson.stats.estimate import Estimate, Interval, add_reason, filled, reasons
from focuson.stats.inequality._subgroups import (
    Compat,
    as_matrix,
    check_population,
    compat_mode,
    describe_cells,
    describe_settings,
    flags,
    per_setting,
    same_shape,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]

#: healthequal's default seed for the simulation (``seed = 123456``).
DEFAULT_SEED = 123456
#: focuson's default and minimum number of draws (100 draws move the bounds by up to 15% of the
#: interval width).
DEFAULT_SIMS = 1000
#: healthequal 1.0.1's default number of draws, used in compat mode.
COMPAT_SIMS = 100
#: Above this share of missing estimates healthequal refuses to compute (unless forced).
MAX_MISSING_SHARE = 0.15
#: Upper bound on the number of simulated values held in memory at once (per array).
CHUNK_ELEMENTS = 2**21


# --------------------------------------------------------------------------------------------
# Simulation engine
# --------------------------------------------------------------------------------------------


def truncated_normal_quantile(
    u: ArrayLike, mean: ArrayLike, sd: ArrayLike, lower: ArrayLike, upper: ArrayLike
) -> FloatArray:
    """Quantile function of a normal distribution truncated to ``[lower, upper]``, vectorised.

    Parameters
    ----------
    u
        Probabilities in (0, 1); broadcast against the other arguments.
    mean, sd
        Mean and standard deviation of the untruncated normal distribution. ``sd == 0`` gives
        ``mean`` clipped into the bounds.
    lower, upper
        Truncation bounds (``upper`` may be ``inf``).

    Returns
    -------
    numpy.ndarray
        ``F^{-1}(u)`` of the truncated distribution, broadcast shape of the inputs.

    Notes
    -----
    Exact inverse-CDF sampling: ``mean + sd * Phi^{-1}(Phi(a) + u (Phi(b) - Phi(a)))`` with
    ``a, b`` the standardised bounds. An interval lying wholly above the mean is reflected into the
    lower tail, where ``Phi`` keeps its relative precision; intervals so far out that ``Phi``
    underflows fall back to :data:`scipy.stats.truncnorm`, which works on the log scale. Unlike
    healthequal's rejection sampling this never loops forever when an estimate lies far outside
    its range or has a zero standard error.

    Examples
    --------
    >>> truncated_normal_quantile([0.5], 50.0, 10.0, 0.0, 100.0).round(6).tolist()
    [50.0]
    >>> float(truncated_normal_quantile(0.5, 99.0, 5.0, 0.0, 100.0)) < 99.0
    True
    >>> truncated_normal_quantile([0.1, 0.9], 100.0, 0.0, 0.0, 100.0).tolist()
    [100.0, 100.0]
    """
    q = np.asarray(u, dtype=np.float64)
    # Everything but the probabilities has the (usually much smaller) parameter shape.
    mu, s, lo_bound, hi_bound = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (mean, sd, lower, upper))
    )
    valid = np.isfinite(mu) & np.isfinite(s) & (s > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = (lo_bound - mu) / s
        b = (hi_bound - mu) / s
        # Work in the lower tail: reflect intervals lying wholly above the mean.
        flip = a > 0
        lo = np.where(flip, -b, a)
        hi = np.where(flip, -a, b)
        plo = special.ndtr(lo)
        width = special.ndtr(hi) - plo
        qq = np.where(flip, 1.0 - q, q)
        x = special.ndtri(plo + qq * width)
        x = np.clip(x, lo, hi)
    bad = valid & (~np.isfinite(x) | ~(width > 0))
    if bad.any():
        full = x.shape
        x[bad] = stats.truncnorm.ppf(
            np.broadcast_to(qq, full)[bad],
            np.broadcast_to(lo, full)[bad],
            np.broadcast_to(hi, full)[bad],
        )
    with np.errstate(invalid="ignore"):
        out = mu + np.where(flip, -s, s) * x
    if not valid.all():
        clipped = np.minimum(np.maximum(mu, lo_bound), hi_bound)
        out = np.where(valid, out, np.where(s == 0, clipped, np.nan))
    return np.asarray(out)


def truncated_normal_draws(
    y: ArrayLike,
    se: ArrayLike,
    *,
    lower: float = 0.0,
    upper: float = np.inf,
    sims: int = DEFAULT_SIMS,
    seed: int = DEFAULT_SEED,
) -> FloatArray:
    """Simulated subgroup estimates, settings x sims x subgroups, from truncated normals.

    Parameters
    ----------
    y, se
        Estimates and standard errors, settings x subgroups (a 1-d input is one setting).
    lower, upper
        Truncation bounds: healthequal uses ``[0, 100]`` for percentages and ``[0, inf)``
        otherwise.
    sims
        Number of simulated data sets.
    seed
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        Array of shape ``(settings, sims, subgroups)``. NaN where ``y`` or ``se`` is NaN.

    Notes
    -----
    One ``sims x subgroups`` matrix of uniforms (common random numbers) is drawn from
    ``default_rng(seed)`` and mapped through every setting's quantile function
    (:func:`truncated_normal_quantile`), so a setting's draws do not depend on the other settings
    in the call. The measures in this module use the same engine block by block.

    Examples
    --------
    >>> draws = truncated_normal_draws([[50.0, 99.0, 3.0]], [[2.0, 5.0, 4.0]], upper=100, sims=500)
    >>> draws.shape
    (1, 500, 3)
    >>> bool(draws.min() >= 0 and draws.max() <= 100)
    True
    """
    ym = as_matrix("y", y)
    sm = as_matrix("se", se)
    same_shape(y=ym, se=sm)
    uniforms = _uniforms(sims, ym.shape[1], seed)
    return truncated_normal_quantile(
        uniforms[np.newaxis], ym[:, np.newaxis, :], sm[:, np.newaxis, :], lower, upper
    )


def _uniforms(sims: int, subgroups: int, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    # random() is in [0, 1); nudge an exact 0 so the quantile is finite.
    u = rng.random((sims, subgroups))
    return np.where(u == 0.0, np.finfo(np.float64).tiny, u)


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """Per-setting inputs of a measure, shaped to broadcast against (settings, sims, subgroups)."""

    present: BoolArray  # (n, 1, J) subgroup has an estimate
    share: FloatArray  # (n, 1, J) population share among present subgroups (0 if no pop)
    count: FloatArray  # (n, 1) number of present subgroups J
    fixed_mean: FloatArray  # (n, 1) setting average used as the mean (NaN: use weighted mean)
    observed_mean: FloatArray  # (n, 1) observed weighted mean (IDISW compat)
    favourable: BoolArray  # (n, 1)
    reference: IntArray  # (n, 1, 1) reference column (0 where none)
    compat: bool

    def rows(self, index: IntArray) -> _Context:
        return _Context(
            present=self.present[index],
            share=self.share[index],
            count=self.count[index],
            fixed_mean=self.fixed_mean[index],
            observed_mean=self.observed_mean[index],
            favourable=self.favourable[index],
            reference=self.reference[index],
            compat=self.compat,
        )


Kernel = Callable[[FloatArray, _Context, bool], FloatArray]


def _weighted_mean(ys: FloatArray, c: _Context) -> FloatArray:
    return np.asarray((c.share * ys).sum(axis=-1))


def _unweighted_centre(ys: FloatArray, c: _Context) -> FloatArray:
    return np.where(np.isfinite(c.fixed_mean), c.fixed_mean, _weighted_mean(ys, c))


def _abs_sum(ys: FloatArray, centre: FloatArray, c: _Context) -> FloatArray:
    return np.asarray(np.where(c.present, np.abs(ys - centre[..., np.newaxis]), 0.0).sum(axis=-1))


def _abs_weighted(ys: FloatArray, centre: FloatArray, c: _Context) -> FloatArray:
    return np.asarray((c.share * np.abs(ys - centre[..., np.newaxis])).sum(axis=-1))


def _best(ys: FloatArray, c: _Context) -> FloatArray:
    high = np.where(c.present, ys, -np.inf).max(axis=-1)
    low = np.where(c.present, ys, np.inf).min(axis=-1)
    return np.where(c.favourable, high, low)


def _reference_value(ys: FloatArray, c: _Context) -> FloatArray:
    index = np.broadcast_to(c.reference, (*ys.shape[:-1], 1))
    return np.asarray(np.take_along_axis(ys, index, axis=-1)[..., 0])


def _k_bgsd(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    mu = _weighted_mean(ys, c)
    return np.sqrt((c.share * (ys - mu[..., np.newaxis]) ** 2).sum(axis=-1))


def _k_cov(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return 100 * _k_bgsd(ys, c, draws) / _weighted_mean(ys, c)


def _k_idisu(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    mu = _unweighted_centre(ys, c)
    return 100 / c.count * _abs_sum(ys, mu, c) / mu


def _k_idisw(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    # healthequal 1.0.1 keeps the observed mean in every draw (section 9, defect 6).
    if draws and c.compat:
        mu = np.broadcast_to(c.observed_mean, ys.shape[:-1])
    else:
        mu = _weighted_mean(ys, c)
    return 100 * _abs_weighted(ys, mu, c) / mu


def _k_mdmu(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_sum(ys, _unweighted_centre(ys, c), c) / c.count


def _k_mdmw(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_weighted(ys, _weighted_mean(ys, c), c)


def _k_mdbu(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_sum(ys, _best(ys, c), c) / c.count


def _k_mdbw(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_weighted(ys, _best(ys, c), c)


def _k_mdru(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_sum(ys, _reference_value(ys, c), c) / c.count


def _k_mdrw(ys: FloatArray, c: _Context, draws: bool) -> FloatArray:
    return _abs_weighted(ys, _reference_value(ys, c), c)


@dataclass(frozen=True)
class _Measure:
    name: str
    statistic: str
    kernel: Kernel
    weighted: bool  # needs population shares
    mean: Literal["none", "weighted", "unweighted"]  # which mean the measure divides by / uses
    relative: bool  # divides by the mean (NA when the mean is zero)
    best: bool = False
    reference: bool = False


_MEASURES = {
    m.name: m
    for m in (
        _Measure(
            "bgsd", "between-group standard deviation (BGSD)", _k_bgsd, True, "weighted", False
        ),
        _Measure("covar", "coefficient of variation (COV, %)", _k_cov, True, "weighted", True),
        _Measure(
            "idisu",
            "index of disparity, unweighted (IDISU, %)",
            _k_idisu,
            False,
            "unweighted",
            True,
        ),
        _Measure(
            "idisw", "index of disparity, weighted (IDISW, %)", _k_idisw, True, "weighted", True
        ),
        _Measure(
            "mdmu",
            "mean difference from mean, unweighted (MDMU)",
            _k_mdmu,
            False,
            "unweighted",
            False,
        ),
        _Measure(
            "mdmw", "mean difference from mean, weighted (MDMW)", _k_mdmw, True, "weighted", False
        ),
        _Measure(
            "mdbu",
            "mean difference from best subgroup, unweighted (MDBU)",
            _k_mdbu,
            False,
            "none",
            False,
            best=True,
        ),
        _Measure(
            "mdbw",
            "mean difference from best subgroup, weighted (MDBW)",
            _k_mdbw,
            True,
            "none",
            False,
            best=True,
        ),
        _Measure(
            "mdru",
            "mean difference from reference subgroup, unweighted (MDRU)",
            _k_mdru,
            False,
            "none",
            False,
            reference=True,
        ),
        _Measure(
            "mdrw",
            "mean difference from reference subgroup, weighted (MDRW)",
            _k_mdrw,
            True,
            "none",
            False,
            reference=True,
        ),
    )
}


def _run(
    key: str,
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike | None,
    *,
    scale: float | ArrayLike | None,
    favourable: bool | ArrayLike = True,
    reference: int | ArrayLike = -1,
    setting_average: float | ArrayLike | None = None,
    confidence: float | Sequence[float],
    sims: int | None,
    seed: int,
    force: bool,
    compat: Compat | None,
) -> Estimate:
    measure = _MEASURES[key]
    is_compat = compat_mode(compat)

    # ---- inputs -------------------------------------------------------------------------
    ym = as_matrix("y", y)
    sm = None if se is None else as_matrix("se", se)
    pm = None if pop is None else as_matrix("pop", pop)
    n, width = same_shape(y=ym, se=sm, pop=pm)
    if np.isinf(ym).any():
        raise ValueError(
            f"y: must be finite (NaN marks a missing subgroup); infinite in "
            f"{describe_cells(np.isinf(ym))}"
        )
    if sm is not None:
        bad = np.isinf(sm) | (sm < 0)
        if bad.any():
            raise ValueError(
                f"se: must be finite and not negative; not so in {describe_cells(bad)}"
            )
    if pm is not None:
        check_population(pm)
    if measure.weighted and pm is None:
        raise ValueError(f"pop: {measure.name} weights subgroups by population; give pop")
    if measure.mean == "unweighted" and pm is None and setting_average is None:
        raise ValueError(
            f"pop, setting_average: {measure.name} needs one of them to compute the mean"
        )

    scales = np.full(n, np.nan) if scale is None else per_setting("scale", scale, n)
    bad_scale = ~np.isnan(scales) & ~(np.isfinite(scales) & (scales > 0))
    if bad_scale.any():
        raise ValueError(
            f"scale: must be a positive number (100 for %); not so in "
            f"{describe_settings(bad_scale)}"
        )
    fav = flags("favourable", favourable, n)
    ref = _reference_column(reference, n, width) if measure.reference else np.full(n, -1)
    fixed = np.full(n, np.nan)
    if setting_average is not None and measure.mean == "unweighted":
        fixed = per_setting("setting_average", setting_average, n)
        if np.isinf(fixed).any():
            raise ValueError(
                f"setting_average: must be finite; infinite in {describe_settings(np.isinf(fixed))}"
            )

    levels = confidence_levels(confidence)
    if is_compat and levels != (0.95,):
        raise ValueError(
            "confidence: healthequal 1.0.1 simulation intervals are 95% only; "
            "use compat=None for other levels"
        )
    if sims is None:
        sims = COMPAT_SIMS if is_compat else DEFAULT_SIMS
    if isinstance(sims, bool) or not isinstance(sims, (int, np.integer)) or sims < 1:
        raise ValueError(f"sims: expected a positive whole number of draws, got {sims!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a whole number >= 0, got {seed!r}")
    if not is_compat and sims < DEFAULT_SIMS:
        raise ValueError(
            f"sims: at least {DEFAULT_SIMS} draws are needed for stable bounds, got {sims}; "
            "compat='healthequal-1.0.1' allows healthequal's 100"
        )

    # ---- subgroups present, missing, shares -----------------------------------------------
    present = ~np.isnan(ym)
    # A NaN estimate with population 0 is an absent subgroup; otherwise the estimate is missing.
    absent = np.asarray(~present & (pm == 0)) if pm is not None else np.zeros_like(present)
    missing = ~present & ~absent
    count = present.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        missing_share = missing.sum(axis=1) / (~absent).sum(axis=1)
    too_many = (missing_share > MAX_MISSING_SHARE) & (not force)
    if too_many.any():
        raise ValueError(
            "y: estimates are missing for more than 15% of subgroups in "
            f"{describe_settings(too_many)} (pass force=True to drop them)"
        )
    if (count < 3).any():
        raise ValueError(
            f"y: {measure.name} needs estimates for at least 3 subgroups; fewer in "
            f"{describe_settings(count < 3)}"
        )
    if measure.reference and (ref < 0).any():
        raise ValueError(
            f"reference: {measure.name} needs a reference subgroup (a column index); none in "
            f"{describe_settings(ref < 0)}"
        )
    if pm is not None:
        weights = np.where(present, pm, 0.0)
        total = weights.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0)
        pop_zero = total[:, 0] == 0
    else:
        share = np.zeros_like(ym)
        pop_zero = np.zeros(n, dtype=bool)
    yfill = np.where(present, ym, 0.0)
    observed_mean = (share * yfill).sum(axis=1)
    ref_present = present[np.arange(n), np.maximum(ref, 0)]

    reason = reasons(n)
    if measure.weighted or (measure.mean == "unweighted" and pm is not None):
        no_mean = pop_zero & ~(np.isfinite(fixed) & (measure.mean == "unweighted"))
        add_reason(reason, no_mean, "the subgroups with estimates all have zero population")
    if measure.mean == "unweighted" and pm is None:
        add_reason(
            reason, ~np.isfinite(fixed), "no population and no setting average to give the mean"
        )
    if measure.reference:
        add_reason(reason, ~ref_present, "the reference subgroup has no estimate")

    context = _Context(
        present=present[:, np.newaxis, :],
        share=share[:, np.newaxis, :],
        count=count[:, np.newaxis],
        fixed_mean=fixed[:, np.newaxis],
        observed_mean=observed_mean[:, np.newaxis],
        favourable=fav[:, np.newaxis],
        reference=np.maximum(ref, 0)[:, np.newaxis, np.newaxis],
        compat=is_compat,
    )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        value = measure.kernel(yfill[:, np.newaxis, :], context, False)[:, 0]
        mean_used = _unweighted_centre(yfill[:, np.newaxis, :], context)[:, 0]
    if measure.mean == "weighted":
        mean_used = observed_mean
    if measure.relative:
        add_reason(reason, (reason == "") & ~(np.abs(mean_used) > 0), "the mean is zero")
    ok = reason == ""
    value = np.where(ok, value, np.nan)

    # ---- intervals --------------------------------------------------------------------------
    upper = np.where(scales == 100, 100.0, np.inf)
    method = filled(n, "")
    label = f"healthequal 1.0.1 {measure.name}" + (" (compat)" if is_compat else "")
    if sm is None:
        can_sim = np.zeros(n, dtype=bool)
        method[:] = f"{label}; no CI: standard errors not given"
    else:
        se_missing = (present & np.isnan(sm)).any(axis=1)
        no_scale = np.isnan(scales)
        can_sim = ok & ~se_missing & ~no_scale
        method[:] = f"{label}; no CI: setting has no value"
        method[ok & se_missing] = f"{label}; no CI: a standard error is missing"
        method[ok & ~se_missing & no_scale] = f"{label}; no CI: scale (indicator_scale) not given"
        extra = ", IDISW draws keep the observed mean" if is_compat and key == "idisw" else ""
        for bound in np.unique(upper[can_sim]):
            rows = can_sim & (upper == bound)
            method[rows] = (
                f"{label}; Monte Carlo CI (Ahn 2019): truncated normal on [0, {bound:g}], "
                f"{sims} draws, seed {seed}, type-7 percentiles{extra}"
            )

    probs = [p for level in levels for p in ((1 - level) / 2, 1 - (1 - level) / 2)]
    bounds = np.full((len(probs), n), np.nan)
    index = np.flatnonzero(can_sim)
    if index.size and sm is not None:
        uniforms = _uniforms(sims, width, seed)[np.newaxis]
        block = max(1, CHUNK_ELEMENTS // (sims * width))
        # Blocks of settings bound memory; every block uses the same uniforms.
        for start in range(0, index.size, block):
            rows_idx = index[start : start + block]
            draws = truncated_normal_quantile(
                uniforms,
                ym[rows_idx, np.newaxis, :],
                sm[rows_idx, np.newaxis, :],
                0.0,
                upper[rows_idx, np.newaxis, np.newaxis],
            )
            draws = np.where(present[rows_idx, np.newaxis, :], draws, 0.0)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                simulated = measure.kernel(draws, context.rows(rows_idx), True)
            bounds[:, rows_idx] = _type7_quantiles(simulated, probs)

    intervals = {
        level: Interval(bounds[2 * i].copy(), bounds[2 * i + 1].copy())
        for i, level in enumerate(levels)
    }
    extras: dict[str, FloatArray] = {
        "se": np.full(n, np.nan),
        "subgroups": np.where(ok, count, np.nan),
        "sims": np.where(can_sim, float(sims), 0.0),
    }
    if measure.mean != "none":
        extras["mu"] = np.where(ok, mean_used, np.nan)
    if measure.mean == "unweighted":
        extras["mu_is_setting_average"] = np.where(ok, np.isfinite(fixed).astype(float), np.nan)
    if measure.best or measure.reference:
        target = _best if measure.best else _reference_value
        extras["reference_value"] = np.where(
            ok, target(yfill[:, np.newaxis, :], context)[:, 0], np.nan
        )
    return Estimate(
        value=value,
        intervals=intervals,
        statistic=measure.name,
        method=method,
        reason=reason,
        extras=extras,
        dropped=~present,
    )


def _type7_quantiles(values: FloatArray, probs: Sequence[float]) -> FloatArray:
    """R's type-7 quantiles of each row, ignoring non-finite values (``na.rm = TRUE``).

    Returns an array of shape ``(len(probs), rows)``; a row without finite values gives NaN.
    """
    ordered = np.sort(np.where(np.isfinite(values), values, np.inf), axis=1)
    finite = np.isfinite(values).sum(axis=1)
    last = np.maximum(finite - 1, 0)
    out = np.empty((len(probs), values.shape[0]))
    for i, p in enumerate(probs):
        h = last * p
        lo = np.floor(h).astype(np.intp)
        hi = np.minimum(lo + 1, last)
        below = np.take_along_axis(ordered, lo[:, np.newaxis], axis=1)[:, 0]
        above = np.take_along_axis(ordered, hi[:, np.newaxis], axis=1)[:, 0]
        with np.errstate(invalid="ignore"):
            out[i] = np.where(finite > 0, below + (h - lo) * (above - below), np.nan)
    return out


def _reference_column(reference: int | ArrayLike, settings: int, width: int) -> IntArray:
    arr = per_setting("reference", reference, settings)
    bad = ~np.isfinite(arr) | (arr != np.round(arr)) | (arr < -1) | (arr >= width)
    if bad.any():
        raise ValueError(
            f"reference: expected a subgroup column index 0..{width - 1} or -1 (none); "
            f"not so in {describe_settings(bad)}"
        )
    return arr.astype(np.intp)


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------

_COMMON_PARAMS = """
    y
        Subgroup estimates, settings x subgroups (a 1-d input is one setting). NaN marks a
        subgroup without an estimate.
    se
        Standard errors of the estimates, same shape. Without them (or with one missing in a
        setting) there is no interval, as in healthequal.
    pop
        Subgroup populations, same shape; zeros allowed, all zeros in a setting is an error."""

_COMMON_OPTIONS = """
    scale
        Indicator scale per setting (100 for %, 1000 per 1,000). Draws are truncated to
        [0, 100] when it is 100 and to [0, inf) otherwise; without it there is no interval.
    confidence
        One or more confidence levels (compat mode: 0.95 only).
    sims
        Number of simulated data sets: 1,000 by default and at least 1,000; compat mode
        defaults to healthequal's 100.
    seed
        Seed for ``numpy.random.default_rng`` (healthequal's default 123456).
    force
        Drop missing estimates even when more than 15% of a setting's subgroups lack one
        (otherwise that is an error, as in healthequal).
    compat
        ``"healthequal-1.0.1"`` keeps the package's behaviour: 100 draws and 95% only."""

_COMMON_RAISES = """
    ValueError
        Bad shapes, infinite estimates, negative standard errors or populations, a setting with
        all populations zero, estimates missing for more than 15% of a setting's subgroups
        (without ``force``), fewer than three subgroups with estimates, fewer than 1,000 draws
        (default mode), or a confidence level other than 0.95 in compat mode."""

_COMMON_RETURNS = """
    Estimate
        ``value`` per setting, Monte Carlo ``intervals``, ``method`` naming the draws and seed
        (or why there is no interval), ``reason`` where the value is NA, and ``extras``:
        ``se`` (NaN, as healthequal), ``subgroups`` (J used), ``sims``"""


def _doc(func: Callable[..., Estimate]) -> Callable[..., Estimate]:
    if func.__doc__:
        func.__doc__ = (
            func.__doc__.replace("    {common_params}", _COMMON_PARAMS.strip("\n"))
            .replace("    {common_options}", _COMMON_OPTIONS.strip("\n"))
            .replace("    {common_returns}", _COMMON_RETURNS.strip("\n"))
            .replace("    {common_raises}", _COMMON_RAISES.strip("\n"))
        )
    return func


@_doc
def bgsd(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Between-group standard deviation, sqrt(sum p_j (y_j - mu)^2), with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}

    Returns
    -------
    {common_returns} and ``mu`` (the pop-weighted mean).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``bgsd`` of healthequal 1.0.1 (WHOequity/healthequal): the estimate exactly, the
    interval statistically (different random numbers). ``pop`` is required. Deviations in the
    default mode: at least 1,000 draws, any confidence level, exact truncated-normal sampling,
    and NaN with a reason where healthequal crashes. BGSD is the square root of BGV (the
    analytic measure in ``dispersion_analytic``). Sampling noise adds dispersion, so the
    percentile interval of this and the other non-negative measures sits above the estimate and
    can exclude it when the subgroup differences are small next to their standard errors
    (a property of the method, shared by healthequal).

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = bgsd([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], scale=100)
    >>> round(float(est.value[0]), 6)
    6.103278
    >>> bool(est.lower[0] < est.value[0] < est.upper[0]), est.extras["sims"].tolist()
    (True, [1000.0])
    """
    return _run(
        "bgsd",
        y,
        se,
        pop,
        scale=scale,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def covar(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Coefficient of variation, 100 * BGSD / mu (%), with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}

    Returns
    -------
    {common_returns} and ``mu`` (the pop-weighted mean). A zero mean gives NaN.

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``covar`` of healthequal 1.0.1: the estimate exactly, the interval statistically.
    ``pop`` is required; mu is recomputed in every draw. Default-mode deviations as for
    :func:`bgsd`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = covar([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], scale=100)
    >>> round(float(est.value[0]), 6), round(float(est.extras["mu"][0]), 6)
    (7.222814, 84.5)
    """
    return _run(
        "covar",
        y,
        se,
        pop,
        scale=scale,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def idisu(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    setting_average: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Unweighted index of disparity, (100/J) sum |y_j - mu| / mu (%), with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}
    setting_average
        The setting's overall average, per setting. When given (not NaN) it is the mean mu and
        stays fixed in every draw; otherwise mu is the pop-weighted mean.

    Returns
    -------
    {common_returns}, ``mu`` and ``mu_is_setting_average`` (1 or 0).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``idisu`` of healthequal 1.0.1: the setting average wins over the population when
    both are given (the reverse of PAF/PAR), subgroups count equally, J is the number of
    subgroups with estimates. Give ``pop`` or ``setting_average``. Default-mode deviations as
    for :func:`bgsd`.

    References
    ----------
    Pearcy JN, Keppel KG. A summary measure of health disparity. Public Health Rep
    2002;117:273-280. Ahn J et al. PLoS One 2019;14(7):e0219542.

    Examples
    --------
    >>> est = idisu([80, 90, 70, 85], [2, 1.5, 3, 2], setting_average=84, scale=100)
    >>> round(float(est.value[0]), 6), est.extras["mu_is_setting_average"].tolist()
    (7.440476, [1.0])
    """
    return _run(
        "idisu",
        y,
        se,
        pop,
        scale=scale,
        setting_average=setting_average,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def idisw(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Weighted index of disparity, 100 sum p_j |y_j - mu| / mu (%), with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}

    Returns
    -------
    {common_returns} and ``mu`` (the pop-weighted mean).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``idisw`` of healthequal 1.0.1: the estimate exactly, the interval statistically.
    healthequal keeps the observed mu in every draw (defect 6); focuson recomputes mu* in each
    draw, and compat mode keeps the observed mu. Other deviations as for :func:`bgsd`.

    References
    ----------
    Pearcy JN, Keppel KG. Public Health Rep 2002;117:273-280. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = idisw([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], scale=100)
    >>> round(float(est.value[0]), 6)
    5.56213
    """
    return _run(
        "idisw",
        y,
        se,
        pop,
        scale=scale,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdmu(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    setting_average: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Unweighted mean difference from the mean, sum |y_j - mu| / J, with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}
    setting_average
        The setting's overall average; when given it is mu and stays fixed in the draws,
        otherwise mu is the pop-weighted mean.

    Returns
    -------
    {common_returns}, ``mu`` and ``mu_is_setting_average``.

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdmu`` of healthequal 1.0.1 (setting average preferred, as :func:`idisu`).
    Default-mode deviations as for :func:`bgsd`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdmu([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], scale=100)
    >>> round(float(est.value[0]), 6), round(float(est.extras["mu"][0]), 6)
    (6.25, 84.5)
    """
    return _run(
        "mdmu",
        y,
        se,
        pop,
        scale=scale,
        setting_average=setting_average,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdmw(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Weighted mean difference from the mean, sum p_j |y_j - mu|, with a simulation interval.

    Parameters
    ----------
    {common_params}
    {common_options}

    Returns
    -------
    {common_returns} and ``mu`` (the pop-weighted mean).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdmw`` of healthequal 1.0.1; ``pop`` is required and mu is recomputed in every
    draw. Default-mode deviations as for :func:`bgsd`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdmw([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], scale=100)
    >>> round(float(est.value[0]), 6)
    4.7
    """
    return _run(
        "mdmw",
        y,
        se,
        pop,
        scale=scale,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdbu(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Unweighted mean difference from the best subgroup, sum |y_j - y_best| / J.

    Parameters
    ----------
    {common_params} Not used for the value; it tells absent subgroups (population 0)
        from missing estimates.
    favourable
        Per setting: True (1) when higher is better, so y_best = max y; False (0) for adverse
        indicators, y_best = min y.
    {common_options}

    Returns
    -------
    {common_returns} and ``reference_value`` (y_best).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdbu`` of healthequal 1.0.1; y_best is re-chosen in every draw. healthequal
    crashes on NA estimates and without se (defect 8); focuson drops NAs by the 15% rule and
    returns the estimate without an interval. Other deviations as for :func:`bgsd`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdbu([80, 90, 70, 85], [2, 1.5, 3, 2], favourable=True, scale=100)
    >>> float(est.value[0]), est.extras["reference_value"].tolist()
    (8.75, [90.0])
    """
    return _run(
        "mdbu",
        y,
        se,
        pop,
        scale=scale,
        favourable=favourable,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdbw(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Weighted mean difference from the best subgroup, sum p_j |y_j - y_best|.

    Parameters
    ----------
    {common_params}
    favourable
        Per setting: True when higher is better (y_best = max y), False when lower is better.
    {common_options}

    Returns
    -------
    {common_returns} and ``reference_value`` (y_best).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdbw`` of healthequal 1.0.1; ``pop`` is required and y_best is re-chosen in every
    draw. Deviations as for :func:`bgsd` and :func:`mdbu`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdbw([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], favourable=False,
    ...            scale=100)
    >>> round(float(est.value[0]), 6), est.extras["reference_value"].tolist()
    (14.5, [70.0])
    """
    return _run(
        "mdbw",
        y,
        se,
        pop,
        scale=scale,
        favourable=favourable,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdru(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    reference: int | ArrayLike,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Unweighted mean difference from a reference subgroup, sum |y_j - y_ref| / J.

    Parameters
    ----------
    {common_params} Not used for the value; it tells absent subgroups from missing ones.
    reference
        Column index of the reference subgroup per setting; -1 (none) is an error, as in
        healthequal.
    {common_options}

    Returns
    -------
    {common_returns} and ``reference_value`` (y_ref).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdru`` of healthequal 1.0.1; J includes the reference subgroup and y_ref is
    redrawn in every simulation. A reference subgroup without an estimate gives NA with a reason
    (healthequal crashes). Other deviations as for :func:`bgsd`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdru([[80, 90, 70, 85]], [[2, 1.5, 3, 2]], reference=0, scale=100)
    >>> float(est.value[0]), est.extras["reference_value"].tolist()
    (6.25, [80.0])
    """
    return _run(
        "mdru",
        y,
        se,
        pop,
        scale=scale,
        reference=reference,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )


@_doc
def mdrw(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    reference: int | ArrayLike,
    scale: float | ArrayLike | None = None,
    confidence: float | Sequence[float] = 0.95,
    sims: int | None = None,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Weighted mean difference from a reference subgroup, sum p_j |y_j - y_ref|.

    Parameters
    ----------
    {common_params}
    reference
        Column index of the reference subgroup per setting (-1, none, is an error).
    {common_options}

    Returns
    -------
    {common_returns} and ``reference_value`` (y_ref).

    Raises
    ------
    {common_raises}

    Notes
    -----
    Matches ``mdrw`` of healthequal 1.0.1; ``pop`` is required. Deviations as for :func:`mdru`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Ahn J et al. PLoS One
    2019;14(7):e0219542.

    Examples
    --------
    >>> est = mdrw([80, 90, 70, 85], [2, 1.5, 3, 2], [100, 200, 50, 150], reference=1,
    ...            scale=100)
    >>> round(float(est.value[0]), 6)
    5.5
    """
    return _run(
        "mdrw",
        y,
        se,
        pop,
        scale=scale,
        reference=reference,
        confidence=confidence,
        sims=sims,
        seed=seed,
        force=force,
        compat=compat,
    )
