"""Between-group variance, mean log deviation and Theil index with analytic standard errors.

healthequal 1.0.1 ``bgv``, ``mld`` and ``ti``: population-weighted measures of how far the
subgroups of a non-ordered dimension (ethnicity, region, practice) are from the weighted mean
mu = sum p_j y_j, with p_j = n_j / N. The standard errors are Ahn et al.'s (2018) delta-method
formulas, which treat the populations as fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats.estimate import Estimate, add_reason, reasons
from focuson.stats.inequality._subgroups import Compat, compat_mode, describe_settings
from focuson.stats.inequality.difference_ratio import (
    BoolMatrix,
    FloatArray,
    Matrix,
    ObjectArray,
    _included,
    _Inputs,
    _inputs,
    _label,
    _levels,
    _normal_intervals,
    _require,
)

#: healthequal replaces zero estimates by this before taking logs (MLD, TI), in mu too.
ZERO_REPLACEMENT = 1e-6


def _weights(
    inp: _Inputs, included: BoolMatrix
) -> tuple[Matrix, FloatArray, Matrix, NDArray[np.bool_]]:
    """Population shares p_j over the subgroups used, and the se (0 where not used)."""
    if inp.pop is None:  # pragma: no cover - pop is required by every caller
        raise ValueError("pop: required")
    w = np.where(included, inp.pop, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = w / total[:, np.newaxis]
    if inp.se is None:
        se = np.full(inp.y.shape, np.nan)
        no_se = np.ones(inp.settings, dtype=bool)
    else:
        se = np.where(included, inp.se, 0.0)
        no_se = np.isnan(se).any(axis=1)
    return p, total, se, no_se


def _finish(
    kind: Literal["bgv", "mld", "ti"],
    value: FloatArray,
    se: FloatArray,
    mu: FloatArray,
    reason: ObjectArray,
    no_se: NDArray[np.bool_],
    levels: tuple[float, ...],
    note: str,
    compat: bool,
    extras: dict[str, FloatArray] | None = None,
    dropped: NDArray[np.bool_] | None = None,
) -> Estimate:
    ok = reason == ""
    value = np.where(ok, value, np.nan)
    se = np.where(ok & ~no_se, se, np.nan)
    parts = np.where(
        no_se, f"{note}; no CI: standard errors missing", f"{note}; se Ahn et al. (2018)"
    ).astype(object)
    return Estimate(
        value=value,
        intervals=_normal_intervals(value, se, levels),
        statistic=kind,
        method=_label(f"healthequal 1.0.1 {kind}, ", parts, compat),
        reason=reason,
        extras={"se": se, "mu": np.where(ok, mu, np.nan), **(extras or {})},
        dropped=dropped,
    )


def bgv(
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike,
    *,
    confidence: float | Sequence[float] | None = 0.95,
    compat: Compat = None,
) -> Estimate:
    """Between-group variance, sum p_j (y_j - mu)^2, per setting.

    Parameters
    ----------
    y
        Subgroup estimates, settings x subgroups (a 1-d array is one setting).
    se
        Their standard errors (same shape), or ``None`` for no interval.
    pop
        Subgroup populations (same shape); zero with a NaN estimate marks an absent subgroup.
    confidence
        One or more confidence levels.
    compat
        ``"healthequal-1.0.1"``; BGV has no healthequal defect to reproduce, so the results are
        the same.

    Returns
    -------
    Estimate
        ``statistic="bgv"`` (squared units of the indicator); limits ``BGV ± z * se``;
        ``extras``: ``se`` and ``mu``.

    Raises
    ------
    ValueError
        Estimates missing for more than 15% of a setting's subgroups (BGV has no ``force`` in
        healthequal), fewer than three subgroups, bad populations or standard errors.

    Notes
    -----
    Matches ``bgv`` of healthequal 1.0.1. se = sqrt(4 sum p^2 s^2 (y - mu)^2 + 2 [(sum p^2 s^2)^2
    - sum p^4 s^4 + sum p^2 (1 - p)^2 s^4]) (Ahn et al. 2018). Missing estimates (up to 15%)
    are dropped; a missing se of a subgroup used gives an NA interval.

    References
    ----------
    Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G. Variance estimation and confidence intervals
    for 11 commonly used health disparity measures. JCO Clin Cancer Inform 2018;2:1-19.
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = bgv([60.0, 70.0, 80.0], [2.0, 2.0, 3.0], [100, 200, 100])
    >>> est.value.tolist(), np.round(est.extras["se"], 4).tolist()
    ([50.0], [18.3748])
    """
    is_compat = compat_mode(compat)
    inp = _inputs(y, se, pop)
    levels = _levels(confidence)
    included = _included(inp, ordered=False, force=False, measure="bgv")
    _require(included, 3, "bgv")
    p, total, s, no_se = _weights(inp, included)
    reason = reasons(inp.settings)
    add_reason(reason, total == 0, "the subgroups with estimates all have zero population")
    yz = np.where(included, inp.y, 0.0)
    with np.errstate(invalid="ignore"):
        mu = (p * yz).sum(axis=1)
        dev = np.where(included, yz - mu[:, np.newaxis], 0.0)
        value = (p * dev**2).sum(axis=1)
        p2s2 = p**2 * s**2
        var = 4 * (p2s2 * dev**2).sum(axis=1) + 2 * (
            p2s2.sum(axis=1) ** 2 - (p2s2**2).sum(axis=1) + (p2s2 * (1 - p) ** 2 * s**2).sum(axis=1)
        )
        se_bgv = np.sqrt(var)
    return _finish(
        "bgv",
        value,
        se_bgv,
        mu,
        reason,
        no_se,
        levels,
        "population-weighted",
        is_compat,
        dropped=~included,
    )


def _log_measure(
    kind: Literal["mld", "ti"],
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike,
    confidence: float | Sequence[float] | None,
    force: bool,
    compat: Compat,
) -> Estimate:
    is_compat = compat_mode(compat)
    inp = _inputs(y, se, pop)
    levels = _levels(confidence)
    included = _included(inp, ordered=False, force=force, measure=kind)
    _require(included, 3, kind)
    negative = np.asarray((included & (inp.y < 0)).any(axis=1), dtype=bool)
    if negative.any() and not is_compat:
        raise ValueError(
            f"y: {kind} needs estimates of 0 or more; negative in {describe_settings(negative)}"
        )
    p, total, s, no_se = _weights(inp, included)
    reason = reasons(inp.settings)
    add_reason(reason, total == 0, "the subgroups with estimates all have zero population")
    add_reason(reason, negative, "negative estimates have no logarithm")
    zero = included & (inp.y == 0)
    yz = np.where(included, np.where(zero, ZERO_REPLACEMENT, inp.y), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = (p * yz).sum(axis=1)
        r = yz / mu[:, np.newaxis]
        log_r = np.log(r)
        scaled = p**2 * s**2 / mu[:, np.newaxis] ** 2
        if kind == "mld":
            value = 1000 * (p * -log_r).sum(axis=1)
            se_val = np.sqrt((scaled * (1 - 1 / r) ** 2).sum(axis=1))
        else:
            value = 1000 * (p * r * log_r).sum(axis=1)
            t = (p * r * (1 + log_r)).sum(axis=1)
            se_val = np.sqrt(((1 + log_r - t[:, np.newaxis]) ** 2 * scaled).sum(axis=1))
    if not is_compat:
        se_val = 1000 * se_val
    note = "population-weighted, x 1000" + (
        "; se not x 1000 (as healthequal)" if is_compat else "; se x 1000"
    )
    return _finish(
        kind,
        value,
        se_val,
        mu,
        reason,
        no_se,
        levels,
        note,
        is_compat,
        {"zero_replaced": zero.any(axis=1).astype(np.float64)},
        dropped=~included,
    )


def mld(
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike,
    *,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Mean log deviation x 1000, 1000 * sum p_j (-ln(y_j / mu)), per setting.

    Parameters
    ----------
    y, se, pop, confidence
        As for :func:`bgv`.
    force
        Drop missing estimates even when they are more than 15% of a setting's subgroups.
    compat
        ``"healthequal-1.0.1"``: se not multiplied by 1000 (an interval about 1000 times too
        narrow), and negative estimates give NA instead of an error.

    Returns
    -------
    Estimate
        ``statistic="mld"``; limits ``MLD ± z * se``; ``extras``: ``se`` (x 1000, like the
        estimate), ``mu`` and ``zero_replaced`` (1 where a zero estimate was replaced).

    Raises
    ------
    ValueError
        Negative estimates, missing estimates beyond the 15% rule without ``force``, fewer than
        three subgroups, bad populations or standard errors.

    Notes
    -----
    Matches ``mld`` of healthequal 1.0.1: zero estimates are first replaced by 1e-6 (in mu
    too); se = sqrt(sum p_j^2 s_j^2 / mu^2 (1 - mu / y_j)^2). Deviation: focuson multiplies the
    se by 1000, the scale of the estimate; healthequal does not.

    References
    ----------
    Ahn J et al. JCO Clin Cancer Inform 2018;2:1-19.
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = mld([60.0, 70.0, 80.0], [2.0, 2.0, 3.0], [100, 200, 100])
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([5.1548], [1.7919])
    """
    return _log_measure("mld", y, se, pop, confidence, force, compat)


def ti(
    y: ArrayLike,
    se: ArrayLike | None,
    pop: ArrayLike,
    *,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Theil index x 1000, 1000 * sum p_j r_j ln r_j with r_j = y_j / mu, per setting.

    Parameters
    ----------
    y, se, pop, confidence, force, compat
        As for :func:`mld`.

    Returns
    -------
    Estimate
        ``statistic="ti"``; limits ``TI ± z * se``; ``extras``: ``se`` (x 1000), ``mu`` and
        ``zero_replaced``.

    Raises
    ------
    ValueError
        As :func:`mld`.

    Notes
    -----
    Matches ``ti`` of healthequal 1.0.1: zero estimates replaced by 1e-6 (in mu too);
    se = sqrt(sum (1 + ln r_j - T)^2 p_j^2 s_j^2 / mu^2) with T = sum p_j r_j (1 + ln r_j).
    Deviation: the se is multiplied by 1000, the scale of the estimate (not in healthequal).

    References
    ----------
    Ahn J et al. JCO Clin Cancer Inform 2018;2:1-19.
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = ti([60.0, 70.0, 80.0], [2.0, 2.0, 3.0], [100, 200, 100])
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([5.1195], [1.7868])
    """
    return _log_measure("ti", y, se, pop, confidence, force, compat)
