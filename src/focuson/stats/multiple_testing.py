"""Benjamini-Hochberg q-values (R ``p.adjust(method = "BH")``), vectorised over families.

When focuson tests many groups at once (every ethnic group against White British, every IMD
decile against the least deprived, in every indicator), some differences are "significant" by
chance. Benjamini-Hochberg adjusted p-values (often called q-values) control the expected share
of false discoveries among the differences reported.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import describe_groups

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def bh_qvalues(p: ArrayLike, *, n_tests: int | None = None) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values), one family or many at once.

    For the p-values of one family sorted ascending, ``p_(1) <= ... <= p_(m)``, the adjusted
    value of the i-th is ``min(1, min over j >= i of n / j * p_(j))``: the step-up procedure
    of Benjamini and Hochberg, computed as a cumulative minimum from the largest p-value down.
    A hypothesis is rejected at false discovery rate ``q`` when its adjusted value is ``<= q``.

    Parameters
    ----------
    p
        P-values in [0, 1]. A 1-d array is one family; a 2-d array holds one family per row,
        each adjusted separately (all rows in one vectorised call). NaN means missing: it stays
        NaN in the output, in place, and does not count towards the number of tests.
    n_tests
        The number of tests in each family, R's ``n``. By default the number of non-missing
        p-values in the family (row). A larger value treats the unobserved p-values as 1.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same shape as ``p`` (a scalar gives a 1-element array).

    Raises
    ------
    ValueError
        A p-value outside [0, 1] or infinite (naming the position, or the family of a 2-d
        input), more than two dimensions, or ``n_tests`` below the number of non-missing
        p-values in a family.

    Notes
    -----
    Matches ``p.adjust(p, method = "BH")`` of R's stats package (identical in R 2.x to 4.x):
    the same arithmetic in the same order, ``pmin(1, cummin(n / i * p[o]))``, so results agree
    to the last bit in the examples tested (1e-12 asserted). Missing values are handled as R
    does: they are dropped, ``n`` defaults to the number of non-missing values, and NA is
    returned in place. Deliberate deviation: R computes with p-values outside [0, 1] without
    complaint; focuson rejects them, as ``scipy.stats.false_discovery_control`` does.

    References
    ----------
    Benjamini Y, Hochberg Y. Controlling the false discovery rate: a practical and powerful
    approach to multiple testing. J R Stat Soc B 1995;57:289-300.

    Examples
    --------
    The 15 p-values of Benjamini and Hochberg's (1995) worked example: at a false discovery
    rate of 0.05, the first four hypotheses are rejected.

    >>> p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
    ...      0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    >>> q = bh_qvalues(p)
    >>> np.round(q[:5], 6).tolist()
    [0.0015, 0.003, 0.0095, 0.035625, 0.0603]
    >>> int((q <= 0.05).sum())
    4

    Two families at once, with a missing value kept in place:

    >>> bh_qvalues([[0.01, 0.04, 0.03], [0.02, np.nan, 0.5]]).tolist()
    [[0.03, 0.04, 0.04], [0.04, nan, 0.5]]
    """
    try:
        arr = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"p: expected numbers, got {p!r:.80}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim > 2:
        raise ValueError(
            f"p: expected one family (1-d) or one family per row (2-d), got shape {arr.shape}"
        )
    families = arr.reshape(1, -1) if arr.ndim == 1 else arr

    bad = np.isinf(families) | (families < 0) | (families > 1)
    if bad.any():
        raise ValueError(f"p: p-values must lie between 0 and 1; not so in {_where(bad, arr.ndim)}")

    present = ~np.isnan(families)
    m = present.sum(axis=1)
    if n_tests is None:
        n = m.astype(np.float64)
    else:
        too_few = m > n_tests
        if too_few.any():
            raise ValueError(
                f"n_tests: must be at least the number of non-missing p-values ({int(m.max())}), "
                f"got {n_tests}; too small for {_family_noun(too_few, arr.ndim)}"
            )
        n = np.full(m.shape, float(n_tests))

    size = families.shape[1]
    if size == 0:
        return np.empty(arr.shape)
    order = np.argsort(families, axis=1, kind="stable")  # NaN sorts last
    ranked = np.take_along_axis(families, order, axis=1)
    rank = np.arange(1, size + 1, dtype=np.float64)
    observed = rank[None, :] <= m[:, None]
    scaled = np.where(observed, (n[:, None] / rank[None, :]) * ranked, np.inf)
    stepped = np.minimum.accumulate(scaled[:, ::-1], axis=1)[:, ::-1]
    adjusted = np.where(observed, np.minimum(1.0, stepped), np.nan)
    out = np.empty_like(families)
    np.put_along_axis(out, order, adjusted, axis=1)
    return out.reshape(arr.shape)


def _where(bad: BoolArray, ndim: int) -> str:
    """Name offending positions (1-d input) or families (rows of a 2-d input)."""
    if ndim <= 1:
        return describe_groups(bad.reshape(-1))
    return _family_noun(np.asarray(bad.any(axis=1)), ndim)


def _family_noun(bad_rows: BoolArray, ndim: int) -> str:
    text = describe_groups(bad_rows)
    if ndim <= 1:
        return "the family"
    return text.replace("groups", "families (rows)", 1).replace("group", "family (row)", 1)
