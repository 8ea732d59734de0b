"""The small areas people live in: real LSOAs from a reference folder, or generated ones.

:func:`load_geography` returns a :class:`Geography`: one row per small area (LSOA 2011) with its
borough, IMD 2019 rank and decile, population (mid-2020, scale 1), single-year age distribution,
female share by broad age band and ethnic mix (5 groups), plus the GP practices of each borough.

* **With a reference folder** (such as the project's shared ``data`` folder) it reads, through
  :mod:`focuson.data.reference`: the IoD2019 file (real LSOA 2011 codes and deciles, required),
  the ONS mid-2020 LSOA estimates by single year of age and by sex and broad age, the Census 2021
  TS021 ethnic groups by LSOA 2021 (carried to LSOA 2011 through the ONS exact-fit lookup: a
  2011 LSOA gets the summed counts of the 2021 LSOAs it maps to), and the ODS list of active
  NWL GP practices (placed in boroughs by postcode district). A missing optional file falls back
  to the built-in borough profile for that part only; ``sources`` says which was used.
* **Without one** it builds each borough from the published borough-level facts in
  :mod:`focuson.data.synthetic.boroughs`: as many small areas as the borough has LSOAs, with
  exactly its count of LSOAs in each IMD 2019 decile, populations that vary around the borough
  mean, the borough's age and sex structure, an ethnic mix tilted with deprivation (more Black
  and Asian residents in more deprived areas, as in NWL) and raked back to the borough's Census
  2021 totals, and generated practices. The generated LSOA codes (``E019xxxxx``) and practice
  codes (``Y9xxxx``) follow the official patterns but are not real codes.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.data.reference import (
    load_census_ethnic_group,
    load_imd,
    load_lsoa11_lsoa21_lookup,
    load_mid_year_estimates,
)
from focuson.data.reference.ethnicity import ASIAN, BLACK, MIXED, OTHER, WHITE
from focuson.data.synthetic._sampling import FloatArray, IntArray
from focuson.data.synthetic.boroughs import BOROUGHS, ETHNIC_GROUPS, SEX_AGE_BANDS

#: Single years of age 0..89 and 90+ (the last).
AGES = 91
IMD_RELEASE = "IoD2019"
LSOA_VINTAGE = 2011
_IMD_LSOAS = 32_844
_CENSUS_GROUPS = (WHITE, MIXED, ASIAN, BLACK, OTHER)
_BOROUGH_INDEX = {b.code: i for i, b in enumerate(BOROUGHS)}
_PEOPLE_PER_PRACTICE = 6_200  # about 2.1 million registered patients over 340 NWL practices

# Reference files, by the names of the shared folder first, then the official file names.
_FILES: dict[str, tuple[str, ...]] = {
    "imd": (
        "imd2019_lsoa11_nwl.csv",
        "imd2019_lsoa11_*.csv*",
        "file_7*iod2019*.csv*",
        "file_2*iod2019*.csv*",
    ),
    "age": ("*lsoa11*single_year_of_age*.csv*",),
    "sex": ("*lsoa11*sex*broad*age*.csv*",),
    "ethnicity": ("*lsoa21*census2021_ethnic_group*.csv*", "*census2021*ts021*.csv*"),
    "lsoa_lookup": ("nwl_lsoa11_lsoa21_lookup.csv", "lsoa11_lsoa21_lad22_lookup_ew.csv*"),
    "practices": ("nwl_icb_qrv_active_gp_practices.csv", "epraccur*.csv*"),
}


@dataclass(frozen=True)
class Geography:
    """Small areas and practices, as arrays (one element per area or per practice).

    Attributes
    ----------
    mode
        ``"reference"`` (real LSOAs from a reference folder) or ``"built-in"``.
    lsoa_code, lsoa_name
        LSOA 2011 codes and names.
    borough
        Index of each area's borough in :data:`~focuson.data.synthetic.boroughs.BOROUGHS`.
    imd_rank, imd_decile
        IMD 2019 national rank (1 = most deprived of 32,844) and decile (1 = most deprived).
    population
        Persons in the area at scale 1 (mid-2020).
    age
        Shape (areas, 91): the share of the area's people at each single year of age 0..90+.
    female_share
        Shape (areas, 5): the share of females in the age bands 0-15, 16-29, 30-44, 45-64, 65+.
    ethnic
        Shape (areas, 5): the share of each of the 5 high-level ethnic groups.
    practice_code, practice_borough, practice_weight
        GP practice ODS codes, their borough and relative list size.
    sources
        What each part was built from: provenance of the reference files read, or
        ``"built-in"``.
    """

    mode: str
    lsoa_code: tuple[str, ...]
    lsoa_name: tuple[str, ...]
    borough: IntArray
    imd_rank: IntArray
    imd_decile: IntArray
    population: FloatArray
    age: FloatArray
    female_share: FloatArray
    ethnic: FloatArray
    practice_code: tuple[str, ...]
    practice_borough: IntArray
    practice_weight: FloatArray
    sources: dict[str, Any] = field(default_factory=dict)

    @property
    def imd_quintile(self) -> IntArray:
        """IMD 2019 quintile, ``ceil(decile / 2)`` (1 = most deprived 20%)."""
        return (self.imd_decile + 1) // 2

    def __len__(self) -> int:
        return len(self.lsoa_code)

    def imd_frame(self) -> pd.DataFrame:
        """The areas as an IoD2019 table in the shared folder's snake_case layout.

        Readable by :func:`focuson.data.reference.load_imd`, so the LSOAs of a synthetic
        population can be joined to their deprivation like real ones.
        """
        return pd.DataFrame(
            {
                "lsoa11cd": list(self.lsoa_code),
                "lsoa11nm": list(self.lsoa_name),
                "lad19cd": [BOROUGHS[b].code for b in self.borough],
                "lad19nm": [BOROUGHS[b].name for b in self.borough],
                "imd_rank": self.imd_rank,
                "imd_decile": self.imd_decile,
                "imd_quintile": self.imd_quintile,
            }
        )


def load_geography(reference_dir: Path | str | None, *, seed: int) -> Geography:
    """Build the small areas from a reference folder, or from the built-in borough profile.

    Parameters
    ----------
    reference_dir
        A folder holding the official files (searched one level of sub-folders deep, by the
        names of the project's shared reference folder or the publishers' file names), or
        ``None`` for the built-in profile.
    seed
        Seeds the generated parts (built-in areas, practice list sizes).

    Returns
    -------
    Geography
        The areas and practices.

    Raises
    ------
    FileNotFoundError
        If ``reference_dir`` does not exist or holds no IoD2019 file.

    Examples
    --------
    >>> geo = load_geography(None, seed=1)
    >>> geo.mode, len(geo), round(float(geo.population.sum()))
    ('built-in', 1153, 2111469)
    >>> np.bincount(geo.imd_decile, minlength=11)[1:].tolist()
    [28, 120, 158, 180, 172, 159, 116, 119, 75, 26]
    """
    rng = np.random.default_rng([seed, 0])
    if reference_dir is None:
        return _built_in(rng)
    return _from_reference(Path(reference_dir), rng)


# -- built-in ---------------------------------------------------------------------------------


def _borough_age(b: int) -> FloatArray:
    bands = np.asarray(BOROUGHS[b].age5_mid2020, dtype=np.float64)
    single = np.repeat(bands[:18] / 5.0, 5)
    return np.append(single, bands[18]) / bands.sum()


def _borough_female(b: int) -> FloatArray:
    f = np.asarray(BOROUGHS[b].females_mid2020, dtype=np.float64)
    m = np.asarray(BOROUGHS[b].males_mid2020, dtype=np.float64)
    return f / (f + m)


def _borough_ethnic(b: int) -> FloatArray:
    e = np.asarray(BOROUGHS[b].census2021_ethnic, dtype=np.float64)
    return e / e.sum()


def _built_in(rng: np.random.Generator) -> Geography:
    borough = np.repeat(np.arange(len(BOROUGHS)), [b.lsoa11 for b in BOROUGHS])
    decile = np.concatenate(
        [rng.permutation(np.repeat(np.arange(1, 11), b.imd2019_deciles)) for b in BOROUGHS]
    )
    rank = np.zeros(len(borough), dtype=np.int64)
    for d in range(1, 11):  # distinct ranks inside each decile's range
        idx = np.flatnonzero(decile == d)
        low = int(np.floor((d - 1) * _IMD_LSOAS / 10)) + 1
        high = int(np.floor(d * _IMD_LSOAS / 10))
        rank[idx] = low + rng.choice(high - low + 1, size=idx.size, replace=False)
    population = np.zeros(len(borough))
    ethnic = np.zeros((len(borough), len(ETHNIC_GROUPS)))
    tilt = np.array([-0.35, 0.05, 0.15, 0.55, 0.20])  # per group, on z in [-1, 1]
    for b, facts in enumerate(BOROUGHS):
        idx = np.flatnonzero(borough == b)
        w = rng.lognormal(0.0, 0.12, idx.size)
        population[idx] = facts.population * w / w.sum()
        target = _borough_ethnic(b)
        z = (5.5 - decile[idx]) / 4.5
        shares = target * np.exp(np.outer(z, tilt))
        shares = rng.gamma(60.0 * shares / shares.sum(axis=1, keepdims=True))
        shares = np.maximum(shares, 1e-6)
        for _ in range(5):  # rake back to the borough's Census 2021 mix
            shares /= shares.sum(axis=1, keepdims=True)
            mix = population[idx] @ shares / population[idx].sum()
            shares *= target / mix
        ethnic[idx] = shares / shares.sum(axis=1, keepdims=True)
    codes = tuple(f"E019{i:05d}" for i in range(1, len(borough) + 1))
    counter = np.zeros(len(BOROUGHS), dtype=np.int64)
    names = []
    for b in borough.tolist():
        counter[b] += 1
        names.append(f"{BOROUGHS[b].name} S{counter[b]:03d}")
    practice_code, practice_borough = _generated_practices()
    return Geography(
        mode="built-in",
        lsoa_code=codes,
        lsoa_name=tuple(names),
        borough=borough,
        imd_rank=rank,
        imd_decile=decile,
        population=population,
        age=np.stack([_borough_age(b) for b in borough.tolist()]),
        female_share=np.stack([_borough_female(b) for b in borough.tolist()]),
        ethnic=ethnic,
        practice_code=practice_code,
        practice_borough=practice_borough,
        practice_weight=rng.gamma(2.0, 1.0, len(practice_code)),
        sources={
            "areas": "built-in: generated small areas from borough-level facts "
            "(focuson.data.synthetic.boroughs)",
            "imd": "built-in: generated LSOAs with each borough's IoD2019 decile counts",
            "age": "built-in: ONS mid-2020 borough 5-year age bands",
            "sex": "built-in: ONS mid-2020 borough sex by broad age band",
            "ethnicity": "built-in: Census 2021 TS021 borough totals, tilted with deprivation",
            "practices": "built-in: generated practice codes (Y9xxxx)",
        },
    )


def _generated_practices() -> tuple[tuple[str, ...], IntArray]:
    counts = [max(1, round(b.population / _PEOPLE_PER_PRACTICE)) for b in BOROUGHS]
    borough = np.repeat(np.arange(len(BOROUGHS)), counts)
    return tuple(f"Y9{i:04d}" for i in range(1, len(borough) + 1)), borough


# -- from a reference folder ----------------------------------------------------------------


def _find(root: Path, key: str) -> Path | None:
    files = sorted(
        [p for p in root.iterdir() if p.is_file()]
        + [p for d in sorted(root.iterdir()) if d.is_dir() for p in d.iterdir() if p.is_file()]
    )
    for pattern in _FILES[key]:
        hits = [p for p in files if fnmatch.fnmatch(p.name.lower(), pattern)]
        if hits:
            return hits[0]
    return None


def _from_reference(root: Path, rng: np.random.Generator) -> Geography:
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: reference folder not found")
    imd_path = _find(root, "imd")
    if imd_path is None:
        raise FileNotFoundError(
            f"{root}: no English Indices of Deprivation 2019 file (LSOA 2011); expected a file "
            "named like imd2019_lsoa11_nwl.csv or MHCLG's File_7/File_2 ...IoD2019....csv, here "
            "or in a sub-folder. Or generate without a reference folder (built-in profile)"
        )
    imd = load_imd(imd_path, release=IMD_RELEASE)
    frame = imd.frame[imd.frame["lad_code"].isin(list(_BOROUGH_INDEX))]
    frame = frame.sort_values(["lad_code", "lsoa_code"]).reset_index(drop=True)
    missing = sorted(set(_BOROUGH_INDEX) - set(frame["lad_code"]))
    if missing:
        raise FileNotFoundError(
            f"{imd_path}: no LSOAs of {', '.join(missing)}; expected the 8 NWL boroughs"
        )
    codes = tuple(frame["lsoa_code"].astype(str))
    borough = frame["lad_code"].map(_BOROUGH_INDEX).to_numpy(np.int64)
    sources: dict[str, Any] = {"areas": "reference", "imd": imd.provenance.as_dict()}
    population, age = _reference_age(root, codes, borough, frame, sources)
    female = _reference_sex(root, codes, borough, sources)
    ethnic = _reference_ethnic(root, codes, borough, sources)
    practice_code, practice_borough = _reference_practices(root, sources)
    names = frame["lsoa_name"] if "lsoa_name" in frame else frame["lsoa_code"]
    return Geography(
        mode="reference",
        lsoa_code=codes,
        lsoa_name=tuple(names.astype(str)),
        borough=borough,
        imd_rank=frame["imd_rank"].to_numpy(np.int64),
        imd_decile=frame["imd_decile"].to_numpy(np.int64),
        population=population,
        age=age,
        female_share=female,
        ethnic=ethnic,
        practice_code=practice_code,
        practice_borough=practice_borough,
        practice_weight=rng.gamma(2.0, 1.0, len(practice_code)),
        sources=sources,
    )


def _reference_age(
    root: Path,
    codes: tuple[str, ...],
    borough: IntArray,
    imd: pd.DataFrame,
    sources: dict[str, Any],
) -> tuple[FloatArray, FloatArray]:
    fallback = np.stack([_borough_age(b) for b in borough.tolist()])
    path = _find(root, "age")
    if path is None:
        sources["age"] = "built-in: ONS mid-2020 borough 5-year age bands"
        if "pop_total_mid2015" in imd:
            sources["population"] = "IoD2019 population denominators (mid-2015)"
            return imd["pop_total_mid2015"].to_numpy(np.float64), fallback
        sources["population"] = "built-in: borough mid-2020 totals spread evenly"
        sizes = np.array([BOROUGHS[b].population / BOROUGHS[b].lsoa11 for b in borough])
        return sizes, fallback
    table = load_mid_year_estimates(path, lsoa_vintage=LSOA_VINTAGE)
    f = table.frame
    f = f[(f["sex"] == "persons") & f["lsoa_code"].isin(codes)]
    start = np.minimum(f["age_start"].to_numpy(np.int64), AGES - 1)
    counts = (
        pd.DataFrame({"lsoa": f["lsoa_code"].to_numpy(), "age": start, "n": f["population"]})
        .pivot_table(index="lsoa", columns="age", values="n", aggfunc="sum", fill_value=0)
        .reindex(index=list(codes), columns=range(AGES), fill_value=0)
        .to_numpy(np.float64)
    )
    totals = counts.sum(axis=1)
    found = totals > 0
    age = np.where(found[:, None], counts / np.maximum(totals, 1)[:, None], fallback)
    sizes = np.where(found, totals, [BOROUGHS[b].population / BOROUGHS[b].lsoa11 for b in borough])
    sources["age"] = table.provenance.as_dict()
    sources["population"] = "the same ONS mid-2020 file"
    return sizes, age


def _reference_sex(
    root: Path, codes: tuple[str, ...], borough: IntArray, sources: dict[str, Any]
) -> FloatArray:
    fallback = np.stack([_borough_female(b) for b in borough.tolist()])
    path = _find(root, "sex")
    if path is None:
        sources["sex"] = "built-in: ONS mid-2020 borough sex by broad age band"
        return fallback
    table = load_mid_year_estimates(path, lsoa_vintage=LSOA_VINTAGE)
    f = table.frame[table.frame["sex"].isin(["male", "female"])]
    band = np.searchsorted(np.asarray(SEX_AGE_BANDS), f["age_start"].to_numpy(), side="right") - 1
    wide = (
        pd.DataFrame({"lsoa": f["lsoa_code"].to_numpy(), "band": band, "sex": f["sex"].to_numpy()})
        .assign(n=f["population"].to_numpy(np.float64))
        .pivot_table(index="lsoa", columns=["sex", "band"], values="n", aggfunc="sum")
    )
    bands = range(len(SEX_AGE_BANDS))
    fem = wide.reindex(columns=[("female", b) for b in bands]).reindex(list(codes)).to_numpy()
    mal = wide.reindex(columns=[("male", b) for b in bands]).reindex(list(codes)).to_numpy()
    total = fem + mal
    ok = np.isfinite(total) & (total > 0)
    share = np.where(ok, fem / np.where(ok, total, 1.0), fallback)
    sources["sex"] = table.provenance.as_dict()
    return share


def _reference_ethnic(
    root: Path, codes: tuple[str, ...], borough: IntArray, sources: dict[str, Any]
) -> FloatArray:
    fallback = np.stack([_borough_ethnic(b) for b in borough.tolist()])
    path, lookup_path = _find(root, "ethnicity"), _find(root, "lsoa_lookup")
    if path is None or lookup_path is None:
        sources["ethnicity"] = "built-in: Census 2021 TS021 borough totals"
        return fallback
    eth = load_census_ethnic_group(path)
    lookup = load_lsoa11_lsoa21_lookup(lookup_path)
    pairs = lookup.frame[lookup.frame["lsoa11_code"].isin(codes)][["lsoa11_code", "lsoa21_code"]]
    counts = eth.frame[["lsoa_code", "ethnic_group", "population"]].rename(
        columns={"lsoa_code": "lsoa21_code"}
    )
    wide = (
        pairs.merge(counts, on="lsoa21_code")
        .pivot_table(
            index="lsoa11_code",
            columns="ethnic_group",
            values="population",
            aggfunc="sum",
            observed=True,
        )
        .reindex(index=list(codes), columns=list(_CENSUS_GROUPS))
        .to_numpy(np.float64)
    )
    total = np.nansum(wide, axis=1)
    ok = total > 0
    share = np.where(ok[:, None], np.nan_to_num(wide) / np.maximum(total, 1)[:, None], fallback)
    sources["ethnicity"] = {
        "census": eth.provenance.as_dict(),
        "lsoa11_to_lsoa21": lookup.provenance.as_dict(),
        "lsoas_without_census_counts": int((~ok).sum()),
    }
    return share


def _reference_practices(root: Path, sources: dict[str, Any]) -> tuple[tuple[str, ...], IntArray]:
    path = _find(root, "practices")
    district_to_borough = {d: i for i, b in enumerate(BOROUGHS) for d in b.postcode_districts}
    if path is not None:
        if path.name.lower().startswith("epraccur"):  # the ODS file as published: no header
            raw = pd.read_csv(path, header=None, dtype=str, usecols=[0, 3, 9, 12, 25])
            raw.columns = pd.Index(["code", "icb", "postcode", "status", "setting"])
            raw = raw[(raw["icb"] == "QRV") & (raw["status"] == "A") & (raw["setting"] == "4")]
        else:
            raw = pd.read_csv(path, dtype=str, usecols=["organisation_code", "postcode"])
            raw.columns = pd.Index(["code", "postcode"])
        district = raw["postcode"].fillna("").str.split().str[0].str.upper()
        borough = district.map(district_to_borough)
        kept = raw[borough.notna()]
        b = borough[borough.notna()].to_numpy(np.int64)
        if len(set(b.tolist())) == len(BOROUGHS):
            order = np.lexsort((kept["code"].to_numpy(), b))
            sources["practices"] = {
                "file": str(path.resolve()),
                "practices": len(kept),
                "not_placed_in_a_borough": int(len(raw) - len(kept)),
                "placed_by": "postcode district (focuson.data.synthetic.boroughs)",
            }
            return tuple(kept["code"].to_numpy()[order]), b[order]
    sources["practices"] = "built-in: generated practice codes (Y9xxxx)"
    return _generated_practices()
