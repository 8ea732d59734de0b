"""English Indices of Deprivation loader: the real files in ../shared/data, and bad inputs.

Known values come from shared/data/README.md (counts, decile sizes, quintile counts,
E01000007) and from the verbatim MHCLG IoD2025 File 7 (repo
LiamButler04/Liam-Butler-C22306471-Dissertation, path
File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv, commit
4aa623c9c2a7bbe9604ef01d8dffb3b7aa9fc9fb), whose header and two rows are transcribed below.
"""

import gzip
import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from focuson.data.reference import ReferenceDataError, load_imd

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
IMD = DATA / "imd"

# Verbatim from the official IoD2025 File 7 (see module docstring): header and two rows. Note the
# truncated "... Sub-domain Decile (where 1 is most deprived 10% of LSO" header, as published.
FILE7_2025 = (
    "LSOA code (2021),LSOA name (2021),Local Authority District code (2024),Local Authority "
    "District name (2024),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation"
    " (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 "
    "is most deprived 10% of LSOAs),Income Score (rate),Income Rank (where 1 is most deprived),"
    "Income Decile (where 1 is most deprived 10% of LSOAs),Employment Score (rate),Employment "
    "Rank (where 1 is most deprived),Employment Decile (where 1 is most deprived 10% of LSOAs),"
    '"Education, Skills and Training Score","Education, Skills and Training Rank (where 1 is '
    'most deprived)","Education, Skills and Training Decile (where 1 is most deprived 10% of '
    'LSOAs)",Health Deprivation and Disability Score,Health Deprivation and Disability Rank '
    "(where 1 is most deprived),Health Deprivation and Disability Decile (where 1 is most "
    "deprived 10% of LSOAs),Crime Score,Crime Rank (where 1 is most deprived),Crime Decile (where"
    " 1 is most deprived 10% of LSOAs),Barriers to Housing and Services Score,Barriers to Housing"
    " and Services Rank (where 1 is most deprived),Barriers to Housing and Services Decile (where"
    " 1 is most deprived 10% of LSOAs),Living Environment Score,Living Environment Rank (where 1 "
    "is most deprived),Living Environment Decile (where 1 is most deprived 10% of LSOAs),Income "
    "Deprivation Affecting Children Index (IDACI) Score (rate),Income Deprivation Affecting "
    "Children Index (IDACI) Rank (where 1 is most deprived),Income Deprivation Affecting Children"
    " Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs),Income Deprivation Affecting "
    "Older People (IDAOPI) Score (rate),Income Deprivation Affecting Older People (IDAOPI) Rank "
    "(where 1 is most deprived),Income Deprivation Affecting Older People (IDAOPI) Decile (where "
    "1 is most deprived 10% of LSOAs),Children and Young People Sub-domain Score,Children and "
    "Young People Sub-domain Rank (where 1 is most deprived),Children and Young People Sub-domain"
    " Decile (where 1 is most deprived 10% of LSO,Adult Skills Sub-domain Score,Adult Skills "
    "Sub-domain Rank (where 1 is most deprived),Adult Skills Sub-domain Decile (where 1 is most "
    "deprived 10% of LSOAs),Geographical Barriers Sub-domain Score,Geographical Barriers "
    "Sub-domain Rank (where 1 is most deprived),Geographical Barriers Sub-domain Decile (where 1 "
    "is most deprived 10% of LSOAs),Wider Barriers Sub-domain Score,Wider Barriers Sub-domain "
    "Rank (where 1 is most deprived),Wider Barriers Sub-domain Decile (where 1 is most deprived "
    "10% of LSOAs),Indoors Sub-domain Score,Indoors Sub-domain Rank (where 1 is most deprived),"
    "Indoors Sub-domain Decile (where 1 is most deprived 10% of LSOAs),Outdoors Sub-domain Score,"
    "Outdoors Sub-domain Rank (where 1 is most deprived),Outdoors Sub-domain Decile (where 1 is "
    "most deprived 10% of LSOAs),Total population: mid 2022,Dependent Children aged 0-15: mid "
    "2022,Older population aged 60 and over: mid 2022,Working age population 18-66 (for use with"
    " Employment Deprivation Domain): mid 2022\n"
    "E01000001,City of London 001A,E09000001,City of London,8.742,26525,8,0.013,33730,10,0.014,"
    "33708,10,0.004,33755,10,-1.771,33108,10,-2.22,33698,10,10.95,29220,9,69.345,244,1,0.039,"
    "33304,10,0.012,33721,10,-2.902,33752,10,0.03,33749,10,4.437,33560,10,0.688,12832,4,1.207,"
    "1105,1,1.414,1586,1,1795,149,520,1248\n"
    "E01000007,Barking and Dagenham 015A,E09000002,Barking and Dagenham,37.217,5377,2,0.486,2857,"
    "1,0.186,7782,3,16.481,16935,6,0.464,10126,3,1.161,2920,1,37.969,2773,1,23.096,13172,4,0.613,"
    "4369,2,0.789,198,1,-0.329,21411,7,0.263,12326,4,9.995,32623,10,6.228,861,1,-0.717,29747,9,"
    "1.57,1168,1,2961,755,126,2074\n"
)


def _nwl_2019_lines() -> list[str]:
    return (IMD / "imd2019_lsoa11_nwl.csv").read_text().splitlines(keepends=True)


def _write(tmp_path: Path, lines: list[str], name: str = "imd2019_lsoa11_nwl.csv") -> Path:
    path = tmp_path / name
    path.write_text("".join(lines))
    return path


def _set(line: str, column: int, value: str) -> str:
    cells = line.rstrip("\n").split(",")
    cells[column] = value
    return ",".join(cells) + "\n"


# --- the real files ------------------------------------------------------------------------------


@needs_data
def test_nwl_2019_has_the_1153_lsoa_2011_with_provenance():
    path = IMD / "imd2019_lsoa11_nwl.csv"
    table = load_imd(path)
    frame, prov = table.frame, table.provenance
    assert len(frame) == 1153 and frame["lsoa_code"].is_unique
    assert prov.release == "IoD2019" and prov.lsoa_vintage == 2011 and prov.rows == 1153
    assert prov.vintage("lad") == 2019
    assert set(frame["lsoa_vintage"]) == {2011} and set(frame["imd_release"]) == {"IoD2019"}
    assert prov.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(json.dumps(prov.as_dict()))["lsoa_vintage"] == 2011
    assert "IoD2019" in prov.describe()
    # README: all 8 NWL boroughs; quintile = ceil(decile / 2); no scores in the 2019 files
    assert frame["lad_code"].nunique() == 8
    assert (frame["imd_quintile"] == np.ceil(frame["imd_decile"] / 2)).all()
    assert not any(c.endswith("_score") for c in frame.columns)


@needs_data
def test_nwl_2025_counts_and_quintiles_from_the_readme():
    table = load_imd(IMD / "imd2025_lsoa21_nwl.csv")
    frame = table.frame
    assert len(frame) == 1183 and table.provenance.release == "IoD2025"
    assert table.provenance.lsoa_vintage == 2021 and table.provenance.vintage("lad") == 2024
    # README: NWL IMD2025 quintile counts Q1 201, Q2 416, Q3 288, Q4 198, Q5 80
    counts = frame["imd_quintile"].value_counts().sort_index().tolist()
    assert counts == [201, 416, 288, 198, 80]
    for domain in ("income", "indoors", "outdoors", "wider_barriers"):
        assert {f"{domain}_score", f"{domain}_rank", f"{domain}_decile"} <= set(frame.columns)


@needs_data
def test_england_2025_e01000007_and_decile_sizes():
    frame = load_imd(IMD / "imd2025_lsoa21_england.csv.gz").frame
    assert len(frame) == 33755
    row = frame.set_index("lsoa_code").loc["E01000007"]
    # README (checked against the official File 7): score 37.217, rank 5,377, decile 2
    assert (row["imd_score"], row["imd_rank"], row["imd_decile"]) == (37.217, 5377, 2)
    sizes = frame["imd_decile"].value_counts()
    assert set(sizes) == {3375, 3376}
    assert frame.loc[frame["imd_rank"] == 1, "imd_decile"].tolist() == [1]
    assert frame.loc[frame["imd_rank"] == 33755, "imd_decile"].tolist() == [10]


@needs_data
def test_england_2019_counts_and_decile_sizes():
    frame = load_imd(IMD / "imd2019_lsoa11_england.csv.gz").frame
    assert len(frame) == 32844 and frame["lsoa_code"].is_unique
    assert set(frame["imd_decile"].value_counts()) == {3284, 3285}
    assert frame.loc[frame["imd_rank"] == 1, "imd_decile"].tolist() == [1]


@needs_data
def test_official_folder_layout_file2_plus_file6_equals_the_shared_table():
    table = load_imd(IMD)  # only IoD2019 has official files there: File 2 + File 6
    assert table.provenance.release == "IoD2019"
    assert [Path(f.path).name for f in table.provenance.files] == [
        "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        "File_6_-_IoD2019_Population_Denominators.csv.gz",
    ]
    official = table.frame.set_index("lsoa_code")
    shared = load_imd(IMD / "imd2019_lsoa11_england.csv.gz").frame.set_index("lsoa_code")
    assert len(official) == 32844
    columns = [c for c in shared.columns if c.endswith(("_rank", "_decile", "_quintile", "15"))]
    assert len(columns) == 22  # 8 ranks, 8 deciles, the quintile, 5 denominators
    assert official.loc[shared.index, columns].equals(shared[columns])
    # File 6 thousands separators: E01000001 "1,296"
    assert official.loc["E01000001", "pop_total_mid2015"] == 1296
    assert load_imd(DATA, release="IoD2019").provenance.rows == 32844  # imd/ sub-folder


@needs_data
def test_official_file7_2025_layout_matches_the_shared_derivative(tmp_path):
    path = tmp_path / "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
    path.write_text(FILE7_2025)
    table = load_imd(path)
    frame = table.frame.set_index("lsoa_code")
    assert table.provenance.release == "IoD2025" and table.provenance.vintage("lad") == 2024
    assert frame.loc["E01000007", "idaci_score"] == 0.613
    assert frame.loc["E01000007", "children_and_young_people_decile"] == 7  # truncated header
    assert frame.loc["E01000007", "pop_total_mid2022"] == 2961
    assert frame.loc["E01000001", "pop_working_age_18_66_mid2022"] == 1248
    assert frame.loc["E01000001", "imd_quintile"] == 4  # derived: ceil(8 / 2)
    shared = load_imd(IMD / "imd2025_lsoa21_england.csv.gz").frame.set_index("lsoa_code")
    common = [c for c in shared.columns if c in frame.columns and c != "lsoa_name"]
    assert len(common) >= 45
    assert frame[common].equals(shared.loc[frame.index, common])
    assert load_imd(tmp_path).provenance.dataset.endswith("(File 7)")


@needs_data
def test_a_utf8_bom_and_windows_line_endings_load(tmp_path):
    lines = _nwl_2019_lines()[:5]
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).replace("\n", "\r\n").encode())
    assert load_imd(path).frame["lsoa_code"].tolist()[0] == "E01000471"


# --- bad inputs: every message names the file, line and column ----------------------------------


@needs_data
def test_a_bad_decile_names_file_line_and_column(tmp_path):
    lines = _nwl_2019_lines()[:20]
    lines[13] = _set(lines[13], 5, "x")  # line 14, imd_decile
    with pytest.raises(ReferenceDataError) as err:
        load_imd(_write(tmp_path, lines))
    assert str(err.value).startswith(
        "imd2019_lsoa11_nwl.csv, line 14, column imd_decile: expected a whole number 1-10, got 'x'"
    )
    assert (err.value.line, err.value.column) == (14, "imd_decile")


@needs_data
@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (5, "11", "column imd_decile: expected a whole number 1-10, got '11'"),
        (4, "0", "column imd_rank: expected a whole number 1-32,844, got '0'"),
        (4, "40000", "column imd_rank: expected a whole number 1-32,844, got '40000'"),
        (4, "12.5", "column imd_rank: expected a whole number 1-32,844, got '12.5'"),
        (0, "E02000471", "column lsoa11cd (lsoa_code): expected an LSOA 2011 code in England"),
        (0, "W01000471", "column lsoa11cd (lsoa_code): expected an LSOA 2011 code in England"),
        (21, "", "column pop_total_mid2015: expected a whole number >= 0, got an empty cell"),
        (21, "-3", "column pop_total_mid2015: expected a whole number >= 0, got '-3'"),
        (6, "1", "column imd_quintile: expected quintile 3 = ceil(imd_decile / 2)"),
    ],
)
def test_bad_cells(tmp_path, column, value, expected):
    lines = _nwl_2019_lines()[:10]
    lines[6] = _set(lines[6], column, value)  # line 7
    with pytest.raises(ReferenceDataError, match=r"^imd2019_lsoa11_nwl\.csv, line 7, ") as err:
        load_imd(_write(tmp_path, lines))
    assert expected in str(err.value)


@needs_data
def test_a_decile_that_is_not_the_decile_of_its_rank(tmp_path):
    lines = _nwl_2019_lines()[:10]
    rank = int(lines[8].split(",")[4])
    wrong = (int(np.ceil(rank * 10 / 32844)) % 10) + 1
    lines[8] = _set(lines[8], 5, str(wrong))
    lines[8] = _set(lines[8], 6, str((wrong + 1) // 2))
    with pytest.raises(ReferenceDataError) as err:
        load_imd(_write(tmp_path, lines))
    message = str(err.value)
    assert message.startswith("imd2019_lsoa11_nwl.csv, line 9, column imd_decile: expected decile")
    assert f"imd_rank {rank} among the 32,844 LSOAs of IoD2019" in message


@needs_data
def test_a_repeated_lsoa_names_both_lines(tmp_path):
    lines = _nwl_2019_lines()[:10]
    lines.append(lines[3])
    with pytest.raises(ReferenceDataError) as err:
        load_imd(_write(tmp_path, lines))
    assert str(err.value).startswith("imd2019_lsoa11_nwl.csv, line 11, column lsoa11cd")
    assert "appears again (first at line 4)" in str(err.value)


@needs_data
def test_line_numbers_count_blank_lines_and_gzip(tmp_path):
    lines = _nwl_2019_lines()[:10]
    lines[7] = _set(lines[7], 5, "ten")
    lines.insert(3, "\n")  # a blank line 4 pushes the bad row to line 9
    path = tmp_path / "imd.csv.gz"
    path.write_bytes(gzip.compress("".join(lines).encode()))
    with pytest.raises(ReferenceDataError, match=r"^imd\.csv\.gz, line 9, column imd_decile"):
        load_imd(path)


@needs_data
def test_a_row_with_too_many_values_names_the_line(tmp_path):
    lines = _nwl_2019_lines()[:10]
    lines[4] = lines[4].replace("Brent 0", "Brent, 0", 1)  # an unquoted comma in the name
    with pytest.raises(ReferenceDataError, match=r"line 5: expected 26 comma-separated values"):
        load_imd(_write(tmp_path, lines))


@needs_data
def test_wrong_encoding_is_reported_as_such(tmp_path):
    lines = _nwl_2019_lines()[:10]
    text = "".join(lines).replace("Brent 029A", "Brent Café 029A")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ReferenceDataError) as err:
        load_imd(path)
    message = str(err.value)
    assert message.startswith("latin1.csv, line 3, column lsoa11nm: wrong encoding: byte 0xe9")
    assert "expected UTF-8" in message and "Brent Café 029A" in message


def test_missing_columns_name_what_was_expected_and_found(tmp_path):
    path = tmp_path / "imd.csv"
    path.write_text("lsoa11cd,imd_rank\nE01000001,29199\n")
    with pytest.raises(ReferenceDataError) as err:
        load_imd(path)
    message = str(err.value)
    assert message.startswith("imd.csv, line 1: missing column(s) imd_decile; expected")
    assert "Columns found: 'lsoa11cd', 'imd_rank'" in message


def test_release_must_match_the_lsoa_vintage(tmp_path):
    path = tmp_path / "imd.csv"
    path.write_text("lsoa11cd,imd_rank,imd_decile\nE01000001,29199,9\n")
    with pytest.raises(ReferenceDataError, match=r"imd\.csv, line 1, column lsoa11cd: release="):
        load_imd(path, release="IoD2025")
    with pytest.raises(ReferenceDataError, match="release: 'IoD2015' is not supported"):
        load_imd(path, release="IoD2015")
    assert load_imd(path, release="IoD2019").provenance.release == "IoD2019"


def test_iod2015_files_are_recognised_and_refused(tmp_path):
    path = tmp_path / "imd2015.csv"
    path.write_text(
        "LSOA code (2011),Local Authority District code (2013),"
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),"
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n"
        "E01000001,E09000001,29199,9\n"
    )
    with pytest.raises(ReferenceDataError, match="Indices of Deprivation 2015"):
        load_imd(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04rest-of-an-xlsx", "Excel workbook (xlsx), not CSV"),
        ("lsoa11cd,imd_rank\n".encode("utf-16"), "UTF-16"),
        (b"", "the file is empty"),
        (b"lsoa11cd,imd_rank,imd_decile\n", "line 2: no data rows"),
        (b"\x1f\x8b\x08\x00broken", "cannot be decompressed"),
        (b'lsoa11cd,imd_rank,imd_decile\nE01000001,"29199,9\n', "quoted value is not closed"),
    ],
)
def test_files_that_are_not_utf8_csv(tmp_path, content, expected):
    path = tmp_path / "imd.csv"
    path.write_bytes(content)
    with pytest.raises(ReferenceDataError, match=r"^imd\.csv") as err:
        load_imd(path)
    assert expected in str(err.value)


def test_a_missing_file_and_an_empty_folder(tmp_path):
    with pytest.raises(ReferenceDataError, match="file not found"):
        load_imd(tmp_path / "nope.csv")
    with pytest.raises(ReferenceDataError, match="no IoD2019 or IoD2025 file in the MHCLG"):
        load_imd(tmp_path)


@needs_data
def test_folder_join_is_all_or_nothing_when_file6_lacks_an_lsoa(tmp_path):
    file2 = gzip.decompress((IMD / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz").read_bytes())
    file6 = gzip.decompress((IMD / "File_6_-_IoD2019_Population_Denominators.csv.gz").read_bytes())
    (tmp_path / "File_2_-_IoD2019_Domains_of_Deprivation.csv").write_bytes(
        b"".join(file2.splitlines(keepends=True)[:6])
    )
    (tmp_path / "File_6_-_IoD2019_Population_Denominators.csv").write_bytes(
        b"".join(file6.splitlines(keepends=True)[:5])  # one LSOA short
    )
    with pytest.raises(ReferenceDataError) as err:
        load_imd(tmp_path)
    message = str(err.value)
    assert message.startswith("File_6_-_IoD2019_Population_Denominators.csv, column")
    assert "no row for LSOA E01000006" in message


@given(st.integers(1, 33755), st.integers(-1, 1))
def test_a_decile_is_accepted_only_if_it_is_the_decile_of_its_rank(rank, shift):
    """Property (IoD2025, N = 33,755): decile = ceil(10 rank / N), any other decile is refused."""
    decile = int(np.ceil(rank * 10 / 33755)) + shift
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "imd.csv"
        path.write_text(f"lsoa21cd,imd_rank,imd_decile\nE01000001,{rank},{decile}\n")
        if shift == 0:
            assert load_imd(path).frame["imd_quintile"].tolist() == [(decile + 1) // 2]
        else:
            with pytest.raises(ReferenceDataError, match="line 2, column imd_decile: expected"):
                load_imd(path)
