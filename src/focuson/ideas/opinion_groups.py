"""Opinion groups found from the votes: PCA of the vote matrix, then k-means, k by silhouette.

The method follows Pol.is (compdemocracy/polis, ``math/src/polismath/math/conversation.clj``,
``pca.clj``, ``clusters.clj``; Small et al. 2021, "Polis: Scaling deliberation by mapping high
dimensional opinion spaces", Recerca 26(2)):

1. Statements moderated out keep their voters but every vote on them becomes a pass (0), as
   Pol.is zeroes those columns.
2. A missing vote is imputed with the statement's mean vote; the matrix is centred and its first
   two principal components found (here exactly, from the eigenvectors of the smaller Gram
   matrix; Pol.is uses power iteration, which converges to the same axes up to sign).
3. Each participant is projected using only the votes they cast (centred), scaled by
   ``sqrt(S / n_votes)`` so that someone who voted on few statements is not pulled to the centre
   (Pol.is's "sparsity-aware" projection).
4. Participants with at least ``min(7, S)`` votes are placed (Pol.is's rule; if fewer than 15
   qualify, the most active voters are added until 15 are placed).
5. k-means (k-means++ starts, seeded, best of 30 restarts, Lloyd steps until no point moves)
   for each k in 2..5, and the k with the largest mean silhouette (Rousseeuw 1987) is kept.

Deviation: Pol.is first groups participants into up to 100 "base clusters" and runs k-means on
their centres, weighted by size, smoothing the choice of k over successive updates. focuson runs
k-means on the participants directly, once (a round is analysed after it closes, not live), so
group boundaries can differ for participants between Pol.is's groups. Silhouettes are computed on
all placed participants up to 2,000, else on a seeded random sample of 2,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import eigh
from scipy.spatial.distance import cdist

from focuson.ideas.statements import vote_matrix

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Pol.is places a participant once they have voted on this many statements (or on all).
MIN_VOTES = 7
#: If fewer are placed, Pol.is adds the most active voters until this many are.
MIN_PLACED = 15
SILHOUETTE_SAMPLE = 2000


@dataclass(frozen=True)
class OpinionGroups:
    """Opinion groups found from a vote matrix.

    Attributes
    ----------
    labels
        Group per participant, ``0..k-1`` numbered from the largest group; -1 where unplaced.
    k
        The number of groups chosen.
    silhouettes
        Mean silhouette for each k tried.
    projection
        ``P x 2`` position of every participant on the two principal components.
    components, center
        The principal axes (``2 x S``) and the column means they are centred on.
    placed
        True for participants who voted enough to be placed.
    """

    labels: IntArray
    k: int
    silhouettes: dict[int, float] = field(default_factory=dict)
    projection: FloatArray = field(default_factory=lambda: np.empty((0, 2)))
    components: FloatArray = field(default_factory=lambda: np.empty((2, 0)))
    center: FloatArray = field(default_factory=lambda: np.empty(0))
    placed: BoolArray = field(default_factory=lambda: np.empty(0, bool))

    @property
    def names(self) -> tuple[str, ...]:
        """Plain names for the groups: "Opinion group A", "Opinion group B"..."""
        return tuple(f"Opinion group {chr(ord('A') + g)}" for g in range(self.k))


def opinion_groups(
    votes: ArrayLike,
    *,
    exclude: ArrayLike | None = None,
    k_values: Iterable[int] = range(2, 6),
    min_votes: int = MIN_VOTES,
    min_placed: int = MIN_PLACED,
    seed: int = 0,
    restarts: int = 30,
) -> OpinionGroups:
    """Find opinion groups from a vote matrix (see the module notes for the method).

    Parameters
    ----------
    votes
        ``P x S`` vote matrix (+1 agree, -1 disagree, 0 pass, NaN not voted).
    exclude
        Per statement, True if moderated out (its votes count as passes).
    k_values
        Numbers of groups to try (2..5 as Pol.is).
    min_votes, min_placed
        Placement rule (7 and 15 as Pol.is).
    seed
        Seed for the k-means starts and the silhouette sample; the same seed, the same groups.
    restarts
        k-means runs per k; the one with the smallest within-group sum of squares is kept.

    Raises
    ------
    ValueError
        Fewer than three participants can be placed, or their positions do not differ.
    """
    v = vote_matrix(votes).copy()
    if exclude is not None:
        out = np.asarray(exclude, bool)
        v[:, out] = np.where(np.isnan(v[:, out]), np.nan, 0.0)
    voted = ~np.isnan(v)
    n_votes = voted.sum(axis=1)
    with np.errstate(invalid="ignore"):
        means = np.where(voted.any(0), np.nansum(v, 0) / np.maximum(voted.sum(0), 1), 0.0)
    imputed = np.where(voted, v, means)
    center = imputed.mean(axis=0)
    components = _top_axes(imputed - center, 2)
    # Fix each axis's sign (an SVD may return either): its largest loading is positive.
    biggest = np.abs(components).argmax(axis=1)
    components *= np.where(components[np.arange(2), biggest] < 0, -1.0, 1.0)[:, None]
    scale = np.sqrt(v.shape[1] / np.maximum(n_votes, 1))
    projection = (np.where(voted, v - center, 0.0) @ components.T) * scale[:, None]

    placed = _placed(n_votes, v.shape[1], min_votes, min_placed)
    points = projection[placed]
    if points.shape[0] < 3 or np.ptp(points, axis=0).max(initial=0) == 0:
        raise ValueError(
            f"opinion groups: {points.shape[0]} participants voted enough to be placed and their "
            f"votes must differ; opinion groups need at least 3 who voted on "
            f"{min(min_votes, v.shape[1])} or more statements"
        )
    rng = np.random.default_rng(seed)
    sample = _sample(points.shape[0], rng)
    fits: dict[int, IntArray] = {}
    silhouettes: dict[int, float] = {}
    for k in sorted(set(k_values)):
        if not 2 <= k < points.shape[0]:
            continue
        labels = _kmeans(points, k, rng, restarts)
        if labels is None:
            continue
        fits[k] = labels
        silhouettes[k] = silhouette(points[sample], labels[sample])
    if not fits:
        raise ValueError("opinion groups: k-means found no grouping for any k tried")
    k = max(silhouettes, key=lambda kk: (silhouettes[kk], -kk))
    labels = np.full(v.shape[0], -1, dtype=np.int64)
    labels[placed] = _by_size(fits[k], k)
    return OpinionGroups(
        labels=labels,
        k=k,
        silhouettes=silhouettes,
        projection=projection,
        components=components,
        center=center,
        placed=placed,
    )


def silhouette(points: ArrayLike, labels: ArrayLike) -> float:
    """Mean silhouette width (Rousseeuw 1987) of a grouping; singletons count 0.

    ``s = (b - a) / max(a, b)``: ``a`` the mean distance to the others in one's own group, ``b``
    the smallest mean distance to another group.

    >>> # a = 1 for every point; b = 10.5, 9.5, 9.5, 10.5: mean of 9.5/10.5 and 8.5/9.5
    >>> round(silhouette([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1]), 4)
    0.8997
    """
    x = np.asarray(points, dtype=np.float64)
    lab = np.asarray(labels)
    groups, codes = np.unique(lab, return_inverse=True)
    if groups.size < 2:
        return 0.0
    member = codes[:, None] == np.arange(groups.size)[None, :]
    sizes = member.sum(axis=0)
    sums = cdist(x, x) @ member  # distance from each point to each group, summed
    own = sums[np.arange(x.shape[0]), codes]
    a = own / np.maximum(sizes[codes] - 1, 1)
    mean_other = np.where(member, np.inf, sums / sizes)
    b = mean_other.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(np.maximum(a, b) > 0, (b - a) / np.maximum(a, b), 0.0)
    s[sizes[codes] == 1] = 0.0
    return float(s.mean())


def adjusted_rand_index(first: ArrayLike, second: ArrayLike) -> float:
    """Adjusted Rand index of two groupings of the same items (Hubert & Arabie 1985).

    1 when the groupings are the same up to the names of the groups, about 0 for chance.

    >>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 4)
    -0.5
    """
    a, b = np.asarray(first), np.asarray(second)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"adjusted_rand_index: two equal-length lists, got {a.shape}, {b.shape}")
    _, ca = np.unique(a, return_inverse=True)
    _, cb = np.unique(b, return_inverse=True)
    table = np.zeros((ca.max(initial=-1) + 1, cb.max(initial=-1) + 1))
    np.add.at(table, (ca, cb), 1)

    def pairs(n: NDArray[np.float64]) -> float:
        return float((n * (n - 1) / 2).sum())

    together = pairs(table)
    rows, cols, total = pairs(table.sum(1)), pairs(table.sum(0)), pairs(np.array([a.size]))
    expected = rows * cols / total if total else 0.0
    best = (rows + cols) / 2
    if best == expected:  # both groupings trivial (one group, or all apart): identical
        return 1.0
    return (together - expected) / (best - expected)


def _top_axes(x: FloatArray, n: int) -> FloatArray:
    """The first ``n`` principal axes (rows) of centred ``x``, from the smaller Gram matrix.

    Only two axes are needed, so the eigenvectors of ``x.T @ x`` (or of ``x @ x.T`` when there
    are fewer participants than statements) cost far less than a full SVD of a large round.
    """
    rows, cols = x.shape
    axes = np.zeros((n, cols))
    gram = x.T @ x if cols <= rows else x @ x.T
    size = gram.shape[0]
    values, vectors = eigh(gram, subset_by_index=[max(size - n, 0), size - 1])
    if cols <= rows:
        top = vectors[:, ::-1].T
    else:
        left = vectors[:, ::-1]
        top = (x.T @ left).T
        norms = np.linalg.norm(top, axis=1, keepdims=True)
        top = np.divide(top, norms, out=np.zeros_like(top), where=norms > 0)
    keep = values[::-1] > 1e-12 * max(float(values.max(initial=0.0)), 1.0)
    axes[: top.shape[0]] = np.where(keep[:, None], top, 0.0)
    return axes


def _placed(n_votes: IntArray, n_statements: int, min_votes: int, min_placed: int) -> BoolArray:
    """Pol.is's placement: enough votes, topped up with the most active voters."""
    placed = n_votes >= min(min_votes, n_statements)
    missing = min_placed - int(placed.sum())
    if missing > 0:
        order = np.argsort(-n_votes, kind="stable")
        extra = order[~placed[order] & (n_votes[order] > 0)][:missing]
        placed[extra] = True
    return np.asarray(placed)


def _sample(n: int, rng: np.random.Generator) -> IntArray:
    """Rows for the silhouette: all of them, or a seeded sample of the limit."""
    if n <= SILHOUETTE_SAMPLE:
        return np.arange(n)
    return np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False))


def _kmeans(points: FloatArray, k: int, rng: np.random.Generator, restarts: int) -> IntArray | None:
    """Best of ``restarts`` k-means++ runs (smallest within-group sum of squares)."""
    best: tuple[float, IntArray] | None = None
    for _ in range(restarts):
        fit = _lloyd(points, k, rng)
        if fit is not None and (best is None or fit[0] < best[0]):
            best = fit
    return None if best is None else best[1]


def _lloyd(
    points: FloatArray, k: int, rng: np.random.Generator, max_iter: int = 300
) -> tuple[float, IntArray] | None:
    """One k-means run: k-means++ starts (Arthur & Vassilvitskii 2007), Lloyd steps until stable.

    Returns the within-group sum of squares and the labels, or None if a group empties. The loop
    is over iterations only; each step handles every point at once.
    """
    n = points.shape[0]
    centres = np.empty((k, points.shape[1]))
    centres[0] = points[rng.integers(n)]
    nearest = ((points - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = nearest.sum()
        if total <= 0:
            return None
        centres[j] = points[rng.choice(n, p=nearest / total)]
        nearest = np.minimum(nearest, ((points - centres[j]) ** 2).sum(axis=1))
    labels = np.full(n, -1, dtype=np.int64)
    for _ in range(max_iter):
        # |x - c|^2 up to |x|^2, which does not change the nearest centre.
        new_labels = ((centres**2).sum(axis=1) - 2 * points @ centres.T).argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=k)
        if (counts == 0).any():
            return None
        sums = np.stack([np.bincount(labels, weights=points[:, d], minlength=k)
                         for d in range(points.shape[1])], axis=1)  # fmt: skip
        centres = sums / counts[:, None]
    inertia = float(((points - centres[labels]) ** 2).sum())
    return inertia, labels


def _by_size(labels: IntArray, k: int) -> IntArray:
    """Renumber groups from the largest (0) down; ties keep the lower number first."""
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank[labels]
