"""Small areas: built-in borough facts, generated areas, real LSOAs from the reference folder.

The built-in facts are recomputed from the official files in ../shared/data when present, so a
typo in the table cannot hide. Known values: 1,153 LSOA 2011 and 2,111,469 people at mid-2020 in
the 8 boroughs (shared/data/README.md); E01000471 (Brent 026A) is in IMD 2019 decile 5.
"""

import math
from pathlib import Path

import numpy as np
import pytest

from focuson.data.reference import (
    load_census_ethnic_group,
    load_imd,
    load_mid_year_estimates,
)
from focuson.data.reference.ethnicity import ASIAN, BLACK, MIXED, OTHER, WHITE
from focuson.data.synthetic import BOROUGHS, load_geography
from focuson.data.synthetic.boroughs import ETHNIC_GROUPS
from focuson.data.synthetic.geography import AGES

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
N_LSOA11 = 1_153
PEOPLE_MID2020 = 2_111_469
IMD_LSOAS = 32_844


@pytest.fixture(scope="module")
def built_in():
    return load_geography(None, seed=3)


@pytest.fixture(scope="module")
def real():
    if not DATA.is_dir():
        pytest.skip(f"the shared reference data folder {DATA} is absent")
    return load_geography(DATA, seed=3)


def test_borough_facts_add_up_to_the_published_totals():
    assert [b.name for b in BOROUGHS] == [
        "Brent",
        "Ealing",
        "Hammersmith and Fulham",
        "Harrow",
        "Hillingdon",
        "Hounslow",
        "Kensington and Chelsea",
        "Westminster",
    ]
    assert sum(b.lsoa11 for b in BOROUGHS) == N_LSOA11
    assert sum(b.population for b in BOROUGHS) == PEOPLE_MID2020
    assert sum(sum(b.census2021_ethnic) for b in BOROUGHS) == 2_092_982  # Census 2021 TS021
    for b in BOROUGHS:
        assert sum(b.imd2019_deciles) == b.lsoa11
        assert sum(b.females_mid2020) + sum(b.males_mid2020) == b.population
        assert len(b.age5_mid2020) == 19


def test_postcode_districts_belong_to_one_borough_each():
    districts = [d for b in BOROUGHS for d in b.postcode_districts]
    assert len(districts) == len(set(districts))


@needs_data
def test_borough_facts_match_the_official_files():
    imd = load_imd(DATA / "imd" / "imd2019_lsoa11_nwl.csv").frame
    sya = load_mid_year_estimates(
        DATA / "population" / "nwl_lsoa11_mye_mid2020_persons_single_year_of_age.csv"
    ).frame
    sex = load_mid_year_estimates(
        DATA / "population" / "nwl_lsoa11_mye_mid2020_sex_broad_age.csv"
    ).frame
    eth = load_census_ethnic_group(
        DATA / "population" / "nwl_lsoa21_census2021_ethnic_group_5.csv"
    ).frame
    labels = dict(zip(ETHNIC_GROUPS, (WHITE, MIXED, ASIAN, BLACK, OTHER), strict=True))
    for b in BOROUGHS:
        mine = imd[imd["lad_code"] == b.code]
        assert len(mine) == b.lsoa11, b.name
        assert np.bincount(mine["imd_decile"], minlength=11)[1:].tolist() == list(b.imd2019_deciles)
        ages = sya[sya["lad_code"] == b.code]
        bands = np.minimum(ages["age_start"].to_numpy() // 5, 18)
        assert np.bincount(bands, weights=ages["population"], minlength=19).tolist() == list(
            b.age5_mid2020
        )
        s = sex[sex["lad_code"] == b.code]
        for who, facts in (("female", b.females_mid2020), ("male", b.males_mid2020)):
            got = s[s["sex"] == who].groupby("age_start")["population"].sum().tolist()
            assert got == list(facts), (b.name, who)
        e = eth[eth["lad_code"] == b.code].groupby("ethnic_group", observed=True)["population"]
        totals = e.sum()
        for i, group in enumerate(ETHNIC_GROUPS):
            assert totals[labels[group]] == b.census2021_ethnic[i], (b.name, group)


def test_built_in_areas_keep_each_boroughs_facts(built_in):
    geo = built_in
    assert geo.mode == "built-in" and len(geo) == N_LSOA11
    assert len(set(geo.lsoa_code)) == N_LSOA11
    assert all(c.startswith("E019") and len(c) == 9 for c in geo.lsoa_code)
    assert math.isclose(geo.population.sum(), PEOPLE_MID2020)
    np.testing.assert_allclose(geo.age.sum(axis=1), 1.0)
    np.testing.assert_allclose(geo.ethnic.sum(axis=1), 1.0)
    for i, b in enumerate(BOROUGHS):
        mine = geo.borough == i
        assert np.bincount(geo.imd_decile[mine], minlength=11)[1:].tolist() == list(
            b.imd2019_deciles
        )
        assert math.isclose(geo.population[mine].sum(), b.population)
        mix = geo.population[mine] @ geo.ethnic[mine] / geo.population[mine].sum()
        census = np.asarray(b.census2021_ethnic) / sum(b.census2021_ethnic)
        np.testing.assert_allclose(mix, census, atol=0.003)
    # Distinct ranks, each in its decile: decile = ceil(10 x rank / 32,844).
    assert len(set(geo.imd_rank.tolist())) == N_LSOA11
    np.testing.assert_array_equal(np.ceil(10 * geo.imd_rank / IMD_LSOAS), geo.imd_decile)


def test_built_in_areas_are_more_black_and_asian_where_more_deprived(built_in):
    geo = built_in
    black = ETHNIC_GROUPS.index("Black")
    deprived = geo.imd_decile <= 3
    assert geo.ethnic[deprived, black].mean() > geo.ethnic[~deprived, black].mean()


def test_built_in_imd_file_reads_as_iod2019(built_in, tmp_path):
    path = tmp_path / "imd.csv"
    built_in.imd_frame().to_csv(path, index=False)
    table = load_imd(path)
    assert table.provenance.release == "IoD2019" and table.provenance.lsoa_vintage == 2011
    assert len(table) == N_LSOA11


def test_built_in_practices_cover_every_borough(built_in):
    counts = np.bincount(built_in.practice_borough, minlength=len(BOROUGHS))
    assert (counts > 0).all() and 300 < counts.sum() < 400
    assert all(c.startswith("Y9") and len(c) == 6 for c in built_in.practice_code)


def test_the_same_seed_gives_the_same_areas():
    a, b = load_geography(None, seed=9), load_geography(None, seed=9)
    np.testing.assert_array_equal(a.imd_rank, b.imd_rank)
    np.testing.assert_array_equal(a.ethnic, b.ethnic)


def test_real_areas_are_the_nwl_lsoas_with_their_deciles(real):
    geo = real
    assert geo.mode == "reference" and len(geo) == N_LSOA11
    assert geo.imd_decile[geo.lsoa_code.index("E01000471")] == 5
    assert math.isclose(geo.population.sum(), PEOPLE_MID2020)
    np.testing.assert_allclose(geo.age.sum(axis=1), 1.0)
    np.testing.assert_allclose(geo.ethnic.sum(axis=1), 1.0)
    assert ((geo.female_share >= 0) & (geo.female_share <= 1)).all()
    assert 0.48 < float(np.median(geo.female_share)) < 0.52
    assert geo.sources["imd"]["release"] == "IoD2019"
    assert geo.sources["ethnicity"]["lsoas_without_census_counts"] == 0
    # 340 active NWL practices; one has a postcode outside London (B9) and is not placed.
    assert len(geo.practice_code) == 339
    assert geo.sources["practices"]["not_placed_in_a_borough"] == 1
    assert (np.bincount(geo.practice_borough, minlength=len(BOROUGHS)) > 0).all()


def test_real_areas_ethnic_mix_matches_census_by_borough(real):
    for i, b in enumerate(BOROUGHS):
        mine = real.borough == i
        mix = real.population[mine] @ real.ethnic[mine] / real.population[mine].sum()
        census = np.asarray(b.census2021_ethnic) / sum(b.census2021_ethnic)
        np.testing.assert_allclose(mix, census, atol=0.02)


@needs_data
def test_reference_folder_with_only_imd_falls_back_to_built_in_parts(tmp_path):
    (tmp_path / "imd").mkdir()
    (tmp_path / "imd" / "imd2019_lsoa11_nwl.csv").symlink_to(
        (DATA / "imd" / "imd2019_lsoa11_nwl.csv").resolve()
    )
    geo = load_geography(tmp_path, seed=1)
    assert geo.mode == "reference" and len(geo) == N_LSOA11
    for part in ("age", "sex", "ethnicity", "practices"):
        assert str(geo.sources[part]).startswith("built-in"), part
    assert "denominators" in geo.sources["population"]
    assert geo.age.shape == (N_LSOA11, AGES)
