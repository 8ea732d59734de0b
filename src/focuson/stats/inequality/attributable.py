"""Population attributable fraction (PAF) and risk (PAR), as healthequal 1.0.1 ``paf``/``parisk``.

PAR is the improvement in the setting average if every subgroup reached the reference subgroup's
level; PAF is that improvement as a percentage of the average. The standard error is Walter's
(1978), computed from the 2 x 2 table implied by the reference subgroup and the rest.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from focuson.stats.estimate import Estimate, add_reason, reasons
from focuson.stats.inequality._subgroups import (
    Compat,
    compat_mode,
    describe_settings,
    flags,
    per_setting,
)
from focuson.stats.inequality.difference_ratio import (
    _check_consecutive,
    _included,
    _inputs,
    _label,
    _levels,
    _normal_intervals,
    _ordered_flag,
    _positive,
    _require,
    _take,
)


def _attributable(
    kind: Literal["paf", "par"],
    y: ArrayLike,
    pop: ArrayLike | None,
    favourable: bool | ArrayLike,
    ordered: bool,
    scale: float | ArrayLike,
    setting_average: float | ArrayLike | None,
    confidence: float | Sequence[float] | None,
    force: bool,
    compat: Compat,
) -> Estimate:
    is_compat = compat_mode(compat)
    if pop is None and setting_average is None:
        raise ValueError("pop: give either pop or setting_average (the mean to compare with)")
    inp = _inputs(y, None, pop)
    n_set, n_sub = inp.y.shape
    levels = _levels(confidence)
    fav = flags("favourable", favourable, n_set)
    is_ordered = _ordered_flag(ordered)
    scale_s = _positive("scale", scale, n_set)
    # A subgroup without an estimate counts as missing even with population 0: dropping it could
    # move the reference subgroup (the most advantaged, or the best), so healthequal's rule
    # applies: an error unless force=True, and the dropped subgroups are reported.
    included = _included(inp, ordered=is_ordered, force=force, measure=kind, absent_missing=True)
    if is_ordered:
        _check_consecutive("y", included)
    _require(included, 3, kind)

    y = np.where(included, inp.y, np.nan)
    tied = np.zeros(n_set, dtype=bool)
    if is_ordered:
        # the most advantaged subgroup (highest order) is the reference, whatever the polarity
        ref = n_sub - 1 - np.argmax(included[:, ::-1], axis=1)
    else:
        best = np.where(
            fav[:, np.newaxis],
            np.where(included, y, -np.inf),
            -np.where(included, y, np.inf),
        )
        ref = np.argmax(best, axis=1)
        is_best = included & (best == _take(best, ref)[:, np.newaxis])
        tied = is_best.sum(axis=1) > 1
        if is_compat:
            if inp.pop is not None:
                # healthequal takes the largest population among tied best subgroups
                ref = np.argmax(np.where(is_best, inp.pop, -np.inf), axis=1)
        elif tied.any():
            warnings.warn(
                f"{kind}: several subgroups tie for the best estimate in "
                f"{describe_settings(tied)}; the "
                "first tied subgroup (lowest column) was used as the reference",
                UserWarning,
                stacklevel=3,
            )
    y_ref = _take(y, ref)

    reason = reasons(n_set)
    if inp.pop is not None:
        w = np.where(included, inp.pop, 0.0)
        total = w.sum(axis=1)
        add_reason(reason, total == 0, "the subgroups with estimates all have zero population")
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.where(included, y * w, 0.0).sum(axis=1) / total
        mu_source = "mu = population-weighted mean"
    else:
        if setting_average is None:  # pragma: no cover - excluded above
            raise AssertionError
        mu = per_setting("setting_average", setting_average, n_set)
        bad = ~np.isfinite(mu)
        if bad.any():
            raise ValueError(
                f"setting_average: must be a finite number; not so in {describe_settings(bad)}"
            )
        mu_source = "mu = setting average"
        total = np.full(n_set, np.nan)
    gap = y_ref - mu
    truncated = (fav & (gap < 0)) | (~fav & (gap > 0))
    gap = np.where(truncated, 0.0, gap)
    if kind == "paf":
        add_reason(reason, mu == 0, "the mean (mu) is zero")
    ok = reason == ""

    # Walter (1978): 2 x 2 table of the reference subgroup against the rest
    if inp.pop is not None:
        n_ref = _take(inp.pop, ref)
        c = y_ref / scale_s * n_ref
        d = n_ref - c
        a = mu / scale_s * total - c
        b = total - a - n_ref
        with np.errstate(invalid="ignore", divide="ignore"):
            se_f = np.sqrt(
                c * total * (a * d * (total - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)
            )
    else:
        se_f = np.full(n_set, np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "paf":
            value = np.where(ok, 100 * gap / mu, np.nan)
            se = se_f if is_compat else 100 * se_f
        else:
            value = np.where(ok, gap, np.nan)
            se = np.abs(mu) * se_f
    se = np.where(ok, se, np.nan)

    if inp.pop is None:
        ci_note = "no CI: needs pop"
    elif kind == "paf":
        ci_note = "Walter (1978) se of the fraction" + ("" if is_compat else " x 100")
    else:
        ci_note = "Walter (1978) se x mu"
    variant = (
        "ordered, reference = most advantaged" if is_ordered else "non-ordered, reference = best"
    )
    parts = np.where(
        truncated & ok,
        f"{variant}; {mu_source}; {ci_note}; truncated to 0",
        f"{variant}; {mu_source}; {ci_note}",
    ).astype(object)
    name = "paf" if kind == "paf" else "parisk"
    return Estimate(
        value=value,
        intervals=_normal_intervals(value, se, levels),
        statistic="paf" if kind == "paf" else "par",
        method=_label(f"healthequal 1.0.1 {name}, ", parts, is_compat),
        reason=reason,
        extras={
            "se": se,
            "mu": mu,
            "reference_estimate": y_ref,
            "reference_subgroup": ref.astype(np.float64),
            "truncated": (truncated & ok).astype(np.float64),
            "tied": tied.astype(np.float64),
        },
        dropped=~included,
    )


def paf(
    y: ArrayLike,
    pop: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    ordered: bool,
    scale: float | ArrayLike,
    setting_average: float | ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Population attributable fraction: 100 * (y_ref - mu) / mu, per setting.

    Parameters
    ----------
    y
        Subgroup estimates, settings x subgroups; ordered columns run from the most disadvantaged
        (column 0) to the most advantaged.
    pop
        Subgroup populations (same shape). When given, mu is the population-weighted mean and
        the confidence interval is computed. A NaN estimate is missing even where the
        population is 0: leaving it out could move the reference subgroup.
    favourable
        1/True if higher is better (per setting or one value).
    ordered
        True for an ordered dimension.
    scale
        Indicator scale (100 for a percentage, 1000 per 1,000), per setting or one value; used
        by the standard error.
    setting_average
        The setting's mean, used only when ``pop`` is not given (then there is no interval).
    confidence
        One or more confidence levels.
    force
        Drop missing estimates (NaN, whatever the population): any on an ordered dimension,
        more than 15% on a non-ordered one. Without it those are errors, as in healthequal.
    compat
        ``"healthequal-1.0.1"``: interval from the se of the fraction (about 100 times too
        narrow), and the largest population among tied best subgroups.

    Returns
    -------
    Estimate
        ``statistic="paf"`` (a percentage); ``extras``: ``se``, ``mu``, ``reference_estimate``,
        ``reference_subgroup`` (column), ``truncated`` (1 where the estimate was set to 0) and
        ``tied``. ``method`` names the source of mu. ``dropped`` (settings x subgroups) marks
        the subgroups left out for want of an estimate.

    Raises
    ------
    ValueError
        Neither pop nor setting average, flags not 0/1, missing estimates beyond the rules above,
        gaps in the orders of an ordered dimension, fewer than three subgroups, bad populations.

    Notes
    -----
    Matches ``paf`` of healthequal 1.0.1. The reference subgroup is the most advantaged for an
    ordered dimension, and the best (highest if favourable, lowest if adverse) otherwise; a
    flagged reference subgroup is not used. PAF is set to 0 when the reference is worse than the
    mean, keeping an interval centred on 0 (flagged in ``extras["truncated"]`` and ``method``).

    Deliberate deviations (default mode): the se is 100 x Walter's se of the fraction, so the
    interval is on the percentage scale of the estimate (healthequal uses the fraction's se,
    about 100 times too narrow); ties for the best estimate use the first tied subgroup with a
    warning (healthequal uses the largest tied population); a missing estimate, which crashes
    healthequal, follows the missing-data rules; mu = 0 gives NA with a reason.

    References
    ----------
    Walter SD. Calculation of attributable risks from epidemiological data. Int J Epidemiol
    1978;7(2):175-82.
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = paf([20.0, 30.0, 40.0, 50.0, 60.0], [78, 91, 162, 103, 105],
    ...           favourable=True, ordered=True, scale=100)
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([45.5446], [10.6894])
    """
    return _attributable(
        "paf", y, pop, favourable, ordered, scale, setting_average, confidence, force, compat
    )


def par(
    y: ArrayLike,
    pop: ArrayLike | None = None,
    *,
    favourable: bool | ArrayLike,
    ordered: bool,
    scale: float | ArrayLike,
    setting_average: float | ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Population attributable risk: y_ref - mu, per setting, on the indicator's scale.

    Parameters
    ----------
    y, pop, favourable, ordered, scale, setting_average, confidence, force, compat
        As for :func:`paf`.

    Returns
    -------
    Estimate
        ``statistic="par"``; limits ``PAR ± z * se`` with ``se = mu * se_f`` (Walter's se of
        the fraction times the mean); ``extras`` as for :func:`paf`.

    Raises
    ------
    ValueError
        As :func:`paf`.

    Notes
    -----
    Matches ``parisk`` of healthequal 1.0.1 (the same reference subgroup, mean and truncation
    to 0 as :func:`paf`). Its interval is already on the right scale; the default mode differs
    from healthequal only in the handling of ties and missing estimates (see :func:`paf`).

    References
    ----------
    Walter SD. Int J Epidemiol 1978;7(2):175-82.
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = par([20.0, 30.0, 40.0, 50.0, 60.0], [78, 91, 162, 103, 105],
    ...           favourable=True, ordered=True, scale=100)
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([18.7755], [4.4066])
    """
    return _attributable(
        "par", y, pop, favourable, ordered, scale, setting_average, confidence, force, compat
    )
