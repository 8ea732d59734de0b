"""ONS geography lookups: the real files in ../shared/data (README counts) and bad inputs."""

from pathlib import Path

import pytest

from focuson.data.reference import (
    ReferenceDataError,
    load_lsoa11_lsoa21_lookup,
    load_lsoa_lookup,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
GEO = DATA / "geography"
NWL_LADS = {
    "E09000005", "E09000009", "E09000013", "E09000015",
    "E09000017", "E09000018", "E09000020", "E09000033",
}  # fmt: skip


@needs_data
def test_nwl_lsoa21_lookup_maps_every_lsoa_to_qrv_and_a_ward():
    table = load_lsoa_lookup(GEO / "nwl_lsoa21_lookup.csv")
    frame, prov = table.frame, table.provenance
    assert len(frame) == 1183 and frame["lsoa_code"].is_unique
    assert set(frame["icb_ods_code"]) == {"QRV"} and set(frame["icb_code"]) == {"E54000027"}
    assert set(frame["sub_icb_ods_code"]) == {"W2U3Z"}
    assert set(frame["sub_icb_code"]) == {"E38000256"}
    assert frame["ward_code"].notna().all() and set(frame["lad_code"]) == NWL_LADS
    assert prov.lsoa_vintage == 2021 and set(frame["lsoa_vintage"]) == {2021}
    assert (prov.vintage("ward"), prov.vintage("icb"), prov.vintage("lad")) == (2024, 2024, 2022)


@needs_data
def test_nwl_lsoa11_lookup():
    table = load_lsoa_lookup(GEO / "nwl_lsoa11_lookup.csv")
    assert len(table.frame) == 1153 and set(table.frame["icb_ods_code"]) == {"QRV"}
    assert table.provenance.lsoa_vintage == 2011 and table.provenance.vintage("icb") == 2022


@needs_data
def test_exact_fit_england_and_wales_change_counts():
    table = load_lsoa11_lsoa21_lookup(GEO / "lsoa11_lsoa21_lad22_lookup_ew.csv.gz")
    frame = table.frame
    assert len(frame) == 35795
    assert frame["change"].value_counts().to_dict() == {"U": 33647, "S": 1900, "M": 239, "X": 9}
    assert frame["lsoa11_code"].nunique() == 34753 and frame["lsoa21_code"].nunique() == 35672
    assert table.provenance.release == "LSOA 2011 to LSOA 2021, exact fit (CHGIND)"
    assert table.provenance.vintage("lsoa_target") == 2021
    assert table.provenance.vintage("lad") == 2022


@needs_data
def test_exact_fit_nwl_agrees_with_the_nwl_lookups():
    frame = load_lsoa11_lsoa21_lookup(GEO / "nwl_lsoa11_lsoa21_lookup.csv").frame
    assert len(frame) == 1191
    assert frame["change"].value_counts().to_dict() == {"U": 1105, "S": 70, "M": 16}
    lsoa21 = set(load_lsoa_lookup(GEO / "nwl_lsoa21_lookup.csv").frame["lsoa_code"])
    lsoa11 = set(load_lsoa_lookup(GEO / "nwl_lsoa11_lookup.csv").frame["lsoa_code"])
    assert set(frame["lsoa21_code"]) == lsoa21 and set(frame["lsoa11_code"]) == lsoa11


@needs_data
def test_best_fit_is_many_to_one():
    table = load_lsoa11_lsoa21_lookup(GEO / "lsoa11_to_lsoa21_best_fit_lookup_ew_v2.csv.gz")
    frame = table.frame
    assert len(frame) == 34753 and frame["lsoa11_code"].is_unique
    assert frame["lsoa21_code"].nunique() == 34628 and "change" not in frame
    assert table.provenance.release.endswith("best fit")
    assert "ObjectId" in table.provenance.notes[-1]


@needs_data
def test_a_folder_with_several_candidates_asks_for_the_file():
    with pytest.raises(ReferenceDataError, match="several files could be the LSOA 2011 to 2021"):
        load_lsoa11_lsoa21_lookup(GEO)


# --- bad inputs ----------------------------------------------------------------------------------

HEADER = "LSOA11CD,LSOA21CD,CHGIND\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "E01000001,E01000001,U\nE01000002,E01000002,Q\n",
            "line 3, column CHGIND (change): expected one of U, S, M, X, got 'Q'",
        ),
        (
            "E01000001,E01099999,U\n",
            "line 2, column CHGIND (change): expected U only where the code is unchanged",
        ),
        (
            "E01000003,E01035716,S\nE01000001,E01000001,U\n",
            "line 2, column CHGIND (change): expected S only where the 2011 LSOA has 2+ rows",
        ),
        (
            "E01000001,E01000001,U\nE01000003,E01035716,M\nE01000004,E01035717,M\n",
            "line 3, column CHGIND (change): expected M only where the 2021 LSOA has 2+ rows",
        ),
        (
            "E01000003,E01035716,S\nE01000003,E01035716,S\n",
            "line 3, column LSOA11CD (lsoa11_code): 'E01000003', 'E01035716' appears again",
        ),
        (
            "E01000001,E0100001,U\n",
            "line 2, column LSOA21CD (lsoa21_code): expected an LSOA code (E01 or W01",
        ),
    ],
)
def test_exact_fit_rules(tmp_path, rows, expected):
    path = tmp_path / "lookup.csv"
    path.write_text(HEADER + rows)
    with pytest.raises(ReferenceDataError, match=r"^lookup\.csv, ") as err:
        load_lsoa11_lsoa21_lookup(path)
    assert expected in str(err.value)


def test_lookup_rejects_a_sub_icb_in_two_icbs(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text(
        "LSOA21CD,SICBL24CD,ICB24CD\nE01000471,E38000256,E54000027\nE01000472,E38000256,E54000028\n"
    )
    with pytest.raises(ReferenceDataError) as err:
        load_lsoa_lookup(path)
    assert str(err.value).startswith(
        "lookup.csv, line 2, column ICB24CD (icb_code): expected one icb_code for each "
        "sub_icb_code, but sub_icb_code E38000256 has more than one"
    )
    assert "(2 rows break this rule)" in str(err.value)


def test_lookup_rejects_an_ons_code_with_two_ods_codes(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("LSOA21CD,ICB24CD,ICB24CDH\nE01000471,E54000027,QRV\nE01000472,E54000027,QRW\n")
    with pytest.raises(ReferenceDataError, match=r"column ICB24CDH .* one ODS code for each ONS"):
        load_lsoa_lookup(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LSOA21CD,WD24CD\nE01000471,E5013496\n", "line 2, column WD24CD (ward_code): expected"),
        ("LSOA21CD,WD24CD\nE01000471,\n", "got an empty cell"),
        ("LSOA21CD,LSOA21NM\nE01000471,Brent 026A\n", "missing column(s) a geography to look"),
        ("WD24CD,LAD22CD\nE05013496,E09000005\n", "line 1: missing column(s) LSOA code"),
        ("LSOA21CD,ICB24CDH\nE01000471,qrv\n", "expected an ODS ICB code such as QRV, got 'qrv'"),
        (
            "LSOA21CD,LAD22CD\nE01000471,E09000005\nE01000471,E09000005\n",
            "line 3, column LSOA21CD (lsoa_code): 'E01000471' appears again (first at line 2)",
        ),
    ],
)
def test_lookup_bad_inputs(tmp_path, text, expected):
    path = tmp_path / "lookup.csv"
    path.write_text(text)
    with pytest.raises(ReferenceDataError, match=r"^lookup\.csv, ") as err:
        load_lsoa_lookup(path)
    assert expected in str(err.value)
