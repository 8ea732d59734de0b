"""The linear relations between published cells: every "parent = sum of children" of the breakdowns.

Every group of every dimension is a set of *atoms*: values of the cube keys of
:mod:`focuson.engine.breakdowns` (IMD decile, sex, first year of the fine age band, NHS ethnic
code, borough). Two dimensions partition the same people, so wherever a union of groups of one
equals a union of groups of the other, the two sums are equal, and anyone holding the published
cells can subtract. For each pair of dimensions those unions are the connected components of the
graph that joins two groups when they share an atom; this is worked out key by key (a group of an
intersection is a product of one group per key), from the labels the engine itself gives the
atoms (:func:`~focuson.engine.breakdowns.frame_group_label`), never from a hand-written list.

What comes out, for the dimensions of :data:`~focuson.engine.breakdowns.DIMENSIONS`:

* overall = the sum of the groups of every dimension;
* IMD quintile ``q`` = deciles ``2q - 1`` and ``2q``;
* ethnic group (6) = its NHS codes; ethnicity_5 group = the same ethnicity_6 group; the people
  ethnicity_5 leaves out (not stated / not known) form a *residual* cell, not published but
  equal to the ethnicity_6 group, so that overall = the five groups + the residual;
* broad age bands against 5-year bands where the edges align: 65-79 = 65-69 + 70-74 + 75-79,
  80+ = 80-84 + 85-89 + 90+, and, as 15-19 straddles 18, 0-17 + 18-64 = 0-4 + ... + 60-64;
* each intersection against both its margins (``q | *`` = quintile ``q``; ``* | e`` = ``e``)
  and against every other dimension that shares a key (``q | *`` of one intersection = ``q | *``
  of another = deciles ``2q - 1`` + ``2q``). Two dimensions on different keys only say "the
  sum of one = the sum of the other", implied by the overall relations when an overall is
  published, so they are kept only when it is not.

A group label the breakdowns do not produce is joined to every atom of its key (the sum of the
whole dimension), which is safe. Groups with no row are taken as known (zero): the worst case.

Examples
--------
>>> rel = build_relations(pd.DataFrame({
...     "dimension": ["overall", "imd_decile", "imd_decile", "imd_quintile"],
...     "group": ["All", "1", "2", "1"]}))
>>> [sorted(rel.cells.loc[list(r), "group"]) for r in rel.members()]
[['1', '2', 'All'], ['1', 'All'], ['1', '1', '2']]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from focuson.engine.breakdowns import (
    AGE_5Y_LABELS,
    AGE_BROAD,
    DIMENSIONS,
    ETHNICITY_6,
    NOT_KNOWN,
    SEPARATOR,
    frame_group_label,
)

#: Group label of the residual cell of a dimension that leaves people out (ethnicity_5).
RESIDUAL = "(not in this dimension)"
#: A cube-key value every key frame starts from; one key at a time is varied.
_BASELINE: dict[str, object] = {
    "imd_decile": 1.0,
    "borough": "B",
    "sex": "F",
    "age_start": 30.0,
    "ethnicity_code": "A",
}


@dataclass(frozen=True)
class Relations:
    """The cells and the relations between them.

    Attributes
    ----------
    cells
        One row per cell: ``dimension``, ``group`` and ``virtual`` (True for a residual cell,
        which has no row of its own: its value is the overall minus the dimension's groups).
    matrix
        Relations x cells, CSR, 1 where the cell is in the relation: the cells of one relation
        split in two sides of equal sum. Every relation has at least two cells; duplicates are
        removed.
    signed
        The same relations with their sides: +1 for the cells of one side, -1 for the other, so
        that ``signed @ counts == 0`` for counts that add up.
    """

    cells: pd.DataFrame
    matrix: csr_matrix
    signed: csr_matrix

    def members(self) -> list[np.ndarray]:
        """The cell indices of each relation (for reading and tests; the work uses ``matrix``)."""
        m = self.matrix
        return [m.indices[m.indptr[r] : m.indptr[r + 1]] for r in range(m.shape[0])]


def build_relations(labels: pd.DataFrame, *, across: bool = True) -> Relations:
    """Every linear relation between the cells whose ``dimension`` and ``group`` are given.

    Parameters
    ----------
    labels
        ``dimension`` and ``group`` of the published cells (duplicates allowed: e.g. the whole
        findings frame, over every indicator and period).
    across
        True: relations between every pair of dimensions. False: only each dimension against
        the overall (protection within a dimension), with no residual cells.

    Returns
    -------
    Relations
        The cells (the distinct labels, plus residual cells) and the relations.

    Raises
    ------
    ValueError
        A dimension the breakdowns do not define.

    Examples
    --------
    >>> rel = build_relations(pd.DataFrame({
    ...     "dimension": ["ethnicity_6", "ethnicity_code", "ethnicity_code"],
    ...     "group": ["Black", "M", "N"]}))
    >>> [sorted(rel.cells.loc[list(r), "group"]) for r in rel.members()]
    [['Black', 'M', 'N']]
    """
    cells = labels[["dimension", "group"]].drop_duplicates().astype(str)
    unknown = sorted(set(cells["dimension"]) - set(DIMENSIONS))
    if unknown:
        raise ValueError(
            f"dimension: unknown {', '.join(unknown)}; expected one of {', '.join(DIMENSIONS)}"
        )
    atoms = _atoms(cells)
    maps = _key_maps(tuple(atoms.items()))
    factors = {d: _factors(d, maps) for d in DIMENSIONS}
    residual = [d for d in set(cells["dimension"]) if across and _leaves_out(factors[d], maps)]
    cells = pd.concat(
        [cells, pd.DataFrame({"dimension": sorted(residual), "group": RESIDUAL})],
        ignore_index=True,
    )
    cells = cells.sort_values(["dimension", "group"], kind="stable").reset_index(drop=True)
    cells["virtual"] = cells["group"] == RESIDUAL
    dims = [d for d in DIMENSIONS if d in set(cells["dimension"])]
    if not across:
        pairs = [("overall", d) for d in dims if d != "overall"]
    else:
        # Two dimensions on different keys only say "the sum of one = the sum of the other",
        # which adds nothing when both are safe against the overall (a relation with one
        # suppressed cell would need one of them to hold exactly one, or the overall and none).
        keys = {d: {k for k, _ in factors[d]} for d in dims}
        pairs = [
            (a, b)
            for a, b in combinations(dims, 2)
            if "overall" not in dims or "overall" in (a, b) or keys[a] & keys[b]
        ]
    parts_r: list[np.ndarray] = []
    parts_c: list[np.ndarray] = []
    parts_s: list[np.ndarray] = []
    offset = 0
    for d1, d2 in pairs:
        idx = np.flatnonzero(cells["dimension"].isin([d1, d2]).to_numpy())
        sub = cells.iloc[idx]
        comp = _pair_components(d1, d2, sub, factors, maps, atoms)
        relation, _ = (
            pd.factorize(pd.MultiIndex.from_arrays(comp))
            if comp
            else (
                np.zeros(idx.size, dtype=np.intp),
                None,
            )
        )
        parts_r.append(np.asarray(relation) + offset)
        parts_c.append(idx)
        parts_s.append(np.where(sub["dimension"].to_numpy() == d1, 1.0, -1.0))
        offset += int(np.max(relation, initial=-1)) + 1
    if not parts_r:
        empty = csr_matrix((0, len(cells)))
        return Relations(cells, empty, empty.copy())
    r = np.concatenate(parts_r)
    c = np.concatenate(parts_c)
    s = np.concatenate(parts_s)
    m = coo_matrix((s, (r, c)), shape=(offset, len(cells))).tocsr()
    m.sum_duplicates()
    m.sort_indices()
    signed = _unique_rows(m)
    unsigned = signed.copy()
    unsigned.data = np.abs(unsigned.data)
    return Relations(cells, unsigned, signed)


# --------------------------------------------------------------------------------------------
# Atoms and the labels the breakdowns give them, key by key
# --------------------------------------------------------------------------------------------


def _singles() -> list[str]:
    return [d for d in DIMENSIONS if " x " not in d and d != "overall"]


def _atoms(cells: pd.DataFrame) -> dict[str, tuple[object, ...]]:
    """Per cube key, all its values (None: not known)."""
    seen = {d: cells.loc[cells["dimension"] == d, "group"] for d in DIMENSIONS}

    def parts(dimension: str) -> pd.Series:
        """Labels of a single dimension, also as parts of the intersections."""
        out = [seen[dimension]]
        for d in DIMENSIONS:
            if " x " in d:
                a, b = d.split(" x ")
                split = seen[d].str.split(SEPARATOR, n=1, regex=False)
                if a == dimension:
                    out.append(split.str[0])
                if b == dimension:
                    out.append(split.str[-1])
        return pd.concat(out, ignore_index=True).dropna()

    deciles = pd.to_numeric(parts("imd_decile"), errors="coerce").dropna()
    fine_starts = sorted(
        {5 * i for i in range(len(AGE_5Y_LABELS))} | {lo for _, lo, _ in AGE_BROAD}
    )
    values: dict[str, list[object]] = {
        "imd_decile": [*sorted({*range(1, 11), *deciles.astype(float)}), np.nan],
        "borough": sorted({*parts("borough"), NOT_KNOWN, "(another borough)"}),
        "sex": sorted({"F", "M", "U", *parts("sex")}),
        "age_start": [*map(float, sorted(fine_starts)), np.nan],
        "ethnicity_code": sorted({*ETHNICITY_6, *parts("ethnicity_code")}),
    }
    return {
        k: tuple(None if isinstance(v, float) and np.isnan(v) else v for v in vals)
        for k, vals in values.items()
    }


@lru_cache(maxsize=32)
def _key_maps(
    atom_values: tuple[tuple[str, tuple[object, ...]], ...],
) -> dict[str, tuple[str, np.ndarray] | None]:
    """:func:`_key_map` of every single dimension (cached: the atoms rarely change).

    The atoms of each key become a frame of cube keys varying that key only.
    """
    atoms = {}
    for key, vals in atom_values:
        frame = pd.DataFrame({k: [v] * len(vals) for k, v in _BASELINE.items()})
        numeric = key in ("imd_decile", "age_start")
        frame[key] = pd.Series(
            [np.nan if v is None else v for v in vals] if numeric else vals,
            dtype=float if numeric else object,
        )
        atoms[key] = frame
    return {d: _key_map(d, atoms) for d in _singles()}


def _key_map(dimension: str, atoms: dict[str, pd.DataFrame]) -> tuple[str, np.ndarray] | None:
    """The key a single dimension depends on and each atom's label (None: left out)."""
    found = []
    for key, frame in atoms.items():
        lab = frame_group_label(dimension, frame)
        if lab.nunique(dropna=False) > 1:
            found.append((key, lab.to_numpy(dtype=object)))
    if len(found) != 1:
        return None
    return found[0]


Factor = tuple[str, str]  # (cube key, single dimension)


def _factors(dimension: str, maps: dict[str, tuple[str, np.ndarray] | None]) -> list[Factor]:
    """The single dimensions an intersection is the product of, with their keys."""
    if dimension == "overall":
        return []
    names = dimension.split(" x ")
    out = []
    for name in names:
        found = maps.get(name)
        if found is None:
            raise ValueError(f"dimension: {name!r} is not a function of one cube key")
        out.append((found[0], name))
    return out


def _leaves_out(factors: list[Factor], maps: dict[str, tuple[str, np.ndarray] | None]) -> bool:
    """A single dimension some atoms of whose key have no group (ethnicity_5)."""
    if len(factors) != 1:
        return False
    found = maps[factors[0][1]]
    return found is not None and bool(pd.isna(found[1]).any())


def _pair_components(
    d1: str,
    d2: str,
    sub: pd.DataFrame,
    factors: dict[str, list[Factor]],
    maps: dict[str, tuple[str, np.ndarray] | None],
    atoms: dict[str, tuple[object, ...]],
) -> list[np.ndarray]:
    """Per key both dimensions depend on, the component of every cell of ``sub``."""
    f1 = dict((k, n) for k, n in factors[d1])
    f2 = dict((k, n) for k, n in factors[d2])
    out = []
    for key in f1.keys() & f2.keys():
        label_of: list[np.ndarray] = []
        for d, f in ((d1, factors[d1]), (d2, factors[d2])):
            pos = next(i for i, (k, _) in enumerate(f) if k == key)
            groups = sub.loc[sub["dimension"] == d, "group"]
            if len(f) == 1:
                part = groups
            else:
                part = groups.str.split(SEPARATOR, n=len(f) - 1, regex=False).str[pos]
            label_of.append(part.where(groups != RESIDUAL, None).to_numpy(dtype=object))
        atom_labels = [_labels_on_key(maps, f1[key]), _labels_on_key(maps, f2[key])]
        comp = _components(atom_labels, label_of, len(atoms[key]))
        whole = np.empty(len(sub), dtype=np.intp)
        is1 = (sub["dimension"] == d1).to_numpy()
        whole[is1], whole[~is1] = comp[0], comp[1]
        out.append(whole)
    return out


def _labels_on_key(maps: dict[str, tuple[str, np.ndarray] | None], dimension: str) -> np.ndarray:
    found = maps[dimension]
    assert found is not None  # a factor's dimension always depends on one key
    return found[1]


def _components(
    atom_labels: list[np.ndarray], cell_labels: list[np.ndarray], n_atoms: int
) -> list[np.ndarray]:
    """Connected components of atoms joined by shared labels; the component of each cell.

    A cell label no atom has (not produced by the breakdowns) joins every atom: its component
    is the whole key. ``None`` (the residual) is the set of atoms with no label.
    """
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    base = n_atoms
    index: list[pd.Index] = []
    for side in range(2):
        lab = pd.Series(atom_labels[side], dtype=object).fillna(RESIDUAL)
        codes, uniq = pd.factorize(lab)
        src.append(np.arange(n_atoms))
        dst.append(base + codes)
        index.append(pd.Index(uniq))
        base += len(uniq)
    graph = coo_matrix(
        (np.ones(2 * n_atoms), (np.concatenate(src), np.concatenate(dst))), shape=(base, base)
    )
    _, comp = connected_components(graph, directed=False)
    out = []
    starts = [n_atoms, n_atoms + len(index[0])]
    for side in range(2):
        lab = pd.Series(cell_labels[side], dtype=object).fillna(RESIDUAL)
        pos = index[side].get_indexer(pd.Index(lab))
        known = pos >= 0
        node = np.where(known, starts[side] + pos, 0)
        out.append(np.where(known, comp[node], -1))
    if any((o == -1).any() for o in out):  # an unknown label: the whole key is one component
        out = [np.zeros_like(o) for o in out]
    return out


def _unique_rows(m: csr_matrix) -> csr_matrix:
    """Drop duplicate relations and relations of fewer than two cells."""
    sizes = np.diff(m.indptr)
    rows = np.repeat(np.arange(m.shape[0]), sizes)
    key = pd.Series(m.indices.astype(str)).groupby(rows).agg(",".join)
    keep_rows = key.index.to_numpy()[~key.duplicated().to_numpy()]
    keep_rows = keep_rows[sizes[keep_rows] >= 2]
    return csr_matrix(m[keep_rows])
