"""GeoJSON boundaries: the real files in ../shared/data/geography and bad inputs."""

import json
from pathlib import Path

import pytest

from focuson.data.reference import (
    ReferenceDataError,
    load_boundaries,
    load_imd,
    load_lsoa11_lsoa21_lookup,
    load_lsoa_lookup,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)
GEO = DATA / "geography"


@needs_data
def test_lsoa21_boundaries_match_the_lsoa21_lookup_and_imd2025():
    lookup = load_lsoa_lookup(GEO / "nwl_lsoa21_lookup.csv")
    table = load_boundaries(GEO / "nwl_lsoa21_boundaries_gen20m.geojson", match=lookup)
    frame = table.frame
    assert len(frame) == 1183 and table.provenance.lsoa_vintage == 2021
    assert set(frame["lsoa_code"]) == set(lookup.frame["lsoa_code"])
    kinds = frame["geometry"].map(lambda g: g["type"]).value_counts().to_dict()
    assert kinds == {"Polygon": 1176, "MultiPolygon": 7}
    assert table.provenance.vintage("lad") == 2022 and "OS data" in table.provenance.notes[0]
    imd = load_imd(DATA / "imd" / "imd2025_lsoa21_nwl.csv")
    load_boundaries(GEO / "nwl_lsoa21_boundaries_gen20m.geojson", match=imd)


@needs_data
def test_lsoa11_boundaries_match_the_2011_side_of_the_change_lookup():
    change = load_lsoa11_lsoa21_lookup(GEO / "nwl_lsoa11_lsoa21_lookup.csv")
    table = load_boundaries(GEO / "nwl_lsoa11_boundaries_gen20m.geojson", match=change)
    assert len(table.frame) == 1153 and table.provenance.lsoa_vintage == 2011


@needs_data
def test_boroughs():
    table = load_boundaries(GEO / "nwl_boroughs_lad22_gen20m.geojson")
    assert table.frame["lad_code"].tolist() == [
        "E09000005", "E09000009", "E09000013", "E09000015",
        "E09000017", "E09000018", "E09000020", "E09000033",
    ]  # fmt: skip
    assert table.provenance.lsoa_vintage is None and table.provenance.vintage("lad") == 2022


@needs_data
def test_boundaries_on_another_vintage_than_the_lookup_are_refused():
    lookup21 = load_lsoa_lookup(GEO / "nwl_lsoa21_lookup.csv")
    with pytest.raises(ReferenceDataError) as err:
        load_boundaries(GEO / "nwl_lsoa11_boundaries_gen20m.geojson", match=lookup21)
    assert str(err.value).startswith(
        "nwl_lsoa11_boundaries_gen20m.geojson, property LSOA11CD: the boundaries are LSOA 2011"
        " but match"
    )


def _collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code: str = "E01000471", coords: list | None = None, kind: str = "Polygon") -> dict:
    ring = coords or [[-0.29, 51.54], [-0.28, 51.54], [-0.28, 51.53], [-0.29, 51.54]]
    return {
        "type": "Feature",
        "properties": {"LSOA21CD": code, "LSOA21NM": "Brent 026A"},
        "geometry": {"type": kind, "coordinates": [ring]},
    }


BNG = [[519000.0, 184000.0], [519100.0, 184000.0], [519100.0, 184100.0], [519000.0, 184000.0]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"type": "FeatureCollection",\n "features": [}', "b.geojson, line 2, character 15: not"),
        (_collection(_feature(), _feature("E0100047")), "feature 2, property LSOA21CD: expected"),
        (_collection(_feature(), _feature()), "feature 2, property LSOA21CD: 'E01000471' appears"),
        (_collection(_feature(coords=BNG)), "feature 1, property geometry: expected WGS84"),
        (_collection(_feature(kind="Point")), "expected a Polygon or MultiPolygon, got 'Point'"),
        ({"type": "Feature"}, "expected a GeoJSON FeatureCollection, got 'Feature'"),
        (_collection(), "expected a non-empty list of features"),
        (
            _collection({"type": "Feature", "properties": {"name": "x"}, "geometry": None}),
            "no ONS code property",
        ),
        (
            {**_collection(_feature()), "crs": {"properties": {"name": "EPSG:27700"}}},
            "British National Grid",
        ),
    ],
)
def test_bad_geojson(tmp_path, content, expected):
    path = tmp_path / "b.geojson"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(ReferenceDataError, match=r"^b\.geojson") as err:
        load_boundaries(path)
    assert expected in str(err.value)


def test_codes_missing_from_the_match_table(tmp_path):
    lookup_path = tmp_path / "lookup.csv"
    lookup_path.write_text("LSOA21CD,LAD22CD\nE01000471,E09000005\n")
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(_collection(_feature(), _feature("E01000472"))))
    with pytest.raises(ReferenceDataError, match="feature 2, property LSOA21CD: 'E01000472' is"):
        load_boundaries(path, match=load_lsoa_lookup(lookup_path))


def test_wrong_encoding_in_geojson(tmp_path):
    path = tmp_path / "b.geojson"
    text = json.dumps(_collection(_feature())).replace("Brent", "Br\xe9nt")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ReferenceDataError, match=r"b\.geojson, line 1: wrong encoding"):
        load_boundaries(path)
