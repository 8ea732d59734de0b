"""Absolute and relative concentration indices (ACI, RCI), as healthequal 1.0.1 ``aci``/``rci``.

Both come from the "convenient regression" of O'Donnell et al. (2008): with ridit ranks R_j of
the ordered subgroups and sigma_R^2 = sum p_j (R_j - 1/2)^2, the weighted least-squares slope of
2 sigma_R^2 y_j / mu on R_j is the RCI, and of 2 sigma_R^2 y_j the ACI. Closed forms:
ACI = sum p_j y_j (2 R_j - 1) and RCI = ACI / mu. The slope's OLS standard error gives the
interval. All settings are fitted at once: the 2 x 2 normal equations are solved in closed form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from focuson.stats.estimate import Estimate, add_reason, filled, reasons
from focuson.stats.inequality._subgroups import Compat, compat_mode, describe_settings, per_setting
from focuson.stats.inequality.difference_ratio import (
    BoolMatrix,
    Matrix,
    _check_consecutive,
    _included,
    _inputs,
    _label,
    _levels,
    _normal_intervals,
    _require,
)

Method = Literal["wagstaff", "erreygers"] | None


def _limits(
    y: Matrix,
    included: BoolMatrix,
    lmin: float | ArrayLike | None,
    lmax: float | ArrayLike | None,
    compat: bool,
) -> Matrix:
    """Rescale to (y - lmin) / (lmax - lmin) after healthequal's checks (plus max(y) <= lmax)."""
    if lmin is None and lmax is None:
        return y
    if lmin is None or lmax is None:
        raise ValueError("lmin: give both lmin and lmax (the limits of a bounded indicator)")
    n_set = y.shape[0]
    lo = per_setting("lmin", lmin, n_set)
    hi = per_setting("lmax", lmax, n_set)
    bad = ~np.isfinite(lo) | ~np.isfinite(hi)
    if bad.any():
        raise ValueError(f"lmin: lmin and lmax must be finite; not so in {describe_settings(bad)}")
    bad = lo >= hi
    if bad.any():
        raise ValueError(f"lmin: must be below lmax; not so in {describe_settings(bad)}")
    below = (included & (y < lo[:, np.newaxis])).any(axis=1)
    if below.any():
        raise ValueError(f"y: estimates below lmin in {describe_settings(below)}")
    if not compat:
        above = (included & (y > hi[:, np.newaxis])).any(axis=1)
        if above.any():
            raise ValueError(f"y: estimates above lmax in {describe_settings(above)}")
    return (y - lo[:, np.newaxis]) / (hi - lo)[:, np.newaxis]


def _concentration(
    kind: Literal["aci", "rci"],
    y: ArrayLike,
    pop: ArrayLike | None,
    method: str | None,
    lmin: float | ArrayLike | None,
    lmax: float | ArrayLike | None,
    confidence: float | Sequence[float] | None,
    force: bool,
    compat: Compat,
) -> Estimate:
    is_compat = compat_mode(compat)
    if method is not None and method not in ("wagstaff", "erreygers") and not is_compat:
        raise ValueError(f"method: expected None, 'wagstaff' or 'erreygers', got {method!r}")
    if method is not None and (lmin is None or lmax is None):
        raise ValueError(f"lmin: the {method} correction needs lmin and lmax")
    correction = method if method in ("wagstaff", "erreygers") else None
    inp = _inputs(y, None, pop)
    n_set, _ = inp.y.shape
    levels = _levels(confidence)
    included = _included(inp, ordered=True, force=force, measure=kind)
    if inp.pop is not None:
        _check_consecutive("y", included)
    _require(included, 3, kind)
    yy = _limits(inp.y, included, lmin, lmax, is_compat)

    # weights n_j (1 without pop), ridit ranks R_j over the subgroups used
    n = np.ones(inp.y.shape) if inp.pop is None else inp.pop
    w = np.where(included, n, 0.0)
    total = w.sum(axis=1)
    reason = reasons(n_set)
    add_reason(reason, total == 0, "the subgroups with estimates all have zero population")
    with np.errstate(invalid="ignore", divide="ignore"):
        cum = np.cumsum(w, axis=1)
        rank = (cum - w / 2) / total[:, np.newaxis]
        p = w / total[:, np.newaxis]
        yz = np.where(included, yy, 0.0)
        mu = (p * yz).sum(axis=1)
        sigma2 = (p * (rank - 0.5) ** 2).sum(axis=1)
        add_reason(reason, sigma2 == 0, "only one subgroup has a population, so ranks do not vary")

        # left-hand side per unit of sqrt(n): 2 sigma^2 y (ACI) or 2 sigma^2 y / mu (RCI)
        lhs = 2 * sigma2[:, np.newaxis] * yz
        if kind == "rci":
            add_reason(reason, mu == 0, "the mean (mu) is zero")
            lhs = lhs / mu[:, np.newaxis]
            if correction == "wagstaff":
                add_reason(reason, mu == 1, "Wagstaff correction undefined: the mean is at lmax")
                lhs = lhs / (1 - mu)[:, np.newaxis]
            elif correction == "erreygers":
                lhs = lhs * (4 * mu)[:, np.newaxis]

        # weighted least squares of lhs on [rank, 1] with weights n (OLS on sqrt(n)-scaled rows)
        r = np.where(included, rank, 0.0)
        a11 = (w * r**2).sum(axis=1)
        a12 = (w * r).sum(axis=1)
        a22 = total
        b1 = (w * r * lhs).sum(axis=1)
        b2 = (w * lhs).sum(axis=1)
        det = a11 * a22 - a12**2
        slope = (a22 * b1 - a12 * b2) / det
        intercept = (a11 * b2 - a12 * b1) / det
        resid = lhs - slope[:, np.newaxis] * r - intercept[:, np.newaxis]
        rss = (w * resid**2).sum(axis=1)
        df = included.sum(axis=1) - 2  # zero-population subgroups still count
        se = np.sqrt(rss / df * a22 / det)
    ok = reason == ""
    value = np.where(ok, slope, np.nan)
    se = np.where(ok, se, np.nan)

    parts = ["ordered, convenient regression (O'Donnell 2008)"]
    if lmin is not None:
        parts.append("bounded: y rescaled by lmin/lmax")
    if correction is not None:
        parts.append(f"{correction} correction")
    if inp.pop is None:
        parts.append("no pop: every subgroup weighted 1")
    method_text = filled(n_set, "; ".join(parts))
    return Estimate(
        value=value,
        intervals=_normal_intervals(value, se, levels),
        statistic=kind,
        method=_label(f"healthequal 1.0.1 {kind}, ", method_text, is_compat),
        reason=reason,
        extras={"se": se, "mu": np.where(ok, mu, np.nan)},
        dropped=~included,
    )


def aci(
    y: ArrayLike,
    pop: ArrayLike | None = None,
    *,
    lmin: float | ArrayLike | None = None,
    lmax: float | ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Absolute concentration index of an ordered dimension, per setting.

    Parameters
    ----------
    y
        Subgroup estimates, settings x subgroups, columns from the most disadvantaged (column 0)
        to the most advantaged.
    pop
        Subgroup populations (same shape); ``None`` weights every subgroup 1, as healthequal.
        A NaN estimate is missing whatever the population (``force=True`` drops it).
    lmin, lmax
        Limits of a bounded indicator (per setting or one value); the estimates are first
        rescaled to (y - lmin) / (lmax - lmin) and the ACI stays on that 0-1 scale.
    confidence
        One or more confidence levels.
    force
        Drop missing estimates (otherwise any missing estimate is an error).
    compat
        ``"healthequal-1.0.1"``: do not check max(y) <= lmax.

    Returns
    -------
    Estimate
        ``statistic="aci"`` (on the indicator's scale, or 0-1 when bounded); limits
        ``ACI ± z * se``; ``extras``: ``se`` and ``mu`` (the pop-weighted mean, rescaled when
        bounded).

    Raises
    ------
    ValueError
        Missing estimates without ``force``, gaps in the orders (checked when pop is given, as
        healthequal), fewer than three subgroups, bad populations, bad or violated limits.

    Notes
    -----
    Matches ``aci`` of healthequal 1.0.1 for aggregated data: ridit ranks
    R_j = (N_{<j} + n_j / 2) / N; the slope of the OLS, without intercept, of
    2 sigma_R^2 y_j sqrt(n_j) on [R_j sqrt(n_j), sqrt(n_j)]; its se
    sqrt(RSS / (J - 2) [(X'X)^-1]_11), where a zero-population subgroup is an all-zero row that
    still counts in J; a normal (not t) interval. ACI > 0 means the indicator is concentrated
    among the advantaged, whatever its polarity. Survey (individual) data are out of scope.
    Deviation: max(y) <= lmax is checked (not in healthequal).

    References
    ----------
    O'Donnell O, van Doorslaer E, Wagstaff A, Lindelow M. Analyzing health equity using household
    survey data. World Bank, 2008 (chapter 8).
    Schlotheuber A, Hosseinpoor AR. IJERPH 2022;19(6):3697.

    Examples
    --------
    >>> est = aci([20.0, 30.0, 40.0, 50.0, 60.0], [78, 91, 162, 103, 105])
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([7.3284], [0.2937])
    """
    return _concentration("aci", y, pop, None, lmin, lmax, confidence, force, compat)


def rci(
    y: ArrayLike,
    pop: ArrayLike | None = None,
    *,
    method: Method = None,
    lmin: float | ArrayLike | None = None,
    lmax: float | ArrayLike | None = None,
    confidence: float | Sequence[float] | None = 0.95,
    force: bool = False,
    compat: Compat = None,
) -> Estimate:
    """Relative concentration index of an ordered dimension, per setting (a fraction).

    Parameters
    ----------
    y, pop, lmin, lmax, confidence, force
        As for :func:`aci`.
    method
        ``None``, ``"wagstaff"`` (divide by 1 - mu') or ``"erreygers"`` (multiply by 4 mu'),
        where mu' is the mean on the rescaled 0-1 scale; both need ``lmin`` and ``lmax``.
    compat
        ``"healthequal-1.0.1"``: an unknown ``method`` is silently ignored and max(y) <= lmax is
        not checked.

    Returns
    -------
    Estimate
        ``statistic="rci"`` as a fraction between -1 and 1 (HEAT shows it x 100); limits
        ``RCI ± z * se``; ``extras``: ``se`` and ``mu``. NA with a reason where mu = 0 (or
        mu' = 1 with Wagstaff's correction).

    Raises
    ------
    ValueError
        As :func:`aci`, plus an unknown ``method`` and a correction without limits.

    Notes
    -----
    Matches ``rci`` of healthequal 1.0.1 for aggregated data: the regression of :func:`aci` with
    the left-hand side divided by mu (RCI = ACI / mu). Deviations: an unknown method is an
    error (healthequal ignores it) and max(y) <= lmax is checked.

    References
    ----------
    O'Donnell O et al. Analyzing health equity using household survey data. World Bank, 2008.
    Wagstaff A. The bounds of the concentration index when the variable of interest is binary.
    Health Econ 2011;20(10):1155-60.
    Erreygers G. Correcting the concentration index. J Health Econ 2009;28(2):504-15.

    Examples
    --------
    >>> est = rci([20.0, 30.0, 40.0, 50.0, 60.0], [78, 91, 162, 103, 105])
    >>> np.round(est.value, 4).tolist(), np.round(est.extras["se"], 4).tolist()
    ([0.1778], [0.0071])
    >>> est = rci([20.0, 30.0, 40.0, 50.0, 60.0], [78, 91, 162, 103, 105],
    ...           method="erreygers", lmin=0, lmax=100)
    >>> np.round(est.value, 4).tolist()
    [0.2931]
    """
    return _concentration("rci", y, pop, method, lmin, lmax, confidence, force, compat)
