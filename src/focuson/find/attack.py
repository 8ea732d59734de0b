"""The attacker's view of the published counts: every linear relation, bound and rounding interval.

An information-governance reviewer who holds everything a run publishes knows, for every indicator
x period (a *setting*) and every cell (dimension x group):

* a published count ``r``: the true count lies in the rounding interval of ``r`` under the rule
  (``r - 2 .. r + 2`` for the NHS rule, and above ``suppress_to``); a published 0 is exactly 0;
* a suppressed (blank) count: at least 0, and at most what the relations allow;
* a cell with no row: 0 (the engine writes no row for a group with nobody in it);
* the relations between cells (:func:`~focuson.find.relations.build_relations`, signed: the two
  sides of every relation add up to the same), for numerators and denominators alike;
* for proportions, a numerator never exceeds its denominator;
* every count is a whole number.

Every statistic a run publishes is computed from the published counts alone
(``docs/disclosure.md``), so it tells nothing beyond them: these constraints are all there is.
:meth:`System.bounds` solves
"how small, how large can this count be" as an integer programme, as the audit of tau-ARGUS does
(Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, section 4.3: the attacker's
interval of a suppressed cell is the minimum and maximum of the cell over all tables consistent with
the published ones). The solver is HiGHS (:mod:`highspy`), one model per setting, re-solved from
its last basis when only the objective changes.

Examples
--------
Overall 100 (published), F suppressed, M 95 (published): F lies between 98 - 97 = 1 and
102 - 93 = 9.

>>> f = pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
...     "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
...     "numerator": [100.0, np.nan, 95.0], "denominator": [1e4, np.nan, 5e3]})
>>> system = System.from_published(f)
>>> system.bounds(0, system.cell("sex", "F"), "numerator")
(1.0, 9.0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import csc_matrix, csr_matrix, eye, hstack, vstack

from focuson.find.relations import Relations, build_relations
from focuson.stats import NHS_RULE, DisclosureRule

COLUMNS: tuple[str, str] = ("numerator", "denominator")
#: Stands in for "no upper bound": every count is below it.
UNBOUNDED = 1e12
#: Tolerance on the solver's values (counts are whole numbers).
TOLERANCE = 1e-6


def rounding_interval(published: np.ndarray, rule: DisclosureRule) -> tuple[np.ndarray, np.ndarray]:
    """The whole counts that the rule publishes as ``published`` (NaN: not published).

    Parameters
    ----------
    published
        Published counts (multiples of ``round_to``, or 0), NaN where blank.
    rule
        The disclosure rule that produced them.

    Returns
    -------
    tuple of numpy.ndarray
        Lowest and highest true count; ``0`` and ``inf`` where blank.

    Examples
    --------
    >>> lo, hi = rounding_interval(np.array([0.0, 10.0, 15.0, np.nan]), NHS_RULE)
    >>> lo.tolist(), hi.tolist()
    ([0.0, 8.0, 13.0, 0.0], [0.0, 12.0, 17.0, inf])
    """
    r = np.asarray(published, dtype=np.float64)
    blank = np.isnan(r)
    step = float(rule.round_to)
    # Half up: t is published as r when r - step/2 <= t < r + step/2; half even may also round
    # r + step/2 down, so its interval is taken one wider (the attacker cannot tell the two).
    lo = np.ceil(r - step / 2)
    hi = np.ceil(r + step / 2) - 1 if rule.rounding == "half up" else np.floor(r + step / 2)
    lo = np.maximum(lo, np.where(r > 0, rule.suppress_to + 1, 0))
    lo = np.where(r == 0, 0.0, lo)
    hi = np.where(r == 0, 0.0, hi)
    return np.where(blank, 0.0, lo), np.where(blank, np.inf, hi)


@cache
def _highs() -> Any:
    """One silent HiGHS instance per process (its constructor prints a banner to stdout)."""
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


@dataclass
class System:
    """What is known of the counts of many settings, and the relations between their cells.

    Attributes
    ----------
    relations
        The cells and their signed relations (shared by every setting).
    settings
        One row per setting: ``indicator``, ``period``.
    lower, upper
        Settings x ``2 * cells`` (numerators, then denominators): what is known of each true
        count (:data:`UNBOUNDED` where nothing bounds it from above).
    ordered
        Per setting: True where a numerator never exceeds its denominator (proportions).
    """

    relations: Relations
    settings: pd.DataFrame
    lower: np.ndarray
    upper: np.ndarray
    ordered: np.ndarray

    @classmethod
    def from_published(
        cls,
        published: pd.DataFrame,
        *,
        rule: DisclosureRule = NHS_RULE,
        relations: Relations | None = None,
    ) -> System:
        """The attacker's system from published rows (blank counts are NaN).

        Parameters
        ----------
        published
            ``indicator``, ``period``, ``dimension``, ``group``, ``statistic``, ``numerator``,
            ``denominator`` as published (rounded; NaN where suppressed).
        rule
            The rule the counts were published under.
        relations
            The relations, when already built for these labels.
        """
        rel = relations if relations is not None else build_relations(published)
        codes, cell_of, settings = locate(published, rel)
        T, C = len(settings), len(rel.cells)
        lower = np.zeros((T, 2 * C))
        upper = np.zeros((T, 2 * C))  # a cell with no row: exactly 0
        for k, column in enumerate(COLUMNS):
            lo, hi = rounding_interval(published[column].to_numpy(np.float64), rule)
            lower[codes, k * C + cell_of] = lo
            upper[codes, k * C + cell_of] = hi
        is_mean = published["statistic"].to_numpy() == "mean"
        # The numerator of a mean is a sum of values, not a count: nothing bounds it here.
        upper[codes[is_mean], cell_of[is_mean]] = np.inf
        virtual = np.flatnonzero(rel.cells["virtual"].to_numpy())
        upper[:, virtual] = np.inf
        upper[:, C + virtual] = np.inf
        ordered = np.zeros(T, dtype=bool)
        ordered[codes[published["statistic"].to_numpy() == "proportion"]] = True
        frame = pd.DataFrame(list(settings), columns=["indicator", "period"])
        return cls(rel, frame, lower, np.minimum(upper, UNBOUNDED), ordered)

    @cached_property
    def constraints(self) -> csc_matrix:
        """The constraint rows of every setting (:func:`constraints`)."""
        return constraints(self.relations.signed)

    @property
    def n_cells(self) -> int:
        """Cells per setting (half the variables)."""
        return len(self.relations.cells)

    def cell(self, dimension: str, group: str) -> int:
        """The index of a cell."""
        cells = self.relations.cells
        hit = np.flatnonzero((cells["dimension"] == dimension) & (cells["group"] == group))
        if hit.size != 1:
            raise KeyError(f"no cell {dimension} = {group}")
        return int(hit[0])

    def solver(self, setting: int) -> SettingSolver:
        """A solver for one setting's constraints."""
        return SettingSolver(self, setting)

    def bounds(self, setting: int, cell: int, column: str) -> tuple[float, float]:
        """The attacker's lowest and highest whole value of one count (``inf``: unbounded).

        Examples
        --------
        See the module.
        """
        j = COLUMNS.index(column) * self.n_cells + cell
        solver = self.solver(setting)
        lo = solver.extreme(j, sense=1.0, integer=True)
        hi = solver.extreme(j, sense=-1.0, integer=True)
        return lo, (np.inf if hi >= UNBOUNDED - 1 else hi)


def locate(frame: pd.DataFrame, rel: Relations) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Per row: its setting and its cell; and the settings (indicator, period) in order seen."""
    cells = rel.cells
    cell_of = pd.MultiIndex.from_frame(cells[["dimension", "group"]]).get_indexer(
        pd.MultiIndex.from_arrays([frame["dimension"].astype(str), frame["group"].astype(str)])
    )
    codes, settings = pd.factorize(
        pd.MultiIndex.from_arrays([frame["indicator"].astype(str), frame["period"].astype(str)])
    )
    return np.asarray(codes), np.asarray(cell_of), settings


def constraints(signed: csr_matrix) -> csc_matrix:
    """Rows: the relations on numerators, on denominators, then numerator minus denominator."""
    C = signed.shape[1]
    zero = csr_matrix(signed.shape)
    return vstack(
        [hstack([signed, zero]), hstack([zero, signed]), hstack([eye(C), -eye(C)])]
    ).tocsc()


class SettingSolver:
    """The constraints of one setting in HiGHS, for many objectives in turn (warm started).

    Solvers share one HiGHS instance: use one at a time.
    """

    def __init__(self, system: System, setting: int) -> None:
        A = system.constraints
        n_rel = system.relations.signed.shape[0]
        n_col = A.shape[1]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_col, A.shape[0]
        lp.col_cost_ = np.zeros(n_col)
        self.lower = system.lower[setting].copy()
        self.upper = system.upper[setting].copy()
        lp.col_lower_, lp.col_upper_ = self.lower, self.upper
        row_lower = np.zeros(A.shape[0])
        row_upper = np.zeros(A.shape[0])
        row_lower[2 * n_rel :] = -np.inf
        if not system.ordered[setting]:
            row_upper[2 * n_rel :] = np.inf
        lp.row_lower_, lp.row_upper_ = row_lower, row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr
        lp.a_matrix_.index_ = A.indices
        lp.a_matrix_.value_ = A.data
        self.h = _highs()
        self.h.clearModel()
        self.h.passModel(lp)
        self.n = n_col
        self._all = np.arange(n_col, dtype=np.int32)

    def set_bounds(self, lower: np.ndarray, upper: np.ndarray) -> None:
        """New bounds for every variable (e.g. after more cells are suppressed); the last basis
        is kept, so the next solve starts from it."""
        self.lower = np.asarray(lower, dtype=np.float64).copy()
        self.upper = np.minimum(np.asarray(upper, dtype=np.float64), UNBOUNDED)
        self.h.changeColsBounds(self.n, self._all, self.lower, self.upper)

    def solve(
        self,
        cost: np.ndarray,
        *,
        integer: bool = False,
        cap: np.ndarray | None = None,
        floor: np.ndarray | None = None,
    ) -> np.ndarray | None:
        """Minimise ``cost . x``; the optimal ``x`` (None if no table fits).

        ``cap`` and ``floor`` tighten the bounds for this solve only (e.g. to ask whether every
        target can reach its level at once; each is kept within the bounds and never excludes
        the variable's lower bound). ``integer`` solves over whole numbers (branch and bound).
        """
        h = self.h
        h.changeColsCost(self.n, self._all, np.asarray(cost, dtype=np.float64))
        tight = cap is not None or floor is not None
        if tight:
            hi = self.upper if cap is None else np.maximum(np.minimum(self.upper, cap), self.lower)
            lo = self.lower if floor is None else np.minimum(np.maximum(self.lower, floor), hi)
            h.changeColsBounds(self.n, self._all, lo, hi)
        if integer:
            h.changeColsIntegrality(
                self.n, self._all, np.full(self.n, highspy.HighsVarType.kInteger)
            )
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        solution = h.getSolution()
        x = np.asarray(solution.col_value) if ok else None
        #: Reduced costs of the last solve: non-zero where a variable's bound limits the optimum.
        self.reduced = np.asarray(solution.col_dual) if ok and not integer else None
        if integer:
            h.changeColsIntegrality(
                self.n, self._all, np.full(self.n, highspy.HighsVarType.kContinuous)
            )
        if tight:
            h.changeColsBounds(self.n, self._all, self.lower, self.upper)
        return x

    def extreme(self, j: int, *, sense: float, integer: bool = False) -> float:
        """The minimum (``sense`` 1) or maximum (-1) of variable ``j``."""
        cost = np.zeros(self.n)
        cost[j] = sense
        x = self.solve(cost, integer=integer)
        if x is None:
            raise ValueError("the published counts are inconsistent: no table fits them")
        return float(x[j])


def integral(x: np.ndarray) -> bool:
    """True when every value of a solution is a whole number."""
    return bool(np.all(np.abs(x - np.rint(x)) <= TOLERANCE))
