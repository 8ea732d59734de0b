"""An information-governance reviewer attacks what Find publishes (issue 11, done when).

The attacker holds every published row of a small synthetic run, where small numbers abound, and:

1. **inverts the statistics**: every published value and interval must be the statistic of the
   published (rounded) counts, so none pins a true count inside its rounding interval;
2. **solves every relation of every indicator x month together** (integer programmes over the
   rounding intervals, non-negativity, numerator <= denominator, every nested and crossed
   breakdown): no primary-suppressed count (1-7) may be narrowed, no suppressed count pinned.

On the code before issue 11 both fail: values were computed from the true counts, and about one
suppressed count in 300 could be narrowed by chains of relations and rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from focuson.data.synthetic import generate
from focuson.engine import indicators_frame, load_default_catalogue
from focuson.find import find
from focuson.find.attack import COLUMNS, System, integral, locate
from focuson.find.publish import totals
from focuson.runs.find import count, read_inputs
from focuson.stats import NHS_RULE, proportion

pytestmark = pytest.mark.xdist_group("attacker")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three months of a synthetic North West London of about 4,000 people: every indicator x
    month of it is attacked."""
    folder = tmp_path_factory.mktemp("attacker")
    generate(folder, scale=0.002, seed=11, months=3)
    aggregates, _, _ = count(read_inputs(folder, None, None), say=lambda _text: None)
    indicators = indicators_frame(load_default_catalogue())
    return aggregates, find(aggregates, indicators, sii_repetitions=50).findings


def test_published_values_are_the_statistic_of_the_published_counts(run):
    _, f = run
    rows = f.loc[(f["statistic"] == "proportion") & ~f["suppressed"]]
    assert len(rows) > 100
    again = proportion(rows["numerator"], rows["denominator"], multiplier=100)
    np.testing.assert_allclose(rows["value"], again.value, rtol=1e-12)
    np.testing.assert_allclose(rows["lower"], again.lower, rtol=1e-12)
    np.testing.assert_allclose(rows["upper"], again.upper, rtol=1e-12)
    # People affected follow the rule of counts: none of 1-7, the rest multiples of 5.
    for column in ("excess", "people_to_standard"):
        people = f[column].dropna().to_numpy()
        assert not ((people >= 1) & (people <= 7)).any(), column
        assert (people % 5 == 0).all(), column


def test_no_suppressed_count_is_pinned_or_narrowed_by_all_relations_together(run):
    aggregates, f = run
    system = System.from_published(f)
    true = totals(aggregates).set_index(["indicator", "period", "dimension", "group"])
    keys = pd.MultiIndex.from_frame(f[["indicator", "period", "dimension", "group"]])
    codes, cells, _ = locate(f, system.relations)
    hidden = f["suppressed"].to_numpy()
    assert hidden.mean() > 0.2, "the run should be small enough for small numbers to abound"
    C = system.n_cells
    shared = _share_denominators(system, codes, cells, true.loc[keys, "denominator"].to_numpy())
    assert shared > 0, "indicators on one list (RTT, A&E) should tell each other's denominators"
    checked = {"primary": 0, "other": 0}
    failures = []
    for t in np.unique(codes[hidden]):
        rows = np.flatnonzero(hidden & (codes == t))
        solver = system.solver(int(t))
        for k, column in enumerate(COLUMNS):
            values = true.loc[keys[rows], column].to_numpy()
            for row, value in zip(rows, values, strict=True):
                j = k * C + cells[row]
                lo = _extreme(solver, j, 1.0)
                hi = _extreme(solver, j, -1.0)
                if NHS_RULE.suppresses(value):
                    checked["primary"] += 1
                    if lo > NHS_RULE.suppress_from or hi < NHS_RULE.suppress_to:
                        failures.append((tuple(keys[row]), column, value, lo, hi))
                else:
                    checked["other"] += 1
                    if hi - lo < 1:
                        failures.append((tuple(keys[row]), column, value, lo, hi))
    assert checked["primary"] > 200 and checked["other"] > 50
    assert not failures, failures[:5]


def _share_denominators(
    system: System, codes: np.ndarray, cells: np.ndarray, denominators: np.ndarray
) -> int:
    """What indicators of one month that count the same people (the same denominator in every
    cell) tell of each other: each denominator is known as tightly as any of them shows it.
    Returns how many hidden denominators become known this way."""
    C = system.n_cells
    d = np.full((len(system.settings), C), np.nan)
    d[codes, cells] = denominators
    key = pd.Series([row.tobytes().hex() for row in np.nan_to_num(d, nan=-1.0)])
    group = pd.factorize(key + "|" + system.settings["period"].astype(str))[0]
    lower = pd.DataFrame(system.lower[:, C:]).groupby(group).transform("max").to_numpy()
    upper = pd.DataFrame(system.upper[:, C:]).groupby(group).transform("min").to_numpy()
    gained = int(((upper - lower) < (system.upper[:, C:] - system.lower[:, C:])).sum())
    system.lower[:, C:], system.upper[:, C:] = lower, upper
    return gained


def _extreme(solver, j: int, sense: float) -> float:
    """The attacker's bound: the linear programme, or the integer one when it is fractional."""
    cost = np.zeros(solver.n)
    cost[j] = sense
    x = solver.solve(cost)
    assert x is not None, "the published counts must fit some table (the true one)"
    if not integral(x):
        x = solver.solve(cost, integer=True)
        assert x is not None
    return float(round(x[j]))
