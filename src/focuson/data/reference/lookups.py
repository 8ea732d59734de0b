"""ONS geography lookups: LSOA -> MSOA / ward / LAD / sub-ICB / ICB, and LSOA 2011 -> 2021.

Columns are recognised from the ONS field names (``LSOA21CD``, ``WD24NM``, ``SICBL24CDH``,
``ICB24CD``...), whatever their order or case, and renamed to the focuson schema:
``<geography>_code`` (the ONS 9-character code), ``<geography>_ods_code`` (the NHS ODS code, from
the ``...CDH`` columns), ``<geography>_name``. The year in each field name is the geography's
vintage; it is recorded in the provenance (``geography_vintages``), so a result says which ward,
LAD or ICB boundaries it used.

References
----------
Office for National Statistics. LSOA (2021) to Electoral Ward (2024) to LAD (2024) Best Fit
Lookup in EW; LSOA (2021) to SICBL to ICB to Cancer Alliances to LAD (April 2024) Lookup in EN;
LSOA (2011) to LSOA (2021) to Local Authority District (2022) Exact Fit Lookup for EW (V2) and
Best Fit Lookup for EW (V2). ONS Open Geography Portal, OGL v3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from focuson.data.reference._read import (
    CsvFile,
    Field,
    RowCheck,
    normalise_header,
    open_csv,
    resolve_file,
)
from focuson.data.reference.provenance import Provenance, ReferenceTable

PUBLISHER = "Office for National Statistics (ONS)"

#: Change indicator values of the exact-fit LSOA 2011 -> 2021 lookup.
CHANGE_INDICATOR = {
    "U": "unchanged",
    "S": "split: one 2011 LSOA became two or more 2021 LSOAs",
    "M": "merged: two or more 2011 LSOAs became one 2021 LSOA",
    "X": "irregular: redesigned boundaries (many to many)",
}


@dataclass(frozen=True)
class _Geography:
    key: str  # focuson stem
    prefix: str  # regex on the ONS field name stem
    code: str  # regex of the ONS code
    code_words: str
    ods: str | None = None  # regex of the ODS code in the ...CDH column
    ods_words: str = ""


_GEOGRAPHIES = (
    _Geography("lsoa", "lsoa", "[EW]01[0-9]{6}", "an LSOA code (E01 or W01 and 6 digits)"),
    _Geography("msoa", "msoa", "[EW]02[0-9]{6}", "an MSOA code (E02 or W02 and 6 digits)"),
    _Geography("ward", "wd", "[EW]05[0-9]{6}", "an electoral ward code (E05 or W05 and 6 digits)"),
    _Geography(
        "lad", "lad|ltla", "[EW]0[6-9][0-9]{6}", "a local authority district code (E06-E09, W06)"
    ),
    _Geography(
        "utla", "utla|cty|ctyua", "[EW]0[6-9][0-9]{6}|E1[01][0-9]{6}", "an upper-tier LA code"
    ),
    _Geography(
        "sub_icb",
        "sicbl",
        "E38[0-9]{6}",
        "a sub-ICB location code (E38 and 6 digits)",
        "[0-9A-Z]{3,5}",
        "an ODS sub-ICB code such as W2U3Z",
    ),
    _Geography(
        "ccg", "ccg", "E38[0-9]{6}", "a CCG code (E38 and 6 digits)", "[0-9A-Z]{3}", "an ODS code"
    ),
    _Geography(
        "icb",
        "icb",
        "E54[0-9]{6}",
        "an ICB code (E54 and 6 digits)",
        "Q[0-9A-Z]{2}",
        "an ODS ICB code such as QRV",
    ),
    _Geography(
        "cancer_alliance", "cal", "E56[0-9]{6}", "a cancer alliance code (E56 and 6 digits)"
    ),
    _Geography(
        "nhs_region",
        "nhser",
        "E40[0-9]{6}",
        "an NHS England region code (E40 and 6 digits)",
        "Y[0-9]{2}",
        "an ODS region code such as Y56",
    ),
    _Geography("region", "rgn", "E12[0-9]{6}|W92[0-9]{6}", "a region code (E12 and 6 digits)"),
)


_LABELS = {
    "msoa": "MSOA",
    "ward": "electoral ward",
    "lad": "LAD",
    "utla": "upper-tier LA",
    "sub_icb": "sub-ICB location",
    "ccg": "CCG",
    "icb": "ICB",
    "cancer_alliance": "cancer alliance",
    "nhs_region": "NHS England region",
    "region": "region",
}


@dataclass(frozen=True)
class _Column:
    header: str
    geography: _Geography
    vintage: int
    part: str  # "code", "ods_code", "name", "name_welsh"


def _recognise(src: CsvFile) -> list[_Column]:
    out = []
    for h in src.header:
        n = normalise_header(h)
        for geo in _GEOGRAPHIES:
            m = re.fullmatch(rf"(?:{geo.prefix})(\d\d)(cd|cdh|nm|nmw)", n)
            if m:
                part = {"cd": "code", "cdh": "ods_code", "nm": "name", "nmw": "name_welsh"}
                if m.group(2) == "cdh" and geo.ods is None:
                    break
                out.append(_Column(h, geo, 2000 + int(m.group(1)), part[m.group(2)]))
                break
    return out


def _field(col: _Column, name: str) -> Field:
    geo = col.geography
    if col.part == "code":
        return Field(name, "code", pattern=geo.code, expected=geo.code_words)
    if col.part == "ods_code":
        return Field(name, "code", pattern=geo.ods, expected=geo.ods_words)
    return Field(name, "text", required=col.part == "name", expected="a name")


def load_lsoa_lookup(path: Path | str) -> ReferenceTable:
    """Load an ONS lookup from LSOA to larger geographies (MSOA, ward, LAD, sub-ICB, ICB...).

    Parameters
    ----------
    path
        A CSV file (plain or ``.gz``) with one row per LSOA and ONS field names, e.g. the ONS
        "LSOA (2021) to SICBL to ICB to Cancer Alliances to LAD (April 2024)" lookup, or the
        shared ``nwl_lsoa21_lookup.csv``. A folder is accepted if it holds exactly one file
        named like ``*LSOA*lookup*.csv``.

    Returns
    -------
    ReferenceTable
        One row per LSOA, in file order: ``lsoa_code``, ``lsoa_name``, ``lsoa_vintage``, then for
        each geography found (``msoa``, ``ward``, ``lad``, ``utla``, ``sub_icb``, ``ccg``,
        ``icb``, ``cancer_alliance``, ``nhs_region``, ``region``) its ``_code``, ``_ods_code``
        (sub-ICB, CCG, ICB, NHS region) and ``_name``. ``provenance.geography_vintages`` gives
        each geography's year, e.g. ``("ward", 2024)``.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: no LSOA code column or no other geography, a code of
        the wrong form, a repeated LSOA, an empty name, a sub-ICB location in two ICBs, or an
        ONS code with two ODS codes.

    Notes
    -----
    Columns whose names are not ONS geography fields (e.g. ``ObjectId``, ``FID``) are ignored
    and listed in ``provenance.notes``. ONS lookups are "best fit" where geographies do not
    nest (wards, LADs of another year): this loader reads them as published.

    References
    ----------
    Office for National Statistics. LSOA (2021) to Electoral Ward (2024) to LAD (2024) Best Fit
    Lookup in EW; LSOA (2021) to SICBL to ICB to Cancer Alliances to LAD (April 2024) Lookup in
    EN. ONS Open Geography Portal, OGL v3.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "lookup.csv"
    ...     _ = path.write_text(
    ...         "LSOA21CD,LSOA21NM,ICB24CD,ICB24CDH,ICB24NM\\n"
    ...         "E01000471,Brent 026A,E54000027,QRV,NHS North West London ICB\\n"
    ...     )
    ...     table = load_lsoa_lookup(path)
    >>> table.frame[["lsoa_code", "icb_ods_code"]].to_dict("records")
    [{'lsoa_code': 'E01000471', 'icb_ods_code': 'QRV'}]
    >>> table.provenance.lsoa_vintage, table.provenance.vintage("icb")
    (2021, 2024)
    """
    src = open_csv(resolve_file(path, ["*lsoa*lookup*.csv", "*lsoa*lookup*.csv.gz"], "lookup"))
    cols = _recognise(src)
    lsoa = [c for c in cols if c.geography.key == "lsoa"]
    lsoa_codes = [c for c in lsoa if c.part == "code"]
    if len(lsoa_codes) != 1:
        if lsoa_codes:
            raise src.error(
                "several LSOA code columns ("
                + ", ".join(c.header for c in lsoa_codes)
                + "); expected one (for LSOA 2011 -> 2021 use load_lsoa11_lsoa21_lookup)",
                line=1,
            )
        raise src.missing_columns(["LSOA code"], "an ONS field such as LSOA21CD or LSOA11CD")
    vintage = lsoa_codes[0].vintage
    others = [c for c in cols if c.geography.key != "lsoa" and c.part in ("code", "ods_code")]
    if not others:
        raise src.missing_columns(
            ["a geography to look up"], "ONS fields such as MSOA21CD, WD24CD, LAD22CD, ICB24CD"
        )
    fields: dict[str, Field] = {}
    seen: dict[str, str] = {}
    vintages: dict[str, int] = {}
    for c in cols:
        if c.geography.key == "lsoa" and c.vintage != vintage:
            raise src.error(
                f"LSOA {c.vintage} column next to LSOA {vintage} codes; expected one vintage",
                line=1,
                column=c.header,
            )
        name = f"{c.geography.key}_{c.part}"
        if name in seen:
            raise src.error(
                f"columns {seen[name]!r} and {c.header!r} both hold {name}; expected one",
                line=1,
            )
        seen[name] = c.header
        fields[c.header] = _field(c, name)
        vintages.setdefault(c.geography.key, c.vintage)
    checks = []
    names = set(seen)
    for parent, child in (("icb", "sub_icb"), ("icb", "ccg"), ("nhs_region", "icb")):
        if f"{parent}_code" in names and f"{child}_code" in names:
            checks.append(_nests(child, parent))
    for geo in ("sub_icb", "ccg", "icb", "nhs_region"):
        if f"{geo}_code" in names and f"{geo}_ods_code" in names:
            checks.append(_one_to_one(geo))
    frame = src.load(fields, unique=[["lsoa_code"]], derived=_derived(checks, names), checks=checks)
    frame.insert(2 if "lsoa_name" in frame.columns else 1, "lsoa_vintage", vintage)
    order = ["lsoa_code", "lsoa_name", "lsoa_vintage"] + [
        f"{g.key}_{p}" for g in _GEOGRAPHIES[1:] for p in ("code", "ods_code", "name", "name_welsh")
    ]
    frame = frame[[c for c in order if c in frame.columns]]
    release = " / ".join(
        f"{next(g.prefix.split('|')[0] for g in _GEOGRAPHIES if g.key == k).upper()}{v % 100:02d}"
        for k, v in vintages.items()
    )
    ignored = [h for h in src.header if h and h not in fields]
    provenance = Provenance(
        dataset=f"ONS lookup from LSOA {vintage} to "
        + ", ".join(_LABELS.get(k, k) for k in vintages if k != "lsoa"),
        publisher=PUBLISHER,
        release=release,
        lsoa_vintage=vintage,
        rows=len(frame),
        files=(src.source,),
        geography_vintages=tuple(vintages.items()),
        notes=(("columns not loaded: " + ", ".join(ignored)),) if ignored else (),
    )
    return ReferenceTable(frame, provenance)


def _nests(child: str, parent: str) -> RowCheck:
    return RowCheck(
        column=f"{parent}_code",
        bad=f"_{child}_parents > 1",
        expected=f"'one {parent}_code for each {child}_code, but {child}_code ' || {child}_code"
        " || ' has more than one'",
    )


def _one_to_one(geo: str) -> RowCheck:
    return RowCheck(
        column=f"{geo}_ods_code",
        bad=f"_{geo}_ods_codes > 1",
        expected=f"'one ODS code for each ONS code, but {geo}_code ' || {geo}_code"
        " || ' has more than one'",
    )


def _derived(checks: list[RowCheck], names: set[str]) -> dict[str, str]:
    def distinct(value: str, by: str) -> str:
        w = f"OVER (PARTITION BY {by})"
        return f"CASE WHEN min({value}) {w} = max({value}) {w} THEN 1 ELSE 2 END"

    out = {}
    for parent, child in (("icb", "sub_icb"), ("icb", "ccg"), ("nhs_region", "icb")):
        if f"{parent}_code" in names and f"{child}_code" in names:
            out[f"_{child}_parents"] = distinct(f"{parent}_code", f"{child}_code")
    for geo in ("sub_icb", "ccg", "icb", "nhs_region"):
        if f"{geo}_code" in names and f"{geo}_ods_code" in names:
            out[f"_{geo}_ods_codes"] = distinct(f"{geo}_ods_code", f"{geo}_code")
    return out


def load_lsoa11_lsoa21_lookup(path: Path | str) -> ReferenceTable:
    """Load the ONS LSOA 2011 -> LSOA 2021 lookup, exact fit (with CHGIND) or best fit.

    Parameters
    ----------
    path
        A CSV file (plain or ``.gz``) with ONS field names: ``LSOA11CD``, ``LSOA21CD`` and, for the
        exact-fit lookup, ``CHGIND``; names and ``LAD22CD``/``LAD22NM`` are kept when present.
        The fit is detected from the ``CHGIND`` column.

    Returns
    -------
    ReferenceTable
        ``lsoa11_code``, ``lsoa11_name``, ``lsoa21_code``, ``lsoa21_name``, ``change`` (exact fit
        only: U unchanged, S split, M merged, X irregular; see :data:`CHANGE_INDICATOR`),
        ``lad_code``, ``lad_name``. Exact fit: one row per (2011, 2021) pair, many-to-many.
        Best fit: one row per 2011 LSOA. ``provenance.release`` says which fit;
        ``provenance.lsoa_vintage`` is 2011 and ``vintage("lsoa_target")`` 2021.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: a code that is not an LSOA code, CHGIND not one of
        U, S, M, X, a repeated pair (exact) or a repeated 2011 LSOA (best fit), or a change
        indicator that does not fit the rows: U must keep the code on a single row, S must
        give one 2011 LSOA two or more rows each with a distinct 2021 LSOA, M the converse.

    Notes
    -----
    The S/M/U checks hold for the whole England and Wales file and for any subset that keeps
    whole split/merge groups (such as one area's LSOAs); a cut through a group is an error.

    References
    ----------
    Office for National Statistics. LSOA (2011) to LSOA (2021) to Local Authority District (2022)
    Exact Fit Lookup for EW (V2), and Best Fit Lookup for EW (V2). ONS Open Geography Portal,
    2022, OGL v3.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "lsoa11_lsoa21.csv"
    ...     _ = path.write_text(
    ...         "LSOA11CD,LSOA21CD,CHGIND\\nE01000001,E01000001,U\\n"
    ...         "E01000003,E01035716,S\\nE01000003,E01035717,S\\n"
    ...     )
    ...     table = load_lsoa11_lsoa21_lookup(path)
    >>> table.frame["change"].tolist(), table.provenance.release
    (['U', 'S', 'S'], 'LSOA 2011 to LSOA 2021, exact fit (CHGIND)')
    """
    src = open_csv(
        resolve_file(
            path, ["*lsoa*2011*lsoa*2021*.csv*", "*lsoa11*lsoa21*.csv*"], "LSOA 2011 to 2021 lookup"
        )
    )
    fields: dict[str, Field] = {}
    vintages: dict[str, int] = {}
    for c in _recognise(src):
        key = c.geography.key
        if key == "lsoa":
            if c.vintage not in (2011, 2021) or c.part not in ("code", "name"):
                continue
            name = f"lsoa{c.vintage % 100}_{c.part}"
        elif key == "lad":
            name = f"lad_{c.part}"
            if c.part == "name_welsh":
                continue
            vintages.setdefault("lad", c.vintage)
        else:
            continue
        fields[c.header] = _field(c, name)
    exact = next((h for h in src.header if normalise_header(h) == "chgind"), None)
    if exact is not None:
        fields[exact] = Field("change", "choice", choices=tuple(CHANGE_INDICATOR))
    names = {f.name for f in fields.values()}
    missing = [
        n.upper().replace("_CODE", "CD") for n in ("lsoa11_code", "lsoa21_code") if n not in names
    ]
    if missing:
        raise src.missing_columns(missing, "ONS fields LSOA11CD and LSOA21CD (and CHGIND)")
    checks: list[RowCheck] = []
    derived: dict[str, str] = {}
    if exact is not None:
        derived = {
            "_n11": "count(*) OVER (PARTITION BY lsoa11_code)",
            "_n21": "count(*) OVER (PARTITION BY lsoa21_code)",
        }
        got = (
            "change || ' for ' || lsoa11_code || ' (on ' || _n11 || ' row(s)) -> ' || "
            "lsoa21_code || ' (on ' || _n21 || ' row(s))'"
        )
        checks = [
            RowCheck(
                "change",
                "change = 'U' AND (lsoa11_code <> lsoa21_code OR _n11 > 1 OR _n21 > 1)",
                "'U only where the code is unchanged and appears on one row'",
                got,
            ),
            RowCheck(
                "change",
                "change = 'S' AND (_n11 < 2 OR _n21 > 1)",
                "'S only where the 2011 LSOA has 2+ rows, each 2021 LSOA on one row'",
                got,
            ),
            RowCheck(
                "change",
                "change = 'M' AND (_n21 < 2 OR _n11 > 1)",
                "'M only where the 2021 LSOA has 2+ rows, each 2011 LSOA on one row'",
                got,
            ),
        ]
    unique = [["lsoa11_code", "lsoa21_code"]] if exact is not None else [["lsoa11_code"]]
    frame = src.load(fields, unique=unique, derived=derived, checks=checks)
    order = [
        "lsoa11_code", "lsoa11_name", "lsoa21_code", "lsoa21_name", "change", "lad_code", "lad_name"
    ]  # fmt: skip
    frame = frame[[c for c in order if c in frame.columns]]
    fit = "exact fit (CHGIND)" if exact is not None else "best fit"
    notes = []
    if exact is None:
        notes.append("best fit: each 2011 LSOA is assigned the one 2021 LSOA it best fits")
    else:
        notes.append("exact fit: " + "; ".join(f"{k} = {v}" for k, v in CHANGE_INDICATOR.items()))
    ignored = [h for h in src.header if h and h not in fields]
    if ignored:
        notes.append("columns not loaded: " + ", ".join(ignored))
    provenance = Provenance(
        dataset=f"ONS LSOA (2011) to LSOA (2021) lookup, {fit}",
        publisher=PUBLISHER,
        release=f"LSOA 2011 to LSOA 2021, {fit}",
        lsoa_vintage=2011,
        rows=len(frame),
        files=(src.source,),
        geography_vintages=(("lsoa", 2011), ("lsoa_target", 2021), *vintages.items()),
        notes=tuple(notes),
    )
    return ReferenceTable(frame, provenance)
