"""The synthetic half of ``focuson demo``: generate, validate, aggregate in the engine, publish.

Generates a small synthetic North West London (seconds), loads it through the table contracts
into DuckDB (every check runs), then computes the share of referral-to-treatment (RTT) pathways
treated within 18 weeks by IMD 2019 quintile for each borough. The counts are aggregated inside
DuckDB, pass NHS disclosure control (1-7 suppressed, others rounded to 5) and only then reach the
statistics: percentages with Wilson intervals from the rounded counts, and the NHS England
(national-rank) slope index of inequality across quintiles, which copes with a borough that has no
LSOA in a quintile. No patient-level row leaves the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from focuson.data.contracts import LoadedDataset, load_dataset
from focuson.data.synthetic import SyntheticSummary, generate
from focuson.stats import disclose_counts, proportion
from focuson.stats.inequality.sii_nhse import sii_nhse

#: 18 weeks, the RTT constitutional standard's clock.
EIGHTEEN_WEEKS = 126
QUINTILES = np.arange(1, 6)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class WaitsDemo:
    """What the synthetic demo made and found."""

    synthetic: SyntheticSummary
    rows_loaded: int
    tables_loaded: int
    by_quintile: pd.DataFrame
    by_borough: pd.DataFrame


def run(
    out_dir: Path,
    *,
    scale: float = 0.05,
    reference_dir: Path | None = None,
    national_quintile_population: np.ndarray | None = None,
    progress: Progress | None = None,
) -> WaitsDemo:
    """Generate, load and analyse a synthetic population in ``out_dir``.

    ``national_quintile_population`` gives England's population by IMD quintile for the
    national ranks; without it each quintile is taken as a fifth of England (true of LSOAs by
    construction, and of population to within a few per cent).
    """
    synthetic = generate(out_dir, scale=scale, reference_dir=reference_dir, progress=progress)
    with load_dataset(synthetic.mapping) as loaded:
        by_quintile = _aggregate(loaded, synthetic)
        rows = int(sum(loaded.row_counts.values()))
        tables = len(loaded.tables)
    return WaitsDemo(
        synthetic=synthetic,
        rows_loaded=rows,
        tables_loaded=tables,
        by_quintile=by_quintile,
        by_borough=_sii_by_borough(
            by_quintile,
            np.full(QUINTILES.size, 1.0)
            if national_quintile_population is None
            else national_quintile_population,
        ),
    )


def _aggregate(loaded: LoadedDataset, synthetic: SyntheticSummary) -> pd.DataFrame:
    """Borough x quintile counts, computed in DuckDB, then disclosure control and Wilson CIs."""
    last_start = loaded.as_of - timedelta(days=EIGHTEEN_WEEKS)
    counts = loaded.connection.execute(
        f"""
        SELECT i.lad19nm AS borough, i.imd_quintile AS quintile,
               count(*) AS pathways,
               count(*) FILTER (
                   WHERE r.clock_stop IS NOT NULL
                     AND date_diff('day', r.clock_start, r.clock_stop) <= {EIGHTEEN_WEEKS}
               ) AS within_18_weeks
        FROM rtt_pathways r
        JOIN persons p USING (person_id)
        JOIN read_csv(?) i ON i.lsoa11cd = p.lsoa
        WHERE r.clock_start >= ? AND r.clock_start <= ?
        GROUP BY ALL
        """,
        [str(synthetic.imd_file), synthetic.start, last_start],
    ).df()
    boroughs = sorted(counts["borough"].unique())
    grid = pd.MultiIndex.from_product([boroughs, QUINTILES], names=["borough", "quintile"])
    table = (
        counts.set_index(["borough", "quintile"])
        .reindex(grid, fill_value=0)
        .reset_index()
        .astype({"pathways": float, "within_18_weeks": float})
    )
    # Disclosure control before anything leaves: publish rounded counts, compute from them.
    table["pathways_published"] = disclose_counts(table["pathways"]).value
    table["within_published"] = disclose_counts(table["within_18_weeks"]).value
    est = proportion(table["within_published"], table["pathways_published"], multiplier=100)
    table["pct_within_18_weeks"] = est.value
    table["lower95"] = est.lower
    table["upper95"] = est.upper
    table["note"] = np.where(
        np.isnan(table["pathways_published"]) | np.isnan(table["within_published"]),
        "suppressed (fewer than 8)",
        est.reason,
    )
    return table.drop(columns=["pathways", "within_18_weeks"])


def _sii_by_borough(table: pd.DataFrame, national: np.ndarray) -> pd.DataFrame:
    shape = (table["borough"].nunique(), QUINTILES.size)
    value = table["pct_within_18_weeks"].to_numpy().reshape(shape)
    pop = np.nan_to_num(table["pathways_published"].to_numpy()).reshape(shape)
    lower = table["lower95"].to_numpy().reshape(shape)
    upper = table["upper95"].to_numpy().reshape(shape)
    # flip=False: the raw slope from the most to the least deprived end. For this favourable
    # indicator, positive means the least deprived are treated within 18 weeks more often.
    sii = sii_nhse(value, pop, national, lower=lower, upper=upper, flip=False, seed=2026)
    return pd.DataFrame(
        {
            "borough": table["borough"].to_numpy().reshape(shape)[:, 0],
            "q1": value[:, 0],
            "q1_lower": lower[:, 0],
            "q1_upper": upper[:, 0],
            "q5": value[:, -1],
            "q5_lower": lower[:, -1],
            "q5_upper": upper[:, -1],
            "sii": sii.value,
            "sii_lower": sii.lower,
            "sii_upper": sii.upper,
            "note": sii.reason,
        }
    )
