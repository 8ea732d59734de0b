"""Each group against its reference: difference, ratio, a test suited to the statistic, q-values.

The reference of a group depends on its dimension (configurable through ``reference``):

* IMD decile and quintile: the least deprived group (``"10"`` and ``"5"``; 1 = most deprived);
* every other dimension, intersections included: everyone else (:data:`REST`), i.e. the overall
  counts minus the group's own, so the two samples being compared are independent.

Tests, two-sided, by statistic:

=============  ==============================================================================
proportion     two-proportion z-test with the pooled proportion (equal to Pearson's chi-squared
               test of the 2 x 2 table without continuity correction)
rate           conditional binomial test: given the total events, the group's events are
               Binomial(total, n1 / (n1 + n2)) when the rates are equal; two-sided p-value by
               the minimum-likelihood rule of R's ``binom.test`` / ``poisson.test`` and
               ``scipy.stats.binomtest``, vectorised with a bisection over all rows at once
dsr            z-test on the difference of the two DSRs with their Dobson variances
mean           Welch's unequal-variance t-test
=============  ==============================================================================

Benjamini-Hochberg q-values are taken across every test in the run (one family), and a
difference is significant when its q-value is below ``alpha``.

References
----------
Armitage P, Berry G, Matthews JNS. Statistical Methods in Medical Research, 4th edn, 2002
(two-proportion z-test; conditional test for two Poisson counts, section 5.3; Welch's test).
Dobson AJ, et al. Stat Med 1991;10:457-462. Benjamini Y, Hochberg Y. JRSS B 1995;57:289-300.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from focuson.find.estimates import KEYS, estimate
from focuson.stats import bh_qvalues

FloatArray = NDArray[np.float64]

#: Reference meaning "everyone else": the overall counts minus the group's.
REST = "rest"
#: The default reference of each dimension; any dimension not named here uses :data:`REST`.
DEFAULT_REFERENCE: dict[str, str] = {"imd_decile": "10", "imd_quintile": "5"}
#: What each statistic is tested with (the ``test`` column of the findings).
TESTS: dict[str, str] = {
    "proportion": "two-proportion z-test (pooled)",
    "rate": "conditional binomial test (exact, minimum likelihood)",
    "dsr": "z-test on the DSR difference (Dobson variances)",
    "mean": "Welch t-test",
}


def reference_for(dimension: str, reference: Mapping[str, str] | None = None) -> str:
    """The reference of a dimension: a group label, or :data:`REST` for everyone else.

    >>> reference_for("imd_quintile"), reference_for("sex"), reference_for("sex", {"sex": "F"})
    ('5', 'rest', 'F')
    """
    merged = {**DEFAULT_REFERENCE, **(reference or {})}
    return merged.get(dimension, REST)


def reference_estimates(
    aggregates: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    reference: Mapping[str, str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The reference estimate of every non-overall group, keyed by the group.

    Parameters
    ----------
    aggregates
        The AGGREGATES frame.
    indicators
        The INDICATORS frame.
    reference
        Dimension to reference: a group label of that dimension, or :data:`REST`. Merged over
        :data:`DEFAULT_REFERENCE`.
    confidence
        Confidence level of the reference's limits.

    Returns
    -------
    pandas.DataFrame
        One row per indicator x period x dimension x group (not the ``overall`` dimension) with
        ``reference_group`` (the label, or ``"rest"``) and the reference's ``numerator``,
        ``denominator``, ``value``, ``se`` and ``sd``, as :func:`~focuson.find.estimates.estimate`
        gives them. A group whose named reference is absent from its period gets no row.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "statistic": ["proportion"], "multiplier": [100.0]})
    >>> agg = pd.DataFrame({"indicator": "a", "period": "p", "band": -1,
    ...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
    ...     "numerator": [80.0, 50.0, 30.0], "denominator": [160.0, 100.0, 60.0]})
    >>> ref = reference_estimates(agg, ind)
    >>> ref[["group", "reference_group", "numerator", "denominator"]].values.tolist()
    [['F', 'rest', 30.0, 60.0], ['M', 'rest', 50.0, 100.0]]
    """
    counts = ["numerator", "denominator"] + (["sum_sq"] if "sum_sq" in aggregates else [])
    groups = aggregates.loc[aggregates["dimension"] != "overall"]
    dims = groups["dimension"].unique()
    ref_of = pd.Series({d: reference_for(d, reference) for d in dims}, dtype=object)
    ref_label = groups["dimension"].map(ref_of)
    parts: list[pd.DataFrame] = []

    rest = groups.loc[ref_label == REST]
    if len(rest):
        keys = rest[KEYS].drop_duplicates()
        overall = aggregates.loc[
            aggregates["dimension"] == "overall", ["indicator", "period", "band", *counts]
        ]
        grid = keys.merge(overall, on=["indicator", "period"], how="inner")
        own = rest[[*KEYS, "band", *counts]]
        grid = grid.merge(own, on=[*KEYS, "band"], how="left", suffixes=("", "_own"))
        banded = grid["band"].to_numpy() >= 0
        for c in counts:
            grid[c] = grid[c] - grid[f"{c}_own"].fillna(0.0)
            # Published band counts are scaled to their published totals (focuson.find.publish),
            # so a group's band can exceed the overall's by a fraction: nobody is left there.
            grid.loc[banded & (grid[c] < 0), c] = 0.0
        grid = grid.drop(columns=[f"{c}_own" for c in counts])
        # Published counts are rounded apart, so everyone else's numerator can exceed its
        # denominator by a rounding step; a proportion's numerator is at most its denominator.
        is_prop = grid["indicator"].map(indicators.set_index("id")["statistic"]) == "proportion"
        over = is_prop.to_numpy() & (grid["numerator"] > grid["denominator"]).to_numpy()
        grid.loc[over, "numerator"] = grid.loc[over, "denominator"]
        above = (grid["numerator"] < 0) | (grid["denominator"] < 0)
        if above.any():
            bad = grid.loc[above, ["indicator", "dimension"]].drop_duplicates().head(3)
            where = "; ".join(f"{i} by {d}" for i, d in bad.itertuples(index=False))
            raise ValueError(
                "aggregates: a group has more than the overall count, so everyone else cannot "
                f"be formed (the aggregates are inconsistent): {where}"
            )
        parts.append(grid.assign(reference_group=REST))

    named = groups.loc[ref_label != REST]
    if len(named):
        keys = named[KEYS].drop_duplicates()
        keys = keys.assign(reference_group=keys["dimension"].map(ref_of))
        ref_rows = named[["indicator", "period", "dimension", "group", "band", *counts]].rename(
            columns={"group": "reference_group"}
        )
        grid = keys.merge(
            ref_rows, on=["indicator", "period", "dimension", "reference_group"], how="inner"
        )
        parts.append(grid)

    columns = [*KEYS, "reference_group", "numerator", "denominator", "value", "se", "sd"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ref_agg = pd.concat(parts, ignore_index=True)
    labels = ref_agg[[*KEYS, "reference_group"]].drop_duplicates(KEYS)
    est = estimate(ref_agg.drop(columns="reference_group"), indicators, confidence=confidence)
    est = est.merge(labels, on=KEYS, how="left")
    return est[columns]


def compare(
    statistic: ArrayLike,
    value: ArrayLike,
    se: ArrayLike,
    numerator: ArrayLike,
    denominator: ArrayLike,
    sd: ArrayLike,
    ref_value: ArrayLike,
    ref_se: ArrayLike,
    ref_numerator: ArrayLike,
    ref_denominator: ArrayLike,
    ref_sd: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Difference, ratio and two-sided p-value of each group against its reference.

    Parameters
    ----------
    statistic
        ``"proportion"``, ``"rate"``, ``"dsr"`` or ``"mean"`` per row.
    value, se, numerator, denominator, sd
        The group's estimate (on the indicator's scale), standard error, counts and (means) SD.
    ref_value, ref_se, ref_numerator, ref_denominator, ref_sd
        The same for the reference.

    Returns
    -------
    (difference, ratio, p_value)
        ``value - ref_value``, ``value / ref_value`` (NaN when the reference is 0) and the
        p-value of the test of :data:`TESTS` (NaN where it cannot be computed).

    Examples
    --------
    Two proportions, 50/100 against 30/100:

    >>> d, r, p = compare(["proportion"], [50.0], [5.0], [50], [100], [np.nan],
    ...                   [30.0], [4.58], [30], [100], [np.nan])
    >>> float(d[0]), round(float(r[0]), 4), round(float(p[0]), 5)
    (20.0, 1.6667, 0.00389)
    """
    stat = np.asarray(statistic, dtype=object)
    v, s, x1, n1, sd1 = (
        np.asarray(a, dtype=np.float64) for a in (value, se, numerator, denominator, sd)
    )
    rv, rs, x2, n2, sd2 = (
        np.asarray(a, dtype=np.float64)
        for a in (ref_value, ref_se, ref_numerator, ref_denominator, ref_sd)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        difference = v - rv
        ratio = np.where(rv != 0, v / rv, np.nan)
    p = np.full(v.shape, np.nan)
    m = stat == "proportion"
    if m.any():
        p[m] = two_proportion_p(x1[m], n1[m], x2[m], n2[m])
    m = stat == "rate"
    if m.any():
        p[m] = conditional_poisson_p(x1[m], n1[m], x2[m], n2[m])
    m = stat == "dsr"
    if m.any():
        p[m] = z_p(difference[m], np.sqrt(s[m] ** 2 + rs[m] ** 2))
    m = stat == "mean"
    if m.any():
        p[m] = welch_p(v[m], sd1[m], n1[m], rv[m], sd2[m], n2[m])
    p[np.isnan(difference)] = np.nan
    return difference, ratio, p


def z_p(difference: ArrayLike, se: ArrayLike) -> FloatArray:
    """Two-sided normal p-value of ``difference / se``; 1 when both are 0, NaN when se is 0.

    >>> z_p([1.96, 0.0, 1.0], [1.0, 0.0, 0.0]).round(4).tolist()
    [0.05, 1.0, nan]
    """
    d = np.asarray(difference, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(d) / s
    p = 2 * stats.norm.sf(z)
    p = np.where(s > 0, p, np.where(d == 0, 1.0, np.nan))
    return np.asarray(np.where(np.isnan(d) | np.isnan(s), np.nan, p), dtype=np.float64)


def two_proportion_p(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> FloatArray:
    """Two-sided p-value of the pooled two-proportion z-test.

    ``z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p = (x1 + x2) / (n1 + n2)``; the
    same as Pearson's chi-squared test of the 2 x 2 table without continuity correction.

    >>> two_proportion_p([50], [100], [30], [100]).round(5).tolist()
    [0.00389]
    """
    a1, b1, a2, b2 = (np.asarray(a, dtype=np.float64) for a in (x1, n1, x2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (a1 + a2) / (b1 + b2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / b1 + 1 / b2))
        diff = a1 / b1 - a2 / b2
    ok = (b1 > 0) & (b2 > 0)
    return np.where(ok, z_p(diff, se), np.nan)


def conditional_poisson_p(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> FloatArray:
    """Two-sided exact conditional test that two Poisson rates ``x1/n1`` and ``x2/n2`` are equal.

    Given ``k = x1`` events of ``m = x1 + x2``, ``k ~ Binomial(m, q)`` with ``q = n1 / (n1 + n2)``
    under the null. The two-sided p-value sums the probabilities of every outcome no more likely
    than the one observed (R ``binom.test``, ``poisson.test``; ``scipy.stats.binomtest``, with
    its relative tolerance 1e-7). The far tail is found by bisection on the monotone side of the
    mode, for all rows at once.

    >>> p = conditional_poisson_p([30, 10], [1000, 1000], [10, 10], [1000, 1000])
    >>> p.round(6).tolist()
    [0.002221, 1.0]
    """
    k = np.rint(np.asarray(x1, dtype=np.float64))
    m = k + np.rint(np.asarray(x2, dtype=np.float64))
    a = np.asarray(n1, dtype=np.float64)
    b = np.asarray(n2, dtype=np.float64)
    out = np.full(k.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = a / (a + b)
    ok = np.isfinite(k) & np.isfinite(m) & (a > 0) & (b > 0)
    out[ok & (m == 0)] = 1.0
    ok &= m > 0
    if not ok.any():
        return out
    k, m, q = k[ok], m[ok], q[ok]
    d = stats.binom.pmf(k, m, q) * (1 + 1e-7)
    centre = q * m
    low = k < centre
    high = k > centre
    p = np.ones(k.shape)
    if low.any():
        # first j in [ceil(qm), m + 1] with pmf(j) <= d (pmf decreases there); tail P(X >= j)
        kk, mm, qq, dd = k[low], m[low], q[low], d[low]
        lo, hi = np.ceil(centre[low]), mm + 1
        lo, hi = _bisect(lo, hi, lambda j: _pmf(j, mm, qq) <= dd)
        p[low] = stats.binom.cdf(kk, mm, qq) + stats.binom.sf(lo - 1, mm, qq)
    if high.any():
        # last j in [-1, floor(qm)] with pmf(j) <= d (pmf increases there); tail P(X <= j)
        kk, mm, qq, dd = k[high], m[high], q[high], d[high]
        lo, hi = -np.ones(kk.shape), np.floor(centre[high])
        # search for the first j in [0, floor(qm) + 1] whose pmf exceeds d, then step back
        lo, hi = _bisect(lo + 1, hi + 1, lambda j: _pmf(j, mm, qq) > dd)
        p[high] = stats.binom.cdf(lo - 1, mm, qq) + stats.binom.sf(kk - 1, mm, qq)
    out[ok] = np.minimum(1.0, p)
    return out


def _pmf(j: FloatArray, m: FloatArray, q: FloatArray) -> FloatArray:
    """Binomial pmf, 0 outside 0..m (so the bisection's open ends behave)."""
    inside = (j >= 0) & (j <= m)
    return np.where(inside, stats.binom.pmf(np.clip(j, 0, m), m, q), 0.0)


def _bisect(
    lo: FloatArray, hi: FloatArray, predicate: Callable[[FloatArray], NDArray[np.bool_]]
) -> tuple[FloatArray, FloatArray]:
    """Smallest integer j in [lo, hi] with ``predicate(j)`` (monotone: False... then True...).

    ``hi`` is returned where no j below it satisfies the predicate. Vectorised over rows.
    """
    lo = lo.copy()
    hi = hi.copy()
    while (lo < hi).any():
        mid = np.floor((lo + hi) / 2)
        yes = np.asarray(predicate(mid), dtype=bool)
        active = lo < hi
        hi = np.where(active & yes, mid, hi)
        lo = np.where(active & ~yes, mid + 1, lo)
    return lo, hi


def welch_p(
    mean1: ArrayLike, sd1: ArrayLike, n1: ArrayLike, mean2: ArrayLike, sd2: ArrayLike, n2: ArrayLike
) -> FloatArray:
    """Two-sided p-value of Welch's t-test from summary statistics.

    >>> welch_p([10.0], [2.0], [30], [9.0], [3.0], [40]).round(5).tolist()
    [0.09947]
    """
    m1, s1, a, m2, s2, b = (
        np.asarray(v, dtype=np.float64) for v in (mean1, sd1, n1, mean2, sd2, n2)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        v1, v2 = s1**2 / a, s2**2 / b
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (a - 1) + v2**2 / (b - 1))
        t = np.abs(m1 - m2) / se
    p = 2 * stats.t.sf(t, df)
    ok = (a > 1) & (b > 1) & (se > 0)
    return np.asarray(np.where(ok, p, np.nan), dtype=np.float64)


def qvalues(p_value: ArrayLike) -> FloatArray:
    """Benjamini-Hochberg q-values over one family (every test of the run); NaN stays NaN.

    >>> qvalues([0.01, np.nan, 0.04]).tolist()
    [0.02, nan, 0.04]
    """
    p = np.asarray(p_value, dtype=np.float64)
    if p.size == 0 or np.isnan(p).all():
        return p.copy()
    return bh_qvalues(p)


def direction(
    difference: ArrayLike,
    significant: ArrayLike,
    tested: ArrayLike,
    higher_is_better: ArrayLike,
) -> NDArray[np.object_]:
    """``"worse"``, ``"better"`` or ``"similar"`` by polarity; None where nothing was tested.

    >>> direction([-5.0, -5.0, 1.0, 2.0], [True, True, False, False],
    ...           [True, True, True, False], [True, False, True, True]).tolist()
    ['worse', 'better', 'similar', None]
    """
    d = np.asarray(difference, dtype=np.float64)
    sig = np.asarray(significant, dtype=bool)
    done = np.asarray(tested, dtype=bool)
    hib = np.asarray(higher_is_better, dtype=bool)
    worse = sig & np.where(hib, d < 0, d > 0)
    better = sig & np.where(hib, d > 0, d < 0)
    out = np.full(d.shape, None, dtype=object)
    out[done] = "similar"
    out[worse] = "worse"
    out[better] = "better"
    return out
