"""GeoJSON boundaries (LSOA, MSOA, ward, local authority...) read with the standard library.

:func:`load_boundaries` reads an RFC 7946 GeoJSON FeatureCollection (WGS84 longitude/latitude),
such as the ONS generalised clipped boundaries converted to GeoJSON, and returns each feature's
codes and its geometry as a GeoJSON dictionary: no geopandas. The geography level and vintage
come from the ONS property names (``LSOA21CD`` -> LSOA 2021); given a lookup or any other
reference table, the codes are checked against it, so boundaries are never drawn on the wrong
LSOA vintage.

References
----------
Butler, H. et al. The GeoJSON Format. RFC 7946, IETF, 2016. Office for National Statistics.
Lower layer Super Output Areas (December 2021) Boundaries EW BGC; Local Authority Districts
(December 2022) Boundaries UK BGC. ONS Open Geography Portal, OGL v3.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from focuson.data.reference._read import ReferenceDataError, read_json_text
from focuson.data.reference.provenance import Provenance, ReferenceTable

PUBLISHER = "Office for National Statistics (ONS)"
OS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the OGL v3.0. Contains OS data "
    "© Crown copyright and database right"
)

# From finest to coarsest: (focuson name, ONS field stem, code pattern).
_LEVELS = (
    ("oa", "oa", "[EW]00[0-9]{6}"),
    ("lsoa", "lsoa", "[EW]01[0-9]{6}"),
    ("msoa", "msoa", "[EW]02[0-9]{6}"),
    ("ward", "wd", "[EW]05[0-9]{6}"),
    ("lad", "lad|ltla", "[EW]0[6-9][0-9]{6}"),
    ("utla", "utla|ctyua", "[EW]0[6-9][0-9]{6}|E1[01][0-9]{6}"),
    ("sub_icb", "sicbl", "E38[0-9]{6}"),
    ("icb", "icb", "E54[0-9]{6}"),
    ("region", "rgn", "E12[0-9]{6}|W92[0-9]{6}"),
)
_SHAPES = ("Polygon", "MultiPolygon")


def load_boundaries(path: Path | str, *, match: ReferenceTable | None = None) -> ReferenceTable:
    """Load area boundaries from a GeoJSON file: codes, names and geometries.

    Parameters
    ----------
    path
        A GeoJSON FeatureCollection (plain or ``.gz``) in WGS84 longitude/latitude, each feature
        a Polygon or MultiPolygon with ONS code properties (``LSOA21CD``, ``LSOA21NM``,
        ``LAD22CD``...). The finest geography among the properties is the level of the features.
    match
        Optional: a reference table on the same geography (an LSOA lookup, IMD table, population
        table...). Its vintage must equal the boundaries' (e.g. LSOA 2021) and every boundary
        code must be in it.

    Returns
    -------
    ReferenceTable
        One row per feature, in file order: ``<level>_code``, ``<level>_name``,
        ``<level>_vintage`` (e.g. ``lsoa_code``, ``lsoa_name``, ``lsoa_vintage``), the codes and
        names of the coarser geographies in the properties (``msoa_code``, ``lad_code``...),
        and ``geometry`` (the GeoJSON geometry dictionary, as read).

    Raises
    ------
    ReferenceDataError
        Naming the file, the feature (1-based) and the property: not JSON (with line and
        character), not a FeatureCollection, no ONS code property, a code of the wrong form or
        repeated, a geometry that is not a (Multi)Polygon, coordinates that are not longitude/
        latitude (e.g. British National Grid metres), or, with ``match``, another vintage or
        codes missing from it.

    Notes
    -----
    Only the first position of each geometry is checked for being longitude/latitude;
    geometries are returned as read, not validated or simplified.

    References
    ----------
    Butler, H. et al. The GeoJSON Format. RFC 7946, IETF, 2016. Office for National Statistics.
    Lower layer Super Output Areas (December 2021) Boundaries EW BGC. ONS Open Geography Portal.

    Examples
    --------
    >>> import tempfile
    >>> feature = {
    ...     "type": "Feature",
    ...     "properties": {"LAD22CD": "E09000005", "LAD22NM": "Brent"},
    ...     "geometry": {"type": "Polygon", "coordinates": [[[-0.3, 51.5], [-0.2, 51.5],
    ...                                                      [-0.2, 51.6], [-0.3, 51.5]]]},
    ... }
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "lad.geojson"
    ...     _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    ...     table = load_boundaries(path)
    >>> table.frame[["lad_code", "lad_name", "lad_vintage"]].to_dict("records")
    [{'lad_code': 'E09000005', 'lad_name': 'Brent', 'lad_vintage': 2022}]
    """
    path = Path(path)
    text, source = read_json_text(path)
    name = path.name
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(
            f"{name}, line {exc.lineno}, character {exc.colno}: not valid JSON ({exc.msg}); "
            "expected a GeoJSON FeatureCollection",
            path=path,
            line=exc.lineno,
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ReferenceDataError(
            f"{name}: expected a GeoJSON FeatureCollection, got {got!r}", path=path
        )
    _check_crs(path, data.get("crs"))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ReferenceDataError(f"{name}: expected a non-empty list of features", path=path)
    bad = [i for i, f in enumerate(features) if not isinstance(f, dict)]
    if bad:
        raise _feature_error(path, bad[0], None, "expected a GeoJSON Feature object")
    props = pd.DataFrame.from_records(
        [f.get("properties") or {} for f in features], index=pd.RangeIndex(len(features))
    )
    columns = _recognise(props.columns)
    if not columns:
        raise ReferenceDataError(
            f"{name}, feature 1: no ONS code property; expected properties such as LSOA21CD, "
            f"LSOA11CD or LAD22CD. Properties found: {', '.join(map(str, props.columns))}",
            path=path,
        )
    level, vintage = columns[0][0], columns[0][1]
    frame = pd.DataFrame(index=props.index)
    vintages: list[tuple[str, int]] = []
    for geo, year, part, prop, pattern in columns:
        col = f"{geo}_{part}"
        if col in frame.columns:
            continue
        values = props[prop]
        if part == "code":
            text_values = values.astype("string")
            bad_mask = ~text_values.str.fullmatch(pattern).fillna(False).astype(bool)
            if bad_mask.any():
                i = int(bad_mask.to_numpy().nonzero()[0][0])
                raise _feature_error(
                    path, i, prop, f"expected a {geo} code matching {pattern}, got {values[i]!r}"
                )
            vintages.append((geo, year))
        frame[col] = values.astype(object).where(values.notna(), None)
        if geo == level and part == "code":
            frame[f"{level}_vintage"] = vintage
    code_col = f"{level}_code"
    code_prop = next(p for g, _, part, p, _ in columns if g == level and part == "code")
    repeated = frame[code_col].duplicated()
    if repeated.any():
        i = int(repeated.to_numpy().nonzero()[0][0])
        first = int((frame[code_col] == frame[code_col][i]).to_numpy().nonzero()[0][0])
        raise _feature_error(
            path,
            i,
            code_prop,
            f"{frame[code_col][i]!r} appears again (first in feature {first + 1}); expected each "
            "area once",
        )
    geometries = [_geometry(path, i, f.get("geometry")) for i, f in enumerate(features)]
    frame["geometry"] = pd.Series(geometries, index=frame.index, dtype=object)
    if match is not None:
        _check_match(path, frame, level, vintage, code_prop, match)
    order = [code_col, f"{level}_name", f"{level}_vintage"]
    frame = frame[order[:1] + [c for c in order[1:] if c in frame] + [
        c for c in frame.columns if c not in order and c != "geometry"
    ] + ["geometry"]]  # fmt: skip
    label = level.upper() if level in ("oa", "lsoa", "msoa", "lad", "icb") else level
    provenance = Provenance(
        dataset=f"ONS {label} ({vintage}) boundaries, GeoJSON",
        publisher=PUBLISHER,
        release=f"{label} {vintage} boundaries",
        lsoa_vintage=vintage if level == "lsoa" else None,
        rows=len(frame),
        files=(source,),
        geography_vintages=tuple(dict(vintages).items()),
        notes=(OS_ATTRIBUTION, "coordinates are WGS84 longitude/latitude (RFC 7946)"),
    )
    return ReferenceTable(frame.reset_index(drop=True), provenance)


def _recognise(properties: pd.Index) -> list[tuple[str, int, str, str, str]]:
    """(geography, vintage, "code"|"name", property, pattern), finest geography first."""
    found = []
    for rank, (geo, stem, pattern) in enumerate(_LEVELS):
        for prop in properties:
            m = re.fullmatch(rf"(?:{stem})(\d\d)(cd|nm)", str(prop), re.IGNORECASE)
            if m:
                part = "code" if m.group(2).lower() == "cd" else "name"
                found.append(
                    (rank, part != "code", geo, 2000 + int(m.group(1)), part, prop, pattern)
                )
    found.sort(key=lambda t: (t[0], t[1]))
    return [(g, y, part, p, pat) for _, _, g, y, part, p, pat in found]


def _feature_error(path: Path, i: int, prop: str | None, text: str) -> ReferenceDataError:
    where = f"{path.name}, feature {i + 1}" + (f", property {prop}" if prop else "")
    return ReferenceDataError(f"{where}: {text}", path=path, column=prop)


def _check_crs(path: Path, crs: Any) -> None:
    if crs is None:
        return
    text = json.dumps(crs)
    if re.search(r"27700|OSGB", text, re.IGNORECASE):
        raise ReferenceDataError(
            f"{path.name}: the crs member says British National Grid (EPSG:27700); expected "
            "WGS84 longitude/latitude (RFC 7946). Reproject to EPSG:4326 first",
            path=path,
        )


def _first_position(coords: Any) -> Any:
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    return coords


def _geometry(path: Path, i: int, geometry: Any) -> dict[str, Any]:
    if not isinstance(geometry, dict) or geometry.get("type") not in _SHAPES:
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        raise _feature_error(
            path, i, "geometry", f"expected a Polygon or MultiPolygon, got {got!r}"
        )
    first = _first_position(geometry.get("coordinates"))
    if not (
        isinstance(first, list)
        and len(first) >= 2
        and all(isinstance(v, int | float) for v in first[:2])
    ):
        raise _feature_error(
            path, i, "geometry", "expected coordinates as [longitude, latitude] positions"
        )
    lon, lat = first[0], first[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _feature_error(
            path,
            i,
            "geometry",
            f"expected WGS84 longitude/latitude (RFC 7946), got [{lon}, {lat}]: these look like "
            "British National Grid metres (EPSG:27700). Reproject to EPSG:4326 first",
        )
    return geometry


def _check_match(
    path: Path,
    frame: pd.DataFrame,
    level: str,
    vintage: int,
    code_prop: str,
    match: ReferenceTable,
) -> None:
    column = f"{level}_code"
    other = match.provenance.vintage(level)
    if level == "lsoa":
        other = match.provenance.lsoa_vintage
        if f"lsoa{vintage % 100}_code" in match.frame:  # a 2011 -> 2021 lookup
            column, other = f"lsoa{vintage % 100}_code", vintage
    if other is None or column not in match.frame:
        raise ReferenceDataError(
            f"match: {match.provenance.dataset} has no {level} codes to check "
            f"{path.name} against; expected a table with a {level}_code column",
            path=path,
        )
    if other != vintage:
        raise ReferenceDataError(
            f"{path.name}, property {code_prop}: the boundaries are {level.upper()} {vintage} "
            f"but match ({match.provenance.dataset}) is {level.upper()} {other}; expected the "
            "same vintage",
            path=path,
            column=code_prop,
        )
    known = frame[f"{level}_code"].isin(match.frame[column])
    if not known.all():
        missing = frame.loc[~known, f"{level}_code"]
        i = int((~known).to_numpy().nonzero()[0][0])
        raise _feature_error(
            path,
            i,
            code_prop,
            f"{missing.iloc[0]!r} is not in match ({match.provenance.dataset}); expected every "
            f"boundary code in it ({len(missing)} missing)",
        )
