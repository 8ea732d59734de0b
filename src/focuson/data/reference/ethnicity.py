"""NHS ethnic category codes, their Census 2021 roll-ups, pre-2003 and SNOMED CT code maps.

The NHS Data Dictionary data element ETHNIC CATEGORY uses the 2001 Census categories: codes A-S
(16 categories), Z "Not stated" and 99 "Not known". focuson rolls them up to

* 5 groups: the Census 2021 high-level ethnic groups (TS021), so records can be compared with
  Census denominators: :data:`CENSUS_2021_GROUPS`. Chinese (R) is in the Asian group, as in the
  2011 and 2021 Censuses. Z and 99 have no 5-group value (missing).
* 6 groups: the same 5 plus :data:`NOT_STATED` ("Not stated / not known") for Z, 99 and local
  "not known" codes, so that missing ethnicity is counted rather than dropped.

The code lists themselves are read from files the user gives (:func:`load_nhs_ethnic_categories`,
:func:`load_pre_2003_ethnic_codes`, :func:`load_snomed_ethnic_codes`); the 18 standard
code -> group facts in :data:`NHS_ETHNIC_CATEGORY_GROUPS` are used to check them.

References
----------
NHS England. NHS Data Model and Dictionary: ETHNIC CATEGORY. Office for National Statistics.
Ethnic group, England and Wales: Census 2021 (TS021), 29 November 2022.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from focuson.data.reference._read import Field, RowCheck, normalise_header, open_csv
from focuson.data.reference.provenance import Provenance, ReferenceTable

ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
WHITE = "White"
OTHER = "Other ethnic group"
#: The Census 2021 high-level ethnic groups (TS021), in ONS order: the 5-group roll-up.
CENSUS_2021_GROUPS: tuple[str, ...] = (ASIAN, BLACK, MIXED, WHITE, OTHER)
#: The sixth group: ethnicity not stated or not known.
NOT_STATED = "Not stated / not known"
#: The 6-group roll-up: the 5 Census groups and :data:`NOT_STATED`.
GROUPS_6: tuple[str, ...] = (*CENSUS_2021_GROUPS, NOT_STATED)

#: NHS Data Dictionary ETHNIC CATEGORY codes -> 6-group roll-up (the standard 16 + Z + 99).
NHS_ETHNIC_CATEGORY_GROUPS: dict[str, str] = {
    **dict.fromkeys("ABC", WHITE),
    **dict.fromkeys("DEFG", MIXED),
    **dict.fromkeys("HJKLR", ASIAN),
    **dict.fromkeys("MNP", BLACK),
    "S": OTHER,
    "Z": NOT_STATED,
    "99": NOT_STATED,
}

#: NHS Data Dictionary ETHNIC CATEGORY codes -> their names (the standard 16 + Z + 99), as the
#: code lists read by :func:`load_nhs_ethnic_categories` describe them; labels in outputs.
NHS_ETHNIC_CATEGORY_NAMES: dict[str, str] = {
    "A": "British",
    "B": "Irish",
    "C": "Any other White background",
    "D": "White and Black Caribbean",
    "E": "White and Black African",
    "F": "White and Asian",
    "G": "Any other mixed background",
    "H": "Indian",
    "J": "Pakistani",
    "K": "Bangladeshi",
    "L": "Any other Asian background",
    "M": "Caribbean",
    "N": "African",
    "P": "Any other Black background",
    "R": "Chinese",
    "S": "Any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}

# Group labels as written in common code lists (lower case) -> 6-group label.
_LABELS: dict[str, str] = {
    **{g.lower(): g for g in GROUPS_6},
    "asian or asian british": ASIAN,
    "asian": ASIAN,
    "black or black british": BLACK,
    "black, black british, caribbean or african": BLACK,
    "black": BLACK,
    "mixed or multiple ethnic groups": MIXED,
    "mixed": MIXED,
    "other ethnic groups": OTHER,
    "other": OTHER,
    "not stated": NOT_STATED,
    "not known": NOT_STATED,
    "unknown": NOT_STATED,
    "not stated / not known (no census equivalent)": NOT_STATED,
}

PUBLISHER = "NHS England (NHS Data Model and Dictionary, ETHNIC CATEGORY)"
_CODE = "[A-Z]|[0-9]{1,2}"
_CODE_WORDS = "an NHS ethnic category code (a letter A-Z, or 99)"


def _case(expr: str, mapping: dict[str, str]) -> str:
    whens = " ".join(
        "WHEN '{}' THEN '{}'".format(k.replace("'", "''"), v.replace("'", "''"))
        for k, v in mapping.items()
    )
    return f"CASE {expr} {whens} ELSE NULL END"


def load_nhs_ethnic_categories(path: Path | str) -> ReferenceTable:
    """Load a list of NHS ethnic category codes with their 5- and 6-group roll-ups.

    Parameters
    ----------
    path
        A CSV file with columns ``code``, ``description`` and a group column:
        ``census2021_high_level_group`` (preferred) or ``ethnic_broad_group``; optionally
        ``in_2001_census_based_nhs_list`` (TRUE/FALSE). Group labels may be the Census 2021
        labels or the usual NHS broad groups ("Asian or Asian British", "Not known"...).

    Returns
    -------
    ReferenceTable
        One row per code: ``code``, ``description``, ``group_6`` (one of :data:`GROUPS_6`),
        ``group_5`` (one of :data:`CENSUS_2021_GROUPS`; ``None`` for not stated / not known)
        and ``nhs_standard`` (whether the code is one of the standard 16 + Z + 99; local
        extensions such as T "Traveller" or W "Arab" are not).

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: a malformed or repeated code, a group label that is
        not a known ethnic group, or a standard code put in the wrong Census 2021 group (e.g.
        Chinese R outside the Asian group).

    Notes
    -----
    The standard codes (A-S, Z, 99) are checked against :data:`NHS_ETHNIC_CATEGORY_GROUPS`;
    other codes (local extensions) take the group the file gives them.

    References
    ----------
    NHS England. NHS Data Model and Dictionary: ETHNIC CATEGORY (data element). Office for
    National Statistics. Ethnic group classification, Census 2021.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "codes.csv"
    ...     _ = path.write_text(
    ...         "code,description,ethnic_broad_group\\nR,Chinese,Asian or Asian British\\n"
    ...         "Z,Not stated,Not known\\n"
    ...     )
    ...     table = load_nhs_ethnic_categories(path)
    >>> table.frame["group_5"].tolist()
    ['Asian, Asian British or Asian Welsh', None]
    >>> table.frame["group_6"].tolist()
    ['Asian, Asian British or Asian Welsh', 'Not stated / not known']
    """
    src = open_csv(path)
    by_name = {normalise_header(h): h for h in src.header}
    group_header = next(
        (
            by_name[n]
            for n in ("census2021_high_level_group", "ethnic_broad_group", "group")
            if n in by_name
        ),
        None,
    )
    missing = [n for n in ("code", "description") if n not in by_name]
    if missing or group_header is None:
        raise src.missing_columns(
            [*missing, *([] if group_header else ["census2021_high_level_group"])],
            "code, description and census2021_high_level_group (or ethnic_broad_group)",
        )
    fields = {
        by_name["code"]: Field("code", "code", pattern=_CODE, expected=_CODE_WORDS),
        by_name["description"]: Field("description", "text"),
        group_header: Field("source_group", "text"),
    }
    standard_header = by_name.get("in_2001_census_based_nhs_list")
    if standard_header:
        fields[standard_header] = Field("nhs_standard", "bool")
    derived = {
        "_group6": _case("lower(source_group)", _LABELS),
        "_nhs_group": _case("code", NHS_ETHNIC_CATEGORY_GROUPS),
    }
    checks = [
        RowCheck(
            "source_group",
            "_group6 IS NULL",
            "'a Census 2021 high-level ethnic group (" + "; ".join(GROUPS_6) + ")'",
        ),
        RowCheck(
            "source_group",
            "_nhs_group IS NOT NULL AND _group6 <> _nhs_group",
            "'the Census 2021 group ' || _nhs_group || ' for NHS code ' || code",
        ),
    ]
    frame = src.load(fields, unique=[["code"]], derived=derived, checks=checks)
    group_6 = frame["source_group"].str.lower().map(_LABELS)
    out = pd.DataFrame(
        {
            "code": frame["code"],
            "description": frame["description"],
            "group_6": group_6,
            "group_5": group_6.where(group_6 != NOT_STATED, None),
            "nhs_standard": (
                frame["nhs_standard"]
                if standard_header
                else frame["code"].isin(list(NHS_ETHNIC_CATEGORY_GROUPS))
            ),
        }
    )
    notes = [
        "group_5 = Census 2021 high-level ethnic group (TS021); group_6 adds 'Not stated / not "
        "known'; Chinese (R) is in the Asian group as in the 2011 and 2021 Censuses",
    ]
    local = out.loc[~out["nhs_standard"], "code"].tolist()
    if local:
        notes.append("codes outside the standard NHS list (local extensions): " + ", ".join(local))
    provenance = Provenance(
        dataset="NHS ethnic category codes with Census 2021 5/6-group roll-ups",
        publisher=PUBLISHER,
        release="2001 Census based ETHNIC CATEGORY (A-S, Z, 99)",
        lsoa_vintage=None,
        rows=len(out),
        files=(src.source,),
        notes=tuple(notes),
    )
    return ReferenceTable(out, provenance)


def load_pre_2003_ethnic_codes(path: Path | str) -> ReferenceTable:
    """Load the map from pre-2003 numeric ethnic codes (0-9) to NHS ethnic category letters.

    Parameters
    ----------
    path
        A CSV file with columns ``code`` (0-9), ``description`` and ``ethnic_category``.

    Returns
    -------
    ReferenceTable
        ``code``, ``description``, ``ethnic_category`` (the current NHS code), one row per old
        code.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: a code that is not one digit, a repeated code, or an
        ``ethnic_category`` that is not an NHS code.

    References
    ----------
    NHS England. NHS Data Model and Dictionary: ETHNIC CATEGORY (data element). Office for
    National Statistics. Ethnic group classification, Census 2021.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "pre2003.csv"
    ...     _ = path.write_text("code,description,ethnic_category\\n7,Chinese,R\\n")
    ...     load_pre_2003_ethnic_codes(path).frame.to_dict("records")
    [{'code': '7', 'description': 'Chinese', 'ethnic_category': 'R'}]
    """
    return _code_map(
        path,
        key=Field("code", "code", pattern="[0-9]", expected="a pre-2003 code, one digit 0-9"),
        dataset="Pre-2003 NHS ethnic codes (0-9) mapped to ETHNIC CATEGORY",
        release="pre-2003 ethnic codes",
    )


def load_snomed_ethnic_codes(path: Path | str) -> ReferenceTable:
    """Load a map from SNOMED CT ethnicity concepts to NHS ethnic category letters.

    Parameters
    ----------
    path
        A CSV file with columns ``code`` (the SNOMED CT concept ID), ``description`` and
        ``ethnic_category``.

    Returns
    -------
    ReferenceTable
        ``snomed_code`` (text, 6-18 digits), ``description``, ``ethnic_category``.

    Raises
    ------
    ReferenceDataError
        Naming the file, line and column: a concept ID that is not 6-18 digits, a repeated
        concept, or an ``ethnic_category`` that is not an NHS code.

    Notes
    -----
    SNOMED CT concept IDs are kept as text: they can exceed the exact range of a float.

    References
    ----------
    NHS England. SNOMED CT UK Edition, ethnicity findings. BHF Data Science Centre, HDS
    reference data: ethnicity_mapping (curated SNOMED CT to ETHNIC CATEGORY map).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "snomed.csv"
    ...     _ = path.write_text("code,description,ethnic_category\\n92571000000102,Cornish,A\\n")
    ...     load_snomed_ethnic_codes(path).frame["snomed_code"].tolist()
    ['92571000000102']
    """
    return _code_map(
        path,
        key=Field("snomed_code", "code", pattern="[0-9]{6,18}", expected="a SNOMED CT concept ID"),
        dataset="SNOMED CT ethnicity concepts mapped to NHS ETHNIC CATEGORY",
        release="SNOMED CT ethnicity concepts",
    )


def _code_map(path: Path | str, *, key: Field, dataset: str, release: str) -> ReferenceTable:
    src = open_csv(path)
    by_name = {normalise_header(h): h for h in src.header}
    missing = [n for n in ("code", "description", "ethnic_category") if n not in by_name]
    if missing:
        raise src.missing_columns(missing, "code, description and ethnic_category")
    fields = {
        by_name["code"]: key,
        by_name["description"]: Field("description", "text", required=False),
        by_name["ethnic_category"]: Field(
            "ethnic_category", "code", pattern=_CODE, expected=_CODE_WORDS
        ),
    }
    frame = src.load(fields, unique=[[key.name]])
    provenance = Provenance(
        dataset=dataset,
        publisher=PUBLISHER,
        release=release,
        lsoa_vintage=None,
        rows=len(frame),
        files=(src.source,),
    )
    return ReferenceTable(frame, provenance)


def roll_up_ethnic_category(
    codes: Iterable[object] | pd.Series,
    categories: ReferenceTable,
    *,
    groups: Literal[5, 6] = 6,
    pre_2003: ReferenceTable | None = None,
) -> pd.Series:
    """Map NHS ethnic category codes to the 5 Census 2021 groups or the 6 groups.

    Parameters
    ----------
    codes
        One code per record, e.g. a column of patient records (``"A"``, ``"R"``, ``"99"``...).
        Case and surrounding spaces are ignored.
    categories
        The code list from :func:`load_nhs_ethnic_categories`.
    groups
        ``6`` (default): the Census groups plus "Not stated / not known", so every valid code
        has a group. ``5``: the Census 2021 high-level groups only; not stated / not known
        codes give missing.
    pre_2003
        The map from :func:`load_pre_2003_ethnic_codes`: single-digit pre-2003 codes (0-9) are
        first translated to current codes. Without it they give missing.

    Returns
    -------
    pandas.Series
        An ordered categorical (categories in Census order, then not stated), aligned with
        ``codes``; codes not in the list give missing: count them with ``.isna()``.

    Raises
    ------
    ValueError
        If ``groups`` is not 5 or 6.

    Notes
    -----
    Vectorised: one dictionary lookup on the whole column (pandas ``map``).

    References
    ----------
    NHS England. NHS Data Model and Dictionary: ETHNIC CATEGORY (data element). Office for
    National Statistics. Ethnic group classification, Census 2021.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "codes.csv"
    ...     _ = path.write_text(
    ...         "code,description,ethnic_broad_group\\nA,British,White\\nZ,Not stated,Not known\\n"
    ...     )
    ...     codes = load_nhs_ethnic_categories(path)
    >>> roll_up_ethnic_category([" a", "Z", "Q"], codes).tolist()
    ['White', 'Not stated / not known', nan]
    >>> roll_up_ethnic_category(["A", "Z"], codes, groups=5).tolist()
    ['White', nan]
    """
    if groups not in (5, 6):
        raise ValueError(f"groups: expected 5 or 6, got {groups!r}")
    series = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype=object)
    text = series.astype("string").str.strip().str.upper()
    if pre_2003 is not None:
        old = pre_2003.frame.set_index("code")["ethnic_category"]
        is_old = text.str.fullmatch("[0-9]").fillna(False).astype(bool)
        text = text.where(~is_old, text.map(old))
    column = "group_6" if groups == 6 else "group_5"
    table = categories.frame.set_index("code")[column]
    labels = GROUPS_6 if groups == 6 else CENSUS_2021_GROUPS
    mapped = text.map(table).astype(object)
    return pd.Series(
        pd.Categorical(mapped, categories=list(labels), ordered=True),
        index=series.index,
        name="ethnic_group",
    )
