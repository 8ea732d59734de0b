"""The conservative analytic variance of the imputation estimator (Borusyak, Jaravel & Spiess
2024, Theorem 3), clustered by unit, shown beside the bootstrap.

Every imputation estimate is linear in the outcomes, ``sum_it v_it y_it``: ``v`` is the target
weight on treated cells and ``-W0 Z0 (Z0' W0 Z0)^-1 Z1' w`` on untreated ones (``Z`` the unit
and period dummies). The variance is ``sum_i (sum_t v_it e_it)^2`` with ``e`` the first-stage
residual on untreated cells and, on treated cells, the cell's effect minus the average effect
of its cohort at that event time (the paper's conservative choice: heterogeneity across
cohorts and event times is not counted as noise). The weights ``v`` for every target at once
come from one solve of the same periods x periods system as the fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

if TYPE_CHECKING:
    from focuson.study.staggered import _Panel

FloatArray = NDArray[np.float64]


def _weights_v(p: _Panel, omega: FloatArray) -> FloatArray:
    """``v`` (units x periods x targets) for target weights ``omega`` on treated cells."""
    C = p.W * p.untreated
    Du = C.sum(axis=1)
    inv = np.divide(1.0, Du, out=np.zeros_like(Du), where=Du > 0)
    col = C.sum(axis=0)
    keep = np.flatnonzero(col > 0)
    keep = keep[keep != keep[np.argmax(col[keep])]]  # the reference period: b = 0
    u, t = omega.sum(axis=1), omega.sum(axis=0)  # Z1' w: units x J, periods x J
    Ck = C[:, keep]
    M = np.diag(col[keep]) - Ck.T @ (inv[:, None] * Ck)
    gb = np.zeros((C.shape[1], omega.shape[2]))
    gb[keep] = np.linalg.solve(M, t[keep] - Ck.T @ (inv[:, None] * u))
    ga = (u - C @ gb) * inv[:, None]
    return omega - C[:, :, None] * (ga[:, None, :] + gb[None, :, :])


def _residuals(p: _Panel, a: FloatArray, b: FloatArray) -> FloatArray:
    """First-stage residuals on untreated cells; on treated cells the effect minus its
    cohort x event-time weighted mean."""
    tau = p.Y - a[:, None] - b[None, :]
    cohort = np.broadcast_to(p.first[:, None], p.Y.shape)[p.treated]
    rel = p.rel[p.treated]
    _, group = np.unique(np.column_stack([cohort, rel]), axis=0, return_inverse=True)
    group = group.ravel()
    w = p.W[p.treated]
    mean = np.bincount(group, w * tau[p.treated]) / np.bincount(group, w)
    e = np.where(p.untreated, tau, 0.0)
    e[p.treated] = tau[p.treated] - mean[group]
    return e


def bjs_se(
    p: _Panel, S: sparse.csr_matrix, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Conservative SEs of the averages over S's treated cells (NaN for leads), and ``v``.

    ``S`` is cells x targets (:func:`focuson.study.staggered._aggregator`); ``a``, ``b`` the
    point estimate's unit and period effects.
    """
    n_u, n_t = p.Y.shape
    on = sparse.csr_matrix((p.W * p.treated).reshape(-1, 1))
    omega = np.asarray(S.multiply(on).toarray())
    total = omega.sum(axis=0)
    live = total > 0
    omega[:, live] /= total[live]
    v = _weights_v(p, omega.reshape(n_u, n_t, -1))
    e = _residuals(p, a, b)
    by_unit = np.einsum("utj,ut->uj", v, e)
    se = np.sqrt(np.sum(by_unit**2, axis=0))
    return np.where(live, se, np.nan), v
