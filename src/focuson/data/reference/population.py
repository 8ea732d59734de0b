"""Population by LSOA: ONS mid-year estimates and Census 2021 tables, wide files made long.

Every loader returns one row per LSOA and category, in file order, with the same area columns
(``lsoa_code``, ``lsoa_name``, ``lsoa_vintage``, ``lad_code``, ``lad_name`` when present) and a
``population`` count:

* :func:`load_mid_year_estimates`: ``sex``, ``age_band``, ``age_start``, ``age_end`` from the ONS
  small-area estimates (single year of age 0..89 and 90+, or broad bands by sex);
* :func:`load_census_age_bands`: the same age columns from Census 2021 usual residents;
* :func:`load_census_ethnic_group`: ``ethnic_group`` (the 5 Census 2021 high-level groups).

``age_end`` is the last age in the band (inclusive) and missing for the open band (90+, 65+), so
``age_start`` can be matched to standard population bands
(:data:`focuson.stats.standard_populations.ESP2013`). Each row's totals are checked: the age
bands (or ethnic groups) must add up to the file's own total column, and males plus females to
persons.

References
----------
Office for National Statistics. Lower layer Super Output Area population estimates, mid-2020
(SAPE23DT2), 2021. Office for National Statistics. Census 2021: TS021 Ethnic group; usual
residents by age, LSOA, 2022. OGL v3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from focuson.data.reference._read import (
    CsvFile,
    Field,
    RowCheck,
    normalise_header,
    open_csv,
)
from focuson.data.reference.ethnicity import CENSUS_2021_GROUPS
from focuson.data.reference.provenance import Provenance, ReferenceTable

PUBLISHER = "Office for National Statistics (ONS)"
_SEXES = {"persons": "persons", "males": "male", "females": "female"}


@dataclass(frozen=True)
class _Band:
    header: str
    sex: str  # persons / male / female
    start: int | None  # None: the total column
    end: int | None  # None: open-ended (or the total)

    @property
    def is_total(self) -> bool:
        return self.start is None

    @property
    def label(self) -> str:
        if self.start is None:
            return "all ages"
        if self.end is None:
            return f"{self.start}+"
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    @property
    def key(self) -> str:
        tail = "total" if self.start is None else f"{self.start}_{self.end or 'plus'}"
        return f"{self.sex}__{tail}"


@dataclass(frozen=True)
class _Area:
    fields: dict[str, Field]
    vintage: int | None
    ignored: list[str]


def _lsoa_header(n: str) -> tuple[str, int | None] | None:
    """``("code" | "name", vintage or None)`` for an LSOA column header (normalised)."""
    m = re.fullmatch(r"lsoa[ _]?(11|21|2011|2021)?[ _]?(cd|code|nm|name)", n)
    if m:
        vintage = 2000 + int(m.group(1)[-2:]) if m.group(1) else None
        return ("code" if m.group(2) in ("cd", "code") else "name"), vintage
    m = re.fullmatch(r"lsoa (code|name) \((2011|2021)\)", n)
    if m:
        return m.group(1), int(m.group(2))
    if n in ("geography code", "geography"):  # Nomis bulk files
        return ("code" if n.endswith("code") else "name"), None
    return None


def _area_columns(src: CsvFile, lsoa_vintage: int | None) -> _Area:
    """Recognise the LSOA and local authority columns; the rest is left to the caller."""
    fields: dict[str, Field] = {}
    vintages: set[int] = set()
    taken: set[str] = set()
    for h in src.header:
        n = normalise_header(h)
        lsoa = _lsoa_header(n)
        lad = re.fullmatch(
            r"(?:lad|la|ltla)(?:\d\d)?[ _]?(cd|code|nm|name)(?: \(\d{4} boundaries\))?", n
        )
        if lsoa is not None:
            part, vintage = lsoa
            if vintage is not None:
                vintages.add(vintage)
            name = f"lsoa_{part}"
            spec = (
                Field(name, "code", pattern="[EW]01[0-9]{6}", expected="an LSOA code")
                if part == "code"
                else Field(name, "text")
            )
        elif lad is not None:
            name = "lad_code" if lad.group(1) in ("cd", "code") else "lad_name"
            spec = (
                Field(name, "code", pattern="[EW]0[6-9][0-9]{6}", expected="an LA district code")
                if name == "lad_code"
                else Field(name, "text")
            )
        else:
            continue
        if name not in taken:  # the first of several (e.g. LA 2018 and 2021 boundaries)
            fields[h] = spec
            taken.add(name)
    ignored = [h for h in src.header if h and h not in fields and _is_area(h)]
    if "lsoa_code" not in taken:
        raise src.missing_columns(
            ["LSOA code"], "lsoa11cd, lsoa21cd, 'LSOA Code' or 'geography code'"
        )
    if len(vintages) > 1:
        raise src.error("LSOA 2011 and 2021 columns together; expected one vintage", line=1)
    vintage = next(iter(vintages), None)
    if lsoa_vintage is not None:
        if vintage is not None and vintage != lsoa_vintage:
            header = next(h for h, f in fields.items() if f.name == "lsoa_code")
            raise src.error(
                f"lsoa_vintage={lsoa_vintage} was given but this column holds LSOA {vintage} "
                "codes; expected them to agree",
                line=1,
                column=header,
            )
        vintage = lsoa_vintage
    return _Area(fields, vintage, ignored)


def _is_area(h: str) -> bool:
    n = normalise_header(h)
    return _lsoa_header(n) is not None or bool(re.match(r"(lad|la|ltla)\b|lad\d\d", n))


def _need_vintage(src: CsvFile, area: _Area) -> int:
    if area.vintage is None:
        header = next(h for h, f in area.fields.items() if f.name == "lsoa_code")
        raise src.error(
            "the header does not say whether these are LSOA 2011 or LSOA 2021 codes; expected "
            "lsoa_vintage=2011 or lsoa_vintage=2021",
            line=1,
            column=header,
        )
    return area.vintage


def _age_band(n: str) -> tuple[int, int | None] | None:
    """Parse an age column header (normalised) into (start, end); end None = open band."""
    n = re.sub(r"^age: ", "", n)
    if m := re.fullmatch(r"(?:age_)?(\d+)", n):
        return int(m[1]), int(m[1])
    if m := re.fullmatch(r"(?:age_)?(\d+)(?:_plus|\+)", n):
        return int(m[1]), None
    if m := re.fullmatch(r"(?:age_)?(\d+)(?:-|_|_to_)(\d+)", n):
        return int(m[1]), int(m[2])
    if n == "aged under 1 year":
        return 0, 0
    if m := re.fullmatch(r"aged (\d+) years? and under", n):
        return 0, int(m[1])
    if m := re.fullmatch(r"aged (\d+) to (\d+) years", n):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"aged (\d+) years? and over", n):
        return int(m[1]), None
    if m := re.fullmatch(r"aged (\d+) years?", n):
        return int(m[1]), int(m[1])
    return None


def _bands(src: CsvFile, area: _Area, totals: tuple[str, ...]) -> list[_Band]:
    out = []
    for h in src.header:
        if h in area.fields or not h:
            continue
        n = normalise_header(h)
        m = re.fullmatch(r"(persons|males|females)_(.+)", n)
        sex, rest = (_SEXES[m.group(1)], m.group(2)) if m else ("persons", n)
        if rest in totals or rest == "all-ages" or rest.endswith("total: all usual residents"):
            out.append(_Band(h, sex, None, None))
            continue
        band = _age_band(rest)
        if band is not None:
            out.append(_Band(h, sex, band[0], band[1]))
        else:
            area.ignored.append(h)
    return out


def _check_bands(src: CsvFile, bands: list[_Band]) -> None:
    """Per sex: one total at most, age bands contiguous from 0 and ending in an open band."""
    for sex in sorted({b.sex for b in bands}):
        ages = sorted(
            (b for b in bands if b.sex == sex and not b.is_total), key=lambda b: b.start or 0
        )
        totals = [b for b in bands if b.sex == sex and b.is_total]
        if len(totals) > 1:
            raise src.error(
                f"several total columns for {sex} ({', '.join(b.header for b in totals)}); "
                "expected one",
                line=1,
            )
        if not ages:
            raise src.missing_columns([f"{sex} age columns"], "age columns such as age_0 or 0-15")
        expected = 0
        for b in ages:
            if b.start != expected:
                problem = (
                    "overlaps the previous band" if (b.start or 0) < expected else "leaves a gap"
                )
                raise src.error(
                    f"age band {b.label} {problem}; expected the next band to start at age "
                    f"{expected} (bands must run from age 0 without gaps or overlaps)",
                    line=1,
                    column=b.header,
                )
            expected = -1 if b.end is None else b.end + 1
        if ages[-1].end is not None:
            raise src.error(
                f"the last age band ends at {ages[-1].end}; expected an open band such as "
                f"{ages[-1].end + 1}+ so that everyone is counted",
                line=1,
                column=ages[-1].header,
            )


def _sum_checks(bands: list[_Band], what: str) -> list[RowCheck]:
    checks = []
    for sex in sorted({b.sex for b in bands}):
        parts = [b.key for b in bands if b.sex == sex and not b.is_total]
        total = next((b.key for b in bands if b.sex == sex and b.is_total), None)
        if total is None:
            continue
        total_sql = " + ".join(f'"{k}"' for k in parts)
        checks.append(
            RowCheck(
                column=total,
                bad=f'"{total}" <> ({total_sql})',
                expected=f"'the sum of the {len(parts)} {what} columns, ' || ({total_sql})",
            )
        )
    sexes = {b.sex for b in bands}
    if {"persons", "male", "female"} <= sexes:
        for b in bands:
            if b.sex != "persons":
                continue
            male = next(x.key for x in bands if x.sex == "male" and x.label == b.label)
            female = next(x.key for x in bands if x.sex == "female" and x.label == b.label)
            checks.append(
                RowCheck(
                    column=b.key,
                    bad=f'"{b.key}" <> "{male}" + "{female}"',
                    expected=f'\'males + females = \' || ("{male}" + "{female}")',
                )
            )
    return checks


def _long(
    frame: pd.DataFrame, area_names: list[str], categories: pd.DataFrame, value_keys: list[str]
) -> pd.DataFrame:
    """Wide -> long, LSOA-major: each LSOA's rows together, categories in column order."""
    n, k = len(frame), len(value_keys)
    out = {name: np.repeat(frame[name].to_numpy(), k) for name in area_names}
    for col in categories.columns:
        out[col] = np.tile(categories[col].to_numpy(), n)
    out["population"] = frame[value_keys].to_numpy(dtype=np.int64).reshape(-1)
    result = pd.DataFrame(out)
    for col in categories.columns:
        result[col] = result[col].astype(categories[col].dtype)
    return result


def _area_order(frame: pd.DataFrame, vintage: int) -> tuple[pd.DataFrame, list[str]]:
    frame = frame.copy()
    frame["lsoa_vintage"] = vintage
    names = [
        c
        for c in ("lsoa_code", "lsoa_name", "lsoa_vintage", "lad_code", "lad_name")
        if c in frame.columns
    ]
    return frame, names


def load_mid_year_estimates(
    path: Path | str, *, lsoa_vintage: int | None = None, release: str | None = None
) -> ReferenceTable:
    """Load ONS small-area population estimates by LSOA, age (and sex), as a long table.

    Parameters
    ----------
    path
        A CSV file (plain or ``.gz``) with one row per LSOA and one column per age: single years
        (``age_0`` ... ``age_89``, ``age_90_plus``, or ONS headers ``0`` ... ``90+``) or bands by
        sex (``Persons_0-15`` ... ``Males_65+``, ``Females_65+``); an optional total column
        (``all_ages``, ``All Ages``, ``Persons_All-Ages``).
    lsoa_vintage
        2011 or 2021; needed only when the header does not say (``LSOA Code``).
    release
        The estimate, e.g. ``"mid-2020"``; read from the file name (``mid2020``) when not given.

    Returns
    -------
    ReferenceTable
        One row per LSOA, sex and age band: the area columns, ``sex`` (``"persons"`` for a
        persons-only file; ``"female"`` and ``"male"`` when the file splits by sex, the persons
        columns then being checked and dropped), ``age_band`` (``"0"``, ``"16-29"``, ``"90+"``),
        ``age_start``, ``age_end`` (nullable; missing for the open band) and ``population``.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: no LSOA column, age bands with a gap or overlap or no
        open last band, a negative or non-whole count, a repeated LSOA, a total that is not the
        sum of its ages, males + females not equal to persons.

    Notes
    -----
    The long table is built with array reshapes (no loop over LSOAs). The ONS workbook's
    "Mid-20xx Persons" sheet saved as CSV (headers ``LSOA Code``, ``All Ages``, ``0`` ... ``90+``)
    is read as published; its preamble rows above the header must be removed first.

    References
    ----------
    Office for National Statistics. Lower layer Super Output Area population estimates
    (supporting information), mid-2020 edition (SAPE23DT2), 2021. OGL v3.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "pop_mid2020.csv"
    ...     _ = path.write_text("lsoa11cd,all_ages,age_0,age_1_plus\\nE01000471,10,1,9\\n")
    ...     table = load_mid_year_estimates(path)
    >>> table.frame[["age_band", "age_start", "age_end", "population"]].to_dict("list")
    {'age_band': ['0', '1+'], 'age_start': [0, 1], 'age_end': [0, None], 'population': [1, 9]}
    >>> table.provenance.release, table.provenance.lsoa_vintage
    ('mid-2020', 2011)
    """
    src = open_csv(path)
    area = _area_columns(src, lsoa_vintage)
    vintage = _need_vintage(src, area)
    bands = _bands(src, area, ("all_ages", "all ages", "total"))
    if not bands:
        raise src.missing_columns(
            ["age columns"], "age_0 ... age_90_plus, 0 ... 90+ or Persons_0-15"
        )
    _check_bands(src, bands)
    by_sex = {b.sex for b in bands}
    if by_sex != {"persons"} and not {"male", "female"} <= by_sex:
        raise src.missing_columns(
            ["Males_* and Females_* columns"], "both sexes when the file splits by sex"
        )
    frame = _load_counts(src, area, bands, "age")
    keep_sex = ["persons"] if by_sex == {"persons"} else ["female", "male"]
    kept = [b for b in bands if b.sex in keep_sex and not b.is_total]
    if release is None:
        m = re.search(r"mid[-_ ]?(\d{4})", src.name, re.IGNORECASE)
        release = f"mid-{m.group(1)}" if m else "unknown (pass release=)"
    notes = []
    if by_sex != {"persons"}:
        notes.append("persons columns checked (males + females) and dropped; sum sexes for persons")
    return _age_table(
        src, frame, area, vintage, kept, release,
        dataset="ONS LSOA population estimates by "
        + ("sex and " if by_sex != {"persons"} else "")
        + ("single year of age" if len(kept) > 40 else "age band"),
        notes=notes,
    )  # fmt: skip


def load_census_age_bands(path: Path | str) -> ReferenceTable:
    """Load Census 2021 usual residents by LSOA and age band as a long table.

    Parameters
    ----------
    path
        A CSV file with one row per LSOA 2021 and one column per age band, named as ONS does
        ("Aged 15 years and under", "Aged 16 to 24 years", ..., "Aged 65 years and over", with or
        without the Nomis "Age: " prefix), and an optional total (``all_usual_residents`` or
        "Age: Total: All usual residents"). LSOA columns: ``lsoa21cd`` or Nomis ``geography
        code``.

    Returns
    -------
    ReferenceTable
        One row per LSOA and band: area columns, ``sex`` (``"persons"``), ``age_band``
        (``"0-15"``, ``"65+"``), ``age_start``, ``age_end`` and ``population``; release
        ``"Census 2021"``, LSOA vintage 2021.

    Raises
    ------
    ReferenceDataError
        As :func:`load_mid_year_estimates`.

    Notes
    -----
    Census 2021 counts are perturbed per table (cell key perturbation), so totals from different
    tables for one LSOA can differ by a few people; each table is checked against its own total.

    References
    ----------
    Office for National Statistics. Census 2021 usual residents by age, Lower layer Super Output
    Areas, England and Wales, 2022 (Nomis / "Create a custom dataset"). OGL v3.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "age.csv"
    ...     _ = path.write_text(
    ...         "lsoa21cd,all_usual_residents,Aged 15 years and under,Aged 16 years and over\\n"
    ...         "E01000471,1720,269,1451\\n"
    ...     )
    ...     load_census_age_bands(path).frame["age_band"].tolist()
    ['0-15', '16+']
    """
    src = open_csv(path)
    area = _area_columns(src, None)
    if area.vintage not in (None, 2021):
        raise src.error(
            f"LSOA {area.vintage} codes; expected LSOA 2021 codes for Census 2021", line=1
        )
    bands = _bands(src, area, ("all_usual_residents", "all usual residents", "total"))
    if not bands:
        raise src.missing_columns(["age columns"], "'Aged 15 years and under' ... ")
    _check_bands(src, bands)
    frame = _load_counts(src, area, bands, "age")
    kept = [b for b in bands if not b.is_total]
    return _age_table(
        src, frame, area, 2021, kept, "Census 2021",
        dataset="Census 2021 usual residents by age band", notes=[],
    )  # fmt: skip


def load_census_ethnic_group(path: Path | str) -> ReferenceTable:
    """Load Census 2021 TS021 usual residents by LSOA and high-level ethnic group (5 groups).

    Parameters
    ----------
    path
        A CSV file with one row per LSOA 2021 and a column for each of the 5 Census 2021
        high-level ethnic groups, named by their ONS labels (with or without the Nomis
        "Ethnic group: " prefix), plus an optional total (``all_usual_residents`` or "Ethnic
        group: Total: All usual residents"). The 19 detailed categories of the Nomis bulk file
        (``Ethnic group: White: Irish``...) are ignored.

    Returns
    -------
    ReferenceTable
        One row per LSOA and group: area columns, ``ethnic_group`` (an ordered categorical of
        :data:`focuson.data.reference.ethnicity.CENSUS_2021_GROUPS`) and ``population``.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: a missing group, a count that is negative or not whole,
        a repeated LSOA, a total that is not the sum of the 5 groups.

    Notes
    -----
    The 5 groups sum to the total in TS021 at every LSOA; a file where they do not is refused,
    since it would not be the published table.

    References
    ----------
    Office for National Statistics. Census 2021: TS021 Ethnic group, Lower layer Super Output
    Areas, England and Wales, 29 November 2022 (census2021-ts021-lsoa.csv). OGL v3.

    Examples
    --------
    >>> import tempfile
    >>> header = "lsoa21cd,all_usual_residents," + ",".join(f'"{g}"' for g in CENSUS_2021_GROUPS)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "ethnic.csv"
    ...     _ = path.write_text(header + "\\nE01000471,1719,939,169,47,400,164\\n")
    ...     table = load_census_ethnic_group(path)
    >>> table.frame["population"].tolist()
    [939, 169, 47, 400, 164]
    """
    src = open_csv(path)
    area = _area_columns(src, None)
    if area.vintage not in (None, 2021):
        raise src.error(
            f"LSOA {area.vintage} codes; expected LSOA 2021 codes for Census 2021", line=1
        )
    wanted = {g.lower(): g for g in CENSUS_2021_GROUPS}
    groups: dict[str, str] = {}
    total: str | None = None
    for h in src.header:
        if h in area.fields or not h:
            continue
        n = re.sub(r"^ethnic group: ", "", normalise_header(h))
        if n in wanted:
            groups[wanted[n]] = h
        elif n in ("all_usual_residents", "all usual residents", "total: all usual residents"):
            total = h
        else:
            area.ignored.append(h)
    missing = [g for g in CENSUS_2021_GROUPS if g not in groups]
    if missing:
        raise src.missing_columns(
            [repr(g) for g in missing], "the 5 Census 2021 high-level ethnic groups (TS021)"
        )
    keys = [f"group_{i}" for i in range(len(CENSUS_2021_GROUPS))]
    fields = dict(area.fields)
    for key, group in zip(keys, CENSUS_2021_GROUPS, strict=True):
        fields[groups[group]] = Field(key, "int", minimum=0, thousands=True)
    checks = []
    if total is not None:
        fields[total] = Field("total", "int", minimum=0, thousands=True)
        total_sql = " + ".join(keys)
        checks.append(
            RowCheck(
                "total",
                f"total <> ({total_sql})",
                f"'the sum of the 5 ethnic group columns, ' || ({total_sql})",
            )
        )
    frame = src.load(fields, unique=[["lsoa_code"]], checks=checks)
    frame, names = _area_order(frame, 2021)
    categories = pd.DataFrame(
        {
            "ethnic_group": pd.Categorical(
                list(CENSUS_2021_GROUPS), categories=list(CENSUS_2021_GROUPS), ordered=True
            )
        }
    )
    result = _long(frame, names, categories, keys)
    notes = ["Census 2021 counts are perturbed per table (cell key perturbation)"]
    if area.ignored:
        notes.append("columns not loaded: " + ", ".join(area.ignored))
    provenance = Provenance(
        dataset="Census 2021 TS021 ethnic group (5 high-level groups) by LSOA",
        publisher=PUBLISHER,
        release="Census 2021",
        lsoa_vintage=2021,
        rows=len(frame),
        files=(src.source,),
        geography_vintages=(("lsoa", 2021),),
        notes=tuple(notes),
    )
    return ReferenceTable(result, provenance)


def _load_counts(src: CsvFile, area: _Area, bands: list[_Band], what: str) -> pd.DataFrame:
    fields = dict(area.fields)
    for b in bands:
        fields[b.header] = Field(b.key, "int", minimum=0, thousands=True)
    return src.load(fields, unique=[["lsoa_code"]], checks=_sum_checks(bands, what))


def _age_table(
    src: CsvFile,
    frame: pd.DataFrame,
    area: _Area,
    vintage: int,
    kept: list[_Band],
    release: str,
    *,
    dataset: str,
    notes: list[str],
) -> ReferenceTable:
    frame, names = _area_order(frame, vintage)
    categories = pd.DataFrame(
        {
            "sex": [b.sex for b in kept],
            "age_band": [b.label for b in kept],
            "age_start": pd.array([b.start for b in kept], dtype="int64"),
            "age_end": pd.array([b.end for b in kept], dtype="Int64"),
        }
    )
    result = _long(frame, names, categories, [b.key for b in kept])
    if area.ignored:
        notes = [*notes, "columns not loaded: " + ", ".join(area.ignored)]
    provenance = Provenance(
        dataset=dataset,
        publisher=PUBLISHER,
        release=release,
        lsoa_vintage=vintage,
        rows=len(frame),
        files=(src.source,),
        geography_vintages=(("lsoa", vintage),),
        notes=tuple(notes),
    )
    return ReferenceTable(result, provenance)
