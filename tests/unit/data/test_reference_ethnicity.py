"""NHS ethnic category codes and roll-ups: the real files in ../shared/data/nhs and bad inputs."""

from pathlib import Path

import pandas as pd
import pytest

from focuson.data.reference import (
    CENSUS_2021_GROUPS,
    GROUPS_6,
    NOT_STATED,
    ReferenceDataError,
    load_nhs_ethnic_categories,
    load_pre_2003_ethnic_codes,
    load_snomed_ethnic_codes,
    roll_up_ethnic_category,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
NHS = DATA / "nhs"


@needs_data
def test_nhs_codes_roll_up_to_5_and_6_groups():
    table = load_nhs_ethnic_categories(NHS / "nhs_ethnic_category_codes.csv")
    frame = table.frame.set_index("code")
    assert len(frame) == 21 and table.provenance.lsoa_vintage is None
    assert frame.loc["R", "group_5"] == "Asian, Asian British or Asian Welsh"  # Chinese
    assert frame.loc[["Z", "99", "X"], "group_6"].tolist() == [NOT_STATED] * 3
    assert frame.loc[["Z", "99", "X"], "group_5"].isna().all()
    # README: T, W and X are not among the standard NHS codes
    assert sorted(frame.index[~frame["nhs_standard"]]) == ["T", "W", "X"]
    assert set(frame["group_6"]) == set(GROUPS_6)
    # the 5 groups are exactly the Census 2021 TS021 labels used by the Census file's header
    census_file = DATA / "population" / "nwl_lsoa21_census2021_ethnic_group_5.csv"
    census = census_file.read_text().splitlines()[0]
    assert all(f"{g}" in census for g in CENSUS_2021_GROUPS)


@needs_data
def test_pre_2003_and_snomed_maps():
    pre = load_pre_2003_ethnic_codes(NHS / "ethnicity_categories_pre_2003.csv").frame
    assert len(pre) == 10 and pre.set_index("code").loc["7", "ethnic_category"] == "R"
    snomed = load_snomed_ethnic_codes(NHS / "ethnicity_categories_snomed_mapping.csv").frame
    assert len(snomed) == 489 and snomed["snomed_code"].is_unique
    row = snomed.set_index("snomed_code").loc["92571000000102"]  # Cornish -> A (file's line 3)
    assert row["ethnic_category"] == "A"


@needs_data
def test_roll_up_patient_codes():
    codes = load_nhs_ethnic_categories(NHS / "nhs_ethnic_category_codes.csv")
    pre = load_pre_2003_ethnic_codes(NHS / "ethnicity_categories_pre_2003.csv")
    records = pd.Series([" a", "N", "7", "99", "9", "junk", None], index=list("abcdefg"))
    six = roll_up_ethnic_category(records, codes, pre_2003=pre)
    assert list(six.index) == list("abcdefg") and six.cat.ordered
    assert six.tolist()[:5] == [
        "White",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Asian, Asian British or Asian Welsh",
        NOT_STATED,
        NOT_STATED,  # pre-2003 9 "Not given" -> Z
    ]
    assert six.isna().tolist() == [False] * 5 + [True, True]
    five = roll_up_ethnic_category(records, codes, groups=5)
    assert five.isna().tolist() == [False, False, True, True, True, True, True]
    with pytest.raises(ValueError, match="groups: expected 5 or 6, got 7"):
        roll_up_ethnic_category(records, codes, groups=7)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "A,British,White\nR,Chinese,Other ethnic group\n",
            "line 3, column ethnic_broad_group (source_group): expected the Census 2021 group "
            "Asian, Asian British or Asian Welsh for NHS code R, got 'Other ethnic group'",
        ),
        (
            "A,British,Whyte\n",
            "line 2, column ethnic_broad_group (source_group): expected a Census 2021 high-level",
        ),
        ("A,British,White\nA,Irish,White\n", "line 3, column code: 'A' appears again"),
        ("AB,British,White\n", "line 2, column code: expected an NHS ethnic category code"),
        ("A,,White\n", "line 2, column description: expected a value, got an empty cell"),
    ],
)
def test_nhs_code_list_bad_inputs(tmp_path, rows, expected):
    path = tmp_path / "codes.csv"
    path.write_text("code,description,ethnic_broad_group\n" + rows)
    with pytest.raises(ReferenceDataError, match=r"^codes\.csv, ") as err:
        load_nhs_ethnic_categories(path)
    assert expected in str(err.value)


def test_code_maps_bad_inputs(tmp_path):
    path = tmp_path / "pre.csv"
    path.write_text("code,description,ethnic_category\n10,White,A\n")
    with pytest.raises(ReferenceDataError, match="line 2, column code: expected a pre-2003 code"):
        load_pre_2003_ethnic_codes(path)
    path.write_text("code,ethnic_category\n1,A\n")
    with pytest.raises(ReferenceDataError, match=r"line 1: missing column\(s\) description"):
        load_snomed_ethnic_codes(path)
