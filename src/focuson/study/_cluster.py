"""Few-cluster inference for panel regressions: wild cluster bootstrap and permutation.

Both work on the whitened design (rows multiplied by the square root of the weights), so WLS
is OLS here. Neither loops in Python over bootstrap replications or permutations: the wild
bootstrap reduces every replication to G x G algebra (the "fast" form of MacKinnon, Nielsen &
Webb 2023, J Econometrics), and permutations reuse per-unit residualised columns, because
residualising on the fixed effects is linear.

>>> rng = np.random.default_rng(1)
>>> g = np.repeat(np.arange(8), 5)
>>> X = np.column_stack([np.ones(40), rng.normal(size=40)])
>>> y = X @ [1.0, 0.0] + rng.normal(size=40)
>>> p, lo, hi = wild_cluster_bootstrap(X, y, g, column=1, n_boot=999, seed=0)
>>> 0 <= p <= 1 and lo < hi
True
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from math import comb
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BootWeights = Literal["rademacher", "webb"]

_WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


def indicators(codes: IntArray, n: int | None = None) -> FloatArray:
    """One 0/1 column per code (codes 0..n-1): dummies, or cluster membership."""
    n = int(codes.max()) + 1 if n is None else n
    return (codes[:, None] == np.arange(n)[None, :]).astype(np.float64)


def _draws(kind: BootWeights, n_groups: int, n_boot: int, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    if kind == "webb":
        return rng.choice(_WEBB, size=(n_groups, n_boot))
    return rng.choice(np.array([-1.0, 1.0]), size=(n_groups, n_boot))


def _boot_t(
    X: FloatArray, a: FloatArray, u: FloatArray, member: FloatArray, v: FloatArray, c1: float
) -> FloatArray:
    """Bootstrap t numerators / CR1 SEs for y* = fit + u * v[g], all replications at once.

    With a = row j of (X'X)^-1 X', beta*_j - beta_j(DGP) = sum_g v_g sum_{i in g} a_i u_i, and
    the replication's cluster scores are H v, H[g, h] = sum_{i in g} a_i (M diag(u) 1_h)_i, M the
    residual maker: nothing of size N x B is ever formed.
    """
    uh = u[:, None] * member  # N x G
    Q = uh - X @ np.linalg.lstsq(X, uh, rcond=None)[0]  # M applied to each cluster's column
    H = member.T @ (a[:, None] * Q)  # G x G
    numer = (a * u) @ member @ v  # B
    se = np.sqrt(c1 * np.sum((H @ v) ** 2, axis=0))
    return np.asarray(numer / se, dtype=np.float64)


def wild_cluster_bootstrap(
    X: FloatArray,
    y: FloatArray,
    groups: IntArray,
    *,
    column: int,
    n_boot: int = 9999,
    seed: int = 0,
    kind: BootWeights | None = None,
    level: float = 0.95,
) -> tuple[float, float, float]:
    """Wild cluster bootstrap p-value (WCR, null imposed) and CI (WCU, percentile-t).

    Studentised with the CR1 standard error (statsmodels' K: every column of ``X``). The CI is
    the coefficient plus or minus the ``level`` quantile of the unrestricted bootstrap |t|
    times the CR1 SE; the p-value imposes beta = 0, as MacKinnon, Nielsen & Webb (2023)
    recommend for tests. Webb six-point weights by default under 12 clusters, where Rademacher
    weights have too few distinct draws (2^G); Rademacher otherwise. Returns (p, lower, upper).
    """
    n, k = X.shape
    g_codes = np.unique(groups, return_inverse=True)[1]
    member = indicators(g_codes)
    n_groups = member.shape[1]
    kind = kind or ("webb" if n_groups < 12 else "rademacher")
    c1 = n_groups / (n_groups - 1) * (n - 1) / (n - k)
    A = np.linalg.pinv(X)
    a = A[column]
    beta = A @ y
    resid = y - X @ beta
    se = np.sqrt(c1 * np.sum(((a * resid) @ member) ** 2))
    t_obs = beta[column] / se
    v = _draws(kind, n_groups, n_boot, seed)
    X_r = np.delete(X, column, axis=1)
    resid_r = y - X_r @ np.linalg.lstsq(X_r, y, rcond=None)[0]
    t_r = _boot_t(X, a, resid_r, member, v, c1)
    p = float(np.mean(np.abs(t_r) >= abs(t_obs) - 1e-12))
    q = float(np.quantile(np.abs(_boot_t(X, a, resid, member, v, c1)), level))
    return p, float(beta[column] - q * se), float(beta[column] + q * se)


def treated_sets(n_units: int, treated: IntArray, max_sets: int, seed: int) -> tuple[IntArray, int]:
    """Every way to pick as many units as were treated (a seeded sample above ``max_sets``).

    Row 0 is always the observed assignment. Returns (sets, index of the observed row).
    """
    m = treated.size
    observed = np.sort(treated)
    if comb(n_units, m) <= max_sets:
        sets = np.array(list(combinations(range(n_units), m)), dtype=np.intp)
        sets = sets[~np.all(sets == observed, axis=1)]
    else:
        rng = np.random.default_rng(seed)
        keys = rng.random((max_sets - 1, n_units))
        sets = np.sort(np.argsort(keys, axis=1)[:, :m], axis=1)
    return np.vstack([observed[None, :], sets]).astype(np.intp), 0


def permutation_estimates(
    Z: FloatArray,
    y: FloatArray,
    unit_columns: Callable[[FloatArray], list[FloatArray]],
    units: IntArray,
    sets: IntArray,
    which: int,
    sqrt_weights: FloatArray | None = None,
) -> FloatArray:
    """The coefficient ``which`` of the varying regressors for each treated set, all at once.

    ``unit_columns(member)`` returns the varying regressors (each N x U) as if unit u alone were
    treated; a set's regressors are sums over its units, so after residualising once on the
    fixed part ``Z`` (Frisch-Waugh-Lovell) each set's normal equations are sums of precomputed
    cross-products. ``Z`` and ``y`` come whitened; ``sqrt_weights`` whitens the varying columns.
    """
    member = indicators(units)
    base = np.stack(unit_columns(member), axis=2)  # N x U x k
    if sqrt_weights is not None:
        base = base * sqrt_weights[:, None, None]
    n, n_units, k = base.shape
    flat = base.reshape(n, n_units * k)
    flat = flat - Z @ np.linalg.lstsq(Z, flat, rcond=None)[0]
    ry = y - Z @ np.linalg.lstsq(Z, y, rcond=None)[0]
    R = flat.reshape(n, n_units, k)
    cross = np.einsum("nuk,nvl->uvkl", R, R)
    ycross = np.einsum("nuk,n->uk", R, ry)
    gram = cross[sets[:, :, None], sets[:, None, :]].sum(axis=(1, 2))  # P x k x k
    rhs = ycross[sets].sum(axis=1)  # P x k
    return np.asarray(np.linalg.solve(gram, rhs[..., None])[:, which, 0], dtype=np.float64)
