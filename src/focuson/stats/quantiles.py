"""Assigning areas to quantiles, e.g. deprivation deciles (PHEindicatormethods ``phe_quantile``).

OHID's "Assigning Deprivation Categories" method: within each group (e.g. each region), rank the
areas by their value, ties taking the lowest rank, and turn the rank into a quantile with a fixed
formula. One call handles every group at once: ranks come from one :func:`numpy.lexsort` over
(group, value), never a loop over groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats._checks import as_float, describe_groups
from focuson.stats._groups import group_codes
from focuson.stats.estimate import filled

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
ObjectArray = NDArray[np.object_]

#: The package's ``qinverted`` labels.
INVERTED_LABEL = "lowest quantile represents highest values"
NOT_INVERTED_LABEL = "lowest quantile represents lowest values"


@dataclass(frozen=True)
class Quantiles:
    """Quantile assignments, one element per input row, in input order.

    Attributes
    ----------
    quantile
        The quantile (1 .. ``nquantiles``) as a float; NaN where none is assigned.
    rank
        Rank of the value within its group (ties take the lowest rank; ``rank(-value)`` when
        inverted); NaN for missing values.
    qinverted
        The package's label: ``"lowest quantile represents highest values"`` (inverted) or
        ``"lowest quantile represents lowest values"``.
    reason
        Empty where a quantile is assigned; otherwise why not.
    nquantiles
        The number of quantiles requested.
    """

    quantile: FloatArray
    rank: FloatArray
    qinverted: ObjectArray
    reason: ObjectArray
    nquantiles: int

    def __len__(self) -> int:
        return int(self.quantile.shape[0])


def _invert_per_row(invert: bool | ArrayLike, codes: IntArray, ngroups: int) -> BoolArray:
    """``invert`` as one flag per row, checked to be constant within each group."""
    size = codes.shape[0]
    if np.ndim(invert) == 0:
        if not isinstance(invert, bool | np.bool_):
            raise ValueError(f"invert: expected True or False, got {invert!r}")
        return np.full(size, bool(invert))
    arr = np.asarray(invert)
    if arr.shape != (size,):
        raise ValueError(
            f"invert: expected True/False or one flag per row ({size}), got {arr.shape}"
        )
    if arr.dtype != np.bool_:
        raise ValueError(f"invert: expected True/False flags, got dtype {arr.dtype}")
    flags = arr.astype(bool)
    n_true = np.bincount(codes, weights=flags, minlength=ngroups)
    n_rows = np.bincount(codes, minlength=ngroups)
    mixed = (n_true > 0) & (n_true < n_rows)
    if mixed.any():
        raise ValueError(
            f"invert: must take the same value for every row of a group; mixed in "
            f"{describe_groups(mixed)}"
        )
    return flags


def assign_quantiles(
    values: ArrayLike,
    *,
    group: ArrayLike | None = None,
    nquantiles: int = 10,
    invert: bool | ArrayLike = True,
) -> Quantiles:
    """Assign each row to a quantile of its group (deprivation deciles, quintiles, ...).

    Within each group the ``N`` non-missing values are ranked (ties take the lowest rank) and

    ``quantile = floor((nq + 1) - ceiling(((N + 1) - rank) / (N / nq)))``, then 0 becomes 1,

    evaluated in exactly that order (rewriting it changes ``ceiling`` at some boundaries).

    Parameters
    ----------
    values
        The value of each row (e.g. an IMD score per LSOA); NaN is missing and gets no quantile.
    group
        Integer group code per row (0, 1, 2, ...); quantiles are assigned separately within
        each group. ``None`` puts every row in one group.
    nquantiles
        Number of quantiles, 10 for deciles, 5 for quintiles.
    invert
        ``True`` (default): the highest values go to quantile 1 (as for IMD scores, where
        quantile 1 is the most deprived). ``False``: the lowest values go to quantile 1. May be
        one flag per row, constant within each group (the package's ``inverttype = "field"``).

    Returns
    -------
    Quantiles
        ``quantile`` per row in input order (NaN where not assigned), with ``rank``, the
        package's ``qinverted`` label and a ``reason`` per row.

    Raises
    ------
    ValueError
        ``nquantiles`` not a whole number of at least 1, bad group codes, ``invert`` not
        True/False or varying within a group (naming the groups), mismatched lengths.

    Notes
    -----
    Matches ``phe_quantile`` of PHEindicatormethods 2.1.0: ``rank(-values)`` when inverted, else
    ``rank(values)``, ``ties.method = "min"``, missing values kept as NA and not counted in
    ``N``; a group with fewer non-missing values than quantiles gets no quantiles at all (the
    package's 2.0.2 rule), with a reason instead of the package's warning. The package's own
    advice stands: review by hand where tied areas straddle a quantile boundary.

    References
    ----------
    Office for Health Improvement and Disparities. Public Health Technical Guidance: Assigning
    deprivation categories. Fingertips, https://fingertips.phe.org.uk.

    Examples
    --------
    >>> q = assign_quantiles([9.0, 3.0, 7.0, 1.0, 5.0], nquantiles=5)
    >>> q.quantile.tolist()
    [1.0, 4.0, 2.0, 5.0, 3.0]
    >>> q = assign_quantiles([1.0, 2.0, 2.0, 4.0, np.nan], nquantiles=2, invert=False)
    >>> q.rank.tolist(), q.quantile.tolist()
    ([1.0, 2.0, 2.0, 4.0, nan], [1.0, 1.0, 1.0, 2.0, nan])
    >>> q.reason[4]
    'value missing'
    >>> assign_quantiles([1.0, 2.0], nquantiles=5).reason[0]
    'group has fewer non-missing values than the 5 quantiles requested'
    """
    v = as_float("values", values)
    size = v.shape[0]
    nq_float = float(nquantiles)
    if not np.isfinite(nq_float) or nq_float < 1 or nq_float != np.floor(nq_float):
        raise ValueError(f"nquantiles: expected a whole number of at least 1, got {nquantiles!r}")
    nq = int(nq_float)
    codes, ngroups = group_codes("group", group, size)
    inv = _invert_per_row(invert, codes, ngroups)

    missing = np.isnan(v)
    key = np.where(inv, -v, v)
    # Sort by group, then missing last, then the (possibly negated) value.
    order = np.lexsort((key, missing, codes))
    g_sorted, k_sorted, miss_sorted = codes[order], key[order], missing[order]
    idx = np.arange(size)
    new_group = np.ones(size, dtype=bool)
    new_group[1:] = g_sorted[1:] != g_sorted[:-1]
    # A new tie run starts at a new group or a different value; ties share the run's first
    # position, so rank = (run start - group start) + 1 is R's ties.method = "min".
    new_run = new_group.copy()
    new_run[1:] |= k_sorted[1:] != k_sorted[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    run_start = np.maximum.accumulate(np.where(new_run, idx, 0))
    rank_sorted = np.where(miss_sorted, np.nan, (run_start - group_start + 1).astype(np.float64))
    rank = np.empty(size)
    rank[order] = rank_sorted

    n_values = np.bincount(codes, weights=~missing, minlength=ngroups)[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        quantile = np.floor((nq + 1) - np.ceil(((n_values + 1) - rank) / (n_values / nq)))
    quantile = np.where(quantile == 0, 1.0, quantile)
    too_few = n_values < nq
    quantile = np.where(too_few | missing, np.nan, quantile)

    reason = filled(size, "")
    reason[missing] = "value missing"
    reason[too_few & ~missing] = (
        f"group has fewer non-missing values than the {nq} quantiles requested"
    )
    return Quantiles(
        quantile=quantile,
        rank=rank,
        qinverted=np.where(inv, INVERTED_LABEL, NOT_INVERTED_LABEL).astype(object),
        reason=reason,
        nquantiles=nq,
    )
