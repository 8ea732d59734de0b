"""Slope and relative index of inequality, WHO flavour (healthequal 1.0.1 / HEAT).

The subgroups of an ordered dimension (IMD quintiles or deciles, column 0 = most disadvantaged)
get ridit ranks: the midpoint of each subgroup's share of the cumulative population, from 0
(most disadvantaged) to 1 (most advantaged). The indicator is regressed on the rank, by a
quasi-binomial logistic model (default) or weighted least squares, and the fitted values at rank
1 and rank 0 give

- SII = S * (mu_1 - mu_0), on the indicator scale S;
- RII = mu_1 / mu_0.

Both are raw (healthequal's sign): SII > 0 and RII > 1 mean the indicator is higher among the
advantaged, whatever its polarity. Use :func:`focuson.stats.inequality.orientation.oriented` to
present them so that positive means worse for the most deprived.

Standard errors come from an HC1 sandwich covariance of the two coefficients and the delta
method with the analytic gradient. healthequal differentiates numerically (marginaleffects), so
its standard errors and limits agree with focuson to about 3e-6 relative; the estimates agree to
about 1e-11.

The default mode fixes healthequal 1.0.1's defects (inequality-measures.md section 9): the scale
is the declared one (not guessed from the data), the logistic model uses the counts
(k, n - k) with no extra n^2 weight and no rounding, and the SII's standard error is reported on
the indicator scale. ``compat="healthequal-1.0.1"`` reproduces the package.

All settings are fitted at once: iteratively reweighted least squares steps (at most
``MAX_ITERATIONS``, halved where a step would increase the deviance) run on every setting
together, with the 2 x 2 normal equations solved in closed form and a mask that freezes settings
once they have converged. A setting whose fit does not converge (estimates that separate the
ranks, so that the maximum-likelihood estimate does not exist) is NA with a reason.

References
----------
Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of existing
measures and their application. IJERPH 2022;19(6):3697.
WHO. Handbook on health inequality monitoring. Geneva: WHO; 2013.
Mackenbach JP, Kunst AE. Measuring the magnitude of socio-economic inequalities in health.
Soc Sci Med 1997;44(6):757-771.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from focuson.stats._checks import confidence_levels
from focuson.stats.estimate import Estimate, Interval, add_reason, filled, reasons
from focuson.stats.inequality._subgroups import (
    Compat,
    as_matrix,
    check_population,
    compat_mode,
    describe_cells,
    describe_settings,
    per_setting,
    same_shape,
)
from focuson.stats.intervals import z_value

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Model = Literal["logistic", "linear"]

#: Maximum IRLS iterations for the logistic model (convergence usually takes 5-8).
MAX_ITERATIONS = 100
#: Relative change in the coefficients below which a setting has converged.
TOLERANCE = 1e-10
#: A step that no longer shrinks but is below this is rounding noise: converged too.
STALL_TOLERANCE = 1e-7
#: Most step halvings per iteration when a Newton step would increase the deviance.
MAX_HALVINGS = 30
#: The scales healthequal guesses from the data (compat mode): the smallest that bounds y.
_DATA_SCALES = (1.0, 100.0, 1e3, 1e4, 1e5)


@dataclass(frozen=True)
class _Fit:
    """Fitted ends of the regression line and the covariance of (b0, b1), per setting."""

    mu0: FloatArray  # fitted value at rank 0, on the 0-1 (y / S) scale
    mu1: FloatArray  # fitted value at rank 1
    cov: FloatArray  # (n, 2, 2) HC1 covariance of (intercept, slope)
    scale: FloatArray  # S used
    subgroups: FloatArray  # J
    reason: NDArray[np.object_]
    model: Model
    compat: bool
    dropped: BoolArray  # subgroups left out for want of an estimate


def _data_scale(y: FloatArray, present: BoolArray) -> FloatArray:
    """healthequal's guessed scale: per value the smallest of 1, 100, ..., 1e5 bounding it, else
    1e6; the largest over the setting."""
    per_value = np.full(y.shape, 1e6)
    for bound in reversed(_DATA_SCALES):
        per_value = np.where(y <= bound, bound, per_value)
    return np.asarray(np.where(present, per_value, 0.0).max(axis=1))


def _fit(
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike | None,
    *,
    scale: float | ArrayLike | None,
    model: str,
    force: bool,
    compat: str | None,
) -> _Fit:
    if model not in ("logistic", "linear"):
        raise ValueError(f"model: expected 'logistic' or 'linear', got {model!r}")
    is_compat = compat_mode(compat)
    logistic = model == "logistic"

    ym = as_matrix("y", y)
    sm = None if se is None else as_matrix("se", se)
    pm = None if pop is None else as_matrix("pop", pop)
    n, width = same_shape(y=ym, se=sm, pop=pm)
    if np.isinf(ym).any():
        raise ValueError(
            f"y: must be finite (NaN marks a missing subgroup); infinite in "
            f"{describe_cells(np.isinf(ym))}"
        )
    if sm is not None and (np.isinf(sm) | (sm < 0)).any():
        raise ValueError(
            f"se: must be finite and not negative; not so in "
            f"{describe_cells(np.isinf(sm) | (sm < 0))}"
        )
    if pm is not None:
        check_population(pm)

    present = ~np.isnan(ym)
    # Every NaN estimate is missing, population or not, as in healthequal: leaving out an end
    # subgroup would change the slope without a word, so it takes force=True (and is reported).
    missing = np.asarray((~present).any(axis=1))
    if (missing & (not force)).any():
        raise ValueError(
            "y: the SII/RII needs an estimate for every subgroup of an ordered dimension; "
            f"missing in {describe_cells(~present & missing[:, np.newaxis])} "
            "(pass force=True to drop them)"
        )
    yfill = np.where(present, ym, 0.0)
    count = present.sum(axis=1).astype(np.float64)
    if (count < 3).any():
        raise ValueError(
            f"y: the SII/RII needs at least 3 subgroups; fewer in {describe_settings(count < 3)}"
        )
    if pm is not None:
        # healthequal checks that the orders left are consecutive when pop is given.
        first = np.argmax(present, axis=1)
        last = width - 1 - np.argmax(present[:, ::-1], axis=1)
        gap = last - first + 1 != count
        if gap.any():
            raise ValueError(
                "y: subgroup orders must be consecutive, but a subgroup between two others is "
                f"absent or dropped in {describe_settings(gap)}"
            )
    ymax = np.where(present, ym, -np.inf).max(axis=1)
    ymin = np.where(present, ym, np.inf).min(axis=1)
    if (ymax == ymin).any():
        raise ValueError(
            f"y: all estimates are equal in "
            f"{describe_settings(ymax == ymin)}; the SII/RII is not calculated"
        )

    # ---- the indicator scale ------------------------------------------------------------------
    if scale is None:
        if is_compat:
            scales = _data_scale(ym, present)
        elif logistic:
            raise ValueError(
                "scale: the logistic model needs the indicator scale (100 for %, 1000 per 1,000); "
                "give scale, or use model='linear'"
            )
        else:
            scales = np.ones(n)  # the linear SII and RII do not depend on S
    else:
        scales = per_setting("scale", scale, n)
        bad = ~(np.isfinite(scales) & (scales > 0))
        if bad.any():
            raise ValueError(
                f"scale: must be a positive number (100 for %); not so in {describe_settings(bad)}"
            )
    if logistic and not is_compat:
        out_of_range = present & ((ym < 0) | (ym > scales[:, np.newaxis]))
        if out_of_range.any():
            raise ValueError(
                "y: the logistic model needs 0 <= y <= scale; not so in "
                f"{describe_cells(out_of_range)} (use model='linear' for unbounded indicators)"
            )

    # ---- populations, responses and prior weights ----------------------------------------------
    size = np.ones_like(ym) if pm is None else (np.ceil(pm) if is_compat else pm.copy())
    size = np.where(present, size, 0.0)
    response = yfill / scales[:, np.newaxis]
    counts_bad = np.zeros(n, dtype=bool)
    if is_compat:
        events = np.rint(response * size)  # R's round(): half to even, as numpy.rint
        counts_bad = np.asarray((present & ((events < 0) | (events > size))).any(axis=1))
        if logistic:
            with np.errstate(invalid="ignore", divide="ignore"):
                response = np.where(size > 0, events / np.where(size > 0, size, 1.0), 0.0)
            prior = size * size  # glm(cbind(k, n - k) ~ rank, weights = n): weights n * n
        else:
            prior = size
    else:
        prior = size

    # ---- ridit ranks -------------------------------------------------------------------------
    total = size.sum(axis=1, keepdims=True)
    cum = np.cumsum(size, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rank = np.where(total > 0, (cum - size / 2) / np.where(total > 0, total, 1.0), 0.0)

    reason = reasons(n)
    add_reason(reason, total[:, 0] == 0, "the subgroups with estimates all have zero population")
    add_reason(reason, counts_bad, "counts outside 0..n (estimate below 0 or above the scale)")
    ok = reason == ""

    # ---- regression --------------------------------------------------------------------------
    x1 = rank
    if logistic:
        b0, b1, converged = _irls_logistic(response, prior, x1, ok)
        add_reason(
            reason,
            ok & ~converged,
            "the logistic fit did not converge (e.g. the estimates separate the ranks)",
        )
        with np.errstate(over="ignore"):
            fitted = special.expit(b0[:, np.newaxis] + b1[:, np.newaxis] * x1)
        working = prior * fitted * (1 - fitted)
    else:
        b0, b1 = _wls(response, prior, x1)
        fitted = b0[:, np.newaxis] + b1[:, np.newaxis] * x1
        working = prior
    ok = reason == ""

    # HC1 sandwich: B (sum u u') B with B = (X'WX)^-1 and scores u = x a (y - mu); glm counts
    # only rows with non-zero weight as observations, hence (J_ok / J)^2.
    w0 = working.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = (working * x1).sum(axis=1) / w0
        sxx = (working * (x1 - xbar[:, np.newaxis]) ** 2).sum(axis=1)
        det = w0 * sxx  # = w0 * w2 - w1^2, without the cancellation
        w1 = w0 * xbar
        w2 = sxx + w0 * xbar * xbar
        bread = (
            np.stack([np.stack([w2, -w1], -1), np.stack([-w1, w0], -1)], -2) / det[:, None, None]
        )
    score = np.where(present, prior * (response - fitted), 0.0)
    e2 = score * score
    meat = np.stack(
        [
            np.stack([e2.sum(axis=1), (e2 * x1).sum(axis=1)], -1),
            np.stack([(e2 * x1).sum(axis=1), (e2 * x1 * x1).sum(axis=1)], -1),
        ],
        -2,
    )
    j_ok = (present & (prior > 0)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = count / (count - 2) * (j_ok / count) ** 2
        cov = factor[:, None, None] * (bread @ meat @ bread)
    add_reason(reason, ok & ~(det > 0), "the regression is singular (all people in one subgroup)")
    ok = reason == ""

    if logistic:
        with np.errstate(over="ignore"):
            mu0, mu1 = special.expit(b0), special.expit(b0 + b1)
    else:
        mu0, mu1 = b0, b0 + b1
    nan = np.full(n, np.nan)
    return _Fit(
        mu0=np.where(ok, mu0, nan),
        mu1=np.where(ok, mu1, nan),
        cov=np.where(ok[:, None, None], cov, np.nan),
        scale=scales,
        subgroups=np.where(ok, count, nan),
        reason=reason,
        model="logistic" if logistic else "linear",
        compat=is_compat,
        dropped=~present,
    )


def _wls(response: FloatArray, prior: FloatArray, x1: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted least squares of response on (1, x1), per setting, in closed form.

    Uses the centred form (slope = weighted covariance / weighted variance of x1), which keeps
    its precision when nearly all the weight sits in one subgroup.
    """
    s0 = prior.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = (prior * x1).sum(axis=1) / s0
        ybar = (prior * response).sum(axis=1) / s0
        dx = x1 - xbar[:, np.newaxis]
        b1 = (prior * dx * (response - ybar[:, np.newaxis])).sum(axis=1) / (prior * dx * dx).sum(
            axis=1
        )
        b0 = ybar - b1 * xbar
    return np.asarray(b0), np.asarray(b1)


def _irls_logistic(
    response: FloatArray, prior: FloatArray, x1: FloatArray, active: BoolArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Quasi-binomial logistic regression on (1, x1) for all settings at once (IRLS).

    Starts where R's ``binomial()$initialize`` does and takes Newton (IRLS) steps on every
    setting not yet converged, halving a step while it would increase the deviance (the
    log-likelihood is concave, so this always converges when the estimate exists). Converged
    settings are frozen by a mask. Returns (b0, b1, converged).
    """
    n = response.shape[0]

    def deviance(c0: FloatArray, c1: FloatArray) -> FloatArray:
        eta = c0[:, np.newaxis] + c1[:, np.newaxis] * x1
        return np.asarray(-2 * (prior * (response * eta - np.logaddexp(0.0, eta))).sum(axis=1))

    with np.errstate(invalid="ignore", divide="ignore"):
        eta_now = special.logit((prior * response + 0.5) / (prior + 1))
    # The first IRLS step starts from R's fitted values, not from coefficients.
    b0, b1 = np.full(n, np.nan), np.full(n, np.nan)
    dev = np.full(n, np.inf)
    todo = active.copy()
    converged = np.zeros(n, dtype=bool)
    last_step = np.full(n, np.inf)
    for _ in range(MAX_ITERATIONS):
        if not todo.any():
            break
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            mu = special.expit(eta_now)
            var = mu * (1 - mu)
            z = eta_now + np.where(var > 0, (response - mu) / np.where(var > 0, var, 1.0), 0.0)
            nb0, nb1 = _wls(z, prior * var, x1)
            first = np.isnan(b0)
            d0 = np.where(first, nb0, nb0 - b0)
            d1 = np.where(first, nb1, nb1 - b1)
            base0 = np.where(first, 0.0, b0)
            base1 = np.where(first, 0.0, b1)
            usable = todo & np.isfinite(d0) & np.isfinite(d1)
            # Step halving: shrink the step where the deviance would go up.
            t = np.ones(n)
            for _halving in range(MAX_HALVINGS):
                new_dev = deviance(base0 + t * d0, base1 + t * d1)
                worse = usable & ~first & ~(new_dev <= dev + 1e-12 * np.abs(dev))
                if not worse.any():
                    break
                t = np.where(worse, t / 2, t)
            step = np.maximum(np.abs(d0), np.abs(d1))
            size = np.maximum(np.abs(nb0), np.abs(nb1))
        b0 = np.where(usable, base0 + t * d0, b0)
        b1 = np.where(usable, base1 + t * d1, b1)
        dev = np.where(usable, new_dev, dev)
        # Converged when the Newton step is negligible, or when it has stopped shrinking at the
        # level of rounding noise (ill-conditioned settings, nearly all people in one subgroup).
        done = (
            usable
            & ~first
            & (
                (step <= TOLERANCE * (1 + size))
                | ((step >= last_step) & (step <= STALL_TOLERANCE * (1 + size)))
            )
        )
        last_step = np.where(usable & ~first, step, last_step)
        converged |= done
        todo &= usable & ~done
        eta_now = b0[:, np.newaxis] + b1[:, np.newaxis] * x1
    return np.where(np.isnan(b0), 0.0, b0), np.where(np.isnan(b1), 0.0, b1), converged


def _method(fit: _Fit, measure: str) -> NDArray[np.object_]:
    if fit.model == "logistic":
        body = "quasi-binomial logistic regression on ridit ranks" + (
            ", counts rint(y/S*ceil(n)), weights n^2" if fit.compat else ", counts (k, n-k)"
        )
    else:
        body = "weighted least squares on ridit ranks"
    mode = " (compat)" if fit.compat else ""
    text = f"healthequal 1.0.1 {measure}{mode}: {body}; HC1 sandwich, delta method (analytic)"
    return filled(fit.mu0.shape[0], text)


def sii_who(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    model: Model = "logistic",
    confidence: float | Sequence[float] = 0.95,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Slope index of inequality by logistic or linear regression on ridit ranks (WHO/HEAT).

    Parameters
    ----------
    y
        Subgroup estimates, settings x subgroups, columns from the most disadvantaged (column 0,
        e.g. IMD quintile 1) to the most advantaged. NaN is a missing estimate, whatever the
        population: an error unless ``force=True``, as in healthequal.
    se
        Standard errors of the estimates. The WHO SII does not use them (nor does healthequal);
        they are accepted so every inequality measure takes (y, se, pop), and only checked.
    pop
        Subgroup populations (zeros allowed). Without them every subgroup counts as 1.
    scale
        Indicator scale per setting (100 for %, 1000 per 1,000). Required for the logistic
        model, which needs 0 <= y <= scale; ignored by the linear model's values. In compat
        mode ``None`` means healthequal's scale guessed from the data.
    model
        ``"logistic"`` (quasi-binomial, healthequal's default) or ``"linear"`` (WLS).
    confidence
        One or more confidence levels.
    force
        Drop missing estimates (healthequal's ``force = TRUE``); without it they are an error.
        ``Estimate.dropped`` (settings x subgroups) marks the subgroups dropped.
    compat
        ``"healthequal-1.0.1"`` reproduces the package: scale guessed from the data when not
        given, populations rounded up, counts rounded (NA when out of range, even for the linear
        model), logistic weights n^2, and ``se`` on the 0-1 scale.

    Returns
    -------
    Estimate
        ``value`` = SII on the indicator scale (positive: higher among the advantaged), normal
        ``intervals``, ``reason`` where NA, and ``extras``: ``se`` (indicator scale; 0-1 scale in
        compat mode, as healthequal), ``scale``, ``rank0`` and ``rank1`` (fitted values at the
        two ends, indicator scale) and ``subgroups``.

    Raises
    ------
    ValueError
        As healthequal: a missing estimate without ``force``, fewer than 3 subgroups with
        estimates, all estimates equal, a gap in the orders (with ``pop``); and bad shapes,
        infinite values, negative populations or standard errors, an unknown ``model``, no
        ``scale`` for the logistic model or y outside [0, scale] (default mode).

    Notes
    -----
    Matches ``sii`` of healthequal 1.0.1 for aggregated data (``pop`` given, no survey design):
    estimates to about 1e-11, standard errors and limits to about 3e-6 because healthequal's
    delta method uses a numerical Jacobian. Covariance HC1 with healthequal's factors
    J/(J - 2) * (J_ok/J)^2, where J counts subgroups with estimates and J_ok those with people.
    Default-mode deviations (section 9 of the method notes): declared scale (defect 1), logistic
    fit to the proportions y/S with weights n and no rounding (defects 2 and 9), ``se`` times S
    (defect 3), an error for y outside [0, S] with the logistic model (defect 11). Settings where
    healthequal returns NA (counts out of range in compat mode) or the fit fails (separation,
    all people in one subgroup) are NaN with a reason; the rest of the batch is unaffected.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. WHO. Handbook on health inequality
    monitoring, 2013. Mackenbach JP, Kunst AE. Soc Sci Med 1997;44(6):757-771.

    Examples
    --------
    >>> est = sii_who([20, 30, 40, 50, 60], pop=[78, 91, 162, 103, 105], scale=100)
    >>> round(float(est.value[0]), 4), round(float(est.extras["se"][0]), 4)
    (44.8905, 2.6471)
    >>> hq = sii_who([20, 30, 40, 50, 60], pop=[78, 91, 162, 103, 105], compat="healthequal-1.0.1")
    >>> round(float(hq.value[0]), 5), round(float(hq.extras["se"][0]), 6)
    (44.44502, 0.021908)
    >>> lin = sii_who([20, 30, 40, 50, 60], pop=[78, 91, 162, 103, 105], model="linear")
    >>> round(float(lin.value[0]), 4)
    46.2538
    """
    fit = _fit(y, se, pop, scale=scale, model=model, force=force, compat=compat)
    levels = confidence_levels(confidence)
    mu0, mu1 = fit.mu0, fit.mu1
    if fit.model == "logistic":
        grad = np.stack([mu1 * (1 - mu1) - mu0 * (1 - mu0), mu1 * (1 - mu1)], -1)
    else:
        grad = np.stack([np.zeros_like(mu0), np.ones_like(mu0)], -1)
    se01 = np.sqrt(np.einsum("ni,nij,nj->n", grad, fit.cov, grad))
    s = fit.scale
    value = s * (mu1 - mu0)
    intervals = {}
    for level in levels:
        z = z_value(level)
        intervals[level] = Interval(value - z * s * se01, value + z * s * se01)
    return Estimate(
        value=value,
        intervals=intervals,
        statistic=f"slope index of inequality (WHO/healthequal, {fit.model})",
        method=_method(fit, "SII"),
        reason=fit.reason,
        extras={
            "se": se01 if fit.compat else s * se01,
            "scale": s.astype(np.float64),
            "rank0": s * mu0,
            "rank1": s * mu1,
            "subgroups": fit.subgroups,
        },
        dropped=fit.dropped,
    )


def rii_who(
    y: ArrayLike,
    se: ArrayLike | None = None,
    pop: ArrayLike | None = None,
    *,
    scale: float | ArrayLike | None = None,
    model: Model = "logistic",
    confidence: float | Sequence[float] = 0.95,
    force: bool = False,
    compat: Compat | None = None,
) -> Estimate:
    """Relative index of inequality, mu_1 / mu_0, by regression on ridit ranks (WHO/HEAT).

    Parameters
    ----------
    y, se, pop
        As :func:`sii_who` (``se`` is accepted but not used).
    scale
        Indicator scale per setting; required for the logistic model (RII does not depend on
        it otherwise). healthequal's ``rii`` has no scale argument and always guesses it from
        the data: in compat mode pass ``None`` to reproduce that.
    model
        ``"logistic"`` (default) or ``"linear"``.
    confidence
        One or more confidence levels.
    force
        Drop missing estimates (otherwise an error).
    compat
        ``"healthequal-1.0.1"`` reproduces the package (see :func:`sii_who`).

    Returns
    -------
    Estimate
        ``value`` = RII (> 1: higher among the advantaged), intervals exp(ln RII +- z se),
        ``reason`` where NA, and ``extras``: ``se`` and ``log_rii`` on the log scale, ``scale``,
        ``rank0``, ``rank1``, ``subgroups``.

    Raises
    ------
    ValueError
        As :func:`sii_who`.

    Notes
    -----
    Matches ``rii`` of healthequal 1.0.1 for aggregated data: estimates to about 1e-11,
    standard errors and limits to about 3e-6 (numerical Jacobian in healthequal). The linear
    RII is NA when the fitted value at rank 0 is not positive or mu_1/mu_0 <= 0. Default-mode
    deviations as for :func:`sii_who`.

    References
    ----------
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697. Mackenbach JP, Kunst AE. Soc Sci
    Med 1997;44(6):757-771.

    Examples
    --------
    >>> est = rii_who([20, 30, 40, 50, 60], pop=[78, 91, 162, 103, 105], scale=100)
    >>> round(float(est.value[0]), 4), round(float(est.extras["se"][0]), 4)
    (3.2363, 0.0972)
    >>> hq = rii_who([20, 30, 40, 50, 60], pop=[78, 91, 162, 103, 105], compat="healthequal-1.0.1")
    >>> round(float(hq.value[0]), 6), round(float(hq.lower[0]), 6), round(float(hq.upper[0]), 5)
    (3.159506, 2.719902, 3.67016)
    """
    fit = _fit(y, se, pop, scale=scale, model=model, force=force, compat=compat)
    levels = confidence_levels(confidence)
    mu0, mu1 = fit.mu0, fit.mu1
    reason = fit.reason.copy()
    if fit.model == "logistic":
        grad = np.stack([mu0 - mu1, 1 - mu1], -1)
    else:
        add_reason(
            reason,
            ~(mu0 > 0) & np.isfinite(mu0),
            "the fitted value at rank 0 is not positive, so RII is undefined",
        )
        add_reason(
            reason,
            ~(mu1 / np.where(mu0 > 0, mu0, 1.0) > 0) & np.isfinite(mu0),
            "the fitted values change sign, so RII is undefined",
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = np.stack([1 / mu1 - 1 / mu0, 1 / mu1], -1)
    ok = reason == ""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rii = np.where(ok, np.log(mu1) - np.log(mu0), np.nan)
        se_log = np.where(ok, np.sqrt(np.einsum("ni,nij,nj->n", grad, fit.cov, grad)), np.nan)
    intervals = {}
    with np.errstate(over="ignore"):  # an RII beyond 1e308 is reported as inf
        for level in levels:
            z = z_value(level)
            intervals[level] = Interval(np.exp(log_rii - z * se_log), np.exp(log_rii + z * se_log))
        value = np.exp(log_rii)
    s = fit.scale
    return Estimate(
        value=value,
        intervals=intervals,
        statistic=f"relative index of inequality (WHO/healthequal, {fit.model})",
        method=_method(fit, "RII"),
        reason=reason,
        extras={
            "se": se_log,
            "log_rii": log_rii,
            "scale": s.astype(np.float64),
            "rank0": np.where(ok, s * mu0, np.nan),
            "rank1": np.where(ok, s * mu1, np.nan),
            "subgroups": np.where(ok, fit.subgroups, np.nan),
        },
        dropped=fit.dropped,
    )
