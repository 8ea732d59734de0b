"""Life expectancy from an abridged life table (PHEindicatormethods ``phe_life_expectancy``).

Chiang's method II abridged life table, with the variance of the open final age band from
Silcocks et al (2001). Input is long (one row per group and age band); it is reshaped into a
groups x bands matrix and the whole table is built with cumulative products and sums along the
band axis, so thousands of groups (e.g. every borough x IMD decile x sex) take one pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from focuson.stats._checks import as_float, confidence_levels, describe_groups
from focuson.stats._groups import group_codes, group_sum
from focuson.stats.estimate import Estimate, Interval, add_reason, reasons
from focuson.stats.intervals import z_value

FloatArray = NDArray[np.float64]

#: The package's 20 standard bands: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_AGE_BANDS: tuple[int, ...] = (0, 1, *range(5, 95, 5))

#: Groups with a total population at or below this are not given a life expectancy.
MIN_TOTAL_POPULATION = 5_000

#: A value is suppressed when its 95% confidence interval is wider than 2 x 10 years.
MAX_HALF_WIDTH_95 = 10.0

METHOD = "Chiang, using Silcocks et al for confidence limits"

AgeLabel = float | int | str


def _leading_integer(label: AgeLabel) -> float:
    """The start age of a band label, as the package reads it: ``"10 - 14" -> 10``."""
    if isinstance(label, str):
        match = re.match(r"\D*(\d+)", label)
        if match is None:
            raise ValueError(f"age_contents: cannot read a start age from {label!r}")
        return float(match.group(1))
    value = float(label)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"age_contents: start ages must be finite and not negative, got {label!r}")
    return value


def _age_bands(age_contents: Sequence[AgeLabel]) -> tuple[list[AgeLabel], FloatArray, bool]:
    """Check ``age_contents``; return the labels, their start ages, and whether they are text."""
    labels = list(age_contents)
    if len(labels) < 2:
        raise ValueError("age_contents: give at least two age bands, e.g. 0, 1, 5, ..., 90")
    textual = [isinstance(label, str) for label in labels]
    if any(textual) and not all(textual):
        raise ValueError("age_contents: give all bands as numbers or all as text labels")
    starts = np.array([_leading_integer(label) for label in labels])
    if starts[0] != 0:
        raise ValueError(f"age_contents: first age band must start at 0, got {labels[0]!r}")
    out_of_order = starts != np.sort(starts)
    if out_of_order.any():
        listed = ", ".join(
            str(label) for label, bad in zip(labels, out_of_order, strict=True) if bad
        )
        raise ValueError(
            f"age_contents: must be in ascending order; these bands are out of position: {listed}"
        )
    if (np.diff(starts) == 0).any():
        raise ValueError("age_contents: two bands start at the same age")
    return labels, starts, all(textual)


def _band_index(
    name: str, ages: ArrayLike, labels: list[AgeLabel], starts: FloatArray, textual: bool
) -> NDArray[np.int64]:
    """Position in ``age_contents`` of each row's age band; error for ages not in it."""
    if textual:
        arr = np.asarray(ages, dtype=object).reshape(-1)
        lookup = {label: i for i, label in enumerate(labels)}
        uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
        # One look-up per distinct band label (at most a few dozen), not per row.
        found = np.array([lookup.get(str(u), -1) for u in uniques], dtype=np.int64)
        index = found[inverse.reshape(-1)]
    else:
        values = as_float(name, ages)
        pos = np.clip(np.searchsorted(starts, values), 0, starts.size - 1)
        index = np.where(starts[pos] == values, pos, -1)
    bad = index < 0
    if bad.any():
        shown = ", ".join(repr(a) for a in np.unique(np.asarray(ages, dtype=object)[bad])[:5])
        rows = describe_groups(bad).replace("group", "row")
        raise ValueError(f"{name}: {shown} not in age_contents ({rows})")
    return index


def life_expectancy(
    deaths: ArrayLike,
    population: ArrayLike,
    startage: ArrayLike,
    group: ArrayLike | None = None,
    *,
    age_contents: Sequence[AgeLabel] = STANDARD_AGE_BANDS,
    le_age: str | AgeLabel | Sequence[AgeLabel] = "all",
    confidence: float | Sequence[float] = 0.95,
) -> Estimate:
    """Life expectancy at each age band's start, per group, with Chiang II / Silcocks limits.

    Parameters
    ----------
    deaths
        Deaths in each row's age band (one row per group and age band, any order).
    population
        Population (person-years) in each row's age band.
    startage
        Each row's age band: a start age from ``age_contents`` (``0, 1, 5, ..., 90``), or one of
        its text labels when ``age_contents`` is text (e.g. ``"10 - 14"``).
    group
        Integer group code per row, 0 .. G-1 (e.g. area x decile x sex); ``None`` for one group.
    age_contents
        The age bands in ascending order, first starting at 0; the last is open (e.g. 90+).
        Default: the 20 standard bands 0, 1-4, 5-9, ..., 85-89, 90+. Any other set works, e.g.
        ending at 85+ (``STANDARD_AGE_BANDS[:-1]``); each group must have every band once.
    le_age
        ``"all"`` (default) for every band's start age, or one or more of ``age_contents``.
    confidence
        One or more confidence levels in [0.9, 1] (or [90, 100]).

    Returns
    -------
    Estimate
        One element per (group, age) in group-then-age order (every group ``0 .. G-1``, the
        ages of ``le_age``). ``extras``: ``group``, ``startage`` (the band's start age),
        ``pops_used`` and ``dths_used`` (population and deaths given from that age upward). A whole
        group is NA with a ``reason`` when it has a missing count, negative deaths, a population
        of 0 or less, a band missing or repeated, deaths above population, or a total population
        of 5,000 or less (the first of these, in the package's order, is the reason). A value
        (not its limits) is NA when its 95% interval is wider than 20 years, or infinite (no
        deaths in the last band).

    Raises
    ------
    ValueError
        ``age_contents`` not starting at 0, out of order or repeated; ``startage`` or ``le_age``
        values not in ``age_contents``; bad group codes; mismatched lengths; confidence outside
        [0.9, 1].

    Notes
    -----
    Matches ``phe_life_expectancy`` of PHEindicatormethods 2.1.0 (which follows the PHE Life
    Expectancy Calculator): bands of width ``n_i`` with ``a = 0.1`` at age 0 and 0.5 elsewhere,
    ``q = M n / (1 + M n (1 - a))`` capped at 1 when ``D > P / n / a``, ``l_0 = 100,000``,
    final band ``L = l / M``; variance ``q^2 (1 - q) / D`` per band and ``4 / (D M^2)`` for the
    final band (Silcocks). The value is suppressed when ``qnorm(0.975) * SE > 10`` whatever
    confidence is requested, and an infinite value becomes NA; the limits are kept (so a
    final band with no deaths gives NaN lower and infinite upper limits, as the package). After
    a capped ``q = 1`` later ages have life expectancy 0 and NaN limits, as in the package.

    Deliberate deviations: the package requires exactly 20 bands ending at 90+; here any
    ``age_contents`` works (PHEindicatormethods issues #96 and #68 ask for 85+ data), with the
    same rules (``a = 0.1`` applies to whichever band starts at 0, so a first band of 0-4 keeps
    the package's infant fraction). Invalid groups stay in place with a reason, where the
    package warns and appends them at the end. ``le_age`` values not in ``age_contents`` raise
    an error, where the package warns and returns every age. ``age_contents`` bands missing
    from every group make those groups NA rather than an error. ``pops_used`` and ``dths_used``
    are the totals of the rows given, for every group, including groups made NA by the checks
    (a band with no row adds nothing, a repeated band adds each of its rows; a missing count makes
    the totals NA from its band downward, as the package's cumulative sums do).

    References
    ----------
    Chiang CL. The life table and its construction. In: Introduction to Stochastic Processes in
    Biostatistics. Wiley, 1968:189-214.
    Silcocks PBS, Jenner DA, Reza R. Life expectancy as a summary of mortality in a population:
    statistical considerations and suitability for use by health authorities. J Epidemiol
    Community Health 2001;55:38-43.
    Eayres DP, Williams ES. Evaluation of methodologies for small area life expectancy
    estimation. J Epidemiol Community Health 2004;58:243-249.

    Examples
    --------
    The package's own example, one group in the 20 standard bands:

    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
    ...         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...           1605, 1936, 1937]
    >>> est = life_expectancy(deaths, pops, STANDARD_AGE_BANDS, le_age=[0, 65])
    >>> np.round(est.value, 4).tolist()
    [80.1696, 18.7686]
    >>> np.round(est.lower, 4).tolist(), np.round(est.upper, 4).tolist()
    ([79.8827, 18.5757], [80.4565, 18.9614])

    The same deaths and populations with the last two bands merged into 85+:

    >>> bands85 = STANDARD_AGE_BANDS[:-1]
    >>> est85 = life_expectancy(deaths[:18] + [3873], pops[:18] + [23872], bands85, le_age=0,
    ...                         age_contents=bands85)
    >>> round(float(est85.value[0]), 4)
    80.1695
    """
    d = as_float("deaths", deaths)
    p = as_float("population", population)
    labels, starts, textual = _age_bands(age_contents)
    band = _band_index("startage", startage, labels, starts, textual)
    size = d.shape[0]
    if p.shape[0] != size or band.shape[0] != size:
        raise ValueError(
            "arguments must have one value per row, but deaths has "
            f"{size}, population has {p.shape[0]}, startage has {band.shape[0]}"
        )
    codes, G = group_codes("group", group, size)
    levels = confidence_levels(confidence)
    B = starts.size
    selected = _selected_bands(le_age, labels, starts, textual)

    # Reshape long rows into groups x bands; count rows per cell to find gaps and repeats.
    cell = codes * B + band
    count = np.bincount(cell, minlength=G * B).reshape(G, B)
    D = np.full((G, B), np.nan)
    P = np.full((G, B), np.nan)
    D[codes, band], P[codes, band] = d, p

    def any_row(flag: NDArray[np.bool_]) -> NDArray[np.bool_]:
        return np.bincount(codes, weights=flag, minlength=G) > 0

    complete = (count == 1).all(axis=1)
    reason = reasons(G)
    add_reason(reason, any_row(np.isnan(d) | np.isnan(p)), "deaths or population missing")
    add_reason(reason, any_row(d < 0), "negative deaths in an age band")
    add_reason(reason, any_row(p <= 0), "population zero or negative in an age band")
    add_reason(reason, ~complete, f"age bands incomplete: each of the {B} bands must appear once")
    add_reason(reason, any_row(d > p), "more deaths than population in an age band")
    total_pop = np.bincount(codes, weights=np.nan_to_num(p), minlength=G)
    add_reason(reason, total_pop <= MIN_TOTAL_POPULATION, "total population 5,000 or less")
    ok = reason == ""

    # Placeholder data for NA groups keep the arithmetic quiet; their results are masked below.
    Dc = np.where(ok[:, None], D, 1.0)
    Pc = np.where(ok[:, None], P, 1e6)
    e, se = _life_table(Dc, Pc, starts)

    with np.errstate(invalid="ignore"):
        wide = stats.norm.ppf(0.975) * se > MAX_HALF_WIDTH_95
    # NA groups, infinite values (no deaths in the last band) and wide intervals give NA.
    value = np.where(ok[:, None] & np.isfinite(e) & ~wide, e, np.nan)
    e_ok = np.where(ok[:, None], e, np.nan)
    se_ok = np.where(ok[:, None], se, np.nan)

    elem_reason = np.repeat(reason, B).reshape(G, B)
    add_reason(
        elem_reason,
        ok[:, None] & ~np.isfinite(e) & (D[:, -1:] == 0),
        "no deaths in the last age band, so life expectancy is infinite",
    )
    add_reason(elem_reason, ok[:, None] & ~np.isfinite(e), "life expectancy could not be computed")
    add_reason(elem_reason, ok[:, None] & wide, "95% confidence interval wider than 20 years")

    intervals = {}
    for level in levels:
        z = z_value(level)
        with np.errstate(invalid="ignore"):
            lower, upper = e_ok - z * se_ok, e_ok + z * se_ok
        intervals[level] = Interval(lower[:, selected].ravel(), upper[:, selected].ravel())

    # Totals of the rows actually given, from each band upward: a band with no row adds 0 and a
    # repeated band adds every row, as the package's cumulative sums over its rows do; a missing
    # count makes the totals from its band downward NA (R's cumsum).
    pops_used = _from_age_upward(group_sum(cell, p, G * B).reshape(G, B))
    dths_used = _from_age_upward(group_sum(cell, d, G * B).reshape(G, B))
    k = selected.size
    return Estimate(
        value=value[:, selected].ravel(),
        intervals=intervals,
        statistic="life expectancy",
        method=METHOD,
        reason=elem_reason[:, selected].ravel(),
        extras={
            "group": np.repeat(np.arange(G, dtype=np.float64), k),
            "startage": np.tile(starts[selected], G),
            "pops_used": pops_used[:, selected].ravel(),
            "dths_used": dths_used[:, selected].ravel(),
        },
    )


def _selected_bands(
    le_age: str | AgeLabel | Sequence[AgeLabel],
    labels: list[AgeLabel],
    starts: FloatArray,
    textual: bool,
) -> NDArray[np.int64]:
    """Band positions for ``le_age`` ("all" or ages from ``age_contents``), ascending."""
    if isinstance(le_age, str) and le_age == "all":
        return np.arange(starts.size)
    wanted = [le_age] if isinstance(le_age, str) or np.ndim(le_age) == 0 else list(le_age)  # type: ignore[arg-type]
    if not wanted:
        raise ValueError('le_age: give "all" or at least one age from age_contents')
    index = _band_index("le_age", np.array(wanted, dtype=object), labels, starts, textual)
    return np.unique(index)


def _from_age_upward(x: FloatArray) -> FloatArray:
    """Sum from each band to the last, along the band axis."""
    return np.cumsum(x[:, ::-1], axis=1)[:, ::-1]


def _life_table(D: FloatArray, P: FloatArray, starts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Life expectancy ``e`` and its standard error for a groups x bands matrix.

    Chiang II with the Silcocks final-band variance, all groups at once: ``l`` by a cumulative
    product, ``T`` and the variance sums by reversed cumulative sums along the band axis.
    """
    G = D.shape[0]
    n = np.diff(starts)  # widths of all but the open last band
    a = np.where(starts[:-1] == 0, 0.1, 0.5)  # fraction of the band lived by those who die
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        M = D / P
        Mn = M[:, :-1] * n
        q_closed = np.where(D[:, :-1] <= P[:, :-1] / n / a, Mn / (1 + Mn * (1 - a)), 1.0)
        q = np.concatenate([q_closed, np.ones((G, 1))], axis=1)
        # l_0 = 100,000; l_i = l_{i-1} (1 - q_{i-1}).
        lx = np.cumprod(np.concatenate([np.full((G, 1), 1e5), 1 - q[:, :-1]], axis=1), axis=1)
        l_next = np.concatenate([lx[:, 1:], np.zeros((G, 1))], axis=1)
        dl = lx - l_next
        L = np.concatenate([n * (lx[:, 1:] + a * dl[:, :-1]), lx[:, -1:] / M[:, -1:]], axis=1)
        T = _from_age_upward(L)
        e = np.where(lx == 0, 0.0, T / lx)
        sp = np.where(dl == 0, 0.0, q**2 * (1 - q) / D)
        sp[:, -1] = 4 / (D[:, -1] * M[:, -1] ** 2)
        W_closed = sp[:, :-1] * lx[:, :-1] ** 2 * ((1 - a) * n + e[:, 1:]) ** 2
        W_last = (lx[:, -1:] / 2) ** 2 * sp[:, -1:]
        ST = _from_age_upward(np.concatenate([W_closed, W_last], axis=1))
        se = np.sqrt(ST / lx**2)
    return e, se
