"""Secondary suppression checked against the whole system of published relations (audit and repair).

A pattern of suppressed cells is safe when, for every indicator x period (a *setting*), the
attacker of :mod:`focuson.find.attack`, holding every published count of the setting with its
rounding interval and every relation between cells, can neither

* narrow a primary-suppressed count (1-7 under the NHS rule) to a smaller range: the count can be
  as low as ``suppress_from`` (1) and as high as ``suppress_to`` (7) in some table that fits
  everything published, nor
* pin any other suppressed count (a secondary one, or the other count of a suppressed row) to
  one value.

:func:`protect` starts from a pattern and **audits** every setting with integer programmes
(HiGHS). A requirement is *certified* by exhibiting a whole-number table that fits what is
published and has the count at the level asked: one programme pushes every open requirement
towards its level at once, its solution certifying all it reaches; each requirement still open
gets a programme of its own, whose solution certifies others too (integer branch and bound only
when the simplex solution is fractional). What cannot be certified fails, and is **repaired**:
the cheapest published cell sharing a relation with the failing one (its count times the size of
the relation) is suppressed too, and the setting is audited again. Suppressing a cell only widens
what the attacker must allow, so a certified requirement stays certified; the loop stops because
every round suppresses one more cell. This is the audit of tau-ARGUS (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, 4.3) with a greedy repair instead of its optimal
(and much slower) pattern.

Examples
--------
Sex F (3) would be narrowed by the overall and M: 83 and 80 are published as 85 and 80, so F
lies in 85 - 2 - 82 = 1 .. 87 - 78 = 9 (safe without help); with an overall of 81 (published 80),
F lies in 0 .. 82 - 78 = 4, narrowed; M is suppressed too:

>>> import pandas as pd
>>> def cells(total, f, m):
...     return pd.DataFrame({"indicator": "a", "period": "p", "statistic": "rate",
...         "dimension": ["overall", "sex", "sex"], "group": ["All", "F", "M"],
...         "numerator": [total, f, m], "denominator": 1000.0})
>>> protect_findings(cells(83.0, 3.0, 80.0)).tolist()
[False, True, False]
>>> protect_findings(cells(81.0, 3.0, 78.0)).tolist()
[False, True, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from focuson.find.attack import (
    COLUMNS,
    TOLERANCE,
    UNBOUNDED,
    SettingSolver,
    System,
    integral,
    locate,
    rounding_interval,
)
from focuson.find.relations import Relations, build_relations
from focuson.stats import NHS_RULE, DisclosureRule


@dataclass(frozen=True)
class Pattern:
    """The suppression pattern of every setting, and what it cost.

    Attributes
    ----------
    suppressed
        Per row of the findings: True where the row's counts may not be published.
    primary
        Per row: suppressed by the small-number rule itself (either count).
    audited
        Settings audited (those with any suppressed cell).
    repairs
        Cells suppressed by the repair after the audit.
    programmes
        Linear or integer programmes solved.
    """

    suppressed: np.ndarray
    primary: np.ndarray
    audited: int
    repairs: int
    programmes: int


def protect_findings(
    findings: pd.DataFrame,
    *,
    rule: DisclosureRule = NHS_RULE,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """Which rows must be suppressed so that no suppressed count is pinned or narrowed.

    Parameters
    ----------
    findings
        ``indicator``, ``period``, ``dimension``, ``group``, ``statistic``, ``numerator``,
        ``denominator``: true counts, one row per cell.
    rule
        The disclosure rule.
    start
        Rows already suppressed (e.g. a cheaper pattern to start from); primary suppression is
        always added.

    Returns
    -------
    numpy.ndarray
        Per row: suppressed.
    """
    return protect(findings, rule=rule, start=start).suppressed


def protect(
    findings: pd.DataFrame,
    *,
    rule: DisclosureRule = NHS_RULE,
    start: np.ndarray | None = None,
    relations: Relations | None = None,
    share: bool = True,
) -> Pattern:
    """:func:`protect_findings`, with what the audit did (see :class:`Pattern`).

    ``share=False`` leaves out what indicators that count the same denominators tell of each
    other (not safe to publish from; kept to measure what it costs).
    """
    n_rows = len(findings)
    if n_rows == 0:
        empty = np.zeros(0, dtype=bool)
        return Pattern(empty, empty, 0, 0, 0)
    rel = relations if relations is not None else build_relations(findings)
    codes, cell_of, settings = locate(findings, rel)
    T, C = len(settings), len(rel.cells)
    is_mean = findings["statistic"].to_numpy() == "mean"
    true = np.zeros((T, 2 * C))
    present = np.zeros((T, C), dtype=bool)
    present[codes, cell_of] = True
    counted = np.zeros((T, 2 * C), dtype=bool)  # counts the rule protects (not sums of values)
    for k, column in enumerate(COLUMNS):
        values = np.rint(np.nan_to_num(findings[column].to_numpy(np.float64)))
        true[codes, k * C + cell_of] = values
        counted[codes, k * C + cell_of] = ~is_mean if column == "numerator" else True
    virtual = rel.cells["virtual"].to_numpy()
    small = rule.suppresses(true) & counted
    S = np.zeros((T, C), dtype=bool)
    S[codes, cell_of] = np.zeros(n_rows, dtype=bool) if start is None else np.asarray(start)
    S |= small[:, :C] | small[:, C:]
    S &= present
    primary_rows = (small[:, :C] | small[:, C:])[codes, cell_of]
    ordered = np.zeros(T, dtype=bool)
    ordered[codes[findings["statistic"].to_numpy() == "proportion"]] = True
    frame = pd.DataFrame(list(settings), columns=["indicator", "period"])
    template = System(rel, frame, np.zeros((T, 2 * C)), np.zeros((T, 2 * C)), ordered)
    audit = _Audit(template, rule, rel)
    repairs = 0
    for t in np.flatnonzero(S.any(axis=1)):
        # One integer programme per setting: settings share no cells, so they are independent.
        repairs += audit.setting(int(t), true[t], S[t], present[t], counted[t], small[t], virtual)
    if share:
        repairs += _share_denominators(audit, S, true, present, counted, small, virtual, settings)
    return Pattern(
        suppressed=S[codes, cell_of],
        primary=primary_rows,
        audited=int(S.any(axis=1).sum()),
        repairs=repairs,
        programmes=audit.programmes,
    )


class _Audit:
    """Audit and repair, setting by setting (see the module notes)."""

    def __init__(self, template: System, rule: DisclosureRule, rel: Relations) -> None:
        self.system = template
        self.rule = rule
        self.programmes = 0
        incidence = rel.matrix.tocsr()
        self.rel_of_cell = incidence.T.tocsr()  # cells x relations
        self.cells_of_rel = incidence

    def setting(
        self,
        t: int,
        true: np.ndarray,
        S: np.ndarray,
        present: np.ndarray,
        counted: np.ndarray,
        small: np.ndarray,
        virtual: np.ndarray,
        known_denominators: np.ndarray | None = None,
    ) -> int:
        """Audit setting ``t`` and repair ``S`` (in place) until safe; the cells added.

        ``known_denominators``: cells whose denominator another indicator shows although the
        row is hidden here (they are known to the attacker, so not protected here)."""
        C = S.size
        certified_up = np.zeros(2 * C, dtype=bool)
        certified_down = np.zeros(2 * C, dtype=bool)
        added = 0
        known = np.zeros(C, dtype=bool) if known_denominators is None else known_denominators
        self._bounds(t, true, S, present, virtual, known)
        solver = self.system.solver(t)
        while True:
            hidden = np.concatenate([S, S])
            # Primary counts must reach both ends of the rule's range; any other hidden count
            # must not be pinned (it can move up or down by one).
            up_level = np.where(small, self.rule.suppress_to, true + 1)
            down_level = np.where(small, self.rule.suppress_from, true - 1)
            need = hidden & counted & ~np.concatenate([np.zeros(C, dtype=bool), known & S])
            up_ok, down_ok, binding = self._certify(solver, need, small, up_level, down_level,
                                                    certified_up, certified_down)  # fmt: skip
            certified_up |= up_ok
            certified_down |= down_ok
            failed = need & np.where(small, ~(up_ok & down_ok), ~(up_ok | down_ok))
            if not failed.any():
                return added
            fixed = self._repair(np.flatnonzero(failed), binding, true, S, present, virtual)
            if not fixed:
                # Every cell connected to the failing ones is hidden already: what still pins
                # them is the public fact that some groups have no row (nobody in them). That
                # can only pin a count that is 0 or follows from zeros, never narrow a 1-7.
                if not (failed & small).any():
                    return added
                raise ValueError(
                    "disclosure control: a suppressed count could not be protected in "
                    f"{self.system.settings.iloc[t].tolist()}: the counts do not add up across "
                    "the breakdowns"
                )
            added += fixed
            self._bounds(t, true, S, present, virtual, known)
            solver.set_bounds(self.system.lower[t], self.system.upper[t])

    def _bounds(
        self,
        t: int,
        true: np.ndarray,
        S: np.ndarray,
        present: np.ndarray,
        virtual: np.ndarray,
        known: np.ndarray,
    ) -> None:
        """What the attacker knows of setting ``t`` under pattern ``S`` (and the denominators
        ``known`` from elsewhere)."""
        shown = np.concatenate([present & ~S, present & (~S | known)])
        published = np.where(shown, _round(true, self.rule), np.nan)
        lo, hi = rounding_interval(published, self.rule)
        absent = ~np.concatenate([present, present]) & ~np.concatenate([virtual, virtual])
        lo = np.where(absent, 0.0, lo)
        hi = np.where(absent, 0.0, hi)
        # A suppressed sum of values (mean) is unbounded like any hidden count; its published
        # value is not a count, and the rounding interval is not the attacker's knowledge.
        self.system.lower[t] = lo
        self.system.upper[t] = np.minimum(hi, UNBOUNDED)

    def _certify(
        self,
        solver: SettingSolver,
        need: np.ndarray,
        small: np.ndarray,
        up_level: np.ndarray,
        down_level: np.ndarray,
        done_up: np.ndarray,
        done_down: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
        """Which requirements a whole-number table certifies (see the module notes), and for
        each count that failed, the variables whose bounds limited it (for the repair)."""
        up_ok = done_up.copy()
        down_ok = done_down.copy()
        binding: dict[int, np.ndarray] = {}

        def take(x: np.ndarray | None) -> None:
            if x is not None and integral(x):
                up_ok[need & (x >= up_level - TOLERANCE)] = True
                down_ok[need & (x <= down_level + TOLERANCE)] = True

        # Joint programmes: every open count pushed up (capped at its level) or down (floored
        # at its level), the direction drawn at random where both are open, so that counts that
        # share a relation take turns. Stops when a round certifies little.
        rng = np.random.default_rng(0)
        can_fall = down_level >= 0  # a hidden 0 can only be shown not pinned by rising

        def still_open() -> tuple[np.ndarray, np.ndarray]:
            # A primary count needs both ends; any other, either (a move of one either way).
            either = ~small & (up_ok | down_ok)
            return need & ~up_ok & ~either, need & ~down_ok & ~either & can_fall

        for _ in range(8):
            open_up, open_down = still_open()
            n_open = int(open_up.sum() + open_down.sum())
            if n_open == 0:
                return up_ok, down_ok, binding
            go_up = open_up & (~open_down | (rng.random(need.size) < 0.5))
            go_down = open_down & ~go_up
            cost = np.where(go_up, -1.0, np.where(go_down, 1.0, 0.0))
            cap = np.where(go_up, up_level, np.inf)
            floor = np.where(go_down, down_level, -np.inf)
            x = solver.solve(cost, cap=cap, floor=floor)
            self.programmes += 1
            take(x)
            left_up, left_down = still_open()
            if n_open - int(left_up.sum() + left_down.sum()) < max(2, n_open // 8):
                break
        # What is still open: one programme each (each solution may certify others too).
        for sense, ok in ((-1.0, up_ok), (1.0, down_ok)):
            for j in np.flatnonzero(need & ~ok & (can_fall if sense > 0 else True)):
                if ok[j] or (not small[j] and (up_ok[j] or down_ok[j])):
                    continue
                cost = np.zeros(need.size)
                cost[j] = sense
                x = solver.solve(cost)
                self.programmes += 1
                reduced = solver.reduced
                if x is not None and not integral(x):
                    x = solver.solve(cost, integer=True)
                    self.programmes += 1
                take(x)
                if not ok[j] and reduced is not None:
                    limits = np.flatnonzero(np.abs(reduced) > TOLERANCE)
                    binding[int(j)] = np.union1d(binding.get(int(j), limits), limits)
        return up_ok, down_ok, binding

    def _repair(
        self,
        failed: np.ndarray,
        binding: dict[int, np.ndarray],
        true: np.ndarray,
        S: np.ndarray,
        present: np.ndarray,
        virtual: np.ndarray,
    ) -> int:
        """Suppress, for every failing count, the cheapest published cell that limits it; how
        many cells were added.

        The cells that limit a count are those whose published bounds are binding in the
        programme that could not move it (non-zero reduced cost): freeing one of them is what
        widens its range. Failing that, the cheapest published cell sharing a relation with it,
        or with a hidden cell next to it.
        """
        C = S.size
        size = true[:C] + true[C:]
        # Zeros are cheap to hide but tell readers nothing when hidden: chosen last.
        cost_of = np.where(size == 0, size.max() + 1, size).astype(np.float64)
        choosable = present & ~virtual
        added = 0
        for j in failed:
            c = int(j) % C
            limits = np.unique(binding.get(int(j), np.zeros(0, dtype=np.intp)) % C)
            limits = limits[choosable[limits] & ~S[limits]]
            best = int(limits[np.argmin(cost_of[limits])]) if limits.size else self._near(
                c, cost_of, choosable & ~S, S | virtual)  # fmt: skip
            if best >= 0 and not S[best]:
                S[best] = True
                added += 1
        return added

    def _near(self, c: int, cost_of: np.ndarray, free: np.ndarray, hidden: np.ndarray) -> int:
        """The cheapest free cell in a relation of ``c``, else of the hidden cells next to it,
        and so on; -1 if every cell connected to ``c`` is hidden or has no row."""
        seen = np.zeros(free.size, dtype=bool)
        seen[c] = True
        frontier = np.array([c])
        while frontier.size:
            rels = np.unique(self.rel_of_cell[frontier].indices)
            members = np.unique(self.cells_of_rel[rels].indices)
            candidates = members[free[members]]
            if candidates.size:
                return int(candidates[np.argmin(cost_of[candidates])])
            frontier = members[hidden[members] & ~seen[members]]
            seen[frontier] = True
        return -1


def _share_denominators(
    audit: _Audit,
    S: np.ndarray,
    true: np.ndarray,
    present: np.ndarray,
    counted: np.ndarray,
    small: np.ndarray,
    virtual: np.ndarray,
    settings: pd.Index,
) -> int:
    """Audit again, knowing what indicators of the same month with the same denominators show.

    Two indicators on one list (RTT within 18 weeks, over 52 weeks) publish the same
    denominators: a row hidden in one may have its denominator shown by the other. Each such
    setting is audited again with those denominators known (its secondary suppression was chosen
    without them) and repaired. Hiding more in one only takes knowledge away from the others,
    so only settings that gained knowledge are audited again; the loop ends because
    suppression only grows. Returns the cells added.
    """
    C = S.shape[1]
    period = np.array([p for _, p in settings], dtype=object)
    key = pd.Series([row.tobytes().hex() for row in true[:, C:]]) + "|" + period
    group = pd.factorize(key)[0]
    if np.unique(group).size == group.size:
        return 0
    done = np.zeros_like(S)  # what each setting was last audited knowing
    added = 0
    for _ in range(S.shape[0] * C):
        shown = present & ~S
        union = np.zeros((group.max() + 1, C), dtype=bool)
        np.logical_or.at(union, group, shown)
        known = union[group] & S  # hidden here, shown by a sibling
        todo = np.flatnonzero((known & ~done).any(axis=1))
        if not todo.size:
            return added
        for t in todo:
            done[t] = known[t]
            added += audit.setting(int(t), true[t], S[t], present[t], counted[t], small[t],
                                   virtual, known_denominators=known[t])  # fmt: skip
    return added


def _round(values: np.ndarray, rule: DisclosureRule) -> np.ndarray:
    return rule.round(np.rint(values))
