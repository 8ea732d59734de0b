"""Population loaders: the real files in ../shared/data (totals from its README) and bad inputs."""

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from focuson.data.reference import (
    CENSUS_2021_GROUPS,
    ReferenceDataError,
    load_census_age_bands,
    load_census_ethnic_group,
    load_mid_year_estimates,
)
from focuson.stats.standard_populations import ESP2013

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
POP = DATA / "population"


@needs_data
def test_single_year_of_age_long_table():
    table = load_mid_year_estimates(POP / "nwl_lsoa11_mye_mid2020_persons_single_year_of_age.csv")
    frame, prov = table.frame, table.provenance
    assert len(frame) == 1153 * 91 and prov.rows == 1153
    assert prov.release == "mid-2020" and prov.lsoa_vintage == 2011
    assert frame["population"].sum() == 2_111_469  # README: the mid-2020 estimate for NWL
    assert set(frame["sex"]) == {"persons"}
    first = frame[frame["lsoa_code"] == "E01000471"]
    # the file's first row: all_ages 1545, age_0 11, ..., age_90_plus 8
    assert first["population"].sum() == 1545
    assert first["population"].iloc[[0, -1]].tolist() == [11, 8]
    assert first["age_band"].iloc[[0, 89, 90]].tolist() == ["0", "89", "90+"]
    assert first["age_end"].isna().tolist() == [False] * 90 + [True]


@needs_data
def test_single_years_regroup_to_esp2013_bands():
    frame = load_mid_year_estimates(
        POP / "nwl_lsoa11_mye_mid2020_persons_single_year_of_age.csv"
    ).frame
    band = np.minimum(frame["age_start"] // 5 * 5, 90)
    weights = ESP2013.weights_for(band)
    assert weights.shape == (len(frame),) and set(np.unique(weights)) <= set(ESP2013.weights)


@needs_data
def test_sex_by_broad_age_matches_the_single_years():
    table = load_mid_year_estimates(POP / "nwl_lsoa11_mye_mid2020_sex_broad_age.csv")
    frame = table.frame
    assert set(frame["sex"]) == {"female", "male"} and len(frame) == 1153 * 2 * 5
    assert frame["population"].sum() == 2_111_469
    row = frame[(frame["lsoa_code"] == "E01000471") & (frame["sex"] == "male")]
    # the file's first row: Males_All-Ages 804, Males_0-15 137 ... Males_65+ 98
    assert row["population"].tolist() == [137, 134, 212, 223, 98]
    assert row["age_band"].tolist() == ["0-15", "16-29", "30-44", "45-64", "65+"]
    assert "MSOA11CD" in table.provenance.notes[-1]


@needs_data
def test_census_age_bands():
    table = load_census_age_bands(POP / "nwl_lsoa21_census2021_usual_residents_by_age6.csv")
    frame = table.frame
    assert len(frame) == 1183 * 6 and table.provenance.release == "Census 2021"
    assert frame["population"].sum() == 2_093_003  # README: NWL sum of the age-band table
    bands = ["0-15", "16-24", "25-34", "35-49", "50-64", "65+"]
    assert frame["age_band"].iloc[:6].tolist() == bands


@needs_data
def test_census_ethnic_group_borough_totals():
    table = load_census_ethnic_group(POP / "nwl_lsoa21_census2021_ethnic_group_5.csv")
    frame = table.frame
    assert len(frame) == 1183 * 5 and table.provenance.lsoa_vintage == 2021
    assert frame["population"].sum() == 2_092_982
    assert list(frame["ethnic_group"].cat.categories) == list(CENSUS_2021_GROUPS)
    # README: per-borough Census 2021 totals
    expected = {
        "Brent": 339_824, "Ealing": 367_130, "Hammersmith and Fulham": 183_161,
        "Harrow": 261_217, "Hillingdon": 305_871, "Hounslow": 288_200,
        "Kensington and Chelsea": 143_365, "Westminster": 204_214,
    }  # fmt: skip
    assert frame.groupby("lad_name")["population"].sum().to_dict() == expected


def test_nomis_bulk_layout_keeps_the_five_groups(tmp_path):
    path = tmp_path / "census2021-ts021-lsoa.csv"
    groups = ",".join(f'"Ethnic group: {g}"' for g in CENSUS_2021_GROUPS)
    path.write_text(
        f"date,geography,geography code,Ethnic group: Total: All usual residents,{groups},"
        '"Ethnic group: White: Irish"\n'
        "2021,Brent 026A,E01000471,1719,939,169,47,400,164,12\n"
    )
    table = load_census_ethnic_group(path)
    assert table.frame["population"].tolist() == [939, 169, 47, 400, 164]
    assert table.frame["lsoa_name"].tolist() == ["Brent 026A"] * 5
    assert "Ethnic group: White: Irish" in table.provenance.notes[-1]


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "lsoa11cd,all_ages,age_0,age_1_plus\nE01000471,10,1,9\nE01000472,10,1,8\n",
            "line 3, column all_ages (persons__total): expected the sum of the 2 age columns, 9,"
            " got '10'",
        ),
        (
            "lsoa11cd,age_0,age_1_plus\nE01000471,1,-9\n",
            "line 2, column age_1_plus (persons__1_plus): expected a whole number >= 0, got '-9'",
        ),
        (
            "lsoa11cd,age_0,age_2_plus\nE01000471,1,9\n",
            "line 1, column age_2_plus: age band 2+ leaves a gap; expected the next band to "
            "start at age 1",
        ),
        (
            "lsoa11cd,age_0,age_1\nE01000471,1,9\n",
            "line 1, column age_1: the last age band ends at 1; expected an open band such as 2+",
        ),
        (
            "LSOA11CD,Persons_0-15,Persons_16+,Males_0-15,Males_16+,Females_0-15,Females_16+\n"
            "E01000471,10,20,5,10,5,11\n",
            "line 2, column Persons_16+ (persons__16_plus): expected males + females = 21",
        ),
        (
            'lsoa11cd,age_0,age_1_plus\nE01000471,1,"1,2,9"\n',
            "column age_1_plus (persons__1_plus): expected a whole number >= 0, got '1,2,9'",
        ),
        (
            "LSOA Code,0,1+\nE01000471,1,9\n",
            "line 1, column 'LSOA Code': the header does not say whether these are LSOA 2011",
        ),
    ],
)
def test_mid_year_estimate_bad_inputs(tmp_path, text, expected):
    path = tmp_path / "mye.csv"
    path.write_text(text)
    with pytest.raises(ReferenceDataError, match=r"^mye\.csv, ") as err:
        load_mid_year_estimates(path)
    assert expected in str(err.value)


def test_lsoa_vintage_can_be_given_when_the_header_does_not_say(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("LSOA Code,0,1+\nE01000471,1,9\n")
    table = load_mid_year_estimates(path, lsoa_vintage=2011, release="mid-2020")
    assert table.provenance.lsoa_vintage == 2011 and table.frame["population"].tolist() == [1, 9]
    (tmp_path / "mye2.csv").write_text("lsoa11cd,0,1+\nE01000471,1,9\n")
    with pytest.raises(ReferenceDataError, match="lsoa_vintage=2021 was given but"):
        load_mid_year_estimates(tmp_path / "mye2.csv", lsoa_vintage=2021)


@pytest.mark.parametrize(
    ("header_total", "row", "expected"),
    [
        (True, "E01000471,1719,939,169,47,400,165", "expected the sum of the 5 ethnic group"),
        (False, "E01000471,939,169,47,400,", "column 'Other ethnic group' (group_4)"),
    ],
)
def test_census_ethnic_group_bad_inputs(tmp_path, header_total, row, expected):
    groups = ",".join(f'"{g}"' for g in CENSUS_2021_GROUPS)
    header = f"lsoa21cd,{'all_usual_residents,' if header_total else ''}{groups}"
    path = tmp_path / "ethnic.csv"
    path.write_text(f"{header}\n{row}\n")
    with pytest.raises(ReferenceDataError, match=r"^ethnic\.csv, line 2, ") as err:
        load_census_ethnic_group(path)
    assert expected in str(err.value)


def test_census_tables_need_lsoa_2021_and_all_five_groups(tmp_path):
    path = tmp_path / "ethnic.csv"
    path.write_text("lsoa11cd,White\nE01000471,400\n")
    with pytest.raises(ReferenceDataError, match="expected LSOA 2021 codes for Census 2021"):
        load_census_ethnic_group(path)
    path.write_text("lsoa21cd,White\nE01000471,400\n")
    with pytest.raises(ReferenceDataError, match=r"missing column\(s\) 'Asian, Asian British"):
        load_census_ethnic_group(path)
    path.write_text("lsoa21cd,Aged 15 years and under,Aged 10 to 24 years\nE01000471,1,2\n")
    with pytest.raises(ReferenceDataError, match="age band 10-24 overlaps the previous band"):
        load_census_age_bands(path)


@given(st.lists(st.tuples(*[st.integers(0, 5000)] * 3), min_size=1, max_size=6))
def test_wide_to_long_keeps_every_count_in_place(rows):
    """Property: the long table holds each (LSOA, band) count of the wide file, LSOA-major."""
    lines = ["lsoa11cd,all_ages,age_0,age_1_4,age_5_plus"]
    codes = [f"E01{i:06d}" for i in range(len(rows))]
    lines += [f"{c},{sum(r)},{r[0]},{r[1]},{r[2]}" for c, r in zip(codes, rows, strict=True)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mye.csv"
        path.write_text("\n".join(lines) + "\n")
        frame = load_mid_year_estimates(path).frame
    assert frame["population"].tolist() == [v for r in rows for v in r]
    assert frame["lsoa_code"].tolist() == [c for c in codes for _ in range(3)]
    assert frame["age_band"].tolist() == ["0", "1-4", "5+"] * len(rows)
