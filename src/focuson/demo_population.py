"""The worked example behind ``focuson demo``: indicator statistics on real North West London data.

It reads two official files in their published formats (as republished in the project's shared
reference folder):

* ONS mid-2020 LSOA population estimates, single year of age (``population/
  nwl_lsoa11_mye_mid2020_persons_single_year_of_age.csv``);
* English Indices of Deprivation 2019 by LSOA 2011 (``imd/imd2019_lsoa11_nwl.csv``).

and computes, for each borough and each national IMD 2019 decile, the share of residents aged 65 and
over with its Wilson 95% interval, then the slope index of inequality across deciles in two
flavours: NHS England's (national ranks, from England's population by decile in the IoD2019
denominators file) and OHID's (local ranks, PHEindicatormethods ``phe_sii``). Deciles with no LSOAs
in a borough come out as NA with a reason rather than stopping the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from focuson.stats import proportion
from focuson.stats.inequality.sii_nhse import sii_nhse
from focuson.stats.inequality.sii_ohid import sii_ohid

POPULATION_FILE = Path("population/nwl_lsoa11_mye_mid2020_persons_single_year_of_age.csv")
IMD_FILE = Path("imd/imd2019_lsoa11_nwl.csv")
ENGLAND_IMD_FILE = Path("imd/imd2019_lsoa11_england.csv.gz")
DECILES = np.arange(1, 11)


class DemoDataError(Exception):
    """The reference data needed by the demo is missing or not in the expected format."""


@dataclass(frozen=True)
class DemoTable:
    """Borough x decile statistics (one row each) and the per-borough SII."""

    by_decile: pd.DataFrame
    by_borough: pd.DataFrame


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise DemoDataError(
            f"{path}: file not found. Point --data at the folder holding the reference data "
            "(the one with imd/ and population/ inside)."
        )
    frame = pd.read_csv(path, dtype={c: str for c in required if c.endswith(("cd", "nm"))})
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DemoDataError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def load_inputs(data_dir: Path) -> pd.DataFrame:
    """LSOA-level population (all ages and 65+) joined to its IMD 2019 decile and borough."""
    age_cols = [f"age_{a}" for a in range(65, 90)] + ["age_90_plus"]
    pop = _read_csv(data_dir / POPULATION_FILE, ["lsoa11cd", "all_ages", *age_cols])
    imd = _read_csv(data_dir / IMD_FILE, ["lsoa11cd", "lad19cd", "lad19nm", "imd_decile"])
    numeric = pop[["all_ages", *age_cols]].apply(pd.to_numeric, errors="coerce")
    bad = numeric.isna().any(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        col = numeric.columns[numeric.iloc[row].isna()][0]
        raise DemoDataError(
            f"{data_dir / POPULATION_FILE}: row {row + 2}, column {col}: expected a whole number"
        )
    lsoa = pd.DataFrame(
        {
            "lsoa11cd": pop["lsoa11cd"],
            "population": numeric["all_ages"],
            "aged_65_plus": numeric[age_cols].sum(axis=1),
        }
    ).merge(imd[["lsoa11cd", "lad19cd", "lad19nm", "imd_decile"]], on="lsoa11cd", how="inner")
    if lsoa.empty:
        raise DemoDataError(
            "the population and IMD files share no LSOA codes; are they both LSOA 2011?"
        )
    return lsoa


def england_decile_population(data_dir: Path) -> np.ndarray:
    """England's population (IoD2019 mid-2015 denominators) in each national IMD decile."""
    england = _read_csv(data_dir / ENGLAND_IMD_FILE, ["imd_decile", "pop_total_mid2015"])
    pop = pd.to_numeric(england["pop_total_mid2015"], errors="coerce")
    by_decile = pop.groupby(england["imd_decile"]).sum().reindex(DECILES)
    if by_decile.isna().any():
        raise DemoDataError(f"{data_dir / ENGLAND_IMD_FILE}: a decile has no population")
    return by_decile.to_numpy(dtype=float)


BOROUGHS = {
    "E09000005": "Brent",
    "E09000009": "Ealing",
    "E09000013": "Hammersmith and Fulham",
    "E09000015": "Harrow",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000020": "Kensington and Chelsea",
    "E09000033": "Westminster",
}


def synthetic_inputs(seed: int = 2026) -> tuple[pd.DataFrame, np.ndarray]:
    """Made-up LSOA-level inputs of the same shape as :func:`load_inputs`, for when no reference
    folder is at hand: eight boroughs of about 150 small areas, each with its own deprivation
    profile, and a share aged 65+ that falls with deprivation. Not real data."""
    rng = np.random.default_rng(seed)
    codes = np.repeat(list(BOROUGHS), 150)
    # Each borough leans towards its own part of the deprivation scale.
    lean = np.repeat(rng.uniform(2.5, 8.5, len(BOROUGHS)), 150)
    decile = np.clip(np.rint(rng.normal(lean, 2.0)), 1, 10).astype(int)
    population = rng.integers(1_200, 2_400, codes.size)
    share_65 = np.clip(0.08 + 0.012 * decile + rng.normal(0, 0.02, codes.size), 0.02, 0.4)
    lsoa = pd.DataFrame(
        {
            "lsoa11cd": [f"SYN{i:06d}" for i in range(codes.size)],
            "population": population,
            "aged_65_plus": rng.binomial(population, share_65),
            "lad19cd": codes,
            "lad19nm": [BOROUGHS[c] for c in codes],
            "imd_decile": decile,
        }
    )
    return lsoa, np.full(DECILES.size, 5_600_000.0)


def compute(data_dir: Path | None) -> DemoTable:
    """Compute the worked example table from the reference data in ``data_dir``.

    ``None`` uses :func:`synthetic_inputs` instead of real data.
    """
    if data_dir is None:
        lsoa, national = synthetic_inputs()
    else:
        lsoa = load_inputs(data_dir)
        national = england_decile_population(data_dir)
    boroughs = lsoa[["lad19cd", "lad19nm"]].drop_duplicates().sort_values("lad19nm")
    # Every borough x decile, including deciles with no LSOAs in the borough (population 0).
    grid = boroughs.merge(pd.DataFrame({"imd_decile": DECILES}), how="cross")
    sums = lsoa.groupby(["lad19cd", "imd_decile"], as_index=False).agg(
        lsoas=("lsoa11cd", "size"),
        population=("population", "sum"),
        aged_65_plus=("aged_65_plus", "sum"),
    )
    table = grid.merge(sums, on=["lad19cd", "imd_decile"], how="left").fillna(
        {"lsoas": 0, "population": 0, "aged_65_plus": 0}
    )
    est = proportion(table["aged_65_plus"], table["population"], multiplier=100)
    table["pct_65_plus"] = est.value
    table["lower95"] = est.lower
    table["upper95"] = est.upper
    # Say why in the user's terms: an empty decile, not a zero denominator.
    table["note"] = np.where(table["lsoas"] == 0, "no LSOAs in this decile", est.reason)

    # Boroughs x deciles matrices (the grid is sorted by borough, then decile 1..10).
    shape = (len(boroughs), DECILES.size)
    value = table["pct_65_plus"].to_numpy().reshape(shape)
    pop = table["population"].to_numpy().reshape(shape)
    lower = table["lower95"].to_numpy().reshape(shape)
    upper = table["upper95"].to_numpy().reshape(shape)
    # flip=True: positive means a higher share among the most deprived (NE&Y convention).
    nhse = sii_nhse(value, pop, national, lower=lower, upper=upper, flip=True, seed=2026)
    ohid = sii_ohid(value, pop, lower=lower, upper=upper, seed=2026)
    summary = boroughs.reset_index(drop=True).assign(
        sii_nhse=nhse.value,
        sii_nhse_lower=nhse.lower,
        sii_nhse_upper=nhse.upper,
        sii_nhse_note=nhse.reason,
        # phe_sii regresses on rank from the most deprived, so its raw sign is least minus most
        # deprived; negate it to present both flavours the same way round.
        sii_ohid=-ohid.value,
        sii_ohid_lower=-ohid.upper,
        sii_ohid_upper=-ohid.lower,
        sii_ohid_note=ohid.reason,
    )
    return DemoTable(by_decile=table, by_borough=summary)
