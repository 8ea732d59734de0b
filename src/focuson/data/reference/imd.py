"""English Indices of Deprivation (IoD2019 on LSOA 2011, IoD2025 on LSOA 2021), all domains.

:func:`load_imd` reads the files as MHCLG publishes them (File 7 "All ranks, scores, deciles and
population denominators"; File 1 or File 2 with File 6 for IoD2019) or the snake_case layout of
the project's shared reference folder (``lsoa11cd``, ``imd_rank``, ``income_decile``...), and
returns one schema for both releases:

``lsoa_code, lsoa_name, lsoa_vintage, lad_code, lad_name, imd_release``, then for the IMD and each
domain, sub-domain and supplementary index present (``imd``, ``income``, ``employment``,
``education``, ``health``, ``crime``, ``housing_services``, ``living_environment``, ``idaci``,
``idaopi``, ``children_and_young_people``, ``adult_skills``, ``geographical_barriers``,
``wider_barriers``, ``indoors``, ``outdoors``): ``<domain>_score`` (when the file has scores),
``<domain>_rank``, ``<domain>_decile``; ``imd_quintile``; and the population denominators
(``pop_total_mid2015`` ... for IoD2019, ``pop_total_mid2022`` ... for IoD2025).

Conventions (MHCLG): rank 1 is the most deprived LSOA in England; decile 1 is the most deprived
10%; higher scores mean more deprivation. ``imd_quintile`` is ``ceil(imd_decile / 2)`` (quintile 1
is the most deprived 20%), derived by focuson when the file lacks it.

References
----------
Ministry of Housing, Communities & Local Government. The English Indices of Deprivation 2019:
Technical report. London: MHCLG, 26 September 2019.
Ministry of Housing, Communities & Local Government. The English Indices of Deprivation 2025:
Technical report. London: MHCLG, 30 October 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from focuson.data.reference._read import (
    CsvFile,
    Field,
    ReferenceDataError,
    RowCheck,
    normalise_header,
    open_csv,
)
from focuson.data.reference.provenance import Provenance, ReferenceTable

PUBLISHER = "Ministry of Housing, Communities & Local Government (MHCLG)"


@dataclass(frozen=True)
class ImdRelease:
    """Facts about one release of the English Indices of Deprivation.

    Attributes
    ----------
    name
        ``"IoD2019"`` or ``"IoD2025"``.
    year
        The year in the release's name.
    lsoa_vintage
        The LSOA boundaries it is published on (2011 or 2021).
    lsoa_count
        The number of LSOAs in England on those boundaries: the largest rank.
    lad_vintage
        The local authority district codes in its files.
    population_year
        The mid-year of its population denominators.
    published
        The publication date.
    """

    name: str
    year: int
    lsoa_vintage: int
    lsoa_count: int
    lad_vintage: int
    population_year: int
    published: str


#: The supported releases, by name.
RELEASES: dict[str, ImdRelease] = {
    "IoD2019": ImdRelease("IoD2019", 2019, 2011, 32_844, 2019, 2015, "26 September 2019"),
    "IoD2025": ImdRelease("IoD2025", 2025, 2021, 33_755, 2024, 2022, "30 October 2025"),
}

#: The IMD, its domains, sub-domains and supplementary indices: focuson name -> MHCLG label.
DOMAINS: dict[str, str] = {
    "imd": "index of multiple deprivation (imd)",
    "income": "income",
    "employment": "employment",
    "education": "education, skills and training",
    "health": "health deprivation and disability",
    "crime": "crime",
    "housing_services": "barriers to housing and services",
    "living_environment": "living environment",
    "idaci": "income deprivation affecting children index (idaci)",
    "idaopi": "income deprivation affecting older people (idaopi)",
    "children_and_young_people": "children and young people sub-domain",
    "adult_skills": "adult skills sub-domain",
    "geographical_barriers": "geographical barriers sub-domain",
    "wider_barriers": "wider barriers sub-domain",
    "indoors": "indoors sub-domain",
    "outdoors": "outdoors sub-domain",
}
_BY_LABEL = {label: key for key, label in DOMAINS.items()}
_MEASURES = ("score", "rank", "decile")

# Population denominators: official header (normalised) -> focuson stem; the year is appended.
_POPULATION = (
    ("total population:", "pop_total"),
    ("dependent children aged 0-15:", "pop_children_0_15"),
    ("population aged 16-59:", "pop_16_59"),
    ("older population aged 60 and over:", "pop_60_plus"),
    ("working age population 18-59/64", "pop_working_age_18_59_64"),
    ("working age population 18-66", "pop_working_age_18_66"),
)

_LSOA_PATTERN = "E01[0-9]{6}"
_LAD_PATTERN = "E0[6-9][0-9]{6}"


def load_imd(path: Path | str, *, release: str | None = None) -> ReferenceTable:
    """Load the English Indices of Deprivation for every LSOA in a file, with all domains.

    Parameters
    ----------
    path
        A CSV file (plain or ``.gz``): MHCLG's File 7, File 1 or File 2 (or any file with their
        column headers), File 2 + File 6 are joined when a folder is given, or the snake_case
        layout of the shared reference folder. Or a folder holding the MHCLG files under their
        published names (``File_7*IoD2019*.csv``, ``File_2*IoD2019*.csv`` + ``File_6*``...); an
        ``imd/`` sub-folder is searched too.
    release
        ``"IoD2019"`` or ``"IoD2025"``. Detected from the LSOA vintage of the codes (LSOA 2011 ->
        IoD2019, LSOA 2021 -> IoD2025) when not given; when given, it must agree.

    Returns
    -------
    ReferenceTable
        One row per LSOA, in file order, columns as described in the module docstring; the
        provenance records the release, the LSOA vintage (2011 or 2021), the LAD vintage, the
        file(s) and their SHA-256.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: missing columns, a code that is not an English LSOA
        code (``E01`` + 6 digits), a repeated LSOA, a rank outside 1..N (N = 32,844 for IoD2019,
        33,755 for IoD2025), a decile outside 1..10 or not the decile of its rank (decile =
        ceil(10 x rank / N)), a quintile that is not ceil(decile / 2), an empty or non-numeric
        cell, non-UTF-8 text, a release that does not match the LSOA vintage.

    Notes
    -----
    Only columns recognised from the MHCLG headers (matched on their wording, so a truncated
    "... Decile (where 1 is most deprived 10% of LSO" header is still found) or the snake_case
    layout are kept; others are listed in ``provenance.notes``. Scores are kept as published
    (3 decimals in File 7). IoD2015 files (LAD 2013 codes) are recognised and refused.

    References
    ----------
    Ministry of Housing, Communities & Local Government. The English Indices of Deprivation
    2019 (IoD2019): Technical report. London: MHCLG, 2019.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "imd.csv"
    ...     _ = path.write_text(
    ...         "LSOA code (2011),Index of Multiple Deprivation (IMD) Rank,"
    ...         "Index of Multiple Deprivation (IMD) Decile\\nE01000001,29199,9\\n"
    ...     )
    ...     table = load_imd(path)
    >>> table.frame[["lsoa_code", "imd_rank", "imd_decile", "imd_quintile"]].to_dict("records")
    [{'lsoa_code': 'E01000001', 'imd_rank': 29199, 'imd_decile': 9, 'imd_quintile': 5}]
    >>> table.provenance.release, table.provenance.lsoa_vintage
    ('IoD2019', 2011)
    """
    if release is not None and release not in RELEASES:
        raise ReferenceDataError(
            f"release: {release!r} is not supported; expected one of {', '.join(RELEASES)}"
        )
    path = Path(path)
    if path.is_dir():
        return _load_folder(path, release)
    return _load_one(open_csv(path), release, layout=None)


# -- one file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    fields: dict[str, Field]
    lsoa_vintage: int
    lad_vintage: int | None
    release: ImdRelease
    ignored: tuple[str, ...]
    official: bool


def _load_one(src: CsvFile, release: str | None, layout: str | None) -> ReferenceTable:
    cols = _columns(src, release, need_imd=True)
    frame = _validated(src, cols)
    return _table(frame, cols, [src], layout)


def _columns(src: CsvFile, release: str | None, *, need_imd: bool) -> _Columns:
    lsoa: dict[str, tuple[str, int]] = {}  # header -> (schema name, vintage)
    lad: dict[str, tuple[str, int]] = {}
    for h in src.header:
        n = normalise_header(h)
        m = re.fullmatch(r"lsoa(11|21)(cd|nm)", n) or re.fullmatch(
            r"lsoa (code|name) \((20\d\d)\)", n
        )
        if m:
            a, b = m.groups()
            vintage = 2000 + int(a) if a.isdigit() else 2000 + int(b[-2:])
            kind = b if a.isdigit() else a
            is_code = kind in ("cd", "code")
            lsoa[h] = ("lsoa_code" if is_code else "lsoa_name", vintage)
            continue
        m = re.fullmatch(r"(?:lad|ltla)(\d\d)(cd|nm)", n) or re.fullmatch(
            r"local authority district (code|name) \((\d{4})\)", n
        )
        if m:
            a, b = m.groups()
            if a.isdigit():
                lad[h] = ("lad_code" if b == "cd" else "lad_name", 2000 + int(a))
            else:
                lad[h] = ("lad_code" if a == "code" else "lad_name", int(b))
    codes = [h for h, (name, _) in lsoa.items() if name == "lsoa_code"]
    if len(codes) != 1:
        if codes:
            raise src.error(f"several LSOA code columns ({', '.join(codes)}); expected one", line=1)
        raise src.missing_columns(
            ["LSOA code"], "'LSOA code (2011)' / 'LSOA code (2021)' (MHCLG) or lsoa11cd / lsoa21cd"
        )
    code_header = codes[0]
    vintage = lsoa[code_header][1]
    lad_vintage = next((v for _, (name, v) in lad.items() if name == "lad_code"), None)
    if lad_vintage in (2013, 2015) and release is None:
        raise src.error(
            "this looks like the English Indices of Deprivation 2015 (LAD 2013 codes), which "
            f"focuson does not support; expected {' or '.join(RELEASES)}",
            line=1,
        )
    chosen = _release_for(src, code_header, vintage, release)
    fields: dict[str, Field] = {}
    ignored: list[str] = []
    for h in src.header:
        if h in lsoa:
            name, _ = lsoa[h]
            fields[h] = _lsoa_field(name, vintage)
        elif h in lad:
            name, _ = lad[h]
            fields[h] = _lad_field(name)
        else:
            spec = _measure_field(normalise_header(h), chosen)
            if spec is None:
                if h:
                    ignored.append(h)
            else:
                fields[h] = spec
    names = [f.name for f in fields.values()]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        heads = [h for h, f in fields.items() if f.name == repeated[0]]
        raise src.error(
            f"columns {', '.join(repr(h) for h in heads)} both hold {repeated[0]}; expected one",
            line=1,
        )
    if need_imd:
        missing = [n for n in ("imd_rank", "imd_decile") if n not in names]
        if missing:
            raise src.missing_columns(
                missing,
                "'Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)' and "
                "'... Decile (where 1 is most deprived 10% of LSOAs)' (MHCLG), or imd_rank and "
                "imd_decile",
            )
    official = normalise_header(code_header).startswith("lsoa code")
    return _Columns(fields, vintage, lad_vintage, chosen, tuple(ignored), official)


def _release_for(src: CsvFile, code_header: str, vintage: int, release: str | None) -> ImdRelease:
    if release is None:
        match = [r for r in RELEASES.values() if r.lsoa_vintage == vintage]
        if not match:
            raise src.error(
                f"LSOA {vintage} codes; expected LSOA 2011 (IoD2019) or LSOA 2021 (IoD2025)",
                line=1,
                column=code_header,
            )
        return match[0]
    chosen = RELEASES[release]
    if chosen.lsoa_vintage != vintage:
        raise src.error(
            f"release={release!r} is published on LSOA {chosen.lsoa_vintage} codes, but this "
            f"column holds LSOA {vintage} codes; expected the {release} file or release="
            f"{next(r.name for r in RELEASES.values() if r.lsoa_vintage == vintage)!r}",
            line=1,
            column=code_header,
        )
    return chosen


def _lsoa_field(name: str, vintage: int) -> Field:
    if name == "lsoa_code":
        return Field(
            "lsoa_code",
            "code",
            pattern=_LSOA_PATTERN,
            expected=f"an LSOA {vintage} code in England (E01 followed by 6 digits)",
        )
    return Field("lsoa_name", "text", expected="the LSOA name")


def _lad_field(name: str) -> Field:
    if name == "lad_code":
        return Field(
            "lad_code",
            "code",
            pattern=_LAD_PATTERN,
            expected="a local authority district code (E06, E07, E08 or E09 and 6 digits)",
        )
    return Field("lad_name", "text", expected="the local authority district name")


def _measure_field(n: str, release: ImdRelease) -> Field | None:
    m = re.fullmatch(r"([a-z_]+)_(score|rank|decile|quintile)", n)
    if m and (m.group(1) in DOMAINS) and (m.group(2) != "quintile" or m.group(1) == "imd"):
        return _domain_field(m.group(1), m.group(2), release)
    m = re.match(r"(.+?) (score|rank|decile)\b", n)
    if m and m.group(1) in _BY_LABEL:
        return _domain_field(_BY_LABEL[m.group(1)], m.group(2), release)
    m = re.fullmatch(r"pop_[a-z0-9_]+_mid(\d{4})", n)
    if m:
        return Field(n, "int", minimum=0, thousands=True)
    for start, stem in _POPULATION:
        if n.startswith(start):
            m = re.search(r"mid (\d{4})", n)
            year = m.group(1) if m else str(release.population_year)
            return Field(f"{stem}_mid{year}", "int", minimum=0, thousands=True)
    return None


def _domain_field(domain: str, measure: str, release: ImdRelease) -> Field:
    name = f"{domain}_{measure}"
    if measure == "score":
        return Field(name, "float")
    if measure == "rank":
        return Field(name, "int", minimum=1, maximum=release.lsoa_count)
    if measure == "decile":
        return Field(name, "int", minimum=1, maximum=10)
    return Field(name, "int", minimum=1, maximum=5)


def _validated(src: CsvFile, cols: _Columns) -> pd.DataFrame:
    names = {f.name for f in cols.fields.values()}
    n = cols.release.lsoa_count
    checks = []
    for domain in DOMAINS:
        rank, decile = f"{domain}_rank", f"{domain}_decile"
        if rank in names and decile in names:
            expected_decile = f"CAST(ceil({rank} * 10.0 / {n}) AS BIGINT)"
            checks.append(
                RowCheck(
                    column=decile,
                    bad=f"{decile} <> {expected_decile}",
                    expected=(
                        f"'decile ' || {expected_decile} || ', the decile of {rank} ' || {rank}"
                        f" || ' among the {n:,} LSOAs of {cols.release.name}'"
                    ),
                )
            )
    if "imd_quintile" in names and "imd_decile" in names:
        checks.append(
            RowCheck(
                column="imd_quintile",
                bad="imd_quintile <> CAST(ceil(imd_decile / 2.0) AS BIGINT)",
                expected=(
                    "'quintile ' || CAST(ceil(imd_decile / 2.0) AS BIGINT) || "
                    "' = ceil(imd_decile / 2) for imd_decile ' || imd_decile"
                ),
            )
        )
    return src.load(cols.fields, unique=[["lsoa_code"]], checks=checks)


def _table(
    frame: pd.DataFrame, cols: _Columns, sources: list[CsvFile], layout: str | None
) -> ReferenceTable:
    rel = cols.release
    out = frame.copy()
    notes = [
        f"rank 1 = most deprived of the {rel.lsoa_count:,} LSOAs in England; decile 1 = most "
        "deprived 10%; higher scores = more deprived",
    ]
    if "imd_quintile" not in out.columns:
        out["imd_quintile"] = (out["imd_decile"] + 1) // 2
        notes.append("imd_quintile derived by focuson as ceil(imd_decile / 2)")
    if not any(c.endswith("_score") for c in out.columns):
        notes.append("the file holds ranks and deciles only, no scores")
    pops = [c for c in out.columns if c.startswith("pop_")]
    if pops:
        notes.append(f"population denominators: {', '.join(pops)} (MHCLG, excluding prisoners)")
    if cols.ignored:
        notes.append("columns not recognised and not loaded: " + ", ".join(cols.ignored))
    out["lsoa_vintage"] = cols.lsoa_vintage
    out["imd_release"] = rel.name
    order = ["lsoa_code", "lsoa_name", "lsoa_vintage", "lad_code", "lad_name", "imd_release"]
    for domain in DOMAINS:
        order += [f"{domain}_{m}" for m in _MEASURES]
        if domain == "imd":
            order.append("imd_quintile")
    order += pops
    out = out[[c for c in order if c in out.columns]]
    if layout is None:
        layout = "MHCLG column headers" if cols.official else "snake_case layout"
    vintages: list[tuple[str, int]] = [("lsoa", cols.lsoa_vintage)]
    if cols.lad_vintage is not None:
        vintages.append(("lad", cols.lad_vintage))
    provenance = Provenance(
        dataset=f"English Indices of Deprivation {rel.year} ({layout})",
        publisher=PUBLISHER,
        release=rel.name,
        lsoa_vintage=cols.lsoa_vintage,
        rows=len(out),
        files=tuple(s.source for s in sources),
        geography_vintages=tuple(vintages),
        notes=tuple(notes),
    )
    return ReferenceTable(out, provenance)


# -- a folder in the published layout --------------------------------------------------------


def _official_files(folder: Path, rel: ImdRelease) -> list[tuple[str, list[Path]]]:
    """Candidate (layout, files) pairs for ``rel`` in ``folder``, best first."""
    year = rel.year
    names = sorted(p for p in folder.iterdir() if p.is_file())

    def find(rx: str) -> list[Path]:
        return [p for p in names if re.fullmatch(rx, p.name, re.IGNORECASE)]

    out: list[tuple[str, list[Path]]] = []
    for hits, layout in (
        (find(rf"File_7\D.*IoD{year}.*\.csv(\.gz)?"), "File 7"),
        (find(rf"File_2\D.*IoD{year}.*\.csv(\.gz)?"), "File 2"),
        (find(rf"File_1\D.*IMD{year}.*\.csv(\.gz)?"), "File 1"),
    ):
        if len(hits) > 1:
            raise ReferenceDataError(
                f"{folder}: several {layout} files for {rel.name} "
                f"({', '.join(p.name for p in hits)}); pass the file itself",
                path=folder,
            )
        if hits:
            files = hits
            if layout == "File 2":
                denominators = find(rf"File_6\D.*IoD{year}.*\.csv(\.gz)?")
                if len(denominators) == 1:
                    files = hits + denominators
                    layout = "File 2 + File 6"
            out.append((layout, files))
    return out


def _load_folder(folder: Path, release: str | None) -> ReferenceTable:
    folders = [folder] + ([folder / "imd"] if (folder / "imd").is_dir() else [])
    wanted = [RELEASES[release]] if release else list(RELEASES.values())
    found: dict[str, tuple[str, list[Path]]] = {}
    for rel in wanted:
        for where in folders:
            candidates = _official_files(where, rel)
            if candidates:
                found[rel.name] = candidates[0]
                break
    if not found:
        which = release or " or ".join(RELEASES)
        raise ReferenceDataError(
            f"{folder}: no {which} file in the MHCLG published layout; expected e.g. "
            "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv, "
            "File_2_-_IoD2019_Domains_of_Deprivation.csv (+ File_6_-_IoD2019_Population_"
            "Denominators.csv) or File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv; "
            "or pass the file itself",
            path=folder,
        )
    if len(found) > 1:
        raise ReferenceDataError(
            f"{folder}: holds files for both {' and '.join(found)}; pass release=",
            path=folder,
        )
    name, (layout, files) = next(iter(found.items()))
    main = open_csv(files[0])
    if len(files) == 1:
        return _load_one(main, name, layout)
    cols = _columns(main, name, need_imd=True)
    frame = _validated(main, cols)
    extra = open_csv(files[1])
    extra_cols = _columns(extra, name, need_imd=False)
    keep = {h: f for h, f in extra_cols.fields.items() if f.name.startswith("pop_")}
    keep.update({h: f for h, f in extra_cols.fields.items() if f.name == "lsoa_code"})
    if len(keep) < 2:
        raise extra.missing_columns(
            ["population denominators"], "'Total population: mid 2015 (excluding prisoners)' ..."
        )
    pops = extra.load(keep, unique=[["lsoa_code"]])
    merged = frame.merge(pops, on="lsoa_code", how="left", indicator=True, validate="1:1")
    absent = merged["_merge"] == "left_only"
    if absent.any() or len(pops) != len(frame):
        code = (
            merged.loc[absent, "lsoa_code"].iloc[0]
            if absent.any()
            else pops.loc[~pops["lsoa_code"].isin(frame["lsoa_code"]), "lsoa_code"].iloc[0]
        )
        missing_from = extra if absent.any() else main
        raise missing_from.error(
            f"no row for LSOA {code}; expected {main.name} and {extra.name} to hold the same LSOAs",
            column=next(h for h, f in keep.items() if f.name == "lsoa_code")
            if absent.any()
            else None,
        )
    merged = merged.drop(columns="_merge")
    merged_cols = _Columns(
        cols.fields | keep,
        cols.lsoa_vintage,
        cols.lad_vintage,
        cols.release,
        cols.ignored,
        cols.official,
    )
    return _table(merged, merged_cols, [main, extra], layout)
