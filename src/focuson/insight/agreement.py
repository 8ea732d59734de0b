"""Inter-coder agreement per code on a double-coded sample.

The unit is the excerpt (``../shared/reference/participation.md`` section 3): for each code, each
coder either applied it to the excerpt or did not. Per code, with N excerpts in the sample:

* percent agreement = (both + neither) / N;
* Cohen's kappa = (p_o - p_e) / (1 - p_e), p_e = (A_coded B_coded + A_uncoded B_uncoded) / N^2
  (Cohen 1960; the formula NVivo reports);
* Krippendorff's alpha, nominal, from the ``krippendorff`` package (Krippendorff 2011);
* coded-only agreement = both / either, because kappa over mostly uncoded text misleads
  (ccbogel/QualCoder#667).
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

BoolArray = NDArray[np.bool_]


def agreement_table(coder_a: ArrayLike, coder_b: ArrayLike, codes: Sequence[str]) -> pd.DataFrame:
    """Agreement per code from two coders' yes/no matrices (excerpts x codes).

    Parameters
    ----------
    coder_a, coder_b
        Boolean (or 0/1) arrays of shape ``N x K``: True where the coder applied code ``k`` to
        excerpt ``n``. The same excerpts in the same order for both.
    codes
        The K code names, in column order.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code``, ``n`` (excerpts in the sample), ``both``, ``a_only``,
        ``b_only``, ``neither``, ``percent_agreement`` (0-100), ``kappa``, ``alpha``,
        ``coded_agreement`` (both / either) and ``note`` (why a value is blank).

    Raises
    ------
    ValueError
        Shapes that differ, are not two-dimensional, or do not match ``codes``; values other
        than 0/1; an empty sample.

    Notes
    -----
    Kappa and alpha are undefined when both coders gave every excerpt the same answer (no
    variation: p_e = 1); they are NaN with a note then, while percent agreement is 100.

    References
    ----------
    Cohen J. A coefficient of agreement for nominal scales. Educ Psychol Meas 1960;20:37-46.
    Krippendorff K. Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania, 2011.

    Examples
    --------
    >>> a = [[1, 0], [1, 0], [0, 1], [0, 0]]
    >>> b = [[1, 0], [0, 0], [0, 1], [0, 0]]
    >>> out = agreement_table(a, b, ["access", "trust"])
    >>> out[["code", "percent_agreement", "kappa"]].round(3).values.tolist()
    [['access', 75.0, 0.5], ['trust', 100.0, 1.0]]
    """
    a, b = _binary("coder_a", coder_a), _binary("coder_b", coder_b)
    if a.shape != b.shape:
        raise ValueError(
            "coder_a and coder_b: must code the same excerpts and codes; "
            f"got shapes {a.shape} and {b.shape}"
        )
    if a.shape[1] != len(codes):
        raise ValueError(f"codes: {len(codes)} names for {a.shape[1]} columns")
    if a.shape[0] == 0:
        raise ValueError("coder_a and coder_b: the sample has no excerpts")
    n = a.shape[0]
    both = (a & b).sum(axis=0)
    a_only = (a & ~b).sum(axis=0)
    b_only = (~a & b).sum(axis=0)
    neither = n - both - a_only - b_only
    p_o = (both + neither) / n
    a_yes, b_yes = a.sum(axis=0), b.sum(axis=0)
    p_e = (a_yes * b_yes + (n - a_yes) * (n - b_yes)) / n**2
    constant = p_e >= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.where(constant, np.nan, (p_o - p_e) / (1 - p_e))
        either = both + a_only + b_only
        coded = np.where(either > 0, both / either, np.nan)
    alpha = np.array(
        [np.nan if constant[k] else _alpha(a[:, k], b[:, k]) for k in range(a.shape[1])],
        dtype=float,
    )
    note = np.where(constant, "no variation: both coders gave every excerpt the same answer", "")
    return pd.DataFrame(
        {
            "code": list(codes),
            "n": n,
            "both": both,
            "a_only": a_only,
            "b_only": b_only,
            "neither": neither,
            "percent_agreement": 100 * p_o,
            "kappa": kappa,
            "alpha": alpha,
            "coded_agreement": coded,
            "note": note,
        }
    )


def agreement(
    codings: pd.DataFrame,
    *,
    sample: Sequence[object],
    codes: Sequence[str],
    coders: tuple[str, str],
) -> pd.DataFrame:
    """Agreement per code from codings in long form (one row per excerpt, code and coder).

    Parameters
    ----------
    codings
        ``excerpt``, ``code`` and ``coder``: who applied which code to which excerpt.
    sample
        The double-coded excerpts (both coders read every one, coded or not).
    codes
        The codes to compare (a code no one applied agrees trivially).
    coders
        The two coders.

    Returns
    -------
    pandas.DataFrame
        As :func:`agreement_table`.

    Raises
    ------
    ValueError
        Missing columns, or codings naming an excerpt outside the sample, a code outside
        ``codes`` or a third coder (naming them).

    Examples
    --------
    >>> codings = pd.DataFrame({"excerpt": [1, 1, 2], "code": "access", "coder": ["a", "b", "a"]})
    >>> out = agreement(codings, sample=[1, 2, 3], codes=["access"], coders=("a", "b"))
    >>> out["percent_agreement"].round(1).tolist()
    [66.7]
    """
    missing = [c for c in ("excerpt", "code", "coder") if c not in codings.columns]
    if missing:
        raise ValueError(
            f"codings: missing column {', '.join(missing)} (expected excerpt, code, coder)"
        )
    if len(set(coders)) != 2:
        raise ValueError(f"coders: name two different coders, got {coders!r}")
    if len(set(sample)) != len(sample):
        raise ValueError("sample: lists an excerpt more than once")
    for column, allowed, what in (
        ("excerpt", sample, "excerpts outside the sample"),
        ("code", codes, "codes not being compared"),
        ("coder", coders, "coders other than the two compared"),
    ):
        stray = pd.Index(codings[column].unique()).difference(pd.Index(list(allowed)))
        if len(stray):
            shown = ", ".join(map(str, stray[:5]))
            raise ValueError(f"codings: {what}: {shown}; drop those rows or widen the comparison")
    rows = pd.Index(list(sample)).get_indexer(pd.Index(codings["excerpt"]))
    cols = pd.Index(list(codes)).get_indexer(pd.Index(codings["code"]))
    who = (codings["coder"] == coders[1]).to_numpy()
    grid = np.zeros((2, len(sample), len(codes)), dtype=bool)
    grid[who.astype(int), rows, cols] = True
    return agreement_table(grid[0], grid[1], codes)


def _alpha(a: BoolArray, b: BoolArray) -> float:
    """Krippendorff's nominal alpha for two coders on one code (the package's implementation)."""
    return float(
        krippendorff.alpha(
            reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal"
        )
    )


def _binary(name: str, values: ArrayLike) -> BoolArray:
    x = np.asarray(values)
    if x.ndim != 2:
        raise ValueError(f"{name}: expected a table of excerpts x codes, got {x.ndim} dimension(s)")
    if x.dtype != bool:
        numeric = x.astype(float)
        if not np.isin(numeric, (0.0, 1.0)).all():
            raise ValueError(f"{name}: values must be yes/no (True/False or 1/0)")
        x = numeric.astype(bool)
    return x
